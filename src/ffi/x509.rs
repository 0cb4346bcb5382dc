//! X.509 certificates over the C ABI (RFC 5280, RFC 9215): an opaque certificate handle parsed
//! from PEM or DER, its DER, names, serial, validity, public key, and the check that another
//! certificate's key signed it.
//!
//! Strings (names) are written under the output convention as UTF-8 followed by a NUL byte,
//! which `*out_len` counts.

use super::ec::gostkit_verifying_key;
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, input};
use super::status::gostkit_status;
use crate::x509::Certificate;

/// An X.509 certificate with a GOST key (opaque). Free with `gostkit_cert_free`.
pub struct gostkit_cert(pub(crate) Certificate);
impl BoxHandle for gostkit_cert {}

/// Writes `s` as a NUL-terminated UTF-8 string under the output convention.
pub(crate) fn write_c_string(out: Output<'_>, s: &str) -> Result<(), Failure> {
    let buf = out.reserve(s.len() + 1)?;
    let (text, nul) = buf.split_at_mut(s.len());
    text.copy_from_slice(s.as_bytes());
    nul[0] = 0;
    Ok(())
}

/// Parses one certificate from `data[0..len]` (PEM `CERTIFICATE` or DER).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_cert_free`); `data` is copied.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_UNSUPPORTED` (subject key not a GOST key),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `data` must point to `len` readable bytes; `out` to a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_parse(
    data: *const u8,
    len: usize,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        let cert = Certificate::decode(data)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert(cert).into_out(out) }
    }
}

/// Frees a certificate handle; NULL is a no-op.
///
/// # Safety
/// `cert` must be NULL or a handle from this library not yet freed; it must not be used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_free(cert: *mut gostkit_cert) {
    // SAFETY: caller contract above.
    unsafe { gostkit_cert::free(cert) }
}

/// Writes the certificate's DER (as it was read) to `out` under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_der(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(cert.0.der())
    }
}

/// Writes the serial number (big-endian bytes as encoded) to `out` under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_serial(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(cert.0.serial())
    }
}

/// Stores the validity period as Unix times (seconds) in `*not_before` and `*not_after`.
///
/// Ownership: `cert` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `not_before` and `not_after` must point to writable `int64_t`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_validity(
    cert: *const gostkit_cert,
    not_before: *mut i64,
    not_after: *mut i64,
) -> gostkit_status {
    ffi_status! {
        check_null!(not_before);
        check_null!(not_after);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let unix = |t: std::time::SystemTime| match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        // SAFETY: both pointers are non-NULL and writable per the caller contract.
        unsafe {
            not_before.write(unix(cert.0.not_before()));
            not_after.write(unix(cert.0.not_after()));
        }
        Ok(())
    }
}

/// Gives the certificate's subject public key as a new key handle in `*out`.
///
/// Ownership: the caller owns `*out` (free with `gostkit_verifying_key_free`); `cert` stays the
/// caller's.
///
/// Errors: `GOSTKIT_STATUS_INVALID_KEY` (point not on the curve), `GOSTKIT_STATUS_UNSUPPORTED`,
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to a writable `gostkit_verifying_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_public_key(
    cert: *const gostkit_cert,
    out: *mut *mut gostkit_verifying_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let vk = cert.0.verifying_key()?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_verifying_key(vk).into_out(out) }
    }
}

/// Checks that `cert` is signed by the key of `issuer` (signature only: no validity, name or
/// extension checks — use chain verification for that).
///
/// Ownership: both handles stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_BAD_SIGNATURE`, `GOSTKIT_STATUS_UNSUPPORTED` (signature algorithm),
/// `GOSTKIT_STATUS_INVALID_KEY`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` and `issuer` must be live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_verify_signed_by(
    cert: *const gostkit_cert,
    issuer: *const gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let issuer = unsafe { gostkit_cert::borrow(issuer, "issuer") }?;
        cert.0.verify_signed_by(&issuer.0.verifying_key()?)?;
        Ok(())
    }
}

/// Writes the subject DN (RFC 4514 string) as a NUL-terminated UTF-8 string under the output
/// convention (`*out_len` counts the NUL).
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_subject(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &cert.0.subject().to_string())
    }
}

/// Writes the issuer DN (RFC 4514 string) as a NUL-terminated UTF-8 string under the output
/// convention (`*out_len` counts the NUL).
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_issuer(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &cert.0.issuer().to_string())
    }
}
