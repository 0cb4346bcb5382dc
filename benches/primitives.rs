//! Throughput of the primitives over 8 KiB and 1 MiB messages.
//!
//! `cargo bench --bench primitives` measures; `cargo test --benches` runs each once as a test.
//! Groups: Streebog-256/512, HMAC-Streebog-256/512, and for Kuznyechik and Magma CTR, CBC, OMAC,
//! CTR-ACPKM and MGM (one-shot calls, key schedule included). To add a group, write a
//! `fn bench_xxx(c: &mut Criterion)` that calls [`for_sizes`] and list it in `criterion_group!`
//! at the bottom.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gostkit::cipher::acpkm::ctr_acpkm;
use gostkit::cipher::mgm::mgm_seal;
use gostkit::cipher::modes::{cbc_encrypt, ctr, omac};
use gostkit::cipher::{BlockCipher, Kuznyechik, Magma};
use gostkit::hash::{Streebog256, Streebog512};
use gostkit::mac::{HmacStreebog256, HmacStreebog512};

/// Message sizes every group is measured at.
const SIZES: [(usize, &str); 2] = [(8 * 1024, "8KiB"), (1024 * 1024, "1MiB")];

/// A deterministic, non-trivial message of `len` bytes.
fn message(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(31) ^ (i >> 8)) as u8)
        .collect()
}

/// Runs `op` over a message of each of [`SIZES`] in a group named `group`, reporting bytes/s.
fn for_sizes(c: &mut Criterion, group: &str, mut op: impl FnMut(&[u8])) {
    let mut g = c.benchmark_group(group);
    for (len, label) in SIZES {
        let data = message(len);
        g.throughput(Throughput::Bytes(len as u64));
        g.bench_function(label, |b| b.iter(|| op(black_box(&data))));
    }
    g.finish();
}

fn bench_hashes(c: &mut Criterion) {
    for_sizes(c, "streebog256", |d| {
        black_box(Streebog256::digest(d));
    });
    for_sizes(c, "streebog512", |d| {
        black_box(Streebog512::digest(d));
    });
}

fn bench_hmac(c: &mut Criterion) {
    let key = [0x42u8; 32];
    for_sizes(c, "hmac-streebog256", |d| {
        black_box(HmacStreebog256::mac(&key, d));
    });
    for_sizes(c, "hmac-streebog512", |d| {
        black_box(HmacStreebog512::mac(&key, d));
    });
}

/// CTR, CBC, OMAC, CTR-ACPKM and MGM for one cipher; `name` prefixes the group names.
fn bench_cipher<C: BlockCipher>(c: &mut Criterion, name: &str) {
    let key = [0x42u8; 32];
    let half_iv = vec![0x24u8; C::BLOCK_LEN / 2];
    let iv = vec![0x24u8; C::BLOCK_LEN];
    // MGM nonce: one block with the most significant bit clear.
    let nonce = vec![0x12u8; C::BLOCK_LEN];
    // CTR-ACPKM section sizes of the TLS/CMS profiles: 4 KiB (Kuznyechik), 1 KiB (Magma).
    let section = if C::BLOCK_LEN == 16 { 4096 } else { 1024 };
    let cipher = C::new(&key).expect("32-byte key");
    for_sizes(c, &format!("{name}-ctr"), |d| {
        black_box(ctr::<C>(&key, &half_iv, d).expect("ctr"));
    });
    for_sizes(c, &format!("{name}-cbc"), |d| {
        black_box(cbc_encrypt::<C>(&key, &iv, d).expect("cbc"));
    });
    for_sizes(c, &format!("{name}-omac"), |d| {
        black_box(omac::<C>(&key, d, C::BLOCK_LEN).expect("omac"));
    });
    for_sizes(c, &format!("{name}-ctr-acpkm"), |d| {
        black_box(ctr_acpkm::<C>(&key, &half_iv, section, d).expect("ctr-acpkm"));
    });
    for_sizes(c, &format!("{name}-mgm"), |d| {
        let mut buf = d.to_vec();
        let tag = mgm_seal::<C>(&cipher, &nonce, &[], &mut buf, C::BLOCK_LEN).expect("mgm");
        black_box((buf, tag));
    });
}

fn bench_kuznyechik(c: &mut Criterion) {
    bench_cipher::<Kuznyechik>(c, "kuznyechik");
}

fn bench_magma(c: &mut Criterion) {
    bench_cipher::<Magma>(c, "magma");
}

/// Short measurements so that the whole run stays within a few minutes.
fn config() -> Criterion {
    Criterion::default()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .sample_size(10)
}

criterion_group!(
    name = benches;
    config = config();
    targets = bench_hashes, bench_hmac, bench_kuznyechik, bench_magma
);
criterion_main!(benches);
