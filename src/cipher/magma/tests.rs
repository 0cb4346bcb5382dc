//! Every backend against the portable one and against the RustCrypto `magma` crate (the previous,
//! table-based implementation) on random keys and data; the RFC 8891 example on each backend.

use super::Backend;
use crate::cipher::gost28147::{Gost28147, Gost28147Cfb, Gost28147Cnt, Gost28147Mac, SBox};
use crate::cipher::{BlockCipher, Magma};
use cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use proptest::prelude::*;

fn reference_magma(key: &[u8; 32], data: &[u8], decrypt: bool) -> Vec<u8> {
    let c = magma::Magma::new(&Array::from(*key));
    let mut out = data.to_vec();
    for b in out.chunks_exact_mut(8) {
        let a: &mut Array<u8, cipher::consts::U8> = b.try_into().unwrap();
        if decrypt {
            c.decrypt_block(a);
        } else {
            c.encrypt_block(a);
        }
    }
    out
}

/// The legacy convention on the crate: key words and the block byte-reversed.
fn reference_28147(sbox: SBox, key: &[u8; 32], data: &[u8], decrypt: bool) -> Vec<u8> {
    fn run<C>(key: &[u8; 32], data: &[u8], decrypt: bool) -> Vec<u8>
    where
        C: KeyInit + BlockCipherEncrypt + BlockCipherDecrypt,
        C: cipher::BlockSizeUser<BlockSize = cipher::consts::U8>
            + cipher::KeySizeUser<KeySize = cipher::consts::U32>,
    {
        let mut k = *key;
        for w in k.chunks_exact_mut(4) {
            w.reverse();
        }
        let c = C::new(&Array::from(k));
        let mut out = data.to_vec();
        for b in out.chunks_exact_mut(8) {
            b.reverse();
            let a: &mut Array<u8, cipher::consts::U8> = (&mut *b).try_into().unwrap();
            if decrypt {
                c.decrypt_block(a);
            } else {
                c.encrypt_block(a);
            }
            b.reverse();
        }
        out
    }
    match sbox {
        SBox::CryptoProA => run::<magma::Gost89CryptoProA>(key, data, decrypt),
        SBox::CryptoProB => run::<magma::Gost89CryptoProB>(key, data, decrypt),
        SBox::CryptoProC => run::<magma::Gost89CryptoProC>(key, data, decrypt),
        SBox::Tc26Z => run::<magma::Magma>(key, data, decrypt),
        SBox::Test => run::<magma::Gost89Test>(key, data, decrypt),
        // the crate's D table is not RFC 4357's (see SBOX_CRYPTOPRO_D): no reference
        SBox::CryptoProD => unreachable!(),
    }
}

const SBOXES: [SBox; 6] = [
    SBox::CryptoProA,
    SBox::CryptoProB,
    SBox::CryptoProC,
    SBox::CryptoProD,
    SBox::Tc26Z,
    SBox::Test,
];

#[test]
fn all_backends_are_exercised_here() {
    // this machine's test run covers the SIMD backends whenever the CPU has them
    let all = Backend::all_available();
    assert!(all.contains(&Backend::Portable));
    assert_eq!(Backend::detect(), *all.last().unwrap());
}

