//! GOST R 34.12-2015 ciphers and GOST R 34.13-2015 modes, ACPKM (R 1323565.1.017-2018 /
//! RFC 8645) and KExp15 against the official examples, plus error cases and property tests.

mod common;

use common::{h, n, s, vectors};
use gostkit::CryptoError;
use gostkit::cipher::acpkm::{
    CtrAcpkm, OmacAcpkm, acpkm_master, acpkm_rekey, ctr_acpkm, omac_acpkm,
};
use gostkit::cipher::kexp15::{kexp15, kimp15};
use gostkit::cipher::modes::{
    Ctr, Omac, cbc_decrypt, cbc_encrypt, cfb_decrypt, cfb_encrypt, ctr, ecb_decrypt, ecb_encrypt,
    ofb, omac, pad1, pad2, pad3, unpad2, unpad3,
};
use gostkit::cipher::{BlockCipher, Kuznyechik, Magma};
use proptest::prelude::*;

// ------------------------------------------------------------------------------ vectors

fn block_cipher_vector<C: BlockCipher>(v: &toml::Table) {
    let c = C::new(&h(v, "key")).unwrap();
    let pt = h(v, "plaintext");
    let ct = h(v, "ciphertext");
    let mut b = C::Block::default();
    b.as_mut().copy_from_slice(&pt);
    c.encrypt_block(&mut b);
    assert_eq!(b.as_ref(), &ct[..], "{}", s(v, "source"));
    c.decrypt_block(&mut b);
    assert_eq!(b.as_ref(), &pt[..], "{}", s(v, "source"));
    let mut many = pt.clone();
    c.encrypt_blocks(&mut many);
    assert_eq!(many, ct, "{}", s(v, "source"));
}

#[test]
fn gost3412_vectors() {
    for v in vectors("gost3412.toml") {
        match s(&v, "cipher") {
            "kuznyechik" => block_cipher_vector::<Kuznyechik>(&v),
            "magma" => block_cipher_vector::<Magma>(&v),
            other => panic!("unknown cipher {other}"),
        }
    }
}

fn mode_vector<C: BlockCipher>(v: &toml::Table) -> &'static str {
    let src = s(v, "source");
    let key = h(v, "key");
    let pt = h(v, "plaintext");
    match s(v, "mode") {
        "ecb" => {
            let ct = h(v, "ciphertext");
            assert_eq!(ecb_encrypt::<C>(&key, &pt).unwrap(), ct, "{src}");
            assert_eq!(ecb_decrypt::<C>(&key, &ct).unwrap(), pt, "{src}");
            "ecb"
        }
        "ctr" => {
            let (iv, ct) = (h(v, "iv"), h(v, "ciphertext"));
            assert_eq!(ctr::<C>(&key, &iv, &pt).unwrap(), ct, "{src}");
            assert_eq!(ctr::<C>(&key, &iv, &ct).unwrap(), pt, "{src}");
            // streaming, one byte at a time
            let mut st = Ctr::<C>::new(&key, &iv).unwrap();
            let mut buf = pt.clone();
            for b in buf.chunks_mut(1) {
                st.apply_keystream(b);
            }
            assert_eq!(buf, ct, "{src}");
            "ctr"
        }
        "ofb" => {
            let (iv, ct) = (h(v, "iv"), h(v, "ciphertext"));
            assert_eq!(ofb::<C>(&key, &iv, &pt).unwrap(), ct, "{src}");
            assert_eq!(ofb::<C>(&key, &iv, &ct).unwrap(), pt, "{src}");
            "ofb"
        }
        "cbc" => {
            let (iv, ct) = (h(v, "iv"), h(v, "ciphertext"));
            assert_eq!(cbc_encrypt::<C>(&key, &iv, &pt).unwrap(), ct, "{src}");
            assert_eq!(cbc_decrypt::<C>(&key, &iv, &ct).unwrap(), pt, "{src}");
            "cbc"
        }
        "cfb" => {
            let (iv, ct) = (h(v, "iv"), h(v, "ciphertext"));
            assert_eq!(cfb_encrypt::<C>(&key, &iv, &pt).unwrap(), ct, "{src}");
            assert_eq!(cfb_decrypt::<C>(&key, &iv, &ct).unwrap(), pt, "{src}");
            "cfb"
        }
        "mac" => {
            let tag = h(v, "tag");
            assert_eq!(omac::<C>(&key, &pt, tag.len()).unwrap(), tag, "{src}");
            let mut m = Omac::<C>::new(&key).unwrap();
            for c in pt.chunks(3) {
                m.update(c);
            }
            m.verify(&tag).unwrap();
            let mut bad = tag.clone();
            bad[0] ^= 1;
            let mut m = Omac::<C>::new(&key).unwrap();
            m.update(&pt);
            assert!(matches!(
                m.verify(&bad),
                Err(CryptoError::AuthenticationFailed { .. })
            ));
            "mac"
        }
        other => panic!("unknown mode {other}"),
    }
}

