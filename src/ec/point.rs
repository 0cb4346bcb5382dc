//! Point arithmetic on `y² = x³ + a·x + b` in projective coordinates with the complete addition
//! formulas of Renes–Costello–Batina 2016 (Algorithms 1–3 for general a, with cheaper
//! multiplication by a when a = −3), and the scalar multiplications built on them.
//!
//! The formulas have no exceptional case for points of odd order, which covers every point of the
//! prime-order subgroup — also on tc26-256-A / tc26-512-C (cofactor 4), whose base points and
//! validated public keys lie in that subgroup; on those two curves the secret multiplications run
//! in extended Edwards coordinates instead (`edwards`). Secret scalars: fixed-base k·G with
//! signed 6-bit windows over a table of the base point built on first use, variable-base k·P with
//! signed 4-bit windows (runs of four doublings done in Jacobian coordinates); every table entry is
//! read with constant-time selection, no table index or branch depends on a secret. Verification
//! (public data) uses a variable-time width-5 NAF in Jacobian coordinates. The subgroup check of
//! imported keys always runs on the Weierstrass form. Hand-written: no crate
//! offers arithmetic for the GOST curves.

use std::sync::OnceLock;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::edwards::{EdAffine, EdData};
use super::field::{Fe, Modulus, eq_mask, limbs_from_hex};
use super::params::CurveId;

/// A point in projective coordinates (X:Y:Z); the identity is (0:1:0).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Point<const N: usize> {
    pub(crate) x: Fe<N>,
    pub(crate) y: Fe<N>,
    pub(crate) z: Fe<N>,
}

/// An affine point (never the identity).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Affine<const N: usize> {
    pub(crate) x: Fe<N>,
    pub(crate) y: Fe<N>,
}

impl<const N: usize> ConditionallySelectable for Point<N> {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        Point {
            x: Fe::conditional_select(&a.x, &b.x, c),
            y: Fe::conditional_select(&a.y, &b.y, c),
            z: Fe::conditional_select(&a.z, &b.z, c),
        }
    }
}

impl<const N: usize> ConditionallySelectable for Affine<N> {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        Affine {
            x: Fe::conditional_select(&a.x, &b.x, c),
            y: Fe::conditional_select(&a.y, &b.y, c),
        }
    }
}

impl<const N: usize> Zeroize for Point<N> {
    fn zeroize(&mut self) {
        self.x.zeroize();
        self.y.zeroize();
        self.z.zeroize();
    }
}

/// Number of signed 4-bit digits of an N-limb scalar.
/// Window width of the fixed-base table: signed 6-bit digits, entries 1·B … 32·B per row.
const BASE_W: usize = 6;
const BASE_ENTRIES: usize = 1 << (BASE_W - 1);

/// Number of signed 6-bit digits (rows of the base table) of an N-limb scalar.
const fn base_digits_len(n: usize) -> usize {
    (64 * n).div_ceil(BASE_W) + 1
}

pub(crate) const fn digits_len(n: usize) -> usize {
    16 * n + 1
}

/// A curve ready for arithmetic: both moduli, the coefficients in Montgomery form, the base point.
pub(crate) struct Curve<const N: usize> {
    pub(crate) fp: Modulus<N>,
    pub(crate) fq: Modulus<N>,
    pub(crate) a: Fe<N>,
    pub(crate) b: Fe<N>,
    b3: Fe<N>,
    a_is_minus3: bool,
    pub(crate) g: Affine<N>,
    /// Cofactor m/q.
    pub(crate) cofactor: u64,
    base_table: OnceLock<Vec<[Affine<N>; BASE_ENTRIES]>>,
    /// Twisted Edwards form (tc26-256-A, tc26-512-C), used for secret scalar multiplications.
    pub(crate) edwards: Option<EdData<N>>,
    ed_base_table: OnceLock<Vec<EdAffine<N>>>,
}

