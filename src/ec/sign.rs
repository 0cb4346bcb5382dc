//! GOST R 34.10-2012 keys and signatures (RFC 7091 §5–6; GOST R 34.10-2001 / RFC 5832 for
//! verifying old documents).
//!
//! The digest H is read as a little-endian integer, e = H mod q (1 when 0); the signature is
//! `s || r`, each big-endian on 32 or 64 bytes (as carried in X.509 and CMS). Keys are stored in the
//! GOST little-endian layouts: private key d on 32/64 bytes, public key X || Y. The nonce k is hedged:
//! HMAC-Streebog-512 keyed with fresh OS randomness, computed over the key and the digest, so a weak
//! random source alone does not reveal d.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::drbg::Drbg;
use super::error::EcError;
use super::field::{ct_is_zero, ct_lt, limbs_from_be, limbs_from_le, limbs_to_be, limbs_to_le};
use super::params::ParamSet;
use super::point::{Affine, Curve, with_curve};
use crate::hash::{Gost94, Streebog256, Streebog512};

/// Fresh bytes from the operating system.
pub(crate) fn os_random(out: &mut [u8]) -> Result<(), EcError> {
    getrandom::fill(out).map_err(|_| EcError::RandomSourceFailed)
}

/// A GOST R 34.10 public key: a validated point of the subgroup of order q, with the parameter
/// set (OID) it was created or read with.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    set: ParamSet,
    /// LE(X) || LE(Y), 2·size bytes used.
    xy: [u8; 128],
}

impl core::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("param_set", &self.set)
            .field("xy_le", &HexBytes(self.as_bytes()))
            .finish()
    }
}

struct HexBytes<'a>(&'a [u8]);
impl core::fmt::Debug for HexBytes<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A GOST R 34.10 private key d (1 ≤ d < q) with its public key; zeroized on drop, never printed.
pub struct SigningKey {
    set: ParamSet,
    /// LE(d), size bytes used, rest zero.
    d: [u8; 64],
    public: VerifyingKey,
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for SigningKey {}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey")
            .field("param_set", &self.set)
            .field("d", &"<hidden>")
            .field("public", &self.public)
            .finish()
    }
}

fn size_of(set: ParamSet) -> usize {
    set.params().bits / 8
}

fn check_len(what: &'static str, buf: &[u8], expected: usize) -> Result<(), EcError> {
    if buf.len() == expected {
        Ok(())
    } else {
        Err(EcError::InvalidLength {
            what,
            expected,
            got: buf.len(),
        })
    }
}

// ---- generic cores -------------------------------------------------------------------------

fn encode_point<const N: usize>(c: &Curve<N>, a: &Affine<N>) -> [u8; 128] {
    let mut out = [0u8; 128];
    limbs_to_le(&c.fp.retrieve(&a.x), &mut out[..8 * N]);
    limbs_to_le(&c.fp.retrieve(&a.y), &mut out[8 * N..16 * N]);
    out
}

/// Parses LE(X)||LE(Y): coordinates below p and on the curve (no subgroup check).
pub(crate) fn decode_point<const N: usize>(c: &Curve<N>, xy: &[u8]) -> Result<Affine<N>, EcError> {
    let x = limbs_from_le::<N>(&xy[..8 * N]);
    let y = limbs_from_le::<N>(&xy[8 * N..16 * N]);
    if !bool::from(ct_lt(&x, &c.fp.m) & ct_lt(&y, &c.fp.m)) {
        return Err(EcError::InvalidPublicKey {
            reason: "coordinate not below p",
        });
    }
    let a = Affine {
        x: c.fp.to_mont(&x),
        y: c.fp.to_mont(&y),
    };
    if !bool::from(c.is_on_curve(&a)) {
        return Err(EcError::InvalidPublicKey {
            reason: "point not on the curve",
        });
    }
    Ok(a)
}

fn validate_point<const N: usize>(c: &Curve<N>, xy: &[u8]) -> Result<(), EcError> {
    let a = decode_point(c, xy)?;
    let qp = c.mul_var(&c.lift(&a), c.q());
    if !bool::from(c.is_identity(&qp)) {
        return Err(EcError::InvalidPublicKey {
            reason: "point not in the subgroup of order q",
        });
    }
    Ok(())
}

