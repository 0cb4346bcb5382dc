//! Key transport and agreement schemes, shared by CMS EnvelopedData and GOST TLS 1.2 (they sit
//! below both, above the curve layer):
//!
//! - KEG (R 1323565.1.020-2018 §5; RFC 9189 §8.2.1): 64 bytes of key-export keys from our key,
//!   the peer's public key and a 32-byte UKM — VKO with the first 16 UKM bytes read
//!   big-endian, then, for 256-bit keys, KDF_TREE_GOSTR3411_2012_256 with label "kdf tree" and
//!   UKM bytes 16..24 as seed;
//! - KExp15 / KImp15 with those keys (R 1323565.1.017-2018 §7.3.2), IV = UKM bytes 24..(24 + n/2);
//! - the RFC 4490 §4.2 / RFC 4357 §6.3 transport of GOST 28147-89 keys: a KEK by VKO
//!   (GOST R 34.10-2001 with GOST R 34.11-94 for 2001 keys; VKO 2012-256 for 2012 keys, as
//!   gost-engine derives it) from an 8-byte UKM, then the CryptoPro key wrap.
//!
//! Every scheme takes the private key as [`AgreeKey`], so a key on a token or in a container
//! derives where it lives.

use zeroize::Zeroizing;

use crate::CryptoError;
use crate::cipher::gost28147::SBox;
use crate::cipher::kexp15::{kexp15, kimp15};
use crate::cipher::keywrap::{WRAPPED_KEY_LEN, cryptopro_key_unwrap, cryptopro_key_wrap};
use crate::cipher::{Kuznyechik, Magma};
use crate::ec::{AgreeKey, EcError, VerifyingKey, VkoAlg};
use crate::kdf::kdf_tree_gostr3411_2012_256;

/// Why a key-exchange scheme failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KexError {
    /// The key agreement failed (curves differ, invalid peer key, wrong UKM length…).
    Agreement(EcError),
    /// Wrapping or unwrapping failed: on import, the key was not wrapped for us or was altered.
    Wrap(CryptoError),
}

impl KexError {
    /// The library-wide kind of this error.
    pub fn kind(&self) -> crate::ErrorKind {
        match self {
            Self::Agreement(e) => e.kind(),
            Self::Wrap(e) => e.kind(),
        }
    }
}

impl core::fmt::Display for KexError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Agreement(e) => write!(f, "key agreement: {e}"),
            Self::Wrap(e) => write!(f, "key wrap: {e}"),
        }
    }
}

impl std::error::Error for KexError {}

impl From<EcError> for KexError {
    fn from(e: EcError) -> Self {
        Self::Agreement(e)
    }
}

impl From<CryptoError> for KexError {
    fn from(e: CryptoError) -> Self {
        Self::Wrap(e)
    }
}

/// Length of the UKM KEG and KExp15 take.
pub const KEG_UKM_LEN: usize = 32;

/// KEG: the 64 bytes K_EXP_MAC || K_EXP_ENC from our key, the peer's key and a 32-byte UKM.
pub fn keg(
    ours: &dyn AgreeKey,
    peer: &VerifyingKey,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 64]>, KexError> {
    let ukm: &[u8; KEG_UKM_LEN] = ukm.try_into().map_err(|_| EcError::InvalidLength {
        what: "KEG UKM",
        expected: KEG_UKM_LEN,
        got: ukm.len(),
    })?;
    let mut u = [0u8; 16];
    u.copy_from_slice(&ukm[..16]);
    u.reverse();
    if u == [0u8; 16] {
        u[15] = 1;
    }
    let mut out = Zeroizing::new([0u8; 64]);
    if ours.param_set().bits() == 512 {
        let k = ours.vko(VkoAlg::Vko2012_512, peer, &u)?;
        out.copy_from_slice(&k);
    } else {
        let k = ours.vko(VkoAlg::Vko2012_256, peer, &u)?;
        kdf_tree_gostr3411_2012_256(&k, b"kdf tree", &ukm[16..24], 1, &mut out[..])?;
    }
    Ok(out)
}

/// The block cipher of KExp15 / KImp15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportCipher {
    /// Kuznyechik: 8-byte IV, 16-byte MAC.
    Kuznyechik,
    /// Magma: 4-byte IV, 8-byte MAC.
    Magma,
}

impl ExportCipher {
    /// The IV length (half the block), taken from UKM bytes 24.. .
    pub fn iv_len(self) -> usize {
        match self {
            Self::Kuznyechik => 8,
            Self::Magma => 4,
        }
    }
}

/// The KExp15 IV of a KEG UKM.
fn iv_of(cipher: ExportCipher, ukm: &[u8]) -> Result<&[u8], KexError> {
    ukm.get(24..24 + cipher.iv_len())
        .ok_or(KexError::Agreement(EcError::InvalidLength {
            what: "KEG UKM",
            expected: KEG_UKM_LEN,
            got: ukm.len(),
        }))
}

/// KEG then KExp15: `key` exported to `peer` under `ukm` (32 bytes).
pub fn keg_export(
    cipher: ExportCipher,
    ours: &dyn AgreeKey,
    peer: &VerifyingKey,
    ukm: &[u8],
    key: &[u8],
) -> Result<Vec<u8>, KexError> {
    let keys = keg(ours, peer, ukm)?;
    let iv = iv_of(cipher, ukm)?;
    let (k_mac, k_enc) = keys.split_at(32);
    Ok(match cipher {
        ExportCipher::Kuznyechik => kexp15::<Kuznyechik>(key, k_mac, k_enc, iv)?,
        ExportCipher::Magma => kexp15::<Magma>(key, k_mac, k_enc, iv)?,
    })
}

