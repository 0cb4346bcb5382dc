//! GOST R 34.10-2012 signatures, keys and VKO against the official examples, the parameter table
//! against an independent num-bigint oracle, and the rejection paths.

mod common;

use common::{h, s, vectors};
use gostkit::ec::{
    CurveId, EcError, ParamSet, SigningKey, VerifyingKey, vko_2001, vko_2012_256, vko_2012_512,
};
use num_bigint::BigUint;

// ---- num-bigint oracle (independent of the library's arithmetic) ----------------------------

fn big(hex: &str) -> BigUint {
    let clean: String = hex.chars().filter(|c| !c.is_whitespace()).collect();
    BigUint::parse_bytes(clean.as_bytes(), 16).expect("hex")
}

fn modp(x: &BigUint, p: &BigUint) -> BigUint {
    x % p
}

fn sub_mod(a: &BigUint, b: &BigUint, p: &BigUint) -> BigUint {
    (a + p - (b % p)) % p
}

fn inv_mod(a: &BigUint, p: &BigUint) -> BigUint {
    a.modpow(&(p - 2u32), p)
}

/// Jacobian point (X, Y, Z); Z = 0 is the identity.
#[derive(Clone)]
struct J {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

struct OCurve {
    p: BigUint,
    a: BigUint,
    b: BigUint,
}

impl OCurve {
    fn dbl(&self, pt: &J) -> J {
        let p = &self.p;
        if pt.z == BigUint::ZERO || pt.y == BigUint::ZERO {
            return J {
                x: 1u32.into(),
                y: 1u32.into(),
                z: BigUint::ZERO,
            };
        }
        let yy = modp(&(&pt.y * &pt.y), p);
        let s = modp(&(4u32 * &pt.x * &yy), p);
        let zz = modp(&(&pt.z * &pt.z), p);
        let m = modp(&(3u32 * &pt.x * &pt.x + &self.a * &zz * &zz), p);
        let x3 = sub_mod(&modp(&(&m * &m), p), &modp(&(2u32 * &s), p), p);
        let y3 = sub_mod(
            &modp(&(&m * sub_mod(&s, &x3, p)), p),
            &modp(&(8u32 * &yy * &yy), p),
            p,
        );
        let z3 = modp(&(2u32 * &pt.y * &pt.z), p);
        J {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn add(&self, a: &J, b: &J) -> J {
        let p = &self.p;
        if a.z == BigUint::ZERO {
            return b.clone();
        }
        if b.z == BigUint::ZERO {
            return a.clone();
        }
        let z1z1 = modp(&(&a.z * &a.z), p);
        let z2z2 = modp(&(&b.z * &b.z), p);
        let u1 = modp(&(&a.x * &z2z2), p);
        let u2 = modp(&(&b.x * &z1z1), p);
        let s1 = modp(&(&a.y * &b.z * &z2z2), p);
        let s2 = modp(&(&b.y * &a.z * &z1z1), p);
        if u1 == u2 {
            if s1 == s2 {
                return self.dbl(a);
            }
            return J {
                x: 1u32.into(),
                y: 1u32.into(),
                z: BigUint::ZERO,
            };
        }
        let hh = sub_mod(&u2, &u1, p);
        let r = sub_mod(&s2, &s1, p);
        let h2 = modp(&(&hh * &hh), p);
        let h3 = modp(&(&h2 * &hh), p);
        let u1h2 = modp(&(&u1 * &h2), p);
        let x3 = sub_mod(
            &sub_mod(&modp(&(&r * &r), p), &h3, p),
            &modp(&(2u32 * &u1h2), p),
            p,
        );
        let y3 = sub_mod(
            &modp(&(&r * sub_mod(&u1h2, &x3, p)), p),
            &modp(&(&s1 * &h3), p),
            p,
        );
        let z3 = modp(&(&a.z * &b.z * &hh), p);
        J {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    fn mul(&self, k: &BigUint, x: &BigUint, y: &BigUint) -> J {
        let base = J {
            x: x.clone(),
            y: y.clone(),
            z: 1u32.into(),
        };
        let mut acc = J {
            x: 1u32.into(),
            y: 1u32.into(),
            z: BigUint::ZERO,
        };
        for i in (0..k.bits()).rev() {
            acc = self.dbl(&acc);
            if k.bit(i) {
                acc = self.add(&acc, &base);
            }
        }
        acc
    }

    fn affine(&self, pt: &J) -> Option<(BigUint, BigUint)> {
        if pt.z == BigUint::ZERO {
            return None;
        }
        let zi = inv_mod(&pt.z, &self.p);
        let zi2 = modp(&(&zi * &zi), &self.p);
        Some((
            modp(&(&pt.x * &zi2), &self.p),
            modp(&(&pt.y * &zi2 * &zi), &self.p),
        ))
    }

    fn on_curve(&self, x: &BigUint, y: &BigUint) -> bool {
        let p = &self.p;
        modp(&(y * y), p) == modp(&(x * x * x + &self.a * x + &self.b), p)
    }
}

fn oracle(id: CurveId) -> (OCurve, BigUint, BigUint, BigUint) {
    let c = id.params();
    (
        OCurve {
            p: big(c.p),
            a: big(c.a),
            b: big(c.b),
        },
        big(c.q),
        big(c.x),
        big(c.y),
    )
}

/// Miller–Rabin with 24 fixed bases (the numbers are public constants).
fn is_probable_prime(n: &BigUint) -> bool {
    let one = BigUint::from(1u32);
    let nm1 = n - &one;
    let s = nm1.trailing_zeros().expect("n > 1");
    let d = &nm1 >> s;
    let bases = [
        2u32, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83,
        89,
    ];
    'outer: for b in bases {
        let mut x = BigUint::from(b).modpow(&d, n);
        if x == one || x == nm1 {
            continue;
        }
        for _ in 1..s {
            x = x.modpow(&BigUint::from(2u32), n);
            if x == nm1 {
                continue 'outer;
            }
        }
        return false;
    }
    true
}

fn le_bytes(x: &BigUint, size: usize) -> Vec<u8> {
    let mut v = x.to_bytes_le();
    v.resize(size, 0);
    v
}

#[test]
fn parameter_sets_are_sound() {
    for id in CurveId::ALL {
        let prm = id.params();
        let (c, q, gx, gy) = oracle(id);
        assert!(
            c.p.bits() as usize <= prm.bits && c.p.bits() as usize > prm.bits - 8,
            "{id:?}: p size"
        );
        assert!(is_probable_prime(&c.p), "{id:?}: p not prime");
        assert!(is_probable_prime(&q), "{id:?}: q not prime");
        assert!(c.on_curve(&gx, &gy), "{id:?}: base point not on curve");
        assert!(c.mul(&q, &gx, &gy).z == BigUint::ZERO, "{id:?}: q·P != O");
        assert!(
            c.mul(&(&q - 1u32), &gx, &gy).z != BigUint::ZERO,
            "{id:?}: (q-1)·P = O"
        );
        // Hasse bound: |p + 1 − m| ≤ 2√p with m = cofactor·q.
        let m = &q * BigUint::from(prm.cofactor);
        let t = if &c.p + 1u32 > m {
            &c.p + 1u32 - &m
        } else {
            &m - &c.p - 1u32
        };
        assert!(
            &t * &t <= 4u32 * &c.p,
            "{id:?}: group order outside the Hasse bound"
        );
        if let Some(ed) = prm.edwards {
            let p = &c.p;
            let (e, d, u, v) = (big(ed.e), big(ed.d), big(ed.u), big(ed.v));
            // (u, v) on e·u² + v² = 1 + d·u²·v²
            let lhs = modp(&(&e * &u * &u + &v * &v), p);
            let rhs = modp(&(1u32 + &d * &u * &u * &v * &v), p);
            assert_eq!(
                lhs, rhs,
                "{id:?}: Edwards base point not on the Edwards curve"
            );
            let s = modp(&(sub_mod(&e, &d, p) * inv_mod(&4u32.into(), p)), p);
            let t = modp(&((&e + &d) * inv_mod(&6u32.into(), p)), p);
            let one_m_v = sub_mod(&1u32.into(), &v, p);
            let num = modp(&(&s * (1u32 + &v)), p);
            let x = modp(&(&num * inv_mod(&one_m_v, p) + &t), p);
            let y = modp(&(&num * inv_mod(&modp(&(&one_m_v * &u), p), p)), p);
            assert_eq!(
                (x, y),
                (gx.clone(), gy.clone()),
                "{id:?}: Edwards→Weierstrass mismatch"
            );
            // a = s² − 3t², b = 2t³ − t·s²
            let s2 = modp(&(&s * &s), p);
            let t2 = modp(&(&t * &t), p);
            assert_eq!(
                sub_mod(&s2, &modp(&(3u32 * &t2), p), p),
                c.a,
                "{id:?}: a from (e, d)"
            );
            assert_eq!(
                sub_mod(&modp(&(2u32 * &t2 * &t), p), &modp(&(&t * &s2), p), p),
                c.b,
                "{id:?}: b from (e, d)"
            );
        }
    }
}

#[test]
fn param_set_names_and_oids() {
    let expected = [
        ("1.2.643.2.2.35.0", CurveId::Test256, None),
        ("1.2.643.2.2.35.1", CurveId::CryptoProA, Some("cryptopro-a")),
        ("1.2.643.2.2.35.2", CurveId::CryptoProB, Some("cryptopro-b")),
        ("1.2.643.2.2.35.3", CurveId::CryptoProC, Some("cryptopro-c")),
        (
            "1.2.643.2.2.36.0",
            CurveId::CryptoProA,
            Some("cryptopro-xcha"),
        ),
        (
            "1.2.643.2.2.36.1",
            CurveId::CryptoProC,
            Some("cryptopro-xchb"),
        ),
        (
            "1.2.643.7.1.2.1.1.1",
            CurveId::Tc26_256A,
            Some("tc26-256-a"),
        ),
        (
            "1.2.643.7.1.2.1.1.2",
            CurveId::CryptoProA,
            Some("tc26-256-b"),
        ),
        (
            "1.2.643.7.1.2.1.1.3",
            CurveId::CryptoProB,
            Some("tc26-256-c"),
        ),
        (
            "1.2.643.7.1.2.1.1.4",
            CurveId::CryptoProC,
            Some("tc26-256-d"),
        ),
        ("1.2.643.7.1.2.1.2.0", CurveId::Test512, None),
        (
            "1.2.643.7.1.2.1.2.1",
            CurveId::Tc26_512A,
            Some("tc26-512-a"),
        ),
        (
            "1.2.643.7.1.2.1.2.2",
            CurveId::Tc26_512B,
            Some("tc26-512-b"),
        ),
        (
            "1.2.643.7.1.2.1.2.3",
            CurveId::Tc26_512C,
            Some("tc26-512-c"),
        ),
    ];
    assert_eq!(ParamSet::ALL.len(), expected.len());
    for (oid, curve, cli) in expected {
        let set = ParamSet::from_oid(oid).unwrap_or_else(|| panic!("{oid} unknown"));
        assert_eq!(set.oid(), oid);
        assert_eq!(set.curve(), curve, "{oid}");
        assert_eq!(set.cli_name(), cli, "{oid}");
        if let Some(n) = cli {
            assert_eq!(ParamSet::from_name(n), Some(set));
        }
        assert_eq!(ParamSet::from_name(set.name()), Some(set));
    }
    assert_eq!(ParamSet::from_oid("1.2.643.2.2.35.9"), None);
}

// ---- official signature examples ----------------------------------------------------------

#[test]
fn gost3410_2012_examples() {
    for v in vectors("gost3410.toml") {
        let set = ParamSet::from_oid(s(&v, "param_set")).expect("param set");
        let size = set.bits() / 8;
        let key = SigningKey::from_bytes(set, &h(&v, "private_key_bytes")).expect("private key");
        // the encodings agree with the printed numbers
        let mut d_le = h(&v, "d_be");
        d_le.reverse();
        assert_eq!(&key.to_bytes()[..], &d_le[..]);
        let mut q = h(&v, "qx_be");
        q.reverse();
        let mut qy = h(&v, "qy_be");
        qy.reverse();
        q.extend_from_slice(&qy);
        assert_eq!(q, h(&v, "public_key_bytes"));
        // Q = d·P
        assert_eq!(
            key.verifying_key().as_bytes(),
            &q[..],
            "{}: public key",
            s(&v, "name")
        );
        assert_eq!(key.verifying_key().param_set(), set);
        // e = LE(digest)
        let mut e = h(&v, "e_be");
        e.reverse();
        let digest = h(&v, "digest_bytes");
        assert_eq!(e, digest);
        let sig = key
            .sign_digest_with_fixed_k(&digest, &h(&v, "k_be"))
            .expect("sign");
        let mut want = h(&v, "s_be");
        want.extend_from_slice(&h(&v, "r_be"));
        assert_eq!(want, h(&v, "signature_bytes"));
        assert_eq!(sig, want, "{}: signature", s(&v, "name"));
        assert_eq!(sig.len(), 2 * size);
        // verification of the official signature by an imported key
        let vk = VerifyingKey::from_bytes(set, &q).expect("public key import");
        vk.verify_digest(&digest, &want)
            .expect("official signature verifies");
        // a different digest fails
        let mut bad = digest.clone();
        bad[0] ^= 1;
        assert_eq!(
            vk.verify_digest(&bad, &want),
            Err(EcError::VerificationFailed)
        );
        // hedged signatures verify and differ from each other
        let s1 = key.sign_digest(&digest).expect("sign");
        let s2 = key.sign_digest(&digest).expect("sign");
        assert_ne!(s1, s2);
        vk.verify_digest(&digest, &s1)
            .expect("hedged signature verifies");
        vk.verify_digest(&digest, &s2)
            .expect("hedged signature verifies");
    }
}

#[test]
fn sign_verify_every_param_set() {
    for set in ParamSet::ALL {
        let key = SigningKey::generate_with_entropy(set, b"mouse moves").expect("keygen");
        assert_eq!(key.param_set(), set);
        let msg = b"gostkit sign/verify round trip";
        let sig = key.sign(msg).expect("sign");
        assert_eq!(sig.len(), set.bits() / 4);
        let vk = VerifyingKey::from_bytes(set, key.verifying_key().as_bytes()).expect("import");
        vk.verify(msg, &sig).expect("verify");
        assert_eq!(
            vk.verify(b"other message", &sig),
            Err(EcError::VerificationFailed)
        );
        // round trip of the private key
        let again = SigningKey::from_bytes(set, &key.to_bytes()).expect("reimport");
        assert_eq!(again.verifying_key(), key.verifying_key());
        // r or s out of range
        let size = set.bits() / 8;
        let mut zero_r = sig.clone();
        zero_r[size..].fill(0);
        assert_eq!(vk.verify(msg, &zero_r), Err(EcError::MalformedSignature));
        let mut big_s = sig.clone();
        big_s[..size].fill(0xff);
        assert_eq!(vk.verify(msg, &big_s), Err(EcError::MalformedSignature));
        // Debug never shows d
        let dbg = format!("{key:?}");
        assert!(dbg.contains("hidden"));
        let d_hex: String = key.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert!(!dbg.contains(&d_hex));
    }
}

#[test]
fn gost2001_verification_with_gost94() {
    let set = ParamSet::CryptoProA;
    let key = SigningKey::generate(set).expect("keygen");
    let msg = b"GOST R 34.10-2001 document";
    let digest = gostkit::hash::Gost94::digest(msg);
    let sig = key.sign_digest(&digest).expect("sign");
    key.verifying_key()
        .verify_gost2001(msg, &sig)
        .expect("2001 verification");
    assert_eq!(
        key.verifying_key().verify(msg, &sig),
        Err(EcError::VerificationFailed)
    );
    let k512 = SigningKey::generate(ParamSet::Tc26_512A).expect("keygen");
    assert!(matches!(
        k512.verifying_key().verify_gost2001(msg, &sig),
        Err(EcError::UnsupportedParamSet { .. })
    ));
}

#[test]
fn one_curve_many_oids() {
    let key = SigningKey::generate(ParamSet::CryptoProXchA).expect("keygen");
    let vk = key
        .verifying_key()
        .with_param_set(ParamSet::Tc26_256B)
        .expect("same curve");
    assert_eq!(vk.param_set(), ParamSet::Tc26_256B);
    assert_eq!(key.verifying_key().param_set(), ParamSet::CryptoProXchA);
    let sig = key.sign(b"m").expect("sign");
    vk.verify(b"m", &sig).expect("same curve, other OID");
    assert!(
        key.verifying_key()
            .with_param_set(ParamSet::Tc26_256A)
            .is_err()
    );
}

#[test]
fn rejects_bad_keys_and_lengths() {
    for set in [
        ParamSet::CryptoProA,
        ParamSet::Tc26_256A,
        ParamSet::Tc26_512C,
    ] {
        let id = set.curve();
        let size = set.bits() / 8;
        let (c, q, gx, gy) = oracle(id);
        assert_eq!(
            SigningKey::from_bytes(set, &vec![0u8; size]).err(),
            Some(EcError::InvalidPrivateKey)
        );
        assert_eq!(
            SigningKey::from_bytes(set, &le_bytes(&q, size)).err(),
            Some(EcError::InvalidPrivateKey)
        );
        assert!(SigningKey::from_bytes(set, &le_bytes(&(&q - 1u32), size)).is_ok());
        assert!(matches!(
            SigningKey::from_bytes(set, &[1u8; 5]),
            Err(EcError::InvalidLength { .. })
        ));
        // off-curve point
        let mut xy = le_bytes(&gx, size);
        xy.extend(le_bytes(&((&gy + 1u32) % &c.p), size));
        assert!(matches!(
            VerifyingKey::from_bytes(set, &xy),
            Err(EcError::InvalidPublicKey { .. })
        ));
        // coordinate ≥ p
        let mut xy = le_bytes(&(&gx + &c.p), size + 1);
        xy.truncate(size);
        if &gx + &c.p < BigUint::from(1u32) << (8 * size) {
            xy.extend(le_bytes(&gy, size));
            assert!(matches!(
                VerifyingKey::from_bytes(set, &xy),
                Err(EcError::InvalidPublicKey { .. })
            ));
        }
        assert!(matches!(
            VerifyingKey::from_bytes(set, &[0u8; 3]),
            Err(EcError::InvalidLength { .. })
        ));
        let key = SigningKey::generate(set).expect("keygen");
        assert!(matches!(
            key.sign_digest(&[0u8; 7]),
            Err(EcError::InvalidLength { .. })
        ));
        assert!(matches!(
            key.verifying_key()
                .verify_digest(&vec![0u8; size], &[0u8; 9]),
            Err(EcError::InvalidLength { .. })
        ));
        // a point on the curve outside the subgroup (cofactor-4 curves): find one by search.
        let prm = id.params();
        if prm.cofactor > 1 {
            let p = &c.p;
            assert_eq!(p % 4u32, BigUint::from(3u32));
            let mut x = BigUint::from(1u32);
            loop {
                let rhs = modp(&(&x * &x * &x + &c.a * &x + &c.b), p);
                let y = rhs.modpow(&((p + 1u32) >> 2), p);
                if modp(&(&y * &y), p) == rhs && c.mul(&q, &x, &y).z != BigUint::ZERO {
                    let mut xy = le_bytes(&x, size);
                    xy.extend(le_bytes(&y, size));
                    assert_eq!(
                        VerifyingKey::from_bytes(set, &xy).err(),
                        Some(EcError::InvalidPublicKey {
                            reason: "point not in the subgroup of order q"
                        })
                    );
                    break;
                }
                x += 1u32;
            }
        }
    }
}

#[test]
fn public_keys_match_oracle_on_every_curve() {
    // d·P by the library against the num-bigint oracle, a few keys per curve.
    for set in ParamSet::ALL {
        let (c, _q, gx, gy) = oracle(set.curve());
        let size = set.bits() / 8;
        for _ in 0..3 {
            let key = SigningKey::generate(set).expect("keygen");
            let d = BigUint::from_bytes_le(&key.to_bytes());
            let (x, y) = c.affine(&c.mul(&d, &gx, &gy)).expect("not identity");
            let mut want = le_bytes(&x, size);
            want.extend(le_bytes(&y, size));
            assert_eq!(key.verifying_key().as_bytes(), &want[..], "{set:?}");
        }
    }
}

// ---- VKO -----------------------------------------------------------------------------------

#[test]
fn vko_examples() {
    for v in vectors("vko.toml") {
        let set = ParamSet::from_oid(s(&v, "param_set")).expect("param set");
        let a = SigningKey::from_bytes(set, &h(&v, "private_key_a_bytes")).expect("key a");
        let b = SigningKey::from_bytes(set, &h(&v, "private_key_b_bytes")).expect("key b");
        if let Some(pa) = common::oh(&v, "public_key_a_bytes") {
            assert_eq!(a.verifying_key().as_bytes(), &pa[..]);
        }
        if let Some(pb) = common::oh(&v, "public_key_b_bytes") {
            assert_eq!(b.verifying_key().as_bytes(), &pb[..]);
        }
        let ukm = h(&v, "ukm_bytes");
        let kek = h(&v, "kek_bytes");
        let (ab, ba): (Vec<u8>, Vec<u8>) = match s(&v, "alg") {
            "vko_2012_256" => (
                vko_2012_256(&a, b.verifying_key(), &ukm)
                    .expect("vko")
                    .to_vec(),
                vko_2012_256(&b, a.verifying_key(), &ukm)
                    .expect("vko")
                    .to_vec(),
            ),
            "vko_2012_512" => (
                vko_2012_512(&a, b.verifying_key(), &ukm)
                    .expect("vko")
                    .to_vec(),
                vko_2012_512(&b, a.verifying_key(), &ukm)
                    .expect("vko")
                    .to_vec(),
            ),
            "vko_2001" => (
                vko_2001(&a, b.verifying_key(), &ukm).expect("vko").to_vec(),
                vko_2001(&b, a.verifying_key(), &ukm).expect("vko").to_vec(),
            ),
            other => panic!("unknown alg {other}"),
        };
        assert_eq!(ab, kek, "{}", s(&v, "alg"));
        assert_eq!(ba, kek, "{}", s(&v, "alg"));
    }
}

#[test]
fn vko_agrees_on_every_param_set() {
    for set in ParamSet::ALL {
        let a = SigningKey::generate(set).expect("keygen");
        let b = SigningKey::generate(set).expect("keygen");
        let ukm = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let k1 = vko_2012_256(&a, b.verifying_key(), &ukm).expect("vko");
        let k2 = vko_2012_256(&b, a.verifying_key(), &ukm).expect("vko");
        assert_eq!(*k1, *k2, "{set:?}");
        let k3 = vko_2012_512(&a, b.verifying_key(), &ukm).expect("vko");
        let k4 = vko_2012_512(&b, a.verifying_key(), &ukm).expect("vko");
        assert_eq!(*k3, *k4, "{set:?}");
        // oracle: K = (m/q·UKM·x mod q)·(y·P)
        let (c, q, gx, gy) = oracle(set.curve());
        let size = set.bits() / 8;
        let x = BigUint::from_bytes_le(&a.to_bytes());
        let y = BigUint::from_bytes_le(&b.to_bytes());
        let u = BigUint::from_bytes_le(&ukm);
        let m = BigUint::from(set.params().cofactor);
        let sc = (m * u * x) % &q;
        let yp = c.affine(&c.mul(&y, &gx, &gy)).expect("yP");
        let (kx, ky) = c.affine(&c.mul(&sc, &yp.0, &yp.1)).expect("K");
        let mut enc = le_bytes(&kx, size);
        enc.extend(le_bytes(&ky, size));
        assert_eq!(*k1, gostkit::hash::Streebog256::digest(&enc), "{set:?}");
        let other = if set.bits() == 256 {
            ParamSet::Tc26_512A
        } else {
            ParamSet::CryptoProA
        };
        let c = SigningKey::generate(other).expect("keygen");
        assert!(matches!(
            vko_2012_256(&a, c.verifying_key(), &ukm),
            Err(EcError::UnsupportedParamSet { .. })
        ));
        assert!(matches!(
            vko_2012_256(&a, b.verifying_key(), &[]),
            Err(EcError::InvalidLength { .. })
        ));
    }
}

#[test]
fn base_point_multiplications_rfc8133() {
    let vs = vectors("ec-mul.toml");
    assert!(vs.len() >= 13);
    for v in vs {
        let set = ParamSet::from_oid(s(&v, "param_set")).expect("param set");
        let size = set.bits() / 8;
        let mut k = h(&v, "k_be");
        k.reverse();
        let key = SigningKey::from_bytes(set, &k).expect("k is a valid scalar");
        let mut want = h(&v, "x_be");
        want.reverse();
        let mut y = h(&v, "y_be");
        y.reverse();
        want.extend(y);
        assert_eq!(want.len(), 2 * size);
        assert_eq!(key.verifying_key().as_bytes(), &want[..], "{set:?}");
    }
}