fn public_from_d<const N: usize>(c: &Curve<N>, d_le: &[u8]) -> [u8; 128] {
    let mut d = limbs_from_le::<N>(&d_le[..8 * N]);
    let mut p = c.mul_base(&d);
    let (a, _) = c.to_affine(&p);
    d.zeroize();
    p.zeroize();
    encode_point(c, &a)
}

/// d from LE bytes, checked 1 ≤ d < q (constant-time comparison).
fn check_private<const N: usize>(c: &Curve<N>, d_le: &[u8]) -> Result<(), EcError> {
    let mut d = limbs_from_le::<N>(&d_le[..8 * N]);
    let ok = ct_lt(&d, c.q()) & !ct_is_zero(&d);
    d.zeroize();
    if bool::from(ok) {
        Ok(())
    } else {
        Err(EcError::InvalidPrivateKey)
    }
}

/// Draws a scalar in 1..q-1 from a DRBG (2·size bytes reduced mod q: bias below 2^-256).
fn scalar_from_drbg<const N: usize>(c: &Curve<N>, drbg: &mut Drbg) -> [u64; N] {
    let mut buf = Zeroizing::new([0u8; 128]);
    loop {
        drbg.generate(&mut buf[..16 * N]);
        let mut lo = limbs_from_le::<N>(&buf[..8 * N]);
        let mut hi = limbs_from_le::<N>(&buf[8 * N..16 * N]);
        let k = c.fq.reduce_wide(&lo, &hi);
        lo.zeroize();
        hi.zeroize();
        // Leaks only whether k = 0 (probability ~2^-256).
        if !bool::from(ct_is_zero(&k)) {
            return k;
        }
    }
}

/// e = LE(H) mod q, 1 when 0.
fn digest_scalar<const N: usize>(c: &Curve<N>, digest: &[u8]) -> [u64; N] {
    let mut e = c.fq.reduce(&limbs_from_le::<N>(digest));
    if bool::from(ct_is_zero(&e)) {
        e = [0; N];
        e[0] = 1;
    }
    e
}

/// One signing attempt with nonce k; `None` when r or s is 0.
fn sign_with_k<const N: usize>(
    c: &Curve<N>,
    d_le: &[u8],
    e: &[u64; N],
    k: &[u64; N],
) -> Option<[u8; 128]> {
    let fq = &c.fq;
    let mut cp = c.mul_base(k);
    let (a, _) = c.to_affine(&cp);
    cp.zeroize();
    let r = fq.reduce(&c.fp.retrieve(&a.x));
    if bool::from(ct_is_zero(&r)) {
        return None;
    }
    let mut d = limbs_from_le::<N>(&d_le[..8 * N]);
    let mut dm = fq.to_mont(&d);
    let mut km = fq.to_mont(k);
    let rs = fq.mul(&fq.to_mont(&r), &dm);
    let ke = fq.mul(&km, &fq.to_mont(e));
    let s = fq.retrieve(&fq.add(&rs, &ke));
    d.zeroize();
    dm.zeroize();
    km.zeroize();
    if bool::from(ct_is_zero(&s)) {
        return None;
    }
    let mut out = [0u8; 128];
    limbs_to_be(&s, &mut out[..8 * N]);
    limbs_to_be(&r, &mut out[8 * N..16 * N]);
    Some(out)
}

fn sign_hedged<const N: usize>(
    c: &Curve<N>,
    d_le: &[u8],
    digest: &[u8],
) -> Result<[u8; 128], EcError> {
    let e = digest_scalar(c, digest);
    let mut fresh = Zeroizing::new([0u8; 64]);
    os_random(&mut fresh[..])?;
    let mut drbg = Drbg::new(
        &fresh[..],
        &[b"gostkit GOST R 34.10 nonce", &d_le[..8 * N], digest],
    );
    loop {
        let mut k = scalar_from_drbg(c, &mut drbg);
        let sig = sign_with_k(c, d_le, &e, &k);
        k.zeroize();
        if let Some(sig) = sig {
            return Ok(sig);
        }
    }
}

