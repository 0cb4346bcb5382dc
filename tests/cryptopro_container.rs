//! CryptoPro CSP key containers (`gostkit::container`): the CPKDF vector, the real sample
//! container of `test-vectors/cryptopro/` (read, re-encoded, and reproduced byte for byte by the
//! writer from its own key, masks, salts and empty PIN), write → read round trips on every curve
//! family, the key store, and hostile files.
//!
//! No public GOST R 34.10-2001 container (GOST R 34.11-94 CPKDF) and no public 2012-512
//! container exists (see `test-vectors/cryptopro/README.md`): those families are tested by
//! round trip through gostkit's own writer only.

mod common;

use std::path::{Path, PathBuf};

use common::{h, repo_root, s, vectors};
use gostkit::ErrorKind;
use gostkit::container::{
    Container, ContainerAlgorithm, ContainerError, ContainerFiles, ContainerWriter, HeaderFile,
    KdfHash, KeyStore, MasksFile, NameFile, PrimaryFile, RandomSource, cpkdf, password_mac,
};
use gostkit::ec::{AgreeKey, ParamSet, SignDigest, SigningKey, VkoAlg};

const SAMPLE: &str = "test-vectors/cryptopro/91team-srv000-2012-256-nginx_gost";

fn sample_dir() -> PathBuf {
    repo_root().join(SAMPLE)
}

fn sample_files() -> ContainerFiles {
    ContainerFiles::read_dir(&sample_dir()).expect("sample files")
}

fn unhex(x: &str) -> Vec<u8> {
    hex::decode(x).expect("hex")
}

/// Hands out fixed bytes (the sample's masks and salts), then fails.
struct Fixed {
    bytes: Vec<u8>,
    pos: usize,
}

impl RandomSource for Fixed {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), ContainerError> {
        let end = self.pos + out.len();
        let src = self
            .bytes
            .get(self.pos..end)
            .ok_or(ContainerError::RandomFailed)?;
        out.copy_from_slice(src);
        self.pos = end;
        Ok(())
    }
}

/// A deterministic stream (Streebog-256 in counter mode over a seed), for reproducible tests.
struct Stream {
    seed: u64,
    ctr: u64,
}

