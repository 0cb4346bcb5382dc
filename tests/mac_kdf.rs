//! HMAC-Streebog (RFC 7836 §4.1), KDF_GOSTR3411_2012_256 / KDF_TREE (RFC 7836 §4.5 / §4.4) and
//! PBKDF2-HMAC-Streebog-512 (R 50.1.111-2016 / RFC 9337) against `test-vectors/`.

mod common;

use common::{h, n, s, vectors};
use gostkit::CryptoError;
use gostkit::kdf::{kdf_gostr3411_2012_256, kdf_tree_gostr3411_2012_256, pbkdf2_streebog512};
use gostkit::mac::{HmacStreebog256, HmacStreebog512};
use proptest::prelude::*;

#[test]
fn hmac_vectors() {
    for v in &vectors("hmac.toml") {
        let (key, data, tag) = (h(v, "key"), h(v, "input"), h(v, "tag"));
        let name = s(v, "name");
        match s(v, "alg") {
            "hmac-streebog256" => {
                assert_eq!(
                    hex::encode(HmacStreebog256::mac(&key, &data)),
                    hex::encode(&tag),
                    "{name}"
                );
                let mut m = HmacStreebog256::new(&key);
                m.update(&data[..5]);
                m.update(&data[5..]);
                assert_eq!(m.clone().finalize().to_vec(), tag, "{name} streaming");
                assert_eq!(m.verify(&tag), Ok(()), "{name} verify");
            }
            "hmac-streebog512" => {
                assert_eq!(
                    hex::encode(HmacStreebog512::mac(&key, &data)),
                    hex::encode(&tag),
                    "{name}"
                );
                let mut m = HmacStreebog512::new(&key);
                m.update(&data[..7]);
                m.update(&data[7..]);
                assert_eq!(m.clone().finalize().to_vec(), tag, "{name} streaming");
                assert_eq!(m.verify(&tag), Ok(()), "{name} verify");
            }
            other => panic!("{name}: unknown alg {other}"),
        }
    }
}

#[test]
fn hmac_verify_rejects_flipped_bits_and_wrong_lengths() {
    for v in &vectors("hmac.toml") {
        let (key, data, tag) = (h(v, "key"), h(v, "input"), h(v, "tag"));
        let check = |t: &[u8]| -> Result<(), CryptoError> {
            if tag.len() == 32 {
                let mut m = HmacStreebog256::new(&key);
                m.update(&data);
                m.verify(t)
            } else {
                let mut m = HmacStreebog512::new(&key);
                m.update(&data);
                m.verify(t)
            }
        };
        assert!(check(&tag).is_ok());
        for bit in [0usize, 7, 100, tag.len() * 8 - 1] {
            let mut bad = tag.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(
                matches!(check(&bad), Err(CryptoError::AuthenticationFailed { .. })),
                "flipped bit {bit} accepted"
            );
        }
        assert!(matches!(
            check(&tag[..tag.len() - 1]),
            Err(CryptoError::AuthenticationFailed { .. })
        ));
        assert!(matches!(
            check(&[]),
            Err(CryptoError::AuthenticationFailed { .. })
        ));
        let mut longer = tag.clone();
        longer.push(0);
        assert!(matches!(
            check(&longer),
            Err(CryptoError::AuthenticationFailed { .. })
        ));
    }
}

#[test]
fn hmac_long_keys_are_hashed_first() {
    // RFC 2104: a key longer than the 64-byte block is replaced by H(key).
    let long = [0x5au8; 100];
    let short = gostkit::hash::Streebog256::digest(&long);
    assert_eq!(
        HmacStreebog256::mac(&long, b"abc"),
        HmacStreebog256::mac(&short, b"abc")
    );
    let short = gostkit::hash::Streebog512::digest(&long);
    assert_eq!(
        HmacStreebog512::mac(&long, b"abc"),
        HmacStreebog512::mac(&short, b"abc")
    );
    // Empty key is allowed.
    assert_eq!(HmacStreebog256::mac(&[], b"abc").len(), 32);
}