fn verify_core<const N: usize>(
    c: &Curve<N>,
    xy: &[u8],
    digest: &[u8],
    sig: &[u8],
) -> Result<(), EcError> {
    let fq = &c.fq;
    let s = limbs_from_be::<N>(&sig[..8 * N]);
    let r = limbs_from_be::<N>(&sig[8 * N..16 * N]);
    let in_range = |x: &[u64; N]| bool::from(ct_lt(x, c.q()) & !ct_is_zero(x));
    if !in_range(&r) || !in_range(&s) {
        return Err(EcError::MalformedSignature);
    }
    let e = digest_scalar(c, digest);
    let v = fq.invert(&fq.to_mont(&e));
    let z1 = fq.retrieve(&fq.mul(&fq.to_mont(&s), &v));
    let z2 = fq.retrieve(&fq.neg(&fq.mul(&fq.to_mont(&r), &v)));
    let q = decode_point(c, xy)?;
    let cp = c.mul_double_public(&z1, &z2, &c.lift(&q));
    let (a, ident) = c.to_affine(&cp);
    if bool::from(ident) {
        return Err(EcError::VerificationFailed);
    }
    let rr = fq.reduce(&c.fp.retrieve(&a.x));
    let mut eq = 1u8;
    for (x, y) in rr.iter().zip(r.iter()) {
        eq &= x.ct_eq(y).unwrap_u8();
    }
    if eq == 1 {
        Ok(())
    } else {
        Err(EcError::VerificationFailed)
    }
}

// ---- public API ----------------------------------------------------------------------------

impl VerifyingKey {
    /// Reads a public key in the GOST layout LE(X) || LE(Y) (64 or 128 bytes) and validates it:
    /// coordinates below p, point on the curve and in the subgroup of order q.
    pub fn from_bytes(set: ParamSet, xy_le: &[u8]) -> Result<Self, EcError> {
        let size = size_of(set);
        check_len("public key", xy_le, 2 * size)?;
        with_curve!(set.curve(), |c| validate_point(c, xy_le))?;
        let mut xy = [0u8; 128];
        xy[..2 * size].copy_from_slice(xy_le);
        Ok(Self { set, xy })
    }

    /// The key in the GOST layout LE(X) || LE(Y).
    pub fn as_bytes(&self) -> &[u8] {
        &self.xy[..2 * size_of(self.set)]
    }

    /// The key in the GOST layout LE(X) || LE(Y), owned.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }

    /// The parameter set (OID) this key was created or read with.
    pub fn param_set(&self) -> ParamSet {
        self.set
    }

    /// The same key reported under another OID of the same curve (e.g. CryptoPro-A → tc26-256-B).
    pub fn with_param_set(&self, set: ParamSet) -> Result<Self, EcError> {
        if set.curve() != self.set.curve() {
            return Err(EcError::UnsupportedParamSet {
                what: "parameter set is on another curve",
            });
        }
        Ok(Self { set, xy: self.xy })
    }

    /// Verifies a signature `s || r` over a digest (32 or 64 bytes, the key size).
    pub fn verify_digest(&self, digest: &[u8], signature: &[u8]) -> Result<(), EcError> {
        let size = size_of(self.set);
        check_len("digest", digest, size)?;
        check_len("signature", signature, 2 * size)?;
        with_curve!(self.set.curve(), |c| verify_core(
            c,
            self.as_bytes(),
            digest,
            signature
        ))
    }

    /// Verifies a GOST R 34.10-2012 signature over a message hashed with Streebog-256 (256-bit
    /// keys) or Streebog-512 (512-bit keys).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), EcError> {
        if size_of(self.set) == 32 {
            self.verify_digest(&Streebog256::digest(message), signature)
        } else {
            self.verify_digest(&Streebog512::digest(message), signature)
        }
    }

    /// Verifies a GOST R 34.10-2001 signature over a message hashed with GOST R 34.11-94
    /// (CryptoPro parameters); 256-bit keys only.
    pub fn verify_gost2001(&self, message: &[u8], signature: &[u8]) -> Result<(), EcError> {
        if size_of(self.set) != 32 {
            return Err(EcError::UnsupportedParamSet {
                what: "GOST R 34.10-2001 needs a 256-bit parameter set",
            });
        }
        self.verify_digest(&Gost94::digest(message), signature)
    }
}

