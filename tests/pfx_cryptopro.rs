//! CryptoPro-exported PFX files (test-vectors/cryptopro): the CryptoPro key bag (PBE
//! 1.2.840.113549.1.12.1.80), certificate bags in pbeWithSHAAnd3-KeyTripleDES-CBC (pfx1) and
//! PBES2 AES-256 (pfx2), SHA-1 and SHA-256 MACs. The oracle is the leaf certificate's public
//! key: d·G of the decrypted key must equal it. Tampered bags give typed errors; the PFX MAC
//! is recomputed (RFC 9548 Streebog-512 form) where a test needs to get past it.

use gostkit::ErrorKind;
use gostkit::asn1::Asn1Error;
use gostkit::cipher::gost28147::{Gost28147, Gost28147Cfb, SBox, gost28147_mac};
use gostkit::ec::SigningKey;
use gostkit::x509::pfx::{self, cryptopro};
use gostkit::x509::{PfxBag, X509Error};

const PFX1_PUB: &str = "dc9cbe481fcb7af826acb4e972a8f65bf4648a1efe46a372051f7661109eaa5e31b658f523197e40db5c7507db9d22bde3ea5d726fdca177d674edb5f3755b1d";
const PFX2_PUB: &str = "10701d94363854da51e486f1cc0101b1c597c1997a83b5db806d4e170384edefa6111d4fc25b47102a42a33ed9b7cb9a1dd3228d5bde093fd4f43243d3356c20";

struct Sample {
    der: Vec<u8>,
    password: &'static str,
    public: Vec<u8>,
    salt: &'static str,
}

fn sample(n: u8) -> Sample {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/cryptopro");
    let der = std::fs::read(dir.join(format!("pfx{n}.pfx"))).unwrap();
    let (password, public, salt) = match n {
        1 => ("12345", PFX1_PUB, "d39a1bcb30bfc54826a8aa18ed566b54"),
        _ => ("1234567890", PFX2_PUB, "ef19d8c71e381a05b1d14e5fb8603ac3"),
    };
    Sample {
        der,
        password,
        public: hex::decode(public).unwrap(),
        salt,
    }
}

/// A DER TLV at `pos`: (tag, header length, content length).
fn tlv(d: &[u8], pos: usize) -> (u8, usize, usize) {
    let tag = d[pos];
    let b = d[pos + 1];
    if b < 0x80 {
        return (tag, 2, b as usize);
    }
    let n = (b & 0x7f) as usize;
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | d[pos + 2 + i] as usize;
    }
    (tag, 2 + n, len)
}

fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else if n < 0x100 {
        v.extend_from_slice(&[0x81, n as u8]);
    } else {
        v.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(content);
    v
}

/// The authSafe octets of a PFX: SEQUENCE { INTEGER, SEQUENCE { OID, [0] { OCTET STRING } } }.
fn auth_safe(der: &[u8]) -> Vec<u8> {
    let (_, h0, _) = tlv(der, 0);
    let (_, hv, lv) = tlv(der, h0); // version
    let ci = h0 + hv + lv;
    let (_, hci, _) = tlv(der, ci);
    let (_, hoid, loid) = tlv(der, ci + hci);
    let a0 = ci + hci + hoid + loid;
    let (t, ha0, _) = tlv(der, a0);
    assert_eq!(t, 0xa0);
    let (t, hos, los) = tlv(der, a0 + ha0);
    assert_eq!(t, 0x04);
    der[a0 + ha0 + hos..a0 + ha0 + hos + los].to_vec()
}

/// A PFX around `auth` with a fresh RFC 9548 MAC (Streebog-512, 2000 iterations).
fn with_gost_mac(auth: &[u8], password: &str) -> Vec<u8> {
    let salt = [7u8; 16];
    let mut k = [0u8; 96];
    gostkit::kdf::pbkdf2_streebog512(password.as_bytes(), &salt, 2000, &mut k).unwrap();
    let mut h = gostkit::mac::HmacStreebog512::new(&k[64..]);
    h.update(auth);
    let mac = h.finalize();
    let data_oid = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ];
    let mut ci = data_oid.to_vec();
    ci.extend(encode(0xa0, &encode(0x04, auth)));
    let streebog512 = [
        0x30, 0x0c, 0x06, 0x08, 0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x02, 0x03, 0x05, 0x00,
    ];
    let mut di = streebog512.to_vec();
    di.extend(encode(0x04, &mac));
    let mut md = encode(0x30, &di);
    md.extend(encode(0x04, &salt));
    md.extend([0x02, 0x02, 0x07, 0xd0]);
    let mut body = vec![0x02, 0x01, 0x03];
    body.extend(encode(0x30, &ci));
    body.extend(encode(0x30, &md));
    encode(0x30, &body)
}

