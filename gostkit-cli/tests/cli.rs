//! The `gostkit hash` command line against CLI.md: output format, vectors, stdin, exit codes, and a
//! cross-check with the reference peer (OpenSSL + gost-engine) when it is installed.
//!
//! Vectors (byte strings; the RFCs print big-endian numbers, reversed here as
//! test-vectors/README.md says): RFC 6986 §10.1 example 1 (M1, Streebog-512 and -256) and
//! RFC 5831 §7.3.2 (GOST R 34.11-94, CryptoPro parameters, the 32-byte message).

#[path = "../../tests/common/mod.rs"]
mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use common::peer::Peer;

const M1: &str = "012345678901234567890123456789012345678901234567890123456789012";
const M1_512: &str = "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa\
                      00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48";
const M1_256: &str = "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500";
const GOST94_MSG: &str = "This is message, length=32 bytes";
const GOST94_DIGEST: &str = "2cefc2f7b7bdc514e18ea57fa74ff357e7fa17d652c75f69cb1be7893ede48eb";

fn gostkit(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gostkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gostkit");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("wait gostkit")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A file with `content` in this test binary's scratch directory.
fn scratch(name: &str, content: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("scratch file");
    path
}

#[test]
fn hash_vectors_of_files() {
    let m1 = scratch("m1.txt", M1.as_bytes());
    let m1 = m1.to_str().expect("UTF-8 path");
    let g = scratch("gost94.txt", GOST94_MSG.as_bytes());
    let g = g.to_str().expect("UTF-8 path");
    for (args, expected) in [
        (vec!["hash", m1], format!("{M1_256}  {m1}\n")),
        (
            vec!["hash", "--alg", "streebog256", m1],
            format!("{M1_256}  {m1}\n"),
        ),
        (
            vec!["hash", "--alg", "streebog512", m1],
            format!("{M1_512}  {m1}\n"),
        ),
        (
            vec!["hash", "--alg", "gost94", g],
            format!("{GOST94_DIGEST}  {g}\n"),
        ),
        (
            vec!["hash", "--alg", "streebog512", m1, m1],
            format!("{M1_512}  {m1}\n{M1_512}  {m1}\n"),
        ),
    ] {
        let out = gostkit(&args, b"");
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), expected, "{args:?}");
        assert!(out.stderr.is_empty());
    }
}

#[test]
fn hash_stdin() {
    let out = gostkit(&["hash"], M1.as_bytes());
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), format!("{M1_256}  -\n"));
    let out = gostkit(&["hash", "--alg", "streebog512", "-"], M1.as_bytes());
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), format!("{M1_512}  -\n"));
}

#[test]
fn hash_large_input_streams_across_chunks() {
    // 200 000 bytes spans several 64 KiB chunks; must equal the library's one-shot digest.
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let path = scratch("large.bin", &data);
    let path = path.to_str().expect("UTF-8 path");
    let out = gostkit(&["hash", "--alg", "streebog512", path], b"");
    assert!(out.status.success());
    let expected = hex::encode(gostkit::hash::Streebog512::digest(&data));
    assert_eq!(text(&out.stdout), format!("{expected}  {path}\n"));
}

#[test]
fn missing_file_among_good_ones() {
    let m1 = scratch("m1-b.txt", M1.as_bytes());
    let m1 = m1.to_str().expect("UTF-8 path");
    let missing = "/nonexistent/gostkit-test-missing";
    let out = gostkit(&["hash", m1, missing, m1], b"");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stdout),
        format!("{M1_256}  {m1}\n{M1_256}  {m1}\n")
    );
    let err = text(&out.stderr);
    assert!(err.starts_with("error: io: "), "{err}");
    assert!(err.contains(missing), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["hash", "--alg", "sha256"],
        vec!["hash", "--alg"],
        vec!["hash", "--bogus"],
        vec!["frobnicate"],
        vec![],
    ] {
        let out = gostkit(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            text(&out.stderr).starts_with("error: usage: "),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn cross_check_with_openssl_gost_engine() {
    let peer = match Peer::find("cli-hash") {
        Ok(peer) => peer,
        Err(why) => {
            println!("SKIPPED: OpenSSL gost-engine cross-check: {why}");
            return;
        }
    };
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new(), b"abc".to_vec(), M1.as_bytes().to_vec()];
    inputs.push(
        (0..100_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect(),
    );
    for (i, data) in inputs.iter().enumerate() {
        let path = scratch(&format!("peer-{i}.bin"), data);
        let path = path.to_str().expect("UTF-8 path");
        for (alg, md) in [
            ("streebog256", "-md_gost12_256"),
            ("streebog512", "-md_gost12_512"),
            ("gost94", "-md_gost94"),
        ] {
            if alg == "gost94" && data.is_empty() {
                // gost-engine's md_gost94 of the empty message differs from the value other
                // implementations (BouncyCastle, RustCrypto gost94, rhash) publish; not compared.
                println!("note: gost94 of the empty message not compared with gost-engine");
                continue;
            }
            let digest = peer
                .openssl(&["dgst", md, "-r", path])
                .unwrap_or_else(|e| panic!("{e}"));
            let peer_hex = text(&digest)
                .split_whitespace()
                .next()
                .expect("openssl digest")
                .to_owned();
            let ours = gostkit(&["hash", "--alg", alg, path], b"");
            assert!(ours.status.success());
            assert_eq!(
                text(&ours.stdout),
                format!("{peer_hex}  {path}\n"),
                "{alg} input {i}"
            );
        }
    }
}
