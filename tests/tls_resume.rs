//! TLS 1.2 session-ID resumption (RFC 5246 §7.3, under RFC 7627 §5.3): gostkit's client
//! resumes with `openssl s_server` (which logs "Reused session-id"), `openssl s_client
//! -sess_out/-sess_in` and `gnutls-cli --resume` resume with gostkit's server (they print
//! "Reused, …" for a TLSv1.2 session and "This is a resumed session"), gostkit with itself in memory on each
//! suite; and the negative cases: an expired session (either side) or one for another name is
//! not resumed, a server that answers another session id gets a full handshake, one that
//! echoes the id with another suite gets illegal_parameter, and the cache keeps its bound.
//! Servers listen on 127.0.0.1, are started and killed by the tests; reads have timeouts.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use common::peer::{GNUTLS_GOST_PRIORITY, GnuTls};
use common::pki::TestPki;
use common::tls::{Pki, make_pki, pump_with};
use gostkit::tls::stream::TlsStream;
use gostkit::tls::{
    CipherSuite, ClientConfig, ClientConnection, ServerConfig, ServerConnection, Session,
    SessionCache, TlsError, alert,
};
use gostkit::x509::Certificate;
use gostkit::x509::store::{CertStore, Role};

const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- gostkit with itself

fn configs(pki: &TestPki, suites: &[CipherSuite]) -> (ClientConfig, ServerConfig) {
    let mut c = ClientConfig::new(pki.store());
    c.suites = suites.to_vec();
    let key =
        gostkit::ec::SigningKey::from_bytes(pki.leaf.key.param_set(), &pki.leaf.key.to_bytes())
            .unwrap();
    let mut s = ServerConfig::new(
        vec![pki.leaf.cert.clone(), pki.ca.cert.clone()],
        Arc::new(key),
    )
    .unwrap();
    s.suites = suites.to_vec();
    (c, s)
}

/// One connection with data both ways; returns the client's session and whether each side
/// resumed.
fn run(client: &ClientConfig, server: &Arc<ServerConfig>) -> (Session, bool, bool) {
    let mut c = ClientConnection::new(Arc::new(client.clone()), "localhost").unwrap();
    let mut s = ServerConnection::new(server.clone());
    let (rc, rs) = pump_with(&mut c, &mut s, &mut |_| {});
    rc.unwrap();
    rs.unwrap();
    assert!(!c.is_handshaking() && !s.is_handshaking());
    // the keys agree: data both ways
    c.send(b"ping from the client").unwrap();
    s.send(b"pong from the server").unwrap();
    let (rc, rs) = pump_with(&mut c, &mut s, &mut |_| {});
    rc.unwrap();
    rs.unwrap();
    let mut buf = [0u8; 64];
    let n = s.recv(&mut buf);
    assert_eq!(&buf[..n], b"ping from the client");
    let n = c.recv(&mut buf);
    assert_eq!(&buf[..n], b"pong from the server");
    let session = c
        .session()
        .expect("the server gave the session an id")
        .clone();
    assert_eq!(Some(session.id()), s.session().map(Session::id));
    assert_eq!(c.peer_certificates().len(), 2);
    (session, c.is_resumed(), s.is_resumed())
}

#[test]
fn gostkit_resumes_with_itself_on_each_suite() {
    let pki = TestPki::new("/CN=localhost");
    for suite in CipherSuite::ALL {
        let (mut cc, sc) = configs(&pki, &[suite]);
        let sc = Arc::new(sc);
        let (first, cr, sr) = run(&cc, &sc);
        assert!(!cr && !sr, "{suite:?}: the first handshake is a full one");
        assert_eq!(first.id().len(), 32);
        assert_eq!(first.suite(), suite);
        assert_eq!(first.server_name(), Some("localhost"));
        assert!(first.extended_master_secret());
        assert_eq!(first.peer_certificates().len(), 2);
        cc.session = Some(first.clone());
        for _ in 0..2 {
            let (again, cr, sr) = run(&cc, &sc);
            assert!(cr && sr, "{suite:?}: resumed on both sides");
            assert_eq!(again.id(), first.id());
            assert_eq!(again.created(), first.created());
        }
        // the session's secret never shows in its Debug form
        let dbg = format!("{first:?}");
        assert!(dbg.contains("Session") && !dbg.contains("master:"), "{dbg}");
    }
}

