//! The ION round trip on freshly generated test keys (what `gostkit demo` and
//! `examples/ion_demo.rs` run): a root CA and an intermediate issue a taxpayer's and a tax
//! inspection's certificates; the taxpayer signs a request and encrypts it to the inspection;
//! the inspection decrypts it, verifies the signature and the taxpayer's chain, and answers
//! with a signed, encrypted document that the taxpayer opens and verifies in turn.

use std::path::Path;

use gostkit::asn1::GostPrivateKey;
use gostkit::cms::CmsError;
use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{self, EnvelopedMessage, Recipient};
use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::Certificate;
use gostkit::x509::csr::CertificationRequest;
use gostkit::x509::issue::{IssueOptions, issue_from_request, self_signed};
use gostkit::x509::name::{parse_slash_dn, to_rfc4514};
use gostkit::x509::path::RevocationPolicy;
use gostkit::x509::store::{CertStore, Role};

use crate::files::{Secrecy, write_file};

/// Why the demo stopped.
#[derive(Debug)]
pub enum DemoError {
    /// A certificate step failed.
    X509(gostkit::x509::X509Error),
    /// A message step failed.
    Cms(CmsError),
    /// A key step failed.
    Key(String),
    /// Writing the output files failed.
    Io(std::io::Error),
}

impl core::fmt::Display for DemoError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::X509(e) => write!(f, "{e}"),
            Self::Cms(e) => write!(f, "{e}"),
            Self::Key(e) => write!(f, "{e}"),
            Self::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for DemoError {}

