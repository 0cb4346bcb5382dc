//! Time-stamps (RFC 3161, RFC 5816) and CAdES-T with GOST: gostkit's requests, TSA, token
//! verification and signature time-stamps, against themselves and against OpenSSL +
//! gost-engine (`openssl ts -query/-reply/-verify`) in both directions.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::peer::Peer;
use const_oid::ObjectIdentifier;
use der::Encode;
use der::asn1::OctetString;
use der::flagset::FlagSet;
use gostkit::ErrorKind;
use gostkit::asn1::{GostPrivateKey, GostPublicKey};
use gostkit::cms::CmsError;
use gostkit::cms::signed::{
    self, CadesLevel, SignOptions, SignedMessage, Signer, TimeBasis, ValidationTime,
};
use gostkit::cms::tsp::{
    Accuracy, FailureInfo, PkiStatus, TimeStampReq, TimeStampResp, TimeStampToken,
    TokenVerifyOptions, Tsa, TsaName, TsaOptions, add_signature_time_stamp,
    signature_time_stamp_request, tsa_issue_options,
};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::hash::HashAlg;
use gostkit::x509::Certificate;
use gostkit::x509::issue::{IssueOptions, issue, self_signed};
use gostkit::x509::name::parse_slash_dn;
use gostkit::x509::path::{PathErrorKind, RevocationPolicy};
use gostkit::x509::store::{CertStore, Role};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::KeyUsages;

fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

const POLICY: &str = "1.2.643.2.1.99.1";
const POLICY2: &str = "1.2.643.2.1.99.2";
const TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";
const SHA1: &str = "1.3.14.3.2.26";
const STREEBOG_256: &str = "1.2.643.7.1.1.2.2";

/// extKeyUsage with `purposes`.
fn eku(purposes: &[&str], critical: bool) -> Extension {
    let e = x509_cert::ext::pkix::ExtendedKeyUsage(purposes.iter().map(|p| oid(p)).collect());
    Extension {
        extn_id: oid("2.5.29.37"),
        critical,
        extn_value: OctetString::new(e.to_der().unwrap()).unwrap(),
    }
}

/// A key and its certificate.
struct Party {
    cert: Certificate,
    key: SigningKey,
}

/// A root CA, a TSA and a document signer under it.
struct Pki {
    root: Party,
    tsa: Party,
}

fn issue_for(issuer: &Party, dn: &str, set: ParamSet, opts: &IssueOptions) -> Party {
    let key = SigningKey::generate(set).unwrap();
    let pk = GostPublicKey::from_verifying_key(key.verifying_key()).unwrap();
    let cert = issue(
        &parse_slash_dn(dn).unwrap(),
        &pk,
        Some(&issuer.cert),
        &issuer.key,
        opts,
    )
    .unwrap();
    Party { cert, key }
}

/// `o` valid from 30 days ago (the tests time-stamp and sign in the past).
fn backdated(mut o: IssueOptions) -> IssueOptions {
    o.not_before -= Duration::from_secs(30 * 86_400);
    o
}

/// TSA certificate options: keyUsage digitalSignature + nonRepudiation, the given extKeyUsage,
/// valid from 30 days ago for `days` days from now.
fn tsa_opts(days: u32, ext: Option<Extension>) -> IssueOptions {
    let mut o = backdated(IssueOptions::days(days));
    o.key_usage = Some(FlagSet::from(KeyUsages::DigitalSignature) | KeyUsages::NonRepudiation);
    o.extensions = ext.into_iter().collect();
    o
}

fn pki(tsa_set: ParamSet) -> Pki {
    let key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let cert = self_signed(
        &parse_slash_dn("/CN=TSP Root/O=gostkit tests").unwrap(),
        &key,
        &backdated(IssueOptions::ca_days(3650, None)),
    )
    .unwrap();
    let root = Party { cert, key };
    let tsa = issue_for(
        &root,
        "/CN=gostkit TSA/O=gostkit tests",
        tsa_set,
        &tsa_opts(365, Some(eku(&[TIME_STAMPING], true))),
    );
    Pki { root, tsa }
}

fn store_of(root: &Certificate) -> CertStore {
    let mut s = CertStore::new();
    s.add(root.clone(), Role::TrustedRoot);
    s
}

fn tsa_options() -> TsaOptions {
    let mut o = TsaOptions::new(oid(POLICY));
    o.other_policies = vec![oid(POLICY2)];
    o.accuracy = Some(Accuracy {
        seconds: 1,
        millis: 500,
        micros: 0,
    });
    o.ordering = true;
    o.tsa_name = true;
    o.precision_digits = 3;
    o
}

fn granted(resp: &[u8]) -> TimeStampToken {
    let r = TimeStampResp::parse(resp).unwrap();
    assert_eq!(r.status, PkiStatus::Granted);
    r.into_token().unwrap()
}

/// A time with a fraction, a day ago (inside every certificate's validity).
fn yesterday() -> SystemTime {
    let t = SystemTime::now() - Duration::from_secs(86_400);
    let ms = t.duration_since(UNIX_EPOCH).unwrap().as_millis() as u64;
    UNIX_EPOCH + Duration::from_millis(ms / 1000 * 1000 + 125)
}

