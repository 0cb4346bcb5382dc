//! GOST TLS 1.2 (RFC 9189) in rustls-ffi's style: configurations built once, then a connection
//! handle that the caller feeds with the bytes it receives (`gostkit_tls_read_tls` through a
//! read callback, then `gostkit_tls_process`) and drains of the bytes to send
//! (`gostkit_tls_write_tls` through a write callback); plaintext goes in with
//! `gostkit_tls_write` and comes out with `gostkit_tls_read`. The caller owns the socket.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use gk::tls::TlsError;
use gk::tls::{
    CipherSuite, ClientConfig, ClientConnection, ServerConfig, ServerConnection, Session,
};

use super::cms::{gostkit_read_fn, gostkit_write_fn};
use super::ec::gostkit_signing_key;
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status, ffi_value};
use super::slice::{Output, c_str, input};
use super::status::gostkit_status;
use super::x509::{gostkit_cert, gostkit_store};

impl From<TlsError> for Failure {
    fn from(e: TlsError) -> Self {
        Self::new(gostkit_status::from(e.kind()), e.to_string())
    }
}

/// The most bytes one `gostkit_tls_read_tls` call asks of its callback.
const READ_CHUNK: usize = 16 * 1024 + 2048;

/// A client configuration: trust anchors, suites, ALPN, an optional client certificate.
pub struct gostkit_tls_client_config(ClientConfig);
impl BoxHandle for gostkit_tls_client_config {}

/// A server configuration: certificate chain and key, suites, ALPN, optional client CAs.
pub struct gostkit_tls_server_config(ServerConfig);
impl BoxHandle for gostkit_tls_server_config {}

/// A TLS session kept from a connection for resumption (RFC 5246 §7.3): id, suite, master
/// secret (zeroized when freed; never printed), the peer's chain, the server name.
pub struct gostkit_tls_session(Session);
impl BoxHandle for gostkit_tls_session {}

#[allow(clippy::large_enum_variant)] // it lives inside a boxed handle
enum Conn {
    Client(ClientConnection),
    Server(ServerConnection),
}

macro_rules! both {
    ($c:expr, $x:ident => $e:expr) => {
        match $c {
            Conn::Client($x) => $e,
            Conn::Server($x) => $e,
        }
    };
}

/// A TLS connection (client or server side), sans-I/O.
pub struct gostkit_tls_conn {
    conn: Conn,
    /// Received bytes the connection could not take yet.
    pending_in: Vec<u8>,
    /// Bytes to send that a write callback has not taken yet.
    pending_out: Vec<u8>,
    /// The last fatal alert: (description, received from the peer).
    alert: Option<(u8, bool)>,
}
impl BoxHandle for gostkit_tls_conn {}

fn suites_of(ids: &[u16]) -> Result<Vec<CipherSuite>, Failure> {
    if ids.is_empty() {
        return Err(Failure::invalid_argument("no cipher suite"));
    }
    ids.iter()
        .map(|&id| {
            CipherSuite::from_id(id).ok_or_else(|| {
                Failure::new(
                    gostkit_status::Unsupported,
                    format!("cipher suite 0x{id:04X} is not supported"),
                )
            })
        })
        .collect()
}

/// An ALPN protocol name as RFC 7301 §3.1 allows it: 1 to 255 bytes.
fn alpn_protocol(proto: &[u8]) -> Result<Vec<u8>, Failure> {
    if proto.is_empty() || proto.len() > 255 {
        return Err(Failure::invalid_argument(
            "an ALPN protocol is 1 to 255 bytes",
        ));
    }
    Ok(proto.to_vec())
}

/// Borrows `n` certificate handles.
///
/// # Safety
/// `certs` points to `n` live certificate handles.
unsafe fn cert_list(
    certs: *const *const gostkit_cert,
    n: usize,
) -> Result<Vec<gk::x509::Certificate>, Failure> {
    if n == 0 {
        return Err(Failure::invalid_argument("empty certificate chain"));
    }
    check_null!(certs);
    // SAFETY: `certs` points to `n` handle pointers per the caller contract.
    let ptrs = unsafe { core::slice::from_raw_parts(certs, n) };
    ptrs.iter()
        .map(|p| {
            // SAFETY: each is a live handle per the caller contract.
            unsafe { gostkit_cert::borrow(*p, "chain[i]") }.map(|c| (*c.0).clone())
        })
        .collect()
}

