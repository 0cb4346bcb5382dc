//! gostkit's side of `scripts/peer-tls-speed.sh`: GOST TLS 1.2 on loopback, to be put side by
//! side with `openssl s_client` / `s_time` / `s_server` (OpenSSL 3 + gost-engine).
//!
//! ```text
//! tls_speed handshakes PORT CA.pem SUITE SECONDS   full handshakes against a server for SECONDS;
//!                                                  prints `handshakes N seconds S per_s R`
//! tls_speed send PORT CA.pem SUITE MIB             one connection: MIB MiB of application data
//!                                                  to the server, close_notify, wait for its end
//! tls_speed serve PORT CERT.pem KEY.pem SUITE [N]  server on 127.0.0.1:PORT; each connection:
//!                                                  handshake, read to the end, close; exits after
//!                                                  N connections (default: never)
//! ```
//! SUITE is an IANA or OpenSSL name (see `CipherSuite::from_name`). The client validates the
//! server's chain against CA.pem and the name `localhost`, as an application would; every
//! handshake is a full one (no resumption).
//!
//! Build: `cargo build --release --example tls_speed`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gostkit::tls::stream::TlsStream;
use gostkit::tls::{CipherSuite, ClientConfig, ServerConfig};
use gostkit::x509::Certificate;
use gostkit::x509::store::{CertStore, Role};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const TIMEOUT: Duration = Duration::from_secs(30);

fn suite(name: &str) -> Res<CipherSuite> {
    CipherSuite::from_name(name).ok_or_else(|| format!("unknown suite {name}").into())
}

fn client_config(ca: &str, suite: CipherSuite) -> Res<Arc<ClientConfig>> {
    let mut store = CertStore::new();
    store.add(Certificate::decode(&std::fs::read(ca)?)?, Role::TrustedRoot);
    let mut cfg = ClientConfig::new(store);
    cfg.suites = vec![suite];
    Ok(Arc::new(cfg))
}

fn dial(port: u16) -> Res<TcpStream> {
    let s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_nodelay(true)?;
    s.set_read_timeout(Some(TIMEOUT))?;
    s.set_write_timeout(Some(TIMEOUT))?;
    Ok(s)
}

fn handshakes(port: u16, cfg: Arc<ClientConfig>, seconds: f64) -> Res<()> {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        let mut tls = TlsStream::connect(cfg.clone(), "localhost", dial(port)?)?;
        tls.close()?;
        n += 1;
    }
    let s = start.elapsed().as_secs_f64();
    println!("handshakes {n} seconds {s:.3} per_s {:.1}", n as f64 / s);
    Ok(())
}

fn send(port: u16, cfg: Arc<ClientConfig>, mib: usize) -> Res<()> {
    let mut tls = TlsStream::connect(cfg, "localhost", dial(port)?)?;
    let chunk = vec![0x5au8; 16 * 1024];
    for _ in 0..mib * 64 {
        tls.write_all(&chunk)?;
    }
    tls.close()?;
    // the server answers close_notify (or just closes) once it has read everything
    let mut sink = [0u8; 4096];
    while tls.read(&mut sink)? > 0 {}
    Ok(())
}

fn serve(port: u16, cert: &str, key: &str, suite: CipherSuite, count: Option<u64>) -> Res<()> {
    let chain = Certificate::decode_all(&std::fs::read(cert)?)?;
    let key = gostkit::asn1::GostPrivateKey::from_pem(&std::fs::read_to_string(key)?)?
        .to_signing_key()?;
    let mut cfg = ServerConfig::new(chain, Arc::new(key))?;
    cfg.suites = vec![suite];
    let cfg = Arc::new(cfg);
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let mut served = 0u64;
    while count.is_none_or(|c| served < c) {
        let (sock, _) = listener.accept()?;
        served += 1;
        sock.set_nodelay(true)?;
        sock.set_read_timeout(Some(TIMEOUT))?;
        sock.set_write_timeout(Some(TIMEOUT))?;
        // a client that drops the connection after the handshake (s_time) is not an error here
        let Ok(mut tls) = TlsStream::accept(cfg.clone(), sock) else {
            continue;
        };
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = tls.read(&mut buf) {
            if n == 0 {
                break;
            }
        }
        let _ = tls.close();
    }
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let a = |i: usize| -> Res<&str> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| "usage: see examples/tls_speed.rs".into())
    };
    let port: u16 = a(1)?.parse()?;
    match a(0)? {
        "handshakes" => handshakes(port, client_config(a(2)?, suite(a(3)?)?)?, a(4)?.parse()?),
        "send" => send(port, client_config(a(2)?, suite(a(3)?)?)?, a(4)?.parse()?),
        "serve" => serve(
            port,
            a(2)?,
            a(3)?,
            suite(a(4)?)?,
            args.get(5).map(|n| n.parse()).transpose()?,
        ),
        other => Err(format!("unknown mode {other}").into()),
    }
}
