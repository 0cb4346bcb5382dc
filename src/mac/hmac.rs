//! HMAC_GOSTR3411_2012_256 and HMAC_GOSTR3411_2012_512 (RFC 7836 §4.1.1–4.1.2, R 50.1.113-2016):
//! RFC 2104 HMAC over Streebog, block size 64 bytes.
//!
//! The RustCrypto `hmac` crate does the work over the `streebog` crate's types (the same ones
//! behind [`crate::hash::Streebog256`] / [`crate::hash::Streebog512`]); these wrappers add the
//! constant-time `verify` and the layer's error type.

use digest::{KeyInit, Mac};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::CryptoError;

macro_rules! hmac_wrapper {
    ($(#[$doc:meta])* $name:ident, $hash:ty, $len:expr, $label:expr) => {
        $(#[$doc])*
        ///
        /// The keyed state (the hash states after absorbing `K xor ipad` / `K xor opad`) is wiped
        /// on drop by the `streebog`/`hmac` crates (`zeroize` feature); `Debug` prints no state.
        #[derive(Clone)]
        pub struct $name(hmac::Hmac<$hash>);

        impl $name {
            /// Tag length in bytes.
            pub const OUTPUT_LEN: usize = $len;
            /// Algorithm name (as used in error messages).
            pub const NAME: &'static str = $label;

            /// A MAC state keyed with `key` (any length: longer than 64 bytes is hashed first,
            /// as RFC 2104 says).
            pub fn new(key: &[u8]) -> Self {
                // RFC 2104 key preparation done here so that the infallible `KeyInit::new`
                // (64-byte block key) can be used and the padded copy wiped afterwards.
                let mut block = digest::Key::<hmac::Hmac<$hash>>::default();
                if key.len() <= block.len() {
                    block.iter_mut().zip(key).for_each(|(b, k)| *b = *k);
                } else {
                    let mut hk = <$hash as digest::Digest>::digest(key);
                    block.iter_mut().zip(hk.iter()).for_each(|(b, k)| *b = *k);
                    hk.as_mut_slice().zeroize();
                }
                let inner = <hmac::Hmac<$hash> as KeyInit>::new(&block);
                block.as_mut_slice().zeroize();
                Self(inner)
            }

            /// Absorbs more data.
            pub fn update(&mut self, data: &[u8]) {
                Mac::update(&mut self.0, data);
            }

            /// Finishes and returns the tag.
            pub fn finalize(self) -> [u8; $len] {
                let mut out = [0u8; $len];
                out.copy_from_slice(&Mac::finalize(self.0).into_bytes());
                out
            }

            /// Finishes and compares the tag with `tag` in constant time.
            ///
            /// # Errors
            /// [`CryptoError::AuthenticationFailed`] when `tag` is not exactly this tag
            /// (a tag of another length is refused too, without revealing anything else).
            pub fn verify(self, tag: &[u8]) -> Result<(), CryptoError> {
                let mut expected = self.finalize();
                let ok: bool = expected.as_slice().ct_eq(tag).into();
                expected.zeroize();
                if ok {
                    Ok(())
                } else {
                    Err(CryptoError::AuthenticationFailed { alg: Self::NAME })
                }
            }

            /// One-shot tag of `data` under `key`.
            pub fn mac(key: &[u8], data: &[u8]) -> [u8; $len] {
                let mut m = Self::new(key);
                m.update(data);
                m.finalize()
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }

        // The inner Streebog cores and the block buffer zeroize themselves on drop (streebog,
        // digest and block-buffer `zeroize` features, all enabled in Cargo.toml).
        impl ZeroizeOnDrop for $name {}
    };
}

hmac_wrapper!(
    /// HMAC_GOSTR3411_2012_256: HMAC with Streebog-256, 32-byte tag (RFC 7836 §4.1.1).
    HmacStreebog256, streebog::Streebog256, 32, "hmac-streebog256"
);
hmac_wrapper!(
    /// HMAC_GOSTR3411_2012_512: HMAC with Streebog-512, 64-byte tag (RFC 7836 §4.1.2).
    HmacStreebog512, streebog::Streebog512, 64, "hmac-streebog512"
);