/// A client configuration trusting the roots (and using the intermediates) of `trust`, copied;
/// both suites (0xC100, 0xC101), no ALPN, no client certificate, chains validated now.
///
/// Ownership: the caller owns `*out` (free with `gostkit_tls_client_config_free`); `trust`
/// stays the caller's (its contents are copied).
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `trust` is a live store handle; `out` a writable `gostkit_tls_client_config *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_config_new(
    trust: *const gostkit_store,
    out: *mut *mut gostkit_tls_client_config,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let trust = unsafe { gostkit_store::borrow(trust, "trust") }?;
        let cfg = ClientConfig::new(trust.0.clone());
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_tls_client_config(cfg).into_out(out) }
    }
}

/// Sets the suites offered, in order of preference, by their two-byte identifiers.
///
/// Errors: `GOSTKIT_STATUS_UNSUPPORTED` (an identifier gostkit does not speak),
/// `_INVALID_ARGUMENT` (`n == 0`), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cfg` is a live handle; `ids` points to `n` values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_config_set_suites(
    cfg: *mut gostkit_tls_client_config,
    ids: *const u16,
    n: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_client_config::borrow_mut(cfg, "cfg") }?;
        check_null!(ids);
        // SAFETY: `ids` points to `n` values per the caller contract.
        let ids = unsafe { core::slice::from_raw_parts(ids, n) };
        cfg.0.suites = suites_of(ids)?;
        Ok(())
    }
}

/// Adds an application protocol offered by ALPN (RFC 7301), e.g. `http/1.1`; 1–255 bytes.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cfg` is a live handle; `proto` points to `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_config_add_alpn(
    cfg: *mut gostkit_tls_client_config,
    proto: *const u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_client_config::borrow_mut(cfg, "cfg") }?;
        // SAFETY: caller contract above.
        let proto = unsafe { input(proto, len, "proto") }?;
        cfg.0.alpn.push(alpn_protocol(proto)?);
        Ok(())
    }
}

/// Sets the client certificate chain (leaf first) and its key, sent when a server asks for a
/// client certificate (CertificateVerify is signed with `key`).
///
/// Ownership: the certificates are copied; the key handle is shared (the configuration keeps a
/// reference; the caller may free its handle).
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH` (the key is not the leaf's), `_INVALID_ARGUMENT`
/// (empty chain), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cfg` is a live handle; `chain` points to `n` live certificate handles; `key` is live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_config_set_client_auth(
    cfg: *mut gostkit_tls_client_config,
    chain: *const *const gostkit_cert,
    n: usize,
    key: *const gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_client_config::borrow_mut(cfg, "cfg") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let chain = unsafe { cert_list(chain, n) }?;
        let leaf_key = chain
            .first()
            .ok_or_else(|| Failure::invalid_argument("empty certificate chain"))?
            .verifying_key()?;
        if leaf_key.as_bytes() != key.public_key().as_bytes() {
            return Err(Failure::new(
                gostkit_status::KeyMismatch,
                "the key does not belong to the leaf certificate",
            ));
        }
        cfg.0.client_auth = Some((chain, key.sign_arc()));
        Ok(())
    }
}

/// Validates server chains at Unix time `unix_seconds` instead of now (for tests and
/// re-checks).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (negative), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cfg` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_config_set_time(
    cfg: *mut gostkit_tls_client_config,
    unix_seconds: i64,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_client_config::borrow_mut(cfg, "cfg") }?;
        let secs = u64::try_from(unix_seconds)
            .map_err(|_| Failure::invalid_argument("time before 1970"))?;
        cfg.0.time = Some(UNIX_EPOCH + Duration::from_secs(secs));
        Ok(())
    }
}

/// Offers `session` (from `gostkit_tls_get_session` of an earlier connection) for resumption
/// in the connections made from `cfg` afterwards; NULL clears it. It is offered only when its
/// suite is configured, the connection's server name is the session's, and it is younger than
/// two hours; otherwise, or when the server declines, the handshake is a full one
/// (`gostkit_tls_is_resumed` tells which).
///
/// Ownership: `session` stays the caller's (it is copied); free it when no longer needed.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT` (`cfg`).
///
/// # Safety
/// `cfg` is a live handle; `session` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_config_set_session(
    cfg: *mut gostkit_tls_client_config,
    session: *const gostkit_tls_session,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_client_config::borrow_mut(cfg, "cfg") }?;
        cfg.0.session = if session.is_null() {
            None
        } else {
            // SAFETY: a live handle per the caller contract.
            Some(unsafe { gostkit_tls_session::borrow(session, "session") }?.0.clone())
        };
        Ok(())
    }
}

