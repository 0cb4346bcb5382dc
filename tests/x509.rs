//! X.509 certificates: gostkit reads and verifies certificates OpenSSL + gost-engine makes.

mod common;

use common::peer::Peer;
use gostkit::x509::{Certificate, SignatureAlgorithm, X509Error};

/// (algorithm, paramset, expected signature algorithm) for the peer's self-signed roots.
const SETS: &[(&str, &str, SignatureAlgorithm)] = &[
    ("gost2012_256", "A", SignatureAlgorithm::Gost2012_256),
    ("gost2012_256", "B", SignatureAlgorithm::Gost2012_256),
    ("gost2012_256", "TCD", SignatureAlgorithm::Gost2012_256),
    ("gost2012_512", "A", SignatureAlgorithm::Gost2012_512),
    ("gost2012_512", "C", SignatureAlgorithm::Gost2012_512),
];

#[test]
fn peer_self_signed_certificates_verify() {
    let peer = match Peer::find("x509-core") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: X.509 interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let (key, cert) = (peer.path("key.pem"), peer.path("cert.pem"));
    for (alg, set, sig_alg) in SETS {
        let ps = format!("paramset:{set}");
        peer.openssl(&["genpkey", "-algorithm", alg, "-pkeyopt", &ps, "-out", &key])
            .unwrap();
        peer.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            &key,
            "-subj",
            "/CN=Root/O=Test",
            "-days",
            "30",
            "-out",
            &cert,
        ])
        .unwrap();
        let pem = std::fs::read(&cert).unwrap();
        let c = Certificate::decode(&pem).unwrap();
        assert_eq!(c.signature_algorithm().unwrap(), *sig_alg, "{alg} {set}");
        assert!(c.is_self_issued());
        let vk = c.verifying_key().unwrap();
        c.verify_signed_by(&vk).unwrap();
        // DER gives the same certificate, and a bundle of two gives two.
        let der = peer
            .openssl(&["x509", "-in", &cert, "-outform", "DER"])
            .unwrap();
        assert_eq!(Certificate::decode(&der).unwrap(), c);
        let mut bundle = b"junk before\n".to_vec();
        bundle.extend_from_slice(&pem);
        bundle.extend_from_slice(&pem);
        assert_eq!(Certificate::decode_all(&bundle).unwrap().len(), 2);
        // One flipped bit in the signature is a bad signature.
        let mut bad = der.clone();
        let n = bad.len();
        bad[n - 5] ^= 1;
        let b = Certificate::from_der(&bad).unwrap();
        assert_eq!(b.verify_signed_by(&vk), Err(X509Error::BadSignature));
    }
}

use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::csr::CertificationRequest;
use gostkit::x509::issue::{IssueOptions, issue_from_request, self_signed};
use gostkit::x509::name::{parse_slash_dn, to_rfc4514};

