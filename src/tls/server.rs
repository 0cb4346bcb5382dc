//! The TLS 1.2 server (RFC 5246 §7, RFC 9189 §4): full handshake, session-ID resumption from a
//! [`SessionCache`] (RFC 5246 §7.3, RFC 7627 §5.3), optional client authentication.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::client::{MAX_HANDSHAKE, SIGALGS, ext, hs, key_block, sig_scheme};
use super::codec::{Reader, put_vec};
use super::prf::prf;
use super::record::{self, Protection, content};
use super::session::{Session, SessionCache};
use super::{CipherSuite, TlsError, alert, kx, random};
use crate::ec::AgreeKey;
use crate::hash::{Streebog256, Streebog512};
use crate::x509::Certificate;
use crate::x509::path::ValidationOptions;
use crate::x509::store::CertStore;

/// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3).
const RENEGOTIATION_SCSV: u16 = 0x00FF;
/// Decrypted application data held before the caller takes it.
const MAX_PLAINTEXT: usize = 64 * 1024;

/// What a server presents and accepts.
#[derive(Clone)]
pub struct ServerConfig {
    /// The certificate chain sent, leaf first.
    pub chain: Vec<Certificate>,
    /// The private key of the leaf certificate (VKO for the key exchange).
    pub key: Arc<dyn AgreeKey>,
    /// The suites accepted, in the server's order of preference.
    pub suites: Vec<CipherSuite>,
    /// Application protocols accepted by ALPN, in order of preference.
    pub alpn: Vec<Vec<u8>>,
    /// When set, a client certificate is required and validated against this store.
    pub client_ca: Option<CertStore>,
    /// Where full handshakes leave their sessions and ClientHellos find them for resumption
    /// (`None`: no session ids, every handshake a full one). One cache may serve several
    /// configurations only when they share certificates and client-authentication policy.
    pub session_cache: Option<Arc<SessionCache>>,
}

