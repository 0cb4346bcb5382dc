//! GOST key encodings (src/asn1): RFC 9215 example SPKIs, interop with OpenSSL + gost-engine on
//! every parameter set, the private-key forms in the wild, and hostile input.

mod common;

use std::path::Path;

use common::peer::Peer;

use gostkit::asn1::pem::{decode_any, decode_pem};
use gostkit::asn1::{Asn1Error, GostPrivateKey, GostPublicKey, KeyAlgorithm};
use gostkit::ec::{ParamSet, SigningKey, VerifyingKey};
use gostkit::oid::{self, ObjectIdentifier};
use proptest::prelude::*;

fn oid_of(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new(s).expect("valid OID")
}

// ---------- (b) fixed vectors: RFC 9215 Appendix A ----------

#[test]
fn rfc9215_example_spkis() {
    for v in common::vectors("keys.toml") {
        let der = common::h(&v, "spki_bytes");
        let key = GostPublicKey::from_der(&der)
            .unwrap_or_else(|e| panic!("{}: {e}", common::s(&v, "source")));
        assert_eq!(key.algorithm.oid(), oid_of(common::s(&v, "algorithm")));
        assert_eq!(key.param_set, oid_of(common::s(&v, "param_set")));
        let digest = v
            .get("digest_param_set")
            .and_then(|d| d.as_str())
            .map(oid_of);
        assert_eq!(key.digest_param_set, digest);
        assert_eq!(key.encryption_param_set, None);
        assert_eq!(key.point, common::h(&v, "point_bytes"));
        // The examples follow RFC 9215 §4.2: gostkit re-encodes them byte for byte.
        assert_eq!(
            key.to_der().expect("encode"),
            der,
            "{}",
            common::s(&v, "source")
        );
        // PEM both ways, and PEM/DER transparency.
        let pem = key.to_pem().expect("pem");
        assert_eq!(GostPublicKey::from_pem(&pem).expect("from_pem"), key);
        assert_eq!(
            GostPublicKey::decode(pem.as_bytes()).expect("decode pem"),
            key
        );
        assert_eq!(GostPublicKey::decode(&der).expect("decode der"), key);
        let crlf = pem.replace('\n', "   \r\n");
        assert_eq!(GostPublicKey::from_pem(&crlf).expect("crlf"), key);
        // new() writes the same parameters as the RFC.
        let rebuilt = GostPublicKey::new(key.algorithm, key.param_set, &key.point).expect("new");
        assert_eq!(rebuilt.to_der().expect("encode"), der);
    }
}