impl RandomSource for Stream {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), ContainerError> {
        for chunk in out.chunks_mut(32) {
            let mut input = self.seed.to_le_bytes().to_vec();
            input.extend_from_slice(&self.ctr.to_le_bytes());
            self.ctr += 1;
            let block = gostkit::hash::Streebog256::digest(&input);
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

/// A fresh empty directory under the system's temporary directory.
fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "gostkit-cp-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn kind(r: Result<impl std::fmt::Debug, ContainerError>) -> ErrorKind {
    r.expect_err("an error").kind()
}

// ---- CPKDF -----------------------------------------------------------------------------------

#[test]
fn cpkdf_vector() {
    for v in vectors("cryptopro/cpkdf.toml") {
        let hash = match s(&v, "hash") {
            "streebog256" => KdfHash::Streebog256,
            "gost94" => KdfHash::Gost94,
            other => panic!("hash {other}"),
        };
        let k = cpkdf(hash, s(&v, "pin").as_bytes(), &h(&v, "salt"));
        assert_eq!(
            hex::encode(&k[..]),
            hex::encode(h(&v, "output")),
            "{}",
            s(&v, "name")
        );
    }
    // The GOST R 34.11-94 variant differs from the Streebog one and depends on every input.
    let a = cpkdf(
        KdfHash::Gost94,
        b"qawsqaws",
        &unhex("98e4f49415555d8ab20567a0"),
    );
    let b = cpkdf(
        KdfHash::Streebog256,
        b"qawsqaws",
        &unhex("98e4f49415555d8ab20567a0"),
    );
    let c = cpkdf(
        KdfHash::Gost94,
        b"qawsqawt",
        &unhex("98e4f49415555d8ab20567a0"),
    );
    let e = cpkdf(KdfHash::Gost94, b"", &unhex("98e4f49415555d8ab20567a0"));
    assert!(a[..] != b[..] && a[..] != c[..] && a[..] != e[..]);
}

// ---- the real sample ---------------------------------------------------------------------------

#[test]
fn sample_report() {
    let c = Container::open(sample_dir()).expect("open");
    assert_eq!(c.name().as_deref(), Some("srv"));
    assert_eq!(c.algorithm(), ContainerAlgorithm::Gost2012_256);
    assert_eq!(c.algorithm_oid().to_string(), "1.2.643.7.1.1.6.1");
    assert_eq!(c.curve_oid().to_string(), "1.2.643.2.2.36.0");
    assert_eq!(
        c.digest_oid().map(|o| o.to_string()).as_deref(),
        Some("1.2.643.7.1.1.2.2")
    );
    assert_eq!(c.param_set(), ParamSet::CryptoProXchA);
    assert!(c.exportable() && c.exchange());
    assert!(!c.has_pin());
    assert!(c.has_reserve_copy());
    assert!(!c.has_secondary_key());
    assert_eq!(
        c.fingerprint(),
        Some(<[u8; 8]>::try_from(unhex("aefa90609ba04209")).unwrap())
    );
    let hdr = &c.header().content;
    assert_eq!(
        hdr.container_algorithm.map(|o| o.to_string()).as_deref(),
        Some("1.2.643.2.2.37.2.1")
    );
    assert_eq!(hdr.hmac_password.as_deref(), Some(&[0u8; 4][..]));
    assert_eq!(hdr.attributes.bytes(), [0x40]);
    assert_eq!(hdr.primary_key.attributes.bytes(), [0xa0]);
    let exts = hdr.extensions.as_ref().expect("extensions");
    assert_eq!(exts.len(), 1);
    assert_eq!(exts[0].oid.to_string(), "1.2.643.2.2.37.3.10");
    let cert = c.certificate().expect("certificate").expect("parses");
    assert_eq!(
        gostkit::x509::name::to_rfc4514(cert.subject()),
        "CN=test.91.gost.dev"
    );
    assert_eq!(
        hex::encode_upper(cert.serial()),
        "7C001314CCC1895CF291592CE70006001314CC"
    );

    let files = sample_files();
    let m = MasksFile::parse("masks.key", &files.masks).expect("masks");
    assert_eq!(hex::encode(&m.salt), "ea209d8d01b3042942393727");
    assert_eq!(hex::encode(&m.mac), "947e2134");
    let m2 = MasksFile::parse("masks2.key", files.masks2.as_ref().unwrap()).expect("masks2");
    assert_eq!(hex::encode(&m2.salt), "42a053128e4422fe181150da");
    assert_eq!(hex::encode(&m2.mac), "a74d5b17");

    // The README's value of the password MAC an empty PIN would give (CSP wrote zero instead).
    let fp = c.fingerprint().unwrap();
    assert_eq!(
        password_mac(ContainerAlgorithm::Gost2012_256, b"", &fp).unwrap(),
        [0xae, 0xf7, 0xee, 0x4d]
    );
}

#[test]
fn sample_unlocks_with_the_empty_pin() {
    let c = Container::open(sample_dir()).expect("open");
    let k = c.unlock(b"").expect("unlock");
    let mut d = k.signing_key().to_bytes().to_vec();
    d.reverse();
    assert_eq!(
        hex::encode(d),
        "e4bbf23e0970eb1b6e01d65edaf10ed35891491f9e8b812a36175523f7e7593e"
    );
    let xy = k.signing_key().verifying_key().to_bytes();
    let (mut x, mut y) = (xy[..32].to_vec(), xy[32..].to_vec());
    x.reverse();
    y.reverse();
    assert_eq!(
        hex::encode(x),
        "7f9fcc61c19ff1075904cb09f938b6824320e180bb8988f30942a09b6090faae"
    );
    assert_eq!(
        hex::encode(y),
        "a97beadde3d78da4a6e051d8afff6a796f88c1098892cf6013ee79785fce1ce0"
    );
    assert!(k.exportable() && k.exchange());
    // It signs and agrees like any key; the certificate's key verifies the signature.
    let sig = k.sign_message(b"container").expect("sign");
    let cert = c.certificate().unwrap().unwrap();
    cert.verifying_key()
        .unwrap()
        .verify(b"container", sig.as_bytes())
        .expect("verify with the certificate's key");
    let peer = SigningKey::generate(ParamSet::CryptoProXchA).unwrap();
    let ukm = [1u8; 8];
    let ab = k
        .vko(VkoAlg::Vko2012_256, peer.verifying_key(), &ukm)
        .unwrap();
    let ba = peer
        .vko(VkoAlg::Vko2012_256, k.signing_key().verifying_key(), &ukm)
        .unwrap();
    assert_eq!(&ab[..], &ba[..]);
    // A PIN where there is none is a wrong PIN.
    assert_eq!(kind(c.unlock(b"1234")), ErrorKind::WrongPassword);
    // Exportable: PKCS#8 of the same key.
    let p8 = k.to_pkcs8().expect("pkcs8");
    assert_eq!(
        &p8.to_signing_key().unwrap().to_bytes()[..],
        &k.signing_key().to_bytes()[..]
    );
}

#[test]
fn sample_reencodes_byte_for_byte() {
    let files = sample_files();
    let c = Container::from_files(&files).expect("parse");
    assert_eq!(c.to_files().expect("re-encode"), files);
    let hdr = HeaderFile::parse(&files.header).unwrap();
    assert_eq!(hdr.to_der().unwrap(), files.header);
    assert_eq!(hdr.content.to_der().unwrap(), hdr.content_der());
}

#[test]
fn writer_reproduces_the_sample() {
    let files = sample_files();
    let c = Container::from_files(&files).expect("parse");
    let key = c.unlock(b"").expect("unlock").into_signing_key();
    let m = MasksFile::parse("masks.key", &files.masks).unwrap();
    let m2 = MasksFile::parse("masks2.key", files.masks2.as_ref().unwrap()).unwrap();
    let mut rng = Fixed {
        bytes: [&m.mask[..], &m.salt, &m2.mask[..], &m2.salt].concat(),
        pos: 0,
    };
    let hdr = &c.header().content;
    let out = ContainerWriter::new(&key, "srv")
        .certificate(c.certificate_der())
        .extensions(hdr.extensions.clone().unwrap())
        .write(&mut rng)
        .expect("write");
    assert_eq!(rng.pos, rng.bytes.len(), "every random byte used");
    assert_eq!(
        hex::encode(&out.primary[..]),
        hex::encode(&files.primary[..])
    );
    assert_eq!(
        hex::encode(&out.primary2.as_ref().unwrap()[..]),
        hex::encode(&files.primary2.as_ref().unwrap()[..])
    );
    assert_eq!(hex::encode(&out.masks[..]), hex::encode(&files.masks[..]));
    assert_eq!(
        hex::encode(&out.masks2.as_ref().unwrap()[..]),
        hex::encode(&files.masks2.as_ref().unwrap()[..])
    );
    assert_eq!(out.name, files.name);
    let written = HeaderFile::parse(&out.header).unwrap();
    assert_eq!(written.content.primary_fp, hdr.primary_fp);
    assert_eq!(written.mac, c.header().mac, "header MAC");
    assert_eq!(written.content.hmac_password, hdr.hmac_password);
    // Given the same fields, the whole header comes out the same.
    assert_eq!(hex::encode(&out.header), hex::encode(&files.header));
    // Container::create with the same inputs gives the same files but for the extensions.
    let mut rng = Fixed {
        bytes: rng.bytes.clone(),
        pos: 0,
    };
    let created =
        Container::create(&key, c.certificate_der(), b"", "srv", true, &mut rng).expect("create");
    assert_eq!(created.primary, files.primary);
    assert_eq!(created.masks2, files.masks2);
}

// ---- round trips -----------------------------------------------------------------------------

/// Every curve family: (label, key's parameter set, 2001 container?).
fn families() -> Vec<(&'static str, ParamSet, bool)> {
    vec![
        // No public 2001 sample exists: GOST R 34.11-94 CPKDF, CryptoPro-A S-box, own writer only.
        ("2001 CryptoPro-A", ParamSet::CryptoProA, true),
        ("2001 XchA", ParamSet::CryptoProXchA, true),
        ("2012-256 XchA", ParamSet::CryptoProXchA, false),
        ("2012-256 tc26-A", ParamSet::Tc26_256A, false),
        ("2012-256 tc26-B", ParamSet::Tc26_256B, false),
        // No public 2012-512 sample exists: own writer only.
        ("2012-512 tc26-A", ParamSet::Tc26_512A, false),
        ("2012-512 tc26-C", ParamSet::Tc26_512C, false),
    ]
}

fn self_signed(key: &SigningKey, cn: &str) -> gostkit::x509::Certificate {
    let mut o = gostkit::x509::issue::IssueOptions::days(30);
    o.serial = Some(vec![0x42]);
    let name = gostkit::x509::name::parse_slash_dn(&format!("/CN={cn}")).unwrap();
    gostkit::x509::issue::self_signed(&name, key, &o).expect("certificate")
}

#[test]
fn round_trips_on_every_family_with_and_without_pin() {
    for (i, (label, set, legacy)) in families().into_iter().enumerate() {
        let key = SigningKey::generate(set).unwrap();
        let cert = self_signed(&key, label);
        for pin in [&b""[..], b"12345678", "пароль".as_bytes()] {
            let mut w = ContainerWriter::new(&key, "rt")
                .pin(pin)
                .certificate(Some(cert.der()));
            if legacy {
                w = w.gost2001();
            }
            let mut rng = Stream {
                seed: i as u64,
                ctr: 0,
            };
            let files = w.write(&mut rng).expect(label);
            let c = Container::from_files(&files).expect(label);
            let alg = if legacy {
                ContainerAlgorithm::Gost2001
            } else if set.bits() == 512 {
                ContainerAlgorithm::Gost2012_512
            } else {
                ContainerAlgorithm::Gost2012_256
            };
            assert_eq!(c.algorithm(), alg, "{label}");
            assert_eq!(c.has_pin(), !pin.is_empty(), "{label}");
            assert_eq!(c.param_set(), set, "{label}");
            assert_eq!(c.curve_oid().to_string(), set.oid(), "{label}");
            assert_eq!(c.to_files().unwrap(), files, "{label}: re-encode");
            let k = c.unlock(pin).unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_eq!(
                &k.signing_key().to_bytes()[..],
                &key.to_bytes()[..],
                "{label}"
            );
            if pin.is_empty() {
                assert_eq!(kind(c.unlock(b"x")), ErrorKind::WrongPassword, "{label}");
            } else {
                assert_eq!(kind(c.unlock(b"")), ErrorKind::PasswordRequired, "{label}");
                assert_eq!(
                    kind(c.unlock(b"1234567")),
                    ErrorKind::WrongPassword,
                    "{label}"
                );
                let hdr = HeaderFile::parse(&files.header).unwrap();
                assert_ne!(hdr.content.hmac_password.as_deref(), Some(&[0u8; 4][..]));
            }
            let sig = k.sign_message(b"round trip").unwrap();
            key.verifying_key()
                .verify(b"round trip", sig.as_bytes())
                .unwrap();
        }
    }
}

#[test]
fn writer_options_and_refusals() {
    let key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let mut rng = Stream { seed: 99, ctr: 0 };
    // A signature key, non-exportable, without reserve copy.
    let files = ContainerWriter::new(&key, "sig")
        .exchange(false)
        .exportable(false)
        .reserve_copy(false)
        .write(&mut rng)
        .unwrap();
    assert!(files.primary2.is_none() && files.masks2.is_none());
    let c = Container::from_files(&files).unwrap();
    assert!(!c.exportable() && !c.exchange() && !c.has_reserve_copy());
    assert_eq!(c.algorithm_oid().to_string(), "1.2.643.7.1.1.1.1");
    let hdr = HeaderFile::parse(&files.header).unwrap();
    // pkaExportable unset, pkaExchange unset: an empty named bit list.
    assert_eq!(hdr.content.primary_key.attributes.bytes(), [] as [u8; 0]);
    let k = c.unlock(b"").unwrap();
    assert_eq!(kind(k.to_pkcs8().map(|_| ())), ErrorKind::Unsupported);
    assert!(matches!(k.to_pkcs8(), Err(ContainerError::NotExportable)));
    // A signature-only exportable key has the bit string 03 02 07 80.
    let files = ContainerWriter::new(&key, "sig")
        .exchange(false)
        .write(&mut rng)
        .unwrap();
    let hdr = HeaderFile::parse(&files.header).unwrap();
    let pk = &hdr.content.primary_key.attributes;
    assert_eq!((pk.unused_bits(), pk.bytes()), (7, &[0x80][..]));

    // 2001 needs an RFC 4357 curve; a certificate for another key is refused; names are ASCII.
    let r = ContainerWriter::new(&key, "x").gost2001().write(&mut rng);
    assert_eq!(kind(r), ErrorKind::InvalidArgument);
    let other = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let cert = self_signed(&other, "other");
    let r = ContainerWriter::new(&key, "x")
        .certificate(Some(cert.der()))
        .write(&mut rng);
    assert_eq!(kind(r), ErrorKind::KeyMismatch);
    assert_eq!(
        kind(ContainerWriter::new(&key, "имя").write(&mut rng)),
        ErrorKind::InvalidArgument
    );
    // A random source that fails, or that never gives a valid mask.
    let mut empty = Fixed {
        bytes: Vec::new(),
        pos: 0,
    };
    assert_eq!(
        kind(ContainerWriter::new(&key, "x").write(&mut empty)),
        ErrorKind::RandomFailed
    );
    let mut zeros = Fixed {
        bytes: vec![0; 100_000],
        pos: 0,
    };
    assert_eq!(
        kind(ContainerWriter::new(&key, "x").write(&mut zeros)),
        ErrorKind::RandomFailed
    );
    // The OS source works.
    let files = ContainerWriter::new(&key, "os")
        .pin(b"1")
        .write(&mut gostkit::container::OsRandom)
        .unwrap();
    Container::from_files(&files).unwrap().unlock(b"1").unwrap();
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn write_dir_and_open() {
    let key = SigningKey::generate(ParamSet::Tc26_512B).unwrap();
    let files = ContainerWriter::new(&key, "disk")
        .pin(b"0000")
        .write(&mut Stream { seed: 7, ctr: 0 })
        .unwrap();
    let root = temp_dir("dir");
    let dir = root.join("disk.000");
    files.write_dir(&dir).unwrap();
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        for f in [
            "header.key",
            "primary.key",
            "primary2.key",
            "masks.key",
            "masks2.key",
            "name.key",
        ] {
            assert_eq!(mode(&dir.join(f)), 0o600, "{f}");
        }
    }
    let c = Container::open(&dir).unwrap();
    assert_eq!(c.name().as_deref(), Some("disk"));
    c.unlock(b"0000").unwrap();
    // Missing files.
    std::fs::remove_file(dir.join("masks2.key")).unwrap();
    assert!(matches!(
        Container::open(&dir),
        Err(ContainerError::MissingFile("masks2.key"))
    ));
    std::fs::remove_file(dir.join("primary2.key")).unwrap();
    Container::open(&dir).unwrap().unlock(b"0000").unwrap();
    std::fs::remove_file(dir.join("masks.key")).unwrap();
    let e = Container::open(&dir).unwrap_err();
    assert!(matches!(e, ContainerError::MissingFile("masks.key")));
    assert_eq!(e.kind(), ErrorKind::Io);
    assert_eq!(kind(Container::open(root.join("nothing"))), ErrorKind::Io);
    // An oversized file is refused before it is read.
    std::fs::write(dir.join("masks.key"), vec![0u8; 5000]).unwrap();
    assert!(matches!(
        Container::open(&dir),
        Err(ContainerError::TooLarge {
            file: "masks.key",
            ..
        })
    ));
    let _ = std::fs::remove_dir_all(&root);
}

// ---- key store -------------------------------------------------------------------------------

#[test]
fn key_store_lists_finds_and_stores_certificates() {
    let root = temp_dir("store");
    let keys: Vec<SigningKey> = [
        ParamSet::Tc26_256A,
        ParamSet::CryptoProXchA,
        ParamSet::Tc26_512A,
    ]
    .into_iter()
    .map(|s| SigningKey::generate(s).unwrap())
    .collect();
    let mut rng = Stream { seed: 3, ctr: 0 };
    for (i, k) in keys.iter().enumerate() {
        Container::create(k, None, b"", &format!("k{i}"), true, &mut rng)
            .unwrap()
            .write_dir(&root.join(format!("k{i}.000")))
            .unwrap();
    }
    // The sample too, and a directory that is not a container, and a broken one.
    let sample = root.join("srv.000");
    sample_files().write_dir(&sample).unwrap();
    std::fs::create_dir(root.join("empty")).unwrap();
    std::fs::create_dir(root.join("broken.000")).unwrap();
    std::fs::write(root.join("broken.000/header.key"), b"\x30\x00").unwrap();

    let store = KeyStore::new(&root);
    let list = store.list().unwrap();
    let names: Vec<String> = list
        .iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["broken.000", "k0.000", "k1.000", "k2.000", "srv.000"]
    );
    assert!(list[0].1.is_err());
    assert!(list[1..].iter().all(|(_, c)| c.is_ok()));

