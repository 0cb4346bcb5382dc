//! GOST 28147-89 (legacy convention) modes, MAC and key wraps against sourced vectors, plus
//! streaming/meshing consistency and tamper tests.

mod common;

use common::{h, input, oh, s, vectors};
use gostkit::CryptoError;
use gostkit::cipher::BlockCipher;
use gostkit::cipher::gost28147::{
    Gost28147, Gost28147Cfb, Gost28147Cnt, Gost28147Mac, MESHING_INTERVAL, SBox, gost28147_mac,
};
use gostkit::cipher::keywrap::{
    cryptopro_kek_diversify, cryptopro_key_unwrap, cryptopro_key_wrap, gost28147_key_unwrap,
    gost28147_key_wrap,
};
use proptest::prelude::*;

fn sbox(v: &toml::Table) -> SBox {
    match s(v, "sbox") {
        "cryptopro-a" => SBox::CryptoProA,
        "cryptopro-b" => SBox::CryptoProB,
        "cryptopro-c" => SBox::CryptoProC,
        "cryptopro-d" => SBox::CryptoProD,
        "tc26-z" => SBox::Tc26Z,
        "test" => SBox::Test,
        other => panic!("unknown sbox {other}"),
    }
}

fn meshing(v: &toml::Table) -> bool {
    v.get("meshing").and_then(|x| x.as_bool()).expect("meshing")
}

/// Compares the full output, or its tail for long generated inputs.
fn check_out(v: &toml::Table, got: &[u8]) {
    let src = s(v, "source");
    if let Some(out) = oh(v, "output") {
        assert_eq!(hex::encode(got), hex::encode(out), "{src}");
    } else {
        let tail = h(v, "output_tail");
        assert_eq!(
            hex::encode(&got[got.len() - tail.len()..]),
            hex::encode(tail),
            "{src}"
        );
    }
}

/// Large CryptoPro cases (5 MiB) are slow in debug builds; they run when
/// `GOSTKIT_SLOW_TESTS` is set or in release builds.
fn run_large() -> bool {
    std::env::var_os("GOSTKIT_SLOW_TESTS").is_some() || !cfg!(debug_assertions)
}

#[test]
fn gost28147_vectors() {
    let mut ran = 0;
    for v in &vectors("gost28147.toml") {
        let data = input(v);
        if data.len() > 1 << 20 && !run_large() {
            continue;
        }
        let c = Gost28147::with_sbox(&h(v, "key"), sbox(v)).unwrap();
        let src = s(v, "source");
        match s(v, "mode") {
            "ecb" => {
                let mut buf = data.clone();
                c.ecb_encrypt(&mut buf).unwrap();
                check_out(v, &buf);
                c.ecb_decrypt(&mut buf).unwrap();
                assert_eq!(buf, data, "{src}");
                if data.len() == 8 {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(&data);
                    c.encrypt_block(&mut b);
                    check_out(v, &b);
                }
            }
            "cfb" => {
                let iv = h(v, "iv");
                let mut buf = data.clone();
                Gost28147Cfb::new(&c, &iv, meshing(v))
                    .unwrap()
                    .encrypt(&mut buf);
                check_out(v, &buf);
                Gost28147Cfb::new(&c, &iv, meshing(v))
                    .unwrap()
                    .decrypt(&mut buf);
                assert!(buf == data, "{src}: CFB decrypt");
            }
            "cnt" => {
                let iv = h(v, "iv");
                let mut buf = data.clone();
                Gost28147Cnt::new(&c, &iv, meshing(v))
                    .unwrap()
                    .apply_keystream(&mut buf);
                check_out(v, &buf);
                Gost28147Cnt::new(&c, &iv, meshing(v))
                    .unwrap()
                    .apply_keystream(&mut buf);
                assert!(buf == data, "{src}: CNT decrypt");
            }
            "imit" => {
                let mac = gost28147_mac(&c, None, &data, meshing(v)).unwrap();
                assert_eq!(hex::encode(mac), s(v, "mac"), "{src}");
                // A zero IV is the same as no IV.
                let mac0 = gost28147_mac(&c, Some(&[0u8; 8]), &data, meshing(v)).unwrap();
                assert_eq!(mac0, mac);
            }
            other => panic!("unknown mode {other}"),
        }
        ran += 1;
    }
    assert!(ran >= 20, "only {ran} vectors ran");
}