#[test]
fn expired_sessions_get_a_full_handshake() {
    let pki = TestPki::new("/CN=localhost");
    let (mut cc, mut sc) = configs(&pki, &[CipherSuite::MagmaCtrOmac]);
    // the server keeps sessions for 300 ms
    sc.session_cache = Some(Arc::new(SessionCache::with_limits(
        16,
        Duration::from_millis(300),
    )));
    let sc = Arc::new(sc);
    let (first, ..) = run(&cc, &sc);
    cc.session = Some(first.clone());
    let (_, cr, sr) = run(&cc, &sc);
    assert!(cr && sr);
    std::thread::sleep(Duration::from_millis(400));
    // expired in the server's cache: the server answers a new id, a full handshake follows
    let (second, cr, sr) = run(&cc, &sc);
    assert!(!cr && !sr, "an expired server session is not resumed");
    assert_ne!(second.id(), first.id());
    // expired on the client: not offered at all (the server would still resume it)
    let mut old = second.clone();
    old.set_created(SystemTime::now() - Duration::from_secs(3 * 3600));
    cc.session = Some(old);
    let (third, cr, sr) = run(&cc, &sc);
    assert!(!cr && !sr, "an expired client session is not offered");
    assert_ne!(third.id(), second.id());
    // a client lifetime shorter than the session's age: likewise
    cc.session = Some(third.clone());
    cc.session_lifetime = Duration::ZERO;
    let (_, cr, _) = run(&cc, &sc);
    assert!(!cr);
}

#[test]
fn another_server_answers_a_new_session_id() {
    let pki = TestPki::new("/CN=localhost");
    let (mut cc, sc) = configs(&pki, &CipherSuite::ALL);
    let sc = Arc::new(sc);
    let (first, ..) = run(&cc, &sc);
    cc.session = Some(first.clone());
    // a second server (its own cache) does not know the id: full handshake, new session
    let (_, sc2) = configs(&pki, &CipherSuite::ALL);
    let (other, cr, sr) = run(&cc, &Arc::new(sc2));
    assert!(!cr && !sr);
    assert_ne!(other.id(), first.id());
    // without a cache the server sends no id: no session to keep
    let (_, mut sc3) = configs(&pki, &CipherSuite::ALL);
    sc3.session_cache = None;
    let mut c = ClientConnection::new(Arc::new(cc.clone()), "localhost").unwrap();
    let mut s = ServerConnection::new(Arc::new(sc3));
    let (rc, rs) = pump_with(&mut c, &mut s, &mut |_| {});
    rc.unwrap();
    rs.unwrap();
    assert!(!c.is_resumed() && !s.is_resumed());
    assert!(c.session().is_none() && s.session().is_none());
}

/// The session id bytes as they appear in the ClientHello (length, then id), if offered.
fn offers(cfg: &ClientConfig, host: &str, id: &[u8]) -> bool {
    let mut c = ClientConnection::new(Arc::new(cfg.clone()), host).unwrap();
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    // record header 5, handshake header 4, version 2, random 32, then the session id
    let sid = &hello[5 + 4 + 2 + 32..];
    assert_eq!(
        sid[0] as usize,
        if sid[0] == 0 { 0 } else { id.len() },
        "session id length"
    );
    sid[0] as usize == id.len() && &sid[1..1 + id.len()] == id
}

#[test]
fn a_session_is_offered_only_to_its_server_name_and_suite() {
    let pki = TestPki::new("/CN=localhost");
    let (mut cc, sc) = configs(&pki, &CipherSuite::ALL);
    let (first, ..) = run(&cc, &Arc::new(sc));
    cc.session = Some(first.clone());
    assert!(offers(&cc, "localhost", first.id()));
    assert!(offers(&cc, "LOCALHOST", first.id()));
    assert!(!offers(&cc, "www.example.ru", first.id()));
    // its suite no longer configured: not offered
    cc.suites.retain(|s| *s != first.suite());
    assert!(!offers(&cc, "localhost", first.id()));
}

