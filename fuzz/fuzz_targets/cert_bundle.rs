//! Fuzz target `cert_bundle`: see `gostkit::fuzz_targets::cert_bundle`. Seeds in `fuzz/corpus/cert_bundle/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::cert_bundle(data));