/// Requests with Streebog-256 and -512 imprints answered by TSAs with 256- and 512-bit keys:
/// every report field, the nonce and policy checks, the chain at genTime.
#[test]
fn gostkit_tsa_round_trips() {
    for set in [ParamSet::Tc26_256B, ParamSet::Tc26_512A] {
        let p = pki(set);
        let store = store_of(&p.root.cert);
        let tsa = Tsa::new(&p.tsa.cert, &p.tsa.key, tsa_options()).unwrap();
        tsa.check_certificate().unwrap();
        // The library's TSA profile gives a certificate that passes too.
        let profiled = issue_for(
            &p.root,
            "/CN=Profiled TSA",
            set,
            &tsa_issue_options(30).unwrap(),
        );
        Tsa::new(&profiled.cert, &profiled.key, tsa_options())
            .unwrap()
            .check_certificate()
            .unwrap();
        for alg in [HashAlg::Streebog256, HashAlg::Streebog512] {
            let data = b"<payment order no=\"17\"/>";
            let req = TimeStampReq::new(alg, data).unwrap();
            let at = yesterday();
            let resp = tsa.respond(&req.to_der(), at, Some(&[0x01, 0x23])).unwrap();
            let token = granted(&resp);
            let info = token.info();
            assert_eq!(info.gen_time, at, "fraction of a second kept");
            assert_eq!(info.serial, vec![0x01, 0x23]);
            assert!(matches!(&info.tsa, Some(TsaName::Directory(n)) if n == p.tsa.cert.subject()));
            let r = token
                .verify_request(&req, &store, &TokenVerifyOptions::default())
                .unwrap_or_else(|e| panic!("{set:?} {alg:?}: {e}"));
            assert_eq!(r.gen_time, at);
            assert_eq!(r.validated_at, at);
            assert_eq!(r.policy, oid(POLICY));
            assert_eq!(r.serial, vec![0x01, 0x23]);
            assert_eq!(r.nonce.as_deref(), req.nonce());
            assert_eq!(r.hash_alg, alg);
            assert_eq!(r.ess_hash_alg, oid(STREEBOG_256));
            assert!(r.ordering);
            assert_eq!(
                r.accuracy.unwrap().as_duration(),
                Duration::from_millis(1500)
            );
            assert_eq!(r.tsa_subject, "O=gostkit tests,CN=gostkit TSA");
            assert_eq!(r.path.len(), 2);
            // Stored-token verification (no request): the data.
            token
                .verify_data(data, &store, &TokenVerifyOptions::default())
                .unwrap();
        }
        // A requested policy the TSA accepts; certReq off: the certificate comes from `extra`.
        let req = TimeStampReq::new(HashAlg::Streebog256, b"x")
            .unwrap()
            .with_policy(oid(POLICY2))
            .with_cert_req(false);
        let token = granted(&tsa.respond(&req.to_der(), yesterday(), None).unwrap());
        assert!(token.message().certificates.is_empty());
        assert_eq!(token.info().serial.len(), 16);
        assert!(matches!(
            token.verify_request(&req, &CertStore::new(), &TokenVerifyOptions::default()),
            Err(CmsError::SignerNotFound)
        ));
        let opts = TokenVerifyOptions {
            extra: vec![p.tsa.cert.clone()],
            ..TokenVerifyOptions::default()
        };
        let r = token.verify_request(&req, &store, &opts).unwrap();
        assert_eq!(r.policy, oid(POLICY2));
        // Whole seconds by default, and no nonce when the request has none.
        let plain = Tsa::new(&p.tsa.cert, &p.tsa.key, TsaOptions::new(oid(POLICY))).unwrap();
        let req = TimeStampReq::new(HashAlg::Streebog256, b"y")
            .unwrap()
            .with_nonce(None);
        let token = granted(&plain.respond(&req.to_der(), yesterday(), None).unwrap());
        assert_eq!(token.info().nonce, None);
        assert_eq!(token.info().tsa, None);
        let r = token
            .verify_request(&req, &store, &TokenVerifyOptions::default())
            .unwrap();
        assert_eq!(
            r.gen_time
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .subsec_nanos(),
            0
        );
        assert_eq!(r.accuracy, None);
    }
}

