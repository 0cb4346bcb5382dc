//! X.509 certificates over the C ABI (RFC 5280, RFC 9215): an opaque certificate handle parsed
//! from PEM or DER, its DER, names, serial, validity, public key, and the check that another
//! certificate's key signed it.
//!
//! Strings (names) are written under the output convention as UTF-8 followed by a NUL byte,
//! which `*out_len` counts.

use super::ec::{gostkit_signing_key, gostkit_verifying_key};
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, c_str, input};
use super::status::gostkit_status;
use gk::x509::Certificate;
use gk::x509::path::{RevocationPolicy, ValidationOptions};
use gk::x509::store::{CertStore, Role};
use std::sync::Arc;

/// An X.509 certificate with a GOST key (opaque). The certificate is shared (reference-counted)
/// between the handles `gostkit_cert_share` makes; each handle is freed with `gostkit_cert_free`.
pub struct gostkit_cert(pub(crate) Arc<Certificate>);
impl BoxHandle for gostkit_cert {}

impl gostkit_cert {
    /// A handle to a certificate of its own.
    pub(crate) fn new(cert: Certificate) -> Self {
        Self(Arc::new(cert))
    }
}

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
        unsafe { gostkit_cert::new(cert).into_out(out) }
    }
}

/// Frees a certificate handle; NULL is a no-op.
///
/// # Safety
/// `cert` must be NULL or a handle from this library not yet freed; it must not be used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_free(cert: *mut gostkit_cert) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_cert::free(cert) })
}

/// A second handle to the same certificate: shared (reference-counted), not copied. Each handle
/// is freed on its own with `gostkit_cert_free`; handles may be read from several threads at once.
///
/// Ownership: `cert` stays the caller's; `*out` is a new handle the caller frees.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `out` a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_share(
    cert: *const gostkit_cert,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert(Arc::clone(&cert.0)).into_out(out) }
    }
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

/// Writes the subject DN (RFC 4514 string; INN, INNLE, OGRN, OGRNIP, SNILS and the other
/// attributes of `gostkit req` by name) as a NUL-terminated UTF-8 string under the output
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
        write_c_string(unsafe { Output::new(out, out_len) }?, &gk::x509::name::to_rfc4514(cert.0.subject()))
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
        write_c_string(unsafe { Output::new(out, out_len) }?, &gk::x509::name::to_rfc4514(cert.0.issuer()))
    }
}

/// A Russian identifier in a certificate subject (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_ru_id {
    /// INN of a person (12 digits).
    Inn = 1,
    /// INN of a legal entity (10 digits; also read from a legacy "00"-padded INN).
    Innle = 2,
    /// OGRN (13 digits).
    Ogrn = 3,
    /// OGRNIP (15 digits).
    Ogrnip = 4,
    /// SNILS (11 digits).
    Snils = 5,
}

/// Writes a Russian identifier of the subject (INN, INNLE, OGRN, OGRNIP, SNILS; `which` is a
/// `gostkit_ru_id`) as a NUL-terminated string of digits under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (absent or not well formed),
/// `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown `which`), `GOSTKIT_STATUS_BUFFER_TOO_SMALL`,
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_subject_id(
    cert: *const gostkit_cert,
    which: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let ids = cert.0.subject_ids();
        let v = match which {
            1 => ids.inn,
            2 => ids.innle,
            3 => ids.ogrn,
            4 => ids.ogrnip,
            5 => ids.snils,
            _ => return Err(Failure::invalid_argument(format!("unknown gostkit_ru_id {which}"))),
        };
        let v = v.ok_or_else(|| Failure::new(gostkit_status::NotFound, "identifier not in the subject"))?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &v)
    }
}

/// Writes the SHA-1 thumbprint of the certificate (20 bytes, as Windows shows it) under the
/// output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_thumbprint_sha1(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(&cert.0.thumbprint_sha1())
    }
}

/// Writes the Streebog-256 thumbprint of the certificate (32 bytes) under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_thumbprint_streebog256(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(&cert.0.thumbprint_streebog256())
    }
}

/// Checks that `key` is the private key of the certificate (installing an issued certificate).
///
/// Ownership: both handles stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` and `key` must be live handles.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_matches_key(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        if cert.0.matches_key(key.as_sign()) {
            Ok(())
        } else {
            Err(Failure::new(gostkit_status::KeyMismatch, "the key does not belong to the certificate"))
        }
    }
}

