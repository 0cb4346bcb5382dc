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
    shuffle_rounds!(
        t,
        rk,
        l,
        r,
        lanes = 8,
        table = |p: &[u8; 16]| _mm256_broadcastsi128_si256(_mm_loadu_si128(p.as_ptr().cast())),
        zero = _mm256_setzero_si256,
        splat8 = _mm256_set1_epi8,
        splat32 = _mm256_set1_epi32,
        load = _mm256_loadu_si256,
        store = _mm256_storeu_si256,
        add32 = _mm256_add_epi32,
        and = _mm256_and_si256,
        or = _mm256_or_si256,
        xor = _mm256_xor_si256,
        shr16 = _mm256_srli_epi16,
        shl32 = _mm256_slli_epi32,
        shr32 = _mm256_srli_epi32,
        shuffle = _mm256_shuffle_epi8,
    )
}
