//! PKCS#10 requests (RFC 2986) and certificate issuing (RFC 5280 §4.1, the `x509 issue` profile
//! of CLI.md): the slash-DN string types, request round trips with requested extensions, the
//! profile's fields (serial, validity, SKI/AKI, basicConstraints, keyUsage, extra extensions),
//! chains over mixed parameter sets, and the peer (OpenSSL + gost-engine) accepting all of it
//! and gostkit accepting the peer's requests.

mod common;

use std::time::{Duration, UNIX_EPOCH};

use common::peer::Peer;
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode, Tag, Tagged};
use gostkit::asn1::GostPublicKey;
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::csr::CertificationRequest;
use gostkit::x509::issue::{IssueOptions, issue, issue_from_request, key_identifier, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::{Certificate, X509Error};
use x509_cert::ext::Extension;

fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

fn key(set: ParamSet) -> SigningKey {
    SigningKey::generate(set).unwrap()
}

/// extKeyUsage clientAuth + emailProtection (RFC 5280 §4.2.1.12), non-critical.
fn eku_ext() -> Extension {
    let ekus = x509_cert::ext::pkix::ExtendedKeyUsage(vec![
        oid("1.3.6.1.5.5.7.3.2"),
        oid("1.3.6.1.5.5.7.3.4"),
    ]);
    Extension {
        extn_id: oid("2.5.29.37"),
        critical: false,
        extn_value: OctetString::new(ekus.to_der().unwrap()).unwrap(),
    }
}

/// A critical extension nobody knows (value: NULL).
fn unknown_critical() -> Extension {
    Extension {
        extn_id: oid("1.3.6.1.4.1.55555.1"),
        critical: true,
        extn_value: OctetString::new(vec![0x05, 0x00]).unwrap(),
    }
}

/// certificatePolicies with one policy OID (RFC 5280 §4.2.1.4).
fn policies_ext(policy: &str) -> Extension {
    let p = x509_cert::ext::pkix::CertificatePolicies(vec![
        x509_cert::ext::pkix::certpolicy::PolicyInformation {
            policy_identifier: oid(policy),
            policy_qualifiers: None,
        },
    ]);
    Extension {
        extn_id: oid("2.5.29.32"),
        critical: false,
        extn_value: OctetString::new(p.to_der().unwrap()).unwrap(),
    }
}

/// The CLI.md DN syntax: every attribute name, its OID and its ASN.1 string type, escapes and
/// Cyrillic; malformed or out-of-range values refused.
#[test]
fn slash_dn_attribute_types() {
    let dn = "/CN=Иванов Иван/SN=Иванов/GN=Иван Петрович/T=Директор/O=ООО \"Ромашка\"/OU=a\\/b\\=c\
              /L=Москва/ST=77 г. Москва/C=RU/STREET=ул. Ленина, 1/E=ivan@example.ru\
              /INN=500100732259/INNLE=7701234560/OGRN=1027700132195/OGRNIP=304500116000157\
              /SNILS=12345678964";
    let name = parse_slash_dn(dn).unwrap();
    let expected: &[(&str, &str, Tag)] = &[
        ("2.5.4.3", "Иванов Иван", Tag::Utf8String),
        ("2.5.4.4", "Иванов", Tag::Utf8String),
        ("2.5.4.42", "Иван Петрович", Tag::Utf8String),
        ("2.5.4.12", "Директор", Tag::Utf8String),
        ("2.5.4.10", "ООО \"Ромашка\"", Tag::Utf8String),
        ("2.5.4.11", "a/b=c", Tag::Utf8String),
        ("2.5.4.7", "Москва", Tag::Utf8String),
        ("2.5.4.8", "77 г. Москва", Tag::Utf8String),
        ("2.5.4.6", "RU", Tag::PrintableString),
        ("2.5.4.9", "ул. Ленина, 1", Tag::Utf8String),
        ("1.2.840.113549.1.9.1", "ivan@example.ru", Tag::Ia5String),
        ("1.2.643.3.131.1.1", "500100732259", Tag::NumericString),
        ("1.2.643.100.4", "7701234560", Tag::NumericString),
        ("1.2.643.100.1", "1027700132195", Tag::NumericString),
        ("1.2.643.100.5", "304500116000157", Tag::NumericString),
        ("1.2.643.100.3", "12345678964", Tag::NumericString),
    ];
    let got: Vec<_> = name.iter().collect();
    assert_eq!(got.len(), expected.len());
    for (atv, (o, v, t)) in got.iter().zip(expected) {
        assert_eq!(atv.oid, oid(o));
        assert_eq!(atv.value.tag(), *t, "{o}");
        assert_eq!(atv.value.value(), v.as_bytes(), "{o}");
    }
    // One attribute per RDN, in the order given.
    assert_eq!(name.iter_rdn().count(), expected.len());
    // The OIDs are exported under the names of the brief.
    assert_eq!(gostkit::oid::ATTR_INN, oid("1.2.643.3.131.1.1"));
    assert_eq!(gostkit::oid::ATTR_INNLE, oid("1.2.643.100.4"));
    assert_eq!(gostkit::oid::ATTR_OGRN, oid("1.2.643.100.1"));
    assert_eq!(gostkit::oid::ATTR_OGRNIP, oid("1.2.643.100.5"));
    assert_eq!(gostkit::oid::ATTR_SNILS, oid("1.2.643.100.3"));
    assert_eq!(gostkit::oid::ATTR_EMAIL, oid("1.2.840.113549.1.9.1"));
    // A 10-digit INN (legal entity, old style) is accepted too.
    parse_slash_dn("/INN=7701234560").unwrap();

    for bad in [
        "CN=no leading slash",
        "/CN",
        "/=value",
        "/CN=x/",
        "/CN=x\\",
        "/XX=unknown",
        "/INN=77012345608",
        "/INN=5001007322590",
        "/INN=77012345608a",
        "/INNLE=500100732259",
        "/OGRN=102770013219",
        "/OGRNIP=1027700132195",
        "/SNILS=1234567890",
        "/SNILS=123-456-789 01",
        "/C=RUS",
        "/C=Р1",
        "/E=иван@example.ru",
    ] {
        assert!(parse_slash_dn(bad).is_err(), "{bad} accepted");
    }
}

/// Requests built on every TC26 parameter set and CryptoPro-A: PEM and DER round trips, the
/// signature over the CertificationRequestInfo as received, requested extensions kept.
#[test]
fn request_round_trips() {
    let subject =
        parse_slash_dn("/CN=Заявитель/O=Ромашка/INN=500100732259/SNILS=12345678964").unwrap();
    for set in [
        ParamSet::Tc26_256A,
        ParamSet::Tc26_256B,
        ParamSet::Tc26_256C,
        ParamSet::Tc26_256D,
        ParamSet::Tc26_512A,
        ParamSet::Tc26_512B,
        ParamSet::Tc26_512C,
        ParamSet::CryptoProA,
    ] {
        let k = key(set);
        let exts = [eku_ext(), unknown_critical()];
        let req = CertificationRequest::build(&k, &subject, &exts).unwrap();
        let pem = req.to_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
        for r in [
            CertificationRequest::decode(pem.as_bytes()).unwrap(),
            CertificationRequest::decode(req.der()).unwrap(),
        ] {
            r.verify().unwrap();
            assert_eq!(r.der(), req.der());
            assert_eq!(r.subject(), &subject);
            assert_eq!(
                r.public_key(),
                &GostPublicKey::from_verifying_key(k.verifying_key()).unwrap()
            );
            assert_eq!(r.requested_extensions().unwrap(), exts);
        }
        // Without extensions: no extensionRequest attribute, an empty [0] attributes field.
        let plain = CertificationRequest::build(&k, &subject, &[]).unwrap();
        plain.verify().unwrap();
        assert!(plain.requested_extensions().unwrap().is_empty());
        assert!(plain.der().windows(2).any(|w| w == [0xa0, 0x00]));

        // One byte of the subject changed (still well-formed): the signature fails.
        let mut bad = req.der().to_vec();
        let at = bad
            .windows("Ромашка".len())
            .position(|w| w == "Ромашка".as_bytes())
            .unwrap();
        bad[at + 1] ^= 0x01;
        let bad = CertificationRequest::from_der(&bad).unwrap();
        assert_eq!(bad.verify(), Err(X509Error::BadSignature));
        // Trailing garbage and truncation are malformed, not accepted.
        let mut trailing = req.der().to_vec();
        trailing.push(0);
        assert!(CertificationRequest::from_der(&trailing).is_err());
        assert!(CertificationRequest::from_der(&req.der()[..req.der().len() - 1]).is_err());
    }
}

/// The profile's fields: validity as given, random positive 16-byte serials, SKI by RFC 5280
/// §4.2.1.2 method 1 (computed here independently), AKI, the CA and leaf extensions with their
/// criticality, requested and extra extensions, and the key checks.
#[test]
fn issued_profile_fields() {
    let root_key = key(ParamSet::Tc26_512B);
    let nb = UNIX_EPOCH + Duration::from_secs(1_893_456_000); // 2030-01-01T00:00:00Z
    let na = UNIX_EPOCH + Duration::from_secs(2_556_144_000); // 2051-01-01T00:00:00Z (GeneralizedTime)
    let opts = IssueOptions {
        not_before: nb,
        not_after: na,
        ..IssueOptions::ca_days(1, None)
    };
    let name = parse_slash_dn("/CN=Profile Root/C=RU").unwrap();
    let root = self_signed(&name, &root_key, &opts).unwrap();
    root.verify_signed_by(root_key.verifying_key()).unwrap();
    assert_eq!(root.not_before(), nb);
    assert_eq!(root.not_after(), na);
    assert_eq!(root.subject(), root.issuer());
    assert!(root.matches_key(&root_key));

    // SKI = SHA-1 over the subjectPublicKey BIT STRING contents (no tag, length, unused bits).
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&root.spki_der().unwrap()).unwrap();
    let bits = spki.subject_public_key.raw_bytes();
    let ski = {
        use sha1::Digest;
        sha1::Sha1::digest(bits).to_vec()
    };
    assert_eq!(root.subject_key_id().unwrap(), Some(ski.clone()));
    assert_eq!(root.authority_key_id().unwrap(), Some(ski.clone()));
    assert_eq!(key_identifier(root.public_key()).unwrap(), ski);

    // CA profile: basicConstraints critical without pathLen, keyUsage critical.
    let bc = root.extension(&oid("2.5.29.19")).unwrap();
    assert!(bc.critical);
    assert_eq!(bc.extn_value.as_bytes(), [0x30, 0x03, 0x01, 0x01, 0xff]);
    assert!(root.extension(&oid("2.5.29.15")).unwrap().critical);
    assert_eq!(root.key_usage_names().unwrap(), ["keyCertSign", "cRLSign"]);

    // Serials: 16 bytes, positive, different each time.
    let s1 = root.serial().to_vec();
    let s2 = self_signed(&name, &root_key, &opts)
        .unwrap()
        .serial()
        .to_vec();
    for s in [&s1, &s2] {
        assert_eq!(s.len(), 16, "{s:02x?}");
        assert!(s[0] & 0x80 == 0 && s[0] != 0, "{s:02x?}");
    }
    assert_ne!(s1, s2);
    // An explicit serial is written as given.
    let fixed = IssueOptions {
        serial: Some(vec![0x01, 0x02, 0x03]),
        ..opts.clone()
    };
    assert_eq!(
        self_signed(&name, &root_key, &fixed).unwrap().serial(),
        [1, 2, 3]
    );

    // A leaf from a request: requested extensions copied, extra extensions added, the
    // profile's leaf keyUsage (not critical) and no basicConstraints; AKI = issuer's SKI.
    let leaf_key = key(ParamSet::Tc26_256C);
    let req = CertificationRequest::build(
        &leaf_key,
        &parse_slash_dn("/CN=Profile Leaf/OGRNIP=304500116000157").unwrap(),
        &[eku_ext()],
    )
    .unwrap();
    let mut lo = IssueOptions::days(10);
    lo.extensions = vec![policies_ext("1.2.643.100.113.1"), unknown_critical()];
    let leaf = issue_from_request(&req, &root, &root_key, &lo).unwrap();
    leaf.verify_signed_by(root_key.verifying_key()).unwrap();
    assert_eq!(leaf.issuer(), root.subject());
    assert_eq!(leaf.authority_key_id().unwrap(), Some(ski));
    assert_eq!(
        leaf.subject_key_id().unwrap(),
        Some(key_identifier(req.public_key()).unwrap())
    );
    assert_eq!(leaf.basic_constraints().unwrap(), None);
    assert!(!leaf.extension(&oid("2.5.29.15")).unwrap().critical);
    assert_eq!(
        leaf.ext_key_usage().unwrap(),
        [oid("1.3.6.1.5.5.7.3.2"), oid("1.3.6.1.5.5.7.3.4")]
    );
    assert_eq!(leaf.policies().unwrap(), [oid("1.2.643.100.113.1")]);
    assert!(
        leaf.extension(&oid("1.3.6.1.4.1.55555.1"))
            .unwrap()
            .critical
    );
    assert_eq!(
        leaf.subject_ids().ogrnip.as_deref(),
        Some("304500116000157")
    );
    let days = leaf
        .not_after()
        .duration_since(leaf.not_before())
        .unwrap()
        .as_secs();
    assert_eq!(days, 10 * 86_400);
    assert!(leaf.matches_key(&leaf_key) && !leaf.matches_key(&root_key));
    // Each extension appears once.
    let mut ids: Vec<_> = leaf.extensions().iter().map(|e| e.extn_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), leaf.extensions().len());

    // A key that is not the issuer's, or not the self-signed subject's, is refused.
    let other = key(ParamSet::Tc26_256A);
    assert_eq!(
        issue_from_request(&req, &root, &other, &lo).err(),
        Some(X509Error::KeyMismatch)
    );
    let leaf_pk = GostPublicKey::from_verifying_key(leaf_key.verifying_key()).unwrap();
    assert_eq!(
        issue(&name, &leaf_pk, None, &other, &opts).err(),
        Some(X509Error::KeyMismatch)
    );
    // From a (Name, public key) pair: same result as from a request.
    let direct = issue(req.subject(), &leaf_pk, Some(&root), &root_key, &lo).unwrap();
    direct.verify_signed_by(root_key.verifying_key()).unwrap();
    assert_eq!(direct.public_key(), req.public_key());
}

