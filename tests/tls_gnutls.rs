//! GOST TLS 1.2 interoperability with GnuTLS 3.7 (`gnutls-serv`, `gnutls-cli`, Debian's
//! gnutls-bin) on the one GOST suite GnuTLS has, TLS_GOSTR341112_256_WITH_28147_CNT_IMIT
//! (0xC102), an independent implementation of RFC 9189's CNT_IMIT (nettle's GOST 28147-89).
//! Both directions, 256- and 512-bit server certificates from a gostkit-issued PKI, with and
//! without client certificates, and an HTTP request over `gnutls-serv --http`.
//!
//! `gnutls-serv` cannot be told which address to listen on (it binds every interface), so
//! each test that starts it runs in a private network namespace holding only a loopback
//! interface: the test re-runs itself (this binary, that one test) under `unshare -rn` and
//! reports the child's result. Servers are killed by the tests; every read has a timeout.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::peer::{GNUTLS_GOST_PRIORITY, GnuTls};
use common::pki::{Party, TestPki, enrol};
use gostkit::ec::{ParamSet, SigningKey};
use gostkit::tls::stream::TlsStream;
use gostkit::tls::{CipherSuite, ClientConfig, ServerConfig, TlsError};
use gostkit::x509::issue::IssueOptions;

const TIMEOUT: Duration = Duration::from_secs(10);
/// How long a test re-run in its network namespace may take.
const CHILD_TIMEOUT: Duration = Duration::from_secs(240);
const SUITE: CipherSuite = CipherSuite::Gost28147CntImit;
const IN_NETNS: &str = "GOSTKIT_TEST_IN_NETNS";

fn gnutls_or_skip(tag: &str) -> Option<GnuTls> {
    match GnuTls::find(tag) {
        Ok(g) => Some(g),
        Err(why) => {
            println!("SKIP {tag}: {why}");
            None
        }
    }
}

