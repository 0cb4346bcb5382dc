//! Gives the shared library its soname (`libgostkit.so.0`, the ABI's major version) on ELF
//! platforms, so that programs linked against it record the versioned name.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(
        os.as_str(),
        "linux" | "freebsd" | "netbsd" | "openbsd" | "dragonfly"
    ) {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libgostkit.so.0");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
