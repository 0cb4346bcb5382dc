//! CAdES-X Long Type 1 (ETSI TS 101 733 §6.2-6.3): a signature upgraded from BES to T to X-L1
//! with gostkit's TSA, an OCSP response from the issuing CA and a CRL from the root, then
//! verified offline with only the trust anchor after the signer's certificate expired; a
//! revocation dated after the signature time-stamp leaves it valid, one before makes it
//! invalid; tampered values and time-stamps are refused; OpenSSL + gost-engine accepts the
//! upgraded message (`openssl cms -verify`) and its two time-stamp tokens (`openssl ts -verify`).

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::ocsp::{post, serve};
use common::peer::Peer;
use const_oid::ObjectIdentifier;
use der::Encode;
use der::asn1::OctetString;
use der::flagset::FlagSet;
use gostkit::asn1::GostPublicKey;
use gostkit::cms::CmsError;
use gostkit::cms::signed::{self, CadesLevel, SignOptions, SignedMessage, Signer, TimeBasis};
use gostkit::cms::tsp::{
    TimeStampToken, Tsa, TsaOptions, UpgradeLevel, ValidationData, esc_time_stamp_data, upgrade,
};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::hash::HashAlg;
use gostkit::x509::Certificate;
use gostkit::x509::crl::Crl;
use gostkit::x509::issue::{IssueOptions, issue, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::ocsp::{CertIdHash, OcspRequest, OcspResponse};
use gostkit::x509::path::{PathErrorKind, RevocationPolicy};
use gostkit::x509::store::{CertStore, Role};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{CrlReason, KeyUsages};

const DAY: u64 = 86_400;

struct Party {
    cert: Certificate,
    key: SigningKey,
}

fn party(issuer: Option<&Party>, dn: &str, opts: &IssueOptions) -> Party {
    let key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let name = parse_slash_dn(dn).unwrap();
    let cert = match issuer {
        None => self_signed(&name, &key, opts).unwrap(),
        Some(i) => issue(
            &name,
            &GostPublicKey::from_verifying_key(key.verifying_key()).unwrap(),
            Some(&i.cert),
            &i.key,
            opts,
        )
        .unwrap(),
    };
    Party { cert, key }
}

/// A time `days` days ago, in whole seconds.
fn ago(days: f64) -> SystemTime {
    let t = SystemTime::now() - Duration::from_secs_f64(days * DAY as f64);
    UNIX_EPOCH + Duration::from_secs(t.duration_since(UNIX_EPOCH).unwrap().as_secs())
}

struct World {
    root: Party,
    ca: Party,
    tsa: Party,
    signer: Party,
}

fn world() -> World {
    let mut o = IssueOptions::ca_days(3650, None);
    o.not_before = ago(30.0);
    let root = party(None, "/CN=LTV Root/O=gostkit tests", &o);
    let ca = party(Some(&root), "/CN=LTV Issuing CA/O=gostkit tests", &o);
    let mut t = IssueOptions::days(365);
    t.not_before = ago(30.0);
    t.key_usage = Some(FlagSet::from(KeyUsages::DigitalSignature) | KeyUsages::NonRepudiation);
    let eku = x509_cert::ext::pkix::ExtendedKeyUsage(vec![ObjectIdentifier::new_unwrap(
        "1.3.6.1.5.5.7.3.8",
    )]);
    t.extensions = vec![Extension {
        extn_id: ObjectIdentifier::new_unwrap("2.5.29.37"),
        critical: true,
        extn_value: OctetString::new(eku.to_der().unwrap()).unwrap(),
    }];
    let tsa = party(Some(&root), "/CN=LTV TSA/O=gostkit tests", &t);
    // The signer's certificate was valid from 10 days ago to 1 day ago: expired now.
    let mut s = IssueOptions::days(1);
    s.not_before = ago(10.0);
    s.not_after = ago(1.0);
    let signer = party(Some(&ca), "/CN=Past Signer/O=gostkit tests", &s);
    World {
        root,
        ca,
        tsa,
        signer,
    }
}

fn trust(root: &Certificate) -> CertStore {
    let mut s = CertStore::new();
    s.add(root.clone(), Role::TrustedRoot);
    s
}

/// The signer's OCSP response from the CA (4 days ago), revoked at `revoked` when given,
/// and the root's CRL for the CA (4 days ago).
fn validation_data(w: &World, revoked: Option<SystemTime>) -> ValidationData {
    let req = OcspRequest::build(&[(&w.signer.cert, &w.ca.cert)], CertIdHash::Sha1, None).unwrap();
    let list: Vec<_> = revoked
        .map(|t| {
            (
                w.signer.cert.serial().to_vec(),
                t,
                Some(CrlReason::KeyCompromise),
            )
        })
        .into_iter()
        .collect();
    let ocsp = OcspResponse::issue(
        &req,
        &w.ca.cert,
        &w.ca.cert,
        &w.ca.key,
        &list,
        ago(4.0),
        Some(ago(3.0)),
    )
    .unwrap();
    let crl = Crl::issue(
        &w.root.cert,
        &w.root.key,
        ago(4.0),
        SystemTime::now() + Duration::from_secs(30 * DAY),
        &[],
    )
    .unwrap();
    ValidationData {
        chain: vec![
            w.signer.cert.clone(),
            w.ca.cert.clone(),
            w.root.cert.clone(),
        ],
        ocsp: vec![ocsp],
        crls: vec![crl],
    }
}

/// A BES message signed 5 days ago, upgraded to T (time-stamp 5 days ago) and then to X-L1
/// (CAdES-C time-stamp 4 days ago).
fn build(w: &World, data: &ValidationData) -> (Vec<u8>, Vec<u8>) {
    let bes = signed::sign(
        b"<contract>long-term</contract>",
        &[Signer {
            cert: &w.signer.cert,
            key: &w.signer.key,
        }],
        &SignOptions {
            signing_time: Some(ago(5.0)),
            ..SignOptions::default()
        },
    )
    .unwrap();
    let tsa = Tsa::new(
        &w.tsa.cert,
        &w.tsa.key,
        TsaOptions::new(ObjectIdentifier::new_unwrap("1.2.643.2.1.99.1")),
    )
    .unwrap();
    let tsa = &tsa;
    let at = |t: SystemTime| move |req: &[u8]| tsa.respond(req, t, None);
    let t = upgrade(
        &bes,
        0,
        UpgradeLevel::T,
        HashAlg::Streebog256,
        &at(ago(5.0)),
        &ValidationData::default(),
    )
    .unwrap();
    let xl = upgrade(
        &t,
        0,
        UpgradeLevel::XL1,
        HashAlg::Streebog256,
        &at(ago(4.0)),
        data,
    )
    .unwrap();
    (t, xl)
}

#[test]
fn x_l1_verifies_offline_after_expiry() {
    let w = world();
    let data = validation_data(&w, None);
    let (t, xl) = build(&w, &data);
    let store = trust(&w.root.cert);
    let m = SignedMessage::parse(&xl).unwrap();
    let r = m.verify_cades_ltv(None, &store, RevocationPolicy::Required);
    assert_eq!(r.len(), 1);
    assert!(r[0].result.is_ok(), "{:?}", r[0].result);
    assert_eq!(r[0].level, Some(CadesLevel::XL1));
    assert_eq!(r[0].time_basis, Some(TimeBasis::TimeStamp));
    let ts = r[0].time_stamp.as_ref().unwrap().gen_time;
    let drift = ts.max(ago(5.0)).duration_since(ts.min(ago(5.0))).unwrap();
    assert!(drift < Duration::from_secs(5), "genTime {ts:?}");
    assert_eq!(r[0].validated_at, Some(ts));
    let esc = r[0].esc_time_stamp.as_ref().unwrap();
    assert!(esc.gen_time > ts);
    assert_eq!(r[0].path.as_ref().unwrap().len(), 3);
    // The same signature at T only (no embedded revocation data): the store has no CRL or OCSP,
    // so "Required" fails; at now the expired certificate fails.
    let mt = SignedMessage::parse(&t).unwrap();
    let rt = mt.verify_cades_ltv(None, &store, RevocationPolicy::Required);
    assert_eq!(rt[0].level, Some(CadesLevel::T));
    assert!(rt[0].result.is_err());
    let now = m.verify_with_store(None, &store, None, RevocationPolicy::Off);
    match &now[0].result {
        Err(CmsError::Chain(e)) => assert!(matches!(e.kind, PathErrorKind::Expired { .. })),
        other => panic!("expected expiry now, got {other:?}"),
    }
    // Upgrading X-L1 again is refused; the ESC data covers the time-stamp and references.
    let tsa_never = |_: &[u8]| -> Result<Vec<u8>, CmsError> { panic!("not asked") };
    assert!(matches!(
        upgrade(
            &xl,
            0,
            UpgradeLevel::XL1,
            HashAlg::Streebog256,
            &tsa_never,
            &data
        ),
        Err(CmsError::ValidationData(_))
    ));
    let esc_data = esc_time_stamp_data(&m, 0).unwrap();
    // `GOSTKIT_CADES_XL_SEED=DIR` writes this message as a seed of the `cades_ltv` fuzz target.
    if let Some(dir) = std::env::var_os("GOSTKIT_CADES_XL_SEED") {
        std::fs::write(std::path::Path::new(&dir).join("gostkit-x-l1.der"), &xl).unwrap();
    }
    assert!(esc_data.starts_with(&m.signers[0].signature));
}

#[test]
fn revocation_after_the_time_stamp_keeps_it_valid() {
    let w = world();
    let store = trust(&w.root.cert);
    // Revoked 4.5 days ago, after the signature time-stamp (5 days ago): valid.
    let (_, later) = build(&w, &validation_data(&w, Some(ago(4.5))));
    let r = SignedMessage::parse(&later).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    assert!(r[0].result.is_ok(), "{:?}", r[0].result);
    assert_eq!(r[0].level, Some(CadesLevel::XL1));
    // Revoked 6 days ago, before the time-stamp: invalid.
    let (_, earlier) = build(&w, &validation_data(&w, Some(ago(6.0))));
    let r = SignedMessage::parse(&earlier).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    match &r[0].result {
        Err(CmsError::Chain(e)) => assert!(matches!(e.kind, PathErrorKind::Revoked { .. })),
        other => panic!("expected revoked, got {other:?}"),
    }
}

#[test]
fn tampered_values_and_stale_data_refused() {
    let w = world();
    let store = trust(&w.root.cert);
    let data = validation_data(&w, None);
    let (_, xl) = build(&w, &data);
    // A flipped byte in the embedded CRL's signature: its reference no longer matches.
    let crl = data.crls[0].der();
    let at = xl.windows(crl.len()).position(|x| x == crl).unwrap();
    let mut bad = xl.clone();
    bad[at + crl.len() - 1] ^= 1;
    let r = SignedMessage::parse(&bad).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    assert!(
        matches!(r[0].result, Err(CmsError::ValidationData(_))),
        "{:?}",
        r[0].result
    );
    // One more signature time-stamp changes the CAdES-C data: its imprint no longer matches.
    let m = SignedMessage::parse(&xl).unwrap();
    let tsa = Tsa::new(
        &w.tsa.cert,
        &w.tsa.key,
        TsaOptions::new(ObjectIdentifier::new_unwrap("1.2.643.2.1.99.1")),
    )
    .unwrap();
    let req = gostkit::cms::tsp::signature_time_stamp_request(&m, 0, HashAlg::Streebog256).unwrap();
    let resp = tsa.respond(&req.to_der(), ago(4.5), None).unwrap();
    let token = gostkit::cms::tsp::TimeStampResp::parse(&resp)
        .unwrap()
        .into_token()
        .unwrap();
    let twice = gostkit::cms::tsp::add_signature_time_stamp(&xl, 0, &token).unwrap();
    let r = SignedMessage::parse(&twice).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    assert_eq!(r[0].result, Err(CmsError::ImprintMismatch));
    // Revocation data issued before the signature time-stamp proves nothing about it.
    let mut stale = validation_data(&w, None);
    let req = OcspRequest::build(&[(&w.signer.cert, &w.ca.cert)], CertIdHash::Sha1, None).unwrap();
    stale.ocsp = vec![
        OcspResponse::issue(&req, &w.ca.cert, &w.ca.cert, &w.ca.key, &[], ago(7.0), None).unwrap(),
    ];
    let (_, old) = build(&w, &stale);
    let r = SignedMessage::parse(&old).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    match &r[0].result {
        Err(CmsError::Chain(e)) => assert!(matches!(e.kind, PathErrorKind::Ocsp { .. })),
        other => panic!("expected a stale OCSP failure, got {other:?}"),
    }
}

#[test]
fn peer_accepts_x_l1() {
    let peer = peer_or_skip!("cades-xl");
    let w = world();
    let (_, xl) = build(&w, &validation_data(&w, None));
    let f = |n: &str| peer.path(n);
    std::fs::write(f("xl.p7s"), &xl).unwrap();
    let chain = format!(
        "{}{}",
        w.root.cert.to_pem().unwrap(),
        w.ca.cert.to_pem().unwrap()
    );
    std::fs::write(f("chain.pem"), chain).unwrap();
    std::fs::write(f("root.pem"), w.root.cert.to_pem().unwrap()).unwrap();
    std::fs::write(f("tsa.pem"), w.tsa.cert.to_pem().unwrap()).unwrap();
    // The signer's certificate has expired: check at the signature time-stamp's time.
    let attime = (ago(5.0) + Duration::from_secs(60))
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let out = peer
        .openssl(&[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            &f("xl.p7s"),
            "-CAfile",
            &f("chain.pem"),
            "-attime",
            &attime,
        ])
        .unwrap();
    assert_eq!(out, b"<contract>long-term</contract>");
    // Both time-stamp tokens verify with `openssl ts -verify` over their data.
    let m = SignedMessage::parse(&xl).unwrap();
    let s = &m.signers[0];
    let attrs = s.unsigned_attrs.as_ref().unwrap();
    let find = |oid: &str| -> Vec<u8> {
        let o = ObjectIdentifier::new_unwrap(oid).to_der().unwrap();
        let at = attrs
            .windows(o.len())
            .position(|x| x == o.as_slice())
            .unwrap();
        // attrType OID, then SET { token }: skip the SET header.
        let rest = &attrs[at + o.len()..];
        let (set_len, hdr) = der_len(&rest[1..]);
        let set = &rest[1 + hdr..1 + hdr + set_len];
        let (tok_len, thdr) = der_len(&set[1..]);
        set[..1 + thdr + tok_len].to_vec()
    };
    for (oid, data) in [
        ("1.2.840.113549.1.9.16.2.14", s.signature.clone()),
        (
            "1.2.840.113549.1.9.16.2.25",
            esc_time_stamp_data(&m, 0).unwrap(),
        ),
    ] {
        let token = find(oid);
        TimeStampToken::parse(&token).unwrap();
        std::fs::write(f("tok.der"), &token).unwrap();
        std::fs::write(f("data.bin"), &data).unwrap();
        peer.openssl(&[
            "ts",
            "-verify",
            "-token_in",
            "-in",
            &f("tok.der"),
            "-data",
            &f("data.bin"),
            "-CAfile",
            &f("root.pem"),
            "-untrusted",
            &f("tsa.pem"),
        ])
        .unwrap_or_else(|e| panic!("{oid}: {e}"));
    }
}

/// A DER length at the start of `b`: (length, header bytes consumed including the length).
fn der_len(b: &[u8]) -> (usize, usize) {
    if b[0] < 0x80 {
        return (b[0] as usize, 1);
    }
    let n = (b[0] & 0x7f) as usize;
    let mut l = 0usize;
    for x in &b[1..=n] {
        l = (l << 8) | *x as usize;
    }
    (l, 1 + n)
}

fn write_party(peer: &Peer, name: &str, p: &Party) {
    std::fs::write(peer.path(&format!("{name}.pem")), p.cert.to_pem().unwrap()).unwrap();
    let key = gostkit::asn1::GostPrivateKey::from_signing_key(&p.key)
        .and_then(|k| k.to_pem())
        .unwrap();
    std::fs::write(peer.path(&format!("{name}.key")), key.as_bytes()).unwrap();
}

/// `t` as an `openssl ca` index time (YYMMDDHHMMSSZ).
fn index_time(t: SystemTime) -> String {
    let d = der::DateTime::from_system_time(t).unwrap();
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        d.year() % 100,
        d.month(),
        d.day(),
        d.hour(),
        d.minutes(),
        d.seconds()
    )
}

