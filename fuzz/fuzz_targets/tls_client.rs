//! Fuzz target `tls_client`: see `gostkit_fuzz_bodies::tls_client`. Seeds in `fuzz/corpus/tls_client/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::tls_client(data));
