//! Constant-time arithmetic modulo an odd prime in Montgomery form, on `N` 64-bit limbs
//! (N = 4 for 256-bit, 8 for 512-bit curves). Used for both the base field (mod p) and the
//! scalars (mod q).
//!
//! Hand-written: `crypto-bigint` 0.7's Montgomery type carries its parameters by value inside every
//! element (a few hundred bytes copied per operation at 512 bits), which the point formulas cannot
//! afford. Here the modulus lives once in [`Modulus`]; elements are bare limb arrays. Every routine
//! runs the same instructions whatever the values: carries and borrows become masks, never
//! branches; only the public modulus or a public exponent may steer control flow. Moduli of the
//! form 2^(64N) − c (the p of CryptoPro-A, tc26-256-A/B, tc26-512-A/C) use a folding reduction
//! instead of Montgomery's, with elements in plain form behind the same interface.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

/// A residue in Montgomery form (`a·R mod m`, R = 2^(64N)), fully reduced below the modulus; for
/// pseudo-Mersenne moduli (2^(64N) − c) the plain residue itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fe<const N: usize>(pub(crate) [u64; N]);

impl<const N: usize> Default for Fe<N> {
    fn default() -> Self {
        Fe([0; N])
    }
}

impl<const N: usize> ConditionallySelectable for Fe<N> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let mask = mask_from_bit(choice.unwrap_u8() as u64);
        let mut out = [0u64; N];
        for (o, (x, y)) in out.iter_mut().zip(a.0.iter().zip(b.0.iter())) {
            *o = x ^ ((x ^ y) & mask);
        }
        Fe(out)
    }
}

impl<const N: usize> ConstantTimeEq for Fe<N> {
    fn ct_eq(&self, other: &Self) -> Choice {
        let mut acc = 0u64;
        for (x, y) in self.0.iter().zip(other.0.iter()) {
            acc |= x ^ y;
        }
        acc.ct_eq(&0)
    }
}

impl<const N: usize> Fe<N> {
    /// Replaces self by `other` where `mask` is all ones, keeps it where 0 (branch-free; the
    /// mask comes from [`eq_mask`]). One mask for a whole table entry keeps table scans cheap.
    #[inline(always)]
    pub(crate) fn cmov(&mut self, other: &Self, mask: u64) {
        for (x, y) in self.0.iter_mut().zip(other.0.iter()) {
            *x ^= (*x ^ y) & mask;
        }
    }
}

/// All ones when a = b, else 0, without branches (for constant-time table scans on a secret
/// index); hidden from the optimiser like [`mask_from_bit`].
#[inline(always)]
pub(crate) fn eq_mask(a: u8, b: u8) -> u64 {
    let x = (a ^ b) as u64; // 0 iff equal, else 1..=255
    let ne = x.wrapping_neg() >> 63; // 1 iff x != 0
    mask_from_bit(ne ^ 1)
}

impl<const N: usize> zeroize::Zeroize for Fe<N> {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = (a as u128) + (b as u128) + (carry as u128);
    (t as u64, (t >> 64) as u64)
}

#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub((b as u128) + (borrow as u128));
    (t as u64, ((t >> 64) as u64) & 1)
}

#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = (acc as u128) + (a as u128) * (b as u128) + (carry as u128);
    (t as u64, (t >> 64) as u64)
}

/// `a - b` on N limbs, returning the difference and the final borrow (0 or 1).
#[inline(always)]
pub(crate) fn sub_limbs<const N: usize>(a: &[u64; N], b: &[u64; N]) -> ([u64; N], u64) {
    let mut out = [0u64; N];
    let mut borrow = 0;
    for i in 0..N {
        let (d, br) = sbb(a[i], b[i], borrow);
        out[i] = d;
        borrow = br;
    }
    (out, borrow)
}

/// `a + b` on N limbs, returning the sum and the final carry (0 or 1).
#[inline(always)]
pub(crate) fn add_limbs<const N: usize>(a: &[u64; N], b: &[u64; N]) -> ([u64; N], u64) {
    let mut out = [0u64; N];
    let mut carry = 0;
    for i in 0..N {
        let (s, c) = adc(a[i], b[i], carry);
        out[i] = s;
        carry = c;
    }
    (out, carry)
}

