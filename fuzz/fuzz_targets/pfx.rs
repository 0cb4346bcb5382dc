//! Fuzz target `pfx`: see `gostkit::fuzz_targets::pfx`. Seeds in `fuzz/corpus/pfx/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::pfx(data));
