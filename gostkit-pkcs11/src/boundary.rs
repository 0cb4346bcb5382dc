//! The panic boundary and the pointer plumbing of the C functions: every `extern "C"` body runs
//! inside `p11!` (around [`boundary`]), so a panic never unwinds into C (it becomes `CKR_GENERAL_ERROR`), and the few
//! helpers here are the only places where caller pointers become Rust references or slices.
//!
//! Conventions (PKCS#11 v2.40 §5.2 and §11): a NULL pointer where one is required gives
//! `CKR_ARGUMENTS_BAD`; an input buffer `(p, len)` may be NULL only when `len == 0`; output
//! buffers follow [`Output`] (NULL buffer → length query, short buffer → `CKR_BUFFER_TOO_SMALL`
//! with the length needed).

use cryptoki_sys::{
    CK_ATTRIBUTE, CK_RV, CK_ULONG, CKR_ARGUMENTS_BAD, CKR_BUFFER_TOO_SMALL, CKR_GENERAL_ERROR,
    CKR_OK,
};

/// The result of the body of an exported function: `Err` carries the `CKR_` code.
pub type P11Result<T = ()> = Result<T, CK_RV>;

/// Runs `body` behind `catch_unwind`: `Ok` gives `CKR_OK`, `Err(rv)` gives `rv`, a panic gives
/// `CKR_GENERAL_ERROR`.
pub fn boundary(body: impl FnOnce() -> P11Result) -> CK_RV {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(())) => CKR_OK,
        Ok(Err(rv)) => rv,
        Err(_) => CKR_GENERAL_ERROR,
    }
}

/// The body of an exported function: a block evaluating to [`P11Result`] (so `?` works).
macro_rules! p11 {
    ($($body:tt)*) => {
        $crate::boundary::boundary(|| -> $crate::boundary::P11Result { $($body)* })
    };
}
pub(crate) use p11;

/// Borrows a caller's input buffer.
///
/// # Safety
/// Unless `ptr` is NULL, it must point to `len` initialised bytes valid for `'a`.
pub unsafe fn input<'a>(ptr: *const u8, len: CK_ULONG) -> P11Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(CKR_ARGUMENTS_BAD);
    }
    let len = usize::try_from(len).map_err(|_| CKR_ARGUMENTS_BAD)?;
    // SAFETY: non-NULL and, per the contract, valid for `len` bytes during 'a.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Writes one value through an out-pointer; NULL gives `CKR_ARGUMENTS_BAD`.
///
/// # Safety
/// `ptr`, if non-NULL, must be valid for a write of `T`.
pub unsafe fn write_out<T>(ptr: *mut T, value: T) -> P11Result {
    if ptr.is_null() {
        return Err(CKR_ARGUMENTS_BAD);
    }
    // SAFETY: non-NULL and writable per the contract.
    unsafe { ptr.write(value) };
    Ok(())
}

/// Borrows a caller's struct (`CK_MECHANISM`, `CK_C_INITIALIZE_ARGS`, …); NULL gives
/// `CKR_ARGUMENTS_BAD`.
///
/// # Safety
/// `ptr`, if non-NULL, must point to a valid `T` for `'a`.
pub unsafe fn borrow<'a, T>(ptr: *const T) -> P11Result<&'a T> {
    // SAFETY: per the contract a non-NULL `ptr` is a valid `T`.
    unsafe { ptr.as_ref() }.ok_or(CKR_ARGUMENTS_BAD)
}

/// A caller's output buffer `(p, *pulLen)`: `*pulLen` is the capacity on entry and the length
/// produced (or needed) on exit.
pub struct Output<'a> {
    buf: *mut u8,
    len: &'a mut CK_ULONG,
}

/// What [`Output::reserve`] found.
pub enum Reserved<'a> {
    /// The buffer holds `needed` bytes: write them here.
    Room(&'a mut [u8]),
    /// `p` was NULL: `*pulLen` now says the size and the call succeeds without consuming state.
    SizeQuery,
}

