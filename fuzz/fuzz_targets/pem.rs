//! Fuzz target `pem`: see `gostkit::fuzz_targets::pem`. Seeds in `fuzz/corpus/pem/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::pem(data));