/// Builds a PKCS#10 request signed by `key` for the subject `subject_dn` (a NUL-terminated
/// UTF-8 string in the `/CN=…/O=…/INN=…/OGRN=…/SNILS=…` syntax of `gostkit req`); writes the PEM
/// under the output convention.
///
/// Ownership: `key` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (bad DN: unknown name, wrong digits),
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `subject_dn` a NUL-terminated string; `out` must point to
/// `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_create(
    key: *const gostkit_signing_key,
    subject_dn: *const core::ffi::c_char,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(subject_dn);
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: NULL or NUL-terminated per the caller contract.
        let dn = unsafe { c_str(subject_dn, "subject_dn") }?;
        let name = gk::x509::name::parse_slash_dn(dn)
            .map_err(|e| Failure::invalid_argument(format!("subject_dn: {e}")))?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let req = gk::x509::csr::CertificationRequest::build(key.as_sign(), &name, &[])?;
        out.write(req.to_pem()?.as_bytes())
    }
}

/// The role of certificates added to a store (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_store_role {
    /// Trusted root CAs (trust anchors).
    TrustedRoot = 1,
    /// Intermediate CAs.
    IntermediateCa = 2,
    /// The user's own certificates.
    Personal = 3,
    /// Other people (recipients such as tax inspections).
    OtherPeople = 4,
}

/// A certificate store with roles and CRLs (opaque). Free with `gostkit_store_free`.
pub struct gostkit_store(pub(crate) CertStore);
impl BoxHandle for gostkit_store {}

/// Creates an empty store.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_store_free`).
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `out` must point to a writable `gostkit_store *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_new(out: *mut *mut gostkit_store) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_store(CertStore::new()).into_out(out) }
    }
}

/// Frees a store; NULL is a no-op.
///
/// # Safety
/// `store` must be NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_free(store: *mut gostkit_store) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_store::free(store) })
}

/// Adds every certificate of `data` (a PEM bundle or one DER certificate) in `role` (a
/// `gostkit_store_role`). Expired certificates are kept (old documents need them).
///
/// Ownership: `data` is copied; `store` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown role),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `store` must be a live handle; `data` must point to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_add(
    store: *mut gostkit_store,
    data: *const u8,
    len: usize,
    role: u32,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow_mut(store, "store") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        let role = match role {
            1 => Role::TrustedRoot,
            2 => Role::IntermediateCa,
            3 => Role::Personal,
            4 => Role::OtherPeople,
            _ => return Err(Failure::invalid_argument(format!("unknown gostkit_store_role {role}"))),
        };
        store.0.load_bytes(data, role)?;
        Ok(())
    }
}

/// Adds the CRLs of `data` (PEM bundle or one DER CRL); they are used by chain verification.
///
/// Ownership: `data` is copied; `store` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `store` must be a live handle; `data` must point to `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_add_crl(
    store: *mut gostkit_store,
    data: *const u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow_mut(store, "store") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        for crl in gk::x509::crl::Crl::decode_all(data)? {
            store.0.add_crl(crl);
        }
        Ok(())
    }
}

/// Finds a certificate by thumbprint (SHA-1, 20 bytes, or Streebog-256, 32 bytes).
///
/// Ownership: on success the caller owns `*out` (a copy; free with `gostkit_cert_free`).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `store` must be a live handle; `thumbprint` must point to `len` readable bytes; `out` to a
/// writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_find_by_thumbprint(
    store: *const gostkit_store,
    thumbprint: *const u8,
    len: usize,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        // SAFETY: caller contract above.
        let tp = unsafe { input(thumbprint, len, "thumbprint") }?;
        let e = store.0.find_by_thumbprint(tp)
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no certificate with this thumbprint"))?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(e.cert.clone()).into_out(out) }
    }
}

/// Revocation policy of chain verification (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_revocation {
    /// CRLs are not consulted.
    Off = 0,
    /// The store's CRLs are used for the certificates their issuers issued.
    WhenAvailable = 1,
    /// Every certificate below the trust anchor needs a CRL from its issuer.
    Required = 2,
}

