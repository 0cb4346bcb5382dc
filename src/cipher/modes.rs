//! GOST R 34.13-2015 modes of operation for any [`BlockCipher`] (Kuznyechik, Magma):
//! ECB (§5.1), CTR (§5.2), OFB (§5.3), CBC (§5.4), CFB (§5.5), the MAC "OMAC" (§5.6) and the
//! padding procedures 1–3 (§4.1.1–§4.1.3).
//!
//! Written by hand: the stock RustCrypto mode crates (`ctr`, `cbc`, `cfb-mode`, `ofb`, `cmac`)
//! cannot take the standard's multi-block initialisation vectors (the shift register R of
//! m = z·n bits used by OFB, CBC and CFB), nor its half-block CTR IV, so every mode here follows
//! the standard's equations directly. Segment size s = n (whole blocks) for OFB and CFB.
//!
//! Byte convention: GOST R 34.12-2015 big-endian byte strings, exactly as printed in the
//! standard's Appendix A.

use super::BlockCipher;
use crate::error::CryptoError;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// Size in bytes of the stack buffer of counter blocks that the CTR-style modes encrypt at once
/// (32 Kuznyechik blocks or 64 Magma blocks), so backends can run blocks in parallel.
pub(crate) const KS_BUF: usize = 512;

const ECB: &str = "GOST R 34.13-2015 ECB";
const CTR: &str = "GOST R 34.13-2015 CTR";
const OFB: &str = "GOST R 34.13-2015 OFB";
const CBC: &str = "GOST R 34.13-2015 CBC";
const CFB: &str = "GOST R 34.13-2015 CFB";
const MAC: &str = "GOST R 34.13-2015 MAC";
const PAD2: &str = "GOST R 34.13-2015 padding procedure 2";
const PAD3: &str = "GOST R 34.13-2015 padding procedure 3";

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

#[inline]
pub(crate) fn xor_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= *s;
    }
}

#[inline]
fn load<C: BlockCipher>(bytes: &[u8]) -> C::Block {
    let mut b = C::Block::default();
    b.as_mut().copy_from_slice(bytes);
    b
}

/// Counter mask: arithmetic modulo 2^n for an n-bit block.
#[inline]
pub(crate) fn ctr_mask<C: BlockCipher>() -> u128 {
    if C::BLOCK_LEN >= 16 {
        u128::MAX
    } else {
        (1u128 << (8 * C::BLOCK_LEN)) - 1
    }
}

/// Initial counter IV || 0^{n/2} as an integer; `iv.len() == BLOCK_LEN / 2` is checked by callers.
#[inline]
pub(crate) fn ctr_start<C: BlockCipher>(iv: &[u8]) -> u128 {
    let mut full = [0u8; 16];
    let bl = C::BLOCK_LEN;
    full[16 - bl..16 - bl + iv.len()].copy_from_slice(iv);
    u128::from_be_bytes(full)
}

/// Writes `count` consecutive counter blocks starting at `*ctr` into `out` (big-endian,
/// `BLOCK_LEN` bytes each) and advances `*ctr` modulo 2^n.
#[inline]
pub(crate) fn fill_counters<C: BlockCipher>(out: &mut [u8], ctr: &mut u128, count: usize) {
    let bl = C::BLOCK_LEN;
    let mask = ctr_mask::<C>();
    for chunk in out[..count * bl].chunks_exact_mut(bl) {
        chunk.copy_from_slice(&ctr.to_be_bytes()[16 - bl..]);
        *ctr = ctr.wrapping_add(1) & mask;
    }
}

pub(crate) fn check_half_block_iv<C: BlockCipher>(
    alg: &'static str,
    iv: &[u8],
) -> Result<(), CryptoError> {
    if iv.len() == C::BLOCK_LEN / 2 {
        Ok(())
    } else {
        Err(CryptoError::InvalidIvLength {
            alg,
            expected: "half a block (8 bytes for Kuznyechik, 4 for Magma)",
            got: iv.len(),
        })
    }
}

fn check_register_iv<C: BlockCipher>(alg: &'static str, iv: &[u8]) -> Result<(), CryptoError> {
    if !iv.is_empty() && iv.len().is_multiple_of(C::BLOCK_LEN) {
        Ok(())
    } else {
        Err(CryptoError::InvalidIvLength {
            alg,
            expected: "a non-zero whole number of blocks",
            got: iv.len(),
        })
    }
}

