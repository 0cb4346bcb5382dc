//! Fuzz target `cryptopro_key_bag`: see `gostkit_fuzz_bodies::cryptopro_key_bag`. Seeds in `fuzz/corpus/cryptopro_key_bag/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cryptopro_key_bag(data));
