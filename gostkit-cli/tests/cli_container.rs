//! `gostkit container show|export|create|find` (CLI.md): the real sample container of
//! `test-vectors/cryptopro/`, containers created by the command line with and without PIN, the
//! exit codes and error tokens, and the 0600 file modes.

#[path = "../../tests/common/cli.rs"]
mod cli;
#[path = "../../tests/common/mod.rs"]
mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use cli::{gostkit, gostkit_with};
use gostkit::asn1::{GostPrivateKey, pbes2};

const SAMPLE_D_BE: &str = "e4bbf23e0970eb1b6e01d65edaf10ed35891491f9e8b812a36175523f7e7593e";

fn sample() -> String {
    s(&common::repo_root().join("test-vectors/cryptopro/91team-srv000-2012-256-nginx_gost"))
}

fn scratch(tag: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-container-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn d_be(pem: &[u8]) -> String {
    let k = GostPrivateKey::decode(pem)
        .expect("PKCS#8")
        .to_signing_key()
        .unwrap();
    let mut d = k.to_bytes().to_vec();
    d.reverse();
    hex::encode(d)
}

#[test]
fn show_the_sample() {
    let run = gostkit(&["container", "show", &sample(), "--json"]).ok("show --json");
    let json = String::from_utf8(run.stdout).unwrap();
    for part in [
        "\"name\": \"srv\"",
        "\"algorithm_oid\": \"1.2.643.7.1.1.6.1\"",
        "\"curve_oid\": \"1.2.643.2.2.36.0\"",
        "\"digest_oid\": \"1.2.643.7.1.1.2.2\"",
        "\"exportable\": true",
        "\"has_pin\": false",
        "\"fingerprint\": \"aefa90609ba04209\"",
        "\"certificate_subject\": \"CN=test.91.gost.dev\"",
    ] {
        assert!(json.contains(part), "{part} not in {json}");
    }
    assert!(json.trim_end().starts_with('{') && json.trim_end().ends_with('}'));
    let run = gostkit(&["container", "show", &sample()]).ok("show");
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(
        text.contains("name: srv\n") && text.contains("has PIN: no\n"),
        "{text}"
    );
    assert!(
        text.contains("certificate: CN=test.91.gost.dev\n"),
        "{text}"
    );
}

#[test]
fn export_the_sample() {
    let dir = scratch("export");
    let key = dir.join("srv.key");
    let cert = dir.join("srv.pem");
    gostkit(&[
        "container",
        "export",
        &sample(),
        "--out",
        &s(&key),
        "--out-cert",
        &s(&cert),
    ])
    .ok("export");
    assert_eq!(mode(&key), 0o600);
    let pem = std::fs::read(&key).unwrap();
    assert!(pem.starts_with(b"-----BEGIN PRIVATE KEY-----"));
    assert_eq!(d_be(&pem), SAMPLE_D_BE);
    let c = gostkit::x509::Certificate::decode(&std::fs::read(&cert).unwrap()).unwrap();
    assert_eq!(
        gostkit::x509::name::to_rfc4514(c.subject()),
        "CN=test.91.gost.dev"
    );
    // Encrypted with --key-pass-env; a PIN where there is none is a wrong PIN.
    gostkit_with(
        &[
            "container",
            "export",
            &sample(),
            "--out",
            &s(&key),
            "--key-pass-env",
            "KP",
        ],
        &[("KP", "ключ")],
        None,
    )
    .ok("export encrypted");
    let pem = std::fs::read(&key).unwrap();
    assert!(pem.starts_with(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let k = pbes2::decrypt_pkcs8(&pem, "ключ".as_bytes()).unwrap();
    let mut d = k.to_signing_key().unwrap().to_bytes().to_vec();
    d.reverse();
    assert_eq!(hex::encode(d), SAMPLE_D_BE);
    gostkit_with(
        &[
            "container",
            "export",
            &sample(),
            "--pass-env",
            "P",
            "--out",
            &s(&key),
        ],
        &[("P", "1234")],
        None,
    )
    .fails(1, "wrong-password", "PIN on a PIN-less container");
    gostkit(&["container", "export", &sample()]).fails(2, "usage", "no --out");
}

#[test]
fn create_then_show_export_and_find() {
    let dir = scratch("create");
    let key = dir.join("k.key");
    let cert = dir.join("k.pem");
    gostkit(&["genkey", "--curve", "tc26-512-a", "--out", &s(&key)]).ok("genkey");
    gostkit(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &s(&key),
        "--subject",
        "/CN=Container Test",
        "--out",
        &s(&cert),
    ])
    .ok("self-signed");
    let store = dir.join("keys");
    std::fs::create_dir_all(&store).unwrap();
    let cont = store.join("mykey.000");
    gostkit_with(
        &[
            "container",
            "create",
            "--key",
            &s(&key),
            "--cert",
            &s(&cert),
            "--pass-env",
            "PIN",
            "--out",
            &s(&cont),
        ],
        &[("PIN", "пин-код")],
        None,
    )
    .ok("create");
    for f in [
        "header.key",
        "primary.key",
        "primary2.key",
        "masks.key",
        "masks2.key",
        "name.key",
    ] {
        assert_eq!(mode(&cont.join(f)), 0o600, "{f}");
    }
    let run = gostkit(&["container", "show", &s(&cont), "--json"]).ok("show");
    let json = String::from_utf8(run.stdout).unwrap();
    for part in [
        "\"name\": \"mykey\"",
        "\"algorithm_oid\": \"1.2.643.7.1.1.6.2\"",
        "\"curve_oid\": \"1.2.643.7.1.2.1.2.1\"",
        "\"digest_oid\": \"1.2.643.7.1.1.2.3\"",
        "\"has_pin\": true",
        "\"certificate_subject\": \"CN=Container Test\"",
    ] {
        assert!(json.contains(part), "{part} not in {json}");
    }
    // Export: the PIN is needed and must be right; then it is the key given.
    let out = dir.join("out.key");
    gostkit(&["container", "export", &s(&cont), "--out", &s(&out)]).fails(
        2,
        "password-required",
        "no PIN",
    );
    gostkit_with(
        &[
            "container",
            "export",
            &s(&cont),
            "--pass-env",
            "PIN",
            "--out",
            &s(&out),
        ],
        &[("PIN", "пин-кот")],
        None,
    )
    .fails(1, "wrong-password", "wrong PIN");
    assert!(!out.exists(), "nothing written on a wrong PIN");
    gostkit_with(
        &[
            "container",
            "export",
            &s(&cont),
            "--pass-env",
            "PIN",
            "--out",
            &s(&out),
        ],
        &[("PIN", "пин-код")],
        None,
    )
    .ok("export");
    assert_eq!(
        d_be(&std::fs::read(&out).unwrap()),
        d_be(&std::fs::read(&key).unwrap())
    );

    // find: the sample sits beside it; a certificate of another key matches nothing.
    let copy = store.join("srv.000");
    std::fs::create_dir_all(&copy).unwrap();
    for f in std::fs::read_dir(sample()).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, copy.join(f.file_name().unwrap())).unwrap();
    }
    let run = gostkit(&[
        "container",
        "find",
        "--dir",
        &s(&store),
        "--cert",
        &s(&cert),
    ])
    .ok("find");
    assert_eq!(String::from_utf8(run.stdout).unwrap().trim_end(), s(&cont));
    let srv_cert = dir.join("srv.pem");
    gostkit(&[
        "container",
        "export",
        &s(&copy),
        "--out",
        &s(&dir.join("srv.key")),
        "--out-cert",
        &s(&srv_cert),
    ])
    .ok("export sample");
    let run = gostkit(&[
        "container",
        "find",
        "--dir",
        &s(&store),
        "--cert",
        &s(&srv_cert),
    ])
    .ok("find sample");
    assert_eq!(String::from_utf8(run.stdout).unwrap().trim_end(), s(&copy));
    let other = dir.join("other.key");
    let other_cert = dir.join("other.pem");
    gostkit(&["genkey", "--curve", "tc26-256-a", "--out", &s(&other)]).ok("genkey");
    gostkit(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &s(&other),
        "--subject",
        "/CN=Other",
        "--out",
        &s(&other_cert),
    ])
    .ok("other cert");
    gostkit(&[
        "container",
        "find",
        "--dir",
        &s(&store),
        "--cert",
        &s(&other_cert),
    ])
    .fails(1, "key-mismatch", "no container");

    // create refusals: an existing container, a certificate of another key.
    gostkit(&["container", "create", "--key", &s(&key), "--out", &s(&cont)]).fails(
        2,
        "usage",
        "existing container",
    );
    gostkit(&[
        "container",
        "create",
        "--key",
        &s(&key),
        "--cert",
        &s(&other_cert),
        "--out",
        &s(&store.join("bad.000")),
    ])
    .fails(1, "key-mismatch", "certificate of another key");
}

