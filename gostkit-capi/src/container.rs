//! CryptoPro CSP key containers over the C ABI (`gk::container`): read a container directory
//! (`header.key`, `primary.key`, `masks.key`, …) and unlock its key with the PIN into the same
//! `gostkit_signing_key` handle file keys use (so CMS signing and decryption work unchanged),
//! report its name, flags and curve, hand out its stored certificate, find the container of a
//! certificate in a key directory, and write a new container for a key.
//!
//! Paths are NUL-terminated C strings. On Unix they are taken as bytes (any encoding, as the
//! file system takes them); elsewhere they must be UTF-8. Paths written back (by
//! `gostkit_container_find`) follow the string output convention: the bytes followed by a NUL,
//! which `*out_len` counts.
//!
//! PINs are `(const uint8_t *pin, size_t pin_len)`, the bytes CSP derives the key from (ASCII
//! in practice); an empty PIN (NULL/0) is the PIN of a container without one.
//!
//! Statuses follow the library's error kinds: a wrong PIN gives `GOSTKIT_STATUS_WRONG_PASSWORD`,
//! no PIN for a PIN-protected container `GOSTKIT_STATUS_PASSWORD_REQUIRED`, a damaged file
//! `GOSTKIT_STATUS_MALFORMED` (bad structure) or `GOSTKIT_STATUS_AUTH_FAILED` (a header, mask,
//! password or reserve-copy check value does not match), a missing or unreadable file
//! `GOSTKIT_STATUS_IO`, a key algorithm or curve a container may not hold
//! `GOSTKIT_STATUS_UNSUPPORTED`, a stored certificate for another key
//! `GOSTKIT_STATUS_KEY_MISMATCH`.

use core::ffi::c_char;
use std::path::{Path, PathBuf};

use super::ec::{curve_of, gostkit_signing_key};
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, c_str, input};
use super::status::gostkit_status;
use super::x509::gostkit_cert;
use gk::container::{Container, ContainerFiles, ContainerWriter, KeyStore, OsRandom, names};

/// A CryptoPro CSP key container read from its directory (opaque): structure and check values
/// verified, the key still encrypted under its PIN. Free with `gostkit_container_free`.
pub struct gostkit_container(Container);
impl BoxHandle for gostkit_container {}