    // find: by certificate, for each key; the sample by its own certificate.
    for (i, k) in keys.iter().enumerate() {
        let cert = self_signed(k, &format!("k{i}"));
        let (path, c) = store.find_certificate(&cert).unwrap().expect("found");
        assert_eq!(path, root.join(format!("k{i}.000")));
        assert!(c.certificate_der().is_none());
        // store the certificate into its header.key, then it is reported and still unlocks.
        KeyStore::store_certificate(&path, cert.der()).unwrap();
        let c = Container::open(&path).unwrap();
        assert_eq!(c.certificate_der(), Some(cert.der()));
        c.unlock(b"").unwrap();
        #[cfg(unix)]
        assert_eq!(mode(&path.join("header.key")), 0o600);
    }
    let sample_cert = Container::open(sample_dir())
        .unwrap()
        .certificate()
        .unwrap()
        .unwrap();
    let (path, _) = store.find_certificate(&sample_cert).unwrap().unwrap();
    assert_eq!(path, sample);
    // A key not in the store; a certificate for another key cannot be stored.
    let stranger = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let cert = self_signed(&stranger, "stranger");
    assert!(store.find_certificate(&cert).unwrap().is_none());
    assert_eq!(
        kind(KeyStore::store_certificate(
            &root.join("k0.000"),
            cert.der()
        )),
        ErrorKind::KeyMismatch
    );
    assert_eq!(
        kind(KeyStore::store_certificate(&root.join("k0.000"), b"junk")),
        ErrorKind::InvalidArgument
    );
    assert_eq!(kind(KeyStore::new(root.join("none")).list()), ErrorKind::Io);
    let _ = std::fs::remove_dir_all(&root);
}