/// Frees a client configuration; NULL is a no-op. Connections made from it keep their copy.
///
/// # Safety
/// `cfg` is NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_config_free(cfg: *mut gostkit_tls_client_config) {
    // SAFETY: caller contract above.
    unsafe { gostkit_tls_client_config::free(cfg) }
}

/// A server configuration: the chain sent (leaf first) and the leaf's key (VKO for the key
/// exchange); both suites, no ALPN, no client certificate asked for.
///
/// Ownership: the caller owns `*out` (free with `gostkit_tls_server_config_free`); the
/// certificates are copied, the key handle is shared (the caller may free its handle).
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH`, `_INVALID_ARGUMENT` (empty chain), `_NULL_ARGUMENT`.
///
/// # Safety
/// `chain` points to `n` live certificate handles; `key` is live; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_server_config_new(
    chain: *const *const gostkit_cert,
    n: usize,
    key: *const gostkit_signing_key,
    out: *mut *mut gostkit_tls_server_config,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let chain = unsafe { cert_list(chain, n) }?;
        let cfg = ServerConfig::new(chain, key.agree_arc())?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_tls_server_config(cfg).into_out(out) }
    }
}

/// Sets the suites accepted, in the server's order of preference.
///
/// Errors: as `gostkit_tls_client_config_set_suites`.
///
/// # Safety
/// `cfg` is a live handle; `ids` points to `n` values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_server_config_set_suites(
    cfg: *mut gostkit_tls_server_config,
    ids: *const u16,
    n: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_server_config::borrow_mut(cfg, "cfg") }?;
        check_null!(ids);
        // SAFETY: `ids` points to `n` values per the caller contract.
        let ids = unsafe { core::slice::from_raw_parts(ids, n) };
        cfg.0.suites = suites_of(ids)?;
        Ok(())
    }
}

/// Adds an application protocol the server accepts (in order of preference); a client offering
/// ALPN with none of them is refused (`no_application_protocol`).
///
/// Errors: as `gostkit_tls_client_config_add_alpn`.
///
/// # Safety
/// `cfg` is a live handle; `proto` points to `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_server_config_add_alpn(
    cfg: *mut gostkit_tls_server_config,
    proto: *const u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_server_config::borrow_mut(cfg, "cfg") }?;
        // SAFETY: caller contract above.
        let proto = unsafe { input(proto, len, "proto") }?;
        cfg.0.alpn.push(alpn_protocol(proto)?);
        Ok(())
    }
}

/// Requires a client certificate whose chain validates against `client_ca` (copied) for
/// clientAuth, and a CertificateVerify made with its key.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cfg` and `client_ca` are live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_server_config_set_client_ca(
    cfg: *mut gostkit_tls_server_config,
    client_ca: *const gostkit_store,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_server_config::borrow_mut(cfg, "cfg") }?;
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(client_ca, "client_ca") }?;
        cfg.0.client_ca = Some(store.0.clone());
        Ok(())
    }
}

/// Frees a server configuration; NULL is a no-op. Connections made from it keep their copy.
///
/// # Safety
/// `cfg` is NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_server_config_free(cfg: *mut gostkit_tls_server_config) {
    // SAFETY: caller contract above.
    unsafe { gostkit_tls_server_config::free(cfg) }
}

impl gostkit_tls_conn {
    fn new(conn: Conn) -> Self {
        Self {
            conn,
            pending_in: Vec::new(),
            pending_out: Vec::new(),
            alert: None,
        }
    }

    /// Moves what the connection has to send into `pending_out`.
    fn drain(&mut self) {
        let out = &mut self.pending_out;
        both!(&mut self.conn, c => c.write_tls(out));
    }

    /// Feeds `pending_in` to the connection as far as it takes it, then processes.
    fn feed_and_process(&mut self) -> Result<(), Failure> {
        let took = both!(&mut self.conn, c => c.read_tls(&self.pending_in));
        self.pending_in.drain(..took);
        let r = both!(&mut self.conn, c => c.process());
        self.drain();
        r.map_err(|e| {
            self.alert = match &e {
                TlsError::AlertReceived(code) => Some((*code, true)),
                other => other.alert().map(|a| (a, false)),
            };
            Failure::from(e)
        })
    }
}

