//! Who signed, to whom a message is addressed, and PFX with its chain over the C ABI: a
//! verification result handle with one borrowed `gostkit_cms_signer` per SignerInfo (status,
//! certificate, subject, claimed signingTime, validation time, validated path), a certificate
//! list handle (paths, PFX chains), a recipient list of an EnvelopedData (RFC 5652 §6.2), and
//! PFX import/export with the chain, a friendlyName and the iteration count.

use super::buffer::{buffer_out, clear_out, gostkit_buffer};
use super::cms::{certs_of, gostkit_cms_verify_ctx, signer_failure, verify_reports};
use super::ec::gostkit_signing_key;
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status, ffi_value};
use super::slice::{Output, c_str, input};
use super::status::gostkit_status;
use super::x509::{gostkit_cert, gostkit_store, revocation_policy, write_c_string};
use gk::cms::enveloped::{EnvelopedMessage, RecipientId};
use gk::cms::signed::{CadesLevel, SignedMessage, SignerReport, TimeBasis};
use gk::x509::Certificate;
use std::time::{SystemTime, UNIX_EPOCH};

/// A list of certificates (opaque): a validated path (leaf first) or a PFX's chain. Read with
/// `gostkit_cert_list_count` / `gostkit_cert_list_get`; free with `gostkit_cert_list_free`.
pub struct gostkit_cert_list(Vec<Certificate>);
impl BoxHandle for gostkit_cert_list {}

/// One signer's outcome (opaque, borrowed from its `gostkit_cms_verify_result`: valid until
/// that result is freed; never freed on its own).
pub struct gostkit_cms_signer {
    report: SignerReport,
    status: gostkit_status,
    detail: String,
}

/// The outcome of verifying a SignedData (opaque): one `gostkit_cms_signer` per SignerInfo,
/// in message order. Free with `gostkit_cms_verify_result_free`.
pub struct gostkit_cms_verify_result(Vec<gostkit_cms_signer>);
impl BoxHandle for gostkit_cms_verify_result {}

/// What the validation time of a signer rests on (`gostkit_cms_signer_validated_at`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_time_basis {
    /// The caller's time (`at`, or now for 0).
    Caller = 1,
    /// The signer's own claimed signingTime (a claim, not a proof), as the caller asked with
    /// `GOSTKIT_AT_CLAIMED_SIGNING_TIME`.
    ClaimedSigningTime = 2,
    /// The genTime of the signer's verified signature time-stamp.
    TimeStamp = 3,
}

/// The CAdES level a signer reached (`gostkit_cms_signer_level`) or an upgrade aims at
/// (`gostkit_cms_upgrade`: T or XL1).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_cades_level {
    /// A plain CMS signer (no signing-certificate attribute naming its certificate), or its
    /// signature did not verify.
    None = 0,
    /// CAdES-BES: a signing-certificate(-v2) signed attribute names the signer's certificate.
    Bes = 1,
    /// CAdES-T: BES plus a verified signature time-stamp.
    T = 2,
    /// CAdES-X Long Type 1: T plus references and values of the chain and its revocation data,
    /// and a verified CAdES-C time-stamp; the chain was validated at the signature
    /// time-stamp's genTime with the embedded data only.
    Xl1 = 3,
}

fn unix(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN + 1, |s| -s),
    }
}

/// Builds the result handle from `reports` into `*out`; returns the first signer failure (the
/// handle is stored either way).
///
/// # Safety
/// `out` non-NULL and writable.
unsafe fn result_out(
    reports: Vec<SignerReport>,
    out: *mut *mut gostkit_cms_verify_result,
) -> Result<(), Failure> {
    let n = reports.len();
    let mut first = None;
    let signers: Vec<gostkit_cms_signer> = reports
        .into_iter()
        .enumerate()
        .map(|(i, report)| {
            let f = signer_failure(&report, i, n);
            let (status, detail) = match &f {
                Some(f) => (f.status, f.detail.to_string()),
                None => (gostkit_status::Ok, String::new()),
            };
            if first.is_none() {
                first = f;
            }
            gostkit_cms_signer {
                report,
                status,
                detail,
            }
        })
        .collect();
    // SAFETY: `out` is non-NULL and writable per this function's contract.
    unsafe { gostkit_cms_verify_result(signers).into_out(out) }?;
    if n == 0 {
        return Err(Failure::new(
            gostkit_status::SignerNotFound,
            "the message has no signer",
        ));
    }
    first.map_or(Ok(()), Err)
}

