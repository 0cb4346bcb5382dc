//! GOST 28147-89 in its legacy byte convention (RFC 5830, RFC 4357), as used by CryptoPro and
//! gost-engine's "gost89" ciphers: ECB, counter mode ("gamma", RFC 5830 §6), CFB ("gamma with
//! feedback", RFC 5830 §7), both with optional CryptoPro key meshing (RFC 4357 §2.3), and the
//! MAC "imitovstavka" (RFC 5830 §8).
//!
//! The Feistel network is gostkit's constant-time Magma core (`super::magma`, AVX2 / SSSE3
//! byte-shuffle S-boxes or portable SWAR code, no secret-indexed lookups) with this key's S-box;
//! Magma reads key words and block halves big-endian (GOST R 34.12-2015), the legacy convention
//! reads the key as eight little-endian 32-bit words K0..K7 and the block as two little-endian
//! halves N1 = bytes 0..4, N2 = bytes 4..8 with N1 entering the first round (N1 is Magma's right
//! half a0, N2 the left half a1). The test vectors in `test-vectors/gost28147.toml` confirm this
//! mapping.
//!
//! Constant-time: key expansion, key meshing, ECB, CNT, CFB and the MAC (the serial CFB
//! encryption and MAC run one block in a SIMD register, or the portable SWAR rounds). ECB and
//! the CNT gamma are computed 32 blocks at a time on the SIMD backends.

use super::BlockCipher;
use super::magma::{self, Core, Order, Tables};
use crate::error::{CryptoError, check_key_len};
use zeroize::{Zeroize, ZeroizeOnDrop};

const ALG: &str = "GOST 28147-89";

/// The key-meshing constant C of RFC 4357 §2.3.1.
const MESHING_KEY: [u8; 32] = [
    0x69, 0x00, 0x72, 0x22, 0x64, 0xC9, 0x04, 0x23, 0x8D, 0x3A, 0xDB, 0x96, 0x46, 0xE9, 0x2A, 0xC4,
    0x18, 0xFE, 0xAC, 0x94, 0x00, 0xED, 0x07, 0x12, 0xC0, 0x86, 0xDC, 0xC2, 0xEF, 0x4C, 0xA9, 0x2B,
];

/// Bytes processed with one key before CryptoPro key meshing replaces it (RFC 4357 §2.3).
pub const MESHING_INTERVAL: usize = 1024;

/// Blocks per meshing interval.
const MESH_BLOCKS: u64 = (MESHING_INTERVAL / 8) as u64;

/// Counter-mode constants of GOST 28147-89 §3 (RFC 5830 §6): C2 added mod 2^32 to N3,
/// C1 added mod 2^32 - 1 to N4.
const C2: u32 = 0x0101_0101;
const C1: u32 = 0x0101_0104;

/// Length of the MAC ("imitovstavka") most protocols use (CMS, key wrap): 4 bytes.
pub const MAC_DEFAULT_LEN: usize = 4;

/// The S-box (substitution "parameter set") of a GOST 28147-89 key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SBox {
    /// id-Gost28147-89-CryptoPro-A-ParamSet (RFC 4357 §11.2), the CryptoPro/CMS default.
    CryptoProA,
    /// id-Gost28147-89-CryptoPro-B-ParamSet.
    CryptoProB,
    /// id-Gost28147-89-CryptoPro-C-ParamSet.
    CryptoProC,
    /// id-Gost28147-89-CryptoPro-D-ParamSet.
    CryptoProD,
    /// id-tc26-gost-28147-param-Z (RFC 7836), the S-box of GOST R 34.12-2015 Magma.
    Tc26Z,
    /// id-GostR3411-94-TestParamSet (RFC 5831 test S-box, also used by RFC 5830 examples).
    Test,
}

impl SBox {
    fn tables(self) -> &'static Tables {
        match self {
            Self::CryptoProA => &magma::TABLES_CRYPTOPRO_A,
            Self::CryptoProB => &magma::TABLES_CRYPTOPRO_B,
            Self::CryptoProC => &magma::TABLES_CRYPTOPRO_C,
            Self::CryptoProD => &magma::TABLES_CRYPTOPRO_D,
            Self::Tc26Z => &magma::TABLES_TC26_Z,
            Self::Test => &magma::TABLES_TEST,
        }
    }
}

