//! The error type of the keys/ASN.1 layer. Messages name what failed and never carry key bytes.

use core::fmt;

use const_oid::ObjectIdentifier;

/// Why a GOST key encoding (SubjectPublicKeyInfo, PKCS#8, PEM) was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Asn1Error {
    /// The DER structure is malformed (truncated, wrong tag, bad length, trailing data…).
    Der(der::Error),
    /// The input looked like PEM but could not be decoded (no END line, bad base64…).
    Pem(&'static str),
    /// The PEM block has another label than the one expected.
    PemLabel {
        /// Label wanted (e.g. `PRIVATE KEY`).
        expected: &'static str,
    },
    /// The key algorithm OID is not a GOST R 34.10 one.
    UnknownAlgorithm(ObjectIdentifier),
    /// The publicKeyParamSet is unknown, or not allowed for the key algorithm.
    UnknownParamSet {
        /// Key algorithm it was found with.
        algorithm: &'static str,
        /// The parameter-set OID.
        oid: ObjectIdentifier,
    },
    /// The AlgorithmIdentifier parameters are absent or not a SEQUENCE of 1 to 3 OIDs.
    BadParameters(&'static str),
    /// The public key has the wrong size for its algorithm.
    PublicKeyLength {
        /// Accepted length in bytes (X||Y).
        expected: usize,
        /// Length received.
        got: usize,
    },
    /// The private key has the wrong size or none of the known forms.
    PrivateKeyFormat(&'static str),
    /// The key is well encoded but not a valid key of its curve (scalar 0 or ≥ q, point off the
    /// curve or outside the subgroup).
    Key(crate::ec::EcError),
    /// The password does not decrypt the key (or the encrypted key is corrupted).
    WrongPassword,
    /// An encrypted key needs a password and none was given.
    PasswordRequired,
    /// The key-encryption scheme (PBES2 cipher, PRF or iteration count) is not supported.
    UnsupportedEncryption(&'static str),
    /// The PBKDF2 iteration count exceeds the caller's cap (refused before any derivation).
    IterationCap {
        /// The file's count.
        count: u32,
        /// The cap in force.
        cap: u32,
    },
}

impl Asn1Error {
    /// The library-wide kind of this error (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::Der(_)
            | Self::Pem(_)
            | Self::PemLabel { .. }
            | Self::BadParameters(_)
            | Self::PublicKeyLength { .. }
            | Self::PrivateKeyFormat(_) => K::Malformed,
            Self::UnknownAlgorithm(_)
            | Self::UnknownParamSet { .. }
            | Self::UnsupportedEncryption(_)
            | Self::IterationCap { .. } => K::Unsupported,
            Self::Key(e) => e.kind(),
            Self::WrongPassword => K::WrongPassword,
            Self::PasswordRequired => K::PasswordRequired,
        }
    }
}

impl fmt::Display for Asn1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Der(e) => write!(f, "malformed DER: {e}"),
            Self::Pem(what) => write!(f, "malformed PEM: {what}"),
            Self::PemLabel { expected } => write!(f, "PEM label is not \"{expected}\""),
            Self::UnknownAlgorithm(oid) => write!(f, "not a GOST R 34.10 key algorithm: {oid}"),
            Self::UnknownParamSet { algorithm, oid } => {
                write!(f, "{algorithm}: unknown or disallowed parameter set {oid}")
            }
            Self::BadParameters(what) => write!(f, "GOST key parameters: {what}"),
            Self::PublicKeyLength { expected, got } => {
                write!(f, "GOST public key must be {expected} bytes, got {got}")
            }
            Self::PrivateKeyFormat(what) => write!(f, "GOST private key: {what}"),
            Self::Key(e) => write!(f, "GOST key: {e}"),
            Self::WrongPassword => write!(f, "wrong password (or corrupted encrypted key)"),
            Self::PasswordRequired => write!(f, "the key is encrypted: a password is required"),
            Self::UnsupportedEncryption(what) => write!(f, "unsupported key encryption: {what}"),
            Self::IterationCap { count, cap } => write!(
                f,
                "PBKDF2 iteration count {count} exceeds the cap {cap} (raise it with --max-iterations / the max_iterations argument if the file is trusted)"
            ),
        }
    }
}

impl std::error::Error for Asn1Error {}

impl From<der::Error> for Asn1Error {
    fn from(e: der::Error) -> Self {
        Self::Der(e)
    }
}

/// Result of the keys/ASN.1 layer.
pub type Result<T> = core::result::Result<T, Asn1Error>;
