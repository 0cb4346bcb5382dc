//! Shared by the integration tests: the built module, scratch directories, the OpenSC and
//! OpenSSL + gost-engine peers.
//!
//! With `GOSTKIT_REQUIRE_PEER=1` (CI sets it) a missing peer fails the test instead of skipping
//! it, as in the root crate's `tests/common/peer.rs`.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The cdylib built with the tests: `target/<profile>/deps/libgostkit_pkcs11.so` (where
/// `cargo test` leaves it, beside the test executables), else `target/<profile>/`.
pub fn module_path() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps");
    let name = format!(
        "{}gostkit_pkcs11{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let candidates = [deps.join(&name), deps.parent().unwrap_or(deps).join(&name)];
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .unwrap_or_else(|| panic!("{name} not built (looked in {candidates:?})"))
}

/// A fresh scratch directory for one test.
pub fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gostkit-p11-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

/// Whether a missing peer must fail the test.
pub fn require_peer() -> bool {
    std::env::var("GOSTKIT_REQUIRE_PEER").as_deref() == Ok("1")
}

/// Skips (returns `None` after printing why) or, under `GOSTKIT_REQUIRE_PEER=1`, fails.
pub fn peer_missing<T>(tag: &str, why: String) -> Option<T> {
    assert!(
        !require_peer(),
        "GOSTKIT_REQUIRE_PEER=1 but {tag} is unusable: {why}"
    );
    println!("SKIP {tag}: {why}");
    None
}

/// OpenSC's `pkcs11-tool` driving this module with a store directory.
pub struct Tool {
    /// Scratch directory (the store is `dir/store`).
    pub dir: PathBuf,
    module: PathBuf,
}

impl Tool {
    /// The tool, or `None` (skip) when `pkcs11-tool` is not installed.
    pub fn find(tag: &str) -> Option<Tool> {
        match Command::new("pkcs11-tool").arg("--version").output() {
            Ok(_) => {}
            Err(e) => {
                return peer_missing(
                    "pkcs11-tool",
                    format!("not runnable ({e}); install the Debian package opensc"),
                );
            }
        }
        Some(Tool {
            dir: scratch(tag),
            module: module_path(),
        })
    }

    /// A path in the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Runs `pkcs11-tool --module <ours> ARGS` with the store in `dir/store`.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("pkcs11-tool")
            .arg("--module")
            .arg(&self.module)
            .args(args)
            .env("GOSTKIT_PKCS11_DIR", self.dir.join("store"))
            .output()
            .expect("run pkcs11-tool")
    }

    /// Runs and requires success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "pkcs11-tool {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Runs and requires failure; returns standard error and output together.
    pub fn fails(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(!o.status.success(), "pkcs11-tool {args:?} should fail");
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    }
}

impl Drop for Tool {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// OpenSSL with gost-engine loaded through a configuration file.
pub struct OpenSsl {
    conf: PathBuf,
}

impl OpenSsl {
    /// The peer, or `None` (skip) when OpenSSL or gost-engine is missing.
    pub fn find(dir: &Path) -> Option<OpenSsl> {
        let out = match Command::new("openssl").args(["version", "-e"]).output() {
            Ok(o) => o,
            Err(e) => return peer_missing("openssl", format!("not runnable: {e}")),
        };
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let Some(engines) = text.split('"').nth(1) else {
            return peer_missing("openssl", format!("no ENGINESDIR in {text}"));
        };
        let so = Path::new(engines).join("gost.so");
        if !so.exists() {
            return peer_missing(
                "gost-engine",
                format!("{} missing (libengine-gost-openssl)", so.display()),
            );
        }
        let conf = dir.join("openssl.cnf");
        std::fs::write(
            &conf,
            format!(
                "openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n\
                 [engine_section]\ngost = gost_section\n[gost_section]\nengine_id = gost\n\
                 dynamic_path = {}\ndefault_algorithms = ALL\n",
                so.display()
            ),
        )
        .expect("write openssl.cnf");
        Some(OpenSsl { conf })
    }

    /// Runs `openssl ARGS`; Ok(stdout) or Err(stderr).
    pub fn run(&self, args: &[&str]) -> Result<String, String> {
        let o = Command::new("openssl")
            .args(args)
            .env("OPENSSL_CONF", &self.conf)
            .output()
            .expect("run openssl");
        if o.status.success() {
            Ok(String::from_utf8_lossy(&o.stdout).into_owned())
        } else {
            Err(format!(
                "openssl {args:?}: {}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ))
        }
    }
}

/// The GOST public keys `pkcs11-tool --list-objects` prints: (ID hex, PARAMS OID DER hex,
/// VALUE bytes).
pub fn listed_public_keys(listing: &str) -> Vec<(String, String, Vec<u8>)> {
    let mut keys = Vec::new();
    let mut lines = listing.lines().peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with("Public Key Object; GOSTR3410") {
            continue;
        }
        let (mut id, mut params, mut value) = (String::new(), String::new(), String::new());
        while let Some(next) = lines.peek() {
            if !next.starts_with(' ') {
                break;
            }
            let l = lines.next().unwrap_or_default().trim();
            if let Some(v) = l.strip_prefix("PARAMS OID:") {
                params = v.trim().to_string();
            } else if let Some(v) = l.strip_prefix("VALUE:") {
                value = v.trim().to_string();
                while lines
                    .peek()
                    .is_some_and(|n| n.starts_with("              ") && !n.contains(':'))
                {
                    value.push_str(lines.next().unwrap_or_default().trim());
                }
            } else if let Some(v) = l.strip_prefix("ID:") {
                id = v.trim().to_string();
            }
        }
        keys.push((id, params, hex::decode(value).expect("VALUE hex")));
    }
    keys
}
