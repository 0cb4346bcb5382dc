//! Reductions of MGM's field products (RFC 9058 §3): GF(2^128) modulo x^128 + x^7 + x^2 + x + 1
//! and GF(2^64) modulo x^64 + x^4 + x^3 + x + 1, bit i = coefficient of x^i (the block read as a
//! big-endian integer). Fixed shifts and XORs only, so constant-time; shared by both backends.

/// Reduces the 255-bit product `hi · x^128 + lo` modulo x^128 + x^7 + x^2 + x + 1.
#[inline(always)]
pub(super) fn reduce128(lo: u128, hi: u128) -> u128 {
    // x^128 ≡ x^7 + x^2 + x + 1: hi·(x^7 + x^2 + x + 1), whose bits past x^127 (at most 7) fold
    // once more.
    let over = (hi >> 127) ^ (hi >> 126) ^ (hi >> 121);
    lo ^ hi ^ (hi << 1) ^ (hi << 2) ^ (hi << 7) ^ over ^ (over << 1) ^ (over << 2) ^ (over << 7)
}

/// Reduces the 127-bit product `p` modulo x^64 + x^4 + x^3 + x + 1.
#[inline(always)]
pub(super) fn reduce64(p: u128) -> u64 {
    let lo = p as u64;
    let hi = (p >> 64) as u64;
    // x^64 ≡ x^4 + x^3 + x + 1; the at most 4 bits past x^63 fold once more.
    let over = (hi >> 63) ^ (hi >> 61) ^ (hi >> 60);
    lo ^ hi ^ (hi << 1) ^ (hi << 3) ^ (hi << 4) ^ over ^ (over << 1) ^ (over << 3) ^ (over << 4)
}
