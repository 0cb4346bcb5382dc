//! Fuzz target `pem`: see `gostkit_fuzz_bodies::pem`. Seeds in `fuzz/corpus/pem/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::pem(data));