// ---- hostile input ---------------------------------------------------------------------------

/// Applies `f` to a copy of the file `which` of `files`.
fn with_file(files: &ContainerFiles, which: usize, f: impl FnOnce(&mut Vec<u8>)) -> ContainerFiles {
    let mut out = files.clone();
    match which {
        0 => f(&mut out.header),
        1 => f(&mut out.primary),
        2 => f(&mut out.masks),
        3 => f(out.primary2.as_mut().unwrap()),
        4 => f(out.masks2.as_mut().unwrap()),
        _ => f(out.name.as_mut().unwrap()),
    }
    out
}

fn file_len(files: &ContainerFiles, which: usize) -> usize {
    [
        files.header.len(),
        files.primary.len(),
        files.masks.len(),
        files.primary2.as_ref().unwrap().len(),
        files.masks2.as_ref().unwrap().len(),
        files.name.as_ref().unwrap().len(),
    ][which]
}

/// What a damaged container gives: an error at open, or at unlock.
fn open_and_unlock(files: &ContainerFiles, pin: &[u8]) -> Result<(), ContainerError> {
    Container::from_files(files)?.unlock(pin).map(|_| ())
}

#[test]
fn truncated_files_give_typed_errors() {
    let files = sample_files();
    for which in 0..6 {
        for cut in 0..file_len(&files, which) {
            let bad = with_file(&files, which, |v| v.truncate(cut));
            let e = open_and_unlock(&bad, b"").expect_err("truncated file accepted");
            assert_eq!(
                e.kind(),
                ErrorKind::Malformed,
                "file {which} cut at {cut}: {e}"
            );
        }
    }
}