/// The path named by the NUL-terminated string `p` (bytes on Unix, UTF-8 elsewhere); an empty
/// path is refused.
///
/// # Safety
/// `p`, if non-NULL, must be a NUL-terminated string valid for the call.
unsafe fn c_path(p: *const c_char, name: &'static str) -> Result<PathBuf, Failure> {
    if p.is_null() {
        return Err(Failure::null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated per this function's contract.
    let bytes = unsafe { core::ffi::CStr::from_ptr(p) }.to_bytes();
    if bytes.is_empty() {
        return Err(Failure::invalid_argument(format!(
            "`{name}` is an empty path"
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        core::str::from_utf8(bytes)
            .map(PathBuf::from)
            .map_err(|_| Failure::invalid_argument(format!("`{name}` is not UTF-8")))
    }
}

/// Writes `path` (its bytes on Unix, UTF-8 elsewhere) and a NUL under the output convention.
fn write_path(out: Output<'_>, path: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes()
    };
    #[cfg(not(unix))]
    let bytes = path
        .to_str()
        .ok_or_else(|| Failure::new(gostkit_status::Internal, "the path is not UTF-8"))?
        .as_bytes();
    if bytes.contains(&0) {
        return Err(Failure::new(
            gostkit_status::Internal,
            "the path holds a NUL byte",
        ));
    }
    let buf = out.reserve(bytes.len() + 1)?;
    let (text, nul) = buf.split_at_mut(bytes.len());
    text.copy_from_slice(bytes);
    nul[0] = 0;
    Ok(())
}

/// The key of `c` unlocked with `pin`, as a new signing-key handle in `*out`.
///
/// # Safety
/// `out` must be non-NULL and point to a writable `gostkit_signing_key *`.
unsafe fn unlock_into(
    c: &Container,
    pin: &[u8],
    out: *mut *mut gostkit_signing_key,
) -> Result<(), Failure> {
    let unlocked = c.unlock(pin)?;
    // pkaExportable travels with the handle: a non-exportable key signs and decrypts but the
    // calls that write its scalar out refuse it.
    let exportable = unlocked.exportable();
    let key = unlocked.into_signing_key();
    // SAFETY: `out` is non-NULL and writable per this function's contract.
    unsafe { gostkit_signing_key::soft(key, exportable).into_out(out) }
}

/// Reads the container in directory `path` and unlocks its key with `pin[0..pin_len]` (empty
/// for a container without PIN): the key, its fingerprint, the password MAC, the reserve copy
/// and the stored certificate's public key are all checked. The key handle signs, decrypts and
/// agrees like any other (`gostkit_cms_sign`, `gostkit_cms_decrypt`, `gostkit_vko`…). The
/// container's pkaExportable flag is reported by `gostkit_container_info` but not enforced on
/// the handle (the key is in this process's memory either way).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_signing_key_free`); `path`
/// and `pin` stay the caller's and may be wiped afterwards.
///
/// Errors: `GOSTKIT_STATUS_WRONG_PASSWORD` (wrong PIN), `GOSTKIT_STATUS_PASSWORD_REQUIRED` (the
/// container has a PIN and `pin_len` is 0), `GOSTKIT_STATUS_IO` (directory or a required file
/// missing or unreadable), `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_AUTH_FAILED` (a check
/// value does not match: an altered file), `GOSTKIT_STATUS_UNSUPPORTED` (key algorithm or
/// curve), `GOSTKIT_STATUS_KEY_MISMATCH` (the stored certificate is for another key),
/// `GOSTKIT_STATUS_INVALID_ARGUMENT` (empty or, off Unix, non-UTF-8 path),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `path` must be a NUL-terminated string; `pin` must point to `pin_len` readable bytes (or be
/// NULL when 0); `out` must point to a writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_open(
    path: *const c_char,
    pin: *const u8,
    pin_len: usize,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let dir = unsafe { c_path(path, "path") }?;
        // SAFETY: caller contract above.
        let pin = unsafe { input(pin, pin_len, "pin") }?;
        let c = Container::open(&dir)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { unlock_into(&c, pin, out) }
    }
}

/// Reads and checks the container in directory `path` without unlocking it (no PIN needed):
/// every file's structure, the header MAC and the mask MACs. Use it to ask whether a PIN is
/// needed (`gostkit_container_info`), to read the name and certificate, then
/// `gostkit_container_unlock`.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_container_free`); `path`
/// stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_IO`, `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_AUTH_FAILED`,
/// `GOSTKIT_STATUS_UNSUPPORTED`, `GOSTKIT_STATUS_INVALID_ARGUMENT` (path),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `path` must be a NUL-terminated string; `out` must point to a writable
/// `gostkit_container *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_read(
    path: *const c_char,
    out: *mut *mut gostkit_container,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let dir = unsafe { c_path(path, "path") }?;
        let c = Container::open(&dir)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_container(c).into_out(out) }
    }
}

/// Frees a container handle; NULL is a no-op.
///
/// Ownership: takes back the handle; it must not be used afterwards. No errors.
///
/// # Safety
/// `container` must be NULL or a live handle not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_free(container: *mut gostkit_container) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_container::free(container) })
}

/// Unlocks the key of a container read with `gostkit_container_read`, with `pin[0..pin_len]`;
/// the checks and the key handle are those of `gostkit_container_open`.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_signing_key_free`);
/// `container` and `pin` stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_WRONG_PASSWORD`, `GOSTKIT_STATUS_PASSWORD_REQUIRED`,
/// `GOSTKIT_STATUS_AUTH_FAILED` (password MAC or reserve copy), `GOSTKIT_STATUS_KEY_MISMATCH`,
/// `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `container` must be a live handle; `pin` must point to `pin_len` readable bytes (or be NULL
/// when 0); `out` must point to a writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_unlock(
    container: *const gostkit_container,
    pin: *const u8,
    pin_len: usize,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let c = unsafe { gostkit_container::borrow(container, "container") }?;
        // SAFETY: caller contract above.
        let pin = unsafe { input(pin, pin_len, "pin") }?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { unlock_into(&c.0, pin, out) }
    }
}