/// (offset in `d`, length) of the CryptoPro key bag's EncryptedPrivateKeyInfo.
fn key_bag_at(d: &[u8]) -> (usize, usize) {
    let oid = [
        0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01, 0x50,
    ];
    let p = d.windows(oid.len()).position(|w| w == oid).unwrap();
    // 30 81 LL | 30 24 | 06 0a ...
    assert_eq!(d[p - 2], 0x30);
    assert_eq!(&d[p - 5..p - 3], &[0x30, 0x81]);
    let (_, h, l) = tlv(d, p - 5);
    (p - 5, h + l)
}

fn epki(s: &Sample) -> Vec<u8> {
    let auth = auth_safe(&s.der);
    let (at, len) = key_bag_at(&auth);
    auth[at..at + len].to_vec()
}

#[test]
fn both_samples_open_fully_and_the_key_matches_the_certificate() {
    for n in [1, 2] {
        let s = sample(n);
        let got =
            pfx::import(&s.der, s.password.as_bytes()).unwrap_or_else(|e| panic!("pfx{n}: {e}"));
        let sk: SigningKey = got.key.to_signing_key().unwrap();
        assert_eq!(sk.verifying_key().to_bytes(), s.public, "pfx{n}: d·G");
        let cert = got
            .cert
            .as_ref()
            .expect("leaf certificate matched to the key");
        assert!(cert.matches_key(&sk));
        assert_eq!(got.others.len(), 1, "pfx{n}: the CA certificate");
        let ca = gostkit::x509::name::to_rfc4514(got.others[0].subject());
        assert!(ca.contains("CRYPTO-PRO Test Center 2"), "{ca}");
        assert_eq!(got.key.param_set.to_string(), "1.2.643.2.2.36.0");
        assert!(!got.key.is_masked());
        // The bag alone gives the same key.
        let k = cryptopro::decrypt_key_bag(&epki(&s), s.password.as_bytes(), 2000).unwrap();
        assert_eq!(k.key, got.key.key);
    }
}

#[test]
fn derive_pbe_key_vector() {
    // The "DerivePbeKey" vector of ../shared/vectors/cryptopro/README.md.
    let salt = hex::decode("30B445CF1BBF4150E57A544C970EF3BE").unwrap();
    let k = cryptopro::derive_pbe_key(b"pbe-test-2026", &salt, 2000).unwrap();
    assert_eq!(
        hex::encode_upper(&k[..]),
        "6EBA4D1A27E015C01244BC9856B559A25BF89F6A5FD7C180D97D16E95D8C1D20"
    );
    assert!(cryptopro::derive_pbe_key(b"x", &salt, 0).is_err());
    assert!(cryptopro::derive_pbe_key(b"x", &salt, 65_536).is_err());
    assert!(cryptopro::derive_pbe_key(&[0xff], &salt, 1).is_err());
}

