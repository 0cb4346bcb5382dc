//! HMAC_DRBG (NIST SP 800-90A §10.1.2) over HMAC-Streebog-512 (RFC 7836 §4.1.1): derives key
//! generation scalars and hedged signing nonces from OS randomness mixed with key, digest and
//! caller entropy. Only the construction is borrowed from SP 800-90A; the state lives in one call.

use hmac::{KeyInit, Mac};
use zeroize::Zeroize;

type HmacStreebog512 = hmac::Hmac<streebog::Streebog512>;

const LEN: usize = 64;

/// A one-shot HMAC_DRBG state; zeroized on drop.
pub(crate) struct Drbg {
    k: [u8; LEN],
    v: [u8; LEN],
}

fn hmac(key: &[u8; LEN], parts: &[&[u8]]) -> [u8; LEN] {
    let mut m = match <HmacStreebog512 as KeyInit>::new_from_slice(key) {
        Ok(m) => m,
        // HMAC accepts keys of any length.
        Err(_) => unreachable!("HMAC takes any key length"),
    };
    for p in parts {
        m.update(p);
    }
    let mut out = [0u8; LEN];
    out.copy_from_slice(&m.finalize().into_bytes());
    out
}

impl Drbg {
    /// Instantiates from the concatenation of `seed` parts.
    pub(crate) fn new(seed: &[&[u8]]) -> Self {
        let mut d = Drbg {
            k: [0u8; LEN],
            v: [1u8; LEN],
        };
        d.update(seed);
        d
    }

    fn update(&mut self, seed: &[&[u8]]) {
        let mut parts: Vec<&[u8]> = Vec::with_capacity(seed.len() + 2);
        let v = self.v;
        parts.push(&v);
        parts.push(&[0u8]);
        parts.extend_from_slice(seed);
        self.k = hmac(&self.k, &parts);
        self.v = hmac(&self.k, &[&self.v]);
        if !seed.is_empty() {
            let v = self.v;
            parts[0] = &v;
            parts[1] = &[1u8];
            self.k = hmac(&self.k, &parts);
            self.v = hmac(&self.k, &[&self.v]);
        }
    }

    /// Fills `out` with output bits, then updates the state.
    pub(crate) fn generate(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(LEN) {
            self.v = hmac(&self.k, &[&self.v]);
            chunk.copy_from_slice(&self.v[..chunk.len()]);
        }
        self.update(&[]);
    }
}

impl Drop for Drbg {
    fn drop(&mut self) {
        self.k.zeroize();
        self.v.zeroize();
    }
}
