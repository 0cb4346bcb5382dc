//! Keys/ASN.1 layer: GOST R 34.10 key encodings on raw bytes and OIDs (no curve arithmetic),
//! for the curve layer to glue onto: SubjectPublicKeyInfo ([`spki`], RFC 4491, RFC 9215),
//! PKCS#8 private keys ([`pkcs8`], RFC 5958, R 1323565.1.024-2019) and PEM/DER transparency
//! ([`pem`], RFC 7468). Built on the `der`, `spki` and `pkcs8` crates; the GOST-specific
//! parameters and private-key forms are ours.

pub mod error;
pub mod keys;
pub mod params;
pub mod pbes2;
pub mod pem;
pub mod pkcs8;
pub mod spki;

pub use error::Asn1Error;
pub use params::KeyAlgorithm;
pub use pkcs8::GostPrivateKey;
pub use spki::GostPublicKey;
