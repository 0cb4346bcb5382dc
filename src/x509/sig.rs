//! GOST signature algorithms of X.509 structures (RFC 9215 §3.1, RFC 4491 §2.2.2): which hash goes
//! with which key, and signing/verifying the DER of a to-be-signed structure. The signature value
//! is `s || r`, big-endian, as the BIT STRING of a certificate, request or CRL carries it.

use const_oid::ObjectIdentifier;
use der::asn1::AnyRef;
use der::{Tag, Tagged};
use spki::AlgorithmIdentifierOwned;

use super::error::{Result, X509Error};
use crate::ec::{EcError, SignDigest, VerifyingKey};
use crate::oid;

/// A GOST signature algorithm as named in an AlgorithmIdentifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// id-tc26-signwithdigest-gost3410-12-256: Streebog-256 with a 256-bit key.
    Gost2012_256,
    /// id-tc26-signwithdigest-gost3410-12-512: Streebog-512 with a 512-bit key.
    Gost2012_512,
    /// id-GostR3411-94-with-GostR3410-2001: GOST R 34.11-94 (CryptoPro) with a 256-bit key.
    Gost2001,
}

impl SignatureAlgorithm {
    /// The algorithm named by an AlgorithmIdentifier OID. Besides the sign-with-digest OIDs this
    /// accepts the key OIDs 1.2.643.7.1.1.1.1/.2 and 1.2.643.2.2.19, which gost-engine writes as
    /// the signatureAlgorithm of a CMS SignerInfo.
    pub fn from_oid(o: &ObjectIdentifier) -> Result<Self> {
        match *o {
            oid::SIGN_WITH_STREEBOG_256 | oid::GOSTR3410_2012_256 => Ok(Self::Gost2012_256),
            oid::SIGN_WITH_STREEBOG_512 | oid::GOSTR3410_2012_512 => Ok(Self::Gost2012_512),
            oid::SIGN_GOSTR3411_94_WITH_GOSTR3410_2001 | oid::GOSTR3410_2001 => Ok(Self::Gost2001),
            other => Err(X509Error::UnsupportedSignatureAlgorithm(other)),
        }
    }

    /// The sign-with-digest OID gostkit writes.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Gost2012_256 => oid::SIGN_WITH_STREEBOG_256,
            Self::Gost2012_512 => oid::SIGN_WITH_STREEBOG_512,
            Self::Gost2001 => oid::SIGN_GOSTR3411_94_WITH_GOSTR3410_2001,
        }
    }

    /// The GOST R 34.10-2012 algorithm of a signing key's size (new signatures are 2012 ones).
    pub fn for_key_bits(bits: usize) -> Self {
        if bits == 512 {
            Self::Gost2012_512
        } else {
            Self::Gost2012_256
        }
    }

    /// The AlgorithmIdentifier gostkit writes: the OID with parameters absent (RFC 9215 §3.1).
    pub fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// Key size in bits this algorithm signs with.
    pub fn key_bits(self) -> usize {
        match self {
            Self::Gost2012_512 => 512,
            _ => 256,
        }
    }

    /// Parses an AlgorithmIdentifier: a known OID with parameters absent or NULL.
    pub fn from_identifier(oid: &ObjectIdentifier, parameters: Option<AnyRef<'_>>) -> Result<Self> {
        let alg = Self::from_oid(oid)?;
        match parameters {
            None => Ok(alg),
            Some(p) if p.tag() == Tag::Null && p.value().is_empty() => Ok(alg),
            Some(_) => Err(X509Error::Invalid("signature algorithm parameters")),
        }
    }

    /// Verifies `signature` (`s || r`) over `message` with `key`.
    pub fn verify(self, key: &VerifyingKey, message: &[u8], signature: &[u8]) -> Result<()> {
        if key.param_set().bits() != self.key_bits() {
            return Err(X509Error::AlgorithmMismatch(
                "the hash size does not match the key size",
            ));
        }
        let r = match self {
            Self::Gost2001 => key.verify_gost2001(message, signature),
            _ => key.verify(message, signature),
        };
        r.map_err(|e| match e {
            EcError::VerificationFailed
            | EcError::MalformedSignature
            | EcError::InvalidLength { .. } => X509Error::BadSignature,
            other => other.into(),
        })
    }
}

/// Signs `message` with `key` using the GOST R 34.10-2012 algorithm of the key's size; returns
/// the AlgorithmIdentifier and the signature value (`s || r`).
/// Any [`SignDigest`] key signs (in memory, in a container, on a token).
pub fn sign(key: &dyn SignDigest, message: &[u8]) -> Result<(AlgorithmIdentifierOwned, Vec<u8>)> {
    let alg = SignatureAlgorithm::for_key_bits(key.param_set().bits());
    let sig = key.sign_message(message)?;
    Ok((alg.identifier(), sig.to_vec()))
}
