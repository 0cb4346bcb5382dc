//! Glue between the key encodings and the curve layer: PKCS#8 ([`GostPrivateKey`]) ↔
//! [`SigningKey`] and SubjectPublicKeyInfo ([`GostPublicKey`]) ↔ [`VerifyingKey`]. A key keeps the
//! parameter-set OID it was read with (a key read under XchA is written back under XchA), and
//! masked private keys are unmasked here (key·mask1·…·maskN mod q, R 1323565.1.024-2019).

use const_oid::ObjectIdentifier;
use zeroize::Zeroizing;

use super::error::{Asn1Error, Result};
use super::params::KeyAlgorithm;
use super::pkcs8::GostPrivateKey;
use super::spki::GostPublicKey;
use crate::ec::{ParamSet, SigningKey, VerifyingKey};

/// The curve-layer parameter set named by `oid`, checked against the key algorithm.
pub fn param_set_for(algorithm: KeyAlgorithm, oid: &ObjectIdentifier) -> Result<ParamSet> {
    let set = ParamSet::from_oid(&oid.to_string())
        .filter(|s| s.bits() == algorithm.scalar_len() * 8)
        .ok_or(Asn1Error::UnknownParamSet {
            algorithm: algorithm.name(),
            oid: *oid,
        })?;
    Ok(set)
}

/// The GOST R 34.10-2012 key algorithm of a parameter set's size (new keys are always 2012 keys).
pub fn algorithm_for(set: ParamSet) -> KeyAlgorithm {
    if set.bits() == 512 {
        KeyAlgorithm::Gost2012_512
    } else {
        KeyAlgorithm::Gost2012_256
    }
}

fn set_oid(set: ParamSet) -> Result<ObjectIdentifier> {
    ObjectIdentifier::new(set.oid()).map_err(|_| Asn1Error::BadParameters("parameter-set OID"))
}

impl GostPrivateKey {
    /// The signing key this PKCS#8 key holds (unmasked when masked), on the parameter set it
    /// names. Fails if the scalar is 0 or not below q, or the parameter set is unknown.
    pub fn to_signing_key(&self) -> Result<SigningKey> {
        let set = param_set_for(self.algorithm, &self.param_set)?;
        let key = if self.is_masked() {
            let masks: Vec<&[u8]> = self.masks.iter().map(|m| m.as_slice()).collect();
            SigningKey::from_masked(set, &self.key, &masks)
        } else {
            SigningKey::from_bytes(set, &self.key)
        };
        key.map_err(Asn1Error::Key)
    }

    /// The RFC 9215 PKCS#8 form of a signing key (GOST R 34.10-2012 algorithm, the key's OID).
    pub fn from_signing_key(key: &SigningKey) -> Result<Self> {
        let set = key.param_set();
        Self::new(algorithm_for(set), set_oid(set)?, &key.to_bytes())
    }
}

impl GostPublicKey {
    /// The verifying key of this SubjectPublicKeyInfo: the point is checked to be on the curve
    /// and in the subgroup of order q.
    pub fn to_verifying_key(&self) -> Result<VerifyingKey> {
        let set = param_set_for(self.algorithm, &self.param_set)?;
        VerifyingKey::from_bytes(set, &self.point).map_err(Asn1Error::Key)
    }

    /// The SubjectPublicKeyInfo of a verifying key (GOST R 34.10-2012 algorithm, the key's OID).
    pub fn from_verifying_key(key: &VerifyingKey) -> Result<Self> {
        let set = key.param_set();
        Self::new(algorithm_for(set), set_oid(set)?, key.as_bytes())
    }
}

// The RustCrypto key-encoding traits, for Rust users who expect them: `pkcs8::DecodePrivateKey`
// / `EncodePrivateKey` on `SigningKey` and `spki::DecodePublicKey` / `EncodePublicKey` on
// `VerifyingKey`, with exactly the RFC 9215 encodings of `GostPrivateKey` / `GostPublicKey`.

impl TryFrom<pkcs8::PrivateKeyInfoRef<'_>> for SigningKey {
    type Error = pkcs8::Error;
    fn try_from(info: pkcs8::PrivateKeyInfoRef<'_>) -> core::result::Result<Self, Self::Error> {
        let der = Zeroizing::new(der::Encode::to_der(&info).map_err(pkcs8::Error::Asn1)?);
        GostPrivateKey::from_der(&der)
            .and_then(|k| k.to_signing_key())
            .map_err(|_| pkcs8::Error::KeyMalformed(pkcs8::KeyError::Invalid))
    }
}

impl pkcs8::EncodePrivateKey for SigningKey {
    fn to_pkcs8_der(&self) -> pkcs8::Result<der::SecretDocument> {
        let der = GostPrivateKey::from_signing_key(self)
            .and_then(|k| k.to_der())
            .map_err(|_| pkcs8::Error::KeyMalformed(pkcs8::KeyError::Invalid))?;
        der::SecretDocument::try_from(der.as_slice()).map_err(pkcs8::Error::Asn1)
    }
}

impl TryFrom<spki::SubjectPublicKeyInfoRef<'_>> for VerifyingKey {
    type Error = spki::Error;
    fn try_from(
        info: spki::SubjectPublicKeyInfoRef<'_>,
    ) -> core::result::Result<Self, Self::Error> {
        let der = der::Encode::to_der(&info).map_err(spki::Error::Asn1)?;
        GostPublicKey::from_der(&der)
            .and_then(|k| k.to_verifying_key())
            .map_err(|_| spki::Error::KeyMalformed)
    }
}

impl spki::EncodePublicKey for VerifyingKey {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        let der = GostPublicKey::from_verifying_key(self)
            .and_then(|k| k.to_der())
            .map_err(|_| spki::Error::KeyMalformed)?;
        der::Document::try_from(der.as_slice()).map_err(spki::Error::Asn1)
    }
}