#[test]
fn short_cryptopro_vectors_do_not_depend_on_meshing() {
    // Up to 1024 bytes, meshing never triggers: both settings give the vector.
    for v in &vectors("gost28147.toml") {
        let data = input(v);
        if data.len() > MESHING_INTERVAL || s(v, "mode") != "cfb" {
            continue;
        }
        let c = Gost28147::with_sbox(&h(v, "key"), sbox(v)).unwrap();
        let mut buf = data.clone();
        Gost28147Cfb::new(&c, &h(v, "iv"), false)
            .unwrap()
            .encrypt(&mut buf);
        check_out(v, &buf);
    }
}

#[test]
fn meshing_changes_output_after_1024_bytes() {
    let c = Gost28147::with_sbox(&[0x42; 32], SBox::CryptoProA).unwrap();
    let iv = [7u8; 8];
    let mut a = vec![0u8; 1040];
    let mut b = a.clone();
    Gost28147Cnt::new(&c, &iv, true)
        .unwrap()
        .apply_keystream(&mut a);
    Gost28147Cnt::new(&c, &iv, false)
        .unwrap()
        .apply_keystream(&mut b);
    assert_eq!(a[..1024], b[..1024]);
    assert_ne!(a[1024..], b[1024..]);
    let mut a = vec![0u8; 1040];
    let mut b = a.clone();
    Gost28147Cfb::new(&c, &iv, true).unwrap().encrypt(&mut a);
    Gost28147Cfb::new(&c, &iv, false).unwrap().encrypt(&mut b);
    assert_eq!(a[..1024], b[..1024]);
    assert_ne!(a[1024..], b[1024..]);
}

#[test]
fn default_block_cipher_is_cryptopro_a() {
    let c = <Gost28147 as BlockCipher>::new(&[1u8; 32]).unwrap();
    assert_eq!(c.sbox(), SBox::CryptoProA);
    assert!(matches!(
        <Gost28147 as BlockCipher>::new(&[1u8; 16]),
        Err(CryptoError::InvalidKeyLength { .. })
    ));
}

fn split_points(len: usize, cuts: &[usize]) -> Vec<usize> {
    let mut pts: Vec<usize> = cuts.iter().map(|c| c % (len + 1)).collect();
    pts.push(0);
    pts.push(len);
    pts.sort_unstable();
    pts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Streaming across the 1024-byte meshing boundary in random chunks equals one-shot.
    #[test]
    fn chunked_equals_one_shot(
        key in proptest::collection::vec(any::<u8>(), 32),
        iv in proptest::collection::vec(any::<u8>(), 8),
        data in proptest::collection::vec(any::<u8>(), 900..2300),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
        z in any::<bool>(),
    ) {
        let sb = if z { SBox::Tc26Z } else { SBox::CryptoProA };
        let c = Gost28147::with_sbox(&key, sb).unwrap();
        let pts = split_points(data.len(), &cuts);

        let mut one = data.clone();
        Gost28147Cnt::new(&c, &iv, true).unwrap().apply_keystream(&mut one);
        let mut chunked = data.clone();
        let mut st = Gost28147Cnt::new(&c, &iv, true).unwrap();
        for w in pts.windows(2) {
            st.apply_keystream(&mut chunked[w[0]..w[1]]);
        }
        prop_assert_eq!(&one, &chunked);

        let mut one = data.clone();
        Gost28147Cfb::new(&c, &iv, true).unwrap().encrypt(&mut one);
        let mut chunked = data.clone();
        let mut st = Gost28147Cfb::new(&c, &iv, true).unwrap();
        for w in pts.windows(2) {
            st.encrypt(&mut chunked[w[0]..w[1]]);
        }
        prop_assert_eq!(&one, &chunked);
        let mut st = Gost28147Cfb::new(&c, &iv, true).unwrap();
        for w in pts.windows(2) {
            st.decrypt(&mut chunked[w[0]..w[1]]);
        }
        prop_assert_eq!(&chunked, &data);

        let one = gost28147_mac(&c, Some(&iv), &data, true).unwrap();
        let mut m = Gost28147Mac::new(&c, Some(&iv), true).unwrap();
        for w in pts.windows(2) {
            m.update(&data[w[0]..w[1]]);
        }
        prop_assert_eq!(one, m.finalize());
    }
}

