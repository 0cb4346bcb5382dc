//! Large-file CMS in bounded memory: streams SIZE_MIB (default 1024) MiB of generated content
//! through a detached signature, its verification, EnvelopedData encryption and decryption
//! (Kuznyechik CTR-ACPKM-OMAC), to and from files in a scratch directory, and prints the
//! throughput of each step and the peak resident memory (VmHWM). Run in release:
//! `cargo run --release --example cms_large [SIZE_MIB]`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::time::Instant;

use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{self, Recipient};
use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::x509::issue::{IssueOptions, self_signed};
use gostkit::x509::name::parse_slash_dn;

fn vm_hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "n/a".into())
}

/// A reader producing `len` bytes of a simple pattern without holding them.
struct Pattern {
    left: u64,
    n: u64,
}
impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = (buf.len() as u64).min(self.left) as usize;
        for b in &mut buf[..k] {
            *b = (self.n % 251) as u8;
            self.n += 1;
        }
        self.left -= k as u64;
        Ok(k)
    }
}

fn main() {
    let mib: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let len = mib << 20;
    let dir = std::env::temp_dir().join(format!("gostkit-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = SigningKey::generate(ParamSet::Tc26_256A).unwrap();
    let cert = self_signed(
        &parse_slash_dn("/CN=Large").unwrap(),
        &key,
        &IssueOptions::days(1),
    )
    .unwrap();
    let data = dir.join("data.bin");
    {
        let mut w = BufWriter::new(File::create(&data).unwrap());
        std::io::copy(&mut Pattern { left: len, n: 0 }, &mut w).unwrap();
        w.flush().unwrap();
    }
    let rate = |t: Instant| mib as f64 / t.elapsed().as_secs_f64();
    let signer = [Signer {
        cert: &cert,
        key: &key,
    }];
    let t = Instant::now();
    let sig = signed::sign_detached_reader(
        &mut BufReader::new(File::open(&data).unwrap()),
        &signer,
        &SignOptions {
            detached: true,
            ..SignOptions::default()
        },
    )
    .unwrap();
    println!("sign detached:   {:7.1} MiB/s", rate(t));
    let t = Instant::now();
    let m = SignedMessage::parse(&sig).unwrap();
    let r = m
        .verify_reader(&mut BufReader::new(File::open(&data).unwrap()), &[])
        .unwrap();
    assert!(r[0].result.is_ok());
    println!("verify detached: {:7.1} MiB/s", rate(t));
    let env = dir.join("data.p7m");
    let t = Instant::now();
    {
        let mut w = BufWriter::new(File::create(&env).unwrap());
        enveloped::encrypt_stream(
            &mut BufReader::new(File::open(&data).unwrap()),
            len,
            &mut w,
            &[&cert],
            ContentCipher::KuznyechikCtrAcpkmOmac,
        )
        .unwrap();
        w.flush().unwrap();
    }
    println!("encrypt:         {:7.1} MiB/s", rate(t));
    let out = dir.join("data.out");
    let t = Instant::now();
    {
        let mut w = BufWriter::new(File::create(&out).unwrap());
        enveloped::decrypt_stream(
            &mut BufReader::new(File::open(&env).unwrap()),
            &mut w,
            &[Recipient {
                cert: &cert,
                key: &key,
            }],
            &[],
        )
        .unwrap();
        w.flush().unwrap();
    }
    println!("decrypt:         {:7.1} MiB/s", rate(t));
    assert_eq!(std::fs::metadata(&out).unwrap().len(), len);
    println!("{mib} MiB, peak resident memory (VmHWM): {}", vm_hwm());
    let _ = std::fs::remove_dir_all(&dir);
}