/// A root (tc26-256-A) → intermediate (tc26-512-A, pathLen 0) → leaf (CryptoPro-A via a CSR
/// with INN/OGRN/SNILS) chain made by gostkit, checked by gostkit and by `openssl verify`.
#[test]
fn gostkit_chain_and_request_accepted_by_peer() {
    let root_key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let ca_key = SigningKey::generate(ParamSet::Tc26_512A).unwrap();
    let leaf_key = SigningKey::generate(ParamSet::CryptoProA).unwrap();
    let root = self_signed(
        &parse_slash_dn("/CN=Test Root/O=gostkit").unwrap(),
        &root_key,
        &IssueOptions::ca_days(3650, None),
    )
    .unwrap();
    root.verify_signed_by(root_key.verifying_key()).unwrap();
    assert_eq!(
        root.subject_key_id().unwrap(),
        root.authority_key_id().unwrap()
    );
    assert_eq!(root.basic_constraints().unwrap(), Some((true, None)));
    assert_eq!(root.key_usage_names().unwrap(), ["keyCertSign", "cRLSign"]);

    let ca_req = CertificationRequest::build(
        &ca_key,
        &parse_slash_dn("/CN=Test CA/O=gostkit").unwrap(),
        &[],
    )
    .unwrap();
    let ca = issue_from_request(
        &ca_req,
        &root,
        &root_key,
        &IssueOptions::ca_days(1825, Some(0)),
    )
    .unwrap();
    ca.verify_signed_by(root_key.verifying_key()).unwrap();
    assert_eq!(
        ca.authority_key_id().unwrap(),
        root.subject_key_id().unwrap()
    );
    assert_eq!(ca.basic_constraints().unwrap(), Some((true, Some(0))));

    let subject =
        parse_slash_dn("/CN=Иванов Иван/INN=500100732259/OGRN=1027700132195/SNILS=12345678964")
            .unwrap();
    let req = CertificationRequest::build(&leaf_key, &subject, &[]).unwrap();
    let again = CertificationRequest::decode(req.to_pem().unwrap().as_bytes()).unwrap();
    again.verify().unwrap();
    let leaf = issue_from_request(&again, &ca, &ca_key, &IssueOptions::days(365)).unwrap();
    leaf.verify_signed_by(ca_key.verifying_key()).unwrap();
    assert!(leaf.matches_key(&leaf_key));
    assert!(!leaf.matches_key(&root_key));
    assert_eq!(leaf.basic_constraints().unwrap(), None);
    let ids = leaf.subject_ids();
    assert_eq!(ids.inn.as_deref(), Some("500100732259"));
    assert_eq!(ids.ogrn.as_deref(), Some("1027700132195"));
    assert_eq!(ids.snils.as_deref(), Some("12345678964"));
    assert_eq!(
        leaf.key_usage_names().unwrap(),
        [
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "keyAgreement"
        ]
    );

    // A request with one altered byte in its signature is refused.
    let mut bad = req.der().to_vec();
    let n = bad.len();
    bad[n - 2] ^= 1;
    let bad = CertificationRequest::from_der(&bad).unwrap();
    assert_eq!(bad.verify(), Err(X509Error::BadSignature));
    assert_eq!(
        issue_from_request(&bad, &ca, &ca_key, &IssueOptions::days(1)).err(),
        Some(X509Error::BadSignature)
    );

    let peer = match Peer::find("x509-chain") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: peer checks of gostkit certificates: {why}");
            return;
        }
    };
    let w = |name: &str, c: &Certificate| {
        let p = peer.path(name);
        std::fs::write(&p, c.to_pem().unwrap()).unwrap();
        p
    };
    let (r, c, l) = (w("root.pem", &root), w("ca.pem", &ca), w("leaf.pem", &leaf));
    let out = peer
        .openssl(&["verify", "-CAfile", &r, "-untrusted", &c, &l])
        .unwrap();
    assert!(String::from_utf8_lossy(&out).contains("OK"));
    let csr = peer.path("leaf.csr");
    std::fs::write(&csr, req.to_pem().unwrap()).unwrap();
    peer.openssl(&["req", "-verify", "-noout", "-in", &csr])
        .unwrap();
    // Names as the peer prints them (RFC 2253 order) equal ours.
    let printed = peer
        .openssl(&[
            "x509",
            "-in",
            &l,
            "-noout",
            "-subject",
            "-nameopt",
            "RFC2253,-esc_msb",
        ])
        .unwrap();
    let printed = String::from_utf8(printed).unwrap();
    let printed = printed.trim().trim_start_matches("subject=");
    let ours = to_rfc4514(leaf.subject());
    // The peer names the Russian attributes by OID or its own short names; compare the values.
    for v in [
        "Иванов Иван",
        "500100732259",
        "1027700132195",
        "12345678964",
    ] {
        assert!(
            printed.contains(v) && ours.contains(v),
            "{printed} / {ours}"
        );
    }
    // Thumbprint as the peer computes it.
    let fp = peer
        .openssl(&["x509", "-in", &l, "-noout", "-fingerprint", "-sha1"])
        .unwrap();
    let fp = String::from_utf8(fp)
        .unwrap()
        .replace(':', "")
        .to_lowercase();
    assert!(fp.contains(&hex::encode(leaf.thumbprint_sha1())));

    // The peer's own request (with extensions requested) is read, verified and issued from.
    let pk = peer.path("pk.pem");
    let pcsr = peer.path("p.csr");
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_512",
        "-pkeyopt",
        "paramset:C",
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
        "/CN=Peer Leaf",
        "-addext",
        "extendedKeyUsage=clientAuth,emailProtection",
        "-addext",
        "certificatePolicies=1.2.643.100.113.1",
        "-out",
        &pcsr,
    ])
    .unwrap();
    let preq = CertificationRequest::decode(&std::fs::read(&pcsr).unwrap()).unwrap();
    preq.verify().unwrap();
    let pleaf = issue_from_request(&preq, &ca, &ca_key, &IssueOptions::days(30)).unwrap();
    assert_eq!(pleaf.ext_key_usage().unwrap().len(), 2);
    assert_eq!(
        pleaf.policies().unwrap(),
        [const_oid::ObjectIdentifier::new_unwrap("1.2.643.100.113.1")]
    );
    let pl = w("pleaf.pem", &pleaf);
    peer.openssl(&["verify", "-CAfile", &r, "-untrusted", &c, &pl])
        .unwrap();
}