#[test]
fn wrong_passwords_say_which_step_failed() {
    for n in [1, 2] {
        let s = sample(n);
        // Through import: the MAC step.
        for wrong in ["", "1234", "123456", "12345 "] {
            let e = pfx::import(&s.der, wrong.as_bytes()).unwrap_err();
            assert_eq!(e, X509Error::WrongPassword, "pfx{n} {wrong:?}");
            assert!(e.to_string().contains("MAC verification failed"), "{e}");
        }
        // The bag alone: the decryption step.
        let e = cryptopro::decrypt_key_bag(&epki(&s), b"wrong", 2000).unwrap_err();
        assert!(
            matches!(
                e,
                X509Error::BagDecryption {
                    bag: PfxBag::Key,
                    mac_verified: false,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(e.kind(), ErrorKind::WrongPassword);
        assert!(e.to_string().contains("key bag decryption failed"), "{e}");
    }
}

#[test]
fn iteration_caps_apply_to_the_mac_and_the_bag() {
    let s = sample(1);
    assert!(matches!(
        pfx::import_with(&s.der, s.password.as_bytes(), 1999),
        Err(X509Error::Asn1(Asn1Error::IterationCap {
            count: 2000,
            cap: 1999
        }))
    ));
    assert!(matches!(
        cryptopro::decrypt_key_bag(&epki(&s), s.password.as_bytes(), 1999),
        Err(X509Error::Asn1(Asn1Error::IterationCap { count: 2000, .. }))
    ));
}

/// The decrypted bag of a sample, and a function that re-encrypts a changed plaintext into an
/// EncryptedPrivateKeyInfo of the same shape.
fn plaintext(s: &Sample) -> (Vec<u8>, [u8; 32], Vec<u8>) {
    let e = epki(s);
    let salt = hex::decode(s.salt).unwrap();
    let k = cryptopro::derive_pbe_key(s.password.as_bytes(), &salt, 2000).unwrap();
    // 30 81 LL | 30 24 (alg, 38 bytes) | 04 81 LL data
    let (_, h, _) = tlv(&e, 0);
    let (_, ha, la) = tlv(&e, h);
    let (t, hd, ld) = tlv(&e, h + ha + la);
    assert_eq!(t, 0x04);
    let start = h + ha + la + hd;
    let mut p = e[start..start + ld].to_vec();
    let g = Gost28147::with_sbox(&k[..], SBox::CryptoProA).unwrap();
    Gost28147Cfb::new(&g, &salt[..8], false)
        .unwrap()
        .decrypt(&mut p);
    (p, *k, salt)
}

fn reencrypt(s: &Sample, plain: &[u8]) -> Vec<u8> {
    let e = epki(s);
    let (p, k, salt) = plaintext(s);
    let (_, h, _) = tlv(&e, 0);
    let (_, ha, la) = tlv(&e, h);
    let mut c = plain.to_vec();
    let g = Gost28147::with_sbox(&k, SBox::CryptoProA).unwrap();
    Gost28147Cfb::new(&g, &salt[..8], false)
        .unwrap()
        .encrypt(&mut c);
    assert_eq!(c.len(), p.len(), "same length keeps the DER lengths");
    let mut body = e[h..h + ha + la].to_vec();
    body.extend(encode(0x04, &c));
    encode(0x30, &body)
}

/// (start of value, end of value, start of the outer MAC) in the plaintext.
fn value_at(p: &[u8]) -> (usize, usize, usize) {
    let v = p
        .windows(6)
        .position(|w| w[0] == 0x30 && w[2] == 0x30 && w[4] == 0x04 && w[5] == 0x08)
        .unwrap()
        + 2;
    let (_, h, l) = tlv(p, v);
    let end = v + h + l;
    assert_eq!(&p[end..end + 2], &[0x04, 0x04]);
    (v, end, end + 2)
}

#[test]
fn tampered_bags_give_typed_errors() {
    let s = sample(2);
    let pw = s.password.as_bytes();
    let (p, k, _) = plaintext(&s);
    assert_eq!(&p[..3], &[0x30, 0x81, 0xab], "a PrivateKeyInfo");
    let (v, end, mac_at) = value_at(&p);
    let ukm = &p[v + 4..v + 12];
    let kek = gostkit::kdf::kdf_gostr3411_2012_256(&k, &[0x26, 0xbd, 0xb8, 0x78], ukm);
    let kek_cipher = Gost28147::with_sbox(&kek[..], SBox::CryptoProA).unwrap();
    let why = |r: Result<_, X509Error>| match r {
        Err(X509Error::BagDecryption { why, .. }) => why,
        other => panic!("{:?}", other.map(|_: gostkit::asn1::GostPrivateKey| ())),
    };
    // Unchanged, re-encrypted: still opens.
    assert!(cryptopro::decrypt_key_bag(&reencrypt(&s, &p), pw, 2000).is_ok());
    // The outer MAC changed.
    let mut t = p.clone();
    t[mac_at] ^= 1;
    assert_eq!(
        why(cryptopro::decrypt_key_bag(&reencrypt(&s, &t), pw, 2000)),
        "the ExportedKey MAC does not verify"
    );
    // The wrapped key changed, outer MAC recomputed: the key wrap's own MAC catches it.
    let mut t = p.clone();
    t[v + 16] ^= 1; // first byte of enc (04 08 ukm 30 28 04 20 enc)
    let m = gost28147_mac(&kek_cipher, None, &t[v..end], false).unwrap();
    t[mac_at..mac_at + 4].copy_from_slice(&m);
    assert_eq!(
        why(cryptopro::decrypt_key_bag(&reencrypt(&s, &t), pw, 2000)),
        "the key wrap MAC does not verify"
    );
    // Not a PrivateKeyInfo any more.
    let mut t = p.clone();
    t[0] = 0x31;
    assert_eq!(
        why(cryptopro::decrypt_key_bag(&reencrypt(&s, &t), pw, 2000)),
        "the decrypted bag is not a PrivateKeyInfo"
    );
    // Every byte of the bag flipped: an error or the same key, never a panic, never another
    // key. (The 16-byte header, the PrivateKeyInfo's algorithm parameters and its attributes
    // are under no MAC: flips there that keep the DER valid still give the key.)
    let e = epki(&s);
    let good = cryptopro::decrypt_key_bag(&e, pw, 2000).unwrap();
    let mut same = 0;
    for i in 0..e.len() {
        for flip in [0x01u8, 0x80] {
            let mut t = e.clone();
            t[i] ^= flip;
            if let Ok(k) = cryptopro::decrypt_key_bag(&t, pw, 2000) {
                assert_eq!(
                    (&k.key, k.param_set),
                    (&good.key, good.param_set),
                    "byte {i}"
                );
                same += 1;
            }
        }
        assert!(cryptopro::decrypt_key_bag(&e[..i], pw, 2000).is_err());
    }
    assert!(same < 2 * e.len() / 4, "{same} flips kept the key");
}

#[test]
fn a_tampered_bag_behind_a_valid_mac_names_the_bag() {
    for n in [1, 2] {
        let s = sample(n);
        let pw = s.password;
        let auth = auth_safe(&s.der);
        // The authSafe under a recomputed MAC opens as before.
        let got = pfx::import(&with_gost_mac(&auth, pw), pw.as_bytes()).unwrap();
        assert_eq!(
            got.key.to_signing_key().unwrap().verifying_key().to_bytes(),
            s.public
        );
        // The key bag's last ciphertext byte (in the PrivateKeyInfo attributes' time) changed:
        // the key still opens, attributes are not interpreted; a byte in the ExportedKey:
        // refused.
        let (at, len) = key_bag_at(&auth);
        let mut t = auth.clone();
        t[at + len - 1] ^= 0x01;
        let got = pfx::import(&with_gost_mac(&t, pw), pw.as_bytes()).unwrap();
        assert_eq!(
            got.key.to_signing_key().unwrap().verifying_key().to_bytes(),
            s.public
        );
        let mut t = auth.clone();
        t[at + len - 60] ^= 0x10;
        let e = pfx::import(&with_gost_mac(&t, pw), pw.as_bytes()).unwrap_err();
        assert!(
            matches!(
                e,
                X509Error::BagDecryption {
                    bag: PfxBag::Key,
                    mac_verified: true,
                    ..
                }
            ),
            "pfx{n}: {e:?}"
        );
        assert!(e.to_string().contains("the PFX MAC verified"), "{e}");
        // The encrypted certificate bags: their last ciphertext byte (the CBC padding).
        let mut t = auth.clone();
        let last = t.len() - 1;
        t[last] ^= 0x5a;
        let e = pfx::import(&with_gost_mac(&t, pw), pw.as_bytes()).unwrap_err();
        assert!(
            matches!(
                e,
                X509Error::BagDecryption {
                    bag: PfxBag::EncryptedContents,
                    mac_verified: true,
                    ..
                }
            ),
            "pfx{n}: {e:?}"
        );
        assert_eq!(e.kind(), ErrorKind::WrongPassword);
    }
}