/// An all-ones mask from a bit (0 or 1), hidden from the optimiser so that it cannot turn the
/// selections below back into branches (memcheck caught LLVM doing exactly that).
#[inline(always)]
fn mask_from_bit(bit: u64) -> u64 {
    core::hint::black_box(0u64.wrapping_sub(bit))
}

#[inline(always)]
fn select_limbs<const N: usize>(a: &[u64; N], b: &[u64; N], mask: u64) -> [u64; N] {
    let mut out = [0u64; N];
    for i in 0..N {
        out[i] = a[i] ^ ((a[i] ^ b[i]) & mask);
    }
    out
}

/// An odd modulus and its Montgomery constants.
#[derive(Clone, Debug)]
pub(crate) struct Modulus<const N: usize> {
    /// The modulus m.
    pub(crate) m: [u64; N],
    /// -m^-1 mod 2^64.
    minv: u64,
    /// R mod m (Montgomery form of 1).
    r1: [u64; N],
    /// R² mod m.
    r2: [u64; N],
    /// c when m = 2^(64N) − c with c < 2^32 (pseudo-Mersenne): then elements are kept in plain
    /// form and multiplied with a folding reduction instead of Montgomery's; 0 otherwise.
    pm_c: u64,
    /// Factor turning a plain integer into the internal form through `mont_mul` (R² or 1).
    to_form: [u64; N],
    /// Factor giving hi·R mod m through `mont_mul` (R² or R mod m).
    wide_f: [u64; N],
    /// The modulus for crypto-bigint's constant-time safegcd inversion.
    odd: crypto_bigint::Odd<crypto_bigint::Uint<N>>,
}

