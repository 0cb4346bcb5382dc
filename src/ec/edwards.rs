//! Extended twisted Edwards coordinates (Hisil–Wong–Carter–Dawson 2008, formulas for e = 1) for
//! tc26-256-A and tc26-512-C, whose parameters come with an Edwards form `u² + v² = 1 + d·u²·v²`
//! (RFC 7836 Appendix A.2). Points enter and leave through the birational map of R 50.1.114-2016
//! (s = (e − d)/4, t = (e + d)/6; u = (x − t)/y, v = (x − t − s)/(x − t + s)), done projectively
//! without inversion. The unified formulas have no exceptional case in the odd-order subgroup, so
//! the constant-time window methods of `point` carry over unchanged.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::field::{Fe, Modulus, eq_mask, limbs_from_hex};
use super::params::EdwardsParams;
use super::point::{Curve, Point};

/// Edwards constants in the field's internal form.
pub(crate) struct EdData<const N: usize> {
    d: Fe<N>,
    s: Fe<N>,
    t: Fe<N>,
}

impl<const N: usize> EdData<N> {
    pub(crate) fn new(fp: &Modulus<N>, e: &EdwardsParams) -> Self {
        let ev = fp.to_mont(&limbs_from_hex::<N>(e.e));
        assert!(ev == fp.one(), "Edwards formulas here assume e = 1");
        let d = fp.to_mont(&limbs_from_hex::<N>(e.d));
        let s = fp.mul(&fp.sub(&ev, &d), &fp.invert(&fp.small(4)));
        let t = fp.mul(&fp.add(&ev, &d), &fp.invert(&fp.small(6)));
        EdData { d, s, t }
    }
}

/// A point (X:Y:Z:T), u = X/Z, v = Y/Z, T = XY/Z; identity (0:1:1:0).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ext<const N: usize> {
    x: Fe<N>,
    y: Fe<N>,
    z: Fe<N>,
    t: Fe<N>,
}

/// An affine point with its precomputed d·u·v.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EdAffine<const N: usize> {
    u: Fe<N>,
    v: Fe<N>,
    duv: Fe<N>,
}

impl<const N: usize> ConditionallySelectable for Ext<N> {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        Ext {
            x: Fe::conditional_select(&a.x, &b.x, c),
            y: Fe::conditional_select(&a.y, &b.y, c),
            z: Fe::conditional_select(&a.z, &b.z, c),
            t: Fe::conditional_select(&a.t, &b.t, c),
        }
    }
}

impl<const N: usize> ConditionallySelectable for EdAffine<N> {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        EdAffine {
            u: Fe::conditional_select(&a.u, &b.u, c),
            v: Fe::conditional_select(&a.v, &b.v, c),
            duv: Fe::conditional_select(&a.duv, &b.duv, c),
        }
    }
}

impl<const N: usize> Zeroize for Ext<N> {
    fn zeroize(&mut self) {
        self.x.zeroize();
        self.y.zeroize();
        self.z.zeroize();
        self.t.zeroize();
    }
}

