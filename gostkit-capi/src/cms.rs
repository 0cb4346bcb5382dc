//! CMS over the C ABI (RFC 5652, R 1323565.1.025-2019): SignedData sign/verify (one-shot, and a
//! streaming detached-signature context), EnvelopedData encrypt/decrypt. Messages are DER.

use super::buffer::{buffer_out, clear_out, gostkit_buffer};
use super::ec::gostkit_signing_key;
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, input};
use super::status::gostkit_status;
use super::x509::{gostkit_cert, gostkit_store, revocation_policy, unix_time};
use gk::cms::content::ContentCipher;
use gk::cms::enveloped::{self, EnvelopedMessage, Recipient};
use gk::cms::signed::{self, SignOptions, SignedMessage, Signer, ValidationTime};
use gk::hash::{HashAlg, Hasher};
use gk::x509::Certificate;

/// `gostkit_cms_sign` flag: leave the content out (detached signature).
pub const GOSTKIT_CMS_DETACHED: u32 = 1;
/// `gostkit_cms_sign` flag: no signed attributes (signature over the content itself).
pub const GOSTKIT_CMS_NO_ATTRS: u32 = 2;
/// `gostkit_cms_sign` flag: do not put the signer's certificate in the message.
pub const GOSTKIT_CMS_NO_CERTS: u32 = 4;

/// Content-encryption algorithm of `gostkit_cms_encrypt` (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_cms_cipher {
    /// Kuznyechik CTR-ACPKM-OMAC (the default for new messages).
    KuznyechikCtrAcpkmOmac = 1,
    /// Kuznyechik CTR-ACPKM.
    KuznyechikCtrAcpkm = 2,
    /// Magma CTR-ACPKM-OMAC.
    MagmaCtrAcpkmOmac = 3,
    /// Magma CTR-ACPKM.
    MagmaCtrAcpkm = 4,
    /// GOST 28147-89 CFB (RFC 4490, legacy; 256-bit recipient keys).
    Gost28147 = 5,
}

/// The failure of signer `i` of `n`, its detail naming the signer (issuer and serial, or
/// subjectKeyIdentifier) so SIGNER_NOT_FOUND says which certificate to look for.
pub(crate) fn signer_failure(
    r: &gk::cms::signed::SignerReport,
    i: usize,
    n: usize,
) -> Option<Failure> {
    let e = r.result.as_ref().err()?;
    let f: Failure = e.clone().into();
    Some(Failure::new(
        f.status,
        format!("signer {} of {n} ({}): {}", i + 1, r.id, f.detail),
    ))
}

/// The certificates of the `n` handles at `ptrs` (NULL allowed when `n` is 0).
///
/// # Safety
/// `ptrs` points to `n` live certificate handles, or is NULL with `n` = 0.
pub(crate) unsafe fn certs_of<'a>(
    ptrs: *const *const gostkit_cert,
    n: usize,
    name: &'static str,
) -> Result<Vec<&'a Certificate>, Failure> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if ptrs.is_null() {
        return Err(Failure::null_argument(name));
    }
    // SAFETY: `ptrs` points to `n` handle pointers per the contract.
    let ptrs = unsafe { core::slice::from_raw_parts(ptrs, n) };
    let mut certs = Vec::with_capacity(n);
    for p in ptrs {
        // SAFETY: each is a live handle per the contract.
        certs.push(unsafe { gostkit_cert::borrow(*p, name) }?.0.as_ref());
    }
    Ok(certs)
}

/// Stores the number of signers in `*n` and one status per signer in `statuses` (capacity
/// `*n` on entry; `BUFFER_TOO_SMALL` when short); returns the first signer's failure, if any.
///
/// # Safety
/// `n` non-NULL and writable; `statuses` `*n` writable `uint32_t`s, or NULL with `*n` = 0.
unsafe fn write_statuses(
    reports: &[gk::cms::signed::SignerReport],
    statuses: *mut u32,
    n: *mut usize,
) -> Result<(), Failure> {
    // SAFETY: `n` is non-NULL and writable per this function's contract.
    let cap = unsafe { n.read() };
    // SAFETY: as above.
    unsafe { n.write(reports.len()) };
    if cap < reports.len() || (statuses.is_null() && !reports.is_empty()) {
        return Err(Failure::new(
            gostkit_status::BufferTooSmall,
            format!("{} signers", reports.len()),
        ));
    }
    let mut first: Option<Failure> = None;
    for (i, r) in reports.iter().enumerate() {
        let st = r
            .result
            .as_ref()
            .map_or_else(gostkit_status::from, |()| gostkit_status::Ok);
        // SAFETY: `statuses` holds `cap >= reports.len()` writable elements.
        unsafe { statuses.add(i).write(st as u32) };
        if first.is_none() {
            first = signer_failure(r, i, reports.len());
        }
    }
    first.map_or(Ok(()), Err)
}

