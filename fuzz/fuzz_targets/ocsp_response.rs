//! Fuzz target `ocsp_response`: see `gostkit_fuzz_bodies::ocsp_response`. Seeds in
//! `fuzz/corpus/ocsp_response/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::ocsp_response(data));