#[test]
fn a_resumption_that_changes_the_suite_is_illegal_parameter() {
    let pki = TestPki::new("/CN=localhost");
    let suites = [CipherSuite::KuznyechikCtrOmac, CipherSuite::MagmaCtrOmac];
    let (mut cc, sc) = configs(&pki, &suites);
    let sc = Arc::new(sc);
    let (first, ..) = run(&cc, &sc);
    assert_eq!(first.suite(), CipherSuite::KuznyechikCtrOmac);
    cc.session = Some(first.clone());
    let mut c = ClientConnection::new(Arc::new(cc), "localhost").unwrap();
    let mut s = ServerConnection::new(sc);
    // the ServerHello echoes the id; its suite is rewritten to the other offered one
    let mut patched = false;
    let (rc, rs) = pump_with(&mut c, &mut s, &mut |b: &mut Vec<u8>| {
        if patched || b.len() < 5 + 4 + 2 + 32 + 1 + 32 + 2 {
            return;
        }
        let at = 5 + 4 + 2 + 32;
        assert_eq!(b[at], 32);
        assert_eq!(&b[at + 1..at + 33], first.id(), "the server resumes");
        b[at + 33..at + 35].copy_from_slice(&0xC101u16.to_be_bytes());
        patched = true;
    });
    assert!(patched);
    let e = rc.unwrap_err();
    assert!(matches!(e, TlsError::IllegalParameter(_)), "{e:?}");
    assert_eq!(e.kind(), gostkit::ErrorKind::HandshakeFailure);
    // the client's last words: a fatal illegal_parameter alert, which the server receives
    assert!(
        matches!(rs, Err(TlsError::AlertReceived(alert::ILLEGAL_PARAMETER))),
        "{rs:?}"
    );
    assert!(c.is_failed());
}

#[test]
fn a_connection_ended_by_a_fatal_alert_is_not_resumed() {
    let pki = TestPki::new("/CN=localhost");
    let (mut cc, sc) = configs(&pki, &[CipherSuite::KuznyechikCtrOmac]);
    let sc = Arc::new(sc);
    let (first, ..) = run(&cc, &sc);
    cc.session = Some(first.clone());
    // resumed, then a record altered on the way: bad_record_mac on the server, which received
    // it, and on the client, which gets the alert
    let mut c = ClientConnection::new(Arc::new(cc.clone()), "localhost").unwrap();
    let mut s = ServerConnection::new(sc.clone());
    let (rc, rs) = pump_with(&mut c, &mut s, &mut |_| {});
    rc.unwrap();
    rs.unwrap();
    assert!(c.is_resumed() && c.session().is_some());
    c.send(b"to be altered").unwrap();
    let mut rec = Vec::new();
    c.write_tls(&mut rec);
    let last = rec.len() - 1;
    rec[last] ^= 1;
    s.read_tls(&rec);
    assert!(matches!(s.process(), Err(TlsError::BadRecordMac)));
    assert!(s.session().is_none());
    let mut alert_rec = Vec::new();
    s.write_tls(&mut alert_rec);
    c.read_tls(&alert_rec);
    assert!(matches!(
        c.process(),
        Err(TlsError::AlertReceived(alert::BAD_RECORD_MAC))
    ));
    assert!(c.session().is_none(), "the client forgets the session");
    // the server forgot it as well: offering it again gets a full handshake
    let (other, cr, sr) = run(&cc, &sc);
    assert!(!cr && !sr);
    assert_ne!(other.id(), first.id());
}

#[test]
fn the_cache_keeps_its_bound() {
    let pki = TestPki::new("/CN=localhost");
    let (mut cc, mut sc) = configs(&pki, &[CipherSuite::Gost28147CntImit]);
    let cache = Arc::new(SessionCache::with_limits(2, Duration::from_secs(60)));
    sc.session_cache = Some(cache.clone());
    let sc = Arc::new(sc);
    let sessions: Vec<Session> = (0..3).map(|_| run(&cc, &sc).0).collect();
    assert_eq!(cache.len(), 2);
    // the oldest was evicted: a full handshake; the two others resume
    cc.session = Some(sessions[0].clone());
    assert!(!run(&cc, &sc).1);
    // (that full handshake evicted sessions[1], the least recently used)
    cc.session = Some(sessions[2].clone());
    assert!(run(&cc, &sc).1);
    cc.session = Some(sessions[1].clone());
    assert!(!run(&cc, &sc).1);
    assert_eq!(cache.len(), 2);
    assert_eq!(SessionCache::new().capacity(), 256);
    assert_eq!(SessionCache::new().lifetime(), Duration::from_secs(7200));
}

// ---------------------------------------------------------------- the peers

fn client_config(pki: &Pki, suite: CipherSuite) -> ClientConfig {
    let mut store = CertStore::new();
    store.add(
        Certificate::decode(&std::fs::read(&pki.ca).unwrap()).unwrap(),
        Role::TrustedRoot,
    );
    let mut cfg = ClientConfig::new(store);
    cfg.suites = vec![suite];
    cfg
}

