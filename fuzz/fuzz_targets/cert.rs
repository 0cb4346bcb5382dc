//! Fuzz target `cert`: see `gostkit_fuzz_bodies::cert`. Seeds in `fuzz/corpus/cert/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cert(data));
