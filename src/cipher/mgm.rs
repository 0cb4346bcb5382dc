//! Multilinear Galois Mode (MGM), the AEAD mode of RFC 9058 / R 1323565.1.026-2019, generic over
//! any [`BlockCipher`]: GF(2^128) with x^128 + x^7 + x^2 + x + 1 for 128-bit blocks (Kuznyechik)
//! and GF(2^64) with x^64 + x^4 + x^3 + x + 1 for 64-bit blocks (Magma) (RFC 9058 §3, §4).
//!
//! Hand-written: no crate implements MGM. The field multiplication has two constant-time
//! backends chosen at run time ([`MgmBackend::detect`]): PCLMULQDQ on x86_64 (`mgm/clmul.rs`,
//! MGM's only `unsafe`) and a portable carry-less multiply built from integer multiplications
//! (`mgm/portable.rs`); neither branches or indexes on data. The block-cipher calls for the
//! Y and Z counters are batched through [`BlockCipher::encrypt_blocks`].
//! [`mgm_open`] checks the tag in constant time before it decrypts anything, so on failure the
//! buffer still holds the ciphertext.
//!
//! ```
//! use gostkit::cipher::mgm::{mgm_open, mgm_seal};
//! use gostkit::cipher::{BlockCipher, Kuznyechik};
//!
//! let cipher = Kuznyechik::new(&[0x42; 32])?;
//! let nonce = [0x11u8; 16]; // one block, most significant bit clear; never reuse under a key
//! let mut data = *b"plaintext";
//! let tag = mgm_seal(&cipher, &nonce, b"header", &mut data, 16)?;
//! let mut bad = data;
//! bad[0] ^= 1;
//! assert!(mgm_open(&cipher, &nonce, b"header", &mut bad, &tag).is_err()); // nothing decrypted
//! mgm_open(&cipher, &nonce, b"header", &mut data, &tag)?;
//! assert_eq!(&data, b"plaintext");
//! # Ok::<(), gostkit::CryptoError>(())
//! ```

use super::BlockCipher;
use crate::error::CryptoError;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

#[cfg(target_arch = "x86_64")]
#[allow(
    unsafe_code,
    reason = "PCLMULQDQ intrinsics behind a runtime CPU check, each block with a SAFETY comment"
)]
mod clmul;
#[cfg(test)]
mod ct_tests;
mod field;
mod portable;

const ALG: &str = "MGM";

/// Smallest accepted tag length in bytes (RFC 9058 §4: 32 ≤ S ≤ n bits; whole bytes here).
pub const MGM_MIN_TAG_LEN: usize = 4;

/// Blocks per batch of counter encryptions and field multiplications.
const BATCH: usize = 16;

/// Which implementation of the GF(2^n) multiplication MGM uses; both are constant-time and give
/// identical results. [`mgm_seal`]/[`mgm_open`] use [`MgmBackend::detect`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MgmBackend {
    /// Carry-less multiplication from integer multiplications; any CPU.
    Portable,
    /// The x86_64 PCLMULQDQ instruction.
    Clmul,
}

impl MgmBackend {
    /// The fastest backend the running CPU supports (CPU features checked once, then cached).
    pub fn detect() -> Self {
        if Self::Clmul.is_available() {
            Self::Clmul
        } else {
            Self::Portable
        }
    }

    /// Whether this backend can run on this CPU.
    pub fn is_available(self) -> bool {
        Engine::new(self).is_some()
    }
}

/// A backend known to be usable (for `Clmul`, with the CPU check's proof).
#[derive(Clone, Copy)]
enum Engine {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Clmul(clmul::Pclmul),
}

impl Engine {
    fn new(b: MgmBackend) -> Option<Self> {
        match b {
            MgmBackend::Portable => Some(Self::Portable),
            #[cfg(target_arch = "x86_64")]
            MgmBackend::Clmul => clmul::Pclmul::detect().map(Self::Clmul),
            #[cfg(not(target_arch = "x86_64"))]
            MgmBackend::Clmul => None,
        }
    }