/// A client connection to `server_name` (NUL-terminated UTF-8: the SNI name and the name the
/// server's certificate must carry); its ClientHello is ready for `gostkit_tls_write_tls`.
///
/// Ownership: the caller owns `*out` (free with `gostkit_tls_free`); `cfg` is copied.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (name not UTF-8 or empty), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cfg` is live; `server_name` a NUL-terminated string; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_client_new(
    cfg: *const gostkit_tls_client_config,
    server_name: *const core::ffi::c_char,
    out: *mut *mut gostkit_tls_conn,
) -> gostkit_status {
    ffi_status! {
        check_null!(out, server_name);
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_client_config::borrow(cfg, "cfg") }?;
        // SAFETY: a NUL-terminated string per the caller contract.
        let name = unsafe { c_str(server_name, "server_name") }?;
        if name.is_empty() {
            return Err(Failure::invalid_argument("empty server_name"));
        }
        let conn = ClientConnection::new(Arc::new(cfg.0.clone()), name)?;
        let mut h = gostkit_tls_conn::new(Conn::Client(conn));
        h.drain();
        // SAFETY: `out` is non-NULL and writable.
        unsafe { h.into_out(out) }
    }
}

/// A server connection waiting for a ClientHello.
///
/// Ownership: the caller owns `*out` (free with `gostkit_tls_free`); `cfg` is copied.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cfg` is live; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_server_new(
    cfg: *const gostkit_tls_server_config,
    out: *mut *mut gostkit_tls_conn,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let cfg = unsafe { gostkit_tls_server_config::borrow(cfg, "cfg") }?;
        let conn = ServerConnection::new(Arc::new(cfg.0.clone()));
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_tls_conn::new(Conn::Server(conn)).into_out(out) }
    }
}

/// Reads once from the transport through `read` (at most about 18 KiB) and keeps the bytes for
/// `gostkit_tls_process`; `*n_read` is the count, 0 when the source is at its end (the peer
/// closed the transport) or when the connection holds enough unprocessed input already.
///
/// Ownership: the callback is called only during this call with `read_ctx`.
///
/// Errors: `GOSTKIT_STATUS_IO` (the callback returned a negative value), `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `read` honours `gostkit_read_fn`'s contract; `n_read` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_read_tls(
    conn: *mut gostkit_tls_conn,
    read: gostkit_read_fn,
    read_ctx: *mut core::ffi::c_void,
    n_read: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(n_read);
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow_mut(conn, "conn") }?;
        let read = read.ok_or_else(|| Failure::null_argument("read"))?;
        // SAFETY: `n_read` is non-NULL and writable.
        unsafe { n_read.write(0) };
        if h.pending_in.len() >= READ_CHUNK {
            return Ok(());
        }
        let mut buf = vec![0u8; READ_CHUNK];
        // SAFETY: the callback writes at most `len` bytes into `buf` per its contract.
        let n = unsafe { read(read_ctx, buf.as_mut_ptr(), buf.len()) };
        let n = usize::try_from(n)
            .ok()
            .filter(|&n| n <= buf.len())
            .ok_or_else(|| Failure::new(gostkit_status::Io, "read callback failed"))?;
        h.pending_in.extend_from_slice(buf.get(..n).unwrap_or_default());
        // SAFETY: as above.
        unsafe { n_read.write(n) };
        Ok(())
    }
}

/// Processes the bytes received so far: handshake messages, records, alerts. On a failure the
/// connection is dead, its fatal alert (if one is sent) is queued for `gostkit_tls_write_tls`,
/// and `gostkit_tls_alert` gives it; `gostkit_last_error()` says what failed (for a chain, the
/// certificate and the path-validation reason).
///
/// Errors: `GOSTKIT_STATUS_TLS_ALERT` (the peer sent a fatal alert), `_HANDSHAKE_FAILURE`,
/// `_AUTH_FAILED` (a record's MAC), `_BAD_SIGNATURE`, `_MALFORMED`, the chain statuses
/// (`_UNTRUSTED_ROOT`, `_NO_ISSUER`, `_CERT_EXPIRED`…), `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_process(conn: *mut gostkit_tls_conn) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow_mut(conn, "conn") }?;
        h.feed_and_process()
    }
}

