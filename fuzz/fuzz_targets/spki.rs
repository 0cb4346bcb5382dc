//! Fuzz target `spki`: see `gostkit::fuzz_targets::spki`. Seeds in `fuzz/corpus/spki/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::spki(data));
