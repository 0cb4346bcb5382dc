//! MGM AEAD (RFC 9058) against the RFC's Appendix A examples, plus rejection and round-trip tests.

mod common;

use common::{h, s, vectors};
use gostkit::CryptoError;
use gostkit::cipher::mgm::{MgmBackend, mgm_open, mgm_open_with, mgm_seal, mgm_seal_with};
use gostkit::cipher::{BlockCipher, Kuznyechik, Magma};
use proptest::prelude::*;

fn check_vector<C: BlockCipher>(v: &toml::Table) {
    let c = C::new(&h(v, "key")).unwrap();
    let nonce = h(v, "nonce");
    let aad = h(v, "aad");
    let pt = h(v, "plaintext");
    let ct = h(v, "ciphertext");
    let tag = h(v, "tag");
    let mut buf = pt.clone();
    let got = mgm_seal(&c, &nonce, &aad, &mut buf, tag.len()).unwrap();
    assert_eq!(buf, ct, "{}", s(v, "source"));
    assert_eq!(got, tag, "{}", s(v, "source"));
    // Truncated tags are the leading bytes of the full tag.
    let short = mgm_seal(&c, &nonce, &aad, &mut pt.clone(), 4).unwrap();
    assert_eq!(short, tag[..4]);
    mgm_open(&c, &nonce, &aad, &mut buf, &tag).unwrap();
    assert_eq!(buf, pt);
    let mut buf2 = ct.clone();
    mgm_open(&c, &nonce, &aad, &mut buf2, &tag[..4]).unwrap();
    assert_eq!(buf2, pt);
}

#[test]
fn rfc9058_vectors() {
    let vs = vectors("mgm.toml");
    let mut seen = 0;
    for v in &vs {
        match s(v, "cipher") {
            "kuznyechik" => check_vector::<Kuznyechik>(v),
            "magma" => check_vector::<Magma>(v),
            other => panic!("unknown cipher {other}"),
        }
        seen += 1;
    }
    assert_eq!(seen, 2);
}

/// The backends this CPU can run (the portable one always).
fn backends() -> Vec<MgmBackend> {
    [MgmBackend::Portable, MgmBackend::Clmul]
        .into_iter()
        .filter(|b| b.is_available())
        .collect()
}

fn check_vector_on<C: BlockCipher>(b: MgmBackend, v: &toml::Table) {
    let c = C::new(&h(v, "key")).unwrap();
    let nonce = h(v, "nonce");
    let aad = h(v, "aad");
    let pt = h(v, "plaintext");
    let ct = h(v, "ciphertext");
    let tag = h(v, "tag");
    let mut buf = pt.clone();
    let got = mgm_seal_with(b, &c, &nonce, &aad, &mut buf, tag.len()).unwrap();
    assert_eq!(buf, ct, "{b:?} {}", s(v, "source"));
    assert_eq!(got, tag, "{b:?} {}", s(v, "source"));
    mgm_open_with(b, &c, &nonce, &aad, &mut buf, &tag).unwrap();
    assert_eq!(buf, pt);
    // Every one-bit flip of the tag is rejected and leaves the ciphertext in place.
    for bit in 0..tag.len() * 8 {
        let mut bad = tag.clone();
        bad[bit / 8] ^= 0x80 >> (bit % 8);
        let mut buf = ct.clone();
        let r = mgm_open_with(b, &c, &nonce, &aad, &mut buf, &bad);
        assert!(
            matches!(r, Err(CryptoError::AuthenticationFailed { .. })),
            "{b:?} bit {bit}"
        );
        assert_eq!(buf, ct);
    }
}

