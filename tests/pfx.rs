//! PFX (PKCS #12) per R 50.1.112-2016 / RFC 9548: round trips, OpenSSL + gost-engine reading
#![allow(clippy::cloned_ref_to_slice_refs)] // short literal slices read better in tests
//! gostkit's PFX and gostkit reading the peer's (GOST and default SHA-256 MACs).

mod common;

use common::peer::Peer;
use gostkit::asn1::GostPrivateKey;
use gostkit::asn1::pbes2::KeyCipher;
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::issue::{IssueOptions, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::{Certificate, X509Error, pfx};

const PASSWORD: &str = "пароль";

fn identity(set: ParamSet, cn: &str) -> (GostPrivateKey, Certificate) {
    let k = SigningKey::generate(set).unwrap();
    let c = self_signed(&parse_slash_dn(cn).unwrap(), &k, &IssueOptions::days(10)).unwrap();
    (GostPrivateKey::from_signing_key(&k).unwrap(), c)
}

#[test]
fn round_trips_and_failures() {
    let (key, cert) = identity(ParamSet::Tc26_256A, "/CN=PFX owner");
    let (_, ca) = identity(ParamSet::Tc26_512A, "/CN=PFX CA");
    for cipher in [KeyCipher::Kuznyechik, KeyCipher::Gost28147] {
        let der = pfx::export(
            &key,
            &cert,
            std::slice::from_ref(&ca),
            PASSWORD.as_bytes(),
            cipher,
            10,
        )
        .unwrap();
        let got = pfx::import(&der, PASSWORD.as_bytes()).unwrap();
        assert_eq!(got.key.key, key.key);
        assert_eq!(got.cert.as_ref(), Some(&cert));
        assert_eq!(got.others, [ca.clone()]);
        assert_eq!(
            pfx::import(&der, b"wrong").err(),
            Some(X509Error::WrongPassword)
        );
        let mut t = der.clone();
        let n = t.len();
        t[n - 30] ^= 1; // inside the MAC value
        assert_eq!(
            pfx::import(&t, PASSWORD.as_bytes()).err(),
            Some(X509Error::WrongPassword)
        );
        assert!(pfx::import(&der[..der.len() - 3], PASSWORD.as_bytes()).is_err());
    }
    let (other, _) = identity(ParamSet::Tc26_256A, "/CN=x");
    assert_eq!(
        pfx::export(&other, &cert, &[], b"p", KeyCipher::Kuznyechik, 1).err(),
        Some(X509Error::KeyMismatch)
    );
}

#[test]
fn peer_both_ways() {
    let peer = match Peer::find("pfx") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: PFX interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let pass = format!("pass:{PASSWORD}");
    let (k, c, p12, out) = (
        peer.path("k.pem"),
        peer.path("c.pem"),
        peer.path("p.pfx"),
        peer.path("o.pem"),
    );
    for (alg, set) in [("gost2012_256", "A"), ("gost2012_512", "C")] {
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{set}"),
            "-out",
            &k,
        ])
        .unwrap();
        peer.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            &k,
            "-subj",
            "/CN=Peer PFX",
            "-days",
            "5",
            "-out",
            &c,
        ])
        .unwrap();
        let key = GostPrivateKey::decode(&std::fs::read(&k).unwrap()).unwrap();
        let cert = Certificate::decode(&std::fs::read(&c).unwrap()).unwrap();
        // Peer → gostkit: RFC 9548 form (GOST MAC, GOST PBES2 for key and certificates) and
        // OpenSSL's default (AES-256-CBC, SHA-256 MAC).
        for extra in [
            &[
                "-macalg",
                "md_gost12_512",
                "-keypbe",
                "kuznyechik-ctr-acpkm",
                "-certpbe",
                "kuznyechik-ctr-acpkm",
            ][..],
            &[
                "-macalg",
                "md_gost12_512",
                "-keypbe",
                "gost89",
                "-certpbe",
                "gost89",
            ][..],
            &[][..],
        ] {
            let mut args = vec![
                "pkcs12", "-export", "-in", &c, "-inkey", &k, "-passout", &pass, "-out", &p12,
            ];
            args.extend_from_slice(extra);
            peer.openssl(&args).unwrap();
            let der = std::fs::read(&p12).unwrap();
            let got = pfx::import(&der, PASSWORD.as_bytes())
                .unwrap_or_else(|e| panic!("{alg} {extra:?}: {e}"));
            assert_eq!(
                got.key.to_signing_key().unwrap().to_bytes(),
                key.to_signing_key().unwrap().to_bytes()
            );
            assert_eq!(got.cert.as_ref(), Some(&cert));
            assert_eq!(
                pfx::import(&der, b"wrong").err(),
                Some(X509Error::WrongPassword),
                "{extra:?}"
            );
        }
        // gostkit → peer.
        for cipher in [KeyCipher::Kuznyechik, KeyCipher::Gost28147] {
            std::fs::write(
                &p12,
                pfx::export(&key, &cert, &[], PASSWORD.as_bytes(), cipher, 100).unwrap(),
            )
            .unwrap();
            peer.openssl(&[
                "pkcs12", "-in", &p12, "-passin", &pass, "-nodes", "-out", &out,
            ])
            .unwrap_or_else(|e| panic!("{alg} {cipher:?}: {e}"));
            let text = std::fs::read(&out).unwrap();
            // The output has "Bag Attributes" text and the certificate before the key block.
            let t = String::from_utf8(text.clone()).unwrap();
            let block = &t[t.find("-----BEGIN PRIVATE KEY-----").expect("key block")..];
            let back = GostPrivateKey::decode(block.as_bytes()).unwrap();
            assert_eq!(
                back.to_signing_key().unwrap().to_bytes(),
                key.to_signing_key().unwrap().to_bytes()
            );
            assert_eq!(Certificate::decode_all(&text).unwrap(), [cert.clone()]);
        }
    }
}