    fn get(b: MgmBackend) -> Result<Self, CryptoError> {
        Self::new(b).ok_or(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "the CLMUL backend needs an x86_64 CPU with PCLMULQDQ",
        })
    }

    /// Σ h_i · x_i in GF(2^128) (16-byte blocks).
    fn dot128(self, h: &[u128], x: &[u128]) -> u128 {
        match self {
            Self::Portable => portable::dot128(h, x),
            #[cfg(target_arch = "x86_64")]
            Self::Clmul(p) => p.dot128(h, x),
        }
    }

    /// Σ h_i · x_i in GF(2^64) (8-byte blocks).
    fn dot64(self, h: &[u64], x: &[u64]) -> u64 {
        match self {
            Self::Portable => portable::dot64(h, x),
            #[cfg(target_arch = "x86_64")]
            Self::Clmul(p) => p.dot64(h, x),
        }
    }
}

/// Big-endian value of a block of 8 or 16 bytes (the field element, bit i = coefficient of x^i).
fn load(bytes: &[u8]) -> u128 {
    match bytes.len() {
        16 => u128::from_be_bytes(bytes.try_into().unwrap_or([0; 16])),
        8 => u128::from(u64::from_be_bytes(bytes.try_into().unwrap_or([0; 8]))),
        _ => bytes
            .iter()
            .fold(0u128, |acc, &b| (acc << 8) | u128::from(b)),
    }
}

/// Writes the low `out.len()` bytes of `v` big-endian.
fn from_int(mut v: u128, out: &mut [u8]) {
    for b in out.iter_mut().rev() {
        *b = v as u8;
        v >>= 8;
    }
}

/// Increments the right (`right = true`) or left half of an n-byte block modulo 2^(n/2).
fn incr_half(block: &mut [u8], right: bool) {
    let half = block.len() / 2;
    let part = if right {
        &mut block[half..]
    } else {
        &mut block[..half]
    };
    for b in part.iter_mut().rev() {
        let (v, overflow) = b.overflowing_add(1);
        *b = v;
        if !overflow {
            break;
        }
    }
}

fn check_nonce<C: BlockCipher>(nonce: &[u8]) -> Result<(), CryptoError> {
    if nonce.len() != C::BLOCK_LEN {
        return Err(CryptoError::InvalidIvLength {
            alg: ALG,
            expected: "one block (8 or 16 bytes)",
            got: nonce.len(),
        });
    }
    if nonce.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "nonce must have its most significant bit clear",
        });
    }
    Ok(())
}

fn check_lengths<C: BlockCipher>(aad: usize, data: usize) -> Result<(), CryptoError> {
    // RFC 9058 §4: 0 < |A| + |P| and the bit lengths fit in n/2 bits each (|A| + |P| < 2^(n/2)).
    if aad == 0 && data == 0 {
        return Err(CryptoError::InvalidDataLength {
            alg: ALG,
            expected: "associated data and plaintext not both empty",
            got: 0,
        });
    }
    let half_bits = (C::BLOCK_LEN * 4) as u32;
    let total_bits = (aad as u128 + data as u128) * 8;
    if total_bits >= 1u128 << half_bits {
        return Err(CryptoError::DataLimitExceeded { alg: ALG });
    }
    Ok(())
}

fn check_tag_len<C: BlockCipher>(tag_len: usize) -> Result<(), CryptoError> {
    if (MGM_MIN_TAG_LEN..=C::BLOCK_LEN).contains(&tag_len) {
        Ok(())
    } else {
        Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "tag length must be 4..=block length bytes",
        })
    }
}

/// The running sum Σ H_i ⊗ X_i of RFC 9058 §4.1, H_i = E_K(Z_i), fed block by block and worked
/// off in batches: one `encrypt_blocks` call for the H_i, one multiply-accumulate.
struct Tagger<'a, C: BlockCipher> {
    cipher: &'a C,
    engine: Engine,
    /// Next Z_i.
    z: C::Block,
    /// Z_i of the pending blocks, then H_i after encryption.
    hbuf: [u8; 16 * BATCH],
    h: [u128; BATCH],
    x: [u128; BATCH],
    h64: [u64; BATCH],
    x64: [u64; BATCH],
    fill: usize,
    acc: u128,
}

