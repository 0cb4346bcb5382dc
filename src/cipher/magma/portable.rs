//! Portable constant-time backend: the eight 4-bit S-boxes are evaluated on all nibbles of a word
//! at once (SWAR). Each of the 16 nibble values gets a one-hot mask built from the four bit planes
//! of the word, and the mask selects that value's column of the public table; no memory address
//! or branch depends on the data.

use super::Tables;

const ONES: u32 = 0x1111_1111;

/// The S-box layer of GOST 28147-89 §2.1 / GOST R 34.12-2015 §5.2 (`t` in RFC 8891 §4.2),
/// computed without secret-indexed lookups.
#[inline(always)]
pub(super) fn sbox(t: &Tables, x: u32) -> u32 {
    let b0 = x & ONES;
    let b1 = (x >> 1) & ONES;
    let b2 = (x >> 2) & ONES;
    let b3 = (x >> 3) & ONES;
    let (n0, n1, n2, n3) = (b0 ^ ONES, b1 ^ ONES, b2 ^ ONES, b3 ^ ONES);
    // minterms of bits 0,1 and of bits 2,3, indexed by the (public) 2-bit value
    let lo = [n0 & n1, b0 & n1, n0 & b1, b0 & b1];
    let hi = [n2 & n3, b2 & n3, n2 & b3, b2 & b3];
    let mut out = 0u32;
    for (v, col) in t.cols.iter().enumerate() {
        let one_hot = lo[v & 3] & hi[v >> 2];
        out |= one_hot.wrapping_mul(15) & col;
    }
    out
}

/// The rounds of the Feistel network (RFC 8891 §4.2, G[k]) on one block held as halves
/// (`l`, `r`) = (a1, a0): `(l, r) <- (r, l ^ g[k](r))` for each round key in turn.
pub(super) fn rounds(t: &Tables, rk: &[u32], l: &mut u32, r: &mut u32) {
    let (mut a1, mut a0) = (*l, *r);
    for &k in rk {
        let g = sbox(t, a0.wrapping_add(k)).rotate_left(11);
        (a1, a0) = (a0, a1 ^ g);
    }
    (*l, *r) = (a1, a0);
}
