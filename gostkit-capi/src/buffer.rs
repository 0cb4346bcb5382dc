//! Library-allocated output: a byte-buffer handle beside the caller-buffer convention of
//! `slice::Output`, for producers whose size is known only after the work (signing,
//! encryption, decryption, PFX): the `_buf` variants do the work once instead of a size query
//! followed by a second, different run.
//!
//! Ownership: a `gostkit_buffer *` returned through an out pointer belongs to the caller, who
//! frees it with `gostkit_buffer_free` (NULL is a no-op). `gostkit_buffer_data` points into
//! the handle: valid, unchanged, until the handle is freed; the caller must not write through it
//! or free it. The bytes are zeroized when the buffer is freed (it may hold a decrypted
//! content).

use super::error::Failure;
use super::handle::BoxHandle;
use zeroize::Zeroizing;

/// Bytes the library produced (opaque): read with `gostkit_buffer_data` / `gostkit_buffer_len`,
/// free with `gostkit_buffer_free` (which zeroizes them).
pub struct gostkit_buffer(Zeroizing<Vec<u8>>);
impl BoxHandle for gostkit_buffer {}

/// Stores `bytes` as a new buffer handle in `*out`.
///
/// # Safety
/// `out`, if non-NULL, must point to a writable `gostkit_buffer *`.
pub(crate) unsafe fn buffer_out(
    bytes: Vec<u8>,
    out: *mut *mut gostkit_buffer,
) -> Result<(), Failure> {
    // SAFETY: passed on from this function's contract.
    unsafe { gostkit_buffer(Zeroizing::new(bytes)).into_out(out) }
}

/// Sets `*out` to NULL when `out` is non-NULL, so a failed `_buf` call leaves no stale pointer.
///
/// # Safety
/// `out`, if non-NULL, must point to a writable `gostkit_buffer *`.
pub(crate) unsafe fn clear_out<T>(out: *mut *mut T) {
    if !out.is_null() {
        // SAFETY: non-NULL and writable per this function's contract.
        unsafe { out.write(core::ptr::null_mut()) };
    }
}

/// The first byte of the buffer (never NULL for a live handle; not dereferenceable when the
/// length is 0); NULL when `buf` is NULL.
///
/// Ownership: the bytes belong to `buf`: valid until `gostkit_buffer_free(buf)`, read-only.
///
/// # Safety
/// `buf` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_buffer_data(buf: *const gostkit_buffer) -> *const u8 {
    super::panic::ffi_value!(core::ptr::null(), {
        // SAFETY: caller contract above.
        match unsafe { gostkit_buffer::borrow(buf, "buf") } {
            Ok(b) => b.0.as_ptr(),
            Err(_) => core::ptr::null(),
        }
    })
}

/// The number of bytes in the buffer; 0 when `buf` is NULL.
///
/// # Safety
/// `buf` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_buffer_len(buf: *const gostkit_buffer) -> usize {
    super::panic::ffi_value!(0, {
        // SAFETY: caller contract above.
        unsafe { gostkit_buffer::borrow(buf, "buf") }.map_or(0, |b| b.0.len())
    })
}

/// Zeroizes and frees a buffer; NULL is a no-op.
///
/// # Safety
/// `buf` NULL or a live handle, not used (nor its data pointer) afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_buffer_free(buf: *mut gostkit_buffer) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_buffer::free(buf) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_round_trip() {
        let mut p: *mut gostkit_buffer = core::ptr::null_mut();
        // SAFETY: `p` is a writable local.
        unsafe { buffer_out(vec![1, 2, 3], &mut p) }.unwrap();
        // SAFETY: `p` is a live handle from `buffer_out`; freed once at the end.
        unsafe {
            assert_eq!(gostkit_buffer_len(p), 3);
            assert_eq!(
                core::slice::from_raw_parts(gostkit_buffer_data(p), 3),
                [1, 2, 3]
            );
            gostkit_buffer_free(p);
            assert_eq!(gostkit_buffer_len(core::ptr::null()), 0);
            assert!(gostkit_buffer_data(core::ptr::null()).is_null());
            gostkit_buffer_free(core::ptr::null_mut());
        }
    }
}
