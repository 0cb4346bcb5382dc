//! Status codes returned by every `gostkit_*` function, and their messages.
//!
//! Values are stable: a code never changes meaning once released. Ranges leave room for the
//! later layers: 0–99 plumbing, 100–199 bad arguments, 200–299 failed cryptographic checks,
//! 300–399 PKI (certificates, paths, CRLs), 400–499 CMS and containers.

use core::ffi::c_char;

use gk::asn1::Asn1Error;
use gk::ec::EcError;
use gk::{CryptoError, ErrorKind};

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
    /// Reading or writing failed (a callback or a file).
    Io = 8,
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
    /// A password is required and none was given.
    PasswordRequired = 313,
    /// The certificate path search used up its budget (signature checks, build steps, depth).
    PathBudgetExceeded = 314,
    /// The end-entity certificate's extKeyUsage does not allow the operation.
    ExtKeyUsage = 315,
    /// The caller's path policy rejected every candidate path.
    PathRejected = 316,
    /// An OCSP response is not fresh at the validation time.
    OcspStale = 317,
    /// An OCSP response's nonce is missing or differs from the request's.
    OcspNonceMismatch = 318,
    /// The OCSP responder did not answer successfully.
    OcspUnsuccessful = 319,
    /// A token PIN is locked after too many wrong tries.
    PinLocked = 320,
    /// A token PIN has expired and must be changed.
    PinExpired = 321,
    /// A verified OCSP response says the responder does not know the certificate.
    OcspCertUnknown = 380,
    /// The signer's certificate is not in the message nor among the certificates given.
    SignerNotFound = 400,
    /// The content does not match the signed messageDigest.
    DigestMismatch = 401,
    /// None of the given keys is a recipient of the message.
    NotARecipient = 402,
    /// A detached signature was verified without its content.
    ContentMissing = 403,
    /// The signed contentType attribute does not match the content type.
    ContentTypeMismatch = 404,
    /// The TLS peer sent a fatal alert.
    TlsAlert = 500,
    /// A TLS handshake failed.
    HandshakeFailure = 501,
}

/// Every status, in order (for lookups and tests).
const ALL_STATUSES: [gostkit_status; 47] = [
    gostkit_status::Ok,
    gostkit_status::NullArgument,
    gostkit_status::BufferTooSmall,
    gostkit_status::Panic,
    gostkit_status::Internal,
    gostkit_status::Unsupported,
    gostkit_status::RandomFailed,
    gostkit_status::NotFound,
    gostkit_status::Io,
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
    gostkit_status::PasswordRequired,
    gostkit_status::PathBudgetExceeded,
    gostkit_status::ExtKeyUsage,
    gostkit_status::PathRejected,
    gostkit_status::OcspStale,
    gostkit_status::OcspNonceMismatch,
    gostkit_status::OcspUnsuccessful,
    gostkit_status::PinLocked,
    gostkit_status::PinExpired,
    gostkit_status::OcspCertUnknown,
    gostkit_status::SignerNotFound,
    gostkit_status::DigestMismatch,
    gostkit_status::NotARecipient,
    gostkit_status::ContentMissing,
    gostkit_status::ContentTypeMismatch,
    gostkit_status::TlsAlert,
    gostkit_status::HandshakeFailure,
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
            other => match ErrorKind::from_code(other as u32) {
                Some(kind) => kind.message_c(),
                None => c"internal error in gostkit (bug)",
            },
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

impl From<ErrorKind> for gostkit_status {
    /// The status with the kind's code: `gostkit_status` mirrors the library's one error-kind
    /// table (every kind has its status; `tests::every_kind_has_its_status` checks it).
    fn from(kind: ErrorKind) -> Self {
        Self::from_u32(kind.code()).unwrap_or(Self::Internal)
    }
}

macro_rules! status_from_kind {
    ($($t:ty),*) => {$(
        impl From<&$t> for gostkit_status {
            fn from(e: &$t) -> Self {
                Self::from(e.kind())
            }
        }
        impl From<$t> for gostkit_status {
            fn from(e: $t) -> Self {
                Self::from(e.kind())
            }
        }
    )*};
}

status_from_kind!(
    CryptoError,
    EcError,
    Asn1Error,
    gk::x509::X509Error,
    gk::x509::path::PathErrorKind,
    gk::cms::CmsError,
    gk::container::ContainerError,
    gk::pkcs11::Pkcs11Error
);

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
    fn every_kind_has_its_status() {
        for kind in ErrorKind::ALL {
            let status = gostkit_status::from(*kind);
            assert_eq!(status as u32, kind.code(), "{kind:?}");
            assert_eq!(status.message().to_str().unwrap(), kind.message());
        }
        // And every status is plumbing or a kind.
        for s in ALL_STATUSES {
            assert!(
                (s as u32) < 4 || ErrorKind::from_code(s as u32).is_some(),
                "{s:?} has no kind"
            );
        }
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