#[test]
fn bit_flips_give_typed_errors() {
    let files = sample_files();
    for which in 0..6 {
        for i in 0..file_len(&files, which) {
            for bit in 0..8 {
                let bad = with_file(&files, which, |v| v[i] ^= 1 << bit);
                let Err(e) = open_and_unlock(&bad, b"") else {
                    // name.key's string tag may turn into another string type; nothing else.
                    assert!(
                        which == 5,
                        "flip of file {which} byte {i} bit {bit} accepted"
                    );
                    continue;
                };
                let k = e.kind();
                let expected: &[ErrorKind] = match which {
                    // header: a MAC mismatch, or the structure/algorithm refused
                    0 => &[
                        ErrorKind::AuthFailed,
                        ErrorKind::Malformed,
                        ErrorKind::Unsupported,
                    ],
                    // primary.key: decrypts to another key: the fingerprint check fails
                    1 => &[ErrorKind::WrongPassword, ErrorKind::Malformed],
                    // masks: the mask MAC; a flipped mask MAC
                    2 | 4 => &[ErrorKind::AuthFailed, ErrorKind::Malformed],
                    // primary2.key: the reserve copy differs
                    3 => &[ErrorKind::AuthFailed, ErrorKind::Malformed],
                    _ => &[ErrorKind::Malformed],
                };
                assert!(
                    expected.contains(&k),
                    "file {which} byte {i} bit {bit}: {k:?} ({e})"
                );
            }
        }
    }
}

