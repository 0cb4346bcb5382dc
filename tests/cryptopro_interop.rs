//! Keys held by CryptoPro against the reference peer (OpenSSL 3 + gost-engine, see
//! `tests/common/peer.rs`): the real sample container of `test-vectors/cryptopro/` (empty PIN)
//! and the CryptoPro-exported `pfx1.pfx` (password 12345).
//!
//! For each key:
//! - a SignedData made by gostkit's CMS signer with the key and its stored certificate verifies
//!   with `openssl cms -verify -noverify` (attached, and detached with `-content`), and the same
//!   detached signature over altered content is refused by the peer. `-noverify` skips the
//!   signer's chain: the issuing CA ("CRYPTO-PRO Test Center 2" and the CA of the container's
//!   certificate) is not available here, and both certificates have expired; the signature
//!   itself, the messageDigest and the signed attributes are still checked by the peer;
//! - an EnvelopedData made by `openssl cms -encrypt` to the certificate (Kuznyechik and Magma
//!   CTR-ACPKM-OMAC, GOST 28147-89 CFB) decrypts with the key.
//!
//! The tests skip with a printed reason when the peer is absent, and fail under
//! `GOSTKIT_REQUIRE_PEER=1`.

mod common;

use common::peer::Peer;
use common::repo_root;
use gostkit::cms::CmsError;
use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{EnvelopedMessage, Recipient};
use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer};
use gostkit::container::Container;
use gostkit::ec::SigningKey;
use gostkit::x509::Certificate;

/// A key and its certificate, as a CryptoPro file holds them.
struct Held {
    cert: Certificate,
    key: SigningKey,
}

/// The sample container, unlocked with its empty PIN, and its stored certificate.
fn sample_container() -> Held {
    let dir = repo_root().join("test-vectors/cryptopro/91team-srv000-2012-256-nginx_gost");
    let c = Container::open(&dir).expect("open the sample container");
    let cert = c
        .certificate()
        .expect("the sample stores a certificate")
        .expect("it parses");
    let key = c.unlock(b"").expect("empty PIN").into_signing_key();
    assert!(cert.matches_key(&key));
    Held { cert, key }
}

/// The key and leaf certificate of `pfx1.pfx`.
fn pfx1() -> Held {
    let der = std::fs::read(repo_root().join("test-vectors/cryptopro/pfx1.pfx")).expect("pfx1.pfx");
    let got = gostkit::x509::pfx::import(&der, b"12345").expect("import pfx1.pfx");
    let cert = got.cert.expect("pfx1.pfx has the key's certificate");
    let key = got.key.to_signing_key().expect("GOST key");
    assert!(cert.matches_key(&key));
    Held { cert, key }
}

/// gostkit signs (attached, then detached), the peer verifies with `-noverify`; the detached
/// signature over other content is refused by the peer.
fn gostkit_signs_peer_verifies(peer: &Peer, held: &Held, what: &str) {
    let content = format!("a document signed with the {what} key by gostkit\n").into_bytes();
    let (data, other, msgp, outp) = (
        peer.path("data"),
        peer.path("other"),
        peer.path("m.p7s"),
        peer.path("out"),
    );
    std::fs::write(&data, &content).unwrap();
    let signer = Signer {
        cert: &held.cert,
        key: &held.key,
    };
    // Attached, with signed attributes and the certificate in the message.
    let msg = signed::sign(&content, &[signer], &SignOptions::default()).unwrap();
    std::fs::write(&msgp, &msg).unwrap();
    peer.openssl(&[
        "cms",
        "-verify",
        "-noverify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &msgp,
        "-out",
        &outp,
    ])
    .unwrap_or_else(|e| panic!("{what}: the peer refused the attached message: {e}"));
    assert_eq!(std::fs::read(&outp).unwrap(), content, "{what}: content");
    // Detached.
    let opts = SignOptions {
        detached: true,
        ..SignOptions::default()
    };
    let msg = signed::sign(&content, &[signer], &opts).unwrap();
    std::fs::write(&msgp, &msg).unwrap();
    peer.openssl(&[
        "cms",
        "-verify",
        "-noverify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &msgp,
        "-content",
        &data,
        "-out",
        &outp,
    ])
    .unwrap_or_else(|e| panic!("{what}: the peer refused the detached message: {e}"));
    // The control: -noverify still checks the signature, so other content fails.
    let mut altered = content.clone();
    altered[0] ^= 1;
    std::fs::write(&other, &altered).unwrap();
    let refused = peer.openssl(&[
        "cms",
        "-verify",
        "-noverify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &msgp,
        "-content",
        &other,
        "-out",
        &outp,
    ]);
    assert!(
        refused.is_err(),
        "{what}: the peer accepted a signature over other content"
    );
}

