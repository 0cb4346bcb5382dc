//! `gostkit req` and `gostkit x509 issue` against CLI.md: outputs, the profile of what they
//! write, exit codes and error tokens, and the peer (OpenSSL + gost-engine) accepting the output
//! and being issued from.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::peer::Peer;
use gostkit::x509::Certificate;
use gostkit::x509::csr::CertificationRequest;

fn dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-issue-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gostkit"));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run gostkit")
}

fn ok(args: &[&str]) -> Vec<u8> {
    let o = run_env(args, &[]);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// Runs a command that must fail: asserts the exit code and that standard error has a line
/// `error: TOKEN: ...`.
fn fails_with(args: &[&str], env: &[(&str, &str)], code: i32, token: &str) {
    let o = run_env(args, env);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    assert!(
        err.lines()
            .any(|l| l.starts_with(&format!("error: {token}: "))),
        "{args:?}: expected `error: {token}: ...`, got {err}"
    );
    assert!(o.stdout.is_empty(), "{args:?} wrote to stdout on failure");
}

#[test]
fn req_and_issue_commands() {
    let d = dir();
    let p = |n: &str| d.join(n).to_string_lossy().into_owned();
    let (rk, rc, ck, cr, cc, lk, lr, lc) = (
        p("root.key"),
        p("root.pem"),
        p("ca.key"),
        p("ca.csr"),
        p("ca.pem"),
        p("leaf.key"),
        p("leaf.csr"),
        p("leaf.pem"),
    );
    ok(&["genkey", "--curve", "tc26-256-a", "--out", &rk]);
    ok(&["genkey", "--curve", "tc26-512-a", "--out", &ck]);
    ok(&["genkey", "--curve", "tc26-256-b", "--out", &lk]);

    // Self-signed root, default 365 days, to standard output when --out is missing.
    let root_pem = ok(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &rk,
        "--subject",
        "/CN=CLI Root/O=Ромашка/C=RU",
        "--ca",
    ]);
    assert!(root_pem.starts_with(b"-----BEGIN CERTIFICATE-----"));
    std::fs::write(&rc, &root_pem).unwrap();
    let root = Certificate::decode(&root_pem).unwrap();
    assert_eq!(
        root.not_after()
            .duration_since(root.not_before())
            .unwrap()
            .as_secs(),
        365 * 86_400
    );
    assert_eq!(root.basic_constraints().unwrap(), Some((true, None)));
    assert_eq!(
        root.subject_key_id().unwrap(),
        root.authority_key_id().unwrap()
    );
    assert_eq!(root.serial().len(), 16);
    root.verify_signed_by(&root.verifying_key().unwrap())
        .unwrap();

    // Intermediate from a request (written to stdout, then given as DER), pathLen 1.
    let ca_csr_pem = ok(&["req", "--key", &ck, "--subject", "/CN=CLI CA/O=Ромашка"]);
    let ca_csr = CertificationRequest::decode(&ca_csr_pem).unwrap();
    ca_csr.verify().unwrap();
    std::fs::write(&cr, ca_csr.der()).unwrap();
    ok(&[
        "x509",
        "issue",
        "--req",
        &cr,
        "--ca-cert",
        &rc,
        "--ca-key",
        &rk,
        "--ca",
        "--path-len",
        "1",
        "--days",
        "730",
        "--out",
        &cc,
    ]);
    let ca = Certificate::decode(&std::fs::read(&cc).unwrap()).unwrap();
    ca.verify_signed_by(&root.verifying_key().unwrap()).unwrap();
    assert_eq!(ca.basic_constraints().unwrap(), Some((true, Some(1))));
    assert_eq!(ca.key_usage_names().unwrap(), ["keyCertSign", "cRLSign"]);
    assert_eq!(
        ca.authority_key_id().unwrap(),
        root.subject_key_id().unwrap()
    );
    assert_eq!(
        ca.not_after()
            .duration_since(ca.not_before())
            .unwrap()
            .as_secs(),
        730 * 86_400
    );

    // Leaf with the Russian identifiers and escapes.
    let subject = "/CN=Иванов Иван/OU=a\\/b/INN=500100732259/OGRN=1027700132195/SNILS=12345678964";
    ok(&["req", "--key", &lk, "--subject", subject, "--out", &lr]);
    ok(&[
        "x509",
        "issue",
        "--req",
        &lr,
        "--ca-cert",
        &cc,
        "--ca-key",
        &ck,
        "--out",
        &lc,
    ]);
    let leaf = Certificate::decode(&std::fs::read(&lc).unwrap()).unwrap();
    leaf.verify_signed_by(&ca.verifying_key().unwrap()).unwrap();
    assert_eq!(leaf.basic_constraints().unwrap(), None);
    assert_eq!(
        leaf.key_usage_names().unwrap(),
        [
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "keyAgreement"
        ]
    );
    let ids = leaf.subject_ids();
    assert_eq!(ids.inn.as_deref(), Some("500100732259"));
    assert_eq!(ids.snils.as_deref(), Some("12345678964"));
    assert!(
        leaf.subject()
            .iter()
            .any(|a| a.value.value() == "a/b".as_bytes())
    );

    // Usage errors (exit 2).
    for args in [
        vec!["req", "--key", &lk],
        vec!["req", "--key", &lk, "--subject", "CN=no slash"],
        vec!["req", "--key", &lk, "--subject", "/INN=123"],
        vec!["req", "--key", &lk, "--subject", "/XX=1"],
        vec!["req", "--key", &lk, "--subject", "/CN=x", "--bogus"],
        vec!["x509", "frobnicate"],
        vec!["x509", "issue", "--ca-cert", &cc, "--ca-key", &ck],
        vec![
            "x509",
            "issue",
            "--req",
            &lr,
            "--ca-cert",
            &cc,
            "--ca-key",
            &ck,
            "--days",
            "ten",
        ],
        vec![
            "x509",
            "issue",
            "--req",
            &lr,
            "--ca-cert",
            &cc,
            "--ca-key",
            &ck,
            "--path-len",
            "0",
        ],
        vec![
            "x509",
            "issue",
            "--self-signed",
            "--req",
            &lr,
            "--key",
            &rk,
            "--subject",
            "/CN=x",
        ],
    ] {
        fails_with(&args, &[], 2, "usage");
    }
    // Unreadable and malformed inputs (exit 2).
    let missing = p("missing.key");
    fails_with(
        &["req", "--key", &missing, "--subject", "/CN=x"],
        &[],
        2,
        "io",
    );
    let junk = p("junk.csr");
    std::fs::write(
        &junk,
        b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
    )
    .unwrap();
    fails_with(
        &[
            "x509",
            "issue",
            "--req",
            &junk,
            "--ca-cert",
            &cc,
            "--ca-key",
            &ck,
        ],
        &[],
        2,
        "malformed",
    );
    // An encrypted key without its password.
    let ek = p("enc.key");
    let o = run_env(
        &[
            "genkey",
            "--curve",
            "tc26-256-a",
            "--pass-env",
            "GK_PW",
            "--out",
            &ek,
        ],
        &[("GK_PW", "пароль")],
    );
    assert!(o.status.success());
    fails_with(
        &["req", "--key", &ek, "--subject", "/CN=x"],
        &[],
        2,
        "password-required",
    );
    let o = run_env(
        &[
            "req",
            "--key",
            &ek,
            "--pass-env",
            "GK_PW",
            "--subject",
            "/CN=Enc",
        ],
        &[("GK_PW", "пароль")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    CertificationRequest::decode(&o.stdout)
        .unwrap()
        .verify()
        .unwrap();

    // A request whose signature fails is refused: exit 1 bad-signature, nothing written.
    let mut bad = CertificationRequest::decode(&std::fs::read(&lr).unwrap())
        .unwrap()
        .der()
        .to_vec();
    let n = bad.len();
    bad[n - 3] ^= 0x10;
    let badp = p("bad.der");
    std::fs::write(&badp, &bad).unwrap();
    let out_bad = p("bad.pem");
    fails_with(
        &[
            "x509",
            "issue",
            "--req",
            &badp,
            "--ca-cert",
            &cc,
            "--ca-key",
            &ck,
            "--out",
            &out_bad,
        ],
        &[],
        1,
        "bad-signature",
    );
    assert!(!std::path::Path::new(&out_bad).exists());
    // The CA key does not belong to the CA certificate.
    fails_with(
        &[
            "x509",
            "issue",
            "--req",
            &lr,
            "--ca-cert",
            &cc,
            "--ca-key",
            &rk,
        ],
        &[],
        1,
        "key-mismatch",
    );

    let peer = match Peer::find("cli-issue") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: peer checks of req / x509 issue output: {why}");
            return;
        }
    };
    let out = peer
        .openssl(&["verify", "-CAfile", &rc, "-untrusted", &cc, &lc])
        .unwrap();
    assert!(String::from_utf8_lossy(&out).contains(": OK"));
    peer.openssl(&["req", "-verify", "-noout", "-in", &lr])
        .unwrap();
    let text = String::from_utf8(
        peer.openssl(&["req", "-text", "-noout", "-in", &lr])
            .unwrap(),
    )
    .unwrap();
    for v in [
        "INN = 500100732259",
        "OGRN = 1027700132195",
        "SNILS = 12345678964",
    ] {
        assert!(text.contains(v), "{v} not in {text}");
    }
    let text = String::from_utf8(
        peer.openssl(&["x509", "-text", "-noout", "-in", &cc])
            .unwrap(),
    )
    .unwrap();
    assert!(text.contains("CA:TRUE, pathlen:1"), "{text}");
    assert!(text.contains("Certificate Sign, CRL Sign"), "{text}");

    // The peer's request (512-C, PEM) issued from by the CLI, verified by the peer.
    let pk = p("peer.key");
    let pr = p("peer.csr");
    let pc = p("peer.pem");
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_512",
        "-pkeyopt",
        "paramset:C",
        "-out",
        &pk,
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-key",
        &pk,
        "-subj",
        "/CN=Peer via CLI",
        "-addext",
        "extendedKeyUsage=clientAuth",
        "-out",
        &pr,
    ])
    .unwrap();
    ok(&[
        "x509",
        "issue",
        "--req",
        &pr,
        "--ca-cert",
        &cc,
        "--ca-key",
        &ck,
        "--days",
        "7",
        "--out",
        &pc,
    ]);
    let pcert = Certificate::decode(&std::fs::read(&pc).unwrap()).unwrap();
    assert_eq!(pcert.ext_key_usage().unwrap().len(), 1);
    peer.openssl(&["verify", "-CAfile", &rc, "-untrusted", &cc, &pc])
        .unwrap();
    // The peer's certificate matches the peer's key (the peer checks the pair).
    let mod_key = peer.openssl(&["pkey", "-in", &pk, "-pubout"]).unwrap();
    let mod_cert = peer
        .openssl(&["x509", "-in", &pc, "-noout", "-pubkey"])
        .unwrap();
    assert_eq!(mod_key, mod_cert);
}

#[test]
fn req_refuses_identifiers_with_wrong_check_digits() {
    let d = std::env::temp_dir().join(format!("gostkit-cli-checkdigits-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    let key = d.join("k.pem").to_string_lossy().into_owned();
    let out = Command::new(env!("CARGO_BIN_EXE_gostkit"))
        .args(["genkey", "--curve", "tc26-256-a", "--out", &key])
        .output()
        .unwrap();
    assert!(out.status.success());
    for (dn, attr) in [
        ("/CN=x/INN=500100732258", "INN"),
        ("/CN=x/SNILS=12345678901", "SNILS"),
        ("/CN=x/OGRN=1027700132196", "OGRN"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_gostkit"))
            .args(["req", "--key", &key, "--subject", dn])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{dn}: {err}");
        assert!(err.contains(attr) && err.contains("check"), "{dn}: {err}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_gostkit"))
        .args([
            "req",
            "--key",
            &key,
            "--subject",
            "/CN=x/INN=500100732259/SNILS=11223344595",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
