//! Fuzz target `ber`: see `gostkit_fuzz_bodies::ber`. Seeds in `fuzz/corpus/ber/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::ber(data));