#[test]
fn writing_rules_of_rfc9215() {
    let p64 = [7u8; 64];
    // 2012-256 on a CryptoPro set: digestParamSet = Streebog-256.
    let k =
        GostPublicKey::new(KeyAlgorithm::Gost2012_256, oid::CURVE_CRYPTOPRO_XCHA, &p64).unwrap();
    assert_eq!(k.digest_param_set, Some(oid::STREEBOG_256));
    // 2012-256 on a TC26 set: absent, even if a stored value says otherwise.
    let mut k =
        GostPublicKey::new(KeyAlgorithm::Gost2012_256, oid::CURVE_TC26_256_B, &p64).unwrap();
    k.digest_param_set = Some(oid::STREEBOG_256);
    let back = GostPublicKey::from_der(&k.to_der().unwrap()).unwrap();
    assert_eq!(back.digest_param_set, None);
    // 2001: the GOST R 34.11-94 CryptoPro digest parameters, and a non-default cipher set kept.
    let mut k = GostPublicKey::new(KeyAlgorithm::Gost2001, oid::CURVE_CRYPTOPRO_A, &p64).unwrap();
    assert_eq!(
        k.digest_param_set,
        Some(oid::GOSTR3411_94_CRYPTOPRO_PARAMSET)
    );
    k.encryption_param_set = Some(oid_of("1.2.643.2.2.31.2"));
    let back = GostPublicKey::from_der(&k.to_der().unwrap()).unwrap();
    assert_eq!(back, k);
    // The DEFAULT cipher set is not written (DER).
    k.encryption_param_set = Some(oid::GOST28147_CRYPTOPRO_A_PARAMSET);
    let back = GostPublicKey::from_der(&k.to_der().unwrap()).unwrap();
    assert_eq!(back.encryption_param_set, None);
    // 512 keys: no digestParamSet; 512 key on a 256 set refused.
    let k = GostPublicKey::new(
        KeyAlgorithm::Gost2012_512,
        oid::CURVE_TC26_512_C,
        &[1u8; 128],
    )
    .unwrap();
    assert_eq!(k.digest_param_set, None);
    assert!(matches!(
        GostPublicKey::new(
            KeyAlgorithm::Gost2012_512,
            oid::CURVE_TC26_256_A,
            &[1u8; 128]
        ),
        Err(Asn1Error::UnknownParamSet { .. })
    ));
    assert!(matches!(
        GostPublicKey::new(KeyAlgorithm::Gost2001, oid::CURVE_TC26_256_A, &p64),
        Err(Asn1Error::UnknownParamSet { .. })
    ));
    assert_eq!(
        GostPublicKey::new(
            KeyAlgorithm::Gost2012_256,
            oid::CURVE_TC26_256_A,
            &[0u8; 63]
        ),
        Err(Asn1Error::PublicKeyLength {
            expected: 64,
            got: 63
        })
    );
}

// ---------- private-key forms ----------

/// PKCS#8 v0 with `content` as the privateKey OCTET STRING content, on tc26-256-A.
fn pkcs8_with_content(content: &[u8]) -> Vec<u8> {
    let alg = hex::decode("301706082a85030701010101300b06092a8503070102010101").unwrap();
    pkcs8_with_alg(&alg, content)
}

