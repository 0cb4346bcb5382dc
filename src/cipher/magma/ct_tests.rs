//! Constant-time evidence under valgrind memcheck (the ctgrind technique, as `ec::ct_tests`): the
//! key and the data are marked undefined, then key expansion, single-block and multi-block
//! encryption and decryption, GOST 28147-89 key meshing, CNT, CFB and the MAC run on them with
//! each backend this CPU has. Memcheck reports every conditional jump or memory address that
//! depends on undefined data. Ignored in normal runs; `scripts/ct-check.sh` runs it under
//! valgrind (without valgrind the client requests are no-ops). x86_64 only.

#[cfg(target_arch = "x86_64")]
mod imp {
    use super::super::Backend;
    use crate::cipher::gost28147::{Gost28147, Gost28147Cfb, Gost28147Cnt, Gost28147Mac, SBox};
    use crate::cipher::{BlockCipher, Magma};

    use crate::ctgrind::{poison, unpoison};

    fn secrets(seed: u8) -> ([u8; 32], Vec<u8>) {
        let mut key = [0u8; 32];
        for (i, b) in key.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(seed);
        }
        // 300 blocks: full batches and a tail; more than one 1 KiB meshing interval
        let data: Vec<u8> = (0..2400u32)
            .map(|i| (i * 13 + u32::from(seed)) as u8)
            .collect();
        poison(&key);
        poison(&data[..]);
        (key, data)
    }

    fn magma(b: Backend) {
        let (key, data) = secrets(3);
        let c = Magma::with_backend(&key, b).unwrap();
        let mut one: [u8; 8] = data[..8].try_into().unwrap();
        c.encrypt_block(&mut one);
        c.decrypt_block(&mut one);
        let mut many = data.clone();
        c.encrypt_blocks(&mut many);
        c.decrypt_blocks(&mut many);
        unpoison(&one);
        unpoison(&many[..]);
        unpoison(&data[..]);
        assert_eq!(&one[..], &data[..8]);
        assert_eq!(many, data);
    }

    fn gost28147(b: Backend, sbox: SBox) {
        let (key, data) = secrets(5);
        let iv = [0x11u8; 8];
        let c = Gost28147::with_backend(&key, sbox, b).unwrap();
        let mut ecb = data.clone();
        c.ecb_encrypt(&mut ecb).unwrap();
        c.ecb_decrypt(&mut ecb).unwrap();
        let mut cnt = data.clone();
        Gost28147Cnt::new(&c, &iv, true)
            .unwrap()
            .apply_keystream(&mut cnt);
        let mut cfb = data.clone();
        Gost28147Cfb::new(&c, &iv, true).unwrap().encrypt(&mut cfb);
        let mut dec = cfb.clone();
        Gost28147Cfb::new(&c, &iv, true).unwrap().decrypt(&mut dec);
        let mut m = Gost28147Mac::new(&c, Some(&iv), true).unwrap();
        m.update(&data);
        let mac = m.finalize();
        for v in [&ecb[..], &cnt[..], &cfb[..], &dec[..], &mac[..], &data[..]] {
            unpoison(v);
        }
        assert_eq!(ecb, data);
        assert_eq!(dec, data);
        assert_ne!(cnt, data);
    }

    #[test]
    #[ignore = "run under valgrind by scripts/ct-check.sh"]
    fn magma_and_gost28147_under_memcheck() {
        let backends = Backend::all_available();
        assert!(backends.len() >= 2 || !cfg!(target_feature = "sse2"));
        for b in backends {
            eprintln!("magma ct check: backend {b:?}");
            magma(b);
            gost28147(b, SBox::CryptoProA);
            gost28147(b, SBox::Tc26Z);
        }
    }
}
