//! gostkit's own GOST 28147-89 / Magma core (RFC 5830 §5, RFC 8891 §4): one Feistel network for
//! every S-box parameter set, with four backends chosen once per key from the CPU features
//! (cached by `is_x86_feature_detected!`): AVX-512 VBMI (AVX2 for many blocks, `vpermb` for one
//! block at a time), AVX2 (`vpshufb`, 8 blocks per register), SSSE3 (`pshufb`, 4 blocks per
//! register) and a portable SWAR fallback. The serial modes (CBC and CFB encryption, the MACs)
//! go through a dedicated single-block routine per backend that keeps state and tables in
//! registers for all rounds.
//!
//! What is constant-time: the key schedule (word loads only), the round function of every
//! backend (addition mod 2^32, S-box layer, rotation by 11) and the byte conversions: no branch
//! and no memory address depends on the key, the data or the cipher state. The S-box layer is a
//! register shuffle (SIMD) or a one-hot mask selection over all 16 table columns (portable);
//! the tables themselves are public parameters. Timing depends only on the number of blocks.
//! `scripts/ct-check.sh` checks this under valgrind memcheck for each backend valgrind can run:
//! valgrind (3.19) has no AVX-512, hides it from CPUID, and so covers the AVX-512 single-block
//! routine (`avx512.rs`) only by its construction (no branch but the loop over the round keys,
//! no load but the tables, the round keys and the block).

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
#[macro_use]
mod shuffle_rounds;
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
mod avx2;
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
mod avx512;
mod portable;
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
mod ssse3;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Eight rows of 16 nibbles; row i substitutes nibble i (least significant first), i.e. the
/// standard's π_0 / K1 first.
pub(crate) type SmallSbox = [[u8; 16]; 8];

/// id-tc26-gost-28147-param-Z (RFC 7836 §A.1, GOST R 34.12-2015 §5.1.1 π_0..π_7).
pub(crate) const SBOX_TC26_Z: SmallSbox = [
    [12, 4, 6, 2, 10, 5, 11, 9, 14, 8, 13, 7, 0, 3, 15, 1],
    [6, 8, 2, 3, 9, 10, 5, 12, 1, 14, 4, 7, 11, 13, 0, 15],
    [11, 3, 5, 8, 2, 15, 10, 13, 14, 1, 7, 4, 12, 9, 6, 0],
    [12, 8, 2, 1, 13, 4, 15, 6, 7, 0, 10, 5, 3, 14, 9, 11],
    [7, 15, 5, 10, 8, 1, 6, 13, 0, 9, 3, 14, 11, 4, 2, 12],
    [5, 13, 15, 6, 9, 2, 12, 10, 11, 7, 8, 1, 4, 3, 14, 0],
    [8, 14, 2, 5, 6, 9, 1, 12, 15, 4, 11, 0, 13, 10, 3, 7],
    [1, 7, 14, 13, 0, 5, 8, 3, 4, 15, 10, 6, 9, 12, 11, 2],
];

/// id-GostR3411-94-TestParamSet (RFC 5831 §7.1, the S-box of RFC 5830's examples).
pub(crate) const SBOX_TEST: SmallSbox = [
    [4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3],
    [14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9],
    [5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11],
    [7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3],
    [6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2],
    [4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14],
    [13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12],
    [1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12],
];

/// id-Gost28147-89-CryptoPro-A-ParamSet (RFC 4357 §11.2).
pub(crate) const SBOX_CRYPTOPRO_A: SmallSbox = [
    [9, 6, 3, 2, 8, 11, 1, 7, 10, 4, 14, 15, 12, 0, 13, 5],
    [3, 7, 14, 9, 8, 10, 15, 0, 5, 2, 6, 12, 11, 4, 13, 1],
    [14, 4, 6, 2, 11, 3, 13, 8, 12, 15, 5, 10, 0, 7, 1, 9],
    [14, 7, 10, 12, 13, 1, 3, 9, 0, 2, 11, 4, 15, 8, 5, 6],
    [11, 5, 1, 9, 8, 13, 15, 0, 14, 4, 2, 3, 12, 7, 10, 6],
    [3, 10, 13, 12, 1, 2, 0, 11, 7, 5, 9, 4, 8, 15, 14, 6],
    [1, 13, 2, 9, 7, 10, 6, 0, 8, 12, 4, 5, 15, 3, 11, 14],
    [11, 10, 15, 5, 0, 12, 14, 8, 6, 2, 3, 9, 1, 7, 13, 4],
];

