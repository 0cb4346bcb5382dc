//! Fuzz target `cryptopro_unwrap`: see `gostkit::fuzz_targets::cryptopro_unwrap`. Seeds in `fuzz/corpus/cryptopro_unwrap/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::cryptopro_unwrap(data));
