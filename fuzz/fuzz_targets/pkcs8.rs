//! Fuzz target `pkcs8`: see `gostkit_fuzz_bodies::pkcs8`. Seeds in `fuzz/corpus/pkcs8/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::pkcs8(data));
