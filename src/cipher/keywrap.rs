//! GOST 28147-89 key wrapping of RFC 4357 §6: the GOST 28147-89 key wrap (§6.1/§6.2) and the
//! CryptoPro key wrap (§6.3/§6.4) with its KEK diversification (§6.5).
//!
//! Hand-written (no crate implements these) on top of [`Gost28147`]. The wrapped form is the
//! 44-byte `UKM (8) || ENC(CEK) (32) || MAC (4)`; unwrapping compares the MAC in constant time
//! and releases nothing when it does not match.

use super::gost28147::{Gost28147, Gost28147Cfb, SBox, gost28147_mac};
use crate::error::{CryptoError, check_key_len};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// Length of a wrapped key: UKM (8) || encrypted CEK (32) || MAC (4).
pub const WRAPPED_KEY_LEN: usize = 44;

fn check_ukm(alg: &'static str, ukm: &[u8]) -> Result<(), CryptoError> {
    if ukm.len() == 8 {
        Ok(())
    } else {
        Err(CryptoError::InvalidIvLength {
            alg,
            expected: "8 bytes (UKM)",
            got: ukm.len(),
        })
    }
}

fn wrap_with(
    kek: &Gost28147,
    ukm: &[u8],
    cek: &[u8],
) -> Result<[u8; WRAPPED_KEY_LEN], CryptoError> {
    let mut out = [0u8; WRAPPED_KEY_LEN];
    let mac = gost28147_mac(kek, Some(ukm), cek, false)?;
    out[..8].copy_from_slice(ukm);
    out[8..40].copy_from_slice(cek);
    kek.ecb_encrypt(&mut out[8..40])?;
    out[40..].copy_from_slice(&mac);
    Ok(out)
}

fn unwrap_with(
    alg: &'static str,
    kek: &Gost28147,
    wrapped: &[u8],
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let mut cek = Zeroizing::new([0u8; 32]);
    cek.copy_from_slice(&wrapped[8..40]);
    kek.ecb_decrypt(&mut cek[..])?;
    let mac = gost28147_mac(kek, Some(&wrapped[..8]), &cek[..], false)?;
    if bool::from(mac.ct_eq(&wrapped[40..44])) {
        Ok(cek)
    } else {
        Err(CryptoError::AuthenticationFailed { alg })
    }
}

fn check_wrapped(alg: &'static str, wrapped: &[u8]) -> Result<(), CryptoError> {
    if wrapped.len() == WRAPPED_KEY_LEN {
        Ok(())
    } else {
        Err(CryptoError::InvalidDataLength {
            alg,
            expected: "44 bytes (UKM || ENC || MAC)",
            got: wrapped.len(),
        })
    }
}

/// GOST 28147-89 key wrap (RFC 4357 §6.1): MAC = gost28147IMIT(UKM, KEK, CEK), the CEK
/// ECB-encrypted under the KEK; returns `UKM || ENC(CEK) || MAC`.
pub fn gost28147_key_wrap(
    kek: &[u8],
    sbox: SBox,
    ukm: &[u8],
    cek: &[u8],
) -> Result<[u8; WRAPPED_KEY_LEN], CryptoError> {
    const ALG: &str = "GOST 28147-89 key wrap";
    check_key_len(ALG, kek, 32)?;
    check_key_len(ALG, cek, 32)?;
    check_ukm(ALG, ukm)?;
    let k = Gost28147::with_sbox(kek, sbox)?;
    wrap_with(&k, ukm, cek)
}

/// GOST 28147-89 key unwrap (RFC 4357 §6.2) of `UKM || ENC(CEK) || MAC`; fails with
/// `AuthenticationFailed` (constant-time MAC check) when the MAC does not match.
pub fn gost28147_key_unwrap(
    kek: &[u8],
    sbox: SBox,
    wrapped: &[u8],
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    const ALG: &str = "GOST 28147-89 key unwrap";
    check_key_len(ALG, kek, 32)?;
    check_wrapped(ALG, wrapped)?;
    let k = Gost28147::with_sbox(kek, sbox)?;
    unwrap_with(ALG, &k, wrapped)
}

/// CryptoPro KEK diversification (RFC 4357 §6.5): eight rounds, each CFB-encrypting the key
/// under itself with IV = (Σ k_j over set UKM bits, Σ k_j over clear bits), little-endian.
pub fn cryptopro_kek_diversify(
    kek: &[u8],
    sbox: SBox,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    const ALG: &str = "CryptoPro KEK diversification";
    check_key_len(ALG, kek, 32)?;
    check_ukm(ALG, ukm)?;
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(kek);
    for &u in ukm {
        let mut s1 = 0u32;
        let mut s2 = 0u32;
        for (j, w) in key.chunks_exact(4).enumerate() {
            let k = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
            // mask selection instead of a branch on the UKM bit
            let set = 0u32.wrapping_sub(u32::from((u >> j) & 1));
            s1 = s1.wrapping_add(k & set);
            s2 = s2.wrapping_add(k & !set);
        }
        let mut iv = [0u8; 8];
        iv[..4].copy_from_slice(&s1.to_le_bytes());
        iv[4..].copy_from_slice(&s2.to_le_bytes());
        let c = Gost28147::with_sbox(&key[..], sbox)?;
        let mut cfb = Gost28147Cfb::new(&c, &iv, false)?;
        cfb.encrypt(&mut key[..]);
        iv.zeroize();
        s1.zeroize();
        s2.zeroize();
    }
    Ok(key)
}

/// CryptoPro key wrap (RFC 4357 §6.3): the GOST 28147-89 key wrap under the KEK diversified
/// with the UKM (§6.5); returns `UKM || ENC(CEK) || MAC`.
pub fn cryptopro_key_wrap(
    kek: &[u8],
    sbox: SBox,
    ukm: &[u8],
    cek: &[u8],
) -> Result<[u8; WRAPPED_KEY_LEN], CryptoError> {
    const ALG: &str = "CryptoPro key wrap";
    check_key_len(ALG, cek, 32)?;
    let k2 = cryptopro_kek_diversify(kek, sbox, ukm)?;
    let k = Gost28147::with_sbox(&k2[..], sbox)?;
    wrap_with(&k, ukm, cek)
}

/// CryptoPro key unwrap (RFC 4357 §6.4); fails with `AuthenticationFailed` (constant-time MAC
/// check) when the MAC does not match.
pub fn cryptopro_key_unwrap(
    kek: &[u8],
    sbox: SBox,
    wrapped: &[u8],
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    const ALG: &str = "CryptoPro key unwrap";
    check_wrapped(ALG, wrapped)?;
    let k2 = cryptopro_kek_diversify(kek, sbox, &wrapped[..8])?;
    let k = Gost28147::with_sbox(&k2[..], sbox)?;
    unwrap_with(ALG, &k, wrapped)
}
