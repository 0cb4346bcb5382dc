//! Fuzz target `kimp15`: see `gostkit_fuzz_bodies::kimp15`. Seeds in `fuzz/corpus/kimp15/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::kimp15(data));