#[test]
fn hmac_debug_hides_state() {
    let m = HmacStreebog256::new(b"very secret key");
    let text = format!("{m:?} {:?}", HmacStreebog512::new(b"very secret key"));
    assert!(!text.contains("secret") && text.contains(".."), "{text}");
}

#[test]
fn kdf_vectors() {
    let vs = vectors("kdf.toml");
    let mut kinds = (0, 0);
    for v in &vs {
        let (key, label, seed, want) = (h(v, "key"), h(v, "label"), h(v, "seed"), h(v, "output"));
        let name = s(v, "name");
        match s(v, "alg") {
            "kdf256" => {
                kinds.0 += 1;
                assert_eq!(
                    hex::encode(*kdf_gostr3411_2012_256(&key, &label, &seed)),
                    hex::encode(&want),
                    "{name}"
                );
                // KDF_256 is KDF_TREE with R = 1, L = 256 (RFC 7836 §4.5).
                let mut out = [0u8; 32];
                kdf_tree_gostr3411_2012_256(&key, &label, &seed, 1, &mut out).expect("valid");
                assert_eq!(out.to_vec(), want, "{name} as KDF_TREE");
            }
            "kdf_tree256" => {
                kinds.1 += 1;
                let r = n(v, "r") as usize;
                assert_eq!(n(v, "l_bits") as usize, want.len() * 8);
                let mut out = vec![0u8; want.len()];
                kdf_tree_gostr3411_2012_256(&key, &label, &seed, r, &mut out).expect("valid");
                assert_eq!(hex::encode(&out), hex::encode(&want), "{name}");
            }
            other => panic!("{name}: unknown alg {other}"),
        }
    }
    assert!(kinds.0 >= 1 && kinds.1 >= 1);
}

#[test]
fn kdf_tree_rejects_bad_parameters() {
    let key = [1u8; 32];
    let mut out = [0u8; 64];
    for r in [0usize, 5, usize::MAX] {
        assert!(matches!(
            kdf_tree_gostr3411_2012_256(&key, b"l", b"s", r, &mut out),
            Err(CryptoError::InvalidParameter { .. })
        ));
    }
    assert!(matches!(
        kdf_tree_gostr3411_2012_256(&key, b"l", b"s", 1, &mut []),
        Err(CryptoError::InvalidParameter { .. })
    ));
    // R = 1 addresses at most 255 blocks of 32 bytes.
    let mut max = vec![0u8; 255 * 32];
    assert!(kdf_tree_gostr3411_2012_256(&key, b"l", b"s", 1, &mut max).is_ok());
    let mut too_long = vec![0u8; 255 * 32 + 1];
    assert!(matches!(
        kdf_tree_gostr3411_2012_256(&key, b"l", b"s", 1, &mut too_long),
        Err(CryptoError::InvalidParameter { .. })
    ));
    assert!(kdf_tree_gostr3411_2012_256(&key, b"l", b"s", 2, &mut too_long).is_ok());
}

#[test]
fn kdf_tree_output_encodes_length() {
    // L is part of every block's input, so a shorter request is not a prefix of a longer one.
    let key = [7u8; 32];
    let mut a = [0u8; 32];
    let mut b = [0u8; 64];
    kdf_tree_gostr3411_2012_256(&key, b"label", b"seed", 1, &mut a).expect("valid");
    kdf_tree_gostr3411_2012_256(&key, b"label", b"seed", 1, &mut b).expect("valid");
    assert_ne!(a[..], b[..32]);
    // Different R changes [i]_b, hence the output.
    let mut c = [0u8; 64];
    kdf_tree_gostr3411_2012_256(&key, b"label", b"seed", 2, &mut c).expect("valid");
    assert_ne!(b, c);
}

fn run_pbkdf2_vector(v: &toml::Table) {
    let (p, salt, want) = (h(v, "password"), h(v, "salt"), h(v, "output"));
    let iterations = u32::try_from(n(v, "iterations")).expect("u32");
    let mut out = vec![0u8; want.len()];
    pbkdf2_streebog512(&p, &salt, iterations, &mut out).expect("valid");
    assert_eq!(hex::encode(&out), hex::encode(&want), "{}", s(v, "name"));
}

