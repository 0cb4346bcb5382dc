//! Fuzz target `csr`: see `gostkit_fuzz_bodies::csr`. Seeds in `fuzz/corpus/csr/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::csr(data));
