//! CMS SignedData and DigestedData: the TC26 examples (R 1323565.1.025-2019 Appendix A.1, A.3)
//! and OpenSSL + gost-engine in both directions.

mod common;

use std::time::SystemTime;

use common::peer::Peer;
use gostkit::asn1::GostPrivateKey;
use gostkit::cms::CmsError;
use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::hash::HashAlg;
use gostkit::x509::Certificate;
use gostkit::x509::issue::{IssueOptions, issue, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::path::RevocationPolicy;
use gostkit::x509::store::{CertStore, Role};

fn cert(dir: &std::path::Path, name: &str) -> Certificate {
    Certificate::decode(&std::fs::read(dir.join(name)).unwrap()).unwrap()
}

#[test]
fn tc26_signed_examples() {
    let Some(dir) = common::tc26_cms_dir() else {
        return;
    };
    let root = cert(&dir, "root256_cert.pem");
    for (file, sender, hash_bits) in [
        ("signed_a111.pem", "sender512_cert.pem", 512),
        ("signed_a121.pem", "sender256_cert.pem", 256),
    ] {
        let msg = SignedMessage::parse(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        let content = msg.content.clone().unwrap();
        assert!(content.ends_with(b"SignedData."), "{file}");
        let s = cert(&dir, sender);
        // The example carries the signer certificate; also verify with it given separately.
        let reports = msg.verify(None, std::slice::from_ref(&s));
        assert_eq!(reports.len(), 1);
        reports[0].result.as_ref().unwrap();
        assert_eq!(reports[0].cert.as_ref().unwrap(), &s);
        assert_eq!(msg.signers[0].signature.len(), hash_bits / 4);
        // Signed attributes: A.1.1.1 has a signingTime (2019-03-20), A.1.2.1 none.
        assert_eq!(reports[0].signing_time.is_some(), file == "signed_a111.pem");
        // Chain to the TC26 root.
        let mut store = CertStore::new();
        store.add(root.clone(), Role::TrustedRoot);
        let r = msg.verify_with_store(None, &store, None, RevocationPolicy::Off);
        assert!(r[0].result.is_ok(), "{file}: {:?}", r[0].result);
        assert_eq!(r[0].path.as_ref().unwrap().len(), 2);
        // Tampered content → digest mismatch (with attrs) or bad signature (without).
        let mut bad = content.clone();
        bad[0] ^= 1;
        let r = msg.verify(Some(&bad), &[]);
        let expected = if hash_bits == 512 {
            CmsError::DigestMismatch
        } else {
            CmsError::BadSignature
        };
        assert_eq!(r[0].result.as_ref().unwrap_err(), &expected);
    }
    for file in ["hashed_a311.pem", "hashed_a321.pem"] {
        let content = signed::verify_digested(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        assert!(!content.is_empty(), "{file}");
    }
}

struct Pki {
    root: Certificate,
    ca: Certificate,
    ca_key: SigningKey,
}

fn pki() -> Pki {
    let root_key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let root = self_signed(
        &parse_slash_dn("/CN=CMS Root").unwrap(),
        &root_key,
        &IssueOptions::ca_days(100, None),
    )
    .unwrap();
    let ca_key = SigningKey::generate(ParamSet::Tc26_512A).unwrap();
    let pk = gostkit::asn1::GostPublicKey::from_verifying_key(ca_key.verifying_key()).unwrap();
    let ca = issue(
        &parse_slash_dn("/CN=CMS CA").unwrap(),
        &pk,
        Some(&root),
        &root_key,
        &IssueOptions::ca_days(50, None),
    )
    .unwrap();
    Pki { root, ca, ca_key }
}

fn leaf(p: &Pki, name: &str, set: ParamSet) -> (Certificate, SigningKey) {
    let key = SigningKey::generate(set).unwrap();
    let pk = gostkit::asn1::GostPublicKey::from_verifying_key(key.verifying_key()).unwrap();
    let c = issue(
        &parse_slash_dn(name).unwrap(),
        &pk,
        Some(&p.ca),
        &p.ca_key,
        &IssueOptions::days(30),
    )
    .unwrap();
    (c, key)
}

#[test]
fn gostkit_round_trips_and_negatives() {
    let p = pki();
    let (c1, k1) = leaf(&p, "/CN=Signer 256", ParamSet::Tc26_256B);
    let (c2, k2) = leaf(&p, "/CN=Signer 512", ParamSet::Tc26_512C);
    let data = b"<statement>settlements with the budget</statement>".to_vec();
    let mut store = CertStore::new();
    store.add(p.root.clone(), Role::TrustedRoot);
    let opts = SignOptions {
        chain: vec![p.ca.clone()],
        ..SignOptions::default()
    };
    let msg = signed::sign(
        &data,
        &[
            Signer {
                cert: &c1,
                key: &k1,
            },
            Signer {
                cert: &c2,
                key: &k2,
            },
        ],
        &opts,
    )
    .unwrap();
    let m = SignedMessage::parse(&msg).unwrap();
    assert_eq!(m.content.as_deref(), Some(data.as_slice()));
    let r = m.verify_with_store(None, &store, None, RevocationPolicy::WhenAvailable);
    assert_eq!(r.len(), 2);
    for x in &r {
        assert!(x.result.is_ok(), "{:?}", x.result);
        assert!(x.signing_time.is_some());
        assert_eq!(x.path.as_ref().unwrap().len(), 3);
    }
    // Detached, SKI, no attributes; streaming detached sign/verify.
    let o = SignOptions {
        detached: true,
        signed_attributes: false,
        use_ski: true,
        ..SignOptions::default()
    };
    let det = signed::sign(
        &data,
        &[Signer {
            cert: &c1,
            key: &k1,
        }],
        &o,
    )
    .unwrap();
    let m = SignedMessage::parse(&det).unwrap();
    assert!(m.content.is_none());
    assert_eq!(
        m.verify(None, &[])[0].result.as_ref().unwrap_err(),
        &CmsError::ContentMissing
    );
    m.verify(Some(&data), &[])[0].result.as_ref().unwrap();
    let big = vec![0x42u8; 300_000];
    let det = signed::sign_detached_reader(
        &mut big.as_slice(),
        &[Signer {
            cert: &c2,
            key: &k2,
        }],
        &SignOptions {
            detached: true,
            ..SignOptions::default()
        },
    )
    .unwrap();
    let m = SignedMessage::parse(&det).unwrap();
    m.verify_reader(&mut big.as_slice(), &[]).unwrap()[0]
        .result
        .as_ref()
        .unwrap();
    m.verify(Some(&big), &[])[0].result.as_ref().unwrap();
    // Co-signature added to an existing message.
    let one = signed::sign(
        &data,
        &[Signer {
            cert: &c1,
            key: &k1,
        }],
        &SignOptions::default(),
    )
    .unwrap();
    let two = SignedMessage::parse(&one)
        .unwrap()
        .add_signer(
            None,
            &Signer {
                cert: &c2,
                key: &k2,
            },
            &SignOptions::default(),
        )
        .unwrap();
    let m = SignedMessage::parse(&two).unwrap();
    assert_eq!(m.signers.len(), 2);
    assert!(m.verify(None, &[]).iter().all(|r| r.result.is_ok()));
    // Wrong key for the certificate.
    assert_eq!(
        signed::sign(
            &data,
            &[Signer {
                cert: &c1,
                key: &k2
            }],
            &SignOptions::default()
        )
        .err(),
        Some(CmsError::KeyMismatch)
    );
    // Signer certificate absent.
    let nocert = signed::sign(
        &data,
        &[Signer {
            cert: &c1,
            key: &k1,
        }],
        &SignOptions {
            include_signer_certs: false,
            ..SignOptions::default()
        },
    )
    .unwrap();
    let m = SignedMessage::parse(&nocert).unwrap();
    assert_eq!(
        m.verify(None, &[])[0].result.as_ref().unwrap_err(),
        &CmsError::SignerNotFound
    );
    m.verify(None, std::slice::from_ref(&c1))[0]
        .result
        .as_ref()
        .unwrap();
    // Tampered signed attribute (a byte inside the signingTime) → bad signature.
    let mut t = one.clone();
    let pos = t.windows(3).rposition(|w| w == [0x17, 0x0d, 0x32]).unwrap() + 4;
    t[pos] ^= 1;
    let m = SignedMessage::parse(&t).unwrap();
    assert_eq!(
        m.verify(None, &[])[0].result.as_ref().unwrap_err(),
        &CmsError::BadSignature
    );
    // Truncated message.
    assert!(matches!(
        SignedMessage::parse(&one[..one.len() - 10]),
        Err(CmsError::Invalid(_) | CmsError::Der(_))
    ));
    // Untrusted root; expired signer at the signing time.
    let other = CertStore::new();
    let r = SignedMessage::parse(&one).unwrap().verify_with_store(
        None,
        &other,
        None,
        RevocationPolicy::Off,
    );
    assert!(matches!(r[0].result, Err(CmsError::Chain(_))));
    let late = SystemTime::now() + std::time::Duration::from_secs(90 * 86_400);
    let old = signed::sign(
        &data,
        &[Signer {
            cert: &c1,
            key: &k1,
        }],
        &SignOptions {
            signing_time: Some(late),
            chain: vec![p.ca.clone()],
            ..SignOptions::default()
        },
    )
    .unwrap();
    // The signer's own signingTime does not move the validation time: by default the chain is
    // validated now (and passes)…
    let r = SignedMessage::parse(&old).unwrap().verify_with_store(
        None,
        &store,
        None,
        RevocationPolicy::Off,
    );
    assert!(r[0].result.is_ok(), "{:?}", r[0].result);
    assert_eq!(r[0].time_basis, Some(signed::TimeBasis::Caller));
    // …and only when the caller asks is it validated at the claimed time (then expired).
    let m = SignedMessage::parse(&old).unwrap();
    let mut r = m.verify(None, &[]);
    m.validate_chains_at(
        &mut r,
        &store,
        signed::ValidationTime::ClaimedSigningTime,
        RevocationPolicy::Off,
    );
    match &r[0].result {
        Err(CmsError::Chain(e)) => assert!(
            matches!(e.kind, gostkit::x509::path::PathErrorKind::Expired { .. }),
            "{e:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(r[0].time_basis, Some(signed::TimeBasis::ClaimedSigningTime));
    assert_eq!(r[0].validated_at, r[0].signing_time);
    // A signer backdating its signature past its certificate's expiry gains nothing either:
    // validated at the caller's time after the expiry, it fails whatever it claims.
    let backdated = signed::sign(
        &data,
        &[Signer {
            cert: &c1,
            key: &k1,
        }],
        &SignOptions {
            signing_time: Some(SystemTime::now() - std::time::Duration::from_secs(86_400)),
            chain: vec![p.ca.clone()],
            ..SignOptions::default()
        },
    )
    .unwrap();
    let r = SignedMessage::parse(&backdated).unwrap().verify_with_store(
        None,
        &store,
        Some(late),
        RevocationPolicy::Off,
    );
    assert!(
        matches!(&r[0].result, Err(CmsError::Chain(_))),
        "{:?}",
        r[0].result
    );
    assert_eq!(r[0].validated_at, Some(late));
    // DigestedData round trip.
    let d = signed::digest(&data, HashAlg::Streebog512).unwrap();
    assert_eq!(signed::verify_digested(&d).unwrap(), data);
}

#[test]
fn peer_interop_both_ways() {
    let peer = match Peer::find("cms-signed") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: CMS SignedData interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let f = |n: &str| peer.path(n);
    let data = f("data.xml");
    std::fs::write(&data, b"<request kind=\"statement\"/>\n").unwrap();
    let content = std::fs::read(&data).unwrap();
    let (kp, cp, pp, gp, outp) = (f("k.pem"), f("c.pem"), f("p.p7s"), f("g.p7s"), f("out"));
    for (alg, set) in [("gost2012_256", "A"), ("gost2012_512", "C")] {
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{set}"),
            "-out",
            &f("k.pem"),
        ])
        .unwrap();
        peer.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            &f("k.pem"),
            "-subj",
            "/CN=Peer Signer",
            "-days",
            "10",
            "-out",
            &f("c.pem"),
        ])
        .unwrap();
        let c = Certificate::decode(&std::fs::read(f("c.pem")).unwrap()).unwrap();
        let key = GostPrivateKey::decode(&std::fs::read(f("k.pem")).unwrap())
            .unwrap()
            .to_signing_key()
            .unwrap();
        let mut store = CertStore::new();
        store.add(c.clone(), Role::TrustedRoot);
        // Peer → gostkit: attached, detached, no attributes, -stream (BER).
        for extra in [
            &["-nodetach"][..],
            &[][..],
            &["-nodetach", "-noattr"][..],
            &["-nodetach", "-stream"][..],
        ] {
            let mut args = vec![
                "cms", "-sign", "-binary", "-in", &data, "-signer", &cp, "-inkey", &kp, "-outform",
                "DER", "-out", &pp,
            ];
            args.extend_from_slice(extra);
            peer.openssl(&args).unwrap();
            let m = SignedMessage::parse(&std::fs::read(f("p.p7s")).unwrap()).unwrap();
            let detached = (!extra.contains(&"-nodetach")).then_some(content.as_slice());
            let r = m.verify_with_store(detached, &store, None, RevocationPolicy::Off);
            assert!(r[0].result.is_ok(), "{alg} {extra:?}: {:?}", r[0].result);
        }
        // gostkit → peer: attached with attributes, detached without, two signers.
        let signer = Signer {
            cert: &c,
            key: &key,
        };
        for (opts, detached) in [
            (SignOptions::default(), false),
            (
                SignOptions {
                    detached: true,
                    signed_attributes: false,
                    ..SignOptions::default()
                },
                true,
            ),
        ] {
            let msg = signed::sign(&content, &[signer, signer], &opts).unwrap();
            std::fs::write(f("g.p7s"), &msg).unwrap();
            let mut args = vec![
                "cms", "-verify", "-binary", "-inform", "DER", "-in", &gp, "-CAfile", &cp, "-out",
                &outp,
            ];
            let content_arg = data.clone();
            if detached {
                args.extend_from_slice(&["-content", &content_arg]);
            }
            peer.openssl(&args)
                .unwrap_or_else(|e| panic!("{alg} detached={detached}: {e}"));
            assert_eq!(std::fs::read(f("out")).unwrap(), content);
        }
    }
}

/// An old document: SignedData made by the peer with a GOST R 34.10-2001 key and GOST R 34.11-94
/// verifies (old certificates stay usable to verify old documents).
#[test]
fn peer_gost2001_signed_data() {
    let peer = match Peer::find("cms-2001") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: GOST R 34.10-2001 SignedData from the peer: {why}");
            return;
        }
    };
    let (k, c, d, m) = (
        peer.path("k.pem"),
        peer.path("c.pem"),
        peer.path("d"),
        peer.path("m.p7s"),
    );
    std::fs::write(&d, b"an old statement").unwrap();
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2001",
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
        "-md_gost94",
        "-subj",
        "/CN=Old Signer",
        "-days",
        "30",
        "-out",
        &c,
    ])
    .unwrap();
    peer.openssl(&[
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-in",
        &d,
        "-signer",
        &c,
        "-inkey",
        &k,
        "-md",
        "md_gost94",
        "-outform",
        "DER",
        "-out",
        &m,
    ])
    .unwrap();
    let msg = SignedMessage::parse(&std::fs::read(&m).unwrap()).unwrap();
    let mut store = CertStore::new();
    store.add(
        Certificate::decode(&std::fs::read(&c).unwrap()).unwrap(),
        Role::TrustedRoot,
    );
    let r = msg.verify_with_store(None, &store, None, RevocationPolicy::Off);
    assert!(r[0].result.is_ok(), "{:?}", r[0].result);
    let r = msg.verify(Some(b"a changed statement"), &[]);
    assert_eq!(r[0].result.as_ref().unwrap_err(), &CmsError::DigestMismatch);
}
