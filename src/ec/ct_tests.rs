//! Constant-time evidence under valgrind memcheck (the ctgrind technique): secret scalars are
//! marked as undefined memory, then key generation (fixed-base multiplication), VKO
//! (variable-base multiplication), the return to affine coordinates and the signing arithmetic
//! mod q run on them. Memcheck reports every conditional jump or memory address that depends on
//! undefined data, i.e. on the secret. Results are marked defined again before being compared.
//!
//! Ignored in normal runs; `scripts/ct-check.sh` runs it under valgrind. Without valgrind the client
//! requests are no-ops and the test just exercises the code. x86_64 only (the client-request
//! sequence is architecture-specific); the HMAC-Streebog nonce derivation is not covered (the
//! `streebog` crate is table-based).

#[cfg(target_arch = "x86_64")]
mod imp {
    use crate::ec::field::{Fe, limbs_from_le};
    use crate::ec::params::CurveId;
    use crate::ec::point::{Curve, CurveRef, curve_ref};

    use crate::ctgrind::{poison, unpoison};

    fn run<const N: usize>(c: &Curve<N>, seed: u8) {
        let mut bytes = [0u8; 64];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(seed);
        }
        let wide_lo = limbs_from_le::<N>(&bytes[..8 * N]);
        let wide_hi = limbs_from_le::<N>(&bytes[64 - 8 * N..]);
        // the table and the peer point are public: build them before poisoning
        let peer = c.mul_base(&[3u64; N]);
        poison(&wide_lo);
        poison(&wide_hi);
        // nonce / key reduction from DRBG output
        let k = c.fq.reduce_wide(&wide_lo, &wide_hi);
        let d = c.fq.reduce(&wide_hi);
        // key generation and k·G
        let kg = c.mul_base(&k);
        let (kg_aff, _) = c.to_affine(&kg);
        // VKO: (cofactor·UKM·d mod q)·Y
        let t = c.fq.mul(&c.fq.to_mont(&d), &c.fq.small(c.cofactor));
        let scalar = c.fq.retrieve(&t);
        let shared = c.mul_secret(&peer, &scalar);
        let (sh_aff, _) = c.to_affine(&shared);
        // s = r·d + k·e mod q with a public r and e
        let r: Fe<N> = c.fq.small(12345);
        let e: Fe<N> = c.fq.small(678);
        let s = c.fq.add(
            &c.fq.mul(&r, &c.fq.to_mont(&d)),
            &c.fq.mul(&c.fq.to_mont(&k), &e),
        );
        let s_plain = c.fq.retrieve(&s);
        unpoison(&kg_aff);
        unpoison(&sh_aff);
        unpoison(&s_plain);
        unpoison(&k);
        unpoison(&d);
        unpoison(&wide_lo);
        unpoison(&wide_hi);
        // the computation is still checked for correctness against the variable-base path
        let (again, _) = c.to_affine(&c.mul_var(&c.lift(&c.g), &k));
        assert_eq!(again.x, kg_aff.x);
        assert!(bool::from(c.is_on_curve(&sh_aff)));
        assert!(s_plain.iter().any(|w| *w != 0));
    }

    #[test]
    #[ignore = "run under valgrind by scripts/ct-check.sh"]
    fn secret_scalars_under_memcheck() {
        for id in [
            CurveId::CryptoProA,
            CurveId::Tc26_256A,
            CurveId::Tc26_512A,
            CurveId::Tc26_512C,
        ] {
            match curve_ref(id) {
                CurveRef::C4(c) => run(c, 7),
                CurveRef::C8(c) => run(c, 9),
            }
        }
    }
}