/// The checks that must fail: imprint, nonce, policy, TSA certificates without the proper
/// extKeyUsage, tampered tokens, a signing-certificate naming another certificate, the chain
/// at genTime, and the TSA's refusals.
#[test]
fn gostkit_negatives() {
    let p = pki(ParamSet::Tc26_256A);
    let store = store_of(&p.root.cert);
    let opts = TokenVerifyOptions::default();
    let tsa = Tsa::new(&p.tsa.cert, &p.tsa.key, tsa_options()).unwrap();
    let req = TimeStampReq::new(HashAlg::Streebog256, b"the data").unwrap();
    let resp = tsa.respond(&req.to_der(), yesterday(), None).unwrap();
    let token = granted(&resp);
    token.verify_request(&req, &store, &opts).unwrap();

    // Imprint: other data, another request, another algorithm over the same data.
    let e = token.verify_data(b"other data", &store, &opts).unwrap_err();
    assert_eq!(e, CmsError::ImprintMismatch);
    assert_eq!(e.kind(), ErrorKind::DigestMismatch);
    let other = TimeStampReq::new(HashAlg::Streebog256, b"other data").unwrap();
    assert_eq!(
        token.verify_request(&other, &store, &opts).unwrap_err(),
        CmsError::ImprintMismatch
    );
    let other_alg = TimeStampReq::new(HashAlg::Streebog512, b"the data").unwrap();
    assert_eq!(
        token.verify_request(&other_alg, &store, &opts).unwrap_err(),
        CmsError::ImprintMismatch
    );
    // Nonce: the same imprint, another nonce (a replayed answer).
    let replay = req.clone().with_nonce(Some(&[1, 2, 3, 4, 5, 6, 7, 8]));
    let e = token.verify_request(&replay, &store, &opts).unwrap_err();
    assert_eq!(e, CmsError::NonceMismatch);
    assert_eq!(e.kind(), ErrorKind::AuthFailed);
    // Policy asked for and not given.
    let asked = req.clone().with_policy(oid(POLICY2));
    assert_eq!(
        token.verify_request(&asked, &store, &opts).unwrap_err(),
        CmsError::PolicyMismatch
    );

    // TSA certificates without a proper extKeyUsage (the TSA signs anyway; verifiers refuse).
    for (name, ext) in [
        ("no EKU", None),
        ("non-critical", Some(eku(&[TIME_STAMPING], false))),
        (
            "two purposes",
            Some(eku(&[TIME_STAMPING, "1.3.6.1.5.5.7.3.2"], true)),
        ),
        ("clientAuth only", Some(eku(&["1.3.6.1.5.5.7.3.2"], true))),
    ] {
        let bad = issue_for(
            &p.root,
            "/CN=Not a TSA",
            ParamSet::Tc26_256A,
            &tsa_opts(30, ext),
        );
        let t = Tsa::new(&bad.cert, &bad.key, tsa_options()).unwrap();
        assert!(t.check_certificate().is_err(), "{name}");
        let tok = granted(&t.respond(&req.to_der(), yesterday(), None).unwrap());
        let e = tok.verify_request(&req, &store, &opts).unwrap_err();
        assert!(matches!(e, CmsError::TsaCertificate(_)), "{name}: {e:?}");
        assert_eq!(e.kind(), ErrorKind::ExtKeyUsage, "{name}");
    }
    // keyUsage without digitalSignature/nonRepudiation.
    let mut o = tsa_opts(30, Some(eku(&[TIME_STAMPING], true)));
    o.key_usage = Some(FlagSet::from(KeyUsages::KeyEncipherment));
    let bad = issue_for(&p.root, "/CN=Encipherment TSA", ParamSet::Tc26_256A, &o);
    let tok = granted(
        &Tsa::new(&bad.cert, &bad.key, tsa_options())
            .unwrap()
            .respond(&req.to_der(), yesterday(), None)
            .unwrap(),
    );
    assert!(matches!(
        tok.verify_request(&req, &store, &opts),
        Err(CmsError::TsaCertificate(_))
    ));
    // A key that is not the certificate's.
    assert!(matches!(
        Tsa::new(&p.tsa.cert, &bad.key, tsa_options()),
        Err(CmsError::KeyMismatch)
    ));

    // Tampering: every byte of the TSTInfo's serial and of the signature. The TSTInfo changed →
    // messageDigest mismatch; the signature changed → bad signature.
    let der = token.der().to_vec();
    let serial = &token.info().serial;
    let at = der
        .windows(serial.len())
        .position(|w| w == serial.as_slice())
        .unwrap();
    let mut t1 = der.clone();
    t1[at + 5] ^= 0x01;
    let tampered = TimeStampToken::parse(&t1).unwrap();
    assert_eq!(
        tampered
            .verify_data(b"the data", &store, &opts)
            .unwrap_err(),
        CmsError::DigestMismatch
    );
    let sig = &token.message().signers[0].signature;
    let at = der
        .windows(sig.len())
        .position(|w| w == sig.as_slice())
        .unwrap();
    let mut t2 = der.clone();
    t2[at + 5] ^= 0x40;
    let tampered = TimeStampToken::parse(&t2).unwrap();
    assert_eq!(
        tampered
            .verify_data(b"the data", &store, &opts)
            .unwrap_err(),
        CmsError::BadSignature
    );
    // The response's status changed to rejection: no token for the caller.
    let mut r = resp.clone();
    let status = r.windows(3).position(|w| w == [2, 1, 0]).unwrap();
    r[status + 2] = 2;
    assert!(matches!(
        TimeStampResp::parse(&r).unwrap().into_token(),
        Err(CmsError::TimeStampRejected {
            status: PkiStatus::Rejection,
            ..
        })
    ));

    // signing-certificate-v2 naming another certificate: a second TSA certificate with the
    // same issuer, serial and key (re-issued with other dates); the token carries none and
    // the verifier is handed the other one.
    let mut o2 = tsa_opts(200, Some(eku(&[TIME_STAMPING], true)));
    o2.serial = Some(p.tsa.cert.serial().to_vec());
    let twin = issue(
        p.tsa.cert.subject(),
        &GostPublicKey::from_verifying_key(p.tsa.key.verifying_key()).unwrap(),
        Some(&p.root.cert),
        &p.root.key,
        &o2,
    )
    .unwrap();
    let bare_req = req.clone().with_cert_req(false);
    let bare = granted(&tsa.respond(&bare_req.to_der(), yesterday(), None).unwrap());
    let twin_opts = TokenVerifyOptions {
        extra: vec![twin],
        ..TokenVerifyOptions::default()
    };
    let e = bare
        .verify_request(&bare_req, &store, &twin_opts)
        .unwrap_err();
    assert_eq!(e, CmsError::SigningCertificateMismatch);

    // The chain at genTime: a token dated after the TSA certificate expired, and one verified at
    // a caller's time past it.
    let late = p.tsa.cert.not_after() + Duration::from_secs(3600);
    let tok = granted(&tsa.respond(&req.to_der(), late, None).unwrap());
    let e = tok.verify_request(&req, &store, &opts).unwrap_err();
    assert!(
        matches!(&e, CmsError::Chain(pe) if matches!(pe.kind, PathErrorKind::Expired { .. })),
        "{e:?}"
    );
    let at_late = TokenVerifyOptions {
        time: Some(late),
        ..TokenVerifyOptions::default()
    };
    assert!(matches!(
        token.verify_request(&req, &store, &at_late),
        Err(CmsError::Chain(_))
    ));
    // An untrusted root.
    let other = pki(ParamSet::Tc26_256A);
    assert!(matches!(
        token.verify_request(&req, &store_of(&other.root.cert), &opts),
        Err(CmsError::Chain(_))
    ));

    // The TSA's refusals, typed.
    let refusal = |resp: Vec<u8>| match TimeStampResp::parse(&resp).unwrap().into_token() {
        Err(CmsError::TimeStampRejected {
            status,
            fail_info,
            text,
        }) => {
            assert_eq!(status, PkiStatus::Rejection);
            assert!(text.is_some());
            fail_info
        }
        other => panic!("{other:?}"),
    };
    let f = refusal(
        tsa.respond(
            &req.clone().with_policy(oid("1.2.3.4")).to_der(),
            yesterday(),
            None,
        )
        .unwrap(),
    );
    assert_eq!(f, FailureInfo::UNACCEPTED_POLICY);
    let f = refusal(
        tsa.respond(b"\x30\x03\x02\x01\x01", yesterday(), None)
            .unwrap(),
    );
    assert_eq!(f, FailureInfo::BAD_DATA_FORMAT);
    let mut only256 = tsa_options();
    only256.hash_algs = vec![HashAlg::Streebog256];
    let t256 = Tsa::new(&p.tsa.cert, &p.tsa.key, only256).unwrap();
    let f = refusal(
        t256.respond(&other_alg.to_der(), yesterday(), None)
            .unwrap(),
    );
    assert_eq!(f, FailureInfo::BAD_ALG);
    let e = TimeStampResp::parse(
        &t256
            .respond(&other_alg.to_der(), yesterday(), None)
            .unwrap(),
    )
    .unwrap()
    .into_token()
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.to_string().contains("badAlg"), "{e}");

    // Not a token: a plain SignedData (id-data), a token with two signers.
    let plain = signed::sign(
        b"data",
        &[Signer {
            cert: &p.tsa.cert,
            key: &p.tsa.key,
        }],
        &SignOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        TimeStampToken::parse(&plain),
        Err(CmsError::Invalid(_))
    ));
    let cosigned = SignedMessage::parse(&plain).unwrap();
    let two = cosigned
        .add_signer(
            None,
            &Signer {
                cert: &p.tsa.cert,
                key: &p.tsa.key,
            },
            &SignOptions::default(),
        )
        .unwrap();
    assert!(matches!(
        TimeStampToken::parse(&two),
        Err(CmsError::TooManySigners { count: 2, cap: 1 })
    ));
}