#[test]
fn rfc9058_vectors_on_every_backend() {
    let vs = vectors("mgm.toml");
    let bs = backends();
    eprintln!("MGM backends tested: {bs:?}");
    if std::env::var_os("GOSTKIT_REQUIRE_CLMUL").is_some() {
        assert!(
            bs.contains(&MgmBackend::Clmul),
            "PCLMULQDQ backend unavailable"
        );
    }
    for &b in &bs {
        for v in &vs {
            match s(v, "cipher") {
                "kuznyechik" => check_vector_on::<Kuznyechik>(b, v),
                _ => check_vector_on::<Magma>(b, v),
            }
        }
    }
}

#[test]
fn backends_agree_on_long_messages() {
    // Longer than the 16-block batches, with partial final blocks, on both block sizes.
    let k = Kuznyechik::new(&[0x5a; 32]).unwrap();
    let m = Magma::new(&[0xa5; 32]).unwrap();
    for len in [1usize, 15, 16, 17, 255, 256, 257, 1000, 4099] {
        let aad: Vec<u8> = (0..len / 3).map(|i| i as u8).collect();
        let pt: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
        let mut outs = Vec::new();
        for &b in &backends() {
            let mut bk = pt.clone();
            let tk = mgm_seal_with(b, &k, &[0x11; 16], &aad, &mut bk, 16).unwrap();
            let mut bm = pt.clone();
            let tm = mgm_seal_with(b, &m, &[0x22; 8], &aad, &mut bm, 8).unwrap();
            outs.push((bk, tk, bm, tm));
        }
        assert!(outs.windows(2).all(|w| w[0] == w[1]), "len {len}");
        let (mut bk, tk, ..) = outs.swap_remove(0);
        mgm_open(&k, &[0x11; 16], &aad, &mut bk, &tk).unwrap();
        assert_eq!(bk, pt);
    }
}

#[test]
fn unavailable_backend_is_an_error() {
    if !MgmBackend::Clmul.is_available() {
        let k = Kuznyechik::new(&[7u8; 32]).unwrap();
        let r = mgm_seal_with(MgmBackend::Clmul, &k, &[0u8; 16], b"", &mut [1u8; 4], 16);
        assert!(matches!(r, Err(CryptoError::InvalidParameter { .. })));
    } else {
        assert_eq!(MgmBackend::detect(), MgmBackend::Clmul);
    }
}

fn tamper_case<C: BlockCipher>(v: &toml::Table) {
    let c = C::new(&h(v, "key")).unwrap();
    let nonce = h(v, "nonce");
    let aad = h(v, "aad");
    let ct = h(v, "ciphertext");
    let tag = h(v, "tag");

    // Tag tampered (each byte position), buffer stays ciphertext.
    for i in 0..tag.len() {
        let mut bad = tag.clone();
        bad[i] ^= 0x01;
        let mut buf = ct.clone();
        let r = mgm_open(&c, &nonce, &aad, &mut buf, &bad);
        assert!(matches!(r, Err(CryptoError::AuthenticationFailed { .. })));
        assert_eq!(buf, ct);
    }
    // AAD tampered.
    let mut bad_aad = aad.clone();
    bad_aad[0] ^= 0x80;
    let mut buf = ct.clone();
    assert!(mgm_open(&c, &nonce, &bad_aad, &mut buf, &tag).is_err());
    assert_eq!(buf, ct);
    // AAD truncated.
    let mut buf = ct.clone();
    assert!(mgm_open(&c, &nonce, &aad[..aad.len() - 1], &mut buf, &tag).is_err());
    assert_eq!(buf, ct);
    // Ciphertext tampered (last byte), buffer unchanged apart from our own flip.
    let mut buf = ct.clone();
    let last = buf.len() - 1;
    buf[last] ^= 0x01;
    let before = buf.clone();
    assert!(mgm_open(&c, &nonce, &aad, &mut buf, &tag).is_err());
    assert_eq!(buf, before);
    // Other nonce.
    let mut other = nonce.clone();
    other[C::BLOCK_LEN - 1] ^= 1;
    let mut buf = ct.clone();
    assert!(mgm_open(&c, &other, &aad, &mut buf, &tag).is_err());
    assert_eq!(buf, ct);
}

