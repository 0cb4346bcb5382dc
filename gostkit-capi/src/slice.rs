//! C buffers to Rust slices: the input convention `(const uint8_t *ptr, size_t len)` and the ONE
//! output convention `(uint8_t *out, size_t *out_len)`.
//!
//! Input: `ptr` must point to `len` readable bytes; `ptr` may be NULL only when `len == 0` (an
//! empty input), otherwise NULL gives `GOSTKIT_STATUS_NULL_ARGUMENT`.
//!
//! Output: `*out_len` is the capacity of `out` on entry. If `out` is NULL or the capacity is
//! smaller than what the call produces, nothing is written to `out`, `*out_len` is set to the size
//! required and the call returns `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (so `out = NULL` is a size
//! query). On success `*out_len` is the number of bytes written. `out_len` itself must not be NULL.
//! Output buffers must not overlap any input buffer of the same call.

use core::ffi::{CStr, c_char};

use super::error::Failure;
use super::status::gostkit_status;

/// Borrows a caller's input buffer.
///
/// # Safety
/// Unless `ptr` is NULL, it must point to `len` initialised bytes that stay valid and unmodified
/// for `'a`.
pub(crate) unsafe fn input<'a>(
    ptr: *const u8,
    len: usize,
    name: &'static str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null_argument(name));
    }
    // SAFETY: `ptr` is non-NULL and, per this function's contract, valid for `len` bytes for 'a.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// A caller's output buffer under the `(out, out_len)` convention.
pub(crate) struct Output<'a> {
    buf: *mut u8,
    len: &'a mut usize,
}

impl<'a> Output<'a> {
    /// Wraps `(out, out_len)`; `out_len` must not be NULL, `out` may be (size query).
    ///
    /// # Safety
    /// `out_len`, if non-NULL, must point to a writable `size_t`; `out`, if non-NULL, must point to
    /// `*out_len` writable bytes; both valid for `'a` and not aliasing any input of the call.
    pub(crate) unsafe fn new(out: *mut u8, out_len: *mut usize) -> Result<Self, Failure> {
        if out_len.is_null() {
            return Err(Failure::null_argument("out_len"));
        }
        // SAFETY: non-NULL and valid for writes per the contract above.
        let len = unsafe { &mut *out_len };
        Ok(Self { buf: out, len })
    }

    /// Checks that `needed` bytes fit: on success returns the first `needed` bytes of the buffer
    /// and sets `*out_len = needed`; otherwise sets `*out_len = needed` and fails with
    /// `BUFFER_TOO_SMALL`. Call it before doing irreversible work (e.g. finishing a hash).
    pub(crate) fn reserve(self, needed: usize) -> Result<&'a mut [u8], Failure> {
        let capacity = *self.len;
        *self.len = needed;
        if self.buf.is_null() || capacity < needed {
            return Err(Failure::new(
                gostkit_status::BufferTooSmall,
                format!("output buffer needs {needed} bytes, capacity {capacity}"),
            ));
        }
        // SAFETY: `buf` is non-NULL and valid for `capacity >= needed` writable bytes that alias
        // no input (contract of `new`).
        Ok(unsafe { core::slice::from_raw_parts_mut(self.buf, needed) })
    }

    /// Writes `bytes` (all of them) under the convention.
    #[allow(dead_code)] // for outputs known only after the work (MAC, KDF, cipher surfaces)
    pub(crate) fn write(self, bytes: &[u8]) -> Result<(), Failure> {
        self.reserve(bytes.len())?.copy_from_slice(bytes);
        Ok(())
    }
}

/// Borrows a NUL-terminated UTF-8 argument; NULL gives `GOSTKIT_STATUS_NULL_ARGUMENT`, other
/// bytes than UTF-8 `GOSTKIT_STATUS_INVALID_ARGUMENT` naming the argument.
///
/// # Safety
/// `p`, if non-NULL, must point to a NUL-terminated string valid for the call.
pub(crate) unsafe fn c_str<'a>(p: *const c_char, name: &'static str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::null_argument(name));
    }
    // SAFETY: non-NULL and NUL-terminated per the contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| Failure::invalid_argument(format!("{name} is not UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_convention() {
        let mut cap = 3usize;
        let mut buf = [0u8; 3];
        // SAFETY: pointers to live locals with the stated sizes.
        let o = unsafe { Output::new(buf.as_mut_ptr(), &mut cap) }.unwrap();
        let e = o.write(&[1, 2, 3, 4]).unwrap_err();
        assert_eq!(e.status, gostkit_status::BufferTooSmall);
        assert_eq!(cap, 4);
        assert_eq!(buf, [0, 0, 0]);
        // SAFETY: as above; NULL `out` is a size query.
        let o = unsafe { Output::new(core::ptr::null_mut(), &mut cap) }.unwrap();
        assert!(o.write(&[1]).is_err());
        assert_eq!(cap, 1);
        let mut cap = 3usize;
        // SAFETY: as above.
        let o = unsafe { Output::new(buf.as_mut_ptr(), &mut cap) }.unwrap();
        o.write(&[7, 8]).unwrap();
        assert_eq!((cap, buf), (2, [7, 8, 0]));
        // SAFETY: NULL out_len is rejected before any dereference.
        let e = unsafe { Output::new(buf.as_mut_ptr(), core::ptr::null_mut()) }.err();
        assert_eq!(e.map(|e| e.status), Some(gostkit_status::NullArgument));
    }

    #[test]
    fn empty_input_may_be_null() {
        // SAFETY: len 0 never dereferences.
        assert_eq!(
            unsafe { input(core::ptr::null(), 0, "d") }.unwrap(),
            &[] as &[u8]
        );
        // SAFETY: NULL with len > 0 is rejected before any dereference.
        assert!(unsafe { input(core::ptr::null(), 1, "d") }.is_err());
    }
}
