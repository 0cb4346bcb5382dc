//! Status codes returned by every `gostkit_*` function, and their messages.
//!
//! Values are stable: a code never changes meaning once released. Ranges leave room for the
//! later layers: 0–99 plumbing, 100–199 bad arguments, 200–299 failed cryptographic checks,
//! 300–399 PKI (certificates, paths, CRLs), 400–499 CMS and containers.

use core::ffi::c_char;

use crate::CryptoError;
use crate::asn1::Asn1Error;
use crate::ec::EcError;

/// The result of a `gostkit_*` call. `GOSTKIT_STATUS_OK` (0) is success, anything else a failure;
/// `gostkit_last_error()` then holds a message with the details.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum gostkit_status {
    /// Success.
    Ok = 0,
    /// A pointer argument that must not be NULL was NULL.
    NullArgument = 1,
    /// The output buffer is NULL or too small; `*out_len` now holds the size required.
    BufferTooSmall = 2,
    /// The library panicked (a bug in gostkit); the call had no effect that can be relied on.
    Panic = 3,
    /// An internal error that should not happen (a bug in gostkit).
    Internal = 4,
    /// The algorithm, parameter set or feature is not supported by this build.
    Unsupported = 5,
    /// The operating system's random source failed.
    RandomFailed = 6,
    /// The item asked for is not there (a name attribute, a certificate in a store).
    NotFound = 7,
    /// An argument has a value outside its allowed set (unknown algorithm, bad parameter…).
    InvalidArgument = 100,
    /// A key, IV/nonce/UKM or data buffer has a length the algorithm does not accept.
    InvalidLength = 101,
    /// The amount of data exceeds what the mode may process with one key/IV.
    DataLimitExceeded = 102,
    /// A private key (0 or not below q) or public key (off the curve, outside the subgroup) is
    /// not a valid key of its curve.
    InvalidKey = 103,
    /// An encoded input (PKCS#8, SubjectPublicKeyInfo, PEM…) is malformed.
    Malformed = 104,
    /// A MAC, authentication tag or key-wrap check value did not match; no plaintext was released.
    AuthFailed = 200,
    /// Padding could not be removed: the data was not padded with the expected procedure.
    InvalidPadding = 201,
    /// A signature did not verify (wrong key, altered data, malformed or out-of-range signature).
    BadSignature = 202,
    /// A certificate (or CRL) is past its validity period at the time checked.
    CertExpired = 300,
    /// A certificate is not yet valid at the time checked.
    CertNotYetValid = 301,
    /// The chain does not reach a trusted root.
    UntrustedRoot = 302,
    /// No issuer certificate was found for a certificate of the chain.
    NoIssuer = 303,
    /// An issuing certificate is not a CA (basicConstraints CA:true missing).
    NotACa = 304,
    /// A pathLenConstraint is exceeded.
    PathLength = 305,
    /// A keyUsage forbids the use (keyCertSign, cRLSign…).
    KeyUsage = 306,
    /// A certificate carries a critical extension gostkit does not know.
    UnknownCriticalExtension = 307,
    /// A certificate is revoked.
    Revoked = 308,
    /// A CRL is required for a certificate and none was given.
    CrlMissing = 309,
    /// A CRL is past its nextUpdate.
    CrlExpired = 310,
    /// The private key does not belong to the certificate.
    KeyMismatch = 311,
    /// The password is wrong (or the container's MAC does not verify).
    WrongPassword = 312,
    /// The signer's certificate is not in the message nor among the certificates given.
    SignerNotFound = 400,
    /// The content does not match the signed messageDigest.
    DigestMismatch = 401,
    /// None of the given keys is a recipient of the message.
    NotARecipient = 402,
}

/// Every status, in order (for lookups and tests).
const ALL_STATUSES: [gostkit_status; 32] = [
    gostkit_status::Ok,
    gostkit_status::NullArgument,
    gostkit_status::BufferTooSmall,
    gostkit_status::Panic,
    gostkit_status::Internal,
    gostkit_status::Unsupported,
    gostkit_status::RandomFailed,
    gostkit_status::NotFound,
    gostkit_status::InvalidArgument,
    gostkit_status::InvalidLength,
    gostkit_status::DataLimitExceeded,
    gostkit_status::InvalidKey,
    gostkit_status::Malformed,
    gostkit_status::AuthFailed,
    gostkit_status::InvalidPadding,
    gostkit_status::BadSignature,
    gostkit_status::CertExpired,
    gostkit_status::CertNotYetValid,
    gostkit_status::UntrustedRoot,
    gostkit_status::NoIssuer,
    gostkit_status::NotACa,
    gostkit_status::PathLength,
    gostkit_status::KeyUsage,
    gostkit_status::UnknownCriticalExtension,
    gostkit_status::Revoked,
    gostkit_status::CrlMissing,
    gostkit_status::CrlExpired,
    gostkit_status::KeyMismatch,
    gostkit_status::WrongPassword,
    gostkit_status::SignerNotFound,
    gostkit_status::DigestMismatch,
    gostkit_status::NotARecipient,
];