/// KEG then KImp15: the key exported to us under `ukm`; a wrong key or an altered export gives
/// `KexError::Wrap` (its MAC fails).
pub fn keg_import(
    cipher: ExportCipher,
    ours: &dyn AgreeKey,
    peer: &VerifyingKey,
    ukm: &[u8],
    exported: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KexError> {
    let keys = keg(ours, peer, ukm)?;
    let iv = iv_of(cipher, ukm)?;
    let (k_mac, k_enc) = keys.split_at(32);
    Ok(match cipher {
        ExportCipher::Kuznyechik => kimp15::<Kuznyechik>(exported, k_mac, k_enc, iv)?,
        ExportCipher::Magma => kimp15::<Magma>(exported, k_mac, k_enc, iv)?,
    })
}

/// The RFC 4490 key-encryption key from an 8-byte little-endian UKM: VKO GOST R 34.10-2001
/// for 2001 keys (`legacy_2001`), VKO GOST R 34.10-2012-256 otherwise.
pub fn kek_28147(
    legacy_2001: bool,
    ours: &dyn AgreeKey,
    peer: &VerifyingKey,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 32]>, KexError> {
    let alg = if legacy_2001 {
        VkoAlg::Vko2001
    } else {
        VkoAlg::Vko2012_256
    };
    let k = ours.vko(alg, peer, ukm)?;
    let mut out = Zeroizing::new([0u8; 32]);
    if k.len() != 32 {
        return Err(KexError::Agreement(EcError::InvalidLength {
            what: "VKO output",
            expected: 32,
            got: k.len(),
        }));
    }
    out.copy_from_slice(&k);
    Ok(out)
}

/// RFC 4490 transport of a 32-byte GOST 28147-89 key: KEK by [`kek_28147`], then the
/// CryptoPro key wrap (RFC 4357 §6.3) — `ukm || encrypted key || MAC`, 44 bytes.
pub fn wrap_28147(
    legacy_2001: bool,
    ours: &dyn AgreeKey,
    peer: &VerifyingKey,
    sbox: SBox,
    ukm: &[u8],
    key: &[u8],
) -> Result<[u8; WRAPPED_KEY_LEN], KexError> {
    let kek = kek_28147(legacy_2001, ours, peer, ukm)?;
    Ok(cryptopro_key_wrap(&kek[..], sbox, ukm, key)?)
}

/// The inverse of [`wrap_28147`]: the key from `ukm || encrypted key || MAC`.
pub fn unwrap_28147(
    legacy_2001: bool,
    ours: &dyn AgreeKey,
    peer: &VerifyingKey,
    sbox: SBox,
    wrapped: &[u8],
) -> Result<Zeroizing<[u8; 32]>, KexError> {
    let ukm = wrapped
        .get(..8)
        .ok_or(KexError::Wrap(CryptoError::InvalidDataLength {
            alg: "CryptoPro key wrap",
            expected: "44 bytes",
            got: wrapped.len(),
        }))?;
    let kek = kek_28147(legacy_2001, ours, peer, ukm)?;
    let key = cryptopro_key_unwrap(&kek[..], sbox, wrapped)?;
    Ok(Zeroizing::new(*key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec::{ParamSet, SigningKey};

    #[test]
    fn keg_export_round_trips_on_both_sizes() {
        for set in [ParamSet::Tc26_256A, ParamSet::Tc26_512A] {
            let a = SigningKey::generate(set).unwrap();
            let b = SigningKey::generate(set).unwrap();
            let ukm = [7u8; 32];
            let cek = [0x42u8; 32];
            for cipher in [ExportCipher::Kuznyechik, ExportCipher::Magma] {
                let exp = keg_export(cipher, &a, b.verifying_key(), &ukm, &cek).unwrap();
                let got = keg_import(cipher, &b, a.verifying_key(), &ukm, &exp).unwrap();
                assert_eq!(&got[..], &cek);
                let mut bad = exp.clone();
                bad[0] ^= 1;
                assert!(matches!(
                    keg_import(cipher, &b, a.verifying_key(), &ukm, &bad),
                    Err(KexError::Wrap(_))
                ));
            }
            assert!(keg(&a, b.verifying_key(), &ukm[..31]).is_err());
        }
    }

    #[test]
    fn rfc4490_wrap_round_trips() {
        let a = SigningKey::generate(ParamSet::CryptoProA).unwrap();
        let b = SigningKey::generate(ParamSet::CryptoProA).unwrap();
        let ukm = [1u8, 2, 3, 4, 5, 6, 7, 8];
        for legacy in [true, false] {
            let w = wrap_28147(
                legacy,
                &a,
                b.verifying_key(),
                SBox::CryptoProA,
                &ukm,
                &[9u8; 32],
            )
            .unwrap();
            let k = unwrap_28147(legacy, &b, a.verifying_key(), SBox::CryptoProA, &w).unwrap();
            assert_eq!(*k, [9u8; 32]);
        }
        assert!(unwrap_28147(false, &b, a.verifying_key(), SBox::CryptoProA, &[0u8; 5]).is_err());
    }
}