fn cipher_of(cipher: u32) -> Result<ContentCipher, Failure> {
    Ok(match cipher {
        1 => ContentCipher::KuznyechikCtrAcpkmOmac,
        2 => ContentCipher::KuznyechikCtrAcpkm,
        3 => ContentCipher::MagmaCtrAcpkmOmac,
        4 => ContentCipher::MagmaCtrAcpkm,
        5 => ContentCipher::Gost28147Cfb,
        _ => {
            return Err(Failure::invalid_argument(format!(
                "unknown gostkit_cms_cipher {cipher}"
            )));
        }
    })
}

fn options(flags: u32) -> Result<SignOptions, Failure> {
    if flags & !(GOSTKIT_CMS_DETACHED | GOSTKIT_CMS_NO_ATTRS | GOSTKIT_CMS_NO_CERTS) != 0 {
        return Err(Failure::invalid_argument(format!(
            "unknown CMS flags {flags:#x}"
        )));
    }
    Ok(SignOptions {
        detached: flags & GOSTKIT_CMS_DETACHED != 0,
        signed_attributes: flags & GOSTKIT_CMS_NO_ATTRS == 0,
        include_signer_certs: flags & GOSTKIT_CMS_NO_CERTS == 0,
        ..SignOptions::default()
    })
}

/// Signs `data` with `key` (whose certificate is `cert`): SignedData DER (signed attributes
/// contentType, messageDigest, signingTime, signingCertificateV2 unless NO_ATTRS) under the
/// output convention. `flags` combine `GOSTKIT_CMS_DETACHED`, `_NO_ATTRS`, `_NO_CERTS`.
/// A size query (NULL `out`) signs once to learn the size: call again to get a message (each
/// signature is different, any of them valid).
///
/// Ownership: handles and `data` stay the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH`, `GOSTKIT_STATUS_INVALID_ARGUMENT` (flags),
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `key` live handles; `data` `len` readable bytes; `out` `*out_len` writable bytes
/// (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    data: *const u8,
    len: usize,
    flags: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let msg = signed::sign(data, &[Signer { cert: &cert.0, key: key.as_sign() }], &options(flags)?)?;
        out.write(&msg)
    }
}

/// Signs `data` as `gostkit_cms_sign`, also putting the `chain_n` certificates of `chain` (the
/// intermediates, as the CLI's `--chain`) in the message; returns the message as DER.
///
/// # Safety
/// As `gostkit_cms_sign_chain`.
unsafe fn sign_chain(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    chain: *const *const gostkit_cert,
    chain_n: usize,
    data: *const u8,
    len: usize,
    flags: u32,
) -> Result<Vec<u8>, Failure> {
    // SAFETY: caller contract.
    let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
    // SAFETY: caller contract.
    let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
    // SAFETY: caller contract.
    let chain = unsafe { certs_of(chain, chain_n, "chain") }?;
    // SAFETY: caller contract.
    let data = unsafe { input(data, len, "data") }?;
    let mut opts = options(flags)?;
    opts.chain = chain.into_iter().cloned().collect();
    Ok(signed::sign(
        data,
        &[Signer {
            cert: &cert.0,
            key: key.as_sign(),
        }],
        &opts,
    )?)
}

/// `gostkit_cms_sign` with intermediates: the `chain_n` certificates of `chain` (NULL with 0
/// for none) go into the message's certificates beside the signer's (RFC 5652 §5.1), so a
/// verifier without them in its store can build the path. Caller-buffer output (a size query
/// signs once to learn the size; `gostkit_cms_sign_buf` signs once).
///
/// Ownership: handles and `data` stay the caller's; `out` is the caller's buffer.
///
/// Errors: as `gostkit_cms_sign`.
///
/// # Safety
/// `cert`, `key` live handles; `chain` `chain_n` live certificate handles (or NULL with 0);
/// `data` `len` readable bytes; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign_chain(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    chain: *const *const gostkit_cert,
    chain_n: usize,
    data: *const u8,
    len: usize,
    flags: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        // SAFETY: caller contract above.
        out.write(&unsafe { sign_chain(cert, key, chain, chain_n, data, len, flags) }?)
    }
}

