//! Block ciphers and their modes.
//!
//! GOST R 34.12-2015 Kuznyechik (RFC 7801) is provided by the RustCrypto `kuznyechik` crate
//! behind gostkit's own [`Kuznyechik`] type; Magma (RFC 8891) and GOST 28147-89 run on gostkit's
//! own constant-time core (`magma` module: AVX2 / SSSE3 byte-shuffle S-boxes, portable SWAR
//! fallback). Both use the GOST R 34.12-2015 byte convention: keys and blocks are big-endian byte
//! strings as printed in the standard.

pub mod gost28147;
pub mod keywrap;
mod magma;
pub mod mgm;

use crate::error::{CryptoError, check_key_len};
use cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use zeroize::Zeroize;

pub mod acpkm;
pub mod kexp15;
pub mod modes;

/// A 64- or 128-bit block cipher with a 256-bit key, the common interface of every mode.
pub trait BlockCipher: Clone {
    /// One block as a fixed-size array (`[u8; 16]` or `[u8; 8]`).
    type Block: Copy + Default + AsRef<[u8]> + AsMut<[u8]> + Zeroize + Eq + core::fmt::Debug;
    /// Block length in bytes.
    const BLOCK_LEN: usize;
    /// Key length in bytes.
    const KEY_LEN: usize = 32;
    /// Algorithm name, used in errors.
    const NAME: &'static str;

    /// Expands a key; fails unless `key.len() == KEY_LEN`.
    fn new(key: &[u8]) -> Result<Self, CryptoError>;
    /// Encrypts one block in place.
    fn encrypt_block(&self, block: &mut Self::Block);
    /// Decrypts one block in place.
    fn decrypt_block(&self, block: &mut Self::Block);

    /// Encrypts consecutive blocks in place; `data.len()` must be a multiple of `BLOCK_LEN`
    /// (a trailing partial block is left untouched). Backends override this with parallel code.
    fn encrypt_blocks(&self, data: &mut [u8]) {
        for chunk in data.chunks_exact_mut(Self::BLOCK_LEN) {
            let mut b = Self::Block::default();
            b.as_mut().copy_from_slice(chunk);
            self.encrypt_block(&mut b);
            chunk.copy_from_slice(b.as_ref());
        }
    }

    /// Decrypts consecutive blocks in place, as [`BlockCipher::encrypt_blocks`] (ECB, CBC and
    /// CFB decryption are parallel).
    fn decrypt_blocks(&self, data: &mut [u8]) {
        for chunk in data.chunks_exact_mut(Self::BLOCK_LEN) {
            let mut b = Self::Block::default();
            b.as_mut().copy_from_slice(chunk);
            self.decrypt_block(&mut b);
            chunk.copy_from_slice(b.as_ref());
            b.zeroize();
        }
    }
}

/// GOST R 34.12-2015 "Kuznyechik": 128-bit block, 256-bit key (RFC 7801).
#[derive(Clone)]
pub struct Kuznyechik(kuznyechik::Kuznyechik);

impl BlockCipher for Kuznyechik {
    type Block = [u8; 16];
    const BLOCK_LEN: usize = 16;
    const NAME: &'static str = "Kuznyechik";

    fn new(key: &[u8]) -> Result<Self, CryptoError> {
        check_key_len(Self::NAME, key, Self::KEY_LEN)?;
        let mut k = Array::default();
        k.copy_from_slice(key);
        let c = kuznyechik::Kuznyechik::new(&k);
        k.zeroize();
        Ok(Self(c))
    }

    fn encrypt_block(&self, block: &mut [u8; 16]) {
        self.0.encrypt_block(block.into());
    }

    fn decrypt_block(&self, block: &mut [u8; 16]) {
        self.0.decrypt_block(block.into());
    }

    fn encrypt_blocks(&self, data: &mut [u8]) {
        let n = data.len() / 16 * 16;
        let (blocks, _) = Array::<u8, cipher::consts::U16>::slice_as_chunks_mut(&mut data[..n]);
        self.0.encrypt_blocks(blocks);
    }
}

impl core::fmt::Debug for Kuznyechik {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Kuznyechik { .. }")
    }
}

/// GOST R 34.12-2015 "Magma": 64-bit block, 256-bit key, TC26 S-box, big-endian convention (RFC 8891).
///
/// Constant-time on every backend (see the `magma` module); `encrypt_blocks` runs 32 blocks at a
/// time on AVX2/SSSE3. For the legacy GOST 28147-89 little-endian convention and other S-boxes
/// see `gost28147`.
#[derive(Clone)]
pub struct Magma(magma::Core);

impl Magma {
    /// Key words K1..K8 of RFC 8891 §4.3: the key read as eight big-endian 32-bit words.
    fn words(key: &[u8]) -> [u32; 8] {
        let mut k = [0u32; 8];
        for (w, c) in k.iter_mut().zip(key.chunks_exact(4)) {
            *w = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        k
    }

    /// As [`BlockCipher::new`] on a chosen backend (tests and the constant-time check).
    #[cfg(test)]
    pub(crate) fn with_backend(key: &[u8], b: magma::Backend) -> Result<Self, CryptoError> {
        check_key_len(Self::NAME, key, Self::KEY_LEN)?;
        let mut k = Self::words(key);
        let c = magma::Core::with_backend(&k, &magma::TABLES_TC26_Z, magma::Order::Be, b);
        k.zeroize();
        Ok(Self(c))
    }
}

impl BlockCipher for Magma {
    type Block = [u8; 8];
    const BLOCK_LEN: usize = 8;
    const NAME: &'static str = "Magma";

    fn new(key: &[u8]) -> Result<Self, CryptoError> {
        check_key_len(Self::NAME, key, Self::KEY_LEN)?;
        let mut k = Self::words(key);
        let c = magma::Core::new(&k, &magma::TABLES_TC26_Z, magma::Order::Be);
        k.zeroize();
        Ok(Self(c))
    }

    fn encrypt_block(&self, block: &mut [u8; 8]) {
        self.0.encrypt_block(block);
    }

    fn decrypt_block(&self, block: &mut [u8; 8]) {
        self.0.decrypt_block(block);
    }

    fn encrypt_blocks(&self, data: &mut [u8]) {
        self.0.encrypt_blocks(data);
    }

    fn decrypt_blocks(&self, data: &mut [u8]) {
        self.0.decrypt_blocks(data);
    }
}

impl core::fmt::Debug for Magma {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Magma { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_key_length_is_an_error() {
        assert!(matches!(
            Kuznyechik::new(&[0u8; 31]),
            Err(CryptoError::InvalidKeyLength {
                expected: 32,
                got: 31,
                ..
            })
        ));
        assert!(Magma::new(&[0u8; 33]).is_err());
    }

    #[test]
    fn debug_hides_key() {
        let k = Kuznyechik::new(&[0x42; 32]).unwrap();
        assert_eq!(format!("{k:?}"), "Kuznyechik { .. }");
    }
}
