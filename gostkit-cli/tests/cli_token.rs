//! `--key pkcs11:…` and `gostkit token list|genkey|import-cert` (CLI.md) against gostkit's own
//! PKCS#11 module, the token initialised by OpenSC's `pkcs11-tool` (the independent client):
//! a key generated on the token signs a request, a self-signed certificate (installed next to
//! the key) and a CMS message that `cms verify` accepts; a wrong PIN is `wrong-password`.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_gostkit");
const SO_PIN: &str = "87654321";
const PIN: &str = "1234";

struct Token {
    dir: PathBuf,
    module: PathBuf,
}

impl Token {
    fn env<'a>(&'a self, c: &'a mut Command) -> &'a mut Command {
        c.env("GOSTKIT_PKCS11_DIR", self.dir.join("store"))
            .env("GOSTKIT_PKCS11_MODULE", &self.module)
            .env("P", PIN)
            .env("BAD", "0000")
    }

    fn tool(&self, args: &[&str]) {
        let mut c = Command::new("pkcs11-tool");
        c.arg("--module").arg(&self.module).args(args);
        let o = self.env(&mut c).output().unwrap();
        assert!(
            o.status.success(),
            "pkcs11-tool {args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }

    fn gostkit(&self, args: &[&str]) -> Output {
        let mut c = Command::new(BIN);
        c.args(args);
        self.env(&mut c).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.gostkit(args);
        assert!(
            o.status.success(),
            "gostkit {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn token_keys_work_like_file_keys() {
    if !common::pkcs11::pkcs11_tool_present() {
        println!("SKIP: pkcs11-tool (opensc) is not installed");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-token-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("store")).unwrap();
    let t = Token {
        dir: dir.clone(),
        module: common::pkcs11::module_path(),
    };
    t.tool(&["--init-token", "--label", "CLI", "--so-pin", SO_PIN]);
    t.tool(&["--init-pin", "--login", "--so-pin", SO_PIN, "--pin", PIN]);

    let out = t.ok(&[
        "token",
        "genkey",
        "--curve",
        "tc26-512-a",
        "--label",
        "signer",
        "--id",
        "0a0b",
        "--pass-env",
        "P",
    ]);
    assert_eq!(out.trim(), "pkcs11:object=signer;id=%0a%0b");
    let uri = "pkcs11:token=CLI;object=signer";

    // A request and a self-signed certificate from the token key; the certificate installed next
    // to the key.
    let (csr, cert, pubkey) = (dir.join("r.csr"), dir.join("c.pem"), dir.join("p.pem"));
    t.ok(&[
        "req",
        "--key",
        uri,
        "--pass-env",
        "P",
        "--subject",
        "/CN=Token user/O=gostkit",
        "--out",
        &s(&csr),
    ]);
    t.ok(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        uri,
        "--pass-env",
        "P",
        "--subject",
        "/CN=Token user",
        "--out",
        &s(&cert),
    ]);
    t.ok(&[
        "pubkey",
        "--key",
        uri,
        "--pass-env",
        "P",
        "--out",
        &s(&pubkey),
    ]);
    let shown = t.ok(&["x509", "show", &s(&cert)]);
    assert!(shown.contains("Token user"), "{shown}");
    t.ok(&[
        "token",
        "import-cert",
        "--cert",
        &s(&cert),
        "--id",
        "0a0b",
        "--pass-env",
        "P",
    ]);
    let listed = t.ok(&["token", "list", "--pass-env", "P"]);
    assert!(listed.starts_with("token CLI "), "{listed}");
    for want in [
        "private id=0a0b signer",
        "public id=0a0b signer",
        "cert id=0a0b",
    ] {
        assert!(listed.contains(want), "`{want}` missing from:\n{listed}");
    }

    // CMS signed on the token verifies against the certificate.
    let (doc, msg) = (dir.join("doc.txt"), dir.join("doc.p7s"));
    std::fs::write(&doc, b"signed on a token").unwrap();
    t.ok(&[
        "cms",
        "sign",
        "--cert",
        &s(&cert),
        "--key",
        uri,
        "--pass-env",
        "P",
        "--in",
        &s(&doc),
        "--out",
        &s(&msg),
    ]);
    let verified = t.gostkit(&["cms", "verify", "--in", &s(&msg), "--trusted", &s(&cert)]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
    assert!(said.contains("ok") && said.contains("Token user"), "{said}");

    // A wrong PIN, a missing object, a missing module.
    let o = t.gostkit(&["pubkey", "--key", uri, "--pass-env", "BAD"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: wrong-password: "));
    let o = t.gostkit(&[
        "pubkey",
        "--key",
        "pkcs11:token=CLI;object=nobody",
        "--pass-env",
        "P",
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: "));
    let o = Command::new(BIN)
        .args(["pubkey", "--key", uri, "--pass-env", "P"])
        .env("P", PIN)
        .env_remove("GOSTKIT_PKCS11_MODULE")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("GOSTKIT_PKCS11_MODULE"));
}
