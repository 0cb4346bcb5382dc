//! OCSP (RFC 6960): gostkit's requests answered by `openssl ocsp` (gost-engine) serving on
//! 127.0.0.1 and verified by gostkit; gostkit's responder verified by `openssl ocsp -respin`;
//! the refusals (responder without id-kp-OCSPSigning, stale response, nonce mismatch); OCSP
//! as the revocation source of a path validation.

mod common;

use std::time::{Duration, SystemTime};

use der::Encode;
use der::asn1::OctetString;
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::Certificate;
use gostkit::x509::crl::Crl;
use gostkit::x509::issue::{IssueOptions, issue, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::ocsp::{
    CertIdHash, CertStatus, FirstAnswer, ID_KP_OCSP_SIGNING, OcspError, OcspOptions, OcspRequest,
    OcspResponse, OcspRevocation, random_nonce,
};
use gostkit::x509::path::{CrlRevocation, PathBuilder, PathErrorKind, ValidationOptions};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{CrlReason, ExtendedKeyUsage};

use common::ocsp::{post, serve};
use common::peer::Peer;

struct Party {
    cert: Certificate,
    key: SigningKey,
}

struct Pki {
    ca: Party,
    responder: Party,
    no_eku: Party,
    good: Party,
    revoked: Party,
}

fn party(ca: Option<&Party>, dn: &str, mut opts: IssueOptions, serial: u8) -> Party {
    let key = SigningKey::generate(ParamSet::Tc26_256A).expect("key");
    opts.serial = Some(vec![0x10, serial]);
    let name = parse_slash_dn(dn).expect("dn");
    let cert = match ca {
        None => self_signed(&name, &key, &opts).expect("root"),
        Some(ca) => issue(
            &name,
            &gostkit::asn1::GostPublicKey::from_verifying_key(key.verifying_key()).expect("pk"),
            Some(&ca.cert),
            &ca.key,
            &opts,
        )
        .expect("issue"),
    };
    Party { cert, key }
}

fn pki() -> Pki {
    let ca = party(
        None,
        "/CN=OCSP Test CA/O=gostkit tests",
        IssueOptions::ca_days(30, None),
        1,
    );
    let mut ropts = IssueOptions::days(30);
    ropts.extensions.push(Extension {
        extn_id: const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE,
        critical: false,
        extn_value: OctetString::new(
            ExtendedKeyUsage(vec![ID_KP_OCSP_SIGNING])
                .to_der()
                .expect("eku"),
        )
        .expect("os"),
    });
    let responder = party(Some(&ca), "/CN=OCSP Responder", ropts, 2);
    let no_eku = party(Some(&ca), "/CN=Not a responder", IssueOptions::days(30), 3);
    let good = party(Some(&ca), "/CN=Good leaf", IssueOptions::days(30), 4);
    let revoked = party(Some(&ca), "/CN=Revoked leaf", IssueOptions::days(30), 5);
    Pki {
        ca,
        responder,
        no_eku,
        good,
        revoked,
    }
}

fn write_party(peer: &Peer, name: &str, p: &Party) {
    std::fs::write(
        peer.path(&format!("{name}.pem")),
        p.cert.to_pem().expect("pem"),
    )
    .expect("w");
    let key = gostkit::asn1::GostPrivateKey::from_signing_key(&p.key)
        .and_then(|k| k.to_pem())
        .expect("key pem");
    std::fs::write(peer.path(&format!("{name}.key")), key.as_bytes()).expect("w");
}

/// An `openssl ca` index: the good leaf valid, the revoked one revoked (keyCompromise).
fn write_index(peer: &Peer) {
    let index = "V\t301231235959Z\t\t1004\tunknown\t/CN=Good leaf\n\
                 R\t301231235959Z\t240101000000Z,keyCompromise\t1005\tunknown\t/CN=Revoked leaf\n";
    std::fs::write(peer.path("index.txt"), index).expect("index");
}

fn setup(tag: &str) -> Option<(Peer, Pki)> {
    let peer = match Peer::find(tag) {
        Ok(p) => p,
        Err(why) => {
            println!("SKIP {tag}: {why}");
            return None;
        }
    };
    let pki = pki();
    write_party(&peer, "ca", &pki.ca);
    write_party(&peer, "responder", &pki.responder);
    write_party(&peer, "noeku", &pki.no_eku);
    write_party(&peer, "good", &pki.good);
    write_party(&peer, "revoked", &pki.revoked);
    write_index(&peer);
    Some((peer, pki))
}

#[test]
fn openssl_responder_answers_gostkit_requests() {
    let Some((peer, pki)) = setup("ocsp-openssl-responder") else {
        return;
    };
    let srv = serve(&peer, "responder", &["-ndays", "1"], 2);
    let now = SystemTime::now();
    let opts = |n: Option<&[u8]>| OcspOptions {
        nonce: n.map(<[u8]>::to_vec),
        ..OcspOptions::default()
    };

    // Good, Streebog-256 CertID, with a nonce.
    let nonce = random_nonce().expect("nonce");
    let req = OcspRequest::build(
        &[(&pki.good.cert, &pki.ca.cert)],
        CertIdHash::Streebog256,
        Some(&nonce),
    )
    .expect("request");
    let resp = OcspResponse::from_der(&post(srv.port, req.der())).expect("response parses");
    let v = resp
        .verify(
            &pki.good.cert,
            &pki.ca.cert,
            now,
            &opts(req.nonce_extension_value()),
        )
        .expect("good response verifies");
    assert_eq!(v.status, CertStatus::Good);
    assert_eq!(v.delegated.as_ref(), Some(&pki.responder.cert));
    assert!(v.next_update.is_some());

    // Nonce mismatch: the same response checked against another request's nonce.
    let other = OcspRequest::build(
        &[(&pki.good.cert, &pki.ca.cert)],
        CertIdHash::Streebog256,
        Some(b"another nonce"),
    )
    .expect("request");
    let e = resp
        .verify(
            &pki.good.cert,
            &pki.ca.cert,
            now,
            &opts(other.nonce_extension_value()),
        )
        .expect_err("nonce mismatch refused");
    assert_eq!(e, OcspError::NonceMismatch);

    // Stale: validation two days later, after nextUpdate (-ndays 1) plus the tolerance.
    let later = now + Duration::from_secs(2 * 86_400);
    let e = resp
        .verify(
            &pki.good.cert,
            &pki.ca.cert,
            later,
            &opts(req.nonce_extension_value()),
        )
        .expect_err("stale refused");
    assert!(matches!(e, OcspError::Stale { .. }), "{e}");
    assert_eq!(e.kind(), gostkit::ErrorKind::OcspStale);

    // Revoked, SHA-1 CertID, no nonce.
    let req = OcspRequest::build(&[(&pki.revoked.cert, &pki.ca.cert)], CertIdHash::Sha1, None)
        .expect("request");
    let resp = OcspResponse::from_der(&post(srv.port, req.der())).expect("response parses");
    let v = resp
        .verify(&pki.revoked.cert, &pki.ca.cert, now, &opts(None))
        .expect("revoked response verifies");
    match v.status {
        CertStatus::Revoked { reason, .. } => assert_eq!(reason, Some("keyCompromise")),
        other => panic!("expected revoked, got {other:?}"),
    }

    // The same answer as a revocation source of a path validation.
    let mut src = OcspRevocation::new(OcspOptions::default());
    src.add(&resp, None);
    let roots = [pki.ca.cert.clone()];
    let e = PathBuilder::new(&roots)
        .revocation(&src)
        .options(ValidationOptions::now())
        .build(&pki.revoked.cert)
        .expect_err("revoked leaf refused");
    assert!(matches!(e.kind, PathErrorKind::Revoked { .. }), "{e}");
}

#[test]
fn responder_without_ocsp_eku_refused() {
    let Some((peer, pki)) = setup("ocsp-no-eku") else {
        return;
    };
    let srv = serve(&peer, "noeku", &["-ndays", "1"], 1);
    let req = OcspRequest::build(&[(&pki.good.cert, &pki.ca.cert)], CertIdHash::Sha1, None)
        .expect("request");
    let resp = OcspResponse::from_der(&post(srv.port, req.der())).expect("response parses");
    let e = resp
        .verify(
            &pki.good.cert,
            &pki.ca.cert,
            SystemTime::now(),
            &OcspOptions::default(),
        )
        .expect_err("responder without id-kp-OCSPSigning refused");
    assert!(matches!(e, OcspError::ResponderNotAuthorized(_)), "{e}");
}

/// `openssl ocsp -resp_key_id` names its responder by the SHA-1 hash of its key (RFC 6960
/// §4.2.1 `byKey`) instead of by name: the delegated responder is still found and trusted.
#[test]
fn responder_named_by_key_hash() {
    let Some((peer, pki)) = setup("ocsp-by-key") else {
        return;
    };
    let srv = serve(&peer, "responder", &["-ndays", "1", "-resp_key_id"], 1);
    let req = OcspRequest::build(&[(&pki.good.cert, &pki.ca.cert)], CertIdHash::Sha1, None)
        .expect("request");
    let der = post(srv.port, req.der());
    // the peer's own reading: the responder is named by a key hash, not by a name
    let path = peer.path("bykey.der");
    std::fs::write(&path, &der).expect("write response");
    let text = peer
        .openssl(&["ocsp", "-respin", &path, "-resp_text", "-noverify"])
        .expect("openssl ocsp -resp_text");
    let text = String::from_utf8_lossy(&text);
    let id = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Responder Id: "))
        .expect("a Responder Id line");
    assert!(
        !id.contains("CN=") && id.len() == 40,
        "not a key hash: {id}"
    );
    let resp = OcspResponse::from_der(&der).expect("response parses");
    let v = resp
        .verify(
            &pki.good.cert,
            &pki.ca.cert,
            SystemTime::now(),
            &OcspOptions::default(),
        )
        .expect("a byKey responder verifies");
    assert_eq!(v.status, CertStatus::Good);
    assert_eq!(v.delegated.as_ref(), Some(&pki.responder.cert));
}

#[test]
fn gostkit_responder_verified_by_openssl() {
    let Some((peer, pki)) = setup("ocsp-gostkit-responder") else {
        return;
    };
    let now = SystemTime::now();
    let revoked = [(
        pki.revoked.cert.serial().to_vec(),
        now - Duration::from_secs(3600),
        Some(CrlReason::KeyCompromise),
    )];
    for (leaf, name, want) in [
        (&pki.good, "good", "good"),
        (&pki.revoked, "revoked", "revoked"),
    ] {
        let nonce = random_nonce().expect("nonce");
        let req = OcspRequest::build(
            &[(&leaf.cert, &pki.ca.cert)],
            CertIdHash::Streebog256,
            Some(&nonce),
        )
        .expect("request");
        // Signed by the CA itself.
        let resp = OcspResponse::issue(
            &req,
            &pki.ca.cert,
            &pki.ca.cert,
            &pki.ca.key,
            &revoked,
            now,
            Some(now + Duration::from_secs(86_400)),
        )
        .expect("issue");
        let path = peer.path(&format!("{name}-resp.der"));
        std::fs::write(&path, resp.der()).expect("w");
        let (ca, cert) = (peer.path("ca.pem"), peer.path(&format!("{name}.pem")));
        // `-cert` makes openssl build its own request (Streebog-256 CertID by -md_gost12_256,
        // to find gostkit's single response); -no_nonce keeps it from comparing a
        // nonce of its own (gostkit checks the nonce below).
        let out = peer
            .openssl(&[
                "ocsp",
                "-respin",
                &path,
                "-issuer",
                &ca,
                "-md_gost12_256",
                "-cert",
                &cert,
                "-CAfile",
                &ca,
                "-no_nonce",
            ])
            .expect("openssl ocsp -respin");
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains(&format!(": {want}")), "{name}: {text}");
        // And gostkit reads its own answer, nonce included.
        let opts = OcspOptions {
            nonce: req.nonce_extension_value().map(<[u8]>::to_vec),
            ..OcspOptions::default()
        };
        let v = resp
            .verify(&leaf.cert, &pki.ca.cert, now, &opts)
            .expect("verify");
        assert_eq!(v.delegated, None);
    }
    // Delegated responder signing: openssl verifies it through the CA (-VAfile not needed).
    let req = OcspRequest::build(&[(&pki.good.cert, &pki.ca.cert)], CertIdHash::Sha1, None)
        .expect("request");
    let resp = OcspResponse::issue(
        &req,
        &pki.ca.cert,
        &pki.responder.cert,
        &pki.responder.key,
        &[],
        now,
        Some(now + Duration::from_secs(86_400)),
    )
    .expect("issue");
    let path = peer.path("delegated-resp.der");
    std::fs::write(&path, resp.der()).expect("w");
    let (ca, cert) = (peer.path("ca.pem"), peer.path("good.pem"));
    let out = peer
        .openssl(&[
            "ocsp",
            "-respin",
            &path,
            "-issuer",
            &ca,
            "-cert",
            &cert,
            "-CAfile",
            &ca,
            "-no_nonce",
        ])
        .expect("openssl ocsp -respin (delegated)");
    assert!(String::from_utf8_lossy(&out).contains(": good"));
}