impl SigningKey {
    /// A fresh key from the operating system's random source.
    pub fn generate(set: ParamSet) -> Result<Self, EcError> {
        Self::generate_with_entropy(set, &[])
    }

    /// A fresh key from the operating system's random source mixed with caller entropy (e.g.
    /// keystroke timings). `extra` is hashed together with 64 fresh OS bytes; it never replaces them.
    pub fn generate_with_entropy(set: ParamSet, extra: &[u8]) -> Result<Self, EcError> {
        let mut fresh = Zeroizing::new([0u8; 64]);
        os_random(&mut fresh[..])?;
        let extra_hash = Zeroizing::new(Streebog512::digest(extra));
        let mut drbg = Drbg::new(
            &fresh[..],
            &[b"gostkit GOST R 34.10 keygen", &extra_hash[..]],
        );
        let size = size_of(set);
        let mut d = Zeroizing::new([0u8; 64]);
        with_curve!(set.curve(), |c| {
            let mut k = scalar_from_drbg(c, &mut drbg);
            limbs_to_le(&k, &mut d[..size]);
            k.zeroize();
        });
        Self::from_bytes(set, &d[..size])
    }

    /// Reads a private key d in little-endian (32 or 64 bytes); rejects 0 and d ≥ q.
    pub fn from_bytes(set: ParamSet, d_le: &[u8]) -> Result<Self, EcError> {
        let size = size_of(set);
        check_len("private key", d_le, size)?;
        let mut d = [0u8; 64];
        d[..size].copy_from_slice(d_le);
        let xy = with_curve!(set.curve(), |c| {
            check_private(c, &d).map(|_| public_from_d(c, &d))
        });
        match xy {
            Ok(xy) => Ok(Self {
                set,
                d,
                public: VerifyingKey { set, xy },
            }),
            Err(e) => {
                d.zeroize();
                Err(e)
            }
        }
    }

    /// Reads a masked private key (CryptoPro / gost-engine PKCS#8 forms): the real key is
    /// key·mask1·…·maskN mod q, every part little-endian of the key size. Computed in constant time.
    pub fn from_masked(set: ParamSet, key_le: &[u8], masks: &[&[u8]]) -> Result<Self, EcError> {
        let size = size_of(set);
        check_len("masked private key", key_le, size)?;
        for m in masks {
            check_len("private key mask", m, size)?;
        }
        let mut d = Zeroizing::new([0u8; 64]);
        with_curve!(set.curve(), |c| {
            let fq = &c.fq;
            let mut acc = fq.to_mont(&limbs_from_le(key_le));
            for m in masks {
                let mut mm = fq.to_mont(&limbs_from_le(m));
                acc = fq.mul(&acc, &mm);
                mm.zeroize();
            }
            let mut plain = fq.retrieve(&acc);
            limbs_to_le(&plain, &mut d[..size]);
            acc.zeroize();
            plain.zeroize();
        });
        Self::from_bytes(set, &d[..size])
    }

    /// Reads a CryptoPro CSP container key: d = value · mask⁻¹ mod q, both little-endian of the
    /// key size (the container stores d·mask). Constant time (the inverse is crypto-bigint's
    /// safegcd); a mask that is 0 mod q gives d = 0, refused as [`EcError::InvalidPrivateKey`].
    pub(crate) fn from_mask_quotient(
        set: ParamSet,
        value_le: &[u8],
        mask_le: &[u8],
    ) -> Result<Self, EcError> {
        let size = size_of(set);
        check_len("masked private key", value_le, size)?;
        check_len("private key mask", mask_le, size)?;
        let mut d = Zeroizing::new([0u8; 64]);
        with_curve!(set.curve(), |c| {
            let fq = &c.fq;
            let mut v = fq.to_mont(&limbs_from_le(value_le));
            let mut m = fq.to_mont(&limbs_from_le(mask_le));
            let mut inv = fq.invert(&m);
            let mut q = fq.mul(&v, &inv);
            let mut plain = fq.retrieve(&q);
            limbs_to_le(&plain, &mut d[..size]);
            v.zeroize();
            m.zeroize();
            inv.zeroize();
            q.zeroize();
            plain.zeroize();
        });
        Self::from_bytes(set, &d[..size])
    }

