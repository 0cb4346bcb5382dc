//! The ION round trip as a library user writes it (`cargo run --example ion_demo`): a root CA
//! issues a taxpayer's and a tax inspection's certificates; the taxpayer signs a request
//! (CAdES-BES attributes) and encrypts it to the inspection; the inspection decrypts it and
//! verifies the signature and the chain, then answers the same way. `gostkit demo` (crate
//! `gostkit-cli`) runs a longer version with an intermediate CA and writes the files.

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

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A key and the certificate the CA issued for it from a PKCS#10 request.
fn enrol(
    dn: &str,
    set: ParamSet,
    ca: &Certificate,
    ca_key: &SigningKey,
) -> Result<(Certificate, SigningKey)> {
    let key = SigningKey::generate(set)?;
    let req = CertificationRequest::build(&key, &parse_slash_dn(dn)?, &[])?;
    let cert = issue_from_request(&req, ca, ca_key, &IssueOptions::days(365))?;
    Ok((cert, key))
}

/// Signs `data` as `from`, then encrypts the SignedData to `to`.
fn seal(data: &[u8], from: &(Certificate, SigningKey), to: &Certificate) -> Result<Vec<u8>> {
    let signer = Signer {
        cert: &from.0,
        key: &from.1,
    };
    let sd = signed::sign(data, &[signer], &SignOptions::default())?;
    Ok(enveloped::encrypt(
        &sd,
        &[to],
        ContentCipher::KuznyechikCtrAcpkmOmac,
    )?)
}

/// Decrypts as `me`, verifies every signer against `store` (at the current time) and returns
/// the content with the signer's subject.
fn open(
    msg: &[u8],
    me: &(Certificate, SigningKey),
    store: &CertStore,
) -> Result<(Vec<u8>, String)> {
    let inner = EnvelopedMessage::parse(msg)?.decrypt(&[Recipient {
        cert: &me.0,
        key: &me.1,
    }])?;
    let sd = SignedMessage::parse(&inner)?;
    let mut who = String::new();
    for report in sd.verify_with_store(None, store, None, RevocationPolicy::WhenAvailable) {
        report.result?;
        who = report
            .cert
            .map(|c| to_rfc4514(c.subject()))
            .unwrap_or_default();
    }
    Ok((sd.content.ok_or("no content")?, who))
}

fn main() -> Result<()> {
    let root_key = SigningKey::generate(ParamSet::Tc26_512A)?;
    let root = self_signed(
        &parse_slash_dn("/CN=Example Root CA/C=RU")?,
        &root_key,
        &IssueOptions::ca_days(3650, None),
    )?;
    let taxpayer = enrol(
        "/CN=Иванов Иван/INN=500100732259/SNILS=12345678964",
        ParamSet::Tc26_256A,
        &root,
        &root_key,
    )?;
    let inspection = enrol(
        "/CN=ИФНС России № 1/INNLE=7701000019/OGRN=1047701000016",
        ParamSet::Tc26_512C,
        &root,
        &root_key,
    )?;
    let mut store = CertStore::new();
    store.add(root, Role::TrustedRoot);

    let request = seal(
        b"<ION kind=\"statement\" inn=\"500100732259\"/>",
        &taxpayer,
        &inspection.0,
    )?;
    let (text, who) = open(&request, &inspection, &store)?;
    println!("inspection received {} bytes signed by {who}", text.len());

    let answer = seal(b"<ION-answer balance=\"0.00\"/>", &inspection, &taxpayer.0)?;
    let (text, who) = open(&answer, &taxpayer, &store)?;
    println!(
        "taxpayer received {:?} signed by {who}",
        String::from_utf8_lossy(&text)
    );
    Ok(())
}
