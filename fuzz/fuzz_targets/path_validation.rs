//! Fuzz target `path_validation`: see `gostkit_fuzz_bodies::path_validation`. Seeds in `fuzz/corpus/path_validation/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::path_validation(data));