fn check_whole_blocks<C: BlockCipher>(alg: &'static str, data: &[u8]) -> Result<(), CryptoError> {
    if data.len().is_multiple_of(C::BLOCK_LEN) {
        Ok(())
    } else {
        Err(CryptoError::InvalidDataLength {
            alg,
            expected: "a whole number of blocks",
            got: data.len(),
        })
    }
}

/// Multiplication by x in GF(2^n) used for the MAC subkeys (§5.6): shift left by one bit and,
/// without branching on the secret top bit, XOR R_n (0x87 for n = 128, 0x1B for n = 64).
pub(crate) fn gf_double<C: BlockCipher>(b: &C::Block) -> C::Block {
    let src = b.as_ref();
    let mut out = C::Block::default();
    let dst = out.as_mut();
    let n = src.len();
    let top = src[0] >> 7;
    for i in 0..n {
        let next = if i + 1 < n { src[i + 1] >> 7 } else { 0 };
        dst[i] = (src[i] << 1) | next;
    }
    let rn: u8 = if n == 16 { 0x87 } else { 0x1B };
    dst[n - 1] ^= rn & 0u8.wrapping_sub(top);
    out
}

// ---------------------------------------------------------------------------------------------
// Padding (§4.1)
// ---------------------------------------------------------------------------------------------

/// Padding procedure 1 (§4.1.1): append zero bytes up to a whole number of blocks (nothing when
/// already aligned). Not reversible, so there is no removal function.
pub fn pad1<C: BlockCipher>(data: &[u8]) -> Vec<u8> {
    let bl = C::BLOCK_LEN;
    let r = (bl - data.len() % bl) % bl;
    let mut out = Vec::with_capacity(data.len() + r);
    out.extend_from_slice(data);
    out.resize(data.len() + r, 0);
    out
}

/// Padding procedure 2 (§4.1.2): append a 1 bit (byte 0x80) then zeros; always adds 1..=n bytes.
pub fn pad2<C: BlockCipher>(data: &[u8]) -> Vec<u8> {
    let bl = C::BLOCK_LEN;
    let r = bl - data.len() % bl;
    let mut out = Vec::with_capacity(data.len() + r);
    out.extend_from_slice(data);
    out.push(0x80);
    out.resize(data.len() + r, 0);
    out
}

/// Removes padding procedure 2: the data must be a non-empty whole number of blocks ending in
/// 0x80 followed by zero bytes within its last block. The last block is scanned in constant time.
pub fn unpad2<C: BlockCipher>(data: &[u8]) -> Result<&[u8], CryptoError> {
    let bl = C::BLOCK_LEN;
    if data.is_empty() || !data.len().is_multiple_of(bl) {
        return Err(CryptoError::InvalidPadding { alg: PAD2 });
    }
    let last = &data[data.len() - bl..];
    // Scan from the end: `zeros` stays 0xFF while every byte seen so far was 0x00; the first
    // non-zero byte must be 0x80 and its index is the padding start.
    let mut zeros: u8 = 0xFF;
    let mut found: u8 = 0;
    let mut idx: usize = 0;
    for i in (0..bl).rev() {
        let b = last[i];
        let is_zero = ct_is_zero(b);
        let is_80 = ct_is_zero(b ^ 0x80);
        let hit = zeros & !is_zero & is_80; // first non-zero byte and it is 0x80
        let bad = zeros & !is_zero & !is_80; // first non-zero byte and it is not 0x80
        found |= hit;
        found &= !bad;
        // select idx when hit, branch-free
        let m = ((hit & 1) as usize).wrapping_neg();
        idx = (idx & !m) | (i & m);
        zeros &= is_zero;
    }
    if found == 0 {
        return Err(CryptoError::InvalidPadding { alg: PAD2 });
    }
    Ok(&data[..data.len() - bl + idx])
}

#[inline]
fn ct_is_zero(b: u8) -> u8 {
    // 0xFF if b == 0 else 0x00
    (((b as u16).wrapping_sub(1)) >> 8) as u8
}

/// Padding procedure 3 (§4.1.3): nothing when the length is a whole number of blocks, otherwise
/// procedure 2.
pub fn pad3<C: BlockCipher>(data: &[u8]) -> Vec<u8> {
    if data.len().is_multiple_of(C::BLOCK_LEN) {
        data.to_vec()
    } else {
        pad2::<C>(data)
    }
}