/// Verifies a SignedData as `gostkit_cms_verify` (same `content`, `store`, `at`, `revocation`)
/// and hands out who signed: `*out` receives a result handle whenever the message parsed —
/// also when a signer failed, so the caller can read which one and why — and the return value
/// is the first signer's failure (OK when every signer verified and its chain validated).
///
/// Ownership: when `*out` is non-NULL on return (whatever the status) the caller owns it
/// (free with `gostkit_cms_verify_result_free`); inputs stay the caller's.
///
/// Errors: the per-signer statuses of `gostkit_cms_verify` (with `*out` set);
/// `GOSTKIT_STATUS_MALFORMED`, `_INVALID_ARGUMENT`, `_NULL_ARGUMENT` (with `*out` NULL).
///
/// # Safety
/// As `gostkit_cms_verify`; `out` a writable `gostkit_cms_verify_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_result_new(
    msg: *const u8,
    msg_len: usize,
    content: *const u8,
    content_len: usize,
    store: *const gostkit_store,
    at: i64,
    revocation: u32,
    out: *mut *mut gostkit_cms_verify_result,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let reports = unsafe { verify_reports(msg, msg_len, content, content_len, store, at, revocation) }?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { result_out(reports, out) }
    }
}

/// Finishes a verification context (`gostkit_cms_verify_ctx_*`) like
/// `gostkit_cms_verify_ctx_finish`, handing out the result as `gostkit_cms_verify_result_new`.
/// A context finishes once: a second finish gives `GOSTKIT_STATUS_INVALID_ARGUMENT`
/// ("already finished") and `*out` NULL.
///
/// Ownership: as `gostkit_cms_verify_result_new`; `ctx` and `store` stay the caller's.
///
/// # Safety
/// `ctx`, `store` live handles; `out` a writable `gostkit_cms_verify_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_ctx_finish_result(
    ctx: *mut gostkit_cms_verify_ctx,
    store: *const gostkit_store,
    at: i64,
    revocation: u32,
    out: *mut *mut gostkit_cms_verify_result,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_cms_verify_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        let reports = ctx.finish_reports(store, at, revocation)?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { result_out(reports, out) }
    }
}

/// Frees a verification result and the signers borrowed from it; NULL is a no-op.
///
/// # Safety
/// `res` NULL or a live handle; neither it nor its signers are used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_result_free(res: *mut gostkit_cms_verify_result) {
    // SAFETY: caller contract above.
    ffi_value!((), unsafe { gostkit_cms_verify_result::free(res) })
}

/// The number of signers (SignerInfos) in the result; 0 for NULL.
///
/// # Safety
/// `res` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_result_count(
    res: *const gostkit_cms_verify_result,
) -> usize {
    // SAFETY: caller contract above.
    ffi_value!(
        0,
        unsafe { gostkit_cms_verify_result::borrow(res, "res") }.map_or(0, |r| r.0.len())
    )
}

/// Signer `i` (0-based, message order) of the result, borrowed: valid until the result is
/// freed. NULL when `res` is NULL or `i` is out of range.
///
/// # Safety
/// `res` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_result_signer(
    res: *const gostkit_cms_verify_result,
    i: usize,
) -> *const gostkit_cms_signer {
    ffi_value!(core::ptr::null(), {
        // SAFETY: caller contract above.
        unsafe { gostkit_cms_verify_result::borrow(res, "res") }
            .ok()
            .and_then(|r| r.0.get(i))
            .map_or(core::ptr::null(), |s| s as *const gostkit_cms_signer)
    })
}

/// # Safety
/// `s` NULL or a signer borrowed from a live result.
unsafe fn signer<'a>(s: *const gostkit_cms_signer) -> Result<&'a gostkit_cms_signer, Failure> {
    // SAFETY: per the contract, a non-NULL `s` points into a live result.
    unsafe { s.as_ref() }.ok_or_else(|| Failure::null_argument("signer"))
}

