//! The record layer (RFC 5246 §6) with the CTR_OMAC protection of RFC 9189 §4.1.2:
//! for record `seqnum`, `K_MAC = TLSTREE(K_MAC_root, seqnum)`, `K_ENC = TLSTREE(K_ENC_root,
//! seqnum)`, `IV = (IV_root + seqnum) mod 2^(n/2)`,
//! `MAC = OMAC(K_MAC, STR_8(seqnum) | type | version | length | fragment)` (a full block) and
//! the record body `CTR(K_ENC, IV, fragment | MAC)`.

use zeroize::Zeroizing;

use super::prf::TreeCache;
use super::{CipherSuite, TlsError};
use crate::cipher::modes::{Ctr, Omac};
use crate::cipher::{BlockCipher, Kuznyechik, Magma};

/// ContentType values.
#[allow(missing_docs)]
pub mod content {
    pub const CHANGE_CIPHER_SPEC: u8 = 20;
    pub const ALERT: u8 = 21;
    pub const HANDSHAKE: u8 = 22;
    pub const APPLICATION_DATA: u8 = 23;
}

/// The largest plaintext fragment (2^14).
pub const MAX_FRAGMENT: usize = 1 << 14;
/// The largest record body accepted (2^14 + 2048, RFC 5246 §6.2.3).
pub const MAX_CIPHERTEXT: usize = MAX_FRAGMENT + 2048;
/// Record header length.
pub const HEADER_LEN: usize = 5;
/// TLS 1.2's version on the wire.
pub const VERSION: [u8; 2] = [3, 3];

/// One direction's protection: none before ChangeCipherSpec, CTR_OMAC after.
pub(crate) struct Protection {
    suite: CipherSuite,
    mac: TreeCache,
    enc: TreeCache,
    iv: u64,
    seq: u64,
    exhausted: bool,
}

impl Protection {
    pub(crate) fn new(
        suite: CipherSuite,
        mac_key: &[u8; 32],
        enc_key: &[u8; 32],
        iv: &[u8],
    ) -> Self {
        let mut v = [0u8; 8];
        let n = iv.len().min(8);
        v[8 - n..].copy_from_slice(&iv[..n]);
        let c = suite.tree_constants();
        Self {
            suite,
            mac: TreeCache::new(mac_key, c),
            enc: TreeCache::new(enc_key, c),
            iv: u64::from_be_bytes(v),
            seq: 0,
            exhausted: false,
        }
    }

    /// The next sequence number, or the SNMAX error once it has been used.
    fn next_seq(&mut self) -> Result<u64, TlsError> {
        if self.exhausted {
            return Err(TlsError::SequenceLimit);
        }
        let s = self.seq;
        if s >= self.suite.max_seqnum() {
            self.exhausted = true;
        } else {
            self.seq = s + 1;
        }
        Ok(s)
    }

    fn iv_bytes(&self, seq: u64) -> [u8; 8] {
        let half = self.suite.block_len() / 2;
        let v = if half == 8 {
            self.iv.wrapping_add(seq)
        } else {
            (self.iv.wrapping_add(seq)) & 0xFFFF_FFFF
        };
        v.to_be_bytes()
    }

    /// Protects one fragment; returns the record body.
    pub(crate) fn seal(&mut self, ty: u8, fragment: &[u8]) -> Result<Vec<u8>, TlsError> {
        let seq = self.next_seq()?;
        let k_mac = self.mac.key(seq);
        let k_enc = self.enc.key(seq);
        let iv = self.iv_bytes(seq);
        let half = self.suite.block_len() / 2;
        let mut body = Zeroizing::new(Vec::with_capacity(fragment.len() + 16));
        body.extend_from_slice(fragment);
        match self.suite {
            CipherSuite::KuznyechikCtrOmac => seal_with::<Kuznyechik>(
                &k_mac[..],
                &k_enc[..],
                &iv[8 - half..],
                seq,
                ty,
                &mut body,
            )?,
            CipherSuite::MagmaCtrOmac => {
                seal_with::<Magma>(&k_mac[..], &k_enc[..], &iv[8 - half..], seq, ty, &mut body)?
            }
        }
        Ok(body.to_vec())
    }

    /// Removes the protection of a record body; a MAC mismatch is `BadRecordMac`.
    pub(crate) fn open(&mut self, ty: u8, body: &[u8]) -> Result<Zeroizing<Vec<u8>>, TlsError> {
        let bl = self.suite.block_len();
        if body.len() < bl {
            return Err(TlsError::BadRecordMac);
        }
        if body.len() > MAX_FRAGMENT + bl {
            return Err(TlsError::RecordOverflow);
        }
        let seq = self.next_seq()?;
        let k_mac = self.mac.key(seq);
        let k_enc = self.enc.key(seq);
        let iv = self.iv_bytes(seq);
        let half = bl / 2;
        let mut data = Zeroizing::new(body.to_vec());
        match self.suite {
            CipherSuite::KuznyechikCtrOmac => open_with::<Kuznyechik>(
                &k_mac[..],
                &k_enc[..],
                &iv[8 - half..],
                seq,
                ty,
                &mut data,
            )?,
            CipherSuite::MagmaCtrOmac => {
                open_with::<Magma>(&k_mac[..], &k_enc[..], &iv[8 - half..], seq, ty, &mut data)?
            }
        }
        Ok(data)
    }
}

fn mac_of<C: BlockCipher>(
    k_mac: &[u8],
    seq: u64,
    ty: u8,
    fragment: &[u8],
) -> Result<C::Block, TlsError> {
    let mut m = Omac::<C>::new(k_mac)?;
    m.update(&seq.to_be_bytes());
    m.update(&[ty, VERSION[0], VERSION[1]]);
    m.update(&(fragment.len() as u16).to_be_bytes());
    m.update(fragment);
    Ok(m.finalize())
}

