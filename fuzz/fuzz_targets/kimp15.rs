//! Fuzz target `kimp15`: see `gostkit::fuzz_targets::kimp15`. Seeds in `fuzz/corpus/kimp15/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::kimp15(data));
