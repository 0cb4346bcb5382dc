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
        // A child that has read what it needs may exit first: a broken pipe here is not the
        // test's verdict (its exit status and output are).
        if let Err(e) = pipe.write_all(data) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
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

/// The `.gostkit-*` files left in `d`.
fn temp_files(d: &Path) -> Vec<String> {
    std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".gostkit-") || n.contains("gostkit-tmp"))
        .collect()
}

/// Some plaintext of `len` bytes that is not all one value.
fn plaintext(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn decrypt_never_writes_through_a_planted_symlink() {
    let d = scratch("symlink");
    let (key, cert) = party(&d, "me", "Symlink Test");
    let data = d.join("data.bin");
    let plain = plaintext(200_000);
    std::fs::write(&data, &plain).unwrap();
    let msg = d.join("msg.p7m");
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

    let outdir = d.join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let victim = d.join("victim.txt");
    std::fs::write(&victim, b"the victim's own content\n").unwrap();
    let out = outdir.join("plain.txt");
    // The name the old code used (`OUT.gostkit-tmp`) and plausible `.gostkit-*` names.
    let planted = [
        "plain.txt.gostkit-tmp",
        ".gostkit-tmp",
        ".gostkit-",
        ".gostkit-000000",
        ".gostkit-plain.txt",
    ];
    for name in planted {
        std::os::unix::fs::symlink(&victim, outdir.join(name)).unwrap();
    }
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
        &s(&out),
    ]);
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"the victim's own content\n",
        "the victim was written through a symlink"
    );
    let meta = std::fs::symlink_metadata(&out).unwrap();
    assert!(meta.file_type().is_file(), "--out is not a regular file");
    assert_eq!(std::fs::read(&out).unwrap(), plain);
    assert_mode(&out, 0o600);
    for name in planted {
        let m = std::fs::symlink_metadata(outdir.join(name)).unwrap();
        assert!(m.file_type().is_symlink(), "{name} was replaced");
    }
    let mut left = temp_files(&outdir);
    left.sort();
    let mut want: Vec<String> = planted.iter().map(|n| n.to_string()).collect();
    want.sort();
    assert_eq!(left, want, "a temporary file was left behind");
}

#[test]
fn a_tampered_message_leaves_neither_temp_file_nor_output() {
    let d = scratch("tamper");
    let (key, cert) = party(&d, "me", "Tamper Test");
    let data = d.join("data.bin");
    std::fs::write(&data, plaintext(300_000)).unwrap();
    let msg = d.join("msg.p7m");
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
    let mut der = std::fs::read(&msg).unwrap();
    let mid = der.len() / 2; // well inside the 300 000 bytes of ciphertext
    der[mid] ^= 0x01;
    std::fs::write(&msg, &der).unwrap();

    let outdir = d.join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let out = outdir.join("plain.bin");
    for input in [Some(s(&msg)), None] {
        let mut args = vec!["cms", "decrypt", "--cert", &cert, "--key", &key, "--out"];
        let out_s = s(&out);
        args.push(&out_s);
        if let Some(i) = &input {
            args.extend(["--in", i.as_str()]);
        }
        let o = gostkit_umask(&args, &[], input.is_none().then_some(der.as_slice()));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{input:?}: {err}");
        assert!(err.starts_with("error: mac-mismatch: "), "{input:?}: {err}");
        let left: Vec<_> = std::fs::read_dir(&outdir).unwrap().collect();
        assert!(left.is_empty(), "{input:?}: left {left:?}");
    }
}