/// PKCS#8 v0 with the AlgorithmIdentifier DER `alg` and `content` as privateKey content.
fn pkcs8_with_alg(alg: &[u8], content: &[u8]) -> Vec<u8> {
    let mut body = vec![0x02, 0x01, 0x00];
    body.extend_from_slice(alg);
    body.push(0x04);
    push_len(&mut body, content.len());
    body.extend_from_slice(content);
    let mut out = vec![0x30];
    push_len(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

fn push_len(v: &mut Vec<u8>, n: usize) {
    if n < 128 {
        v.push(n as u8);
    } else {
        assert!(n < 256);
        v.push(0x81);
        v.push(n as u8);
    }
}

fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    push_len(&mut v, value.len());
    v.extend_from_slice(value);
    v
}

#[test]
fn private_key_forms() {
    let le: Vec<u8> = (1..=32).collect();
    let mask: Vec<u8> = (101..=132).collect();
    let mut be = le.clone();
    be.reverse();

    // RFC 9215 form, written by gostkit and read back.
    let k = GostPrivateKey::new(KeyAlgorithm::Gost2012_256, oid::CURVE_TC26_256_A, &le).unwrap();
    let der = k.to_der().unwrap();
    assert_eq!(
        der.as_slice(),
        pkcs8_with_content(&tlv(0x04, &le)).as_slice()
    );
    let back = GostPrivateKey::from_der(&der).unwrap();
    assert_eq!(*back.key, le);
    assert!(!back.is_masked());
    assert!(!format!("{back:?}").contains("0102030405"));

    // INTEGER (big-endian), with a leading zero trimmed and with a sign byte.
    let r = GostPrivateKey::from_der(&pkcs8_with_content(&tlv(0x02, &be))).unwrap();
    assert_eq!(*r.key, le);
    let short_be = &be[1..]; // 31-byte value: high byte of the LE scalar becomes 0
    let r = GostPrivateKey::from_der(&pkcs8_with_content(&tlv(0x02, short_be))).unwrap();
    let mut expect = le.clone();
    expect[31] = 0;
    assert_eq!(*r.key, expect);
    let mut signed = vec![0x00, 0xff];
    signed.extend_from_slice(&[0x11; 31]);
    let r = GostPrivateKey::from_der(&pkcs8_with_content(&tlv(0x02, &signed))).unwrap();
    assert_eq!(r.key[31], 0xff);

    // Bare little-endian bytes (gost-engine 3.0 writes this).
    let r = GostPrivateKey::from_der(&pkcs8_with_content(&le)).unwrap();
    assert_eq!(*r.key, le);

    // Masked: key||mask bare and inside an OCTET STRING, and MaskedGostKey.
    let km: Vec<u8> = le.iter().chain(mask.iter()).copied().collect();
    for content in [km.clone(), tlv(0x04, &km)] {
        let r = GostPrivateKey::from_der(&pkcs8_with_content(&content)).unwrap();
        assert_eq!(*r.key, le);
        assert_eq!(r.masks.len(), 1);
        assert_eq!(*r.masks[0], mask);
        assert!(r.is_masked());
        assert!(matches!(r.to_der(), Err(Asn1Error::PrivateKeyFormat(_))));
    }
    let mut seq_body = tlv(0x04, &km);
    seq_body.extend_from_slice(&tlv(0x04, &[9u8; 64]));
    let r = GostPrivateKey::from_der(&pkcs8_with_content(&tlv(0x30, &seq_body))).unwrap();
    assert_eq!(*r.key, le);
    assert_eq!(*r.masks[0], mask);

    // Wrong sizes.
    for bad in [
        vec![1u8; 31],
        vec![1u8; 33],
        tlv(0x04, &[1u8; 40]),
        tlv(0x02, &[0x11; 33]),
    ] {
        assert!(matches!(
            GostPrivateKey::from_der(&pkcs8_with_content(&bad)),
            Err(Asn1Error::PrivateKeyFormat(_))
        ));
    }

    // Version 1 with the public key.
    let mut k = k;
    k.public_point = Some(vec![5u8; 64]);
    let der = k.to_der().unwrap();
    let back = GostPrivateKey::from_der(&der).unwrap();
    assert_eq!(back.public_point, Some(vec![5u8; 64]));
    let pem = k.to_pem().unwrap();
    let back = GostPrivateKey::decode(pem.as_bytes()).unwrap();
    assert_eq!(*back.key, le);
    assert!(matches!(
        GostPrivateKey::from_pem(&pem.replace("PRIVATE", "PUBLIC")),
        Err(Asn1Error::PemLabel { .. })
    ));
}

// ---------- (c) hostile input ----------

fn sample_encodings() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for v in common::vectors("keys.toml") {
        out.push(common::h(&v, "spki_bytes"));
    }
    let k = GostPrivateKey::new(
        KeyAlgorithm::Gost2012_512,
        oid::CURVE_TC26_512_A,
        &[3u8; 64],
    )
    .unwrap();
    out.push(k.to_der().unwrap().to_vec());
    let mut k =
        GostPrivateKey::new(KeyAlgorithm::Gost2001, oid::CURVE_CRYPTOPRO_A, &[3u8; 32]).unwrap();
    k.public_point = Some(vec![4u8; 64]);
    out.push(k.to_der().unwrap().to_vec());
    out
}

fn parse_all(bytes: &[u8]) {
    let _ = GostPublicKey::from_der(bytes);
    let _ = GostPublicKey::decode(bytes);
    let _ = GostPrivateKey::from_der(bytes);
    let _ = GostPrivateKey::decode(bytes);
    let _ = decode_any(bytes, "PUBLIC KEY");
}

