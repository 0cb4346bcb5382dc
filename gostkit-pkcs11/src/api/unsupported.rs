//! The functions this token does not offer. Each returns `CKR_FUNCTION_NOT_SUPPORTED`
//! (`C_GetFunctionStatus` and `C_CancelFunction`: `CKR_FUNCTION_NOT_PARALLEL`, as v2.40 §5.16
//! prescribes for them): encryption and decryption, the dual-function updates, recovering
//! signatures, `C_DigestKey`, secret-key generation, wrapping, `C_CopyObject`, operation
//! states and slot events.

use core::ffi::c_void;

use cryptoki_sys::*;

use crate::boundary::p11;

macro_rules! not_supported {
    ($rv:expr; $($name:ident ( $($arg:ident : $ty:ty),* );)+) => {
        $(
            #[doc = concat!("`", stringify!($name), "`: not supported by this token.")]
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn $name($($arg: $ty),*) -> CK_RV {
                $(let _ = $arg;)*
                p11! { Err($rv) }
            }
        )+
    };
}

not_supported! { CKR_FUNCTION_NOT_SUPPORTED;
    C_GetOperationState(h: CK_SESSION_HANDLE, p: *mut CK_BYTE, l: *mut CK_ULONG);
    C_SetOperationState(h: CK_SESSION_HANDLE, p: *mut CK_BYTE, l: CK_ULONG, k1: CK_OBJECT_HANDLE, k2: CK_OBJECT_HANDLE);
    C_CopyObject(h: CK_SESSION_HANDLE, o: CK_OBJECT_HANDLE, t: *mut CK_ATTRIBUTE, n: CK_ULONG, ph: *mut CK_OBJECT_HANDLE);
    C_EncryptInit(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM, k: CK_OBJECT_HANDLE);
    C_Encrypt(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_EncryptUpdate(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_EncryptFinal(h: CK_SESSION_HANDLE, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_DecryptInit(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM, k: CK_OBJECT_HANDLE);
    C_Decrypt(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_DecryptUpdate(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_DecryptFinal(h: CK_SESSION_HANDLE, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_DigestKey(h: CK_SESSION_HANDLE, k: CK_OBJECT_HANDLE);
    C_SignRecoverInit(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM, k: CK_OBJECT_HANDLE);
    C_SignRecover(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_VerifyRecoverInit(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM, k: CK_OBJECT_HANDLE);
    C_VerifyRecover(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_DigestEncryptUpdate(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_DecryptDigestUpdate(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_SignEncryptUpdate(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_DecryptVerifyUpdate(h: CK_SESSION_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_GenerateKey(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM, t: *mut CK_ATTRIBUTE, n: CK_ULONG, ph: *mut CK_OBJECT_HANDLE);
    C_WrapKey(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM, w: CK_OBJECT_HANDLE, k: CK_OBJECT_HANDLE, o: *mut CK_BYTE, ol: *mut CK_ULONG);
    C_UnwrapKey(h: CK_SESSION_HANDLE, m: *mut CK_MECHANISM, u: CK_OBJECT_HANDLE, d: *mut CK_BYTE, l: CK_ULONG, t: *mut CK_ATTRIBUTE, n: CK_ULONG, ph: *mut CK_OBJECT_HANDLE);
    C_WaitForSlotEvent(f: CK_FLAGS, s: *mut CK_SLOT_ID, r: *mut c_void);
}

not_supported! { CKR_FUNCTION_NOT_PARALLEL;
    C_GetFunctionStatus(h: CK_SESSION_HANDLE);
    C_CancelFunction(h: CK_SESSION_HANDLE);
}
