//! The error type of the PKI layer (certificates, requests, CRLs, stores, path validation, PFX).
//! Messages name what failed and never carry key bytes or passwords.

use core::fmt;

use const_oid::ObjectIdentifier;

use crate::asn1::Asn1Error;

/// Why a certificate, request, CRL or PFX operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum X509Error {
    /// The DER structure is malformed (truncated, wrong tag, bad length, trailing data…).
    Der(der::Error),
    /// A key encoding inside the structure was refused (SubjectPublicKeyInfo, PKCS#8, PEM).
    Asn1(Asn1Error),
    /// The signature algorithm OID is not a GOST R 34.10 one gostkit verifies.
    UnsupportedSignatureAlgorithm(ObjectIdentifier),
    /// The signature algorithm does not fit the signer's key (e.g. a 512-bit hash with a
    /// 256-bit key).
    AlgorithmMismatch(&'static str),
    /// The signature does not verify.
    BadSignature,
    /// The input is well formed but not something gostkit handles.
    Unsupported(&'static str),
    /// A value is well encoded but not valid where it stands (e.g. an empty serial).
    Invalid(&'static str),
    /// An option given by the caller cannot be honoured (e.g. an empty validity window when
    /// issuing).
    InvalidOption(&'static str),
    /// The private key does not belong to the certificate.
    KeyMismatch,
    /// The password is wrong, or the container's MAC does not verify. For a PFX this is the
    /// MAC step: the MAC key derived from the password does not verify the authSafe.
    WrongPassword,
    /// A PFX bag does not decrypt with the password. [`super::pfx::import`] checks the PFX MAC
    /// first, so this comes after the MAC verified with the same password: the bag was
    /// encrypted with another password, is corrupted, or uses parameters gostkit reads
    /// differently. Same kind as [`Self::WrongPassword`], distinct message.
    BagDecryption {
        /// Which bag.
        bag: PfxBag,
        /// What failed (padding, the decrypted structure, an inner MAC).
        why: &'static str,
        /// Whether the PFX MAC had verified with the same password before.
        mac_verified: bool,
    },
}

/// The bag of a PFX that failed to decrypt ([`X509Error::BagDecryption`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PfxBag {
    /// A pkcs8ShroudedKeyBag (PBES2 or the CryptoPro key-bag PBE).
    Key,
    /// An EncryptedData SafeContents (usually the certificate bags).
    EncryptedContents,
}

impl fmt::Display for PfxBag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Key => "key bag",
            Self::EncryptedContents => "encrypted SafeContents (certificate bags)",
        })
    }
}

impl X509Error {
    /// The library-wide kind of this error (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::Der(_) | Self::Invalid(_) => K::Malformed,
            Self::Asn1(e) => e.kind(),
            Self::UnsupportedSignatureAlgorithm(_) | Self::Unsupported(_) => K::Unsupported,
            // A signature algorithm that does not fit the key cannot verify.
            Self::BadSignature | Self::AlgorithmMismatch(_) => K::BadSignature,
            Self::KeyMismatch => K::KeyMismatch,
            Self::InvalidOption(_) => K::InvalidArgument,
            Self::WrongPassword | Self::BagDecryption { .. } => K::WrongPassword,
        }
    }
}

impl fmt::Display for X509Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Der(e) => write!(f, "malformed DER: {e}"),
            Self::Asn1(e) => write!(f, "{e}"),
            Self::UnsupportedSignatureAlgorithm(oid) => {
                write!(f, "unsupported signature algorithm {oid}")
            }
            Self::AlgorithmMismatch(what) => write!(f, "signature algorithm mismatch: {what}"),
            Self::BadSignature => write!(f, "signature does not verify"),
            Self::Unsupported(what) => write!(f, "unsupported: {what}"),
            Self::Invalid(what) => write!(f, "invalid: {what}"),
            Self::InvalidOption(what) => write!(f, "invalid option: {what}"),
            Self::KeyMismatch => write!(f, "the private key does not belong to the certificate"),
            Self::WrongPassword => write!(
                f,
                "wrong password (PFX MAC verification failed: the MAC does not verify with it, or the file was altered)"
            ),
            Self::BagDecryption {
                bag,
                why,
                mac_verified,
            } => {
                write!(f, "PFX {bag} decryption failed: {why}")?;
                if *mac_verified {
                    write!(
                        f,
                        " (the PFX MAC verified with this password: the bag has another password, is corrupted, or uses parameters gostkit reads differently)"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for X509Error {}

impl From<der::Error> for X509Error {
    fn from(e: der::Error) -> Self {
        Self::Der(e)
    }
}

impl From<Asn1Error> for X509Error {
    fn from(e: Asn1Error) -> Self {
        match e {
            Asn1Error::Der(d) => Self::Der(d),
            Asn1Error::WrongPassword => Self::WrongPassword,
            other => Self::Asn1(other),
        }
    }
}

impl From<crate::ec::EcError> for X509Error {
    fn from(e: crate::ec::EcError) -> Self {
        Self::Asn1(Asn1Error::Key(e))
    }
}

/// Result of the PKI layer.
pub type Result<T> = core::result::Result<T, X509Error>;
