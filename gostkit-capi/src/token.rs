//! Keys on a PKCS#11 token over the C ABI (issue 12): `gostkit_token_key_open` finds a private
//! key by an RFC 7512 URI (`pkcs11:token=T;object=O;id=%01`), logs in with the PIN and gives a
//! `gostkit_signing_key` that signs (CMS, CSR, certificates, TLS client authentication, raw
//! signatures) and agrees (CMS decryption, VKO, TLS server key) on the token, like a key in
//! memory. Its private value never leaves the token: the export calls refuse it.
//! `gostkit_token_key_certificate` reads the certificate stored next to the key (same
//! `CKA_ID`).
//!
//! Modules are loaded once per path and stay loaded for the life of the process (PKCS#11 allows
//! one `C_Initialize` per process; keys of one module share it).

use core::ffi::c_char;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::ec::gostkit_signing_key;
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{c_str, input};
use super::status::gostkit_status;
use super::x509::gostkit_cert;
use gk::pkcs11::{Module, Pkcs11Error, Pkcs11Uri, TokenSession};
use zeroize::Zeroizing;

/// The environment variable naming the module when neither the call nor the URI does.
const MODULE_ENV: &str = "GOSTKIT_PKCS11_MODULE";

/// Modules loaded so far, by path.
static MODULES: Mutex<Vec<(PathBuf, Module)>> = Mutex::new(Vec::new());

/// The module at `path`, loaded and initialised on first use.
fn module(path: &Path) -> Result<Module, Failure> {
    let mut loaded = MODULES
        .lock()
        .map_err(|_| Failure::new(gostkit_status::Internal, "module table lock poisoned"))?;
    if let Some((_, m)) = loaded.iter().find(|(p, _)| p == path) {
        return Ok(m.clone());
    }
    let m = Module::load(path)?;
    loaded.push((path.to_path_buf(), m.clone()));
    Ok(m)
}

/// Parses `uri`, loads the module (`module_path`, else the URI's `module-path`, else
/// `$GOSTKIT_PKCS11_MODULE`) and opens a session on the token, logged in with the PIN when one
/// is given. The library's copies of the PIN are wiped before this returns.
///
/// # Safety
/// `uri` non-NULL and NUL-terminated; `module_path` NULL or NUL-terminated; `pin` `pin_len`
/// readable bytes (or NULL with 0).
unsafe fn session_for(
    uri: *const c_char,
    module_path: *const c_char,
    pin: *const u8,
    pin_len: usize,
) -> Result<(TokenSession, Pkcs11Uri), Failure> {
    // SAFETY: per the contract.
    let uri = unsafe { c_str(uri, "uri") }?;
    let uri = Pkcs11Uri::parse(uri).map_err(Pkcs11Error::from)?;
    let path = if module_path.is_null() {
        match &uri.module_path {
            Some(p) => PathBuf::from(p),
            None => std::env::var_os(MODULE_ENV)
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .ok_or(Pkcs11Error::NoModule)?,
        }
    } else {
        // SAFETY: per the contract.
        PathBuf::from(unsafe { c_str(module_path, "module_path") }?)
    };
    // SAFETY: per the contract.
    let pin = unsafe { input(pin, pin_len, "pin") }?;
    let pin = if pin.is_empty() {
        None
    } else {
        let text = core::str::from_utf8(pin)
            .map_err(|_| Failure::invalid_argument("the PIN is not UTF-8"))?;
        Some(Zeroizing::new(text.to_owned()))
    };
    let session = module(&path)?.open(&uri, pin)?;
    Ok((session, uri))
}

/// Opens the private key the PKCS#11 URI `uri` names (its `token`/`serial`/`model`/
/// `manufacturer`/`slot-id` pick the token, the first token when none is given; `object`
/// and/or `id` pick the key, exactly one private key must match) and logs in with
/// `pin[0..pin_len]` (UTF-8; NULL/0: no PIN given, then the URI's `pin-value` if any is used).
/// The key's public key comes from the public-key object or the certificate with the same
/// `CKA_ID`.
///
/// The module is `module_path` (NUL-terminated path) when it is not NULL, else the URI's
/// `module-path`, else the environment variable `GOSTKIT_PKCS11_MODULE`.
///
/// The key handle works with every call that signs, decrypts or agrees (the token does the
/// operation); the calls that write the private key out (`gostkit_signing_key_to_raw`,
/// `_to_pkcs8_der`, `_to_encrypted_pkcs8`, `gostkit_pfx_export*`, `gostkit_container_write*`…)
/// refuse it with `GOSTKIT_STATUS_UNSUPPORTED`. Limits of the token interface: 256-bit keys sign
/// messages (CMS with signed attributes, requests, certificates, `gostkit_signing_key_sign`) but
/// not a bare digest; VKO is VKO_GOSTR3410_2012_256 only (CMS KEG with 256-bit keys, RFC 4490
/// transport, TLS).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_signing_key_free`; the
/// token session closes with the key's last handle). The PIN stays the caller's buffer (the
/// library's copies of it are wiped before this returns; wiping the caller's buffer is the
/// caller's business); `uri` and `module_path` stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_WRONG_PASSWORD` (wrong PIN), `_PIN_LOCKED`, `_PIN_EXPIRED`,
/// `_NOT_FOUND` (no such token or key, or no public key for it), `_INVALID_ARGUMENT` (malformed
/// URI, no module named anywhere, several keys match, PIN not UTF-8), `_IO` (the module cannot
/// be loaded, other token failures), `_INVALID_KEY` (the token's public key or certificate is not
/// a GOST one), `_NULL_ARGUMENT`.
///
/// # Safety
/// `uri` NUL-terminated; `module_path` NULL or NUL-terminated; `pin` `pin_len` readable bytes
/// (or NULL with 0); `out` a writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_token_key_open(
    uri: *const c_char,
    module_path: *const c_char,
    pin: *const u8,
    pin_len: usize,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(uri, out);
        // SAFETY: caller contract above.
        let (session, uri) = unsafe { session_for(uri, module_path, pin, pin_len) }?;
        let key = session.key(&uri)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_signing_key::token(key).into_out(out) }
    }
}