/// `gostkit_cms_sign_chain` into a library-allocated buffer: signs once (no size query).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); on failure
/// `*out` is NULL. Handles and `data` stay the caller's.
///
/// Errors: as `gostkit_cms_sign`.
///
/// # Safety
/// As `gostkit_cms_sign_chain`; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign_buf(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    chain: *const *const gostkit_cert,
    chain_n: usize,
    data: *const u8,
    len: usize,
    flags: u32,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let msg = unsafe { sign_chain(cert, key, chain, chain_n, data, len, flags) }?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(msg, out) }
    }
}

/// Adds a co-signature by `key`/`cert` to the SignedData `msg` (DER, BER or PEM): the existing
/// signers, content, certificates stay as received, a SignerInfo is added (RFC 5652 §5.3) and
/// the signer's certificate (unless `GOSTKIT_CMS_NO_CERTS`) and the `chain_n` certificates of
/// `chain` are added to the certificates. `content`/`content_len` is the content of a detached
/// message (NULL/0 when attached). `flags`: `GOSTKIT_CMS_NO_ATTRS`, `GOSTKIT_CMS_NO_CERTS`
/// (`GOSTKIT_CMS_DETACHED` has no effect: the message keeps its form). The existing signers
/// are not verified here.
///
/// Ownership: on success the caller owns `*out` (the new DER message; free with
/// `gostkit_buffer_free`); on failure `*out` is NULL. Inputs stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_CONTENT_MISSING` (detached message, no content given),
/// `_KEY_MISMATCH`, `_MALFORMED`, `_INVALID_ARGUMENT` (flags), `_NULL_ARGUMENT`.
///
/// # Safety
/// `msg` `msg_len` readable bytes; `content` `content_len` readable bytes or NULL with 0;
/// `cert`, `key` live handles; `chain` `chain_n` live handles (or NULL with 0); `out` a
/// writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_add_signer(
    msg: *const u8,
    msg_len: usize,
    content: *const u8,
    content_len: usize,
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    chain: *const *const gostkit_cert,
    chain_n: usize,
    flags: u32,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let content_given = !content.is_null();
        // SAFETY: caller contract above.
        let content = unsafe { input(content, content_len, "content") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let chain = unsafe { certs_of(chain, chain_n, "chain") }?;
        let mut opts = options(flags)?;
        opts.chain = chain.into_iter().cloned().collect();
        if !cert.0.matches_key(key.as_sign()) {
            return Err(Failure::new(gostkit_status::KeyMismatch, "the key does not belong to the certificate"));
        }
        let m = SignedMessage::parse(msg)?;
        let detached = (m.content.is_none() && content_given).then_some(content);
        let der = m.add_signer(detached, &Signer { cert: &cert.0, key: key.as_sign() }, &opts)?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(der, out) }
    }
}

/// A streaming detached signature (opaque): feed the content in pieces, then finish.
/// Free with `gostkit_cms_sign_ctx_free`.
pub struct gostkit_cms_sign_ctx {
    cert: Certificate,
    /// Shared with the caller's key handle (reference-counted, never copied).
    key: std::sync::Arc<dyn gk::ec::SignDigest>,
    hasher: Option<Hasher>,
    flags: u32,
}
impl BoxHandle for gostkit_cms_sign_ctx {}

/// Starts a detached signature by `key`/`cert` over content given with
/// `gostkit_cms_sign_ctx_update` (any size, bounded memory). `flags` as `gostkit_cms_sign`
/// (`GOSTKIT_CMS_DETACHED` is implied).
///
/// Ownership: the context keeps copies of the certificate and key; the caller owns `*out`.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH`, `GOSTKIT_STATUS_INVALID_ARGUMENT`,
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `key` live handles; `out` a writable `gostkit_cms_sign_ctx *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign_ctx_new(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    flags: u32,
    out: *mut *mut gostkit_cms_sign_ctx,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        options(flags)?;
        if !cert.0.matches_key(key.as_sign()) {
            return Err(Failure::new(gostkit_status::KeyMismatch, "the key does not belong to the certificate"));
        }
        let alg = if key.param_set().bits() == 512 { HashAlg::Streebog512 } else { HashAlg::Streebog256 };
        let ctx = gostkit_cms_sign_ctx {
            cert: (*cert.0).clone(),
            key: key.sign_arc(),
            hasher: Some(alg.hasher()),
            flags: flags | GOSTKIT_CMS_DETACHED,
        };
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { ctx.into_out(out) }
    }
}

/// Feeds the next piece of content.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (already finished), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `ctx` a live handle; `data` `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign_ctx_update(
    ctx: *mut gostkit_cms_sign_ctx,
    data: *const u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_cms_sign_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        ctx.hasher.as_mut().ok_or_else(|| Failure::invalid_argument("context already finished"))?.update(data);
        Ok(())
    }
}

