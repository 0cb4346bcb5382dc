//! Portable constant-time GF(2^128)/GF(2^64) multiplication for MGM (RFC 9058 §3): a 64×64
//! carry-less multiply built from integer multiplications of operands "with holes" (every fifth
//! bit kept, so the column sums of at most 13 terms never carry into the next kept bit), then
//! the shift-and-XOR reductions of [`super::field`]. No secret-dependent branch, index or shift.

use super::field::{reduce64, reduce128};

/// Bits 0, 5, 10, …, 60 of a u64: one of the five residue classes of bit positions mod 5.
const M0: u64 = 0x1084_2108_4210_8421;

/// The five operand masks: bit positions ≡ c (mod 5).
const MASKS: [u64; 5] = [M0, M0 << 1, M0 << 2, M0 << 3, M0 << 4];

/// The five product masks over 128 bits: bit positions ≡ c (mod 5).
const PMASKS: [u128; 5] = {
    let mut m = [0u128; 5];
    let mut k = 0;
    while k < 128 {
        m[k % 5] |= 1u128 << k;
        k += 1;
    }
    m
};

/// Carry-less product of two 64-bit polynomials (bit i = coefficient of x^i), 127 bits wide.
///
/// Each integer product `x_i · y_j` of two holed operands has, at every position of class
/// `(i + j) mod 5`, the number of bit pairs meeting there (at most 13 < 2^5), so its lowest bit
/// there is the XOR of those pairs; positions of other classes are masked away.
#[inline(always)]
pub(super) fn clmul64(a: u64, b: u64) -> u128 {
    let x = [
        a & MASKS[0],
        a & MASKS[1],
        a & MASKS[2],
        a & MASKS[3],
        a & MASKS[4],
    ];
    let y = [
        b & MASKS[0],
        b & MASKS[1],
        b & MASKS[2],
        b & MASKS[3],
        b & MASKS[4],
    ];
    let mut r = 0u128;
    let mut c = 0;
    while c < 5 {
        let mut z = 0u128;
        let mut i = 0;
        while i < 5 {
            let j = (c + 5 - i) % 5;
            z ^= u128::from(x[i]) * u128::from(y[j]);
            i += 1;
        }
        r |= z & PMASKS[c];
        c += 1;
    }
    r
}

/// Σ h_i · x_i in GF(2^128) (Karatsuba on 64-bit halves, one reduction for the whole sum).
pub(super) fn dot128(h: &[u128], x: &[u128]) -> u128 {
    let (mut lo, mut hi) = (0u128, 0u128);
    for (&a, &b) in h.iter().zip(x) {
        let (a0, a1) = (a as u64, (a >> 64) as u64);
        let (b0, b1) = (b as u64, (b >> 64) as u64);
        let l = clmul64(a0, b0);
        let u = clmul64(a1, b1);
        let m = clmul64(a0 ^ a1, b0 ^ b1) ^ l ^ u;
        lo ^= l ^ (m << 64);
        hi ^= u ^ (m >> 64);
    }
    reduce128(lo, hi)
}

/// Σ h_i · x_i in GF(2^64) (one reduction for the whole sum).
pub(super) fn dot64(h: &[u64], x: &[u64]) -> u64 {
    let mut p = 0u128;
    for (&a, &b) in h.iter().zip(x) {
        p ^= clmul64(a, b);
    }
    reduce64(p)
}