/// RFC 9215 Appendix A example certificates: parse, self-signatures verify, fields as printed.
#[test]
fn rfc9215_example_certificates() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/rfc9215");
    for (file, serial, alg, curve) in [
        (
            "a1-gost2012-256-testparamset.pem",
            10u8,
            SignatureAlgorithm::Gost2012_256,
            "1.2.643.2.2.35.0",
        ),
        (
            "a2-gost2012-256-paramseta.pem",
            10,
            SignatureAlgorithm::Gost2012_256,
            "1.2.643.7.1.2.1.1.1",
        ),
        (
            "a3-gost2012-512-testparamset.pem",
            11,
            SignatureAlgorithm::Gost2012_512,
            "1.2.643.7.1.2.1.2.0",
        ),
    ] {
        let c = Certificate::decode(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        assert_eq!(c.signature_algorithm().unwrap(), alg, "{file}");
        assert_eq!(c.serial(), [serial]);
        assert_eq!(to_rfc4514(c.subject()), "CN=Example");
        assert!(c.is_self_issued());
        assert_eq!(c.public_key().param_set.to_string(), curve);
        assert_eq!(c.basic_constraints().unwrap(), Some((true, None)));
        assert!(
            c.extension(&const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS)
                .unwrap()
                .critical
        );
        let secs =
            |t: std::time::SystemTime| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(secs(c.not_before()), 978_307_200); // 2001-01-01T00:00:00Z
        assert_eq!(secs(c.not_after()), 2_556_057_600); // 2050-12-31T00:00:00Z
        c.verify_signed_by(&c.verifying_key().unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
}

/// A legacy GOST R 34.10-2001 certificate signed with GOST R 34.11-94 (made by the peer) is read
/// and its signature verifies, as old documents need.
#[test]
fn peer_gost2001_certificate_verifies() {
    let peer = match Peer::find("x509-2001") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: GOST R 34.10-2001 certificate from the peer: {why}");
            return;
        }
    };
    let (key, cert) = (peer.path("k.pem"), peer.path("c.pem"));
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2001",
        "-pkeyopt",
        "paramset:A",
        "-out",
        &key,
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &key,
        "-md_gost94",
        "-subj",
        "/CN=Legacy 2001",
        "-days",
        "30",
        "-out",
        &cert,
    ])
    .unwrap();
    let c = Certificate::decode(&std::fs::read(&cert).unwrap()).unwrap();
    assert_eq!(
        c.signature_algorithm().unwrap(),
        SignatureAlgorithm::Gost2001
    );
    assert_eq!(
        c.public_key().algorithm,
        gostkit::asn1::KeyAlgorithm::Gost2001
    );
    c.verify_signed_by(&c.verifying_key().unwrap()).unwrap();
    let mut der = c.der().to_vec();
    let n = der.len();
    der[n - 7] ^= 1;
    let bad = Certificate::from_der(&der).unwrap();
    assert_eq!(
        bad.verify_signed_by(&c.verifying_key().unwrap()),
        Err(X509Error::BadSignature)
    );
}