impl<'a> Output<'a> {
    /// Wraps `(buf, len)`; `len` must not be NULL (`CKR_ARGUMENTS_BAD`), `buf` may be.
    ///
    /// # Safety
    /// `len`, if non-NULL, must point to a writable `CK_ULONG`; `buf`, if non-NULL, to `*len`
    /// writable bytes; both valid for `'a` and not aliasing any input of the call.
    pub unsafe fn new(buf: *mut u8, len: *mut CK_ULONG) -> P11Result<Self> {
        // SAFETY: per the contract a non-NULL `len` is writable for 'a.
        let len = unsafe { len.as_mut() }.ok_or(CKR_ARGUMENTS_BAD)?;
        Ok(Self { buf, len })
    }

    /// Sets `*pulLen = needed`; returns the first `needed` bytes of the buffer, or
    /// [`Reserved::SizeQuery`] for a NULL buffer, or `CKR_BUFFER_TOO_SMALL` for a short one.
    pub fn reserve(self, needed: usize) -> P11Result<Reserved<'a>> {
        let capacity = *self.len;
        let needed_ul = CK_ULONG::try_from(needed).map_err(|_| CKR_GENERAL_ERROR)?;
        *self.len = needed_ul;
        if self.buf.is_null() {
            return Ok(Reserved::SizeQuery);
        }
        if capacity < needed_ul {
            return Err(CKR_BUFFER_TOO_SMALL);
        }
        // SAFETY: `buf` is non-NULL and valid for `capacity >= needed` writable bytes that
        // alias no input (contract of `new`).
        Ok(Reserved::Room(unsafe {
            core::slice::from_raw_parts_mut(self.buf, needed)
        }))
    }

    /// Writes `bytes` under the convention (a NULL buffer is a size query).
    pub fn write(self, bytes: &[u8]) -> P11Result {
        if let Reserved::Room(out) = self.reserve(bytes.len())? {
            out.copy_from_slice(bytes);
        }
        Ok(())
    }
}

/// A caller's array of `CK_ULONG`-sized items `(p, *pulCount)` (slot and mechanism lists, object
/// handles): same convention as [`Output`], counted in items.
///
/// # Safety
/// `count` must be NULL or writable; `list`, if non-NULL, must hold `*count` writable items.
pub unsafe fn write_list<T: Copy>(list: *mut T, count: *mut CK_ULONG, items: &[T]) -> P11Result {
    // SAFETY: per the contract a non-NULL `count` is writable.
    let count = unsafe { count.as_mut() }.ok_or(CKR_ARGUMENTS_BAD)?;
    let capacity = *count;
    let n = CK_ULONG::try_from(items.len()).map_err(|_| CKR_GENERAL_ERROR)?;
    *count = n;
    if list.is_null() {
        return Ok(());
    }
    if capacity < n {
        return Err(CKR_BUFFER_TOO_SMALL);
    }
    // SAFETY: `list` is non-NULL and holds at least `capacity >= n` writable items.
    let out = unsafe { core::slice::from_raw_parts_mut(list, items.len()) };
    out.copy_from_slice(items);
    Ok(())
}

/// A template `(CK_ATTRIBUTE *p, count)` read into owned `(type, value)` pairs.
///
/// # Safety
/// `p`, if non-NULL, must point to `count` attributes whose `pValue` point to `ulValueLen`
/// readable bytes (or are NULL with length 0).
pub unsafe fn read_template(
    p: *const CK_ATTRIBUTE,
    count: CK_ULONG,
) -> P11Result<Vec<(CK_ULONG, Vec<u8>)>> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(CKR_ARGUMENTS_BAD);
    }
    let n = usize::try_from(count).map_err(|_| CKR_ARGUMENTS_BAD)?;
    // SAFETY: non-NULL and, per the contract, `count` attributes long.
    let attrs = unsafe { core::slice::from_raw_parts(p, n) };
    attrs
        .iter()
        .map(|a| {
            // SAFETY: per the contract `pValue` holds `ulValueLen` readable bytes.
            let v = unsafe { input(a.pValue.cast::<u8>(), a.ulValueLen) }?;
            Ok((a.type_, v.to_vec()))
        })
        .collect()
}