/// The R 50.1.112-2016 Appendix A / RFC 9548 example PFX.
#[test]
fn standard_example() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/rfc9548");
    let b64 = std::fs::read_to_string(dir.join("example.pfx.b64")).unwrap();
    let pem = format!("-----BEGIN PKCS12-----\n{b64}-----END PKCS12-----\n");
    let der = gostkit::asn1::pem::decode_pem(pem.as_bytes(), "PKCS12").unwrap();
    let want = Certificate::decode(&std::fs::read(dir.join("example-cert.pem")).unwrap()).unwrap();
    let got = pfx::import(&der, "Пароль для PFX".as_bytes()).unwrap();
    assert_eq!(got.cert.as_ref(), Some(&want));
    assert!(want.matches_key(&got.key.to_signing_key().unwrap()));
    assert!(got.others.is_empty());
    assert!(
        gostkit::x509::name::to_rfc4514(want.subject())
            .contains("CN=Test certificate 1 (PKCS#12 example)")
    );
    for wrong in ["", "пароль для PFX", "Пароль для PFX "] {
        assert_eq!(
            pfx::import(&der, wrong.as_bytes()).err(),
            Some(X509Error::WrongPassword),
            "{wrong:?}"
        );
    }
}

/// Issue 9: PFX MACs HMAC-Streebog-256/512 and HMAC-GOST R 34.11-94 as
/// `openssl pkcs12 -export -macalg md_gost12_256 | md_gost12_512 | md_gost94` writes them (the
/// RFC 9548 §3 key derivation with the MAC's own hash).
#[test]
fn peer_gost_mac_algorithms() {
    let peer = match Peer::find("pfx-mac") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: PFX MAC interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let pass = format!("pass:{PASSWORD}");
    let (k, c, p12) = (peer.path("k.pem"), peer.path("c.pem"), peer.path("p.pfx"));
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_256",
        "-pkeyopt",
        "paramset:B",
        "-out",
        &k,
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &k,
        "-subj",
        "/CN=Peer MAC",
        "-days",
        "5",
        "-out",
        &c,
    ])
    .unwrap();
    let key = GostPrivateKey::decode(&std::fs::read(&k).unwrap()).unwrap();
    let cert = Certificate::decode(&std::fs::read(&c).unwrap()).unwrap();
    for mac in ["md_gost12_256", "md_gost12_512", "md_gost94"] {
        for keypbe in ["kuznyechik-ctr-acpkm", "gost89", "aes-256-cbc"] {
            peer.openssl(&[
                "pkcs12", "-export", "-in", &c, "-inkey", &k, "-passout", &pass, "-out", &p12,
                "-macalg", mac, "-keypbe", keypbe, "-certpbe", keypbe,
            ])
            .unwrap();
            let der = std::fs::read(&p12).unwrap();
            let got = pfx::import(&der, PASSWORD.as_bytes())
                .unwrap_or_else(|e| panic!("{mac} {keypbe}: {e}"));
            assert_eq!(
                got.key.to_signing_key().unwrap().to_bytes(),
                key.to_signing_key().unwrap().to_bytes()
            );
            assert_eq!(got.cert.as_ref(), Some(&cert));
            let e = pfx::import(&der, b"wrong").unwrap_err();
            assert_eq!(e, X509Error::WrongPassword, "{mac} {keypbe}");
            assert!(e.to_string().contains("MAC verification failed"), "{e}");
        }
    }
}