/// Removes padding procedure 3. The procedure is only reversible when the receiver knows whether
/// the original length was a whole number of blocks, so that is a parameter: with
/// `original_aligned = true` the data must be whole blocks and is returned unchanged, otherwise
/// procedure-2 padding is checked and removed (and must not fill a whole block).
pub fn unpad3<C: BlockCipher>(data: &[u8], original_aligned: bool) -> Result<&[u8], CryptoError> {
    if original_aligned {
        if data.len().is_multiple_of(C::BLOCK_LEN) {
            Ok(data)
        } else {
            Err(CryptoError::InvalidPadding { alg: PAD3 })
        }
    } else {
        let out = unpad2::<C>(data).map_err(|_| CryptoError::InvalidPadding { alg: PAD3 })?;
        if out.len() % C::BLOCK_LEN == 0 {
            Err(CryptoError::InvalidPadding { alg: PAD3 })
        } else {
            Ok(out)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ECB (§5.1)
// ---------------------------------------------------------------------------------------------

/// ECB encryption (§5.1); `data` must be a whole number of blocks (pad it first).
pub fn ecb_encrypt<C: BlockCipher>(key: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let c = C::new(key)?;
    check_whole_blocks::<C>(ECB, data)?;
    let mut out = data.to_vec();
    c.encrypt_blocks(&mut out);
    Ok(out)
}

/// ECB decryption (§5.1); `data` must be a whole number of blocks.
pub fn ecb_decrypt<C: BlockCipher>(key: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let c = C::new(key)?;
    check_whole_blocks::<C>(ECB, data)?;
    let mut out = data.to_vec();
    c.decrypt_blocks(&mut out);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// CTR (§5.2)
// ---------------------------------------------------------------------------------------------

/// Streaming CTR (§5.2): counter CTR_1 = IV || 0^{n/2}, incremented modulo 2^n, keystream
/// E_K(CTR_i). Any chunking of the data gives the same result; the partially used keystream
/// block is kept between calls. Counter blocks are encrypted in batches from a stack buffer.
pub struct Ctr<C: BlockCipher> {
    cipher: C,
    ctr: u128,
    ks: [u8; KS_BUF],
    pos: usize,
    len: usize,
}

impl<C: BlockCipher> Ctr<C> {
    /// Expands `key` and starts at counter `iv || 0^{n/2}`; `iv` is half a block.
    pub fn new(key: &[u8], iv: &[u8]) -> Result<Self, CryptoError> {
        let cipher = C::new(key)?;
        Self::with_cipher(cipher, iv)
    }

    /// Like [`Ctr::new`] with an already expanded cipher.
    pub fn with_cipher(cipher: C, iv: &[u8]) -> Result<Self, CryptoError> {
        check_half_block_iv::<C>(CTR, iv)?;
        Ok(Self {
            cipher,
            ctr: ctr_start::<C>(iv),
            ks: [0u8; KS_BUF],
            pos: 0,
            len: 0,
        })
    }

    /// XORs the next `data.len()` keystream bytes into `data` (encryption = decryption).
    pub fn apply_keystream(&mut self, mut data: &mut [u8]) {
        let bl = C::BLOCK_LEN;
        while !data.is_empty() {
            if self.pos == self.len {
                let want = data.len().div_ceil(bl).min(KS_BUF / bl);
                fill_counters::<C>(&mut self.ks, &mut self.ctr, want);
                self.cipher.encrypt_blocks(&mut self.ks[..want * bl]);
                self.pos = 0;
                self.len = want * bl;
            }
            let take = (self.len - self.pos).min(data.len());
            let (head, rest) = data.split_at_mut(take);
            xor_into(head, &self.ks[self.pos..self.pos + take]);
            self.pos += take;
            data = rest;
        }
    }
}

impl<C: BlockCipher> Drop for Ctr<C> {
    fn drop(&mut self) {
        self.ks.zeroize();
        self.ctr.zeroize();
    }
}

impl<C: BlockCipher> core::fmt::Debug for Ctr<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Ctr<{}> {{ .. }}", C::NAME)
    }
}

/// One-shot CTR (§5.2) encryption or decryption; `iv` is half a block.
pub fn ctr<C: BlockCipher>(key: &[u8], iv: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut s = Ctr::<C>::new(key, iv)?;
    let mut out = data.to_vec();
    s.apply_keystream(&mut out);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// OFB (§5.3), CBC (§5.4), CFB (§5.5) with an m = z·n bit register
// ---------------------------------------------------------------------------------------------

/// One-shot OFB (§5.3), s = n: `iv` is the register R (z ≥ 1 whole blocks); Y_i = E_K(MSB_n(R)),
/// R ← LSB_{m-n}(R) || Y_i. Encryption and decryption are the same; any data length.
pub fn ofb<C: BlockCipher>(key: &[u8], iv: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let c = C::new(key)?;
    check_register_iv::<C>(OFB, iv)?;
    let bl = C::BLOCK_LEN;
    let z = iv.len() / bl;
    // The register holds z blocks; slot i % z holds the input of block i.
    let mut reg = iv.to_vec();
    let mut out = data.to_vec();
    for (i, chunk) in out.chunks_mut(bl).enumerate() {
        let slot = (i % z) * bl;
        let mut y = load::<C>(&reg[slot..slot + bl]);
        c.encrypt_block(&mut y);
        xor_into(chunk, y.as_ref());
        reg[slot..slot + bl].copy_from_slice(y.as_ref());
        y.zeroize();
    }
    reg.zeroize();
    Ok(out)
}

/// One-shot CBC encryption (§5.4): `iv` is the register R (z ≥ 1 whole blocks),
/// C_i = E_K(P_i ⊕ MSB_n(R)), R ← LSB_{m-n}(R) || C_i. `data` must be whole blocks.
pub fn cbc_encrypt<C: BlockCipher>(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let c = C::new(key)?;
    check_register_iv::<C>(CBC, iv)?;
    check_whole_blocks::<C>(CBC, data)?;
    let bl = C::BLOCK_LEN;
    let z = iv.len() / bl;
    let mut out = data.to_vec();
    for i in 0..out.len() / bl {
        let mut b = load::<C>(&out[i * bl..(i + 1) * bl]);
        let prev = if i < z {
            &iv[i * bl..(i + 1) * bl]
        } else {
            &out[(i - z) * bl..(i - z + 1) * bl]
        };
        xor_into(b.as_mut(), prev);
        c.encrypt_block(&mut b);
        out[i * bl..(i + 1) * bl].copy_from_slice(b.as_ref());
    }
    Ok(out)
}

/// One-shot CBC decryption (§5.4); `iv` as for [`cbc_encrypt`], `data` whole blocks.
pub fn cbc_decrypt<C: BlockCipher>(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let c = C::new(key)?;
    check_register_iv::<C>(CBC, iv)?;
    check_whole_blocks::<C>(CBC, data)?;
    let bl = C::BLOCK_LEN;
    let z = iv.len() / bl;
    // every block is decrypted independently (the multi-block path), then chained
    let mut out = data.to_vec();
    c.decrypt_blocks(&mut out);
    for (i, b) in out.chunks_exact_mut(bl).enumerate() {
        let prev = if i < z {
            &iv[i * bl..(i + 1) * bl]
        } else {
            &data[(i - z) * bl..(i - z + 1) * bl]
        };
        xor_into(b, prev);
    }
    Ok(out)
}

fn cfb_core<C: BlockCipher>(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
    decrypt: bool,
) -> Result<Vec<u8>, CryptoError> {
    let c = C::new(key)?;
    check_register_iv::<C>(CFB, iv)?;
    let bl = C::BLOCK_LEN;
    let z = iv.len() / bl;
    let mut out = data.to_vec();
    if decrypt {
        // the register blocks are the IV then the ciphertext, all known: one multi-block pass
        let n = data.len().div_ceil(bl) * bl;
        let mut gamma = zeroize::Zeroizing::new(Vec::with_capacity(n));
        gamma.extend(iv.iter().chain(data).take(n));
        c.encrypt_blocks(&mut gamma);
        xor_into(&mut out, &gamma);
        return Ok(out);
    }
    for i in 0..data.len().div_ceil(bl) {
        let start = i * bl;
        let end = (start + bl).min(data.len());
        let mut y = if i < z {
            load::<C>(&iv[start..start + bl])
        } else {
            // the register's next block is the ciphertext block i - z
            load::<C>(&out[start - z * bl..start - z * bl + bl])
        };
        c.encrypt_block(&mut y);
        xor_into(&mut out[start..end], y.as_ref());
        y.zeroize();
    }
    Ok(out)
}

/// One-shot CFB encryption (§5.5), s = n: `iv` is the register R (z ≥ 1 whole blocks),
/// C_i = P_i ⊕ E_K(MSB_n(R)), R ← LSB_{m-n}(R) || C_i. Any data length (the last block is cut).
pub fn cfb_encrypt<C: BlockCipher>(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    cfb_core::<C>(key, iv, data, false)
}

/// One-shot CFB decryption (§5.5), s = n; `iv` as for [`cfb_encrypt`].
pub fn cfb_decrypt<C: BlockCipher>(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    cfb_core::<C>(key, iv, data, true)
}

// ---------------------------------------------------------------------------------------------
// MAC (§5.6)
// ---------------------------------------------------------------------------------------------

/// Streaming MAC of §5.6 ("OMAC"/CMAC): subkeys K1 = R·x, K2 = R·x² from R = E_K(0^n) with
/// R_n = 0x87 (n = 128) or 0x1B (n = 64); the last block is XORed with K1 when full, else padded
/// (procedure 3) and XORed with K2. A tag of s ≤ n bits is the leftmost s/8 bytes.
pub struct Omac<C: BlockCipher> {
    cipher: C,
    k1: C::Block,
    k2: C::Block,
    chain: C::Block,
    buf: C::Block,
    buf_len: usize,
}

impl<C: BlockCipher> Omac<C> {
    /// Expands `key` and derives the subkeys.
    pub fn new(key: &[u8]) -> Result<Self, CryptoError> {
        Ok(Self::with_cipher(C::new(key)?))
    }

    /// Like [`Omac::new`] with an already expanded cipher.
    pub fn with_cipher(cipher: C) -> Self {
        let mut r = C::Block::default();
        cipher.encrypt_block(&mut r);
        let k1 = gf_double::<C>(&r);
        let k2 = gf_double::<C>(&k1);
        r.zeroize();
        Self {
            cipher,
            k1,
            k2,
            chain: C::Block::default(),
            buf: C::Block::default(),
            buf_len: 0,
        }
    }

    /// Absorbs more message bytes.
    pub fn update(&mut self, mut data: &[u8]) {
        let bl = C::BLOCK_LEN;
        while !data.is_empty() {
            if self.buf_len == bl {
                // a full block is only processed once more data follows it
                xor_into(self.chain.as_mut(), self.buf.as_ref());
                self.cipher.encrypt_block(&mut self.chain);
                self.buf_len = 0;
            }
            let take = (bl - self.buf_len).min(data.len());
            self.buf.as_mut()[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
        }
    }

    /// Returns the full n-bit MAC.
    pub fn finalize(self) -> C::Block {
        let bl = C::BLOCK_LEN;
        let mut last = self.buf;
        if self.buf_len == bl {
            xor_into(last.as_mut(), self.k1.as_ref());
        } else {
            let l = last.as_mut();
            l[self.buf_len] = 0x80;
            for b in &mut l[self.buf_len + 1..] {
                *b = 0;
            }
            xor_into(l, self.k2.as_ref());
        }
        xor_into(last.as_mut(), self.chain.as_ref());
        self.cipher.encrypt_block(&mut last);
        last
    }

    /// Writes the leftmost `out.len()` bytes of the MAC (1 ≤ `out.len()` ≤ n/8).
    pub fn finalize_into(self, out: &mut [u8]) -> Result<(), CryptoError> {
        check_tag_len::<C>(MAC, out.len())?;
        let t = self.finalize();
        out.copy_from_slice(&t.as_ref()[..out.len()]);
        Ok(())
    }

    /// Checks a (possibly truncated) tag in constant time.
    pub fn verify(self, tag: &[u8]) -> Result<(), CryptoError> {
        check_tag_len::<C>(MAC, tag.len())?;
        let t = self.finalize();
        if bool::from(t.as_ref()[..tag.len()].ct_eq(tag)) {
            Ok(())
        } else {
            Err(CryptoError::AuthenticationFailed { alg: MAC })
        }
    }
}

pub(crate) fn check_tag_len<C: BlockCipher>(
    alg: &'static str,
    len: usize,
) -> Result<(), CryptoError> {
    if len == 0 || len > C::BLOCK_LEN {
        Err(CryptoError::InvalidParameter {
            alg,
            detail: "tag length must be 1..=block length bytes",
        })
    } else {
        Ok(())
    }
}

impl<C: BlockCipher> Drop for Omac<C> {
    fn drop(&mut self) {
        self.k1.zeroize();
        self.k2.zeroize();
        self.chain.zeroize();
        self.buf.zeroize();
    }
}

impl<C: BlockCipher> core::fmt::Debug for Omac<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Omac<{}> {{ .. }}", C::NAME)
    }
}

/// One-shot MAC (§5.6) of `data`, truncated to `tag_len` bytes (1..=n/8).
pub fn omac<C: BlockCipher>(
    key: &[u8],
    data: &[u8],
    tag_len: usize,
) -> Result<Vec<u8>, CryptoError> {
    check_tag_len::<C>(MAC, tag_len)?;
    let mut m = Omac::<C>::new(key)?;
    m.update(data);
    let mut out = vec![0u8; tag_len];
    m.finalize_into(&mut out)?;
    Ok(out)
}
