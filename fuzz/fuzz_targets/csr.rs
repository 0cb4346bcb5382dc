//! Fuzz target `csr`: see `gostkit::fuzz_targets::csr`. Seeds in `fuzz/corpus/csr/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::csr(data));