/// GOST 28147-89 block cipher in the legacy little-endian convention, with a chosen S-box.
///
/// [`BlockCipher::new`] uses [`SBox::CryptoProA`]; use [`Gost28147::with_sbox`] for others.
#[derive(Clone)]
pub struct Gost28147 {
    core: Core,
    sbox: SBox,
}

impl Gost28147 {
    /// Expands a 32-byte key (legacy byte order) for the given S-box.
    pub fn with_sbox(key: &[u8], sbox: SBox) -> Result<Self, CryptoError> {
        Self::with_backend(key, sbox, magma::Backend::detect())
    }

    /// As [`Gost28147::with_sbox`] on a chosen backend (portable if the CPU lacks it).
    pub(crate) fn with_backend(
        key: &[u8],
        sbox: SBox,
        backend: magma::Backend,
    ) -> Result<Self, CryptoError> {
        check_key_len(ALG, key, 32)?;
        let mut k = [0u32; 8];
        for (w, c) in k.iter_mut().zip(key.chunks_exact(4)) {
            *w = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        let core = Core::with_backend(&k, sbox.tables(), Order::Le, backend);
        k.zeroize();
        Ok(Self { core, sbox })
    }

    /// The S-box this key was expanded with.
    pub fn sbox(&self) -> SBox {
        self.sbox
    }

    fn enc_raw(&self, b: &mut [u8; 8]) {
        self.core.encrypt_block(b);
    }

    fn dec_raw(&self, b: &mut [u8; 8]) {
        self.core.decrypt_block(b);
    }

    /// CryptoPro key meshing (RFC 4357 §2.3.1): the new key is the ECB decryption of the
    /// constant C under the current key.
    pub fn meshed(&self) -> Self {
        let mut nk = MESHING_KEY;
        self.core.decrypt_blocks(&mut nk);
        // The length is right by construction, so this cannot fail.
        let out = Self::with_backend(&nk, self.sbox, self.core.backend())
            .unwrap_or_else(|_| self.clone());
        nk.zeroize();
        out
    }

    /// ECB encryption in place (RFC 5830 §5); `data.len()` must be a multiple of 8.
    pub fn ecb_encrypt(&self, data: &mut [u8]) -> Result<(), CryptoError> {
        check_blocks(data.len())?;
        self.core.encrypt_blocks(data);
        Ok(())
    }

    /// ECB decryption in place (RFC 5830 §5); `data.len()` must be a multiple of 8.
    pub fn ecb_decrypt(&self, data: &mut [u8]) -> Result<(), CryptoError> {
        check_blocks(data.len())?;
        self.core.decrypt_blocks(data);
        Ok(())
    }

    /// One step of the 16-round MAC transformation (RFC 5830 §8): rounds with K0..K7 twice,
    /// no final swap, N1 || N2 written back little-endian.
    fn mac_step(&self, state: &mut [u8; 8]) {
        self.core.mac_step(state);
    }
}

fn check_blocks(len: usize) -> Result<(), CryptoError> {
    if len.is_multiple_of(8) {
        Ok(())
    } else {
        Err(CryptoError::InvalidDataLength {
            alg: ALG,
            expected: "a multiple of 8",
            got: len,
        })
    }
}

fn iv8(iv: &[u8]) -> Result<[u8; 8], CryptoError> {
    iv.try_into().map_err(|_| CryptoError::InvalidIvLength {
        alg: ALG,
        expected: "8 bytes",
        got: iv.len(),
    })
}

impl BlockCipher for Gost28147 {
    type Block = [u8; 8];
    const BLOCK_LEN: usize = 8;
    const NAME: &'static str = ALG;

    /// Expands `key` with the CryptoPro-A S-box.
    fn new(key: &[u8]) -> Result<Self, CryptoError> {
        Self::with_sbox(key, SBox::CryptoProA)
    }

    fn encrypt_block(&self, block: &mut [u8; 8]) {
        self.enc_raw(block);
    }

    fn decrypt_block(&self, block: &mut [u8; 8]) {
        self.dec_raw(block);
    }

    fn encrypt_blocks(&self, data: &mut [u8]) {
        self.core.encrypt_blocks(data);
    }