impl<const N: usize> Modulus<N> {
    #[allow(
        clippy::expect_used,
        reason = "moduli come from the constant parameter tables, all odd (checked by the curve tests)"
    )]
    /// Precomputes the constants for an odd modulus `m` (public data; may branch).
    pub(crate) fn new(m: [u64; N]) -> Self {
        // Newton iteration for m0^-1 mod 2^64.
        let m0 = m[0];
        let mut inv: u64 = 1;
        for _ in 0..7 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(m0.wrapping_mul(inv)));
        }
        let minv = inv.wrapping_neg();
        // R mod m: start from 1 and double 64N times modulo m.
        let mut one = [0u64; N];
        one[0] = 1;
        let odd = Option::from(crypto_bigint::Odd::new(
            crypto_bigint::Uint::<N>::from_words(m),
        ))
        .expect("modulus is odd");
        let mut tmp = Self {
            m,
            minv,
            r1: [0; N],
            r2: [0; N],
            pm_c: 0,
            to_form: [0; N],
            wide_f: [0; N],
            odd,
        };
        let mut x = one;
        for _ in 0..64 * N {
            x = tmp.add_raw(&x, &x);
        }
        let r_mod_m = x;
        // R² mod m: keep doubling another 64N times.
        for _ in 0..64 * N {
            x = tmp.add_raw(&x, &x);
        }
        let (neg, _) = sub_limbs(&[0u64; N], &m);
        let pseudo_mersenne = neg[1..].iter().all(|w| *w == 0) && neg[0] < (1 << 32);
        if pseudo_mersenne {
            tmp.pm_c = neg[0];
            tmp.r1 = one;
            tmp.r2 = x;
            tmp.to_form = one;
            tmp.wide_f = r_mod_m;
        } else {
            tmp.r1 = r_mod_m;
            tmp.r2 = x;
            tmp.to_form = x;
            tmp.wide_f = x;
        }
        tmp
    }

    /// a·b mod m for m = 2^(64N) − c: schoolbook product, then two folds of the high half by c.
    /// Works for any a, b < 2^(64N); returns a value below m.
    #[inline(always)]
    fn pm_mul(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut w = [0u64; 16];
        for i in 0..N {
            let mut carry = 0;
            for j in 0..N {
                let (lo, hi) = mac(w[i + j], a[i], b[j], carry);
                w[i + j] = lo;
                carry = hi;
            }
            w[i + N] = carry;
        }
        self.pm_fold(&w)
    }

    /// a² mod m for m = 2^(64N) − c: the N(N−1)/2 cross products once, doubled by a shift, plus
    /// the squares on the diagonal (about half the multiplications of `pm_mul` saved).
    #[inline(always)]
    fn pm_sqr(&self, a: &[u64; N]) -> [u64; N] {
        let mut w = [0u64; 16];
        for i in 0..N {
            let mut carry = 0;
            for j in i + 1..N {
                let (lo, hi) = mac(w[i + j], a[i], a[j], carry);
                w[i + j] = lo;
                carry = hi;
            }
            w[i + N] = carry;
        }
        // double: w <<= 1 (w < 2^(128N−1), no bit lost)
        let mut top = 0;
        for x in w.iter_mut().take(2 * N) {
            let nt = *x >> 63;
            *x = (*x << 1) | top;
            top = nt;
        }
        // add the diagonal a_i²
        let mut carry = 0;
        for i in 0..N {
            let sq = (a[i] as u128) * (a[i] as u128);
            let (lo, c1) = adc(w[2 * i], sq as u64, carry);
            let (hi, c2) = adc(w[2 * i + 1], (sq >> 64) as u64, c1);
            w[2 * i] = lo;
            w[2 * i + 1] = hi;
            carry = c2;
        }
        self.pm_fold(&w)
    }

    /// (w mod m) for a double-width w (2N limbs of `w`) and m = 2^(64N) − c: two folds of the
    /// high half by c and one conditional subtraction; returns a value below m.
    #[inline(always)]
    fn pm_fold(&self, w: &[u64; 16]) -> [u64; N] {
        let c = self.pm_c;
        let mut r = [0u64; N];
        let mut carry = 0;
        for i in 0..N {
            let (lo, hi) = mac(w[i], w[i + N], c, carry);
            r[i] = lo;
            carry = hi;
        }
        // carry < 2^33, so carry·c < 2^65 is folded as a two-limb addend
        let t = (carry as u128) * (c as u128);
        let mut addend = [0u64; N];
        addend[0] = t as u64;
        addend[1] = (t >> 64) as u64;
        let (r, c2) = add_limbs(&r, &addend);
        // a wrap leaves r small; add c once more per wrap (c2 ∈ {0, 1})
        let mut addend = [0u64; N];
        addend[0] = c & mask_from_bit(c2);
        let (r, _) = add_limbs(&r, &addend);
        // r < 2^(64N) < 2m: one conditional subtraction
        let (d, borrow) = sub_limbs(&r, &self.m);
        select_limbs(&d, &r, mask_from_bit(borrow))
    }

    /// (a + b) mod m for a, b < m.
    #[inline(always)]
    fn add_raw(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let (s, carry) = add_limbs(a, b);
        let (d, borrow) = sub_limbs(&s, &self.m);
        // keep s only when the subtraction borrowed and the addition did not carry
        let keep_s = borrow & !carry & 1;
        select_limbs(&d, &s, mask_from_bit(keep_s))
    }

    /// Modular addition.
    #[inline(always)]
    pub(crate) fn add(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        Fe(self.add_raw(&a.0, &b.0))
    }

    /// Modular doubling.
    #[inline(always)]
    pub(crate) fn dbl(&self, a: &Fe<N>) -> Fe<N> {
        Fe(self.add_raw(&a.0, &a.0))
    }

    /// Modular subtraction.
    #[inline(always)]
    pub(crate) fn sub(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        let (d, borrow) = sub_limbs(&a.0, &b.0);
        let mask = mask_from_bit(borrow);
        let mut addend = [0u64; N];
        for (a, m) in addend.iter_mut().zip(self.m.iter()) {
            *a = m & mask;
        }
        Fe(add_limbs(&d, &addend).0)
    }

    /// Modular negation.
    #[inline(always)]
    pub(crate) fn neg(&self, a: &Fe<N>) -> Fe<N> {
        self.sub(&Fe([0; N]), a)
    }

    /// Montgomery multiplication: a·b·R^-1 mod m (CIOS), for a, b < m.
    #[inline(always)]
    pub(crate) fn mul(&self, a: &Fe<N>, b: &Fe<N>) -> Fe<N> {
        Fe(self.mont_mul(&a.0, &b.0))
    }

    /// Montgomery squaring (a dedicated squaring for pseudo-Mersenne moduli).
    #[inline(always)]
    pub(crate) fn sqr(&self, a: &Fe<N>) -> Fe<N> {
        if self.pm_c != 0 {
            // public property of the modulus
            return Fe(self.pm_sqr(&a.0));
        }
        Fe(self.mont_mul(&a.0, &a.0))
    }

    /// CIOS Montgomery product. Requires a·b < m·R (true when one input is below m and the other
    /// below R); returns a value below m.
    #[inline(always)]
    fn mont_mul(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        if self.pm_c != 0 {
            // public property of the modulus
            return self.pm_mul(a, b);
        }
        let mut t = [0u64; N];
        let mut t_hi = 0u64; // limb N
        for &bi in b.iter() {
            // t += a * bi
            let mut carry = 0;
            for j in 0..N {
                let (lo, hi) = mac(t[j], a[j], bi, carry);
                t[j] = lo;
                carry = hi;
            }
            let (s, c2) = adc(t_hi, carry, 0);
            t_hi = s;
            let t_top = c2; // limb N+1 (0 or 1)
            // t = (t + u*m) / 2^64
            let u = t[0].wrapping_mul(self.minv);
            let (_, mut carry) = mac(t[0], u, self.m[0], 0);
            for j in 1..N {
                let (lo, hi) = mac(t[j], u, self.m[j], carry);
                t[j - 1] = lo;
                carry = hi;
            }
            let (s, c) = adc(t_hi, carry, 0);
            t[N - 1] = s;
            t_hi = t_top + c;
        }
        // t < 2m: subtract m once if t >= m.
        let (d, borrow) = sub_limbs(&t, &self.m);
        // t_hi is 0 or 1
        let keep_t = borrow & (t_hi ^ 1);
        select_limbs(&d, &t, mask_from_bit(keep_t))
    }

    /// Montgomery form of a plain integer x < R (reduces modulo m as a side effect).
    #[inline(always)]
    pub(crate) fn to_mont(&self, x: &[u64; N]) -> Fe<N> {
        Fe(self.mont_mul(x, &self.to_form))
    }

    /// The plain integer (below m) of a Montgomery residue.
    #[inline(always)]
    pub(crate) fn retrieve(&self, a: &Fe<N>) -> [u64; N] {
        let mut one = [0u64; N];
        one[0] = 1;
        self.mont_mul(&a.0, &one)
    }

    /// x mod m for a plain integer x < R, as a plain integer.
    pub(crate) fn reduce(&self, x: &[u64; N]) -> [u64; N] {
        self.retrieve(&self.to_mont(x))
    }

    /// (hi·R + lo) mod m for a double-width plain integer, as a plain integer.
    pub(crate) fn reduce_wide(&self, lo: &[u64; N], hi: &[u64; N]) -> [u64; N] {
        // mont_mul(hi, R²) = hi·R mod m as a plain value, plus lo mod m.
        let hi_r = self.mont_mul(hi, &self.wide_f);
        let lo_r = self.reduce(lo);
        self.add_raw(&hi_r, &lo_r)
    }

    /// Montgomery form of 1.
    #[inline(always)]
    pub(crate) fn one(&self) -> Fe<N> {
        Fe(self.r1)
    }

    /// Montgomery form of a small constant.
    pub(crate) fn small(&self, v: u64) -> Fe<N> {
        let mut x = [0u64; N];
        x[0] = v;
        self.to_mont(&x)
    }

    /// a^e for a public exponent e (plain integer); the exponent may steer control flow, the base
    /// may not.
    #[cfg(test)]
    pub(crate) fn pow_public(&self, a: &Fe<N>, e: &[u64; N]) -> Fe<N> {
        let mut acc = self.one();
        for i in (0..N).rev() {
            for bit in (0..64).rev() {
                acc = self.sqr(&acc);
                if (e[i] >> bit) & 1 == 1 {
                    acc = self.mul(&acc, a);
                }
            }
        }
        acc
    }

    /// Inverse by Fermat's little theorem (a^(m-2)); the modulus must be prime. 0 maps to 0.
    #[cfg(test)]
    pub(crate) fn invert_fermat(&self, a: &Fe<N>) -> Fe<N> {
        let mut two = [0u64; N];
        two[0] = 2;
        let (e, _) = sub_limbs(&self.m, &two);
        self.pow_public(a, &e)
    }

    /// Constant-time inverse (crypto-bigint's safegcd, Bernstein–Yang); 0 maps to 0.
    pub(crate) fn invert(&self, a: &Fe<N>) -> Fe<N> {
        let plain = crypto_bigint::Uint::<N>::from_words(self.retrieve(a));
        let inv = plain.invert_odd_mod(&self.odd);
        let words = inv.unwrap_or(crypto_bigint::Uint::ZERO).to_words();
        self.to_mont(&words)
    }

    /// Whether a is zero.
    #[inline(always)]
    pub(crate) fn is_zero(&self, a: &Fe<N>) -> Choice {
        a.ct_eq(&Fe([0; N]))
    }
}