impl<'a, C: BlockCipher> Tagger<'a, C> {
    fn new(cipher: &'a C, engine: Engine, nonce: &[u8]) -> Self {
        // Z_1 = E_K(1 || nonce).
        let mut z = C::Block::default();
        z.as_mut().copy_from_slice(nonce);
        if let Some(b) = z.as_mut().first_mut() {
            *b |= 0x80;
        }
        cipher.encrypt_block(&mut z);
        Self {
            cipher,
            engine,
            z,
            hbuf: [0; 16 * BATCH],
            h: [0; BATCH],
            x: [0; BATCH],
            h64: [0; BATCH],
            x64: [0; BATCH],
            fill: 0,
            acc: 0,
        }
    }

    /// Absorbs the data in `n`-byte blocks, the last one zero-padded.
    fn absorb(&mut self, data: &[u8]) {
        let n = C::BLOCK_LEN;
        for chunk in data.chunks(n) {
            let v = if chunk.len() == n {
                load(chunk)
            } else {
                let mut pad = C::Block::default();
                pad.as_mut()[..chunk.len()].copy_from_slice(chunk);
                let v = load(pad.as_ref());
                pad.zeroize();
                v
            };
            self.x[self.fill] = v;
            self.hbuf[self.fill * n..(self.fill + 1) * n].copy_from_slice(self.z.as_ref());
            // Z_{i+1} = incr_l(Z_i).
            incr_half(self.z.as_mut(), false);
            self.fill += 1;
            if self.fill == BATCH {
                self.flush();
            }
        }
    }

    fn flush(&mut self) {
        let n = C::BLOCK_LEN;
        let k = self.fill;
        if k == 0 {
            return;
        }
        self.cipher.encrypt_blocks(&mut self.hbuf[..k * n]);
        if n == 16 {
            for i in 0..k {
                self.h[i] = load(&self.hbuf[i * 16..(i + 1) * 16]);
            }
            self.acc ^= self.engine.dot128(&self.h[..k], &self.x[..k]);
        } else {
            for i in 0..k {
                self.h64[i] = load(&self.hbuf[i * n..(i + 1) * n]) as u64;
                self.x64[i] = self.x[i] as u64;
            }
            self.acc ^= u128::from(self.engine.dot64(&self.h64[..k], &self.x64[..k]));
        }
        self.fill = 0;
    }

    /// T = E_K(sum) after the final flush.
    fn finish(mut self) -> C::Block {
        self.flush();
        let mut t = C::Block::default();
        from_int(self.acc, t.as_mut());
        self.cipher.encrypt_block(&mut t);
        t
    }
}

impl<C: BlockCipher> Drop for Tagger<'_, C> {
    fn drop(&mut self) {
        self.z.zeroize();
        self.hbuf.zeroize();
        self.h.zeroize();
        self.x.zeroize();
        self.h64.zeroize();
        self.x64.zeroize();
        self.acc.zeroize();
    }
}

/// Computes the full n-byte tag over `aad` and the ciphertext `ct` (RFC 9058 §4.1 steps for T).
fn compute_tag<C: BlockCipher>(
    cipher: &C,
    engine: Engine,
    nonce: &[u8],
    aad: &[u8],
    ct: &[u8],
) -> C::Block {
    let mut tagger = Tagger::new(cipher, engine, nonce);
    tagger.absorb(aad);
    tagger.absorb(ct);
    // len(A) || len(C), each n/2 bits, bit lengths.
    let half = C::BLOCK_LEN / 2;
    let mut lens = C::Block::default();
    from_int((aad.len() as u128) * 8, &mut lens.as_mut()[..half]);
    from_int((ct.len() as u128) * 8, &mut lens.as_mut()[half..]);
    tagger.absorb(lens.as_ref());
    tagger.finish()
}