/// Reports the container's key attributes: `*exportable` (pkaExportable), `*has_pin`
/// (kccaSoftPassword: unlocking needs a PIN) and `*curve`, the `gostkit_curve` value of the
/// key's parameter set as stored (e.g. `GOSTKIT_CURVE_CRYPTOPRO_XCHA`). Nothing is written on
/// failure.
///
/// Ownership: `container` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `container` must be a live handle; `exportable` and `has_pin` must point to writable
/// `bool`s, `curve` to a writable `uint32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_info(
    container: *const gostkit_container,
    exportable: *mut bool,
    has_pin: *mut bool,
    curve: *mut u32,
) -> gostkit_status {
    ffi_status! {
        check_null!(exportable, has_pin, curve);
        // SAFETY: caller contract above.
        let c = unsafe { gostkit_container::borrow(container, "container") }?;
        let set = c.0.param_set();
        let cv = curve_of(set).ok_or_else(|| {
            Failure::new(gostkit_status::Internal, format!("no gostkit_curve for {set:?}"))
        })?;
        // SAFETY: all three pointers are non-NULL and writable per the caller contract.
        unsafe {
            exportable.write(c.0.exportable());
            has_pin.write(c.0.has_pin());
            curve.write(cv as u32);
        }
        Ok(())
    }
}

/// Writes the container's name (`name.key`, else the header's containerName) as a
/// NUL-terminated string under the output convention (`*out_len` counts the NUL). A name that
/// is not UTF-8 has its bad bytes replaced by U+FFFD.
///
/// Ownership: `container` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (the container has no name), `GOSTKIT_STATUS_MALFORMED`
/// (the name holds a NUL byte), `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `container` must be a live handle; `out` must point to `*out_len` writable bytes (or be
/// NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_name(
    container: *const gostkit_container,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let c = unsafe { gostkit_container::borrow(container, "container") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let name = c.0.name().ok_or_else(|| Failure::new(gostkit_status::NotFound, "the container has no name"))?;
        if name.contains('\0') {
            return Err(Failure::new(gostkit_status::Malformed, "the container name holds a NUL"));
        }
        super::x509::write_c_string(out, &name)
    }
}

/// Gives the certificate stored in the container's header (the primary certificate) as a new
/// certificate handle.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_cert_free`); `container`
/// stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no certificate stored), `GOSTKIT_STATUS_MALFORMED` /
/// `GOSTKIT_STATUS_UNSUPPORTED` (the stored bytes are not a GOST certificate),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `container` must be a live handle; `out` must point to a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_cert(
    container: *const gostkit_container,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let c = unsafe { gostkit_container::borrow(container, "container") }?;
        let cert = c
            .0
            .certificate()
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "the container stores no certificate"))??;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(cert).into_out(out) }
    }
}

/// Finds, among the subdirectories of the key directory `key_dir` (such as
/// `/var/opt/cprocsp/keys/<user>`), the container holding the key of `cert`, without any PIN:
/// by the key's fingerprint and curve, and by the whole public key of the certificate a
/// container stores. Subdirectories that are not containers, or do not parse, are skipped; the
/// first match in name order is given. Its path (`key_dir` joined with the container's directory
/// name) is written as a NUL-terminated string under the output convention (`*out_len` counts
/// the NUL); a size query searches again on the next call.
///
/// Ownership: `key_dir` and `cert` stay the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no container holds the key), `GOSTKIT_STATUS_IO`
/// (`key_dir` cannot be listed), `GOSTKIT_STATUS_INVALID_ARGUMENT` (the certificate's key is
/// not valid; empty path), `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key_dir` must be a NUL-terminated string; `cert` a live handle; `out` must point to
/// `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_find(
    key_dir: *const c_char,
    cert: *const gostkit_cert,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let dir = unsafe { c_path(key_dir, "key_dir") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let (path, _) = KeyStore::new(dir)
            .find_certificate(&cert.0)?
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no container in the directory holds the certificate's key"))?;
        write_path(out, &path)
    }
}

