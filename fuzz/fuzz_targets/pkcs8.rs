//! Fuzz target `pkcs8`: see `gostkit::fuzz_targets::pkcs8`. Seeds in `fuzz/corpus/pkcs8/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::pkcs8(data));