/// Writes the bytes the connection has to send through `write` (all of them, in one or more
/// calls); `*n_written` is the count (0: nothing to send).
///
/// Ownership: the callback is called only during this call with `write_ctx`.
///
/// Errors: `GOSTKIT_STATUS_IO` (the callback failed; the bytes stay queued), `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `write` honours `gostkit_write_fn`'s contract; `n_written` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_write_tls(
    conn: *mut gostkit_tls_conn,
    write: gostkit_write_fn,
    write_ctx: *mut core::ffi::c_void,
    n_written: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(n_written);
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow_mut(conn, "conn") }?;
        let write = write.ok_or_else(|| Failure::null_argument("write"))?;
        // SAFETY: `n_written` is non-NULL and writable.
        unsafe { n_written.write(0) };
        h.drain();
        if h.pending_out.is_empty() {
            return Ok(());
        }
        // SAFETY: the callback only reads `len` bytes per its contract.
        let rc = unsafe { write(write_ctx, h.pending_out.as_ptr(), h.pending_out.len()) };
        if rc != 0 {
            return Err(Failure::new(gostkit_status::Io, "write callback failed"));
        }
        let n = h.pending_out.len();
        h.pending_out.clear();
        // SAFETY: as above.
        unsafe { n_written.write(n) };
        Ok(())
    }
}

/// True when the connection has bytes to send (call `gostkit_tls_write_tls`). False for NULL.
///
/// # Safety
/// `conn` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_wants_write(conn: *mut gostkit_tls_conn) -> bool {
    ffi_value!(false, {
        // SAFETY: caller contract above.
        match unsafe { gostkit_tls_conn::borrow_mut(conn, "conn") } {
            Ok(h) => {
                h.drain();
                !h.pending_out.is_empty()
            }
            Err(_) => false,
        }
    })
}

/// True while the handshake is not finished (and the connection has not failed). False for NULL.
///
/// # Safety
/// `conn` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_is_handshaking(conn: *const gostkit_tls_conn) -> bool {
    ffi_value!(false, {
        // SAFETY: caller contract above.
        unsafe { gostkit_tls_conn::borrow(conn, "conn") }
            .is_ok_and(|h| both!(&h.conn, c => c.is_handshaking() && !c.is_failed()))
    })
}

/// True once the peer sent close_notify (no more plaintext will come). False for NULL.
///
/// # Safety
/// `conn` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_peer_closed(conn: *const gostkit_tls_conn) -> bool {
    ffi_value!(false, {
        // SAFETY: caller contract above.
        unsafe { gostkit_tls_conn::borrow(conn, "conn") }
            .is_ok_and(|h| both!(&h.conn, c => c.peer_closed()))
    })
}

/// Queues `data[0..len]` as application data (encrypted into records for
/// `gostkit_tls_write_tls`). Only after the handshake.
///
/// Errors: `GOSTKIT_STATUS_HANDSHAKE_FAILURE` (handshake not finished, connection closed or
/// failed), `_DATA_LIMIT_EXCEEDED` (the suite's sequence-number limit), `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `data` points to `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_write(
    conn: *mut gostkit_tls_conn,
    data: *const u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow_mut(conn, "conn") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        both!(&mut h.conn, c => c.send(data))?;
        h.drain();
        Ok(())
    }
}

/// Takes up to `cap` bytes of received application data into `buf`; `*n` is the count (0 when
/// none is buffered: read and process more, or check `gostkit_tls_peer_closed`).
///
/// Ownership: `buf` is the caller's.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `buf` points to `cap` writable bytes; `n` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_read(
    conn: *mut gostkit_tls_conn,
    buf: *mut u8,
    cap: usize,
    n: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(n);
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow_mut(conn, "conn") }?;
        let got = if cap == 0 {
            0
        } else {
            check_null!(buf);
            // SAFETY: `buf` points to `cap` writable bytes per the caller contract.
            let out = unsafe { core::slice::from_raw_parts_mut(buf, cap) };
            both!(&mut h.conn, c => c.recv(out))
        };
        // SAFETY: `n` is non-NULL and writable.
        unsafe { n.write(got) };
        Ok(())
    }
}

