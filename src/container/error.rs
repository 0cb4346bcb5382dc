//! The error type of the CryptoPro container reader and writer. Messages name the file and what
//! failed; they never carry key bytes, masks or PINs.

use core::fmt;

use const_oid::ObjectIdentifier;

/// Why a CryptoPro CSP key container could not be read, unlocked or written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContainerError {
    /// A container file could not be read or written.
    Io {
        /// The file (`header.key`, …) or directory.
        file: String,
        /// What the operating system said.
        kind: std::io::ErrorKind,
    },
    /// A required file is absent (`header.key`, `primary.key` or `masks.key`).
    MissingFile(&'static str),
    /// A file is larger than any container file can be.
    TooLarge {
        /// The file.
        file: &'static str,
        /// Its size cap in bytes.
        limit: usize,
    },
    /// The DER of a file is malformed (truncated, bad length, trailing data…).
    Der {
        /// The file.
        file: &'static str,
        /// The decoder's error.
        error: der::Error,
    },
    /// The DER is well formed but does not have the structure of the file.
    Malformed {
        /// The file.
        file: &'static str,
        /// What is wrong.
        what: &'static str,
    },
    /// The key algorithm OID is not one a container may hold.
    UnknownAlgorithm(ObjectIdentifier),
    /// The curve OID is unknown or does not fit the key algorithm.
    UnknownCurve(ObjectIdentifier),
    /// The container uses a feature gostkit does not handle.
    Unsupported(&'static str),
    /// A MAC or check value over container data does not match: the file was altered.
    Integrity {
        /// The file.
        file: &'static str,
        /// Which check failed.
        what: &'static str,
    },
    /// The PIN does not unlock the key (the fingerprint of the decrypted key differs).
    WrongPin,
    /// The container is protected by a PIN and none was given.
    PinRequired,
    /// The decrypted or given key is not a valid key of its curve.
    Key(crate::ec::EcError),
    /// The stored certificate's public key is not the container's key.
    CertificateMismatch,
    /// The key is marked non-exportable (pkaExportable is not set).
    NotExportable,
    /// An argument given to the writer is out of range (a name that is not IA5, a key of the
    /// wrong size for the algorithm…).
    InvalidArgument(&'static str),
    /// The random source failed.
    RandomFailed,
}

impl ContainerError {
    /// The library-wide kind of this error (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::Io { .. } | Self::MissingFile(_) => K::Io,
            Self::TooLarge { .. } | Self::Der { .. } | Self::Malformed { .. } => K::Malformed,
            Self::UnknownAlgorithm(_) | Self::UnknownCurve(_) | Self::Unsupported(_) => {
                K::Unsupported
            }
            Self::Integrity { .. } => K::AuthFailed,
            Self::WrongPin => K::WrongPassword,
            Self::PinRequired => K::PasswordRequired,
            Self::Key(e) => e.kind(),
            Self::CertificateMismatch => K::KeyMismatch,
            Self::NotExportable => K::Unsupported,
            Self::InvalidArgument(_) => K::InvalidArgument,
            Self::RandomFailed => K::RandomFailed,
        }
    }

    pub(crate) fn io(file: impl Into<String>, e: &std::io::Error) -> Self {
        Self::Io {
            file: file.into(),
            kind: e.kind(),
        }
    }
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { file, kind } => write!(f, "container: {file}: {kind}"),
            Self::MissingFile(file) => write!(f, "container: {file} is missing"),
            Self::TooLarge { file, limit } => {
                write!(f, "container: {file} is larger than {limit} bytes")
            }
            Self::Der { file, error } => write!(f, "container: {file}: malformed DER: {error}"),
            Self::Malformed { file, what } => write!(f, "container: {file}: {what}"),
            Self::UnknownAlgorithm(oid) => {
                write!(f, "container: not a GOST R 34.10 key algorithm: {oid}")
            }
            Self::UnknownCurve(oid) => {
                write!(f, "container: unknown or disallowed parameter set {oid}")
            }
            Self::Unsupported(what) => write!(f, "container: unsupported: {what}"),
            Self::Integrity { file, what } => {
                write!(f, "container: {file}: {what} does not match (file altered)")
            }
            Self::WrongPin => f.write_str("container: wrong PIN"),
            Self::PinRequired => f.write_str("container: the key is protected by a PIN"),
            Self::Key(e) => write!(f, "container: {e}"),
            Self::CertificateMismatch => {
                f.write_str("container: the stored certificate is not for the container's key")
            }
            Self::NotExportable => f.write_str("container: the key is marked non-exportable"),
            Self::InvalidArgument(what) => write!(f, "container: {what}"),
            Self::RandomFailed => f.write_str("container: the random source failed"),
        }
    }
}

impl std::error::Error for ContainerError {}

impl From<crate::ec::EcError> for ContainerError {
    fn from(e: crate::ec::EcError) -> Self {
        match e {
            crate::ec::EcError::RandomSourceFailed => Self::RandomFailed,
            other => Self::Key(other),
        }
    }
}