fn write(peer: &Peer, name: &str, c: &Certificate) -> String {
    let p = peer.path(name);
    std::fs::write(&p, c.to_pem().unwrap()).unwrap();
    p
}

/// Chains on mixed parameter sets, each certificate verified with its issuer's key by gostkit
/// and the whole chain by `openssl verify`; the peer's text output shows the profile; a chain
/// beyond a pathLen and a leaf with an unknown critical extension are refused by the peer.
#[test]
fn mixed_chains_accepted_by_peer() {
    let peer = Peer::find("x509-issue").ok();
    if peer.is_none() {
        println!("SKIPPED: peer parts of mixed_chains_accepted_by_peer");
    }
    // (root, intermediate, leaf)
    let chains = [
        (
            ParamSet::Tc26_256A,
            ParamSet::Tc26_512A,
            ParamSet::Tc26_256B,
        ),
        (
            ParamSet::Tc26_512C,
            ParamSet::Tc26_256D,
            ParamSet::Tc26_512B,
        ),
        (
            ParamSet::CryptoProA,
            ParamSet::Tc26_256C,
            ParamSet::Tc26_512A,
        ),
        (
            ParamSet::Tc26_512B,
            ParamSet::Tc26_512C,
            ParamSet::CryptoProB,
        ),
    ];
    for (n, (rs, cs, ls)) in chains.into_iter().enumerate() {
        let (rk, ck, lk) = (key(rs), key(cs), key(ls));
        let root = self_signed(
            &parse_slash_dn(&format!("/CN=Root {n}/O=gostkit")).unwrap(),
            &rk,
            &IssueOptions::ca_days(3650, None),
        )
        .unwrap();
        let ca_req =
            CertificationRequest::build(&ck, &parse_slash_dn(&format!("/CN=CA {n}")).unwrap(), &[])
                .unwrap();
        let ca =
            issue_from_request(&ca_req, &root, &rk, &IssueOptions::ca_days(1825, Some(1))).unwrap();
        let leaf_req = CertificationRequest::build(
            &lk,
            &parse_slash_dn(&format!(
                "/CN=Leaf {n}/INN=500100732259/OGRN=1027700132195/SNILS=12345678964"
            ))
            .unwrap(),
            &[],
        )
        .unwrap();
        let leaf = issue_from_request(&leaf_req, &ca, &ck, &IssueOptions::days(30)).unwrap();
        root.verify_signed_by(rk.verifying_key()).unwrap();
        ca.verify_signed_by(rk.verifying_key()).unwrap();
        leaf.verify_signed_by(ck.verifying_key()).unwrap();
        // Not by the root's key (BadSignature, or AlgorithmMismatch across key sizes).
        assert!(leaf.verify_signed_by(rk.verifying_key()).is_err());
        assert_eq!(ca.basic_constraints().unwrap(), Some((true, Some(1))));

        let Some(peer) = &peer else { continue };
        let (r, c, l) = (
            write(peer, &format!("r{n}.pem"), &root),
            write(peer, &format!("c{n}.pem"), &ca),
            write(peer, &format!("l{n}.pem"), &leaf),
        );
        let out = peer
            .openssl(&["verify", "-CAfile", &r, "-untrusted", &c, &l])
            .unwrap();
        assert!(String::from_utf8_lossy(&out).contains(": OK"));

        // The request as the peer sees it: signature OK, Russian identifiers printed.
        let csr = peer.path(&format!("l{n}.csr"));
        std::fs::write(&csr, leaf_req.to_pem().unwrap()).unwrap();
        peer.openssl(&["req", "-verify", "-noout", "-in", &csr])
            .unwrap();
        let text = String::from_utf8(
            peer.openssl(&["req", "-text", "-noout", "-in", &csr])
                .unwrap(),
        )
        .unwrap();
        for v in [
            "INN = 500100732259",
            "OGRN = 1027700132195",
            "SNILS = 12345678964",
        ] {
            assert!(text.contains(v), "{v} not in {text}");
        }

        // The certificates as the peer prints them.
        let text = |p: &str| {
            String::from_utf8(
                peer.openssl(&["x509", "-text", "-noout", "-in", p])
                    .unwrap(),
            )
            .unwrap()
        };
        let (rt, ct, lt) = (text(&r), text(&c), text(&l));
        for t in [&rt, &ct] {
            assert!(t.contains("X509v3 Basic Constraints: critical"), "{t}");
            assert!(t.contains("X509v3 Key Usage: critical"), "{t}");
            assert!(t.contains("Certificate Sign, CRL Sign"), "{t}");
        }
        assert!(rt.contains("CA:TRUE") && !rt.contains("pathlen"), "{rt}");
        assert!(ct.contains("CA:TRUE, pathlen:1"), "{ct}");
        assert!(!lt.contains("Basic Constraints"), "{lt}");
        assert!(
            lt.contains("Digital Signature, Non Repudiation, Key Encipherment, Key Agreement"),
            "{lt}"
        );
        let hexid = |v: Vec<u8>| {
            v.iter()
                .map(|b| format!("{b:02X}"))
                .collect::<Vec<_>>()
                .join(":")
        };
        let ca_ski = hexid(ca.subject_key_id().unwrap().unwrap());
        assert!(ct.contains(&ca_ski) && lt.contains(&ca_ski), "{ct}\n{lt}");

        if n == 0 {
            // pathLen 0 under the intermediate: a sub-CA below it may not issue.
            let sk = key(ParamSet::Tc26_256A);
            let zero = issue(
                &parse_slash_dn("/CN=CA zero").unwrap(),
                &GostPublicKey::from_verifying_key(ck.verifying_key()).unwrap(),
                Some(&root),
                &rk,
                &IssueOptions::ca_days(100, Some(0)),
            )
            .unwrap();
            let sub = issue(
                &parse_slash_dn("/CN=Sub CA").unwrap(),
                &GostPublicKey::from_verifying_key(sk.verifying_key()).unwrap(),
                Some(&zero),
                &ck,
                &IssueOptions::ca_days(100, None),
            )
            .unwrap();
            let below = issue(
                &parse_slash_dn("/CN=Below").unwrap(),
                &GostPublicKey::from_verifying_key(lk.verifying_key()).unwrap(),
                Some(&sub),
                &sk,
                &IssueOptions::days(10),
            )
            .unwrap();
            let z = write(peer, "zero.pem", &zero);
            let s = write(peer, "sub.pem", &sub);
            let untrusted = peer.path("zero-sub.pem");
            std::fs::write(
                &untrusted,
                [std::fs::read(&z).unwrap(), std::fs::read(&s).unwrap()].concat(),
            )
            .unwrap();
            // The sub-CA as an end of the path is fine; below it the constraint bites.
            peer.openssl(&["verify", "-CAfile", &r, "-untrusted", &z, &s])
                .unwrap();
            let b = write(peer, "below.pem", &below);
            let e = peer
                .openssl(&["verify", "-CAfile", &r, "-untrusted", &untrusted, &b])
                .unwrap_err();
            assert!(e.contains("path length"), "{e}");

            // An unknown critical extension makes the peer refuse the leaf.
            let mut o = IssueOptions::days(10);
            o.extensions.push(unknown_critical());
            let crit = issue_from_request(&leaf_req, &ca, &ck, &o).unwrap();
            let cp = write(peer, "crit.pem", &crit);
            let e = peer
                .openssl(&["verify", "-CAfile", &r, "-untrusted", &c, &cp])
                .unwrap_err();
            assert!(e.contains("critical"), "{e}");
        }
    }
}

