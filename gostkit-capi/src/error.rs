//! The failure type of the C ABI and the thread-local last-error message.
//!
//! Every status-returning call clears the message on entry and, when it fails, stores one line
//! naming what failed (never secret material). `gostkit_last_error()` reads it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ffi::{CString, c_char};

use super::status::gostkit_status;
use gk::CryptoError;

/// Why an exported function failed: the status to return and the detail for `gostkit_last_error`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: gostkit_status,
    pub(crate) detail: Cow<'static, str>,
}

impl Failure {
    /// A failure with a status and a detail message.
    pub(crate) fn new(status: gostkit_status, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            detail: detail.into(),
        }
    }

    /// A NULL pointer was passed for the argument named `arg`.
    pub(crate) fn null_argument(arg: &'static str) -> Self {
        Self::new(
            gostkit_status::NullArgument,
            format!("argument `{arg}` is NULL"),
        )
    }

    /// An argument value outside its allowed set.
    pub(crate) fn invalid_argument(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(gostkit_status::InvalidArgument, detail)
    }
}

impl From<gk::ec::EcError> for Failure {
    fn from(e: gk::ec::EcError) -> Self {
        Self::new(gostkit_status::from(&e), e.to_string())
    }
}

impl From<gk::asn1::Asn1Error> for Failure {
    fn from(e: gk::asn1::Asn1Error) -> Self {
        Self::new(gostkit_status::from(&e), e.to_string())
    }
}

impl From<gk::x509::X509Error> for Failure {
    fn from(e: gk::x509::X509Error) -> Self {
        Self::new(gostkit_status::from(&e), e.to_string())
    }
}

impl From<gk::cms::CmsError> for Failure {
    fn from(e: gk::cms::CmsError) -> Self {
        Self::new(gostkit_status::from(&e), e.to_string())
    }
}

impl From<gk::x509::ocsp::OcspError> for Failure {
    fn from(e: gk::x509::ocsp::OcspError) -> Self {
        Self::new(gostkit_status::from(e.kind()), e.to_string())
    }
}

impl From<gk::x509::path::PathError> for Failure {
    fn from(e: gk::x509::path::PathError) -> Self {
        Self::new(gostkit_status::from(&e.kind), e.to_string())
    }
}

impl From<gk::container::ContainerError> for Failure {
    fn from(e: gk::container::ContainerError) -> Self {
        Self::new(gostkit_status::from(&e), e.to_string())
    }
}

impl From<gk::pkcs11::Pkcs11Error> for Failure {
    fn from(e: gk::pkcs11::Pkcs11Error) -> Self {
        Self::new(gostkit_status::from(&e), e.to_string())
    }
}

impl From<CryptoError> for Failure {
    fn from(e: CryptoError) -> Self {
        Self::new(gostkit_status::from(&e), e.to_string())
    }
}

/// The result type of every exported function's body.
pub(crate) type FfiResult = Result<(), Failure>;

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

/// Stores `msg` as this thread's last error (interior NULs are replaced).
pub(crate) fn set_last_error(msg: &str) {
    let c = CString::new(msg.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|slot| *slot.borrow_mut() = Some(c));
}

/// Clears this thread's last error.
pub(crate) fn clear_last_error() {
    LAST_ERROR.with(|slot| *slot.borrow_mut() = None);
}

/// The message of the last failed `gostkit_*` call on the calling thread, or "" when the last
/// status-returning call on this thread succeeded (or none was made).
///
/// Ownership: the string belongs to the library and stays valid until the next `gostkit_*` call
/// that returns a `gostkit_status` on the same thread; copy it if you need it longer. Do not
/// free it. Never returns NULL.
#[unsafe(no_mangle)]
pub extern "C" fn gostkit_last_error() -> *const c_char {
    LAST_ERROR.with(|slot| match slot.borrow().as_ref() {
        Some(s) => s.as_ptr(),
        None => c"".as_ptr(),
    })
}