/// Finishes: writes the detached SignedData DER under the output convention. A size query
/// (NULL `out` or short buffer) does not consume the context.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `GOSTKIT_STATUS_INVALID_ARGUMENT` (already
/// finished), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `ctx` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign_ctx_finish(
    ctx: *mut gostkit_cms_sign_ctx,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_cms_sign_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let hasher = ctx.hasher.clone().ok_or_else(|| Failure::invalid_argument("context already finished"))?;
        let digest = hasher.finalize();
        let msg = signed::sign_detached_digest(&digest, &Signer { cert: &ctx.cert, key: &ctx.key }, &options(ctx.flags)?)?;
        out.write(&msg)?;
        ctx.hasher = None;
        Ok(())
    }
}

/// Frees a signing context; NULL is a no-op.
///
/// # Safety
/// `ctx` NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign_ctx_free(ctx: *mut gostkit_cms_sign_ctx) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_cms_sign_ctx::free(ctx) })
}

/// The `at` value asking `gostkit_cms_verify` / `gostkit_cms_verify_ctx_finish` to validate each
/// signer's chain at its claimed signingTime instead of a caller's time (`INT64_MIN`).
pub const GOSTKIT_AT_CLAIMED_SIGNING_TIME: i64 = i64::MIN;

fn validation_time(at: i64) -> ValidationTime {
    if at == GOSTKIT_AT_CLAIMED_SIGNING_TIME {
        ValidationTime::ClaimedSigningTime
    } else {
        ValidationTime::At(unix_time(at))
    }
}

/// Verifies every signer of a SignedData message and its chain against `store` at Unix time
/// `at` (0 = now; a signer's own signingTime is not used), or — only when `at` is
/// `GOSTKIT_AT_CLAIMED_SIGNING_TIME` — at each signer's claimed signingTime (a claim, not a
/// proof; signers without one are validated now); CRLs per `revocation`.
/// `content`/`content_len` is the content of a detached message (NULL/0 when attached; a
/// detached message verified with a NULL `content` gives `GOSTKIT_STATUS_CONTENT_MISSING` for
/// each signer whose certificate was found — pass a non-NULL pointer with length 0 for an empty
/// content). `statuses[0..*n]` receives one status per signer (capacity `*n` on entry; on exit the number
/// of signers — `GOSTKIT_STATUS_BUFFER_TOO_SMALL` when the capacity is short); the function
/// returns the first signer failure, or OK when every signer verified.
///
/// Ownership: everything stays the caller's.
///
/// Errors: per signer `GOSTKIT_STATUS_SIGNER_NOT_FOUND`, `_BAD_SIGNATURE`, `_DIGEST_MISMATCH`,
/// `_CONTENT_MISSING`, the chain statuses (300s); `GOSTKIT_STATUS_MALFORMED`,
/// `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`. The `gostkit_last_error` detail of a signer failure
/// names the signer ("signer 1 of 2 (issuer \"CN=…\", serial 0a…): …", or its
/// subjectKeyIdentifier), so a SIGNER_NOT_FOUND says which certificate is missing.
///
/// # Safety
/// `msg` `msg_len` readable bytes; `content` `content_len` readable bytes or NULL with 0;
/// `store` a live handle; `statuses` `*n` writable `uint32_t`s (or NULL with `*n` = 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify(
    msg: *const u8,
    msg_len: usize,
    content: *const u8,
    content_len: usize,
    store: *const gostkit_store,
    at: i64,
    revocation: u32,
    statuses: *mut u32,
    n: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(n);
        // SAFETY: caller contract above.
        let reports = unsafe { verify_reports(msg, msg_len, content, content_len, store, at, revocation) }?;
        // SAFETY: `statuses`/`n` as in the caller contract above.
        let result = unsafe { write_statuses(&reports, statuses, n) };
        if reports.is_empty() {
            return Err(Failure::new(gostkit_status::SignerNotFound, "the message has no signer"));
        }
        result
    }
}