/// id-Gost28147-89-CryptoPro-B-ParamSet (RFC 4357 §11.2).
pub(crate) const SBOX_CRYPTOPRO_B: SmallSbox = [
    [8, 4, 11, 1, 3, 5, 0, 9, 2, 14, 10, 12, 13, 6, 7, 15],
    [0, 1, 2, 10, 4, 13, 5, 12, 9, 7, 3, 15, 11, 8, 6, 14],
    [14, 12, 0, 10, 9, 2, 13, 11, 7, 5, 8, 15, 3, 6, 1, 4],
    [7, 5, 0, 13, 11, 6, 1, 2, 3, 10, 12, 15, 4, 14, 9, 8],
    [2, 7, 12, 15, 9, 5, 10, 11, 1, 4, 0, 13, 6, 8, 14, 3],
    [8, 3, 2, 6, 4, 13, 14, 11, 12, 1, 7, 15, 10, 0, 9, 5],
    [5, 2, 10, 11, 9, 1, 12, 3, 7, 4, 13, 0, 6, 15, 8, 14],
    [0, 4, 11, 14, 8, 3, 7, 1, 10, 2, 9, 6, 15, 13, 5, 12],
];

/// id-Gost28147-89-CryptoPro-C-ParamSet (RFC 4357 §11.2).
pub(crate) const SBOX_CRYPTOPRO_C: SmallSbox = [
    [1, 11, 12, 2, 9, 13, 0, 15, 4, 5, 8, 14, 10, 7, 6, 3],
    [0, 1, 7, 13, 11, 4, 5, 2, 8, 14, 15, 12, 9, 10, 6, 3],
    [8, 2, 5, 0, 4, 9, 15, 10, 3, 7, 12, 13, 6, 14, 1, 11],
    [3, 6, 0, 1, 5, 13, 10, 8, 11, 2, 9, 7, 14, 15, 12, 4],
    [8, 13, 11, 0, 4, 5, 1, 2, 9, 3, 12, 14, 6, 15, 10, 7],
    [12, 9, 11, 1, 8, 14, 2, 4, 7, 3, 6, 5, 10, 0, 15, 13],
    [10, 9, 6, 8, 13, 14, 2, 0, 15, 3, 5, 11, 4, 1, 12, 7],
    [7, 4, 0, 5, 10, 2, 15, 14, 12, 6, 1, 11, 13, 9, 3, 8],
];

/// id-Gost28147-89-CryptoPro-D-ParamSet (OID 1.2.643.2.2.31.4) as tabulated in RFC 4357 §11.2
/// (the `magma` 0.10 crate's `CryptoProD` table is a different one and fails CryptoPro CSP's
/// "testcfb4" vector, which this table passes).
pub(crate) const SBOX_CRYPTOPRO_D: SmallSbox = [
    [15, 12, 2, 10, 6, 4, 5, 0, 7, 9, 14, 13, 1, 11, 8, 3],
    [11, 6, 3, 4, 12, 15, 14, 2, 7, 13, 8, 0, 5, 10, 9, 1],
    [1, 12, 11, 0, 15, 14, 6, 5, 10, 13, 4, 8, 9, 3, 7, 2],
    [1, 5, 14, 12, 10, 7, 0, 13, 6, 2, 11, 4, 9, 3, 15, 8],
    [0, 12, 8, 9, 13, 2, 10, 11, 7, 3, 6, 5, 4, 14, 15, 1],
    [8, 0, 15, 3, 2, 5, 14, 11, 1, 10, 4, 7, 12, 9, 13, 6],
    [3, 0, 6, 15, 1, 14, 9, 2, 13, 8, 12, 4, 11, 10, 5, 7],
    [1, 10, 6, 8, 15, 11, 0, 4, 12, 3, 5, 9, 7, 13, 2, 14],
];