/// CAdES-T made and verified by gostkit: BES then T, the chain at genTime for a signer whose
/// certificate has since expired, several time-stamps, a co-signer left at BES, a token over
/// another signature refused, a tampered embedded token failing the signer.
#[test]
fn cades_t_with_gostkit_tsa() {
    let p = pki(ParamSet::Tc26_256A);
    let store = store_of(&p.root.cert);
    let tsa = Tsa::new(&p.tsa.cert, &p.tsa.key, tsa_options()).unwrap();
    // A signer whose certificate was valid from 10 days ago to 1 day ago.
    let now = SystemTime::now();
    let mut o = IssueOptions::days(1);
    o.not_before = now - Duration::from_secs(10 * 86_400);
    o.not_after = now - Duration::from_secs(86_400);
    let signer = issue_for(&p.root, "/CN=Past Signer", ParamSet::Tc26_256B, &o);
    let co = issue_for(
        &p.root,
        "/CN=Co-signer",
        ParamSet::Tc26_512A,
        &backdated(IssueOptions::days(30)),
    );
    let five_days_ago = now - Duration::from_secs(5 * 86_400);
    let signed_at = UNIX_EPOCH
        + Duration::from_secs(five_days_ago.duration_since(UNIX_EPOCH).unwrap().as_secs());
    let content = b"<contract/>".to_vec();
    let msg = signed::sign(
        &content,
        &[
            Signer {
                cert: &signer.cert,
                key: &signer.key,
            },
            Signer {
                cert: &co.cert,
                key: &co.key,
            },
        ],
        &SignOptions {
            signing_time: Some(signed_at),
            ..SignOptions::default()
        },
    )
    .unwrap();
    let parsed = SignedMessage::parse(&msg).unwrap();
    let bes = parsed.verify(None, &[]);
    assert_eq!(bes[0].level, Some(CadesLevel::Bes));
    assert!(bes[0].time_stamp.is_none());
    // CAdES-BES binds the certificate: a twin of the signer's (same issuer, serial and key)
    // given for a message that carries none fails on its signing-certificate-v2.
    let mut twin_opts = o.clone();
    twin_opts.serial = Some(signer.cert.serial().to_vec());
    twin_opts.not_after += Duration::from_secs(3600);
    let twin = issue(
        signer.cert.subject(),
        &GostPublicKey::from_verifying_key(signer.key.verifying_key()).unwrap(),
        Some(&p.root.cert),
        &p.root.key,
        &twin_opts,
    )
    .unwrap();
    let no_certs = signed::sign(
        &content,
        &[Signer {
            cert: &signer.cert,
            key: &signer.key,
        }],
        &SignOptions {
            include_signer_certs: false,
            ..SignOptions::default()
        },
    )
    .unwrap();
    let m = SignedMessage::parse(&no_certs).unwrap();
    assert_eq!(
        m.verify(None, std::slice::from_ref(&twin))[0].result,
        Err(CmsError::SigningCertificateMismatch)
    );
    assert_eq!(
        m.verify(None, std::slice::from_ref(&signer.cert))[0].level,
        Some(CadesLevel::Bes)
    );

    // Time-stamp signer 0 at the time it signed (the TSA's clock), twice, the second later.
    let stamp = |m: &[u8], at: SystemTime| {
        let parsed = SignedMessage::parse(m).unwrap();
        let req = signature_time_stamp_request(&parsed, 0, HashAlg::Streebog256).unwrap();
        let token = granted(&tsa.respond(&req.to_der(), at, None).unwrap());
        token
            .verify_request(&req, &store, &TokenVerifyOptions::default())
            .unwrap();
        add_signature_time_stamp(m, 0, &token).unwrap()
    };
    let t_at = signed_at + Duration::from_millis(250);
    let with_t = stamp(&msg, t_at);
    let with_t = stamp(&with_t, t_at + Duration::from_secs(3 * 86_400));
    let m = SignedMessage::parse(&with_t).unwrap();
    assert!(m.signers[0].unsigned_attrs.is_some());
    assert!(m.signers[1].unsigned_attrs.is_none());

    let r = m.verify_cades(
        None,
        &store,
        ValidationTime::TimeStamp,
        RevocationPolicy::Off,
    );
    r[0].result.as_ref().unwrap();
    assert_eq!(r[0].level, Some(CadesLevel::T));
    let ts = r[0].time_stamp.as_ref().unwrap();
    assert_eq!(ts.gen_time, t_at, "the earliest time-stamp");
    assert_eq!(r[0].validated_at, Some(t_at));
    assert_eq!(r[0].time_basis, Some(TimeBasis::TimeStamp));
    // The co-signer: BES, validated now (no time-stamp), its certificate still valid.
    r[1].result.as_ref().unwrap();
    assert_eq!(r[1].level, Some(CadesLevel::Bes));
    assert_eq!(r[1].time_basis, Some(TimeBasis::Caller));
    // Validated now, the expired signer fails; its signature and time-stamp are still fine.
    let r = m.verify_cades(None, &store, ValidationTime::Now, RevocationPolicy::Off);
    assert!(
        matches!(&r[0].result, Err(CmsError::Chain(_))),
        "{:?}",
        r[0].result
    );
    // The content changed: the signer fails before its time-stamps are looked at.
    let r = m.verify_cades(
        Some(b"<other/>"),
        &store,
        ValidationTime::TimeStamp,
        RevocationPolicy::Off,
    );
    assert!(r[0].result.is_err());

    // A token over signer 1's signature refused for signer 0.
    let req1 = signature_time_stamp_request(&parsed, 1, HashAlg::Streebog512).unwrap();
    let tok1 = granted(&tsa.respond(&req1.to_der(), t_at, None).unwrap());
    assert_eq!(
        add_signature_time_stamp(&msg, 0, &tok1).unwrap_err(),
        CmsError::ImprintMismatch
    );
    assert_eq!(
        add_signature_time_stamp(&msg, 2, &tok1).unwrap_err(),
        CmsError::SignerNotFound
    );
    // Signer 1 stamped with Streebog-512: T for it too.
    let both = add_signature_time_stamp(&with_t, 1, &tok1).unwrap();
    let r = SignedMessage::parse(&both).unwrap().verify_cades(
        None,
        &store,
        ValidationTime::TimeStamp,
        RevocationPolicy::Off,
    );
    assert_eq!(r[1].level, Some(CadesLevel::T));
    assert_eq!(r[1].validated_at, Some(t_at));

    // A tampered embedded token (its TSTInfo serial): the signer fails with its error.
    let req0 = signature_time_stamp_request(&parsed, 0, HashAlg::Streebog256).unwrap();
    let tok = granted(
        &tsa.respond(&req0.to_der(), t_at, Some(&[0x5a, 0x5a, 0x5a]))
            .unwrap(),
    );
    let one = add_signature_time_stamp(&msg, 0, &tok).unwrap();
    let at = one
        .windows(4)
        .position(|w| w == [2, 3, 0x5a, 0x5a])
        .unwrap();
    let mut bad = one.clone();
    bad[at + 2] = 0x5b;
    let r = SignedMessage::parse(&bad).unwrap().verify_cades(
        None,
        &store,
        ValidationTime::TimeStamp,
        RevocationPolicy::Off,
    );
    assert_eq!(r[0].result, Err(CmsError::DigestMismatch));
    assert!(r[1].result.is_ok());
    // The plain verification (no time-stamp checks) is unaffected by the unsigned attribute.
    let r = SignedMessage::parse(&bad).unwrap().verify(None, &[]);
    assert_eq!(r[0].level, Some(CadesLevel::Bes));
    r[0].result.as_ref().unwrap();
}

