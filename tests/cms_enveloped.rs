//! CMS EnvelopedData and EncryptedData: the TC26 examples (R 1323565.1.025-2019 Appendix A.2,
//! A.4) and OpenSSL + gost-engine in both directions.

mod common;

use std::path::Path;

use common::peer::Peer;
use gostkit::asn1::GostPrivateKey;
use gostkit::cms::CmsError;
use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{self, EnvelopedMessage, Recipient};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::Certificate;
use gostkit::x509::issue::{IssueOptions, self_signed};
use gostkit::x509::name::parse_slash_dn;

fn read_cert(p: &Path) -> Certificate {
    Certificate::decode(&std::fs::read(p).unwrap()).unwrap()
}

fn read_key(p: &Path) -> SigningKey {
    GostPrivateKey::decode(&std::fs::read(p).unwrap())
        .unwrap()
        .to_signing_key()
        .unwrap()
}

const ALL: [ContentCipher; 5] = [
    ContentCipher::KuznyechikCtrAcpkm,
    ContentCipher::KuznyechikCtrAcpkmOmac,
    ContentCipher::MagmaCtrAcpkm,
    ContentCipher::MagmaCtrAcpkmOmac,
    ContentCipher::Gost28147Cfb,
];

#[test]
fn tc26_enveloped_and_encrypted_examples() {
    let Some(dir) = common::tc26_cms_dir() else {
        return;
    };
    // The plain file ends with a line feed the encrypted examples do not carry.
    let mut plain = std::fs::read(dir.join("plain/text_decrypted.plain")).unwrap();
    if plain.last() == Some(&b'\n') {
        plain.pop();
    }
    let r256 = (
        read_cert(&dir.join("recipient256_cert.pem")),
        read_key(&dir.join("recipient256_key.pem")),
    );
    let r512 = (
        read_cert(&dir.join("recipient512_cert.pem")),
        read_key(&dir.join("recipient512_key.pem")),
    );
    let recips = [
        Recipient {
            cert: &r256.0,
            key: &r256.1,
        },
        Recipient {
            cert: &r512.0,
            key: &r512.1,
        },
    ];
    for f in [
        "encrypted_keyagree_a211.pem",
        "encrypted_keyagree_a221.pem",
        "encrypted_keytrans_a231.pem",
        "encrypted_keytrans_a241.pem",
    ] {
        let m = EnvelopedMessage::parse(&std::fs::read(dir.join(f)).unwrap()).unwrap();
        // A.2.2.1 names its originator by issuer and serial: the sender's certificate.
        let senders = [
            read_cert(&dir.join("sender256_cert.pem")),
            read_cert(&dir.join("sender512_cert.pem")),
        ];
        let out = m
            .decrypt_with(&recips, &senders)
            .unwrap_or_else(|e| panic!("{f}: {e:?}"));
        assert_eq!(out, plain, "{f}");
    }
    // encryption_key.hex prints the key as the examples' text does, most significant byte
    // first; the cipher takes it in the opposite byte order (checked: only the reversed bytes
    // decrypt the examples).
    let mut key = hex::decode(
        std::fs::read_to_string(dir.join("encryption_key.hex"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    key.reverse();
    for f in ["encrypted_kuznyechik_a421.pem", "encrypted_magma_a411.pem"] {
        let out =
            enveloped::decrypt_encrypted_data(&std::fs::read(dir.join(f)).unwrap(), &key).unwrap();
        // Same sentence as plain/, naming the structure: "... EncryptedData." (cp1251).
        let mut expected = plain[..plain.len() - b"EnvelopedData.".len()].to_vec();
        expected.extend_from_slice(b"EncryptedData.");
        assert_eq!(out, expected, "{f}");
        let mut wrong = key.clone();
        wrong[0] ^= 1;
        // A wrong key: the MAC of the -omac example catches it; CTR-ACPKM alone gives other bytes.
        match enveloped::decrypt_encrypted_data(&std::fs::read(dir.join(f)).unwrap(), &wrong) {
            Err(e) => assert_eq!(e, CmsError::MacMismatch, "{f}"),
            Ok(other) => assert_ne!(other, expected, "{f}"),
        }
    }
}

fn self_cert(name: &str, set: ParamSet) -> (Certificate, SigningKey) {
    let k = SigningKey::generate(set).unwrap();
    let c = self_signed(&parse_slash_dn(name).unwrap(), &k, &IssueOptions::days(10)).unwrap();
    (c, k)
}

#[test]
fn gostkit_round_trips_and_negatives() {
    let (c1, k1) = self_cert("/CN=Inspection", ParamSet::Tc26_256A);
    let (c2, k2) = self_cert("/CN=Taxpayer", ParamSet::Tc26_512A);
    let (c3, k3) = self_cert("/CN=Legacy", ParamSet::CryptoProA);
    let (_, k_other) = self_cert("/CN=Other", ParamSet::Tc26_256A);
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7) as u8).collect();
    for cipher in ALL {
        let recips: Vec<&Certificate> = if cipher == ContentCipher::Gost28147Cfb {
            vec![&c1, &c3]
        } else {
            vec![&c1, &c2]
        };
        let msg = enveloped::encrypt(&data, &recips, cipher).unwrap();
        let m = EnvelopedMessage::parse(&msg).unwrap();
        assert_eq!(m.cipher(), cipher);
        assert_eq!(m.recipient_count(), 2);
        assert_eq!(
            m.decrypt(&[Recipient {
                cert: &c1,
                key: &k1
            }])
            .unwrap(),
            data,
            "{cipher:?}"
        );
        let second = if cipher == ContentCipher::Gost28147Cfb {
            Recipient {
                cert: &c3,
                key: &k3,
            }
        } else {
            Recipient {
                cert: &c2,
                key: &k2,
            }
        };
        assert_eq!(m.decrypt(&[second]).unwrap(), data);
        // Streaming encryption gives a message that decrypts the same.
        let mut out = Vec::new();
        enveloped::encrypt_stream(
            &mut data.as_slice(),
            data.len() as u64,
            &mut out,
            &recips,
            cipher,
        )
        .unwrap();
        assert_eq!(
            EnvelopedMessage::parse(&out)
                .unwrap()
                .decrypt(&[Recipient {
                    cert: &c1,
                    key: &k1
                }])
                .unwrap(),
            data
        );
        // Streaming decryption gives the same plaintext; a tampered one fails its MAC.
        let mut plain = Vec::new();
        enveloped::decrypt_stream(
            &mut out.as_slice(),
            &mut plain,
            &[Recipient {
                cert: &c1,
                key: &k1,
            }],
            &[],
        )
        .unwrap();
        assert_eq!(plain, data);
        if cipher.has_mac() {
            let mut t = out.clone();
            let n = t.len();
            t[n - 1000] ^= 1;
            let r = enveloped::decrypt_stream(
                &mut t.as_slice(),
                &mut Vec::new(),
                &[Recipient {
                    cert: &c1,
                    key: &k1,
                }],
                &[],
            );
            assert_eq!(r.err(), Some(CmsError::MacMismatch));
        }
        assert!(
            enveloped::decrypt_stream(
                &mut &out[..out.len() - 5],
                &mut Vec::new(),
                &[Recipient {
                    cert: &c1,
                    key: &k1
                }],
                &[]
            )
            .is_err()
        );
        // Wrong key for the certificate; not a recipient.
        assert_eq!(
            m.decrypt(&[Recipient {
                cert: &c1,
                key: &k_other
            }])
            .err(),
            Some(CmsError::KeyMismatch)
        );
        let (c4, k4) = self_cert("/CN=Stranger", ParamSet::Tc26_256B);
        assert_eq!(
            m.decrypt(&[Recipient {
                cert: &c4,
                key: &k4
            }])
            .err(),
            Some(CmsError::NotARecipient)
        );
        // Tampered ciphertext: MAC mismatch for the -omac ciphers.
        if cipher.has_mac() {
            let mut t = msg.clone();
            let n = t.len();
            t[n - 40] ^= 1;
            assert_eq!(
                EnvelopedMessage::parse(&t)
                    .unwrap()
                    .decrypt(&[Recipient {
                        cert: &c1,
                        key: &k1
                    }])
                    .err(),
                Some(CmsError::MacMismatch)
            );
        }
        // Truncated.
        assert!(EnvelopedMessage::parse(&msg[..msg.len() - 3]).is_err());
    }
    // EncryptedData round trip.
    let key = [7u8; 32];
    for cipher in ALL {
        let m = enveloped::encrypt_encrypted_data(b"hello", &key, cipher).unwrap();
        assert_eq!(
            enveloped::decrypt_encrypted_data(&m, &key).unwrap(),
            b"hello"
        );
    }
}

#[test]
fn peer_interop_both_ways() {
    let peer = match Peer::find("cms-env") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: CMS EnvelopedData interop with OpenSSL gost-engine: {why}");
            return;
        }
    };
    let f = |n: &str| peer.path(n);
    let (kp, cp, msgp, datap, outp) = (f("k.pem"), f("c.pem"), f("m.der"), f("data"), f("out"));
    // Large enough to cross the peer's encryption sections (Kuznyechik 256 KiB, Magma 8 KiB).
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let small = b"<answer>settlements: 0.00 RUB</answer>".to_vec();
    for (alg, set) in [
        ("gost2012_256", "A"),
        ("gost2012_512", "A"),
        ("gost2012_256", "B"),
    ] {
        peer.openssl(&[
            "genpkey",
            "-algorithm",
            alg,
            "-pkeyopt",
            &format!("paramset:{set}"),
            "-out",
            &kp,
        ])
        .unwrap();
        peer.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            &kp,
            "-subj",
            "/CN=Peer Recipient",
            "-days",
            "10",
            "-out",
            &cp,
        ])
        .unwrap();
        let cert = read_cert(Path::new(&cp));
        let key = read_key(Path::new(&kp));
        let me = [Recipient {
            cert: &cert,
            key: &key,
        }];
        for (name, cipher) in [
            ("kuznyechik-ctr-acpkm", ContentCipher::KuznyechikCtrAcpkm),
            (
                "kuznyechik-ctr-acpkm-omac",
                ContentCipher::KuznyechikCtrAcpkmOmac,
            ),
            ("magma-ctr-acpkm", ContentCipher::MagmaCtrAcpkm),
            ("magma-ctr-acpkm-omac", ContentCipher::MagmaCtrAcpkmOmac),
            ("gost89", ContentCipher::Gost28147Cfb),
        ] {
            if cipher == ContentCipher::Gost28147Cfb && alg == "gost2012_512" {
                continue; // RFC 4490 key transport is defined for 256-bit keys only
            }
            // Peer → gostkit, small and large (the large one crosses ACPKM sections).
            for data in [&small, &big] {
                std::fs::write(&datap, data).unwrap();
                peer.openssl(&[
                    "cms",
                    "-encrypt",
                    "-binary",
                    &format!("-{name}"),
                    "-in",
                    &datap,
                    "-outform",
                    "DER",
                    "-out",
                    &msgp,
                    &cp,
                ])
                .unwrap();
                let m = EnvelopedMessage::parse(&std::fs::read(&msgp).unwrap()).unwrap();
                assert_eq!(m.cipher(), cipher);
                assert_eq!(
                    &m.decrypt(&me)
                        .unwrap_or_else(|e| panic!("{alg}/{set} {name} {}: {e:?}", data.len())),
                    data
                );
            }
            // The peer's streaming (BER: indefinite lengths, chunked encryptedContent) form.
            std::fs::write(&datap, &big).unwrap();
            peer.openssl(&[
                "cms",
                "-encrypt",
                "-binary",
                "-stream",
                &format!("-{name}"),
                "-in",
                &datap,
                "-outform",
                "DER",
                "-out",
                &msgp,
                &cp,
            ])
            .unwrap();
            let m = EnvelopedMessage::parse(&std::fs::read(&msgp).unwrap()).unwrap();
            assert_eq!(
                m.decrypt(&me)
                    .unwrap_or_else(|e| panic!("{alg}/{set} {name} -stream: {e:?}")),
                big
            );
            // gostkit → peer, below 1 KiB only: gost-engine 3.0.1 decrypts CTR-ACPKM with the
            // wrong section size (4 KiB / 1 KiB), so it cannot open longer messages (its bug).
            let msg = enveloped::encrypt(&small, &[&cert], cipher).unwrap();
            std::fs::write(&msgp, &msg).unwrap();
            peer.openssl(&[
                "cms", "-decrypt", "-binary", "-inform", "DER", "-in", &msgp, "-recip", &cp,
                "-inkey", &kp, "-out", &outp,
            ])
            .unwrap_or_else(|e| panic!("peer decrypt {alg}/{set} {name}: {e}"));
            assert_eq!(std::fs::read(&outp).unwrap(), small);
        }
    }
}

