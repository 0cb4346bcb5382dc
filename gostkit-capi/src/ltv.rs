//! Long-term validation over the C ABI: RFC 3161 time-stamp requests, responses and an
//! in-process TSA; RFC 6960 OCSP requests and the check of a response; the upgrade of a
//! SignedData to CAdES-T or CAdES-X Long Type 1 (ETSI TS 101 733 §6.2-6.3). The per-signer
//! level of a verification and the offline (embedded-data) verification live in `cms_result`.
//!
//! The library opens no socket: a TSA or OCSP responder is reached by the caller's transport
//! callback (`gostkit_transport_fn`), which gets the DER request and writes the DER response
//! into a library-owned sink with `gostkit_response_sink_write`.

use core::ffi::{c_char, c_void};
use std::cell::RefCell;
use std::time::SystemTime;

use super::buffer::{buffer_out, clear_out, gostkit_buffer};
use super::cms::certs_of;
use super::ec::gostkit_signing_key;
use super::error::Failure;
use super::handle::BoxHandle;
use super::hash::hash_alg;
use super::panic::{check_null, ffi_status};
use super::slice::{c_str, input};
use super::status::gostkit_status;
use super::x509::{gostkit_cert, gostkit_store, revocation_policy, unix_time};
use der::asn1::ObjectIdentifier;
use gk::cms::CmsError;
use gk::cms::signed::SignedMessage;
use gk::cms::tsp::{
    TimeStampReq, TimeStampResp, TokenVerifyOptions, Tsa, TsaOptions, UpgradeLevel, ValidationData,
    upgrade,
};
use gk::x509::Certificate;
use gk::x509::ocsp::{
    CertIdHash, CertStatus, OcspOptions, OcspRequest, OcspResponse, random_nonce,
};
use gk::x509::path::ValidationOptions;

/// Largest response a transport callback may write into its sink (1 MiB).
pub const GOSTKIT_MAX_RESPONSE: usize = 1 << 20;

/// The default TSA policy of `gostkit_tsa_new` when `policy_oid` is NULL (1.2.643.2.2.38.4,
/// CryptoPro's TSP policy arc, as used by CryptoPro TSP servers).
const DEFAULT_TSA_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.2.2.38.4");

fn unix(t: SystemTime) -> i64 {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN + 1, |s| -s),
    }
}

/// A dotted OID argument; NULL gives None.
///
/// # Safety
/// `p` NULL or a NUL-terminated string.
unsafe fn oid_arg(
    p: *const c_char,
    name: &'static str,
) -> Result<Option<ObjectIdentifier>, Failure> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per the contract.
    let s = unsafe { c_str(p, name) }?;
    ObjectIdentifier::new(s)
        .map(Some)
        .map_err(|_| Failure::invalid_argument(format!("`{name}` is not a dotted OID: {s}")))
}

/// Stores `v` in `*p` when `p` is non-NULL.
///
/// # Safety
/// `p` NULL or writable.
unsafe fn put<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: non-NULL and writable per the contract.
        unsafe { p.write(v) };
    }
}

// ---- time-stamps (RFC 3161) ----

/// Builds a DER TimeStampReq (RFC 3161 §2.4.1) for `data[0..len]` hashed with `hash_alg` (a
/// `gostkit_hash_alg`): a random 64-bit nonce when `with_nonce`, certReq = `cert_req`, and
/// reqPolicy `policy_oid` (dotted text, e.g. "1.2.643.2.2.38.4"; NULL: none).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); `*out` is
/// NULL on failure; inputs stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (algorithm, OID), `_RANDOM_FAILED`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `data` `len` readable bytes (NULL with 0); `policy_oid` NULL or NUL-terminated; `out` a
/// writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_ts_query_new(
    data: *const u8,
    len: usize,
    hash_alg: u32,
    with_nonce: bool,
    cert_req: bool,
    policy_oid: *const c_char,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        let alg = self::hash_alg(hash_alg)?;
        // SAFETY: caller contract above.
        let policy = unsafe { oid_arg(policy_oid, "policy_oid") }?;
        let mut req = TimeStampReq::new(alg, data)?.with_cert_req(cert_req);
        if !with_nonce {
            req = req.with_nonce(None);
        }
        if let Some(p) = policy {
            req = req.with_policy(p);
        }
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(req.to_der(), out) }
    }
}

