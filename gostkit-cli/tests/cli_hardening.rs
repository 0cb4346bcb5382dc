//! Issue 9 hardening of the files the command line writes (CLI.md, "File modes" and
//! "Inputs"): secret outputs are 0600 whatever the umask, `cms decrypt` writes through an
//! unpredictable, exclusive temporary file that never survives a failure or SIGINT/SIGTERM,
//! a missing `--in` reads standard input, and `cms verify` reports a failing signer once.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_gostkit");

fn scratch(tag: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-hardening-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// gostkit run by `sh` under umask 022, with `env` set and `stdin` fed.
fn gostkit_umask(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("run gostkit");
    if let Some(data) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(data).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn ok_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let o = gostkit_umask(args, env, None);
    assert!(
        o.status.success(),
        "gostkit {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn ok(args: &[&str]) -> Output {
    ok_env(args, &[])
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

fn assert_mode(p: &Path, want: u32) {
    assert_eq!(
        mode(p),
        want,
        "{}: mode {:o}, want {want:o}",
        p.display(),
        mode(p)
    );
}

/// A key and its self-signed certificate in `d` (`NAME.key`, `NAME.pem`).
fn party(d: &Path, name: &str, cn: &str) -> (String, String) {
    let (key, cert) = (
        s(&d.join(format!("{name}.key"))),
        s(&d.join(format!("{name}.pem"))),
    );
    ok(&["genkey", "--curve", "tc26-256-a", "--out", &key]);
    ok(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &key,
        "--subject",
        &format!("/CN={cn}/O=gostkit hardening"),
        "--out",
        &cert,
    ]);
    (key, cert)
}

#[test]
fn secret_outputs_are_0600_and_public_outputs_follow_the_umask() {
    let d = scratch("modes");
    let (key, cert) = party(&d, "me", "Hardening Test");
    assert_mode(Path::new(&key), 0o600);
    assert_mode(Path::new(&cert), 0o644);

    let csr = d.join("me.csr");
    ok(&[
        "req",
        "--key",
        &key,
        "--subject",
        "/CN=Request",
        "--out",
        &s(&csr),
    ]);
    assert_mode(&csr, 0o644);

    let data = d.join("data.txt");
    std::fs::write(&data, b"statement of settlements").unwrap();
    let sig = d.join("data.sig");
    ok(&["sign", "--key", &key, "--in", &s(&data), "--out", &s(&sig)]);
    assert_mode(&sig, 0o644);

    let env = [("PFX_PASS", "пароль")];
    let pfx = d.join("me.pfx");
    ok_env(
        &[
            "pfx",
            "export",
            "--cert",
            &cert,
            "--key",
            &key,
            "--pass-env",
            "PFX_PASS",
            "--out",
            &s(&pfx),
        ],
        &env,
    );
    assert_mode(&pfx, 0o600);
    let (ikey, icert) = (d.join("imported.key"), d.join("imported.pem"));
    ok_env(
        &[
            "pfx",
            "import",
            "--in",
            &s(&pfx),
            "--pass-env",
            "PFX_PASS",
            "--out-key",
            &s(&ikey),
            "--out-cert",
            &s(&icert),
        ],
        &env,
    );
    assert_mode(&ikey, 0o600);
    assert_mode(&icert, 0o644);

    let (msg, plain) = (d.join("msg.p7m"), d.join("plain.txt"));
    ok(&[
        "cms",
        "encrypt",
        "--recipient",
        &cert,
        "--in",
        &s(&data),
        "--out",
        &s(&msg),
    ]);
    assert_mode(&msg, 0o644);
    ok(&[
        "cms",
        "decrypt",
        "--cert",
        &cert,
        "--key",
        &key,
        "--in",
        &s(&msg),
        "--out",
        &s(&plain),
    ]);
    assert_eq!(std::fs::read(&plain).unwrap(), b"statement of settlements");
    assert_mode(&plain, 0o600);

    let demo = d.join("demo");
    ok(&["demo", "--out-dir", &s(&demo)]);
    for k in ["taxpayer.key", "inspection.key"] {
        assert_mode(&demo.join(k), 0o600);
    }
    for p in [
        "root.pem",
        "ca.pem",
        "taxpayer.pem",
        "inspection.pem",
        "request.p7m",
    ] {
        assert_mode(&demo.join(p), 0o644);
    }
}

#[test]
fn an_existing_0644_file_overwritten_with_a_secret_ends_0600() {
    let d = scratch("existing");
    let key = d.join("old.key");
    std::fs::write(&key, b"an old public file\n").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok(&["genkey", "--curve", "tc26-256-b", "--out", &s(&key)]);
    assert_mode(&key, 0o600);
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");

    // The same for a PFX written over an existing 0644 file.
    let (k, c) = party(&d, "p", "Existing PFX");
    let pfx = d.join("old.pfx");
    std::fs::write(&pfx, b"x").unwrap();
    std::fs::set_permissions(&pfx, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok_env(
        &[
            "pfx",
            "export",
            "--cert",
            &c,
            "--key",
            &k,
            "--pass-env",
            "P",
            "--out",
            &s(&pfx),
        ],
        &[("P", "secret")],
    );
    assert_mode(&pfx, 0o600);
}