/// The signer's chain, an OCSP response from `openssl ocsp` (the CA signing, status from an
/// index saying `revoked` when given) and the root's CRL for the CA.
fn peer_validation_data(peer: &Peer, w: &World, revoked: Option<SystemTime>) -> ValidationData {
    write_party(peer, "ca", &w.ca);
    let serial: String = w
        .signer
        .cert
        .serial()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let line = match revoked {
        None => format!("V\t301231235959Z\t\t{serial}\tunknown\t/CN=Past Signer\n"),
        Some(t) => format!(
            "R\t301231235959Z\t{},keyCompromise\t{serial}\tunknown\t/CN=Past Signer\n",
            index_time(t)
        ),
    };
    std::fs::write(peer.path("index.txt"), line).unwrap();
    let srv = serve(peer, "ca", &["-ndays", "1"], 1);
    let req = OcspRequest::build(&[(&w.signer.cert, &w.ca.cert)], CertIdHash::Sha1, None).unwrap();
    let resp = OcspResponse::from_der(&post(srv.port, req.der())).unwrap();
    drop(srv);
    let mut data = validation_data(w, None);
    data.ocsp = vec![resp];
    data
}

#[test]
fn x_l1_with_openssl_ocsp_responses() {
    let peer = peer_or_skip!("cades-xl-ocsp");
    let w = world();
    let store = trust(&w.root.cert);
    let good = peer_validation_data(&peer, &w, None);
    let (_, xl) = build(&w, &good);
    let r = SignedMessage::parse(&xl).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    assert!(r[0].result.is_ok(), "{:?}", r[0].result);
    assert_eq!(r[0].level, Some(CadesLevel::XL1));
    // The peer says revoked 4.5 days ago (after the signature time-stamp): still valid.
    let later = peer_validation_data(&peer, &w, Some(ago(4.5)));
    let (_, xl) = build(&w, &later);
    let r = SignedMessage::parse(&xl).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    assert!(r[0].result.is_ok(), "{:?}", r[0].result);
    // Revoked 6 days ago (before it): invalid.
    let earlier = peer_validation_data(&peer, &w, Some(ago(6.0)));
    let (_, xl) = build(&w, &earlier);
    let r = SignedMessage::parse(&xl).unwrap().verify_cades_ltv(
        None,
        &store,
        RevocationPolicy::Required,
    );
    match &r[0].result {
        Err(CmsError::Chain(e)) => assert!(matches!(e.kind, PathErrorKind::Revoked { .. })),
        other => panic!("expected revoked, got {other:?}"),
    }
}