/// Reads a big-endian hex string (public constants only) into N little-endian limbs.
#[allow(
    clippy::panic,
    reason = "reads the constant parameter tables only; a bad digit there is a build-time bug caught by every curve test"
)]
pub(crate) fn limbs_from_hex<const N: usize>(hex: &str) -> [u64; N] {
    let digits: Vec<u8> = hex
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => panic!("parameter table: bad hex digit"),
        })
        .collect();
    let mut out = [0u64; N];
    for (i, d) in digits.iter().rev().enumerate() {
        assert!(i < 16 * N, "parameter table: constant too large");
        out[i / 16] |= (*d as u64) << (4 * (i % 16));
    }
    out
}

/// Little-endian bytes (exactly 8N) into limbs.
pub(crate) fn limbs_from_le<const N: usize>(bytes: &[u8]) -> [u64; N] {
    let mut out = [0u64; N];
    for (i, chunk) in bytes.chunks(8).take(N).enumerate() {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        out[i] = u64::from_le_bytes(w);
    }
    out
}

/// Big-endian bytes (at most 8N) into limbs.
pub(crate) fn limbs_from_be<const N: usize>(bytes: &[u8]) -> [u64; N] {
    let mut le = [0u8; 64];
    let n = bytes.len().min(8 * N);
    for (i, b) in bytes.iter().rev().take(n).enumerate() {
        le[i] = *b;
    }
    let out = limbs_from_le::<N>(&le[..8 * N]);
    zeroize::Zeroize::zeroize(&mut le);
    out
}