fn server_config(pki: &Pki, suite: CipherSuite) -> Arc<ServerConfig> {
    let cert = Certificate::decode(&std::fs::read(&pki.cert).unwrap()).unwrap();
    let key = gostkit::asn1::GostPrivateKey::from_pem(&std::fs::read_to_string(&pki.key).unwrap())
        .unwrap()
        .to_signing_key()
        .unwrap();
    let mut cfg = ServerConfig::new(vec![cert], Arc::new(key)).unwrap();
    cfg.suites = vec![suite];
    Arc::new(cfg)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_listening(port: u16, what: &str) {
    let start = Instant::now();
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(start.elapsed() < TIMEOUT, "{what} did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn dial(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(TIMEOUT)).unwrap();
    s.set_write_timeout(Some(TIMEOUT)).unwrap();
    s
}

/// A child process killed on drop.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn client_resumes_with_s_server() {
    let peer = peer_or_skip!("resume-s-server");
    let pki = make_pki(&peer, "res", "gost2012_256", "A", "-md_gost12_256");
    for suite in CipherSuite::ALL {
        let port = free_port();
        let log = peer.path(&format!("s_server-{port}.log"));
        // not -quiet: s_server reports each connection ("Reused session-id" for a resumed one)
        // and prints what it receives; its stdin (what it sends) stays open
        let mut child = Killed(
            Command::new("openssl")
                .args(["s_server", "-tls1_2", "-cipher", suite.openssl_name()])
                .args(["-cert", &pki.cert, "-key", &pki.key])
                .args(["-accept", &format!("127.0.0.1:{port}")])
                .env("OPENSSL_CONF", peer.path("openssl.cnf"))
                .stdin(Stdio::piped())
                .stdout(std::fs::File::create(&log).unwrap())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn openssl s_server"),
        );
        wait_listening(port, "s_server");
        let mut stdin = child.0.stdin.take().unwrap();
        let mut cfg = client_config(&pki, suite);
        let mut kept: Option<Session> = None;
        for round in 0..3 {
            cfg.session = kept.clone();
            let tls = TlsStream::connect(Arc::new(cfg.clone()), "localhost", dial(port))
                .unwrap_or_else(|e| panic!("{suite:?} round {round}: {e}"));
            assert_eq!(
                tls.connection().is_resumed(),
                round > 0,
                "{suite:?} {round}"
            );
            assert_eq!(tls.connection().suite(), Some(suite));
            let session = tls.connection().session().expect("session id").clone();
            if let Some(k) = &kept {
                assert_eq!(session.id(), k.id());
            }
            kept = Some(session);
            // data both ways under the (resumed) keys
            let mut reader = BufReader::new(tls);
            let ping = format!("ping {round} over {}\n", suite.name());
            reader.get_mut().write_all(ping.as_bytes()).unwrap();
            stdin
                .write_all(format!("pong {round}\n").as_bytes())
                .unwrap();
            stdin.flush().unwrap();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert_eq!(line, format!("pong {round}\n"));
            let _ = reader.get_mut().close();
            drop(reader);
            // s_server logs the line it received before taking the next connection
            let start = Instant::now();
            while !std::fs::read_to_string(&log).unwrap().contains(&ping) {
                assert!(
                    start.elapsed() < TIMEOUT,
                    "{suite:?}: s_server never got {ping}"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let text = std::fs::read_to_string(&log).unwrap();
        assert_eq!(
            text.matches("Reused session-id").count(),
            2,
            "{suite:?}: s_server log:\n{text}"
        );
        drop(stdin);
    }
}

/// gostkit's server on 127.0.0.1 for `n` connections: each handshake, then a line saying
/// whether it resumed, close_notify, and read to the end. Returns the resumed flags.
fn serve(
    cfg: Arc<ServerConfig>,
    n: usize,
) -> (u16, std::thread::JoinHandle<Vec<Result<bool, String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let h = std::thread::spawn(move || {
        let mut out = Vec::new();
        let start = Instant::now();
        while out.len() < n {
            let sock = match listener.accept() {
                Ok((s, _)) => s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if start.elapsed() > 3 * TIMEOUT {
                        out.push(Err("no client came".to_string()));
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
                Err(e) => {
                    out.push(Err(e.to_string()));
                    break;
                }
            };
            sock.set_nonblocking(false).unwrap();
            sock.set_read_timeout(Some(TIMEOUT)).unwrap();
            sock.set_write_timeout(Some(TIMEOUT)).unwrap();
            match TlsStream::accept(cfg.clone(), sock) {
                Ok(mut tls) => {
                    let resumed = tls.connection().is_resumed();
                    // a client that hangs up right after the handshake is no error here
                    let _ = tls.write_all(format!("resumed={resumed}\n").as_bytes());
                    let _ = tls.close();
                    let mut sink = [0u8; 1024];
                    while matches!(tls.read(&mut sink), Ok(n) if n > 0) {}
                    out.push(Ok(resumed));
                }
                Err(e) => out.push(Err(format!("handshake: {e}"))),
            }
        }
        out
    });
    (port, h)
}

/// Runs a client command to its end (bounded), stdin open until then; stdout + stderr.
fn run_client(cmd: &mut Command) -> String {
    let mut child = Killed(
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn client"),
    );
    let stdin = child.0.stdin.take();
    let start = Instant::now();
    while child.0.try_wait().unwrap().is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = child.0.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let mut text = String::new();
    if let Some(mut o) = child.0.stdout.take() {
        let _ = o.read_to_string(&mut text);
    }
    if let Some(mut e) = child.0.stderr.take() {
        let _ = e.read_to_string(&mut text);
    }
    text
}

#[test]
fn s_client_resumes_with_server() {
    let peer = peer_or_skip!("resume-s-client");
    let pki = make_pki(&peer, "res", "gost2012_256", "A", "-md_gost12_256");
    for suite in CipherSuite::ALL {
        let (port, server) = serve(server_config(&pki, suite), 2);
        let sess = peer.path(&format!("{:04x}.sess", suite.id()));
        let connect = format!("127.0.0.1:{port}");
        let mut outs = Vec::new();
        for flag in ["-sess_out", "-sess_in"] {
            outs.push(run_client(
                Command::new("openssl")
                    .args(["s_client", "-connect", &connect, "-tls1_2"])
                    .args(["-cipher", suite.openssl_name(), "-servername", "localhost"])
                    .args(["-CAfile", &pki.ca, "-verify_return_error", flag, &sess])
                    .env("OPENSSL_CONF", peer.path("openssl.cnf")),
            ));
        }
        let served = server.join().unwrap();
        assert_eq!(
            served
                .iter()
                .map(|r| r.clone().map_err(|_| ()))
                .collect::<Vec<_>>(),
            [Ok(false), Ok(true)],
            "{suite:?}: {served:?}\n{outs:#?}"
        );
        // s_client names the cipher's minimum version after New/Reused (TLSv1.0 for the GOST
        // suites in gost-engine) and the session's protocol below
        for o in &outs {
            assert!(o.contains("Protocol  : TLSv1.2"), "{suite:?}: {o}");
        }
        assert!(outs[0].contains("New, TLSv1"), "{suite:?}: {}", outs[0]);
        assert!(outs[0].contains("resumed=false"), "{suite:?}: {}", outs[0]);
        assert!(outs[1].contains("Reused, TLSv1"), "{suite:?}: {}", outs[1]);
        assert!(outs[1].contains("resumed=true"), "{suite:?}: {}", outs[1]);
    }
}

#[test]
fn gnutls_cli_resumes_with_server() {
    let g = match GnuTls::find("resume-gnutls") {
        Ok(g) => g,
        Err(why) => {
            println!("SKIP resume-gnutls: {why}");
            return;
        }
    };
    // the PKI is made by OpenSSL (CryptoPro-A, a curve GnuTLS knows)
    let peer = peer_or_skip!("resume-gnutls-pki");
    let pki = make_pki(&peer, "res", "gost2012_256", "A", "-md_gost12_256");
    let suite = CipherSuite::Gost28147CntImit;
    let (port, server) = serve(server_config(&pki, suite), 2);
    let log = g.path("cli.log");
    let out = run_client(
        Command::new("gnutls-cli")
            .args(["127.0.0.1", "-p", &port.to_string(), "--resume"])
            .args(["--priority", GNUTLS_GOST_PRIORITY, "--x509cafile", &pki.ca])
            .args([
                "--verify-hostname",
                "localhost",
                "--sni-hostname",
                "localhost",
            ])
            .args(["--logfile", &log]),
    );
    let info = std::fs::read_to_string(&log).unwrap_or_default();
    let served = server.join().unwrap();
    assert_eq!(
        served
            .iter()
            .map(|r| r.clone().map_err(|_| ()))
            .collect::<Vec<_>>(),
        [Ok(false), Ok(true)],
        "{served:?}\n{out}\n{info}"
    );
    let all = format!("{out}{info}");
    assert!(all.contains("This is a resumed session"), "{all}");
    assert!(all.contains("resumed=true"), "{all}");
}