    fn decrypt_blocks(&self, data: &mut [u8]) {
        self.core.decrypt_blocks(data);
    }
}

/// The round keys live in the core, which zeroizes them on drop.
impl ZeroizeOnDrop for Gost28147 {}

impl core::fmt::Debug for Gost28147 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Gost28147 {{ sbox: {:?}, .. }}", self.sbox)
    }
}

/// Counter mode ("gamma", GOST 28147-89 §3 / RFC 5830 §6) as a stream: (N3, N4) = E(IV), then per
/// block N3 += C2 (mod 2^32), N4 += C1 (mod 2^32 - 1) and the gamma is E(N3 || N4). With
/// CryptoPro key meshing (RFC 4357 §2.3, gost-engine "gost89-cnt"), every 1024 bytes the key is
/// meshed and the counter state is encrypted with the new key.
///
/// Encryption and decryption are the same operation; data may be fed in chunks of any size.
#[derive(Clone)]
pub struct Gost28147Cnt {
    cipher: Gost28147,
    meshing: bool,
    state: [u8; 8],
    /// Gamma blocks computed ahead, `ks[pos..len]` not yet used.
    ks: [u8; KS_BUF],
    pos: usize,
    len: usize,
    blocks: u64,
}

/// Bytes of gamma computed at once (64 blocks, encrypted in parallel).
const KS_BUF: usize = 512;

impl Gost28147Cnt {
    /// Starts a counter-mode stream with an 8-byte synchro-message `iv`.
    pub fn new(cipher: &Gost28147, iv: &[u8], meshing: bool) -> Result<Self, CryptoError> {
        let mut state = iv8(iv)?;
        cipher.enc_raw(&mut state);
        Ok(Self {
            cipher: cipher.clone(),
            meshing,
            state,
            ks: [0; KS_BUF],
            pos: 0,
            len: 0,
            blocks: 0,
        })
    }

    /// Computes up to `want` gamma blocks (at least one, never across a meshing boundary).
    fn refill(&mut self, want: usize) {
        if self.meshing && self.blocks > 0 && self.blocks.is_multiple_of(MESH_BLOCKS) {
            self.cipher = self.cipher.meshed();
            self.cipher.enc_raw(&mut self.state);
        }
        let mut n = want.clamp(1, KS_BUF / 8);
        if self.meshing {
            let left = MESH_BLOCKS - self.blocks % MESH_BLOCKS;
            n = n.min(usize::try_from(left).unwrap_or(usize::MAX));
        }
        let s = &mut self.state;
        let mut n3 = u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let mut n4 = u32::from_le_bytes([s[4], s[5], s[6], s[7]]);
        for out in self.ks[..8 * n].chunks_exact_mut(8) {
            n3 = n3.wrapping_add(C2);
            let (sum, carry) = n4.overflowing_add(C1);
            // addition modulo 2^32 - 1: fold the carry back in (as gost-engine does)
            n4 = sum.wrapping_add(u32::from(carry));
            out[..4].copy_from_slice(&n3.to_le_bytes());
            out[4..].copy_from_slice(&n4.to_le_bytes());
        }
        s[..4].copy_from_slice(&n3.to_le_bytes());
        s[4..].copy_from_slice(&n4.to_le_bytes());
        n3.zeroize();
        n4.zeroize();
        self.cipher.core.encrypt_blocks(&mut self.ks[..8 * n]);
        self.blocks += n as u64;
        self.pos = 0;
        self.len = 8 * n;
    }

    /// XORs the next key-stream bytes into `data` (encrypts or decrypts in place).
    pub fn apply_keystream(&mut self, mut data: &mut [u8]) {
        while !data.is_empty() {
            if self.pos == self.len {
                self.refill(data.len().div_ceil(8));
            }
            let take = (self.len - self.pos).min(data.len());
            let (head, rest) = data.split_at_mut(take);
            for (d, k) in head.iter_mut().zip(&self.ks[self.pos..self.pos + take]) {
                *d ^= k;
            }
            self.pos += take;
            data = rest;
        }
    }
}

impl Drop for Gost28147Cnt {
    fn drop(&mut self) {
        self.state.zeroize();
        self.ks.zeroize();
    }
}

impl ZeroizeOnDrop for Gost28147Cnt {}

impl core::fmt::Debug for Gost28147Cnt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Gost28147Cnt { .. }")
    }
}

