//! The fuzz targets' seed corpora (`fuzz/corpus/<target>/`) run as ordinary tests: every seed,
//! every truncation of it and single-byte mutations must go through the target without a panic.

use std::path::PathBuf;

use gostkit_fuzz_bodies::TARGETS;

#[test]
fn seed_corpora_and_their_mutations() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("corpus");
    for (name, target) in TARGETS {
        let dir = root.join(name);
        let mut seeds = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let data = std::fs::read(entry.expect("entry").path()).expect("seed");
            seeds += 1;
            target(&data);
            for cut in 0..data.len() {
                target(&data[..cut]);
            }
            for i in 0..data.len() {
                for flip in [0x01u8, 0x80, 0xff] {
                    let mut m = data.clone();
                    m[i] ^= flip;
                    target(&m);
                }
            }
        }
        assert!(seeds > 0, "no seeds for fuzz target {name}");
    }
}
