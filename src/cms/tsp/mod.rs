//! Time-stamps (RFC 3161, with RFC 5816's ESSCertIDv2) with GOST algorithms, and CAdES-T
//! signature time-stamps (ETSI EN 319 122-1 §5.3, id-aa-signatureTimeStampToken).
//!
//! - [`TimeStampReq`]: the request (RFC 3161 §2.4.1) — a message imprint with Streebog-256/512
//!   (or GOST R 34.11-94), a random 64-bit nonce, certReq, an optional policy — in DER.
//! - [`TimeStampResp`]: the response (§2.4.2): its PKIStatusInfo (a refusal becomes
//!   [`CmsError::TimeStampRejected`] with the failure bits) and its token.
//! - [`TimeStampToken`]: a SignedData whose eContent (type id-ct-TSTInfo) is a [`TstInfo`];
//!   [`TimeStampToken::verify_request`] / [`TimeStampToken::verify_data`] check the TSA's
//!   signature with the SignedData machinery, the TSA certificate (§2.3: a critical extKeyUsage
//!   of id-kp-timeStamping only), the ESS signing-certificate (SHA-1) or signing-certificate-v2
//!   (its hashAlgorithm, Streebog included) attribute, the imprint, the nonce and policy, and
//!   the TSA's chain at genTime (or the caller's time), and give a [`TimeStampReport`].
//! - [`Tsa`]: a time-stamping authority for tests and for users: answers a request with a
//!   caller's key ([`crate::ec::SignDigest`]), certificate and clock; the token carries
//!   signing-certificate-v2 with Streebog-256; [`tsa_issue_options`] is the TSA certificate
//!   profile for issuing one.
//! - CAdES-T: [`signature_time_stamp_request`] builds the request over a signer's signature
//!   value, [`add_signature_time_stamp`] adds the token as an unsigned attribute, and
//!   `SignedMessage::verify_time_stamps` verifies it, raising the signer's
//!   [`CadesLevel`](crate::cms::signed::CadesLevel) to T and allowing chain validation at
//!   genTime ([`ValidationTime::TimeStamp`](crate::cms::signed::ValidationTime::TimeStamp)).
//! - CAdES-X Long Type 1 (ETSI TS 101 733 §6.2-6.3): [`upgrade`] adds the references, values
//!   and CAdES-C time-stamp; `SignedMessage::verify_cades_ltv` verifies them offline and
//!   validates the chain at the signature time-stamp's genTime with the embedded data.
//!
//! The library opens no socket: callers carry requests and responses (HTTP `application/
//! timestamp-query` / `timestamp-reply`, RFC 3161 §3.4) themselves. Every parser is bounded:
//! integers of at most [`MAX_INT_LEN`] bytes, at most [`MAX_TEXT_LINES`] status lines, one
//! signer per token, and hostile input gives a typed [`CmsError`], never a panic.
//!
//! [`CmsError`]: crate::cms::CmsError
//! [`CmsError::TimeStampRejected`]: crate::cms::CmsError::TimeStampRejected

mod asn;
mod authority;
mod cades;
mod ltv;
mod request;
mod response;
mod verify;

pub use authority::{Tsa, TsaOptions, tsa_issue_options};
pub use cades::{add_signature_time_stamp, signature_time_stamp_request};
pub use ltv::{
    ATTR_CERT_VALUES, ATTR_CERTIFICATE_REFS, ATTR_ESC_TIME_STAMP, ATTR_REVOCATION_REFS,
    ATTR_REVOCATION_VALUES, EmbeddedRevocation, MAX_LTV_ITEMS, TimeStampSource, UpgradeLevel,
    ValidationData, esc_time_stamp_data, upgrade,
};
pub use request::TimeStampReq;
pub use response::{
    Accuracy, FailureInfo, PkiStatus, TimeStampResp, TsaName, TspExtension, TstInfo,
};
pub use verify::{TimeStampReport, TimeStampToken, TokenVerifyOptions};

/// Longest INTEGER (serial number, nonce, accuracy) read, in content bytes: RFC 3161 asks
/// verifiers to take serial numbers of up to 160 bits; 64 bytes leaves room.
pub const MAX_INT_LEN: usize = 64;

/// Most statusString lines read from a response.
pub const MAX_TEXT_LINES: usize = 16;

/// Most signature time-stamps verified on one signer.
pub const MAX_TIME_STAMPS: usize = 16;