/// Queues close_notify (after it, `gostkit_tls_write` fails); send it with
/// `gostkit_tls_write_tls`.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_close(conn: *mut gostkit_tls_conn) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow_mut(conn, "conn") }?;
        both!(&mut h.conn, c => c.close());
        h.drain();
        Ok(())
    }
}

/// The negotiated suite's identifier (0xC100, 0xC101), 0 before the ServerHello or for NULL.
///
/// # Safety
/// `conn` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_suite(conn: *const gostkit_tls_conn) -> u16 {
    ffi_value!(0, {
        // SAFETY: caller contract above.
        unsafe { gostkit_tls_conn::borrow(conn, "conn") }
            .ok()
            .and_then(|h| both!(&h.conn, c => c.suite()))
            .map_or(0, CipherSuite::id)
    })
}

/// The peer's certificate number `index` (0 = its leaf) as a new handle.
///
/// Ownership: the caller owns `*out` (free with `gostkit_cert_free`).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no such certificate: none sent, or `index` past the
/// chain), `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_peer_cert(
    conn: *const gostkit_tls_conn,
    index: usize,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow(conn, "conn") }?;
        let cert = both!(&h.conn, c => c.peer_certificates().get(index).cloned())
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no such peer certificate"))?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_cert::new(cert).into_out(out) }
    }
}

/// The application protocol agreed by ALPN under the output convention (not NUL-terminated).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (none agreed), `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `out`/`out_len` follow the output convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_alpn(
    conn: *const gostkit_tls_conn,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow(conn, "conn") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let p = both!(&h.conn, c => c.alpn_protocol().map(<[u8]>::to_vec))
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no protocol agreed"))?;
        out.write(&p)
    }
}

/// The fatal alert that ended the connection: its RFC 5246 §7.2 description code in `*code`
/// and whether the peer sent it (`*received`, true) or gostkit did (false).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no fatal alert), `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `code` and `received` are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_alert(
    conn: *const gostkit_tls_conn,
    code: *mut u8,
    received: *mut bool,
) -> gostkit_status {
    ffi_status! {
        check_null!(code, received);
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow(conn, "conn") }?;
        let (c, r) = h
            .alert
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no fatal alert"))?;
        // SAFETY: both pointers are non-NULL and writable.
        unsafe {
            code.write(c);
            received.write(r);
        }
        Ok(())
    }
}

/// True when the handshake resumed a session (abbreviated handshake). False for NULL.
///
/// # Safety
/// `conn` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_is_resumed(conn: *const gostkit_tls_conn) -> bool {
    ffi_value!(false, {
        // SAFETY: caller contract above.
        unsafe { gostkit_tls_conn::borrow(conn, "conn") }
            .is_ok_and(|h| both!(&h.conn, c => c.is_resumed()))
    })
}

/// The session of a connection whose handshake finished, as a new handle: on a client, to
/// offer later with `gostkit_tls_client_config_set_session`; on a server, for inspection (the
/// server configuration's cache keeps its own).
///
/// Ownership: the caller owns `*out` (free with `gostkit_tls_session_free`); it outlives the
/// connection.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (handshake not finished, or the server gave no session
/// id), `_NULL_ARGUMENT`.
///
/// # Safety
/// `conn` is live; `out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_get_session(
    conn: *const gostkit_tls_conn,
    out: *mut *mut gostkit_tls_session,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let h = unsafe { gostkit_tls_conn::borrow(conn, "conn") }?;
        let s = both!(&h.conn, c => c.session().cloned())
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no session"))?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_tls_session(s).into_out(out) }
    }
}

/// The session id under the output convention (1 to 32 bytes).
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `session` is live; `out`/`out_len` follow the output convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_session_id(
    session: *const gostkit_tls_session,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let s = unsafe { gostkit_tls_session::borrow(session, "session") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        out.write(s.0.id())
    }
}

/// Frees a session (its master secret is zeroized); NULL is a no-op.
///
/// # Safety
/// `session` is NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_session_free(session: *mut gostkit_tls_session) {
    // SAFETY: caller contract above.
    unsafe { gostkit_tls_session::free(session) }
}

/// Frees a connection (its keys are zeroized); NULL is a no-op. Send close_notify first for a
/// clean close.
///
/// # Safety
/// `conn` is NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tls_free(conn: *mut gostkit_tls_conn) {
    // SAFETY: caller contract above.
    unsafe { gostkit_tls_conn::free(conn) }
}
