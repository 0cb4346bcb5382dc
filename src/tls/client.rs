//! The TLS 1.2 client (RFC 5246 §7, RFC 9189 §4): full handshake, session-ID resumption
//! (RFC 5246 §7.3, RFC 7627 §5.3) of a [`Session`] offered in [`ClientConfig::session`].

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use zeroize::Zeroizing;

use super::codec::{Reader, put_vec};
use super::prf::prf;
use super::record::{self, Protection, content};
use super::session::{DEFAULT_LIFETIME, Session};
use super::{CipherSuite, TlsError, alert, kx, random};
use crate::asn1::KeyAlgorithm;
use crate::ec::{ParamSet, SignDigest, VerifyingKey};
use crate::hash::Streebog256;
use crate::x509::Certificate;
use crate::x509::path::ValidationOptions;
use crate::x509::store::CertStore;

/// Handshake message types (RFC 5246 §7.4).
pub(crate) mod hs {
    pub const HELLO_REQUEST: u8 = 0;
    pub const CLIENT_HELLO: u8 = 1;
    pub const SERVER_HELLO: u8 = 2;
    pub const CERTIFICATE: u8 = 11;
    pub const CERTIFICATE_REQUEST: u8 = 13;
    pub const SERVER_HELLO_DONE: u8 = 14;
    pub const CERTIFICATE_VERIFY: u8 = 15;
    pub const CLIENT_KEY_EXCHANGE: u8 = 16;
    pub const FINISHED: u8 = 20;
}

/// Extension types.
pub(crate) mod ext {
    pub const SERVER_NAME: u16 = 0;
    pub const SUPPORTED_GROUPS: u16 = 10;
    pub const SIGNATURE_ALGORITHMS: u16 = 13;
    pub const ALPN: u16 = 16;
    pub const EXTENDED_MASTER_SECRET: u16 = 23;
    pub const RENEGOTIATION_INFO: u16 = 0xff01;
}

/// The GOST supported groups GC256A..GC512C (RFC 9189 §6.1).
pub(crate) const GROUPS: [u16; 7] = [0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28];
/// The GOST signature schemes: RFC 9189's gostr34102012_256a..512c, the values 0x0840/0x0841
/// and the draft values OpenSSL still sends.
pub(crate) const SIGALGS: [u16; 11] = [
    0x0709, 0x070A, 0x070B, 0x070C, 0x070D, 0x070E, 0x070F, 0x0840, 0x0841, 0xEEEE, 0xEFEF,
];

/// The longest handshake message accepted (a certificate chain of a few certificates).
pub const MAX_HANDSHAKE: usize = 64 * 1024;
/// The most certificates accepted in a chain.
const MAX_CHAIN: usize = 10;
/// Decrypted application data held before the caller takes it.
const MAX_PLAINTEXT: usize = 64 * 1024;

const SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
const SAN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");

/// What a client trusts and offers.
#[derive(Clone)]
pub struct ClientConfig {
    /// Trust anchors and intermediate CAs the server's chain is validated against.
    pub trust: CertStore,
    /// The suites offered, in order of preference.
    pub suites: Vec<CipherSuite>,
    /// Validation time of the server's chain (`None`: now).
    pub time: Option<SystemTime>,
    /// Application protocols offered by ALPN (RFC 7301), empty: none.
    pub alpn: Vec<Vec<u8>>,
    /// The client's chain (leaf first) and its key, sent when the server asks.
    pub client_auth: Option<(Vec<Certificate>, Arc<dyn SignDigest>)>,
    /// A session of an earlier connection to offer for resumption (its id in the ClientHello).
    /// It is offered only when it used the extended master secret, its suite is among
    /// [`ClientConfig::suites`], it was made with the same server name, and it is younger than
    /// [`ClientConfig::session_lifetime`]; otherwise (or when the server declines) the
    /// handshake is a full one.
    pub session: Option<Session>,
    /// How long a kept session is offered after it was made (default 2 hours).
    pub session_lifetime: Duration,
}