/// Reads the certificate stored on the token next to the token key `key` (the certificate
/// object with the key's `CKA_ID`).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_cert_free`); `key` stays
/// the caller's.
///
/// Errors: `GOSTKIT_STATUS_NOT_FOUND` (no certificate with that ID), `_INVALID_ARGUMENT` (`key`
/// is not a token key), `_INVALID_KEY` (the object is not a GOST certificate), `_IO`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `key` a live handle; `out` a writable `gostkit_cert *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_token_key_certificate(
    key: *const gostkit_signing_key,
    out: *mut *mut gostkit_cert,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        let tk = key
            .token_key()
            .ok_or_else(|| Failure::invalid_argument("the key is not a token key"))?;
        let cert = tk
            .session()
            .certificate(tk.id())?
            .ok_or_else(|| Failure::new(gostkit_status::NotFound, "no certificate with the key's CKA_ID on the token"))?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_cert::new(cert).into_out(out) }
    }
}

/// Generates a key pair on the token the PKCS#11 URI `uri` names, logged in with
/// `pin[0..pin_len]` (module and PIN as for `gostkit_token_key_open`). The URI must give the new
/// key's `object` (its `CKA_LABEL`) and `id` (its `CKA_ID`, which the certificate installed later
/// shares); an existing key with that ID is refused. The private key is a sensitive,
/// non-extractable token object for signing and derivation. 512-bit sets are generated on the
/// token; for 256-bit sets the PKCS#11 binding cannot name `CKM_GOSTR3410_KEY_PAIR_GEN`, so the
/// library generates the key and imports it, wiping its copy.
///
/// Ownership: on success the caller owns `*out` (a token key handle as from
/// `gostkit_token_key_open`; free with `gostkit_signing_key_free`). `uri`, `module_path` and
/// `pin` stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown curve, URI without `object` or `id`, a key
/// with that ID already on the token), the errors of `gostkit_token_key_open`.
///
/// # Safety
/// As `gostkit_token_key_open`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_token_key_generate(
    uri: *const c_char,
    module_path: *const c_char,
    pin: *const u8,
    pin_len: usize,
    curve: u32,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(uri, out);
        let set = super::ec::param_set(curve)?;
        // SAFETY: caller contract above.
        let (session, uri) = unsafe { session_for(uri, module_path, pin, pin_len) }?;
        let (Some(label), Some(id)) = (uri.object.as_deref(), uri.id.as_deref()) else {
            return Err(Failure::invalid_argument("the URI must name the new key's `object` and `id`"));
        };
        if session.objects()?.iter().any(|o| o.class == "private" && o.id == id) {
            return Err(Failure::invalid_argument(format!(
                "the token already holds a private key with id {}",
                hex_id(id)
            )));
        }
        let key = session.generate(set, label, id)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_signing_key::token(key).into_out(out) }
    }
}

/// The ID as lowercase hex, for messages.
fn hex_id(id: &[u8]) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

/// Installs `cert` on the token next to the token key `key`: a certificate object with the
/// key's `CKA_ID` and the label `label` (NUL-terminated UTF-8; NULL: "certificate"), so that
/// `gostkit_token_key_certificate` and other PKCS#11 applications find it. The certificate must
/// hold the key's public key.
///
/// Ownership: `key`, `cert` and `label` stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_KEY_MISMATCH` (the certificate is for another key),
/// `_INVALID_ARGUMENT` (`key` is not a token key, label not UTF-8), `_IO` (the token refused the
/// object), `_NULL_ARGUMENT`.
///
/// # Safety
/// `key` and `cert` live handles; `label` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_token_key_store_certificate(
    key: *const gostkit_signing_key,
    cert: *const gostkit_cert,
    label: *const c_char,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        let label = if label.is_null() {
            "certificate"
        } else {
            // SAFETY: caller contract above.
            unsafe { c_str(label, "label") }?
        };
        let tk = key
            .token_key()
            .ok_or_else(|| Failure::invalid_argument("the key is not a token key"))?;
        if !cert.0.matches_key(key.as_sign()) {
            return Err(Failure::new(gostkit_status::KeyMismatch, "the certificate does not hold the key's public key"));
        }
        tk.session().import_certificate(&cert.0, tk.id(), label)?;
        Ok(())
    }
}
