//! The panic boundary: every `extern "C"` body runs inside [`ffi_status!`] (or
//! [`ffi_value!`] for the few functions that return a value instead of a status), so a panic
//! never unwinds into C; it becomes `GOSTKIT_STATUS_PANIC` (or the fallback value).

use std::any::Any;

use super::error::{Failure, clear_last_error, set_last_error};
use super::status::gostkit_status;

/// Runs `body` (the whole of an exported function returning a status) behind `catch_unwind`:
/// clears the last error, maps `Err(Failure)` to its status and records its message, and maps a
/// panic to `GOSTKIT_STATUS_PANIC`.
pub(crate) fn status_boundary(body: impl FnOnce() -> Result<(), Failure>) -> gostkit_status {
    clear_last_error();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(())) => gostkit_status::Ok,
        Ok(Err(f)) => {
            set_last_error(&f.detail);
            f.status
        }
        Err(payload) => {
            set_last_error(&format!("panic: {}", panic_text(payload.as_ref())));
            gostkit_status::Panic
        }
    }
}

/// Runs `body` behind `catch_unwind`, returning `fallback` if it panics (for functions that
/// return a pointer or a flag rather than a status).
pub(crate) fn value_boundary<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn panic_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "unknown payload"
    }
}

/// The body of an exported function that returns `gostkit_status`: a block evaluating to
/// `Result<(), Failure>` (so `?` works inside it).
macro_rules! ffi_status {
    ($($body:tt)*) => {
        $crate::panic::status_boundary(|| -> $crate::error::FfiResult { $($body)* })
    };
}

/// The body of an exported function that returns a value: `ffi_value!(fallback, { body })`.
macro_rules! ffi_value {
    ($fallback:expr, $($body:tt)*) => {
        $crate::panic::value_boundary($fallback, || { $($body)* })
    };
}

/// Returns `Err(Failure::null_argument(..))` from the enclosing body when `$ptr` is NULL.
macro_rules! check_null {
    ($($ptr:ident),+ $(,)?) => {
        $(
            if $ptr.is_null() {
                return Err($crate::error::Failure::null_argument(stringify!($ptr)));
            }
        )+
    };
}

pub(crate) use {check_null, ffi_status, ffi_value};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_becomes_status() {
        let s = status_boundary(|| panic!("boom"));
        assert_eq!(s, gostkit_status::Panic);
        // SAFETY: gostkit_last_error never returns NULL and the string lives until the next call.
        let msg = unsafe { std::ffi::CStr::from_ptr(crate::error::gostkit_last_error()) };
        assert!(msg.to_str().unwrap().contains("boom"));
        assert_eq!(status_boundary(|| Ok(())), gostkit_status::Ok);
        // SAFETY: gostkit_last_error never returns NULL and the string lives until the next call.
        let msg = unsafe { std::ffi::CStr::from_ptr(crate::error::gostkit_last_error()) };
        assert!(msg.to_bytes().is_empty());
        assert_eq!(value_boundary(7, || panic!("x")), 7);
    }
}
