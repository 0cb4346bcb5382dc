//! CMS layer: SignedData, EnvelopedData, EncryptedData and DigestedData with the GOST profiles
//! (RFC 5652, RFC 4490, R 1323565.1.025-2019), time-stamps and CAdES-T (RFC 3161, RFC 5816).
//! The `cms` crate supplies the ASN.1 types; the GOST algorithms and the message handling are
//! ours.
//!
//! Sign (CAdES-BES attributes), encrypt to a recipient's certificate, then decrypt and verify
//! the signer and its chain:
//!
//! ```
//! use gostkit::cms::content::ContentCipher;
//! use gostkit::cms::enveloped::{self, EnvelopedMessage, Recipient};
//! use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer};
//! use gostkit::ec::{ParamSet, SigningKey};
//! use gostkit::x509::issue::{self_signed, IssueOptions};
//! use gostkit::x509::name::parse_slash_dn;
//! use gostkit::x509::path::RevocationPolicy;
//! use gostkit::x509::store::{CertStore, Role};
//!
//! let key = SigningKey::generate(ParamSet::Tc26_256A)?;
//! let cert = self_signed(&parse_slash_dn("/CN=Taxpayer")?, &key, &IssueOptions::days(30))?;
//! let sd = signed::sign(b"<ION/>", &[Signer { cert: &cert, key: &key }], &SignOptions::default())?;
//! let msg = enveloped::encrypt(&sd, &[&cert], ContentCipher::KuznyechikCtrAcpkmOmac)?;
//!
//! let inner = EnvelopedMessage::parse(&msg)?.decrypt(&[Recipient { cert: &cert, key: &key }])?;
//! let sd = SignedMessage::parse(&inner)?;
//! let mut store = CertStore::new();
//! store.add(cert.clone(), Role::TrustedRoot);
//! for report in sd.verify_with_store(None, &store, None, RevocationPolicy::WhenAvailable) {
//!     report.result?; // the signature, the signed attributes and the chain
//! }
//! assert_eq!(sd.content.as_deref(), Some(&b"<ION/>"[..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod ber;
pub mod content;
pub mod enveloped;
pub mod error;
pub mod signed;
pub(crate) mod tlv;
pub mod tsp;

pub use error::CmsError;
