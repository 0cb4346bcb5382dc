//! Fuzz target `cryptopro_unwrap`: see `gostkit_fuzz_bodies::cryptopro_unwrap`. Seeds in `fuzz/corpus/cryptopro_unwrap/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cryptopro_unwrap(data));
