//! MGM authenticated encryption (RFC 9058, R 1323565.1.026-2019) with Kuznyechik or Magma over
//! the C ABI. Opening checks the tag (constant time) before any plaintext is released.

use zeroize::Zeroizing;

use super::cipher::{Cipher, with_cipher};
use super::panic::ffi_status;
use super::slice::{Output, input};
use super::status::gostkit_status;
use gk::cipher::BlockCipher;
use gk::cipher::mgm::{mgm_open, mgm_seal};

/// MGM encryption (RFC 9058 §4.1) of `in[0..in_len]` with associated data `aad[0..aad_len]`
/// under `cipher` (a `gostkit_cipher`) and the 32-byte `key`. `nonce` is one block (16 bytes
/// Kuznyechik, 8 Magma) with its most significant bit clear; `tag_len` is 4..=block length.
/// `aad` and `in` may not both be empty.
///
/// Outputs (both under the output convention, checked together before any work): the
/// ciphertext, `in_len` bytes, in `out`/`*out_len`; the tag, `tag_len` bytes, in `tag`/`*tag_len`.
/// If either buffer is NULL or short, `GOSTKIT_STATUS_BUFFER_TOO_SMALL` is returned and both
/// `*out_len` and `*tag_len` hold the sizes required.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `cipher` or a bad `tag_len`;
/// `GOSTKIT_STATUS_INVALID_LENGTH` for a bad key or nonce length (or both inputs empty, or over
/// the limit); `GOSTKIT_STATUS_NULL_ARGUMENT` for NULL `out_len`/`tag_len` or a NULL input with a
/// non-zero length. On failure `out` and `tag` are not written.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// `key`, `nonce`, `aad`, `in` must point to their length of readable bytes (or be NULL when it
/// is 0); `out`/`tag` to `*out_len`/`*tag_len` writable bytes (or NULL), overlapping neither each
/// other nor any input; `out_len`/`tag_len` to writable `size_t`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_mgm_seal(
    cipher: u32,
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    aad: *const u8,
    aad_len: usize,
    in_: *const u8,
    in_len: usize,
    tag_len: usize,
    out: *mut u8,
    out_len: *mut usize,
    tag: *mut u8,
    tag_len_out: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let cipher = Cipher::from_u32(cipher)?;
        // SAFETY: caller contract above (all calls).
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let nonce = unsafe { input(nonce, nonce_len, "nonce") }?;
        // SAFETY: as above.
        let aad = unsafe { input(aad, aad_len, "aad") }?;
        // SAFETY: as above.
        let data = unsafe { input(in_, in_len, "in") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        // SAFETY: as above.
        let tag_out = unsafe { Output::new(tag, tag_len_out) }?;
        let ct_dst = out.reserve(data.len());
        let tag_dst = tag_out.reserve(tag_len);
        let (ct_dst, tag_dst) = (ct_dst?, tag_dst?);
        let mut buf = Zeroizing::new(data.to_vec());
        let t = with_cipher!(cipher, C => {
            let c = C::new(key)?;
            mgm_seal::<C>(&c, nonce, aad, &mut buf, tag_len)
        })?;
        ct_dst.copy_from_slice(&buf);
        tag_dst.copy_from_slice(&t);
        Ok(())
    }
}

/// MGM decryption (RFC 9058 §4.2) of `in[0..in_len]` with `aad` and the tag
/// `tag[0..tag_len]` (4..=block length bytes); arguments as for `gostkit_mgm_seal`. The tag is
/// verified in constant time first; on a mismatch the call returns `GOSTKIT_STATUS_AUTH_FAILED`
/// and writes NO plaintext (`out` is left as it was).
///
/// Output: the plaintext, `in_len` bytes, under the output convention (NULL `out` or a short
/// capacity gives `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with `in_len` in `*out_len`).
///
/// Errors: `GOSTKIT_STATUS_AUTH_FAILED` for a wrong tag (or key, nonce, aad, ciphertext);
/// others as `gostkit_mgm_seal` (a bad `tag_len` gives `GOSTKIT_STATUS_INVALID_ARGUMENT`).
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// As `gostkit_mgm_seal`, with `tag` an input of `tag_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_mgm_open(
    cipher: u32,
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    aad: *const u8,
    aad_len: usize,
    in_: *const u8,
    in_len: usize,
    tag: *const u8,
    tag_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let cipher = Cipher::from_u32(cipher)?;
        // SAFETY: caller contract above (all calls).
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let nonce = unsafe { input(nonce, nonce_len, "nonce") }?;
        // SAFETY: as above.
        let aad = unsafe { input(aad, aad_len, "aad") }?;
        // SAFETY: as above.
        let data = unsafe { input(in_, in_len, "in") }?;
        // SAFETY: as above.
        let tag = unsafe { input(tag, tag_len, "tag") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(data.len())?;
        let mut buf = Zeroizing::new(data.to_vec());
        with_cipher!(cipher, C => {
            let c = C::new(key)?;
            mgm_open::<C>(&c, nonce, aad, &mut buf, tag)
        })?;
        dst.copy_from_slice(&buf);
        Ok(())
    }
}