#[test]
fn truncated_and_wrong_oids() {
    for enc in sample_encodings() {
        for len in 0..enc.len() {
            let cut = &enc[..len];
            assert!(
                GostPublicKey::from_der(cut).is_err(),
                "truncated SPKI at {len} accepted"
            );
            assert!(
                GostPrivateKey::from_der(cut).is_err(),
                "truncated PKCS#8 at {len} accepted"
            );
        }
    }
    let spki = common::h(&common::vectors("keys.toml")[1], "spki_bytes");
    // Unknown algorithm: change the last arc of id-tc26-gost3410-12-256 (offset 13) to 9.
    let mut bad = spki.clone();
    bad[13] = 9;
    assert!(matches!(
        GostPublicKey::from_der(&bad),
        Err(Asn1Error::UnknownAlgorithm(_))
    ));
    // 512 algorithm with a 256 parameter set.
    let mut bad = spki.clone();
    bad[13] = 2;
    assert!(matches!(
        GostPublicKey::from_der(&bad),
        Err(Asn1Error::UnknownParamSet { .. }) | Err(Asn1Error::PublicKeyLength { .. })
    ));
    // Unknown parameter set (tc26-256 set number 9).
    let mut bad = spki.clone();
    bad[26] = 9;
    assert!(matches!(
        GostPublicKey::from_der(&bad),
        Err(Asn1Error::UnknownParamSet { .. })
    ));
    // Public key OCTET STRING one byte short (lengths patched consistently).
    let mut bad = spki.clone();
    bad.pop();
    bad[1] -= 1;
    bad[28] -= 1;
    bad[31] -= 1;
    assert_eq!(
        GostPublicKey::from_der(&bad),
        Err(Asn1Error::PublicKeyLength {
            expected: 64,
            got: 63
        })
    );
    // PEM with a length beyond the input, bad base64, missing END.
    assert!(
        decode_pem(
            b"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
            "PUBLIC KEY"
        )
        .is_ok()
    );
    assert!(
        GostPublicKey::decode(b"-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n")
            .is_err()
    );
    assert!(
        decode_pem(
            b"-----BEGIN PUBLIC KEY-----\nM!IB\n-----END PUBLIC KEY-----\n",
            "PUBLIC KEY"
        )
        .is_err()
    );
    assert!(decode_pem(b"-----BEGIN PUBLIC KEY-----\nMIIB\n", "PUBLIC KEY").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        parse_all(&bytes);
        let mut pem = b"-----BEGIN PUBLIC KEY-----\n".to_vec();
        pem.extend_from_slice(&bytes);
        pem.extend_from_slice(b"\n-----END PUBLIC KEY-----\n");
        parse_all(&pem);
    }

    #[test]
    fn mutations_never_panic(which in 0usize..5, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let encs = sample_encodings();
        let mut enc = encs[which % encs.len()].clone();
        for (pos, val) in edits {
            let i = pos % enc.len();
            enc[i] = val;
        }
        parse_all(&enc);
    }
}

// ---------- (a) interop with OpenSSL + gost-engine ----------

/// Runs `openssl ARGS` through the shared peer helper, failing the test on error.
fn run(peer: &Peer, args: &[&str]) -> String {
    let out = peer.openssl(args).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(out).expect("utf8")
}

/// A hex number from `openssl pkey -text` (big-endian, leading zeros dropped) → `n` LE bytes.
fn text_number_le(text: &str, label: &str, n: usize) -> Vec<u8> {
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {text}"));
    let hexdigits: String = line
        .trim()
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect();
    let padded = format!("{hexdigits:0>width$}", width = 2 * n);
    let mut be = hex::decode(padded).expect("hex");
    assert_eq!(be.len(), n, "{label} longer than {n} bytes");
    be.reverse();
    be
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf8 path")
}

