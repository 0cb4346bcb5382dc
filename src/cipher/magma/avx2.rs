//! AVX2 backend: `vpshufb` evaluates a 4-bit S-box on 32 bytes at once from a 16-byte table (the
//! same in both 128-bit lanes) held in a register, so the S-box layer reads no memory at a
//! data-dependent address. Eight blocks per 256-bit register (one 32-bit half per lane); `N`
//! blocks (a multiple of 8, at most 64) per call.

#![allow(
    unsafe_code,
    reason = "AVX2 intrinsics (core::arch), each block justified"
)]

use super::Tables;
#[cfg(target_arch = "x86")]
use core::arch::x86::*;
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

/// Runs the rounds `rk` on `N` blocks, halves in `l` and `r` (lane i = block i).
pub(super) fn rounds<const N: usize>(t: &Tables, rk: &[u32], l: &mut [u32; N], r: &mut [u32; N]) {
    debug_assert!(N.is_multiple_of(8) && N <= 64);
    debug_assert!(super::has_avx2());
    // SAFETY: the caller (super::Core) only selects this backend after
    // `is_x86_feature_detected!("avx2")` returned true.
    unsafe { rounds_avx2::<N>(t, rk, l, r) }
}

#[target_feature(enable = "avx2")]
fn rounds_avx2<const N: usize>(t: &Tables, rk: &[u32], l: &mut [u32; N], r: &mut [u32; N]) {
    let m0f = _mm256_set1_epi8(0x0f);
    // SAFETY: each `shuf` row and `pos` row is 16 bytes; unaligned loads are allowed.
    let (tl, th, pos) = unsafe {
        let ld = |p: &[u8; 16]| _mm256_broadcastsi128_si256(_mm_loadu_si128(p.as_ptr().cast()));
        (
            [
                ld(&t.shuf[0]),
                ld(&t.shuf[2]),
                ld(&t.shuf[4]),
                ld(&t.shuf[6]),
            ],
            [
                ld(&t.shuf[1]),
                ld(&t.shuf[3]),
                ld(&t.shuf[5]),
                ld(&t.shuf[7]),
            ],
            [ld(&t.pos[0]), ld(&t.pos[1]), ld(&t.pos[2]), ld(&t.pos[3])],
        )
    };
    let mut a1 = [_mm256_setzero_si256(); 8];
    let mut a0 = [_mm256_setzero_si256(); 8];
    let regs = (N / 8).min(8);
    for j in 0..regs {
        // SAFETY: lanes 8j..8j+8 lie inside the N-element arrays (j < N/8).
        unsafe {
            a1[j] = _mm256_loadu_si256(l.as_ptr().add(8 * j).cast());
            a0[j] = _mm256_loadu_si256(r.as_ptr().add(8 * j).cast());
        }
    }
    for &k in rk {
        let kv = _mm256_set1_epi32(k as i32);
        for j in 0..regs {
            let x = _mm256_add_epi32(a0[j], kv);
            let lo = _mm256_and_si256(x, m0f);
            let hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), m0f);
            let mut s = _mm256_setzero_si256();
            for p in 0..4 {
                // bytes outside position p get bit 7 set, so vpshufb writes 0 there
                let sl = _mm256_shuffle_epi8(tl[p], _mm256_or_si256(lo, pos[p]));
                let sh = _mm256_shuffle_epi8(th[p], _mm256_or_si256(hi, pos[p]));
                s = _mm256_or_si256(s, _mm256_or_si256(sl, sh));
            }
            let g = _mm256_or_si256(_mm256_slli_epi32(s, 11), _mm256_srli_epi32(s, 21));
            let n = _mm256_xor_si256(a1[j], g);
            a1[j] = a0[j];
            a0[j] = n;
        }
    }
    for j in 0..regs {
        // SAFETY: as for the loads above.
        unsafe {
            _mm256_storeu_si256(l.as_mut_ptr().add(8 * j).cast(), a1[j]);
            _mm256_storeu_si256(r.as_mut_ptr().add(8 * j).cast(), a0[j]);
        }
    }
}