/// One DER element at the start of `d`: (tag, header length, content length).
fn der_head(d: &[u8]) -> (u8, usize, usize) {
    let (tag, first) = (d[0], d[1] as usize);
    if first < 0x80 {
        return (tag, 2, first);
    }
    let n = first & 0x7f;
    let len = d[2..2 + n]
        .iter()
        .fold(0usize, |a, b| (a << 8) | *b as usize);
    (tag, 2 + n, len)
}

/// The children of a constructed DER element's content.
fn der_children(mut c: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !c.is_empty() {
        let (_, h, l) = der_head(c);
        out.push(&c[..h + l]);
        c = &c[h + l..];
    }
    out
}

/// `tag` around `content` in DER.
fn der_wrap(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        v.push(0x80 | bytes.len() as u8);
        v.extend(bytes);
    }
    v.extend_from_slice(content);
    v
}

fn der_content(e: &[u8]) -> &[u8] {
    let (_, h, l) = der_head(e);
    &e[h..h + l]
}

/// The message with its unprotectedAttrs (the content MAC) removed and every length fixed up.
fn strip_mac(msg: &[u8]) -> Vec<u8> {
    let ci = der_children(der_content(msg));
    let ed = der_content(der_content(ci[1]));
    let all = der_children(ed);
    let parts: Vec<u8> = all
        .iter()
        .filter(|t| t[0] != 0xa1)
        .flat_map(|t| t.iter().copied())
        .collect();
    assert!(parts.len() < ed.len(), "no unprotectedAttrs to strip");
    let mut body = ci[0].to_vec();
    body.extend(der_wrap(0xa0, &der_wrap(0x30, &parts)));
    der_wrap(0x30, &body)
}

