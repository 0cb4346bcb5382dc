//! The test examples of RFC 9189 Appendix A, reproduced with gostkit's own TLS code
//! (`test-vectors/rfc9189/`): TLSTREE (A.1.1), record protection (A.1.2, A.2.1) and the three
//! handshakes (A.1.3.1 Magma, A.1.3.2 Kuznyechik, A.2.2 GOST 28147-89) — keys, the key exchange
//! with the given ephemeral keys, the master secret, the key block, the Finished values, every
//! record — and the Magma handshake run through [`ServerConnection`] byte for byte. The random
//! inputs the examples fix are injected through `gostkit::tls::hazmat` (feature `hazmat`).

mod common;

use std::sync::Arc;

use common::{h, n, s, vectors};
use gostkit::cipher::gost28147::{Gost28147, SBox, gost28147_mac};
use gostkit::cipher::keywrap::cryptopro_kek_diversify;
use gostkit::cipher::modes::Omac;
use gostkit::cipher::{BlockCipher, Kuznyechik, Magma};
use gostkit::ec::{ParamSet, SigningKey, vko_2012_256};
use gostkit::hash::Streebog256;
use gostkit::kdf::{kdf_gostr3411_2012_256, kdf_tree_gostr3411_2012_256};
use gostkit::kex::{ExportCipher, keg, keg_export, wrap_28147};
use gostkit::tls::hazmat::{self, RecordProtection};
use gostkit::tls::prf::{prf, tlstree};
use gostkit::tls::{CipherSuite, ServerConfig};
use gostkit::x509::Certificate;

const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;

fn suite_of(v: &toml::Table) -> CipherSuite {
    match s(v, "suite") {
        "magma" => CipherSuite::MagmaCtrOmac,
        "kuznyechik" => CipherSuite::KuznyechikCtrOmac,
        "gost28147" => CipherSuite::Gost28147CntImit,
        other => panic!("unknown suite {other}"),
    }
}

/// A `_be` field (a big-endian number) as the little-endian bytes gostkit's keys take.
fn le(v: &toml::Table, key: &str) -> Vec<u8> {
    let mut b = h(v, key);
    b.reverse();
    b
}

fn key32(b: &[u8]) -> [u8; 32] {
    b.try_into().expect("32 bytes")
}

/// The TLSTREE constants of RFC 9189 §8.1.1, Table 3 (written here from the table, to check
/// the KDF levels independently of the engine's copy).
fn table3(suite: CipherSuite) -> [u64; 3] {
    match suite {
        CipherSuite::KuznyechikCtrOmac => [
            0xFFFF_FFFF_0000_0000,
            0xFFFF_FFFF_FFF8_0000,
            0xFFFF_FFFF_FFFF_FFC0,
        ],
        CipherSuite::MagmaCtrOmac => [
            0xFFFF_FFC0_0000_0000,
            0xFFFF_FFFF_FE00_0000,
            0xFFFF_FFFF_FFFF_F000,
        ],
        other => panic!("no key tree for {other:?}"),
    }
}

/// A record: header (type, TLS 1.2, length) and body.
fn record(ty: u8, body: &[u8]) -> Vec<u8> {
    let mut r = vec![ty, 3, 3];
    r.extend_from_slice(
        &u16::try_from(body.len())
            .expect("record length")
            .to_be_bytes(),
    );
    r.extend_from_slice(body);
    r
}