/// Verifies a DER TimeStampResp `tsr` (RFC 3161 §2.4.2): the status must be granted; the
/// token's TSA signature, its signing-certificate(-v2) attribute, the TSA certificate (a
/// critical extKeyUsage of id-kp-timeStamping only) and its chain against `store` (trusted
/// roots; its intermediates, its CRLs per `revocation`, a `gostkit_revocation`), plus the
/// `untrusted[0..n_untrusted]` certificates for a token without the TSA certificate. The chain
/// is validated at Unix time `at`, or at the token's genTime when `at` is 0 (RFC 3161 §4).
///
/// What the token must cover: with `tsq` (the DER request it answers) its imprint, nonce and
/// policy must be the request's; with `data` the imprint must be the hash of `data` (the
/// token's algorithm). Give one or both (a NULL `data` with `data_len` 0 and a NULL `tsq`
/// gives `GOSTKIT_STATUS_INVALID_ARGUMENT`). `*gen_time` (NULL: not wanted) receives genTime
/// in Unix seconds.
///
/// Ownership: everything stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_DIGEST_MISMATCH` (imprint), `_AUTH_FAILED` (nonce or policy),
/// `_BAD_SIGNATURE`, `_EXT_KEY_USAGE` (not a TSA certificate), the chain statuses (300s), the
/// status of a rejection (its failInfo, e.g. `_UNSUPPORTED` for badAlg), `_MALFORMED`,
/// `_INVALID_ARGUMENT`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `tsr` `tsr_len` readable bytes; `tsq` `tsq_len` readable bytes or NULL; `data` `data_len`
/// readable bytes or NULL; `store` a live handle; `untrusted` `n_untrusted` live certificate
/// handles (NULL with 0); `gen_time` NULL or a writable `int64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_ts_verify(
    tsr: *const u8,
    tsr_len: usize,
    tsq: *const u8,
    tsq_len: usize,
    data: *const u8,
    data_len: usize,
    store: *const gostkit_store,
    untrusted: *const *const gostkit_cert,
    n_untrusted: usize,
    at: i64,
    revocation: u32,
    gen_time: *mut i64,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let tsr = unsafe { input(tsr, tsr_len, "tsr") }?;
        let tsq = if tsq.is_null() {
            None
        } else {
            // SAFETY: caller contract above.
            Some(unsafe { input(tsq, tsq_len, "tsq") }?)
        };
        let data = if data.is_null() {
            None
        } else {
            // SAFETY: caller contract above.
            Some(unsafe { input(data, data_len, "data") }?)
        };
        if tsq.is_none() && data.is_none() {
            return Err(Failure::invalid_argument("give the request `tsq`, the `data`, or both"));
        }
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        // SAFETY: caller contract above.
        let extra = unsafe { certs_of(untrusted, n_untrusted, "untrusted") }?;
        let opts = TokenVerifyOptions {
            time: (at != 0).then(|| unix_time(at)),
            revocation: revocation_policy(revocation)?,
            extra: extra.into_iter().cloned().collect(),
        };
        let token = TimeStampResp::parse(tsr)?.into_token()?;
        let report = match tsq {
            Some(q) => {
                let req = TimeStampReq::parse(q)?;
                if let Some(d) = data
                    && req.hash_alg().digest(d) != req.imprint()
                {
                    return Err(CmsError::ImprintMismatch.into());
                }
                token.verify_request(&req, &store.0, &opts)?
            }
            None => token.verify_data(data.unwrap_or_default(), &store.0, &opts)?,
        };
        // SAFETY: `gen_time` NULL or writable per the caller contract.
        unsafe { put(gen_time, unix(report.gen_time)) };
        Ok(())
    }
}

/// A time-stamping authority in process (opaque): a TSA certificate, its key and a policy.
/// Create with `gostkit_tsa_new`, answer with `gostkit_tsa_respond`, free with
/// `gostkit_tsa_free`.
pub struct gostkit_tsa {
    cert: Certificate,
    key: gostkit_signing_key,
    opts: TsaOptions,
}
impl BoxHandle for gostkit_tsa {}

impl gostkit_tsa {
    fn tsa(&self) -> Result<Tsa<'_>, Failure> {
        Ok(Tsa::new(&self.cert, self.key.as_sign(), self.opts.clone())?)
    }
}