#[test]
fn omac_message_without_its_mac_is_an_auth_failure() {
    let (c, k) = self_cert("/CN=Recipient", ParamSet::Tc26_256A);
    let me = [Recipient { cert: &c, key: &k }];
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 13) as u8).collect();
    for cipher in [
        ContentCipher::KuznyechikCtrAcpkmOmac,
        ContentCipher::MagmaCtrAcpkmOmac,
    ] {
        let msg = enveloped::encrypt(&data, &[&c], cipher).unwrap();
        let stripped = strip_mac(&msg);
        // One-shot: the MAC error, no plaintext.
        let m = EnvelopedMessage::parse(&stripped).unwrap();
        assert_eq!(
            m.decrypt(&me).err(),
            Some(CmsError::MacMismatch),
            "{cipher:?}"
        );
        // Streaming: the MAC error before a single byte is written.
        let mut out = Vec::new();
        let r = enveloped::decrypt_stream(&mut stripped.as_slice(), &mut out, &me, &[]);
        assert_eq!(r.err(), Some(CmsError::MacMismatch), "{cipher:?}");
        assert!(out.is_empty(), "{cipher:?}: {} bytes written", out.len());
        // Cut after the encrypted content (before the attributes) or inside them: never Ok,
        // and unauthenticated (the MAC error), whatever was written.
        let attrs_len = msg.len() - stripped.len();
        for cut in [attrs_len, attrs_len - 3, 1] {
            let t = &msg[..msg.len() - cut];
            let r = enveloped::decrypt_stream(&mut &t[..], &mut Vec::new(), &me, &[]);
            assert_eq!(r.err(), Some(CmsError::MacMismatch), "{cipher:?} cut {cut}");
        }
        // The message itself still decrypts both ways.
        let mut out = Vec::new();
        enveloped::decrypt_stream(&mut msg.as_slice(), &mut out, &me, &[]).unwrap();
        assert_eq!(out, data);
    }
    // Without OMAC there is no MAC to miss: the stripped form of a CTR-ACPKM message is the
    // message itself.
    let msg = enveloped::encrypt(&data, &[&c], ContentCipher::KuznyechikCtrAcpkm).unwrap();
    assert_eq!(
        EnvelopedMessage::parse(&msg).unwrap().decrypt(&me).unwrap(),
        data
    );
}