impl ClientConfig {
    /// The suites of [`CipherSuite::DEFAULT`], chains validated against `trust` now, no ALPN.
    pub fn new(trust: CertStore) -> Self {
        Self {
            trust,
            suites: CipherSuite::DEFAULT.to_vec(),
            time: None,
            alpn: Vec::new(),
            client_auth: None,
            session: None,
            session_lifetime: DEFAULT_LIFETIME,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    ServerHello,
    Certificate,
    CertRequestOrDone,
    HelloDone,
    ChangeCipherSpec,
    Finished,
    Connected,
    Failed,
}

/// A client connection, sans I/O.
pub struct ClientConnection {
    config: Arc<ClientConfig>,
    server_name: String,
    state: State,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    hsbuf: Vec<u8>,
    plaintext: Vec<u8>,
    transcript: Streebog256,
    client_random: [u8; 32],
    server_random: [u8; 32],
    suite: Option<CipherSuite>,
    certs: Vec<Certificate>,
    cert_requested: bool,
    server_sigalgs: Vec<u16>,
    /// The handshake messages up to ServerHelloDone, for CertificateVerify: the key hashes
    /// them itself (`SignDigest::sign_message`), so a token that only hashes-and-signs works.
    transcript_msgs: Vec<u8>,
    master: Zeroizing<[u8; 48]>,
    read: Option<Protection>,
    write: Option<Protection>,
    pending_read: Option<Protection>,
    pending_write: Option<Protection>,
    alpn: Option<Vec<u8>>,
    peer_closed: bool,
    sent_close: bool,
    /// The premaster secret and ephemeral key to use instead of fresh ones (test hook).
    #[cfg(feature = "hazmat")]
    fixed_kx: Option<(Zeroizing<[u8; 32]>, crate::ec::SigningKey)>,
    /// The session offered in the ClientHello.
    offered: Option<Session>,
    /// The session id of the ServerHello.
    session_id: Vec<u8>,
    resumed: bool,
    /// The session of the connection, once the handshake finished.
    session: Option<Session>,
}

impl ClientConnection {
    /// Starts a handshake with `server_name` (a DNS name, sent as SNI, or an IP address); the
    /// ClientHello is ready in [`ClientConnection::write_tls`].
    pub fn new(config: Arc<ClientConfig>, server_name: &str) -> Result<Self, TlsError> {
        let mut client_random = [0u8; 32];
        random(&mut client_random)?;
        Self::start(config, server_name, client_random)
    }

    /// A connection whose ClientHello random, premaster secret and ephemeral key are given
    /// instead of fresh ones: the `hazmat` test hook that reproduces the ClientKeyExchange of
    /// the RFC 9189 Appendix A handshakes. Never use it otherwise (fixed secrets repeat keys).
    #[cfg(feature = "hazmat")]
    pub(crate) fn with_fixed_randomness(
        config: Arc<ClientConfig>,
        server_name: &str,
        client_random: [u8; 32],
        pms: [u8; 32],
        ephemeral: crate::ec::SigningKey,
    ) -> Result<Self, TlsError> {
        let mut c = Self::start(config, server_name, client_random)?;
        c.fixed_kx = Some((Zeroizing::new(pms), ephemeral));
        Ok(c)
    }

    fn start(
        config: Arc<ClientConfig>,
        server_name: &str,
        client_random: [u8; 32],
    ) -> Result<Self, TlsError> {
        if config.suites.is_empty() {
            return Err(TlsError::Handshake("no cipher suite configured"));
        }
        if server_name.is_empty() || server_name.len() > 253 {
            return Err(TlsError::Handshake("server name length"));
        }
        let now = SystemTime::now();
        let offered = config
            .session
            .as_ref()
            .filter(|s| {
                s.ems
                    && (1..=32).contains(&s.id.len())
                    && config.suites.contains(&s.suite)
                    && s.server_name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(server_name))
                    && !s.is_expired(config.session_lifetime, now)
            })
            .cloned();
        let mut c = Self {
            config,
            server_name: server_name.to_owned(),
            state: State::ServerHello,
            inbuf: Vec::new(),
            outbuf: Vec::new(),
            hsbuf: Vec::new(),
            plaintext: Vec::new(),
            transcript: Streebog256::new(),
            client_random,
            server_random: [0u8; 32],
            suite: None,
            certs: Vec::new(),
            cert_requested: false,
            server_sigalgs: Vec::new(),
            transcript_msgs: Vec::new(),
            master: Zeroizing::new([0u8; 48]),
            read: None,
            write: None,
            pending_read: None,
            pending_write: None,
            alpn: None,
            peer_closed: false,
            sent_close: false,
            #[cfg(feature = "hazmat")]
            fixed_kx: None,
            offered,
            session_id: Vec::new(),
            resumed: false,
            session: None,
        };
        let hello = c.client_hello()?;
        c.send_handshake(hs::CLIENT_HELLO, &hello)?;
        Ok(c)
    }

    fn client_hello(&self) -> Result<Vec<u8>, TlsError> {
        let mut b = Vec::with_capacity(256);
        b.extend_from_slice(&record::VERSION);
        b.extend_from_slice(&self.client_random);
        match &self.offered {
            Some(s) => put_vec(&mut b, 1, &s.id),
            None => b.push(0),
        }
        let suites: Vec<u8> = self
            .config
            .suites
            .iter()
            .flat_map(|s| s.id().to_be_bytes())
            .collect();
        put_vec(&mut b, 2, &suites);
        b.extend_from_slice(&[1, 0]); // null compression
        let mut exts = Vec::new();
        if self.server_name.parse::<std::net::IpAddr>().is_err() {
            let mut list = vec![0u8];
            put_vec(&mut list, 2, self.server_name.as_bytes());
            let mut sni = Vec::new();
            put_vec(&mut sni, 2, &list);
            put_ext(&mut exts, ext::SERVER_NAME, &sni);
        }
        let groups: Vec<u8> = GROUPS.iter().flat_map(|g| g.to_be_bytes()).collect();
        let mut v = Vec::new();
        put_vec(&mut v, 2, &groups);
        put_ext(&mut exts, ext::SUPPORTED_GROUPS, &v);
        let sigs: Vec<u8> = SIGALGS.iter().flat_map(|g| g.to_be_bytes()).collect();
        let mut v = Vec::new();
        put_vec(&mut v, 2, &sigs);
        put_ext(&mut exts, ext::SIGNATURE_ALGORITHMS, &v);
        if !self.config.alpn.is_empty() {
            let mut list = Vec::new();
            for p in &self.config.alpn {
                if p.is_empty() || p.len() > 255 {
                    return Err(TlsError::Handshake("ALPN protocol name length"));
                }
                put_vec(&mut list, 1, p);
            }
            let mut v = Vec::new();
            put_vec(&mut v, 2, &list);
            put_ext(&mut exts, ext::ALPN, &v);
        }
        put_ext(&mut exts, ext::EXTENDED_MASTER_SECRET, &[]);
        put_ext(&mut exts, ext::RENEGOTIATION_INFO, &[0]);
        put_vec(&mut b, 2, &exts);
        Ok(b)
    }

    /// Feeds bytes received from the server; returns how many were taken (fewer than given
    /// when the buffers are full: call [`ClientConnection::process`] and take the plaintext).
    pub fn read_tls(&mut self, data: &[u8]) -> usize {
        let room =
            (2 * (record::HEADER_LEN + record::MAX_CIPHERTEXT)).saturating_sub(self.inbuf.len());
        let n = room.min(data.len());
        self.inbuf.extend_from_slice(data.get(..n).unwrap_or(data));
        n
    }

    /// Processes the records received so far. On an error a fatal alert is queued (when one
    /// applies) and the connection is dead.
    pub fn process(&mut self) -> Result<(), TlsError> {
        if self.state == State::Failed {
            return Err(TlsError::Closed);
        }
        match self.process_records() {
            Ok(()) => Ok(()),
            Err(e) => {
                self.fail(&e);
                Err(e)
            }
        }
    }

    fn fail(&mut self, e: &TlsError) {
        if let Some(desc) = e.alert() {
            let _ = self.send_record(content::ALERT, &[2, desc]);
        }
        self.state = State::Failed;
        self.inbuf.clear();
        self.hsbuf.clear();
        self.read = None;
        self.pending_read = None;
        // a connection ended by a fatal alert is not resumed (RFC 5246 §7.2.2)
        self.session = None;
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
                    // other warnings (no_renegotiation, user_canceled) are ignored
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
            (State::ServerHello, hs::SERVER_HELLO) => {
                self.transcript.update(msg);
                self.transcript_msgs.extend_from_slice(msg);
                self.server_hello(body)?;
                self.state = if self.resumed {
                    self.resume()?;
                    State::ChangeCipherSpec
                } else {
                    State::Certificate
                };
            }
            (State::Certificate, hs::CERTIFICATE) => {
                self.transcript.update(msg);
                self.transcript_msgs.extend_from_slice(msg);
                self.certificate(body)?;
                self.state = State::CertRequestOrDone;
            }
            (State::CertRequestOrDone, hs::CERTIFICATE_REQUEST) => {
                self.transcript.update(msg);
                self.transcript_msgs.extend_from_slice(msg);
                self.server_sigalgs = certificate_request(body)?;
                self.cert_requested = true;
                self.state = State::HelloDone;
            }
            (State::CertRequestOrDone | State::HelloDone, hs::SERVER_HELLO_DONE) => {
                if !body.is_empty() {
                    return Err(TlsError::Decode("ServerHelloDone"));
                }
                self.transcript.update(msg);
                self.transcript_msgs.extend_from_slice(msg);
                self.client_flight()?;
                self.transcript_msgs = Vec::new();
                self.state = State::ChangeCipherSpec;
            }
            (State::Finished, hs::FINISHED) => {
                let expected = self.verify_data(b"server finished");
                if !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], body)) {
                    return Err(TlsError::BadFinished);
                }
                self.transcript.update(msg);
                if self.resumed {
                    // the abbreviated handshake: the client's ChangeCipherSpec and Finished
                    // come second (RFC 5246 §7.3)
                    self.send_record(content::CHANGE_CIPHER_SPEC, &[1])?;
                    self.write = self.pending_write.take();
                    let vd = self.verify_data(b"client finished");
                    self.send_handshake(hs::FINISHED, &vd[..])?;
                }
                self.state = State::Connected;
                self.session = self.make_session();
            }
            (State::Connected, hs::HELLO_REQUEST) => {
                if !body.is_empty() {
                    return Err(TlsError::Decode("HelloRequest"));
                }
                // renegotiation is refused (RFC 5746 §4.5 allows the no_renegotiation warning)
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

    fn server_hello(&mut self, body: &[u8]) -> Result<(), TlsError> {
        const W: &str = "ServerHello";
        let mut r = Reader::new(body, W);
        if r.u16()? != 0x0303 {
            return Err(TlsError::Handshake("the server does not speak TLS 1.2"));
        }
        self.server_random.copy_from_slice(r.take(32)?);
        let sid = r.vec8()?.rest().to_vec();
        if sid.len() > 32 {
            return Err(TlsError::Decode(W));
        }
        let id = r.u16()?;
        let suite = CipherSuite::from_id(id)
            .filter(|s| self.config.suites.contains(s))
            .ok_or(TlsError::Handshake("the server chose a suite not offered"))?;
        // an echoed session id resumes the offered session, whose suite must stay (RFC 5246
        // §7.4.1.3); any other id is a full handshake
        if let Some(s) = &self.offered
            && sid == s.id
        {
            if suite != s.suite {
                return Err(TlsError::IllegalParameter(
                    "the server resumed the session with another cipher suite",
                ));
            }
            self.resumed = true;
        }
        self.session_id = sid;
        if r.u8()? != 0 {
            return Err(TlsError::Handshake("the server chose compression"));
        }
        let mut seen: Vec<u16> = Vec::new();
        let (mut ems, mut reneg) = (false, false);
        if !r.is_empty() {
            let mut exts = r.vec16()?;
            r.finish()?;
            while !exts.is_empty() {
                let ty = exts.u16()?;
                let mut data = exts.vec16()?;
                if seen.contains(&ty) {
                    return Err(TlsError::Decode("duplicate extension in ServerHello"));
                }
                seen.push(ty);
                match ty {
                    ext::SERVER_NAME => data.finish()?,
                    ext::EXTENDED_MASTER_SECRET => {
                        data.finish()?;
                        ems = true;
                    }
                    ext::RENEGOTIATION_INFO => {
                        // an initial handshake: renegotiated_connection is empty
                        if data.rest() != [0] {
                            return Err(TlsError::Handshake("renegotiation_info not empty"));
                        }
                        reneg = true;
                    }
                    ext::ALPN => {
                        let mut list = data.vec16()?;
                        data.finish()?;
                        let p = list.vec8()?.rest().to_vec();
                        list.finish()?;
                        if !self.config.alpn.contains(&p) {
                            return Err(TlsError::Handshake("ALPN protocol not offered"));
                        }
                        self.alpn = Some(p);
                    }
                    _ => return Err(TlsError::Handshake("extension not offered in ServerHello")),
                }
            }
        }
        if !ems {
            return Err(TlsError::Handshake(
                "the server lacks the extended master secret",
            ));
        }
        if !reneg {
            return Err(TlsError::Handshake("the server lacks renegotiation_info"));
        }
        self.suite = Some(suite);
        Ok(())
    }

    /// Keys of the abbreviated handshake: the session's master secret with the new randoms.
    fn resume(&mut self) -> Result<(), TlsError> {
        let s = self
            .offered
            .as_ref()
            .ok_or(TlsError::UnexpectedMessage("no session to resume"))?;
        self.master.copy_from_slice(&s.master[..]);
        self.certs = s.peer_chain.clone();
        let suite = s.suite;
        let (client_w, server_w) = key_block(
            suite,
            &self.master,
            &self.client_random,
            &self.server_random,
        )?;
        self.pending_read = Some(server_w);
        self.pending_write = Some(client_w);
        Ok(())
    }

    /// The session to keep after the handshake: the resumed one, or the new one when the
    /// server gave it an id.
    fn make_session(&self) -> Option<Session> {
        if self.resumed {
            return self.offered.clone();
        }
        if self.session_id.is_empty() {
            return None;
        }
        Some(Session {
            id: self.session_id.clone(),
            suite: self.suite?,
            master: self.master.clone(),
            peer_chain: self.certs.clone(),
            server_name: Some(self.server_name.clone()),
            ems: true,
            created: SystemTime::now(),
        })
    }

    fn certificate(&mut self, body: &[u8]) -> Result<(), TlsError> {
        const W: &str = "Certificate";
        let mut r = Reader::new(body, W);
        let mut list = r.vec24()?;
        r.finish()?;
        let mut certs = Vec::new();
        while !list.is_empty() {
            if certs.len() == MAX_CHAIN {
                return Err(TlsError::BadCertificate("chain too long"));
            }
            let der = list.vec24()?.rest();
            let c = Certificate::from_der(der)
                .map_err(|_| TlsError::BadCertificate("unparsable certificate"))?;
            certs.push(c);
        }
        let Some((leaf, rest)) = certs.split_first() else {
            return Err(TlsError::BadCertificate("empty chain"));
        };
        let mut opts = ValidationOptions::at(self.config.time.unwrap_or_else(SystemTime::now));
        opts.required_eku = Some(SERVER_AUTH);
        self.config
            .trust
            .validate(leaf, rest, &opts)
            .map_err(TlsError::Certificate)?;
        if !names_host(leaf, &self.server_name) {
            return Err(TlsError::HostnameMismatch(self.server_name.clone()));
        }
        if leaf.public_key().algorithm == KeyAlgorithm::Gost2001 {
            return Err(TlsError::BadCertificate("a GOST R 34.10-2001 key"));
        }
        self.certs = certs;
        Ok(())
    }

    fn server_key(&self) -> Result<VerifyingKey, TlsError> {
        self.certs
            .first()
            .ok_or(TlsError::BadCertificate("no server certificate"))?
            .verifying_key()
            .map_err(|_| TlsError::BadCertificate("server public key"))
    }

    fn client_flight(&mut self) -> Result<(), TlsError> {
        let suite = self.suite.ok_or(TlsError::UnexpectedMessage("no suite"))?;
        let auth = if self.cert_requested {
            let auth = self.config.client_auth.clone();
            let mut list = Vec::new();
            for c in auth.iter().flat_map(|(chain, _)| chain.iter()) {
                put_vec(&mut list, 3, c.der());
            }
            // without a client certificate: an empty list (the server decides)
            let mut body = Vec::new();
            put_vec(&mut body, 3, &list);
            self.send_handshake(hs::CERTIFICATE, &body)?;
            auth.filter(|(chain, _)| !chain.is_empty())
        } else {
            None
        };
        // ClientKeyExchange: the PMS exported to the server's key (RFC 9189 §4.2.4)
        let server_key = self.server_key()?;
        let server_spki = self
            .certs
            .first()
            .and_then(|c| c.spki_der().ok())
            .ok_or(TlsError::BadCertificate("server public key"))?;
        let (gkt, pms) = self.export_pms(suite, &server_key, &server_spki)?;
        self.send_handshake(hs::CLIENT_KEY_EXCHANGE, &gkt)?;
        // extended master secret (RFC 7627 §4)
        let session_hash = self.transcript.clone().finalize();
        if let Some((_, key)) = auth {
            self.certificate_verify(key.as_ref())?;
        }
        prf(
            &pms[..],
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
        self.send_record(content::CHANGE_CIPHER_SPEC, &[1])?;
        self.write = Some(client_w);
        self.pending_read = Some(server_w);
        let vd = self.verify_data(b"client finished");
        self.send_handshake(hs::FINISHED, &vd[..])?;
        Ok(())
    }

    /// The ClientKeyExchange body and the premaster secret (RFC 9189 §4.2.4).
    fn export_pms(
        &mut self,
        suite: CipherSuite,
        server_key: &VerifyingKey,
        server_spki: &[u8],
    ) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>), TlsError> {
        #[cfg(feature = "hazmat")]
        if let Some((pms, eph)) = self.fixed_kx.take() {
            let msg = kx::client_export_with(
                suite,
                server_key,
                server_spki,
                &self.client_random,
                &self.server_random,
                &pms,
                &eph,
            )?;
            return Ok((msg, pms));
        }
        kx::client_export(
            suite,
            server_key,
            server_spki,
            &self.client_random,
            &self.server_random,
        )
    }

    /// CertificateVerify: the GOST signature of the handshake messages so far, hashed with the
    /// Streebog of the key's size (RFC 9189 §4.2.4, by the key: a token hashes on the device), sent
    /// byte-reversed as OpenSSL and gost-engine do.
    fn certificate_verify(&mut self, key: &dyn SignDigest) -> Result<(), TlsError> {
        let set = key.param_set();
        let scheme = sig_scheme(set);
        let legacy = if set.bits() == 512 { 0x0841 } else { 0x0840 };
        let scheme = [scheme, legacy]
            .into_iter()
            .find(|s| self.server_sigalgs.contains(s))
            .ok_or(TlsError::Handshake(
                "the server accepts no signature scheme of our key",
            ))?;
        let mut sig = key.sign_message(&self.transcript_msgs)?.to_vec();
        sig.reverse();
        let mut body = scheme.to_be_bytes().to_vec();
        put_vec(&mut body, 2, &sig);
        self.send_handshake(hs::CERTIFICATE_VERIFY, &body)
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
        self.transcript.update(&msg);
        self.transcript_msgs.extend_from_slice(&msg);
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

    /// Moves the bytes to send to the server into `out`.
    pub fn write_tls(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.outbuf);
    }

    /// Whether bytes are waiting in [`ClientConnection::write_tls`].
    pub fn wants_write(&self) -> bool {
        !self.outbuf.is_empty()
    }

    /// Whether the handshake is still running.
    pub fn is_handshaking(&self) -> bool {
        !matches!(self.state, State::Connected | State::Failed)
    }

    /// Whether the connection failed.
    pub fn is_failed(&self) -> bool {
        self.state == State::Failed
    }

    /// Whether the server sent close_notify.
    pub fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    /// Encrypts application data for sending (after the handshake).
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

    /// Received application data waiting in [`ClientConnection::recv`].
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

    /// The negotiated suite (after the ServerHello).
    pub fn suite(&self) -> Option<CipherSuite> {
        self.suite
    }

    /// The server's chain as sent, leaf first (after its Certificate message).
    pub fn peer_certificates(&self) -> &[Certificate] {
        &self.certs
    }

    /// The ALPN protocol the server chose.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.alpn.as_deref()
    }

    /// Whether the handshake resumed the session of [`ClientConfig::session`] (abbreviated
    /// handshake) rather than making a new one.
    pub fn is_resumed(&self) -> bool {
        self.resumed
    }

    /// The session to offer in a later connection (set it as [`ClientConfig::session`]):
    /// after the handshake, when the server gave the session an id.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }
}

