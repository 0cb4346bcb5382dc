//! Fuzz target `cms_enveloped`: see `gostkit_fuzz_bodies::cms_enveloped`. Seeds in `fuzz/corpus/cms_enveloped/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cms_enveloped(data));
