//! What C clients read from a certificate besides the basics of `x509.rs` (issue 16): DN
//! attributes by name (RFC 5280 §4.1.2.4 and the Russian INN, INNLE, OGRN, OGRNIP, SNILS),
//! keyUsage, extendedKeyUsage, policies, the Russian subjectSignTool / issuerSignTool /
//! IdentificationKind (Order 795 of the FSB), SKI / AKI, the check digits of the Russian
//! identifiers, and the whole certificate as the JSON of `gostkit x509 show --json`.
//!
//! Strings are written NUL-terminated (UTF-8) under the output convention, `*out_len` counting
//! the NUL; byte values (key identifiers, names as DER) are written as is.

use core::ffi::c_char;

use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, c_str};
use super::status::gostkit_status;
use super::x509::{gostkit_cert, write_c_string};
use x509_cert::name::Name;

/// keyUsage bit digitalSignature (RFC 5280 §4.2.1.3 bit 0), as in `gostkit_cert_key_usage`.
pub const GOSTKIT_KEY_USAGE_DIGITAL_SIGNATURE: u32 = 1 << 0;
/// keyUsage bit nonRepudiation (contentCommitment, bit 1).
pub const GOSTKIT_KEY_USAGE_NON_REPUDIATION: u32 = 1 << 1;
/// keyUsage bit keyEncipherment (bit 2).
pub const GOSTKIT_KEY_USAGE_KEY_ENCIPHERMENT: u32 = 1 << 2;
/// keyUsage bit dataEncipherment (bit 3).
pub const GOSTKIT_KEY_USAGE_DATA_ENCIPHERMENT: u32 = 1 << 3;
/// keyUsage bit keyAgreement (bit 4).
pub const GOSTKIT_KEY_USAGE_KEY_AGREEMENT: u32 = 1 << 4;
/// keyUsage bit keyCertSign (bit 5).
pub const GOSTKIT_KEY_USAGE_KEY_CERT_SIGN: u32 = 1 << 5;
/// keyUsage bit cRLSign (bit 6).
pub const GOSTKIT_KEY_USAGE_CRL_SIGN: u32 = 1 << 6;
/// keyUsage bit encipherOnly (bit 7).
pub const GOSTKIT_KEY_USAGE_ENCIPHER_ONLY: u32 = 1 << 7;
/// keyUsage bit decipherOnly (bit 8).
pub const GOSTKIT_KEY_USAGE_DECIPHER_ONLY: u32 = 1 << 8;

fn not_found(what: &'static str) -> Failure {
    Failure::new(gostkit_status::NotFound, what)
}

/// Value `index` of the attributes of type `attr` (a NUL-terminated name) in `name`.
///
/// # Safety
/// As [`c_str`] for `attr`.
pub(crate) unsafe fn name_attr(
    name: &Name,
    attr: *const c_char,
    index: usize,
) -> Result<String, Failure> {
    // SAFETY: passed on from the caller's contract.
    let key = unsafe { c_str(attr, "attr") }?;
    let mut vals = gk::x509::name::attribute_values(name, key)
        .map_err(|e| Failure::invalid_argument(format!("attr {key}: {e}")))?;
    if index >= vals.len() {
        return Err(not_found("no such attribute (or index past the last one)"));
    }
    Ok(vals.swap_remove(index))
}

/// Writes value number `index` (0 = the first in encoding order) of the subject attribute `attr`
/// as a NUL-terminated UTF-8 string under the output convention. `attr` is a NUL-terminated
/// name: CN, SN, GN (or G), T, O, OU, L, ST, C, STREET, E, INN, INNLE, OGRN, OGRNIP, SNILS
/// (case-insensitive), or a dotted OID; a value that is not a string comes as `#` and the hex of
/// its DER. Iterate `index` from 0 until `GOSTKIT_STATUS_NOT_FOUND` to read repeated attributes.
///
/// Ownership: `cert` and `attr` stay the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (absent, or `index` past the last one),
/// `_INVALID_ARGUMENT` (unknown name), `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `attr` NUL-terminated; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_subject_attr(
    cert: *const gostkit_cert,
    attr: *const c_char,
    index: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let v = unsafe { name_attr(cert.0.subject(), attr, index) }?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &v)
    }
}

