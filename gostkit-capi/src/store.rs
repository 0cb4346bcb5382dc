//! Certificate-store enumeration, lookups and removal over the C ABI (issue 16), next to
//! `gostkit_store_new/add/find_by_thumbprint/verify_chain` of `x509.rs`: count, get by position,
//! find by subject, by issuer and serial (CMS issuerAndSerialNumber, RFC 5652 §10.2.4), by
//! subjectKeyIdentifier, remove by thumbprint.
//!
//! Names are passed as bytes: either the DER of a Name (from `gostkit_cert_subject_der`, starts
//! with 0x30) or a slash DN string (`/C=RU/O=…/CN=…`, the syntax of `gostkit req`, first part =
//! first RDN), without a NUL. They are compared as RFC 5280 §7.1 says (case and spacing folded).

use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::input;
use super::status::gostkit_status;
use super::x509::{gostkit_cert, gostkit_store, gostkit_store_role};
use gk::x509::store::Role;
use x509_cert::name::Name;

fn role_code(r: Role) -> u32 {
    (match r {
        Role::TrustedRoot => gostkit_store_role::TrustedRoot,
        Role::IntermediateCa => gostkit_store_role::IntermediateCa,
        Role::Personal => gostkit_store_role::Personal,
        Role::OtherPeople => gostkit_store_role::OtherPeople,
    }) as u32
}

/// A name argument: DER of a Name, or a slash DN.
pub(crate) fn name_arg(bytes: &[u8]) -> Result<Name, Failure> {
    match bytes.first() {
        Some(0x30) => <Name as der::Decode>::from_der(bytes)
            .map_err(|e| Failure::new(gostkit_status::Malformed, format!("name DER: {e}"))),
        Some(b'/') => {
            let s = core::str::from_utf8(bytes)
                .map_err(|_| Failure::invalid_argument("name is not UTF-8"))?;
            gk::x509::name::parse_slash_dn(s)
                .map_err(|e| Failure::invalid_argument(format!("name: {e}")))
        }
        _ => Err(Failure::invalid_argument(
            "name is neither DER (0x30…) nor a slash DN (/CN=…)",
        )),
    }
}

fn not_found(what: &'static str) -> Failure {
    Failure::new(gostkit_status::NotFound, what)
}

/// Stores in `*count` the number of certificates in the store (all roles; one certificate added
/// in two roles counts twice).
///
/// Ownership: `store` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `store` a live handle; `count` a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_count(
    store: *const gostkit_store,
    count: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(count);
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        // SAFETY: non-NULL and writable per the caller contract.
        unsafe { count.write(store.0.entries().len()) };
        Ok(())
    }
}

/// Gives certificate number `index` (0 ≤ index < `gostkit_store_count`, in the order added) as
/// a new handle in `*out`, and its role (a `gostkit_store_role`) in `*role` unless `role` is
/// NULL.
///
/// Ownership: the caller owns `*out` (a copy; free with `gostkit_cert_free`).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (`index` past the end), `_NULL_ARGUMENT`.
///
/// # Safety
/// `store` a live handle; `out` a writable `gostkit_cert *`; `role` NULL or a writable
/// `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_get(
    store: *const gostkit_store,
    index: usize,
    out: *mut *mut gostkit_cert,
    role: *mut u32,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        let e = store.0.entries().get(index).ok_or_else(|| not_found("index past the last certificate"))?;
        if !role.is_null() {
            // SAFETY: non-NULL and writable per the caller contract.
            unsafe { role.write(role_code(e.role)) };
        }
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(e.cert.clone()).into_out(out) }
    }
}

/// Gives match number `index` (0 = the first, in the order added) among the certificates whose
/// subject is `name` (`name_len` bytes: Name DER or slash DN, see the module notes) as a new
/// handle in `*out`; iterate until `NOT_FOUND`.
///
/// Ownership: the caller owns `*out` (a copy; free with `gostkit_cert_free`); `name` stays the
/// caller's.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND`, `_INVALID_ARGUMENT` / `_MALFORMED` (bad name),
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `store` a live handle; `name` `name_len` readable bytes; `out` a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_find_by_subject(
    store: *const gostkit_store,
    name: *const u8,
    name_len: usize,
    index: usize,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        // SAFETY: caller contract above.
        let name = name_arg(unsafe { input(name, name_len, "name") }?)?;
        let found = store.0.find_by_subject(&name);
        let e = found.get(index).ok_or_else(|| not_found("no (further) certificate with this subject"))?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(e.cert.clone()).into_out(out) }
    }
}