/// The signer's status: `GOSTKIT_STATUS_OK` when its signature verified and its chain
/// validated, else why not (`_SIGNER_NOT_FOUND`, `_BAD_SIGNATURE`, `_DIGEST_MISMATCH`,
/// `_CONTENT_MISSING`, a chain status…); `GOSTKIT_STATUS_NULL_ARGUMENT` for NULL. Does not
/// touch `gostkit_last_error` (see `gostkit_cms_signer_detail`).
///
/// # Safety
/// `s` NULL or a signer borrowed from a live result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_status(s: *const gostkit_cms_signer) -> gostkit_status {
    // SAFETY: caller contract above.
    ffi_value!(
        gostkit_status::Panic,
        unsafe { signer(s) }.map_or(gostkit_status::NullArgument, |s| s.status)
    )
}

/// Writes the signer's failure detail ("signer 1 of 2 (issuer \"CN=…\", serial …): …"; "" when
/// it verified) as a NUL-terminated string under the output convention.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_detail(
    s: *const gostkit_cms_signer,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &s.detail)
    }
}

/// Writes how the SignerInfo names its signer — `issuer "CN=…", serial 0a1b…` or
/// `subjectKeyIdentifier 01ab…` (RFC 5652 §5.3) — as a NUL-terminated string under the output
/// convention; available also when the certificate was not found.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_id(
    s: *const gostkit_cms_signer,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &s.report.id.to_string())
    }
}

/// The signer's certificate (from the message or the store), as a new certificate handle the
/// `gostkit_cert_*` functions take (subject, INN via `gostkit_cert_subject_id`, thumbprints…).
///
/// Ownership: on success the caller owns `*out` (a copy; free with `gostkit_cert_free`).
///
/// Errors: `GOSTKIT_STATUS_SIGNER_NOT_FOUND` (no certificate matched the SignerInfo; the detail
/// names it), `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `out` a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_cert(
    s: *const gostkit_cms_signer,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        let c = s.report.cert.clone().ok_or_else(|| {
            Failure::new(gostkit_status::SignerNotFound, format!("no certificate for the signer ({})", s.report.id))
        })?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_cert::new(c).into_out(out) }
    }
}

/// Writes the signer certificate's subject DN (RFC 4514, as `gostkit_cert_subject`) as a
/// NUL-terminated UTF-8 string under the output convention.
///
/// Errors: `GOSTKIT_STATUS_SIGNER_NOT_FOUND` (no certificate), `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_subject(
    s: *const gostkit_cms_signer,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        let c = s.report.cert.as_ref().ok_or_else(|| {
            Failure::new(gostkit_status::SignerNotFound, format!("no certificate for the signer ({})", s.report.id))
        })?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &c.subject().to_string())
    }
}

/// Stores the signer's signingTime attribute (Unix seconds) in `*t`: what the signer claims,
/// not a proof of when it signed (RFC 5652 §11.3).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no signingTime attribute), `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `t` a writable `int64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_claimed_signing_time(
    s: *const gostkit_cms_signer,
    t: *mut i64,
) -> gostkit_status {
    ffi_status! {
        check_null!(t);
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        let v = s.report.signing_time.ok_or_else(|| Failure::new(gostkit_status::NotFound, "no signingTime attribute"))?;
        // SAFETY: `t` is non-NULL and writable.
        unsafe { t.write(unix(v)) };
        Ok(())
    }
}

/// Stores the time the signer's chain was validated at (Unix seconds) in `*t` and what it rests
/// on (a `gostkit_time_basis`) in `*basis` (NULL: not wanted).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no chain validation ran: the signature itself failed),
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `t` a writable `int64_t`; `basis` NULL or a
/// writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_validated_at(
    s: *const gostkit_cms_signer,
    t: *mut i64,
    basis: *mut u32,
) -> gostkit_status {
    ffi_status! {
        check_null!(t);
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        let v = s.report.validated_at.ok_or_else(|| Failure::new(gostkit_status::NotFound, "the chain was not validated"))?;
        let b = match s.report.time_basis {
            Some(TimeBasis::ClaimedSigningTime) => gostkit_time_basis::ClaimedSigningTime,
            Some(TimeBasis::TimeStamp) => gostkit_time_basis::TimeStamp,
            _ => gostkit_time_basis::Caller,
        };
        // SAFETY: `t` non-NULL and writable; `basis` NULL or writable.
        unsafe {
            t.write(unix(v));
            if !basis.is_null() {
                basis.write(b as u32);
            }
        }
        Ok(())
    }
}