impl ServerConfig {
    /// The suites of [`CipherSuite::DEFAULT`], no ALPN. Fails when the key does not belong to
    /// the leaf certificate.
    pub fn new(chain: Vec<Certificate>, key: Arc<dyn AgreeKey>) -> Result<Self, TlsError> {
        let leaf = chain
            .first()
            .ok_or(TlsError::BadCertificate("empty chain"))?;
        let vk = leaf
            .verifying_key()
            .map_err(|_| TlsError::BadCertificate("server public key"))?;
        if vk.as_bytes() != key.public_key().as_bytes() {
            return Err(TlsError::Crypto(
                crate::ErrorKind::KeyMismatch,
                "the key does not belong to the certificate".into(),
            ));
        }
        Ok(Self {
            chain,
            key,
            suites: CipherSuite::DEFAULT.to_vec(),
            alpn: Vec::new(),
            client_ca: None,
            session_cache: Some(Arc::new(SessionCache::new())),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    ClientHello,
    ClientCertificate,
    ClientKeyExchange,
    CertificateVerify,
    ChangeCipherSpec,
    Finished,
    Connected,
    Failed,
}

/// A server connection, sans I/O.
pub struct ServerConnection {
    config: Arc<ServerConfig>,
    state: State,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    hsbuf: Vec<u8>,
    plaintext: Vec<u8>,
    transcript: Streebog256,
    transcript512: Streebog512,
    client_certs: Vec<Certificate>,
    client_random: [u8; 32],
    server_random: [u8; 32],
    suite: Option<CipherSuite>,
    master: Zeroizing<[u8; 48]>,
    read: Option<Protection>,
    write: Option<Protection>,
    pending_read: Option<Protection>,
    pending_write: Option<Protection>,
    alpn: Option<Vec<u8>>,
    server_name: Option<String>,
    peer_closed: bool,
    sent_close: bool,
    /// The ServerHello random and session_id to send instead of fresh ones (test hook).
    #[cfg(feature = "hazmat")]
    fixed_hello: Option<([u8; 32], Vec<u8>)>,
    /// The session id of the ServerHello (empty: none).
    session_id: Vec<u8>,
    /// The cached session being resumed.
    resuming: Option<Arc<Session>>,
    /// The session of the connection, once the handshake finished.
    session: Option<Arc<Session>>,
}

impl ServerConnection {
    /// A connection that will send `server_random` and `session_id` in its ServerHello instead
    /// of a fresh random and no session id: the `hazmat` test hook that reproduces the RFC 9189
    /// Appendix A handshakes. Never use it otherwise (a repeated server random repeats keys).
    #[cfg(feature = "hazmat")]
    pub(crate) fn with_fixed_hello(
        config: Arc<ServerConfig>,
        server_random: [u8; 32],
        session_id: &[u8],
    ) -> Result<Self, TlsError> {
        if session_id.len() > 32 {
            return Err(TlsError::Handshake("session id length"));
        }
        let mut c = Self::new(config);
        c.fixed_hello = Some((server_random, session_id.to_vec()));
        Ok(c)
    }

    /// A connection waiting for a ClientHello.
    pub fn new(config: Arc<ServerConfig>) -> Self {
        Self {
            config,
            state: State::ClientHello,
            inbuf: Vec::new(),
            outbuf: Vec::new(),
            hsbuf: Vec::new(),
            plaintext: Vec::new(),
            transcript: Streebog256::new(),
            transcript512: Streebog512::new(),
            client_certs: Vec::new(),
            client_random: [0u8; 32],
            server_random: [0u8; 32],
            suite: None,
            master: Zeroizing::new([0u8; 48]),
            read: None,
            write: None,
            pending_read: None,
            pending_write: None,
            alpn: None,
            server_name: None,
            peer_closed: false,
            sent_close: false,
            #[cfg(feature = "hazmat")]
            fixed_hello: None,
            session_id: Vec::new(),
            resuming: None,
            session: None,
        }
    }

    /// Feeds bytes received from the client; returns how many were taken.
    pub fn read_tls(&mut self, data: &[u8]) -> usize {
        let room =
            (2 * (record::HEADER_LEN + record::MAX_CIPHERTEXT)).saturating_sub(self.inbuf.len());
        let n = room.min(data.len());
        self.inbuf.extend_from_slice(data.get(..n).unwrap_or(data));
        n
    }

    /// Processes the records received so far; an error queues a fatal alert.
    pub fn process(&mut self) -> Result<(), TlsError> {
        if self.state == State::Failed {
            return Err(TlsError::Closed);
        }
        match self.process_records() {
            Ok(()) => Ok(()),
            Err(e) => {
                if let Some(desc) = e.alert() {
                    let _ = self.send_record(content::ALERT, &[2, desc]);
                }
                self.state = State::Failed;
                self.inbuf.clear();
                self.hsbuf.clear();
                self.read = None;
                self.pending_read = None;
                // a connection ended by a fatal alert is not resumed (RFC 5246 §7.2.2)
                if let Some(cache) = &self.config.session_cache
                    && !self.session_id.is_empty()
                {
                    cache.remove(&self.session_id);
                }
                self.session = None;
                Err(e)
            }
        }
    }

    fn process_records(&mut self) -> Result<(), TlsError> {
        while !self.peer_closed && self.plaintext.len() < MAX_PLAINTEXT {
            let Some(rec) = record::take_record(&mut self.inbuf)? else {
                break;
            };
            let body = match self.read.as_mut() {
                Some(p) => p.open(rec.ty, &rec.body)?,
                None => {
                    if rec.body.len() > record::MAX_FRAGMENT {
                        return Err(TlsError::RecordOverflow);
                    }
                    Zeroizing::new(rec.body)
                }
            };
            match rec.ty {
                content::HANDSHAKE => {
                    if body.is_empty() {
                        return Err(TlsError::Decode("empty handshake record"));
                    }
                    if self.hsbuf.len() + body.len() > MAX_HANDSHAKE + 4 {
                        return Err(TlsError::Decode("handshake message too long"));
                    }
                    self.hsbuf.extend_from_slice(&body);
                    self.drain_handshake()?;
                }
                content::CHANGE_CIPHER_SPEC => {
                    if self.state != State::ChangeCipherSpec || !self.hsbuf.is_empty() {
                        return Err(TlsError::UnexpectedMessage("ChangeCipherSpec"));
                    }
                    if body.as_slice() != [1] {
                        return Err(TlsError::Decode("ChangeCipherSpec"));
                    }
                    self.read = self.pending_read.take();
                    self.state = State::Finished;
                }
                content::ALERT => {
                    let &[level, description] = body.as_slice() else {
                        return Err(TlsError::Decode("alert"));
                    };
                    if description == alert::CLOSE_NOTIFY {
                        if self.state != State::Connected {
                            return Err(TlsError::UnexpectedEof);
                        }
                        self.peer_closed = true;
                    } else if level == 2 {
                        self.state = State::Failed;
                        return Err(TlsError::AlertReceived(description));
                    }
                }
                content::APPLICATION_DATA => {
                    if self.state != State::Connected {
                        return Err(TlsError::UnexpectedMessage("application data"));
                    }
                    self.plaintext.extend_from_slice(&body);
                }
                _ => return Err(TlsError::Decode("record content type")),
            }
        }
        Ok(())
    }

    fn drain_handshake(&mut self) -> Result<(), TlsError> {
        loop {
            let Some(&[ty, l2, l1, l0]) = self.hsbuf.first_chunk::<4>() else {
                return Ok(());
            };
            let len = (usize::from(l2) << 16) | (usize::from(l1) << 8) | usize::from(l0);
            if len > MAX_HANDSHAKE {
                return Err(TlsError::Decode("handshake message too long"));
            }
            if self.hsbuf.len() < 4 + len {
                return Ok(());
            }
            let msg: Vec<u8> = self.hsbuf.drain(..4 + len).collect();
            self.handle_handshake(ty, &msg)?;
        }
    }

    fn handle_handshake(&mut self, ty: u8, msg: &[u8]) -> Result<(), TlsError> {
        let body = msg.get(4..).ok_or(TlsError::Decode("handshake header"))?;
        match (self.state, ty) {
            (State::ClientHello, hs::CLIENT_HELLO) => {
                self.add(msg);
                self.client_hello(body)?;
                self.server_flight()?;
                self.state = if self.resuming.is_some() {
                    State::ChangeCipherSpec
                } else if self.config.client_ca.is_some() {
                    State::ClientCertificate
                } else {
                    State::ClientKeyExchange
                };
            }
            (State::ClientCertificate, hs::CERTIFICATE) => {
                self.add(msg);
                self.client_certificate(body)?;
                self.state = State::ClientKeyExchange;
            }
            (State::ClientKeyExchange, hs::CLIENT_KEY_EXCHANGE) => {
                self.add(msg);
                self.client_key_exchange(body)?;
                self.state = if self.client_certs.is_empty() {
                    State::ChangeCipherSpec
                } else {
                    State::CertificateVerify
                };
            }
            (State::CertificateVerify, hs::CERTIFICATE_VERIFY) => {
                self.certificate_verify(body)?;
                self.add(msg);
                self.state = State::ChangeCipherSpec;
            }
            (State::Finished, hs::FINISHED) => {
                let expected = self.verify_data(b"client finished");
                if !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], body)) {
                    return Err(TlsError::BadFinished);
                }
                self.add(msg);
                if let Some(s) = self.resuming.clone() {
                    // abbreviated: the server's Finished came first
                    self.session = Some(s);
                } else {
                    self.send_record(content::CHANGE_CIPHER_SPEC, &[1])?;
                    self.write = self.pending_write.take();
                    let vd = self.verify_data(b"server finished");
                    self.send_handshake(hs::FINISHED, &vd[..])?;
                    self.keep_session();
                }
                self.state = State::Connected;
            }
            (State::Connected, hs::CLIENT_HELLO) => {
                // renegotiation is refused
                self.send_record(content::ALERT, &[1, alert::NO_RENEGOTIATION])?;
            }
            _ => {
                return Err(TlsError::UnexpectedMessage(
                    "handshake message out of order",
                ));
            }
        }
        Ok(())
    }

