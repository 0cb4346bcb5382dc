//! PKCS#10 requests (RFC 2986) and issuing over the C ABI (issue 16): parse and inspect a
//! request (subject, public key, requested extensions, signature check), build one with
//! requested extensions in DER or PEM, and issue a certificate with an explicit validity window,
//! serial, keyUsage and extra extensions (`gostkit_cert_issue_ex`). An empty validity window (a
//! zero-day certificate) is refused by the library.

use core::ffi::c_char;

use super::certinfo::name_attr;
use super::ec::{gostkit_signing_key, gostkit_verifying_key};
use super::error::Failure;
use super::format::encode;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, c_str, input};
use super::status::gostkit_status;
use super::x509::{GOSTKIT_ISSUE_CA, gostkit_cert, unix_time, write_c_string};
use gk::x509::csr::{CSR_LABEL, CertificationRequest};
use gk::x509::issue::IssueOptions;
use x509_cert::ext::Extension;

/// Most extensions one call takes (bounds the work on hostile arrays).
const MAX_EXTENSIONS: usize = 64;

/// A parsed PKCS#10 request (opaque). Free with `gostkit_csr_free`.
pub struct gostkit_csr(pub(crate) CertificationRequest);
impl BoxHandle for gostkit_csr {}

/// One X.509 extension given by the caller (RFC 5280 §4.1: extnID, critical, extnValue).
#[repr(C)]
pub struct gostkit_extension {
    /// The extension's OID, dotted, NUL-terminated (`"2.5.29.37"`).
    pub oid: *const c_char,
    /// Whether the extension is critical.
    pub critical: bool,
    /// The DER inside extnValue (e.g. the ExtKeyUsageSyntax SEQUENCE).
    pub value: *const u8,
    /// Length of `value` in bytes.
    pub value_len: usize,
}

/// What `gostkit_cert_issue_ex` writes besides names and keys.
#[repr(C)]
pub struct gostkit_issue_params {
    /// Start of validity, Unix seconds (0 = now).
    pub not_before: i64,
    /// End of validity, Unix seconds; must be after `not_before` (zero-day validity is refused).
    pub not_after: i64,
    /// Serial number, big-endian positive INTEGER bytes (1..20, top bit clear); NULL/0 = random
    /// 16 bytes.
    pub serial: *const u8,
    /// Length of `serial`.
    pub serial_len: usize,
    /// `GOSTKIT_ISSUE_CA` or 0.
    pub flags: u32,
    /// pathLenConstraint of a CA certificate; < 0 = none.
    pub path_len: i32,
    /// keyUsage as `GOSTKIT_KEY_USAGE_*` bits; 0 = the profile's default.
    pub key_usage: u32,
    /// Extra extensions (an OID given here replaces the profile's or the request's).
    pub extensions: *const gostkit_extension,
    /// Number of entries in `extensions` (at most 64).
    pub extensions_len: usize,
}

/// Reads the caller's extension array.
///
/// # Safety
/// `ptr` NULL (with `len` 0) or `len` readable `gostkit_extension`s whose pointers follow their
/// field contracts.
unsafe fn extensions_arg(
    ptr: *const gostkit_extension,
    len: usize,
) -> Result<Vec<Extension>, Failure> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(Failure::null_argument("extensions"));
    }
    if len > MAX_EXTENSIONS {
        return Err(Failure::invalid_argument("more than 64 extensions"));
    }
    // SAFETY: non-NULL and `len` readable entries per the contract.
    let exts = unsafe { core::slice::from_raw_parts(ptr, len) };
    let mut out = Vec::with_capacity(len);
    for e in exts {
        // SAFETY: field contract of `gostkit_extension`.
        let oid = unsafe { c_str(e.oid, "extension oid") }?;
        let extn_id = der::oid::ObjectIdentifier::new(oid).map_err(|_| {
            Failure::invalid_argument(format!("extension oid {oid:?} is not a dotted OID"))
        })?;
        // SAFETY: field contract of `gostkit_extension`.
        let value = unsafe { input(e.value, e.value_len, "extension value") }?;
        if <der::asn1::AnyRef<'_> as der::Decode>::from_der(value).is_err() {
            return Err(Failure::invalid_argument(format!(
                "extension {oid}: value is not one DER TLV"
            )));
        }
        if out.iter().any(|x: &Extension| x.extn_id == extn_id) {
            return Err(Failure::invalid_argument(format!(
                "extension {oid} given twice"
            )));
        }
        out.push(Extension {
            extn_id,
            critical: e.critical,
            extn_value: der::asn1::OctetString::new(value).map_err(gk::x509::X509Error::from)?,
        });
    }
    Ok(out)
}

