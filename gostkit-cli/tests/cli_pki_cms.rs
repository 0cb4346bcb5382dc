//! `req`, `x509 show|issue`, `verify-chain`, `cms sign|verify|encrypt|decrypt` and `demo`
//! against CLI.md: outputs, exit codes and error tokens, and the peer reading what they write.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::peer::Peer;

fn dir() -> PathBuf {
    let d =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-pki-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gostkit"))
        .args(args)
        .output()
        .expect("run gostkit")
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Runs a failing command; returns (exit code, first stderr line).
fn fails(args: &[&str]) -> (i32, String) {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    (
        o.status.code().unwrap(),
        err.lines()
            .find(|l| l.starts_with("error: "))
            .unwrap_or("")
            .to_owned(),
    )
}

#[test]
fn pki_and_cms_commands() {
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
    ok(&["genkey", "--curve", "tc26-512-a", "--out", &rk]);
    ok(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &rk,
        "--subject",
        "/CN=CLI Root/O=gostkit",
        "--ca",
        "--days",
        "100",
        "--out",
        &rc,
    ]);
    ok(&["genkey", "--curve", "tc26-256-a", "--out", &ck]);
    ok(&["req", "--key", &ck, "--subject", "/CN=CLI CA", "--out", &cr]);
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
        "0",
        "--out",
        &cc,
    ]);
    ok(&["genkey", "--curve", "cryptopro-a", "--out", &lk]);
    ok(&[
        "req",
        "--key",
        &lk,
        "--subject",
        "/CN=Иванов Иван/INN=500100732259/OGRN=1027700132195/SNILS=12345678964/E=ivan@example.ru",
        "--out",
        &lr,
    ]);
    ok(&[
        "x509",
        "issue",
        "--req",
        &lr,
        "--ca-cert",
        &cc,
        "--ca-key",
        &ck,
        "--days",
        "30",
        "--out",
        &lc,
    ]);

    let json = ok(&["x509", "show", &lc, "--json"]);
    for needle in [
        "\"INN\": \"500100732259\"",
        "\"OGRN\": \"1027700132195\"",
        "\"SNILS\": \"12345678964\"",
        "\"curve\": \"cryptopro-a\"",
        "\"algorithm\": \"gost2012-256\"",
        "\"ca\": false",
        "\"path_len\": null",
        "\"keyAgreement\"",
        "\"dn\": \"E=ivan@example.ru,SNILS=12345678964,OGRN=1027700132195,INN=500100732259,CN=Иванов Иван\"",
    ] {
        assert!(json.contains(needle), "{needle} not in {json}");
    }
    let ca_json = ok(&["x509", "show", "--json", &cc]);
    assert!(
        ca_json.contains("\"ca\": true") && ca_json.contains("\"path_len\": 0"),
        "{ca_json}"
    );
    assert!(ok(&["x509", "show", &lc]).contains("INN: 500100732259"));

    // verify-chain: the path, then each failure with its token.
    let path = ok(&["verify-chain", "--trusted", &rc, "--untrusted", &cc, &lc]);
    assert_eq!(
        path.lines().collect::<Vec<_>>(),
        [
            "E=ivan@example.ru,SNILS=12345678964,OGRN=1027700132195,INN=500100732259,CN=Иванов Иван",
            "CN=CLI CA",
            "O=gostkit,CN=CLI Root"
        ]
    );
    let (code, line) = fails(&[
        "verify-chain",
        "--trusted",
        &rc,
        "--untrusted",
        &cc,
        "--at",
        "2040-01-01T00:00:00Z",
        &lc,
    ]);
    assert_eq!(code, 1);
    assert!(
        line.starts_with("error: expired: E=ivan@example.ru"),
        "{line}"
    );
    assert_eq!(
        fails(&[
            "verify-chain",
            "--trusted",
            &rc,
            "--untrusted",
            &cc,
            "--at",
            "yesterday",
            &lc
        ])
        .0,
        2
    );
    let (code, line) = fails(&["verify-chain", "--trusted", &rc, &lc]);
    assert_eq!(
        (code, line.starts_with("error: no-issuer: ")),
        (1, true),
        "{line}"
    );
    let (code, line) = fails(&[
        "verify-chain",
        "--trusted",
        &rc,
        "--untrusted",
        &cc,
        "--crl-required",
        &lc,
    ]);
    assert_eq!(
        (code, line.starts_with("error: crl-missing: ")),
        (1, true),
        "{line}"
    );
    // A CSR with a broken signature is refused.
    let mut csr = std::fs::read_to_string(&lr).unwrap();
    let i = csr.find("-----END").unwrap() - 6;
    let c = if &csr[i..i + 1] == "A" { "B" } else { "A" };
    csr.replace_range(i..i + 1, c);
    std::fs::write(p("bad.csr"), csr).unwrap();
    let (code, line) = fails(&[
        "x509",
        "issue",
        "--req",
        &p("bad.csr"),
        "--ca-cert",
        &cc,
        "--ca-key",
        &ck,
    ]);
    assert!(
        code == 1 && line.starts_with("error: bad-signature") || code == 2,
        "{code} {line}"
    );

    // cms: sign (attached, detached), verify, encrypt, decrypt, and their failures.
    let data = p("data.xml");
    std::fs::write(&data, b"<statement/>\n").unwrap();
    let (sig, det, env, out) = (p("s.p7s"), p("d.p7s"), p("e.p7m"), p("out"));
    ok(&[
        "cms", "sign", "--cert", &lc, "--key", &lk, "--chain", &cc, "--in", &data, "--out", &sig,
    ]);
    let o = run(&[
        "cms",
        "verify",
        "--in",
        &sig,
        "--trusted",
        &rc,
        "--out",
        &out,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("ok E=ivan@example.ru"));
    assert_eq!(std::fs::read(&out).unwrap(), b"<statement/>\n");
    ok(&[
        "cms",
        "sign",
        "--cert",
        &lc,
        "--key",
        &lk,
        "--detached",
        "--no-attrs",
        "--pem",
        "--in",
        &data,
        "--out",
        &det,
    ]);
    ok(&[
        "cms",
        "verify",
        "--in",
        &det,
        "--content",
        &data,
        "--trusted",
        &rc,
        "--untrusted",
        &cc,
    ]);
    std::fs::write(p("other.xml"), b"<statement changed/>\n").unwrap();
    let (code, line) = fails(&[
        "cms",
        "verify",
        "--in",
        &det,
        "--content",
        &p("other.xml"),
        "--trusted",
        &rc,
        "--untrusted",
        &cc,
    ]);
    assert_eq!(
        (code, line.starts_with("error: bad-signature")),
        (1, true),
        "{line}"
    );
    ok(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &ck,
        "--subject",
        "/CN=Unrelated Root",
        "--ca",
        "--out",
        &p("unrelated.pem"),
    ]);
    let (code, line) = fails(&[
        "cms",
        "verify",
        "--in",
        &sig,
        "--trusted",
        &p("unrelated.pem"),
        "--untrusted",
        &rc,
    ]);
    assert_eq!(
        (code, line.starts_with("error: untrusted-root: ")),
        (1, true),
        "{line}"
    );
    let (code, line) = fails(&[
        "cms", "sign", "--cert", &lc, "--key", &ck, "--in", &data, "--out", &sig,
    ]);
    assert_eq!(
        (code, line.as_str()),
        (1, "error: key-mismatch: --key does not belong to --cert")
    );

    for cipher in [
        "kuznyechik",
        "kuznyechik-ctr-acpkm",
        "magma",
        "magma-ctr-acpkm",
        "gost89",
    ] {
        ok(&[
            "cms",
            "encrypt",
            "--recipient",
            &lc,
            "--recipient",
            &cc,
            "--cipher",
            cipher,
            "--in",
            &sig,
            "--out",
            &env,
        ]);
        ok(&[
            "cms", "decrypt", "--cert", &lc, "--key", &lk, "--in", &env, "--out", &out,
        ]);
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(&sig).unwrap(),
            "{cipher}"
        );
    }
    let (code, line) = fails(&["cms", "decrypt", "--cert", &rc, "--key", &rk, "--in", &env]);
    assert_eq!(
        (code, line.starts_with("error: not-a-recipient")),
        (1, true),
        "{line}"
    );
    ok(&[
        "cms",
        "encrypt",
        "--recipient",
        &lc,
        "--in",
        &data,
        "--out",
        &env,
    ]);
    let mut t = std::fs::read(&env).unwrap();
    let n = t.len();
    t[n - 40] ^= 1; // inside the 13-byte ciphertext, before the 35-byte MAC attribute
    std::fs::write(p("t.p7m"), t).unwrap();
    let (code, line) = fails(&[
        "cms",
        "decrypt",
        "--cert",
        &lc,
        "--key",
        &lk,
        "--in",
        &p("t.p7m"),
    ]);
    assert_eq!(
        (code, line.starts_with("error: mac-mismatch")),
        (1, true),
        "{line}"
    );

    // The demo, and the peer opening what it leaves.
    let demo = p("demo");
    let text = ok(&["demo", "--out-dir", &demo]);
    assert!(text.contains("round trip complete"), "{text}");
    let peer = match Peer::find("cli-pki") {
        Ok(p) => p,
        Err(why) => {
            println!("SKIPPED: peer checks of CLI output: {why}");
            return;
        }
    };
    peer.openssl(&["verify", "-CAfile", &rc, "-untrusted", &cc, &lc])
        .unwrap();
    peer.openssl(&["req", "-verify", "-noout", "-in", &lr])
        .unwrap();
    let dp = |n: &str| format!("{demo}/{n}");
    let trust = p("demo-trust.pem");
    std::fs::write(
        &trust,
        [
            std::fs::read(dp("root.pem")).unwrap(),
            std::fs::read(dp("ca.pem")).unwrap(),
        ]
        .concat(),
    )
    .unwrap();
    for (msg, who) in [("request.p7m", "inspection"), ("answer.p7m", "taxpayer")] {
        let inner = p(&format!("{who}.p7s"));
        peer.openssl(&[
            "cms",
            "-decrypt",
            "-binary",
            "-inform",
            "DER",
            "-in",
            &dp(msg),
            "-recip",
            &dp(&format!("{who}.pem")),
            "-inkey",
            &dp(&format!("{who}.key")),
            "-out",
            &inner,
        ])
        .unwrap();
        let content = peer
            .openssl(&[
                "cms", "-verify", "-binary", "-inform", "DER", "-in", &inner, "-CAfile", &trust,
            ])
            .unwrap();
        assert!(
            String::from_utf8_lossy(&content).contains("statement-of-settlements-with-the-budget")
        );
    }
}