/// Writes a new CryptoPro CSP container for `key` into directory `dir` (created mode 0700 when
/// absent; every file mode 0600 on Unix): a GOST R 34.10-2012 container of the key's size, an
/// exchange key (it signs and agrees, as CSP's AT_KEYEXCHANGE), with the reserve copy, masks and
/// salts from the operating system's random source. `cert` (NULL for none) is stored in the
/// header and must be the key's certificate; `pin[0..pin_len]` protects the key (empty: no PIN);
/// `name` (NUL-terminated ASCII; NULL: the last component of `dir`) goes into `name.key`;
/// `exportable` sets pkaExportable. A directory that already holds a `header.key` is refused,
/// so no container is overwritten. If writing fails part-way, the files written stay.
///
/// Ownership: everything stays the caller's; `pin` may be wiped afterwards.
///
/// Errors: `GOSTKIT_STATUS_IO` (`dir` holds a container, or cannot be created or written),
/// `GOSTKIT_STATUS_KEY_MISMATCH` (`cert` is for another key), `GOSTKIT_STATUS_INVALID_ARGUMENT`
/// (name not ASCII, key curve not allowed in a container, empty path),
/// `GOSTKIT_STATUS_RANDOM_FAILED`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `dir` must be a NUL-terminated string; `key` a live handle; `cert` NULL or a live handle;
/// `pin` must point to `pin_len` readable bytes (or be NULL when 0); `name` NULL or a
/// NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_create(
    dir: *const c_char,
    key: *const gostkit_signing_key,
    cert: *const gostkit_cert,
    pin: *const u8,
    pin_len: usize,
    name: *const c_char,
    exportable: bool,
) -> gostkit_status {
    let flags = if exportable {
        GOSTKIT_CONTAINER_EXPORTABLE
    } else {
        0
    };
    ffi_status! {
        // SAFETY: caller contract above.
        unsafe { create(dir, key, cert, pin, pin_len, name, flags) }
    }
}

/// The body of `gostkit_container_create(_ex)`.
///
/// # Safety
/// As `gostkit_container_create`.
unsafe fn create(
    dir: *const c_char,
    key: *const gostkit_signing_key,
    cert: *const gostkit_cert,
    pin: *const u8,
    pin_len: usize,
    name: *const c_char,
    flags: u32,
) -> Result<(), Failure> {
    if flags & !CREATE_FLAGS != 0 {
        return Err(Failure::invalid_argument(format!(
            "unknown container flag bits {:#x}",
            flags & !CREATE_FLAGS
        )));
    }
    // SAFETY: caller contract above.
    let dir = unsafe { c_path(dir, "dir") }?;
    // SAFETY: caller contract above.
    let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
    let cert_der = if cert.is_null() {
        None
    } else {
        // SAFETY: non-NULL, so a live handle per the caller contract.
        Some(unsafe { gostkit_cert::borrow(cert, "cert") }?.0.der())
    };
    // SAFETY: caller contract above.
    let pin = unsafe { input(pin, pin_len, "pin") }?;
    let name = if name.is_null() {
        dir.file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| {
                Failure::invalid_argument("no name given and the directory's name is not UTF-8")
            })?
            .to_owned()
    } else {
        // SAFETY: non-NULL and NUL-terminated per the caller contract.
        unsafe { c_str(name, "name") }?.to_owned()
    };
    if dir.join(names::HEADER).exists() {
        return Err(Failure::new(
            gostkit_status::Io,
            format!("{} already holds a container", dir.display()),
        ));
    }
    let mut writer = ContainerWriter::new(key.raw_exportable()?, &name)
        .certificate(cert_der)
        .pin(pin)
        .exportable(flags & GOSTKIT_CONTAINER_EXPORTABLE != 0)
        .exchange(flags & GOSTKIT_CONTAINER_SIGNATURE_KEY == 0)
        .reserve_copy(flags & GOSTKIT_CONTAINER_NO_RESERVE_COPY == 0);
    if flags & GOSTKIT_CONTAINER_GOST2001 != 0 {
        writer = writer.gost2001();
    }
    let files: ContainerFiles = writer.write(&mut OsRandom)?;
    files.write_dir(&dir)?;
    Ok(())
}