// ---- Interop with OpenSSL + gost-engine ----

/// The peer's PKI: a GOST CA, a TSA certificate with a critical timeStamping extKeyUsage and
/// keyUsage digitalSignature + nonRepudiation, and an openssl ts configuration with two TSA
/// sections: `tsa_sha1` (signing-certificate, SHA-1, as OpenSSL writes by default) and
/// `tsa_v2` (signing-certificate-v2 with Streebog-256).
struct PeerTsa {
    peer: Peer,
    ca: Certificate,
    tsa: Certificate,
    tsa_key: SigningKey,
}

fn peer_tsa(tag: &str, set: &str) -> Option<PeerTsa> {
    let peer = match Peer::find(tag) {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: {tag}: {why}");
            return None;
        }
    };
    let f = |n: &str| peer.path(n);
    let (alg, paramset) = set.split_once(':').unwrap();
    for key in ["ca.key", "tsa.key"] {
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{paramset}"),
            "-out",
            &f(key),
        ])
        .unwrap();
    }
    peer.openssl(&[
        "req",
        "-new",
        "-x509",
        "-key",
        &f("ca.key"),
        "-subj",
        "/CN=Peer TSA CA",
        "-days",
        "30",
        "-addext",
        "basicConstraints=critical,CA:true",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        &f("ca.pem"),
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-key",
        &f("tsa.key"),
        "-subj",
        "/CN=Peer TSA/O=gostkit tests",
        "-out",
        &f("tsa.csr"),
    ])
    .unwrap();
    std::fs::write(
        f("tsa.ext"),
        "extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    std::fs::write(
        f("plain.ext"),
        "keyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    for (csr, ext, out) in [
        ("tsa.csr", "tsa.ext", "tsa.pem"),
        ("tsa.csr", "plain.ext", "noeku.pem"),
    ] {
        peer.openssl(&[
            "x509",
            "-req",
            "-in",
            &f(csr),
            "-CA",
            &f("ca.pem"),
            "-CAkey",
            &f("ca.key"),
            "-CAcreateserial",
            "-days",
            "20",
            "-extfile",
            &f(ext),
            "-out",
            &f(out),
        ])
        .unwrap();
    }
    std::fs::write(f("serial"), "7f\n").unwrap();
    let section = |name: &str, ess: &str| {
        format!(
            "[{name}]\nserial = {serial}\ncrypto_device = builtin\nsigner_cert = {cert}\n\
             signer_key = {key}\ncerts = {ca}\nsigner_digest = md_gost12_256\n\
             default_policy = {POLICY}\nother_policies = {POLICY2}\n\
             digests = md_gost12_256, md_gost12_512\naccuracy = secs:1, millisecs:500, microsecs:100\n\
             clock_precision_digits = 3\nordering = yes\ntsa_name = yes\n\
             ess_cert_id_chain = no\ness_cert_id_alg = {ess}\n",
            serial = f("serial"),
            cert = f("tsa.pem"),
            key = f("tsa.key"),
            ca = f("ca.pem"),
        )
    };
    std::fs::write(
        f("tsa.cnf"),
        format!(
            "[tsa]\ndefault_tsa = tsa_sha1\n{}{}",
            section("tsa_sha1", "sha1"),
            section("tsa_v2", "md_gost12_256")
        ),
    )
    .unwrap();
    let read_cert = |n: &str| Certificate::decode(&std::fs::read(f(n)).unwrap()).unwrap();
    let tsa_key = GostPrivateKey::decode(&std::fs::read(f("tsa.key")).unwrap())
        .unwrap()
        .to_signing_key()
        .unwrap();
    Some(PeerTsa {
        ca: read_cert("ca.pem"),
        tsa: read_cert("tsa.pem"),
        tsa_key,
        peer,
    })
}

