//! The path builder's stages: a revoked or hook-rejected candidate path falls back to another
//! (cross-certificates of a re-keyed CA), budgets on build steps and signature checks, EKU on
//! request, the most specific failure reported, and errors that carry their times.

use std::time::{Duration, SystemTime};

use der::Encode;
use der::asn1::OctetString;
use gostkit::asn1::GostPublicKey;
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::oid::ObjectIdentifier;
use gostkit::x509::Certificate;
use gostkit::x509::crl::Crl;
use gostkit::x509::issue::{IssueOptions, issue, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::path::{
    CrlRevocation, PathBuilder, PathErrorKind, RevocationPolicy, ValidationOptions,
};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{CrlReason, ExtendedKeyUsage};

const DAY: Duration = Duration::from_secs(86_400);
const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

struct Pki {
    root: Certificate,
    root_key: SigningKey,
    /// Two certificates of the same CA key and name, both issued by the root.
    ca1: Certificate,
    ca2: Certificate,
    /// The same CA key and name under a root nobody trusts.
    ca_stray: Certificate,
    leaf: Certificate,
}

fn pki(leaf_eku: Option<Vec<ObjectIdentifier>>) -> Pki {
    let root_key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let root = self_signed(
        &parse_slash_dn("/CN=Builder Root").unwrap(),
        &root_key,
        &IssueOptions::ca_days(3650, None),
    )
    .unwrap();
    let stray_key = SigningKey::generate(ParamSet::Tc26_256B).unwrap();
    let stray = self_signed(
        &parse_slash_dn("/CN=Stray Root").unwrap(),
        &stray_key,
        &IssueOptions::ca_days(3650, None),
    )
    .unwrap();
    let ca_key = SigningKey::generate(ParamSet::Tc26_512A).unwrap();
    let ca_pk = GostPublicKey::from_verifying_key(ca_key.verifying_key()).unwrap();
    let ca_dn = parse_slash_dn("/CN=Builder CA").unwrap();
    let ca_opts = IssueOptions::ca_days(1825, Some(0));
    let ca1 = issue(&ca_dn, &ca_pk, Some(&root), &root_key, &ca_opts).unwrap();
    let ca2 = issue(&ca_dn, &ca_pk, Some(&root), &root_key, &ca_opts).unwrap();
    let ca_stray = issue(&ca_dn, &ca_pk, Some(&stray), &stray_key, &ca_opts).unwrap();
    let leaf_key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let leaf_pk = GostPublicKey::from_verifying_key(leaf_key.verifying_key()).unwrap();
    let mut leaf_opts = IssueOptions::days(365);
    if let Some(ekus) = leaf_eku {
        leaf_opts.extensions.push(Extension {
            extn_id: ObjectIdentifier::new_unwrap("2.5.29.37"),
            critical: false,
            extn_value: OctetString::new(ExtendedKeyUsage(ekus).to_der().unwrap()).unwrap(),
        });
    }
    let leaf = issue(
        &parse_slash_dn("/CN=Builder Leaf").unwrap(),
        &leaf_pk,
        Some(&ca1),
        &ca_key,
        &leaf_opts,
    )
    .unwrap();
    Pki {
        root,
        root_key,
        ca1,
        ca2,
        ca_stray,
        leaf,
    }
}

/// A CRL of the root revoking `ca1` an hour ago.
fn crl_revoking_ca1(p: &Pki) -> Crl {
    let now = SystemTime::now();
    Crl::issue(
        &p.root,
        &p.root_key,
        now - DAY,
        now + 7 * DAY,
        &[(
            p.ca1.serial().to_vec(),
            now - Duration::from_secs(3600),
            Some(CrlReason::CaCompromise),
        )],
    )
    .unwrap()
}

#[test]
fn revoked_candidate_falls_back_to_the_cross_certificate() {
    let p = pki(None);
    let crls = [crl_revoking_ca1(&p)];
    let source = CrlRevocation::new(&crls);
    let path = PathBuilder::new([&p.root])
        .intermediates([&p.ca1, &p.ca2])
        .revocation(&source)
        .build(&p.leaf)
        .expect("the path through ca2 is good");
    assert_eq!(path.len(), 3);
    assert!(*path[1] == p.ca2, "the revoked ca1 must not be on the path");

    // Only the revoked certificate: the revocation is the error, on the CA (index 1).
    let e = PathBuilder::new([&p.root])
        .intermediates([&p.ca1])
        .revocation(&source)
        .build(&p.leaf)
        .expect_err("ca1 is revoked");
    assert!(
        matches!(
            e.kind,
            PathErrorKind::Revoked {
                reason: Some("cACompromise"),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.index, 1);

    // With revocation off the first candidate is taken.
    let mut opts = ValidationOptions::now();
    opts.revocation = RevocationPolicy::Off;
    let path = PathBuilder::new([&p.root])
        .intermediates([&p.ca1, &p.ca2])
        .revocation(&source)
        .options(opts)
        .build(&p.leaf)
        .unwrap();
    assert!(*path[1] == p.ca1);
}

#[test]
fn the_most_specific_failure_wins() {
    let p = pki(None);
    let crls = [crl_revoking_ca1(&p)];
    let source = CrlRevocation::new(&crls);
    // The stray candidate (dead end: untrusted root) comes first; the revoked one is the
    // more specific failure and is reported whatever the order.
    for inter in [[&p.ca_stray, &p.ca1], [&p.ca1, &p.ca_stray]] {
        let e = PathBuilder::new([&p.root])
            .intermediates(inter)
            .revocation(&source)
            .build(&p.leaf)
            .expect_err("no good path");
        assert!(matches!(e.kind, PathErrorKind::Revoked { .. }), "{e:?}");
    }
    // Only the stray path: no trusted root.
    let e = PathBuilder::new([&p.root])
        .intermediates([&p.ca_stray])
        .build(&p.leaf)
        .expect_err("untrusted");
    assert!(
        matches!(
            e.kind,
            PathErrorKind::NoIssuer | PathErrorKind::UntrustedRoot
        ),
        "{e:?}"
    );
}

#[test]
fn hook_sees_every_complete_path_and_can_reject() {
    let p = pki(None);
    let seen = std::cell::RefCell::new(Vec::new());
    let hook = |path: &[&Certificate]| -> Result<(), String> {
        seen.borrow_mut().push(path.len());
        if *path[1] == p.ca1 {
            Err("ca1 is not qualified".into())
        } else {
            Ok(())
        }
    };
    let path = PathBuilder::new([&p.root])
        .intermediates([&p.ca1, &p.ca2])
        .hook(&hook)
        .build(&p.leaf)
        .unwrap();
    assert!(*path[1] == p.ca2);
    assert_eq!(*seen.borrow(), vec![3, 3]);

    let never = |_: &[&Certificate]| -> Result<(), String> { Err("policy".into()) };
    let e = PathBuilder::new([&p.root])
        .intermediates([&p.ca1, &p.ca2])
        .hook(&never)
        .build(&p.leaf)
        .unwrap_err();
    assert_eq!(e.kind, PathErrorKind::Rejected("policy".into()));
}

#[test]
fn budgets_on_build_steps_and_signatures() {
    let p = pki(None);
    let mut opts = ValidationOptions::now();
    opts.max_build_steps = 1;
    let e = PathBuilder::new([&p.root])
        .intermediates([&p.ca1])
        .options(opts)
        .build(&p.leaf)
        .unwrap_err();
    assert_eq!(e.kind, PathErrorKind::BudgetExceeded);

    let mut opts = ValidationOptions::now();
    opts.max_signature_checks = 1;
    let e = PathBuilder::new([&p.root])
        .intermediates([&p.ca1])
        .options(opts)
        .build(&p.leaf)
        .unwrap_err();
    assert_eq!(e.kind, PathErrorKind::BudgetExceeded);

    let mut opts = ValidationOptions::now();
    opts.max_depth = 2;
    let e = PathBuilder::new([&p.root])
        .intermediates([&p.ca1])
        .options(opts)
        .build(&p.leaf)
        .unwrap_err();
    assert_eq!(e.kind, PathErrorKind::BudgetExceeded);
}

#[test]
fn extended_key_usage_on_request() {
    let p = pki(Some(vec![CLIENT_AUTH]));
    let build = |eku: Option<ObjectIdentifier>| {
        let mut opts = ValidationOptions::now();
        opts.required_eku = eku;
        PathBuilder::new([&p.root])
            .intermediates([&p.ca1])
            .options(opts)
            .build(&p.leaf)
            .map(|path| path.len())
    };
    assert_eq!(build(None).unwrap(), 3);
    assert_eq!(build(Some(CLIENT_AUTH)).unwrap(), 3);
    let e = build(Some(SERVER_AUTH)).unwrap_err();
    assert_eq!(e.kind, PathErrorKind::ExtKeyUsage(SERVER_AUTH));
    assert_eq!(e.index, 0);
    // No EKU at all: any purpose passes.
    let q = pki(None);
    let mut opts = ValidationOptions::now();
    opts.required_eku = Some(SERVER_AUTH);
    assert!(
        PathBuilder::new([&q.root])
            .intermediates([&q.ca1])
            .options(opts)
            .build(&q.leaf)
            .is_ok()
    );
}

#[test]
fn expiry_errors_name_the_dates() {
    let p = pki(None);
    let at = SystemTime::now() + 400 * DAY;
    let e = PathBuilder::new([&p.root])
        .intermediates([&p.ca1])
        .options(ValidationOptions::at(at))
        .build(&p.leaf)
        .unwrap_err();
    match e.kind {
        PathErrorKind::Expired { not_after, time } => {
            assert_eq!(not_after, p.leaf.not_after());
            assert_eq!(time, at);
        }
        ref other => panic!("{other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.contains("notAfter") && text.contains("checked at"),
        "{text}"
    );
}

/// A CA bundle mixing an RSA certificate (made by `openssl req -x509`) with GOST ones: the GOST
/// certificates load, the RSA one is skipped and reported, and a directory holding it is not
/// fatal either.
#[test]
fn mixed_bundle_skips_non_gost_certificates() {
    let dir = std::env::temp_dir().join(format!("gostkit-bundle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rsa = dir.join("rsa.pem");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=RSA CA",
            "-days",
            "1",
        ])
        .arg("-keyout")
        .arg(dir.join("rsa.key"))
        .arg("-out")
        .arg(&rsa)
        .output();
    match made {
        Ok(out) if out.status.success() => {}
        other => {
            assert!(
                std::env::var("GOSTKIT_REQUIRE_PEER").as_deref() != Ok("1"),
                "openssl is needed: {other:?}"
            );
            println!("SKIP: openssl cannot make an RSA certificate: {other:?}");
            return;
        }
    }
    let p = pki(None);
    let mut bundle = std::fs::read(&rsa).unwrap();
    bundle.extend_from_slice(p.root.to_pem().unwrap().as_bytes());
    bundle.extend_from_slice(p.ca1.to_pem().unwrap().as_bytes());
    let bundle_path = dir.join("bundle.pem");
    std::fs::write(&bundle_path, &bundle).unwrap();

    let (certs, skipped) = Certificate::decode_bundle(&bundle).unwrap();
    assert_eq!(certs.len(), 2);
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].0, 0);
    assert!(
        Certificate::decode_all(&bundle).is_err(),
        "decode_all stays strict"
    );

    let mut store = gostkit::x509::store::CertStore::new();
    let n = store
        .load_path(&bundle_path, gostkit::x509::store::Role::TrustedRoot)
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(store.skipped().len(), 1);
    assert!(
        store.skipped()[0].contains("bundle.pem: certificate #1 skipped"),
        "{:?}",
        store.skipped()
    );

    std::fs::remove_file(&bundle_path).unwrap();
    std::fs::remove_file(dir.join("rsa.key")).unwrap();
    std::fs::write(dir.join("root.pem"), p.root.to_pem().unwrap()).unwrap();
    let mut store = gostkit::x509::store::CertStore::new();
    let n = store
        .load_path(&dir, gostkit::x509::store::Role::TrustedRoot)
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(store.skipped().len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// PEM with explanatory text before `-----BEGIN` (what `openssl ca` and `openssl x509 -text`
/// write) is read like plain PEM by every certificate reader.
#[test]
fn pem_with_leading_text() {
    let p = pki(None);
    let mut text =
        b"Certificate:\n    Data:\n        Version: 3 (0x2)\n        Subject: CN = Builder Leaf\n"
            .to_vec();
    text.extend_from_slice(p.leaf.to_pem().unwrap().as_bytes());
    assert!(Certificate::decode(&text).unwrap() == p.leaf);
    let mut store = gostkit::x509::store::CertStore::new();
    assert_eq!(
        store
            .load_bytes(&text, gostkit::x509::store::Role::OtherPeople)
            .unwrap(),
        1
    );
    // DER stays DER.
    assert!(Certificate::decode(p.leaf.der()).unwrap() == p.leaf);
}

/// A key that is not a `SigningKey` — as a token or container key will be — signs requests,
/// certificates and CRLs through the `SignDigest` trait alone.
#[test]
fn a_foreign_key_signs_through_the_trait() {
    use gostkit::ec::{SignDigest, Signature, VerifyingKey};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Holds its key privately and counts signatures, like a token session would.
    struct TokenLike {
        inner: SigningKey,
        calls: AtomicUsize,
    }
    impl SignDigest for TokenLike {
        fn param_set(&self) -> ParamSet {
            self.inner.param_set()
        }
        fn public_key(&self) -> &VerifyingKey {
            self.inner.verifying_key()
        }
        fn sign_digest(&self, digest: &[u8]) -> Result<Signature, gostkit::ec::EcError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Signature::from_slice(&self.inner.sign_digest(digest)?)
        }
    }

    let ca = TokenLike {
        inner: SigningKey::generate(ParamSet::Tc26_512C).unwrap(),
        calls: AtomicUsize::new(0),
    };
    let root = self_signed(
        &parse_slash_dn("/CN=Token CA").unwrap(),
        &ca,
        &IssueOptions::ca_days(365, None),
    )
    .unwrap();
    let user = TokenLike {
        inner: SigningKey::generate(ParamSet::Tc26_256A).unwrap(),
        calls: AtomicUsize::new(0),
    };
    let req = gostkit::x509::csr::CertificationRequest::build(
        &user,
        &parse_slash_dn("/CN=Token User").unwrap(),
        &[],
    )
    .unwrap();
    req.verify().unwrap();
    let cert = gostkit::x509::issue::issue_from_request(&req, &root, &ca, &IssueOptions::days(30))
        .unwrap();
    assert!(cert.matches_key(&user));
    assert!(!cert.matches_key(&ca));
    let crl = Crl::issue(&root, &ca, SystemTime::now(), SystemTime::now() + DAY, &[]).unwrap();
    crl.verify_signed_by(&root.verifying_key().unwrap())
        .unwrap();
    assert_eq!(ca.calls.load(Ordering::SeqCst), 3);
    assert_eq!(user.calls.load(Ordering::SeqCst), 1);
    let path = PathBuilder::new([&root]).build(&cert).unwrap();
    assert_eq!(path.len(), 2);
}