/// Creates a TSA signing with `key` for `cert` (RFC 3161 §2.3: the certificate should carry
/// a critical extKeyUsage of id-kp-timeStamping only; verifiers check it, this call does not),
/// tokens under `policy_oid` (dotted text; NULL: 1.2.643.2.2.38.4), Streebog-256/512 imprints
/// accepted, signing-certificate-v2 with Streebog-256 in each token.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_tsa_free`); the TSA keeps
/// a copy of `cert` and a shared reference to `key` (the caller may free its handles).
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH`, `_INVALID_ARGUMENT` (OID), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `key` live handles; `policy_oid` NULL or NUL-terminated; `out` a writable
/// `gostkit_tsa *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tsa_new(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    policy_oid: *const c_char,
    out: *mut *mut gostkit_tsa,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let policy = unsafe { oid_arg(policy_oid, "policy_oid") }?.unwrap_or(DEFAULT_TSA_POLICY);
        let tsa = gostkit_tsa { cert: (*cert.0).clone(), key: key.share(), opts: TsaOptions::new(policy) };
        tsa.tsa()?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { tsa.into_out(out) }
    }
}

/// Answers the DER TimeStampReq `tsq` with a DER TimeStampResp at Unix time `at` (0 = now):
/// a granted response with a token, or — for a request it cannot honour (malformed, an
/// imprint algorithm or policy not accepted, extensions) — a rejection response with its
/// failInfo; both return OK (the response is what a TSA sends back).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); `*out` is
/// NULL on failure.
///
/// Errors: `GOSTKIT_STATUS_RANDOM_FAILED`, a signing failure, `_NULL_ARGUMENT`.
///
/// # Safety
/// `tsa` a live handle; `tsq` `len` readable bytes; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tsa_respond(
    tsa: *const gostkit_tsa,
    tsq: *const u8,
    len: usize,
    at: i64,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let tsa = unsafe { gostkit_tsa::borrow(tsa, "tsa") }?;
        // SAFETY: caller contract above.
        let tsq = unsafe { input(tsq, len, "tsq") }?;
        let resp = tsa.tsa()?.respond(tsq, unix_time(at), None)?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(resp, out) }
    }
}

/// Frees a TSA; NULL is a no-op.
///
/// # Safety
/// `tsa` NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_tsa_free(tsa: *mut gostkit_tsa) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_tsa::free(tsa) })
}

// ---- OCSP (RFC 6960) ----

/// What a verified OCSP response says about a certificate (`gostkit_ocsp_check_response`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_ocsp_cert_status {
    /// Not revoked.
    Good = 1,
    /// Revoked (at the time and for the reason given).
    Revoked = 2,
    /// The responder does not know the certificate.
    Unknown = 3,
}

/// Builds a DER OCSPRequest (RFC 6960 §4.1, unsigned) about `cert` issued by `issuer`, its
/// CertID hashed with SHA-1 (what `openssl ocsp` and most responders expect), with a random
/// 16-byte nonce extension when `with_nonce` (pass the request to
/// `gostkit_ocsp_check_response` to have the nonce checked).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); `*out` is
/// NULL on failure; the handles stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_RANDOM_FAILED`, `_MALFORMED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `issuer` live handles; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_ocsp_request_new(
    cert: *const gostkit_cert,
    issuer: *const gostkit_cert,
    with_nonce: bool,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let issuer = unsafe { gostkit_cert::borrow(issuer, "issuer") }?;
        let nonce = if with_nonce { Some(random_nonce()?) } else { None };
        let req = OcspRequest::build(&[(&cert.0, &issuer.0)], CertIdHash::Sha1, nonce.as_ref().map(|n| &n[..]))
            ?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(req.der().to_vec(), out) }
    }
}

/// The RFC 5280 §5.3.1 CRLReason value of a reason name.
fn reason_code(name: &str) -> i32 {
    const NAMES: [(&str, i32); 10] = [
        ("unspecified", 0),
        ("keyCompromise", 1),
        ("cACompromise", 2),
        ("affiliationChanged", 3),
        ("superseded", 4),
        ("cessationOfOperation", 5),
        ("certificateHold", 6),
        ("removeFromCRL", 8),
        ("privilegeWithdrawn", 9),
        ("aACompromise", 10),
    ];
    NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(0, |(_, c)| *c)
}

