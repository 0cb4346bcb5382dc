//! Key derivation over the C ABI: KDF_GOSTR3411_2012_256 and KDF_TREE_GOSTR3411_2012_256
//! (RFC 7836 §4.5, §4.4, R 50.1.113-2016) and PBKDF2 with HMAC-Streebog-512 (RFC 9337,
//! R 50.1.111-2016).

use super::panic::ffi_status;
use super::slice::{Output, input};
use super::status::gostkit_status;
use gk::kdf::{kdf_gostr3411_2012_256, kdf_tree_gostr3411_2012_256, pbkdf2_streebog512};

/// KDF_GOSTR3411_2012_256 (RFC 7836 §4.5): the 32-byte
/// `HMAC_GOSTR3411_2012_256(key, 0x01 | label | 0x00 | seed | 0x01 | 0x00)`.
///
/// Output: 32 bytes under the output convention (NULL `out` or short capacity gives
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with 32 in `*out_len`).
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `out_len` or a NULL input with a non-zero
/// length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// Each input pointer must point to its length of readable bytes (or be NULL when that length is
/// 0); `out` to `*out_len` writable bytes (or NULL), not overlapping the inputs; `out_len` to a
/// writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_kdf_256(
    key: *const u8,
    key_len: usize,
    label: *const u8,
    label_len: usize,
    seed: *const u8,
    seed_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above (all four calls).
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let label = unsafe { input(label, label_len, "label") }?;
        // SAFETY: as above.
        let seed = unsafe { input(seed, seed_len, "seed") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(32)?;
        let k = kdf_gostr3411_2012_256(key, label, seed);
        dst.copy_from_slice(&k[..]);
        Ok(())
    }
}

/// KDF_TREE_GOSTR3411_2012_256 (RFC 7836 §4.4): `length` bytes `K(1) | K(2) | ...` with an
/// `r`-byte counter (1..=4).
///
/// Output: `length` bytes under the output convention (NULL `out` or a capacity below `length`
/// gives `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with `length` in `*out_len`).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` when `r` is not 1..=4, `length` is 0 or too large
/// for the counter; `GOSTKIT_STATUS_NULL_ARGUMENT` as for `gostkit_kdf_256`.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// As `gostkit_kdf_256`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_kdf_tree_256(
    key: *const u8,
    key_len: usize,
    label: *const u8,
    label_len: usize,
    seed: *const u8,
    seed_len: usize,
    r: usize,
    length: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above (all four calls).
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let label = unsafe { input(label, label_len, "label") }?;
        // SAFETY: as above.
        let seed = unsafe { input(seed, seed_len, "seed") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(length)?;
        kdf_tree_gostr3411_2012_256(key, label, seed, r, dst)?;
        Ok(())
    }
}

/// PBKDF2 (RFC 8018) with HMAC_GOSTR3411_2012_512 (RFC 9337): `length` bytes from `password`,
/// `salt` and `iterations` (≥ 1).
///
/// Output: `length` bytes under the output convention (NULL `out` or a capacity below `length`
/// gives `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with `length` in `*out_len`; nothing is computed).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` when `iterations` or `length` is 0;
/// `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `out_len` or a NULL input with a non-zero length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// `password`/`salt` must point to their length of readable bytes (or be NULL when 0); `out` to
/// `*out_len` writable bytes (or NULL), not overlapping the inputs; `out_len` to a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_pbkdf2_streebog512(
    password: *const u8,
    password_len: usize,
    salt: *const u8,
    salt_len: usize,
    iterations: u32,
    length: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let password = unsafe { input(password, password_len, "password") }?;
        // SAFETY: as above.
        let salt = unsafe { input(salt, salt_len, "salt") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(length)?;
        pbkdf2_streebog512(password, salt, iterations, dst)?;
        Ok(())
    }
}

/// `gostkit_pbkdf2_streebog512` into a library-allocated buffer of `length` bytes (zeroized
/// when freed: it is key material).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_buffer_free`); on failure
/// `*out` is NULL; inputs stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` when `iterations` or `length` is 0 (or `length`
/// above the PBKDF2 limit); `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `password`/`salt` must point to their length of readable bytes (or be NULL when 0); `out`
/// to a writable `gostkit_buffer *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_pbkdf2_streebog512_buf(
    password: *const u8,
    password_len: usize,
    salt: *const u8,
    salt_len: usize,
    iterations: u32,
    length: usize,
    out: *mut *mut super::buffer::gostkit_buffer,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: `out` NULL or writable per the caller contract.
        unsafe { super::buffer::clear_out(out) };
        super::panic::check_null!(out);
        // SAFETY: caller contract above.
        let password = unsafe { input(password, password_len, "password") }?;
        // SAFETY: as above.
        let salt = unsafe { input(salt, salt_len, "salt") }?;
        if length > (1 << 20) {
            return Err(super::error::Failure::invalid_argument("PBKDF2 output above 1 MiB"));
        }
        let mut dk = vec![0u8; length];
        pbkdf2_streebog512(password, salt, iterations, &mut dk)?;
        // SAFETY: `out` is non-NULL and writable.
        unsafe { super::buffer::buffer_out(dk, out) }
    }
}
