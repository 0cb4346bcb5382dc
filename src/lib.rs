//! gostkit: GOST cryptography in pure Rust with a C ABI.
//!
//! Layers, each using only those above it:
//! primitives ([`hash`], [`mac`], [`kdf`], [`cipher`]) → curves ([`ec`]) → keys/ASN.1 ([`asn1`],
//! CryptoPro CSP key containers in [`container`]) →
//! PKI ([`x509`]) → CMS ([`cms`]). The C ABI (crate `gostkit-capi`, `libgostkit`) and the `gostkit`
//! command line (crate `gostkit-cli`) are built on this public API only.
//!
//! Standards: GOST R 34.11-2012 (RFC 6986), GOST R 34.11-94 (RFC 5831), GOST R 34.12-2015
//! (RFC 7801, RFC 8891), GOST R 34.13-2015, GOST 28147-89 (RFC 5830, RFC 4357), R 50.1.113-2016
//! (RFC 7836), R 50.1.111-2016 (RFC 9337), R 1323565.1.017-2018 (RFC 8645), RFC 9058.
//!
//! # A first look
//!
//! Hash with Streebog (RFC 6986), sign and verify with GOST R 34.10-2012 (RFC 7091):
//!
//! ```
//! use gostkit::ec::{ParamSet, SigningKey};
//! use gostkit::hash::HashAlg;
//!
//! // RFC 6986 §10.1, example 1 (M1 = "012…890" repeated, 63 bytes), 256-bit output.
//! let m1 = b"012345678901234567890123456789012345678901234567890123456789012";
//! let digest = HashAlg::Streebog256.digest(m1);
//! assert_eq!(digest[..4], [0x9d, 0x15, 0x1e, 0xef]);
//!
//! let key = SigningKey::generate(ParamSet::Tc26_256A)?;
//! let signature = key.sign(b"statement")?; // Streebog-256 of the message, then r || s
//! key.verifying_key().verify(b"statement", &signature)?;
//! assert!(key.verifying_key().verify(b"statement!", &signature).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Certificates and chains are in [`x509`], signed and encrypted messages in [`cms`], keys in
//! CryptoPro containers in [`container`], GOST TLS 1.2 in `tls` (feature `tls`).
#![deny(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]
// Library code never unwraps, panics or indexes out of bounds on input; constant tables may
// `expect` with a reason. `indexing_slicing` is allowed, each with its reason, in the
// fixed-size arithmetic of `ec` and `cipher`, and (not yet converted) in the TLS
// handshake state machines (`tls::client`, `tls::server`, `tls::kx`, `tls::stream`).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]

pub mod asn1;
// Fixed-size blocks, keys and tables indexed by constants and loop bounds (the lengths are
// checked at the API edge); rewriting the constant-time kernels would cost speed for nothing.
#[allow(clippy::indexing_slicing)]
pub mod cipher;
#[cfg(feature = "cms")]
pub mod cms;
pub mod container;
// Field elements, limbs and precomputed tables: fixed-size arrays indexed by constants and
// loop bounds, never by input; constant-time code keeps its plain indexing.
#[cfg(all(test, target_arch = "x86_64"))]
mod ctgrind;
#[allow(clippy::indexing_slicing)]
pub mod ec;
pub mod error;
pub mod hash;
pub mod kdf;
pub mod kex;
mod kind;
pub mod mac;
pub mod oid;
#[cfg(feature = "pkcs11")]
pub mod pkcs11;
#[cfg(feature = "tls")]
pub mod tls;
#[cfg(feature = "pki")]
pub mod x509;

pub use error::CryptoError;

/// Entry points of internal parsers for the fuzz targets (`fuzz/`); not a stable API.
#[doc(hidden)]
#[cfg(feature = "cms")]
pub mod fuzzing {
    /// The BER → DER normaliser of the CMS reader.
    pub use crate::cms::ber::to_der as ber_to_der;
}
pub use kind::ErrorKind;