/// Runs `body` in a private network namespace: outside one, re-runs this test (`name`) in
/// `unshare -rn` and fails when it fails; inside, runs it.
fn in_private_netns(name: &str, body: impl FnOnce()) {
    if std::env::var_os(IN_NETNS).is_some() {
        body();
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let spawned = Command::new("unshare")
        .args(["-rn", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\""])
        .arg(&exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(IN_NETNS, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => return no_netns(name, &format!("unshare not runnable: {e}")),
    };
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > CHILD_TIMEOUT {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stdout.contains("running 1 test") {
        // the namespace could not be made (no user namespaces, no `ip`): not a GnuTLS failure
        return no_netns(name, &format!("{stderr}{stdout}"));
    }
    for line in stdout.lines().filter(|l| l.starts_with("SKIP ")) {
        println!("{line}");
    }
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} in its network namespace failed:\n{stdout}\n{stderr}"
    );
}

fn no_netns(name: &str, why: &str) {
    if common::peer::require_peer() {
        panic!(
            "GOSTKIT_REQUIRE_PEER=1 but {name} cannot run gnutls-serv in a network namespace: {why}"
        );
    }
    println!("SKIP {name}: no private network namespace for gnutls-serv: {why}");
}

/// Root (tc26-512-A) → CA (tc26-256-B) → a `localhost` server on `set`, written for GnuTLS:
/// root.pem, chain.pem (leaf then CA), leaf.key. GnuTLS 3.7.9 on Debian's nettle knows only
/// two GOST curves, GC256B (named tc26-256-B, CryptoPro-A or CryptoPro-XchA) and GC512A
/// (tc26-512-A): a key or certificate on any other is "The curve is unsupported", OpenSSL's
/// alike. Every key here is on one of the two.
struct Files {
    pki: TestPki,
    root: String,
    chain: String,
    key: String,
}

fn files(g: &GnuTls, tag: &str, set: ParamSet) -> Files {
    let mut pki = TestPki::new("/CN=localhost");
    pki.ca = enrol(
        &pki.root,
        "/CN=Test Issuing CA/O=gostkit tests",
        ParamSet::Tc26_256B,
        &IssueOptions::ca_days(30, Some(0)),
    );
    pki.leaf = enrol(&pki.ca, "/CN=localhost", set, &IssueOptions::days(30));
    let (root, chain, key) = (
        g.path(&format!("{tag}-root.pem")),
        g.path(&format!("{tag}-chain.pem")),
        g.path(&format!("{tag}-leaf.key")),
    );
    std::fs::write(&root, pki.root.cert.to_pem().unwrap()).unwrap();
    let mut pem = pki.leaf.cert.to_pem().unwrap();
    pem.push_str(&pki.ca.cert.to_pem().unwrap());
    std::fs::write(&chain, pem).unwrap();
    write_key(&key, &pki.leaf.key);
    Files {
        pki,
        root,
        chain,
        key,
    }
}

/// Writes `key` as PKCS#8 with the bare little-endian scalar as privateKey (gost-engine's
/// form): GnuTLS 3.7.9 reads no other (it calls RFC 9215's OCTET STRING inside the
/// privateKey "an unsupported curve").
fn write_key(path: &str, key: &SigningKey) {
    let der = gostkit::asn1::GostPrivateKey::from_signing_key(key)
        .and_then(|k| k.to_der())
        .unwrap();
    // SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING { OCTET STRING scalar } }
    let n = key.to_bytes().len();
    let (body, hl) = (der.len() - 2 - 2 - n, if der[1] == 0x81 { 3 } else { 2 });
    let head = &der[hl..body];
    assert_eq!(&der[body..body + 4], &[0x04, n as u8 + 2, 0x04, n as u8]);
    let mut inner = head.to_vec();
    inner.extend_from_slice(&[0x04, n as u8]);
    inner.extend_from_slice(&der[body + 4..]);
    let mut out = vec![0x30];
    if inner.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(inner.len() as u8);
    out.extend_from_slice(&inner);
    let pem = der::pem::encode_string("PRIVATE KEY", der::pem::LineEnding::LF, &out).unwrap();
    std::fs::write(path, pem).unwrap();
}

fn copy_key(k: &SigningKey) -> SigningKey {
    SigningKey::from_bytes(k.param_set(), &k.to_bytes()).unwrap()
}

/// A client certificate issued by the files' CA.
fn client_party(f: &Files, set: ParamSet) -> Party {
    enrol(
        &f.pki.ca,
        "/CN=gostkit client",
        set,
        &IssueOptions::days(30),
    )
}

/// `gnutls-serv` on a free port, killed on drop.
struct Server {
    child: Child,
    port: u16,
    log: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn gnutls_serv(g: &GnuTls, f: &Files, mode: &str, extra: &[&str]) -> Server {
    let port = free_port();
    let log = g.path(&format!("serv-{port}.log"));
    let child = Command::new("gnutls-serv")
        .args([
            mode,
            "-p",
            &port.to_string(),
            "--priority",
            GNUTLS_GOST_PRIORITY,
        ])
        .args(["--x509certfile", &f.chain, "--x509keyfile", &f.key])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn gnutls-serv");
    let server = Server { child, port, log };
    let start = Instant::now();
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            start.elapsed() < TIMEOUT,
            "gnutls-serv did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

fn connect(server: &Server) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    s
}

fn client_config(f: &Files, auth: Option<&Party>) -> Arc<ClientConfig> {
    let mut cfg = ClientConfig::new(f.pki.store());
    cfg.suites = vec![SUITE];
    cfg.client_auth = auth.map(|p| {
        (
            vec![p.cert.clone(), f.pki.ca.cert.clone()],
            Arc::new(copy_key(&p.key)) as Arc<dyn gostkit::ec::SignDigest>,
        )
    });
    Arc::new(cfg)
}

/// Lines and a 20 KB block through `gnutls-serv --echo`: the CNT stream and the IMIT run
/// over many records and many 1024-byte key-meshing sections.
fn echo_round_trip(server: &Server, f: &Files, auth: Option<&Party>, what: &str) {
    let sock = connect(server);
    let tls = TlsStream::connect(client_config(f, auth), "localhost", sock)
        .unwrap_or_else(|e| panic!("{what}: handshake: {e}"));
    assert_eq!(tls.connection().suite(), Some(SUITE));
    let mut reader = BufReader::new(tls);
    for i in 0..40 {
        let line = format!("line {i} of gostkit over {}\n", SUITE.name());
        reader.get_mut().write_all(line.as_bytes()).unwrap();
        let mut back = String::new();
        reader
            .read_line(&mut back)
            .unwrap_or_else(|e| panic!("{what}: line {i}: {e}"));
        assert_eq!(back, line, "{what}: line {i}");
    }
    let block: Vec<u8> = (0..20_000u32)
        .map(|i| b'a' + (i % 26) as u8)
        .chain([b'\n'])
        .collect();
    reader.get_mut().write_all(&block).unwrap();
    let mut back = vec![0u8; block.len()];
    reader
        .read_exact(&mut back)
        .unwrap_or_else(|e| panic!("{what}: block: {e}"));
    assert!(back == block, "{what}: the block came back altered");
    let _ = reader.get_mut().close();
}

fn run_client_against_gnutls_serv() {
    let Some(g) = gnutls_or_skip("gnutls-cli-echo") else {
        return;
    };
    for (i, set) in [
        ParamSet::Tc26_256B,
        ParamSet::CryptoProA,
        ParamSet::Tc26_512A,
    ]
    .into_iter()
    .enumerate()
    {
        let f = files(&g, &format!("e{i}"), set);
        let server = gnutls_serv(&g, &f, "--echo", &["--disable-client-cert"]);
        echo_round_trip(&server, &f, None, &format!("server key {set:?}"));
    }
}

#[test]
fn client_against_gnutls_serv_256_and_512_bit_certificates() {
    in_private_netns(
        "client_against_gnutls_serv_256_and_512_bit_certificates",
        run_client_against_gnutls_serv,
    );
}

fn run_client_authenticates_to_gnutls_serv() {
    let Some(g) = gnutls_or_skip("gnutls-cauth") else {
        return;
    };
    for (i, (server_set, client_set)) in [
        (ParamSet::Tc26_256B, ParamSet::CryptoProXchA),
        (ParamSet::CryptoProA, ParamSet::Tc26_512A),
        (ParamSet::Tc26_512A, ParamSet::Tc26_256B),
    ]
    .into_iter()
    .enumerate()
    {
        let f = files(&g, &format!("a{i}"), server_set);
        let client = client_party(&f, client_set);
        let server = gnutls_serv(
            &g,
            &f,
            "--echo",
            &[
                "--require-client-cert",
                "--verify-client-cert",
                "--x509cafile",
                &f.root,
            ],
        );
        let what = format!("server {server_set:?}, client {client_set:?}");
        echo_round_trip(&server, &f, Some(&client), &what);
        let log = std::fs::read_to_string(&server.log).unwrap_or_default();
        assert!(
            log.contains("gostkit client"),
            "{what}: gnutls-serv did not see the client certificate:\n{log}"
        );
        // without a certificate the server refuses the handshake with an alert
        drop(server);
        let server = gnutls_serv(
            &g,
            &f,
            "--echo",
            &["--require-client-cert", "--x509cafile", &f.root],
        );
        match TlsStream::connect(client_config(&f, None), "localhost", connect(&server)) {
            Err(e) => assert!(matches!(e, TlsError::AlertReceived(_)), "{what}: {e:?}"),
            Ok(mut tls) => {
                // a server may only fail when it reads the first record
                let _ = tls.write_all(b"x\n");
                let mut b = [0u8; 1];
                assert!(
                    tls.read(&mut b).is_err(),
                    "{what}: accepted without a certificate"
                );
            }
        }
    }
}

#[test]
fn client_authenticates_to_gnutls_serv_with_256_and_512_bit_keys() {
    in_private_netns(
        "client_authenticates_to_gnutls_serv_with_256_and_512_bit_keys",
        run_client_authenticates_to_gnutls_serv,
    );
}

fn run_http_over_gnutls_serv() {
    let Some(g) = gnutls_or_skip("gnutls-http") else {
        return;
    };
    let f = files(&g, "h", ParamSet::Tc26_256B);
    let server = gnutls_serv(&g, &f, "--http", &["--disable-client-cert"]);
    let mut tls = TlsStream::connect(client_config(&f, None), "localhost", connect(&server))
        .expect("handshake");
    tls.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\nUser-Agent: gostkit\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    tls.read_to_string(&mut page).expect("the HTTP response");
    assert!(page.starts_with("HTTP/1.0 200 OK"), "{page}");
    // gnutls-serv's page describes the session it negotiated and echoes the request headers
    assert!(page.contains("GOSTR341112_256_28147_CNT_IMIT"), "{page}");
    assert!(page.contains("VKO-GOST-12"), "{page}");
    assert!(page.contains("Server Name: localhost"), "{page}");
    assert!(page.contains("User-Agent: gostkit"), "{page}");
    assert!(page.trim_end().ends_with("</HTML>"), "{page}");
}

#[test]
fn http_get_over_gnutls_serv() {
    in_private_netns("http_get_over_gnutls_serv", run_http_over_gnutls_serv);
}

fn server_config(f: &Files, client_ca: bool) -> Arc<ServerConfig> {
    let mut cfg = ServerConfig::new(
        vec![f.pki.leaf.cert.clone(), f.pki.ca.cert.clone()],
        Arc::new(copy_key(&f.pki.leaf.key)),
    )
    .unwrap();
    cfg.suites = vec![SUITE];
    if client_ca {
        cfg.client_ca = Some(f.pki.store());
    }
    Arc::new(cfg)
}

/// gostkit's server on 127.0.0.1 for one connection from `gnutls-cli` (which validates the
/// chain against the root and the name `localhost`): the client sends a line and gets it
/// back prefixed; returns the client's common name as the server saw it.
fn serve_gnutls_cli(g: &GnuTls, f: &Files, client: Option<(&str, &str)>) -> Option<String> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let cfg = server_config(f, client.is_some());
    let server = std::thread::spawn(move || -> Result<(Option<String>, String), String> {
        let start = Instant::now();
        let sock = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if start.elapsed() > TIMEOUT {
                        return Err("no client came".into());
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        sock.set_nonblocking(false).unwrap();
        sock.set_read_timeout(Some(TIMEOUT)).unwrap();
        sock.set_write_timeout(Some(TIMEOUT)).unwrap();
        let tls = TlsStream::accept(cfg, sock).map_err(|e| format!("handshake: {e}"))?;
        if tls.connection().suite() != Some(SUITE) {
            return Err(format!("suite {:?}", tls.connection().suite()));
        }
        let cn = tls
            .connection()
            .peer_certificates()
            .first()
            .map(|c| gostkit::x509::name::to_rfc4514(c.subject()));
        let sni = tls.connection().server_name().unwrap_or("").to_owned();
        let mut reader = BufReader::new(tls);
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        // a reply spanning several records and key-meshing sections, then the line
        let filler: String = (0..3000)
            .map(|i| char::from(b'A' + (i % 26) as u8))
            .collect();
        let answer = format!("{filler}\necho {sni} {line}");
        reader
            .get_mut()
            .write_all(answer.as_bytes())
            .map_err(|e| e.to_string())?;
        reader.get_mut().close().map_err(|e| e.to_string())?;
        Ok((cn, line))
    });
    let log = g.path(&format!("cli-{port}.log"));
    let mut cli = Command::new("gnutls-cli")
        .args([
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "--priority",
            GNUTLS_GOST_PRIORITY,
        ])
        .args(["--x509cafile", &f.root, "--verify-hostname", "localhost"])
        .args(["--sni-hostname", "localhost", "--logfile", &log])
        .args(client.map_or(vec![], |(c, k)| {
            vec!["--x509certfile", c, "--x509keyfile", k]
        }))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gnutls-cli");
    let msg = format!("hello from gnutls-cli over {}\n", SUITE.name());
    // stdin stays open until the server has answered and closed (EOF on stdin ends gnutls-cli)
    let mut stdin = cli.stdin.take().unwrap();
    stdin.write_all(msg.as_bytes()).unwrap();
    let start = Instant::now();
    while cli.try_wait().unwrap().is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = cli.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let out = cli.wait_with_output().unwrap();
    let served = server.join().unwrap();
    let info = std::fs::read_to_string(&log).unwrap_or_default();
    let (cn, line) = served.unwrap_or_else(|e| {
        panic!(
            "server: {e}; gnutls-cli: {}{info}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(line, msg);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.ends_with(&format!("\necho localhost {msg}")) && stdout.len() > 3000,
        "gnutls-cli stdout: {stdout}\nlog: {info}"
    );
    assert!(
        info.contains("(GOST28147-TC26Z-CNT)-(GOST28147-TC26Z-IMIT)"),
        "{info}"
    );
    cn
}

#[test]
fn gnutls_cli_against_server_256_and_512_bit_certificates() {
    let Some(g) = gnutls_or_skip("gnutls-srv") else {
        return;
    };
    for (i, set) in [
        ParamSet::Tc26_256B,
        ParamSet::CryptoProXchA,
        ParamSet::Tc26_512A,
    ]
    .into_iter()
    .enumerate()
    {
        let f = files(&g, &format!("s{i}"), set);
        assert_eq!(serve_gnutls_cli(&g, &f, None), None, "{set:?}");
    }
}

#[test]
fn gnutls_cli_authenticates_to_server_with_256_and_512_bit_keys() {
    let Some(g) = gnutls_or_skip("gnutls-sauth") else {
        return;
    };
    for (i, (server_set, client_set)) in [
        (ParamSet::Tc26_256B, ParamSet::Tc26_256B),
        (ParamSet::Tc26_512A, ParamSet::Tc26_512A),
        (ParamSet::CryptoProA, ParamSet::Tc26_512A),
    ]
    .into_iter()
    .enumerate()
    {
        let f = files(&g, &format!("sa{i}"), server_set);
        let client = client_party(&f, client_set);
        let (cert, key) = (
            g.path(&format!("sa{i}-cli.pem")),
            g.path(&format!("sa{i}-cli.key")),
        );
        let mut pem = client.cert.to_pem().unwrap();
        pem.push_str(&f.pki.ca.cert.to_pem().unwrap());
        std::fs::write(&cert, pem).unwrap();
        write_key(&key, &client.key);
        assert_eq!(
            serve_gnutls_cli(&g, &f, Some((&cert, &key))).as_deref(),
            Some("CN=gostkit client"),
            "server {server_set:?}, client {client_set:?}"
        );
    }
}
