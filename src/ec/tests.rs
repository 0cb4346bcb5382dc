//! Property tests of the constant-time field and point arithmetic against num-bigint.

use num_bigint::BigUint;
use proptest::prelude::*;

use super::field::{Fe, limbs_from_le, limbs_to_le};
use super::params::CurveId;
use super::point::{Curve, CurveRef, curve_ref};

fn to_big<const N: usize>(x: &[u64; N]) -> BigUint {
    let mut b = vec![0u8; 8 * N];
    limbs_to_le(x, &mut b);
    BigUint::from_bytes_le(&b)
}

fn from_big<const N: usize>(x: &BigUint) -> [u64; N] {
    let mut b = x.to_bytes_le();
    b.resize(8 * N, 0);
    limbs_from_le::<N>(&b)
}

fn field_ops<const N: usize>(c: &Curve<N>, a: &[u8], b: &[u8]) {
    for m in [&c.fp, &c.fq] {
        let p = to_big(&m.m);
        let x = BigUint::from_bytes_le(a) % &p;
        let y = BigUint::from_bytes_le(b) % &p;
        let fx: Fe<N> = m.to_mont(&from_big(&x));
        let fy: Fe<N> = m.to_mont(&from_big(&y));
        assert_eq!(to_big(&m.retrieve(&m.mul(&fx, &fy))), (&x * &y) % &p);
        assert_eq!(to_big(&m.retrieve(&m.sqr(&fx))), (&x * &x) % &p);
        assert_eq!(m.sqr(&fy), m.mul(&fy, &fy));
        assert_eq!(to_big(&m.retrieve(&m.add(&fx, &fy))), (&x + &y) % &p);
        assert_eq!(to_big(&m.retrieve(&m.sub(&fx, &fy))), (&x + &p - &y) % &p);
        assert_eq!(to_big(&m.retrieve(&m.neg(&fx))), (&p - &x) % &p);
        let inv = to_big(&m.retrieve(&m.invert(&fx)));
        if x != BigUint::ZERO {
            assert_eq!((inv * &x) % &p, BigUint::from(1u32));
        }
        assert_eq!(m.invert_fermat(&fx), m.invert(&fx));
        // raw reduction of any value below R, and of double-width values
        let raw = BigUint::from_bytes_le(a);
        assert_eq!(to_big(&m.reduce(&from_big(&raw))), &raw % &p);
        let hi = BigUint::from_bytes_le(b);
        let wide = (&hi << (64 * N)) + &raw;
        assert_eq!(
            to_big(&m.reduce_wide(&from_big(&raw), &from_big(&hi))),
            wide % &p
        );
    }
}

fn scalar_mult<const N: usize>(c: &Curve<N>, k: &[u8]) {
    let q = to_big(c.q());
    let k = BigUint::from_bytes_le(k) % &q;
    let kl = from_big::<N>(&k);
    // fixed-base table against variable base against double-and-add with the same formulas
    let a = c.to_affine(&c.mul_base(&kl));
    let g = c.lift(&c.g);
    let b = c.to_affine(&c.mul_var(&g, &kl));
    let s = c.to_affine(&c.mul_secret(&c.mul_base(&[5u64; N]), &kl));
    let s2 = c.to_affine(&c.mul_var(&c.mul_base(&[5u64; N]), &kl));
    assert_eq!(bool::from(s.1), bool::from(s2.1));
    if k != BigUint::ZERO {
        assert_eq!((s.0.x, s.0.y), (s2.0.x, s2.0.y));
    }
    assert_eq!(bool::from(a.1), k == BigUint::ZERO);
    assert_eq!(bool::from(b.1), k == BigUint::ZERO);
    if k != BigUint::ZERO {
        assert_eq!(a.0.x, b.0.x);
        assert_eq!(a.0.y, b.0.y);
    }
    let mut acc = c.identity();
    for i in (0..k.bits()).rev() {
        acc = c.double(&acc);
        if k.bit(i) {
            acc = c.add_mixed(&acc, &c.g);
        }
    }
    let d = c.to_affine(&acc);
    // variable-time wNAF path (verification) agrees
    let w = c.to_affine(&c.mul_double_public(&[0u64; N], &kl, &g));
    let w2 = c.to_affine(&c.mul_wnaf_public(&g, &kl));
    assert_eq!((w.0.x, w.0.y), (w2.0.x, w2.0.y));
    assert_eq!(bool::from(w.1), k == BigUint::ZERO);
    if k != BigUint::ZERO {
        assert_eq!(w.0.x, a.0.x);
        assert_eq!(w.0.y, a.0.y);
    }
    if k != BigUint::ZERO {
        assert_eq!(d.0.x, a.0.x);
        assert!(bool::from(c.is_on_curve(&a.0)));
    }
}

