//! Fuzz target `tls_server`: see `gostkit_fuzz_bodies::tls_server`. Seeds in `fuzz/corpus/tls_server/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::tls_server(data));
