//! GOST TLS 1.2 interoperability with the reference peer: `openssl s_server` (OpenSSL 3 +
//! gost-engine) on 127.0.0.1 against gostkit's client and `openssl s_client` against
//! gostkit's server, for each suite (0xC100, 0xC101, 0xC102 and the legacy 0xFF85) with 256-
//! and 512-bit server certificates issued by a test CA, with and without client
//! certificates, an HTTP GET from `s_server -WWW`, and the negative cases (untrusted chain,
//! wrong host name). Every server is started and killed by the test; every read has a
//! timeout.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::peer::Peer;
use common::tls::{Pki, make_pki, sign_with_ca};
use gostkit::tls::stream::TlsStream;
use gostkit::tls::{CipherSuite, ClientConfig, TlsError};
use gostkit::x509::Certificate;
use gostkit::x509::store::{CertStore, Role};

const TIMEOUT: Duration = Duration::from_secs(10);

/// `openssl s_server` for one connection, killed on drop.
struct Server {
    child: Child,
    port: u16,
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

fn s_server(peer: &Peer, pki: &Pki, cipher: &str, extra: &[&str]) -> Server {
    s_server_in(peer, pki, cipher, extra, &peer.dir)
}

/// [`s_server`] with the working directory `cwd` (where `-WWW` serves files from).
fn s_server_in(
    peer: &Peer,
    pki: &Pki,
    cipher: &str,
    extra: &[&str],
    cwd: &std::path::Path,
) -> Server {
    let port = free_port();
    let accept = format!("127.0.0.1:{port}");
    let child = Command::new("openssl")
        .current_dir(cwd)
        .args([
            "s_server", "-tls1_2", "-cipher", cipher, "-cert", &pki.cert, "-key", &pki.key,
        ])
        .args(["-accept", &accept, "-naccept", "2", "-quiet"])
        .args(extra)
        .env("OPENSSL_CONF", peer.path("openssl.cnf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn openssl s_server");
    let server = Server { child, port };
    // wait until it listens
    let start = Instant::now();
    loop {
        if TcpStream::connect_timeout(&accept.parse().unwrap(), Duration::from_millis(200)).is_ok()
        {
            break;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "s_server did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

fn connect(server: &Server) -> TcpStream {
    // the readiness probe used one of the server's two accepts (`-naccept 2`)
    let s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    s
}

fn config(pki: &Pki, suites: &[CipherSuite]) -> Arc<ClientConfig> {
    let mut store = CertStore::new();
    let ca = Certificate::decode(&std::fs::read(&pki.ca).unwrap()).unwrap();
    store.add(ca, Role::TrustedRoot);
    let mut cfg = ClientConfig::new(store);
    cfg.suites = suites.to_vec();
    Arc::new(cfg)
}

/// Handshake, then lines through `s_server -rev` (which answers each line reversed) — more
/// than 64 records each way, so Kuznyechik's TLSTREE rekeys (C_3 steps every 64 records).
fn round_trip(peer: &Peer, pki: &Pki, suite: CipherSuite) {
    let server = s_server(peer, pki, suite.openssl_name(), &["-rev"]);
    let sock = connect(&server);
    let tls = TlsStream::connect(config(pki, &[suite]), "localhost", sock)
        .unwrap_or_else(|e| panic!("{suite:?}: handshake: {e}"));
    assert_eq!(tls.connection().suite(), Some(suite));
    assert_eq!(tls.connection().peer_certificates().len(), 1);
    let mut reader = BufReader::new(tls);
    for i in 0..70 {
        let line = format!("line {i} of gostkit {}\n", suite.name());
        reader.get_mut().write_all(line.as_bytes()).unwrap();
        let mut back = String::new();
        reader.read_line(&mut back).unwrap();
        let want: String = line.trim_end().chars().rev().collect();
        assert_eq!(back.trim_end(), want, "{suite:?} line {i}");
    }
    let _ = reader.get_mut().close();
}

#[test]
fn client_against_s_server_256_bit_certificate() {
    let peer = peer_or_skip!("tls-c256");
    let pki = make_pki(&peer, "c256", "gost2012_256", "A", "-md_gost12_256");
    for suite in CipherSuite::ALL {
        round_trip(&peer, &pki, suite);
    }
}

#[test]
fn client_against_s_server_cryptopro_256_bit_certificate() {
    let peer = peer_or_skip!("tls-cpro");
    let pki = make_pki(&peer, "cpro", "gost2012_256", "B", "-md_gost12_256");
    round_trip(&peer, &pki, CipherSuite::KuznyechikCtrOmac);
}

#[test]
fn client_against_s_server_512_bit_certificate() {
    let peer = peer_or_skip!("tls-c512");
    let pki = make_pki(&peer, "c512", "gost2012_512", "A", "-md_gost12_512");
    for suite in CipherSuite::ALL {
        round_trip(&peer, &pki, suite);
    }
}

fn handshake_error(peer: &Peer, pki: &Pki, cfg: Arc<ClientConfig>, host: &str) -> TlsError {
    let server = s_server(peer, pki, "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC", &[]);
    let sock = connect(&server);
    match TlsStream::connect(cfg, host, sock) {
        Ok(_) => panic!("handshake with {host} succeeded"),
        Err(e) => e,
    }
}

#[test]
fn client_refuses_untrusted_chain_and_wrong_host_name() {
    let peer = peer_or_skip!("tls-neg");
    let pki = make_pki(&peer, "neg", "gost2012_256", "A", "-md_gost12_256");
    let other = make_pki(&peer, "other", "gost2012_256", "A", "-md_gost12_256");
    // a chain to a CA we do not trust
    let e = handshake_error(&peer, &pki, config(&other, &CipherSuite::ALL), "localhost");
    assert!(matches!(e, TlsError::Certificate(_)), "{e:?}");
    // (its issuer is in no store: the search finds no issuer)
    assert_eq!(e.kind(), gostkit::ErrorKind::NoIssuer);
    // a trusted chain for another name
    let e = handshake_error(&peer, &pki, config(&pki, &CipherSuite::ALL), "example.ru");
    assert!(matches!(e, TlsError::HostnameMismatch(_)), "{e:?}");
    assert_eq!(e.kind(), gostkit::ErrorKind::HandshakeFailure);
    // the IP address in the subjectAltName is accepted (no SNI is sent for it)
    let server = s_server(&peer, &pki, "GOST2012-MAGMA-MAGMAOMAC", &["-rev"]);
    let sock = connect(&server);
    let mut tls = TlsStream::connect(config(&pki, &CipherSuite::ALL), "127.0.0.1", sock).unwrap();
    tls.write_all(b"abc\n").unwrap();
    let mut buf = [0u8; 4];
    tls.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"cba\n");
}

fn server_config(pki: &Pki, suites: &[CipherSuite]) -> Arc<gostkit::tls::ServerConfig> {
    let cert = Certificate::decode(&std::fs::read(&pki.cert).unwrap()).unwrap();
    let key = gostkit::asn1::GostPrivateKey::from_pem(&std::fs::read_to_string(&pki.key).unwrap())
        .unwrap()
        .to_signing_key()
        .unwrap();
    let mut cfg = gostkit::tls::ServerConfig::new(vec![cert], Arc::new(key)).unwrap();
    cfg.suites = suites.to_vec();
    Arc::new(cfg)
}

/// 40 KB of text.
fn filler() -> String {
    (0..40_000u32)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect()
}

/// gostkit's server on 127.0.0.1 for one connection against `openssl s_client`: the client
/// validates our chain (`-verify_return_error`), sends a line, gets it back prefixed.
fn serve_one(peer: &Peer, pki: &Pki, suite: CipherSuite, client: Option<(&str, &str)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let mut cfg = server_config(pki, &[suite]);
    if client.is_some() {
        let mut store = CertStore::new();
        store.add(
            Certificate::decode(&std::fs::read(&pki.ca).unwrap()).unwrap(),
            Role::TrustedRoot,
        );
        Arc::get_mut(&mut cfg).unwrap().client_ca = Some(store);
    }
    let want_client = client.is_some();
    let server = std::thread::spawn(move || -> Result<(Option<CipherSuite>, String), String> {
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
        let suite = tls.connection().suite();
        // s_client sends its leaf (and the CA it finds in -CAfile)
        let client_cn = tls
            .connection()
            .peer_certificates()
            .first()
            .map(|c| gostkit::x509::name::to_rfc4514(c.subject()));
        if want_client != (client_cn.as_deref() == Some("CN=gostkit client")) {
            return Err(format!("client certificate: {client_cn:?}"));
        }
        let sni = tls.connection().server_name().map(str::to_owned);
        let mut reader = BufReader::new(tls);
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        // a reply of several records, each longer than an ACPKM section (CTR_OMAC) or a
        // key-meshing section (CNT_IMIT), then the echo
        let answer = format!("{}\necho {} {line}", filler(), sni.unwrap_or_default());
        reader
            .get_mut()
            .write_all(answer.as_bytes())
            .map_err(|e| e.to_string())?;
        reader.get_mut().close().map_err(|e| e.to_string())?;
        Ok((suite, line))
    });
    let connect = format!("127.0.0.1:{port}");
    let mut client = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &connect,
            "-tls1_2",
            "-cipher",
            suite.openssl_name(),
        ])
        .args([
            "-CAfile",
            &pki.ca,
            "-servername",
            "localhost",
            "-verify_return_error",
            "-quiet",
        ])
        .args(client.map_or(vec![], |(c, k)| vec!["-cert", c, "-key", k]))
        .env("OPENSSL_CONF", peer.path("openssl.cnf"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn openssl s_client");
    let msg = format!("hello from s_client over {}\n", suite.name());
    client
        .stdin
        .take()
        .unwrap()
        .write_all(msg.as_bytes())
        .unwrap();
    let start = Instant::now();
    while client.try_wait().unwrap().is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = client.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = client.wait_with_output().unwrap();
    let served = server.join().unwrap();
    let (negotiated, line) = served.unwrap_or_else(|e| {
        panic!(
            "{suite:?}: server: {e}; s_client: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(negotiated, Some(suite));
    assert_eq!(line, msg);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{}\necho localhost {msg}", filler()),
        "s_client stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn s_client_against_server_256_and_512_bit_certificates() {
    let peer = peer_or_skip!("tls-srv");
    let p256 = make_pki(&peer, "s256", "gost2012_256", "A", "-md_gost12_256");
    let p512 = make_pki(&peer, "s512", "gost2012_512", "C", "-md_gost12_512");
    for pki in [&p256, &p512] {
        for suite in CipherSuite::ALL {
            serve_one(&peer, pki, suite, None);
        }
    }
}

/// A client certificate from `tag`'s CA (made by [`make_pki`]), with its gostkit key.
fn make_client(
    peer: &Peer,
    tag: &str,
    algorithm: &str,
    paramset: &str,
    md: &str,
) -> (Certificate, gostkit::ec::SigningKey) {
    let ca_key = peer.path(&format!("{tag}-ca.key"));
    let ca = peer.path(&format!("{tag}-ca.pem"));
    let key = peer.path(&format!("{tag}-cli.key"));
    let csr = peer.path(&format!("{tag}-cli.csr"));
    let cert = peer.path(&format!("{tag}-cli.pem"));
    let ext = peer.path(&format!("{tag}-cli.cnf"));
    let ps = format!("paramset:{paramset}");
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        algorithm,
        "-pkeyopt",
        &ps,
        "-out",
        &key,
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-new",
        "-key",
        &key,
        md,
        "-subj",
        "/CN=gostkit client",
        "-out",
        &csr,
    ])
    .unwrap();
    std::fs::write(
        &ext,
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
    )
    .unwrap();
    sign_with_ca(peer, &csr, &ca, &ca_key, &ext, &cert);
    let c = Certificate::decode(&std::fs::read(&cert).unwrap()).unwrap();
    let k = gostkit::asn1::GostPrivateKey::from_pem(&std::fs::read_to_string(&key).unwrap())
        .unwrap()
        .to_signing_key()
        .unwrap();
    (c, k)
}

#[test]
fn client_authenticates_to_s_server_with_256_and_512_bit_keys() {
    let peer = peer_or_skip!("tls-cauth");
    // every suite, with a 256- and a 512-bit server certificate, each with 256- and 512-bit
    // client keys
    for (tag, server_alg, md) in [
        ("ca256", "gost2012_256", "-md_gost12_256"),
        ("ca512", "gost2012_512", "-md_gost12_512"),
    ] {
        let pki = make_pki(&peer, tag, server_alg, "A", md);
        for (i, (alg, ps, md)) in [
            ("gost2012_256", "A", "-md_gost12_256"),
            ("gost2012_256", "B", "-md_gost12_256"),
            ("gost2012_512", "A", "-md_gost12_512"),
        ]
        .into_iter()
        .enumerate()
        {
            let (cert, key) = make_client(&peer, tag, alg, ps, md);
            let key: Arc<dyn gostkit::ec::SignDigest> = Arc::new(key);
            for suite in CipherSuite::ALL {
                let server = s_server(
                    &peer,
                    &pki,
                    suite.openssl_name(),
                    &[
                        "-rev",
                        "-Verify",
                        "1",
                        "-verify_return_error",
                        "-CAfile",
                        &pki.ca,
                    ],
                );
                let sock = connect(&server);
                let mut store = CertStore::new();
                store.add(
                    Certificate::decode(&std::fs::read(&pki.ca).unwrap()).unwrap(),
                    Role::TrustedRoot,
                );
                let mut cfg = ClientConfig::new(store);
                cfg.suites = vec![suite];
                cfg.client_auth = Some((vec![cert.clone()], key.clone()));
                let mut tls =
                    TlsStream::connect(Arc::new(cfg), "localhost", sock).unwrap_or_else(|e| {
                        panic!("{tag} server, {suite:?}, client key {i} ({alg} {ps}): {e}")
                    });
                tls.write_all(b"client auth\n").unwrap();
                let mut buf = [0u8; 12];
                tls.read_exact(&mut buf).unwrap_or_else(|e| {
                    panic!("{tag} server, {suite:?}, client key {i} ({alg} {ps}): {e}")
                });
                assert_eq!(&buf, b"htua tneilc\n");
            }
        }
    }
    let pki = make_pki(&peer, "ca256", "gost2012_256", "A", "-md_gost12_256");
    // the server really requires the certificate: without one it sends a fatal alert
    let server = s_server(
        &peer,
        &pki,
        "GOST2012-MAGMA-MAGMAOMAC",
        &[
            "-rev",
            "-Verify",
            "1",
            "-verify_return_error",
            "-CAfile",
            &pki.ca,
        ],
    );
    let sock = connect(&server);
    match TlsStream::connect(config(&pki, &CipherSuite::ALL), "localhost", sock) {
        Err(e) => {
            assert!(matches!(e, TlsError::AlertReceived(_)), "{e:?}");
            assert_eq!(e.kind(), gostkit::ErrorKind::TlsAlert);
        }
        Ok(_) => panic!("s_server -Verify accepted a client without a certificate"),
    }
}

#[test]
fn s_client_authenticates_to_server_with_256_and_512_bit_keys() {
    let peer = peer_or_skip!("tls-sauth");
    let pki = make_pki(&peer, "sa", "gost2012_256", "A", "-md_gost12_256");
    for (alg, ps, md) in [
        ("gost2012_256", "A", "-md_gost12_256"),
        ("gost2012_512", "B", "-md_gost12_512"),
    ] {
        let _ = make_client(&peer, "sa", alg, ps, md);
        let (cert, key) = (peer.path("sa-cli.pem"), peer.path("sa-cli.key"));
        for suite in CipherSuite::ALL {
            serve_one(&peer, &pki, suite, Some((&cert, &key)));
        }
    }
}

#[test]
fn alpn_with_s_server() {
    let peer = peer_or_skip!("tls-alpn");
    let pki = make_pki(&peer, "alpn", "gost2012_256", "A", "-md_gost12_256");
    let server = s_server(
        &peer,
        &pki,
        "GOST2012-MAGMA-MAGMAOMAC",
        &["-rev", "-alpn", "http/1.1"],
    );
    let sock = connect(&server);
    let mut cfg = (*config(&pki, &CipherSuite::ALL)).clone();
    cfg.alpn = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let mut tls = TlsStream::connect(Arc::new(cfg), "localhost", sock).unwrap();
    assert_eq!(tls.connection().alpn_protocol(), Some(&b"http/1.1"[..]));
    assert_eq!(tls.connection().suite(), Some(CipherSuite::MagmaCtrOmac));
    tls.write_all(b"alpn\n").unwrap();
    let mut buf = [0u8; 5];
    tls.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"npla\n");
}

/// An HTTP/1.0 GET through `openssl s_server -WWW` (which answers `GET /<file>` with the file
/// from its working directory): a 50 KB file, several records, on each suite.
#[test]
fn http_get_from_s_server_www() {
    let peer = peer_or_skip!("tls-www");
    let pki = make_pki(&peer, "www", "gost2012_256", "A", "-md_gost12_256");
    let root = peer.dir.join("www");
    std::fs::create_dir_all(&root).unwrap();
    let body: String = (0..1000)
        .map(|i| format!("line {i:04} of the page served over GOST TLS\n"))
        .collect();
    std::fs::write(root.join("page.txt"), &body).unwrap();
    for suite in CipherSuite::ALL {
        let server = s_server_in(&peer, &pki, suite.openssl_name(), &["-WWW"], &root);
        let mut tls = TlsStream::connect(config(&pki, &[suite]), "localhost", connect(&server))
            .unwrap_or_else(|e| panic!("{suite:?}: handshake: {e}"));
        tls.write_all(b"GET /page.txt HTTP/1.0\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let mut response = Vec::new();
        tls.read_to_end(&mut response)
            .unwrap_or_else(|e| panic!("{suite:?}: response: {e}"));
        let text = String::from_utf8(response).unwrap();
        let (head, content) = text.split_once("\r\n\r\n").expect("an HTTP header");
        assert!(head.starts_with("HTTP/1.0 200 ok"), "{suite:?}: {head}");
        assert_eq!(content, body, "{suite:?}");
    }
}

/// A server certificate whose validity ended: the client refuses it with its own error
/// (`CertExpired`, not an untrusted chain or a name mismatch), and sends certificate_expired.
#[test]
fn client_refuses_an_expired_server_certificate() {
    let peer = peer_or_skip!("tls-exp");
    let pki = common::pki::TestPki::new("/CN=localhost");
    let day = Duration::from_secs(86_400);
    let mut opts = gostkit::x509::issue::IssueOptions::days(1);
    opts.not_before = std::time::SystemTime::now() - 60 * day;
    opts.not_after = std::time::SystemTime::now() - 30 * day;
    let leaf = common::pki::enrol(
        &pki.ca,
        "/CN=localhost",
        gostkit::ec::ParamSet::Tc26_256A,
        &opts,
    );
    let (cert, chain, key) = (
        peer.path("exp-leaf.pem"),
        peer.path("exp-chain.pem"),
        peer.path("exp-leaf.key"),
    );
    std::fs::write(&cert, leaf.cert.to_pem().unwrap()).unwrap();
    std::fs::write(&chain, pki.ca.cert.to_pem().unwrap()).unwrap();
    let pem = gostkit::asn1::GostPrivateKey::from_signing_key(&leaf.key)
        .and_then(|k| k.to_pem())
        .unwrap();
    std::fs::write(&key, pem.as_bytes()).unwrap();
    let files = Pki {
        ca: String::new(),
        cert,
        key,
    };
    for suite in [
        CipherSuite::Gost28147CntImit,
        CipherSuite::KuznyechikCtrOmac,
    ] {
        let server = s_server(
            &peer,
            &files,
            suite.openssl_name(),
            &["-cert_chain", &chain],
        );
        let mut cfg = ClientConfig::new(pki.store());
        cfg.suites = vec![suite];
        let e = match TlsStream::connect(Arc::new(cfg), "localhost", connect(&server)) {
            Ok(_) => panic!("{suite:?}: an expired certificate was accepted"),
            Err(e) => e,
        };
        assert!(matches!(e, TlsError::Certificate(_)), "{suite:?}: {e:?}");
        assert_eq!(e.kind(), gostkit::ErrorKind::CertExpired, "{suite:?}: {e}");
        assert_eq!(e.alert(), Some(gostkit::tls::alert::CERTIFICATE_EXPIRED));
        // it is the leaf that is refused (its issuer is valid)
        let text = e.to_string();
        assert!(
            text.contains("CN=localhost") && text.contains("expired"),
            "{text}"
        );
    }
}
