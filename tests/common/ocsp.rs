//! `openssl ocsp` as a loopback responder for the OCSP and CAdES-X L1 interop tests: started on a
//! free port with an `openssl ca` index, answering `n` requests, killed on drop.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::peer::Peer;

/// `openssl ocsp` serving on 127.0.0.1, killed on drop.
pub struct Responder {
    child: Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl Drop for Responder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(peer: &Peer, signer: &str, validity: &[&str], n: usize) -> Responder {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let conf = peer.path("openssl.cnf");
    let (rsigner, rkey) = (
        peer.path(&format!("{signer}.pem")),
        peer.path(&format!("{signer}.key")),
    );
    let (index, ca) = (peer.path("index.txt"), peer.path("ca.pem"));
    // OpenSSL 3.0's `-port` takes a number only and listens on every interface; the test
    // talks to it over 127.0.0.1.
    let addr = port.to_string();
    let nreq = n.to_string();
    let mut args = vec![
        "ocsp",
        "-index",
        &index,
        "-port",
        &addr,
        "-rsigner",
        &rsigner,
        "-rkey",
        &rkey,
        "-CA",
        &ca,
        "-nrequest",
        &nreq,
    ];
    args.extend_from_slice(validity);
    let child = Command::new("openssl")
        .args(&args)
        .env("OPENSSL_CONF", &conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn openssl ocsp");
    Responder { child, port }
}

/// A tiny HTTP/1.0 POST of an OCSP request; the body of the answer.
pub fn post(port: u16, req: &[u8]) -> Vec<u8> {
    // No probe connection before (OpenSSL 3.0 stalls on a connection that sends nothing):
    // connect until the responder listens, bounded.
    let start = Instant::now();
    let mut s = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => break s,
            Err(e) => {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "openssl ocsp: {e}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    };
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let head = format!(
        "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/ocsp-request\r\nContent-Length: {}\r\n\r\n",
        req.len()
    );
    s.write_all(head.as_bytes()).expect("write");
    s.write_all(req).expect("write");
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).expect("read");
    let at = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("HTTP header end");
    assert!(resp.starts_with(b"HTTP/1."), "not HTTP: {resp:?}");
    resp[at + 4..].to_vec()
}