/// Offline long-term verification of a SignedData (CAdES, ETSI TS 101 733): every signer's
/// signature against the content (`content`/`content_len` as `gostkit_cms_verify`: NULL for an
/// attached message), its signature time-stamps (TSA chains at their genTime against `store`),
/// then — for a signer carrying CAdES-X Long Type 1 data — every reference against the embedded
/// values, its CAdES-C time-stamps, and its chain at the signature time-stamp's genTime with
/// `store`'s trusted roots and the embedded certificates and revocation data only (nothing is
/// fetched; `revocation`, a `gostkit_revocation`: `_REQUIRED` asks an embedded answer for every
/// certificate below the anchor). Other signers have their chain validated at their verified
/// time-stamp's genTime (now without one) with `store`. Read each signer's level with
/// `gostkit_cms_signer_level` and the time basis with `gostkit_cms_signer_validated_at`.
///
/// Ownership and `*out`: as `gostkit_cms_verify_result_new` (the caller frees a non-NULL
/// `*out` with `gostkit_cms_verify_result_free`, whatever the status).
///
/// Errors: the per-signer statuses of `gostkit_cms_verify`, the time-stamp statuses of
/// `gostkit_ts_verify`, `GOSTKIT_STATUS_DIGEST_MISMATCH` (a reference matching no value)
/// (all with `*out` set); `_MALFORMED`, `_INVALID_ARGUMENT`, `_NULL_ARGUMENT` (with `*out` NULL).
///
/// # Safety
/// `msg` `msg_len` readable bytes; `content` `content_len` readable bytes or NULL; `store` a
/// live handle; `out` a writable `gostkit_cms_verify_result *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_ltv(
    msg: *const u8,
    msg_len: usize,
    content: *const u8,
    content_len: usize,
    store: *const gostkit_store,
    revocation: u32,
    out: *mut *mut gostkit_cms_verify_result,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        let detached = if content.is_null() {
            None
        } else {
            // SAFETY: caller contract above.
            Some(unsafe { input(content, content_len, "content") }?)
        };
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        let policy = revocation_policy(revocation)?;
        let reports = SignedMessage::parse(msg)?.verify_cades_ltv(detached, &store.0, policy);
        // SAFETY: `out` is non-NULL and writable.
        unsafe { result_out(reports, out) }
    }
}

/// Stores the CAdES level the signer reached (a `gostkit_cades_level`) in `*level`:
/// `_NONE` for a plain CMS signer or one whose status is not OK (signature, time-stamp,
/// validation data or chain failed), `_BES`, and `_T` / `_XL1` only from
/// `gostkit_cms_verify_ltv` (the other verifications do not check time-stamps).
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `level` a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_level(
    s: *const gostkit_cms_signer,
    level: *mut u32,
) -> gostkit_status {
    ffi_status! {
        check_null!(level);
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        let l = match s.report.level {
            _ if s.status != gostkit_status::Ok => gostkit_cades_level::None,
            None => gostkit_cades_level::None,
            Some(CadesLevel::Bes) => gostkit_cades_level::Bes,
            Some(CadesLevel::T) => gostkit_cades_level::T,
            Some(CadesLevel::XL1) => gostkit_cades_level::Xl1,
            // `CadesLevel` is non-exhaustive: a level added later needs its C value first.
            Some(other) => {
                return Err(Failure::new(gostkit_status::Internal, format!("CAdES level {other:?} has no C value")));
            }
        };
        // SAFETY: `level` is non-NULL and writable.
        unsafe { level.write(l as u32) };
        Ok(())
    }
}

/// Stores the genTime (Unix seconds) of the signer's earliest verified signature time-stamp in
/// `*gen_time`, and that of its verified CAdES-C time-stamp in `*esc_gen_time` (NULL: not
/// wanted; 0 when the signer has none).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no verified signature time-stamp: not CAdES-T, or not
/// verified with `gostkit_cms_verify_ltv`), `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `gen_time` a writable `int64_t`; `esc_gen_time`
/// NULL or a writable `int64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_time_stamp(
    s: *const gostkit_cms_signer,
    gen_time: *mut i64,
    esc_gen_time: *mut i64,
) -> gostkit_status {
    ffi_status! {
        check_null!(gen_time);
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        let ts = s.report.time_stamp.as_ref().ok_or_else(|| Failure::new(gostkit_status::NotFound, "no verified signature time-stamp"))?;
        let esc = s.report.esc_time_stamp.as_ref().map_or(0, |e| unix(e.gen_time));
        // SAFETY: `gen_time` non-NULL and writable; `esc_gen_time` NULL or writable.
        unsafe {
            gen_time.write(unix(ts.gen_time));
            if !esc_gen_time.is_null() {
                esc_gen_time.write(esc);
            }
        }
        Ok(())
    }
}

