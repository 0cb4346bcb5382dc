//! Password-protected PKCS#8 keys (PBES2): round trips, and OpenSSL + gost-engine reading
//! gostkit's and gostkit reading OpenSSL's, with a Cyrillic password.

mod common;

use common::peer::Peer;
use gostkit::asn1::pbes2::{self, KeyCipher};
use gostkit::asn1::{Asn1Error, GostPrivateKey};
use gostkit::ec::{ParamSet, SigningKey};

const PASSWORD: &str = "пароль123";

#[test]
fn round_trips_and_wrong_password() {
    for set in [
        ParamSet::Tc26_256A,
        ParamSet::Tc26_512C,
        ParamSet::CryptoProA,
    ] {
        let key = GostPrivateKey::from_signing_key(&SigningKey::generate(set).unwrap()).unwrap();
        for cipher in [
            KeyCipher::Kuznyechik,
            KeyCipher::Magma,
            KeyCipher::Gost28147,
        ] {
            let pem = pbes2::encrypt_pkcs8_pem(&key, PASSWORD.as_bytes(), cipher, 10).unwrap();
            assert!(pbes2::is_encrypted(pem.as_bytes()));
            let back = pbes2::decrypt_pkcs8(pem.as_bytes(), PASSWORD.as_bytes()).unwrap();
            assert_eq!(back.key, key.key, "{set:?} {cipher:?}");
            assert_eq!(
                pbes2::decrypt_pkcs8(pem.as_bytes(), b"wrong").err(),
                Some(Asn1Error::WrongPassword)
            );
            assert_eq!(
                pbes2::decode_maybe_encrypted(pem.as_bytes(), None).err(),
                Some(Asn1Error::PasswordRequired)
            );
        }
    }
}

#[test]
fn peer_both_ways() {
    let peer = match Peer::find("pbes2") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: encrypted PKCS#8 interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let pass = format!("pass:{PASSWORD}");
    let (plain, enc, out) = (peer.path("k.pem"), peer.path("e.pem"), peer.path("o.pem"));
    for (alg, set) in [("gost2012_256", "A"), ("gost2012_512", "C")] {
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{set}"),
            "-out",
            &plain,
        ])
        .unwrap();
        let key = GostPrivateKey::decode(&std::fs::read(&plain).unwrap()).unwrap();
        // Peer → gostkit: GOST ciphers (with the PRF the peer picks) and its AES default.
        for cipher in [
            "kuznyechik-ctr-acpkm",
            "magma-ctr-acpkm",
            "gost89",
            "aes-256-cbc",
            "aes-128-cbc",
        ] {
            peer.openssl(&[
                "pkcs8", "-topk8", "-in", &plain, "-v2", cipher, "-iter", "100", "-passout", &pass,
                "-out", &enc,
            ])
            .unwrap();
            let got = pbes2::decrypt_pkcs8(&std::fs::read(&enc).unwrap(), PASSWORD.as_bytes())
                .unwrap_or_else(|e| panic!("{alg} {cipher}: {e}"));
            assert_eq!(
                got.to_signing_key().unwrap().to_bytes(),
                key.to_signing_key().unwrap().to_bytes(),
                "{cipher}"
            );
            assert_eq!(
                pbes2::decrypt_pkcs8(&std::fs::read(&enc).unwrap(), b"wrong").err(),
                Some(Asn1Error::WrongPassword),
                "{cipher}"
            );
        }
        // gostkit → peer.
        for cipher in [
            KeyCipher::Kuznyechik,
            KeyCipher::Magma,
            KeyCipher::Gost28147,
        ] {
            std::fs::write(
                &enc,
                pbes2::encrypt_pkcs8_pem(&key, PASSWORD.as_bytes(), cipher, 100).unwrap(),
            )
            .unwrap();
            peer.openssl(&["pkcs8", "-in", &enc, "-passin", &pass, "-out", &out])
                .unwrap_or_else(|e| panic!("{alg} {cipher:?}: {e}"));
            let back = GostPrivateKey::decode(&std::fs::read(&out).unwrap()).unwrap();
            assert_eq!(
                back.to_signing_key().unwrap().to_bytes(),
                key.to_signing_key().unwrap().to_bytes()
            );
        }
    }
}

/// A key encrypted with more PBKDF2 iterations than the cap is refused before any derivation
/// (never timed), and read when the caller raises the cap.
#[test]
fn iteration_cap_is_enforced_and_configurable() {
    use gostkit::asn1::pbes2::{self, KeyCipher};
    let key = gostkit::ec::SigningKey::generate(gostkit::ec::ParamSet::Tc26_256A).unwrap();
    let pk = gostkit::asn1::GostPrivateKey::from_signing_key(&key).unwrap();
    let der = pbes2::encrypt_pkcs8(&pk, b"pw", KeyCipher::Kuznyechik, 1_000).unwrap();
    let err = pbes2::decode_maybe_encrypted_with(&der, Some(b"pw"), 999).unwrap_err();
    assert_eq!(
        err,
        gostkit::asn1::Asn1Error::IterationCap {
            count: 1_000,
            cap: 999
        }
    );
    assert_eq!(err.kind(), gostkit::ErrorKind::Unsupported);
    assert!(pbes2::decode_maybe_encrypted_with(&der, Some(b"pw"), 1_000).is_ok());
    let big = pbes2::encrypt_pkcs8(&pk, b"pw", KeyCipher::Kuznyechik, 200_000).unwrap();
    assert!(matches!(
        pbes2::decode_maybe_encrypted(&big, Some(b"pw")),
        Err(gostkit::asn1::Asn1Error::IterationCap {
            count: 200_000,
            cap: pbes2::DEFAULT_MAX_ITERATIONS
        })
    ));
}