#[test]
fn keywrap_vectors() {
    let vs = vectors("keywrap.toml");
    for v in &vs {
        let src = s(v, "source");
        let (kek, ukm, cek, wrapped) = (h(v, "kek"), h(v, "ukm"), h(v, "cek"), h(v, "wrapped"));
        let sb = sbox(v);
        match s(v, "alg") {
            "cryptopro" => {
                let d = cryptopro_kek_diversify(&kek, sb, &ukm).unwrap();
                assert_eq!(hex::encode(&d[..]), s(v, "diversified"), "{src}");
                let w = cryptopro_key_wrap(&kek, sb, &ukm, &cek).unwrap();
                assert_eq!(hex::encode(w), hex::encode(&wrapped), "{src}");
                let k = cryptopro_key_unwrap(&kek, sb, &wrapped).unwrap();
                assert_eq!(&k[..], &cek[..]);
            }
            "gost28147" => {
                let w = gost28147_key_wrap(&kek, sb, &ukm, &cek).unwrap();
                assert_eq!(hex::encode(w), hex::encode(&wrapped), "{src}");
                let k = gost28147_key_unwrap(&kek, sb, &wrapped).unwrap();
                assert_eq!(&k[..], &cek[..]);
            }
            other => panic!("unknown alg {other}"),
        }
    }
}

#[test]
fn tampered_wraps_are_rejected() {
    for v in &vectors("keywrap.toml") {
        let (kek, wrapped) = (h(v, "kek"), h(v, "wrapped"));
        let sb = sbox(v);
        let unwrap = |w: &[u8]| match s(v, "alg") {
            "cryptopro" => cryptopro_key_unwrap(&kek, sb, w),
            _ => gost28147_key_unwrap(&kek, sb, w),
        };
        for i in [0usize, 7, 8, 20, 39, 40, 43] {
            let mut bad = wrapped.clone();
            bad[i] ^= 0x10;
            let r = unwrap(&bad);
            // Flipping a UKM byte matters for both wraps (it is the MAC IV and diversifier).
            assert!(
                matches!(r, Err(CryptoError::AuthenticationFailed { .. })),
                "byte {i} of {}",
                s(v, "source")
            );
        }
        assert!(matches!(
            unwrap(&wrapped[..43]),
            Err(CryptoError::InvalidDataLength { .. })
        ));
        let mut other_kek = kek.clone();
        other_kek[0] ^= 1;
        let r = match s(v, "alg") {
            "cryptopro" => cryptopro_key_unwrap(&other_kek, sb, &wrapped),
            _ => gost28147_key_unwrap(&other_kek, sb, &wrapped),
        };
        assert!(r.is_err());
    }
}

#[test]
fn keywrap_bad_lengths() {
    let k = [1u8; 32];
    assert!(cryptopro_key_wrap(&k, SBox::CryptoProA, &[0; 7], &k).is_err());
    assert!(cryptopro_key_wrap(&k[..31], SBox::CryptoProA, &[0; 8], &k).is_err());
    assert!(gost28147_key_wrap(&k, SBox::CryptoProA, &[0; 8], &k[..16]).is_err());
    assert!(cryptopro_kek_diversify(&k, SBox::CryptoProA, &[0; 9]).is_err());
}
