//! Issue-9 hardening of CMS: a signer's keyUsage / extKeyUsage must allow signing (OpenSSL
//! refuses such signers too), signer and recipient counts are capped (configurable), many
//! signers over a large content verify with the content hashed once per digest algorithm, and
//! GOST 28147-89 key transport works to 512-bit recipients (checked by the peer).

mod common;

use std::time::Instant;

use common::peer::Peer;
use common::pki::{TestPki, enrol};
use der::Encode;
use der::asn1::OctetString;
use gostkit::asn1::GostPrivateKey;
use gostkit::cms::CmsError;
use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{self, DecryptOptions, EnvelopedMessage};
use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer, VerifyOptions};
use gostkit::ec::ParamSet;
use gostkit::oid::ObjectIdentifier;
use gostkit::x509::issue::IssueOptions;
use gostkit::x509::path::RevocationPolicy;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsages};

fn eku(oids: &[&str]) -> Extension {
    let list: Vec<ObjectIdentifier> = oids
        .iter()
        .map(|o| ObjectIdentifier::new_unwrap(o))
        .collect();
    Extension {
        extn_id: ObjectIdentifier::new_unwrap("2.5.29.37"),
        critical: false,
        extn_value: OctetString::new(ExtendedKeyUsage(list).to_der().unwrap()).unwrap(),
    }
}

/// Signs `data` as `p`, then verifies against the PKI's store; the first signer's result.
fn sign_and_verify(
    pki: &TestPki,
    p: &common::pki::Party,
    data: &[u8],
) -> (Vec<u8>, Result<(), CmsError>) {
    let msg = signed::sign(
        data,
        &[Signer {
            cert: &p.cert,
            key: &p.key,
        }],
        &SignOptions {
            chain: vec![pki.ca.cert.clone()],
            ..SignOptions::default()
        },
    )
    .unwrap();
    let r = SignedMessage::parse(&msg).unwrap().verify_with_store(
        None,
        &pki.store(),
        None,
        RevocationPolicy::Off,
    );
    (msg, r[0].result.clone())
}

#[test]
fn signer_key_usage_must_allow_signing() {
    let pki = TestPki::new("/CN=Leaf");
    let mut ke_only = IssueOptions::days(30);
    ke_only.key_usage = Some(KeyUsages::KeyEncipherment.into());
    let enc = enrol(
        &pki.ca,
        "/CN=Encipherment only",
        ParamSet::Tc26_256A,
        &ke_only,
    );
    let (msg, r) = sign_and_verify(&pki, &enc, b"doc");
    assert_eq!(r, Err(CmsError::SignerKeyUsage));
    assert_eq!(CmsError::SignerKeyUsage.kind().token(), "key-usage");

    let mut server = IssueOptions::days(30);
    server.extensions.push(eku(&["1.3.6.1.5.5.7.3.1"]));
    let tls = enrol(&pki.ca, "/CN=TLS server only", ParamSet::Tc26_256A, &server);
    assert_eq!(
        sign_and_verify(&pki, &tls, b"doc").1,
        Err(CmsError::SignerKeyUsage)
    );

    let mut client = IssueOptions::days(30);
    client
        .extensions
        .push(eku(&["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4"]));
    let person = enrol(
        &pki.ca,
        "/CN=Client and e-mail",
        ParamSet::Tc26_256A,
        &client,
    );
    assert_eq!(sign_and_verify(&pki, &person, b"doc").1, Ok(()));
    assert_eq!(sign_and_verify(&pki, &pki.leaf, b"doc").1, Ok(()));

    // OpenSSL + gost-engine refuses the keyEncipherment-only signer as well.
    let peer = match Peer::find("cms-ku") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIP peer part: {why}");
            return;
        }
    };
    std::fs::write(peer.path("m.der"), &msg).unwrap();
    let mut cas = pki.root.cert.to_pem().unwrap();
    cas.push_str(&pki.ca.cert.to_pem().unwrap());
    std::fs::write(peer.path("ca.pem"), cas).unwrap();
    let refused = peer.openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &peer.path("m.der"),
        "-CAfile",
        &peer.path("ca.pem"),
        "-out",
        &peer.path("out"),
    ]);
    let why = refused.expect_err("the peer must refuse a keyEncipherment-only signer");
    assert!(
        why.contains("unsuitable certificate purpose") || why.contains("purpose"),
        "{why}"
    );
}

