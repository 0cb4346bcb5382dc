//! The record layer (RFC 5246 §6) with the two protections of RFC 9189 §4.1.
//!
//! CTR_OMAC (0xC100, 0xC101): for record `seqnum`, `K_MAC = TLSTREE(K_MAC_root, seqnum)`,
//! `K_ENC = TLSTREE(K_ENC_root, seqnum)`, `IV = (IV_root + seqnum) mod 2^(n/2)`,
//! `MAC = OMAC(K_MAC, STR_8(seqnum) | type | version | length | fragment)` (a full block) and
//! the record body `CTR-ACPKM(K_ENC, IV, fragment | MAC)` (RFC 8645 §6.2.2) with sections of
//! `CipherSuite::acpkm_section` bytes — 4096 for Kuznyechik, 1024 for Magma — restarted
//! with each record's key. That is what OpenSSL 3 + gost-engine do (the reference peer
//! rejects, with bad_record_mac, a record longer than one section under plain CTR, and
//! sends such records the same way; `tests/tls_peer.rs` `http_get_from_s_server_www`).
//!
//! CNT_IMIT (0xC102, RFC 9189 §4.1.2): MAC-then-encrypt with GOST 28147-89 under the
//! id-tc26-gost-28147-param-Z S-box, both with CryptoPro key meshing (RFC 4357 §2.3) every
//! 1024 bytes. Neither is restarted per record, as for the stream ciphers of RFC 5246
//! §6.2.3.1: the CNT key stream, started once from `K_ENC` and the 8-byte write IV, runs on
//! across the records of the connection (`fragment_1 | MAC_1 | fragment_2 | MAC_2 | …`), and
//! the IMIT under `K_MAC` (zero initial state) runs over the concatenation of every record's
//! `STR_8(seqnum) | type | version | length | fragment` so far, the 4-byte MAC of record i
//! being the IMIT of the first i such strings (zero-padded to a block at that point only).

use zeroize::Zeroizing;

use super::prf::TreeCache;
use super::{CipherSuite, TlsError};
use crate::cipher::acpkm::CtrAcpkm;
use crate::cipher::gost28147::{Gost28147, Gost28147Cnt, Gost28147Mac, SBox};
use crate::cipher::modes::Omac;
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

/// One direction's protection (there is none before ChangeCipherSpec).
pub(crate) struct Protection {
    suite: CipherSuite,
    keys: Keys,
    seq: u64,
    exhausted: bool,
}

#[allow(clippy::large_enum_variant)] // two per connection, never moved in a loop
enum Keys {
    /// TLSTREE roots and the IV of CTR_OMAC.
    CtrOmac {
        mac: TreeCache,
        enc: TreeCache,
        iv: u64,
    },
    /// The running IMIT and CNT states of CNT_IMIT.
    CntImit(CntImit),
}

struct CntImit {
    mac: Gost28147Mac,
    cnt: Gost28147Cnt,
}

impl Protection {
    pub(crate) fn new(
        suite: CipherSuite,
        mac_key: &[u8; 32],
        enc_key: &[u8; 32],
        iv: &[u8],
    ) -> Result<Self, TlsError> {
        let keys = if suite.is_cnt_imit() {
            // RFC 9189 §4.1.2: the Z S-box, key meshing on for both
            let mac = Gost28147::with_sbox(mac_key, SBox::Tc26Z)?;
            let enc = Gost28147::with_sbox(enc_key, SBox::Tc26Z)?;
            Keys::CntImit(CntImit {
                mac: Gost28147Mac::new(&mac, None, true)?,
                cnt: Gost28147Cnt::new(&enc, iv, true)?,
            })
        } else {
            let mut v = [0u8; 8];
            let n = iv.len().min(8);
            // right-aligned: the suite's IV bytes end the 8-byte counter block
            v.iter_mut()
                .rev()
                .zip(iv.iter().take(n).rev())
                .for_each(|(d, s)| *d = *s);
            let c = suite.tree_constants();
            Keys::CtrOmac {
                mac: TreeCache::new(mac_key, c),
                enc: TreeCache::new(enc_key, c),
                iv: u64::from_be_bytes(v),
            }
        };
        Ok(Self {
            suite,
            keys,
            seq: 0,
            exhausted: false,
        })
    }