#[test]
fn altered_fields_are_caught() {
    let files = sample_files();
    // The header MAC.
    let bad = with_file(&files, 0, |v| {
        let n = v.len();
        v[n - 1] ^= 1;
    });
    assert!(matches!(
        Container::from_files(&bad),
        Err(ContainerError::Integrity {
            file: "header.key",
            ..
        })
    ));
    // The mask MAC.
    let bad = with_file(&files, 2, |v| {
        let n = v.len();
        v[n - 1] ^= 1;
    });
    assert!(matches!(
        Container::from_files(&bad),
        Err(ContainerError::Integrity {
            file: "masks.key",
            ..
        })
    ));
    // primary2 from another container: a reserve copy of another key.
    let key = SigningKey::generate(ParamSet::CryptoProXchA).unwrap();
    let other =
        Container::create(&key, None, b"", "o", true, &mut Stream { seed: 1, ctr: 0 }).unwrap();
    let mut mixed = files.clone();
    mixed.primary2 = other.primary2.clone();
    mixed.masks2 = other.masks2.clone();
    let e = open_and_unlock(&mixed, b"").unwrap_err();
    assert!(
        matches!(
            e,
            ContainerError::Integrity {
                file: "primary2.key",
                ..
            }
        ),
        "{e}"
    );
    // A 512-bit mask in a 256-bit container.
    let big = Container::create(
        &SigningKey::generate(ParamSet::Tc26_512A).unwrap(),
        None,
        b"",
        "b",
        true,
        &mut Stream { seed: 2, ctr: 0 },
    )
    .unwrap();
    let mut mixed = files.clone();
    mixed.masks = big.masks.clone();
    assert_eq!(kind(Container::from_files(&mixed)), ErrorKind::Malformed);
}