#[test]
fn rfc8891_example_on_every_backend() {
    // RFC 8891 §A.3 / GOST R 34.12-2015 §A.2.4
    let key =
        hex::decode("ffeeddccbbaa99887766554433221100f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff").unwrap();
    let pt: [u8; 8] = hex::decode("fedcba9876543210").unwrap().try_into().unwrap();
    let ct: [u8; 8] = hex::decode("4ee901e5c2d8ca3d").unwrap().try_into().unwrap();
    for b in Backend::all_available() {
        let c = Magma::with_backend(&key, b).unwrap();
        assert_eq!(c.0.backend(), b);
        let mut x = pt;
        c.encrypt_block(&mut x);
        assert_eq!(x, ct, "{b:?}");
        c.decrypt_block(&mut x);
        assert_eq!(x, pt, "{b:?}");
        // the same block in every lane and tail position of a batch
        for n in [1usize, 3, 4, 5, 8, 9, 16, 17, 31, 32, 33, 70] {
            let mut buf = pt.repeat(n);
            c.encrypt_blocks(&mut buf);
            assert_eq!(buf, ct.repeat(n), "{b:?} {n}");
            c.decrypt_blocks(&mut buf);
            assert_eq!(buf, pt.repeat(n), "{b:?} {n}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn magma_backends_match_the_crate(
        key in any::<[u8; 32]>(),
        data in proptest::collection::vec(any::<u8>(), 0..(8 * 80)),
    ) {
        let n = data.len() / 8 * 8;
        let data = &data[..n];
        let want = reference_magma(&key, data, false);
        let back = reference_magma(&key, data, true);
        for b in Backend::all_available() {
            let c = Magma::with_backend(&key, b).unwrap();
            let mut x = data.to_vec();
            c.encrypt_blocks(&mut x);
            prop_assert_eq!(&x, &want, "{:?}", b);
            let mut y = data.to_vec();
            c.decrypt_blocks(&mut y);
            prop_assert_eq!(&y, &back, "{:?}", b);
            if let Some(first) = data.get(..8) {
                let mut one: [u8; 8] = first.try_into().unwrap();
                c.encrypt_block(&mut one);
                prop_assert_eq!(&one[..], &want[..8]);
                c.decrypt_block(&mut one);
                prop_assert_eq!(&one[..], first);
            }
        }
    }

    #[test]
    fn gost28147_backends_match_portable_and_the_crate(
        key in any::<[u8; 32]>(),
        iv in any::<[u8; 8]>(),
        data in proptest::collection::vec(any::<u8>(), 0..(8 * 80)),
        which in 0usize..6,
    ) {
        let sbox = SBOXES[which];
        let n = data.len() / 8 * 8;
        let blocks = &data[..n];
        let p = Gost28147::with_backend(&key, sbox, Backend::Portable).unwrap();
        let mut want = blocks.to_vec();
        p.ecb_encrypt(&mut want).unwrap();
        if sbox != SBox::CryptoProD {
            prop_assert_eq!(&want, &reference_28147(sbox, &key, blocks, false));
            prop_assert_eq!(
                reference_28147(sbox, &key, &want, true),
                blocks.to_vec()
            );
        }
        // the streaming modes on the portable backend, data fed in two uneven pieces
        let cut = data.len() / 3;
        let stream = |c: &Gost28147| {
            let mut cnt = data.clone();
            let mut s = Gost28147Cnt::new(c, &iv, true).unwrap();
            s.apply_keystream(&mut cnt[..cut]);
            s.apply_keystream(&mut cnt[cut..]);
            let mut cfb = data.clone();
            let mut s = Gost28147Cfb::new(c, &iv, true).unwrap();
            s.encrypt(&mut cfb[..cut]);
            s.encrypt(&mut cfb[cut..]);
            let mut dec = cfb.clone();
            let mut s = Gost28147Cfb::new(c, &iv, true).unwrap();
            s.decrypt(&mut dec[..cut]);
            s.decrypt(&mut dec[cut..]);
            let mut m = Gost28147Mac::new(c, Some(&iv), true).unwrap();
            m.update(&data);
            (cnt, cfb, dec, m.finalize())
        };
        let reference = stream(&p);
        prop_assert_eq!(&reference.2, &data);
        for b in Backend::all_available() {
            let c = Gost28147::with_backend(&key, sbox, b).unwrap();
            let mut x = blocks.to_vec();
            c.ecb_encrypt(&mut x).unwrap();
            prop_assert_eq!(&x, &want, "{:?}", b);
            c.ecb_decrypt(&mut x).unwrap();
            prop_assert_eq!(&x[..], blocks, "{:?}", b);
            prop_assert_eq!(stream(&c), reference.clone(), "{:?}", b);
        }
    }
}

/// Serial single-block speed (each block depends on the previous one, as in CBC/CFB encryption
/// and the MACs) per backend and for the `magma` crate, in ns per block. Informational:
/// `cargo test --release -p gostkit --lib cipher::magma::tests::single_block_timing -- --ignored
/// --nocapture`.
#[test]
#[ignore = "timing report, run by hand in release mode"]
fn single_block_timing() {
    use std::hint::black_box;
    use std::time::Instant;
    const N: u32 = 400_000;
    let key = [0x42u8; 32];
    let median = |mut f: Box<dyn FnMut() -> [u8; 8]>| {
        let mut t: Vec<f64> = (0..5)
            .map(|_| {
                let s = Instant::now();
                black_box(f());
                s.elapsed().as_secs_f64() * 1e9 / f64::from(N)
            })
            .collect();
        t.sort_by(f64::total_cmp);
        t[2]
    };
    for b in Backend::all_available() {
        let c = Magma::with_backend(&key, b).unwrap();
        let ns = median(Box::new(move || {
            let mut x = [7u8; 8];
            for _ in 0..N {
                c.encrypt_block(&mut x);
            }
            x
        }));
        eprintln!("single block {b:?}: {ns:.1} ns/block");
    }
    let r = magma::Magma::new(&Array::from(key));
    let ns = median(Box::new(move || {
        let mut x = Array::from([7u8; 8]);
        for _ in 0..N {
            r.encrypt_block(&mut x);
        }
        x.into()
    }));
    eprintln!("single block magma crate: {ns:.1} ns/block");
}
