//! gostkit's TLS client against gostkit's TLS server in memory (sans I/O), with a chain from
//! the test PKI: data both ways on each suite, ALPN, and the failures each as its own error —
//! a tampered record (bad_record_mac, which the other side then receives as an alert), a
//! truncated handshake, an untrusted chain, a wrong host name.

mod common;

use std::io::{Read, Write};
use std::sync::Arc;

use common::pki::TestPki;
use common::tls::pump_with;
use gostkit::tls::stream::TlsStream;
use gostkit::tls::{
    CipherSuite, ClientConfig, ClientConnection, ServerConfig, ServerConnection, TlsError, alert,
};
use gostkit::x509::store::CertStore;

fn configs(pki: &TestPki, suite: CipherSuite) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let mut c = ClientConfig::new(pki.store());
    c.suites = vec![suite];
    c.alpn = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let mut s = ServerConfig::new(
        vec![pki.leaf.cert.clone(), pki.ca.cert.clone()],
        Arc::new(
            gostkit::ec::SigningKey::from_bytes(pki.leaf.key.param_set(), &pki.leaf.key.to_bytes())
                .unwrap(),
        ),
    )
    .unwrap();
    s.alpn = vec![b"http/1.1".to_vec()];
    s.suites = vec![suite];
    (Arc::new(c), Arc::new(s))
}

/// Moves bytes both ways until neither side has anything to send.
fn pump(
    c: &mut ClientConnection,
    s: &mut ServerConnection,
) -> (Result<(), TlsError>, Result<(), TlsError>) {
    pump_with(c, s, &mut |_| {})
}

fn connected(pki: &TestPki, suite: CipherSuite) -> (ClientConnection, ServerConnection) {
    let (cc, sc) = configs(pki, suite);
    let mut c = ClientConnection::new(cc, "localhost").unwrap();
    let mut s = ServerConnection::new(sc);
    let (rc, rs) = pump(&mut c, &mut s);
    rc.unwrap();
    rs.unwrap();
    assert!(!c.is_handshaking() && !s.is_handshaking());
    (c, s)
}

#[test]
fn client_and_server_exchange_data_on_each_suite() {
    let pki = TestPki::new("/CN=localhost");
    for suite in CipherSuite::ALL {
        let (mut c, mut s) = connected(&pki, suite);
        assert_eq!(c.suite(), Some(suite));
        assert_eq!(s.server_name(), Some("localhost"));
        assert_eq!(c.alpn_protocol(), Some(&b"http/1.1"[..]));
        assert_eq!(c.peer_certificates().len(), 2);
        // 40 KiB one way (three records), 100 small records the other (TLSTREE steps)
        let big: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        c.send(&big).unwrap();
        for i in 0..100u8 {
            s.send(&[i; 3]).unwrap();
        }
        let (rc, rs) = pump(&mut c, &mut s);
        rc.unwrap();
        rs.unwrap();
        let mut got = vec![0u8; 50_000];
        let n = s.recv(&mut got);
        assert_eq!(&got[..n], &big[..]);
        let n = c.recv(&mut got);
        assert_eq!(n, 300);
        assert!(
            got[..300]
                .chunks(3)
                .enumerate()
                .all(|(i, ch)| ch == [i as u8; 3])
        );
        c.close();
        let _ = pump(&mut c, &mut s);
        assert!(s.peer_closed());
    }
}

#[test]
fn a_tampered_record_is_bad_record_mac_and_the_peer_gets_the_alert() {
    let pki = TestPki::new("/CN=localhost");
    for suite in CipherSuite::ALL {
        let (mut c, mut s) = connected(&pki, suite);
        s.send(b"attack at dawn").unwrap();
        let mut rec = Vec::new();
        s.write_tls(&mut rec);
        let last = rec.len() - 1;
        rec[last] ^= 0x80;
        c.read_tls(&rec);
        let e = c.process().unwrap_err();
        assert!(matches!(e, TlsError::BadRecordMac), "{e:?}");
        assert_eq!(e.kind(), gostkit::ErrorKind::AuthFailed);
        assert_eq!(c.plaintext_len(), 0);
        // the client sent an encrypted fatal alert; the server decrypts it
        let mut a = Vec::new();
        c.write_tls(&mut a);
        s.read_tls(&a);
        let e = s.process().unwrap_err();
        assert!(
            matches!(e, TlsError::AlertReceived(alert::BAD_RECORD_MAC)),
            "{e:?}"
        );
        assert_eq!(e.kind(), gostkit::ErrorKind::TlsAlert);
        assert!(matches!(c.send(b"x"), Err(TlsError::Closed)));
    }
}

/// A transport that delivers the first `n` bytes of a recorded server flight, then EOF.
struct Truncated {
    data: Vec<u8>,
    pos: usize,
}

