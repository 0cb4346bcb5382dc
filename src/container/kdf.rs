//! CPKDF: the CryptoPro CSP key derivation that turns a container PIN and a salt into the
//! 32-byte GOST 28147-89 key protecting the container (Streebog-256 for GOST R 34.10-2012
//! containers, GOST R 34.11-94 with the CryptoPro parameters for GOST R 34.10-2001 ones).
//!
//! With `H` the hash, `B` its block size (64 bytes for Streebog, 32 for GOST R 34.11-94), `P`
//! the PIN with each byte spread to four (`b, 0, 0, 0`) and `C` the 32-byte constant
//! `DENEFH028.760246785.IUEFHWUIO.EF` zero-padded to `B` bytes:
//!
//! ```text
//! h   = H(salt || P)
//! K_0 = C
//! K_i = H((K_{i-1} ^ 0x36) || h || (K_{i-1} ^ 0x5c) || h)     (K_i zero-padded to B bytes)
//! K   = H(H((K_n[..32] ^ 0x36) || salt || (K_n[..32] ^ 0x5c) || P))
//! ```
//!
//! with n = 2000 iterations, or 2 when the PIN is empty. Checked against the li0ard/gost vector
//! (`test-vectors/cryptopro/cpkdf.toml`) and the real sample container of
//! `test-vectors/cryptopro/`.

use digest::Digest;
use zeroize::{Zeroize, Zeroizing};

use crate::hash::{Gost94, Streebog256};

/// The constant the derivation starts from.
const START: &[u8; 32] = b"DENEFH028.760246785.IUEFHWUIO.EF";

/// Iterations for a non-empty PIN.
pub const ITERATIONS: usize = 2000;

/// Iterations for an empty PIN.
pub const ITERATIONS_EMPTY_PIN: usize = 2;

/// The hash a CPKDF is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KdfHash {
    /// GOST R 34.11-2012 256-bit (GOST R 34.10-2012 containers).
    Streebog256,
    /// GOST R 34.11-94 with the CryptoPro parameters (GOST R 34.10-2001 containers).
    Gost94,
}

/// CPKDF(PIN, salt): 2000 iterations, or 2 when `pin` is empty.
pub fn cpkdf(hash: KdfHash, pin: &[u8], salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let n = if pin.is_empty() {
        ITERATIONS_EMPTY_PIN
    } else {
        ITERATIONS
    };
    match hash {
        KdfHash::Streebog256 => derive::<Streebog256>(64, pin, salt, n),
        KdfHash::Gost94 => derive::<Gost94>(32, pin, salt, n),
    }
}

// Fixed 64-byte buffers indexed by constants (32) and `block` (32 or 64, from the caller's
// hash choice): no index comes from the input.
#[allow(clippy::indexing_slicing)]
fn derive<H: Digest>(block: usize, pin: &[u8], salt: &[u8], n: usize) -> Zeroizing<[u8; 32]> {
    let mut spread = Zeroizing::new(vec![0u8; pin.len().saturating_mul(4)]);
    for (dst, &b) in spread.chunks_exact_mut(4).zip(pin) {
        dst[0] = b;
    }
    let mut h = H::new();
    h.update(salt);
    h.update(&spread[..]);
    let mut base = Zeroizing::new([0u8; 32]);
    base.copy_from_slice(&h.finalize()[..32]);

    // K, zero-padded to the block size (at most 64 bytes).
    let mut k = Zeroizing::new([0u8; 64]);
    k[..32].copy_from_slice(START);
    let mut ipad = Zeroizing::new([0u8; 64]);
    let mut opad = Zeroizing::new([0u8; 64]);
    let pads = |k: &[u8; 64], ipad: &mut [u8; 64], opad: &mut [u8; 64]| {
        for ((i, o), &b) in ipad.iter_mut().zip(opad.iter_mut()).zip(k.iter()) {
            *i = b ^ 0x36;
            *o = b ^ 0x5c;
        }
    };
    for _ in 0..n {
        pads(&k, &mut ipad, &mut opad);
        let mut h = H::new();
        h.update(&ipad[..block]);
        h.update(&base[..]);
        h.update(&opad[..block]);
        h.update(&base[..]);
        let mut out = h.finalize();
        k.fill(0);
        k[..32].copy_from_slice(&out[..32]);
        out.zeroize();
    }
    // The last step pads only the 32 bytes of K_n, whatever the block size.
    pads(&k, &mut ipad, &mut opad);
    let mut h = H::new();
    h.update(&ipad[..32]);
    h.update(salt);
    h.update(&opad[..32]);
    h.update(&spread[..]);
    let mut inner = h.finalize();
    let mut outer = H::digest(&inner);
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&outer[..32]);
    inner.zeroize();
    outer.zeroize();
    key
}
