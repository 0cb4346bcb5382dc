//! Fuzz target `cms_signed`: see `gostkit_fuzz_bodies::cms_signed`. Seeds in `fuzz/corpus/cms_signed/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cms_signed(data));
