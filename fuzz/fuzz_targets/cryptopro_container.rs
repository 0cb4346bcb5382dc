//! Fuzz target `cryptopro_container`: see `gostkit_fuzz_bodies::cryptopro_container`. Seeds in
//! `fuzz/corpus/cryptopro_container/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gostkit_fuzz_bodies::cryptopro_container(data));
