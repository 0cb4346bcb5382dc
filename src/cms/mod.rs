//! CMS layer: SignedData, EnvelopedData, EncryptedData and DigestedData with the GOST profiles
//! (RFC 5652, RFC 4490, R 1323565.1.025-2019), time-stamps and CAdES-T (RFC 3161, RFC 5816).
//! The `cms` crate supplies the ASN.1 types; the GOST algorithms and the message handling are
//! ours.

pub(crate) mod ber;
pub mod content;
pub mod enveloped;
pub mod error;
pub mod signed;
pub(crate) mod tlv;
pub mod tsp;

pub use error::CmsError;
