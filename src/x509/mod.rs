//! PKI layer: X.509 certificates ([`cert`]) with GOST keys and signatures ([`sig`]), RFC 5280,
//! RFC 9215, RFC 4491. Built on `x509-cert` for the ASN.1 structures; the GOST profile, the
//! Russian name attributes, the stores and the path validation are ours.
//!
//! ```
//! use gostkit::ec::{ParamSet, SigningKey};
//! use gostkit::x509::csr::CertificationRequest;
//! use gostkit::x509::issue::{issue_from_request, self_signed, IssueOptions};
//! use gostkit::x509::name::{parse_slash_dn, to_rfc4514};
//! use gostkit::x509::path::PathBuilder;
//!
//! // A CA, and a certificate it issues from the holder's PKCS#10 request.
//! let ca_key = SigningKey::generate(ParamSet::Tc26_512A)?;
//! let ca = self_signed(&parse_slash_dn("/CN=Test CA/C=RU")?, &ca_key, &IssueOptions::ca_days(3650, None))?;
//! let key = SigningKey::generate(ParamSet::Tc26_256A)?;
//! let req = CertificationRequest::build(&key, &parse_slash_dn("/CN=Иванов/INN=500100732259")?, &[])?;
//! let cert = issue_from_request(&req, &ca, &ca_key, &IssueOptions::days(365))?;
//!
//! // RFC 5280 path validation at the current time, from the leaf to the trust anchor.
//! let path = PathBuilder::new([&ca]).build(&cert)?;
//! assert_eq!(path.len(), 2);
//! assert_eq!(to_rfc4514(path[0].subject()), "INN=500100732259,CN=Иванов");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
