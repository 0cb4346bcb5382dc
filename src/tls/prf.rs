//! The GOST TLS 1.2 key schedule (RFC 9189 §4.2, §8.1): the PRF `PRF_TLS_GOSTR3411_2012_256`
//! (the RFC 5246 §5 `P_hash` with HMAC_GOSTR3411_2012_256), and TLSTREE (§8.1.1), the
//! per-record key derivation of the CTR_OMAC suites.

use zeroize::Zeroizing;

use crate::kdf::kdf_gostr3411_2012_256;
use crate::mac::HmacStreebog256;

/// Fills `out` with `P_HMAC_Streebog256(secret, label || seed)` (RFC 5246 §5).
pub fn prf(secret: &[u8], label: &[u8], seed: &[u8], out: &mut [u8]) {
    let base = HmacStreebog256::new(secret);
    // A(1) = HMAC(secret, label || seed)
    let mut a = {
        let mut m = base.clone();
        m.update(label);
        m.update(seed);
        Zeroizing::new(m.finalize())
    };
    for chunk in out.chunks_mut(32) {
        let mut m = base.clone();
        m.update(&a[..]);
        m.update(label);
        m.update(seed);
        let block = Zeroizing::new(m.finalize());
        chunk
            .iter_mut()
            .zip(block.iter())
            .for_each(|(c, b)| *c = *b);
        let mut next = base.clone();
        next.update(&a[..]);
        a = Zeroizing::new(next.finalize());
    }
}

/// TLSTREE (RFC 9189 §8.1.1): the key of record `seqnum` from the root key,
/// `KDF_3(KDF_2(KDF_1(K_root, STR_8(i & C_1)), STR_8(i & C_2)), STR_8(i & C_3))` with
/// `KDF_j(K, D) = KDF_GOSTR3411_2012_256(K, "levelj", D)`.
pub fn tlstree(root: &[u8], c: &[u64; 3], seqnum: u64) -> Zeroizing<[u8; 32]> {
    let k1 = kdf_gostr3411_2012_256(root, b"level1", &(seqnum & c[0]).to_be_bytes());
    let k2 = kdf_gostr3411_2012_256(&k1[..], b"level2", &(seqnum & c[1]).to_be_bytes());
    kdf_gostr3411_2012_256(&k2[..], b"level3", &(seqnum & c[2]).to_be_bytes())
}

/// A TLSTREE whose last derived key is kept: records in one C_3 block share a key.
pub(crate) struct TreeCache {
    root: Zeroizing<[u8; 32]>,
    c: [u64; 3],
    last: Option<(u64, Zeroizing<[u8; 32]>)>,
}

impl TreeCache {
    pub(crate) fn new(root: &[u8; 32], c: [u64; 3]) -> Self {
        Self {
            root: Zeroizing::new(*root),
            c,
            last: None,
        }
    }

    pub(crate) fn key(&mut self, seqnum: u64) -> Zeroizing<[u8; 32]> {
        let block = seqnum & self.c[2];
        if let Some((b, k)) = &self.last
            && *b == block
        {
            return k.clone();
        }
        let k = tlstree(&self.root[..], &self.c, seqnum);
        self.last = Some((block, k.clone()));
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P_hash written out from its definition with one-shot HMACs.
    fn p_hash_reference(secret: &[u8], seed: &[u8], len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut a = HmacStreebog256::mac(secret, seed).to_vec();
        while out.len() < len {
            let mut input = a.clone();
            input.extend_from_slice(seed);
            out.extend_from_slice(&HmacStreebog256::mac(secret, &input));
            a = HmacStreebog256::mac(secret, &a).to_vec();
        }
        out.truncate(len);
        out
    }

    #[test]
    fn prf_is_p_hash_of_label_and_seed_for_every_length() {
        let secret = [0x11u8; 48];
        for len in [1usize, 12, 31, 32, 33, 48, 64, 136] {
            let mut out = vec![0u8; len];
            prf(&secret, b"key expansion", b"seed bytes", &mut out);
            assert_eq!(
                out,
                p_hash_reference(&secret, b"key expansionseed bytes", len)
            );
        }
        // Output is a prefix of longer output.
        let mut a = [0u8; 40];
        let mut b = [0u8; 100];
        prf(&secret, b"l", b"s", &mut a);
        prf(&secret, b"l", b"s", &mut b);
        assert_eq!(a[..], b[..40]);
    }

    #[test]
    fn tlstree_changes_key_only_at_c3_boundaries() {
        let root = [7u8; 32];
        let c = [
            0xFFFF_FFFF_0000_0000,
            0xFFFF_FFFF_FFF8_0000,
            0xFFFF_FFFF_FFFF_FFC0,
        ];
        assert_eq!(tlstree(&root, &c, 0), tlstree(&root, &c, 63));
        assert_ne!(tlstree(&root, &c, 63), tlstree(&root, &c, 64));
        let mut cache = TreeCache::new(&root, c);
        for i in [0u64, 1, 63, 64, 65, 1 << 19, (1 << 32) + 5] {
            assert_eq!(cache.key(i), tlstree(&root, &c, i));
        }
        // the levels: KDF_1 then KDF_2 then KDF_3
        let k1 = kdf_gostr3411_2012_256(&root, b"level1", &0u64.to_be_bytes());
        let k2 = kdf_gostr3411_2012_256(&k1[..], b"level2", &0u64.to_be_bytes());
        let k3 = kdf_gostr3411_2012_256(&k2[..], b"level3", &64u64.to_be_bytes());
        assert_eq!(*tlstree(&root, &c, 64), *k3);
    }
}
