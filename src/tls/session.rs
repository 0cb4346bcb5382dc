//! TLS 1.2 sessions for session-ID resumption (RFC 5246 §7.3, §7.4.1.2-3: the abbreviated
//! handshake), under the extended-master-secret rules of RFC 7627 §5.3: a session is resumed
//! only when it was made with the extended master secret and the new hellos negotiate it too.
//!
//! A client keeps the [`Session`] of a connection ([`super::ClientConnection::session`]) and
//! offers it in a later [`super::ClientConfig::session`]; a server keeps its sessions in a
//! bounded, thread-safe [`SessionCache`] shared by every connection of a
//! [`super::ServerConfig`].

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use zeroize::Zeroizing;

use super::CipherSuite;
use crate::x509::Certificate;

/// How long a session may be resumed after the full handshake that made it (RFC 5246
/// §F.1.4 suggests an upper limit of 24 hours; gostkit's default is 2 hours).
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(2 * 60 * 60);
/// The default number of sessions a [`SessionCache`] holds.
pub const DEFAULT_CAPACITY: usize = 256;

/// What a completed full handshake leaves for resuming: the session id the server chose, the
/// suite, the master secret (zeroized on drop, never printed), the peer's certificate chain
/// (the server's for a client, the client's — possibly none — for a server), the server name
/// the client asked for, whether the extended master secret was used, and when it was made.
#[derive(Clone)]
pub struct Session {
    pub(crate) id: Vec<u8>,
    pub(crate) suite: CipherSuite,
    pub(crate) master: Zeroizing<[u8; 48]>,
    pub(crate) peer_chain: Vec<Certificate>,
    pub(crate) server_name: Option<String>,
    pub(crate) ems: bool,
    pub(crate) created: SystemTime,
}

impl Session {
    /// The session id (1 to 32 bytes).
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// The suite of the session; a resumption keeps it.
    pub fn suite(&self) -> CipherSuite {
        self.suite
    }

    /// The peer's certificate chain of the full handshake, leaf first.
    pub fn peer_certificates(&self) -> &[Certificate] {
        &self.peer_chain
    }

    /// The server name the client connected to (the SNI host name, or the IP address).
    pub fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }

    /// Whether the master secret is an extended master secret (RFC 7627); gostkit makes no
    /// other kind, and resumes no other kind.
    pub fn extended_master_secret(&self) -> bool {
        self.ems
    }

    /// When the full handshake of the session finished.
    pub fn created(&self) -> SystemTime {
        self.created
    }

    /// Whether the session is older than `lifetime` at `now` (a creation time in the future,
    /// a clock step back, counts as expired too).
    pub fn is_expired(&self, lifetime: Duration, now: SystemTime) -> bool {
        match now.duration_since(self.created) {
            Ok(age) => age >= lifetime,
            Err(_) => true,
        }
    }

    /// Moves the creation time (tests of expiry).
    #[doc(hidden)]
    pub fn set_created(&mut self, t: SystemTime) {
        self.created = t;
    }
}

impl core::fmt::Debug for Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("id", &hex_id(&self.id))
            .field("suite", &self.suite)
            .field("server_name", &self.server_name)
            .field("peer_certificates", &self.peer_chain.len())
            .field("extended_master_secret", &self.ems)
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

