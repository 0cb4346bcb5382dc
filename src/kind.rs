//! One table of error kinds for the whole library. Every layer's error maps to an
//! [`ErrorKind`] with an exhaustive `match` ([`crate::CryptoError::kind`], `EcError::kind`,
//! `Asn1Error::kind`, `ContainerError::kind`, `X509Error::kind`, `PathErrorKind::kind`, `CmsError::kind`); the C status
//! code (`gostkit_status` in `gostkit-capi` carries the same values), the command line's error
//! token (`../shared/CLI.md`) and its exit status all come from the row of that kind below, so C
//! and the command line agree by construction.

macro_rules! kinds {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, $token:literal, $exit:literal, $msg:literal; )*) => {
        /// What went wrong, independent of the layer that found it. Values are stable: the
        /// code of a kind never changes once released (it is the C status value).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[repr(u32)]
        pub enum ErrorKind {
            $( $(#[$doc])* $name = $code, )*
        }

        impl ErrorKind {
            /// Every kind, in table order.
            pub const ALL: &'static [ErrorKind] = &[$(Self::$name),*];

            /// The stable numeric code (the C ABI's `gostkit_status` value).
            pub fn code(self) -> u32 {
                self as u32
            }

            /// The command line's error token (`error: TOKEN: detail`, CLI.md).
            pub fn token(self) -> &'static str {
                match self { $(Self::$name => $token,)* }
            }

            /// The command line's exit status: 1 for a well-formed input that fails a check,
            /// 2 for usage errors and unreadable, malformed or unsupported input.
            pub fn exit_code(self) -> u8 {
                match self { $(Self::$name => $exit,)* }
            }

            /// A short English description, NUL-terminated (the C ABI's
            /// `gostkit_status_message`).
            pub fn message_c(self) -> &'static core::ffi::CStr {
                match self { $(Self::$name => $msg,)* }
            }

            /// A short English description.
            pub fn message(self) -> &'static str {
                self.message_c().to_str().unwrap_or("")
            }

            /// The kind with this code.
            pub fn from_code(code: u32) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.code() == code)
            }
        }
    };
}

