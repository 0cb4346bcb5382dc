//! Fuzz target `tsp`: see `gostkit_fuzz_bodies::tsp`. Seeds in `fuzz/corpus/tsp/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::tsp(data));