/// CFB mode ("gamma with feedback", RFC 5830 §7) as a stream, with optional CryptoPro key
/// meshing (RFC 4357 §2.3.2: every 1024 bytes the key is meshed and the current feedback
/// block is encrypted with the new key before producing the next gamma).
///
/// One value encrypts or decrypts, not both; data may be fed in chunks of any size.
#[derive(Clone)]
pub struct Gost28147Cfb {
    cipher: Gost28147,
    meshing: bool,
    /// Feedback register: the gamma of the current block, overwritten byte by byte with the
    /// ciphertext, so that once full it holds the next register value.
    buf: [u8; 8],
    used: usize,
    blocks: u64,
}

impl Gost28147Cfb {
    /// Starts a CFB stream with an 8-byte `iv`.
    pub fn new(cipher: &Gost28147, iv: &[u8], meshing: bool) -> Result<Self, CryptoError> {
        Ok(Self {
            cipher: cipher.clone(),
            meshing,
            buf: iv8(iv)?,
            used: 8,
            blocks: 0,
        })
    }

    fn next_gamma(&mut self) {
        if self.meshing && self.blocks > 0 && self.blocks.is_multiple_of(MESH_BLOCKS) {
            self.cipher = self.cipher.meshed();
            self.cipher.enc_raw(&mut self.buf);
        }
        self.cipher.enc_raw(&mut self.buf);
        self.blocks += 1;
        self.used = 0;
    }

    /// Encrypts `data` in place, continuing the stream.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        for byte in data.iter_mut() {
            if self.used == 8 {
                self.next_gamma();
            }
            *byte ^= self.buf[self.used];
            self.buf[self.used] = *byte;
            self.used += 1;
        }
    }

    /// Decrypts `data` in place, continuing the stream. Whole blocks are decrypted up to 64 at a
    /// time (the gamma inputs are the previous ciphertext blocks, known in advance).
    pub fn decrypt(&mut self, mut data: &mut [u8]) {
        while !data.is_empty() {
            if self.used == 8 && data.len() >= 8 {
                let done = self.decrypt_run(data);
                data = &mut data[done..];
                continue;
            }
            if self.used == 8 {
                self.next_gamma();
            }
            let c = data[0];
            data[0] ^= self.buf[self.used];
            self.buf[self.used] = c;
            self.used += 1;
            data = &mut data[1..];
        }
    }

    /// Decrypts a run of whole blocks at the start of `data` (at least one, at most 64, never
    /// across a meshing boundary) from a block boundary; returns the bytes done.
    fn decrypt_run(&mut self, data: &mut [u8]) -> usize {
        if self.meshing && self.blocks > 0 && self.blocks.is_multiple_of(MESH_BLOCKS) {
            self.cipher = self.cipher.meshed();
            self.cipher.enc_raw(&mut self.buf);
        }
        let mut n = (data.len() / 8).min(CFB_RUN);
        if self.meshing {
            let left = MESH_BLOCKS - self.blocks % MESH_BLOCKS;
            n = n.min(usize::try_from(left).unwrap_or(usize::MAX));
        }
        let mut g = [0u8; 8 * CFB_RUN];
        g[..8].copy_from_slice(&self.buf);
        g[8..8 * n].copy_from_slice(&data[..8 * (n - 1)]);
        self.buf.copy_from_slice(&data[8 * (n - 1)..8 * n]);
        self.cipher.core.encrypt_blocks(&mut g[..8 * n]);
        for (d, k) in data[..8 * n].iter_mut().zip(&g[..8 * n]) {
            *d ^= k;
        }
        g.zeroize();
        self.blocks += n as u64;
        8 * n
    }
}

/// Blocks of a parallel CFB decryption run.
const CFB_RUN: usize = 64;

impl Drop for Gost28147Cfb {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

impl ZeroizeOnDrop for Gost28147Cfb {}

impl core::fmt::Debug for Gost28147Cfb {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Gost28147Cfb { .. }")
    }
}