/// Parses a PKCS#10 request from `data[0..len]` (PEM `CERTIFICATE REQUEST` / `NEW CERTIFICATE
/// REQUEST`, text before the BEGIN line allowed, or DER). The signature is not checked here
/// (`gostkit_csr_verify`).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_csr_free`); `data` is copied.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `_UNSUPPORTED` (not a GOST key), `_NULL_ARGUMENT`.
///
/// # Safety
/// `data` `len` readable bytes; `out` a writable `gostkit_csr *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_parse(
    data: *const u8,
    len: usize,
    out: *mut *mut gostkit_csr,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        let req = CertificationRequest::decode(data)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_csr(req).into_out(out) }
    }
}

/// Frees a request handle; NULL is a no-op.
///
/// # Safety
/// `csr` NULL or a live handle, not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_free(csr: *mut gostkit_csr) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_csr::free(csr) })
}

/// Writes the request in `format` (a `gostkit_format`: DER as read, or PEM `CERTIFICATE
/// REQUEST`) under the output convention.
///
/// Ownership: `csr` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (format), `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `csr` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_encode(
    csr: *const gostkit_csr,
    format: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let csr = unsafe { gostkit_csr::borrow(csr, "csr") }?;
        // SAFETY: caller contract above.
        unsafe { Output::new(out, out_len) }?.write(&encode(format, CSR_LABEL, csr.0.der())?)
    }
}

/// Writes the requested subject DN (RFC 4514 string) NUL-terminated under the output
/// convention.
///
/// Ownership: `csr` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `csr` a live handle; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_subject(
    csr: *const gostkit_csr,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let csr = unsafe { gostkit_csr::borrow(csr, "csr") }?;
        let dn = gk::x509::name::to_rfc4514(csr.0.subject());
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &dn)
    }
}

/// Writes value `index` of the requested subject's attribute `attr` (names as
/// `gostkit_cert_subject_attr`) NUL-terminated under the output convention.
///
/// Ownership and errors: as `gostkit_cert_subject_attr`.
///
/// # Safety
/// `csr` a live handle; `attr` NUL-terminated; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_subject_attr(
    csr: *const gostkit_csr,
    attr: *const c_char,
    index: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let csr = unsafe { gostkit_csr::borrow(csr, "csr") }?;
        // SAFETY: caller contract above.
        let v = unsafe { name_attr(csr.0.subject(), attr, index) }?;
        // SAFETY: caller contract above.
        write_c_string(unsafe { Output::new(out, out_len) }?, &v)
    }
}

/// Gives the request's public key as a new handle in `*out` (point checked on the curve).
///
/// Ownership: the caller owns `*out` (free with `gostkit_verifying_key_free`).
///
/// Errors: `GOSTKIT_STATUS_INVALID_KEY`, `_UNSUPPORTED`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `csr` a live handle; `out` a writable `gostkit_verifying_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_public_key(
    csr: *const gostkit_csr,
    out: *mut *mut gostkit_verifying_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let csr = unsafe { gostkit_csr::borrow(csr, "csr") }?;
        let vk = csr.0.public_key().to_verifying_key()?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_verifying_key(vk).into_out(out) }
    }
}

/// Checks the request's signature with its own key (proof of possession, RFC 2986 §3).
///
/// Ownership: `csr` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_BAD_SIGNATURE`, `_UNSUPPORTED` (signature algorithm),
/// `_INVALID_KEY`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `csr` a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_verify(csr: *const gostkit_csr) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let csr = unsafe { gostkit_csr::borrow(csr, "csr") }?;
        csr.0.verify()?;
        Ok(())
    }
}

/// Stores in `*count` how many extensions the request asks for (PKCS#9 extensionRequest).
///
/// Ownership: `csr` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED` (the attribute does not decode), `_NULL_ARGUMENT`.
///
/// # Safety
/// `csr` a live handle; `count` a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_extension_count(
    csr: *const gostkit_csr,
    count: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(count);
        // SAFETY: caller contract above.
        let csr = unsafe { gostkit_csr::borrow(csr, "csr") }?;
        let n = csr.0.requested_extensions()?.len();
        // SAFETY: non-NULL and writable per the caller contract.
        unsafe { count.write(n) };
        Ok(())
    }
}