/// The S-box of one parameter set in the forms the backends use (all public data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tables {
    /// `cols[v]`: nibble i = row i at input v (portable backend).
    cols: [u32; 16],
    /// `shuf[2p]`: row 2p as a 16-byte shuffle table, `shuf[2p + 1]`: row 2p + 1 shifted into
    /// the high nibble (byte p of a 32-bit word = rows 2p and 2p + 1).
    shuf: [[u8; 16]; 8],
    /// `pos[p]`: 0x80 in every byte of a 32-bit lane except byte p (the shuffle masks).
    pos: [[u8; 16]; 4],
    /// `perm_lo[16p + v]`: row 2p at v; `perm_hi[16p + v]`: row 2p + 1 at v in the high nibble
    /// (64-byte `vpermb` tables: index = nibble | byte position << 4).
    perm_lo: [u8; 64],
    perm_hi: [u8; 64],
}

impl Tables {
    pub(crate) const fn new(s: &SmallSbox) -> Self {
        let mut cols = [0u32; 16];
        let mut shuf = [[0u8; 16]; 8];
        let mut pos = [[0u8; 16]; 4];
        let mut perm_lo = [0u8; 64];
        let mut perm_hi = [0u8; 64];
        let mut v = 0;
        while v < 16 {
            let mut i = 0;
            while i < 8 {
                cols[v] |= (s[i][v] as u32 & 0xf) << (4 * i);
                shuf[i][v] = if i % 2 == 0 {
                    s[i][v] & 0xf
                } else {
                    (s[i][v] & 0xf) << 4
                };
                i += 1;
            }
            let mut p = 0;
            while p < 4 {
                pos[p][v] = if v % 4 == p { 0 } else { 0x80 };
                perm_lo[16 * p + v] = s[2 * p][v] & 0xf;
                perm_hi[16 * p + v] = (s[2 * p + 1][v] & 0xf) << 4;
                p += 1;
            }
            v += 1;
        }
        Self {
            cols,
            shuf,
            pos,
            perm_lo,
            perm_hi,
        }
    }
}

/// A backend of the round function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backend {
    /// Portable SWAR code.
    Portable,
    /// SSSE3 `pshufb`.
    Ssse3,
    /// AVX2 `vpshufb`.
    Avx2,
    /// AVX2 for many blocks, AVX-512 VBMI `vpermb` for one block at a time.
    Avx512,
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn has_ssse3() -> bool {
    std::arch::is_x86_feature_detected!("ssse3")
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

impl Backend {
    /// The fastest backend this CPU supports.
    pub(crate) fn detect() -> Self {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        {
            if has_avx2() && avx512::available() {
                return Self::Avx512;
            }
            if has_avx2() {
                return Self::Avx2;
            }
            if has_ssse3() {
                return Self::Ssse3;
            }
        }
        Self::Portable
    }

    /// Whether this CPU can run the backend.
    pub(crate) fn available(self) -> bool {
        match self {
            Self::Portable => true,
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Self::Ssse3 => has_ssse3(),
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Self::Avx2 => has_avx2(),
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Self::Avx512 => has_avx2() && avx512::available(),
            #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
            _ => false,
        }
    }

    /// Every backend this CPU can run (for tests and the constant-time check).
    #[cfg(test)]
    pub(crate) fn all_available() -> Vec<Self> {
        [Self::Portable, Self::Ssse3, Self::Avx2, Self::Avx512]
            .into_iter()
            .filter(|b| b.available())
            .collect()
    }
}

/// Byte convention of a 64-bit block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// GOST R 34.12-2015 / RFC 8891: a1 = bytes 0..4, a0 = bytes 4..8, big-endian.
    Be,
    /// GOST 28147-89 / RFC 5830: N1 = a0 = bytes 0..4, N2 = a1 = bytes 4..8, little-endian.
    Le,
}

impl Order {
    #[inline(always)]
    fn load(self, b: &[u8]) -> (u32, u32) {
        let w = |s: &[u8]| [s[0], s[1], s[2], s[3]];
        match self {
            Self::Be => (
                u32::from_be_bytes(w(&b[..4])),
                u32::from_be_bytes(w(&b[4..8])),
            ),
            Self::Le => (
                u32::from_le_bytes(w(&b[4..8])),
                u32::from_le_bytes(w(&b[..4])),
            ),
        }
    }

