//! The gostkit PKCS#11 module (crate `gostkit-pkcs11`) and OpenSC's `pkcs11-tool`, for the tests
//! of the library's and the CLI's token support.

use std::path::PathBuf;
use std::process::Command;

/// The module's shared library beside the test executable (`target/<profile>/deps`) or in
/// `target/<profile>`; built with `cargo build -p gostkit-pkcs11` when neither has it (a test
/// of another crate does not build it).
pub fn module_path() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("target/<profile>/deps").to_path_buf();
    let name = format!(
        "{}gostkit_pkcs11{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let candidates = [deps.join(&name), deps.parent().unwrap_or(&deps).join(&name)];
    if let Some(p) = candidates.iter().find(|p| p.exists()) {
        return p.clone();
    }
    let st = Command::new(env!("CARGO"))
        .args(["build", "-p", "gostkit-pkcs11"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("run cargo build -p gostkit-pkcs11");
    assert!(st.success(), "cargo build -p gostkit-pkcs11 failed");
    candidates
        .iter()
        .find(|p| p.exists())
        .cloned()
        .unwrap_or_else(|| panic!("{name} not found in {candidates:?}"))
}

/// Whether OpenSC's `pkcs11-tool` runs here; with `GOSTKIT_REQUIRE_PEER=1` its absence panics.
pub fn pkcs11_tool_present() -> bool {
    let found = Command::new("pkcs11-tool")
        .arg("--version")
        .output()
        .is_ok();
    if !found && super::peer::require_peer() {
        panic!("GOSTKIT_REQUIRE_PEER=1 but pkcs11-tool (Debian opensc) is not installed");
    }
    found
}
