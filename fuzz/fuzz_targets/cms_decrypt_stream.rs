//! Fuzz target `cms_decrypt_stream`: see `gostkit_fuzz_bodies::cms_decrypt_stream`. Seeds in `fuzz/corpus/cms_decrypt_stream/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cms_decrypt_stream(data));