/// Limbs into little-endian bytes (fills `out`, which holds 8N bytes).
pub(crate) fn limbs_to_le<const N: usize>(x: &[u64; N], out: &mut [u8]) {
    for (chunk, w) in out.chunks_mut(8).zip(x.iter()) {
        chunk.copy_from_slice(&w.to_le_bytes()[..chunk.len()]);
    }
}

/// Limbs into big-endian bytes (fills `out`, which holds 8N bytes).
pub(crate) fn limbs_to_be<const N: usize>(x: &[u64; N], out: &mut [u8]) {
    let len = out.len();
    for (i, w) in x.iter().enumerate() {
        let bytes = w.to_be_bytes();
        let end = len - 8 * i;
        out[end - 8..end].copy_from_slice(&bytes);
    }
}

/// Constant-time `x < m` for plain integers.
pub(crate) fn ct_lt<const N: usize>(x: &[u64; N], m: &[u64; N]) -> Choice {
    let (_, borrow) = sub_limbs(x, m);
    Choice::from(borrow as u8)
}

/// Constant-time `x == 0` for plain integers.
pub(crate) fn ct_is_zero<const N: usize>(x: &[u64; N]) -> Choice {
    let mut acc = 0u64;
    for w in x {
        acc |= w;
    }
    acc.ct_eq(&0)
}
