//! Fuzz target `pfx`: see `gostkit_fuzz_bodies::pfx`. Seeds in `fuzz/corpus/pfx/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::pfx(data));
