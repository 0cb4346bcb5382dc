//! CLI.md "Passwords" and "Help and progress": `--pass-file`/`--pass-fd` beside `--pass-env`,
//! `password-required` when no source is given and standard input is not a terminal, and
//! `--quiet` accepted with nothing written to a standard error that is not a terminal.

#[path = "../../tests/common/cli.rs"]
mod cli;

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gostkit-pw-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

/// An encrypted key (password "пароль-1") and its public key.
fn encrypted_key(d: &std::path::Path) -> (String, Vec<u8>) {
    let key = s(&d.join("k.pem"));
    cli::gostkit_with(
        &[
            "genkey",
            "--curve",
            "tc26-256-a",
            "--out",
            &key,
            "--pass-env",
            "PW",
        ],
        &[("PW", "пароль-1")],
        None,
    )
    .ok("genkey");
    let pubkey = cli::gostkit_with(
        &["pubkey", "--key", &key, "--pass-env", "PW"],
        &[("PW", "пароль-1")],
        None,
    )
    .ok("pubkey")
    .stdout;
    (key, pubkey)
}

#[test]
fn pass_file_gives_the_first_line_without_its_end() {
    let d = scratch("file");
    let (key, pubkey) = encrypted_key(&d);
    let pw = d.join("pw.txt");
    std::fs::write(&pw, "пароль-1\r\nsecond line\n").unwrap();
    let got = cli::gostkit(&["pubkey", "--key", &key, "--pass-file", &s(&pw)]).ok("--pass-file");
    assert_eq!(got.stdout, pubkey);
    let got = cli::gostkit(&["pubkey", "--key", &key, &format!("--pass-file={}", s(&pw))])
        .ok("--pass-file=");
    assert_eq!(got.stdout, pubkey);

    std::fs::write(&pw, "wrong\n").unwrap();
    cli::gostkit(&["pubkey", "--key", &key, "--pass-file", &s(&pw)]).fails(
        1,
        "wrong-password",
        "wrong file password",
    );
    cli::gostkit(&[
        "pubkey",
        "--key",
        &key,
        "--pass-file",
        &s(&d.join("absent")),
    ])
    .fails(2, "io", "absent file");
    // Two sources for one password are a usage error.
    cli::gostkit_with(
        &[
            "pubkey",
            "--key",
            &key,
            "--pass-file",
            &s(&pw),
            "--pass-env",
            "PW",
        ],
        &[("PW", "пароль-1")],
        None,
    )
    .fails(2, "usage", "two sources");
    // A bounded line.
    std::fs::write(&pw, vec![b'a'; 10_000]).unwrap();
    cli::gostkit(&["pubkey", "--key", &key, "--pass-file", &s(&pw)]).fails(
        2,
        "usage",
        "overlong line",
    );
}

#[test]
fn pass_fd_reads_an_inherited_descriptor_up_to_the_line_end() {
    let d = scratch("fd");
    let (key, pubkey) = encrypted_key(&d);
    // Descriptor 0: a pipe carrying the password line.
    let got = cli::gostkit_with(
        &["pubkey", "--key", &key, "--pass-fd", "0"],
        &[],
        Some("пароль-1\nrest".as_bytes()),
    )
    .ok("--pass-fd 0");
    assert_eq!(got.stdout, pubkey);
    // Descriptor 3, opened by the shell on a file: `3<FILE`.
    let pw = d.join("pw.txt");
    std::fs::write(&pw, "пароль-1\n").unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" pubkey --key \"$1\" --pass-fd 3 3<\"$2\"")
        .args([env!("CARGO_BIN_EXE_gostkit"), &key, &s(&pw)])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, pubkey);
    cli::gostkit(&["pubkey", "--key", &key, "--pass-fd", "x"]).fails(2, "usage", "not a number");
    cli::gostkit(&["pubkey", "--key", &key, "--pass-fd", "57"]).fails(2, "io", "closed descriptor");
}

#[test]
fn no_source_and_no_terminal_is_password_required() {
    let d = scratch("none");
    let (key, _) = encrypted_key(&d);
    let run =
        cli::gostkit(&["pubkey", "--key", &key]).fails(2, "password-required", "encrypted key");
    assert!(run.stderr.contains("--pass-file"), "{}", run.stderr);
    cli::gostkit(&[
        "pfx",
        "import",
        "--in",
        &key,
        "--out-key",
        "k",
        "--out-cert",
        "c",
    ])
    .fails(2, "password-required", "pfx import");
}

#[test]
fn quiet_is_accepted_and_a_non_terminal_stderr_stays_empty() {
    let d = scratch("quiet");
    let data = d.join("big.bin");
    std::fs::write(&data, vec![0x5a; 6 << 20]).unwrap();
    let plain = cli::gostkit(&["hash", &s(&data)]).ok("hash");
    assert!(plain.stderr.is_empty(), "{}", plain.stderr);
    let quiet = cli::gostkit(&["hash", "--quiet", &s(&data)]).ok("hash --quiet");
    assert_eq!(quiet.stdout, plain.stdout);
    assert!(quiet.stderr.is_empty());

    let key = s(&d.join("k.pem"));
    let cert = s(&d.join("c.pem"));
    cli::gostkit(&["genkey", "--curve", "tc26-256-a", "--out", &key]).ok("genkey");
    cli::gostkit(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &key,
        "--subject",
        "/CN=Q",
        "--out",
        &cert,
    ])
    .ok("issue");
    let msg = s(&d.join("m.p7m"));
    let p7s = s(&d.join("m.p7s"));
    let out = s(&d.join("out.bin"));
    for (args, what) in [
        (
            vec![
                "cms",
                "encrypt",
                "--recipient",
                &cert,
                "--in",
                &s(&data),
                "--out",
                &msg,
            ],
            "encrypt",
        ),
        (
            vec![
                "cms", "decrypt", "--cert", &cert, "--key", &key, "--in", &msg, "--out", &out,
            ],
            "decrypt",
        ),
        (
            vec![
                "cms",
                "sign",
                "--cert",
                &cert,
                "--key",
                &key,
                "--detached",
                "--in",
                &s(&data),
                "--out",
                &p7s,
            ],
            "sign",
        ),
        (
            vec![
                "cms",
                "verify",
                "--in",
                &p7s,
                "--content",
                &s(&data),
                "--trusted",
                &cert,
            ],
            "verify",
        ),
    ] {
        for quiet in [false, true] {
            let mut a = args.clone();
            if quiet {
                a.push("--quiet");
            }
            let run = cli::gostkit(&a).ok(what);
            let expected = if what == "verify" { "ok CN=Q\n" } else { "" };
            assert_eq!(run.stderr, expected, "{what} quiet={quiet}");
        }
    }
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&data).unwrap());
}