/// `gostkit_container_create_ex` flag: set pkaExportable (the key may be copied out).
pub const GOSTKIT_CONTAINER_EXPORTABLE: u32 = 1;
/// `gostkit_container_create_ex` flag: write a signature key (AT_SIGNATURE, the signature key
/// OID) instead of an exchange key (AT_KEYEXCHANGE, which both signs and agrees).
pub const GOSTKIT_CONTAINER_SIGNATURE_KEY: u32 = 2;
/// `gostkit_container_create_ex` flag: no reserve copy (`primary2.key`, `masks2.key`).
pub const GOSTKIT_CONTAINER_NO_RESERVE_COPY: u32 = 4;
/// `gostkit_container_create_ex` flag: a GOST R 34.10-2001 container (GOST R 34.11-94 CPKDF,
/// CryptoPro-A S-box); the key must be 256-bit on an RFC 4357 curve (CryptoPro-A/B/C, XchA/B).
pub const GOSTKIT_CONTAINER_GOST2001: u32 = 8;

/// Every flag `gostkit_container_create_ex` knows.
const CREATE_FLAGS: u32 = GOSTKIT_CONTAINER_EXPORTABLE
    | GOSTKIT_CONTAINER_SIGNATURE_KEY
    | GOSTKIT_CONTAINER_NO_RESERVE_COPY
    | GOSTKIT_CONTAINER_GOST2001;

/// As `gostkit_container_create`, with the key attributes chosen by `flags`, a bitwise OR of
/// `GOSTKIT_CONTAINER_EXPORTABLE`, `GOSTKIT_CONTAINER_SIGNATURE_KEY`,
/// `GOSTKIT_CONTAINER_NO_RESERVE_COPY` and `GOSTKIT_CONTAINER_GOST2001` (0: a non-exportable
/// 2012 exchange key with its reserve copy). `gostkit_container_create(…, exportable)` is this
/// function with `flags` = `exportable ? GOSTKIT_CONTAINER_EXPORTABLE : 0`.
///
/// Ownership: everything stays the caller's; `pin` may be wiped afterwards.
///
/// Errors: those of `gostkit_container_create`; `GOSTKIT_STATUS_INVALID_ARGUMENT` also for an
/// unknown flag bit, or `GOSTKIT_CONTAINER_GOST2001` with a key that is not on an RFC 4357
/// curve.
///
/// # Safety
/// As `gostkit_container_create`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_create_ex(
    dir: *const c_char,
    key: *const gostkit_signing_key,
    cert: *const gostkit_cert,
    pin: *const u8,
    pin_len: usize,
    name: *const c_char,
    flags: u32,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: the caller contract is gostkit_container_create's.
        unsafe { create(dir, key, cert, pin, pin_len, name, flags) }
    }
}

/// Stores `cert` as the primary certificate of the container in directory `dir` and rewrites
/// its `header.key` (mode 0600, through a temporary file renamed over it, so a failure leaves
/// the old header): how the CA wizard installs an issued certificate next to its key. The key
/// files are not touched and no PIN is needed. The certificate's key must be the container's
/// (by the fingerprint primaryFP); a certificate already stored is replaced.
///
/// Ownership: `dir` and `cert` stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH` (the certificate is for another key),
/// `GOSTKIT_STATUS_IO` (no container in `dir`, or it cannot be written),
/// `GOSTKIT_STATUS_MALFORMED` / `GOSTKIT_STATUS_AUTH_FAILED` (a damaged container),
/// `GOSTKIT_STATUS_INVALID_ARGUMENT` (empty path), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `dir` must be a NUL-terminated string; `cert` a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_store_cert(
    dir: *const c_char,
    cert: *const gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let dir = unsafe { c_path(dir, "dir") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        KeyStore::store_certificate(&dir, cert.0.der())?;
        Ok(())
    }
}