fn put_ext(out: &mut Vec<u8>, ty: u16, data: &[u8]) {
    out.extend_from_slice(&ty.to_be_bytes());
    put_vec(out, 2, data);
}

/// Reads a CertificateRequest: the signature schemes the server accepts.
fn certificate_request(body: &[u8]) -> Result<Vec<u16>, TlsError> {
    let mut r = Reader::new(body, "CertificateRequest");
    let _types = r.vec8()?;
    let mut sigalgs = r.vec16()?;
    let _cas = r.vec16()?;
    r.finish()?;
    let mut out = Vec::new();
    while !sigalgs.is_empty() {
        out.push(sigalgs.u16()?);
    }
    Ok(out)
}

/// The RFC 9189 signature scheme of a key's parameter set.
pub(crate) fn sig_scheme(set: ParamSet) -> u16 {
    match set {
        ParamSet::Tc26_256A => 0x0709,
        ParamSet::CryptoProA | ParamSet::CryptoProXchA | ParamSet::Tc26_256B => 0x070A,
        ParamSet::CryptoProB | ParamSet::Tc26_256C => 0x070B,
        ParamSet::CryptoProC | ParamSet::CryptoProXchB | ParamSet::Tc26_256D => 0x070C,
        ParamSet::Tc26_512A | ParamSet::Test512 => 0x070D,
        ParamSet::Tc26_512B => 0x070E,
        ParamSet::Tc26_512C => 0x070F,
        ParamSet::Test256 => 0x0840,
    }
}