kinds! {
    /// A bug in gostkit.
    Internal = 4, "malformed", 2, c"internal error in gostkit (bug)";
    /// An algorithm, parameter set, format or size gostkit does not support (or refuses, like
    /// an iteration count over the cap).
    Unsupported = 5, "unsupported", 2, c"unsupported algorithm or feature";
    /// The operating system's random source failed.
    RandomFailed = 6, "io", 2, c"the operating system's random source failed";
    /// A looked-up object is absent.
    NotFound = 7, "malformed", 2, c"not found";
    /// Reading or writing failed.
    Io = 8, "io", 2, c"input/output error";
    /// An argument is out of range or inconsistent with the others.
    InvalidArgument = 100, "usage", 2, c"invalid argument";
    /// A key, IV/nonce or data length is wrong.
    InvalidLength = 101, "malformed", 2, c"invalid key, IV/nonce or data length";
    /// A mode's data limit (or a configured count limit) is exceeded.
    DataLimitExceeded = 102, "unsupported", 2, c"data or count limit exceeded";
    /// A private or public key is not valid for its curve.
    InvalidKey = 103, "malformed", 2, c"invalid private or public key for its curve";
    /// Encoded input is malformed (DER, PEM, BER, a protocol message).
    Malformed = 104, "malformed", 2, c"malformed encoded input";
    /// A MAC, tag or check value does not match: the data was altered or the key is wrong.
    AuthFailed = 200, "mac-mismatch", 1, c"authentication failed (MAC/tag/check value mismatch)";
    /// Padding is invalid after decryption.
    InvalidPadding = 201, "malformed", 2, c"invalid padding";
    /// A signature does not verify.
    BadSignature = 202, "bad-signature", 1, c"signature does not verify";
    /// A certificate is past its notAfter at the validation time.
    CertExpired = 300, "expired", 1, c"certificate expired";
    /// A certificate is before its notBefore at the validation time.
    CertNotYetValid = 301, "not-yet-valid", 1, c"certificate not yet valid";
    /// The chain does not reach a trusted root.
    UntrustedRoot = 302, "untrusted-root", 1, c"chain does not reach a trusted root";
    /// No issuer certificate was found.
    NoIssuer = 303, "no-issuer", 1, c"issuer certificate not found";
    /// An issuer is not a CA.
    NotACa = 304, "not-a-ca", 1, c"issuer is not a CA";
    /// A pathLenConstraint is exceeded.
    PathLength = 305, "path-length", 1, c"path length constraint exceeded";
    /// keyUsage does not allow the operation (certificate or CRL signing, document signing).
    KeyUsage = 306, "key-usage", 1, c"key usage does not allow the operation";
    /// A critical extension is not understood.
    UnknownCriticalExtension = 307, "unknown-critical-extension", 1, c"unknown critical extension";
    /// A certificate is revoked.
    Revoked = 308, "revoked", 1, c"certificate revoked";
    /// Revocation data is required and missing.
    CrlMissing = 309, "crl-missing", 1, c"required CRL missing";
    /// A CRL is past its nextUpdate.
    CrlExpired = 310, "crl-expired", 1, c"CRL expired";
    /// A private key does not belong to the certificate.
    KeyMismatch = 311, "key-mismatch", 1, c"the private key does not belong to the certificate";
    /// A password (or PIN) is wrong, or the protected data is corrupted.
    WrongPassword = 312, "wrong-password", 1, c"wrong password or corrupted container";
    /// A password is needed and none was given.
    PasswordRequired = 313, "password-required", 2, c"a password is required";
    /// The path search used up its budget (signature checks, build steps or depth).
    PathBudgetExceeded = 314, "unsupported", 2, c"certificate path search budget exceeded";
    /// The end-entity's extKeyUsage lacks the purpose asked for.
    ExtKeyUsage = 315, "key-usage", 1, c"extended key usage does not allow the operation";
    /// The caller's path policy rejected every candidate path.
    PathRejected = 316, "untrusted-root", 1, c"certificate path rejected by policy";
    /// An OCSP response is not fresh at the validation time (before thisUpdate, after nextUpdate).
    OcspStale = 317, "crl-expired", 1, c"OCSP response not fresh at the validation time";
    /// An OCSP response's nonce is missing or differs from the request's.
    OcspNonceMismatch = 318, "bad-signature", 1, c"OCSP response nonce does not match the request";
    /// The OCSP responder did not answer successfully (tryLater, unauthorized…).
    OcspUnsuccessful = 319, "crl-missing", 1, c"the OCSP responder did not answer successfully";
    /// A token PIN is locked after too many wrong tries (PKCS#11 `CKR_PIN_LOCKED`).
    PinLocked = 320, "wrong-password", 1, c"the PIN is locked";
    /// A token PIN has expired and must be changed (PKCS#11 `CKR_PIN_EXPIRED`).
    PinExpired = 321, "wrong-password", 1, c"the PIN has expired";
    /// A verified OCSP response says `unknown`: the responder does not know the certificate
    /// (RFC 6960 §2.2); `gostkit ocsp check` prints `unknown` and exits 1 `crl-missing`.
    OcspCertUnknown = 380, "crl-missing", 1, c"the OCSP responder does not know the certificate";
    /// No signer certificate matches a SignerInfo.
    SignerNotFound = 400, "bad-signature", 1, c"signer certificate not found";
    /// The content does not match the signed message digest.
    DigestMismatch = 401, "digest-mismatch", 1, c"content does not match the signed message digest";
    /// The key given is not one of the message's recipients.
    NotARecipient = 402, "not-a-recipient", 1, c"not a recipient of the message";
    /// A detached signature was verified without its content.
    ContentMissing = 403, "usage", 2, c"detached signature: the content is needed";
    /// The signed contentType attribute does not match the content type.
    ContentTypeMismatch = 404, "bad-signature", 1, c"signed content type does not match";
    /// The TLS peer sent a fatal alert.
    TlsAlert = 500, "tls-alert", 1, c"the TLS peer sent a fatal alert";
    /// A TLS handshake failed (negotiation, host name, Finished, truncated or out of order).
    HandshakeFailure = 501, "handshake-failure", 1, c"TLS handshake failed";
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    #[test]
    fn codes_are_unique_and_tokens_come_from_the_contract() {
        // The tokens CLI.md lists for `error: TOKEN: detail`.
        // CLI.md's `tls connect` adds `tls-alert` and `handshake-failure`.
        const TOKENS: [&str; 24] = [
            "tls-alert",
            "handshake-failure",
            "usage",
            "io",
            "malformed",
            "unsupported",
            "password-required",
            "wrong-password",
            "bad-signature",
            "digest-mismatch",
            "expired",
            "not-yet-valid",
            "untrusted-root",
            "no-issuer",
            "not-a-ca",
            "path-length",
            "key-usage",
            "unknown-critical-extension",
            "revoked",
            "crl-missing",
            "crl-expired",
            "not-a-recipient",
            "mac-mismatch",
            "key-mismatch",
        ];
        for (i, a) in ErrorKind::ALL.iter().enumerate() {
            assert!(TOKENS.contains(&a.token()), "{a:?}: {}", a.token());
            assert!(matches!(a.exit_code(), 1 | 2));
            assert!(!a.message().is_empty());
            assert_eq!(ErrorKind::from_code(a.code()), Some(*a));
            for b in &ErrorKind::ALL[i + 1..] {
                assert_ne!(a.code(), b.code(), "{a:?} and {b:?} share a code");
            }
        }
        // Every check failure exits 1, every input/usage problem 2.
        assert_eq!(ErrorKind::BadSignature.exit_code(), 1);
        assert_eq!(ErrorKind::Malformed.exit_code(), 2);
    }
}
