//! The error type of the curve layer (`ec`): GOST R 34.10-2012 signatures, keys and VKO.
//!
//! Messages name what failed; they never carry key material.

use core::fmt;

/// Why a curve operation (key import, signing, verification, key agreement) refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EcError {
    /// A key, digest, UKM or signature buffer of the wrong size.
    InvalidLength {
        /// What was being read (e.g. "public key", "signature").
        what: &'static str,
        /// Accepted length in bytes.
        expected: usize,
        /// Length received.
        got: usize,
    },
    /// A private key equal to zero or not below the subgroup order q.
    InvalidPrivateKey,
    /// A public key whose coordinates are not below p, that is not on the curve, or that is not
    /// in the subgroup of order q.
    InvalidPublicKey {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A signature whose r or s is not in 1..q-1.
    MalformedSignature,
    /// The signature does not match the key and digest.
    VerificationFailed,
    /// The parameter set is unknown or unsuitable for the operation.
    UnsupportedParamSet {
        /// The OID or name given, or a description of the mismatch.
        what: &'static str,
    },
    /// The operating system's random source failed.
    RandomSourceFailed,
    /// The device holding the key (a PKCS#11 token) refused or failed the operation.
    Device {
        /// What failed (the PKCS#11 function and its return value).
        what: String,
    },
}

impl EcError {
    /// The library-wide kind of this error (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::InvalidLength { .. } => K::InvalidLength,
            Self::InvalidPrivateKey | Self::InvalidPublicKey { .. } => K::InvalidKey,
            Self::MalformedSignature | Self::VerificationFailed => K::BadSignature,
            Self::UnsupportedParamSet { .. } => K::Unsupported,
            Self::RandomSourceFailed => K::RandomFailed,
            Self::Device { .. } => K::Io,
        }
    }
}

impl fmt::Display for EcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidLength {
                what,
                expected,
                got,
            } => write!(f, "ec: {what} must be {expected} bytes, got {got}"),
            Self::InvalidPrivateKey => f.write_str("ec: private key is zero or not below q"),
            Self::InvalidPublicKey { reason } => write!(f, "ec: invalid public key: {reason}"),
            Self::MalformedSignature => f.write_str("ec: signature r or s is not in 1..q-1"),
            Self::VerificationFailed => f.write_str("ec: signature verification failed"),
            Self::UnsupportedParamSet { what } => {
                write!(f, "ec: unsupported parameter set: {what}")
            }
            Self::RandomSourceFailed => f.write_str("ec: operating-system random source failed"),
            Self::Device { what } => write!(f, "ec: the token failed the operation: {what}"),
        }
    }
}

impl std::error::Error for EcError {}