impl gostkit_status {
    /// The status with this numeric value, if any.
    pub fn from_u32(value: u32) -> Option<Self> {
        ALL_STATUSES.into_iter().find(|s| *s as u32 == value)
    }

    /// A short static description (NUL-terminated for C).
    pub fn message(self) -> &'static core::ffi::CStr {
        match self {
            Self::Ok => c"success",
            Self::NullArgument => c"a required pointer argument was NULL",
            Self::BufferTooSmall => {
                c"output buffer missing or too small (required size stored in *out_len)"
            }
            Self::Panic => c"internal panic in gostkit (bug)",
            Self::Internal => c"internal error in gostkit (bug)",
            Self::Unsupported => c"unsupported algorithm or feature",
            Self::RandomFailed => c"the operating system's random source failed",
            Self::NotFound => c"not found",
            Self::InvalidArgument => c"invalid argument",
            Self::InvalidLength => c"invalid key, IV/nonce or data length",
            Self::DataLimitExceeded => c"data limit of the mode exceeded",
            Self::InvalidKey => c"invalid private or public key for its curve",
            Self::Malformed => c"malformed encoded input",
            Self::AuthFailed => c"authentication failed (MAC/tag/check value mismatch)",
            Self::InvalidPadding => c"invalid padding",
            Self::BadSignature => c"signature does not verify",
            Self::CertExpired => c"certificate expired",
            Self::CertNotYetValid => c"certificate not yet valid",
            Self::UntrustedRoot => c"chain does not reach a trusted root",
            Self::NoIssuer => c"issuer certificate not found",
            Self::NotACa => c"issuer is not a CA",
            Self::PathLength => c"path length constraint exceeded",
            Self::KeyUsage => c"key usage does not allow the operation",
            Self::UnknownCriticalExtension => c"unknown critical extension",
            Self::Revoked => c"certificate revoked",
            Self::CrlMissing => c"required CRL missing",
            Self::CrlExpired => c"CRL expired",
            Self::KeyMismatch => c"the private key does not belong to the certificate",
            Self::WrongPassword => c"wrong password or corrupted container",
            Self::SignerNotFound => c"signer certificate not found",
            Self::DigestMismatch => c"content does not match the signed message digest",
            Self::NotARecipient => c"not a recipient of the message",
        }
    }

    /// True for the 100–199 range (the caller passed a bad argument value or length).
    pub fn is_argument_error(self) -> bool {
        (100..200).contains(&(self as u32))
    }

    /// True for the 200–299 range (a cryptographic check failed on well-formed input).
    pub fn is_check_failure(self) -> bool {
        (200..300).contains(&(self as u32))
    }
}

impl From<&CryptoError> for gostkit_status {
    fn from(e: &CryptoError) -> Self {
        match e {
            CryptoError::InvalidKeyLength { .. }
            | CryptoError::InvalidIvLength { .. }
            | CryptoError::InvalidDataLength { .. } => Self::InvalidLength,
            CryptoError::InvalidParameter { .. } => Self::InvalidArgument,
            CryptoError::InvalidPadding { .. } => Self::InvalidPadding,
            CryptoError::AuthenticationFailed { .. } => Self::AuthFailed,
            CryptoError::DataLimitExceeded { .. } => Self::DataLimitExceeded,
            // `CryptoError` is non_exhaustive: a variant added later maps here until it gets
            // its own code.
            #[allow(unreachable_patterns)]
            _ => Self::Internal,
        }
    }
}

impl From<CryptoError> for gostkit_status {
    fn from(e: CryptoError) -> Self {
        Self::from(&e)
    }
}

impl From<&EcError> for gostkit_status {
    fn from(e: &EcError) -> Self {
        match e {
            EcError::InvalidLength { .. } => Self::InvalidLength,
            EcError::InvalidPrivateKey | EcError::InvalidPublicKey { .. } => Self::InvalidKey,
            EcError::MalformedSignature | EcError::VerificationFailed => Self::BadSignature,
            EcError::UnsupportedParamSet { .. } => Self::Unsupported,
            EcError::RandomSourceFailed => Self::RandomFailed,
            // `EcError` is non_exhaustive.
            #[allow(unreachable_patterns)]
            _ => Self::Internal,
        }
    }
}

impl From<&Asn1Error> for gostkit_status {
    fn from(e: &Asn1Error) -> Self {
        match e {
            Asn1Error::Key(k) => Self::from(k),
            Asn1Error::WrongPassword => Self::WrongPassword,
            Asn1Error::PasswordRequired => Self::InvalidArgument,
            Asn1Error::UnsupportedEncryption(_) => Self::Unsupported,
            Asn1Error::UnknownAlgorithm(_) | Asn1Error::UnknownParamSet { .. } => Self::Unsupported,
            _ => Self::Malformed,
        }
    }
}

