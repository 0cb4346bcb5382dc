//! Throughput of gostkit on 8 KiB buffers, comparable with `openssl speed -seconds 1 -bytes 8192
//! -evp <name>` (one context set up once, then the buffer processed again and again for about a
//! second). Prints `name MB/s` lines (MB = 10^6 bytes, as `openssl speed` counts).
//!
//! Run: `cargo run --release --example speed` (`scripts/peer-speed.sh` puts it side by side with
//! OpenSSL + gost-engine).

use std::hint::black_box;
use std::time::{Duration, Instant};

use gostkit::cipher::acpkm::CtrAcpkm;
use gostkit::cipher::gost28147::{Gost28147, Gost28147Cfb, SBox};
use gostkit::cipher::mgm::mgm_seal;
use gostkit::cipher::modes::Ctr;
use gostkit::cipher::{BlockCipher, Kuznyechik, Magma};
use gostkit::hash::{Streebog256, Streebog512};

const BUF_LEN: usize = 8192;
const RUN_FOR: Duration = Duration::from_secs(1);

/// Calls `op` on the buffer until about [`RUN_FOR`] has passed; returns MB/s.
fn measure(buf: &mut [u8], mut op: impl FnMut(&mut [u8])) -> f64 {
    op(buf); // warm-up
    let start = Instant::now();
    let mut bytes = 0u64;
    while start.elapsed() < RUN_FOR {
        for _ in 0..16 {
            op(buf);
            bytes += buf.len() as u64;
        }
    }
    black_box(&buf);
    bytes as f64 / start.elapsed().as_secs_f64() / 1e6
}

fn main() -> Result<(), gostkit::CryptoError> {
    let key = [0x42u8; 32];
    let mut buf = vec![0u8; BUF_LEN];
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (i.wrapping_mul(31) ^ (i >> 8)) as u8;
    }
    let mut results: Vec<(&str, f64)> = Vec::new();

    results.push((
        "streebog256",
        measure(&mut buf, |b| {
            black_box(Streebog256::digest(b));
        }),
    ));
    results.push((
        "streebog512",
        measure(&mut buf, |b| {
            black_box(Streebog512::digest(b));
        }),
    ));

    let mut s = Ctr::<Kuznyechik>::new(&key, &[0x24; 8])?;
    results.push((
        "kuznyechik-ctr",
        measure(&mut buf, |b| s.apply_keystream(b)),
    ));
    // Section sizes as gost-engine's ctr-acpkm ciphers: 4 KiB (Kuznyechik), 1 KiB (Magma).
    let mut s = CtrAcpkm::<Kuznyechik>::new(&key, &[0x24; 8], 4096)?;
    let mut failed = None;
    results.push((
        "kuznyechik-ctr-acpkm",
        measure(&mut buf, |b| {
            if let Err(e) = s.apply_keystream(b) {
                failed = Some(e);
            }
        }),
    ));
    let mut s = Ctr::<Magma>::new(&key, &[0x24; 4])?;
    results.push(("magma-ctr", measure(&mut buf, |b| s.apply_keystream(b))));
    let mut s = CtrAcpkm::<Magma>::new(&key, &[0x24; 4], 1024)?;
    results.push((
        "magma-ctr-acpkm",
        measure(&mut buf, |b| {
            if let Err(e) = s.apply_keystream(b) {
                failed = Some(e);
            }
        }),
    ));
    let g = Gost28147::with_sbox(&key, SBox::CryptoProA)?;
    let mut s = Gost28147Cfb::new(&g, &[0x24; 8], true)?;
    results.push(("gost89-cfb", measure(&mut buf, |b| s.encrypt(b))));

    // MGM (RFC 9058): the whole buffer sealed as plaintext, no associated data, full tag.
    let k = Kuznyechik::new(&key)?;
    results.push((
        "kuznyechik-mgm",
        measure(&mut buf, |b| match mgm_seal(&k, &[0x24; 16], b"", b, 16) {
            Ok(t) => {
                black_box(t);
            }
            Err(e) => failed = Some(e),
        }),
    ));
    let m = Magma::new(&key)?;
    results.push((
        "magma-mgm",
        measure(&mut buf, |b| match mgm_seal(&m, &[0x24; 8], b"", b, 8) {
            Ok(t) => {
                black_box(t);
            }
            Err(e) => failed = Some(e),
        }),
    ));

    if let Some(e) = failed {
        return Err(e);
    }
    for (name, mbps) in results {
        println!("{name} {mbps:.1}");
    }
    Ok(())
}