#[test]
fn tampering_is_rejected_and_buffer_unchanged() {
    for v in &vectors("mgm.toml") {
        match s(v, "cipher") {
            "kuznyechik" => tamper_case::<Kuznyechik>(v),
            _ => tamper_case::<Magma>(v),
        }
    }
}

#[test]
fn bad_parameters_are_errors() {
    let k = Kuznyechik::new(&[7u8; 32]).unwrap();
    let m = Magma::new(&[7u8; 32]).unwrap();
    let mut data = [1u8; 10];
    // Nonce with the top bit set.
    let mut nonce = [0u8; 16];
    nonce[0] = 0x80;
    assert!(matches!(
        mgm_seal(&k, &nonce, b"", &mut data, 16),
        Err(CryptoError::InvalidParameter { .. })
    ));
    assert!(mgm_open(&k, &nonce, b"", &mut data, &[0u8; 16]).is_err());
    assert_eq!(data, [1u8; 10]);
    // Wrong nonce lengths.
    assert!(matches!(
        mgm_seal(&k, &[0u8; 8], b"", &mut data, 16),
        Err(CryptoError::InvalidIvLength { .. })
    ));
    assert!(mgm_seal(&m, &[0u8; 16], b"", &mut data, 8).is_err());
    assert!(mgm_seal(&m, &[], b"", &mut data, 8).is_err());
    // Tag lengths outside 4..=n.
    assert!(mgm_seal(&k, &[0u8; 16], b"", &mut data, 3).is_err());
    assert!(mgm_seal(&k, &[0u8; 16], b"", &mut data, 17).is_err());
    assert!(mgm_seal(&m, &[0u8; 8], b"", &mut data, 9).is_err());
    assert!(mgm_open(&m, &[0u8; 8], b"", &mut data, &[0u8; 3]).is_err());
    assert_eq!(data, [1u8; 10]);
    // Empty AAD and empty plaintext together are refused (RFC 9058 §4).
    assert!(mgm_seal(&k, &[0u8; 16], b"", &mut [], 16).is_err());
    // AAD only is fine.
    let t = mgm_seal(&m, &[0u8; 8], b"header", &mut [], 8).unwrap();
    mgm_open(&m, &[0u8; 8], b"header", &mut [], &t).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip(
        key in proptest::collection::vec(any::<u8>(), 32),
        nonce_k in proptest::collection::vec(any::<u8>(), 16),
        nonce_m in proptest::collection::vec(any::<u8>(), 8),
        aad in proptest::collection::vec(any::<u8>(), 0..80),
        pt in proptest::collection::vec(any::<u8>(), 1..200),
        tag_len in 4usize..=8,
    ) {
        let mut nk = nonce_k.clone();
        nk[0] &= 0x7f;
        let mut nm = nonce_m.clone();
        nm[0] &= 0x7f;
        let k = Kuznyechik::new(&key).unwrap();
        let mut buf = pt.clone();
        let tag = mgm_seal(&k, &nk, &aad, &mut buf, tag_len * 2).unwrap();
        prop_assert_eq!(tag.len(), tag_len * 2);
        mgm_open(&k, &nk, &aad, &mut buf, &tag).unwrap();
        prop_assert_eq!(&buf, &pt);

        let m = Magma::new(&key).unwrap();
        let mut buf = pt.clone();
        let tag = mgm_seal(&m, &nm, &aad, &mut buf, tag_len).unwrap();
        let ct = buf.clone();
        mgm_open(&m, &nm, &aad, &mut buf, &tag).unwrap();
        prop_assert_eq!(&buf, &pt);
        let mut bad = tag.clone();
        bad[0] ^= 1;
        let mut buf = ct.clone();
        prop_assert!(mgm_open(&m, &nm, &aad, &mut buf, &bad).is_err());
        prop_assert_eq!(buf, ct);
    }
}
