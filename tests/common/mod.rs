//! Helpers shared by the integration tests: loading `test-vectors/*.toml` and hex.
#![allow(dead_code)]

pub mod ocsp;
pub mod peer;
pub mod pkcs11;
pub mod pki;
pub mod tls;

use std::path::PathBuf;

/// The repository's top directory (the workspace root, which holds `test-vectors/`), found from
/// the directory of whichever workspace member runs the test.
pub fn repo_root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("test-vectors").is_dir() {
        assert!(
            dir.pop(),
            "no test-vectors/ above {}",
            env!("CARGO_MANIFEST_DIR")
        );
    }
    dir
}

/// Loads `test-vectors/<name>` and returns its `[[vector]]` entries; panics (failing the test)
/// when the file is missing or has no vectors, so a test can never pass vacuously.
pub fn vectors(name: &str) -> Vec<toml::Table> {
    let path = repo_root().join("test-vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: toml::Table =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let list = doc
        .get("vector")
        .and_then(|v| v.as_array())
        .unwrap_or_else(|| panic!("{}: no [[vector]] entries", path.display()));
    let out: Vec<toml::Table> = list
        .iter()
        .map(|v| v.as_table().expect("vector is a table").clone())
        .collect();
    assert!(!out.is_empty(), "{}: empty", path.display());
    for v in &out {
        assert!(
            v.get("source").and_then(|s| s.as_str()).is_some(),
            "{}: vector without source",
            path.display()
        );
    }
    out
}

/// A string field of a vector.
pub fn s<'a>(v: &'a toml::Table, key: &str) -> &'a str {
    v.get(key)
        .and_then(|x| x.as_str())
        .unwrap_or_else(|| panic!("vector field {key} missing"))
}

/// A hex field of a vector, decoded (whitespace allowed inside the string).
pub fn h(v: &toml::Table, key: &str) -> Vec<u8> {
    let raw: String = s(v, key).chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(&raw).unwrap_or_else(|e| panic!("vector field {key}: {e}"))
}

/// An optional hex field.
pub fn oh(v: &toml::Table, key: &str) -> Option<Vec<u8>> {
    v.get(key).map(|_| h(v, key))
}

/// An integer field.
pub fn n(v: &toml::Table, key: &str) -> i64 {
    v.get(key)
        .and_then(|x| x.as_integer())
        .unwrap_or_else(|| panic!("vector field {key} missing"))
}

/// The input of a vector: `input` (hex) or `input_repeat = { byte = "61", count = N }`.
pub fn input(v: &toml::Table) -> Vec<u8> {
    if let Some(r) = v.get("input_repeat").and_then(|x| x.as_table()) {
        let b = hex::decode(r["byte"].as_str().expect("byte")).expect("hex byte");
        let count = r["count"].as_integer().expect("count") as usize;
        b.repeat(count)
    } else {
        h(v, "input")
    }
}

/// The TC26 CMS examples in `../shared/vectors/tc26-cms`, or None (with a printed reason) when
/// `../shared` is absent (a user's fresh clone).
#[allow(dead_code)]
pub fn tc26_cms_dir() -> Option<std::path::PathBuf> {
    let p = repo_root().join("../shared/vectors/tc26-cms");
    if p.is_dir() {
        Some(p)
    } else {
        println!("SKIPPED: ../shared/vectors/tc26-cms is absent (the TC26 CMS examples)");
        None
    }
}