#[test]
fn interop_with_openssl_gost_engine() {
    let peer = match Peer::find("asn1-keys") {
        Ok(peer) => peer,
        Err(why) => {
            println!("SKIPPED: key encodings vs OpenSSL gost-engine: {why}");
            return;
        }
    };
    let sets: &[(&str, &str, ObjectIdentifier, KeyAlgorithm)] = &[
        (
            "gost2001",
            "A",
            oid::CURVE_CRYPTOPRO_A,
            KeyAlgorithm::Gost2001,
        ),
        (
            "gost2001",
            "B",
            oid::CURVE_CRYPTOPRO_B,
            KeyAlgorithm::Gost2001,
        ),
        (
            "gost2001",
            "C",
            oid::CURVE_CRYPTOPRO_C,
            KeyAlgorithm::Gost2001,
        ),
        (
            "gost2001",
            "XA",
            oid::CURVE_CRYPTOPRO_XCHA,
            KeyAlgorithm::Gost2001,
        ),
        (
            "gost2001",
            "XB",
            oid::CURVE_CRYPTOPRO_XCHB,
            KeyAlgorithm::Gost2001,
        ),
        (
            "gost2012_256",
            "A",
            oid::CURVE_CRYPTOPRO_A,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "B",
            oid::CURVE_CRYPTOPRO_B,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "C",
            oid::CURVE_CRYPTOPRO_C,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "XA",
            oid::CURVE_CRYPTOPRO_XCHA,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "XB",
            oid::CURVE_CRYPTOPRO_XCHB,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "TCA",
            oid::CURVE_TC26_256_A,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "TCB",
            oid::CURVE_TC26_256_B,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "TCC",
            oid::CURVE_TC26_256_C,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_256",
            "TCD",
            oid::CURVE_TC26_256_D,
            KeyAlgorithm::Gost2012_256,
        ),
        (
            "gost2012_512",
            "A",
            oid::CURVE_TC26_512_A,
            KeyAlgorithm::Gost2012_512,
        ),
        (
            "gost2012_512",
            "B",
            oid::CURVE_TC26_512_B,
            KeyAlgorithm::Gost2012_512,
        ),
        (
            "gost2012_512",
            "C",
            oid::CURVE_TC26_512_C,
            KeyAlgorithm::Gost2012_512,
        ),
    ];
    for &(alg, set, ref set_oid, key_alg) in sets {
        let tag = format!("{alg}/{set}");
        let n = key_alg.scalar_len();
        let key_pem = peer.dir.join("key.pem");
        run(
            &peer,
            &[
                "genpkey",
                "-engine",
                "gost",
                "-algorithm",
                alg,
                "-pkeyopt",
                &format!("paramset:{set}"),
                "-out",
                p(&key_pem),
            ],
        );
        let text = run(
            &peer,
            &[
                "pkey",
                "-engine",
                "gost",
                "-in",
                p(&key_pem),
                "-text",
                "-noout",
            ],
        );
        let d_le = text_number_le(&text, "Private key:", n);
        let mut point = text_number_le(&text, "X:", n);
        point.extend(text_number_le(&text, "Y:", n));

        // Peer → gostkit: PKCS#8.
        let pem_text = std::fs::read_to_string(&key_pem).unwrap();
        let sk = GostPrivateKey::from_pem(&pem_text).unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(sk.algorithm, key_alg, "{tag}");
        assert_eq!(sk.param_set, *set_oid, "{tag}");
        assert_eq!(*sk.key, d_le, "{tag}: scalar");
        assert!(sk.masks.is_empty(), "{tag}");

        // Peer → gostkit: SPKI.
        let pub_pem = run(
            &peer,
            &["pkey", "-engine", "gost", "-in", p(&key_pem), "-pubout"],
        );
        let pk = GostPublicKey::from_pem(&pub_pem).unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(pk.param_set, *set_oid, "{tag}");
        assert_eq!(pk.point, point, "{tag}: X||Y");
        let peer_spki = decode_pem(pub_pem.as_bytes(), "PUBLIC KEY").unwrap();

        // gostkit → peer: SPKI in DER; the peer reads the same key, and both encodings agree.
        let spki_der = pk.to_der().unwrap();
        if key_alg == KeyAlgorithm::Gost2012_512 {
            // gost-engine writes digestParamSet = Streebog-512 for 512-bit keys, where RFC 9215
            // §4.2 says it SHOULD be omitted (gostkit omits it): only that field differs.
            assert!(
                matches!(pk.digest_param_set, None | Some(oid::STREEBOG_512)),
                "{tag}"
            );
            let ours = GostPublicKey::from_der(&spki_der).unwrap();
            assert_eq!(ours.digest_param_set, None, "{tag}");
            assert_eq!(
                (ours.param_set, &ours.point),
                (pk.param_set, &pk.point),
                "{tag}"
            );
        } else {
            assert_eq!(
                spki_der,
                peer_spki.as_slice(),
                "{tag}: SPKI differs from the peer's"
            );
        }
        let pub_der = peer.dir.join("pub.der");
        std::fs::write(&pub_der, &spki_der).unwrap();
        let pub_text = run(
            &peer,
            &[
                "pkey",
                "-engine",
                "gost",
                "-pubin",
                "-inform",
                "DER",
                "-in",
                p(&pub_der),
                "-text",
                "-noout",
            ],
        );
        assert_eq!(text_number_le(&pub_text, "X:", n), point[..n], "{tag}");
        assert_eq!(text_number_le(&pub_text, "Y:", n), point[n..], "{tag}");

        // gostkit → peer: PKCS#8 (RFC 9215 form). The version-1 form with `[1] publicKey` is not
        // offered: OpenSSL 3.0's PKCS8_PRIV_KEY_INFO has no publicKey field and refuses it.
        let sk2 = GostPrivateKey::new(key_alg, *set_oid, &sk.key).unwrap();
        let ours = peer.dir.join("ours.pem");
        std::fs::write(&ours, sk2.to_pem().unwrap().as_bytes()).unwrap();
        let text2 = run(
            &peer,
            &[
                "pkey",
                "-engine",
                "gost",
                "-in",
                p(&ours),
                "-text",
                "-noout",
            ],
        );
        assert_eq!(text2, text, "{tag}: peer reads gostkit's PKCS#8");

        // The other private-key forms: gostkit and the peer read them alike.
        let alg_der = algorithm_identifier_der(&sk2.to_der().unwrap());
        other_forms_agree(&peer, &tag, &alg_der, &sk.key, &text);
    }
}