/// The GOST 28147-89 MAC "imitovstavka" (RFC 5830 §8) as a stream.
///
/// Data is zero-padded to whole blocks; a message of a single block gets an extra zero block
/// (the 16-round transformation is defined for at least two blocks), the empty message gives
/// an all-zero MAC. The optional IV is the initial state (RFC 4357 §6.1 uses the UKM). With
/// CryptoPro meshing the key is meshed every 1024 bytes; the MAC state is not re-encrypted
/// (as CryptoPro and gost-engine do).
#[derive(Clone)]
pub struct Gost28147Mac {
    cipher: Gost28147,
    meshing: bool,
    state: [u8; 8],
    partial: [u8; 8],
    plen: usize,
    blocks: u64,
}

impl Gost28147Mac {
    /// Starts a MAC; `iv`, if given, must be 8 bytes (zero otherwise).
    pub fn new(cipher: &Gost28147, iv: Option<&[u8]>, meshing: bool) -> Result<Self, CryptoError> {
        let state = match iv {
            Some(v) => iv8(v)?,
            None => [0; 8],
        };
        Ok(Self {
            cipher: cipher.clone(),
            meshing,
            state,
            partial: [0; 8],
            plen: 0,
            blocks: 0,
        })
    }

    fn process(&mut self, block: &[u8; 8]) {
        if self.meshing && self.blocks > 0 && self.blocks.is_multiple_of(MESH_BLOCKS) {
            self.cipher = self.cipher.meshed();
        }
        for (s, b) in self.state.iter_mut().zip(block) {
            *s ^= b;
        }
        self.cipher.mac_step(&mut self.state);
        self.blocks += 1;
    }

    /// Absorbs more data.
    pub fn update(&mut self, mut data: &[u8]) {
        // A full block is held back until more data arrives, so `finalize` knows whether
        // the message was a single block.
        while !data.is_empty() {
            if self.plen == 8 {
                let b = self.partial;
                self.process(&b);
                self.plen = 0;
            }
            let take = (8 - self.plen).min(data.len());
            self.partial[self.plen..self.plen + take].copy_from_slice(&data[..take]);
            self.plen += take;
            data = &data[take..];
        }
    }

    fn finish(mut self) -> [u8; 8] {
        if self.plen > 0 {
            self.partial[self.plen..].fill(0);
            let b = self.partial;
            self.process(&b);
            if self.blocks == 1 {
                self.process(&[0u8; 8]);
            }
        }
        self.state
    }

    /// The 4-byte MAC (the first four bytes of the final state, i.e. N1).
    pub fn finalize(self) -> [u8; MAC_DEFAULT_LEN] {
        let s = self.finish();
        [s[0], s[1], s[2], s[3]]
    }

    /// A MAC of `len` bytes, 1 ≤ `len` ≤ 8 (leading bytes of the final state).
    pub fn finalize_len(self, len: usize) -> Result<Vec<u8>, CryptoError> {
        if !(1..=8).contains(&len) {
            return Err(CryptoError::InvalidParameter {
                alg: ALG,
                detail: "MAC length must be 1..=8 bytes",
            });
        }
        Ok(self.finish()[..len].to_vec())
    }
}

impl Drop for Gost28147Mac {
    fn drop(&mut self) {
        self.state.zeroize();
        self.partial.zeroize();
    }
}

impl ZeroizeOnDrop for Gost28147Mac {}

impl core::fmt::Debug for Gost28147Mac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Gost28147Mac { .. }")
    }
}

/// One-shot 4-byte GOST 28147-89 MAC of `data` (optional 8-byte IV, optional key meshing).
pub fn gost28147_mac(
    cipher: &Gost28147,
    iv: Option<&[u8]>,
    data: &[u8],
    meshing: bool,
) -> Result<[u8; MAC_DEFAULT_LEN], CryptoError> {
    let mut m = Gost28147Mac::new(cipher, iv, meshing)?;
    m.update(data);
    Ok(m.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lengths() {
        assert!(Gost28147::with_sbox(&[0; 31], SBox::Test).is_err());
        let c = Gost28147::with_sbox(&[0; 32], SBox::Test).unwrap();
        assert!(c.ecb_encrypt(&mut [0; 7]).is_err());
        assert!(Gost28147Cnt::new(&c, &[0; 7], false).is_err());
        assert!(Gost28147Cfb::new(&c, &[0; 9], false).is_err());
        assert!(Gost28147Mac::new(&c, Some(&[0; 4]), false).is_err());
        assert_eq!(format!("{c:?}"), "Gost28147 { sbox: Test, .. }");
    }
}
