//! The fuzz targets' seed corpora (`fuzz/corpus/<target>/`) run as ordinary tests: every seed,
//! every truncation of it and single-byte mutations must go through the target without a panic.
//! Seeds larger than [`FULL_MUTATION_LIMIT`] (the many-signer and many-recipient messages) get
//! their truncations and mutations at evenly spaced positions only, to keep the test quick.

use std::path::PathBuf;

use gostkit_fuzz_bodies::TARGETS;

/// Seeds up to this size are cut and flipped at every position.
const FULL_MUTATION_LIMIT: usize = 4096;
/// Positions tried on larger seeds.
const SAMPLED_POSITIONS: usize = 64;

fn corpus_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("corpus")
}

#[test]
fn seed_corpora_and_their_mutations() {
    let root = corpus_root();
    for (name, target) in TARGETS {
        let dir = root.join(name);
        let mut seeds = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let data = std::fs::read(entry.expect("entry").path()).expect("seed");
            seeds += 1;
            target(&data);
            let positions: Vec<usize> = if data.len() <= FULL_MUTATION_LIMIT {
                (0..data.len()).collect()
            } else {
                (0..SAMPLED_POSITIONS)
                    .map(|k| k * data.len() / SAMPLED_POSITIONS)
                    .collect()
            };
            for &cut in &positions {
                target(&data[..cut]);
            }
            for &i in &positions {
                for flip in [0x01u8, 0x80, 0xff] {
                    let mut m = data.clone();
                    m[i] ^= flip;
                    target(&m);
                }
            }
        }
        assert!(seeds > 0, "no seeds for fuzz target {name}");
    }
}