impl<const N: usize> Curve<N> {
    /// Builds the curve from the parameter table (public data).
    pub(crate) fn new(id: CurveId) -> Self {
        let prm = id.params();
        assert_eq!(prm.bits, 64 * N, "curve size mismatch");
        let fp = Modulus::new(limbs_from_hex::<N>(prm.p));
        let fq = Modulus::new(limbs_from_hex::<N>(prm.q));
        let a = fp.to_mont(&limbs_from_hex::<N>(prm.a));
        let b = fp.to_mont(&limbs_from_hex::<N>(prm.b));
        let b3 = fp.add(&fp.dbl(&b), &b);
        let minus3 = fp.neg(&fp.small(3));
        let edwards = prm.edwards.as_ref().map(|e| EdData::new(&fp, e));
        let g = Affine {
            x: fp.to_mont(&limbs_from_hex::<N>(prm.x)),
            y: fp.to_mont(&limbs_from_hex::<N>(prm.y)),
        };
        Curve {
            a_is_minus3: a == minus3,
            fp,
            fq,
            a,
            b,
            b3,
            g,
            cofactor: prm.cofactor as u64,
            base_table: OnceLock::new(),
            edwards,
            ed_base_table: OnceLock::new(),
        }
    }

    /// The subgroup order q as a plain integer.
    pub(crate) fn q(&self) -> &[u64; N] {
        &self.fq.m
    }

    pub(crate) fn identity(&self) -> Point<N> {
        Point {
            x: Fe::default(),
            y: self.fp.one(),
            z: Fe::default(),
        }
    }

    pub(crate) fn lift(&self, p: &Affine<N>) -> Point<N> {
        Point {
            x: p.x,
            y: p.y,
            z: self.fp.one(),
        }
    }

    #[inline(always)]
    fn mul_a(&self, x: &Fe<N>) -> Fe<N> {
        let f = &self.fp;
        if self.a_is_minus3 {
            // public curve property, not data
            f.neg(&f.add(&f.dbl(x), x))
        } else {
            f.mul(&self.a, x)
        }
    }

    /// Whether the affine point satisfies the curve equation.
    pub(crate) fn is_on_curve(&self, p: &Affine<N>) -> Choice {
        let f = &self.fp;
        let lhs = f.sqr(&p.y);
        let x2 = f.sqr(&p.x);
        let x3 = f.mul(&x2, &p.x);
        let rhs = f.add(&f.add(&x3, &f.mul(&self.a, &p.x)), &self.b);
        lhs.ct_eq(&rhs)
    }

    /// The identity test (Z = 0 and Y ≠ 0: the degenerate (0:0:0) is not the identity).
    pub(crate) fn is_identity(&self, p: &Point<N>) -> Choice {
        self.fp.is_zero(&p.z) & !self.fp.is_zero(&p.y)
    }

    /// Complete addition (RCB 2016, Algorithm 1).
    pub(crate) fn add(&self, p: &Point<N>, q: &Point<N>) -> Point<N> {
        let f = &self.fp;
        let t0 = f.mul(&p.x, &q.x);
        let t1 = f.mul(&p.y, &q.y);
        let t2 = f.mul(&p.z, &q.z);
        // t3 = X1Y2 + X2Y1
        let t3 = f.sub(
            &f.mul(&f.add(&p.x, &p.y), &f.add(&q.x, &q.y)),
            &f.add(&t0, &t1),
        );
        // t4 = X1Z2 + X2Z1
        let t4 = f.sub(
            &f.mul(&f.add(&p.x, &p.z), &f.add(&q.x, &q.z)),
            &f.add(&t0, &t2),
        );
        // t5 = Y1Z2 + Y2Z1
        let t5 = f.sub(
            &f.mul(&f.add(&p.y, &p.z), &f.add(&q.y, &q.z)),
            &f.add(&t1, &t2),
        );
        self.finish_add(t0, t1, t2, t3, t4, t5)
    }

    /// Mixed addition with an affine point (RCB 2016, Algorithm 2): complete except that `q`
    /// cannot be the identity.
    pub(crate) fn add_mixed(&self, p: &Point<N>, q: &Affine<N>) -> Point<N> {
        let f = &self.fp;
        let t0 = f.mul(&p.x, &q.x);
        let t1 = f.mul(&p.y, &q.y);
        let t2 = p.z;
        let t3 = f.sub(
            &f.mul(&f.add(&p.x, &p.y), &f.add(&q.x, &q.y)),
            &f.add(&t0, &t1),
        );
        let t4 = f.add(&f.mul(&q.x, &p.z), &p.x);
        let t5 = f.add(&f.mul(&q.y, &p.z), &p.y);
        self.finish_add(t0, t1, t2, t3, t4, t5)
    }

