//! Multilinear Galois Mode (MGM), the AEAD mode of RFC 9058 / R 1323565.1.026-2019, generic over
//! any [`BlockCipher`]: GF(2^128) with x^128 + x^7 + x^2 + x + 1 for 128-bit blocks (Kuznyechik)
//! and GF(2^64) with x^64 + x^4 + x^3 + x + 1 for 64-bit blocks (Magma) (RFC 9058 §3, §4).
//!
//! Hand-written: no crate implements MGM. The field multiplication is written here by hand and
//! is constant-time (it selects with all-ones/all-zero masks, never branches or indexes on data).
//! [`mgm_open`] checks the tag in constant time before it decrypts anything, so on failure the
//! buffer still holds the ciphertext.

use super::BlockCipher;
use crate::error::CryptoError;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

const ALG: &str = "MGM";

/// Smallest accepted tag length in bytes (RFC 9058 §4: 32 ≤ S ≤ n bits; whole bytes here).
pub const MGM_MIN_TAG_LEN: usize = 4;

/// Field description for an n-bit block: bit width, reduction polynomial (low terms) and mask.
#[derive(Clone, Copy)]
struct Field {
    bits: u32,
    poly: u128,
    mask: u128,
}

impl Field {
    fn for_block_len(n: usize) -> Result<Self, CryptoError> {
        match n {
            16 => Ok(Self {
                bits: 128,
                poly: 0x87,
                mask: u128::MAX,
            }),
            8 => Ok(Self {
                bits: 64,
                poly: 0x1b,
                mask: u64::MAX as u128,
            }),
            _ => Err(CryptoError::InvalidParameter {
                alg: ALG,
                detail: "block length must be 8 or 16 bytes",
            }),
        }
    }

    /// Constant-time product of `a` and `b` in GF(2^bits): shift-and-add with masks, the
    /// loop count depends only on the (public) field size.
    fn mul(self, a: u128, b: u128) -> u128 {
        let mut a = a & self.mask;
        let b = b & self.mask;
        let mut r = 0u128;
        let top = self.bits - 1;
        for i in 0..self.bits {
            let take = 0u128.wrapping_sub((b >> i) & 1);
            r ^= a & take;
            let carry = 0u128.wrapping_sub((a >> top) & 1);
            a = ((a << 1) & self.mask) ^ (self.poly & carry);
        }
        r
    }
}

/// Big-endian value of a block of at most 16 bytes.
fn to_int(bytes: &[u8]) -> u128 {
    bytes
        .iter()
        .fold(0u128, |acc, &b| (acc << 8) | u128::from(b))
}

/// Writes the low `out.len()` bytes of `v` big-endian.
fn from_int(mut v: u128, out: &mut [u8]) {
    for b in out.iter_mut().rev() {
        *b = v as u8;
        v >>= 8;
    }
}

/// Increments the right (`right = true`) or left half of an n-byte block modulo 2^(n/2).
fn incr_half(block: &mut [u8], right: bool) {
    let half = block.len() / 2;
    let part = if right {
        &mut block[half..]
    } else {
        &mut block[..half]
    };
    for b in part.iter_mut().rev() {
        let (v, overflow) = b.overflowing_add(1);
        *b = v;
        if !overflow {
            break;
        }
    }
}

fn check_nonce<C: BlockCipher>(nonce: &[u8]) -> Result<(), CryptoError> {
    if nonce.len() != C::BLOCK_LEN {
        return Err(CryptoError::InvalidIvLength {
            alg: ALG,
            expected: "one block (8 or 16 bytes)",
            got: nonce.len(),
        });
    }
    if nonce.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "nonce must have its most significant bit clear",
        });
    }
    Ok(())
}

fn check_lengths<C: BlockCipher>(aad: usize, data: usize) -> Result<(), CryptoError> {
    // RFC 9058 §4: 0 < |A| + |P| and the bit lengths fit in n/2 bits each (|A| + |P| < 2^(n/2)).
    if aad == 0 && data == 0 {
        return Err(CryptoError::InvalidDataLength {
            alg: ALG,
            expected: "associated data and plaintext not both empty",
            got: 0,
        });
    }
    let half_bits = (C::BLOCK_LEN * 4) as u32;
    let total_bits = (aad as u128 + data as u128) * 8;
    if total_bits >= 1u128 << half_bits {
        return Err(CryptoError::DataLimitExceeded { alg: ALG });
    }
    Ok(())
}

fn check_tag_len<C: BlockCipher>(tag_len: usize) -> Result<(), CryptoError> {
    if (MGM_MIN_TAG_LEN..=C::BLOCK_LEN).contains(&tag_len) {
        Ok(())
    } else {
        Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "tag length must be 4..=block length bytes",
        })
    }
}

