//! Fuzz target `crl_bundle`: see `gostkit::fuzz_targets::crl_bundle`. Seeds in `fuzz/corpus/crl_bundle/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::crl_bundle(data));