/// The containers of a key directory, as listed by `gostkit_container_list_new` (opaque): each
/// entry's path and how it parsed. Free with `gostkit_container_list_free`.
pub struct gostkit_container_list(Vec<(PathBuf, Result<Container, gk::container::ContainerError>)>);
impl BoxHandle for gostkit_container_list {}

/// Lists the key directory `key_dir` (such as `/var/opt/cprocsp/keys/<user>`): every
/// subdirectory holding a `header.key`, in name order (at most 100 000 directory entries are
/// looked at). Each container is read (structure and check values verified, no PIN needed);
/// one that does not parse stays in the list with its status
/// (`gostkit_container_list_status`), so a damaged container is reported, not hidden.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_container_list_free`);
/// `key_dir` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_IO` (`key_dir` cannot be listed), `GOSTKIT_STATUS_INVALID_ARGUMENT`
/// (empty path), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key_dir` must be a NUL-terminated string; `out` must point to a writable
/// `gostkit_container_list *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_list_new(
    key_dir: *const c_char,
    out: *mut *mut gostkit_container_list,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let dir = unsafe { c_path(key_dir, "key_dir") }?;
        let entries = KeyStore::new(dir).list()?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_container_list(entries).into_out(out) }
    }
}

/// The number of containers in the list (0 for NULL).
///
/// Ownership: `list` stays the caller's. No errors.
///
/// # Safety
/// `list` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_list_count(
    list: *const gostkit_container_list,
) -> usize {
    // SAFETY: caller contract above.
    super::panic::ffi_value!(0, unsafe { list.as_ref() }.map_or(0, |l| l.0.len()))
}

/// The entry `index` of `list`, or the error to report.
///
/// # Safety
/// `list` must be NULL or a live handle.
unsafe fn list_entry<'a>(
    list: *const gostkit_container_list,
    index: usize,
) -> Result<&'a (PathBuf, Result<Container, gk::container::ContainerError>), Failure> {
    // SAFETY: per this function's contract.
    let l = unsafe { gostkit_container_list::borrow(list, "list") }?;
    l.0.get(index).ok_or_else(|| {
        Failure::invalid_argument(format!(
            "index {index} is past the list's {} entries",
            l.0.len()
        ))
    })
}

/// Writes the path of entry `index` (`key_dir` joined with the container's directory name) as
/// a NUL-terminated string under the output convention (`*out_len` counts the NUL).
///
/// Ownership: `list` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (`index` ≥ the count),
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `list` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_list_path(
    list: *const gostkit_container_list,
    index: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let (path, _) = unsafe { list_entry(list, index) }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        write_path(out, path)
    }
}

/// Whether entry `index` parsed: `GOSTKIT_STATUS_OK`, or the status reading it gave (e.g.
/// `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_AUTH_FAILED` for a damaged file,
/// `GOSTKIT_STATUS_IO` for a missing `primary.key`), with its detail in `gostkit_last_error`.
///
/// Ownership: `list` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (`index` ≥ the count), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `list` must be a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_list_status(
    list: *const gostkit_container_list,
    index: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let (_, parsed) = unsafe { list_entry(list, index) }?;
        match parsed {
            Ok(_) => Ok(()),
            Err(e) => Err(Failure::from(e.clone())),
        }
    }
}

/// Gives entry `index` as a new container handle (a copy: the list stays usable), to read its
/// name, flags and certificate or unlock it.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_container_free`); `list`
/// stays the caller's.
///
/// Errors: the entry's own status when it did not parse (see `gostkit_container_list_status`),
/// `GOSTKIT_STATUS_INVALID_ARGUMENT` (`index` ≥ the count), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `list` must be a live handle; `out` must point to a writable `gostkit_container *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_list_get(
    list: *const gostkit_container_list,
    index: usize,
    out: *mut *mut gostkit_container,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let (_, parsed) = unsafe { list_entry(list, index) }?;
        let c = parsed.clone().map_err(Failure::from)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_container(c).into_out(out) }
    }
}

/// Frees a container list; NULL is a no-op.
///
/// Ownership: takes back the handle; it must not be used afterwards. No errors.
///
/// # Safety
/// `list` must be NULL or a live handle not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_container_list_free(list: *mut gostkit_container_list) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_container_list::free(list) })
}