impl Read for Truncated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl Write for Truncated {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_truncated_handshake_is_unexpected_eof() {
    let pki = TestPki::new("/CN=localhost");
    let (cc, sc) = configs(&pki, CipherSuite::KuznyechikCtrOmac);
    // the server's first flight in answer to a real ClientHello
    let mut c = ClientConnection::new(cc.clone(), "localhost").unwrap();
    let mut s = ServerConnection::new(sc);
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    s.read_tls(&hello);
    s.process().unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    for cut in [0, 3, 5, 60, flight.len() / 2, flight.len() - 1] {
        let t = Truncated {
            data: flight[..cut].to_vec(),
            pos: 0,
        };
        let e = TlsStream::connect(cc.clone(), "localhost", t)
            .err()
            .expect("a truncated flight must fail");
        assert!(matches!(e, TlsError::UnexpectedEof), "cut {cut}: {e:?}");
    }
}

#[test]
fn untrusted_chain_and_wrong_name_are_distinct_errors() {
    let pki = TestPki::new("/CN=localhost");
    let (_, sc) = configs(&pki, CipherSuite::MagmaCtrOmac);
    let run = |cfg: ClientConfig, host: &str| {
        let mut c = ClientConnection::new(Arc::new(cfg), host).unwrap();
        let mut s = ServerConnection::new(sc.clone());
        let (rc, rs) = pump(&mut c, &mut s);
        let rs = rs.unwrap_err();
        (rc.unwrap_err(), rs)
    };
    let (e, srv) = run(ClientConfig::new(CertStore::new()), "localhost");
    assert!(matches!(e, TlsError::Certificate(_)), "{e:?}");
    assert!(
        matches!(srv, TlsError::AlertReceived(alert::UNKNOWN_CA)),
        "{srv:?}"
    );
    let (e, srv) = run(ClientConfig::new(pki.store()), "www.example.ru");
    assert!(matches!(e, TlsError::HostnameMismatch(_)), "{e:?}");
    assert!(
        matches!(srv, TlsError::AlertReceived(alert::CERTIFICATE_UNKNOWN)),
        "{srv:?}"
    );
}

#[test]
fn client_authentication_in_memory_and_a_wrong_client_key() {
    let pki = TestPki::new("/CN=localhost");
    for good in [true, false] {
        let (cc, sc) = configs(&pki, CipherSuite::KuznyechikCtrOmac);
        let mut cc = (*cc).clone();
        let key = if good {
            gostkit::ec::SigningKey::from_bytes(pki.leaf.key.param_set(), &pki.leaf.key.to_bytes())
                .unwrap()
        } else {
            gostkit::ec::SigningKey::generate(pki.leaf.key.param_set()).unwrap()
        };
        // the leaf (no extKeyUsage) doubles as the client's certificate
        cc.client_auth = Some((
            vec![pki.leaf.cert.clone(), pki.ca.cert.clone()],
            Arc::new(key),
        ));
        let mut sc = (*sc).clone();
        sc.client_ca = Some(pki.store());
        let mut c = ClientConnection::new(Arc::new(cc), "localhost").unwrap();
        let mut s = ServerConnection::new(Arc::new(sc));
        let (rc, rs) = pump(&mut c, &mut s);
        if good {
            rc.unwrap();
            rs.unwrap();
            assert_eq!(s.peer_certificates().len(), 2);
        } else {
            let e = rs.unwrap_err();
            assert!(matches!(e, TlsError::BadSignature), "{e:?}");
            assert_eq!(e.kind(), gostkit::ErrorKind::BadSignature);
            assert!(
                matches!(rc, Err(TlsError::AlertReceived(alert::DECRYPT_ERROR))),
                "{rc:?}"
            );
        }
    }
}

/// The in-memory transport of one side: reads what the other wrote.
struct Pipe {
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
    tx: std::sync::mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Read for Pipe {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.buf.is_empty() {
            match self.rx.recv_timeout(std::time::Duration::from_secs(10)) {
                Ok(v) => self.buf = v,
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.buf.len());
        out[..n].copy_from_slice(&self.buf[..n]);
        self.buf.drain(..n);
        Ok(n)
    }
}

impl Write for Pipe {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let _ = self.tx.send(b.to_vec());
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn streams_carry_a_megabyte_the_reader_takes_slowly() {
    let pki = TestPki::new("/CN=localhost");
    let (cc, sc) = configs(&pki, CipherSuite::MagmaCtrOmac);
    let (a_tx, a_rx) = std::sync::mpsc::channel();
    let (b_tx, b_rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        let pipe = Pipe {
            rx: a_rx,
            tx: b_tx,
            buf: Vec::new(),
        };
        let mut tls = TlsStream::accept(sc, pipe).unwrap();
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 253) as u8).collect();
        tls.write_all(&data).unwrap();
        tls.close().unwrap();
    });
    let pipe = Pipe {
        rx: b_rx,
        tx: a_tx,
        buf: Vec::new(),
    };
    let mut tls = TlsStream::connect(cc, "localhost", pipe).unwrap();
    server.join().unwrap();
    // everything is already queued: the stream must hold it back, not drop or refuse it
    let mut got = Vec::new();
    let mut buf = [0u8; 1000];
    loop {
        let n = tls.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got.len(), 1_000_000);
    assert!(got.iter().enumerate().all(|(i, &b)| b == (i % 253) as u8));
}