    /// Common tail of the addition formulas, from
    /// t0 = X1X2, t1 = Y1Y2, t2 = Z1Z2, t3 = X1Y2+X2Y1, t4 = X1Z2+X2Z1, t5 = Y1Z2+Y2Z1.
    #[inline(always)]
    fn finish_add(
        &self,
        t0: Fe<N>,
        t1: Fe<N>,
        t2: Fe<N>,
        t3: Fe<N>,
        t4: Fe<N>,
        t5: Fe<N>,
    ) -> Point<N> {
        let f = &self.fp;
        // u = a·t4 + 3b·t2
        let u = f.add(&self.mul_a(&t4), &f.mul(&self.b3, &t2));
        let minus = f.sub(&t1, &u); // Y1Y2 − a·t4 − 3b·t2
        let plus = f.add(&t1, &u); // Y1Y2 + a·t4 + 3b·t2
        let at2 = self.mul_a(&t2);
        let w = f.add(&f.add(&f.dbl(&t0), &t0), &at2); // 3X1X2 + aZ1Z2
        // v = 3b·t4 + a·(X1X2 − a·Z1Z2)
        let v = f.add(&f.mul(&self.b3, &t4), &self.mul_a(&f.sub(&t0, &at2)));
        Point {
            x: f.sub(&f.mul(&t3, &minus), &f.mul(&t5, &v)),
            y: f.add(&f.mul(&w, &v), &f.mul(&plus, &minus)),
            z: f.add(&f.mul(&t5, &plus), &f.mul(&t3, &w)),
        }
    }

    /// Doubling (the addition law with P = Q, RCB 2016 Algorithm 3 shape).
    pub(crate) fn double(&self, p: &Point<N>) -> Point<N> {
        let f = &self.fp;
        let t0 = f.sqr(&p.x);
        let t1 = f.sqr(&p.y);
        let t2 = f.sqr(&p.z);
        let t3 = f.dbl(&f.mul(&p.x, &p.y));
        let t4 = f.dbl(&f.mul(&p.x, &p.z));
        let t5 = f.dbl(&f.mul(&p.y, &p.z));
        self.finish_add(t0, t1, t2, t3, t4, t5)
    }

    /// 16·P: four doublings in Jacobian coordinates (cheaper than the complete projective
    /// doubling) between two coordinate changes. Jacobian doubling has no exceptional case except
    /// points of order 2, which the odd-order subgroup does not contain; the identity, which the
    /// change of coordinates turns into (0:0:0), is restored by a constant-time selection.
    pub(crate) fn double4(&self, p: &Point<N>) -> Point<N> {
        let f = &self.fp;
        // projective (X:Y:Z) -> Jacobian (XZ, YZ², Z)
        let zz = f.sqr(&p.z);
        let mut x = f.mul(&p.x, &p.z);
        let mut y = f.mul(&p.y, &zz);
        let mut z = p.z;
        for _ in 0..4 {
            let yy = f.sqr(&y);
            let zz = f.sqr(&z);
            let m = if self.a_is_minus3 {
                // public curve property: 3(X − Z²)(X + Z²)
                let t = f.mul(&f.sub(&x, &zz), &f.add(&x, &zz));
                f.add(&f.dbl(&t), &t)
            } else {
                let xx = f.sqr(&x);
                f.add(&f.add(&f.dbl(&xx), &xx), &f.mul(&self.a, &f.sqr(&zz)))
            };
            let s = f.dbl(&f.dbl(&f.mul(&x, &yy)));
            let x3 = f.sub(&f.sqr(&m), &f.dbl(&s));
            let yyyy8 = f.dbl(&f.dbl(&f.dbl(&f.sqr(&yy))));
            let y3 = f.sub(&f.mul(&m, &f.sub(&s, &x3)), &yyyy8);
            z = f.dbl(&f.mul(&y, &z));
            x = x3;
            y = y3;
        }
        // Jacobian -> projective (XZ, Y, Z³)
        let zz = f.sqr(&z);
        let out = Point {
            x: f.mul(&x, &z),
            y,
            z: f.mul(&zz, &z),
        };
        Point::conditional_select(&out, &self.identity(), f.is_zero(&z))
    }

