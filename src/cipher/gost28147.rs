//! GOST 28147-89 in its legacy byte convention (RFC 5830, RFC 4357), as used by CryptoPro and
//! gost-engine's "gost89" ciphers: ECB, counter mode ("gamma", RFC 5830 §6), CFB ("gamma with
//! feedback", RFC 5830 §7), both with optional CryptoPro key meshing (RFC 4357 §2.3), and the
//! MAC "imitovstavka" (RFC 5830 §8).
//!
//! The Feistel network is the `magma` crate's `Gost89<S>`; this module only adapts bytes.
//! The crate reads key words and block halves big-endian (GOST R 34.12-2015), the legacy
//! convention reads the key as eight little-endian 32-bit words K0..K7 and the block as two
//! little-endian halves N1 = bytes 0..4, N2 = bytes 4..8 with N1 entering the first round.
//! Hence: legacy key = crate key with the bytes of each 4-byte word reversed, and legacy block
//! = crate block with all 8 bytes reversed (N1 becomes the crate's right half a0, N2 the left
//! half a1). The test vectors in `test-vectors/gost28147.toml` confirm this mapping.
//!
//! Hand-written here because no crate offers them: the legacy counter/CFB modes, key meshing,
//! and the 16-round MAC. The MAC's half-cipher is written by hand over the crate's S-box
//! tables with a constant-time (masked, full-scan) S-box lookup.

use super::BlockCipher;
use crate::error::{CryptoError, check_key_len};
use cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
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

/// id-Gost28147-89-CryptoPro-D-ParamSet (OID 1.2.643.2.2.31.4) as tabulated in RFC 4357 §11.2.
///
/// Defined here because the table behind `magma::Gost89CryptoProD` (magma 0.10) is not this
/// parameter set: it fails the CryptoPro CSP vector "testcfb4" that this table passes. Rows are
/// in the crate's order, row i substituting nibble i (least significant first), i.e. RFC 4357's
/// K1 first.
enum CryptoProDRfc4357 {}

impl magma::Sbox for CryptoProDRfc4357 {
    const NAME: &'static str = "CryptoProD";
    const SBOX: SmallSbox = [
        [15, 12, 2, 10, 6, 4, 5, 0, 7, 9, 14, 13, 1, 11, 8, 3],
        [11, 6, 3, 4, 12, 15, 14, 2, 7, 13, 8, 0, 5, 10, 9, 1],
        [1, 12, 11, 0, 15, 14, 6, 5, 10, 13, 4, 8, 9, 3, 7, 2],
        [1, 5, 14, 12, 10, 7, 0, 13, 6, 2, 11, 4, 9, 3, 15, 8],
        [0, 12, 8, 9, 13, 2, 10, 11, 7, 3, 6, 5, 4, 14, 15, 1],
        [8, 0, 15, 3, 2, 5, 14, 11, 1, 10, 4, 7, 12, 9, 13, 6],
        [3, 0, 6, 15, 1, 14, 9, 2, 13, 8, 12, 4, 11, 10, 5, 7],
        [1, 10, 6, 8, 15, 11, 0, 4, 12, 3, 5, 9, 7, 13, 2, 14],
    ];
}

#[derive(Clone)]
enum Inner {
    A(magma::Gost89CryptoProA),
    B(magma::Gost89CryptoProB),
    C(magma::Gost89CryptoProC),
    D(magma::Gost89<CryptoProDRfc4357>),
    Z(magma::Magma),
    T(magma::Gost89Test),
}

type SmallSbox = [[u8; 16]; 8];

fn table_of<S: magma::Sbox>(_: &magma::Gost89<S>) -> SmallSbox {
    S::SBOX
}

/// GOST 28147-89 block cipher in the legacy little-endian convention, with a chosen S-box.
///
/// [`BlockCipher::new`] uses [`SBox::CryptoProA`]; use [`Gost28147::with_sbox`] for others.
#[derive(Clone)]
pub struct Gost28147 {
    inner: Inner,
    sbox: SBox,
    /// K0..K7 as little-endian words, kept for the 16-round MAC.
    k: [u32; 8],
}