/// Writes the gostkit-made seeds (`gostkit-*` files) of the corpora: run with
/// `cargo test --test fuzz_corpus -- --ignored generate_seeds`, then commit the files. The
/// `peer-*` seeds were written by OpenSSL + gost-engine (see fuzz/README.md).
#[test]
#[ignore]
fn generate_seeds() {
    use gostkit::cms::content::ContentCipher;
    use gostkit::cms::enveloped::encrypt;
    use gostkit::cms::signed::{SignOptions, Signer, sign, sign_detached_reader};
    use gostkit::ec::{ParamSet, SigningKey};
    use gostkit::x509::Certificate;
    use gostkit::x509::issue::{IssueOptions, issue, self_signed};
    use gostkit::x509::name::parse_slash_dn;
    use gostkit_fuzz_bodies::{cryptopro_kek, enveloped_recipient, kimp15_keys, stream_signer};
    use std::time::{Duration, UNIX_EPOCH};

    let root = corpus_root();
    let write = |target: &str, name: &str, data: &[u8]| {
        assert!(
            data.len() < 200 * 1024,
            "{target}/{name}: {} bytes",
            data.len()
        );
        std::fs::write(root.join(target).join(name), data).expect("write seed");
    };
    let key = |i: u32| {
        let mut d = [0u8; 32];
        d[..4].copy_from_slice(&(1000 + i).to_be_bytes());
        d[31] = 1;
        SigningKey::from_bytes(ParamSet::Tc26_256A, &d).expect("key")
    };
    let mut opts = IssueOptions::days(1);
    opts.not_before = UNIX_EPOCH + Duration::from_secs(1_767_225_600);
    opts.not_after = opts.not_before + Duration::from_secs(100 * 365 * 86_400);
    let cert_for = |i: u32, k: &SigningKey| {
        let mut o = opts.clone();
        o.serial = Some(vec![0x10, i as u8]);
        self_signed(&parse_slash_dn(&format!("/CN=fuzz {i}")).unwrap(), k, &o).expect("cert")
    };

    // ber: indefinite lengths, nested constructed OCTET STRINGs, deep nesting.
    write(
        "ber",
        "gostkit-nested-octets.ber",
        &[
            0x30, 0x80, 0x06, 0x01, 0x2a, 0x24, 0x80, 0x04, 0x02, 0xaa, 0xbb, 0x24, 0x80, 0x04,
            0x01, 0xcc, 0x24, 0x03, 0x04, 0x01, 0xdd, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x81, 0x03,
            0x04, 0x01, 0xee, 0x00, 0x00,
        ],
    );
    for (name, depth) in [("gostkit-deep-60.ber", 60), ("gostkit-deep-70.ber", 70)] {
        let mut v = Vec::new();
        for _ in 0..depth {
            v.extend_from_slice(&[0x30, 0x80]);
        }
        v.extend_from_slice(&[0x04, 0x00]);
        for _ in 0..depth {
            v.extend_from_slice(&[0x00, 0x00]);
        }
        write("ber", name, &v);
    }

    // cms_decrypt_stream: a chunk plan, then an EnvelopedData to the fixed recipient.
    let (rcert, _) = enveloped_recipient();
    let content: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
    for (name, cipher, plan) in [
        (
            "gostkit-kuz-omac",
            ContentCipher::KuznyechikCtrAcpkmOmac,
            vec![3u8, 0, 6, 200],
        ),
        ("gostkit-magma", ContentCipher::MagmaCtrAcpkm, vec![1, 16]),
        ("gostkit-gost89", ContentCipher::Gost28147Cfb, vec![0]),
    ] {
        let mut v = plan;
        v.extend(encrypt(&content[..500], &[rcert], cipher).expect("encrypt"));
        write("cms_decrypt_stream", &format!("{name}.der"), &v);
    }

    for peer in ["peer-kuz-stream.der", "peer-magma-omac.der"] {
        let mut v = vec![2u8, 0, 63];
        v.extend(std::fs::read(root.join("cms_enveloped").join(peer)).expect("peer seed"));
        write("cms_decrypt_stream", peer, &v);
    }

    // cms_verify_stream: plan, flags, length, detached signature, content.
    let (scert, skey) = stream_signer();
    let sopts = SignOptions {
        detached: true,
        ..SignOptions::default()
    };
    let sig = sign_detached_reader(
        &mut &content[..700],
        &[Signer {
            cert: scert,
            key: skey,
        }],
        &sopts,
    )
    .expect("sign");
    for (name, plan, flags) in [
        ("gostkit-detached", vec![2u8, 9, 100], 0u8),
        ("gostkit-detached-sign", vec![1, 30], 1),
        ("gostkit-detached-sign-noattrs", vec![0], 1 | 4 | 8),
    ] {
        let mut v = plan;
        v.push(flags);
        v.extend_from_slice(&(sig.len() as u16).to_be_bytes());
        v.extend_from_slice(&sig);
        v.extend_from_slice(&content[..700]);
        write("cms_verify_stream", &format!("{name}.bin"), &v);
    }

    // path_validation: (role, length, DER) entries.
    let entry = |role: u8, c: &Certificate| {
        let mut v = vec![role];
        v.extend_from_slice(&(c.der().len() as u16).to_be_bytes());
        v.extend_from_slice(c.der());
        v
    };
    let (k_root, k_inter, k_leaf) = (key(1), key(2), key(3));
    let mut ca = opts.clone();
    ca.ca = Some(None);
    ca.serial = Some(vec![1]);
    let root_c = self_signed(&parse_slash_dn("/CN=fuzz root").unwrap(), &k_root, &ca).unwrap();
    let mut ee = opts.clone();
    ee.serial = Some(vec![3]);
    ca.serial = Some(vec![2]);
    let inter_c = issue(
        &parse_slash_dn("/CN=fuzz inter").unwrap(),
        &gostkit::asn1::GostPublicKey::from_verifying_key(k_inter.verifying_key()).unwrap(),
        Some(&root_c),
        &k_root,
        &ca,
    )
    .unwrap();
    let leaf_c = issue(
        &parse_slash_dn("/CN=fuzz leaf").unwrap(),
        &gostkit::asn1::GostPublicKey::from_verifying_key(k_leaf.verifying_key()).unwrap(),
        Some(&inter_c),
        &k_inter,
        &ee,
    )
    .unwrap();
    let mut chain = entry(0, &root_c);
    chain.extend(entry(1, &inter_c));
    chain.extend(entry(3, &leaf_c));
    write("path_validation", "gostkit-chain.bin", &chain);
    // Hostile: 12 intermediates all named like the leaf's issuer, under different keys, plus
    // cross-certificates between them (a dense graph the search must cut off by its budget).
    let mut hostile = entry(0, &root_c);
    let inter_name = parse_slash_dn("/CN=fuzz inter").unwrap();
    let mut fakes = Vec::new();
    for i in 0..12u32 {
        let k = key(100 + i);
        let mut o = ca.clone();
        o.serial = Some(vec![0x40, i as u8]);
        let c = self_signed(&inter_name, &k, &o).unwrap();
        fakes.push((c, k));
    }
    for i in 0..fakes.len() {
        let (c, _) = &fakes[i];
        hostile.extend(entry(1, c));
        let (ic, ik) = &fakes[(i + 1) % fakes.len()];
        let mut o = ca.clone();
        o.serial = Some(vec![0x50, i as u8]);
        let x = issue(&inter_name, c.public_key(), Some(ic), ik, &o).unwrap();
        hostile.extend(entry(1, &x));
    }
    hostile.extend(entry(3, &leaf_c));
    write("path_validation", "gostkit-hostile.bin", &hostile);

    // cert_bundle / crl_bundle.
    let mut pem = String::new();
    for c in [&root_c, &inter_c, &leaf_c] {
        pem.push_str(&c.to_pem().unwrap());
    }
    pem.push_str("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    write("cert_bundle", "gostkit-bundle.pem", pem.as_bytes());
    write("cert_bundle", "gostkit-leaf.der", leaf_c.der());
    let v = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/rfc9215");
    let mut crls = String::new();
    for f in ["crl-256-a.pem", "crl-256-test.pem", "crl-512-test.pem"] {
        crls.push_str(&std::fs::read_to_string(v.join(f)).unwrap());
    }
    write("crl_bundle", "rfc9215-crls.pem", crls.as_bytes());
    let first = gostkit::x509::crl::Crl::decode_all(crls.as_bytes()).unwrap();
    write("crl_bundle", "rfc9215-crl-256-a.der", first[0].der());

    // kimp15 / cryptopro_unwrap.
    let (k_mac, k_enc) = kimp15_keys();
    let cek: Vec<u8> = (0..32u8).map(|i| i ^ 0x5a).collect();
    let mut v = vec![0u8];
    let iv = [1u8, 2, 3, 4, 5, 6, 7, 8];
    v.extend_from_slice(&iv);
    v.extend(
        gostkit::cipher::kexp15::kexp15::<gostkit::cipher::Kuznyechik>(&cek, &k_mac, &k_enc, &iv)
            .unwrap(),
    );
    write("kimp15", "gostkit-kuznyechik.bin", &v);
    let mut v = vec![1u8];
    v.extend_from_slice(&iv[..4]);
    v.extend(
        gostkit::cipher::kexp15::kexp15::<gostkit::cipher::Magma>(&cek, &k_mac, &k_enc, &iv[..4])
            .unwrap(),
    );
    write("kimp15", "gostkit-magma.bin", &v);
    use gostkit::cipher::gost28147::SBox;
    let kek = cryptopro_kek();
    for (sel, sbox) in [(0u8, SBox::CryptoProA), (3, SBox::CryptoProD)] {
        let ukm = [9u8, 8, 7, 6, 5, 4, 3, 2];
        let mut v = vec![sel];
        v.extend(gostkit::cipher::keywrap::cryptopro_key_wrap(&kek, sbox, &ukm, &cek).unwrap());
        write(
            "cryptopro_unwrap",
            &format!("gostkit-cryptopro-{sel}.bin"),
            &v,
        );
        let mut v = vec![sel];
        v.extend(gostkit::cipher::keywrap::gost28147_key_wrap(&kek, sbox, &ukm, &cek).unwrap());
        write("cryptopro_unwrap", &format!("gostkit-gost89-{sel}.bin"), &v);
    }

    // cryptopro_key_bag: the real bag of pfx1 re-encrypted for the password `fuzz` with one
    // round (the real bag's 2000 rounds would make the mutations of the corpus test slow).
    let mut v = vec![4u8];
    v.extend_from_slice(b"fuzz");
    v.extend(rebag(&cryptopro_epki(), b"12345", b"fuzz", 1));
    write("cryptopro_key_bag", "gostkit-fuzz-1-round.bin", &v);

    // 50 signers for cms_signed (certificates in the message), 50 recipients for
    // cms_enveloped (the fixed recipient last).
    let keys: Vec<SigningKey> = (0..50).map(|i| key(200 + i)).collect();
    let certs: Vec<Certificate> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| cert_for(i as u32, k))
        .collect();
    let signers: Vec<Signer<'_>> = certs
        .iter()
        .zip(&keys)
        .map(|(cert, key)| Signer { cert, key })
        .collect();
    let m = sign(&content[..64], &signers, &SignOptions::default()).expect("sign 50");
    write("cms_signed", "gostkit-50-signers.der", &m);
    let mut rs: Vec<&Certificate> = certs[..49].iter().collect();
    rs.push(rcert);
    let m = encrypt(&content[..64], &rs, ContentCipher::KuznyechikCtrAcpkmOmac).expect("enc 50");
    write("cms_enveloped", "gostkit-50-recipients.der", &m);
}

