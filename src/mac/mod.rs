//! Message authentication codes built on hashes (HMAC-Streebog, RFC 7836 §4.1 / R 50.1.113-2016).
//!
//! Block-cipher MACs (GOST R 34.13-2015 OMAC, OMAC-ACPKM, the GOST 28147-89 imitovstavka) live
//! with their ciphers in [`crate::cipher`].

mod hmac;

pub use self::hmac::{HmacStreebog256, HmacStreebog512};