/// The peer encrypts to the certificate with each cipher; gostkit decrypts with the key.
fn peer_encrypts_gostkit_decrypts(peer: &Peer, held: &Held, what: &str) {
    let (certp, data, msgp) = (peer.path("cert.pem"), peer.path("data"), peer.path("m.der"));
    std::fs::write(&certp, held.cert.to_pem().unwrap()).unwrap();
    let small = format!("to the {what} key\n").into_bytes();
    let big: Vec<u8> = (0..6000u32).map(|i| (i * 7 + 3) as u8).collect();
    let me = [Recipient {
        cert: &held.cert,
        key: &held.key,
    }];
    for (name, cipher) in [
        (
            "kuznyechik-ctr-acpkm-omac",
            ContentCipher::KuznyechikCtrAcpkmOmac,
        ),
        ("magma-ctr-acpkm-omac", ContentCipher::MagmaCtrAcpkmOmac),
        ("gost89", ContentCipher::Gost28147Cfb),
    ] {
        for content in [&small, &big] {
            std::fs::write(&data, content).unwrap();
            peer.openssl(&[
                "cms",
                "-encrypt",
                "-binary",
                &format!("-{name}"),
                "-in",
                &data,
                "-outform",
                "DER",
                "-out",
                &msgp,
                &certp,
            ])
            .unwrap_or_else(|e| panic!("{what} {name}: the peer did not encrypt: {e}"));
            let m = EnvelopedMessage::parse(&std::fs::read(&msgp).unwrap()).unwrap();
            assert_eq!(m.cipher(), cipher, "{what} {name}");
            let plain = m
                .decrypt(&me)
                .unwrap_or_else(|e| panic!("{what} {name} {} bytes: {e:?}", content.len()));
            assert_eq!(&plain, content, "{what} {name} {} bytes", content.len());
        }
    }
}

#[test]
fn container_key_signs_cms_the_peer_verifies() {
    let peer = match Peer::find("cp-interop-container-sign") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: CMS signed with the container key, verified by the peer: {why}");
            return;
        }
    };
    let held = sample_container();
    gostkit_signs_peer_verifies(&peer, &held, "container");
    // gostkit's own verifier refuses this signer for a document signature: the certificate is a
    // TLS server certificate (extKeyUsage serverAuth only). The peer's -noverify checks no
    // purpose.
    let msg = signed::sign(
        b"x",
        &[Signer {
            cert: &held.cert,
            key: &held.key,
        }],
        &SignOptions::default(),
    )
    .unwrap();
    let reports = SignedMessage::parse(&msg).unwrap().verify(None, &[]);
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].result, Err(CmsError::SignerKeyUsage));
}

#[test]
fn peer_encrypts_to_the_container_certificate() {
    let peer = match Peer::find("cp-interop-container-decrypt") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: peer EnvelopedData to the container's certificate: {why}");
            return;
        }
    };
    peer_encrypts_gostkit_decrypts(&peer, &sample_container(), "container");
}

#[test]
fn pfx_key_signs_cms_the_peer_verifies() {
    let peer = match Peer::find("cp-interop-pfx-sign") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: CMS signed with the pfx1.pfx key, verified by the peer: {why}");
            return;
        }
    };
    gostkit_signs_peer_verifies(&peer, &pfx1(), "pfx1.pfx");
}

#[test]
fn peer_encrypts_to_the_pfx_certificate() {
    let peer = match Peer::find("cp-interop-pfx-decrypt") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: peer EnvelopedData to the pfx1.pfx certificate: {why}");
            return;
        }
    };
    peer_encrypts_gostkit_decrypts(&peer, &pfx1(), "pfx1.pfx");
}
