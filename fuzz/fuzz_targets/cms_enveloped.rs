//! Fuzz target `cms_enveloped`: see `gostkit::fuzz_targets::cms_enveloped`. Seeds in `fuzz/corpus/cms_enveloped/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit::fuzz_targets::cms_enveloped(data));