#[test]
fn signer_and_recipient_counts_are_capped() {
    let pki = TestPki::new("/CN=Leaf");
    let parties: Vec<_> = (0..65)
        .map(|i| {
            enrol(
                &pki.ca,
                &format!("/CN=Signer {i}"),
                ParamSet::Tc26_256A,
                &IssueOptions::days(30),
            )
        })
        .collect();
    let signers: Vec<Signer<'_>> = parties
        .iter()
        .map(|p| Signer {
            cert: &p.cert,
            key: &p.key,
        })
        .collect();
    let msg = signed::sign(b"x", &signers, &SignOptions::default()).unwrap();
    assert_eq!(
        SignedMessage::parse(&msg).err(),
        Some(CmsError::TooManySigners { count: 65, cap: 64 })
    );
    let m = SignedMessage::parse_with(&msg, &VerifyOptions { max_signers: 65 }).unwrap();
    assert_eq!(m.signers.len(), 65);

    let certs: Vec<_> = parties.iter().map(|p| &p.cert).collect();
    let env = enveloped::encrypt(b"secret", &certs, ContentCipher::KuznyechikCtrAcpkmOmac).unwrap();
    assert_eq!(
        EnvelopedMessage::parse(&env).err(),
        Some(CmsError::TooManyRecipients { count: 65, cap: 64 })
    );
    let e = EnvelopedMessage::parse_with(&env, &DecryptOptions { max_recipients: 65 }).unwrap();
    assert_eq!(e.recipient_count(), 65);
    assert_eq!(
        enveloped::decrypt_stream(&mut env.as_slice(), &mut Vec::new(), &[], &[]).err(),
        Some(CmsError::TooManyRecipients { count: 65, cap: 64 })
    );
    assert_eq!(
        CmsError::TooManySigners { count: 65, cap: 64 }
            .kind()
            .token(),
        "unsupported"
    );
}

/// 200 signers over 1 MB: every signer verifies, the content is hashed once per digest
/// algorithm (the time is printed, never asserted).
#[test]
fn many_signers_over_a_large_content() {
    let pki = TestPki::new("/CN=Leaf");
    let parties: Vec<_> = (0..200)
        .map(|i| {
            let set = if i % 2 == 0 {
                ParamSet::Tc26_256A
            } else {
                ParamSet::Tc26_512A
            };
            enrol(
                &pki.ca,
                &format!("/CN=Co-signer {i}"),
                set,
                &IssueOptions::days(30),
            )
        })
        .collect();
    let signers: Vec<Signer<'_>> = parties
        .iter()
        .map(|p| Signer {
            cert: &p.cert,
            key: &p.key,
        })
        .collect();
    let data = vec![0x5au8; 1 << 20];
    let msg = signed::sign(&data, &signers, &SignOptions::default()).unwrap();
    let m = SignedMessage::parse_with(&msg, &VerifyOptions { max_signers: 200 }).unwrap();
    let t = Instant::now();
    let reports = m.verify_with_store(None, &pki.store(), None, RevocationPolicy::Off);
    println!("200 signers over 1 MB verified in {:?}", t.elapsed());
    assert_eq!(reports.len(), 200);
    assert!(reports.iter().all(|r| r.result.is_ok()));
}

/// GOST 28147-89 (RFC 4490) key transport to a 512-bit recipient: OpenSSL + gost-engine
/// decrypts what gostkit writes.
#[test]
fn gost89_to_a_512_bit_recipient_is_read_by_the_peer() {
    let pki = TestPki::new("/CN=Leaf");
    let r = enrol(
        &pki.ca,
        "/CN=Recipient 512",
        ParamSet::Tc26_512A,
        &IssueOptions::days(30),
    );
    let env =
        enveloped::encrypt(b"to a 512-bit key", &[&r.cert], ContentCipher::Gost28147Cfb).unwrap();
    let me = [enveloped::Recipient {
        cert: &r.cert,
        key: &r.key,
    }];
    assert_eq!(
        EnvelopedMessage::parse(&env).unwrap().decrypt(&me).unwrap(),
        b"to a 512-bit key"
    );
    let peer = match Peer::find("cms-gost89-512") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIP peer part: {why}");
            return;
        }
    };
    std::fs::write(peer.path("m.der"), &env).unwrap();
    std::fs::write(peer.path("r.pem"), r.cert.to_pem().unwrap()).unwrap();
    let key = GostPrivateKey::from_signing_key(&r.key)
        .unwrap()
        .to_pem()
        .unwrap();
    std::fs::write(peer.path("r.key"), key.as_bytes()).unwrap();
    let plain = peer
        .openssl(&[
            "cms",
            "-decrypt",
            "-binary",
            "-inform",
            "DER",
            "-in",
            &peer.path("m.der"),
            "-recip",
            &peer.path("r.pem"),
            "-inkey",
            &peer.path("r.key"),
        ])
        .expect("the peer decrypts GOST 28147-89 to a 512-bit key");
    assert_eq!(plain, b"to a 512-bit key");
}