#[test]
fn non_exportable_and_damaged_containers() {
    let dir = scratch("damaged");
    let key = dir.join("k.key");
    gostkit(&["genkey", "--curve", "cryptopro-a", "--out", &s(&key)]).ok("genkey");
    let cont = dir.join("ne.000");
    gostkit(&[
        "container",
        "create",
        "--key",
        &s(&key),
        "--name",
        "ne",
        "--non-exportable",
        "--out",
        &s(&cont),
    ])
    .ok("create non-exportable");
    let run = gostkit(&["container", "show", &s(&cont), "--json"]).ok("show");
    let json = String::from_utf8(run.stdout).unwrap();
    assert!(json.contains("\"exportable\": false") && json.contains("\"name\": \"ne\""));
    assert!(json.contains("\"certificate_subject\": null"), "{json}");
    gostkit(&[
        "container",
        "export",
        &s(&cont),
        "--out",
        &s(&dir.join("o.key")),
    ])
    .fails(2, "unsupported", "non-exportable");
    // A flipped header byte: the header MAC; a missing directory; a missing file.
    let mut h = std::fs::read(cont.join("header.key")).unwrap();
    let n = h.len();
    h[n - 1] ^= 1;
    std::fs::write(cont.join("header.key"), &h).unwrap();
    gostkit(&["container", "show", &s(&cont)]).fails(1, "mac-mismatch", "altered header");
    gostkit(&["container", "show", &s(&dir.join("none"))]).fails(2, "io", "no directory");
    std::fs::write(cont.join("header.key"), b"\x30\x03\x02\x01\x00").unwrap();
    gostkit(&["container", "show", &s(&cont)]).fails(2, "malformed", "junk header");
    gostkit(&["container"]).fails(2, "usage", "no action");
    gostkit(&["container", "show"]).fails(2, "usage", "no directory");
    let help = gostkit(&["container", "--help"]).ok("help");
    assert!(
        String::from_utf8(help.stdout)
            .unwrap()
            .contains("container find --dir KEYDIR --cert CERT")
    );
}
