//! gostkit's PKCS#11 client (feature `pkcs11`) against gostkit's own software token,
//! `libgostkit_pkcs11.so` (built here with `cargo build -p gostkit-pkcs11` when missing):
//! keys generated on the token, a PKCS#10 request and CMS SignedData signed there (verified by
//! gostkit and by `openssl cms -verify`), an `openssl cms -encrypt` message decrypted through
//! the token's VKO, and the PIN and lookup errors.

mod common;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use gostkit::ErrorKind;
use gostkit::cms::{enveloped, signed};
use gostkit::ec::{ParamSet, SignDigest};
use gostkit::pkcs11::{Module, Pkcs11Error, Pkcs11Uri};
use gostkit::x509::{csr::CertificationRequest, issue, name::parse_slash_dn};
use zeroize::Zeroizing;

fn pin(s: &str) -> Option<Zeroizing<String>> {
    Some(Zeroizing::new(s.to_string()))
}

#[test]
fn token_keys_sign_decrypt_and_fail_typed() {
    let dir = std::env::temp_dir().join(format!("gostkit-p11client-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // SAFETY: the only test of this executable; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var("GOSTKIT_PKCS11_DIR", dir.join("store")) };
    let so_path = common::pkcs11::module_path();

    // token init through cryptoki
    let p = Pkcs11::new(&so_path).unwrap();
    p.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
        .unwrap();
    let slot = p.get_slots_with_token().unwrap()[0];
    let so = AuthPin::new("so-pin-1".into());
    p.init_token(slot, &so, "client").unwrap();
    let s = p.open_rw_session(slot).unwrap();
    s.login(UserType::So, Some(&so)).unwrap();
    s.init_pin(&AuthPin::new("user-pin-1".into())).unwrap();
    s.logout().unwrap();
    drop(s);

    let m = Module::load(&so_path).unwrap();
    assert!(m.tokens().unwrap().iter().any(|t| t.label == "client"));
    let uri = Pkcs11Uri::parse("pkcs11:token=client").unwrap();
    let ts = m.open(&uri, pin("user-pin-1")).unwrap();

    let k512 = ts.generate(ParamSet::Tc26_512A, "k512", &[0x05]).unwrap();
    let k256 = ts.generate(ParamSet::Tc26_256A, "k256", &[0x02]).unwrap();
    let by_uri = ts
        .key(&Pkcs11Uri::parse("pkcs11:token=client;object=k512;id=%05").unwrap())
        .unwrap();
    assert_eq!(by_uri.public_key(), k512.public_key());

    let peer = common::peer::Peer::find("p11client").ok();
    for (key, tag) in [(&k512, "512"), (&k256, "256")] {
        let subject = parse_slash_dn(&format!("/CN=token key {tag}")).unwrap();
        let req = CertificationRequest::build(key, &subject, &[]).unwrap();
        req.verify().unwrap();
        let cert = issue::self_signed(&subject, key, &issue::IssueOptions::days(30)).unwrap();
        ts.import_certificate(&cert, key.id(), tag).unwrap();
        assert_eq!(ts.certificate(key.id()).unwrap().unwrap(), cert);

        let data = format!("signed on the token with {tag}").into_bytes();
        let msg = signed::sign(
            &data,
            &[signed::Signer { cert: &cert, key }],
            &signed::SignOptions::default(),
        )
        .unwrap();
        let parsed = signed::SignedMessage::parse(&msg).unwrap();
        for r in parsed.verify(None, &[]) {
            r.result.unwrap();
        }
        let Some(peer) = &peer else { continue };
        let (cp, mp, dp, op) = (
            peer.path(&format!("c{tag}.pem")),
            peer.path(&format!("m{tag}.der")),
            peer.path(&format!("d{tag}")),
            peer.path(&format!("o{tag}")),
        );
        std::fs::write(&cp, cert.to_pem().unwrap()).unwrap();
        std::fs::write(&mp, &msg).unwrap();
        let out = peer
            .openssl(&[
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                &mp,
                "-noverify",
                "-certfile",
                &cp,
            ])
            .unwrap();
        assert_eq!(out, data);
        if tag == "256" {
            // VKO_GOSTR3410_2012_256 on the token: KEG of a 256-bit key (RFC 9189)
            std::fs::write(&dp, b"to the token").unwrap();
            peer.openssl(&[
                "cms",
                "-encrypt",
                "-binary",
                "-kuznyechik-ctr-acpkm",
                "-in",
                &dp,
                "-outform",
                "DER",
                "-out",
                &op,
                &cp,
            ])
            .unwrap();
            let env = enveloped::EnvelopedMessage::parse(&std::fs::read(&op).unwrap()).unwrap();
            let plain = env
                .decrypt(&[enveloped::Recipient {
                    cert: &cert,
                    key: &k256,
                }])
                .unwrap();
            assert_eq!(plain, b"to the token");
        }
    }

    // missing object → not-found
    let e = ts
        .key(&Pkcs11Uri::parse("pkcs11:object=nope").unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert_eq!(ts.delete(&[0x05]).unwrap(), 3);
    assert!(matches!(
        ts.key(&Pkcs11Uri::parse("pkcs11:id=%05").unwrap()),
        Err(Pkcs11Error::ObjectNotFound(_))
    ));
    drop((k512, k256, by_uri, ts));

    // wrong PIN → wrong-password, then locked
    let e = m.open(&uri, pin("wrong-pin")).err().unwrap();
    assert!(matches!(e, Pkcs11Error::WrongPin), "{e}");
    assert_eq!(e.kind().token(), "wrong-password");
    let mut last = e;
    for _ in 0..20 {
        match m.open(&uri, pin("wrong-pin")) {
            Err(e @ Pkcs11Error::PinLocked) => {
                last = e;
                break;
            }
            Err(e) => last = e,
            Ok(_) => panic!("a wrong PIN logged in"),
        }
    }
    assert!(matches!(last, Pkcs11Error::PinLocked), "{last}");
    assert_eq!(last.kind(), ErrorKind::PinLocked);
    assert!(matches!(
        m.open(&uri, pin("user-pin-1")).err(),
        Some(Pkcs11Error::PinLocked)
    ));
    let _ = std::fs::remove_dir_all(&dir);
}