impl From<gostkit::x509::X509Error> for DemoError {
    fn from(e: gostkit::x509::X509Error) -> Self {
        Self::X509(e)
    }
}
impl From<CmsError> for DemoError {
    fn from(e: CmsError) -> Self {
        Self::Cms(e)
    }
}
impl From<gostkit::ec::EcError> for DemoError {
    fn from(e: gostkit::ec::EcError) -> Self {
        Self::Key(e.to_string())
    }
}
impl From<gostkit::asn1::Asn1Error> for DemoError {
    fn from(e: gostkit::asn1::Asn1Error) -> Self {
        Self::Key(e.to_string())
    }
}
impl From<std::io::Error> for DemoError {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

struct Party {
    cert: Certificate,
    key: SigningKey,
}

fn party(
    ca: &Party,
    dn: &str,
    set: ParamSet,
    log: &mut dyn FnMut(&str),
) -> Result<Party, DemoError> {
    let key = SigningKey::generate(set)?;
    let req = CertificationRequest::build(&key, &parse_slash_dn(dn)?, &[])?;
    let cert = issue_from_request(&req, &ca.cert, &ca.key, &IssueOptions::days(365))?;
    log(&format!(
        "issued {} ({}) by {}",
        to_rfc4514(cert.subject()),
        set.cli_name().unwrap_or(set.name()),
        to_rfc4514(ca.cert.subject())
    ));
    Ok(Party { cert, key })
}

/// Opens a signed-then-enveloped message: decrypt, verify every signer and its chain.
fn open(
    msg: &[u8],
    me: &Party,
    store: &CertStore,
    who: &str,
    log: &mut dyn FnMut(&str),
) -> Result<Vec<u8>, DemoError> {
    let inner = EnvelopedMessage::parse(msg)?.decrypt(&[Recipient {
        cert: &me.cert,
        key: &me.key,
    }])?;
    log(&format!(
        "{who} decrypted {} bytes of signed data",
        inner.len()
    ));
    let sd = SignedMessage::parse(&inner)?;
    let reports = sd.verify_with_store(None, store, None, RevocationPolicy::WhenAvailable);
    for r in &reports {
        r.result.clone()?;
        let path = r.path.as_deref().unwrap_or_default();
        log(&format!(
            "{who} verified the signature of {} and its chain ({} certificates to the trusted root)",
            r.cert
                .as_ref()
                .map(|c| to_rfc4514(c.subject()))
                .unwrap_or_default(),
            path.len()
        ));
    }
    sd.content.ok_or(DemoError::Cms(CmsError::ContentMissing))
}

/// Runs the round trip, calling `log` with one line per step; with `out_dir` it writes the
/// certificates, the (unencrypted) keys and both messages there.
pub fn run(out_dir: Option<&Path>, log: &mut dyn FnMut(&str)) -> Result<(), DemoError> {
    let root_key = SigningKey::generate(ParamSet::Tc26_512A)?;
    let root_cert = self_signed(
        &parse_slash_dn("/CN=Demo Root CA/O=gostkit demo/C=RU")?,
        &root_key,
        &IssueOptions::ca_days(3650, Some(1)),
    )?;
    log(&format!(
        "created root CA {} (tc26-512-a)",
        to_rfc4514(root_cert.subject())
    ));
    let root = Party {
        cert: root_cert,
        key: root_key,
    };
    let ca_key = SigningKey::generate(ParamSet::Tc26_256A)?;
    let ca_req = CertificationRequest::build(
        &ca_key,
        &parse_slash_dn("/CN=Demo Issuing CA/O=gostkit demo/C=RU")?,
        &[],
    )?;
    let ca_cert = issue_from_request(
        &ca_req,
        &root.cert,
        &root.key,
        &IssueOptions::ca_days(1825, Some(0)),
    )?;
    log(&format!(
        "issued intermediate CA {} (tc26-256-a)",
        to_rfc4514(ca_cert.subject())
    ));
    let ca = Party {
        cert: ca_cert,
        key: ca_key,
    };
    let taxpayer = party(
        &ca,
        "/CN=Иванов Иван Иванович/SN=Иванов/GN=Иван Иванович/INN=500100732259/SNILS=12345678964",
        ParamSet::Tc26_256B,
        log,
    )?;
    let inspection = party(
        &ca,
        "/CN=ИФНС России № 1 по г. Москве/O=ФНС России/INNLE=7701000019/OGRN=1047701000016/C=RU",
        ParamSet::Tc26_512C,
        log,
    )?;
    let mut store = CertStore::new();
    store.add(root.cert.clone(), Role::TrustedRoot);
    store.add(ca.cert.clone(), Role::IntermediateCa);

    let request = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ION kind=\"statement-of-settlements-with-the-budget\" inn=\"500100732259\" date=\"2026-11-22\"/>\n";
    let opts = SignOptions {
        chain: vec![ca.cert.clone()],
        ..SignOptions::default()
    };
    let signed_req = signed::sign(
        request.as_bytes(),
        &[Signer {
            cert: &taxpayer.cert,
            key: &taxpayer.key,
        }],
        &opts,
    )?;
    log(&format!(
        "taxpayer signed the request ({} bytes, CAdES-BES attributes)",
        request.len()
    ));
    let req_msg = enveloped::encrypt(
        &signed_req,
        &[&inspection.cert],
        ContentCipher::KuznyechikCtrAcpkmOmac,
    )?;
    log(
        "taxpayer encrypted it to the inspection (Kuznyechik CTR-ACPKM-OMAC, KExp15 key transport)",
    );

    let got = open(&req_msg, &inspection, &store, "inspection", log)?;
    if got != request.as_bytes() {
        return Err(DemoError::Cms(CmsError::Invalid("request content changed")));
    }
    let answer = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ION-answer kind=\"statement-of-settlements-with-the-budget\" inn=\"500100732259\" balance=\"0.00\"/>\n";
    let signed_ans = signed::sign(
        answer.as_bytes(),
        &[Signer {
            cert: &inspection.cert,
            key: &inspection.key,
        }],
        &opts,
    )?;
    let ans_msg = enveloped::encrypt(
        &signed_ans,
        &[&taxpayer.cert],
        ContentCipher::KuznyechikCtrAcpkmOmac,
    )?;
    log("inspection signed the answer and encrypted it to the taxpayer");
    let got = open(&ans_msg, &taxpayer, &store, "taxpayer", log)?;
    if got != answer.as_bytes() {
        return Err(DemoError::Cms(CmsError::Invalid("answer content changed")));
    }
    log("taxpayer read the answer: round trip complete");

    if let Some(dir) = out_dir {
        std::fs::create_dir_all(dir)?;
        let key_pem = |k: &SigningKey| -> Result<zeroize::Zeroizing<String>, DemoError> {
            Ok(GostPrivateKey::from_signing_key(k)?.to_pem()?)
        };
        let public = |name: &str, data: &[u8]| write_file(&dir.join(name), data, Secrecy::Public);
        let secret = |name: &str, data: &[u8]| write_file(&dir.join(name), data, Secrecy::Secret);
        public("root.pem", root.cert.to_pem()?.as_bytes())?;
        public("ca.pem", ca.cert.to_pem()?.as_bytes())?;
        public("taxpayer.pem", taxpayer.cert.to_pem()?.as_bytes())?;
        secret("taxpayer.key", key_pem(&taxpayer.key)?.as_bytes())?;
        public("inspection.pem", inspection.cert.to_pem()?.as_bytes())?;
        secret("inspection.key", key_pem(&inspection.key)?.as_bytes())?;
        public("request.p7m", &req_msg)?;
        public("answer.p7m", &ans_msg)?;
        log(&format!(
            "wrote root.pem ca.pem taxpayer.pem/.key inspection.pem/.key request.p7m answer.p7m to {}",
            dir.display()
        ));
    }
    Ok(())
}