impl PeerTsa {
    fn f(&self, n: &str) -> String {
        self.peer.path(n)
    }

    /// `openssl ts -reply` to the request in `tsq`, from TSA section `section`.
    fn reply(&self, section: &str, tsq: &[u8]) -> Result<Vec<u8>, String> {
        std::fs::write(self.f("q.tsq"), tsq).unwrap();
        self.peer.openssl(&[
            "ts",
            "-reply",
            "-config",
            &self.f("tsa.cnf"),
            "-section",
            section,
            "-queryfile",
            &self.f("q.tsq"),
            "-out",
            &self.f("r.tsr"),
        ])?;
        Ok(std::fs::read(self.f("r.tsr")).unwrap())
    }

    /// `openssl ts -verify` of the response `tsr` over the file `data` (and the request when
    /// given), trusting the CA, the TSA certificate `tsa_pem` as untrusted.
    fn verify(
        &self,
        tsr: &[u8],
        data: &[u8],
        tsq: Option<&[u8]>,
        tsa_pem: &str,
    ) -> Result<(), String> {
        std::fs::write(self.f("v.tsr"), tsr).unwrap();
        std::fs::write(self.f("v.data"), data).unwrap();
        let (tsr, d, ca, un, q) = (
            self.f("v.tsr"),
            self.f("v.data"),
            self.f("ca.pem"),
            self.f(tsa_pem),
            self.f("v.tsq"),
        );
        let mut args = vec![
            "ts",
            "-verify",
            "-in",
            &tsr,
            "-CAfile",
            &ca,
            "-untrusted",
            &un,
        ];
        match tsq {
            Some(q_der) => {
                std::fs::write(&q, q_der).unwrap();
                args.extend_from_slice(&["-queryfile", &q]);
            }
            None => args.extend_from_slice(&["-data", &d]),
        }
        let out = self.peer.openssl(&args)?;
        let text = String::from_utf8_lossy(&out);
        if text.contains("Verification: OK") {
            Ok(())
        } else {
            Err(text.into_owned())
        }
    }
}

/// The peer refused, for the reason its error output names.
fn refused(r: Result<(), String>, reason: &str) {
    match r {
        Ok(()) => panic!("the peer accepted (expected: {reason})"),
        Err(e) => assert!(e.contains(reason), "expected {reason}: {e}"),
    }
}