/// XORs the key stream E_K(Y_i), Y_1 = E_K(0 || nonce), Y_{i+1} = incr_r(Y_i), into `data`,
/// [`BATCH`] counter blocks per `encrypt_blocks` call.
fn apply_keystream<C: BlockCipher>(cipher: &C, nonce: &[u8], data: &mut [u8]) {
    let n = C::BLOCK_LEN;
    let mut y = C::Block::default();
    y.as_mut().copy_from_slice(nonce);
    if let Some(b) = y.as_mut().first_mut() {
        *b &= 0x7f;
    }
    cipher.encrypt_block(&mut y);
    let mut ks = [0u8; 16 * BATCH];
    for chunk in data.chunks_mut(n * BATCH) {
        let blocks = chunk.len().div_ceil(n);
        for i in 0..blocks {
            ks[i * n..(i + 1) * n].copy_from_slice(y.as_ref());
            incr_half(y.as_mut(), true);
        }
        cipher.encrypt_blocks(&mut ks[..blocks * n]);
        for (d, k) in chunk.iter_mut().zip(&ks) {
            *d ^= k;
        }
    }
    y.zeroize();
    ks.zeroize();
}

fn check_block_len<C: BlockCipher>() -> Result<(), CryptoError> {
    if C::BLOCK_LEN == 8 || C::BLOCK_LEN == 16 {
        Ok(())
    } else {
        Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "block length must be 8 or 16 bytes",
        })
    }
}

/// Encrypts `data` in place with MGM and returns the authentication tag of `tag_len` bytes
/// (4 ≤ `tag_len` ≤ block length; the tag is the leading bytes of the full tag, RFC 9058 §4.1).
///
/// `nonce` is one block with its most significant bit clear. `aad` and `data` may not both be
/// empty, and their total bit length must stay below 2^(n/2).
pub fn mgm_seal<C: BlockCipher>(
    cipher: &C,
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag_len: usize,
) -> Result<Vec<u8>, CryptoError> {
    mgm_seal_with(MgmBackend::detect(), cipher, nonce, aad, data, tag_len)
}

/// [`mgm_seal`] with an explicit multiplication backend (an error if it cannot run here).
pub fn mgm_seal_with<C: BlockCipher>(
    backend: MgmBackend,
    cipher: &C,
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag_len: usize,
) -> Result<Vec<u8>, CryptoError> {
    let engine = Engine::get(backend)?;
    check_block_len::<C>()?;
    check_nonce::<C>(nonce)?;
    check_tag_len::<C>(tag_len)?;
    check_lengths::<C>(aad.len(), data.len())?;
    apply_keystream(cipher, nonce, data);
    let mut t = compute_tag(cipher, engine, nonce, aad, data);
    let tag = t.as_ref()[..tag_len].to_vec();
    t.zeroize();
    Ok(tag)
}

/// Verifies `tag` over `aad` and the ciphertext in `data` (constant-time comparison) and only
/// then decrypts `data` in place (RFC 9058 §4.2). On any error `data` is left unchanged.
///
/// The tag length must be 4..=block length bytes.
pub fn mgm_open<C: BlockCipher>(
    cipher: &C,
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag: &[u8],
) -> Result<(), CryptoError> {
    mgm_open_with(MgmBackend::detect(), cipher, nonce, aad, data, tag)
}