/// RFC 5652 §6.2: the recipients are listed without decrypting, in RecipientInfo order, named
/// by issuer and serial; a streamed source shorter than announced is a typed error.
#[test]
fn recipients_listed_and_short_stream_source() {
    let (a, _) = self_cert("/CN=Recipient A", ParamSet::Tc26_256A);
    let (b, _) = self_cert("/CN=Recipient B", ParamSet::Tc26_512A);
    let (c, _) = self_cert("/CN=Not addressed", ParamSet::Tc26_256A);
    let msg = enveloped::encrypt(b"x", &[&a, &b], ContentCipher::KuznyechikCtrAcpkmOmac).unwrap();
    let m = EnvelopedMessage::parse(&msg).unwrap();
    let ids = m.recipients();
    assert_eq!(ids.len(), 2);
    assert!(ids[0].matches(&a) && !ids[0].matches(&b));
    assert!(ids[1].matches(&b));
    assert!(m.is_addressed_to(&a) && m.is_addressed_to(&b) && !m.is_addressed_to(&c));
    let serial: String = a.serial().iter().map(|x| format!("{x:02x}")).collect();
    let text = ids[0].to_string();
    assert!(
        text.contains("CN=Recipient A") && text.contains(&serial),
        "{text}"
    );

    let mut src: &[u8] = b"0123456789";
    let mut out = Vec::new();
    let e = enveloped::encrypt_stream(&mut src, 25, &mut out, &[&a], ContentCipher::MagmaCtrAcpkm)
        .unwrap_err();
    assert_eq!(
        e,
        CmsError::ContentLength {
            expected: 25,
            got: 10
        }
    );
    assert_eq!(e.kind(), gostkit::ErrorKind::InvalidArgument);
}