/// As `gostkit_cert_subject_attr`, for the issuer name.
///
/// Ownership and errors: as `gostkit_cert_subject_attr`.
///
/// # Safety
/// As `gostkit_cert_subject_attr`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_issuer_attr(
    cert: *const gostkit_cert,
    attr: *const c_char,
    index: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let v = unsafe { name_attr(cert.0.issuer(), attr, index) }?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &v)
    }
}

/// Writes the DER of the subject name under the output convention (to find certificates by
/// subject or issuer in a store, or to compare names exactly).
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_subject_der(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(&der::Encode::to_der(cert.0.subject()).map_err(gk::x509::X509Error::from)?)
    }
}

/// Writes the DER of the issuer name under the output convention.
///
/// Ownership and errors: as `gostkit_cert_subject_der`.
///
/// # Safety
/// As `gostkit_cert_subject_der`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_issuer_der(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(&der::Encode::to_der(cert.0.issuer()).map_err(gk::x509::X509Error::from)?)
    }
}

/// Stores the keyUsage bits (RFC 5280 §4.2.1.3) in `*bits` as `GOSTKIT_KEY_USAGE_*` flags (bit
/// n of the extension = `1 << n`).
///
/// Ownership: `cert` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no keyUsage extension: any use allowed),
/// `_MALFORMED` (extension not decodable), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `bits` a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_key_usage(
    cert: *const gostkit_cert,
    bits: *mut u32,
) -> gostkit_status {
    ffi_status! {
        check_null!(bits);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let ku = cert.0.key_usage()?.ok_or_else(|| not_found("no keyUsage extension"))?;
        // SAFETY: non-NULL and writable per the caller contract.
        unsafe { bits.write(u32::from(ku.0.bits())) };
        Ok(())
    }
}

/// Writes purpose number `index` of the extendedKeyUsage extension (RFC 5280 §4.2.1.12) as a
/// NUL-terminated dotted OID under the output convention; iterate until `NOT_FOUND`.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no extension, or `index` past the last purpose),
/// `_MALFORMED`, `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_ext_key_usage(
    cert: *const gostkit_cert,
    index: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let eku = cert.0.ext_key_usage()?;
        let oid = eku.get(index).ok_or_else(|| not_found("no such extendedKeyUsage purpose"))?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &oid.to_string())
    }
}

/// Writes policy number `index` of the certificatePolicies extension (RFC 5280 §4.2.1.4; KC1 is
/// 1.2.643.100.113.1) as a NUL-terminated dotted OID under the output convention; iterate until
/// `NOT_FOUND`.
///
/// Ownership and errors: as `gostkit_cert_ext_key_usage`.
///
/// # Safety
/// As `gostkit_cert_ext_key_usage`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_policy(
    cert: *const gostkit_cert,
    index: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let pol = cert.0.policies()?;
        let oid = pol.get(index).ok_or_else(|| not_found("no such certificate policy"))?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &oid.to_string())
    }
}

/// Stores basicConstraints (RFC 5280 §4.2.1.9): `*ca` the cA flag (false when the extension is
/// absent) and `*path_len` the pathLenConstraint, or -1 when there is none.
///
/// Ownership: `cert` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `ca` a writable `bool`; `path_len` a writable `int32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_basic_constraints(
    cert: *const gostkit_cert,
    ca: *mut bool,
    path_len: *mut i32,
) -> gostkit_status {
    ffi_status! {
        check_null!(ca);
        check_null!(path_len);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let (is_ca, pl) = cert.0.basic_constraints()?.unwrap_or((false, None));
        // SAFETY: both non-NULL and writable per the caller contract.
        unsafe {
            ca.write(is_ca);
            path_len.write(pl.map_or(-1, i32::from));
        }
        Ok(())
    }
}