    /// Negation.
    pub(crate) fn neg(&self, p: &Point<N>) -> Point<N> {
        Point {
            x: p.x,
            y: self.fp.neg(&p.y),
            z: p.z,
        }
    }

    /// Affine coordinates and whether the point is the identity (then the coordinates are 0).
    pub(crate) fn to_affine(&self, p: &Point<N>) -> (Affine<N>, Choice) {
        let f = &self.fp;
        let zinv = f.invert(&p.z);
        (
            Affine {
                x: f.mul(&p.x, &zinv),
                y: f.mul(&p.y, &zinv),
            },
            self.is_identity(p),
        )
    }

    /// Signed 4-bit recoding: k = Σ d_i·16^i with d_i in [−8, 7] (last digit 0 or 1), branch-free.
    fn recode(k: &[u64; N], out: &mut [i8]) {
        let mut carry: i32 = 0;
        let last = out.len() - 1;
        for (i, d) in out.iter_mut().enumerate().take(last) {
            let nib = ((k[i / 16] >> (4 * (i % 16))) & 0xf) as i32;
            let v = nib + carry; // 0..=16
            carry = (v + 8) >> 4;
            *d = (v - (carry << 4)) as i8;
        }
        out[last] = carry as i8;
    }

    /// Signed w-bit recoding: k = Σ d_i·2^(w·i), d_i in [−2^(w−1), 2^(w−1) − 1] (last digit 0 or
    /// 1), branch-free on k (bit positions are public).
    pub(crate) fn recode_w(k: &[u64; N], w: usize, out: &mut [i8]) {
        let mut carry: i32 = 0;
        let last = out.len() - 1;
        let mask = (1u64 << w) - 1;
        for (i, d) in out.iter_mut().enumerate().take(last) {
            let pos = i * w;
            let (limb, off) = (pos / 64, pos % 64);
            let mut bits = if limb < N { k[limb] >> off } else { 0 };
            if off + w > 64 && limb + 1 < N {
                bits |= k[limb + 1] << (64 - off);
            }
            let v = (bits & mask) as i32 + carry;
            carry = (v + (1 << (w - 1))) >> w;
            *d = (v - (carry << w)) as i8;
        }
        out[last] = carry as i8;
    }

    /// |d| and the sign bit of a digit, without branches.
    #[inline(always)]
    pub(crate) fn abs_sign(d: i8) -> (u8, Choice) {
        let d = d as i32;
        let sign = ((d >> 31) & 1) as u32;
        let abs = ((d ^ -(sign as i32)) + sign as i32) as u8;
        (abs, Choice::from(sign as u8))
    }

    /// Constant-time k·P for a secret k and a point P of the odd-order subgroup (validated public
    /// keys): through the Edwards form when the curve has one, else [`Self::mul_var`].
    pub(crate) fn mul_secret(&self, p: &Point<N>, k: &[u64; N]) -> Point<N> {
        if self.edwards.is_some() {
            // public curve property
            self.ed_mul_var(p, k)
        } else {
            self.mul_var(p, k)
        }
    }

    /// Constant-time k·P for a secret k < 2^(64N) (fixed signed window, full-table scans); valid
    /// for any point of odd order, hence also used for the subgroup check.
    pub(crate) fn mul_var(&self, p: &Point<N>, k: &[u64; N]) -> Point<N> {
        let mut table = [self.identity(); 8];
        table[0] = *p;
        for j in 1..8 {
            table[j] = if j % 2 == 1 {
                self.double(&table[j / 2])
            } else {
                self.add(&table[j - 1], p)
            };
        }
        let mut digits = [0i8; 129];
        let digits = &mut digits[..digits_len(N)];
        Self::recode(k, digits);
        let mut acc = self.identity();
        for (n, &d) in digits.iter().rev().enumerate() {
            if n != 0 {
                acc = self.double4(&acc);
            }
            let (abs, neg) = Self::abs_sign(d);
            let mut sel = self.identity();
            for (j, e) in table.iter().enumerate() {
                let m = eq_mask(abs, j as u8 + 1);
                sel.x.cmov(&e.x, m);
                sel.y.cmov(&e.y, m);
                sel.z.cmov(&e.z, m);
            }
            let nsel = self.neg(&sel);
            sel.conditional_assign(&nsel, neg);
            acc = self.add(&acc, &sel);
        }
        digits.zeroize();
        table.zeroize();
        acc
    }