    fn client_hello(&mut self, body: &[u8]) -> Result<(), TlsError> {
        const W: &str = "ClientHello";
        let mut r = Reader::new(body, W);
        if r.u16()? < 0x0303 {
            return Err(TlsError::Handshake("the client does not offer TLS 1.2"));
        }
        self.client_random.copy_from_slice(r.take(32)?);
        let sid = r.vec8()?.rest().to_vec();
        if sid.len() > 32 {
            return Err(TlsError::Decode(W));
        }
        let mut suites_r = r.vec16()?;
        let mut offered = Vec::new();
        while !suites_r.is_empty() {
            offered.push(suites_r.u16()?);
        }
        let mut comp = r.vec8()?;
        if !comp.rest().contains(&0) {
            return Err(TlsError::Handshake("the client lacks null compression"));
        }
        let mut reneg = offered.contains(&RENEGOTIATION_SCSV);
        let mut ems = false;
        let mut client_alpn: Vec<Vec<u8>> = Vec::new();
        if !r.is_empty() {
            let mut exts = r.vec16()?;
            r.finish()?;
            let mut seen: Vec<u16> = Vec::new();
            while !exts.is_empty() {
                let ty = exts.u16()?;
                let mut data = exts.vec16()?;
                if seen.contains(&ty) {
                    return Err(TlsError::Decode("duplicate extension in ClientHello"));
                }
                seen.push(ty);
                match ty {
                    ext::EXTENDED_MASTER_SECRET => {
                        data.finish()?;
                        ems = true;
                    }
                    ext::RENEGOTIATION_INFO => {
                        if data.rest() != [0] {
                            return Err(TlsError::Handshake("renegotiation_info not empty"));
                        }
                        reneg = true;
                    }
                    ext::SERVER_NAME => {
                        let mut list = data.vec16()?;
                        data.finish()?;
                        while !list.is_empty() {
                            let t = list.u8()?;
                            let name = list.vec16()?.rest();
                            if t == 0 && self.server_name.is_none() {
                                self.server_name = Some(String::from_utf8_lossy(name).into_owned());
                            }
                        }
                    }
                    ext::ALPN => {
                        let mut list = data.vec16()?;
                        data.finish()?;
                        while !list.is_empty() {
                            client_alpn.push(list.vec8()?.rest().to_vec());
                        }
                    }
                    _ => {} // other extensions are ignored (RFC 5246 §7.4.1.4)
                }
            }
        }
        if !ems {
            return Err(TlsError::Handshake(
                "the client lacks the extended master secret",
            ));
        }
        if !reneg {
            return Err(TlsError::Handshake("the client lacks renegotiation_info"));
        }
        let suite = self
            .config
            .suites
            .iter()
            .copied()
            .find(|s| offered.contains(&s.id()))
            .ok_or(TlsError::Handshake("no common cipher suite"))?;
        self.suite = Some(suite);
        self.resuming = self.find_session(&sid, &offered);
        if let Some(s) = &self.resuming {
            self.suite = Some(s.suite);
        }
        if !client_alpn.is_empty() && !self.config.alpn.is_empty() {
            let p = self
                .config
                .alpn
                .iter()
                .find(|p| client_alpn.contains(p))
                .ok_or(TlsError::Handshake("no common application protocol"))?;
            self.alpn = Some(p.clone());
        }
        Ok(())
    }