/// Parses `msg`, verifies its signers against the content (the attached one, or `content`
/// when given: a NULL `content` on a detached message leaves every signer CONTENT_MISSING, a
/// non-NULL one with length 0 is the empty content) and validates their chains.
///
/// # Safety
/// As `gostkit_cms_verify`.
pub(crate) unsafe fn verify_reports(
    msg: *const u8,
    msg_len: usize,
    content: *const u8,
    content_len: usize,
    store: *const gostkit_store,
    at: i64,
    revocation: u32,
) -> Result<Vec<gk::cms::signed::SignerReport>, Failure> {
    let content_given = !content.is_null();
    // SAFETY: caller contract.
    let msg = unsafe { input(msg, msg_len, "msg") }?;
    // SAFETY: caller contract.
    let content = unsafe { input(content, content_len, "content") }?;
    // SAFETY: caller contract.
    let store = unsafe { gostkit_store::borrow(store, "store") }?;
    let policy = revocation_policy(revocation)?;
    let m = SignedMessage::parse(msg)?;
    let detached = content_given.then_some(content);
    let extra: Vec<Certificate> = store.0.entries().iter().map(|e| e.cert.clone()).collect();
    let mut reports = m.verify(detached, &extra);
    m.validate_chains_at(&mut reports, &store.0, validation_time(at), policy);
    Ok(reports)
}

/// Writes the encapsulated content of an attached SignedData (not verified: call
/// `gostkit_cms_verify` first) under the output convention.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (detached), `_MALFORMED`, `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `msg` `msg_len` readable bytes; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signed_content(
    msg: *const u8,
    msg_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let m = SignedMessage::parse(msg)?;
        let c = m.content.ok_or_else(|| Failure::new(gostkit_status::NotFound, "detached message: no content"))?;
        out.write(&c)
    }
}

/// Encrypts `data` to the `n` certificates of `recipients` with `cipher` (a
/// `gostkit_cms_cipher`): EnvelopedData DER with KeyTransRecipientInfo, under the output
/// convention. A size query encrypts once to learn the size (the next call encrypts again with
/// fresh keys; any result is valid).
///
/// Ownership: everything stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (cipher, no recipient), `_UNSUPPORTED`,
/// `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `recipients` points to `n` live certificate handles; `data` `len` readable bytes; `out`
/// `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_encrypt(
    recipients: *const *const gostkit_cert,
    n: usize,
    cipher: u32,
    data: *const u8,
    len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(recipients);
        if n == 0 {
            return Err(Failure::invalid_argument("no recipient"));
        }
        let cipher = cipher_of(cipher)?;
        // SAFETY: `recipients` points to `n` live handle pointers per the caller contract.
        let certs = unsafe { certs_of(recipients, n, "recipients[i]") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        out.write(&enveloped::encrypt(data, &certs, cipher)?)
    }
}

/// Decrypts an EnvelopedData message (DER, BER or PEM) with `key`, whose certificate is `cert`;
/// writes the content under the output convention (a signed-then-enveloped message gives the
/// inner SignedData). Nothing is written when the MAC or key unwrap fails; a message with an
/// -OMAC cipher and no MAC attribute gives `GOSTKIT_STATUS_AUTH_FAILED`. Any status other than
/// `GOSTKIT_STATUS_OK` means `out` holds nothing to use.
///
/// Errors: `GOSTKIT_STATUS_NOT_A_RECIPIENT` (its `gostkit_last_error` detail lists the
/// message's recipients: issuer and serial, or subjectKeyIdentifier), `_KEY_MISMATCH`,
/// `_AUTH_FAILED` (content MAC), `_MALFORMED`, `_UNSUPPORTED`, `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `key` live handles; `msg` `msg_len` readable bytes; `out` `*out_len` writable bytes
/// (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_decrypt(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    msg: *const u8,
    msg_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let m = EnvelopedMessage::parse(msg)?;
        let plain = zeroize::Zeroizing::new(
            m.decrypt(&[Recipient { cert: &cert.0, key: key.as_agree() }]).map_err(|e| named_recipients(&m, e))?,
        );
        out.write(&plain)
    }
}

