//! Fuzz target `crl_bundle`: see `gostkit_fuzz_bodies::crl_bundle`. Seeds in `fuzz/corpus/crl_bundle/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::crl_bundle(data));