    /// Makes `seq` the sequence number of the next record (CTR_OMAC only: each of its records
    /// is keyed from the sequence number alone, while CNT_IMIT's state runs through every
    /// earlier record).
    #[cfg(feature = "hazmat")]
    pub(crate) fn set_next_seq(&mut self, seq: u64) -> Result<(), TlsError> {
        if self.suite.is_cnt_imit() || seq > self.suite.max_seqnum() {
            return Err(TlsError::SequenceLimit);
        }
        self.seq = seq;
        Ok(())
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

    /// Protects one fragment; returns the record body.
    pub(crate) fn seal(&mut self, ty: u8, fragment: &[u8]) -> Result<Vec<u8>, TlsError> {
        let seq = self.next_seq()?;
        let mut body = Zeroizing::new(Vec::with_capacity(fragment.len() + 16));
        body.extend_from_slice(fragment);
        let suite = self.suite;
        match &mut self.keys {
            Keys::CtrOmac { mac, enc, iv } => {
                let k_mac = mac.key(seq);
                let k_enc = enc.key(seq);
                let iv = ctr_iv(suite, *iv, seq);
                let iv = iv
                    .get(8usize.saturating_sub(suite.iv_len())..)
                    .unwrap_or_default();
                let n = suite.acpkm_section();
                if suite == CipherSuite::KuznyechikCtrOmac {
                    seal_with::<Kuznyechik>(&k_mac[..], &k_enc[..], iv, n, seq, ty, &mut body)?
                } else {
                    seal_with::<Magma>(&k_mac[..], &k_enc[..], iv, n, seq, ty, &mut body)?
                }
            }
            Keys::CntImit(st) => {
                mac_header(&mut st.mac, seq, ty, fragment.len());
                st.mac.update(fragment);
                body.extend_from_slice(&st.mac.clone().finalize());
                st.cnt.apply_keystream(&mut body);
            }
        }
        Ok(body.to_vec())
    }

    /// Removes the protection of a record body; a MAC mismatch is `BadRecordMac`.
    pub(crate) fn open(&mut self, ty: u8, body: &[u8]) -> Result<Zeroizing<Vec<u8>>, TlsError> {
        let ml = self.suite.mac_len();
        if body.len() < ml {
            return Err(TlsError::BadRecordMac);
        }
        if body.len() > MAX_FRAGMENT + ml {
            return Err(TlsError::RecordOverflow);
        }
        let seq = self.next_seq()?;
        let mut data = Zeroizing::new(body.to_vec());
        let suite = self.suite;
        match &mut self.keys {
            Keys::CtrOmac { mac, enc, iv } => {
                let k_mac = mac.key(seq);
                let k_enc = enc.key(seq);
                let iv = ctr_iv(suite, *iv, seq);
                let iv = iv
                    .get(8usize.saturating_sub(suite.iv_len())..)
                    .unwrap_or_default();
                let n = suite.acpkm_section();
                if suite == CipherSuite::KuznyechikCtrOmac {
                    open_with::<Kuznyechik>(&k_mac[..], &k_enc[..], iv, n, seq, ty, &mut data)?
                } else {
                    open_with::<Magma>(&k_mac[..], &k_enc[..], iv, n, seq, ty, &mut data)?
                }
            }
            Keys::CntImit(st) => {
                st.cnt.apply_keystream(&mut data);
                let n = data.len().checked_sub(ml).ok_or(TlsError::BadRecordMac)?;
                let (body, received) = data.split_at(n);
                mac_header(&mut st.mac, seq, ty, n);
                st.mac.update(body);
                let tag = st.mac.clone().finalize();
                if !bool::from(subtle::ConstantTimeEq::ct_eq(&tag[..], received)) {
                    return Err(TlsError::BadRecordMac);
                }
                data.truncate(n);
            }
        }
        Ok(data)
    }
}

/// `(IV_root + seqnum) mod 2^(n/2)` as 8 big-endian bytes (the low n/2 bits are the IV).
fn ctr_iv(suite: CipherSuite, iv: u64, seq: u64) -> [u8; 8] {
    let v = iv.wrapping_add(seq);
    if suite.iv_len() == 8 {
        v.to_be_bytes()
    } else {
        (v & 0xFFFF_FFFF).to_be_bytes()
    }
}

/// The MAC input before the fragment: `STR_8(seqnum) | type | version | length`.
fn header(seq: u64, ty: u8, len: usize) -> [u8; 13] {
    let mut h = [0u8; 13];
    h[..8].copy_from_slice(&seq.to_be_bytes());
    h[8] = ty;
    h[9..11].copy_from_slice(&VERSION);
    h[11..].copy_from_slice(&(len as u16).to_be_bytes());
    h
}

fn mac_header(m: &mut Gost28147Mac, seq: u64, ty: u8, len: usize) {
    m.update(&header(seq, ty, len));
}

fn mac_of<C: BlockCipher>(
    k_mac: &[u8],
    seq: u64,
    ty: u8,
    fragment: &[u8],
) -> Result<C::Block, TlsError> {
    let mut m = Omac::<C>::new(k_mac)?;
    m.update(&header(seq, ty, fragment.len()));
    m.update(fragment);
    Ok(m.finalize())
}

fn seal_with<C: BlockCipher>(
    k_mac: &[u8],
    k_enc: &[u8],
    iv: &[u8],
    section: usize,
    seq: u64,
    ty: u8,
    body: &mut Vec<u8>,
) -> Result<(), TlsError> {
    let tag = mac_of::<C>(k_mac, seq, ty, body)?;
    body.extend_from_slice(tag.as_ref());
    CtrAcpkm::<C>::new(k_enc, iv, section)?.apply_keystream(body)?;
    Ok(())
}

fn open_with<C: BlockCipher>(
    k_mac: &[u8],
    k_enc: &[u8],
    iv: &[u8],
    section: usize,
    seq: u64,
    ty: u8,
    data: &mut Zeroizing<Vec<u8>>,
) -> Result<(), TlsError> {
    CtrAcpkm::<C>::new(k_enc, iv, section)?.apply_keystream(data)?;
    let n = data
        .len()
        .checked_sub(C::BLOCK_LEN)
        .ok_or(TlsError::BadRecordMac)?;
    let (body, received) = data.split_at(n);
    let tag = mac_of::<C>(k_mac, seq, ty, body)?;
    if !bool::from(subtle::ConstantTimeEq::ct_eq(tag.as_ref(), received)) {
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
    let Some(&[ty, major, _minor, l0, l1]) = buf.first_chunk::<HEADER_LEN>() else {
        return Ok(None);
    };
    if !(content::CHANGE_CIPHER_SPEC..=content::APPLICATION_DATA).contains(&ty) {
        return Err(TlsError::Decode("record content type"));
    }
    if major != 3 {
        return Err(TlsError::Decode("record version"));
    }
    let len = u16::from_be_bytes([l0, l1]) as usize;
    if len > MAX_CIPHERTEXT {
        return Err(TlsError::RecordOverflow);
    }
    let Some(body) = buf.get(HEADER_LEN..HEADER_LEN + len) else {
        return Ok(None);
    };
    let body = body.to_vec();
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
        let ivl = suite.iv_len();
        (
            Protection::new(suite, &m, &e, &iv[8 - ivl..]).unwrap(),
            Protection::new(suite, &m, &e, &iv[8 - ivl..]).unwrap(),
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
                assert_eq!(body.len(), msg.len() + suite.mac_len());
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
    fn cnt_imit_runs_one_key_stream_and_one_mac_across_the_records() {
        use crate::cipher::gost28147::gost28147_mac;
        let suite = CipherSuite::Gost28147CntImit;
        let (m, e, iv) = ([1u8; 32], [2u8; 32], [9u8, 8, 7, 6, 5, 4, 3, 2]);
        let mut tx = Protection::new(suite, &m, &e, &iv).unwrap();
        let mac_key = Gost28147::with_sbox(&m, SBox::Tc26Z).unwrap();
        let enc_key = Gost28147::with_sbox(&e, SBox::Tc26Z).unwrap();
        let mut stream = Gost28147Cnt::new(&enc_key, &iv, true).unwrap();
        let mut mac_input = Vec::new();
        let mut bodies = Vec::new();
        // 6 x 704 bytes: both the CNT stream and the IMIT pass 1024-byte meshing points
        for i in 0..6u64 {
            let frag = vec![0x5Au8; 700];
            let body = tx.seal(content::APPLICATION_DATA, &frag).unwrap();
            mac_input.extend_from_slice(&header(i, content::APPLICATION_DATA, frag.len()));
            mac_input.extend_from_slice(&frag);
            let tag = gost28147_mac(&mac_key, None, &mac_input, true).unwrap();
            let mut want = frag.clone();
            want.extend_from_slice(&tag);
            stream.apply_keystream(&mut want);
            assert_eq!(body, want, "record {i}");
            bodies.push(body);
        }
        // the same fragment never encrypts the same way twice
        assert_ne!(bodies[0], bodies[1]);
        // records open only in order, each once
        let mut rx = Protection::new(suite, &m, &e, &iv).unwrap();
        assert!(matches!(
            rx.open(content::APPLICATION_DATA, &bodies[1]),
            Err(TlsError::BadRecordMac)
        ));
        let mut rx = Protection::new(suite, &m, &e, &iv).unwrap();
        for b in &bodies {
            assert_eq!(
                &rx.open(content::APPLICATION_DATA, b).unwrap()[..],
                &[0x5A; 700]
            );
        }
        assert!(rx.open(content::APPLICATION_DATA, &bodies[5]).is_err());
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