/// The failure for `e`; a NOT_A_RECIPIENT names who the message is addressed to.
pub(crate) fn named_recipients(m: &EnvelopedMessage, e: gk::cms::CmsError) -> Failure {
    let f: Failure = e.into();
    if f.status != gostkit_status::NotARecipient {
        return f;
    }
    let ids: Vec<String> = m.recipients().iter().map(|r| r.to_string()).collect();
    Failure::new(
        f.status,
        format!(
            "{}; the message is addressed to {} recipient(s): {}",
            f.detail,
            ids.len(),
            ids.join("; ")
        ),
    )
}

/// `gostkit_cms_encrypt` into a library-allocated buffer: encrypts once (no size query).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); on failure
/// `*out` is NULL; everything else stays the caller's.
///
/// Errors: as `gostkit_cms_encrypt` (no `_BUFFER_TOO_SMALL`).
///
/// # Safety
/// As `gostkit_cms_encrypt`; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_encrypt_buf(
    recipients: *const *const gostkit_cert,
    n: usize,
    cipher: u32,
    data: *const u8,
    len: usize,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out, recipients);
        if n == 0 {
            return Err(Failure::invalid_argument("no recipient"));
        }
        let cipher = cipher_of(cipher)?;
        // SAFETY: caller contract above.
        let certs = unsafe { certs_of(recipients, n, "recipients[i]") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        let msg = enveloped::encrypt(data, &certs, cipher)?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(msg, out) }
    }
}

/// `gostkit_cms_decrypt` into a library-allocated buffer (zeroized when freed): decrypts once.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); on failure
/// `*out` is NULL and no plaintext was released.
///
/// Errors: as `gostkit_cms_decrypt` (no `_BUFFER_TOO_SMALL`).
///
/// # Safety
/// As `gostkit_cms_decrypt`; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_decrypt_buf(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    msg: *const u8,
    msg_len: usize,
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
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let m = EnvelopedMessage::parse(msg)?;
        let plain = m.decrypt(&[Recipient { cert: &cert.0, key: key.as_agree() }]).map_err(|e| named_recipients(&m, e))?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(plain, out) }
    }
}

/// `gostkit_cms_signed_content` into a library-allocated buffer.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); on failure
/// `*out` is NULL.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (detached), `_MALFORMED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `msg` `msg_len` readable bytes; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_signed_content_buf(
    msg: *const u8,
    msg_len: usize,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let m = SignedMessage::parse(msg)?;
        let c = m.content.ok_or_else(|| Failure::new(gostkit_status::NotFound, "detached message: no content"))?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(c, out) }
    }
}

/// `gostkit_cms_sign_ctx_finish` into a library-allocated buffer: signs once and consumes the
/// context (later updates and finishes give `GOSTKIT_STATUS_INVALID_ARGUMENT`).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); on failure
/// `*out` is NULL. The context stays the caller's (free it with `gostkit_cms_sign_ctx_free`).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (already finished), `_NULL_ARGUMENT`.
///
/// # Safety
/// `ctx` a live handle; `out` a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_sign_ctx_finish_buf(
    ctx: *mut gostkit_cms_sign_ctx,
    out: *mut *mut gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { clear_out(out) };
        check_null!(out);
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_cms_sign_ctx::borrow_mut(ctx, "ctx") }?;
        let hasher = ctx.hasher.take().ok_or_else(|| Failure::invalid_argument("context already finished"))?;
        let digest = hasher.finalize();
        let msg = signed::sign_detached_digest(&digest, &Signer { cert: &ctx.cert, key: &ctx.key }, &options(ctx.flags)?)?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { buffer_out(msg, out) }
    }
}

/// A read callback: fills `buf[0..len]` from the caller's source and returns the number of
/// bytes read (0 at the end), or a negative value on error.
pub type gostkit_read_fn =
    Option<unsafe extern "C" fn(ctx: *mut core::ffi::c_void, buf: *mut u8, len: usize) -> isize>;

/// A write callback: consumes `buf[0..len]`; returns 0 on success, non-zero on error.
pub type gostkit_write_fn =
    Option<unsafe extern "C" fn(ctx: *mut core::ffi::c_void, buf: *const u8, len: usize) -> i32>;

struct CbReader {
    f: unsafe extern "C" fn(*mut core::ffi::c_void, *mut u8, usize) -> isize,
    ctx: *mut core::ffi::c_void,
}