/// Issue 9: a PFX with Magma CTR-ACPKM bags (`-keypbe magma-ctr-acpkm -certpbe magma-ctr-acpkm
/// -macalg md_gost12_512`) failed as "wrong password": its certificate bags are longer than
/// one ACPKM section, and gost-engine's PBES2 sections are 1 KiB (Magma) / 4 KiB (Kuznyechik),
/// not the CMS sizes gostkit used. Bags longer than a section, both ciphers, both ways.
#[test]
fn peer_ctr_acpkm_bags_longer_than_a_section() {
    let peer = match Peer::find("pfx-acpkm") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: PFX CTR-ACPKM interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let pass = format!("pass:{PASSWORD}");
    let (k, c, ck, cc, chain, p12, out) = (
        peer.path("k.pem"),
        peer.path("c.pem"),
        peer.path("ck.pem"),
        peer.path("cc.pem"),
        peer.path("chain.pem"),
        peer.path("p.pfx"),
        peer.path("o.pem"),
    );
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_512",
        "-pkeyopt",
        "paramset:A",
        "-out",
        &k,
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &k,
        "-subj",
        "/CN=Peer ACPKM",
        "-days",
        "5",
        "-out",
        &c,
    ])
    .unwrap();
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_512",
        "-pkeyopt",
        "paramset:C",
        "-out",
        &ck,
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &ck,
        "-subj",
        "/CN=Peer ACPKM chain",
        "-days",
        "5",
        "-out",
        &cc,
    ])
    .unwrap();
    // Twelve copies of a 512-bit certificate: more than 4 KiB of certificate bags.
    let one = std::fs::read_to_string(&cc).unwrap();
    std::fs::write(&chain, one.repeat(12)).unwrap();
    let key = GostPrivateKey::decode(&std::fs::read(&k).unwrap()).unwrap();
    let cert = Certificate::decode(&std::fs::read(&c).unwrap()).unwrap();
    let other = Certificate::decode(one.as_bytes()).unwrap();
    for cipher in ["magma-ctr-acpkm", "kuznyechik-ctr-acpkm"] {
        peer.openssl(&[
            "pkcs12",
            "-export",
            "-in",
            &c,
            "-inkey",
            &k,
            "-certfile",
            &chain,
            "-passout",
            &pass,
            "-out",
            &p12,
            "-keypbe",
            cipher,
            "-certpbe",
            cipher,
            "-macalg",
            "md_gost12_512",
        ])
        .unwrap();
        let der = std::fs::read(&p12).unwrap();
        assert!(der.len() > 5000, "{}", der.len());
        let got =
            pfx::import(&der, PASSWORD.as_bytes()).unwrap_or_else(|e| panic!("{cipher}: {e}"));
        assert_eq!(
            got.key.to_signing_key().unwrap().to_bytes(),
            key.to_signing_key().unwrap().to_bytes()
        );
        assert_eq!(got.cert.as_ref(), Some(&cert));
        assert_eq!(got.others, vec![other.clone(); 12], "{cipher}");
    }
    // gostkit → peer with a Magma key bag.
    std::fs::write(
        &p12,
        pfx::export(&key, &cert, &[], PASSWORD.as_bytes(), KeyCipher::Magma, 100).unwrap(),
    )
    .unwrap();
    peer.openssl(&[
        "pkcs12", "-in", &p12, "-passin", &pass, "-nodes", "-out", &out,
    ])
    .unwrap();
    let t = std::fs::read_to_string(&out).unwrap();
    let block = &t[t.find("-----BEGIN PRIVATE KEY-----").expect("key block")..];
    let back = GostPrivateKey::decode(block.as_bytes()).unwrap();
    assert_eq!(
        back.to_signing_key().unwrap().to_bytes(),
        key.to_signing_key().unwrap().to_bytes()
    );
}

