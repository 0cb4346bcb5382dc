//! Fuzz target `path_validation`: see `gostkit::fuzz_targets::path_validation`. Seeds in `fuzz/corpus/path_validation/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::path_validation(data));
