//! The mechanisms of the token (PKCS#11 v2.40 §2.x "GOST" mechanisms and the TC26 extension)
//! and the GOST key material behind key objects.
//!
//! | mechanism | use | keys |
//! | --- | --- | --- |
//! | `CKM_GOSTR3410_KEY_PAIR_GEN` | key pair, 256-bit parameter sets | 256 |
//! | `CKM_GOSTR3410_512_KEY_PAIR_GEN` | key pair, 512-bit parameter sets | 512 |
//! | `CKM_GOSTR3410` | sign/verify a 32-byte digest (no hashing) | 256 |
//! | `CKM_GOSTR3410_512` | sign/verify a 64-byte digest (no hashing) | 512 |
//! | `CKM_GOSTR3410_WITH_GOSTR3411` | GOST R 34.11-94 (CryptoPro) then sign | 256 |
//! | `CKM_GOSTR3410_WITH_GOSTR3411_12_256` | Streebog-256 then sign | 256 |
//! | `CKM_GOSTR3410_WITH_GOSTR3411_12_512` | Streebog-512 then sign | 512 |
//! | `CKM_GOSTR3410_DERIVE` | VKO GOST R 34.10-2001 (RFC 4357 §5.2), `kdf = CKD_NULL`, 8-byte UKM | 256 |
//! | `CKM_GOSTR3410_12_DERIVE` | VKO_GOSTR3410_2012_256 (RFC 7836 §4.3.1), `kdf = CKD_KDF_GOSTR3411_2012_256` | 256, 512 |
//! | `CKM_GOSTR3411`, `CKM_GOSTR3411_12_256`, `CKM_GOSTR3411_12_512` | digest | — |
//!
//! A digest given to the no-hashing mechanisms is the hash function's output as it comes (read
//! as a little-endian integer, GOST R 34.10-2012 §6.1, the way gost-engine and gostkit read it);
//! a signature is `s || r`, each big-endian, 64 or 128 bytes (the X.509 signature value). A GOST
//! public key's `CKA_VALUE` is LE(X) || LE(Y), a private key's the scalar little-endian;
//! `CKA_GOSTR3410_PARAMS` is the DER OID of the parameter set, `CKA_GOSTR3411_PARAMS` the DER OID
//! of the hash. Other `kdf` values of the derive mechanisms (`CKD_CPDIVERSIFY_KDF`,
//! `CKD_KDF_4357`, `CKD_NULL` with the 2012 mechanism) are refused with
//! `CKR_MECHANISM_PARAM_INVALID`.

use cryptoki_sys::*;
use gk::ec::{ParamSet, SigningKey, VerifyingKey};
use gk::hash::{HashAlg, Hasher};

use crate::boundary::P11Result;
use crate::consts::*;
use crate::object::Object;

/// A mechanism as the caller gave it.
#[derive(Clone, Debug, Default)]
pub struct Mech {
    /// `CKM_` type.
    pub ty: CK_MECHANISM_TYPE,
    /// The parameter bytes (empty when none), for mechanisms with a flat parameter.
    pub param: Vec<u8>,
    /// `CK_GOSTR3410_DERIVE_PARAMS` of the derive mechanisms.
    pub derive: Option<DeriveParams>,
}

/// `CK_GOSTR3410_DERIVE_PARAMS`, copied.
#[derive(Clone, Debug, Default)]
pub struct DeriveParams {
    /// `kdf`.
    pub kdf: CK_ULONG,
    /// `pPublicData`: the peer's public key.
    pub public: Vec<u8>,
    /// `pUKM`.
    pub ukm: Vec<u8>,
}

/// The mechanism table: type, min and max key bits, flags.
pub const MECHANISMS: &[(CK_MECHANISM_TYPE, CK_ULONG, CK_ULONG, CK_FLAGS)] = &[
    (CKM_GOSTR3410_KEY_PAIR_GEN, 256, 256, CKF_GENERATE_KEY_PAIR),
    (
        CKM_GOSTR3410_512_KEY_PAIR_GEN,
        512,
        512,
        CKF_GENERATE_KEY_PAIR,
    ),
    (CKM_GOSTR3410, 256, 256, CKF_SIGN | CKF_VERIFY),
    (CKM_GOSTR3410_512, 512, 512, CKF_SIGN | CKF_VERIFY),
    (
        CKM_GOSTR3410_WITH_GOSTR3411,
        256,
        256,
        CKF_SIGN | CKF_VERIFY,
    ),
    (
        CKM_GOSTR3410_WITH_GOSTR3411_12_256,
        256,
        256,
        CKF_SIGN | CKF_VERIFY,
    ),
    (
        CKM_GOSTR3410_WITH_GOSTR3411_12_512,
        512,
        512,
        CKF_SIGN | CKF_VERIFY,
    ),
    (CKM_GOSTR3410_DERIVE, 256, 256, CKF_DERIVE),
    (CKM_GOSTR3410_12_DERIVE, 256, 512, CKF_DERIVE),
    (CKM_GOSTR3411, 0, 0, CKF_DIGEST),
    (CKM_GOSTR3411_12_256, 0, 0, CKF_DIGEST),
    (CKM_GOSTR3411_12_512, 0, 0, CKF_DIGEST),
];