/// A DER TLV at `pos`: (header length, content length).
fn tlv(d: &[u8], pos: usize) -> (usize, usize) {
    let b = d[pos + 1];
    if b < 0x80 {
        return (2, b as usize);
    }
    let n = (b & 0x7f) as usize;
    let len = d[pos + 2..pos + 2 + n]
        .iter()
        .fold(0usize, |a, &x| (a << 8) | x as usize);
    (2 + n, len)
}

fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let n = content.len();
    let mut v = vec![tag];
    if n >= 0x80 {
        v.push(0x81);
    }
    v.push(n as u8);
    v.extend_from_slice(content);
    v
}

/// The CryptoPro key bag (EncryptedPrivateKeyInfo) of test-vectors/cryptopro/pfx1.pfx.
fn cryptopro_epki() -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/cryptopro/pfx1.pfx");
    let d = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let oid = [
        0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x50,
    ];
    let at = d.windows(oid.len()).position(|w| w == oid).expect("bag") - 5;
    let (h, l) = tlv(&d, at);
    d[at..at + h + l].to_vec()
}

/// `epki` (a 256-bit CryptoPro key bag under `old`, 2000 rounds) re-encrypted for `new` with
/// `rounds` rounds: the same key, wrapped and MACed again under the new keys.
fn rebag(epki: &[u8], old: &[u8], new: &[u8], rounds: u8) -> Vec<u8> {
    use gostkit::cipher::gost28147::{Gost28147, Gost28147Cfb, SBox, gost28147_mac};
    use gostkit::x509::pfx::cryptopro::{decrypt_key_bag, derive_pbe_key};
    let key = decrypt_key_bag(epki, old, 2000).expect("real bag");
    // 30 81 LL | 30 24 { 06 0a OID, 30 16 { 04 10 salt, 02 02 rounds } } | 04 81 LL data
    let (h, _) = tlv(epki, 0);
    let salt = &epki[h + 2 + 12 + 2 + 2..][..16];
    let (ha, la) = tlv(epki, h);
    let (hd, ld) = tlv(epki, h + ha + la);
    let mut p = epki[h + ha + la + hd..][..ld].to_vec();
    let cfb = |k: &[u8]| {
        let g = Gost28147::with_sbox(k, SBox::CryptoProA).unwrap();
        Gost28147Cfb::new(&g, &salt[..8], false).unwrap()
    };
    cfb(&derive_pbe_key(old, salt, 2000).unwrap()[..]).decrypt(&mut p);
    assert_eq!(&p[38..42], &[0x30, 0x63, 0x30, 0x5b], "256-bit ExportedKey");
    let k = derive_pbe_key(new, salt, u32::from(rounds)).unwrap();
    let kek = gostkit::kdf::kdf_gostr3411_2012_256(&k[..], &[0x26, 0xbd, 0xb8, 0x78], &p[44..52]);
    let w = gostkit::cipher::keywrap::gost28147_key_wrap(
        &kek[..],
        SBox::CryptoProA,
        &p[44..52],
        &key.key,
    )
    .unwrap();
    p[56..88].copy_from_slice(&w[8..40]);
    p[90..94].copy_from_slice(&w[40..]);
    let g = Gost28147::with_sbox(&kek[..], SBox::CryptoProA).unwrap();
    let mac = gost28147_mac(&g, None, &p[40..133], false).unwrap();
    p[135..139].copy_from_slice(&mac);
    cfb(&k[..]).encrypt(&mut p);
    let mut params = encode(0x04, salt);
    params.extend([0x02, 0x01, rounds]);
    let mut alg = oid_of(epki, h);
    alg.extend(encode(0x30, &params));
    let mut body = encode(0x30, &alg);
    body.extend(encode(0x04, &p));
    encode(0x30, &body)
}