/// The two steps of import fail with distinct errors and messages.
#[test]
fn mac_and_bag_failures_are_distinct() {
    let mac = X509Error::WrongPassword;
    let bag = X509Error::BagDecryption {
        bag: gostkit::x509::PfxBag::Key,
        why: "the decrypted bag is not a PrivateKeyInfo",
        mac_verified: true,
    };
    assert_ne!(mac, bag);
    assert_eq!(mac.kind(), bag.kind());
    let (m, b) = (mac.to_string(), bag.to_string());
    assert!(m.contains("MAC verification failed"), "{m}");
    assert!(b.contains("key bag decryption failed"), "{b}");
    assert!(b.contains("the PFX MAC verified with this password"), "{b}");
    let certs = X509Error::BagDecryption {
        bag: gostkit::x509::PfxBag::EncryptedContents,
        why: "x",
        mac_verified: false,
    };
    assert!(certs.to_string().contains("certificate bags"), "{certs}");
    assert!(!certs.to_string().contains("MAC verified"), "{certs}");
}

/// PKCS #9 §5.5.1 friendlyName on the bags: written as a BMPString, read back, refused outside
/// the BMP; and OpenSSL shows it.
#[test]
fn friendly_name_round_trip_and_peer() {
    let (key, cert) = identity(ParamSet::Tc26_256A, "/CN=Named owner");
    let name = "Ключ Alice";
    let der = pfx::export_named(
        &key,
        &cert,
        &[],
        PASSWORD.as_bytes(),
        KeyCipher::Kuznyechik,
        10,
        Some(name),
    )
    .unwrap();
    let got = pfx::import(&der, PASSWORD.as_bytes()).unwrap();
    assert_eq!(got.friendly_name.as_deref(), Some(name));
    assert_eq!(got.cert.as_ref(), Some(&cert));
    let plain = pfx::export(&key, &cert, &[], b"p", KeyCipher::Kuznyechik, 10).unwrap();
    assert_eq!(pfx::import(&plain, b"p").unwrap().friendly_name, None);
    assert!(matches!(
        pfx::export_named(
            &key,
            &cert,
            &[],
            b"p",
            KeyCipher::Kuznyechik,
            10,
            Some("😀")
        ),
        Err(X509Error::Invalid(_))
    ));
    let peer = match Peer::find("pfx-friendly-name") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: PFX friendlyName with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let p12 = peer.path("named.pfx");
    std::fs::write(&p12, &der).unwrap();
    let pass = format!("pass:{PASSWORD}");
    let out = peer
        .openssl(&["pkcs12", "-in", &p12, "-passin", &pass, "-nokeys", "-info"])
        .unwrap();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("friendlyName:") && text.contains("Alice"),
        "{text}"
    );
}