/// The mechanisms whose parameter is a `CK_GOSTR3410_DERIVE_PARAMS`.
pub fn is_derive(ty: CK_MECHANISM_TYPE) -> bool {
    matches!(ty, CKM_GOSTR3410_DERIVE | CKM_GOSTR3410_12_DERIVE)
}

/// `CK_MECHANISM_INFO` of a mechanism, or `CKR_MECHANISM_INVALID`.
pub fn info(ty: CK_MECHANISM_TYPE) -> P11Result<CK_MECHANISM_INFO> {
    MECHANISMS
        .iter()
        .find(|m| m.0 == ty)
        .map(|m| CK_MECHANISM_INFO {
            ulMinKeySize: m.1,
            ulMaxKeySize: m.2,
            flags: m.3,
        })
        .ok_or(CKR_MECHANISM_INVALID)
}

/// The hash of a digest mechanism.
pub fn digest_alg(ty: CK_MECHANISM_TYPE) -> Option<HashAlg> {
    match ty {
        CKM_GOSTR3411 => Some(HashAlg::Gost94),
        CKM_GOSTR3411_12_256 => Some(HashAlg::Streebog256),
        CKM_GOSTR3411_12_512 => Some(HashAlg::Streebog512),
        _ => None,
    }
}

/// What a signature mechanism does with the data: the key size it needs and its hash (None:
/// the data is the digest).
pub fn sign_mech(ty: CK_MECHANISM_TYPE) -> Option<(usize, Option<HashAlg>)> {
    match ty {
        CKM_GOSTR3410 => Some((256, None)),
        CKM_GOSTR3410_512 => Some((512, None)),
        CKM_GOSTR3410_WITH_GOSTR3411 => Some((256, Some(HashAlg::Gost94))),
        CKM_GOSTR3410_WITH_GOSTR3411_12_256 => Some((256, Some(HashAlg::Streebog256))),
        CKM_GOSTR3410_WITH_GOSTR3411_12_512 => Some((512, Some(HashAlg::Streebog512))),
        _ => None,
    }
}

/// The key type of a key size.
pub fn key_type_for(bits: usize) -> CK_KEY_TYPE {
    if bits == 512 {
        CKK_GOSTR3410_512
    } else {
        CKK_GOSTR3410
    }
}

/// The parameter set named by a `CKA_GOSTR3410_PARAMS` value.
pub fn param_set_of(der_oid: &[u8]) -> Option<ParamSet> {
    ParamSet::from_oid(&oid_from_der(der_oid)?)
}

/// The parameter set of a GOST key object, checked against its key type.
pub fn key_param_set(o: &Object) -> P11Result<ParamSet> {
    let set = o
        .get(CKA_GOSTR3410_PARAMS)
        .and_then(param_set_of)
        .ok_or(CKR_KEY_TYPE_INCONSISTENT)?;
    if o.key_type() != Some(key_type_for(set.bits())) {
        return Err(CKR_KEY_TYPE_INCONSISTENT);
    }
    Ok(set)
}

/// The private key of a GOST private-key object.
pub fn signing_key(o: &Object) -> P11Result<SigningKey> {
    if o.class() != CKO_PRIVATE_KEY {
        return Err(CKR_KEY_TYPE_INCONSISTENT);
    }
    let set = key_param_set(o)?;
    SigningKey::from_bytes(set, o.get(CKA_VALUE).unwrap_or_default()).map_err(|_| CKR_GENERAL_ERROR)
}

/// The public key of a GOST public-key object.
pub fn verifying_key(o: &Object) -> P11Result<VerifyingKey> {
    if o.class() != CKO_PUBLIC_KEY {
        return Err(CKR_KEY_TYPE_INCONSISTENT);
    }
    let set = key_param_set(o)?;
    VerifyingKey::from_bytes(set, o.get(CKA_VALUE).unwrap_or_default())
        .map_err(|_| CKR_GENERAL_ERROR)
}

/// The `CKA_GOSTR3411_PARAMS` values a key of `bits` may carry; the first is the default.
pub fn hash_params_for(bits: usize) -> &'static [&'static str] {
    if bits == 512 {
        &[OID_STREEBOG_512]
    } else {
        &[OID_STREEBOG_256, OID_GOST94_CRYPTOPRO]
    }
}

