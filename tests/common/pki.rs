//! A PKI builder for tests: a tc26-512-A root, a tc26-256-A intermediate CA (pathLen 0) and a
//! tc26-256-B end-entity certificate with its key, issued through PKCS#10 as a CA would.

use std::path::{Path, PathBuf};

use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::Certificate;
use gostkit::x509::csr::CertificationRequest;
use gostkit::x509::issue::{IssueOptions, issue_from_request, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::store::{CertStore, Role};

/// A certificate and its private key.
pub struct Party {
    pub cert: Certificate,
    pub key: SigningKey,
}

/// Root → CA → leaf.
pub struct TestPki {
    pub root: Party,
    pub ca: Party,
    pub leaf: Party,
}

/// A party with subject `dn` on `set`, issued by `issuer` for `opts`.
pub fn enrol(issuer: &Party, dn: &str, set: ParamSet, opts: &IssueOptions) -> Party {
    let key = SigningKey::generate(set).expect("key");
    let req =
        CertificationRequest::build(&key, &parse_slash_dn(dn).expect("dn"), &[]).expect("csr");
    let cert = issue_from_request(&req, &issuer.cert, &issuer.key, opts).expect("issue");
    Party { cert, key }
}

impl TestPki {
    /// A fresh PKI; `leaf_dn` names the end entity (e.g. `/CN=Иванов/INN=…`).
    pub fn new(leaf_dn: &str) -> Self {
        let key = SigningKey::generate(ParamSet::Tc26_512A).expect("root key");
        let cert = self_signed(
            &parse_slash_dn("/CN=Test Root CA/O=gostkit tests").expect("dn"),
            &key,
            &IssueOptions::ca_days(3650, Some(1)),
        )
        .expect("root");
        let root = Party { cert, key };
        let ca = enrol(
            &root,
            "/CN=Test Issuing CA/O=gostkit tests",
            ParamSet::Tc26_256A,
            &IssueOptions::ca_days(1825, Some(0)),
        );
        let leaf = enrol(&ca, leaf_dn, ParamSet::Tc26_256B, &IssueOptions::days(365));
        Self { root, ca, leaf }
    }

    /// A store trusting the root, with the CA as intermediate.
    pub fn store(&self) -> CertStore {
        let mut s = CertStore::new();
        s.add(self.root.cert.clone(), Role::TrustedRoot);
        s.add(self.ca.cert.clone(), Role::IntermediateCa);
        s
    }

    /// Writes root.pem, ca.pem, leaf.pem and leaf.key (unencrypted PKCS#8) into `dir`;
    /// returns `dir`.
    pub fn write_to(&self, dir: &Path) -> PathBuf {
        std::fs::create_dir_all(dir).expect("dir");
        std::fs::write(dir.join("root.pem"), self.root.cert.to_pem().expect("pem")).expect("write");
        std::fs::write(dir.join("ca.pem"), self.ca.cert.to_pem().expect("pem")).expect("write");
        std::fs::write(dir.join("leaf.pem"), self.leaf.cert.to_pem().expect("pem")).expect("write");
        let key = gostkit::asn1::GostPrivateKey::from_signing_key(&self.leaf.key)
            .and_then(|k| k.to_pem())
            .expect("key pem");
        std::fs::write(dir.join("leaf.key"), key.as_bytes()).expect("write");
        dir.to_path_buf()
    }
}