    fn base_table(&self) -> &[[Affine<N>; BASE_ENTRIES]] {
        self.base_table.get_or_init(|| {
            let n = base_digits_len(N);
            let mut proj: Vec<[Point<N>; BASE_ENTRIES]> = Vec::with_capacity(n);
            let mut base = self.lift(&self.g);
            for _ in 0..n {
                let mut row = [base; BASE_ENTRIES];
                for j in 1..BASE_ENTRIES {
                    row[j] = self.add(&row[j - 1], &base);
                }
                base = self.double(&row[BASE_ENTRIES - 1]); // 2^BASE_W · base
                proj.push(row);
            }
            // Batch normalisation (Montgomery's trick); public data.
            let f = &self.fp;
            let flat: Vec<Point<N>> = proj.iter().flatten().copied().collect();
            let mut prefix = Vec::with_capacity(flat.len());
            let mut acc = f.one();
            for p in &flat {
                prefix.push(acc);
                acc = f.mul(&acc, &p.z);
            }
            let mut inv = f.invert(&acc);
            let mut aff = vec![Affine::default(); flat.len()];
            for i in (0..flat.len()).rev() {
                let zinv = f.mul(&inv, &prefix[i]);
                inv = f.mul(&inv, &flat[i].z);
                aff[i] = Affine {
                    x: f.mul(&flat[i].x, &zinv),
                    y: f.mul(&flat[i].y, &zinv),
                };
            }
            aff.chunks(BASE_ENTRIES)
                .map(|c| {
                    let mut row = [Affine::default(); BASE_ENTRIES];
                    row.copy_from_slice(c);
                    row
                })
                .collect()
        })
    }

    /// Constant-time k·G for a secret k < 2^(64N), with the precomputed base-point table.
    pub(crate) fn mul_base(&self, k: &[u64; N]) -> Point<N> {
        let mut digits = [0i8; 129];
        let digits = &mut digits[..base_digits_len(N)];
        Self::recode_w(k, BASE_W, digits);
        if self.edwards.is_some() {
            // public curve property
            let table = self.ed_base_table();
            let out = self.ed_mul_base(table, BASE_ENTRIES, digits);
            digits.zeroize();
            return out;
        }
        let table = self.base_table();
        let mut acc = self.identity();
        for (row, &d) in table.iter().zip(digits.iter()) {
            let (abs, neg) = Self::abs_sign(d);
            let mut sel = row[0];
            for (j, e) in row.iter().enumerate().skip(1) {
                let m = eq_mask(abs, j as u8 + 1);
                sel.x.cmov(&e.x, m);
                sel.y.cmov(&e.y, m);
            }
            let ny = self.fp.neg(&sel.y);
            sel.y.conditional_assign(&ny, neg);
            let sum = self.add_mixed(&acc, &sel);
            acc.conditional_assign(&sum, !abs.ct_eq(&0));
        }
        digits.zeroize();
        acc
    }

    /// The Edwards base table (built on first use); only on the Edwards curves.
    fn ed_base_table(&self) -> &[EdAffine<N>] {
        self.ed_base_table
            .get_or_init(|| self.ed_build_table(base_digits_len(N), BASE_ENTRIES))
    }

    /// u·G + v·P for public scalars (verification), variable time (public data only): v·P with
    /// a width-5 NAF, then the base-table entries of u's signed 6-bit digits read by index and
    /// added in the same coordinates — Jacobian on the Weierstrass curves, extended Edwards on
    /// the two Edwards curves (P is a validated key of the subgroup).
    pub(crate) fn mul_double_public(&self, u: &[u64; N], v: &[u64; N], p: &Point<N>) -> Point<N> {
        let mut digits = [0i8; 129];
        let digits = &mut digits[..base_digits_len(N)];
        Self::recode_w(u, BASE_W, digits);
        if self.edwards.is_some() {
            // public curve property
            return self.ed_mul_double_public(self.ed_base_table(), BASE_ENTRIES, digits, v, p);
        }
        let f = &self.fp;
        let mut acc = self.mul_wnaf_jac(p, v);
        for (row, &d) in self.base_table().iter().zip(digits.iter()) {
            if d == 0 {
                continue;
            }
            let e = row[d.unsigned_abs() as usize - 1];
            let e = if d < 0 {
                Affine {
                    x: e.x,
                    y: f.neg(&e.y),
                }
            } else {
                e
            };
            acc = self.jac_add_affine(&acc, &e);
        }
        self.jac_to_projective(&acc)
    }

