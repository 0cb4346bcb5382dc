//! Fuzz target `cert`: see `gostkit::fuzz_targets::cert`. Seeds in `fuzz/corpus/cert/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::cert(data));
