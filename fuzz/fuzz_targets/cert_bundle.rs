//! Fuzz target `cert_bundle`: see `gostkit_fuzz_bodies::cert_bundle`. Seeds in `fuzz/corpus/cert_bundle/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cert_bundle(data));