#[test]
fn ocsp_first_then_crl() {
    let pki = pki();
    let now = SystemTime::now();
    let req = OcspRequest::build(
        &[(&pki.good.cert, &pki.ca.cert)],
        CertIdHash::Streebog256,
        None,
    )
    .expect("request");
    let resp = OcspResponse::issue(
        &req,
        &pki.ca.cert,
        &pki.ca.cert,
        &pki.ca.key,
        &[],
        now,
        Some(now + Duration::from_secs(600)),
    )
    .expect("issue");
    let crl = Crl::issue(
        &pki.ca.cert,
        &pki.ca.key,
        now,
        now + Duration::from_secs(600),
        &[(pki.revoked.cert.serial().to_vec(), now, None)],
    )
    .expect("crl");
    let crls = [crl];
    let mut ocsp = OcspRevocation::new(OcspOptions::default());
    ocsp.add(&resp, None);
    let crl_src = CrlRevocation::new(&crls);
    let both = FirstAnswer::new(vec![&ocsp, &crl_src]);
    let roots = [pki.ca.cert.clone()];
    let build = |leaf: &Certificate, t: SystemTime| {
        PathBuilder::new(&roots)
            .revocation(&both)
            .options(ValidationOptions::at(t))
            .build(leaf)
            .map(|_| ())
    };
    build(&pki.good.cert, now).expect("good by OCSP");
    let e = build(&pki.revoked.cert, now + Duration::from_secs(1)).expect_err("revoked by CRL");
    assert!(matches!(e.kind, PathErrorKind::Revoked { .. }), "{e}");
    // The OCSP answer is final once stale: the path fails, the CRL does not rescue it.
    let e = build(&pki.good.cert, now + Duration::from_secs(3600)).expect_err("stale OCSP");
    assert!(matches!(e.kind, PathErrorKind::Ocsp { .. }), "{e}");
}
