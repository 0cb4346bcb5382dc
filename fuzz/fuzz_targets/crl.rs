//! Fuzz target `crl`: see `gostkit::fuzz_targets::crl`. Seeds in `fuzz/corpus/crl/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::crl(data));
