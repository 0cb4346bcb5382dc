//! Output formats of the writers of certificates, requests and keys (`gostkit_format`): DER or
//! PEM (RFC 7468: 64-character lines, LF line ends, a final LF).
//!
//! PEM output is **not** NUL-terminated: like DER it is written under the output convention and
//! `*out_len` is the exact number of bytes (ending in `\n`), so the same code writes either format
//! to a file. Copy it into a buffer one byte longer to use it as a C string.

use zeroize::Zeroizing;

use super::ec::{gostkit_signing_key, gostkit_verifying_key};
use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::ffi_status;
use super::slice::{Output, input};
use super::status::gostkit_status;
use super::x509::gostkit_cert;
use gk::asn1::GostPrivateKey;

/// Output format of certificates, requests and keys (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_format {
    /// Binary DER.
    Der = 0,
    /// PEM text (RFC 7468), not NUL-terminated; `*out_len` counts the bytes up to the final LF.
    Pem = 1,
}

/// Reads a `gostkit_format` argument.
pub(crate) fn format_arg(v: u32) -> Result<gostkit_format, Failure> {
    match v {
        0 => Ok(gostkit_format::Der),
        1 => Ok(gostkit_format::Pem),
        _ => Err(Failure::invalid_argument(format!(
            "unknown gostkit_format {v}"
        ))),
    }
}

/// `der` in `format`, PEM with `label`; zeroized on drop (it may hold a private key).
pub(crate) fn encode(
    format: u32,
    label: &'static str,
    der: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    Ok(match format_arg(format)? {
        gostkit_format::Der => Zeroizing::new(der.to_vec()),
        gostkit_format::Pem => {
            let pem = gk::asn1::pem::encode_pem(label, der)?;
            Zeroizing::new(pem.as_bytes().to_vec())
        }
    })
}

/// Writes the certificate in `format` (a `gostkit_format`: DER as read, or PEM `CERTIFICATE`)
/// under the output convention.
///
/// Ownership: `cert` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown format), `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `cert` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cert_encode(
    cert: *const gostkit_cert,
    format: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let cert = unsafe { gostkit_cert::borrow(cert, "cert") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        out.write(&encode(format, gk::x509::cert::CERTIFICATE_LABEL, cert.0.der())?)
    }
}

/// Writes the key as unencrypted PKCS#8 (RFC 9215 form) in `format` (a `gostkit_format`: DER,
/// or PEM `PRIVATE KEY`) under the output convention.
///
/// Ownership: `key` stays the caller's; the bytes in `out` hold the secret key (wipe them).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown format), `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_to_pkcs8(
    key: *const gostkit_signing_key,
    format: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let der = GostPrivateKey::from_signing_key(&key.0)?.to_der()?;
        out.write(&encode(format, gk::asn1::pkcs8::PRIVATE_KEY_LABEL, &der)?)
    }
}

/// Writes the key as password-protected PKCS#8 (PBES2: PBKDF2-HMAC-Streebog-512 with
/// `iterations` rounds (0 = 2000), Kuznyechik CTR-ACPKM) in `format` (a `gostkit_format`: DER
/// EncryptedPrivateKeyInfo, or PEM `ENCRYPTED PRIVATE KEY`) under the output convention. Each
/// call uses a fresh salt and IV; a size query does the work once.
///
/// Ownership: `key` and `password` stay the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown format), `_UNSUPPORTED` (iterations above
/// 10 000 000), `_BUFFER_TOO_SMALL`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `key` a live handle; `password` `password_len` readable bytes; `out` `*out_len` writable
/// bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_to_encrypted_pkcs8_as(
    key: *const gostkit_signing_key,
    password: *const u8,
    password_len: usize,
    iterations: u32,
    format: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let pw = unsafe { input(password, password_len, "password") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        format_arg(format)?;
        let iterations = if iterations == 0 { gk::asn1::pbes2::DEFAULT_ITERATIONS } else { iterations };
        let pk = GostPrivateKey::from_signing_key(&key.0)?;
        let der = gk::asn1::pbes2::encrypt_pkcs8(
            &pk,
            pw,
            gk::asn1::pbes2::KeyCipher::Kuznyechik,
            iterations,
        )?;
        out.write(&encode(format, gk::asn1::pbes2::ENCRYPTED_LABEL, &der)?)
    }
}

/// Writes the public key as a SubjectPublicKeyInfo (RFC 9215 / RFC 4491) in `format` (a
/// `gostkit_format`: DER, or PEM `PUBLIC KEY`) under the output convention.
///
/// Ownership: `key` stays the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown format), `_BUFFER_TOO_SMALL`,
/// `_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_to_spki(
    key: *const gostkit_verifying_key,
    format: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_verifying_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let der = gk::asn1::GostPublicKey::from_verifying_key(&key.0)?.to_der()?;
        out.write(&encode(format, "PUBLIC KEY", &der)?)
    }
}