    /// d · mask mod q, little-endian of the key size: the value a CryptoPro CSP container stores
    /// (encrypted) for this key. Constant time.
    pub(crate) fn mask_product(&self, mask_le: &[u8]) -> Result<Zeroizing<Vec<u8>>, EcError> {
        let size = size_of(self.set);
        check_len("private key mask", mask_le, size)?;
        let mut out = Zeroizing::new(vec![0u8; size]);
        with_curve!(self.set.curve(), |c| {
            let fq = &c.fq;
            let mut d = fq.to_mont(&limbs_from_le(self.d_le()));
            let mut m = fq.to_mont(&limbs_from_le(mask_le));
            let mut p = fq.mul(&d, &m);
            let mut plain = fq.retrieve(&p);
            limbs_to_le(&plain, &mut out[..]);
            d.zeroize();
            m.zeroize();
            p.zeroize();
            plain.zeroize();
        });
        Ok(out)
    }

    /// Whether `bytes` (little-endian, the key size) is a scalar in 1..q-1 of `set`'s curve.
    /// Constant time in the value.
    pub(crate) fn is_valid_scalar(set: ParamSet, bytes: &[u8]) -> bool {
        if bytes.len() != size_of(set) {
            return false;
        }
        let mut d = [0u8; 64];
        d[..bytes.len()].copy_from_slice(bytes);
        let ok = with_curve!(set.curve(), |c| check_private(c, &d).is_ok());
        d.zeroize();
        ok
    }

    /// The private key d in little-endian (32 or 64 bytes).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.d[..size_of(self.set)].to_vec())
    }

    /// The parameter set (OID) this key was created or read with.
    pub fn param_set(&self) -> ParamSet {
        self.set
    }

    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.public
    }

    pub(crate) fn d_le(&self) -> &[u8] {
        &self.d[..size_of(self.set)]
    }

    /// Signs a digest (32 or 64 bytes, the key size): returns `s || r`, each big-endian.
    pub fn sign_digest(&self, digest: &[u8]) -> Result<Vec<u8>, EcError> {
        let size = size_of(self.set);
        check_len("digest", digest, size)?;
        let sig = with_curve!(self.set.curve(), |c| sign_hedged(c, &self.d, digest))?;
        Ok(sig[..2 * size].to_vec())
    }

    /// Signs a message hashed with Streebog-256 (256-bit keys) or Streebog-512 (512-bit keys).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, EcError> {
        if size_of(self.set) == 32 {
            self.sign_digest(&Streebog256::digest(message))
        } else {
            self.sign_digest(&Streebog512::digest(message))
        }
    }

    /// Test hook: signs with a caller-chosen nonce k (big-endian, key size, 1 ≤ k < q) to
    /// reproduce the standard's examples. Never use it otherwise: a repeated or known k reveals d.
    #[cfg(feature = "hazmat")]
    pub fn sign_digest_with_fixed_k(&self, digest: &[u8], k_be: &[u8]) -> Result<Vec<u8>, EcError> {
        let size = size_of(self.set);
        check_len("digest", digest, size)?;
        check_len("nonce", k_be, size)?;
        let sig = with_curve!(self.set.curve(), |c| {
            let k = limbs_from_be(k_be);
            if !bool::from(ct_lt(&k, c.q()) & !ct_is_zero(&k)) {
                return Err(EcError::InvalidPrivateKey);
            }
            let e = digest_scalar(c, digest);
            sign_with_k(c, &self.d, &e, &k).ok_or(EcError::InvalidPrivateKey)
        })?;
        Ok(sig[..2 * size].to_vec())
    }
}