/// [`mgm_open`] with an explicit multiplication backend (an error if it cannot run here).
pub fn mgm_open_with<C: BlockCipher>(
    backend: MgmBackend,
    cipher: &C,
    nonce: &[u8],
    aad: &[u8],
    data: &mut [u8],
    tag: &[u8],
) -> Result<(), CryptoError> {
    let engine = Engine::get(backend)?;
    check_block_len::<C>()?;
    check_nonce::<C>(nonce)?;
    check_tag_len::<C>(tag.len())?;
    check_lengths::<C>(aad.len(), data.len())?;
    let mut t = compute_tag(cipher, engine, nonce, aad, data);
    let ok: bool = t.as_ref()[..tag.len()].ct_eq(tag).into();
    t.zeroize();
    if !ok {
        return Err(CryptoError::AuthenticationFailed { alg: ALG });
    }
    apply_keystream(cipher, nonce, data);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The former bitwise shift-and-add multiplication with branches, kept as the test-only
    /// reference: `bits` 128 (poly 0x87) or 64 (poly 0x1b).
    fn bitwise_mul(bits: u32, mut a: u128, b: u128) -> u128 {
        let (poly, mask) = if bits == 128 {
            (0x87u128, u128::MAX)
        } else {
            (0x1bu128, u128::from(u64::MAX))
        };
        let mut r = 0;
        for i in 0..bits {
            if (b >> i) & 1 == 1 {
                r ^= a;
            }
            let carry = (a >> (bits - 1)) & 1 == 1;
            a = (a << 1) & mask;
            if carry {
                a ^= poly;
            }
        }
        r
    }

    fn engines() -> Vec<Engine> {
        let mut v = vec![Engine::Portable];
        if let Some(e) = Engine::new(MgmBackend::Clmul) {
            v.push(e);
        }
        v
    }

    /// Plain carry-less product, bit by bit (reference for the 64×64 multipliers).
    fn bitwise_clmul64(a: u64, b: u64) -> u128 {
        (0..64)
            .filter(|i| (b >> i) & 1 == 1)
            .fold(0u128, |r, i| r ^ (u128::from(a) << i))
    }

    #[test]
    fn clmul_is_detected_on_this_machine() {
        // Reported, not required: the portable backend is always tested.
        eprintln!("MGM backend detected: {:?}", MgmBackend::detect());
        assert!(MgmBackend::Portable.is_available());
        assert_eq!(
            MgmBackend::detect() == MgmBackend::Clmul,
            MgmBackend::Clmul.is_available()
        );
    }

    #[test]
    fn edge_products_match_reference() {
        let edges = [
            0u128,
            1,
            2,
            0x87,
            u128::MAX,
            1 << 127,
            (1 << 127) | 1,
            1 << 64,
            u128::MAX >> 1,
        ];
        for e in engines() {
            for &a in &edges {
                for &b in &edges {
                    assert_eq!(e.dot128(&[a], &[b]), bitwise_mul(128, a, b), "{a:x} {b:x}");
                    let (a, b) = (a as u64, b as u64);
                    assert_eq!(
                        u128::from(e.dot64(&[a], &[b])),
                        bitwise_mul(64, a.into(), b.into())
                    );
                }
            }
        }
        assert_eq!(
            portable::clmul64(u64::MAX, u64::MAX),
            bitwise_clmul64(u64::MAX, u64::MAX)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn portable_clmul64_matches_bitwise(a in any::<u64>(), b in any::<u64>()) {
            prop_assert_eq!(portable::clmul64(a, b), bitwise_clmul64(a, b));
        }

        #[test]
        fn backends_match_bitwise_mul(
            h in proptest::collection::vec(any::<u128>(), 1..20),
            x in proptest::collection::vec(any::<u128>(), 20),
        ) {
            let k = h.len();
            let want128 = h.iter().zip(&x).fold(0, |s, (&a, &b)| s ^ bitwise_mul(128, a, b));
            let h64: Vec<u64> = h.iter().map(|&v| v as u64).collect();
            let x64: Vec<u64> = x.iter().map(|&v| v as u64).collect();
            let want64 = h64
                .iter()
                .zip(&x64)
                .fold(0, |s, (&a, &b)| s ^ bitwise_mul(64, a.into(), b.into()));
            for e in engines() {
                prop_assert_eq!(e.dot128(&h, &x[..k]), want128);
                prop_assert_eq!(u128::from(e.dot64(&h64, &x64[..k])), want64);
            }
        }
    }

    #[test]
    fn incr_wraps_within_half() {
        let mut b = [0x00, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff];
        incr_half(&mut b, true);
        assert_eq!(b, [0x00, 0xff, 0xff, 0xff, 0x01, 0, 0, 0]);
        let mut b = [0xff; 8];
        incr_half(&mut b, false);
        assert_eq!(b, [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    }
}
