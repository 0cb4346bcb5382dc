//! Fuzz target `pkcs8_encrypted`: see `gostkit_fuzz_bodies::pkcs8_encrypted`. Seeds in `fuzz/corpus/pkcs8_encrypted/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::pkcs8_encrypted(data));
