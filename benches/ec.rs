//! GOST R 34.10-2012 keygen / sign / verify / VKO throughput on CryptoPro-A, tc26-256-A,
//! tc26-512-A and tc26-512-C.

use criterion::{Criterion, criterion_group, criterion_main};
use gostkit::ec::{ParamSet, SigningKey, vko_2012_256};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    for (label, set) in [
        ("cryptopro-a", ParamSet::CryptoProA),
        ("tc26-256-a", ParamSet::Tc26_256A),
        ("tc26-512-a", ParamSet::Tc26_512A),
        ("tc26-512-c", ParamSet::Tc26_512C),
    ] {
        let mut g = c.benchmark_group(label);
        let key = SigningKey::generate(set).expect("keygen");
        let peer = SigningKey::generate(set).expect("keygen");
        let digest = vec![0x5au8; set.bits() / 8];
        let sig = key.sign_digest(&digest).expect("sign");
        let vk = key.verifying_key().clone();
        g.bench_function("keygen", |b| {
            b.iter(|| SigningKey::generate(black_box(set)).expect("keygen"))
        });
        g.bench_function("sign", |b| {
            b.iter(|| key.sign_digest(black_box(&digest)).expect("sign"))
        });
        g.bench_function("verify", |b| {
            b.iter(|| {
                vk.verify_digest(black_box(&digest), black_box(&sig))
                    .expect("verify")
            })
        });
        g.bench_function("vko", |b| {
            b.iter(|| {
                vko_2012_256(
                    &key,
                    black_box(peer.verifying_key()),
                    &[1, 2, 3, 4, 5, 6, 7, 8],
                )
                .expect("vko")
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