fn seal_with<C: BlockCipher>(
    k_mac: &[u8],
    k_enc: &[u8],
    iv: &[u8],
    seq: u64,
    ty: u8,
    body: &mut Vec<u8>,
) -> Result<(), TlsError> {
    let tag = mac_of::<C>(k_mac, seq, ty, body)?;
    body.extend_from_slice(tag.as_ref());
    Ctr::<C>::new(k_enc, iv)?.apply_keystream(body);
    Ok(())
}

fn open_with<C: BlockCipher>(
    k_mac: &[u8],
    k_enc: &[u8],
    iv: &[u8],
    seq: u64,
    ty: u8,
    data: &mut Zeroizing<Vec<u8>>,
) -> Result<(), TlsError> {
    Ctr::<C>::new(k_enc, iv)?.apply_keystream(data);
    let n = data.len() - C::BLOCK_LEN;
    let tag = mac_of::<C>(k_mac, seq, ty, &data[..n])?;
    if !bool::from(subtle::ConstantTimeEq::ct_eq(tag.as_ref(), &data[n..])) {
        return Err(TlsError::BadRecordMac);
    }
    data.truncate(n);
    Ok(())
}

/// A record as read off the wire.
pub(crate) struct RawRecord {
    pub(crate) ty: u8,
    pub(crate) body: Vec<u8>,
}

/// Splits the next whole record off the front of `buf`, if one is there. Checks the header:
/// a known content type, a 3.x version, a length within the limits.
pub(crate) fn take_record(buf: &mut Vec<u8>) -> Result<Option<RawRecord>, TlsError> {
    if buf.len() < HEADER_LEN {
        return Ok(None);
    }
    let ty = buf[0];
    if !(content::CHANGE_CIPHER_SPEC..=content::APPLICATION_DATA).contains(&ty) {
        return Err(TlsError::Decode("record content type"));
    }
    if buf[1] != 3 {
        return Err(TlsError::Decode("record version"));
    }
    let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
    if len > MAX_CIPHERTEXT {
        return Err(TlsError::RecordOverflow);
    }
    if buf.len() < HEADER_LEN + len {
        return Ok(None);
    }
    let body = buf[HEADER_LEN..HEADER_LEN + len].to_vec();
    buf.drain(..HEADER_LEN + len);
    Ok(Some(RawRecord { ty, body }))
}

/// Appends a record header and body to `out`.
pub(crate) fn put_record(out: &mut Vec<u8>, ty: u8, body: &[u8]) {
    out.push(ty);
    out.extend_from_slice(&VERSION);
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(suite: CipherSuite) -> (Protection, Protection) {
        let (m, e, iv) = (
            [1u8; 32],
            [2u8; 32],
            [0xFFu8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0],
        );
        let ivl = suite.block_len() / 2;
        (
            Protection::new(suite, &m, &e, &iv[8 - ivl..]),
            Protection::new(suite, &m, &e, &iv[8 - ivl..]),
        )
    }

    #[test]
    fn seal_open_round_trip_across_rekeying_and_iv_wrap() {
        for suite in CipherSuite::ALL {
            let (mut tx, mut rx) = pair(suite);
            let mut bodies = Vec::new();
            for i in 0..70usize {
                let msg = vec![i as u8; i * 3];
                let body = tx.seal(content::APPLICATION_DATA, &msg).unwrap();
                assert_eq!(body.len(), msg.len() + suite.block_len());
                let back = rx.open(content::APPLICATION_DATA, &body).unwrap();
                assert_eq!(&back[..], &msg[..]);
                bodies.push(body);
            }
            // the same plaintext under different sequence numbers gives different records
            assert_ne!(bodies[0], tx.seal(content::APPLICATION_DATA, &[]).unwrap());
        }
    }

    #[test]
    fn altered_records_fail_with_bad_record_mac() {
        for suite in CipherSuite::ALL {
            let (mut tx, _) = pair(suite);
            let body = tx.seal(content::APPLICATION_DATA, b"hello").unwrap();
            for i in 0..body.len() {
                let (_, mut rx) = pair(suite);
                let mut bad = body.clone();
                bad[i] ^= 1;
                assert!(matches!(
                    rx.open(content::APPLICATION_DATA, &bad),
                    Err(TlsError::BadRecordMac)
                ));
            }
            // the type is authenticated too, and a too-short record fails cleanly
            let (_, mut rx) = pair(suite);
            assert!(matches!(
                rx.open(content::HANDSHAKE, &body),
                Err(TlsError::BadRecordMac)
            ));
            let (_, mut rx) = pair(suite);
            assert!(matches!(
                rx.open(23, &[0u8; 3]),
                Err(TlsError::BadRecordMac)
            ));
        }
    }

    #[test]
    fn framing_checks_the_header() {
        let mut out = Vec::new();
        put_record(&mut out, content::HANDSHAKE, b"abc");
        let mut buf = out[..6].to_vec();
        assert!(take_record(&mut buf).unwrap().is_none());
        let mut buf = out.clone();
        let r = take_record(&mut buf).unwrap().unwrap();
        assert_eq!((r.ty, &r.body[..]), (content::HANDSHAKE, &b"abc"[..]));
        assert!(buf.is_empty());
        let mut bad = out.clone();
        bad[0] = 99;
        assert!(take_record(&mut bad).is_err());
        let mut long = vec![23, 3, 3, 0xFF, 0xFF];
        assert!(matches!(
            take_record(&mut long),
            Err(TlsError::RecordOverflow)
        ));
    }
}