/// Computes the full n-byte tag over `aad` and the ciphertext `ct` (RFC 9058 §4.1 steps for T).
fn compute_tag<C: BlockCipher>(
    cipher: &C,
    f: Field,
    nonce: &[u8],
    aad: &[u8],
    ct: &[u8],
) -> C::Block {
    let n = C::BLOCK_LEN;
    // Z_1 = E_K(1 || nonce); H_i = E_K(Z_i); Z_{i+1} = incr_l(Z_i).
    let mut z = C::Block::default();
    z.as_mut().copy_from_slice(nonce);
    if let Some(b) = z.as_mut().first_mut() {
        *b |= 0x80;
    }
    cipher.encrypt_block(&mut z);
    let mut h = C::Block::default();
    let mut acc = 0u128;
    let mut pad = C::Block::default();
    let mut absorb = |chunk: &[u8], z: &mut C::Block, acc: &mut u128| {
        h = *z;
        cipher.encrypt_block(&mut h);
        incr_half(z.as_mut(), false);
        pad = C::Block::default();
        pad.as_mut()[..chunk.len()].copy_from_slice(chunk);
        let mut hv = to_int(h.as_ref());
        let mut pv = to_int(pad.as_ref());
        *acc ^= f.mul(hv, pv);
        hv.zeroize();
        pv.zeroize();
    };
    for chunk in aad.chunks(n) {
        absorb(chunk, &mut z, &mut acc);
    }
    for chunk in ct.chunks(n) {
        absorb(chunk, &mut z, &mut acc);
    }
    // len(A) || len(C), each n/2 bits, bit lengths.
    let half = n / 2;
    let mut lens = C::Block::default();
    from_int((aad.len() as u128) * 8, &mut lens.as_mut()[..half]);
    from_int((ct.len() as u128) * 8, &mut lens.as_mut()[half..]);
    absorb(lens.as_ref(), &mut z, &mut acc);
    z.zeroize();
    h.zeroize();
    pad.zeroize();
    let mut t = C::Block::default();
    from_int(acc, t.as_mut());
    acc.zeroize();
    cipher.encrypt_block(&mut t);
    t
}

/// XORs the key stream E_K(Y_i), Y_1 = E_K(0 || nonce), Y_{i+1} = incr_r(Y_i), into `data`.
fn apply_keystream<C: BlockCipher>(cipher: &C, nonce: &[u8], data: &mut [u8]) {
    let mut y = C::Block::default();
    y.as_mut().copy_from_slice(nonce);
    if let Some(b) = y.as_mut().first_mut() {
        *b &= 0x7f;
    }
    cipher.encrypt_block(&mut y);
    let mut ks = C::Block::default();
    for chunk in data.chunks_mut(C::BLOCK_LEN) {
        ks = y;
        cipher.encrypt_block(&mut ks);
        for (d, k) in chunk.iter_mut().zip(ks.as_ref()) {
            *d ^= k;
        }
        incr_half(y.as_mut(), true);
    }
    y.zeroize();
    ks.zeroize();
}

/// Encrypts `data` in place with MGM and returns the authentication tag of `tag_len` bytes
/// (4 ≤ `tag_len` ≤ block length; the tag is the leading bytes of the full tag, RFC 9058 §4.1).
///
/// `nonce` is one block with its most significant bit clear. `aad` and `data` may not both be
/// empty, and their total bit length must stay below 2^(n/2).
pub fn mgm_seal<C: BlockCipher>(
    cipher: &C,
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag_len: usize,
) -> Result<Vec<u8>, CryptoError> {
    let f = Field::for_block_len(C::BLOCK_LEN)?;
    check_nonce::<C>(nonce)?;
    check_tag_len::<C>(tag_len)?;
    check_lengths::<C>(aad.len(), data.len())?;
    apply_keystream(cipher, nonce, data);
    let t = compute_tag(cipher, f, nonce, aad, data);
    Ok(t.as_ref()[..tag_len].to_vec())
}

/// Verifies `tag` over `aad` and the ciphertext in `data` (constant-time comparison) and only
/// then decrypts `data` in place (RFC 9058 §4.2). On any error `data` is left unchanged.
///
/// The tag length must be 4..=block length bytes.
pub fn mgm_open<C: BlockCipher>(
    cipher: &C,
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag: &[u8],
) -> Result<(), CryptoError> {
    let f = Field::for_block_len(C::BLOCK_LEN)?;
    check_nonce::<C>(nonce)?;
    check_tag_len::<C>(tag.len())?;
    check_lengths::<C>(aad.len(), data.len())?;
    let mut t = compute_tag(cipher, f, nonce, aad, data);
    let ok: bool = t.as_ref()[..tag.len()].ct_eq(tag).into();
    t.zeroize();
    if !ok {
        return Err(CryptoError::AuthenticationFailed { alg: ALG });
    }
    apply_keystream(cipher, nonce, data);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference multiplication with branches (test only) to cross-check the masked one.
    fn slow_mul(f: Field, mut a: u128, b: u128) -> u128 {
        let mut r = 0;
        for i in 0..f.bits {
            if (b >> i) & 1 == 1 {
                r ^= a;
            }
            let carry = (a >> (f.bits - 1)) & 1 == 1;
            a = (a << 1) & f.mask;
            if carry {
                a ^= f.poly;
            }
        }
        r
    }

    #[test]
    fn masked_mul_matches_reference_and_identity() {
        for n in [8usize, 16] {
            let f = Field::for_block_len(n).unwrap();
            let mut x = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210u128 & f.mask;
            let mut y = 0xdead_beef_0bad_f00d_1357_9bdf_2468_ace0u128 & f.mask;
            for _ in 0..64 {
                assert_eq!(f.mul(x, y), slow_mul(f, x, y));
                assert_eq!(f.mul(x, 1), x);
                assert_eq!(f.mul(x, y), f.mul(y, x));
                x = x.rotate_left(7) & f.mask ^ 0x5a;
                y = f.mul(y, 0x1234567) ^ 3;
            }
        }
    }

    #[test]
    fn incr_wraps_within_half() {
        let mut b = [0x00, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff];
        incr_half(&mut b, true);
        assert_eq!(b, [0x00, 0xff, 0xff, 0xff, 0x01, 0, 0, 0]);
        let mut b = [0xff; 8];
        incr_half(&mut b, false);
        assert_eq!(b, [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    }
}