/// The verification path u·G + v·P (variable time, table read by index, wNAF in Jacobian or
/// Edwards coordinates) against the constant-time multiplications and a plain double-and-add
/// of P with the complete formulas (the reference ladder).
fn double_scalar<const N: usize>(c: &Curve<N>, u: &[u8], v: &[u8], pk: &[u8]) {
    let q = to_big(c.q());
    let u = from_big::<N>(&(BigUint::from_bytes_le(u) % &q));
    let vb = BigUint::from_bytes_le(v) % &q;
    let v = from_big::<N>(&vb);
    let pk = from_big::<N>(&(BigUint::from_bytes_le(pk) % &q));
    let p = c.mul_base(&pk);
    let fast = c.to_affine(&c.mul_double_public(&u, &v, &p));
    let slow = c.to_affine(&c.add(&c.mul_base(&u), &c.mul_var(&p, &v)));
    let mut acc = c.identity();
    for i in (0..vb.bits()).rev() {
        acc = c.double(&acc);
        if vb.bit(i) {
            acc = c.add(&acc, &p);
        }
    }
    let ladder = c.to_affine(&c.add(&c.mul_base(&u), &acc));
    assert_eq!(bool::from(fast.1), bool::from(slow.1));
    assert_eq!(bool::from(fast.1), bool::from(ladder.1));
    if !bool::from(slow.1) {
        assert_eq!((fast.0.x, fast.0.y), (slow.0.x, slow.0.y));
        assert_eq!((fast.0.x, fast.0.y), (ladder.0.x, ladder.0.y));
    }
}

fn bytes(n: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn field_matches_oracle(a in bytes(64), b in bytes(64), which in 0usize..9) {
        let id = CurveId::ALL[which];
        match curve_ref(id) {
            CurveRef::C4(c) => field_ops(c, &a[..32], &b[..32]),
            CurveRef::C8(c) => field_ops(c, &a, &b),
        }
    }

    #[test]
    fn double_scalar_agrees(u in bytes(64), v in bytes(64), pk in bytes(64), which in 0usize..9) {
        let id = CurveId::ALL[which];
        match curve_ref(id) {
            CurveRef::C4(c) => double_scalar(c, &u[..32], &v[..32], &pk[..32]),
            CurveRef::C8(c) => double_scalar(c, &u, &v, &pk),
        }
    }

    #[test]
    fn scalar_mult_agrees(k in bytes(64), which in 0usize..9) {
        let id = CurveId::ALL[which];
        match curve_ref(id) {
            CurveRef::C4(c) => scalar_mult(c, &k[..32]),
            CurveRef::C8(c) => scalar_mult(c, &k),
        }
    }
}

#[test]
fn edge_scalars() {
    for id in CurveId::ALL {
        match curve_ref(id) {
            CurveRef::C4(c) => edges(c),
            CurveRef::C8(c) => edges(c),
        }
    }
}

fn edges<const N: usize>(c: &Curve<N>) {
    let q = to_big(c.q());
    // squaring against multiplication on the extreme residues (carry chains all ones)
    for m in [&c.fp, &c.fq] {
        let mm = to_big(&m.m);
        for x in [
            &mm - 1u32,
            &mm - 2u32,
            BigUint::from(1u32),
            BigUint::ZERO,
            BigUint::from(1u32) << (64 * N - 1),
            (BigUint::from(1u32) << (64 * N - 1)) - 1u32,
        ] {
            let fx: Fe<N> = m.to_mont(&from_big(&(&x % &mm)));
            assert_eq!(m.sqr(&fx), m.mul(&fx, &fx));
            assert_eq!(to_big(&m.retrieve(&m.sqr(&fx))), (&x * &x) % &mm);
        }
    }
    // the verification path where u·G and v·P cancel or coincide (u = −v·k, u = v·k for P = k·G)
    // and with u or v zero or one
    let k = BigUint::from(7u32);
    for (u, v) in [
        (BigUint::ZERO, BigUint::from(1u32)),
        (BigUint::from(1u32), BigUint::ZERO),
        (&q - 7u32, BigUint::from(1u32)),
        (BigUint::from(7u32), BigUint::from(1u32)),
        (&q - 14u32, BigUint::from(2u32)),
        (BigUint::from(35u32), BigUint::from(5u32)),
        (BigUint::ZERO, BigUint::ZERO),
    ] {
        let le = |x: &BigUint| {
            let mut v = x.to_bytes_le();
            v.resize(8 * N, 0);
            v
        };
        double_scalar(c, &le(&u), &le(&v), &le(&k));
    }
    for k in [
        BigUint::from(1u32),
        BigUint::from(2u32),
        BigUint::from(16u32),
        &q - 1u32,
        &q - 2u32,
    ] {
        scalar_mult(c, &{
            let mut v = k.to_bytes_le();
            v.resize(8 * N, 0);
            v
        });
    }
    // q·G = O for both multiplication routines
    let g = c.lift(&c.g);
    assert!(bool::from(c.is_identity(&c.mul_var(&g, c.q()))));
    assert!(bool::from(c.is_identity(&c.mul_base(c.q()))));
    // P + (−P) = O and O + O = O with the complete formulas
    assert!(bool::from(c.is_identity(&c.add(&g, &c.neg(&g)))));
    assert!(bool::from(
        c.is_identity(&c.add(&c.identity(), &c.identity()))
    ));
    assert!(bool::from(c.is_identity(&c.double(&c.identity()))));
    assert!(bool::from(c.is_identity(&c.double4(&c.identity()))));
    let mut p16 = g;
    for _ in 0..4 {
        p16 = c.double(&p16);
    }
    let (a, _) = c.to_affine(&p16);
    let (b, _) = c.to_affine(&c.double4(&g));
    assert_eq!((a.x, a.y), (b.x, b.y));
}