pub(crate) fn revocation_policy(v: u32) -> Result<RevocationPolicy, Failure> {
    Ok(match v {
        0 => RevocationPolicy::Off,
        1 => RevocationPolicy::WhenAvailable,
        2 => RevocationPolicy::Required,
        _ => {
            return Err(Failure::invalid_argument(format!(
                "unknown gostkit_revocation {v}"
            )));
        }
    })
}

pub(crate) fn unix_time(at: i64) -> std::time::SystemTime {
    if at == 0 {
        std::time::SystemTime::now()
    } else if at > 0 {
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(at as u64)
    } else {
        std::time::UNIX_EPOCH - std::time::Duration::from_secs(at.unsigned_abs())
    }
}

/// Validates the chain of `cert` against the store (RFC 5280 §6): trusted roots, intermediate
/// CAs (and the store's other certificates as untrusted helpers), CRLs per `revocation` (a
/// `gostkit_revocation`), at Unix time `at` (0 = now).
///
/// On a chain failure `*failing_index` (if not NULL) is the position of the certificate
/// concerned (0 = `cert`) and `gostkit_last_error()` names its subject.
///
/// Ownership: all handles stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_CERT_EXPIRED`, `_CERT_NOT_YET_VALID`, `_UNTRUSTED_ROOT`,
/// `_NO_ISSUER`, `_NOT_A_CA`, `_PATH_LENGTH`, `_KEY_USAGE`, `_UNKNOWN_CRITICAL_EXTENSION`,
/// `_BAD_SIGNATURE`, `_REVOKED`, `_CRL_MISSING`, `_CRL_EXPIRED`, `_INVALID_ARGUMENT`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `store` and `cert` must be live handles; `failing_index` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_verify_chain(
    store: *const gostkit_store,
    cert: *const gostkit_cert,
    at: i64,
    revocation: u32,
    failing_index: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let mut opts = ValidationOptions::at(unix_time(at));
        opts.revocation = revocation_policy(revocation)?;
        match store.0.validate(&cert.0, &[], &opts) {
            Ok(_) => Ok(()),
            Err(e) => {
                if !failing_index.is_null() {
                    // SAFETY: non-NULL and writable per the caller contract.
                    unsafe { failing_index.write(e.index) };
                }
                Err(e.into())
            }
        }
    }
}

/// `gostkit_cert_issue` flag: a CA certificate (basicConstraints CA:true, keyCertSign, cRLSign).
pub const GOSTKIT_ISSUE_CA: u32 = 1;

/// Issues a certificate valid from now for `days` days, with the profile of `gostkit x509
/// issue`. Either from a PKCS#10 request (`csr`/`csr_len`, PEM or DER; its signature must
/// verify) signed by `ca_key` whose certificate is `ca_cert`, or — with `ca_cert` NULL and
/// `csr` NULL — a self-signed certificate for `ca_key` with subject `subject_dn` (the `/CN=…`
/// syntax). `flags` may hold `GOSTKIT_ISSUE_CA`; `path_len` < 0 means no pathLenConstraint.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_cert_free`); the inputs
/// stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_BAD_SIGNATURE` (request), `_KEY_MISMATCH` (`ca_key` is not
/// `ca_cert`'s), `_INVALID_ARGUMENT`, `_MALFORMED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `ca_key` a live handle; `ca_cert` NULL or a live handle; `csr` `csr_len` readable bytes or
/// NULL; `subject_dn` NULL or NUL-terminated; `out` a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_issue(
    csr: *const u8,
    csr_len: usize,
    subject_dn: *const core::ffi::c_char,
    ca_cert: *const gostkit_cert,
    ca_key: *const gostkit_signing_key,
    days: u32,
    flags: u32,
    path_len: i32,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(ca_key, "ca_key") }?;
        if flags & !GOSTKIT_ISSUE_CA != 0 {
            return Err(Failure::invalid_argument("unknown issue flags"));
        }
        let pl = u8::try_from(path_len).ok();
        let opts = if flags & GOSTKIT_ISSUE_CA != 0 {
            gk::x509::issue::IssueOptions::ca_days(days, pl)
        } else {
            gk::x509::issue::IssueOptions::days(days)
        };
        let cert = if ca_cert.is_null() {
            check_null!(subject_dn);
            // SAFETY: NULL or NUL-terminated per the caller contract.
            let dn = unsafe { c_str(subject_dn, "subject_dn") }?;
            let name = gk::x509::name::parse_slash_dn(dn)
                .map_err(|e| Failure::invalid_argument(format!("subject_dn: {e}")))?;
            gk::x509::issue::self_signed(&name, key.as_sign(), &opts)?
        } else {
            // SAFETY: caller contract above.
            let ca = unsafe { gostkit_cert::borrow(ca_cert, "ca_cert") }?;
            // SAFETY: caller contract above.
            let csr = unsafe { input(csr, csr_len, "csr") }?;
            if csr.is_empty() {
                return Err(Failure::null_argument("csr"));
            }
            let req = gk::x509::csr::CertificationRequest::decode(csr)?;
            gk::x509::issue::issue_from_request(&req, &ca.0, key.as_sign(), &opts)?
        };
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(cert).into_out(out) }
    }
}

