//! TLS test fixtures shared by the loopback, peer and resumption tests: a PKI made by the
//! OpenSSL + gost-engine peer, and the in-memory pump between a client and a server.

use gostkit::tls::{ClientConnection, ServerConnection, TlsError};

use super::peer::Peer;

/// A PKI made by the peer: CA, and a server certificate for `localhost` on `algorithm`/`paramset`.
pub struct Pki {
    /// The CA certificate (PEM file).
    pub ca: String,
    /// The server certificate (PEM file).
    pub cert: String,
    /// The server key (PEM file).
    pub key: String,
}

pub fn make_pki(peer: &Peer, tag: &str, algorithm: &str, paramset: &str, md: &str) -> Pki {
    let ca_key = peer.path(&format!("{tag}-ca.key"));
    let ca = peer.path(&format!("{tag}-ca.pem"));
    let key = peer.path(&format!("{tag}-srv.key"));
    let csr = peer.path(&format!("{tag}-srv.csr"));
    let cert = peer.path(&format!("{tag}-srv.pem"));
    let ext = peer.path(&format!("{tag}-ext.cnf"));
    peer.openssl(&[
        "genpkey",
        "-algorithm",
        "gost2012_256",
        "-pkeyopt",
        "paramset:A",
        "-out",
        &ca_key,
    ])
    .unwrap();
    peer.openssl(&[
        "req",
        "-x509",
        "-new",
        "-key",
        &ca_key,
        "-md_gost12_256",
        "-subj",
        "/CN=gostkit TLS test CA",
        "-days",
        "30",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        &ca,
    ])
    .unwrap();
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
        "/CN=localhost",
        "-out",
        &csr,
    ])
    .unwrap();
    std::fs::write(
        &ext,
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyAgreement\n\
         extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .unwrap();
    sign_with_ca(peer, &csr, &ca, &ca_key, &ext, &cert);
    Pki { ca, cert, key }
}

/// `openssl x509 -req`: the request `csr` issued for 30 days by the CA (`ca`, `ca_key`) with
/// the extensions of the file `ext`, written to `cert`.
pub fn sign_with_ca(peer: &Peer, csr: &str, ca: &str, ca_key: &str, ext: &str, cert: &str) {
    peer.openssl(&[
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca,
        "-CAkey",
        ca_key,
        "-CAcreateserial",
        "-days",
        "30",
        "-md_gost12_256",
        "-extfile",
        ext,
        "-out",
        cert,
    ])
    .unwrap();
}

/// Moves bytes both ways until neither side has anything to send; `patch` may rewrite what
/// the server sends before the client sees it.
pub fn pump_with(
    c: &mut ClientConnection,
    s: &mut ServerConnection,
    patch: &mut dyn FnMut(&mut Vec<u8>),
) -> (Result<(), TlsError>, Result<(), TlsError>) {
    let (mut rc, mut rs) = (Ok(()), Ok(()));
    for _ in 0..20 {
        let mut a = Vec::new();
        c.write_tls(&mut a);
        let mut b = Vec::new();
        s.write_tls(&mut b);
        if a.is_empty() && b.is_empty() {
            break;
        }
        patch(&mut b);
        let mut off = 0;
        while off < a.len() && rs.is_ok() {
            let n = s.read_tls(&a[off..]);
            off += n;
            rs = s.process();
            assert!(n > 0 || rs.is_err(), "server stalled");
        }
        let mut off = 0;
        while off < b.len() && rc.is_ok() {
            let n = c.read_tls(&b[off..]);
            off += n;
            rc = c.process();
            assert!(n > 0 || rc.is_err(), "client stalled");
        }
    }
    (rc, rs)
}