impl<const N: usize> Curve<N> {
    #[allow(
        clippy::expect_used,
        reason = "only called on the curves whose constant parameter table has an Edwards form"
    )]
    fn ed(&self) -> &EdData<N> {
        self.edwards.as_ref().expect("Edwards form present")
    }

    pub(crate) fn ed_identity(&self) -> Ext<N> {
        Ext {
            x: Fe::default(),
            y: self.fp.one(),
            z: self.fp.one(),
            t: Fe::default(),
        }
    }

    /// Weierstrass projective (X:Y:Z) → extended Edwards, without inversion. Not for the identity
    /// or points of order 2 (never in the subgroup).
    pub(crate) fn weierstrass_to_ed(&self, p: &Point<N>) -> Ext<N> {
        let f = &self.fp;
        let ed = self.ed();
        // with x = X/Z: A = x − t = (X − tZ)/Z; u = A/y = (X − tZ)/Y,
        // v = (A − s)/(A + s) = (X − tZ − sZ)/(X − tZ + sZ)
        let a = f.sub(&p.x, &f.mul(&ed.t, &p.z));
        let sz = f.mul(&ed.s, &p.z);
        let num_u = a;
        let den_u = p.y;
        let num_v = f.sub(&a, &sz);
        let den_v = f.add(&a, &sz);
        // (u, v) = (nu/du, nv/dv) → (nu·dv : nv·du : du·dv : nu·nv)
        Ext {
            x: f.mul(&num_u, &den_v),
            y: f.mul(&num_v, &den_u),
            z: f.mul(&den_u, &den_v),
            t: f.mul(&num_u, &num_v),
        }
    }

    /// Extended Edwards → Weierstrass projective, without inversion; the identity maps to
    /// (0 : 2sZ² : 0), the Weierstrass identity.
    pub(crate) fn ed_to_weierstrass(&self, p: &Ext<N>) -> Point<N> {
        let f = &self.fp;
        let ed = self.ed();
        // x = s(Z+V)/(Z−V) + t, y = s(Z+V)Z/((Z−V)U); common denominator W = (Z−V)·U
        let zpv = f.mul(&ed.s, &f.add(&p.z, &p.y));
        let w = f.mul(&f.sub(&p.z, &p.y), &p.x);
        Point {
            x: f.add(&f.mul(&zpv, &p.x), &f.mul(&ed.t, &w)),
            y: f.mul(&zpv, &p.z),
            z: w,
        }
    }

    /// Unified addition (e = 1): 9M.
    pub(crate) fn ed_add(&self, p: &Ext<N>, q: &Ext<N>) -> Ext<N> {
        let f = &self.fp;
        let a = f.mul(&p.x, &q.x);
        let b = f.mul(&p.y, &q.y);
        let c = f.mul(&f.mul(&p.t, &q.t), &self.ed().d);
        let d = f.mul(&p.z, &q.z);
        let e = f.sub(
            &f.mul(&f.add(&p.x, &p.y), &f.add(&q.x, &q.y)),
            &f.add(&a, &b),
        );
        Self::ed_finish(f, e, f.sub(&d, &c), f.add(&d, &c), f.sub(&b, &a))
    }

    /// Mixed addition with a precomputed affine point: 7M.
    fn ed_add_affine(&self, p: &Ext<N>, q: &EdAffine<N>) -> Ext<N> {
        let f = &self.fp;
        let a = f.mul(&p.x, &q.u);
        let b = f.mul(&p.y, &q.v);
        let c = f.mul(&p.t, &q.duv);
        let d = p.z;
        let e = f.sub(
            &f.mul(&f.add(&p.x, &p.y), &f.add(&q.u, &q.v)),
            &f.add(&a, &b),
        );
        Self::ed_finish(f, e, f.sub(&d, &c), f.add(&d, &c), f.sub(&b, &a))
    }

    #[inline(always)]
    fn ed_finish(f: &Modulus<N>, e: Fe<N>, ff: Fe<N>, g: Fe<N>, h: Fe<N>) -> Ext<N> {
        Ext {
            x: f.mul(&e, &ff),
            y: f.mul(&g, &h),
            t: f.mul(&e, &h),
            z: f.mul(&ff, &g),
        }
    }

    /// Doubling (e = 1): 4M + 4S.
    pub(crate) fn ed_double(&self, p: &Ext<N>) -> Ext<N> {
        self.ed_double_with(p, true)
    }

    /// Doubling without the T coordinate (3M + 4S), for a result that is only doubled again:
    /// doubling reads X, Y, Z only (HWCD 2008 §3.3). T of the result is left 0, never read.
    pub(crate) fn ed_double_xyz(&self, p: &Ext<N>) -> Ext<N> {
        self.ed_double_with(p, false)
    }

    /// Doubling; `with_t` (a public flag fixed by the caller's control flow) computes T as well.
    #[inline(always)]
    fn ed_double_with(&self, p: &Ext<N>, with_t: bool) -> Ext<N> {
        let f = &self.fp;
        let a = f.sqr(&p.x);
        let b = f.sqr(&p.y);
        let c = f.dbl(&f.sqr(&p.z));
        let g = f.add(&a, &b);
        let e = f.sub(&f.sqr(&f.add(&p.x, &p.y)), &g);
        let ff = f.sub(&g, &c);
        // a·A with a = 1: H = A − B (sign convention of dbl-2008-hwcd with D = A)
        let h = f.sub(&a, &b);
        Ext {
            x: f.mul(&e, &ff),
            y: f.mul(&g, &h),
            t: if with_t { f.mul(&e, &h) } else { Fe::default() },
            z: f.mul(&ff, &g),
        }
    }

    fn ed_neg(&self, p: &Ext<N>) -> Ext<N> {
        Ext {
            x: self.fp.neg(&p.x),
            y: p.y,
            z: p.z,
            t: self.fp.neg(&p.t),
        }
    }

    /// Constant-time k·P for a secret k (signed 4-bit windows), P in the odd-order subgroup.
    pub(crate) fn ed_mul_var(&self, p: &Point<N>, k: &[u64; N]) -> Point<N> {
        let pe = self.weierstrass_to_ed(p);
        let mut table = [pe; 8];
        for j in 1..8 {
            table[j] = if j % 2 == 1 {
                self.ed_double(&table[j / 2])
            } else {
                self.ed_add(&table[j - 1], &pe)
            };
        }
        let mut digits = [0i8; 129];
        let digits = &mut digits[..super::point::digits_len(N)];
        Self::recode_w(k, 4, digits);
        let mut acc = self.ed_identity();
        for (n, &d) in digits.iter().rev().enumerate() {
            if n != 0 {
                for _ in 0..3 {
                    acc = self.ed_double_xyz(&acc);
                }
                acc = self.ed_double(&acc);
            }
            let (abs, neg) = Self::abs_sign(d);
            let mut sel = self.ed_identity();
            for (j, e) in table.iter().enumerate() {
                let m = eq_mask(abs, j as u8 + 1);
                sel.x.cmov(&e.x, m);
                sel.y.cmov(&e.y, m);
                sel.z.cmov(&e.z, m);
                sel.t.cmov(&e.t, m);
            }
            let nsel = self.ed_neg(&sel);
            sel.conditional_assign(&nsel, neg);
            acc = self.ed_add(&acc, &sel);
        }
        digits.zeroize();
        table.zeroize();
        let out = self.ed_to_weierstrass(&acc);
        acc.zeroize();
        out
    }

    /// The fixed-base table in Edwards form: rows of 1·B … 32·B, B = 64^i·G.
    pub(crate) fn ed_build_table(&self, rows: usize, entries: usize) -> Vec<EdAffine<N>> {
        let f = &self.fp;
        let mut flat: Vec<Ext<N>> = Vec::with_capacity(rows * entries);
        let mut base = self.weierstrass_to_ed(&self.lift(&self.g));
        for _ in 0..rows {
            let mut cur = base;
            for j in 0..entries {
                if j > 0 {
                    cur = self.ed_add(&cur, &base);
                }
                flat.push(cur);
            }
            base = self.ed_double(&cur);
        }
        let mut prefix = Vec::with_capacity(flat.len());
        let mut acc = f.one();
        for p in &flat {
            prefix.push(acc);
            acc = f.mul(&acc, &p.z);
        }
        let mut inv = f.invert(&acc);
        let mut out = vec![EdAffine::default(); flat.len()];
        for i in (0..flat.len()).rev() {
            let zinv = f.mul(&inv, &prefix[i]);
            inv = f.mul(&inv, &flat[i].z);
            let u = f.mul(&flat[i].x, &zinv);
            let v = f.mul(&flat[i].y, &zinv);
            out[i] = EdAffine {
                u,
                v,
                duv: f.mul(&f.mul(&u, &v), &self.ed().d),
            };
        }
        out
    }

    /// Constant-time k·G with the Edwards base table (signed 6-bit digits, one row per digit).
    pub(crate) fn ed_mul_base(
        &self,
        table: &[EdAffine<N>],
        entries: usize,
        digits: &[i8],
    ) -> Point<N> {
        let mut acc = self.ed_identity();
        for (row, &d) in table.chunks(entries).zip(digits.iter()) {
            let (abs, neg) = Self::abs_sign(d);
            let mut sel = row[0];
            for (j, e) in row.iter().enumerate().skip(1) {
                let m = eq_mask(abs, j as u8 + 1);
                sel.u.cmov(&e.u, m);
                sel.v.cmov(&e.v, m);
                sel.duv.cmov(&e.duv, m);
            }
            let nu = self.fp.neg(&sel.u);
            let nduv = self.fp.neg(&sel.duv);
            sel.u.conditional_assign(&nu, neg);
            sel.duv.conditional_assign(&nduv, neg);
            let sum = self.ed_add_affine(&acc, &sel);
            acc.conditional_assign(&sum, !abs.ct_eq(&0));
        }
        let out = self.ed_to_weierstrass(&acc);
        acc.zeroize();
        out
    }

    /// k·G for a public scalar (verification) with the Edwards base table, reading the entries
    /// by index (variable time: public data only).
    pub(crate) fn ed_mul_base_public(
        &self,
        table: &[EdAffine<N>],
        entries: usize,
        digits: &[i8],
    ) -> Ext<N> {
        let mut acc = self.ed_identity();
        for (row, &d) in table.chunks(entries).zip(digits.iter()) {
            if d == 0 {
                continue;
            }
            let e = row[d.unsigned_abs() as usize - 1];
            let e = if d < 0 {
                EdAffine {
                    u: self.fp.neg(&e.u),
                    v: e.v,
                    duv: self.fp.neg(&e.duv),
                }
            } else {
                e
            };
            acc = self.ed_add_affine(&acc, &e);
        }
        acc
    }

    /// u·G + v·P for public scalars and a point of the subgroup (verification), variable time:
    /// u·G from the base table, v·P with a width-5 NAF over the odd multiples P … 15P, doublings
    /// without T except before an addition.
    pub(crate) fn ed_mul_double_public(
        &self,
        base_table: &[EdAffine<N>],
        entries: usize,
        u_digits: &[i8],
        v: &[u64; N],
        p: &Point<N>,
    ) -> Point<N> {
        let pe = self.weierstrass_to_ed(p);
        let p2 = self.ed_double(&pe);
        let mut odd = [pe; 8];
        for i in 1..8 {
            odd[i] = self.ed_add(&odd[i - 1], &p2);
        }
        let mut digits = [0i8; 8 * 64 + 2];
        let len = Self::wnaf5(v, &mut digits);
        let mut acc = self.ed_identity();
        let mut started = false;
        for &d in digits[..len].iter().rev() {
            if started {
                acc = if d != 0 {
                    self.ed_double(&acc)
                } else {
                    self.ed_double_xyz(&acc)
                };
            }
            if d != 0 {
                let e = odd[(d.unsigned_abs() as usize) / 2];
                let e = if d < 0 { self.ed_neg(&e) } else { e };
                acc = if started { self.ed_add(&acc, &e) } else { e };
                started = true;
            }
        }
        if !started {
            acc = self.ed_identity();
        } else if let Some(&0) = digits[..len].first() {
            // the last doubling skipped T: recompute it for the final addition
            acc = self.ed_fix_t(&acc);
        }
        let ug = self.ed_mul_base_public(base_table, entries, u_digits);
        self.ed_to_weierstrass(&self.ed_add(&acc, &ug))
    }

    /// An equivalent point with T recomputed (X·Y/Z scaled: (XZ : YZ : Z² : XY)).
    fn ed_fix_t(&self, p: &Ext<N>) -> Ext<N> {
        let f = &self.fp;
        Ext {
            x: f.mul(&p.x, &p.z),
            y: f.mul(&p.y, &p.z),
            z: f.sqr(&p.z),
            t: f.mul(&p.x, &p.y),
        }
    }
}