impl From<&crate::x509::X509Error> for gostkit_status {
    fn from(e: &crate::x509::X509Error) -> Self {
        use crate::x509::X509Error as E;
        match e {
            E::Der(_) | E::Invalid(_) => Self::Malformed,
            E::Asn1(a) => Self::from(a),
            E::UnsupportedSignatureAlgorithm(_) | E::Unsupported(_) => Self::Unsupported,
            E::AlgorithmMismatch(_) | E::BadSignature => Self::BadSignature,
            E::KeyMismatch => Self::KeyMismatch,
            E::WrongPassword => Self::WrongPassword,
            // `X509Error` is non_exhaustive.
            #[allow(unreachable_patterns)]
            _ => Self::Internal,
        }
    }
}

impl From<&crate::x509::path::PathErrorKind> for gostkit_status {
    fn from(k: &crate::x509::path::PathErrorKind) -> Self {
        use crate::x509::path::PathErrorKind as K;
        match k {
            K::Expired => Self::CertExpired,
            K::NotYetValid => Self::CertNotYetValid,
            K::UntrustedRoot | K::BudgetExceeded => Self::UntrustedRoot,
            K::NoIssuer => Self::NoIssuer,
            K::NotACa => Self::NotACa,
            K::PathLength => Self::PathLength,
            K::KeyUsage => Self::KeyUsage,
            K::UnknownCriticalExtension(_) => Self::UnknownCriticalExtension,
            K::BadSignature | K::CrlBadSignature => Self::BadSignature,
            K::Revoked { .. } => Self::Revoked,
            K::CrlMissing => Self::CrlMissing,
            K::CrlExpired => Self::CrlExpired,
            _ => Self::Malformed,
        }
    }
}

impl From<&crate::cms::CmsError> for gostkit_status {
    fn from(e: &crate::cms::CmsError) -> Self {
        use crate::cms::CmsError as E;
        match e {
            E::Asn1(a) => Self::from(a),
            E::X509(x) => Self::from(x),
            E::Crypto(c) => Self::from(c),
            E::UnsupportedAlgorithm(_) | E::Unsupported(_) => Self::Unsupported,
            E::SignerNotFound => Self::SignerNotFound,
            E::DigestMismatch => Self::DigestMismatch,
            E::ContentTypeMismatch | E::BadSignature => Self::BadSignature,
            E::ContentMissing => Self::InvalidArgument,
            E::NotARecipient => Self::NotARecipient,
            E::MacMismatch => Self::AuthFailed,
            E::KeyMismatch => Self::KeyMismatch,
            E::Chain(p) => Self::from(&p.kind),
            E::SignerKeyUsage => Self::KeyUsage,
            E::TooManySigners { .. } | E::TooManyRecipients { .. } => Self::Unsupported,
            _ => Self::Malformed,
        }
    }
}

/// A static, NUL-terminated English description of `status`.
///
/// `status` is a `gostkit_status` value; an unknown value gives "unknown status code".
///
/// Ownership: the returned string is owned by the library, lives for the whole program and must
/// not be freed or modified. Never returns NULL.
#[unsafe(no_mangle)]
pub extern "C" fn gostkit_status_message(status: u32) -> *const c_char {
    match gostkit_status::from_u32(status) {
        Some(s) => s.message().as_ptr(),
        None => c"unknown status code".as_ptr(),
    }
}

/// True when `status` is in the bad-argument range (100–199).
#[unsafe(no_mangle)]
pub extern "C" fn gostkit_status_is_argument_error(status: u32) -> bool {
    gostkit_status::from_u32(status).is_some_and(gostkit_status::is_argument_error)
}

/// True when `status` is a failed cryptographic check (200–299), e.g. a MAC or tag mismatch.
#[unsafe(no_mangle)]
pub extern "C" fn gostkit_status_is_check_failure(status: u32) -> bool {
    gostkit_status::from_u32(status).is_some_and(gostkit_status::is_check_failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_stable_and_round_trip() {
        assert_eq!(gostkit_status::Ok as u32, 0);
        assert_eq!(gostkit_status::NullArgument as u32, 1);
        assert_eq!(gostkit_status::BufferTooSmall as u32, 2);
        assert_eq!(gostkit_status::InvalidArgument as u32, 100);
        assert_eq!(gostkit_status::AuthFailed as u32, 200);
        for s in ALL_STATUSES {
            assert_eq!(gostkit_status::from_u32(s as u32), Some(s));
            assert!(!s.message().to_bytes().is_empty());
        }
        assert_eq!(gostkit_status::from_u32(999), None);
    }

    #[test]
    fn crypto_errors_map() {
        let e = CryptoError::AuthenticationFailed { alg: "mgm" };
        assert_eq!(gostkit_status::from(e), gostkit_status::AuthFailed);
        let e = CryptoError::InvalidKeyLength {
            alg: "x",
            expected: 32,
            got: 1,
        };
        assert_eq!(gostkit_status::from(e), gostkit_status::InvalidLength);
        assert!(gostkit_status::InvalidLength.is_argument_error());
        assert!(gostkit_status::AuthFailed.is_check_failure());
    }
}