    /// Writes the output of the 32 rounds: the final round has no swap (G* of RFC 8891 §4.2).
    #[inline(always)]
    fn store(self, b: &mut [u8], l: u32, r: u32) {
        match self {
            Self::Be => {
                b[..4].copy_from_slice(&r.to_be_bytes());
                b[4..8].copy_from_slice(&l.to_be_bytes());
            }
            Self::Le => {
                b[..4].copy_from_slice(&l.to_le_bytes());
                b[4..8].copy_from_slice(&r.to_le_bytes());
            }
        }
    }
}

/// An expanded key: the 32 round keys of encryption and of decryption (RFC 8891 §4.3), the S-box
/// tables and the chosen backend. Round keys are zeroized on drop.
#[derive(Clone)]
pub(crate) struct Core {
    enc: [u32; 32],
    dec: [u32; 32],
    tables: &'static Tables,
    backend: Backend,
    order: Order,
}

/// Blocks per SIMD call on the multi-block path.
const BATCH: usize = 32;

impl Core {
    /// Expands eight key words K1..K8 (already read in the convention of `order`).
    pub(crate) fn new(k: &[u32; 8], tables: &'static Tables, order: Order) -> Self {
        Self::with_backend(k, tables, order, Backend::detect())
    }

    /// As [`Core::new`] with a chosen backend; one this CPU cannot run falls back to portable.
    pub(crate) fn with_backend(
        k: &[u32; 8],
        tables: &'static Tables,
        order: Order,
        backend: Backend,
    ) -> Self {
        let mut enc = [0u32; 32];
        let mut dec = [0u32; 32];
        for i in 0..32 {
            // K1..K8 three times then K8..K1 (RFC 8891 §4.3); decryption is the reverse
            enc[i] = k[if i < 24 { i % 8 } else { 31 - i }];
            dec[31 - i] = enc[i];
        }
        let backend = if backend.available() {
            backend
        } else {
            Backend::Portable
        };
        Self {
            enc,
            dec,
            tables,
            backend,
            order,
        }
    }

    /// The backend this key runs on.
    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// `rk` on `N` blocks held as halves.
    #[inline]
    fn run<const N: usize>(&self, rk: &[u32], l: &mut [u32; N], r: &mut [u32; N]) {
        match self.backend {
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Backend::Avx2 | Backend::Avx512 if N.is_multiple_of(8) => {
                avx2::rounds::<N>(self.tables, rk, l, r)
            }
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Backend::Avx2 | Backend::Avx512 | Backend::Ssse3 if N.is_multiple_of(4) => {
                ssse3::rounds::<N>(self.tables, rk, l, r)
            }
            _ => {
                for (a1, a0) in l.iter_mut().zip(r.iter_mut()) {
                    portable::rounds(self.tables, rk, a1, a0);
                }
            }
        }
    }

    /// `rk` on the first `N` lanes of a batch.
    #[inline]
    fn run_first<const N: usize>(&self, rk: &[u32], l: &mut [u32; BATCH], r: &mut [u32; BATCH]) {
        if let (Some((l, _)), Some((r, _))) = (
            l.split_first_chunk_mut::<N>(),
            r.split_first_chunk_mut::<N>(),
        ) {
            self.run::<N>(rk, l, r);
        }
    }

    /// Single block (the serial modes): a dedicated routine per backend that keeps the state
    /// and the tables in registers for all rounds — `vpermb` on AVX-512 VBMI, one SSSE3
    /// register (block in lane 0) on SSSE3 and AVX2, the SWAR rounds on the portable backend.
    #[inline]
    fn run1(&self, rk: &[u32], l: &mut u32, r: &mut u32) {
        match self.backend {
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Backend::Avx512 => avx512::block1(self.tables, rk, l, r),
            #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
            Backend::Avx2 | Backend::Ssse3 => ssse3::block1(self.tables, rk, l, r),
            _ => portable::rounds(self.tables, rk, l, r),
        }
    }