    /// The cached session a ClientHello's session id names, when it may be resumed here: not
    /// expired, made with the extended master secret (this ClientHello has it too: it is
    /// required), its suite offered again and still accepted, the same server name, and a
    /// client certificate in it when one is required now.
    fn find_session(&self, sid: &[u8], offered: &[u16]) -> Option<Arc<Session>> {
        let s = self.config.session_cache.as_ref()?.get(sid)?;
        let same_name = match (&s.server_name, &self.server_name) {
            (None, None) => true,
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        let ok = s.ems
            && offered.contains(&s.suite.id())
            && self.config.suites.contains(&s.suite)
            && same_name
            && (self.config.client_ca.is_none() || !s.peer_chain.is_empty());
        ok.then_some(s)
    }

    /// After a full handshake: the session into the cache.
    fn keep_session(&mut self) {
        let (Some(cache), Some(suite)) = (&self.config.session_cache, self.suite) else {
            return;
        };
        if self.session_id.is_empty() {
            return;
        }
        let s = Arc::new(Session {
            id: self.session_id.clone(),
            suite,
            master: self.master.clone(),
            peer_chain: self.client_certs.clone(),
            server_name: self.server_name.clone(),
            ems: true,
            created: std::time::SystemTime::now(),
        });
        cache.insert(s.clone());
        self.session = Some(s);
    }

    /// The abbreviated handshake (RFC 5246 §7.3): ServerHello echoing the session id, then
    /// ChangeCipherSpec and Finished, keyed by the session's master secret and the new randoms.
    fn resume_flight(&mut self, s: &Session) -> Result<(), TlsError> {
        self.master.copy_from_slice(&s.master[..]);
        self.client_certs = s.peer_chain.clone();
        let (client_w, server_w) = key_block(
            s.suite,
            &self.master,
            &self.client_random,
            &self.server_random,
        )?;
        self.send_record(content::CHANGE_CIPHER_SPEC, &[1])?;
        self.write = Some(server_w);
        self.pending_read = Some(client_w);
        let vd = self.verify_data(b"server finished");
        self.send_handshake(hs::FINISHED, &vd[..])
    }

    fn server_flight(&mut self) -> Result<(), TlsError> {
        let suite = self.suite.ok_or(TlsError::UnexpectedMessage("no suite"))?;
        random(&mut self.server_random)?;
        self.session_id = match (&self.resuming, &self.config.session_cache) {
            (Some(s), _) => s.id.clone(),
            (None, Some(_)) => {
                let mut id = vec![0u8; 32];
                random(&mut id)?;
                id
            }
            (None, None) => Vec::new(),
        };
        #[cfg(feature = "hazmat")]
        if let Some((r, sid)) = &self.fixed_hello {
            self.server_random = *r;
            self.session_id = sid.clone();
        }
        let mut b = Vec::with_capacity(128);
        b.extend_from_slice(&record::VERSION);
        b.extend_from_slice(&self.server_random);
        put_vec(&mut b, 1, &self.session_id);
        b.extend_from_slice(&suite.id().to_be_bytes());
        b.push(0);
        // renegotiation_info, then extended_master_secret: the order of RFC 9189's examples
        let mut exts = Vec::new();
        put_ext(&mut exts, ext::RENEGOTIATION_INFO, &[0]);
        put_ext(&mut exts, ext::EXTENDED_MASTER_SECRET, &[]);
        if let Some(p) = &self.alpn {
            let mut list = Vec::new();
            put_vec(&mut list, 1, p);
            let mut v = Vec::new();
            put_vec(&mut v, 2, &list);
            put_ext(&mut exts, ext::ALPN, &v);
        }
        put_vec(&mut b, 2, &exts);
        self.send_handshake(hs::SERVER_HELLO, &b)?;
        if let Some(s) = self.resuming.clone() {
            return self.resume_flight(&s);
        }
        let mut list = Vec::new();
        for c in &self.config.chain {
            put_vec(&mut list, 3, c.der());
        }
        let mut cert = Vec::new();
        put_vec(&mut cert, 3, &list);
        self.send_handshake(hs::CERTIFICATE, &cert)?;
        if self.config.client_ca.is_some() {
            // certificate types gost_sign256 (67) and gost_sign512 (68) of RFC 9189 §7, and
            // the values OpenSSL used before them (22, 238, 239)
            let mut req = vec![5, 67, 68, 22, 238, 239];
            let algs: Vec<u8> = SIGALGS.iter().flat_map(|a| a.to_be_bytes()).collect();
            put_vec(&mut req, 2, &algs);
            put_vec(&mut req, 2, &[]);
            self.send_handshake(hs::CERTIFICATE_REQUEST, &req)?;
        }
        self.send_handshake(hs::SERVER_HELLO_DONE, &[])?;
        Ok(())
    }

    fn add(&mut self, msg: &[u8]) {
        self.transcript.update(msg);
        self.transcript512.update(msg);
    }

    fn client_certificate(&mut self, body: &[u8]) -> Result<(), TlsError> {
        const W: &str = "Certificate";
        let mut r = Reader::new(body, W);
        let mut list = r.vec24()?;
        r.finish()?;
        let mut certs = Vec::new();
        while !list.is_empty() {
            if certs.len() == 10 {
                return Err(TlsError::BadCertificate("chain too long"));
            }
            let der = list.vec24()?.rest();
            certs.push(
                Certificate::from_der(der)
                    .map_err(|_| TlsError::BadCertificate("unparsable certificate"))?,
            );
        }
        let Some((leaf, rest)) = certs.split_first() else {
            return Err(TlsError::Handshake("the client sent no certificate"));
        };
        let store = self
            .config
            .client_ca
            .as_ref()
            .ok_or(TlsError::UnexpectedMessage("client Certificate"))?;
        let mut opts = ValidationOptions::now();
        opts.required_eku = Some(const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2"));
        store
            .validate(leaf, rest, &opts)
            .map_err(TlsError::Certificate)?;
        self.client_certs = certs;
        Ok(())
    }

    /// CertificateVerify: the client's GOST signature (byte-reversed on the wire) of the
    /// Streebog digest of the transcript so far, under a scheme of its key.
    fn certificate_verify(&mut self, body: &[u8]) -> Result<(), TlsError> {
        const W: &str = "CertificateVerify";
        let mut r = Reader::new(body, W);
        let scheme = r.u16()?;
        let sig = r.vec16()?.rest();
        r.finish()?;
        let key = self
            .client_certs
            .first()
            .ok_or(TlsError::UnexpectedMessage(W))?
            .verifying_key()
            .map_err(|_| TlsError::BadCertificate("client public key"))?;
        let set = key.param_set();
        let legacy = if set.bits() == 512 { 0x0841 } else { 0x0840 };
        if scheme != sig_scheme(set) && scheme != legacy {
            return Err(TlsError::Handshake(
                "signature scheme does not match the key",
            ));
        }
        let digest = if set.bits() == 512 {
            self.transcript512.clone().finalize().to_vec()
        } else {
            self.transcript.clone().finalize().to_vec()
        };
        let mut s = sig.to_vec();
        s.reverse();
        key.verify_digest(&digest, &s)
            .map_err(|_| TlsError::BadSignature)?;
        Ok(())
    }

    /// The client's chain (leaf first), when it authenticated.
    pub fn peer_certificates(&self) -> &[Certificate] {
        &self.client_certs
    }

    fn client_key_exchange(&mut self, body: &[u8]) -> Result<(), TlsError> {
        let suite = self.suite.ok_or(TlsError::UnexpectedMessage("no suite"))?;
        let pms = kx::server_import(
            suite,
            self.config.key.as_ref(),
            &self.client_random,
            &self.server_random,
            body,
        )?;
        let session_hash = self.transcript.clone().finalize();
        prf(
            &pms,
            b"extended master secret",
            &session_hash,
            &mut self.master[..],
        );
        let (client_w, server_w) = key_block(
            suite,
            &self.master,
            &self.client_random,
            &self.server_random,
        )?;
        self.pending_read = Some(client_w);
        self.pending_write = Some(server_w);
        Ok(())
    }

    fn verify_data(&self, label: &[u8]) -> Zeroizing<Vec<u8>> {
        let h = self.transcript.clone().finalize();
        let len = self.suite.map_or(12, CipherSuite::verify_data_len);
        let mut out = Zeroizing::new(vec![0u8; len]);
        prf(&self.master[..], label, &h, &mut out[..]);
        out
    }

    fn send_handshake(&mut self, ty: u8, body: &[u8]) -> Result<(), TlsError> {
        let mut msg = Vec::with_capacity(body.len() + 4);
        msg.push(ty);
        put_vec(&mut msg, 3, body);
        self.add(&msg);
        for chunk in msg.chunks(record::MAX_FRAGMENT) {
            self.send_record(content::HANDSHAKE, chunk)?;
        }
        Ok(())
    }

    fn send_record(&mut self, ty: u8, fragment: &[u8]) -> Result<(), TlsError> {
        match self.write.as_mut() {
            Some(p) => {
                let body = p.seal(ty, fragment)?;
                record::put_record(&mut self.outbuf, ty, &body);
            }
            None => record::put_record(&mut self.outbuf, ty, fragment),
        }
        Ok(())
    }

    /// Moves the bytes to send to the client into `out`.
    pub fn write_tls(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.outbuf);
    }

    /// Whether the handshake is still running.
    pub fn is_handshaking(&self) -> bool {
        !matches!(self.state, State::Connected | State::Failed)
    }

    /// Whether the connection failed.
    pub fn is_failed(&self) -> bool {
        self.state == State::Failed
    }

    /// Whether the client sent close_notify.
    pub fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    /// Encrypts application data for sending.
    pub fn send(&mut self, data: &[u8]) -> Result<(), TlsError> {
        if self.state != State::Connected || self.sent_close {
            return Err(TlsError::Closed);
        }
        for chunk in data.chunks(record::MAX_FRAGMENT) {
            self.send_record(content::APPLICATION_DATA, chunk)?;
        }
        Ok(())
    }

    /// Takes up to `buf.len()` bytes of received application data.
    pub fn recv(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.plaintext.len());
        for (d, s) in buf.iter_mut().zip(self.plaintext.drain(..n)) {
            *d = s;
        }
        n
    }

    /// Received application data waiting in [`ServerConnection::recv`].
    pub fn plaintext_len(&self) -> usize {
        self.plaintext.len()
    }

    /// Queues close_notify.
    pub fn close(&mut self) {
        if !self.sent_close && self.state == State::Connected {
            self.sent_close = true;
            let _ = self.send_record(content::ALERT, &[1, alert::CLOSE_NOTIFY]);
        }
    }

    /// The negotiated suite.
    pub fn suite(&self) -> Option<CipherSuite> {
        self.suite
    }

    /// The host name the client sent (SNI).
    pub fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }

    /// The ALPN protocol chosen.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.alpn.as_deref()
    }

    /// Whether the handshake resumed a cached session (abbreviated handshake).
    pub fn is_resumed(&self) -> bool {
        self.resuming.is_some()
    }

    /// The session of the connection once the handshake finished (kept in the cache), when
    /// the configuration has a cache.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_deref()
    }
}

fn put_ext(out: &mut Vec<u8>, ty: u16, data: &[u8]) {
    out.extend_from_slice(&ty.to_be_bytes());
    put_vec(out, 2, data);
}
