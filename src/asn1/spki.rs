//! GOST public keys as X.509 SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 4491 §2.3.2,
//! RFC 9215 §4): algorithm OID, parameters SEQUENCE {publicKeyParamSet, digestParamSet?,
//! encryptionParamSet?}, and subjectPublicKey = BIT STRING containing the DER OCTET STRING of
//! X||Y, each coordinate little-endian (RFC 9215 §4.3).
//!
//! The point is handled as raw bytes; checking that it lies on the curve belongs to the curve
//! layer.

use const_oid::ObjectIdentifier;
use der::asn1::{BitStringRef, OctetStringRef};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};

use super::error::{Asn1Error, Result};
use super::params::{KeyAlgorithm, KeyParams};
use super::pem;

/// PEM label of a SubjectPublicKeyInfo (RFC 7468 §13).
pub const PUBLIC_KEY_LABEL: &str = "PUBLIC KEY";

/// A GOST R 34.10 public key with its parameters, as found in a SubjectPublicKeyInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GostPublicKey {
    /// Key algorithm (2001, 2012-256 or 2012-512).
    pub algorithm: KeyAlgorithm,
    /// publicKeyParamSet: the curve OID, kept exactly as read (several OIDs name one curve).
    pub param_set: ObjectIdentifier,
    /// digestParamSet as read. On writing it is recomputed per RFC 9215 §4.2 (see
    /// [`GostPublicKey::to_der`]); for 2001 keys a stored value is kept.
    pub digest_param_set: Option<ObjectIdentifier>,
    /// encryptionParamSet as read (written back only for 2001 keys when not the DEFAULT).
    pub encryption_param_set: Option<ObjectIdentifier>,
    /// X||Y, each coordinate little-endian: 64 bytes (256-bit keys) or 128 bytes (512-bit).
    pub point: Vec<u8>,
}

impl GostPublicKey {
    /// Builds a key, checking the parameter set against the algorithm and the point length; the
    /// digestParamSet is set to what RFC 9215 §4.2 writes for that parameter set.
    pub fn new(algorithm: KeyAlgorithm, param_set: ObjectIdentifier, point: &[u8]) -> Result<Self> {
        let mut kp = KeyParams {
            algorithm,
            param_set,
            digest_param_set: None,
            encryption_param_set: None,
        };
        kp.check()?;
        check_point_len(algorithm, point)?;
        kp.digest_param_set = kp.digest_to_write();
        Ok(Self {
            algorithm,
            param_set,
            digest_param_set: kp.digest_param_set,
            encryption_param_set: None,
            point: point.to_vec(),
        })
    }

    /// Parses a DER SubjectPublicKeyInfo.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)?;
        let kp = KeyParams::decode(&spki.algorithm.oid, spki.algorithm.parameters)?;
        let point = decode_point(kp.algorithm, spki.subject_public_key)?.to_vec();
        Ok(Self {
            algorithm: kp.algorithm,
            param_set: kp.param_set,
            digest_param_set: kp.digest_param_set,
            encryption_param_set: kp.encryption_param_set,
            point,
        })
    }

    /// Parses a PEM `PUBLIC KEY` block (CRLF and trailing whitespace tolerated).
    pub fn from_pem(pem_text: &str) -> Result<Self> {
        let der = pem::decode_pem(pem_text.as_bytes(), PUBLIC_KEY_LABEL)?;
        Self::from_der(&der)
    }

    /// Parses either PEM (`PUBLIC KEY`) or DER.
    pub fn decode(input: &[u8]) -> Result<Self> {
        Self::from_der(&pem::decode_any(input, PUBLIC_KEY_LABEL)?)
    }

    pub(crate) fn params(&self) -> KeyParams {
        KeyParams {
            algorithm: self.algorithm,
            param_set: self.param_set,
            digest_param_set: self.digest_param_set,
            encryption_param_set: self.encryption_param_set,
        }
    }

    /// Encodes the SubjectPublicKeyInfo in DER. The parameters are written as RFC 9215 §4.2
    /// says, whatever was read: digestParamSet present (Streebog-256) for 2012-256 keys on the
    /// RFC 4357 parameter sets 1.2.643.2.2.35.x/36.x, absent for the TC26 sets; 2001 keys carry
    /// their digestParamSet (default id-GostR3411-94-CryptoProParamSet) as RFC 4491 requires.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        let kp = self.params();
        check_point_len(self.algorithm, &self.point)?;
        let inner = OctetStringRef::new(&self.point)?.to_der()?;
        let spki = SubjectPublicKeyInfo {
            algorithm: AlgorithmIdentifier {
                oid: self.algorithm.oid(),
                parameters: Some(kp.encode()?),
            },
            subject_public_key: BitStringRef::from_bytes(&inner)?,
        };
        Ok(spki.to_der()?)
    }

    /// Encodes the SubjectPublicKeyInfo as PEM `PUBLIC KEY`.
    pub fn to_pem(&self) -> Result<String> {
        let der = self.to_der()?;
        Ok(pem::encode_pem(PUBLIC_KEY_LABEL, &der)?.to_string())
    }
}

pub(crate) fn check_point_len(algorithm: KeyAlgorithm, point: &[u8]) -> Result<()> {
    if point.len() == algorithm.point_len() {
        Ok(())
    } else {
        Err(Asn1Error::PublicKeyLength {
            expected: algorithm.point_len(),
            got: point.len(),
        })
    }
}

/// Unwraps BIT STRING → OCTET STRING → X||Y and checks its length.
pub(crate) fn decode_point(algorithm: KeyAlgorithm, bits: BitStringRef<'_>) -> Result<&[u8]> {
    let raw = bits.as_bytes().ok_or(Asn1Error::BadParameters(
        "public key BIT STRING has unused bits",
    ))?;
    let point = <&OctetStringRef>::from_der(raw)?.as_bytes();
    check_point_len(algorithm, point)?;
    Ok(point)
}