/// The body of a whole record stored in a vector, its header checked.
fn body_of(rec: &[u8], ty: u8) -> &[u8] {
    assert_eq!(rec[0], ty, "record type");
    assert_eq!(&rec[1..3], &[3, 3], "record version");
    let len = usize::from(u16::from_be_bytes([rec[3], rec[4]]));
    assert_eq!(rec.len(), 5 + len, "record length");
    &rec[5..]
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

// ---- A.1.1 TLSTREE ----------------------------------------------------------------------------

#[test]
fn a_1_1_tlstree_levels_and_keys() {
    let vs = vectors("rfc9189/tlstree.toml");
    assert_eq!(vs.len(), 14);
    for v in &vs {
        let suite = suite_of(v);
        let root = h(v, "k_root");
        let seq = u64::try_from(n(v, "seqnum")).expect("seqnum");
        let c = table3(suite);
        let k1 = kdf_gostr3411_2012_256(&root, b"level1", &(seq & c[0]).to_be_bytes());
        assert_eq!(k1[..], h(v, "k1")[..], "{}: K1", s(v, "source"));
        let k2 = kdf_gostr3411_2012_256(&k1[..], b"level2", &(seq & c[1]).to_be_bytes());
        assert_eq!(k2[..], h(v, "k2")[..], "{}: K2", s(v, "source"));
        let k3 = kdf_gostr3411_2012_256(&k2[..], b"level3", &(seq & c[2]).to_be_bytes());
        assert_eq!(k3[..], h(v, "k3")[..], "{}: K3", s(v, "source"));
        // the engine's TLSTREE, with the table's constants and with its own for the suite
        assert_eq!(tlstree(&root, &c, seq)[..], h(v, "k3")[..]);
        let engine = hazmat::tlstree(suite, &root, seq).expect("CTR_OMAC suite");
        assert_eq!(engine[..], h(v, "k3")[..], "{}: engine", s(v, "source"));
    }
    assert!(hazmat::tlstree(CipherSuite::Gost28147CntImit, &[0u8; 32], 0).is_err());
}

// ---- A.1.2 / A.2.1 records --------------------------------------------------------------------

fn omac_of<C: BlockCipher>(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = Omac::<C>::new(key).expect("OMAC key");
    m.update(data);
    m.finalize().as_ref().to_vec()
}

/// Checks a sealed record against the vector's ciphertext (whole, or its printed head and tail).
fn check_ciphertext(v: &toml::Table, got: &[u8]) {
    let src = s(v, "source");
    if v.contains_key("ciphertext") {
        assert_eq!(hex(got), hex(&h(v, "ciphertext")), "{src}: TLSCiphertext");
        return;
    }
    let len = usize::try_from(n(v, "ciphertext_len")).expect("length");
    assert_eq!(got.len(), len, "{src}: record length");
    let head = h(v, "ciphertext_head");
    assert_eq!(
        hex(&got[..head.len()]),
        hex(&head),
        "{src}: TLSCiphertext head"
    );
    let off = usize::try_from(n(v, "ciphertext_tail_offset")).expect("offset");
    let tail = h(v, "ciphertext_tail");
    assert_eq!(off + tail.len(), len, "{src}: the tail ends the record");
    assert_eq!(hex(&got[off..]), hex(&tail), "{src}: TLSCiphertext tail");
}

#[test]
fn a_1_2_ctr_omac_records() {
    let vs: Vec<_> = vectors("rfc9189/records.toml")
        .into_iter()
        .filter(|v| suite_of(v) != CipherSuite::Gost28147CntImit)
        .collect();
    assert_eq!(vs.len(), 6);
    for v in &vs {
        let src = s(v, "source");
        let suite = suite_of(v);
        let seq = u64::try_from(n(v, "seqnum")).expect("seqnum");
        let (mac_key, enc_key) = (key32(&h(v, "mac_key")), key32(&h(v, "enc_key")));
        let fragment = vec![0u8; usize::try_from(n(v, "fragment_len")).expect("length")];
        let mut plaintext = record(APPLICATION_DATA, &fragment);
        assert_eq!(plaintext[..5], h(v, "plaintext_header")[..], "{src}");
        // the record keys
        let k_mac = hazmat::tlstree(suite, &mac_key, seq).unwrap();
        assert_eq!(k_mac[..], h(v, "k_mac")[..], "{src}: K_MAC");
        let k_enc = hazmat::tlstree(suite, &enc_key, seq).unwrap();
        assert_eq!(k_enc[..], h(v, "k_enc")[..], "{src}: K_ENC");
        // MAC = OMAC(K_MAC, STR_8(seqnum) | type | version | length | fragment)
        let mut mac_input = seq.to_be_bytes().to_vec();
        mac_input.append(&mut plaintext);
        let mac = if suite == CipherSuite::KuznyechikCtrOmac {
            omac_of::<Kuznyechik>(&k_mac[..], &mac_input)
        } else {
            omac_of::<Magma>(&k_mac[..], &mac_input)
        };
        assert_eq!(hex(&mac), hex(&h(v, "mac")), "{src}: MAC value");
        // the engine's record protection at this sequence number
        let mut tx = RecordProtection::new(suite, &mac_key, &enc_key, &h(v, "iv")).unwrap();
        tx.set_next_seq(seq).unwrap();
        let sealed = record(
            APPLICATION_DATA,
            &tx.seal(APPLICATION_DATA, &fragment).unwrap(),
        );
        check_ciphertext(v, &sealed);
        // and the other direction: the record opens to the fragment, once
        let mut rx = RecordProtection::new(suite, &mac_key, &enc_key, &h(v, "iv")).unwrap();
        rx.set_next_seq(seq).unwrap();
        let opened = rx.open(APPLICATION_DATA, &sealed[5..]).unwrap();
        assert_eq!(&opened[..], &fragment[..], "{src}: open");
        assert!(
            rx.open(APPLICATION_DATA, &sealed[5..]).is_err(),
            "{src}: replay"
        );
    }
}

#[test]
fn a_2_1_cnt_imit_records() {
    let vs: Vec<_> = vectors("rfc9189/records.toml")
        .into_iter()
        .filter(|v| suite_of(v) == CipherSuite::Gost28147CntImit)
        .collect();
    assert_eq!(vs.len(), 2);
    let first = &vs[0];
    let (mac_key, enc_key, iv) = (
        key32(&h(first, "mac_key")),
        key32(&h(first, "enc_key")),
        h(first, "iv"),
    );
    let suite = CipherSuite::Gost28147CntImit;
    let mut tx = RecordProtection::new(suite, &mac_key, &enc_key, &iv).unwrap();
    let mut rx = RecordProtection::new(suite, &mac_key, &enc_key, &iv).unwrap();
    assert!(
        tx.set_next_seq(1).is_err(),
        "a CNT_IMIT stream cannot skip records"
    );
    let mac_cipher = Gost28147::with_sbox(&mac_key, SBox::Tc26Z).unwrap();
    let mut mac_input = Vec::new();
    for (i, v) in vs.iter().enumerate() {
        let src = s(v, "source");
        assert_eq!(n(v, "seqnum"), i as i64, "the entries run in order");
        assert_eq!(h(v, "mac_key"), mac_key.to_vec());
        let fragment = vec![0u8; usize::try_from(n(v, "fragment_len")).expect("length")];
        let plaintext = record(APPLICATION_DATA, &fragment);
        assert_eq!(plaintext[..5], h(v, "plaintext_header")[..], "{src}");
        // MAC over STR_8(0) | record_0 | ... | STR_8(seqnum) | record_seqnum (§4.1.2)
        mac_input.extend_from_slice(&(i as u64).to_be_bytes());
        mac_input.extend_from_slice(&plaintext);
        let mac = gost28147_mac(&mac_cipher, None, &mac_input, true).unwrap();
        assert_eq!(hex(&mac), hex(&h(v, "mac")), "{src}: MAC");
        let sealed = record(
            APPLICATION_DATA,
            &tx.seal(APPLICATION_DATA, &fragment).unwrap(),
        );
        check_ciphertext(v, &sealed);
        let opened = rx.open(APPLICATION_DATA, &sealed[5..]).unwrap();
        assert_eq!(&opened[..], &fragment[..], "{src}: open");
    }
}

// ---- A.1.3 / A.2.2 handshakes -----------------------------------------------------------------

/// The pieces of an example every handshake test needs.
struct Example {
    v: toml::Table,
    suite: CipherSuite,
    server: SigningKey,
    server_set: ParamSet,
    client_random: [u8; 32],
    server_random: [u8; 32],
    pms: [u8; 32],
}

impl Example {
    fn load(file: &str) -> Self {
        let mut vs = vectors(file);
        assert_eq!(vs.len(), 1);
        let v = vs.remove(0);
        let suite = suite_of(&v);
        let server_set = ParamSet::from_oid(s(&v, "server_param_set")).expect("curve OID");
        // Q_s = d_s * P
        let server = SigningKey::from_bytes(server_set, &le(&v, "server_d_be")).unwrap();
        let mut q = le(&v, "server_x_be");
        q.extend(le(&v, "server_y_be"));
        assert_eq!(hex(server.verifying_key().as_bytes()), hex(&q), "Q_s");
        let ch = h(&v, "client_hello_record");
        let sh = h(&v, "server_hello_record");
        let (ch, sh) = (body_of(&ch, HANDSHAKE), body_of(&sh, HANDSHAKE));
        assert_eq!((ch[0], sh[0]), (1, 2));
        let client_random = key32(&ch[6..38]);
        let server_random = key32(&sh[6..38]);
        let pms = key32(&h(&v, "pms"));
        Self {
            v,
            suite,
            server,
            server_set,
            client_random,
            server_random,
            pms,
        }
    }

    fn h(&self, key: &str) -> Vec<u8> {
        h(&self.v, key)
    }

    /// Another copy of d_s (for a server configuration).
    fn server_key(&self) -> SigningKey {
        SigningKey::from_bytes(self.server_set, &le(&self.v, "server_d_be")).unwrap()
    }

    /// A handshake message: the body of the record stored under `key`.
    fn msg(&self, key: &str) -> Vec<u8> {
        body_of(&self.h(key), HANDSHAKE).to_vec()
    }

    /// The ephemeral key d_eph, with Q_eph = d_eph * P checked.
    fn ephemeral(&self) -> SigningKey {
        let eph = SigningKey::from_bytes(self.server_set, &le(&self.v, "eph_d_be")).unwrap();
        let mut q = le(&self.v, "eph_x_be");
        q.extend(le(&self.v, "eph_y_be"));
        assert_eq!(hex(eph.verifying_key().as_bytes()), hex(&q), "Q_eph");
        eph
    }

    /// H = HASH(r_c | r_s), checked.
    fn hash_rc_rs(&self) -> [u8; 32] {
        let mut hh = Streebog256::new();
        hh.update(&self.client_random);
        hh.update(&self.server_random);
        let hv = hh.finalize();
        assert_eq!(hex(&hv), hex(&self.h("hash_rc_rs")), "HASH(r_c | r_s)");
        hv
    }

    /// The ClientKeyExchange the engine builds from PMS and d_eph, and the PMS the engine's
    /// server takes back from the RFC's ClientKeyExchange with d_s.
    fn check_client_key_exchange(&self, eph: &SigningKey) {
        let cke = self.msg("client_key_exchange_record");
        assert_eq!(cke[0], 16);
        let body = &cke[4..];
        let cert_msg = self.msg("certificate_record");
        let cert = Certificate::from_der(&cert_msg[10..]).unwrap();
        assert_eq!(
            hex(cert.verifying_key().unwrap().as_bytes()),
            hex(self.server.verifying_key().as_bytes()),
            "the server certificate carries Q_s"
        );
        let ours = hazmat::client_key_exchange(
            self.suite,
            &cert,
            &self.client_random,
            &self.server_random,
            &self.pms,
            eph,
        )
        .unwrap();
        assert_eq!(hex(&ours), hex(body), "ClientKeyExchange body");
        let pms = hazmat::server_key_exchange(
            self.suite,
            &self.server,
            &self.client_random,
            &self.server_random,
            body,
        )
        .unwrap();
        assert_eq!(&pms[..], &self.pms[..], "PMS imported by the server");
    }

    fn key_block_checked(&self, ms: &[u8; 48]) -> Vec<u8> {
        let kb = hazmat::key_block(self.suite, ms, &self.client_random, &self.server_random);
        assert_eq!(hex(&kb), hex(&self.h("key_block")), "key material");
        kb.to_vec()
    }

    /// The write protections (client, server) from the key block.
    fn protections(&self, kb: &[u8]) -> (RecordProtection, RecordProtection) {
        let ivl = (kb.len() - 128) / 2;
        let k = |i: usize| key32(&kb[32 * i..32 * i + 32]);
        let c = RecordProtection::new(self.suite, &k(0), &k(2), &kb[128..128 + ivl]).unwrap();
        let s = RecordProtection::new(self.suite, &k(1), &k(3), &kb[128 + ivl..]).unwrap();
        (c, s)
    }

    /// Finished values and every protected record of the example, from the master secret and
    /// the transcript up to (not including) the client Finished.
    fn check_finished_and_records(&self, ms: &[u8; 48], transcript: &[u8]) {
        let kb = self.key_block_checked(ms);
        let vd_len = if self.suite == CipherSuite::Gost28147CntImit {
            12
        } else {
            32
        };
        // client Finished
        let hc = Streebog256::digest(transcript);
        assert_eq!(
            hex(&hc),
            hex(&self.h("client_finished_hash")),
            "HASH(HM), client"
        );
        let mut vd = vec![0u8; vd_len];
        prf(ms, b"client finished", &hc, &mut vd);
        let cfin = self.h("client_finished_message");
        assert_eq!(hex(&cfin[4..]), hex(&vd), "client verify_data");
        if self.v.contains_key("client_verify_data") {
            assert_eq!(hex(&vd), hex(&self.h("client_verify_data")));
        }
        // server Finished
        let mut t2 = transcript.to_vec();
        t2.extend_from_slice(&cfin);
        let hs = Streebog256::digest(&t2);
        assert_eq!(
            hex(&hs),
            hex(&self.h("server_finished_hash")),
            "HASH(HM), server"
        );
        prf(ms, b"server finished", &hs, &mut vd);
        let sfin = self.h("server_finished_message");
        assert_eq!(hex(&sfin[4..]), hex(&vd), "server verify_data");
        if self.v.contains_key("server_verify_data") {
            assert_eq!(hex(&vd), hex(&self.h("server_verify_data")));
        }
        // ChangeCipherSpec records
        for k in ["client_ccs_record", "server_ccs_record"] {
            assert_eq!(self.h(k), vec![20, 3, 3, 0, 1, 1], "{k}");
        }
        // the protected records of each side: Finished (seqnum 0), application data (1),
        // close_notify (2); sealed by the writer, opened by the reader
        for (side, fin) in [("client", &cfin), ("server", &sfin)] {
            let (mut w, mut r) = {
                let (c, s) = self.protections(&kb);
                let (c2, s2) = self.protections(&kb);
                if side == "client" { (c, c2) } else { (s, s2) }
            };
            let app = self.h(&format!("{side}_app_data"));
            let alert = self.h(&format!("{side}_alert"));
            for (ty, plain, key) in [
                (HANDSHAKE, fin.clone(), format!("{side}_finished_record")),
                (APPLICATION_DATA, app, format!("{side}_app_record")),
                (ALERT, alert, format!("{side}_alert_record")),
            ] {
                let want = self.h(&key);
                let got = record(ty, &w.seal(ty, &plain).unwrap());
                assert_eq!(hex(&got), hex(&want), "{key}");
                let opened = r.open(ty, body_of(&want, ty)).unwrap();
                assert_eq!(&opened[..], &plain[..], "{key} opened");
            }
        }
    }
}

/// CTR_OMAC examples: KEG, KExp15, the ClientKeyExchange, the extended master secret and
/// everything after.
fn ctr_omac_example(file: &str) {
    let ex = Example::load(file);
    let eph = ex.ephemeral();
    let hv = ex.hash_rc_rs();
    // KEG (§8.3.1): r = INT(H[1..16]) (the UKM), the same keys on both sides
    assert_eq!(
        hex(&hv[..16]),
        hex(&ex.h("keg_r_be")),
        "KEG r / UKM = H[1..16]"
    );
    let keys = keg(&eph, ex.server.verifying_key(), &hv).unwrap();
    assert_eq!(
        hex(&keys[..]),
        hex(&ex.h("export_keys")),
        "K_Exp_MAC | K_Exp_ENC"
    );
    let keys_s = keg(&ex.server, eph.verifying_key(), &hv).unwrap();
    assert_eq!(
        hex(&keys_s[..]),
        hex(&ex.h("export_keys")),
        "K_Imp_MAC | K_Imp_ENC"
    );
    if ex.server_set.bits() == 256 {
        // KEG_256: K_EXP = VKO_256(d, Q, UKM), seed = H[17..24], KDFTREE_256(K_EXP, "kdf tree")
        let mut ukm = hv[..16].to_vec();
        ukm.reverse(); // the integer r, as the little-endian UKM bytes VKO takes
        let k_exp = vko_2012_256(&eph, ex.server.verifying_key(), &ukm).unwrap();
        assert_eq!(hex(&k_exp[..]), hex(&ex.h("keg_k_exp")), "K_EXP");
        assert_eq!(hex(&hv[16..24]), hex(&ex.h("keg_seed")), "seed = H[17..24]");
        let mut tree = [0u8; 64];
        kdf_tree_gostr3411_2012_256(&k_exp[..], b"kdf tree", &hv[16..24], 1, &mut tree).unwrap();
        assert_eq!(hex(&tree), hex(&ex.h("export_keys")), "KDFTREE_256");
    }
    // KExp15 (§8.2.1) with IV = H[25..24 + n/2]
    let cipher = if ex.suite == CipherSuite::KuznyechikCtrOmac {
        ExportCipher::Kuznyechik
    } else {
        ExportCipher::Magma
    };
    let iv = &hv[24..24 + cipher.iv_len()];
    assert_eq!(hex(iv), hex(&ex.h("kexp_iv")), "IV");
    let exp = keg_export(cipher, &eph, ex.server.verifying_key(), &hv, &ex.pms).unwrap();
    assert_eq!(hex(&exp), hex(&ex.h("pms_exp")), "PMSEXP");
    ex.check_client_key_exchange(&eph);

    // the transcript up to ClientKeyExchange, then CertificateVerify when the client signs
    let mut transcript = Vec::new();
    for k in [
        "client_hello_record",
        "server_hello_record",
        "certificate_record",
        "certificate_request_record",
        "server_hello_done_record",
        "client_certificate_record",
        "client_key_exchange_record",
    ] {
        if ex.v.contains_key(k) {
            transcript.extend(ex.msg(k));
        }
    }
    // extended master secret (RFC 7627): the session hash covers up to ClientKeyExchange
    let session_hash = Streebog256::digest(&transcript);
    assert_eq!(hex(&session_hash), hex(&ex.h("ms_hash")), "HASH(HM) for MS");
    let mut ms = [0u8; 48];
    prf(&ex.pms, b"extended master secret", &session_hash, &mut ms);
    assert_eq!(hex(&ms), hex(&ex.h("ms")), "MS");
    if ex.v.contains_key("certificate_verify_record") {
        check_certificate_verify(&ex, &session_hash);
        transcript.extend(ex.msg("certificate_verify_record"));
    }
    ex.check_finished_and_records(&ms, &transcript);
}

/// CertificateVerify (§4.2.5): sgn = str_l(r) | str_l(s) of the client's GOST signature of
/// HASH(handshake_messages), reproduced with the RFC's nonce k, and verified.
fn check_certificate_verify(ex: &Example, digest: &[u8; 32]) {
    let set = ParamSet::from_oid(s(&ex.v, "client_param_set")).expect("client curve");
    let client = SigningKey::from_bytes(set, &le(&ex.v, "client_d_be")).unwrap();
    let mut q = le(&ex.v, "client_x_be");
    q.extend(le(&ex.v, "client_y_be"));
    assert_eq!(hex(client.verifying_key().as_bytes()), hex(&q), "Q_c");
    // the client certificate carries Q_c
    let cert_msg = ex.msg("client_certificate_record");
    let cert = Certificate::from_der(&cert_msg[10..]).unwrap();
    assert_eq!(
        hex(cert.verifying_key().unwrap().as_bytes()),
        hex(&q),
        "certificate key"
    );
    let sig = client
        .sign_digest_with_fixed_k(digest, &h(&ex.v, "sign_k_be"))
        .unwrap();
    let mut wire = sig.clone();
    wire.reverse(); // s || r big-endian  ->  str(r) | str(s) little-endian
    let want = ex.h("certificate_verify_signature");
    assert_eq!(hex(&wire), hex(&want), "sgn_c");
    let mut back = want.clone();
    back.reverse();
    client.verifying_key().verify_digest(digest, &back).unwrap();
    // the message: scheme 0x0840 (gostr34102012_256), then the signature
    let cv = ex.msg("certificate_verify_record");
    assert_eq!(&cv[..8], &[15, 0, 0, 0x44, 0x08, 0x40, 0x00, 0x40]);
    assert_eq!(hex(&cv[8..]), hex(&want));
}

#[test]
fn a_1_3_1_magma_handshake_values() {
    ctr_omac_example("rfc9189/handshake-magma.toml");
}

#[test]
fn a_1_3_2_kuznyechik_handshake_values() {
    ctr_omac_example("rfc9189/handshake-kuznyechik.toml");
}

#[test]
fn a_2_2_gost28147_handshake_values() {
    let ex = Example::load("rfc9189/handshake-28147.toml");
    let eph = ex.ephemeral();
    let hv = ex.hash_rc_rs();
    // KEG_28147 (§8.3.2): UKM = H[1..8], R = VKO_256(d, Q, int(UKM)), K = CPDivers(UKM, R).
    // The value the example prints as "K_EXP" is R (step 3), not the diversified K: the
    // CEK_ENC / CEK_MAC below, which the RFC computes under K, match only with K = CPDivers(R).
    let ukm = &hv[..8];
    assert_eq!(hex(ukm), hex(&ex.h("kexp_iv")), "IV = H[1..8]");
    for (ours, peer) in [
        (&eph, ex.server.verifying_key()),
        (&ex.server, eph.verifying_key()),
    ] {
        let r = vko_2012_256(ours, peer, ukm).unwrap();
        assert_eq!(hex(&r[..]), hex(&ex.h("k_exp")), "K_EXP (R of KEG_28147)");
        let k = cryptopro_kek_diversify(&r[..], SBox::Tc26Z, ukm).unwrap();
        // KExp28147 with K written out: ECB(K, PS) and gost28147IMIT(IV, K, PS)
        let kc = Gost28147::with_sbox(&k[..], SBox::Tc26Z).unwrap();
        let mut enc = ex.pms;
        kc.ecb_encrypt(&mut enc).unwrap();
        assert_eq!(hex(&enc), hex(&ex.h("cek_enc")), "ECB(K, PS)");
        let mut m = gostkit::cipher::gost28147::Gost28147Mac::new(&kc, Some(ukm), false).unwrap();
        m.update(&ex.pms);
        assert_eq!(hex(&m.finalize()), hex(&ex.h("cek_mac")), "IMIT(IV, K, PS)");
    }
    // KExp28147 (§8.2.2): IV | ECB(K, PS) | IMIT(IV, K, PS)
    let wrapped = wrap_28147(
        false,
        &eph,
        ex.server.verifying_key(),
        SBox::Tc26Z,
        ukm,
        &ex.pms,
    )
    .unwrap();
    assert_eq!(hex(&wrapped[8..40]), hex(&ex.h("cek_enc")), "CEK_ENC");
    assert_eq!(hex(&wrapped[40..]), hex(&ex.h("cek_mac")), "CEK_MAC");
    assert_eq!(hex(&wrapped), hex(&ex.h("pms_exp")), "PMSEXP");
    ex.check_client_key_exchange(&eph);

    let mut transcript = Vec::new();
    for k in [
        "client_hello_record",
        "server_hello_record",
        "certificate_record",
        "server_hello_done_record",
        "client_key_exchange_record",
    ] {
        transcript.extend(ex.msg(k));
    }
    assert_eq!(
        hex(&Streebog256::digest(&transcript)),
        hex(&ex.h("ms_hash")),
        "HASH(HM)"
    );
    // neither hello carries extended_main_secret: the RFC 5246 §8.1 master secret
    let mut seed = ex.client_random.to_vec();
    seed.extend_from_slice(&ex.server_random);
    let mut ms = [0u8; 48];
    prf(&ex.pms, b"master secret", &seed, &mut ms);
    assert_eq!(hex(&ms), hex(&ex.h("ms")), "MS");
    ex.check_finished_and_records(&ms, &transcript);
}

/// The Magma example run through the engine's server: fed the RFC's client records, it sends
/// the RFC's server records, byte for byte.
#[test]
fn a_1_3_1_magma_handshake_through_the_server() {
    let ex = Example::load("rfc9189/handshake-magma.toml");
    let cert_msg = ex.msg("certificate_record");
    let cert = Certificate::from_der(&cert_msg[10..]).unwrap();
    let mut config = ServerConfig::new(vec![cert], Arc::new(ex.server_key())).unwrap();
    // the example's server chose Magma from the client's {C100, C101}
    config.suites = vec![CipherSuite::MagmaCtrOmac];
    let sh = ex.msg("server_hello_record");
    let sid_len = usize::from(sh[38]);
    let mut server =
        hazmat::server_with_fixed_hello(Arc::new(config), ex.server_random, &sh[39..39 + sid_len])
            .unwrap();
    let exchange = |server: &mut gostkit::tls::ServerConnection, input: &[&str]| -> Vec<u8> {
        for k in input {
            let rec = ex.h(k);
            assert_eq!(server.read_tls(&rec), rec.len());
        }
        server.process().unwrap();
        let mut out = Vec::new();
        server.write_tls(&mut out);
        out
    };
    let concat = |keys: &[&str]| -> String { keys.iter().map(|k| hex(&ex.h(k))).collect() };

    let flight = exchange(&mut server, &["client_hello_record"]);
    assert_eq!(
        hex(&flight),
        concat(&[
            "server_hello_record",
            "certificate_record",
            "server_hello_done_record"
        ]),
        "ServerHello, Certificate, ServerHelloDone"
    );
    assert!(server.is_handshaking());
    let flight = exchange(
        &mut server,
        &[
            "client_key_exchange_record",
            "client_ccs_record",
            "client_finished_record",
        ],
    );
    assert_eq!(
        hex(&flight),
        concat(&["server_ccs_record", "server_finished_record"]),
        "ChangeCipherSpec, Finished"
    );
    assert!(!server.is_handshaking() && !server.is_failed());
    assert_eq!(server.suite(), Some(CipherSuite::MagmaCtrOmac));
    // application data both ways, then close_notify both ways
    assert!(exchange(&mut server, &["client_app_record"]).is_empty());
    let mut buf = [0xAAu8; 64];
    assert_eq!(server.recv(&mut buf), 32);
    assert_eq!(&buf[..32], &ex.h("client_app_data")[..]);
    server.send(&ex.h("server_app_data")).unwrap();
    let mut out = Vec::new();
    server.write_tls(&mut out);
    assert_eq!(
        hex(&out),
        concat(&["server_app_record"]),
        "server application data"
    );
    assert!(exchange(&mut server, &["client_alert_record"]).is_empty());
    assert!(server.peer_closed());
    server.close();
    let mut out = Vec::new();
    server.write_tls(&mut out);
    assert_eq!(
        hex(&out),
        concat(&["server_alert_record"]),
        "server close_notify"
    );
}

/// A record of the example altered in one byte is refused with bad_record_mac by the server.
#[test]
fn a_1_3_1_altered_client_finished_is_refused() {
    let ex = Example::load("rfc9189/handshake-magma.toml");
    let cert_msg = ex.msg("certificate_record");
    let cert = Certificate::from_der(&cert_msg[10..]).unwrap();
    let mut config = ServerConfig::new(vec![cert], Arc::new(ex.server_key())).unwrap();
    config.suites = vec![CipherSuite::MagmaCtrOmac];
    let sh = ex.msg("server_hello_record");
    let sid_len = usize::from(sh[38]);
    let mut server =
        hazmat::server_with_fixed_hello(Arc::new(config), ex.server_random, &sh[39..39 + sid_len])
            .unwrap();
    for k in [
        "client_hello_record",
        "client_key_exchange_record",
        "client_ccs_record",
    ] {
        server.read_tls(&ex.h(k));
    }
    let mut fin = ex.h("client_finished_record");
    let last = fin.len() - 1;
    fin[last] ^= 0x01;
    server.read_tls(&fin);
    let err = server.process().unwrap_err();
    assert!(matches!(err, gostkit::tls::TlsError::BadRecordMac), "{err}");
}

/// The A.2.2 hellos carry no extended_main_secret; gostkit's server requires it (as its client
/// does), so it refuses that ClientHello with handshake_failure rather than run the example's
/// RFC 5246 master secret. (The values of the example are checked above with that master
/// secret.)
#[test]
fn a_2_2_client_hello_without_extended_master_secret_is_refused() {
    let ex = Example::load("rfc9189/handshake-28147.toml");
    let cert_msg = ex.msg("certificate_record");
    let cert = Certificate::from_der(&cert_msg[10..]).unwrap();
    let mut config = ServerConfig::new(vec![cert], Arc::new(ex.server_key())).unwrap();
    config.suites = vec![CipherSuite::Gost28147CntImit];
    let mut server = gostkit::tls::ServerConnection::new(Arc::new(config));
    server.read_tls(&ex.h("client_hello_record"));
    let err = server.process().unwrap_err();
    assert!(
        matches!(err, gostkit::tls::TlsError::Handshake(w) if w.contains("extended master secret")),
        "{err}"
    );
    let mut out = Vec::new();
    server.write_tls(&mut out);
    assert_eq!(
        out,
        [21, 3, 3, 0, 2, 2, 40],
        "a fatal handshake_failure alert"
    );
}

/// The engine's client, given the example's client random, PMS and d_eph, fed the example's
/// server flight: it accepts it and sends the example's ClientKeyExchange (and, when asked, its
/// Certificate) byte for byte. Its own ClientHello carries other extensions than the example's
/// (server_name, supported_groups, more signature schemes), so its transcript — hence its
/// CertificateVerify and Finished — differs from the example from there on.
fn client_flight_of(file: &str, server_name: &str, keys: &[&str]) {
    use gostkit::x509::store::{CertStore, Role};
    let ex = Example::load(file);
    let cert_msg = ex.msg("certificate_record");
    let cert = Certificate::from_der(&cert_msg[10..]).unwrap();
    let mut trust = CertStore::new();
    trust.add(cert, Role::TrustedRoot);
    let mut config = gostkit::tls::ClientConfig::new(trust);
    // the example's client offers {C100, C101}; its certificates are valid in 2020
    config.suites = vec![CipherSuite::KuznyechikCtrOmac, CipherSuite::MagmaCtrOmac];
    config.time = Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_577_836_800));
    if ex.v.contains_key("client_certificate_record") {
        let set = ParamSet::from_oid(s(&ex.v, "client_param_set")).unwrap();
        let key = SigningKey::from_bytes(set, &le(&ex.v, "client_d_be")).unwrap();
        let cmsg = ex.msg("client_certificate_record");
        let ccert = Certificate::from_der(&cmsg[10..]).unwrap();
        config.client_auth = Some((vec![ccert], Arc::new(key)));
    }
    let mut client = hazmat::client_with_fixed_randomness(
        Arc::new(config),
        server_name,
        ex.client_random,
        ex.pms,
        ex.ephemeral(),
    )
    .unwrap();
    let mut hello = Vec::new();
    client.write_tls(&mut hello);
    assert_eq!(&hello[11..43], &ex.client_random[..], "ClientHello.random");
    for k in keys {
        client.read_tls(&ex.h(k));
    }
    client.process().unwrap();
    let mut out = Vec::new();
    client.write_tls(&mut out);
    let mut want = Vec::new();
    if ex.v.contains_key("client_certificate_record") {
        want.extend(ex.h("client_certificate_record"));
    }
    want.extend(ex.h("client_key_exchange_record"));
    assert_eq!(
        hex(&out[..want.len()]),
        hex(&want),
        "the client's Certificate / ClientKeyExchange records"
    );
    assert!(client.is_handshaking() && !client.is_failed());
    assert_eq!(client.suite(), Some(ex.suite));
}

#[test]
fn a_1_3_1_magma_client_key_exchange_from_the_client() {
    client_flight_of(
        "rfc9189/handshake-magma.toml",
        "test_selfsigned_cert",
        &[
            "server_hello_record",
            "certificate_record",
            "server_hello_done_record",
        ],
    );
}

#[test]
fn a_1_3_2_kuznyechik_client_certificate_and_key_exchange_from_the_client() {
    client_flight_of(
        "rfc9189/handshake-kuznyechik.toml",
        "Server512",
        &[
            "server_hello_record",
            "certificate_record",
            "certificate_request_record",
            "server_hello_done_record",
        ],
    );
}