/// gostkit's requests (Streebog-256 and -512 imprints) answered by `openssl ts -reply` with
/// signing-certificate (SHA-1) and signing-certificate-v2 (Streebog-256); the responses
/// verified by gostkit, with the peer's accuracy, ordering, tsa name and millisecond genTime;
/// the peer's refusal of an unknown policy read as a typed rejection.
#[test]
fn peer_tsa_answers_gostkit_requests() {
    for set in ["gost2012_256:A", "gost2012_512:C"] {
        let Some(pt) = peer_tsa("tsp-reply", set) else {
            return;
        };
        let store = store_of(&pt.ca);
        for (section, ess) in [("tsa_sha1", SHA1), ("tsa_v2", STREEBOG_256)] {
            for alg in [HashAlg::Streebog256, HashAlg::Streebog512] {
                let data = format!("document for {section} {alg:?}");
                let req = TimeStampReq::new(alg, data.as_bytes()).unwrap();
                let resp = pt.reply(section, &req.to_der()).unwrap();
                let token = granted(&resp);
                let r = token
                    .verify_request(&req, &store, &TokenVerifyOptions::default())
                    .unwrap_or_else(|e| panic!("{set} {section} {alg:?}: {e}"));
                assert_eq!(r.ess_hash_alg, oid(ess), "{section}");
                assert_eq!(r.policy, oid(POLICY));
                assert!(r.ordering);
                assert_eq!(
                    r.accuracy,
                    Some(Accuracy {
                        seconds: 1,
                        millis: 500,
                        micros: 100
                    })
                );
                assert_eq!(r.tsa_subject, "O=gostkit tests,CN=Peer TSA");
                assert_eq!(r.path.len(), 2);
                let age = SystemTime::now().duration_since(r.gen_time).unwrap();
                assert!(age < Duration::from_secs(300), "{age:?}");
                assert!(matches!(&token.info().tsa, Some(TsaName::Directory(_))));
                // The negatives against the peer's token.
                assert_eq!(
                    token
                        .verify_data(b"other", &store, &TokenVerifyOptions::default())
                        .unwrap_err(),
                    CmsError::ImprintMismatch
                );
                let replay = req.clone().with_nonce(Some(&[9; 8]));
                assert_eq!(
                    token
                        .verify_request(&replay, &store, &TokenVerifyOptions::default())
                        .unwrap_err(),
                    CmsError::NonceMismatch
                );
            }
        }
        // A policy the peer does not accept; certReq off and a policy it does.
        let req = TimeStampReq::new(HashAlg::Streebog256, b"p")
            .unwrap()
            .with_policy(oid("1.2.3.4.5"));
        let resp = TimeStampResp::parse(&pt.reply("tsa_v2", &req.to_der()).unwrap()).unwrap();
        assert_eq!(resp.status, PkiStatus::Rejection);
        assert_eq!(resp.fail_info, FailureInfo::UNACCEPTED_POLICY);
        assert!(matches!(
            resp.into_token(),
            Err(CmsError::TimeStampRejected { .. })
        ));
        let req = TimeStampReq::new(HashAlg::Streebog256, b"p")
            .unwrap()
            .with_policy(oid(POLICY2))
            .with_cert_req(false);
        let token = granted(&pt.reply("tsa_v2", &req.to_der()).unwrap());
        let opts = TokenVerifyOptions {
            extra: vec![pt.tsa.clone()],
            ..TokenVerifyOptions::default()
        };
        assert_eq!(
            token.verify_request(&req, &store, &opts).unwrap().policy,
            oid(POLICY2)
        );
        // A tampered peer token.
        let mut der = token.der().to_vec();
        let last = der.len() - 3;
        der[last] ^= 0x10;
        assert_eq!(
            TimeStampToken::parse(&der)
                .unwrap()
                .verify_request(&req, &store, &opts)
                .unwrap_err(),
            CmsError::BadSignature
        );
    }
}

/// gostkit's TSA with the peer's key and certificate: its responses verified by
/// `openssl ts -verify` (with the data and with the request), also for the peer's own
/// requests (`openssl ts -query -md_gost12_256/512`); the peer refuses a response over other
/// data, a tampered token, a request with another nonce and a TSA certificate without the EKU.
#[test]
fn peer_verifies_gostkit_tsa() {
    for set in ["gost2012_256:A", "gost2012_512:A"] {
        let Some(pt) = peer_tsa("tsp-verify", set) else {
            return;
        };
        let tsa = Tsa::new(&pt.tsa, &pt.tsa_key, tsa_options()).unwrap();
        let data = b"<act>of acceptance</act>".to_vec();
        for alg in [HashAlg::Streebog256, HashAlg::Streebog512] {
            let req = TimeStampReq::new(alg, &data).unwrap();
            let resp = tsa.respond(&req.to_der(), SystemTime::now(), None).unwrap();
            pt.verify(&resp, &data, None, "tsa.pem")
                .unwrap_or_else(|e| panic!("{set} {alg:?}: {e}"));
            pt.verify(&resp, &data, Some(&req.to_der()), "tsa.pem")
                .unwrap_or_else(|e| panic!("{set} {alg:?} with the request: {e}"));
            // Negatives.
            refused(
                pt.verify(&resp, b"other data", None, "tsa.pem"),
                "message imprint mismatch",
            );
            let replay = req.clone().with_nonce(Some(&[1; 8]));
            refused(
                pt.verify(&resp, &data, Some(&replay.to_der()), "tsa.pem"),
                "nonce mismatch",
            );
            let token = granted(&resp);
            let sig = token.message().signers[0].signature.clone();
            let mut bad = resp.clone();
            let at = bad
                .windows(sig.len())
                .position(|w| w == sig.as_slice())
                .unwrap();
            bad[at + 1] ^= 0x01;
            refused(pt.verify(&bad, &data, None, "tsa.pem"), "signature failure");
        }
        // The peer's requests answered by gostkit.
        std::fs::write(pt.f("d"), &data).unwrap();
        for md in ["-md_gost12_256", "-md_gost12_512"] {
            pt.peer
                .openssl(&[
                    "ts",
                    "-query",
                    "-data",
                    &pt.f("d"),
                    md,
                    "-cert",
                    "-out",
                    &pt.f("p.tsq"),
                ])
                .unwrap();
            let q = std::fs::read(pt.f("p.tsq")).unwrap();
            let parsed = TimeStampReq::parse(&q).unwrap();
            assert!(parsed.cert_req() && parsed.nonce().is_some());
            let resp = tsa.respond(&q, SystemTime::now(), None).unwrap();
            pt.verify(&resp, &data, Some(&q), "tsa.pem")
                .unwrap_or_else(|e| panic!("{set} {md}: {e}"));
            // And gostkit verifies its own answer to the peer's request.
            granted(&resp)
                .verify_request(&parsed, &store_of(&pt.ca), &TokenVerifyOptions::default())
                .unwrap();
        }
        // signing-certificate-v2 naming another certificate: a twin of the TSA certificate
        // (same issuer, serial and key, other dates) handed to the peer for a token that
        // carries none. The right one passes.
        let serial: String = pt.tsa.serial().iter().map(|b| format!("{b:02x}")).collect();
        pt.peer
            .openssl(&[
                "x509",
                "-req",
                "-in",
                &pt.f("tsa.csr"),
                "-CA",
                &pt.f("ca.pem"),
                "-CAkey",
                &pt.f("ca.key"),
                "-set_serial",
                &format!("0x{serial}"),
                "-days",
                "15",
                "-extfile",
                &pt.f("tsa.ext"),
                "-out",
                &pt.f("twin.pem"),
            ])
            .unwrap();
        let twin = Certificate::decode(&std::fs::read(pt.f("twin.pem")).unwrap()).unwrap();
        assert_eq!(twin.serial(), pt.tsa.serial());
        assert_ne!(twin.der(), pt.tsa.der());
        let req = TimeStampReq::new(HashAlg::Streebog256, &data)
            .unwrap()
            .with_cert_req(false);
        let resp = tsa.respond(&req.to_der(), SystemTime::now(), None).unwrap();
        pt.verify(&resp, &data, None, "tsa.pem").unwrap();
        refused(
            pt.verify(&resp, &data, None, "twin.pem"),
            "ess cert id not found",
        );
        let twin_opts = TokenVerifyOptions {
            extra: vec![twin],
            ..TokenVerifyOptions::default()
        };
        assert_eq!(
            granted(&resp)
                .verify_request(&req, &store_of(&pt.ca), &twin_opts)
                .unwrap_err(),
            CmsError::SigningCertificateMismatch
        );
        // A TSA certificate without the timeStamping EKU: the peer refuses the token (and
        // gostkit too).
        let noeku = Certificate::decode(&std::fs::read(pt.f("noeku.pem")).unwrap()).unwrap();
        let bad_tsa = Tsa::new(&noeku, &pt.tsa_key, tsa_options()).unwrap();
        let req = TimeStampReq::new(HashAlg::Streebog256, &data).unwrap();
        let resp = bad_tsa
            .respond(&req.to_der(), SystemTime::now(), None)
            .unwrap();
        refused(
            pt.verify(&resp, &data, None, "noeku.pem"),
            "unsuitable certificate purpose",
        );
        assert!(matches!(
            granted(&resp).verify_request(&req, &store_of(&pt.ca), &TokenVerifyOptions::default()),
            Err(CmsError::TsaCertificate(_))
        ));
    }
}

