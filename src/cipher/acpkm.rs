//! Internal re-keying of R 1323565.1.017-2018 (RFC 8645): the ACPKM key change (RFC 8645
//! §6.2.1), CTR-ACPKM (§6.2.2), ACPKM-Master (§6.3.1) and OMAC-ACPKM (OMAC-ACPKM-Master, §6.3.6),
//! so that long messages (CMS content) never use one key for more than a section.
//!
//! Written by hand on top of [`super::modes`]: no RustCrypto crate implements ACPKM.
//! Section sizes are given in bytes (the documents count bits): N and T* must be non-zero whole
//! numbers of blocks.

use super::BlockCipher;
use super::modes::{
    KS_BUF, check_half_block_iv, check_tag_len, ctr_start, fill_counters, gf_double, xor_into,
};
use crate::error::CryptoError;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

const CTR_ACPKM: &str = "CTR-ACPKM";
const OMAC_ACPKM: &str = "OMAC-ACPKM";
const KEY_LEN: usize = 32;

fn check_cipher<C: BlockCipher>(alg: &'static str) -> Result<(), CryptoError> {
    if C::KEY_LEN != KEY_LEN || !KEY_LEN.is_multiple_of(C::BLOCK_LEN) || C::BLOCK_LEN > 16 {
        return Err(CryptoError::InvalidParameter {
            alg,
            detail: "cipher needs a 256-bit key and a 64- or 128-bit block",
        });
    }
    Ok(())
}

fn check_section<C: BlockCipher>(
    alg: &'static str,
    len: usize,
    detail: &'static str,
) -> Result<(), CryptoError> {
    if len == 0 || !len.is_multiple_of(C::BLOCK_LEN) {
        Err(CryptoError::InvalidParameter { alg, detail })
    } else {
        Ok(())
    }
}

/// ACPKM(K) = MSB_k(E_K(D_1) || … || E_K(D_J)) with D = 80 81 … 9F (RFC 8645 §6.2.1), from an
/// expanded cipher.
fn acpkm_next<C: BlockCipher>(cipher: &C) -> Zeroizing<[u8; KEY_LEN]> {
    let mut k = Zeroizing::new([0u8; KEY_LEN]);
    for (i, b) in k.iter_mut().enumerate() {
        *b = 0x80 + i as u8;
    }
    cipher.encrypt_blocks(&mut k[..]);
    k
}

/// The ACPKM key change (RFC 8645 §6.2.1): the next section key derived from `key`.
pub fn acpkm_rekey<C: BlockCipher>(key: &[u8]) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    check_cipher::<C>(CTR_ACPKM)?;
    let c = C::new(key)?;
    Ok(acpkm_next(&c))
}

/// Streaming CTR-ACPKM (RFC 8645 §6.2.2): CTR with counter IV || 0^{n/2} where the key is
/// replaced by ACPKM(key) after every section of N bytes (the counter carries on). At most
/// 2^{n/2} blocks per IV; more gives [`CryptoError::DataLimitExceeded`]. Counter blocks are
/// encrypted in batches from a stack buffer; no allocation in the data path.
pub struct CtrAcpkm<C: BlockCipher> {
    cipher: C,
    ctr: u128,
    section_blocks: u64,
    used_in_section: u64,
    consumed: u128,
    ks: [u8; KS_BUF],
    pos: usize,
    len: usize,
}

impl<C: BlockCipher> CtrAcpkm<C> {
    /// Starts CTR-ACPKM with `key`, a half-block `iv` and a section size `section_len` in bytes
    /// (a non-zero multiple of the block length).
    pub fn new(key: &[u8], iv: &[u8], section_len: usize) -> Result<Self, CryptoError> {
        check_cipher::<C>(CTR_ACPKM)?;
        let cipher = C::new(key)?;
        check_half_block_iv::<C>(CTR_ACPKM, iv)?;
        check_section::<C>(
            CTR_ACPKM,
            section_len,
            "section size N must be a non-zero multiple of the block length",
        )?;
        Ok(Self {
            cipher,
            ctr: ctr_start::<C>(iv),
            section_blocks: (section_len / C::BLOCK_LEN) as u64,
            used_in_section: 0,
            consumed: 0,
            ks: [0u8; KS_BUF],
            pos: 0,
            len: 0,
        })
    }

    fn limit_bytes() -> u128 {
        (1u128 << (4 * C::BLOCK_LEN)) * C::BLOCK_LEN as u128
    }

