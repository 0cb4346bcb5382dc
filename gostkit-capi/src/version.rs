//! The library version, for C callers.

use core::ffi::{CStr, c_char};

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };

/// The gostkit version as a NUL-terminated string, e.g. "0.1.0".
///
/// Ownership: a static string owned by the library; do not free it. Never returns NULL.
#[unsafe(no_mangle)]
pub extern "C" fn gostkit_version() -> *const c_char {
    VERSION.as_ptr()
}
