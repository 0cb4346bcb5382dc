//! Speed of gostkit's PBKDF2-HMAC-Streebog-512 (iterations per second, 64-byte output) and of
//! HMAC-Streebog-256/512 on short messages (operations per second, one keyed state set up once
//! and cloned per message, as `openssl speed -hmac` re-initialises a keyed context).
//!
//! Prints `name value` lines: `pbkdf2-streebog512 <iterations/s>` and
//! `hmac-streebog{256,512}-<n> <ops/s>` for n = 16 and 64 message bytes.
//!
//! Run: `cargo run --release --example kdf_speed` (`scripts/peer-kdf-speed.sh` puts it side by
//! side with OpenSSL + gost-engine). `kdf_speed pbkdf2 N` runs one derivation of N iterations
//! and prints its time (for profiling).

use std::hint::black_box;
use std::time::{Duration, Instant};

use gostkit::kdf::pbkdf2_streebog512;
use gostkit::mac::{HmacStreebog256, HmacStreebog512};

const RUN_FOR: Duration = Duration::from_secs(1);

/// Calls `op` until about [`RUN_FOR`] has passed; returns calls per second.
fn per_second(mut op: impl FnMut()) -> f64 {
    op(); // warm-up
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < RUN_FOR {
        for _ in 0..64 {
            op();
        }
        n += 64;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() -> Result<(), gostkit::CryptoError> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("pbkdf2") {
        let n: u32 = args
            .get(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1_000_000);
        let mut out = [0u8; 64];
        let t = Instant::now();
        pbkdf2_streebog512(b"password", b"salt", n, &mut out)?;
        let s = t.elapsed().as_secs_f64();
        println!(
            "pbkdf2-streebog512 {n} iterations {s:.3} s {:.0}/s",
            f64::from(n) / s
        );
        return Ok(());
    }

    // PBKDF2: one derivation of ITER iterations per call; the per-call set-up (two key blocks
    // and the first iteration over the salt) is amortised over ITER.
    const ITER: u32 = 20_000;
    let mut out = [0u8; 64];
    let mut failed = None;
    let calls = per_second(|| {
        if let Err(e) = pbkdf2_streebog512(b"password", b"saltsaltsaltsalt", ITER, &mut out) {
            failed = Some(e);
        }
        black_box(&out);
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let mut results: Vec<(String, f64)> =
        vec![("pbkdf2-streebog512".into(), calls * f64::from(ITER))];

    let key = [0x42u8; 32];
    let msg = [0x5au8; 64];
    for n in [16usize, 64] {
        let m = &msg[..n];
        let k256 = HmacStreebog256::new(&key);
        results.push((
            format!("hmac-streebog256-{n}"),
            per_second(|| {
                let mut h = k256.clone();
                h.update(black_box(m));
                black_box(h.finalize());
            }),
        ));
        let k512 = HmacStreebog512::new(&key);
        results.push((
            format!("hmac-streebog512-{n}"),
            per_second(|| {
                let mut h = k512.clone();
                h.update(black_box(m));
                black_box(h.finalize());
            }),
        ));
    }

    for (name, v) in results {
        println!("{name} {v:.0}");
    }
    Ok(())
}
