//! RFC 5280 path validation: gostkit-made and peer-made chains, each failure its own error.
#![allow(clippy::cloned_ref_to_slice_refs)] // short literal slices read better in tests

mod common;

use std::time::{Duration, SystemTime};

use common::peer::Peer;
use der::Encode;
use der::asn1::OctetString;
use gostkit::asn1::GostPublicKey;
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::crl::Crl;
use gostkit::x509::issue::{IssueOptions, issue, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::path::{PathErrorKind, RevocationPolicy, ValidationOptions, validate};
use gostkit::x509::store::{CertStore, Role};
use gostkit::x509::{Certificate, X509Error};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::CrlReason;

const DAY: Duration = Duration::from_secs(86_400);

struct Ca {
    cert: Certificate,
    key: SigningKey,
}

fn root(name: &str, set: ParamSet) -> Ca {
    let key = SigningKey::generate(set).unwrap();
    let cert = self_signed(
        &parse_slash_dn(name).unwrap(),
        &key,
        &IssueOptions::ca_days(3650, None),
    )
    .unwrap();
    Ca { cert, key }
}

fn child(parent: &Ca, name: &str, set: ParamSet, opts: &IssueOptions) -> Ca {
    let key = SigningKey::generate(set).unwrap();
    let pk = GostPublicKey::from_verifying_key(key.verifying_key()).unwrap();
    let cert = issue(
        &parse_slash_dn(name).unwrap(),
        &pk,
        Some(&parent.cert),
        &parent.key,
        opts,
    )
    .unwrap();
    Ca { cert, key }
}

fn kind(r: Result<Vec<Certificate>, gostkit::x509::path::PathError>) -> (PathErrorKind, usize) {
    let e = r.expect_err("validation should fail");
    (e.kind, e.index)
}

#[test]
fn gostkit_chains() {
    // A minute ahead: the certificates below are made later and valid from the second they are
    // made, so the bare current time could precede a notBefore.
    let now = SystemTime::now() + std::time::Duration::from_secs(60);
    let opts = ValidationOptions::at(now);
    let r = root("/CN=Root 256", ParamSet::Tc26_256A);
    let ca = child(
        &r,
        "/CN=CA 512",
        ParamSet::Tc26_512A,
        &IssueOptions::ca_days(1000, Some(0)),
    );
    let leaf = child(
        &ca,
        "/CN=Leaf",
        ParamSet::CryptoProA,
        &IssueOptions::days(365),
    );
    let roots = [r.cert.clone()];
    let path = validate(&leaf.cert, &[ca.cert.clone()], &roots, &[], &opts).unwrap();
    assert_eq!(path, [leaf.cert.clone(), ca.cert.clone(), r.cert.clone()]);

    // Expired / not yet valid leaf (checked at a time outside its validity).
    let later = ValidationOptions::at(now + 400 * DAY);
    assert_eq!(
        kind(validate(
            &leaf.cert,
            &[ca.cert.clone()],
            &roots,
            &[],
            &later
        )),
        (
            PathErrorKind::Expired {
                not_after: leaf.cert.not_after(),
                time: now + 400 * DAY
            },
            0
        )
    );
    let earlier = ValidationOptions::at(now - DAY);
    assert_eq!(
        kind(validate(
            &leaf.cert,
            &[ca.cert.clone()],
            &roots,
            &[],
            &earlier
        )),
        (
            PathErrorKind::NotYetValid {
                not_before: leaf.cert.not_before(),
                time: now - DAY
            },
            0
        )
    );
    // Missing intermediate; leaf under an unrelated root.
    assert_eq!(
        kind(validate(&leaf.cert, &[], &roots, &[], &opts)),
        (PathErrorKind::NoIssuer, 0)
    );
    let other = root("/CN=Other Root", ParamSet::Tc26_256B);
    assert_eq!(
        kind(validate(
            &leaf.cert,
            &[ca.cert.clone(), r.cert.clone()],
            &[other.cert.clone()],
            &[],
            &opts
        )),
        (PathErrorKind::UntrustedRoot, 2)
    );
    // Issuer without CA:true.
    let not_ca = child(
        &r,
        "/CN=Not a CA",
        ParamSet::Tc26_256B,
        &IssueOptions::days(100),
    );
    let under = child(
        &not_ca,
        "/CN=Under",
        ParamSet::Tc26_256B,
        &IssueOptions::days(10),
    );
    assert_eq!(
        kind(validate(
            &under.cert,
            &[not_ca.cert.clone()],
            &roots,
            &[],
            &opts
        )),
        (PathErrorKind::NotACa, 1)
    );
    // pathLen 0 violated by a second CA level.
    let sub = child(
        &ca,
        "/CN=Sub CA",
        ParamSet::Tc26_256C,
        &IssueOptions::ca_days(100, None),
    );
    let deep = child(
        &sub,
        "/CN=Deep",
        ParamSet::Tc26_256D,
        &IssueOptions::days(10),
    );
    assert_eq!(
        kind(validate(
            &deep.cert,
            &[ca.cert.clone(), sub.cert.clone()],
            &roots,
            &[],
            &opts
        )),
        (PathErrorKind::PathLength, 2)
    );
    // Unknown critical extension on the leaf.
    let mut o = IssueOptions::days(10);
    o.extensions.push(Extension {
        extn_id: const_oid::ObjectIdentifier::new_unwrap("1.2.3.4"),
        critical: true,
        extn_value: OctetString::new(der::asn1::Null.to_der().unwrap()).unwrap(),
    });
    let crit = child(&ca, "/CN=Critical", ParamSet::Tc26_256A, &o);
    assert!(matches!(
        kind(validate(&crit.cert, &[ca.cert.clone()], &roots, &[], &opts)),
        (PathErrorKind::UnknownCriticalExtension(_), 0)
    ));
    // Tampered signature.
    let mut der = leaf.cert.der().to_vec();
    let n = der.len();
    der[n - 4] ^= 1;
    let bad = Certificate::from_der(&der).unwrap();
    assert_eq!(
        kind(validate(&bad, &[ca.cert.clone()], &roots, &[], &opts)),
        (PathErrorKind::BadSignature, 0)
    );
    // Two candidate issuers with the same name (re-keyed CA): the right one is found.
    let rekeyed = child(
        &r,
        "/CN=CA 512",
        ParamSet::Tc26_512B,
        &IssueOptions::ca_days(1000, Some(0)),
    );
    let path = validate(
        &leaf.cert,
        &[rekeyed.cert.clone(), ca.cert.clone()],
        &roots,
        &[],
        &opts,
    )
    .unwrap();
    assert_eq!(path[1], ca.cert);

    // Revocation: a CRL from the CA revoking the leaf, expired CRL, missing CRL, forged CRL.
    let crl = Crl::issue(
        &ca.cert,
        &ca.key,
        now - DAY,
        now + 7 * DAY,
        &[(
            leaf.cert.serial().to_vec(),
            now - 3600 * Duration::from_secs(1),
            Some(CrlReason::KeyCompromise),
        )],
    )
    .unwrap();
    crl.verify_signed_by(&ca.cert.verifying_key().unwrap())
        .unwrap();
    let crl = Crl::decode(crl.to_pem().unwrap().as_bytes()).unwrap();
    let inter = [ca.cert.clone()];
    match kind(validate(
        &leaf.cert,
        &inter,
        &roots,
        std::slice::from_ref(&crl),
        &opts,
    )) {
        (PathErrorKind::Revoked { reason, .. }, 0) => assert_eq!(reason, Some("keyCompromise")),
        other => panic!("{other:?}"),
    }
    let mut off = opts.clone();
    off.revocation = RevocationPolicy::Off;
    assert!(validate(&leaf.cert, &inter, &roots, std::slice::from_ref(&crl), &off).is_ok());
    let fresh = child(
        &ca,
        "/CN=Fresh",
        ParamSet::Tc26_256A,
        &IssueOptions::days(10),
    );
    assert!(
        validate(
            &fresh.cert,
            &inter,
            &roots,
            std::slice::from_ref(&crl),
            &opts
        )
        .is_ok()
    );
    let mut required = opts.clone();
    required.revocation = RevocationPolicy::Required;
    assert_eq!(
        kind(validate(&fresh.cert, &inter, &roots, &[], &required)),
        (PathErrorKind::CrlMissing, 0)
    );
    let old = Crl::issue(&ca.cert, &ca.key, now - 9 * DAY, now - 2 * DAY, &[]).unwrap();
    assert_eq!(
        kind(validate(&fresh.cert, &inter, &roots, &[old], &opts)),
        (PathErrorKind::CrlExpired, 0)
    );
    let forged = Crl::issue(&rekeyed.cert, &rekeyed.key, now - DAY, now + DAY, &[]).unwrap();
    assert_eq!(
        kind(validate(&fresh.cert, &inter, &roots, &[forged], &opts)),
        (PathErrorKind::CrlBadSignature, 0)
    );
    assert_eq!(
        Crl::issue(&ca.cert, &r.key, now, now + DAY, &[]).err(),
        Some(X509Error::KeyMismatch)
    );

    // The same through a store; lookups.
    let mut store = CertStore::new();
    store.add(r.cert.clone(), Role::TrustedRoot);
    store.add(ca.cert.clone(), Role::IntermediateCa);
    store.add(leaf.cert.clone(), Role::Personal);
    assert!(store.validate(&leaf.cert, &[], &off).is_ok());
    assert_eq!(
        store
            .find_by_issuer_serial(leaf.cert.issuer(), leaf.cert.serial())
            .unwrap()
            .cert,
        leaf.cert
    );
    let ski = ca.cert.subject_key_id().unwrap().unwrap();
    assert_eq!(store.find_by_ski(&ski).unwrap().cert, ca.cert);
    assert_eq!(
        store
            .find_by_thumbprint(&leaf.cert.thumbprint_streebog256())
            .unwrap()
            .cert,
        leaf.cert
    );
    assert_eq!(store.remove(&leaf.cert.thumbprint_sha1()), 1);
    assert!(
        store
            .find_by_thumbprint(&leaf.cert.thumbprint_sha1())
            .is_none()
    );
}

/// A chain and a CRL made by OpenSSL + gost-engine (`openssl x509 -req` with extension files,
/// `openssl ca -revoke/-gencrl`): validated, and the revoked leaf reported.
#[test]
fn peer_chain_and_crl() {
    let peer = match Peer::find("x509-path") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: peer chain validation: {why}");
            return;
        }
    };
    let p = |n: &str| peer.path(n);
    let ext = p("ext.cnf");
    std::fs::write(
        &ext,
        "[ca]\nbasicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n\
         subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n\
         [leaf]\nkeyUsage=digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n\
         [crit]\nkeyUsage=digitalSignature\n1.2.3.4=critical,DER:05:00\n",
    )
    .unwrap();
    let key = |n: &str, alg: &str, set: &str| {
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{set}"),
            "-out",
            &p(n),
        ])
        .unwrap();
    };
    key("root.key", "gost2012_256", "A");
    key("ca.key", "gost2012_512", "A");
    key("leaf.key", "gost2012_256", "B");
    peer.openssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &p("root.key"),
        "-subj",
        "/CN=Peer Root",
        "-days",
        "100",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        &p("root.pem"),
    ])
    .unwrap();
    let sign = |subj: &str,
                keyf: &str,
                out: &str,
                issuer: &str,
                ikey: &str,
                section: &str,
                serial: &str| {
        peer.openssl(&[
            "req",
            "-new",
            "-key",
            &p(keyf),
            "-subj",
            subj,
            "-out",
            &p("tmp.csr"),
        ])
        .unwrap();
        peer.openssl(&[
            "x509",
            "-req",
            "-in",
            &p("tmp.csr"),
            "-CA",
            &p(issuer),
            "-CAkey",
            &p(ikey),
            "-set_serial",
            serial,
            "-days",
            "50",
            "-extfile",
            &ext,
            "-extensions",
            section,
            "-out",
            &p(out),
        ])
        .unwrap();
    };
    sign(
        "/CN=Peer CA",
        "ca.key",
        "ca.pem",
        "root.pem",
        "root.key",
        "ca",
        "2",
    );
    sign(
        "/CN=Peer Leaf",
        "leaf.key",
        "leaf.pem",
        "ca.pem",
        "ca.key",
        "leaf",
        "3",
    );
    sign(
        "/CN=Peer Critical",
        "leaf.key",
        "crit.pem",
        "ca.pem",
        "ca.key",
        "crit",
        "4",
    );
    let read = |n: &str| Certificate::decode(&std::fs::read(p(n)).unwrap()).unwrap();
    let (r, ca, leaf, crit) = (
        read("root.pem"),
        read("ca.pem"),
        read("leaf.pem"),
        read("crit.pem"),
    );
    let opts = ValidationOptions::now();
    let path = validate(&leaf, &[ca.clone()], &[r.clone()], &[], &opts).unwrap();
    assert_eq!(path.len(), 3);
    assert!(matches!(
        kind(validate(&crit, &[ca.clone()], &[r.clone()], &[], &opts)),
        (PathErrorKind::UnknownCriticalExtension(_), 0)
    ));

    // `openssl ca` revokes the leaf and writes a CRL.
    let dir = p("ca");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/index.txt"), "").unwrap();
    std::fs::write(format!("{dir}/crlnumber"), "01\n").unwrap();
    let cnf = p("ca.cnf");
    std::fs::write(
        &cnf,
        format!(
            "[ca]\ndefault_ca=c\n[c]\ndatabase={dir}/index.txt\ncrlnumber={dir}/crlnumber\n\
             certificate={}\nprivate_key={}\ndefault_md=md_gost12_512\ndefault_crl_days=7\n",
            p("ca.pem"),
            p("ca.key")
        ),
    )
    .unwrap();
    peer.openssl(&[
        "ca",
        "-config",
        &cnf,
        "-revoke",
        &p("leaf.pem"),
        "-crl_reason",
        "keyCompromise",
    ])
    .unwrap();
    peer.openssl(&["ca", "-config", &cnf, "-gencrl", "-out", &p("crl.pem")])
        .unwrap();
    let crl = Crl::decode(&std::fs::read(p("crl.pem")).unwrap()).unwrap();
    crl.verify_signed_by(&ca.verifying_key().unwrap()).unwrap();
    assert_eq!(crl.issuer(), ca.subject());
    assert_eq!(
        crl.revocation(leaf.serial()).unwrap().reason,
        Some("keyCompromise")
    );
    match kind(validate(&leaf, &[ca.clone()], &[r.clone()], &[crl], &opts)) {
        (PathErrorKind::Revoked { .. }, 0) => {}
        other => panic!("{other:?}"),
    }
    // The peer accepts a CRL made by gostkit for its own CA (checked with `openssl crl -verify`).
    let ca_key = gostkit::asn1::GostPrivateKey::decode(&std::fs::read(p("ca.key")).unwrap())
        .unwrap()
        .to_signing_key()
        .unwrap();
    let now = SystemTime::now();
    let ours = Crl::issue(
        &ca,
        &ca_key,
        now,
        now + DAY,
        &[(leaf.serial().to_vec(), now, None)],
    )
    .unwrap();
    std::fs::write(p("ours.crl"), ours.to_pem().unwrap()).unwrap();
    let out = peer
        .openssl(&[
            "crl",
            "-in",
            &p("ours.crl"),
            "-CAfile",
            &p("ca.pem"),
            "-noout",
            "-text",
        ])
        .unwrap();
    assert!(String::from_utf8_lossy(&out).contains("Serial Number: 03"));
}
