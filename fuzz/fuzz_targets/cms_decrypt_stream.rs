//! Fuzz target `cms_decrypt_stream`: see `gostkit::fuzz_targets::cms_decrypt_stream`. Seeds in `fuzz/corpus/cms_decrypt_stream/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::cms_decrypt_stream(data));
