//! The error type of the primitives layer (hashes, MACs, KDFs, ciphers and their modes).
//!
//! Messages name what failed and never carry secret material.

use core::fmt;

/// Why a primitive operation (hash, MAC, KDF, cipher, mode) refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CryptoError {
    /// A key of the wrong size was given.
    InvalidKeyLength {
        /// Algorithm or operation that rejected the key.
        alg: &'static str,
        /// Accepted length in bytes.
        expected: usize,
        /// Length received.
        got: usize,
    },
    /// An IV, nonce, synchro-message or UKM of an unacceptable size.
    InvalidIvLength {
        /// Algorithm or mode that rejected it.
        alg: &'static str,
        /// Short description of the accepted length(s).
        expected: &'static str,
        /// Length received.
        got: usize,
    },
    /// A data buffer of an unacceptable length (e.g. not a whole number of blocks).
    InvalidDataLength {
        /// Algorithm or mode that rejected it.
        alg: &'static str,
        /// Short description of the accepted length(s).
        expected: &'static str,
        /// Length received.
        got: usize,
    },
    /// A parameter outside its allowed range (section size, tag length, iteration count…).
    InvalidParameter {
        /// Algorithm or operation.
        alg: &'static str,
        /// What is wrong with the parameter.
        detail: &'static str,
    },
    /// Padding could not be removed: the data was not padded with the expected procedure.
    InvalidPadding {
        /// Padding procedure.
        alg: &'static str,
    },
    /// A MAC, authentication tag or key-wrap check value did not match. No plaintext is released.
    AuthenticationFailed {
        /// Algorithm whose check failed.
        alg: &'static str,
    },
    /// The key-stream or counter space of a mode would be exhausted by this much data.
    DataLimitExceeded {
        /// Mode that hit its limit.
        alg: &'static str,
    },
}

impl CryptoError {
    /// The library-wide kind of this error (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::InvalidKeyLength { .. }
            | Self::InvalidIvLength { .. }
            | Self::InvalidDataLength { .. } => K::InvalidLength,
            Self::InvalidParameter { .. } => K::InvalidArgument,
            Self::InvalidPadding { .. } => K::InvalidPadding,
            Self::AuthenticationFailed { .. } => K::AuthFailed,
            Self::DataLimitExceeded { .. } => K::DataLimitExceeded,
        }
    }
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidKeyLength { alg, expected, got } => {
                write!(f, "{alg}: key must be {expected} bytes, got {got}")
            }
            Self::InvalidIvLength { alg, expected, got } => {
                write!(f, "{alg}: IV/nonce must be {expected}, got {got} bytes")
            }
            Self::InvalidDataLength { alg, expected, got } => {
                write!(f, "{alg}: data length must be {expected}, got {got} bytes")
            }
            Self::InvalidParameter { alg, detail } => {
                write!(f, "{alg}: invalid parameter: {detail}")
            }
            Self::InvalidPadding { alg } => write!(f, "{alg}: invalid padding"),
            Self::AuthenticationFailed { alg } => {
                write!(f, "{alg}: authentication failed (MAC/tag mismatch)")
            }
            Self::DataLimitExceeded { alg } => write!(f, "{alg}: data limit of the mode exceeded"),
        }
    }
}

impl std::error::Error for CryptoError {}

/// Checks a key length, returning the layer's error naming `alg`.
pub(crate) fn check_key_len(
    alg: &'static str,
    key: &[u8],
    expected: usize,
) -> Result<(), CryptoError> {
    if key.len() == expected {
        Ok(())
    } else {
        Err(CryptoError::InvalidKeyLength {
            alg,
            expected,
            got: key.len(),
        })
    }
}