/// Starts `cms decrypt` reading a large message from a pipe kept open, waits for its temporary
/// file, sends `signal` and checks the file is gone and the exit status.
fn killed_midway(tag: &str, signal: &str, code: i32, signo: i32) {
    use std::io::Write;
    use std::os::unix::process::ExitStatusExt;
    let d = scratch(tag);
    let (key, cert) = party(&d, "me", "Signal Test");
    let data = d.join("data.bin");
    std::fs::write(&data, plaintext(4 << 20)).unwrap();
    let msg = d.join("msg.p7m");
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
    let der = std::fs::read(&msg).unwrap();
    let outdir = d.join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let out = outdir.join("plain.bin");
    let mut child = Command::new(BIN)
        .args([
            "cms",
            "decrypt",
            "--cert",
            &cert,
            "--key",
            &key,
            "--out",
            &s(&out),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(&der[..der.len() / 4]).unwrap();
    pipe.flush().unwrap();
    let start = std::time::Instant::now();
    while temp_files(&outdir).is_empty() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "no .gostkit-* temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    drop(pipe);
    assert!(
        status.code() == Some(code) || status.signal() == Some(signo),
        "{signal}: status {status:?}"
    );
    let left: Vec<_> = std::fs::read_dir(&outdir).unwrap().collect();
    assert!(left.is_empty(), "{signal}: left {left:?}");
}

#[test]
fn sigterm_during_decrypt_removes_the_temporary_file() {
    killed_midway("sigterm", "-TERM", 143, 15);
}

#[test]
fn sigint_during_decrypt_removes_the_temporary_file() {
    killed_midway("sigint", "-INT", 130, 2);
}

#[test]
fn decrypt_reads_standard_input_without_in() {
    let d = scratch("decrypt-stdin");
    let (key, cert) = party(&d, "me", "Stdin Test");
    let data = d.join("data.bin");
    let plain = plaintext(100_000);
    std::fs::write(&data, &plain).unwrap();
    let msg = d.join("msg.p7m");
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
    let der = std::fs::read(&msg).unwrap();
    let outdir = d.join("out");
    std::fs::create_dir_all(&outdir).unwrap();
    let out = outdir.join("plain.bin");
    for dash in [false, true] {
        let out_s = s(&out);
        let mut args = vec![
            "cms", "decrypt", "--cert", &cert, "--key", &key, "--out", &out_s,
        ];
        if dash {
            args.extend(["--in", "-"]);
        }
        let o = gostkit_umask(&args, &[], Some(&der));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(std::fs::read(&out).unwrap(), plain);
        assert_mode(&out, 0o600);
        assert!(temp_files(&outdir).is_empty());
        // Without --out the plaintext goes to standard output.
        let o = gostkit_umask(&args[..6], &[], Some(&der));
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(o.stdout, plain);
    }
}

#[test]
fn cms_verify_reads_standard_input_without_in() {
    let d = scratch("verify-stdin");
    let (key, cert) = party(&d, "me", "Verify Stdin");
    let data = d.join("data.txt");
    std::fs::write(&data, b"signed statement").unwrap();
    let msg = d.join("msg.p7s");
    ok(&[
        "cms",
        "sign",
        "--cert",
        &cert,
        "--key",
        &key,
        "--in",
        &s(&data),
        "--out",
        &s(&msg),
    ]);
    let der = std::fs::read(&msg).unwrap();
    let copy = d.join("copy.txt");
    for extra in [&[][..], &["--in", "-"][..]] {
        let mut args = vec!["cms", "verify", "--trusted", &cert];
        let copy_s = s(&copy);
        args.extend(["--out", &copy_s]);
        args.extend(extra);
        let o = gostkit_umask(&args, &[], Some(&der));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{extra:?}: {err}");
        assert_eq!(
            err.trim(),
            "ok O=gostkit hardening,CN=Verify Stdin",
            "{extra:?}"
        );
        assert_eq!(std::fs::read(&copy).unwrap(), b"signed statement");
        std::fs::remove_file(&copy).unwrap();
    }
    // Both from standard input cannot work: a usage error.
    let o = gostkit_umask(
        &["cms", "verify", "--trusted", &cert, "--content", "-"],
        &[],
        Some(&der),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: usage: "));
}

#[test]
fn pfx_import_reads_standard_input_without_in() {
    let d = scratch("pfx-stdin");
    let (key, cert) = party(&d, "me", "PFX Stdin");
    let env = [("P", "пароль")];
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
            "P",
            "--out",
            &s(&pfx),
        ],
        &env,
    );
    let (ikey, icert) = (d.join("in.key"), d.join("in.pem"));
    let o = gostkit_umask(
        &[
            "pfx",
            "import",
            "--pass-env",
            "P",
            "--no-key-pass",
            "--out-key",
            &s(&ikey),
            "--out-cert",
            &s(&icert),
        ],
        &env,
        Some(&std::fs::read(&pfx).unwrap()),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read(&icert).unwrap(),
        std::fs::read(&cert).unwrap()
    );
    assert_eq!(
        std::fs::read(&ikey).unwrap(),
        std::fs::read(&key).unwrap(),
        "the unencrypted key round-trips"
    );
    assert_mode(&ikey, 0o600);
}

#[test]
fn a_failing_signer_is_reported_exactly_once() {
    let d = scratch("once");
    let (key, cert) = party(&d, "signer", "Untrusted Signer");
    let (_, other) = party(&d, "other", "Some Other Root");
    let data = d.join("data.txt");
    std::fs::write(&data, b"signed statement").unwrap();
    let msg = d.join("msg.p7s");
    ok(&[
        "cms",
        "sign",
        "--cert",
        &cert,
        "--key",
        &key,
        "--in",
        &s(&data),
        "--out",
        &s(&msg),
    ]);
    let o = gostkit_umask(
        &["cms", "verify", "--in", &s(&msg), "--trusted", &other],
        &[],
        None,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with("error: untrusted-root: ") && lines[0].contains("Untrusted Signer"),
        "{err}"
    );

    // A tampered signature: the bad-signature line, once.
    let mut der = std::fs::read(&msg).unwrap();
    let n = der.len();
    der[n - 10] ^= 0x40; // inside the signature value at the end of the SignerInfo
    std::fs::write(&msg, &der).unwrap();
    let o = gostkit_umask(
        &["cms", "verify", "--in", &s(&msg), "--trusted", &cert],
        &[],
        None,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: bad-signature: "), "{err}");
}

#[test]
fn a_huge_key_or_pfx_file_is_refused_with_a_typed_error() {
    let d = scratch("huge");
    let big = d.join("huge.key");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 << 20).unwrap(); // sparse: costs no disk
    drop(f);
    for args in [
        vec!["pubkey", "--key", big.to_str().unwrap()],
        vec![
            "pfx",
            "import",
            "--in",
            big.to_str().unwrap(),
            "--pass-env",
            "P",
            "--out-key",
            "/nonexistent/k",
            "--out-cert",
            "/nonexistent/c",
        ],
    ] {
        let o = gostkit_umask(&args, &[("P", "x")], None);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("error: malformed: ") && err.contains("larger than 16 MiB"),
            "{args:?}: {err}"
        );
    }
}