/// Checks the DER OCSPResponse `resp` for `cert` issued by `issuer` at Unix time `at` (0 =
/// now): successful status, a signature by `issuer` or by a responder certificate it issued
/// for id-kp-OCSPSigning, a single response about `cert` fresh at `at` (5 minutes of
/// tolerance; one hour after thisUpdate without nextUpdate), and — when `req` (the DER request
/// it answers) carries a nonce — the same nonce. With `trusted` non-NULL, `issuer`'s own chain
/// must also validate against that store at `at` (no revocation checking).
///
/// Outputs (each NULL: not wanted): `*out_status` a `gostkit_ocsp_cert_status`;
/// `*out_revocation_time` the revocationTime (Unix seconds; 0 unless revoked); `*out_reason`
/// the CRLReason (RFC 5280 §5.3.1; -1 when none given or not revoked). They are written
/// whenever the response verified, also when the call returns `_REVOKED` or
/// `_OCSP_CERT_UNKNOWN`.
///
/// Ownership: everything stays the caller's.
///
/// Returns `GOSTKIT_STATUS_OK` only for a verified `good`; `GOSTKIT_STATUS_REVOKED`,
/// `_OCSP_CERT_UNKNOWN` for the other verified answers. Errors: `_OCSP_UNSUCCESSFUL`,
/// `_BAD_SIGNATURE`, `_KEY_USAGE` (responder not authorised), `_OCSP_STALE`,
/// `_OCSP_NONCE_MISMATCH`, `_CRL_MISSING` (no single response for `cert`), the chain statuses
/// (with `trusted`), `_MALFORMED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `resp` `resp_len` readable bytes; `req` `req_len` readable bytes or NULL; `cert`, `issuer`
/// live handles; `trusted` NULL or a live handle; the outputs NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_ocsp_check_response(
    resp: *const u8,
    resp_len: usize,
    req: *const u8,
    req_len: usize,
    cert: *const gostkit_cert,
    issuer: *const gostkit_cert,
    trusted: *const gostkit_store,
    at: i64,
    out_status: *mut u32,
    out_revocation_time: *mut i64,
    out_reason: *mut i32,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let resp = unsafe { input(resp, resp_len, "resp") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let issuer = unsafe { gostkit_cert::borrow(issuer, "issuer") }?;
        let nonce = if req.is_null() {
            None
        } else {
            // SAFETY: caller contract above.
            let req = unsafe { input(req, req_len, "req") }?;
            OcspRequest::from_der(req)?.nonce_extension_value().map(<[u8]>::to_vec)
        };
        let time = unix_time(at);
        let resp = OcspResponse::from_der(resp)?;
        let opts = OcspOptions { nonce, ..OcspOptions::default() };
        let v = resp.verify(&cert.0, &issuer.0, time, &opts)?;
        if !trusted.is_null() {
            // SAFETY: caller contract above.
            let store = unsafe { gostkit_store::borrow(trusted, "trusted") }?;
            store.0.validate(&issuer.0, resp.certs(), &ValidationOptions::at(time))?;
        }
        let (status, rev_time, reason, result) = match v.status {
            CertStatus::Good => (gostkit_ocsp_cert_status::Good, 0, -1, Ok(())),
            CertStatus::Revoked { time, reason } => (
                gostkit_ocsp_cert_status::Revoked,
                unix(time),
                reason.map_or(-1, reason_code),
                Err(Failure::new(
                    gostkit_status::Revoked,
                    format!("revoked at {} ({})", gk::x509::time::rfc3339(time), reason.unwrap_or("no reason given")),
                )),
            ),
            CertStatus::Unknown => (
                gostkit_ocsp_cert_status::Unknown,
                0,
                -1,
                Err(Failure::new(gostkit_status::OcspCertUnknown, "the OCSP responder does not know the certificate")),
            ),
        };
        // SAFETY: the outputs are NULL or writable per the caller contract.
        unsafe {
            put(out_status, status as u32);
            put(out_revocation_time, rev_time);
            put(out_reason, reason);
        }
        result
    }
}

// ---- CAdES-T / CAdES-X Long Type 1 upgrade ----

/// Where a transport callback writes the response (opaque, owned by the library, valid only
/// during the callback).
pub struct gostkit_response_sink {
    buf: Vec<u8>,
    overflow: bool,
}