/// Finds the certificate issued by `issuer` (Name DER or slash DN) with serial `serial`
/// (big-endian bytes as `gostkit_cert_serial` gives them; leading zero bytes are ignored).
///
/// Ownership: the caller owns `*out` (a copy; free with `gostkit_cert_free`).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND`, `_INVALID_ARGUMENT` / `_MALFORMED` (bad name; empty
/// serial), `_NULL_ARGUMENT`.
///
/// # Safety
/// `store` a live handle; `issuer` `issuer_len` and `serial` `serial_len` readable bytes; `out`
/// a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_find_by_issuer_serial(
    store: *const gostkit_store,
    issuer: *const u8,
    issuer_len: usize,
    serial: *const u8,
    serial_len: usize,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        // SAFETY: caller contract above.
        let issuer = name_arg(unsafe { input(issuer, issuer_len, "issuer") }?)?;
        // SAFETY: caller contract above.
        let serial = unsafe { input(serial, serial_len, "serial") }?;
        if serial.is_empty() {
            return Err(Failure::invalid_argument("empty serial"));
        }
        let strip = |s: &[u8]| -> Vec<u8> { s.iter().copied().skip_while(|&b| b == 0).collect() };
        let want = strip(serial);
        let e = store
            .0
            .entries()
            .iter()
            .find(|e| strip(e.cert.serial()) == want && gk::x509::name::names_match(e.cert.issuer(), &issuer))
            .ok_or_else(|| not_found("no certificate with this issuer and serial"))?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(e.cert.clone()).into_out(out) }
    }
}

/// Finds the certificate whose subjectKeyIdentifier is `ski` (`len` bytes, as
/// `gostkit_cert_ski` gives it or a CMS SignerIdentifier carries it).
///
/// Ownership: the caller owns `*out` (a copy; free with `gostkit_cert_free`).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `store` a live handle; `ski` `len` readable bytes; `out` a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_find_by_ski(
    store: *const gostkit_store,
    ski: *const u8,
    len: usize,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow(store, "store") }?;
        // SAFETY: caller contract above.
        let ski = unsafe { input(ski, len, "ski") }?;
        let e = store.0.find_by_ski(ski).ok_or_else(|| not_found("no certificate with this subjectKeyIdentifier"))?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(e.cert.clone()).into_out(out) }
    }
}

/// Removes every entry (all roles) of the certificate with thumbprint `thumbprint` (SHA-1, 20
/// bytes, or Streebog-256, 32 bytes); stores how many were removed in `*removed` unless it is
/// NULL. The store's CRLs stay.
///
/// Ownership: `store` stays the caller's; handles obtained earlier from it stay valid (copies).
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no such certificate; nothing removed), `_NULL_ARGUMENT`.
///
/// # Safety
/// `store` a live handle; `thumbprint` `len` readable bytes; `removed` NULL or a writable
/// `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_store_remove(
    store: *mut gostkit_store,
    thumbprint: *const u8,
    len: usize,
    removed: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let store = unsafe { gostkit_store::borrow_mut(store, "store") }?;
        // SAFETY: caller contract above.
        let tp = unsafe { input(thumbprint, len, "thumbprint") }?;
        let sha1 = store
            .0
            .find_by_thumbprint(tp)
            .map(|e| e.cert.thumbprint_sha1())
            .ok_or_else(|| not_found("no certificate with this thumbprint"))?;
        let n = store.0.remove(&sha1);
        if !removed.is_null() {
            // SAFETY: non-NULL and writable per the caller contract.
            unsafe { removed.write(n) };
        }
        Ok(())
    }
}