/// Requests made by the peer on several parameter sets are read, verified and issued from; a
/// tampered one is refused.
#[test]
fn peer_requests_issued_from() {
    let peer = match Peer::find("x509-issue-req") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: peer requests: {why}");
            return;
        }
    };
    let rk = key(ParamSet::Tc26_256B);
    let root = self_signed(
        &parse_slash_dn("/CN=Peer Req Root").unwrap(),
        &rk,
        &IssueOptions::ca_days(365, Some(0)),
    )
    .unwrap();
    let r = write(&peer, "root.pem", &root);
    for (alg, ps) in [
        ("gost2012_256", "A"),
        ("gost2012_256", "B"),
        ("gost2012_256", "TCD"),
        ("gost2012_512", "A"),
        ("gost2012_512", "B"),
    ] {
        let tag = format!("{alg}-{ps}");
        let pk = peer.path(&format!("{tag}.key"));
        let csr = peer.path(&format!("{tag}.csr"));
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{ps}"),
            "-out",
            &pk,
        ])
        .unwrap();
        peer.openssl(&[
            "req",
            "-new",
            "-key",
            &pk,
            "-subj",
            &format!("/CN=Peer {tag}/O=Romashka"),
            "-addext",
            "extendedKeyUsage=clientAuth,emailProtection",
            "-outform",
            "DER",
            "-out",
            &csr,
        ])
        .unwrap();
        let der = std::fs::read(&csr).unwrap();
        let req = CertificationRequest::decode(&der).unwrap();
        req.verify().unwrap();
        assert_eq!(req.der(), der);
        assert_eq!(req.requested_extensions().unwrap().len(), 1);
        let cert = issue_from_request(&req, &root, &rk, &IssueOptions::days(5)).unwrap();
        cert.verify_signed_by(rk.verifying_key()).unwrap();
        assert_eq!(cert.ext_key_usage().unwrap().len(), 2);
        let c = write(&peer, &format!("{tag}.pem"), &cert);
        peer.openssl(&["verify", "-CAfile", &r, &c]).unwrap();
        // "Romashka" → "Romashkb": still well-formed, signature fails, issuing refused.
        let mut bad = der.clone();
        let at = bad.windows(8).position(|w| w == b"Romashka").unwrap();
        bad[at + 7] = b'b';
        let bad = CertificationRequest::decode(&bad).unwrap();
        assert_eq!(bad.verify(), Err(X509Error::BadSignature));
        assert_eq!(
            issue_from_request(&bad, &root, &rk, &IssueOptions::days(5)).err(),
            Some(X509Error::BadSignature)
        );
    }
}

