//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz), kept in the library so that the seed
//! corpora also run as ordinary tests (`tests/fuzz_corpus.rs`). Each must return for any input
//! without panicking; a panic is a finding. Not part of the stable API.

use gostkit::asn1::{GostPrivateKey, GostPublicKey, pem};

/// SubjectPublicKeyInfo (PEM or DER): parse, check on the curve, and re-encode; what was
/// accepted once must be accepted again after re-encoding.
pub fn spki(data: &[u8]) {
    if let Ok(key) = GostPublicKey::decode(data) {
        let _ = key.to_verifying_key();
        if let Ok(der) = key.to_der() {
            assert!(
                GostPublicKey::from_der(&der).is_ok(),
                "re-encoded SPKI rejected"
            );
        }
    }
}

/// PKCS#8 private key (PEM or DER, every form gostkit reads): parse, unmask/check against the
/// curve, and re-encode.
pub fn pkcs8(data: &[u8]) {
    if let Ok(key) = GostPrivateKey::decode(data) {
        let _ = key.to_signing_key();
        if let Ok(der) = key.to_der() {
            assert!(
                GostPrivateKey::from_der(&der).is_ok(),
                "re-encoded PKCS#8 rejected"
            );
        }
    }
}

/// The tolerant PEM reader, under the labels gostkit reads.
pub fn pem(data: &[u8]) {
    for label in ["PRIVATE KEY", "PUBLIC KEY", "CERTIFICATE", "CMS"] {
        if let Ok(der) = pem::decode_any(data, label) {
            assert!(der.len() <= data.len(), "PEM decoding grew the input");
        }
    }
}

/// A fuzz target body.
pub type Target = fn(&[u8]);

/// Every target by name, for the corpus test.
pub const TARGETS: &[(&str, Target)] = &[
    ("spki", spki),
    ("pkcs8", pkcs8),
    ("pem", pem),
    ("cert", cert),
    ("csr", csr),
    ("crl", crl),
    ("cms_signed", cms_signed),
    ("cms_enveloped", cms_enveloped),
    ("pkcs8_encrypted", pkcs8_encrypted),
    ("pfx", pfx),
];

/// X.509 certificate (PEM or DER): parse, every accessor, the self-signature check.
pub fn cert(data: &[u8]) {
    use gostkit::x509::Certificate;
    if let Ok(c) = Certificate::decode(data) {
        let _ = gostkit::x509::name::to_rfc4514(c.subject());
        let _ = gostkit::x509::name::attributes(c.issuer());
        let _ = c.subject_ids();
        let _ = (
            c.key_usage_names(),
            c.ext_key_usage(),
            c.basic_constraints(),
        );
        let _ = (c.subject_key_id(), c.authority_key_id(), c.policies());
        let _ = (
            c.subject_sign_tool(),
            c.issuer_sign_tool(),
            c.identification_kind(),
        );
        let _ = c.crl_distribution_points();
        if let Ok(k) = c.verifying_key() {
            let _ = c.verify_signed_by(&k);
        }
    }
}

/// PKCS#10 request (PEM or DER): parse, requested extensions, signature check.
pub fn csr(data: &[u8]) {
    if let Ok(r) = gostkit::x509::csr::CertificationRequest::decode(data) {
        let _ = r.requested_extensions();
        let _ = r.verify();
    }
}

/// CRL (PEM or DER): parse, entries, extensions.
pub fn crl(data: &[u8]) {
    if let Ok(c) = gostkit::x509::crl::Crl::decode(data) {
        let _ = c.revocation(&[1]);
        let _ = c.unknown_critical_extension();
        let _ = (c.this_update(), c.next_update());
    }
}

/// CMS SignedData or DigestedData (DER, BER or PEM): parse and verify every signer against the
/// message's own certificates.
pub fn cms_signed(data: &[u8]) {
    if let Ok(m) = gostkit::cms::signed::SignedMessage::parse(data) {
        let _ = m.verify(None, &[]);
    }
    let _ = gostkit::cms::signed::verify_digested(data);
}

/// The fixed recipient of the `cms_enveloped` target: a tc26-256-A key with scalar 0x01..0x20
/// and a self-signed certificate for it (serial 1, fixed dates). Test data only.
pub fn enveloped_recipient() -> &'static (gostkit::x509::Certificate, gostkit::ec::SigningKey) {
    use std::sync::OnceLock;
    static R: OnceLock<(gostkit::x509::Certificate, gostkit::ec::SigningKey)> = OnceLock::new();
    R.get_or_init(|| {
        let d: Vec<u8> = (1..=32).collect();
        let key = gostkit::ec::SigningKey::from_bytes(gostkit::ec::ParamSet::Tc26_256A, &d)
            .expect("fixed fuzz key");
        let mut o = gostkit::x509::issue::IssueOptions::days(1);
        o.serial = Some(vec![1]);
        o.not_before = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600);
        o.not_after = o.not_before + std::time::Duration::from_secs(86_400);
        let name = gostkit::x509::name::parse_slash_dn("/CN=gostkit fuzz recipient").expect("dn");
        let cert = gostkit::x509::issue::self_signed(&name, &key, &o).expect("fuzz certificate");
        (cert, key)
    })
}

/// CMS EnvelopedData / EncryptedData (DER, BER or PEM): parse and decrypt with the fixed
/// recipient of [`enveloped_recipient`] (or, for EncryptedData, a fixed all-7 key).
pub fn cms_enveloped(data: &[u8]) {
    use gostkit::cms::enveloped::{EnvelopedMessage, Recipient, decrypt_encrypted_data};
    let (cert, key) = enveloped_recipient();
    if let Ok(m) = EnvelopedMessage::parse(data) {
        let _ = m.decrypt(&[Recipient { cert, key }]);
    }
    let _ = decrypt_encrypted_data(data, &[7u8; 32]);
}

/// Encrypted PKCS#8 (PEM or DER): parse and decrypt with the password `fuzz` (seeds use one
/// PBKDF2 iteration so their mutations stay fast).
pub fn pkcs8_encrypted(data: &[u8]) {
    let _ = gostkit::asn1::pbes2::decrypt_pkcs8(data, b"fuzz");
}

/// PFX (DER): MAC check, bag parsing and key decryption with the password `fuzz` (seeds use one
/// iteration).
pub fn pfx(data: &[u8]) {
    let _ = gostkit::x509::pfx::import(data, b"fuzz");
}