/// Opens a PFX (PKCS #12, DER; RFC 9548 GOST MAC or the RFC 7292 SHA-256/SHA-1 MACs) with
/// `password` (UTF-8): gives the private key and its certificate.
///
/// Ownership: on success the caller owns `*key_out` (free with `gostkit_signing_key_free`) and
/// `*cert_out` (free with `gostkit_cert_free`); inputs stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_WRONG_PASSWORD` (wrong password or tampered MAC),
/// `GOSTKIT_STATUS_NOT_FOUND` (no certificate matches the key), `_MALFORMED`, `_UNSUPPORTED`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `data` `len` readable bytes; `password` `password_len` readable bytes; `key_out`, `cert_out`
/// writable handle pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_pfx_import(
    data: *const u8,
    len: usize,
    password: *const u8,
    password_len: usize,
    key_out: *mut *mut gostkit_signing_key,
    cert_out: *mut *mut gostkit_cert,
) -> gostkit_status {
    // SAFETY: the same contract, passed on.
    unsafe { gostkit_pfx_import_capped(data, len, password, password_len, 0, key_out, cert_out) }
}

/// `gostkit_pfx_import` with a PBKDF2 iteration cap for the key bag and the MAC: a count above
/// `max_iterations` (0 = `GOSTKIT_DEFAULT_MAX_ITERATIONS`) is refused with
/// `GOSTKIT_STATUS_UNSUPPORTED` before any derivation.
///
/// Ownership and errors: as `gostkit_pfx_import`.
///
/// # Safety
/// As `gostkit_pfx_import`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_pfx_import_capped(
    data: *const u8,
    len: usize,
    password: *const u8,
    password_len: usize,
    max_iterations: u32,
    key_out: *mut *mut gostkit_signing_key,
    cert_out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(key_out);
        check_null!(cert_out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        // SAFETY: caller contract above.
        let pw = unsafe { input(password, password_len, "password") }?;
        let cap = crate::ec::iteration_cap(max_iterations);
        let got = gk::x509::pfx::import_with(data, pw, cap)?;
        let cert = got
            .cert
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no certificate matches the key"))?;
        let key = got.key.to_signing_key()?;
        // SAFETY: both out pointers are non-NULL and writable per the caller contract.
        unsafe {
            gostkit_signing_key::new(key).into_out(key_out)?;
            gostkit_cert::new(cert).into_out(cert_out)
        }
    }
}

/// Builds a PFX (RFC 9548: key shrouded with PBES2 PBKDF2-HMAC-Streebog-512 + Kuznyechik
/// CTR-ACPKM, certificate bag, HMAC-Streebog-512 MAC; 2000 iterations) for `key` and its
/// certificate `cert`, under the output convention. A size query does the work once.
///
/// Ownership: handles and `password` stay the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH`, `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert`, `key` live handles; `password` `password_len` readable bytes; `out` `*out_len`
/// writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_pfx_export(
    cert: *const gostkit_cert,
    key: *const gostkit_signing_key,
    password: *const u8,
    password_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let pw = unsafe { input(password, password_len, "password") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let pk = gk::asn1::GostPrivateKey::from_signing_key(key.raw_exportable()?)?;
        let der = gk::x509::pfx::export(
            &pk,
            &cert.0,
            &[],
            pw,
            gk::asn1::pbes2::KeyCipher::Kuznyechik,
            gk::asn1::pbes2::DEFAULT_ITERATIONS,
        )?;
        out.write(&der)
    }
}