/// Issue 16: a zero-day validity (notAfter not after notBefore) and serials that are not a
/// positive INTEGER of 1..20 octets are refused with an invalid-argument error, for self-signed
/// and request-based issuing alike; one day and a 20-octet serial are fine.
#[test]
fn empty_validity_and_bad_serials_refused() {
    let k = key(ParamSet::Tc26_256A);
    let name = parse_slash_dn("/CN=Zero Day").unwrap();
    for opts in [IssueOptions::days(0), IssueOptions::ca_days(0, None), {
        let mut o = IssueOptions::days(5);
        o.not_after = o.not_before - Duration::from_secs(1);
        o
    }] {
        let e = self_signed(&name, &k, &opts).unwrap_err();
        assert!(matches!(e, X509Error::InvalidOption(_)), "{e:?}");
        assert_eq!(e.kind(), gostkit::ErrorKind::InvalidArgument);
    }
    let ca = self_signed(&name, &k, &IssueOptions::ca_days(1, None)).unwrap();
    let req = CertificationRequest::build(&k, &name, &[]).unwrap();
    assert!(matches!(
        issue_from_request(&req, &ca, &k, &IssueOptions::days(0)),
        Err(X509Error::InvalidOption(_))
    ));
    for bad in [vec![], vec![0], vec![0, 0], vec![0x80, 1], vec![1; 21]] {
        let o = IssueOptions {
            serial: Some(bad.clone()),
            ..IssueOptions::days(1)
        };
        assert!(
            matches!(self_signed(&name, &k, &o), Err(X509Error::InvalidOption(_))),
            "{bad:02x?}"
        );
    }
    let o = IssueOptions {
        serial: Some(vec![0x7f; 20]),
        ..IssueOptions::days(1)
    };
    assert_eq!(self_signed(&name, &k, &o).unwrap().serial(), [0x7f; 20]);
}