/// Encrypted keys on the command line: genkey --pass-env writes PBES2 PEM; the other commands
/// need the password (password-required, wrong-password); the peer reads the key.
#[test]
fn encrypted_keys() {
    let d = dir();
    let k = d.join("enc.key").to_string_lossy().into_owned();
    let with_pw = |args: &[&str], pw: &str| {
        Command::new(env!("CARGO_BIN_EXE_gostkit"))
            .args(args)
            .env("GOSTKIT_PW", pw)
            .output()
            .unwrap()
    };
    let o = with_pw(
        &[
            "genkey",
            "--curve",
            "tc26-512-a",
            "--pass-env",
            "GOSTKIT_PW",
            "--out",
            &k,
        ],
        "секрет",
    );
    assert!(o.status.success());
    assert!(
        std::fs::read_to_string(&k)
            .unwrap()
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    );
    let (code, line) = fails(&["pubkey", "--key", &k]);
    assert_eq!(
        (code, line.starts_with("error: password-required")),
        (2, true),
        "{line}"
    );
    let o = with_pw(
        &["pubkey", "--key", &k, "--pass-env", "GOSTKIT_PW"],
        "wrong",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: wrong-password"));
    let o = with_pw(
        &["pubkey", "--key", &k, "--pass-env", "GOSTKIT_PW"],
        "секрет",
    );
    assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("BEGIN PUBLIC KEY"));
    let o = with_pw(
        &[
            "req",
            "--key",
            &k,
            "--pass-env",
            "GOSTKIT_PW",
            "--subject",
            "/CN=Enc",
        ],
        "секрет",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if let Ok(peer) = Peer::find("cli-enc") {
        peer.openssl(&["pkey", "-in", &k, "-passin", "pass:секрет", "-noout"])
            .unwrap();
    } else {
        println!("SKIPPED: peer reading an encrypted key");
    }
}

/// `pfx export|import`: round trip with an encrypted key, wrong password, key mismatch, and the
/// peer reading the exported PFX.
#[test]
fn pfx_commands() {
    let d = dir().join("pfx");
    std::fs::create_dir_all(&d).unwrap();
    let p = |n: &str| d.join(n).to_string_lossy().into_owned();
    let env = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gostkit"))
            .args(args)
            .env("PW", "пароль")
            .env("BAD", "x")
            .output()
            .unwrap()
    };
    let ok_env = |args: &[&str]| {
        let o = env(args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    ok_env(&[
        "genkey",
        "--curve",
        "tc26-256-b",
        "--pass-env",
        "PW",
        "--out",
        &p("k.pem"),
    ]);
    ok_env(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &p("k.pem"),
        "--pass-env",
        "PW",
        "--subject",
        "/CN=PFX CLI",
        "--out",
        &p("c.pem"),
    ]);
    ok_env(&[
        "pfx",
        "export",
        "--cert",
        &p("c.pem"),
        "--key",
        &p("k.pem"),
        "--key-pass-env",
        "PW",
        "--pass-env",
        "PW",
        "--out",
        &p("a.pfx"),
    ]);
    ok_env(&[
        "pfx",
        "import",
        "--in",
        &p("a.pfx"),
        "--pass-env",
        "PW",
        "--out-key",
        &p("k2.pem"),
        "--out-cert",
        &p("c2.pem"),
        "--no-key-pass",
    ]);
    assert!(
        std::fs::read_to_string(p("k2.pem"))
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    assert_eq!(
        std::fs::read(p("c2.pem")).unwrap(),
        std::fs::read(p("c.pem")).unwrap()
    );
    ok_env(&[
        "pfx",
        "import",
        "--in",
        &p("a.pfx"),
        "--pass-env",
        "PW",
        "--out-key",
        &p("k3.pem"),
        "--out-cert",
        &p("c3.pem"),
    ]);
    assert!(
        std::fs::read_to_string(p("k3.pem"))
            .unwrap()
            .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    );
    let o = env(&[
        "pfx",
        "import",
        "--in",
        &p("a.pfx"),
        "--pass-env",
        "BAD",
        "--out-key",
        &p("k4.pem"),
        "--out-cert",
        &p("c4.pem"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: wrong-password"));
    ok_env(&["genkey", "--curve", "tc26-256-b", "--out", &p("other.pem")]);
    let o = env(&[
        "pfx",
        "export",
        "--cert",
        &p("c.pem"),
        "--key",
        &p("other.pem"),
        "--pass-env",
        "PW",
        "--out",
        &p("b.pfx"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: key-mismatch"));
    match Peer::find("cli-pfx") {
        Ok(peer) => {
            peer.openssl(&[
                "pkcs12",
                "-in",
                &p("a.pfx"),
                "-passin",
                "pass:пароль",
                "-nodes",
                "-out",
                &p("peer.pem"),
            ])
            .unwrap();
        }
        Err(why) => println!("SKIPPED: peer reading the CLI's PFX: {why}"),
    }
}