/// CAdES-T across the two: a SignedData made by `openssl cms -sign`, time-stamped over its
/// signature by `openssl ts -reply` on gostkit's request, the attribute added by gostkit; the
/// peer still verifies the message, gostkit verifies the time-stamp and validates the signer at
/// genTime. And a gostkit CAdES-BES message time-stamped by the peer reaches level T.
#[test]
fn peer_cades_t() {
    let Some(pt) = peer_tsa("tsp-cades", "gost2012_256:A") else {
        return;
    };
    let f = |n: &str| pt.f(n);
    let store = store_of(&pt.ca);
    // A signer certificate from the peer's CA.
    pt.peer
        .openssl(&[
            "genpkey",
            "-algorithm",
            "gost2012_256",
            "-pkeyopt",
            "paramset:B",
            "-out",
            &f("s.key"),
        ])
        .unwrap();
    pt.peer
        .openssl(&[
            "req",
            "-new",
            "-key",
            &f("s.key"),
            "-subj",
            "/CN=Peer Signer",
            "-out",
            &f("s.csr"),
        ])
        .unwrap();
    std::fs::write(
        f("s.ext"),
        "keyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    pt.peer
        .openssl(&[
            "x509",
            "-req",
            "-in",
            &f("s.csr"),
            "-CA",
            &f("ca.pem"),
            "-CAkey",
            &f("ca.key"),
            "-CAcreateserial",
            "-days",
            "10",
            "-extfile",
            &f("s.ext"),
            "-out",
            &f("s.pem"),
        ])
        .unwrap();
    std::fs::write(f("doc"), b"<document>CAdES-T</document>\n").unwrap();
    pt.peer
        .openssl(&[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-in",
            &f("doc"),
            "-signer",
            &f("s.pem"),
            "-inkey",
            &f("s.key"),
            "-outform",
            "DER",
            "-out",
            &f("s.p7s"),
        ])
        .unwrap();
    let peer_msg = std::fs::read(f("s.p7s")).unwrap();
    let gk_signer = Certificate::decode(&std::fs::read(f("s.pem")).unwrap()).unwrap();
    let gk_key = GostPrivateKey::decode(&std::fs::read(f("s.key")).unwrap())
        .unwrap()
        .to_signing_key()
        .unwrap();
    let gk_msg = signed::sign(
        b"<document>gostkit BES</document>",
        &[Signer {
            cert: &gk_signer,
            key: &gk_key,
        }],
        &SignOptions::default(),
    )
    .unwrap();
    for (name, msg, level) in [
        ("peer message", peer_msg, None),
        ("gostkit message", gk_msg, Some(CadesLevel::T)),
    ] {
        let parsed = SignedMessage::parse(&msg).unwrap();
        let req = signature_time_stamp_request(&parsed, 0, HashAlg::Streebog256).unwrap();
        let token = granted(&pt.reply("tsa_v2", &req.to_der()).unwrap());
        let stamped = add_signature_time_stamp(&msg, 0, &token).unwrap();
        let m = SignedMessage::parse(&stamped).unwrap();
        let r = m.verify_cades(
            None,
            &store,
            ValidationTime::TimeStamp,
            RevocationPolicy::Off,
        );
        r[0].result
            .as_ref()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r[0].level, level, "{name}");
        let ts = r[0].time_stamp.as_ref().unwrap();
        assert_eq!(r[0].validated_at, Some(ts.gen_time));
        assert_eq!(r[0].time_basis, Some(TimeBasis::TimeStamp));
        // The peer still verifies the message with the unsigned attribute added.
        std::fs::write(f("t.p7s"), &stamped).unwrap();
        pt.peer
            .openssl(&[
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                &f("t.p7s"),
                "-CAfile",
                &f("ca.pem"),
                "-out",
                &f("t.out"),
            ])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            std::fs::read(f("t.out")).unwrap(),
            m.content.clone().unwrap()
        );
    }
}
