//! Operations per second of gostkit's GOST R 34.10-2012 code, comparable with
//! `benches/peer/ec_speed.c` (OpenSSL + gost-engine): key generation, signing a digest, verifying
//! it and VKO (8-byte UKM) on CryptoPro-A, tc26-256-A, tc26-512-A and tc26-512-C, each for about a
//! second. Prints `op curve ops_per_s` lines.
//!
//! Run: `cargo run --release --example ec_speed` (`scripts/peer-ec-speed.sh` puts it side by side
//! with the peer).

use std::hint::black_box;
use std::time::{Duration, Instant};

use gostkit::ec::{EcError, ParamSet, SigningKey, vko_2012_256, vko_2012_512};

const RUN_FOR: Duration = Duration::from_secs(1);

/// Calls `op` until about [`RUN_FOR`] has passed; returns operations per second.
fn measure(mut op: impl FnMut()) -> f64 {
    op();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < RUN_FOR {
        for _ in 0..8 {
            op();
        }
        n += 8;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() -> Result<(), EcError> {
    let sets = ["cryptopro-a", "tc26-256-a", "tc26-512-a", "tc26-512-c"];
    let ukm = [1u8, 2, 3, 4, 5, 6, 7, 8];
    for label in sets {
        let set = ParamSet::from_name(label)
            .ok_or(EcError::UnsupportedParamSet { what: "curve name" })?;
        let size = set.bits() / 8;
        let digest = vec![0x5au8; size];
        let key = SigningKey::generate(set)?;
        let other = SigningKey::generate(set)?;
        let sig = key.sign_digest(&digest)?;
        let vk = key.verifying_key().clone();
        let mut failed = None;
        let mut record = |r: Result<(), EcError>| {
            if let Err(e) = r {
                failed = Some(e);
            }
        };
        let keygen = measure(|| record(SigningKey::generate(set).map(|k| drop(black_box(k)))));
        let sign = measure(|| record(key.sign_digest(&digest).map(|s| drop(black_box(s)))));
        let verify = measure(|| record(vk.verify_digest(&digest, &sig)));
        let vko = measure(|| {
            let r = if size == 32 {
                vko_2012_256(&key, other.verifying_key(), &ukm).map(|k| drop(black_box(k)))
            } else {
                vko_2012_512(&key, other.verifying_key(), &ukm).map(|k| drop(black_box(k)))
            };
            record(r)
        });
        if let Some(e) = failed {
            return Err(e);
        }
        for (op, v) in [
            ("keygen", keygen),
            ("sign", sign),
            ("verify", verify),
            ("vko", vko),
        ] {
            println!("{op} {label} {v:.0}");
        }
    }
    Ok(())
}
