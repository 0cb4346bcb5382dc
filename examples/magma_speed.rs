//! Throughput of every Magma / GOST 28147-89 mode on 8 KiB buffers (the serial ones — CBC and CFB
//! encryption, the MACs — and the parallel ones), so a change of the block-cipher core can be
//! compared mode by mode. Prints `name MB/s` lines (MB = 10^6 bytes), as `examples/speed.rs`.
//!
//! Run: `cargo run --release --example magma_speed [seconds per row]`. Only the public API is
//! used, so the same file builds against older revisions for A/B runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use gostkit::cipher::acpkm::CtrAcpkm;
use gostkit::cipher::gost28147::{Gost28147, Gost28147Cfb, Gost28147Cnt, Gost28147Mac, SBox};
use gostkit::cipher::modes::{
    Ctr, Omac, cbc_decrypt, cbc_encrypt, cfb_decrypt, cfb_encrypt, ecb_decrypt,
};
use gostkit::cipher::{BlockCipher, Magma};

const BUF_LEN: usize = 8192;

/// Calls `op` on the buffer until `run_for` has passed; returns MB/s.
fn measure(buf: &mut [u8], run_for: Duration, mut op: impl FnMut(&mut [u8])) -> f64 {
    op(buf); // warm-up
    let start = Instant::now();
    let mut bytes = 0u64;
    while start.elapsed() < run_for {
        for _ in 0..8 {
            op(buf);
            bytes += buf.len() as u64;
        }
    }
    black_box(&buf);
    bytes as f64 / start.elapsed().as_secs_f64() / 1e6
}

fn main() -> Result<(), gostkit::CryptoError> {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.5);
    let run_for = Duration::from_secs_f64(secs);
    let key = [0x42u8; 32];
    let mut buf = vec![0u8; BUF_LEN];
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (i.wrapping_mul(31) ^ (i >> 8)) as u8;
    }
    let mut rows: Vec<(&str, f64)> = Vec::new();
    let mut failed = None;

    let m = Magma::new(&key)?;
    rows.push((
        "magma-ecb-enc",
        measure(&mut buf, run_for, |b| m.encrypt_blocks(b)),
    ));
    rows.push((
        "magma-ecb-dec",
        measure(&mut buf, run_for, |b| match ecb_decrypt::<Magma>(&key, b) {
            Ok(v) => {
                black_box(v);
            }
            Err(e) => failed = Some(e),
        }),
    ));
    let mut s = Ctr::<Magma>::new(&key, &[0x24; 4])?;
    rows.push((
        "magma-ctr",
        measure(&mut buf, run_for, |b| s.apply_keystream(b)),
    ));
    let mut s = CtrAcpkm::<Magma>::new(&key, &[0x24; 4], 1024)?;
    rows.push((
        "magma-ctr-acpkm",
        measure(&mut buf, run_for, |b| {
            if let Err(e) = s.apply_keystream(b) {
                failed = Some(e);
            }
        }),
    ));
    let iv = [0x24u8; 8];
    for (name, dec) in [("magma-cbc-enc", false), ("magma-cbc-dec", true)] {
        rows.push((
            name,
            measure(&mut buf, run_for, |b| {
                let r = if dec {
                    cbc_decrypt::<Magma>(&key, &iv, b)
                } else {
                    cbc_encrypt::<Magma>(&key, &iv, b)
                };
                match r {
                    Ok(v) => {
                        black_box(v);
                    }
                    Err(e) => failed = Some(e),
                }
            }),
        ));
    }
    for (name, dec) in [("magma-cfb-enc", false), ("magma-cfb-dec", true)] {
        rows.push((
            name,
            measure(&mut buf, run_for, |b| {
                let r = if dec {
                    cfb_decrypt::<Magma>(&key, &iv, b)
                } else {
                    cfb_encrypt::<Magma>(&key, &iv, b)
                };
                match r {
                    Ok(v) => {
                        black_box(v);
                    }
                    Err(e) => failed = Some(e),
                }
            }),
        ));
    }
    let mut o = Omac::<Magma>::new(&key)?;
    rows.push(("magma-omac", measure(&mut buf, run_for, |b| o.update(b))));
    black_box(o.finalize());

    let g = Gost28147::with_sbox(&key, SBox::CryptoProA)?;
    rows.push((
        "gost89-ecb-enc",
        measure(&mut buf, run_for, |b| {
            if let Err(e) = g.ecb_encrypt(b) {
                failed = Some(e);
            }
        }),
    ));
    let mut s = Gost28147Cnt::new(&g, &[0x24; 8], true)?;
    rows.push((
        "gost89-cnt",
        measure(&mut buf, run_for, |b| s.apply_keystream(b)),
    ));
    let mut s = Gost28147Cfb::new(&g, &[0x24; 8], true)?;
    rows.push((
        "gost89-cfb-enc",
        measure(&mut buf, run_for, |b| s.encrypt(b)),
    ));
    let mut s = Gost28147Cfb::new(&g, &[0x24; 8], true)?;
    rows.push((
        "gost89-cfb-dec",
        measure(&mut buf, run_for, |b| s.decrypt(b)),
    ));
    let mut mac = Gost28147Mac::new(&g, None, true)?;
    rows.push(("gost89-imit", measure(&mut buf, run_for, |b| mac.update(b))));
    black_box(mac.finalize());

    if let Some(e) = failed {
        return Err(e);
    }
    for (name, mbps) in rows {
        println!("{name} {mbps:.1}");
    }
    Ok(())
}