/// The validated path of the signer (leaf first, trust anchor last) as a new certificate list.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_cert_list_free`).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no path: the signature or the chain failed),
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `s` a signer borrowed from a live result; `out` a writable `gostkit_cert_list *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signer_path(
    s: *const gostkit_cms_signer,
    out: *mut *mut gostkit_cert_list,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let s = unsafe { signer(s) }?;
        let p = s.report.path.clone().ok_or_else(|| Failure::new(gostkit_status::NotFound, "no validated path"))?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_cert_list(p).into_out(out) }
    }
}

/// The number of certificates in the list; 0 for NULL.
///
/// # Safety
/// `list` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_list_count(list: *const gostkit_cert_list) -> usize {
    // SAFETY: caller contract above.
    ffi_value!(
        0,
        unsafe { gostkit_cert_list::borrow(list, "list") }.map_or(0, |l| l.0.len())
    )
}

/// Certificate `i` (0-based) of the list as a new certificate handle.
///
/// Ownership: on success the caller owns `*out` (a copy; free with `gostkit_cert_free`).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (`i` out of range), `_NULL_ARGUMENT`.
///
/// # Safety
/// `list` a live handle; `out` a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_list_get(
    list: *const gostkit_cert_list,
    i: usize,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let l = unsafe { gostkit_cert_list::borrow(list, "list") }?;
        let c = l.0.get(i).cloned().ok_or_else(|| {
            Failure::new(gostkit_status::NotFound, format!("index {i} of a list of {}", l.0.len()))
        })?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_cert::new(c).into_out(out) }
    }
}

/// Frees a certificate list; NULL is a no-op.
///
/// # Safety
/// `list` NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_list_free(list: *mut gostkit_cert_list) {
    // SAFETY: caller contract above.
    ffi_value!((), unsafe { gostkit_cert_list::free(list) })
}

/// The recipients an EnvelopedData is addressed to (opaque), in RecipientInfo order. Free with
/// `gostkit_cms_recipients_free`.
pub struct gostkit_cms_recipients(Vec<RecipientId>);
impl BoxHandle for gostkit_cms_recipients {}

/// Lists the recipients of the EnvelopedData `msg` (DER, BER or PEM) without decrypting: the
/// issuer and serial, or subjectKeyIdentifier, of each KeyTransRecipientInfo and of each
/// RecipientEncryptedKey of a KeyAgreeRecipientInfo (RFC 5652 §6.2.1, §6.2.2).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_cms_recipients_free`).
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `_UNSUPPORTED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `msg` `msg_len` readable bytes; `out` a writable `gostkit_cms_recipients *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_recipients_new(
    msg: *const u8,
    msg_len: usize,
    out: *mut *mut gostkit_cms_recipients,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let m = EnvelopedMessage::parse(msg)?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_cms_recipients(m.recipients()).into_out(out) }
    }
}

/// The number of recipients listed; 0 for NULL.
///
/// # Safety
/// `r` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_recipients_count(r: *const gostkit_cms_recipients) -> usize {
    // SAFETY: caller contract above.
    ffi_value!(
        0,
        unsafe { gostkit_cms_recipients::borrow(r, "r") }.map_or(0, |r| r.0.len())
    )
}

fn recipient(r: &gostkit_cms_recipients, i: usize) -> Result<&RecipientId, Failure> {
    r.0.get(i).ok_or_else(|| {
        Failure::new(
            gostkit_status::NotFound,
            format!("index {i} of {} recipients", r.0.len()),
        )
    })
}

/// Writes recipient `i`'s identifier (`issuer "CN=…", serial 0a…` or
/// `subjectKeyIdentifier 01…`) as a NUL-terminated string under the output convention.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (`i` out of range), `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `r` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_recipient_id(
    r: *const gostkit_cms_recipients,
    i: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let r = unsafe { gostkit_cms_recipients::borrow(r, "r") }?;
        let id = recipient(r, i)?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &id.to_string())
    }
}