fn hex_id(id: &[u8]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// A server's sessions: at most `capacity` (the least recently used is evicted first), each
/// resumable for `lifetime`; behind a mutex, so one cache serves every connection of a
/// server configuration, across threads.
pub struct SessionCache {
    capacity: usize,
    lifetime: Duration,
    /// Least recently used first.
    entries: Mutex<Vec<Arc<Session>>>,
}

impl Default for SessionCache {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionCache {
    /// [`DEFAULT_CAPACITY`] sessions, [`DEFAULT_LIFETIME`] each.
    pub fn new() -> Self {
        Self::with_limits(DEFAULT_CAPACITY, DEFAULT_LIFETIME)
    }

    /// At most `capacity` sessions (0: the cache keeps none), each for `lifetime`.
    pub fn with_limits(capacity: usize, lifetime: Duration) -> Self {
        Self {
            capacity,
            lifetime,
            entries: Mutex::new(Vec::new()),
        }
    }

    /// How long a session stays resumable.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// The most sessions kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Session>>> {
        // a panic elsewhere while holding the lock leaves a consistent Vec: keep using it
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sessions held now (expired ones included until they are dropped).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no session is held.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Stores `session` (replacing one of the same id), dropping expired sessions and, when
    /// full, the least recently used one.
    pub fn insert(&self, session: Arc<Session>) {
        if self.capacity == 0 || session.id.is_empty() {
            return;
        }
        let now = SystemTime::now();
        let mut entries = self.lock();
        entries.retain(|s| s.id != session.id && !s.is_expired(self.lifetime, now));
        while entries.len() >= self.capacity {
            entries.remove(0);
        }
        entries.push(session);
    }

    /// The unexpired session of `id`, now the most recently used; an expired one is dropped.
    pub fn get(&self, id: &[u8]) -> Option<Arc<Session>> {
        if id.is_empty() {
            return None;
        }
        let now = SystemTime::now();
        let mut entries = self.lock();
        let i = entries.iter().position(|s| s.id == id)?;
        let s = entries.remove(i);
        if s.is_expired(self.lifetime, now) {
            return None;
        }
        entries.push(s.clone());
        Some(s)
    }

    /// Forgets the session of `id`.
    pub fn remove(&self, id: &[u8]) {
        self.lock().retain(|s| s.id != id);
    }
}

impl core::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionCache")
            .field("capacity", &self.capacity)
            .field("lifetime", &self.lifetime)
            .field("len", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: u8) -> Arc<Session> {
        Arc::new(Session {
            id: vec![id; 32],
            suite: CipherSuite::KuznyechikCtrOmac,
            master: Zeroizing::new([id; 48]),
            peer_chain: Vec::new(),
            server_name: Some("localhost".into()),
            ems: true,
            created: SystemTime::now(),
        })
    }

    #[test]
    fn bounded_lru() {
        let c = SessionCache::with_limits(3, DEFAULT_LIFETIME);
        for i in 1..=3 {
            c.insert(session(i));
        }
        // 1 becomes the most recently used; inserting 4 evicts 2
        assert!(c.get(&[1; 32]).is_some());
        c.insert(session(4));
        assert_eq!(c.len(), 3);
        assert!(c.get(&[2; 32]).is_none());
        for i in [1, 3, 4] {
            assert_eq!(c.get(&[i; 32]).map(|s| s.master[0]), Some(i));
        }
        for i in 10..=200 {
            c.insert(session(i));
        }
        assert_eq!(c.len(), 3);
        assert!(c.get(&[]).is_none());
    }

    #[test]
    fn expiry_and_debug() {
        let c = SessionCache::with_limits(8, Duration::from_secs(60));
        let mut old = (*session(7)).clone();
        old.set_created(SystemTime::now() - Duration::from_secs(61));
        c.insert(Arc::new(old.clone()));
        assert!(c.get(&[7; 32]).is_none());
        assert!(c.is_empty());
        assert!(old.is_expired(Duration::from_secs(60), SystemTime::now()));
        // a session from the future is not trusted either
        old.set_created(SystemTime::now() + Duration::from_secs(3600));
        assert!(old.is_expired(Duration::from_secs(60), SystemTime::now()));
        let dbg = format!("{old:?}");
        assert!(dbg.contains("0707"), "{dbg}");
        // the master secret (48 bytes of 7) is never shown
        assert!(!dbg.contains("7, 7, 7"), "{dbg}");
        assert!(!dbg.contains("master: "), "{dbg}");
        assert!(!dbg.contains(&"07".repeat(33)), "{dbg}");
    }
}
