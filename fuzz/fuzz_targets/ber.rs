//! Fuzz target `ber`: see `gostkit::fuzz_targets::ber`. Seeds in `fuzz/corpus/ber/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::ber(data));