/// A template the caller wants filled (`C_GetAttributeValue`): the raw attribute array.
///
/// # Safety
/// `p`, if non-NULL, must point to `count` writable attributes valid for `'a`.
pub unsafe fn template_out<'a>(
    p: *mut CK_ATTRIBUTE,
    count: CK_ULONG,
) -> P11Result<&'a mut [CK_ATTRIBUTE]> {
    if count == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(CKR_ARGUMENTS_BAD);
    }
    let n = usize::try_from(count).map_err(|_| CKR_ARGUMENTS_BAD)?;
    // SAFETY: non-NULL and, per the contract, `count` writable attributes for 'a.
    Ok(unsafe { core::slice::from_raw_parts_mut(p, n) })
}

/// Copies `value` into the caller's attribute buffer, if it has room (PKCS#11 §5.7 rules):
/// NULL `pValue` → length only; short buffer → `CK_UNAVAILABLE_INFORMATION` and
/// `CKR_BUFFER_TOO_SMALL`.
///
/// # Safety
/// `a.pValue`, if non-NULL, must point to `a.ulValueLen` writable bytes.
pub unsafe fn fill_attribute(a: &mut CK_ATTRIBUTE, value: &[u8]) -> P11Result {
    let n = CK_ULONG::try_from(value.len()).map_err(|_| CKR_GENERAL_ERROR)?;
    if a.pValue.is_null() {
        a.ulValueLen = n;
        return Ok(());
    }
    if a.ulValueLen < n {
        a.ulValueLen = cryptoki_sys::CK_UNAVAILABLE_INFORMATION;
        return Err(CKR_BUFFER_TOO_SMALL);
    }
    // SAFETY: `pValue` is non-NULL with at least `ulValueLen >= n` writable bytes.
    let out = unsafe { core::slice::from_raw_parts_mut(a.pValue.cast::<u8>(), value.len()) };
    out.copy_from_slice(value);
    a.ulValueLen = n;
    Ok(())
}

/// Copies a Rust string into a blank-padded fixed PKCS#11 text field (truncating).
pub fn padded<const N: usize>(text: &str) -> [u8; N] {
    let mut out = [b' '; N];
    for (o, b) in out.iter_mut().zip(text.as_bytes()) {
        *o = *b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_becomes_general_error() {
        assert_eq!(boundary(|| panic!("boom")), CKR_GENERAL_ERROR);
        assert_eq!(boundary(|| Ok(())), CKR_OK);
        assert_eq!(boundary(|| Err(CKR_ARGUMENTS_BAD)), CKR_ARGUMENTS_BAD);
    }

    #[test]
    fn output_convention() {
        let mut len: CK_ULONG = 0;
        // SAFETY: `len` is a live local; the buffer is NULL.
        let o = unsafe { Output::new(core::ptr::null_mut(), &mut len) }.unwrap();
        assert!(matches!(o.reserve(64), Ok(Reserved::SizeQuery)));
        assert_eq!(len, 64);
        let mut buf = [0u8; 10];
        len = 10;
        // SAFETY: `buf` holds `len` bytes.
        let o = unsafe { Output::new(buf.as_mut_ptr(), &mut len) }.unwrap();
        assert_eq!(o.reserve(64).err(), Some(CKR_BUFFER_TOO_SMALL));
        assert_eq!(len, 64);
        // SAFETY: NULL length pointer is refused before any use.
        let r = unsafe { Output::new(buf.as_mut_ptr(), core::ptr::null_mut()) };
        assert_eq!(r.err(), Some(CKR_ARGUMENTS_BAD));
        assert_eq!(
            // SAFETY: NULL with a nonzero length is refused before any read.
            unsafe { input(core::ptr::null(), 3) }.err(),
            Some(CKR_ARGUMENTS_BAD)
        );
        assert_eq!(padded::<4>("ab"), *b"ab  ");
        assert_eq!(padded::<2>("abc"), *b"ab");
    }
}
