//! Throughput of the primitives over 8 KiB and 1 MiB messages.
//!
//! `cargo bench --bench primitives` measures; `cargo test --benches` runs each once as a test.
//! To add a group (HMAC, a cipher mode…), write a `fn bench_xxx(c: &mut Criterion)` that calls
//! [`for_sizes`] and list it in `criterion_group!` at the bottom.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gostkit::hash::{Streebog256, Streebog512};

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

criterion_group!(benches, bench_hashes);
criterion_main!(benches);