/// RFC 9215 Appendix A example requests and CRLs: requests verify; each CRL is signed by the key
/// of its example certificate and revokes nothing.
#[test]
fn rfc9215_example_requests_and_crls() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/rfc9215");
    for (req, crl, cert) in [
        (
            "req-256-test.pem",
            "crl-256-test.pem",
            "a1-gost2012-256-testparamset.pem",
        ),
        (
            "req-256-a.pem",
            "crl-256-a.pem",
            "a2-gost2012-256-paramseta.pem",
        ),
        (
            "req-512-test.pem",
            "crl-512-test.pem",
            "a3-gost2012-512-testparamset.pem",
        ),
    ] {
        let c = Certificate::decode(&std::fs::read(dir.join(cert)).unwrap()).unwrap();
        let r = CertificationRequest::decode(&std::fs::read(dir.join(req)).unwrap()).unwrap();
        r.verify().unwrap_or_else(|e| panic!("{req}: {e}"));
        assert_eq!(r.public_key(), c.public_key(), "{req}");
        let l = gostkit::x509::crl::Crl::decode(&std::fs::read(dir.join(crl)).unwrap()).unwrap();
        l.verify_signed_by(&c.verifying_key().unwrap())
            .unwrap_or_else(|e| panic!("{crl}: {e}"));
        assert_eq!(l.issuer(), c.subject());
        assert!(l.revocation(c.serial()).is_none());
    }
}

/// Issue 16: the file `openssl ca` writes (the certificate printed as text, then the PEM block)
/// is read by the certificate reader, the bundle reader and the store like plain PEM, and is the
/// same certificate as the peer's DER.
#[test]
fn openssl_ca_output_with_leading_text() {
    let peer = match Peer::find("x509-ca-text") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: `openssl ca` output: {why}");
            return;
        }
    };
    let p = |n: &str| peer.path(n);
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_256",
        "-pkeyopt",
        "paramset:A",
        "-out",
        &p("ca.key"),
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &p("ca.key"),
        "-subj",
        "/CN=CA Text/O=Test",
        "-days",
        "30",
        "-out",
        &p("ca.pem"),
    ])
    .unwrap();
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_256",
        "-pkeyopt",
        "paramset:B",
        "-out",
        &p("l.key"),
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-key",
        &p("l.key"),
        "-subj",
        "/CN=Leaf Text/O=Test",
        "-out",
        &p("l.csr"),
    ])
    .unwrap();
    let dir = p("db");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(format!("{dir}/index.txt"), "").unwrap();
    std::fs::write(format!("{dir}/serial"), "1001\n").unwrap();
    std::fs::write(
        p("ca.cnf"),
        format!(
            "[ca]\ndefault_ca=c\n[c]\ndatabase={dir}/index.txt\nserial={dir}/serial\n\
             new_certs_dir={dir}\ncertificate={}\nprivate_key={}\ndefault_md=md_gost12_256\n\
             default_days=30\npolicy=p\n[p]\ncommonName=supplied\norganizationName=optional\n",
            p("ca.pem"),
            p("ca.key")
        ),
    )
    .unwrap();
    peer.openssl(&[
        "ca",
        "-batch",
        "-config",
        &p("ca.cnf"),
        "-in",
        &p("l.csr"),
        "-out",
        &p("l.pem"),
    ])
    .unwrap();
    let text = std::fs::read(p("l.pem")).unwrap();
    assert!(
        text.starts_with(b"Certificate:"),
        "`openssl ca` writes text first"
    );
    let der = peer
        .openssl(&["x509", "-in", &p("l.pem"), "-outform", "DER"])
        .unwrap();
    let leaf = Certificate::decode(&text).unwrap();
    assert_eq!(leaf.der(), der.as_slice());
    assert_eq!(leaf.serial(), [0x10, 0x01]);
    let ca = Certificate::decode(&std::fs::read(p("ca.pem")).unwrap()).unwrap();
    leaf.verify_signed_by(&ca.verifying_key().unwrap()).unwrap();
    assert_eq!(Certificate::decode_all(&text).unwrap(), vec![leaf.clone()]);
    let mut store = gostkit::x509::store::CertStore::new();
    let role = gostkit::x509::store::Role::OtherPeople;
    assert_eq!(store.load_bytes(&text, role).unwrap(), 1);
    assert!(store.find_by_thumbprint(&leaf.thumbprint_sha1()).is_some());
}
