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