impl std::io::Read for CbReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // SAFETY: the callback contract of `gostkit_read_fn`: it writes at most `len` bytes.
        let n = unsafe { (self.f)(self.ctx, buf.as_mut_ptr(), buf.len()) };
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= buf.len())
            .ok_or_else(|| std::io::Error::other("read callback failed"))
    }
}

struct CbWriter {
    f: unsafe extern "C" fn(*mut core::ffi::c_void, *const u8, usize) -> i32,
    ctx: *mut core::ffi::c_void,
}

impl std::io::Write for CbWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // SAFETY: the callback contract of `gostkit_write_fn`: it only reads `len` bytes.
        match unsafe { (self.f)(self.ctx, buf.as_ptr(), buf.len()) } {
            0 => Ok(buf.len()),
            _ => Err(std::io::Error::other("write callback failed")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Streaming EnvelopedData encryption in bounded memory: reads exactly `content_len` bytes of
/// content through `read`, writes the DER message through `write` (in 64 KiB pieces).
///
/// Ownership: everything stays the caller's; the callbacks are called only during this call.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (cipher, no recipient, or the source ended before
/// `content_len` bytes: the detail says after how many), `GOSTKIT_STATUS_MALFORMED` (a
/// callback failed), `_UNSUPPORTED`, `_NULL_ARGUMENT`. The bytes written before a failure
/// are not a message: discard them.
///
/// # Safety
/// `recipients` points to `n` live certificate handles; the callbacks must honour their
/// contracts for the contexts given.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_encrypt_stream(
    recipients: *const *const gostkit_cert,
    n: usize,
    cipher: u32,
    content_len: u64,
    read: gostkit_read_fn,
    read_ctx: *mut core::ffi::c_void,
    write: gostkit_write_fn,
    write_ctx: *mut core::ffi::c_void,
) -> gostkit_status {
    ffi_status! {
        check_null!(recipients);
        let read = read.ok_or_else(|| Failure::null_argument("read"))?;
        let write = write.ok_or_else(|| Failure::null_argument("write"))?;
        let cipher = cipher_of(cipher)?;
        if n == 0 {
            return Err(Failure::invalid_argument("no recipient"));
        }
        // SAFETY: `recipients` points to `n` live handle pointers per the caller contract.
        let certs = unsafe { certs_of(recipients, n, "recipients[i]") }?;
        let mut r = CbReader { f: read, ctx: read_ctx };
        let mut w = CbWriter { f: write, ctx: write_ctx };
        enveloped::encrypt_stream(&mut r, content_len, &mut w, &certs, cipher)?;
        Ok(())
    }
}

/// Streaming EnvelopedData decryption in bounded memory (DER messages): reads the message
/// through `read`, writes the content through `write` as it is decrypted. The content MAC
/// follows the content, so it is checked only after the content was written: any status other
/// than `GOSTKIT_STATUS_OK` means the bytes written so far are unauthenticated and must be
/// discarded.
///
/// With an -OMAC cipher, a message without its MAC attribute gives `GOSTKIT_STATUS_AUTH_FAILED`
/// (before anything is written when the attributes are too short to hold a MAC), and so does a
/// message cut or malformed after the content started.
///
/// Errors: `GOSTKIT_STATUS_NOT_A_RECIPIENT`, `_KEY_MISMATCH`, `_AUTH_FAILED`, `_MALFORMED`,
/// `_UNSUPPORTED` (BER with indefinite lengths: use `gostkit_cms_decrypt`), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `key` live handles; the callbacks must honour their contracts.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_decrypt_stream(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    read: gostkit_read_fn,
    read_ctx: *mut core::ffi::c_void,
    write: gostkit_write_fn,
    write_ctx: *mut core::ffi::c_void,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        let read = read.ok_or_else(|| Failure::null_argument("read"))?;
        let write = write.ok_or_else(|| Failure::null_argument("write"))?;
        if !cert.0.matches_key(key.as_sign()) {
            return Err(Failure::new(gostkit_status::KeyMismatch, "the key does not belong to the certificate"));
        }
        let mut r = CbReader { f: read, ctx: read_ctx };
        let mut w = CbWriter { f: write, ctx: write_ctx };
        enveloped::decrypt_stream(&mut r, &mut w, &[Recipient { cert: &cert.0, key: key.as_agree() }], &[])?;
        Ok(())
    }
}

