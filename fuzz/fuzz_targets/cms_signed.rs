//! Fuzz target `cms_signed`: see `gostkit::fuzz_targets::cms_signed`. Seeds in `fuzz/corpus/cms_signed/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::cms_signed(data));
