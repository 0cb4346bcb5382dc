//! SSSE3 backend: `pshufb` evaluates a 4-bit S-box on 16 bytes at once from a 16-byte table held
//! in a register, so the S-box layer reads no memory at a data-dependent address. Four blocks per
//! 128-bit register (one 32-bit half per lane); `N` blocks (a multiple of 4) per call.

#![allow(
    unsafe_code,
    reason = "SSSE3 intrinsics (core::arch), each block justified"
)]

use super::Tables;
#[cfg(target_arch = "x86")]
use core::arch::x86::*;
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

/// Runs the rounds `rk` on `N` blocks, halves in `l` and `r` (lane i = block i).
pub(super) fn rounds<const N: usize>(t: &Tables, rk: &[u32], l: &mut [u32; N], r: &mut [u32; N]) {
    debug_assert!(N.is_multiple_of(4) && N <= 32);
    debug_assert!(super::has_ssse3());
    // SAFETY: the caller (super::Core) only selects this backend after
    // `is_x86_feature_detected!("ssse3")` returned true.
    unsafe { rounds_ssse3::<N>(t, rk, l, r) }
}

#[target_feature(enable = "ssse3")]
fn rounds_ssse3<const N: usize>(t: &Tables, rk: &[u32], l: &mut [u32; N], r: &mut [u32; N]) {
    shuffle_rounds!(
        t,
        rk,
        l,
        r,
        lanes = 4,
        table = |p: &[u8; 16]| _mm_loadu_si128(p.as_ptr().cast()),
        zero = _mm_setzero_si128,
        splat8 = _mm_set1_epi8,
        splat32 = _mm_set1_epi32,
        load = _mm_loadu_si128,
        store = _mm_storeu_si128,
        add32 = _mm_add_epi32,
        and = _mm_and_si128,
        or = _mm_or_si128,
        xor = _mm_xor_si128,
        shr16 = _mm_srli_epi16,
        shl32 = _mm_slli_epi32,
        shr32 = _mm_srli_epi32,
        shuffle = _mm_shuffle_epi8,
    )
}

/// Runs the rounds `rk` on one block held as halves (`l`, `r`) = (a1, a0): the state, the eight
/// shuffle tables and the position masks stay in registers for all rounds (lane 0 carries the
/// block), and the eight lookups of a round are combined by a balanced OR tree, which shortens
/// the per-round dependency chain the serial modes are bound by.
pub(super) fn block1(t: &Tables, rk: &[u32], l: &mut u32, r: &mut u32) {
    debug_assert!(super::has_ssse3());
    // SAFETY: the caller (super::Core) only selects this backend after
    // `is_x86_feature_detected!("ssse3")` returned true.
    unsafe { block1_ssse3(t, rk, l, r) }
}

#[target_feature(enable = "ssse3")]
fn block1_ssse3(t: &Tables, rk: &[u32], l: &mut u32, r: &mut u32) {
    let m0f = _mm_set1_epi8(0x0f);
    // SAFETY: each `shuf` row and `pos` row is 16 bytes; unaligned loads are allowed.
    let (sh, pos) = unsafe {
        let ld = |p: &[u8; 16]| _mm_loadu_si128(p.as_ptr().cast());
        (
            [
                ld(&t.shuf[0]),
                ld(&t.shuf[1]),
                ld(&t.shuf[2]),
                ld(&t.shuf[3]),
                ld(&t.shuf[4]),
                ld(&t.shuf[5]),
                ld(&t.shuf[6]),
                ld(&t.shuf[7]),
            ],
            [ld(&t.pos[0]), ld(&t.pos[1]), ld(&t.pos[2]), ld(&t.pos[3])],
        )
    };
    let mut a1 = _mm_cvtsi32_si128(*l as i32);
    let mut a0 = _mm_cvtsi32_si128(*r as i32);
    for &k in rk {
        let x = _mm_add_epi32(a0, _mm_cvtsi32_si128(k as i32));
        let lo = _mm_and_si128(x, m0f);
        let hi = _mm_and_si128(_mm_srli_epi32::<4>(x), m0f);
        // bytes outside position p get bit 7 set, so pshufb writes 0 there
        let s =
            |tab: __m128i, idx: __m128i, p: __m128i| _mm_shuffle_epi8(tab, _mm_or_si128(idx, p));
        let s01 = _mm_or_si128(s(sh[0], lo, pos[0]), s(sh[1], hi, pos[0]));
        let s23 = _mm_or_si128(s(sh[2], lo, pos[1]), s(sh[3], hi, pos[1]));
        let s45 = _mm_or_si128(s(sh[4], lo, pos[2]), s(sh[5], hi, pos[2]));
        let s67 = _mm_or_si128(s(sh[6], lo, pos[3]), s(sh[7], hi, pos[3]));
        let v = _mm_or_si128(_mm_or_si128(s01, s23), _mm_or_si128(s45, s67));
        let g = _mm_or_si128(_mm_slli_epi32::<11>(v), _mm_srli_epi32::<21>(v));
        let n = _mm_xor_si128(a1, g);
        a1 = a0;
        a0 = n;
    }
    *l = _mm_cvtsi128_si32(a1) as u32;
    *r = _mm_cvtsi128_si32(a0) as u32;
}
