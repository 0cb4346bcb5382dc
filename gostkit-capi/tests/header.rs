//! `include/gostkit.h` must be what cbindgen generates from `gostkit-capi/src/` with `cbindgen.toml`.
//! `GOSTKIT_BLESS=1 cargo test --test header` rewrites it; otherwise a stale header fails.

use std::path::PathBuf;

#[test]
fn header_is_fresh() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    // Only the C ABI module (src/lib.rs of gostkit-capi and the modules it declares) is parsed: public Rust
    // types elsewhere in the crate must not leak into the header as opaque declarations.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src").join("lib.rs"))
        .generate()
        .expect("cbindgen failed to generate the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("header is UTF-8");
    assert!(
        generated.contains("gostkit_hash_new"),
        "header lacks the hash API"
    );

    let path = root.join("include").join("gostkit.h");
    if std::env::var("GOSTKIT_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).expect("write include/gostkit.h");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/gostkit.h is stale: run `GOSTKIT_BLESS=1 cargo test -p gostkit-capi --test header` and commit it"
    );
}
