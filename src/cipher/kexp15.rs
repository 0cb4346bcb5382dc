//! Key export KExp15 and import KImp15 (R 1323565.1.017-2018; used by CMS and TLS per
//! R 1323565.1.026-2019 / RFC 9189 §8.2.1):
//! KExp15(K, K_mac, K_enc, IV) = CTR(K_enc, IV, K || OMAC(K_mac, IV || K)), IV of n/2 bits and the
//! full n-bit MAC (GOST R 34.13-2015 §5.2, §5.6).
//!
//! Written by hand on top of [`super::modes`]: no RustCrypto crate implements KExp15.

use super::BlockCipher;
use super::modes::{Ctr, Omac, check_half_block_iv};
use crate::error::CryptoError;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

const KEXP15: &str = "KExp15";
const KIMP15: &str = "KImp15";

/// Exports (wraps) `key` under `k_mac` and `k_enc` with a half-block `iv`; the result is
/// `key.len() + n/8` bytes. `key` must not be empty.
pub fn kexp15<C: BlockCipher>(
    key: &[u8],
    k_mac: &[u8],
    k_enc: &[u8],
    iv: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    if key.is_empty() {
        return Err(CryptoError::InvalidKeyLength {
            alg: KEXP15,
            expected: C::KEY_LEN,
            got: 0,
        });
    }
    check_half_block_iv::<C>(KEXP15, iv)?;
    let mut mac = Omac::<C>::new(k_mac)?;
    let mut ctr = Ctr::<C>::new(k_enc, iv)?;
    mac.update(iv);
    mac.update(key);
    let tag = mac.finalize();
    let mut out = Vec::with_capacity(key.len() + C::BLOCK_LEN);
    out.extend_from_slice(key);
    out.extend_from_slice(tag.as_ref());
    ctr.apply_keystream(&mut out);
    Ok(out)
}

/// Imports (unwraps) a key exported by [`kexp15`]. The MAC is checked in constant time; on a
/// mismatch nothing is released and [`CryptoError::AuthenticationFailed`] is returned.
pub fn kimp15<C: BlockCipher>(
    exported: &[u8],
    k_mac: &[u8],
    k_enc: &[u8],
    iv: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let bl = C::BLOCK_LEN;
    if exported.len() <= bl {
        return Err(CryptoError::InvalidDataLength {
            alg: KIMP15,
            expected: "more than one block (key || MAC)",
            got: exported.len(),
        });
    }
    check_half_block_iv::<C>(KIMP15, iv)?;
    let mut mac = Omac::<C>::new(k_mac)?;
    let mut ctr = Ctr::<C>::new(k_enc, iv)?;
    let mut plain = Zeroizing::new(exported.to_vec());
    ctr.apply_keystream(&mut plain[..]);
    let klen = exported.len() - bl;
    mac.update(iv);
    mac.update(&plain[..klen]);
    let mut tag = mac.finalize();
    let ok = bool::from(tag.as_ref().ct_eq(&plain[klen..]));
    tag.zeroize();
    if !ok {
        return Err(CryptoError::AuthenticationFailed { alg: KIMP15 });
    }
    plain[klen..].zeroize();
    plain.truncate(klen);
    Ok(plain)
}