    /// XORs the next `data.len()` keystream bytes into `data`. Fails, leaving `data` untouched,
    /// when the 2^{n/2}-block limit of one IV would be passed.
    pub fn apply_keystream(&mut self, mut data: &mut [u8]) -> Result<(), CryptoError> {
        if self.consumed + data.len() as u128 > Self::limit_bytes() {
            return Err(CryptoError::DataLimitExceeded { alg: CTR_ACPKM });
        }
        self.consumed += data.len() as u128;
        let bl = C::BLOCK_LEN;
        while !data.is_empty() {
            if self.pos == self.len {
                if self.used_in_section == self.section_blocks {
                    let k = acpkm_next(&self.cipher);
                    self.cipher = C::new(&k[..])?;
                    self.used_in_section = 0;
                }
                let left = (self.section_blocks - self.used_in_section) as usize;
                let want = data.len().div_ceil(bl).min(KS_BUF / bl).min(left.max(1));
                fill_counters::<C>(&mut self.ks, &mut self.ctr, want);
                self.cipher.encrypt_blocks(&mut self.ks[..want * bl]);
                self.used_in_section += want as u64;
                self.pos = 0;
                self.len = want * bl;
            }
            let take = (self.len - self.pos).min(data.len());
            let (head, rest) = data.split_at_mut(take);
            xor_into(head, &self.ks[self.pos..self.pos + take]);
            self.pos += take;
            data = rest;
        }
        Ok(())
    }
}

impl<C: BlockCipher> Drop for CtrAcpkm<C> {
    fn drop(&mut self) {
        self.ks.zeroize();
        self.ctr.zeroize();
    }
}

impl<C: BlockCipher> core::fmt::Debug for CtrAcpkm<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "CtrAcpkm<{}> {{ section_blocks: {}, .. }}",
            C::NAME,
            self.section_blocks
        )
    }
}

/// One-shot CTR-ACPKM (RFC 8645 §6.2.2) encryption or decryption.
pub fn ctr_acpkm<C: BlockCipher>(
    key: &[u8],
    iv: &[u8],
    section_len: usize,
    data: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut s = CtrAcpkm::<C>::new(key, iv, section_len)?;
    let mut out = data.to_vec();
    s.apply_keystream(&mut out)?;
    Ok(out)
}

/// ACPKM-Master (RFC 8645 §6.3.1): `len` bytes of key material
/// CTR-ACPKM-Encrypt(T*, K, 1^{n/2}, 0^len) with master section size T* = `master_section_len`.
pub fn acpkm_master<C: BlockCipher>(
    key: &[u8],
    master_section_len: usize,
    len: usize,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    check_cipher::<C>(CTR_ACPKM)?;
    let iv = [0xFFu8; 8];
    let mut s = CtrAcpkm::<C>::new(key, &iv[..C::BLOCK_LEN / 2], master_section_len)?;
    let mut out = Zeroizing::new(vec![0u8; len]);
    s.apply_keystream(&mut out[..])?;
    Ok(out)
}

/// Streaming OMAC-ACPKM (OMAC-ACPKM-Master, RFC 8645 §6.3.6): the §5.6 MAC chain where every
/// section of N bytes uses its own key K^j and subkey K^j_1 (and K^j_2 = K^j_1·x), taken in turn
/// from ACPKM-Master(T*, K, k + n, ·) as the message grows.
pub struct OmacAcpkm<C: BlockCipher> {
    master: CtrAcpkm<C>,
    section_blocks: u64,
    cipher: Option<C>,
    k1: C::Block,
    blocks_done: u64,
    chain: C::Block,
    buf: C::Block,
    buf_len: usize,
}

impl<C: BlockCipher> OmacAcpkm<C> {
    /// Starts OMAC-ACPKM with master key `key`, section size N = `section_len` and master key
    /// change period T* = `master_section_len` (bytes, non-zero multiples of the block length).
    pub fn new(
        key: &[u8],
        section_len: usize,
        master_section_len: usize,
    ) -> Result<Self, CryptoError> {
        check_cipher::<C>(OMAC_ACPKM)?;
        check_section::<C>(
            OMAC_ACPKM,
            section_len,
            "section size N must be a non-zero multiple of the block length",
        )?;
        check_section::<C>(
            OMAC_ACPKM,
            master_section_len,
            "master key period T* must be a non-zero multiple of the block length",
        )?;
        let iv = [0xFFu8; 8];
        let master = CtrAcpkm::<C>::new(key, &iv[..C::BLOCK_LEN / 2], master_section_len)?;
        Ok(Self {
            master,
            section_blocks: (section_len / C::BLOCK_LEN) as u64,
            cipher: None,
            k1: C::Block::default(),
            blocks_done: 0,
            chain: C::Block::default(),
            buf: C::Block::default(),
            buf_len: 0,
        })
    }

