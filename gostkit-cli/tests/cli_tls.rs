//! `gostkit tls connect` / `tls serve` (CLI.md): gostkit against itself for each suite and with
//! client certificates, against `openssl s_server -www` and `openssl s_client` (OpenSSL 3 +
//! gost-engine) carrying HTTP, and the failures with their tokens. Servers listen on 127.0.0.1
//! only, are started and killed by the test, and every wait is bounded.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::peer::Peer;

const BIN: &str = env!("CARGO_BIN_EXE_gostkit");
const TIMEOUT: Duration = Duration::from_secs(20);

fn scratch(tag: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-tls-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn ok(args: &[&str]) {
    let o = Command::new(BIN).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "gostkit {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A CA and, issued by it, a server certificate for `localhost` and a client certificate.
struct Pki {
    ca: String,
    srv_cert: String,
    srv_key: String,
    cli_cert: String,
    cli_key: String,
    other_ca: String,
}

fn pki(d: &Path, server_curve: &str) -> Pki {
    let p = |n: &str| s(&d.join(n));
    ok(&["genkey", "--curve", "tc26-256-a", "--out", &p("ca.key")]);
    ok(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &p("ca.key"),
        "--subject",
        "/CN=gostkit CLI TLS CA",
        "--ca",
        "--out",
        &p("ca.pem"),
    ]);
    ok(&["genkey", "--curve", "tc26-256-b", "--out", &p("other.key")]);
    ok(&[
        "x509",
        "issue",
        "--self-signed",
        "--key",
        &p("other.key"),
        "--subject",
        "/CN=Another CA",
        "--ca",
        "--out",
        &p("other.pem"),
    ]);
    for (name, curve, cn) in [
        ("srv", server_curve, "/CN=localhost"),
        ("cli", "tc26-512-a", "/CN=TLS client/O=gostkit"),
    ] {
        ok(&[
            "genkey",
            "--curve",
            curve,
            "--out",
            &p(&format!("{name}.key")),
        ]);
        ok(&[
            "req",
            "--key",
            &p(&format!("{name}.key")),
            "--subject",
            cn,
            "--out",
            &p(&format!("{name}.csr")),
        ]);
        ok(&[
            "x509",
            "issue",
            "--req",
            &p(&format!("{name}.csr")),
            "--ca-cert",
            &p("ca.pem"),
            "--ca-key",
            &p("ca.key"),
            "--days",
            "30",
            "--out",
            &p(&format!("{name}.pem")),
        ]);
    }
    Pki {
        ca: p("ca.pem"),
        srv_cert: p("srv.pem"),
        srv_key: p("srv.key"),
        cli_cert: p("cli.pem"),
        cli_key: p("cli.key"),
        other_ca: p("other.pem"),
    }
}

/// A running `gostkit tls serve`, killed on drop.
struct Serve {
    child: Child,
    port: u16,
    stderr: BufReader<ChildStderr>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(args: &[&str]) -> Serve {
        let mut child = Command::new(BIN)
            .args(["tls", "serve", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on 127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("tls serve said {line:?}"));
        Serve {
            child,
            port,
            stderr,
        }
    }

    /// Waits (bounded) for the server to exit after its connections; its status and stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                break st.code();
            }
            assert!(start.elapsed() < TIMEOUT, "tls serve did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut rest = String::new();
        let _ = self.stderr.read_to_string(&mut rest);
        (status, rest)
    }
}

/// `gostkit tls connect` with `input` on stdin, killed if it outlives the timeout.
fn connect(port: u16, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args([
            "tls",
            "connect",
            &format!("127.0.0.1:{port}"),
            "--servername",
            "localhost",
        ])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    // Drain both pipes while it runs (an echo is larger than a pipe's buffer).
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("tls connect {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    feeder.join().unwrap();
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn gostkit_to_gostkit_echo_for_each_suite() {
    let d = scratch("echo");
    let p = pki(&d, "tc26-256-a");
    for suite in [
        "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",
        "GOST2012-MAGMA-MAGMAOMAC",
    ] {
        let serve = Serve::start(&["--cert", &p.srv_cert, "--key", &p.srv_key]);
        // 200 KB: many records each way.
        let input: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let o = connect(serve.port, &["--trusted", &p.ca, "--suite", suite], &input);
        assert!(o.status.success(), "{suite}: {}", stderr(&o));
        assert!(o.stdout == input, "{suite}: echoed bytes differ");
        let line = stderr(&o);
        assert!(
            line.starts_with("TLS_GOSTR341112_256_WITH_")
                && line.trim_end().ends_with("CN=localhost"),
            "{suite}: {line}"
        );
        let (status, log) = serve.finish();
        assert_eq!(status, Some(0), "{log}");
    }
}

#[test]
fn client_certificates_are_required_and_checked() {
    let d = scratch("client-auth");
    let p = pki(&d, "tc26-512-b");
    let serve = Serve::start(&[
        "--cert",
        &p.srv_cert,
        "--key",
        &p.srv_key,
        "--client-ca",
        &p.ca,
        "--count",
        "2",
    ]);
    let o = connect(
        serve.port,
        &[
            "--trusted",
            &p.ca,
            "--cert",
            &p.cli_cert,
            "--key",
            &p.cli_key,
        ],
        b"signed in\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, b"signed in\n");
    // Without a certificate the server refuses: the client reports the alert by name.
    let o = connect(serve.port, &["--trusted", &p.ca], b"anonymous\n");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error: tls-alert: "), "{err}");
    assert!(err.contains("handshake_failure"), "{err}");
    let (status, log) = serve.finish();
    assert!(log.contains("CN=TLS client"), "server log: {log}");
    assert_eq!(
        status,
        Some(1),
        "the refused connection is the server's failure too: {log}"
    );
}

#[test]
fn untrusted_chain_and_wrong_name_have_their_tokens() {
    let d = scratch("negative");
    let p = pki(&d, "tc26-256-a");
    let serve = Serve::start(&["--cert", &p.srv_cert, "--key", &p.srv_key, "--count", "3"]);
    let o = connect(serve.port, &["--trusted", &p.other_ca], b"x");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The other CA did not issue the server's certificate: no issuer for it in the store.
    assert!(
        stderr(&o).starts_with("error: no-issuer: "),
        "{}",
        stderr(&o)
    );

    let o = Command::new(BIN)
        .args(["tls", "connect", &format!("127.0.0.1:{}", serve.port)])
        .args(["--servername", "not-localhost.example", "--trusted", &p.ca])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: handshake-failure: "),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("not-localhost.example"),
        "{}",
        stderr(&o)
    );

    let o = connect(
        serve.port,
        &["--trusted", &p.ca, "--suite", "RC4-MD5"],
        b"x",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("error: unsupported: "),
        "{}",
        stderr(&o)
    );
    // the third connection: a client that connects and leaves
    drop(TcpStream::connect(("127.0.0.1", serve.port)).unwrap());
    let _ = serve.finish();
}

fn peer_or_skip(tag: &str) -> Option<Peer> {
    match Peer::find(tag) {
        Ok(p) => Some(p),
        Err(why) => {
            println!("SKIP {tag}: {why}");
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn http_with_openssl_s_server_and_s_client() {
    let Some(peer) = peer_or_skip("cli-tls") else {
        return;
    };
    let d = scratch("peer");
    let p = pki(&d, "tc26-256-a");

    // gostkit connect → openssl s_server -www (which answers a GET with a status page).
    let port = free_port();
    let accept = format!("127.0.0.1:{port}");
    let mut server = Command::new("openssl")
        .args([
            "s_server",
            "-tls1_2",
            "-www",
            "-cert",
            &p.srv_cert,
            "-key",
            &p.srv_key,
        ])
        .args([
            "-cipher",
            "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC:GOST2012-MAGMA-MAGMAOMAC",
        ])
        .args(["-accept", &accept, "-naccept", "2", "-quiet"])
        .env("OPENSSL_CONF", peer.path("openssl.cnf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it listens (the probe takes the first of its two accepts).
    let start = Instant::now();
    while TcpStream::connect(&accept).is_err() {
        assert!(
            start.elapsed() < TIMEOUT,
            "s_server did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = connect(
        port,
        &["--trusted", &p.ca, "--alpn", "http/1.1"],
        b"GET / HTTP/1.0\r\n\r\n",
    );
    let _ = server.kill();
    let _ = server.wait();
    assert!(o.status.success(), "{}", stderr(&o));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.starts_with("HTTP/1.0 200 ok"), "{page}");
    assert!(
        page.contains("GOST2012-"),
        "the status page names the suite: {page}"
    );

    // openssl s_client → gostkit tls serve --http, for each suite.
    for suite in [
        "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC",
        "GOST2012-MAGMA-MAGMAOMAC",
    ] {
        let serve = Serve::start(&["--cert", &p.srv_cert, "--key", &p.srv_key, "--http"]);
        let mut client = Command::new("openssl")
            .args([
                "s_client", "-tls1_2", "-cipher", suite, "-quiet", "-CAfile", &p.ca,
            ])
            .args([
                "-verify_return_error",
                "-servername",
                "localhost",
                "-alpn",
                "http/1.1",
            ])
            .args(["-connect", &format!("127.0.0.1:{}", serve.port)])
            .env("OPENSSL_CONF", peer.path("openssl.cnf"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        client
            .stdin
            .take()
            .unwrap()
            .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let start = Instant::now();
        while client.try_wait().unwrap().is_none() {
            if start.elapsed() > TIMEOUT {
                let _ = client.kill();
                panic!("s_client did not finish");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = client.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.starts_with("HTTP/1.1 200 OK\r\n")
                && text.contains("gostkit tls serve: TLS_GOSTR341112_256_WITH_"),
            "{suite}: {text} / {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (status, log) = serve.finish();
        assert_eq!(status, Some(0), "{log}");
    }
}