/// Whether recipient `i` names `cert` (issuer and serial, or subjectKeyIdentifier): OK when it
/// does, `GOSTKIT_STATUS_NOT_A_RECIPIENT` when not.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (`i` out of range), `_NULL_ARGUMENT`.
///
/// # Safety
/// `r`, `cert` live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_recipient_matches(
    r: *const gostkit_cms_recipients,
    i: usize,
    cert: *const gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let r = unsafe { gostkit_cms_recipients::borrow(r, "r") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        if recipient(r, i)?.matches(&cert.0) {
            Ok(())
        } else {
            Err(Failure::new(gostkit_status::NotARecipient, format!("recipient {i} names another certificate")))
        }
    }
}

/// Frees a recipient list; NULL is a no-op.
///
/// # Safety
/// `r` NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_recipients_free(r: *mut gostkit_cms_recipients) {
    // SAFETY: caller contract above.
    ffi_value!((), unsafe { gostkit_cms_recipients::free(r) })
}

/// Opens a PFX as `gostkit_pfx_import_capped` and also hands out its other certificates (the
/// chain, in the PFX's order) as `*chain_out` (an empty list when there are none), and its
/// key bag's friendlyName is ignored here.
///
/// Ownership: on success the caller owns `*key_out`, `*cert_out` and `*chain_out` (free with
/// `gostkit_signing_key_free`, `gostkit_cert_free`, `gostkit_cert_list_free`); on failure all
/// three are NULL.
///
/// Errors: as `gostkit_pfx_import_capped`.
///
/// # Safety
/// As `gostkit_pfx_import_capped`; `chain_out` a writable `gostkit_cert_list *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_pfx_import_chain(
    data: *const u8,
    len: usize,
    password: *const u8,
    password_len: usize,
    max_iterations: u32,
    key_out: *mut *mut gostkit_signing_key,
    cert_out: *mut *mut gostkit_cert,
    chain_out: *mut *mut gostkit_cert_list,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: each NULL or writable per the caller contract.
        unsafe {
            clear_out(key_out);
            clear_out(cert_out);
            clear_out(chain_out);
        }
        check_null!(key_out, cert_out, chain_out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        // SAFETY: caller contract above.
        let pw = unsafe { input(password, password_len, "password") }?;
        let got = gk::x509::pfx::import_with(data, pw, crate::ec::iteration_cap(max_iterations))?;
        let cert = got
            .cert
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no certificate matches the key"))?;
        let key = got.key.to_signing_key()?;
        let mut k = core::ptr::null_mut();
        let mut c = core::ptr::null_mut();
        let mut l = core::ptr::null_mut();
        // SAFETY: locals are writable; ownership goes to the caller's pointers only when all
        // three handles exist.
        unsafe {
            gostkit_signing_key::new(key).into_out(&mut k)?;
            gostkit_cert::new(cert).into_out(&mut c)?;
            gostkit_cert_list(got.others).into_out(&mut l)?;
            key_out.write(k);
            cert_out.write(c);
            chain_out.write(l);
        }
        Ok(())
    }
}

/// Builds a PFX (RFC 9548, as `gostkit_pfx_export`) for `key`/`cert` with the `chain_n`
/// certificates of `chain` in certificate bags, `friendly_name` (NUL-terminated UTF-8, at most
/// 255 characters of the BMP; NULL for none) as the friendlyName of the key and certificate
/// bags (PKCS #9 §5.5.1), and `iterations` PBKDF2 iterations for the key and the MAC (0 = the
/// default 2000), into a library-allocated buffer.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); on failure
/// `*out` is NULL; inputs stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH`, `_MALFORMED` (friendly name not allowed),
/// `_INVALID_ARGUMENT` (friendly name not UTF-8), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `key` live handles; `chain` `chain_n` live handles (or NULL with 0); `friendly_name`
/// NULL or NUL-terminated; `password` `password_len` readable bytes; `out` a writable
/// `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_pfx_export_buf(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    chain: *const *const gostkit_cert,
    chain_n: usize,
    friendly_name: *const core::ffi::c_char,
    iterations: u32,
    password: *const u8,
    password_len: usize,
    out: *mut *mut gostkit_buffer,
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
        let chain: Vec<Certificate> = unsafe { certs_of(chain, chain_n, "chain") }?.into_iter().cloned().collect();
        // SAFETY: caller contract above.
        let pw = unsafe { input(password, password_len, "password") }?;
        let name = if friendly_name.is_null() {
            None
        } else {
            // SAFETY: non-NULL and NUL-terminated per the caller contract.
            Some(unsafe { c_str(friendly_name, "friendly_name") }?)
        };
        let iterations = if iterations == 0 { gk::asn1::pbes2::DEFAULT_ITERATIONS } else { iterations };
        let pk = gk::asn1::GostPrivateKey::from_signing_key(key.raw_exportable()?)?;
        let der = gk::x509::pfx::export_named(
            &pk,
            &cert.0,
            &chain,
            pw,
            gk::asn1::pbes2::KeyCipher::Kuznyechik,
            iterations,
            name,
        )?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(der, out) }
    }
}

