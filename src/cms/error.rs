//! The error type of the CMS layer. Messages name what failed and never carry keys or plaintext.

use core::fmt;

use const_oid::ObjectIdentifier;

use crate::asn1::Asn1Error;
use crate::x509::X509Error;

/// Why a CMS message could not be made, verified or opened.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmsError {
    /// The BER/DER structure is malformed or truncated.
    Der(der::Error),
    /// A key encoding was refused.
    Asn1(Asn1Error),
    /// A certificate problem (parse, signature, path validation).
    X509(X509Error),
    /// A primitive refused its input (key or IV length, data limit…).
    Crypto(crate::CryptoError),
    /// An algorithm or content type gostkit does not handle.
    UnsupportedAlgorithm(ObjectIdentifier),
    /// The message is well formed but not something gostkit handles.
    Unsupported(&'static str),
    /// A field holds a value that is not allowed where it stands.
    Invalid(&'static str),
    /// The signer's certificate is neither in the message nor among those given.
    SignerNotFound,
    /// The content's digest differs from the signed messageDigest attribute.
    DigestMismatch,
    /// The contentType attribute differs from the encapsulated content type.
    ContentTypeMismatch,
    /// The signature does not verify with the signer's key.
    BadSignature,
    /// A detached signature was checked without its content.
    ContentMissing,
    /// None of the given keys is a recipient of the message.
    NotARecipient,
    /// The content MAC does not verify (tampered message or wrong key).
    MacMismatch,
    /// The private key does not belong to the certificate given with it.
    KeyMismatch,
    /// The signer's certificate chain does not validate.
    Chain(crate::x509::path::PathError),
    /// The signer's certificate may not sign documents: its keyUsage has neither
    /// digitalSignature nor nonRepudiation, or its extKeyUsage names only purposes other than
    /// document signing (serverAuth, timeStamping, OCSPSigning).
    SignerKeyUsage,
    /// The message has more SignerInfos than the verification options allow.
    TooManySigners {
        /// SignerInfos in the message.
        count: usize,
        /// The limit ([`crate::cms::signed::VerifyOptions::max_signers`]).
        cap: usize,
    },
    /// A signing-certificate (v1 or v2) signed attribute names another certificate than the
    /// one that verifies the signature (hash, issuer or serial differ).
    SigningCertificateMismatch,
    /// The TSA refused the request (RFC 3161 §2.4.2): its status, failure information and
    /// text.
    TimeStampRejected {
        /// PKIStatus (rejection, waiting, revocationWarning, revocationNotification).
        status: crate::cms::tsp::PkiStatus,
        /// PKIFailureInfo bits (empty when the TSA gave none).
        fail_info: crate::cms::tsp::FailureInfo,
        /// The statusString, lines joined with "; ", when given.
        text: Option<String>,
    },
    /// The time-stamp's messageImprint is not the hash of the data (or uses another hash
    /// algorithm than the request).
    ImprintMismatch,
    /// The time-stamp's nonce differs from the request's (or is missing): not the answer to
    /// this request.
    NonceMismatch,
    /// The time-stamp was issued under another policy than the one requested.
    PolicyMismatch,
    /// The TSA's certificate may not issue time-stamps (RFC 3161 §2.3: extKeyUsage must be
    /// critical and hold only id-kp-timeStamping), or does not match the token's tsa name.
    TsaCertificate(&'static str),
    /// A streamed content source ended before the length announced for it (the length is
    /// written into the message before the content, RFC 5652 §6.1 with definite lengths).
    ContentLength {
        /// The length announced.
        expected: u64,
        /// The bytes the source gave.
        got: u64,
    },
    /// CAdES-X L1 validation data is inconsistent (ETSI TS 101 733 §6.2-6.3): a certificate
    /// or revocation reference whose hash matches no embedded value, a missing or duplicated
    /// references attribute, or a CAdES-C time-stamp older than the signature time-stamp.
    ValidationData(&'static str),
    /// The message has more RecipientInfos than the decryption options allow.
    TooManyRecipients {
        /// RecipientInfos in the message.
        count: usize,
        /// The limit ([`crate::cms::enveloped::DecryptOptions::max_recipients`]).
        cap: usize,
    },
}

impl CmsError {
    /// The library-wide kind of this error (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::Der(_) | Self::Invalid(_) => K::Malformed,
            Self::Asn1(e) => e.kind(),
            Self::X509(e) => e.kind(),
            Self::Crypto(e) => e.kind(),
            Self::UnsupportedAlgorithm(_) | Self::Unsupported(_) => K::Unsupported,
            Self::SignerNotFound => K::SignerNotFound,
            Self::DigestMismatch => K::DigestMismatch,
            Self::ContentTypeMismatch => K::ContentTypeMismatch,
            Self::BadSignature => K::BadSignature,
            Self::ContentMissing => K::ContentMissing,
            Self::NotARecipient => K::NotARecipient,
            Self::MacMismatch => K::AuthFailed,
            Self::KeyMismatch => K::KeyMismatch,
            Self::Chain(e) => e.kind.kind(),
            Self::SignerKeyUsage => K::KeyUsage,
            Self::TooManySigners { .. } | Self::TooManyRecipients { .. } => K::DataLimitExceeded,
            Self::SigningCertificateMismatch => K::SignerNotFound,
            Self::TimeStampRejected { fail_info, .. } => fail_info.kind(),
            Self::ImprintMismatch => K::DigestMismatch,
            // The response does not authenticate as the answer to this request.
            Self::NonceMismatch | Self::PolicyMismatch => K::AuthFailed,
            Self::TsaCertificate(_) => K::ExtKeyUsage,
            Self::ContentLength { .. } => K::InvalidArgument,
            Self::ValidationData(_) => K::DigestMismatch,
        }
    }
}

impl fmt::Display for CmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Der(e) => write!(f, "malformed CMS: {e}"),
            Self::Asn1(e) => write!(f, "{e}"),
            Self::X509(e) => write!(f, "{e}"),
            Self::Crypto(e) => write!(f, "{e}"),
            Self::UnsupportedAlgorithm(oid) => write!(f, "unsupported algorithm {oid}"),
            Self::Unsupported(what) => write!(f, "unsupported: {what}"),
            Self::Invalid(what) => write!(f, "invalid CMS: {what}"),
            Self::SignerNotFound => write!(f, "signer certificate not found"),
            Self::DigestMismatch => write!(f, "content does not match the signed message digest"),
            Self::ContentTypeMismatch => {
                write!(f, "contentType attribute does not match the content")
            }
            Self::BadSignature => write!(f, "signature does not verify"),
            Self::ContentMissing => write!(f, "detached signature checked without its content"),
            Self::NotARecipient => write!(f, "not a recipient of the message"),
            Self::MacMismatch => write!(f, "content MAC does not verify"),
            Self::KeyMismatch => write!(f, "the private key does not belong to the certificate"),
            Self::Chain(e) => write!(f, "{e}"),
            Self::TooManySigners { count, cap } => {
                write!(f, "{count} signers, more than the limit of {cap}")
            }
            Self::ContentLength { expected, got } => write!(
                f,
                "the content source ended after {got} of the {expected} bytes announced"
            ),
            Self::TooManyRecipients { count, cap } => {
                write!(f, "{count} recipients, more than the limit of {cap}")
            }
            Self::SigningCertificateMismatch => write!(
                f,
                "the signing-certificate attribute names another certificate than the signer's"
            ),
            Self::TimeStampRejected {
                status,
                fail_info,
                text,
            } => {
                write!(f, "the TSA answered {}", status.name())?;
                let names = fail_info.names();
                if !names.is_empty() {
                    write!(f, " ({})", names.join(", "))?;
                }
                if let Some(t) = text {
                    write!(f, ": {t}")?;
                }
                Ok(())
            }
            Self::ImprintMismatch => {
                write!(f, "the time-stamp's message imprint is not the data's hash")
            }
            Self::NonceMismatch => write!(f, "the time-stamp's nonce is not the request's"),
            Self::PolicyMismatch => {
                write!(f, "the time-stamp's policy is not the one requested")
            }
            Self::TsaCertificate(why) => write!(f, "TSA certificate: {why}"),
            Self::ValidationData(why) => write!(f, "CAdES-X validation data: {why}"),
            Self::SignerKeyUsage => {
                write!(
                    f,
                    "the signer's certificate key usage does not allow signing"
                )
            }
        }
    }
}

impl std::error::Error for CmsError {}

impl From<der::Error> for CmsError {
    fn from(e: der::Error) -> Self {
        Self::Der(e)
    }
}

impl From<Asn1Error> for CmsError {
    fn from(e: Asn1Error) -> Self {
        match e {
            Asn1Error::Der(d) => Self::Der(d),
            other => Self::Asn1(other),
        }
    }
}

impl From<X509Error> for CmsError {
    fn from(e: X509Error) -> Self {
        match e {
            X509Error::Der(d) => Self::Der(d),
            other => Self::X509(other),
        }
    }
}

impl From<crate::CryptoError> for CmsError {
    fn from(e: crate::CryptoError) -> Self {
        Self::Crypto(e)
    }
}

impl From<crate::ec::EcError> for CmsError {
    fn from(e: crate::ec::EcError) -> Self {
        Self::Asn1(Asn1Error::Key(e))
    }
}

/// Result of the CMS layer.
pub type Result<T> = core::result::Result<T, CmsError>;