/// Requested extension number `index`: writes its OID (dotted, NUL-terminated) to `oid_out`
/// under the output convention (`oid_len`), its critical flag to `*critical` and the DER inside
/// its extnValue to `value_out` under the output convention (`value_len`). Both buffers are
/// checked before anything is written: on `BUFFER_TOO_SMALL` both lengths hold the sizes needed.
///
/// Ownership: `csr` stays the caller's; the buffers are the caller's.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (`index` ≥ count), `_MALFORMED`, `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `csr` a live handle; `oid_out` `*oid_len` and `value_out` `*value_len` writable bytes (or
/// NULL); `critical` a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_extension(
    csr: *const gostkit_csr,
    index: usize,
    oid_out: *mut u8,
    oid_len: *mut usize,
    critical: *mut bool,
    value_out: *mut u8,
    value_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        check_null!(critical);
        check_null!(oid_len);
        check_null!(value_len);
        // SAFETY: caller contract above.
        let csr = unsafe { gostkit_csr::borrow(csr, "csr") }?;
        let exts = csr.0.requested_extensions()?;
        let e = exts
            .get(index)
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no such requested extension"))?;
        let oid = e.extn_id.to_string();
        let value = e.extn_value.as_bytes();
        // SAFETY: both non-NULL and writable per the caller contract.
        let (oid_cap, value_cap) = unsafe { (*oid_len, *value_len) };
        let fits = !oid_out.is_null() && !value_out.is_null() && oid_cap > oid.len() && value_cap >= value.len();
        if !fits {
            // SAFETY: as above.
            unsafe {
                oid_len.write(oid.len() + 1);
                value_len.write(value.len());
            }
            return Err(Failure::new(gostkit_status::BufferTooSmall, "oid or value buffer too small"));
        }
        // SAFETY: caller contract above; capacities checked.
        write_c_string(unsafe { Output::new(oid_out, oid_len) }?, &oid)?;
        // SAFETY: caller contract above; capacity checked.
        unsafe { Output::new(value_out, value_len) }?.write(value)?;
        // SAFETY: non-NULL and writable per the caller contract.
        unsafe { critical.write(e.critical) };
        Ok(())
    }
}

/// Builds a PKCS#10 request signed by `key` for `subject_dn` (NUL-terminated slash DN, as
/// `gostkit_csr_create`) asking for the `extensions_len` extensions of `extensions` (NULL/0 =
/// none), written in `format` (a `gostkit_format`) under the output convention.
///
/// Ownership: all inputs stay the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (bad DN, extension or format),
/// `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `key` a live handle; `subject_dn` NUL-terminated; `extensions` NULL or `extensions_len`
/// readable entries; `out` `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_csr_create_ex(
    key: *const gostkit_signing_key,
    subject_dn: *const c_char,
    extensions: *const gostkit_extension,
    extensions_len: usize,
    format: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let dn = unsafe { c_str(subject_dn, "subject_dn") }?;
        let name = gk::x509::name::parse_slash_dn(dn)
            .map_err(|e| Failure::invalid_argument(format!("subject_dn: {e}")))?;
        // SAFETY: caller contract above.
        let exts = unsafe { extensions_arg(extensions, extensions_len) }?;
        super::format::format_arg(format)?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let req = CertificationRequest::build(key.as_sign(), &name, &exts)?;
        out.write(&encode(format, CSR_LABEL, req.der())?)
    }
}

/// Issues a certificate like `gostkit_cert_issue` (from a request `csr`/`csr_len` signed by
/// `ca_key` of `ca_cert`, or self-signed for `ca_key` with `subject_dn` when `ca_cert` and `csr`
/// are NULL) with the validity window, serial, keyUsage and extra extensions of `params`.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_cert_free`); the inputs
/// stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (empty validity window, bad serial, flags,
/// keyUsage bits or extension), `_BAD_SIGNATURE` (request), `_KEY_MISMATCH`, `_MALFORMED`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// As `gostkit_cert_issue`; `params` a readable `gostkit_issue_params` whose pointers follow
/// their field contracts.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_issue_ex(
    csr: *const u8,
    csr_len: usize,
    subject_dn: *const c_char,
    ca_cert: *const gostkit_cert,
    ca_key: *const gostkit_signing_key,
    params: *const gostkit_issue_params,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        check_null!(params);
        // SAFETY: non-NULL and readable per the caller contract.
        let p = unsafe { &*params };
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(ca_key, "ca_key") }?;
        if p.flags & !GOSTKIT_ISSUE_CA != 0 {
            return Err(Failure::invalid_argument("unknown issue flags"));
        }
        let mut opts = if p.flags & GOSTKIT_ISSUE_CA != 0 {
            IssueOptions::ca_days(1, u8::try_from(p.path_len).ok())
        } else {
            IssueOptions::days(1)
        };
        opts.not_before = unix_time(p.not_before);
        opts.not_after = if p.not_after == 0 {
            return Err(Failure::invalid_argument("not_after is required"));
        } else {
            unix_time(p.not_after)
        };
        // SAFETY: field contract of `gostkit_issue_params`.
        let serial = unsafe { input(p.serial, p.serial_len, "serial") }?;
        opts.serial = (!serial.is_empty()).then(|| serial.to_vec());
        if p.key_usage != 0 {
            let bits = u16::try_from(p.key_usage)
                .ok()
                .and_then(|b| der::flagset::FlagSet::new(b).ok())
                .ok_or_else(|| Failure::invalid_argument("unknown keyUsage bits"))?;
            opts.key_usage = Some(bits);
        }
        // SAFETY: field contract of `gostkit_issue_params`.
        opts.extensions = unsafe { extensions_arg(p.extensions, p.extensions_len) }?;
        let cert = if ca_cert.is_null() {
            // SAFETY: caller contract above.
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
            let req = CertificationRequest::decode(csr)?;
            gk::x509::issue::issue_from_request(&req, &ca.0, key.as_sign(), &opts)?
        };
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(cert).into_out(out) }
    }
}