/// Writes the subjectSignTool extension (1.2.643.100.111: the subject's signature tool) as a
/// NUL-terminated UTF-8 string under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (absent), `_MALFORMED`, `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_subject_sign_tool(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let v = cert.0.subject_sign_tool()?.ok_or_else(|| not_found("no subjectSignTool"))?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &v)
    }
}

/// Writes field `index` of the issuerSignTool extension (1.2.643.100.112) as a NUL-terminated
/// UTF-8 string under the output convention: 0 the issuer's signature tool, 1 its CA tool, 2 the
/// conformity certificate of the signature tool, 3 that of the CA tool.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (absent), `_INVALID_ARGUMENT` (`index` > 3),
/// `_MALFORMED`, `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_issuer_sign_tool(
    cert: *const gostkit_cert,
    index: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        if index > 3 {
            return Err(Failure::invalid_argument("issuerSignTool has four fields (0..3)"));
        }
        let v = cert.0.issuer_sign_tool()?.ok_or_else(|| not_found("no issuerSignTool"))?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &v[index])
    }
}

/// Stores the IdentificationKind extension (1.2.643.100.114: how the subject was identified, 0
/// in person … 3 remotely by biometrics) in `*kind`.
///
/// Ownership: `cert` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (absent), `_MALFORMED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `kind` a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_identification_kind(
    cert: *const gostkit_cert,
    kind: *mut u32,
) -> gostkit_status {
    ffi_status! {
        check_null!(kind);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let v = cert.0.identification_kind()?.ok_or_else(|| not_found("no IdentificationKind"))?;
        // SAFETY: non-NULL and writable per the caller contract.
        unsafe { kind.write(v) };
        Ok(())
    }
}

/// Writes the subjectKeyIdentifier (RFC 5280 §4.2.1.2) bytes under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (absent), `_MALFORMED`, `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_ski(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let v = cert.0.subject_key_id()?.ok_or_else(|| not_found("no subjectKeyIdentifier"))?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(&v)
    }
}

/// Writes the keyIdentifier of the authorityKeyIdentifier extension (RFC 5280 §4.2.1.1) under
/// the output convention.
///
/// Ownership and errors: as `gostkit_cert_ski` (`NOT_FOUND` when absent or without a
/// keyIdentifier).
///
/// # Safety
/// As `gostkit_cert_ski`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_aki(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let v = cert.0.authority_key_id()?.ok_or_else(|| not_found("no authorityKeyIdentifier keyIdentifier"))?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(&v)
    }
}

/// Stores in `*valid` whether the check digits of the subject's identifier `which` (a
/// `gostkit_ru_id`: INN, INNLE, OGRN, OGRNIP, SNILS, as written in its own attribute) are right
/// (FNS / Pension Fund rules). `gostkit_cert_subject_id` gives the value.
///
/// Ownership: `cert` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (attribute absent), `_INVALID_ARGUMENT` (unknown
/// `which`), `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `valid` a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_subject_id_check(
    cert: *const gostkit_cert,
    which: u32,
    valid: *mut bool,
) -> gostkit_status {
    ffi_status! {
        check_null!(valid);
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let name = match which {
            1 => "INN",
            2 => "INNLE",
            3 => "OGRN",
            4 => "OGRNIP",
            5 => "SNILS",
            _ => return Err(Failure::invalid_argument(format!("unknown gostkit_ru_id {which}"))),
        };
        let ok = gk::x509::name::id_checks(cert.0.subject())
            .into_iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, ok)| ok)
            .ok_or_else(|| not_found("identifier not in the subject"))?;
        // SAFETY: non-NULL and writable per the caller contract.
        unsafe { valid.write(ok) };
        Ok(())
    }
}

/// Writes the certificate summary as the JSON object of `gostkit x509 show --json` (the same
/// implementation; shape in CLI.md, plus `subject_id_checks`) as a NUL-terminated UTF-8 string
/// under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED` (an extension does not decode), `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_json(
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let json = gk::x509::json::to_json(&cert.0)?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &json)
    }
}