/// The OID TLV of the AlgorithmIdentifier at `at`.
fn oid_of(epki: &[u8], at: usize) -> Vec<u8> {
    let (ha, _) = tlv(epki, at);
    let (ho, lo) = tlv(epki, at + ha);
    epki[at + ha..at + ha + ho + lo].to_vec()
}

/// Writes the `cryptopro_container` seeds: run with
/// `cargo test -p gostkit-fuzz-bodies --test fuzz_corpus -- --ignored generate_container_seeds`.
/// `cryptopro-91team-srv000.bin` is the real sample container of `test-vectors/cryptopro/`; the
/// `gostkit-*` ones are written by gostkit's container writer from fixed keys (empty PIN, so the
/// target reaches the unlock).
#[test]
#[ignore]
fn generate_container_seeds() {
    use gostkit::container::{ContainerFiles, ContainerWriter};
    use gostkit::ec::{ParamSet, SigningKey};
    use gostkit_fuzz_bodies::{FuzzRandom, container_input};
    let dir = corpus_root().join("cryptopro_container");
    std::fs::create_dir_all(&dir).expect("corpus dir");
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../test-vectors/cryptopro/91team-srv000-2012-256-nginx_gost");
    let files = ContainerFiles::read_dir(&sample).expect("sample container");
    std::fs::write(
        dir.join("cryptopro-91team-srv000.bin"),
        container_input(&files),
    )
    .unwrap();
    let d: Vec<u8> = (1..=64).collect();
    for (name, set, legacy, reserve) in [
        (
            "gostkit-2001-cryptopro-a.bin",
            ParamSet::CryptoProA,
            true,
            false,
        ),
        (
            "gostkit-2012-256-tc26-a.bin",
            ParamSet::Tc26_256A,
            false,
            true,
        ),
        (
            "gostkit-2012-512-tc26-b.bin",
            ParamSet::Tc26_512B,
            false,
            false,
        ),
    ] {
        let key = SigningKey::from_bytes(set, &d[..set.bits() / 8]).expect("fixed key");
        let mut w = ContainerWriter::new(&key, "seed").reserve_copy(reserve);
        if legacy {
            w = w.gost2001();
        }
        let files = w.write(&mut FuzzRandom(7)).expect("container");
        std::fs::write(dir.join(name), container_input(&files)).unwrap();
    }
}