impl Gost28147 {
    /// Expands a 32-byte key (legacy byte order) for the given S-box.
    pub fn with_sbox(key: &[u8], sbox: SBox) -> Result<Self, CryptoError> {
        check_key_len(ALG, key, 32)?;
        let mut swapped: Array<u8, cipher::consts::U32> = Array::default();
        let mut k = [0u32; 8];
        for (i, (dst, src)) in swapped
            .chunks_exact_mut(4)
            .zip(key.chunks_exact(4))
            .enumerate()
        {
            for j in 0..4 {
                dst[j] = src[3 - j];
            }
            k[i] = u32::from_le_bytes([src[0], src[1], src[2], src[3]]);
        }
        let inner = match sbox {
            SBox::CryptoProA => Inner::A(KeyInit::new(&swapped)),
            SBox::CryptoProB => Inner::B(KeyInit::new(&swapped)),
            SBox::CryptoProC => Inner::C(KeyInit::new(&swapped)),
            SBox::CryptoProD => Inner::D(KeyInit::new(&swapped)),
            SBox::Tc26Z => Inner::Z(KeyInit::new(&swapped)),
            SBox::Test => Inner::T(KeyInit::new(&swapped)),
        };
        swapped.zeroize();
        Ok(Self { inner, sbox, k })
    }

    /// The S-box this key was expanded with.
    pub fn sbox(&self) -> SBox {
        self.sbox
    }

    fn table(&self) -> SmallSbox {
        match &self.inner {
            Inner::A(c) => table_of(c),
            Inner::B(c) => table_of(c),
            Inner::C(c) => table_of(c),
            Inner::D(c) => table_of(c),
            Inner::Z(c) => table_of(c),
            Inner::T(c) => table_of(c),
        }
    }

    fn enc_raw(&self, b: &mut [u8; 8]) {
        b.reverse();
        let a = b.into();
        match &self.inner {
            Inner::A(c) => c.encrypt_block(a),
            Inner::B(c) => c.encrypt_block(a),
            Inner::C(c) => c.encrypt_block(a),
            Inner::D(c) => c.encrypt_block(a),
            Inner::Z(c) => c.encrypt_block(a),
            Inner::T(c) => c.encrypt_block(a),
        }
        b.reverse();
    }

    fn dec_raw(&self, b: &mut [u8; 8]) {
        b.reverse();
        let a = b.into();
        match &self.inner {
            Inner::A(c) => c.decrypt_block(a),
            Inner::B(c) => c.decrypt_block(a),
            Inner::C(c) => c.decrypt_block(a),
            Inner::D(c) => c.decrypt_block(a),
            Inner::Z(c) => c.decrypt_block(a),
            Inner::T(c) => c.decrypt_block(a),
        }
        b.reverse();
    }

    /// CryptoPro key meshing (RFC 4357 §2.3.1): the new key is the ECB decryption of the
    /// constant C under the current key.
    pub fn meshed(&self) -> Self {
        let mut nk = MESHING_KEY;
        for chunk in nk.chunks_exact_mut(8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            self.dec_raw(&mut b);
            chunk.copy_from_slice(&b);
            b.zeroize();
        }
        // The length is right by construction, so this cannot fail.
        let out = Self::with_sbox(&nk, self.sbox).unwrap_or_else(|_| self.clone());
        nk.zeroize();
        out
    }

    /// ECB encryption in place (RFC 5830 §5); `data.len()` must be a multiple of 8.
    pub fn ecb_encrypt(&self, data: &mut [u8]) -> Result<(), CryptoError> {
        check_blocks(data.len())?;
        for chunk in data.chunks_exact_mut(8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            self.enc_raw(&mut b);
            chunk.copy_from_slice(&b);
        }
        Ok(())
    }

    /// ECB decryption in place (RFC 5830 §5); `data.len()` must be a multiple of 8.
    pub fn ecb_decrypt(&self, data: &mut [u8]) -> Result<(), CryptoError> {
        check_blocks(data.len())?;
        for chunk in data.chunks_exact_mut(8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            self.dec_raw(&mut b);
            chunk.copy_from_slice(&b);
        }
        Ok(())
    }

