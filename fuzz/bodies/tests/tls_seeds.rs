//! Writes the seeds of the `tls_client` and `tls_server` targets from a real handshake between
//! gostkit's client and server with the targets' fixed identity:
//! `cargo test -p gostkit-fuzz-bodies --test tls_seeds -- --ignored`, then commit the files.
//! The non-ignored test checks that the committed seeds still drive the handshake that far.

use std::path::PathBuf;

use std::sync::Arc;

use gostkit::tls::{CipherSuite, ClientConnection, ServerConnection};
use gostkit_fuzz_bodies::{tls_client_config, tls_server_config};

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus")
        .join(target)
}

/// (everything the server sent, everything the client sent) in one full handshake plus a
/// line of application data each way and close_notify; with `suite`, both sides speak only it
/// (the targets' own configurations accept every default suite).
fn handshake_bytes(suite: Option<CipherSuite>) -> (Vec<u8>, Vec<u8>) {
    let (mut cc, mut sc) = (
        (*tls_client_config()).clone(),
        (*tls_server_config()).clone(),
    );
    if let Some(suite) = suite {
        cc.suites = vec![suite];
        sc.suites = vec![suite];
    }
    let mut c = ClientConnection::new(Arc::new(cc), "localhost").unwrap();
    let mut s = ServerConnection::new(Arc::new(sc));
    let (mut from_s, mut from_c) = (Vec::new(), Vec::new());
    for round in 0..6 {
        if round == 3 {
            c.send(b"GET / HTTP/1.0\r\n\r\n").unwrap();
            s.send(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
            c.close();
        }
        let mut a = Vec::new();
        c.write_tls(&mut a);
        assert_eq!(s.read_tls(&a), a.len());
        s.process().unwrap();
        from_c.extend_from_slice(&a);
        let mut b = Vec::new();
        s.write_tls(&mut b);
        assert_eq!(c.read_tls(&b), b.len());
        c.process().unwrap();
        from_s.extend_from_slice(&b);
    }
    assert!(!c.is_handshaking() && !s.is_handshaking() && s.peer_closed());
    (from_s, from_c)
}

#[test]
#[ignore]
fn generate_tls_seeds() {
    let (from_s, from_c) = handshake_bytes(None);
    let (cnt_s, cnt_c) = handshake_bytes(Some(CipherSuite::Gost28147CntImit));
    for (t, name, prefix, data) in [
        (
            "tls_client",
            "gostkit-server-flight-cnt-imit",
            vec![0u8],
            &cnt_s,
        ),
        (
            "tls_server",
            "gostkit-client-flight-cnt-imit",
            vec![],
            &cnt_c,
        ),
        ("tls_client", "gostkit-server-flight", vec![0u8], &from_s),
        (
            "tls_client",
            "gostkit-server-flight-chunked",
            vec![3u8, 4, 99, 255],
            &from_s,
        ),
        ("tls_server", "gostkit-client-flight", vec![], &from_c),
    ] {
        std::fs::create_dir_all(corpus(t)).unwrap();
        let mut v = prefix;
        v.extend_from_slice(data);
        std::fs::write(corpus(t).join(name), v).unwrap();
    }
}

#[test]
fn the_server_flight_seed_gets_the_client_to_its_key_exchange() {
    // the committed server flight is a real one: fed to a fresh client it is accepted up to
    // the server's Finished (which belongs to another client's transcript)
    let seed = std::fs::read(corpus("tls_client").join("gostkit-server-flight")).unwrap();
    let mut c = ClientConnection::new(tls_client_config(), "localhost").unwrap();
    c.read_tls(&seed[1..]);
    let e = c.process().unwrap_err();
    assert!(
        matches!(e, gostkit::tls::TlsError::BadRecordMac),
        "expected to get as far as the encrypted Finished: {e:?}"
    );
    assert_eq!(
        c.suite(),
        Some(gostkit::tls::CipherSuite::KuznyechikCtrOmac)
    );
    assert_eq!(c.peer_certificates().len(), 1);
}

#[test]
fn the_peer_client_hello_seed_is_accepted_by_the_server() {
    // `peer-openssl-client-hello`: the ClientHello of `openssl s_client -tls1_2 -cipher
    // GOST2012-KUZNYECHIK-KUZNYECHIKOMAC:GOST2012-MAGMA-MAGMAOMAC -servername localhost`
    // (OpenSSL 3.0 + gost-engine), captured on a loopback socket
    let seed = std::fs::read(corpus("tls_server").join("peer-openssl-client-hello")).unwrap();
    let mut s = ServerConnection::new(tls_server_config());
    assert_eq!(s.read_tls(&seed), seed.len());
    s.process().unwrap();
    assert_eq!(s.server_name(), Some("localhost"));
    assert_eq!(
        s.suite(),
        Some(gostkit::tls::CipherSuite::KuznyechikCtrOmac)
    );
    let mut out = Vec::new();
    s.write_tls(&mut out);
    assert_eq!(&out[..1], &[22], "a handshake flight follows");
}

#[test]
fn the_cnt_imit_seeds_reach_the_28147_key_transport_and_records() {
    // the server flight choosing 0xC102: accepted up to its encrypted Finished
    let seed = std::fs::read(corpus("tls_client").join("gostkit-server-flight-cnt-imit")).unwrap();
    let mut c = ClientConnection::new(tls_client_config(), "localhost").unwrap();
    c.read_tls(&seed[1..]);
    let e = c.process().unwrap_err();
    assert!(
        matches!(e, gostkit::tls::TlsError::BadRecordMac),
        "expected to get as far as the encrypted Finished: {e:?}"
    );
    assert_eq!(c.suite(), Some(CipherSuite::Gost28147CntImit));
    // the client flight offering only 0xC102: its TLSGostKeyTransportBlob is parsed, and its
    // UKM (H[1..8] of another server_random) is refused
    let seed = std::fs::read(corpus("tls_server").join("gostkit-client-flight-cnt-imit")).unwrap();
    let mut s = ServerConnection::new(tls_server_config());
    s.read_tls(&seed);
    let e = s.process().unwrap_err();
    assert!(
        matches!(e, gostkit::tls::TlsError::Handshake(w) if w.contains("UKM")),
        "{e:?}"
    );
    assert_eq!(s.suite(), Some(CipherSuite::Gost28147CntImit));
}
