//! Driving the peers from tests: the reference peer OpenSSL + gost-engine ([`Peer`]) and
//! GnuTLS's command-line tools ([`GnuTls`], Debian's gnutls-bin): detection (tests skip with a
//! printed reason when one is absent), a configuration that loads the engine, and command runs.
//!
//! With `GOSTKIT_REQUIRE_PEER=1` (CI sets it) a missing peer is a failure, not a skip: `find`
//! panics with the reason instead of returning it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A usable peer: the `openssl` binary and an OPENSSL_CONF file that loads gost-engine.
pub struct Peer {
    /// Scratch directory of the test (holds the config).
    pub dir: PathBuf,
    conf: PathBuf,
}

impl Peer {
    /// Finds the peer, or says why it cannot be used (and fails the test instead when
    /// `GOSTKIT_REQUIRE_PEER=1`).
    pub fn find(tag: &str) -> Result<Peer, String> {
        Self::locate(tag).map_err(|why| {
            if require_peer() {
                panic!(
                    "GOSTKIT_REQUIRE_PEER=1 but the OpenSSL + gost-engine peer is unusable: {why}"
                );
            }
            why
        })
    }

    fn locate(tag: &str) -> Result<Peer, String> {
        let out = Command::new("openssl")
            .args(["version", "-e"])
            .output()
            .map_err(|e| format!("openssl not runnable: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let engines = text
            .split('"')
            .nth(1)
            .ok_or_else(|| format!("no ENGINESDIR in `openssl version -e`: {text}"))?;
        let so = Path::new(engines).join("gost.so");
        if !so.exists() {
            return Err(format!(
                "{} not found (install libengine-gost-openssl)",
                so.display()
            ));
        }
        let dir = std::env::temp_dir().join(format!("gostkit-peer-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let conf = dir.join("openssl.cnf");
        let cnf = format!(
            "openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n\
             [engine_section]\ngost = gost_section\n[gost_section]\nengine_id = gost\n\
             dynamic_path = {}\ndefault_algorithms = ALL\n",
            so.display()
        );
        std::fs::write(&conf, cnf).map_err(|e| e.to_string())?;
        Ok(Peer { dir, conf })
    }

    /// A path in the scratch directory, as a string for command lines.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }

    /// Runs `openssl ARGS` with the engine configured; Err carries its standard error.
    pub fn openssl(&self, args: &[&str]) -> Result<Vec<u8>, String> {
        let out = Command::new("openssl")
            .args(args)
            .env("OPENSSL_CONF", &self.conf)
            .output()
            .map_err(|e| format!("openssl {args:?}: {e}"))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(format!(
                "openssl {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

/// Whether a missing peer must fail the test (`GOSTKIT_REQUIRE_PEER=1`, set by CI).
pub fn require_peer() -> bool {
    std::env::var("GOSTKIT_REQUIRE_PEER").as_deref() == Ok("1")
}

/// `let peer = peer_or_skip!("tag");` — the peer, or return from the test with a printed reason
/// (a failure under `GOSTKIT_REQUIRE_PEER=1`).
#[macro_export]
macro_rules! peer_or_skip {
    ($tag:expr) => {
        match $crate::common::peer::Peer::find($tag) {
            Ok(peer) => peer,
            Err(why) => {
                println!("SKIP {}: {why}", $tag);
                return;
            }
        }
    };
}

/// GnuTLS's `gnutls-cli` and `gnutls-serv` (3.7: TLS_GOSTR341112_256_28147_CNT_IMIT, 0xC102),
/// with a scratch directory of the test.
pub struct GnuTls {
    /// Scratch directory of the test.
    pub dir: PathBuf,
}

/// The GnuTLS priority string of the one GOST suite GnuTLS has (0xC102), with the GOST groups
/// and signature schemes; its `NORMAL` excludes GOST.
pub const GNUTLS_GOST_PRIORITY: &str = "NONE:+VERS-TLS1.2:+VKO-GOST-12:+GOST28147-TC26Z-CNT:\
     +GOST28147-TC26Z-IMIT:+SIGN-GOSTR341012-256:+SIGN-GOSTR341012-512:+GROUP-GOST-ALL:\
     +CTYPE-X509:+COMP-NULL";

impl GnuTls {
    /// Finds gnutls-cli and gnutls-serv with the GOST suite, or says why they cannot be used
    /// (and fails the test instead when `GOSTKIT_REQUIRE_PEER=1`).
    pub fn find(tag: &str) -> Result<GnuTls, String> {
        Self::locate(tag).map_err(|why| {
            if require_peer() {
                panic!("GOSTKIT_REQUIRE_PEER=1 but the GnuTLS peer is unusable: {why}");
            }
            why
        })
    }

    fn locate(tag: &str) -> Result<GnuTls, String> {
        let out = Command::new("gnutls-cli")
            .args(["--list", "--priority", GNUTLS_GOST_PRIORITY])
            .output()
            .map_err(|e| format!("gnutls-cli not runnable (install gnutls-bin): {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if !text.contains("0xc1, 0x02") {
            return Err(format!(
                "gnutls-cli lists no 0xC102 suite for {GNUTLS_GOST_PRIORITY}: {text}"
            ));
        }
        Command::new("gnutls-serv")
            .arg("--version")
            .output()
            .map_err(|e| format!("gnutls-serv not runnable (install gnutls-bin): {e}"))?;
        let dir = std::env::temp_dir().join(format!("gostkit-gnutls-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        Ok(GnuTls { dir })
    }

    /// A path in the scratch directory, as a string for command lines.
    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for GnuTls {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
