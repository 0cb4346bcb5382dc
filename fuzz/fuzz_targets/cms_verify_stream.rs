//! Fuzz target `cms_verify_stream`: see `gostkit::fuzz_targets::cms_verify_stream`. Seeds in `fuzz/corpus/cms_verify_stream/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::cms_verify_stream(data));
