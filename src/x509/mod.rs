//! PKI layer: X.509 certificates ([`cert`]) with GOST keys and signatures ([`sig`]), RFC 5280,
//! RFC 9215, RFC 4491. Built on `x509-cert` for the ASN.1 structures; the GOST profile, the
//! Russian name attributes, the stores and the path validation are ours.

pub mod cert;
pub mod crl;
pub mod csr;
pub mod error;
pub mod ext;
pub mod issue;
pub mod json;
pub mod name;
pub mod ocsp;
pub mod path;
pub mod pfx;
pub mod ru_ids;
pub mod sig;
pub mod store;
pub mod time;

pub use cert::Certificate;
pub use error::{PfxBag, X509Error};
pub use sig::SignatureAlgorithm;
