//! Fuzz target `cades_ltv`: see `gostkit_fuzz_bodies::cades_ltv`. Seeds in `fuzz/corpus/cades_ltv/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cades_ltv(data));
