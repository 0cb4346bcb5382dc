//! The hedged derivation of secret scalars: HMAC-Streebog-512 (RFC 7836 §4.1.1) keyed with 64
//! fresh bytes from the OS, over a label, the secret inputs (key, digest, caller entropy) and a
//! block counter — a one-call HMAC-based generator in the spirit of SP 800-90A HMAC_DRBG's
//! generate step, kept to one HMAC per 64 output bytes because Streebog dominates signing time.
//! A weak or repeated random key still leaves k a secret function of d and the digest.

use crate::mac::HmacStreebog512;

/// Generator state: the HMAC already keyed and fed with the seed parts, and the block counter.
pub(crate) struct Drbg {
    prefix: HmacStreebog512,
    counter: u32,
}

impl Drbg {
    /// Keys HMAC with `key` (fresh randomness) and absorbs the `parts`, each prefixed by its length.
    pub(crate) fn new(key: &[u8], parts: &[&[u8]]) -> Self {
        let mut prefix = HmacStreebog512::new(key);
        for p in parts {
            prefix.update(&(p.len() as u32).to_be_bytes());
            prefix.update(p);
        }
        Drbg { prefix, counter: 0 }
    }

    /// Fills `out` with fresh output blocks HMAC(key, parts || counter).
    pub(crate) fn generate(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(64) {
            let mut m = self.prefix.clone();
            m.update(&self.counter.to_be_bytes());
            self.counter = self.counter.wrapping_add(1);
            let block = m.finalize();
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
    }
}
