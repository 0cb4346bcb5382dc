//! PCLMULQDQ backend of MGM's field multiplication (RFC 9058 §3) on x86_64: the 64×64
//! carry-less products in one instruction each, reduced by [`super::field`]. Constant-time
//! (PCLMULQDQ's latency does not depend on its operands). The only `unsafe` of MGM lives here.

use super::field::{reduce64, reduce128};
use core::arch::x86_64::{__m128i, _mm_clmulepi64_si128, _mm_set_epi64x};
use std::sync::OnceLock;

/// Proof that the running CPU has PCLMULQDQ: only [`Pclmul::detect`] makes one.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pclmul(());

impl Pclmul {
    /// Runtime CPU-feature check, done once per process and cached.
    pub(super) fn detect() -> Option<Self> {
        static HAS: OnceLock<bool> = OnceLock::new();
        let has = *HAS.get_or_init(|| std::arch::is_x86_feature_detected!("pclmulqdq"));
        has.then_some(Self(()))
    }

    /// Σ h_i · x_i in GF(2^128).
    pub(super) fn dot128(self, h: &[u128], x: &[u128]) -> u128 {
        // SAFETY: a `Pclmul` exists only when the CPU was detected to support PCLMULQDQ.
        unsafe { dot128_pclmul(h, x) }
    }

    /// Σ h_i · x_i in GF(2^64).
    pub(super) fn dot64(self, h: &[u64], x: &[u64]) -> u64 {
        // SAFETY: a `Pclmul` exists only when the CPU was detected to support PCLMULQDQ.
        unsafe { dot64_pclmul(h, x) }
    }
}

/// One carry-less 64×64 → 127-bit product.
#[inline]
#[target_feature(enable = "pclmulqdq")]
unsafe fn clmul64(a: u64, b: u64) -> u128 {
    // SAFETY: this function is compiled with PCLMULQDQ and its callers ensure the CPU has it;
    // SSE2 is part of x86_64; `__m128i` and `u128` are both 16 plain bytes (lane 0 = low half,
    // little-endian), so the transmute is a bit copy.
    unsafe {
        let r = _mm_clmulepi64_si128(_mm_set_epi64x(0, a as i64), _mm_set_epi64x(0, b as i64), 0);
        core::mem::transmute::<__m128i, u128>(r)
    }
}

#[target_feature(enable = "pclmulqdq")]
unsafe fn dot128_pclmul(h: &[u128], x: &[u128]) -> u128 {
    let (mut lo, mut hi) = (0u128, 0u128);
    for (&a, &b) in h.iter().zip(x) {
        let (a0, a1) = (a as u64, (a >> 64) as u64);
        let (b0, b1) = (b as u64, (b >> 64) as u64);
        // SAFETY: same target feature as this function, whose callers checked the CPU.
        let (l, u, m) = unsafe { (clmul64(a0, b0), clmul64(a1, b1), clmul64(a0 ^ a1, b0 ^ b1)) };
        let m = m ^ l ^ u;
        lo ^= l ^ (m << 64);
        hi ^= u ^ (m >> 64);
    }
    reduce128(lo, hi)
}

#[target_feature(enable = "pclmulqdq")]
unsafe fn dot64_pclmul(h: &[u64], x: &[u64]) -> u64 {
    let mut p = 0u128;
    for (&a, &b) in h.iter().zip(x) {
        // SAFETY: same target feature as this function, whose callers checked the CPU.
        p ^= unsafe { clmul64(a, b) };
    }
    reduce64(p)
}