    fn crypt_block(&self, rk: &[u32], b: &mut [u8; 8]) {
        let (mut l, mut r) = self.order.load(b);
        self.run1(rk, &mut l, &mut r);
        self.order.store(b, l, r);
        l.zeroize();
        r.zeroize();
    }

    /// Encrypts one block in place (RFC 8891 §4.4, RFC 5830 §5).
    pub(crate) fn encrypt_block(&self, b: &mut [u8; 8]) {
        self.crypt_block(&self.enc, b);
    }

    /// Decrypts one block in place.
    pub(crate) fn decrypt_block(&self, b: &mut [u8; 8]) {
        self.crypt_block(&self.dec, b);
    }

    fn crypt_blocks(&self, rk: &[u32; 32], data: &mut [u8]) {
        let n = data.len() / 8 * 8;
        let data = &mut data[..n];
        if self.backend == Backend::Portable {
            for b in data.chunks_exact_mut(8) {
                let (mut l, mut r) = self.order.load(b);
                portable::rounds(self.tables, rk, &mut l, &mut r);
                self.order.store(b, l, r);
            }
            return;
        }
        let mut l = [0u32; BATCH];
        let mut r = [0u32; BATCH];
        for chunk in data.chunks_mut(8 * BATCH) {
            let blocks = chunk.len() / 8;
            for (i, b) in chunk.chunks_exact(8).enumerate() {
                (l[i], r[i]) = self.order.load(b);
            }
            // the tail is run in the smallest register multiple that covers it
            if blocks > 16 {
                self.run::<32>(rk, &mut l, &mut r);
            } else if blocks > 8 {
                self.run_first::<16>(rk, &mut l, &mut r);
            } else if blocks > 4 {
                self.run_first::<8>(rk, &mut l, &mut r);
            } else {
                self.run_first::<4>(rk, &mut l, &mut r);
            }
            for (i, b) in chunk.chunks_exact_mut(8).enumerate() {
                self.order.store(b, l[i], r[i]);
            }
        }
        l.zeroize();
        r.zeroize();
    }

    /// Encrypts whole blocks in place, `BATCH` at a time on the SIMD backends; a trailing
    /// partial block is left untouched.
    pub(crate) fn encrypt_blocks(&self, data: &mut [u8]) {
        self.crypt_blocks(&self.enc, data);
    }

    /// Decrypts whole blocks in place (as [`Core::encrypt_blocks`]).
    pub(crate) fn decrypt_blocks(&self, data: &mut [u8]) {
        self.crypt_blocks(&self.dec, data);
    }

    /// The 16-round transformation of the GOST 28147-89 MAC (RFC 5830 §8) on N1 || N2
    /// (little-endian): rounds with K1..K8 twice, no final swap.
    pub(crate) fn mac_step(&self, state: &mut [u8; 8]) {
        let w = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let mut r = w(&state[..4]);
        let mut l = w(&state[4..]);
        self.run1(&self.enc[..16], &mut l, &mut r);
        state[..4].copy_from_slice(&r.to_le_bytes());
        state[4..].copy_from_slice(&l.to_le_bytes());
        l.zeroize();
        r.zeroize();
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        self.enc.zeroize();
        self.dec.zeroize();
    }
}

impl ZeroizeOnDrop for Core {}

/// Tables of the parameter sets, built at compile time.
pub(crate) static TABLES_TC26_Z: Tables = Tables::new(&SBOX_TC26_Z);
pub(crate) static TABLES_TEST: Tables = Tables::new(&SBOX_TEST);
pub(crate) static TABLES_CRYPTOPRO_A: Tables = Tables::new(&SBOX_CRYPTOPRO_A);
pub(crate) static TABLES_CRYPTOPRO_B: Tables = Tables::new(&SBOX_CRYPTOPRO_B);
pub(crate) static TABLES_CRYPTOPRO_C: Tables = Tables::new(&SBOX_CRYPTOPRO_C);
pub(crate) static TABLES_CRYPTOPRO_D: Tables = Tables::new(&SBOX_CRYPTOPRO_D);

#[cfg(test)]
mod tests;

#[cfg(test)]
mod ct_tests;