    /// Width-5 NAF digits of a public scalar, least significant first (odd digits in −15..15).
    pub(crate) fn wnaf5(k: &[u64; N], out: &mut [i8; 8 * 64 + 2]) -> usize {
        let mut x = [0u64; 9];
        x[..N].copy_from_slice(k);
        let mut len = 0;
        while x.iter().any(|w| *w != 0) {
            let mut d = 0i64;
            if x[0] & 1 == 1 {
                d = (x[0] & 31) as i64;
                if d >= 16 {
                    d -= 32;
                }
                // x -= d
                if d > 0 {
                    let mut borrow = d as u64;
                    for w in x.iter_mut() {
                        let (r, b) = w.overflowing_sub(borrow);
                        *w = r;
                        borrow = b as u64;
                        if borrow == 0 {
                            break;
                        }
                    }
                } else {
                    let mut carry = (-d) as u64;
                    for w in x.iter_mut() {
                        let (r, c) = w.overflowing_add(carry);
                        *w = r;
                        carry = c as u64;
                        if carry == 0 {
                            break;
                        }
                    }
                }
            }
            out[len] = d as i8;
            len += 1;
            // x >>= 1
            for i in 0..9 {
                let hi = if i + 1 < 9 { x[i + 1] << 63 } else { 0 };
                x[i] = (x[i] >> 1) | hi;
            }
        }
        len
    }

    /// Jacobian doubling (public data; the identity has Z = 0 and stays so).
    fn jac_double(&self, p: &Point<N>) -> Point<N> {
        let f = &self.fp;
        let (x, y, z) = (&p.x, &p.y, &p.z);
        let yy = f.sqr(y);
        let zz = f.sqr(z);
        let m = if self.a_is_minus3 {
            let t = f.mul(&f.sub(x, &zz), &f.add(x, &zz));
            f.add(&f.dbl(&t), &t)
        } else {
            let xx = f.sqr(x);
            f.add(&f.add(&f.dbl(&xx), &xx), &f.mul(&self.a, &f.sqr(&zz)))
        };
        let s = f.dbl(&f.dbl(&f.mul(x, &yy)));
        let x3 = f.sub(&f.sqr(&m), &f.dbl(&s));
        let yyyy8 = f.dbl(&f.dbl(&f.dbl(&f.sqr(&yy))));
        let y3 = f.sub(&f.mul(&m, &f.sub(&s, &x3)), &yyyy8);
        Point {
            x: x3,
            y: y3,
            z: f.dbl(&f.mul(y, z)),
        }
    }

