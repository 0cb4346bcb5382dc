//! Fuzz target `spki`: see `gostkit_fuzz_bodies::spki`. Seeds in `fuzz/corpus/spki/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::spki(data));