#[test]
fn gost3413_vectors() {
    let mut seen = Vec::new();
    for v in vectors("gost3413.toml") {
        let m = match s(&v, "cipher") {
            "kuznyechik" => mode_vector::<Kuznyechik>(&v),
            "magma" => mode_vector::<Magma>(&v),
            other => panic!("unknown cipher {other}"),
        };
        seen.push((s(&v, "cipher").to_string(), m));
    }
    for c in ["kuznyechik", "magma"] {
        for m in ["ecb", "ctr", "ofb", "cbc", "cfb", "mac"] {
            assert!(
                seen.iter().any(|(sc, sm)| sc == c && *sm == m),
                "{c} {m} missing"
            );
        }
    }
}

fn acpkm_vector<C: BlockCipher>(v: &toml::Table) {
    let src = s(v, "source");
    let key = h(v, "key");
    match s(v, "kind") {
        "rekey" => {
            let keys = v["keys"].as_array().unwrap();
            assert!(!keys.is_empty());
            let mut k = key.clone();
            for want in keys {
                let want = hex::decode(want.as_str().unwrap()).unwrap();
                k = acpkm_rekey::<C>(&k).unwrap().to_vec();
                assert_eq!(k, want, "{src}");
            }
        }
        "ctr" => {
            let (iv, pt, ct) = (h(v, "iv"), h(v, "plaintext"), h(v, "ciphertext"));
            let section = n(v, "section") as usize;
            assert_eq!(
                ctr_acpkm::<C>(&key, &iv, section, &pt).unwrap(),
                ct,
                "{src}"
            );
            assert_eq!(
                ctr_acpkm::<C>(&key, &iv, section, &ct).unwrap(),
                pt,
                "{src}"
            );
            let mut st = CtrAcpkm::<C>::new(&key, &iv, section).unwrap();
            let mut buf = pt.clone();
            for c in buf.chunks_mut(5) {
                st.apply_keystream(c).unwrap();
            }
            assert_eq!(buf, ct, "{src}");
        }
        "master" => {
            let out = h(v, "output");
            let t = n(v, "master_section") as usize;
            let got = acpkm_master::<C>(&key, t, out.len()).unwrap();
            assert_eq!(&got[..], &out[..], "{src}");
        }
        "omac" => {
            let (pt, tag) = (h(v, "plaintext"), h(v, "tag"));
            let (sec, t) = (n(v, "section") as usize, n(v, "master_section") as usize);
            assert_eq!(
                omac_acpkm::<C>(&key, sec, t, &pt, tag.len()).unwrap(),
                tag,
                "{src}"
            );
            let mut m = OmacAcpkm::<C>::new(&key, sec, t).unwrap();
            for c in pt.chunks(7) {
                m.update(c).unwrap();
            }
            m.verify(&tag).unwrap();
        }
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn acpkm_vectors() {
    for v in vectors("acpkm.toml") {
        match s(&v, "cipher") {
            "kuznyechik" => acpkm_vector::<Kuznyechik>(&v),
            "magma" => acpkm_vector::<Magma>(&v),
            other => panic!("unknown cipher {other}"),
        }
    }
}

fn kexp15_vector<C: BlockCipher>(v: &toml::Table) {
    let src = s(v, "source");
    let (key, k_enc, k_mac, iv, exp) = (
        h(v, "key"),
        h(v, "k_enc"),
        h(v, "k_mac"),
        h(v, "iv"),
        h(v, "exported"),
    );
    assert_eq!(
        kexp15::<C>(&key, &k_mac, &k_enc, &iv).unwrap(),
        exp,
        "{src}"
    );
    assert_eq!(
        &kimp15::<C>(&exp, &k_mac, &k_enc, &iv).unwrap()[..],
        &key[..],
        "{src}"
    );
    for i in [0, key.len(), exp.len() - 1] {
        let mut bad = exp.clone();
        bad[i] ^= 0x01;
        assert!(matches!(
            kimp15::<C>(&bad, &k_mac, &k_enc, &iv),
            Err(CryptoError::AuthenticationFailed { .. })
        ));
    }
}

#[test]
fn kexp15_vectors() {
    for v in vectors("kexp15.toml") {
        match s(&v, "cipher") {
            "kuznyechik" => kexp15_vector::<Kuznyechik>(&v),
            "magma" => kexp15_vector::<Magma>(&v),
            other => panic!("unknown cipher {other}"),
        }
    }
}

// ------------------------------------------------------------------------------ errors

fn errors_for<C: BlockCipher>() {
    let k = [7u8; 32];
    let bl = C::BLOCK_LEN;
    let half = vec![1u8; bl / 2];
    let reg = vec![2u8; 2 * bl];
    let blocks = vec![3u8; 2 * bl];

    // keys
    for bad in [&k[..31], &[0u8; 33][..], &[][..]] {
        assert!(matches!(
            ecb_encrypt::<C>(bad, &blocks),
            Err(CryptoError::InvalidKeyLength { .. })
        ));
        assert!(ctr::<C>(bad, &half, &blocks).is_err());
        assert!(ofb::<C>(bad, &reg, &blocks).is_err());
        assert!(cbc_encrypt::<C>(bad, &reg, &blocks).is_err());
        assert!(cfb_encrypt::<C>(bad, &reg, &blocks).is_err());
        assert!(omac::<C>(bad, &blocks, bl).is_err());
        assert!(ctr_acpkm::<C>(bad, &half, 2 * bl, &blocks).is_err());
        assert!(omac_acpkm::<C>(bad, 2 * bl, 4 * bl, &blocks, bl).is_err());
        assert!(kexp15::<C>(&k, bad, &k, &half).is_err());
        assert!(kexp15::<C>(&k, &k, bad, &half).is_err());
        assert!(kimp15::<C>(&blocks, bad, &k, &half).is_err());
    }

    // IVs
    for bad in [&half[..half.len() - 1], &reg[..bl], &[][..]] {
        assert!(matches!(
            ctr::<C>(&k, bad, &blocks),
            Err(CryptoError::InvalidIvLength { .. })
        ));
        assert!(Ctr::<C>::new(&k, bad).is_err());
        assert!(CtrAcpkm::<C>::new(&k, bad, bl).is_err());
        assert!(kexp15::<C>(&k, &k, &k, bad).is_err());
        assert!(kimp15::<C>(&blocks, &k, &k, bad).is_err());
    }
    for bad in [&[][..], &reg[..bl - 1], &reg[..bl + 1]] {
        assert!(matches!(
            ofb::<C>(&k, bad, &blocks),
            Err(CryptoError::InvalidIvLength { .. })
        ));
        assert!(cbc_encrypt::<C>(&k, bad, &blocks).is_err());
        assert!(cbc_decrypt::<C>(&k, bad, &blocks).is_err());
        assert!(cfb_encrypt::<C>(&k, bad, &blocks).is_err());
        assert!(cfb_decrypt::<C>(&k, bad, &blocks).is_err());
    }

    // data lengths
    for bad in [&blocks[..1], &blocks[..bl + 1]] {
        assert!(matches!(
            ecb_encrypt::<C>(&k, bad),
            Err(CryptoError::InvalidDataLength { .. })
        ));
        assert!(ecb_decrypt::<C>(&k, bad).is_err());
        assert!(cbc_encrypt::<C>(&k, &reg, bad).is_err());
        assert!(cbc_decrypt::<C>(&k, &reg, bad).is_err());
    }
    assert!(kimp15::<C>(&blocks[..bl], &k, &k, &half).is_err());
    assert!(kexp15::<C>(&[], &k, &k, &half).is_err());

    // parameters
    for bad in [0, bl - 1, bl + 1] {
        assert!(matches!(
            CtrAcpkm::<C>::new(&k, &half, bad),
            Err(CryptoError::InvalidParameter { .. })
        ));
        assert!(OmacAcpkm::<C>::new(&k, bad, 4 * bl).is_err());
        assert!(OmacAcpkm::<C>::new(&k, 2 * bl, bad).is_err());
        assert!(acpkm_master::<C>(&k, bad, 32).is_err());
    }
    for bad in [0, bl + 1] {
        assert!(omac::<C>(&k, &blocks, bad).is_err());
        assert!(omac_acpkm::<C>(&k, 2 * bl, 4 * bl, &blocks, bad).is_err());
        let mut out = vec![0u8; bad];
        assert!(Omac::<C>::new(&k).unwrap().finalize_into(&mut out).is_err());
        assert!(Omac::<C>::new(&k).unwrap().verify(&out).is_err());
    }

    // padding
    let bad_pads: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x80; bl - 1],
        vec![0u8; bl],
        {
            let mut b = vec![0u8; bl];
            b[0] = 0x80;
            b[bl - 1] = 1;
            b
        },
        {
            let mut b = vec![0x55u8; bl];
            b[bl - 1] = 0x81;
            b
        },
        {
            let mut b = vec![0x55u8; 2 * bl];
            b[bl - 1] = 0x80; // marker in a block that is not the last
            for x in &mut b[bl..] {
                *x = 0;
            }
            b
        },
    ];
    for p in &bad_pads {
        assert!(
            matches!(unpad2::<C>(p), Err(CryptoError::InvalidPadding { .. })),
            "{p:02x?}"
        );
    }
    assert!(unpad3::<C>(&blocks[..bl + 1], true).is_err());
    assert!(unpad3::<C>(&pad2::<C>(&blocks[..bl]), false).is_err());
}