#[test]
fn unknown_fields_are_kept() {
    // A [20] field after the fingerprint and an extra element after the MAC in header.key, a
    // fourth element in masks.key, a second string in name.key: parsed and written back as read.
    let files = sample_files();
    let hdr = HeaderFile::parse(&files.header).unwrap();
    let mut content = hdr.content.clone();
    let at = content.unknown.len();
    assert_eq!(at, 0);
    content.unknown.push((
        6,
        gostkit::container::format::RawField {
            tag: der::Tag::ContextSpecific {
                constructed: false,
                number: der::TagNumber(20),
            },
            value: vec![1, 2, 3],
        },
    ));
    let der = content.to_der().unwrap();
    let mut body = der.clone();
    body.extend_from_slice(&[0x04, 0x04, 1, 2, 3, 4, 0x05, 0x00]);
    let mut file = vec![0x30, 0x82];
    file.extend_from_slice(&(body.len() as u16).to_be_bytes());
    file.extend_from_slice(&body);
    let again = HeaderFile::parse(&file).unwrap();
    assert_eq!(again.content.unknown, content.unknown);
    assert_eq!(again.to_der().unwrap(), file);
    // The [20] sits after the sixth known field ([10] primaryFP), before [12].
    let pos = der
        .windows(5)
        .position(|w| w == [0x94, 0x03, 1, 2, 3])
        .unwrap();
    let fp = der.windows(2).position(|w| w == [0x8a, 0x08]).unwrap();
    let ext = der.windows(1).rposition(|w| w == [0xac]).unwrap();
    assert!(fp < pos && pos < ext);

    let mut masks = files.masks.to_vec();
    masks[1] += 3;
    masks.extend_from_slice(&[0x02, 0x01, 0x07]);
    let m = MasksFile::parse("masks.key", &masks).unwrap();
    assert_eq!(m.rest.len(), 1);
    assert_eq!(&m.to_der().unwrap()[..], &masks[..]);

    let name = [
        0x30, 0x0a, 0x16, 0x03, b's', b'r', b'v', 0x0c, 0x03, b'a', b'b', b'c',
    ];
    let n = NameFile::parse(&name).unwrap();
    assert_eq!(n.name(), "srv");
    assert_eq!(n.to_der().unwrap(), name);

    // primary.key in the [0]-tagged form: the tagged value is the key.
    let p = PrimaryFile::parse("primary.key", &files.primary).unwrap();
    let mut tagged = vec![0x30, 0x44, 0x04, 0x20];
    tagged.extend_from_slice(&[0u8; 32]);
    tagged.extend_from_slice(&[0x80, 0x20]);
    tagged.extend_from_slice(&p.value);
    let t = PrimaryFile::parse("primary.key", &tagged).unwrap();
    assert_eq!(t.key_bytes("primary.key").unwrap(), &p.value[..]);
    assert_eq!(&t.to_der().unwrap()[..], &tagged[..]);
    let mut alt = files.clone();
    alt.primary = zeroize::Zeroizing::new(tagged);
    Container::from_files(&alt).unwrap().unlock(b"").unwrap();
}