/// Vectors cheap enough for every run (the 2^24-iteration example is in its own ignored test).
#[test]
fn pbkdf2_vectors() {
    let vs = vectors("pbkdf2.toml");
    let mut ran = 0;
    for v in vs.iter().filter(|v| n(v, "iterations") <= 4096) {
        run_pbkdf2_vector(v);
        ran += 1;
    }
    assert_eq!(
        ran,
        vs.len() - 1,
        "all but the 16 777 216-iteration example"
    );
}

/// R 50.1.111-2016 example with c = 16 777 216: about 33 million Streebog-512 compressions'
/// worth of HMAC calls, minutes in a debug build, so it is run on demand with
/// `cargo test --release --test mac_kdf -- --ignored`.
#[test]
#[ignore = "16 777 216 iterations: minutes of CPU; run with --ignored (preferably --release)"]
fn pbkdf2_vector_16777216_iterations() {
    let vs = vectors("pbkdf2.toml");
    let v = vs
        .iter()
        .find(|v| n(v, "iterations") == 16_777_216)
        .expect("the long example");
    run_pbkdf2_vector(v);
}

#[test]
fn pbkdf2_rejects_bad_parameters() {
    let mut out = [0u8; 32];
    assert!(matches!(
        pbkdf2_streebog512(b"password", b"salt", 0, &mut out),
        Err(CryptoError::InvalidParameter { .. })
    ));
    assert!(matches!(
        pbkdf2_streebog512(b"password", b"salt", 1, &mut []),
        Err(CryptoError::InvalidParameter { .. })
    ));
    // Truncation: a shorter output is a prefix of the longer one (PBKDF2 blocks are independent).
    let mut long = [0u8; 64];
    pbkdf2_streebog512(b"password", b"salt", 1, &mut out).expect("valid");
    pbkdf2_streebog512(b"password", b"salt", 1, &mut long).expect("valid");
    assert_eq!(out[..], long[..32]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn hmac_streaming_equals_one_shot(
        key in proptest::collection::vec(any::<u8>(), 0..130),
        data in proptest::collection::vec(any::<u8>(), 0..300),
        cut in any::<usize>(),
    ) {
        let cut = cut % (data.len() + 1);
        let mut a = HmacStreebog256::new(&key);
        a.update(&data[..cut]);
        a.update(&data[cut..]);
        prop_assert_eq!(a.finalize(), HmacStreebog256::mac(&key, &data));
        let mut b = HmacStreebog512::new(&key);
        b.update(&data[..cut]);
        b.update(&data[cut..]);
        prop_assert_eq!(b.finalize().to_vec(), HmacStreebog512::mac(&key, &data).to_vec());
    }
}

/// The hash types implement the RustCrypto `digest` traits: the generic `hmac::SimpleHmac`
/// over them reproduces the RFC 7836 Appendix B HMAC examples, and `digest::Digest` gives the
/// same bytes as the inherent API.
#[test]
fn hash_types_drive_generic_rustcrypto_code() {
    use hmac::{KeyInit as _, Mac as _};
    for v in &vectors("hmac.toml") {
        let key = h(v, "key");
        let input = h(v, "input");
        let tag = match s(v, "alg") {
            "hmac-streebog256" => {
                let mut m = hmac::SimpleHmac::<gostkit::hash::Streebog256>::new_from_slice(&key)
                    .expect("key");
                m.update(&input);
                m.finalize().into_bytes().to_vec()
            }
            "hmac-streebog512" => {
                let mut m = hmac::SimpleHmac::<gostkit::hash::Streebog512>::new_from_slice(&key)
                    .expect("key");
                m.update(&input);
                m.finalize().into_bytes().to_vec()
            }
            other => panic!("unexpected alg {other}"),
        };
        assert_eq!(tag, h(v, "tag"), "{}", s(v, "name"));
    }
    let generic = <gostkit::hash::Streebog512 as digest::Digest>::digest(b"abc");
    assert_eq!(
        generic.as_slice(),
        gostkit::hash::Streebog512::digest(b"abc")
    );
}