fn seed(target: &str, name: &str) -> Vec<u8> {
    let p = corpus_root().join(target).join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The seeds reach the deep end of their targets (not only the first parse error): messages
/// decrypt and verify, the chain validates, the hostile store is refused, keys unwrap.
#[test]
fn seeds_reach_the_success_paths() {
    use gostkit::cms::enveloped::{EnvelopedMessage, Recipient, decrypt_stream};
    use gostkit::cms::signed::SignedMessage;
    use gostkit_fuzz_bodies::{ChunkReader, chunk_plan, enveloped_recipient};
    use std::borrow::Cow;

    // ber: the peer's indefinite-length messages change, deep nesting within the limit passes,
    // beyond it is refused.
    for name in ["peer-signed-stream.ber", "peer-enveloped-stream.ber"] {
        let s = seed("ber", name);
        let der = gostkit::fuzzing::ber_to_der(&s).expect(name);
        assert!(matches!(der, Cow::Owned(_)), "{name} was already DER");
        assert!(SignedMessage::parse(&der).is_ok() || EnvelopedMessage::parse(&der).is_ok());
    }
    let nested = seed("ber", "gostkit-nested-octets.ber");
    let nested = gostkit::fuzzing::ber_to_der(&nested).unwrap();
    assert!(
        nested
            .windows(7)
            .any(|w| w == [0x04, 0x05, 0xaa, 0xbb, 0xcc, 0xdd, 0xee])
            || nested
                .windows(6)
                .any(|w| w == [0x04, 0x04, 0xaa, 0xbb, 0xcc, 0xdd]),
        "constructed OCTET STRING not flattened: {nested:02x?}"
    );
    assert!(gostkit::fuzzing::ber_to_der(&seed("ber", "gostkit-deep-60.ber")).is_ok());
    assert!(gostkit::fuzzing::ber_to_der(&seed("ber", "gostkit-deep-70.ber")).is_err());

    // cms_decrypt_stream: gostkit's seeds decrypt in their chunks.
    let (cert, key) = enveloped_recipient();
    let content: Vec<u8> = (0..3000u32).map(|i| (i * 7) as u8).collect();
    for name in [
        "gostkit-kuz-omac.der",
        "gostkit-magma.der",
        "gostkit-gost89.der",
    ] {
        let s = seed("cms_decrypt_stream", name);
        let (sizes, msg) = chunk_plan(&s);
        let mut out = Vec::new();
        let n = decrypt_stream(
            &mut ChunkReader::new(msg, &sizes),
            &mut out,
            &[Recipient { cert, key }],
            &[],
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((n, &out[..]), (500, &content[..500]), "{name}");
    }

    // cms_verify_stream: the detached signature verifies in chunks.
    let s = seed("cms_verify_stream", "gostkit-detached.bin");
    let (sizes, rest) = chunk_plan(&s);
    let len = usize::from(u16::from_be_bytes([rest[1], rest[2]]));
    let (sig, data) = rest[3..].split_at(len);
    assert_eq!(data, &content[..700]);
    let m = SignedMessage::parse(sig).expect("detached signature");
    let reports = m
        .verify_reader(&mut ChunkReader::new(data, &sizes), &[])
        .expect("verify_reader");
    assert!(
        reports.len() == 1 && reports[0].result.is_ok(),
        "{reports:?}"
    );
    let mut bad = data.to_vec();
    bad[0] ^= 1;
    let reports = m.verify_reader(&mut &bad[..], &[]).expect("verify_reader");
    assert!(reports[0].result.is_err(), "changed content verified");

    // path_validation: the chain validates, the hostile store is refused (bounded).
    let validate = |name: &str| {
        use gostkit::x509::Certificate;
        use gostkit::x509::path::ValidationOptions;
        use gostkit::x509::store::{CertStore, Role};
        let s = seed("path_validation", name);
        let mut rest = &s[..];
        let mut store = CertStore::new();
        let mut leaf = None;
        while !rest.is_empty() {
            let len = usize::from(u16::from_be_bytes([rest[1], rest[2]]));
            let c = Certificate::from_der(&rest[3..3 + len]).expect("seed certificate");
            match rest[0] {
                0 => store.add(c, Role::TrustedRoot),
                1 => store.add(c, Role::IntermediateCa),
                _ => leaf = Some(c),
            }
            rest = &rest[3 + len..];
        }
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_272_000);
        store.validate(&leaf.expect("leaf"), &[], &ValidationOptions::at(at))
    };
    assert_eq!(validate("gostkit-chain.bin").expect("chain").len(), 3);
    let started = std::time::Instant::now();
    assert!(validate("gostkit-hostile.bin").is_err());
    assert!(started.elapsed() < std::time::Duration::from_secs(10));

    // bundles: three certificates (the private-key block skipped), three CRLs.
    let mut store = gostkit::x509::store::CertStore::new();
    let n = store
        .load_bytes(
            &seed("cert_bundle", "gostkit-bundle.pem"),
            gostkit::x509::store::Role::IntermediateCa,
        )
        .expect("bundle");
    assert_eq!((n, store.entries().len()), (3, 3));
    let crls = gostkit::x509::crl::Crl::decode_all(&seed("crl_bundle", "rfc9215-crls.pem"));
    assert_eq!(crls.expect("CRL bundle").len(), 3);

    // kimp15 / cryptopro_unwrap: the seeds unwrap to the generator's key.
    let cek: Vec<u8> = (0..32u8).map(|i| i ^ 0x5a).collect();
    let (k_mac, k_enc) = gostkit_fuzz_bodies::kimp15_keys();
    let s = seed("kimp15", "gostkit-kuznyechik.bin");
    let k = gostkit::cipher::kexp15::kimp15::<gostkit::cipher::Kuznyechik>(
        &s[9..],
        &k_mac,
        &k_enc,
        &s[1..9],
    )
    .expect("kimp15 Kuznyechik");
    assert_eq!(&k[..], &cek[..]);
    let s = seed("kimp15", "gostkit-magma.bin");
    let k = gostkit::cipher::kexp15::kimp15::<gostkit::cipher::Magma>(
        &s[5..],
        &k_mac,
        &k_enc,
        &s[1..5],
    )
    .expect("kimp15 Magma");
    assert_eq!(&k[..], &cek[..]);
    use gostkit::cipher::gost28147::SBox;
    let kek = gostkit_fuzz_bodies::cryptopro_kek();
    let s = seed("cryptopro_unwrap", "gostkit-cryptopro-3.bin");
    let k = gostkit::cipher::keywrap::cryptopro_key_unwrap(&kek, SBox::CryptoProD, &s[1..])
        .expect("CryptoPro unwrap");
    assert_eq!(&k[..], &cek[..]);
    let s = seed("cryptopro_unwrap", "gostkit-gost89-0.bin");
    let k = gostkit::cipher::keywrap::gost28147_key_unwrap(&kek, SBox::CryptoProA, &s[1..])
        .expect("GOST 28147-89 unwrap");
    assert_eq!(&k[..], &cek[..]);

    // cryptopro_key_bag: the seed and the real bag give pfx1's key (d·G is its certificate's).
    let fast = seed("cryptopro_key_bag", "gostkit-fuzz-1-round.bin");
    let bag = gostkit::x509::pfx::cryptopro::decrypt_key_bag;
    let a = bag(&cryptopro_epki(), b"12345", 2000).expect("real bag");
    let b = bag(&fast[5..], b"fuzz", 1).expect("one-round bag");
    assert_eq!(a.key, b.key);
    let pubkey = a.to_signing_key().unwrap().verifying_key().to_bytes();
    assert_eq!(
        &pubkey[..4],
        &[0xdc, 0x9c, 0xbe, 0x48],
        "pfx1 certificate key"
    );
    assert!(bag(&fast[5..], b"fuzz", 0).is_err());
    gostkit_fuzz_bodies::cryptopro_key_bag(&fast);

    // cryptopro_container: every seed opens and unlocks with the empty PIN.
    for name in [
        "cryptopro-91team-srv000.bin",
        "gostkit-2001-cryptopro-a.bin",
        "gostkit-2012-256-tc26-a.bin",
        "gostkit-2012-512-tc26-b.bin",
    ] {
        let files = gostkit_fuzz_bodies::container_files(&seed("cryptopro_container", name));
        gostkit::container::Container::from_files(&files)
            .and_then(|c| c.unlock(b""))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    // 50 signers, 50 recipients.
    let m = SignedMessage::parse(&seed("cms_signed", "gostkit-50-signers.der")).expect("50");
    let reports = m.verify(None, &[]);
    assert_eq!(reports.len(), 50);
    assert!(reports.iter().all(|r| r.result.is_ok()));
    let m = EnvelopedMessage::parse(&seed("cms_enveloped", "gostkit-50-recipients.der"))
        .expect("50 recipients");
    assert_eq!(m.recipient_count(), 50);
    assert_eq!(
        m.decrypt(&[Recipient { cert, key }])
            .expect("last recipient"),
        &content[..64]
    );
}

/// The targets' own assertions hold on hand-made cases: the chunk plan and reader, and the
/// cross-checks do not fire on valid input (each target runs its seeds' happy path).
#[test]
fn chunk_plan_and_reader() {
    use gostkit_fuzz_bodies::{ChunkReader, chunk_plan};
    use std::io::Read;
    let (sizes, rest) = chunk_plan(&[2, 0, 4, b'a', b'b', b'c', b'd', b'e', b'f', b'g']);
    assert_eq!(sizes, vec![1, 5]);
    assert_eq!(rest, b"abcdefg");
    let mut r = ChunkReader::new(rest, &sizes);
    let mut buf = [0u8; 16];
    let mut got = Vec::new();
    loop {
        let n = r.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        got.push(buf[..n].to_vec());
    }
    assert_eq!(got, vec![b"a".to_vec(), b"bcdef".to_vec(), b"g".to_vec()]);
    assert_eq!(chunk_plan(&[]), (Vec::new(), &[][..]));
    assert_eq!(chunk_plan(&[7, 1]), (vec![2], &[][..]));
}