    /// One step of the 16-round MAC transformation (RFC 5830 §8): rounds with K0..K7 twice,
    /// no final swap, N1 || N2 written back little-endian.
    fn mac_step(&self, table: &SmallSbox, state: &mut [u8; 8]) {
        let mut n1 = u32::from_le_bytes([state[0], state[1], state[2], state[3]]);
        let mut n2 = u32::from_le_bytes([state[4], state[5], state[6], state[7]]);
        for _ in 0..2 {
            for pair in self.k.chunks_exact(2) {
                n2 ^= ct_g(table, n1.wrapping_add(pair[0]));
                n1 ^= ct_g(table, n2.wrapping_add(pair[1]));
            }
        }
        state[..4].copy_from_slice(&n1.to_le_bytes());
        state[4..].copy_from_slice(&n2.to_le_bytes());
        n1.zeroize();
        n2.zeroize();
    }
}

/// Round function of GOST 28147-89 (S-box substitution, then rotate left 11) with a
/// constant-time substitution: every S-box entry is read and selected by mask.
fn ct_g(table: &SmallSbox, x: u32) -> u32 {
    let mut out = 0u32;
    for (i, row) in table.iter().enumerate() {
        let nib = (x >> (4 * i)) & 0xf;
        let mut v = 0u32;
        for (j, &e) in row.iter().enumerate() {
            let d = nib ^ (j as u32);
            // all-ones when d == 0, zero otherwise
            let mask = ((d | d.wrapping_neg()) >> 31).wrapping_sub(1);
            v |= mask & u32::from(e);
        }
        out |= v << (4 * i);
    }
    out.rotate_left(11)
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
}

impl Drop for Gost28147 {
    fn drop(&mut self) {
        self.k.zeroize();
    }
}

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
    gamma: [u8; 8],
    used: usize,
    blocks: u64,
}

impl Gost28147Cnt {
    /// Starts a counter-mode stream with an 8-byte synchro-message `iv`.
    pub fn new(cipher: &Gost28147, iv: &[u8], meshing: bool) -> Result<Self, CryptoError> {
        let mut state = iv8(iv)?;
        cipher.enc_raw(&mut state);
        Ok(Self {
            cipher: cipher.clone(),
            meshing,
            state,
            gamma: [0; 8],
            used: 8,
            blocks: 0,
        })
    }

    fn next_gamma(&mut self) {
        if self.meshing && self.blocks > 0 && self.blocks.is_multiple_of(MESH_BLOCKS) {
            self.cipher = self.cipher.meshed();
            self.cipher.enc_raw(&mut self.state);
        }
        let s = &mut self.state;
        let n3 = u32::from_le_bytes([s[0], s[1], s[2], s[3]]).wrapping_add(C2);
        let old = u32::from_le_bytes([s[4], s[5], s[6], s[7]]);
        let (mut n4, carry) = old.overflowing_add(C1);
        // addition modulo 2^32 - 1: fold the carry back in (as gost-engine does)
        n4 = n4.wrapping_add(u32::from(carry));
        s[..4].copy_from_slice(&n3.to_le_bytes());
        s[4..].copy_from_slice(&n4.to_le_bytes());
        self.gamma = *s;
        self.cipher.enc_raw(&mut self.gamma);
        self.blocks += 1;
        self.used = 0;
    }

    /// XORs the next key-stream bytes into `data` (encrypts or decrypts in place).
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        for byte in data.iter_mut() {
            if self.used == 8 {
                self.next_gamma();
            }
            *byte ^= self.gamma[self.used];
            self.used += 1;
        }
    }
}

impl Drop for Gost28147Cnt {
    fn drop(&mut self) {
        self.state.zeroize();
        self.gamma.zeroize();
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

    /// Decrypts `data` in place, continuing the stream.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        for byte in data.iter_mut() {
            if self.used == 8 {
                self.next_gamma();
            }
            let c = *byte;
            *byte ^= self.buf[self.used];
            self.buf[self.used] = c;
            self.used += 1;
        }
    }
}

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
    table: SmallSbox,
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
            table: cipher.table(),
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
        self.cipher.mac_step(&self.table, &mut self.state);
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
    fn ct_g_matches_crate_tables() {
        // The masked substitution equals a direct table lookup.
        let c = Gost28147::with_sbox(&[1u8; 32], SBox::CryptoProA).unwrap();
        let t = c.table();
        for x in [0u32, 0xffff_ffff, 0x1234_5678, 0x8765_4321, 0xdead_beef] {
            let mut direct = 0u32;
            for (i, row) in t.iter().enumerate() {
                direct |= u32::from(row[((x >> (4 * i)) & 0xf) as usize]) << (4 * i);
            }
            assert_eq!(ct_g(&t, x), direct.rotate_left(11));
        }
    }

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