/// The user's certificates with their private keys (opaque): what `gostkit_cms_decrypt_keyring`
/// picks the recipient from. Keys are shared with the caller's handles (reference-counted, never
/// copied) and released when the keyring is freed. Free with `gostkit_keyring_free`.
pub struct gostkit_keyring(Vec<(Certificate, std::sync::Arc<dyn gk::ec::AgreeKey>)>);
impl BoxHandle for gostkit_keyring {}

/// Creates an empty keyring.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_keyring_free`).
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `out` a writable `gostkit_keyring *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_keyring_new(out: *mut *mut gostkit_keyring) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: `out` is non-NULL and writable.
        unsafe { gostkit_keyring(Vec::new()).into_out(out) }
    }
}

/// Adds a personal certificate and its private key.
///
/// Ownership: the keyring keeps a copy of the certificate and shares the key; both handles stay
/// the caller's.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH` (the key is not the certificate's), `_NULL_ARGUMENT`.
///
/// # Safety
/// `ring`, `cert`, `key` live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_keyring_add(
    ring: *mut gostkit_keyring,
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ring = unsafe { gostkit_keyring::borrow_mut(ring, "ring") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        if !cert.0.matches_key(key.as_sign()) {
            return Err(Failure::new(gostkit_status::KeyMismatch, "the key does not belong to the certificate"));
        }
        ring.0.push(((*cert.0).clone(), key.agree_arc()));
        Ok(())
    }
}

/// Frees a keyring (its key references are released); NULL is a no-op.
///
/// # Safety
/// `ring` NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_keyring_free(ring: *mut gostkit_keyring) {
    // SAFETY: caller contract above.
    ffi_value!((), unsafe { gostkit_keyring::free(ring) })
}

/// Decrypts the EnvelopedData `msg` with the keyring's pair the message is addressed to: the
/// RecipientInfos are matched to the certificates by issuer and serial or subjectKeyIdentifier
/// first, and only matching pairs are tried (no key of another recipient is used). The content
/// goes into a library-allocated buffer; `*used` (NULL: not wanted) receives a copy of the
/// certificate that decrypted.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`, which
/// zeroizes it) and `*used` (free with `gostkit_cert_free`); on failure both are NULL.
///
/// Errors: `GOSTKIT_STATUS_NOT_A_RECIPIENT` (no certificate of the keyring is named; the detail
/// lists the message's recipients), `_AUTH_FAILED`, `_MALFORMED`, `_UNSUPPORTED`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `ring` a live handle; `msg` `msg_len` readable bytes; `out` a writable `gostkit_buffer *`;
/// `used` NULL or a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_decrypt_keyring(
    ring: *const gostkit_keyring,
    msg: *const u8,
    msg_len: usize,
    out: *mut *mut gostkit_buffer,
    used: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: each NULL or writable per the caller contract.
        unsafe {
            clear_out(out);
            clear_out(used);
        }
        check_null!(out);
        // SAFETY: caller contract above.
        let ring = unsafe { gostkit_keyring::borrow(ring, "ring") }?;
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let m = EnvelopedMessage::parse(msg)?;
        let ids = m.recipients();
        let mut last = gk::cms::CmsError::NotARecipient;
        for (cert, key) in ring.0.iter().filter(|(c, _)| ids.iter().any(|id| id.matches(c))) {
            let r = gk::cms::enveloped::Recipient { cert, key: &**key };
            match m.decrypt(&[r]) {
                Ok(plain) => {
                    // SAFETY: `out` non-NULL and writable, `used` NULL or writable.
                    unsafe {
                        buffer_out(plain, out)?;
                        if !used.is_null() {
                            gostkit_cert::new(cert.clone()).into_out(used)?;
                        }
                    }
                    return Ok(());
                }
                Err(e) => last = e,
            }
        }
        Err(super::cms::named_recipients(&m, last))
    }
}
