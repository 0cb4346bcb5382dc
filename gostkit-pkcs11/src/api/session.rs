//! Session management (PKCS#11 v2.40 §5.6): open, close, information, login, logout.

use core::ffi::c_void;

use cryptoki_sys::*;

use super::with;
use crate::boundary::{input, p11, write_out};

/// `C_OpenSession`: `CKF_SERIAL_SESSION` is required; notification callbacks are never made.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_OpenSession(
    slotID: CK_SLOT_ID,
    flags: CK_FLAGS,
    _pApplication: *mut c_void,
    _Notify: CK_NOTIFY,
    phSession: *mut CK_SESSION_HANDLE,
) -> CK_RV {
    p11! {
        if phSession.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let h = with(|m| m.open_session(slotID, flags))?;
        // SAFETY: `phSession` is non-NULL and writable per the contract.
        unsafe { write_out(phSession, h) }
    }
}

/// `C_CloseSession`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_CloseSession(hSession: CK_SESSION_HANDLE) -> CK_RV {
    p11! { with(|m| m.close_session(hSession)) }
}

/// `C_CloseAllSessions`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_CloseAllSessions(slotID: CK_SLOT_ID) -> CK_RV {
    p11! { with(|m| m.close_all(slotID)) }
}

/// `C_GetSessionInfo`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetSessionInfo(
    hSession: CK_SESSION_HANDLE,
    pInfo: *mut CK_SESSION_INFO,
) -> CK_RV {
    p11! {
        let info = with(|m| m.session_info(hSession))?;
        // SAFETY: `pInfo` is NULL (refused) or writable per the contract.
        unsafe { write_out(pInfo, info) }
    }
}

/// `C_Login` as `CKU_USER` or `CKU_SO` (wrong PIN: `CKR_PIN_INCORRECT`; after
/// [`MAX_PIN_TRIES`](crate::token::MAX_PIN_TRIES) in a row: `CKR_PIN_LOCKED`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_Login(
    hSession: CK_SESSION_HANDLE,
    userType: CK_USER_TYPE,
    pPin: *mut CK_UTF8CHAR,
    ulPinLen: CK_ULONG,
) -> CK_RV {
    p11! {
        if pPin.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        // SAFETY: per the contract `pPin` holds `ulPinLen` bytes.
        let pin = unsafe { input(pPin, ulPinLen) }?;
        with(|m| m.login(hSession, userType, pin))
    }
}

/// `C_Logout`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_Logout(hSession: CK_SESSION_HANDLE) -> CK_RV {
    p11! { with(|m| m.logout(hSession)) }
}