#[test]
fn the_legacy_code_point_is_only_spoken_on_request() {
    let pki = TestPki::new("/CN=localhost");
    assert_eq!(
        CipherSuite::from_id(0xFF85),
        Some(CipherSuite::LegacyGost28147CntImit)
    );
    assert_eq!(
        CipherSuite::from_name("LEGACY-GOST2012-GOST8912-GOST8912"),
        Some(CipherSuite::LegacyGost28147CntImit)
    );
    assert_eq!(
        CipherSuite::from_name("TLS_GOSTR341112_256_WITH_28147_CNT_IMIT"),
        Some(CipherSuite::Gost28147CntImit)
    );
    // the default client does not offer 0xFF85: a server that speaks only it refuses
    let (_, sc) = configs(&pki, CipherSuite::LegacyGost28147CntImit);
    assert!(
        !ClientConfig::new(pki.store())
            .suites
            .contains(&CipherSuite::LegacyGost28147CntImit)
    );
    let mut c =
        ClientConnection::new(Arc::new(ClientConfig::new(pki.store())), "localhost").unwrap();
    let mut s = ServerConnection::new(sc);
    let (rc, rs) = pump(&mut c, &mut s);
    assert!(matches!(rs, Err(TlsError::Handshake(_))), "{rs:?}");
    assert!(
        matches!(rc, Err(TlsError::AlertReceived(alert::HANDSHAKE_FAILURE))),
        "{rc:?}"
    );
    // offered both ways, a server preferring the IANA code point picks it
    let mut cc = ClientConfig::new(pki.store());
    cc.suites = vec![
        CipherSuite::LegacyGost28147CntImit,
        CipherSuite::Gost28147CntImit,
    ];
    let (_, sc) = configs(&pki, CipherSuite::Gost28147CntImit);
    let mut sc = (*sc).clone();
    sc.suites = vec![
        CipherSuite::Gost28147CntImit,
        CipherSuite::LegacyGost28147CntImit,
    ];
    let mut c = ClientConnection::new(Arc::new(cc), "localhost").unwrap();
    let mut s = ServerConnection::new(Arc::new(sc));
    let (rc, rs) = pump(&mut c, &mut s);
    rc.unwrap();
    rs.unwrap();
    assert_eq!(c.suite(), Some(CipherSuite::Gost28147CntImit));
}

#[test]
fn an_expired_server_certificate_is_its_own_error_and_alert() {
    let pki = TestPki::new("/CN=localhost");
    let day = std::time::Duration::from_secs(86_400);
    let mut opts = gostkit::x509::issue::IssueOptions::days(1);
    opts.not_before = std::time::SystemTime::now() - 60 * day;
    opts.not_after = std::time::SystemTime::now() - 30 * day;
    let leaf = common::pki::enrol(
        &pki.ca,
        "/CN=localhost",
        gostkit::ec::ParamSet::Tc26_256B,
        &opts,
    );
    for suite in [CipherSuite::Gost28147CntImit, CipherSuite::MagmaCtrOmac] {
        let mut sc = ServerConfig::new(
            vec![leaf.cert.clone(), pki.ca.cert.clone()],
            Arc::new(
                gostkit::ec::SigningKey::from_bytes(leaf.key.param_set(), &leaf.key.to_bytes())
                    .unwrap(),
            ),
        )
        .unwrap();
        sc.suites = vec![suite];
        let mut cc = ClientConfig::new(pki.store());
        cc.suites = vec![suite];
        let mut c = ClientConnection::new(Arc::new(cc), "localhost").unwrap();
        let mut s = ServerConnection::new(Arc::new(sc));
        let (rc, rs) = pump(&mut c, &mut s);
        let e = rc.unwrap_err();
        assert!(matches!(e, TlsError::Certificate(_)), "{e:?}");
        assert_eq!(e.kind(), gostkit::ErrorKind::CertExpired);
        assert!(
            matches!(rs, Err(TlsError::AlertReceived(alert::CERTIFICATE_EXPIRED))),
            "{rs:?}"
        );
    }
}
