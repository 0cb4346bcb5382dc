//! Fuzz target `crl`: see `gostkit_fuzz_bodies::crl`. Seeds in `fuzz/corpus/crl/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::crl(data));