/// A transport callback: sends the DER `request[0..request_len]` to a TSA (HTTP
/// `application/timestamp-query`, RFC 3161 §3.4) or an OCSP responder (`application/
/// ocsp-request`, RFC 6960 Appendix A) and writes the DER response with
/// `gostkit_response_sink_write(sink, …)` (in one or several pieces); returns 0 on success,
/// non-zero when there is no response. `request` and `sink` are valid only during the call.
pub type gostkit_transport_fn = Option<
    unsafe extern "C" fn(
        ctx: *mut c_void,
        request: *const u8,
        request_len: usize,
        sink: *mut gostkit_response_sink,
    ) -> i32,
>;

/// Appends `data[0..len]` to the response being received by a transport callback.
///
/// Ownership: `data` is copied; the sink stays the library's.
///
/// Errors: `GOSTKIT_STATUS_DATA_LIMIT_EXCEEDED` (the response would exceed
/// `GOSTKIT_MAX_RESPONSE` bytes; the call that ran the callback then fails too),
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `sink` the sink passed to the running callback; `data` `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_response_sink_write(
    sink: *mut gostkit_response_sink,
    data: *const u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(sink);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        // SAFETY: a non-NULL `sink` is the live sink of the running callback.
        let sink = unsafe { &mut *sink };
        if sink.buf.len().saturating_add(data.len()) > GOSTKIT_MAX_RESPONSE {
            sink.overflow = true;
            return Err(Failure::new(
                gostkit_status::DataLimitExceeded,
                format!("response longer than {GOSTKIT_MAX_RESPONSE} bytes"),
            ));
        }
        sink.buf.extend_from_slice(data);
        Ok(())
    }
}

/// A transport callback and its context.
#[derive(Clone, Copy)]
struct Transport {
    f: unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut gostkit_response_sink) -> i32,
    ctx: *mut c_void,
    what: &'static str,
}

impl Transport {
    fn exchange(&self, request: &[u8]) -> Result<Vec<u8>, Failure> {
        let mut sink = gostkit_response_sink {
            buf: Vec::new(),
            overflow: false,
        };
        // SAFETY: the callback contract of `gostkit_transport_fn`: it reads `request_len`
        // bytes of `request` and writes only through `gostkit_response_sink_write`, both
        // during the call.
        let rc = unsafe { (self.f)(self.ctx, request.as_ptr(), request.len(), &mut sink) };
        if rc != 0 {
            return Err(Failure::new(
                gostkit_status::Io,
                format!("the {} callback failed (returned {rc})", self.what),
            ));
        }
        if sink.overflow {
            return Err(Failure::new(
                gostkit_status::DataLimitExceeded,
                format!(
                    "the {} response is longer than {GOSTKIT_MAX_RESPONSE} bytes",
                    self.what
                ),
            ));
        }
        Ok(sink.buf)
    }
}

/// The OCSP response for `cert` by `issuer` through `t` (with a nonce), verified at `time`:
/// Some for good, None for unknown, a REVOKED failure for revoked.
fn fetch_ocsp(
    t: &Transport,
    cert: &Certificate,
    issuer: &Certificate,
    time: SystemTime,
) -> Result<Option<OcspResponse>, Failure> {
    let nonce = random_nonce()?;
    let req = OcspRequest::build(&[(cert, issuer)], CertIdHash::Sha1, Some(&nonce))?;
    let resp = OcspResponse::from_der(&t.exchange(req.der())?)?;
    let opts = OcspOptions {
        nonce: req.nonce_extension_value().map(<[u8]>::to_vec),
        ..OcspOptions::default()
    };
    match resp.verify(cert, issuer, time, &opts)?.status {
        CertStatus::Good => Ok(Some(resp)),
        CertStatus::Unknown => Ok(None),
        CertStatus::Revoked { time, reason } => Err(Failure::new(
            gostkit_status::Revoked,
            format!(
                "{}: revoked at {} ({})",
                gk::x509::name::to_rfc4514(cert.subject()),
                gk::x509::time::rfc3339(time),
                reason.unwrap_or("no reason given")
            ),
        )),
    }
}

/// Upgrades every signer of the SignedData `msg` (DER, BER or PEM) to `level` (a
/// `gostkit_cades_level`: `GOSTKIT_CADES_LEVEL_T` or `_XL1`), with `hash_alg` (a
/// `gostkit_hash_alg`, Streebog-256 or -512) for the time-stamp imprints and the references:
///
/// - T: a signature time-stamp (id-aa-signatureTimeStampToken) from the TSA reached through
///   `tsa` (required), unless the signer has one;
/// - XL1: then the signer's chain, validated against `store` at Unix time `at` (0 = now) with
///   the message's certificates, each certificate's OCSP response from the responder reached
///   through `ocsp` (NULL: no OCSP; a response saying `unknown` is left out, `revoked` stops
///   the upgrade), the store's CRLs, their references and values, and a CAdES-C time-stamp
///   from `tsa` (ETSI TS 101 733 §6.2-6.3).
///
/// Each response is checked before use (the time-stamp's imprint and nonce; the OCSP
/// response's signature, freshness at `at` and nonce). The signed content, attributes and
/// signatures are untouched. The library opens no socket: the callbacks are the transport,
/// called only during this call.
///
/// Ownership: on success the caller owns `*out` (the new DER ContentInfo; free with
/// `gostkit_buffer_free`); `*out` is NULL on failure; everything else stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_IO` (a callback returned non-zero), `_DATA_LIMIT_EXCEEDED`
/// (a response too long), `_REVOKED`, the time-stamp statuses of `gostkit_ts_verify`
/// (rejection, `_DIGEST_MISMATCH`, `_AUTH_FAILED`), the OCSP statuses of
/// `gostkit_ocsp_check_response`, the chain statuses (XL1), `_SIGNER_NOT_FOUND`, `_MALFORMED`,
/// `_INVALID_ARGUMENT` (level, algorithm), `_NULL_ARGUMENT` (`tsa`, `store` for XL1, `out`).
///
/// # Safety
/// `msg` `msg_len` readable bytes; the callbacks honour `gostkit_transport_fn` for their
/// contexts; `store` NULL (T only) or a live handle; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_upgrade(
    msg: *const u8,
    msg_len: usize,
    level: u32,
    hash_alg: u32,
    tsa: gostkit_transport_fn,
    tsa_ctx: *mut c_void,
    ocsp: gostkit_transport_fn,
    ocsp_ctx: *mut c_void,
    store: *const gostkit_store,
    at: i64,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let input = unsafe { input(msg, msg_len, "msg") }?;
        let level = match level {
            2 => UpgradeLevel::T,
            3 => UpgradeLevel::XL1,
            _ => return Err(Failure::invalid_argument(format!(
                "upgrade level {level}: GOSTKIT_CADES_LEVEL_T (2) or _XL1 (3)"
            ))),
        };
        let alg = self::hash_alg(hash_alg)?;
        if !matches!(alg, gk::hash::HashAlg::Streebog256 | gk::hash::HashAlg::Streebog512) {
            return Err(Failure::invalid_argument("the imprint algorithm is Streebog-256 or -512"));
        }
        let tsa = Transport {
            f: tsa.ok_or_else(|| Failure::null_argument("tsa"))?,
            ctx: tsa_ctx,
            what: "TSA",
        };
        let ocsp = ocsp.map(|f| Transport { f, ctx: ocsp_ctx, what: "OCSP" });
        let store = if level == UpgradeLevel::XL1 {
            // SAFETY: caller contract above.
            Some(unsafe { gostkit_store::borrow(store, "store") }?)
        } else {
            None
        };
        let time = unix_time(at);
        // A transport failure is reported as itself, not as the CMS error `upgrade` sees.
        let failed: RefCell<Option<Failure>> = RefCell::new(None);
        let source = |req: &[u8]| -> Result<Vec<u8>, CmsError> {
            tsa.exchange(req).map_err(|f| {
                failed.borrow_mut().get_or_insert(f);
                CmsError::Invalid("no time-stamp from the TSA callback")
            })
        };
        let msg = SignedMessage::parse(input)?;
        let known: Vec<Certificate> =
            store.map(|s| s.0.entries().iter().map(|e| e.cert.clone()).collect()).unwrap_or_default();
        let reports = msg.verify(None, &known);
        let mut der = input.to_vec();
        for (index, report) in reports.iter().enumerate() {
            let mut data = ValidationData::default();
            if let Some(store) = store {
                let cert = report.cert.as_ref().ok_or_else(|| {
                    Failure::new(gostkit_status::SignerNotFound, format!("signer {}: no certificate ({})", index + 1, report.id))
                })?;
                data.chain = store.0.validate(cert, &msg.certificates, &ValidationOptions::at(time))?;
                if let Some(t) = &ocsp {
                    for pair in data.chain.windows(2) {
                        if let [c, issuer] = pair
                            && !c.is_self_issued()
                            && let Some(r) = fetch_ocsp(t, c, issuer, time)?
                        {
                            data.ocsp.push(r);
                        }
                    }
                }
                data.crls = store.0.crls().to_vec();
            }
            der = match upgrade(&der, index, level, alg, &source, &data) {
                Ok(d) => d,
                Err(e) => return Err(failed.borrow_mut().take().unwrap_or_else(|| e.into())),
            };
        }
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(der, out) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `GOSTKIT_MAX_RESPONSE` bytes, then one more, into the sink.
    unsafe extern "C" fn too_long(
        _ctx: *mut c_void,
        _req: *const u8,
        _len: usize,
        sink: *mut gostkit_response_sink,
    ) -> i32 {
        let big = vec![0u8; GOSTKIT_MAX_RESPONSE];
        // SAFETY: `sink` is the live sink of this call; the buffers are live locals.
        let (a, b) = unsafe {
            (
                gostkit_response_sink_write(sink, big.as_ptr(), big.len()),
                gostkit_response_sink_write(sink, [1u8].as_ptr(), 1),
            )
        };
        assert_eq!(a, gostkit_status::Ok);
        assert_eq!(b, gostkit_status::DataLimitExceeded);
        0 // and claims success: the library must still refuse
    }

    /// Echoes the request as the response, or fails when the context says so.
    unsafe extern "C" fn echo(
        ctx: *mut c_void,
        req: *const u8,
        len: usize,
        sink: *mut gostkit_response_sink,
    ) -> i32 {
        if !ctx.is_null() {
            return -1;
        }
        // SAFETY: `req`/`len` and `sink` come from the library for this call.
        match unsafe { gostkit_response_sink_write(sink, req, len) } {
            gostkit_status::Ok => 0,
            _ => 1,
        }
    }

    #[test]
    fn transport_bounds_and_failures() {
        let t = Transport {
            f: too_long,
            ctx: core::ptr::null_mut(),
            what: "TSA",
        };
        let e = t.exchange(b"q").err().map(|f| f.status);
        assert_eq!(e, Some(gostkit_status::DataLimitExceeded));
        let t = Transport {
            f: echo,
            ctx: core::ptr::null_mut(),
            what: "OCSP",
        };
        assert_eq!(t.exchange(b"abc").ok(), Some(b"abc".to_vec()));
        let mut flag = 1u8;
        let t = Transport {
            f: echo,
            ctx: (&raw mut flag).cast(),
            what: "OCSP",
        };
        let e = t
            .exchange(b"abc")
            .err()
            .map(|f| (f.status, f.detail.into_owned()));
        assert_eq!(
            e,
            Some((
                gostkit_status::Io,
                "the OCSP callback failed (returned -1)".to_owned()
            ))
        );
        // SAFETY: NULL sink is refused before any dereference.
        let st = unsafe { gostkit_response_sink_write(core::ptr::null_mut(), [0u8].as_ptr(), 1) };
        assert_eq!(st, gostkit_status::NullArgument);
    }

    #[test]
    fn hostile_responses_are_typed_errors() {
        let mut store = core::ptr::null_mut();
        // SAFETY: `store` is a writable local; freed at the end.
        unsafe {
            assert_eq!(
                super::super::x509::gostkit_store_new(&mut store),
                gostkit_status::Ok
            );
            for junk in [
                &b""[..],
                b"\x30",
                b"\x30\x03\x0a\x01\x00",
                b"\x30\x80\x00\x00",
                &[0xffu8; 64],
            ] {
                let st = gostkit_ts_verify(
                    junk.as_ptr(),
                    junk.len(),
                    core::ptr::null(),
                    0,
                    b"d".as_ptr(),
                    1,
                    store,
                    core::ptr::null(),
                    0,
                    0,
                    0,
                    core::ptr::null_mut(),
                );
                assert!(
                    matches!(st, gostkit_status::Malformed | gostkit_status::Unsupported),
                    "{junk:02x?}: {st:?}"
                );
            }
            let mut out = core::ptr::null_mut();
            let empty_seq = [0x30u8, 0x00];
            let st = gostkit_cms_upgrade(
                empty_seq.as_ptr(),
                2,
                3,
                1,
                Some(echo),
                core::ptr::null_mut(),
                None,
                core::ptr::null_mut(),
                store,
                0,
                &mut out,
            );
            assert_eq!(st, gostkit_status::Malformed);
            assert!(out.is_null());
            super::super::x509::gostkit_store_free(store);
        }
    }
}