    /// Takes the next k + n bits of ACPKM-Master output as (K^j, K^j_1).
    fn next_section(&mut self) -> Result<(), CryptoError> {
        let bl = C::BLOCK_LEN;
        let mut km = Zeroizing::new([0u8; KEY_LEN + 16]);
        self.master.apply_keystream(&mut km[..KEY_LEN + bl])?;
        self.cipher = Some(C::new(&km[..KEY_LEN])?);
        self.k1.as_mut().copy_from_slice(&km[KEY_LEN..KEY_LEN + bl]);
        Ok(())
    }

    /// Makes sure the key of the section holding block number `blocks_done + 1` is loaded.
    fn ensure_section(&mut self) -> Result<(), CryptoError> {
        if self.blocks_done.is_multiple_of(self.section_blocks) || self.cipher.is_none() {
            self.next_section()?;
        }
        Ok(())
    }

    /// Absorbs more message bytes. Fails only when the master key material would run out
    /// ([`CryptoError::DataLimitExceeded`]).
    pub fn update(&mut self, mut data: &[u8]) -> Result<(), CryptoError> {
        let bl = C::BLOCK_LEN;
        while !data.is_empty() {
            if self.buf_len == bl {
                self.ensure_section()?;
                xor_into(self.chain.as_mut(), self.buf.as_ref());
                if let Some(c) = &self.cipher {
                    c.encrypt_block(&mut self.chain);
                }
                self.blocks_done += 1;
                self.buf_len = 0;
            }
            let take = (bl - self.buf_len).min(data.len());
            self.buf.as_mut()[self.buf_len..self.buf_len + take].copy_from_slice(&data[..take]);
            self.buf_len += take;
            data = &data[take..];
        }
        Ok(())
    }

    /// Returns the full n-bit MAC.
    pub fn finalize(mut self) -> Result<C::Block, CryptoError> {
        let bl = C::BLOCK_LEN;
        self.ensure_section()?;
        let mut last = self.buf;
        let mut kstar = self.k1;
        if self.buf_len < bl {
            kstar = gf_double::<C>(&self.k1);
            let l = last.as_mut();
            l[self.buf_len] = 0x80;
            for b in &mut l[self.buf_len + 1..] {
                *b = 0;
            }
        }
        xor_into(last.as_mut(), kstar.as_ref());
        xor_into(last.as_mut(), self.chain.as_ref());
        kstar.zeroize();
        match &self.cipher {
            Some(c) => {
                c.encrypt_block(&mut last);
                Ok(last)
            }
            None => Err(CryptoError::InvalidParameter {
                alg: OMAC_ACPKM,
                detail: "no section key",
            }),
        }
    }

    /// Writes the leftmost `out.len()` bytes of the MAC (1 ≤ `out.len()` ≤ n/8).
    pub fn finalize_into(self, out: &mut [u8]) -> Result<(), CryptoError> {
        check_tag_len::<C>(OMAC_ACPKM, out.len())?;
        let t = self.finalize()?;
        out.copy_from_slice(&t.as_ref()[..out.len()]);
        Ok(())
    }

    /// Checks a (possibly truncated) tag in constant time.
    pub fn verify(self, tag: &[u8]) -> Result<(), CryptoError> {
        check_tag_len::<C>(OMAC_ACPKM, tag.len())?;
        let t = self.finalize()?;
        if bool::from(t.as_ref()[..tag.len()].ct_eq(tag)) {
            Ok(())
        } else {
            Err(CryptoError::AuthenticationFailed { alg: OMAC_ACPKM })
        }
    }
}

impl<C: BlockCipher> Drop for OmacAcpkm<C> {
    fn drop(&mut self) {
        self.k1.zeroize();
        self.chain.zeroize();
        self.buf.zeroize();
    }
}

impl<C: BlockCipher> core::fmt::Debug for OmacAcpkm<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "OmacAcpkm<{}> {{ section_blocks: {}, .. }}",
            C::NAME,
            self.section_blocks
        )
    }
}

/// One-shot OMAC-ACPKM (RFC 8645 §6.3.6) of `data`, truncated to `tag_len` bytes (1..=n/8).
pub fn omac_acpkm<C: BlockCipher>(
    key: &[u8],
    section_len: usize,
    master_section_len: usize,
    data: &[u8],
    tag_len: usize,
) -> Result<Vec<u8>, CryptoError> {
    check_tag_len::<C>(OMAC_ACPKM, tag_len)?;
    let mut m = OmacAcpkm::<C>::new(key, section_len, master_section_len)?;
    m.update(data)?;
    let mut out = vec![0u8; tag_len];
    m.finalize_into(&mut out)?;
    Ok(out)
}
