//! Opaque handles: a C caller holds a `gostkit_foo *` that is really a `Box<gostkit_foo>`. These
//! helpers are the only place where handle pointers are cast, created or destroyed.
//!
//! A handle type is a plain Rust struct named `gostkit_foo` (not `#[repr(C)]`, so cbindgen emits
//! it as an opaque `typedef struct gostkit_foo gostkit_foo;`) that implements [`BoxHandle`].
//! `gostkit_foo_new(..., gostkit_foo **out)` stores a fresh handle with [`BoxHandle::into_out`];
//! other calls borrow it with [`BoxHandle::borrow_mut`]/[`BoxHandle::borrow`];
//! `gostkit_foo_free(gostkit_foo *)` calls [`BoxHandle::free`] (NULL is a no-op).

use super::error::Failure;

/// A type handed to C as an owned, boxed, opaque handle.
pub(crate) trait BoxHandle: Sized {
    /// Moves `self` to the heap and stores the handle in `*out`.
    ///
    /// # Safety
    /// `out`, if non-NULL, must point to a writable `gostkit_foo *`.
    unsafe fn into_out(self, out: *mut *mut Self) -> Result<(), Failure> {
        if out.is_null() {
            return Err(Failure::null_argument("out"));
        }
        let raw = Box::into_raw(Box::new(self));
        // SAFETY: `out` is non-NULL and writable per the contract.
        unsafe { out.write(raw) };
        Ok(())
    }

    /// Borrows a live handle mutably; NULL gives `NULL_ARGUMENT`.
    ///
    /// # Safety
    /// `ptr`, if non-NULL, must come from [`BoxHandle::into_out`] of this type, not yet freed,
    /// and not used by any other thread or borrow during `'a`.
    unsafe fn borrow_mut<'a>(ptr: *mut Self, name: &'static str) -> Result<&'a mut Self, Failure> {
        // SAFETY: per the contract, a non-NULL `ptr` is a live, exclusively used Box allocation.
        unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null_argument(name))
    }

    /// Borrows a live handle shared; NULL gives `NULL_ARGUMENT`.
    ///
    /// # Safety
    /// As [`BoxHandle::borrow_mut`], except that other shared borrows may coexist.
    unsafe fn borrow<'a>(ptr: *const Self, name: &'static str) -> Result<&'a Self, Failure> {
        // SAFETY: per the contract, a non-NULL `ptr` is a live Box allocation not mutated in 'a.
        unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null_argument(name))
    }

    /// Destroys a handle (running its `Drop`, which zeroizes secrets); NULL is a no-op.
    ///
    /// # Safety
    /// `ptr`, if non-NULL, must come from [`BoxHandle::into_out`] of this type and not be used
    /// again afterwards.
    unsafe fn free(ptr: *mut Self) {
        if !ptr.is_null() {
            // SAFETY: per the contract, `ptr` is the unique owner of a Box allocation.
            drop(unsafe { Box::from_raw(ptr) });
        }
    }
}