#[test]
fn hostile_structures() {
    let cases: &[(&str, &[u8])] = &[
        ("empty", b""),
        ("not a sequence", b"\x04\x00"),
        ("trailing", b"\x30\x00\x00"),
        ("huge length", b"\x30\x84\xff\xff\xff\xff"),
        ("indefinite", b"\x30\x80\x00\x00"),
    ];
    for (what, der) in cases {
        assert!(HeaderFile::parse(der).is_err(), "{what}");
        assert!(MasksFile::parse("masks.key", der).is_err(), "{what}");
        assert!(PrimaryFile::parse("primary.key", der).is_err(), "{what}");
        assert!(NameFile::parse(der).is_err(), "{what}");
    }
    // Too many elements.
    let mut many = vec![0x30, 0x81, 0xc8];
    for _ in 0..100 {
        many.extend_from_slice(&[0x05, 0x00]);
    }
    assert_eq!(kind(HeaderFile::parse(&many)), ErrorKind::Malformed);
    // Wrong salt length.
    let mut m = vec![0x30, 0x35, 0x04, 0x20];
    m.extend_from_slice(&[1u8; 32]);
    m.extend_from_slice(&[0x04, 0x0b]);
    m.extend_from_slice(&[2u8; 11]);
    m.extend_from_slice(&[0x04, 0x04, 0, 0, 0, 0]);
    assert!(matches!(
        MasksFile::parse("masks.key", &m),
        Err(ContainerError::Malformed {
            what: "the salt is not 12 bytes",
            ..
        })
    ));
    // Oversized header.
    assert!(matches!(
        HeaderFile::parse(&vec![0u8; 300 * 1024]),
        Err(ContainerError::TooLarge { .. })
    ));
    // Fields out of order: attributes before the container algorithm.
    let files = sample_files();
    let hdr = HeaderFile::parse(&files.header).unwrap();
    let der = hdr.content_der();
    // content = 30 82 05 90 | a0 0a .. | 03 02 06 40 | ...: swap the first two fields.
    let mut body = Vec::new();
    body.extend_from_slice(&der[16..20]);
    body.extend_from_slice(&der[4..16]);
    body.extend_from_slice(&der[20..]);
    let mut content = vec![0x30, 0x82, 0x05, 0x90];
    content.extend_from_slice(&body);
    let mut file = vec![0x30, 0x82, 0x05, 0x9a];
    file.extend_from_slice(&content);
    file.extend_from_slice(&[0x04, 0x04, 0, 0, 0, 0]);
    assert!(matches!(
        HeaderFile::parse(&file),
        Err(ContainerError::Malformed {
            what: "keyContainerContent fields out of order or repeated",
            ..
        })
    ));
}
