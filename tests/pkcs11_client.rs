//! gostkit's PKCS#11 client (feature `pkcs11`) against gostkit's own software token,
//! `libgostkit_pkcs11.so` (built here with `cargo build -p gostkit-pkcs11` when missing):
//! keys generated on the token, a PKCS#10 request and CMS SignedData signed there (verified by
//! gostkit and by `openssl cms -verify`), an `openssl cms -encrypt` message decrypted through
//! the token's VKO, TLS client authentication with a token key, and the PIN and lookup errors.

mod common;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::session::UserType;
use cryptoki::types::AuthPin;
use gostkit::ErrorKind;
use gostkit::cms::{enveloped, signed};
use gostkit::ec::{ParamSet, SignDigest, SigningKey};
use gostkit::pkcs11::{Module, Pkcs11Error, Pkcs11Uri};
use gostkit::tls::stream::TlsStream;
use gostkit::tls::{CipherSuite, ClientConfig, ServerConfig};
use gostkit::x509::Certificate;
use gostkit::x509::store::{CertStore, Role};
use gostkit::x509::{csr::CertificationRequest, issue, name::parse_slash_dn};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// A TLS 1.2 handshake (suite 0xC100) over loopback TCP in which the client authenticates with
/// `key` (its CertificateVerify signed on the token) and a server requiring a client certificate
/// issued by `cert` accepts it; then one message each way.
fn tls_client_auth(key: Arc<dyn SignDigest>, cert: &Certificate) {
    let server_key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let name = parse_slash_dn("/CN=localhost").unwrap();
    let server_cert =
        issue::self_signed(&name, &server_key, &issue::IssueOptions::days(30)).unwrap();
    let mut sc = ServerConfig::new(vec![server_cert.clone()], Arc::new(server_key)).unwrap();
    let mut client_ca = CertStore::new();
    client_ca.add(cert.clone(), Role::TrustedRoot);
    sc.client_ca = Some(client_ca);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (sock, _) = listener.accept().unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut tls = TlsStream::accept(Arc::new(sc), sock).unwrap();
        let peer = tls.connection().peer_certificates().to_vec();
        let mut buf = [0u8; 11];
        tls.read_exact(&mut buf).unwrap();
        tls.write_all(b"token seen").unwrap();
        (peer, buf)
    });
    let mut trust = CertStore::new();
    trust.add(server_cert, Role::TrustedRoot);
    let mut cc = ClientConfig::new(trust);
    cc.suites = vec![CipherSuite::KuznyechikCtrOmac];
    cc.client_auth = Some((vec![cert.clone()], key));
    let sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut tls =
        TlsStream::connect(Arc::new(cc), "localhost", sock).unwrap_or_else(|e| panic!("{e:?} {e}"));
    tls.write_all(b"from client").unwrap();
    let mut back = [0u8; 10];
    tls.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"token seen");
    let (peer, got) = server.join().unwrap();
    assert_eq!(&got, b"from client");
    assert_eq!(
        peer.as_slice(),
        std::slice::from_ref(cert),
        "the server saw the token key's certificate"
    );
}

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
        let uri = format!("pkcs11:token=client;id=%{:02x}", key.id()[0]);
        let again = ts.key(&Pkcs11Uri::parse(&uri).unwrap()).unwrap();
        tls_client_auth(Arc::new(again), &cert);
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