/// The key block (RFC 5246 §6.3): client MAC, server MAC, client key, server key, client IV,
/// server IV; 32-byte keys, IVs of [`CipherSuite::iv_len`] (n/2 bits for CTR_OMAC, 8 bytes for
/// CNT_IMIT: the suite definitions of RFC 9189 §5).
pub(crate) fn key_block(
    suite: CipherSuite,
    master: &[u8; 48],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Result<(Protection, Protection), TlsError> {
    let ivl = suite.iv_len();
    let kb = key_block_bytes(suite, master, client_random, server_random);
    const SHORT: TlsError = TlsError::Handshake("key block too short");
    let (cm, rest) = kb.split_first_chunk::<32>().ok_or(SHORT)?;
    let (sm, rest) = rest.split_first_chunk::<32>().ok_or(SHORT)?;
    let (ce, rest) = rest.split_first_chunk::<32>().ok_or(SHORT)?;
    let (se, rest) = rest.split_first_chunk::<32>().ok_or(SHORT)?;
    let (civ, rest) = rest.split_at_checked(ivl).ok_or(SHORT)?;
    let siv = rest.get(..ivl).ok_or(SHORT)?;
    let client = Protection::new(suite, cm, ce, civ)?;
    let server = Protection::new(suite, sm, se, siv)?;
    Ok((client, server))
}

/// The key block bytes: `PRF(master, "key expansion", server_random | client_random)`, 128 +
/// 2 × [`CipherSuite::iv_len`] bytes.
pub(crate) fn key_block_bytes(
    suite: CipherSuite,
    master: &[u8; 48],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Zeroizing<Vec<u8>> {
    let mut kb = Zeroizing::new(vec![0u8; 128 + 2 * suite.iv_len()]);
    let mut seed = [0u8; 64];
    seed[..32].copy_from_slice(server_random);
    seed[32..].copy_from_slice(client_random);
    prf(master, b"key expansion", &seed, &mut kb[..]);
    kb
}

/// Whether the certificate names `host`: its subjectAltName dNSName / iPAddress entries when
/// it has any, else its subject's CN; `*.` matches exactly one leftmost label.
pub fn names_host(cert: &Certificate, host: &str) -> bool {
    use der::Decode;
    use x509_cert::ext::pkix::SubjectAltName;
    use x509_cert::ext::pkix::name::GeneralName;
    let ip: Option<std::net::IpAddr> = host.parse().ok();
    if let Some(e) = cert.extension(&SAN) {
        let Ok(san) = SubjectAltName::from_der(e.extn_value.as_bytes()) else {
            return false;
        };
        return san.0.iter().any(|g| match (g, ip) {
            (GeneralName::DnsName(d), None) => dns_match(d.as_str(), host),
            (GeneralName::IpAddress(a), Some(ip)) => match ip {
                std::net::IpAddr::V4(v4) => a.as_bytes() == v4.octets(),
                std::net::IpAddr::V6(v6) => a.as_bytes() == v6.octets(),
            },
            _ => false,
        });
    }
    if ip.is_some() {
        return false;
    }
    crate::x509::name::attributes(cert.subject())
        .iter()
        .any(|(k, v)| k == "CN" && dns_match(v, host))
}

fn dns_match(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.');
    let pattern = pattern.trim_end_matches('.');
    if let Some(suffix) = pattern.strip_prefix("*.") {
        match host.split_once('.') {
            Some((label, rest)) => !label.is_empty() && rest.eq_ignore_ascii_case(suffix),
            None => false,
        }
    } else {
        pattern.eq_ignore_ascii_case(host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_patterns() {
        assert!(dns_match("localhost", "LOCALHOST"));
        assert!(dns_match("*.example.ru", "www.example.ru"));
        assert!(!dns_match("*.example.ru", "a.b.example.ru"));
        assert!(!dns_match("*.example.ru", "example.ru"));
        assert!(!dns_match("example.ru", "www.example.ru"));
    }
}