/// An incremental detached-signature verification (opaque): feed the content with
/// `gostkit_cms_verify_ctx_update`, then `gostkit_cms_verify_ctx_finish`. Free with
/// `gostkit_cms_verify_ctx_free`.
pub struct gostkit_cms_verify_ctx {
    pub(crate) msg: SignedMessage,
    pub(crate) hashers: Vec<Hasher>,
    /// Set by the first finish: the context then refuses updates and a second finish.
    pub(crate) finished: bool,
}

impl gostkit_cms_verify_ctx {
    /// The reports of the first finish; a second gives INVALID_ARGUMENT "already finished".
    pub(crate) fn finish_reports(
        &mut self,
        store: &gostkit_store,
        at: i64,
        revocation: u32,
    ) -> Result<Vec<gk::cms::signed::SignerReport>, Failure> {
        if self.finished {
            return Err(Failure::invalid_argument(
                "verification context already finished",
            ));
        }
        let policy = revocation_policy(revocation)?;
        self.finished = true;
        let digests: Vec<(HashAlg, Vec<u8>)> = self
            .hashers
            .iter()
            .map(|h| (h.alg(), h.clone().finalize()))
            .collect();
        let extra: Vec<Certificate> = store.0.entries().iter().map(|e| e.cert.clone()).collect();
        let mut reports = self.msg.verify_with_digests(&digests, &extra);
        self.msg
            .validate_chains_at(&mut reports, &store.0, validation_time(at), policy);
        Ok(reports)
    }
}
impl BoxHandle for gostkit_cms_verify_ctx {}

/// Starts verifying the detached SignedData `msg` (DER, BER or PEM; copied).
///
/// Ownership: the caller owns `*out` (free with `gostkit_cms_verify_ctx_free`).
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `_UNSUPPORTED` (digest algorithm), `_NULL_ARGUMENT`.
///
/// # Safety
/// `msg` `msg_len` readable bytes; `out` a writable `gostkit_cms_verify_ctx *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_ctx_new(
    msg: *const u8,
    msg_len: usize,
    out: *mut *mut gostkit_cms_verify_ctx,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let m = SignedMessage::parse(msg)?;
        let mut algs: Vec<HashAlg> = Vec::new();
        for s in &m.signers {
            let a = match s.digest_alg {
                gk::oid::STREEBOG_256 => HashAlg::Streebog256,
                gk::oid::STREEBOG_512 => HashAlg::Streebog512,
                gk::oid::GOSTR3411_94 => HashAlg::Gost94,
                other => return Err(Failure::new(gostkit_status::Unsupported, format!("digest {other}"))),
            };
            if !algs.contains(&a) {
                algs.push(a);
            }
        }
        let ctx = gostkit_cms_verify_ctx { msg: m, hashers: algs.iter().map(|a| a.hasher()).collect(), finished: false };
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { ctx.into_out(out) }
    }
}

/// Feeds the next piece of the detached content.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (already finished), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `ctx` a live handle; `data` `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_ctx_update(
    ctx: *mut gostkit_cms_verify_ctx,
    data: *const u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_cms_verify_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        if ctx.finished {
            return Err(Failure::invalid_argument("verification context already finished"));
        }
        for h in &mut ctx.hashers {
            h.update(data);
        }
        Ok(())
    }
}

/// Finishes: verifies every signer against the content fed and validates its chain with
/// `store` (time and policy as `gostkit_cms_verify`); per-signer statuses as there. A context
/// finishes once: a second finish (this or `gostkit_cms_verify_ctx_finish_result`) gives
/// `GOSTKIT_STATUS_INVALID_ARGUMENT` "already finished".
///
/// # Safety
/// `ctx`, `store` live handles; `statuses` `*n` writable `uint32_t`s (or NULL with `*n` = 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_ctx_finish(
    ctx: *mut gostkit_cms_verify_ctx,
    store: *const gostkit_store,
    at: i64,
    revocation: u32,
    statuses: *mut u32,
    n: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(n);
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_cms_verify_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        let reports = ctx.finish_reports(store, at, revocation)?;
        // SAFETY: `statuses`/`n` as in the caller contract above.
        unsafe { write_statuses(&reports, statuses, n) }
    }
}

/// Frees a verification context; NULL is a no-op.
///
/// # Safety
/// `ctx` NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cms_verify_ctx_free(ctx: *mut gostkit_cms_verify_ctx) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_cms_verify_ctx::free(ctx) })
}