/// Refuses a key whose `CKA_ALLOWED_MECHANISMS` (when not empty) omits `ty`.
pub fn check_allowed(o: &Object, ty: CK_MECHANISM_TYPE) -> P11Result {
    let allowed = o.get(CKA_ALLOWED_MECHANISMS).unwrap_or_default();
    if allowed.is_empty() {
        return Ok(());
    }
    let n = size_of::<CK_ULONG>();
    let listed = allowed
        .chunks_exact(n)
        .any(|c| crate::object::ulong_of(c) == Some(ty));
    if listed {
        Ok(())
    } else {
        Err(CKR_MECHANISM_INVALID)
    }
}

/// Data collected by a signature or verification operation.
pub enum Acc {
    /// The digest itself (no-hashing mechanisms), at most `len` bytes.
    Raw(Vec<u8>, usize),
    /// A running hash.
    Hash(Box<Hasher>),
}

impl Acc {
    /// The accumulator of a signature mechanism for a key of `bits`.
    pub fn new(bits: usize, hash: Option<HashAlg>) -> Self {
        match hash {
            Some(h) => Acc::Hash(Box::new(h.hasher())),
            None => Acc::Raw(Vec::new(), bits / 8),
        }
    }

    /// Absorbs data; a no-hashing digest longer than the key size is `CKR_DATA_LEN_RANGE`.
    pub fn update(&mut self, data: &[u8]) -> P11Result {
        match self {
            Acc::Raw(buf, len) => {
                if buf.len() + data.len() > *len {
                    return Err(CKR_DATA_LEN_RANGE);
                }
                buf.extend_from_slice(data);
            }
            Acc::Hash(h) => h.update(data),
        }
        Ok(())
    }

    /// The digest to sign; a short no-hashing digest is `CKR_DATA_LEN_RANGE`.
    pub fn finish(self) -> P11Result<Vec<u8>> {
        match self {
            Acc::Raw(buf, len) if buf.len() == len => Ok(buf),
            Acc::Raw(..) => Err(CKR_DATA_LEN_RANGE),
            Acc::Hash(h) => Ok(h.finalize()),
        }
    }
}

/// A signature operation in a session.
pub struct SignOp {
    /// The key (zeroized on drop).
    pub key: SigningKey,
    /// The data so far.
    pub acc: Acc,
    /// Whether `C_SignUpdate` was called (then only `C_SignFinal` may end it).
    pub multipart: bool,
}

/// A verification operation in a session.
pub struct VerifyOp {
    /// The public key.
    pub key: VerifyingKey,
    /// The data so far.
    pub acc: Acc,
    /// Whether `C_VerifyUpdate` was called.
    pub multipart: bool,
}

/// A digest operation in a session.
pub struct DigestOp {
    /// The running hash.
    pub hasher: Hasher,
    /// Whether `C_DigestUpdate` was called.
    pub multipart: bool,
}

/// Checks the flat parameter of a signature mechanism: none, or the DER OID of its own hash.
pub fn check_sign_param(m: &Mech, hash: Option<HashAlg>) -> P11Result {
    if m.param.is_empty() {
        return Ok(());
    }
    let want = match hash {
        Some(HashAlg::Streebog256) => OID_STREEBOG_256,
        Some(HashAlg::Streebog512) => OID_STREEBOG_512,
        Some(HashAlg::Gost94) => OID_GOST94_CRYPTOPRO,
        _ => return Err(CKR_MECHANISM_PARAM_INVALID),
    };
    if oid_from_der(&m.param).as_deref() == Some(want) {
        Ok(())
    } else {
        Err(CKR_MECHANISM_PARAM_INVALID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert_eq!(info(CKM_GOSTR3410).unwrap().flags, CKF_SIGN | CKF_VERIFY);
        assert_eq!(info(0x1234_5678).err(), Some(CKR_MECHANISM_INVALID));
        assert_eq!(sign_mech(CKM_GOSTR3410_512), Some((512, None)));
        assert!(is_derive(CKM_GOSTR3410_12_DERIVE));
    }

    #[test]
    fn raw_accumulator() {
        let mut a = Acc::new(256, None);
        a.update(&[1; 16]).unwrap();
        assert_eq!(a.update(&[1; 17]).err(), Some(CKR_DATA_LEN_RANGE));
        a.update(&[2; 16]).unwrap();
        assert_eq!(a.finish().unwrap().len(), 32);
        assert_eq!(Acc::new(512, None).finish().err(), Some(CKR_DATA_LEN_RANGE));
    }
}
