//! Driving the reference peer, OpenSSL + gost-engine, from tests: detection (tests skip with a
//! printed reason when it is absent), a configuration that loads the engine, and command runs.
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

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
