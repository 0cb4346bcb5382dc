//! Writes the gostkit seeds of the `tsp` target (requests, a granted response, its bare token
//! and TSTInfo, a refusal, a CAdES-T SignedData) with the target's fixed TSA:
//! `cargo test -p gostkit-fuzz-bodies --test tsp_seeds -- --ignored`, then commit the files.
//! The `peer-*` seeds come from `openssl ts -query/-reply` (fuzz/README.md). The non-ignored
//! test checks that the committed seeds still verify as far as they should.

use std::path::PathBuf;
use std::time::Duration;

use gostkit::cms::signed::{CadesLevel, SignOptions, SignedMessage, Signer, sign};
use gostkit::cms::tsp::{
    Accuracy, FailureInfo, TimeStampReq, TimeStampResp, TimeStampToken, TokenVerifyOptions, Tsa,
    TsaOptions, TstInfo, add_signature_time_stamp, signature_time_stamp_request,
};
use gostkit::hash::HashAlg;
use gostkit::oid::ObjectIdentifier;
use gostkit_fuzz_bodies::{TSP_POLICY, stream_signer, tsa_identity, tsa_store, tsp_time};

fn seed_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus/tsp")
        .join(name)
}

fn seed(name: &str) -> Vec<u8> {
    std::fs::read(seed_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn tsa() -> Tsa<'static> {
    let (cert, key) = tsa_identity();
    let mut o = TsaOptions::new(ObjectIdentifier::new_unwrap(TSP_POLICY));
    o.accuracy = Some(Accuracy {
        seconds: 1,
        millis: 500,
        micros: 100,
    });
    o.ordering = true;
    o.tsa_name = true;
    o.precision_digits = 3;
    Tsa::new(cert, key, o).unwrap()
}

#[test]
#[ignore]
fn generate_tsp_seeds() {
    std::fs::create_dir_all(seed_path("")).unwrap();
    let write = |name: &str, data: &[u8]| std::fs::write(seed_path(name), data).unwrap();
    let req = TimeStampReq::for_digest(HashAlg::Streebog256, &[0x5a; 32])
        .unwrap()
        .with_nonce(Some(&[0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]))
        .with_policy(ObjectIdentifier::new_unwrap(TSP_POLICY));
    write("gostkit-request.tsq", &req.to_der());
    let bare = TimeStampReq::for_digest(HashAlg::Streebog512, &[0xa5; 64])
        .unwrap()
        .with_nonce(None)
        .with_cert_req(false);
    write("gostkit-request-512-bare.tsq", &bare.to_der());
    let resp = tsa()
        .respond_to(&req, tsp_time(), Some(&[0x10, 0x01]))
        .unwrap();
    write("gostkit-response.tsr", &resp);
    let token = TimeStampResp::parse(&resp).unwrap().into_token().unwrap();
    write("gostkit-token.der", token.der());
    write(
        "gostkit-tstinfo.der",
        token.message().content.as_deref().unwrap(),
    );
    write(
        "gostkit-rejection.tsr",
        &Tsa::rejection(
            FailureInfo::BAD_ALG,
            "unsupported message imprint algorithm",
        ),
    );
    // CAdES-T: the cms_verify_stream signer, time-stamped by the fixed TSA.
    let (cert, key) = stream_signer();
    let msg = sign(
        b"fuzz CAdES-T",
        &[Signer { cert, key }],
        &SignOptions {
            signing_time: Some(tsp_time() - Duration::from_secs(3600)),
            include_signer_certs: true,
            ..SignOptions::default()
        },
    )
    .unwrap();
    let parsed = SignedMessage::parse(&msg).unwrap();
    let sreq = signature_time_stamp_request(&parsed, 0, HashAlg::Streebog256)
        .unwrap()
        .with_cert_req(true);
    let stoken = TimeStampResp::parse(&tsa().respond_to(&sreq, tsp_time(), None).unwrap())
        .unwrap()
        .into_token()
        .unwrap();
    write(
        "gostkit-cades-t.der",
        &add_signature_time_stamp(&msg, 0, &stoken).unwrap(),
    );
}

#[test]
fn committed_seeds_still_verify() {
    let store = tsa_store();
    let opts = TokenVerifyOptions::default();
    let req = TimeStampReq::parse(&seed("gostkit-request.tsq")).unwrap();
    let token = TimeStampResp::parse(&seed("gostkit-response.tsr"))
        .unwrap()
        .into_token()
        .unwrap();
    let r = token.verify_request(&req, store, &opts).unwrap();
    assert_eq!(r.gen_time, tsp_time());
    let bare = TimeStampToken::parse(&seed("gostkit-token.der")).unwrap();
    assert_eq!(bare.info(), token.info());
    assert_eq!(
        &TstInfo::parse(&seed("gostkit-tstinfo.der")).unwrap(),
        token.info()
    );
    assert!(TimeStampReq::parse(&seed("gostkit-request-512-bare.tsq")).is_ok());
    assert!(
        TimeStampResp::parse(&seed("gostkit-rejection.tsr"))
            .unwrap()
            .into_token()
            .is_err()
    );
    let m = SignedMessage::parse(&seed("gostkit-cades-t.der")).unwrap();
    let mut reports = m.verify(None, &[]);
    m.verify_time_stamps(&mut reports, store, &opts);
    reports[0].result.as_ref().unwrap();
    assert_eq!(reports[0].level, Some(CadesLevel::T));
    // The peer's: a request, and responses with signing-certificate (SHA-1) and -v2
    // (Streebog-256); their TSA is not in the store.
    assert!(TimeStampReq::parse(&seed("peer-request.tsq")).is_ok());
    for name in ["peer-response-ess-sha1.tsr", "peer-response-ess-v2.tsr"] {
        let t = TimeStampResp::parse(&seed(name))
            .unwrap()
            .into_token()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(t.info().accuracy.is_some(), "{name}");
    }
}
