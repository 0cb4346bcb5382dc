//! Fuzz target `cms_verify_stream`: see `gostkit_fuzz_bodies::cms_verify_stream`. Seeds in `fuzz/corpus/cms_verify_stream/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cms_verify_stream(data));