/// The AlgorithmIdentifier DER inside a gostkit-written PKCS#8 (short-form lengths).
fn algorithm_identifier_der(pkcs8: &[u8]) -> Vec<u8> {
    assert_eq!(&pkcs8[2..5], &[0x02, 0x01, 0x00]);
    let len = usize::from(pkcs8[6]);
    pkcs8[5..7 + len].to_vec()
}

fn peer_text(peer: &Peer, der: &[u8]) -> String {
    let f = peer.dir.join("form.der");
    std::fs::write(&f, der).unwrap();
    run(
        peer,
        &[
            "pkey",
            "-engine",
            "gost",
            "-inform",
            "DER",
            "-in",
            p(&f),
            "-text",
            "-noout",
        ],
    )
}

/// INTEGER form and the masked forms, checked against the peer: gostkit returns the parts,
/// the peer prints the unmasked key, which must be key·mask (with a mask of 2 and a key below
/// q/2 the product needs no reduction, so no curve order is needed here).
fn other_forms_agree(peer: &Peer, tag: &str, alg: &[u8], d_le: &[u8], text: &str) {
    let n = d_le.len();
    // INTEGER, big-endian.
    let mut be: Vec<u8> = d_le.iter().rev().copied().collect();
    while be.first() == Some(&0) {
        be.remove(0);
    }
    if be.first().is_some_and(|b| b & 0x80 != 0) {
        be.insert(0, 0);
    }
    let der = pkcs8_with_alg(alg, &tlv(0x02, &be));
    assert_eq!(
        *GostPrivateKey::from_der(&der).unwrap().key,
        d_le,
        "{tag}: INTEGER form"
    );
    assert_eq!(
        peer_text(peer, &der),
        text,
        "{tag}: peer reads the INTEGER form"
    );

    // Masked: key = small value (top byte cleared, so key < q/2), mask = 2.
    let mut key = d_le.to_vec();
    key[n - 1] = 0;
    key[n - 2] = 0;
    let mut mask = vec![0u8; n];
    mask[0] = 2;
    let product = num_bigint::BigUint::from_bytes_le(&key) * 2u32;
    let mut product_le = product.to_bytes_le();
    product_le.resize(n, 0);
    let product_hex = format!("{:X}", num_bigint::BigUint::from_bytes_le(&product_le));
    let km: Vec<u8> = key.iter().chain(mask.iter()).copied().collect();
    let mut seq = tlv(0x04, &km);
    seq.extend_from_slice(&tlv(0x04, &[0u8; 4]));
    for (form, content) in [
        ("bare key||mask", km.clone()),
        ("OCTET STRING key||mask", tlv(0x04, &km)),
        ("MaskedGostKey", tlv(0x30, &seq)),
    ] {
        let der = pkcs8_with_alg(alg, &content);
        let ours = GostPrivateKey::from_der(&der).unwrap_or_else(|e| panic!("{tag} {form}: {e}"));
        assert_eq!(*ours.key, key, "{tag} {form}");
        assert_eq!(ours.masks.len(), 1, "{tag} {form}");
        assert_eq!(*ours.masks[0], mask, "{tag} {form}");
        let f = peer.dir.join("form.der");
        std::fs::write(&f, &der).unwrap();
        let out = peer.openssl(&[
            "pkey",
            "-engine",
            "gost",
            "-inform",
            "DER",
            "-in",
            p(&f),
            "-text",
            "-noout",
        ]);
        let peer_out = match &out {
            Ok(stdout) => String::from_utf8_lossy(stdout).into_owned(),
            Err(e) => e.clone(),
        };
        // gost-engine 3.0.1 reads the bare and the SEQUENCE forms, not key||mask wrapped in an
        // inner OCTET STRING (gostkit reads it anyway: it costs nothing and is unambiguous).
        let peer_reads = form != "OCTET STRING key||mask";
        assert_eq!(out.is_ok(), peer_reads, "{tag} {form}: {peer_out}");
        if peer_reads {
            let printed = peer_out
                .lines()
                .find_map(|l| l.trim().strip_prefix("Private key:"))
                .unwrap()
                .trim()
                .trim_start_matches('0')
                .to_string();
            assert_eq!(
                printed, product_hex,
                "{tag} {form}: peer's unmasked key is key·mask"
            );
        }
    }
}