#[test]
fn error_cases_kuznyechik() {
    errors_for::<Kuznyechik>();
}

#[test]
fn error_cases_magma() {
    errors_for::<Magma>();
}

#[test]
fn padding_examples() {
    // procedure 1: zeros, nothing when aligned
    assert_eq!(pad1::<Magma>(&[1, 2, 3]), vec![1, 2, 3, 0, 0, 0, 0, 0]);
    assert_eq!(pad1::<Magma>(&[9; 8]), vec![9; 8]);
    assert!(pad1::<Kuznyechik>(&[]).is_empty());
    // procedure 2: always a marker
    assert_eq!(pad2::<Magma>(&[]), vec![0x80, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(pad2::<Magma>(&[9; 8]).len(), 16);
    assert_eq!(
        unpad2::<Magma>(&pad2::<Magma>(&[0x80, 0])).unwrap(),
        &[0x80, 0]
    );
    // procedure 3: like 2 unless aligned
    assert_eq!(pad3::<Kuznyechik>(&[5; 16]), vec![5; 16]);
    assert_eq!(pad3::<Kuznyechik>(&[5; 3]), pad2::<Kuznyechik>(&[5; 3]));
    assert_eq!(unpad3::<Kuznyechik>(&[5; 16], true).unwrap(), &[5; 16]);
    assert_eq!(
        unpad3::<Kuznyechik>(&pad3::<Kuznyechik>(&[5; 3]), false).unwrap(),
        &[5; 3]
    );
}

#[test]
fn debug_hides_state() {
    let k = [0x42u8; 32];
    let c = Ctr::<Kuznyechik>::new(&k, &[0; 8]).unwrap();
    assert_eq!(format!("{c:?}"), "Ctr<Kuznyechik> { .. }");
    let m = Omac::<Magma>::new(&k).unwrap();
    assert!(!format!("{m:?}").contains("42"));
    let a = OmacAcpkm::<Magma>::new(&k, 16, 80).unwrap();
    assert!(!format!("{a:?}").contains("42"));
}

// ------------------------------------------------------------------------------ properties

fn splits(data_len: usize, cuts: &[usize]) -> Vec<usize> {
    // turn arbitrary numbers into chunk lengths covering data_len
    let mut out = Vec::new();
    let mut left = data_len;
    let mut i = 0;
    while left > 0 {
        let c = if cuts.is_empty() {
            left
        } else {
            cuts[i % cuts.len()] % 70 + 1
        };
        let c = c.min(left);
        out.push(c);
        left -= c;
        i += 1;
    }
    out
}

fn round_trips<C: BlockCipher>(key: &[u8], data: &[u8], z: usize, ivb: u8) {
    let bl = C::BLOCK_LEN;
    let reg: Vec<u8> = (0..z * bl).map(|i| ivb.wrapping_add(i as u8)).collect();
    let half = &reg[..bl / 2];

    let padded = pad2::<C>(data);
    let e = ecb_encrypt::<C>(key, &padded).unwrap();
    assert_eq!(
        unpad2::<C>(&ecb_decrypt::<C>(key, &e).unwrap()).unwrap(),
        data
    );

    let e = cbc_encrypt::<C>(key, &reg, &padded).unwrap();
    assert_eq!(
        unpad2::<C>(&cbc_decrypt::<C>(key, &reg, &e).unwrap()).unwrap(),
        data
    );

    let e = ctr::<C>(key, half, data).unwrap();
    assert_eq!(e.len(), data.len());
    assert_eq!(ctr::<C>(key, half, &e).unwrap(), data);

    let e = ofb::<C>(key, &reg, data).unwrap();
    assert_eq!(ofb::<C>(key, &reg, &e).unwrap(), data);

    let e = cfb_encrypt::<C>(key, &reg, data).unwrap();
    assert_eq!(cfb_decrypt::<C>(key, &reg, &e).unwrap(), data);

    let e = ctr_acpkm::<C>(key, half, 2 * bl, data).unwrap();
    assert_eq!(ctr_acpkm::<C>(key, half, 2 * bl, &e).unwrap(), data);

    let p3 = pad3::<C>(data);
    assert_eq!(
        unpad3::<C>(&p3, data.len().is_multiple_of(bl)).unwrap(),
        data
    );

    let mut k2 = key.to_vec();
    k2[0] ^= 0xA5;
    if !data.is_empty() {
        let w = kexp15::<C>(data, key, &k2, half).unwrap();
        assert_eq!(&kimp15::<C>(&w, key, &k2, half).unwrap()[..], data);
    }
}

fn streaming_equals_one_shot<C: BlockCipher>(
    key: &[u8],
    data: &[u8],
    cuts: &[usize],
    sec_blocks: usize,
) {
    let bl = C::BLOCK_LEN;
    let iv = vec![0x3Cu8; bl / 2];
    let chunks = splits(data.len(), cuts);

    let want = ctr::<C>(key, &iv, data).unwrap();
    let mut st = Ctr::<C>::new(key, &iv).unwrap();
    let mut buf = data.to_vec();
    let mut off = 0;
    for &c in &chunks {
        st.apply_keystream(&mut buf[off..off + c]);
        off += c;
    }
    assert_eq!(buf, want);

    let sec = sec_blocks * bl;
    let want = ctr_acpkm::<C>(key, &iv, sec, data).unwrap();
    let mut st = CtrAcpkm::<C>::new(key, &iv, sec).unwrap();
    let mut buf = data.to_vec();
    let mut off = 0;
    for &c in &chunks {
        st.apply_keystream(&mut buf[off..off + c]).unwrap();
        off += c;
    }
    assert_eq!(buf, want);

    let want = omac::<C>(key, data, bl).unwrap();
    let mut m = Omac::<C>::new(key).unwrap();
    let mut off = 0;
    for &c in &chunks {
        m.update(&data[off..off + c]);
        off += c;
    }
    assert_eq!(m.finalize().as_ref(), &want[..]);

    let want = omac_acpkm::<C>(key, sec, 3 * sec, data, bl).unwrap();
    let mut m = OmacAcpkm::<C>::new(key, sec, 3 * sec).unwrap();
    let mut off = 0;
    for &c in &chunks {
        m.update(&data[off..off + c]).unwrap();
        off += c;
    }
    assert_eq!(m.finalize().unwrap().as_ref(), &want[..]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip_kuznyechik(key in prop::array::uniform32(any::<u8>()),
                             data in prop::collection::vec(any::<u8>(), 0..200),
                             z in 1usize..4, ivb in any::<u8>()) {
        round_trips::<Kuznyechik>(&key, &data, z, ivb);
    }

    #[test]
    fn round_trip_magma(key in prop::array::uniform32(any::<u8>()),
                        data in prop::collection::vec(any::<u8>(), 0..200),
                        z in 1usize..4, ivb in any::<u8>()) {
        round_trips::<Magma>(&key, &data, z, ivb);
    }

    #[test]
    fn streaming_kuznyechik(key in prop::array::uniform32(any::<u8>()),
                            data in prop::collection::vec(any::<u8>(), 0..1200),
                            cuts in prop::collection::vec(any::<usize>(), 0..8),
                            sec in 1usize..5) {
        streaming_equals_one_shot::<Kuznyechik>(&key, &data, &cuts, sec);
    }

    #[test]
    fn streaming_magma(key in prop::array::uniform32(any::<u8>()),
                       data in prop::collection::vec(any::<u8>(), 0..1200),
                       cuts in prop::collection::vec(any::<usize>(), 0..8),
                       sec in 1usize..5) {
        streaming_equals_one_shot::<Magma>(&key, &data, &cuts, sec);
    }
}