    /// Jacobian + affine addition, variable time (branches on public coordinates).
    fn jac_add_affine(&self, p: &Point<N>, q: &Affine<N>) -> Point<N> {
        let f = &self.fp;
        if bool::from(f.is_zero(&p.z)) {
            return self.lift(q);
        }
        let z1z1 = f.sqr(&p.z);
        let u2 = f.mul(&q.x, &z1z1);
        let s2 = f.mul(&q.y, &f.mul(&p.z, &z1z1));
        let h = f.sub(&u2, &p.x);
        let r = f.sub(&s2, &p.y);
        if bool::from(f.is_zero(&h)) {
            if bool::from(f.is_zero(&r)) {
                return self.jac_double(p);
            }
            return Point {
                x: f.one(),
                y: f.one(),
                z: Fe::default(),
            };
        }
        let hh = f.sqr(&h);
        let hhh = f.mul(&h, &hh);
        let v = f.mul(&p.x, &hh);
        let x3 = f.sub(&f.sub(&f.sqr(&r), &hhh), &f.dbl(&v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.mul(&p.y, &hhh));
        Point {
            x: x3,
            y: y3,
            z: f.mul(&p.z, &h),
        }
    }

    /// v·P for a public scalar and point, variable time (test reference for the verify path).
    #[cfg(test)]
    pub(crate) fn mul_wnaf_public(&self, p: &Point<N>, v: &[u64; N]) -> Point<N> {
        let acc = self.mul_wnaf_jac(p, v);
        self.jac_to_projective(&acc)
    }

    /// Jacobian → projective (XZ, Y, Z³); the identity (Z = 0) becomes (0:1:0). Public data.
    fn jac_to_projective(&self, acc: &Point<N>) -> Point<N> {
        let f = &self.fp;
        if bool::from(f.is_zero(&acc.z)) {
            return self.identity();
        }
        let zz = f.sqr(&acc.z);
        Point {
            x: f.mul(&acc.x, &acc.z),
            y: acc.y,
            z: f.mul(&zz, &acc.z),
        }
    }

    /// v·P in Jacobian coordinates (identity: Z = 0) for a public scalar and point, variable
    /// time: width-5 NAF over the odd multiples P … 15P normalised with one inversion.
    fn mul_wnaf_jac(&self, p: &Point<N>, v: &[u64; N]) -> Point<N> {
        let f = &self.fp;
        // odd multiples P, 3P, …, 15P, normalised to affine with one inversion
        let p2 = self.double(p);
        let mut proj = [*p; 8];
        for i in 1..8 {
            proj[i] = self.add(&proj[i - 1], &p2);
        }
        let mut prefix = [f.one(); 8];
        let mut acc = f.one();
        for i in 0..8 {
            prefix[i] = acc;
            acc = f.mul(&acc, &proj[i].z);
        }
        if bool::from(f.is_zero(&acc)) {
            // some multiple is the identity: P is not of large order; fall back (projective
            // (X:Y:Z) → Jacobian (XZ : YZ² : Z))
            let r = self.mul_var(p, v);
            let zz = f.sqr(&r.z);
            return Point {
                x: f.mul(&r.x, &r.z),
                y: f.mul(&r.y, &zz),
                z: r.z,
            };
        }
        let mut inv = f.invert(&acc);
        let mut table = [Affine::default(); 8];
        for i in (0..8).rev() {
            let zinv = f.mul(&inv, &prefix[i]);
            inv = f.mul(&inv, &proj[i].z);
            table[i] = Affine {
                x: f.mul(&proj[i].x, &zinv),
                y: f.mul(&proj[i].y, &zinv),
            };
        }
        let mut digits = [0i8; 8 * 64 + 2];
        let len = Self::wnaf5(v, &mut digits);
        let mut acc = Point {
            x: f.one(),
            y: f.one(),
            z: Fe::default(),
        };
        for &d in digits[..len].iter().rev() {
            acc = self.jac_double(&acc);
            if d != 0 {
                let e = table[(d.unsigned_abs() as usize) / 2];
                let e = if d < 0 {
                    Affine {
                        x: e.x,
                        y: f.neg(&e.y),
                    }
                } else {
                    e
                };
                acc = self.jac_add_affine(&acc, &e);
            }
        }
        acc
    }
}

static CURVES4: [OnceLock<Curve<4>>; 5] = [const { OnceLock::new() }; 5];
static CURVES8: [OnceLock<Curve<8>>; 4] = [const { OnceLock::new() }; 4];

/// A prepared curve of either size.
#[derive(Clone, Copy)]
pub(crate) enum CurveRef {
    C4(&'static Curve<4>),
    C8(&'static Curve<8>),
}

/// The prepared curve for `id` (built on first use).
pub(crate) fn curve_ref(id: CurveId) -> CurveRef {
    let i = id.index();
    if i < 5 {
        CurveRef::C4(CURVES4[i].get_or_init(|| Curve::new(id)))
    } else {
        CurveRef::C8(CURVES8[i - 5].get_or_init(|| Curve::new(id)))
    }
}

/// Runs `$body` with `$c` bound to the prepared curve of `$id`, monomorphised for both sizes.
macro_rules! with_curve {
    ($id:expr, |$c:ident| $body:expr) => {
        match $crate::ec::point::curve_ref($id) {
            $crate::ec::point::CurveRef::C4($c) => $body,
            $crate::ec::point::CurveRef::C8($c) => $body,
        }
    };
}
pub(crate) use with_curve;