/// The RustCrypto encoding traits give exactly gostkit's RFC 9215 encodings and read them back.
#[test]
fn rustcrypto_pkcs8_and_spki_traits() {
    use pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _};
    use spki::{DecodePublicKey as _, EncodePublicKey as _};
    for set in [
        ParamSet::Tc26_256A,
        ParamSet::Tc26_512B,
        ParamSet::CryptoProXchA,
    ] {
        let key = SigningKey::generate(set).expect("key");
        let der = key.to_pkcs8_der().expect("pkcs8");
        let ours = GostPrivateKey::from_signing_key(&key)
            .expect("ours")
            .to_der()
            .expect("der");
        assert_eq!(der.as_bytes(), ours.as_slice());
        let back = SigningKey::from_pkcs8_der(der.as_bytes()).expect("decode");
        assert_eq!(back.to_bytes(), key.to_bytes());
        assert_eq!(back.param_set(), set);

        let pub_der = key.verifying_key().to_public_key_der().expect("spki");
        let ours = GostPublicKey::from_verifying_key(key.verifying_key())
            .expect("ours")
            .to_der()
            .expect("der");
        assert_eq!(pub_der.as_bytes(), ours.as_slice());
        let vk = VerifyingKey::from_public_key_der(pub_der.as_bytes()).expect("decode spki");
        assert_eq!(&vk, key.verifying_key());
    }
    assert!(SigningKey::from_pkcs8_der(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
    assert!(VerifyingKey::from_public_key_der(&[0x30, 0x00]).is_err());
}