/// Runs gostkit expecting exit `code` and an `error: TOKEN:` line; returns standard error.
fn fails_env(args: &[&str], env: &[(&str, &str)], code: i32, token: &str) -> String {
    let o = gostkit_umask(args, env, None);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "gostkit {args:?}: {err}");
    assert!(
        err.starts_with(&format!("error: {token}: ")),
        "gostkit {args:?}: expected `error: {token}:`, got {err}"
    );
    err
}

#[test]
fn max_iterations_caps_key_and_pfx_reading() {
    let d = scratch("max-iter");
    let env = [("P", "secret")];
    let key = s(&d.join("enc.key"));
    // genkey encrypts with 2000 PBKDF2 iterations.
    ok_env(
        &[
            "genkey",
            "--curve",
            "tc26-256-a",
            "--pass-env",
            "P",
            "--out",
            &key,
        ],
        &env,
    );
    let pubkey = |cap: &str| {
        vec![
            "pubkey".to_owned(),
            "--key".to_owned(),
            key.clone(),
            "--pass-env".to_owned(),
            "P".to_owned(),
            "--max-iterations".to_owned(),
            cap.to_owned(),
        ]
    };
    let args = pubkey("1999");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = fails_env(&args, &env, 2, "unsupported");
    assert!(err.contains("2000") && err.contains("1999"), "{err}");
    let args = pubkey("2000");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok_env(&args, &env);
    for bad in ["0", "many", "-5"] {
        let args = pubkey(bad);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails_env(&args, &env, 2, "usage");
    }

    // The same cap on PFX import (gostkit's PFX uses 2000 iterations too).
    let (pkey, cert) = party(&d, "me", "Max Iterations");
    let pfx = s(&d.join("me.pfx"));
    ok_env(
        &[
            "pfx",
            "export",
            "--cert",
            &cert,
            "--key",
            &pkey,
            "--pass-env",
            "P",
            "--out",
            &pfx,
        ],
        &env,
    );
    let (ikey, icert) = (s(&d.join("in.key")), s(&d.join("in.pem")));
    let import = |cap: &'static str| {
        [
            "pfx",
            "import",
            "--in",
            pfx.as_str(),
            "--pass-env",
            "P",
            "--no-key-pass",
            "--out-key",
            ikey.as_str(),
            "--out-cert",
            icert.as_str(),
            "--max-iterations",
            cap,
        ]
    };
    let err = fails_env(&import("100"), &env, 2, "unsupported");
    assert!(err.contains("100"), "{err}");
    assert!(!Path::new(&ikey).exists(), "nothing written past the cap");
    ok_env(&import("2000"), &env);
}
