//! General-purpose functions (PKCS#11 v2.40 §5.4): `C_Initialize`, `C_Finalize`, `C_GetInfo`,
//! `C_GetFunctionList`.

use core::ffi::c_void;

use cryptoki_sys::*;

use super::{crypto, lock, object, session, slot, unsupported};
use crate::boundary::{borrow, p11, padded, write_out};
use crate::token::{Module, version};

/// `C_Initialize`. `pInitArgs` may be NULL; otherwise `pReserved` must be NULL and the four
/// mutex functions all set or all NULL. The module always locks with the operating system's
/// primitives, so a caller that supplies mutex functions without `CKF_OS_LOCKING_OK` gets
/// `CKR_CANT_LOCK`. Reads the store ([`crate::store`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_Initialize(pInitArgs: *mut c_void) -> CK_RV {
    p11! {
        if !pInitArgs.is_null() {
            // SAFETY: a non-NULL argument is a CK_C_INITIALIZE_ARGS per the contract.
            let a = unsafe { borrow(pInitArgs.cast::<CK_C_INITIALIZE_ARGS>()) }?;
            if !a.pReserved.is_null() {
                return Err(CKR_ARGUMENTS_BAD);
            }
            let fns = [
                a.CreateMutex.is_some(),
                a.DestroyMutex.is_some(),
                a.LockMutex.is_some(),
                a.UnlockMutex.is_some(),
            ];
            let supplied = fns.iter().filter(|x| **x).count();
            if supplied != 0 && supplied != 4 {
                return Err(CKR_ARGUMENTS_BAD);
            }
            if supplied == 4 && a.flags & CKF_OS_LOCKING_OK == 0 {
                return Err(CKR_CANT_LOCK);
            }
        }
        let mut g = lock();
        if g.is_some() {
            return Err(CKR_CRYPTOKI_ALREADY_INITIALIZED);
        }
        *g = Some(Module::load()?);
        Ok(())
    }
}

/// `C_Finalize`: closes every session (logging out) and forgets the state; `pReserved` must be
/// NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_Finalize(pReserved: *mut c_void) -> CK_RV {
    p11! {
        if !pReserved.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let mut g = lock();
        g.take().ok_or(CKR_CRYPTOKI_NOT_INITIALIZED)?;
        Ok(())
    }
}

/// `C_GetInfo`: Cryptoki 2.40, manufacturer "gostkit".
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetInfo(pInfo: *mut CK_INFO) -> CK_RV {
    p11! {
        if lock().is_none() {
            return Err(CKR_CRYPTOKI_NOT_INITIALIZED);
        }
        let info = CK_INFO {
            cryptokiVersion: CK_VERSION { major: 2, minor: 40 },
            manufacturerID: padded("gostkit"),
            flags: 0,
            libraryDescription: padded("gostkit GOST PKCS#11 token"),
            libraryVersion: version(),
        };
        // SAFETY: `pInfo` is NULL (refused) or a writable CK_INFO per the contract.
        unsafe { write_out(pInfo, info) }
    }
}

/// `C_GetFunctionList`: the static table of this module (callable before `C_Initialize`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetFunctionList(ppFunctionList: *mut *mut CK_FUNCTION_LIST) -> CK_RV {
    p11! {
        let list = (&raw const FUNCTION_LIST).cast_mut();
        // SAFETY: `ppFunctionList` is NULL (refused) or writable per the contract. The table is
        // immutable; the pointer is mutable only because the C prototype says so, and callers
        // never write through it.
        unsafe { write_out(ppFunctionList, list) }
    }
}

/// The function table handed out by `C_GetFunctionList` (version 2.40).
static FUNCTION_LIST: CK_FUNCTION_LIST = CK_FUNCTION_LIST {
    version: CK_VERSION {
        major: 2,
        minor: 40,
    },
    C_Initialize: Some(C_Initialize),
    C_Finalize: Some(C_Finalize),
    C_GetInfo: Some(C_GetInfo),
    C_GetFunctionList: Some(C_GetFunctionList),
    C_GetSlotList: Some(slot::C_GetSlotList),
    C_GetSlotInfo: Some(slot::C_GetSlotInfo),
    C_GetTokenInfo: Some(slot::C_GetTokenInfo),
    C_GetMechanismList: Some(slot::C_GetMechanismList),
    C_GetMechanismInfo: Some(slot::C_GetMechanismInfo),
    C_InitToken: Some(slot::C_InitToken),
    C_InitPIN: Some(slot::C_InitPIN),
    C_SetPIN: Some(slot::C_SetPIN),
    C_OpenSession: Some(session::C_OpenSession),
    C_CloseSession: Some(session::C_CloseSession),
    C_CloseAllSessions: Some(session::C_CloseAllSessions),
    C_GetSessionInfo: Some(session::C_GetSessionInfo),
    C_GetOperationState: Some(unsupported::C_GetOperationState),
    C_SetOperationState: Some(unsupported::C_SetOperationState),
    C_Login: Some(session::C_Login),
    C_Logout: Some(session::C_Logout),
    C_CreateObject: Some(object::C_CreateObject),
    C_CopyObject: Some(unsupported::C_CopyObject),
    C_DestroyObject: Some(object::C_DestroyObject),
    C_GetObjectSize: Some(object::C_GetObjectSize),
    C_GetAttributeValue: Some(object::C_GetAttributeValue),
    C_SetAttributeValue: Some(object::C_SetAttributeValue),
    C_FindObjectsInit: Some(object::C_FindObjectsInit),
    C_FindObjects: Some(object::C_FindObjects),
    C_FindObjectsFinal: Some(object::C_FindObjectsFinal),
    C_EncryptInit: Some(unsupported::C_EncryptInit),
    C_Encrypt: Some(unsupported::C_Encrypt),
    C_EncryptUpdate: Some(unsupported::C_EncryptUpdate),
    C_EncryptFinal: Some(unsupported::C_EncryptFinal),
    C_DecryptInit: Some(unsupported::C_DecryptInit),
    C_Decrypt: Some(unsupported::C_Decrypt),
    C_DecryptUpdate: Some(unsupported::C_DecryptUpdate),
    C_DecryptFinal: Some(unsupported::C_DecryptFinal),
    C_DigestInit: Some(crypto::C_DigestInit),
    C_Digest: Some(crypto::C_Digest),
    C_DigestUpdate: Some(crypto::C_DigestUpdate),
    C_DigestKey: Some(unsupported::C_DigestKey),
    C_DigestFinal: Some(crypto::C_DigestFinal),
    C_SignInit: Some(crypto::C_SignInit),
    C_Sign: Some(crypto::C_Sign),
    C_SignUpdate: Some(crypto::C_SignUpdate),
    C_SignFinal: Some(crypto::C_SignFinal),
    C_SignRecoverInit: Some(unsupported::C_SignRecoverInit),
    C_SignRecover: Some(unsupported::C_SignRecover),
    C_VerifyInit: Some(crypto::C_VerifyInit),
    C_Verify: Some(crypto::C_Verify),
    C_VerifyUpdate: Some(crypto::C_VerifyUpdate),
    C_VerifyFinal: Some(crypto::C_VerifyFinal),
    C_VerifyRecoverInit: Some(unsupported::C_VerifyRecoverInit),
    C_VerifyRecover: Some(unsupported::C_VerifyRecover),
    C_DigestEncryptUpdate: Some(unsupported::C_DigestEncryptUpdate),
    C_DecryptDigestUpdate: Some(unsupported::C_DecryptDigestUpdate),
    C_SignEncryptUpdate: Some(unsupported::C_SignEncryptUpdate),
    C_DecryptVerifyUpdate: Some(unsupported::C_DecryptVerifyUpdate),
    C_GenerateKey: Some(unsupported::C_GenerateKey),
    C_GenerateKeyPair: Some(crypto::C_GenerateKeyPair),
    C_WrapKey: Some(unsupported::C_WrapKey),
    C_UnwrapKey: Some(unsupported::C_UnwrapKey),
    C_DeriveKey: Some(crypto::C_DeriveKey),
    C_SeedRandom: Some(crypto::C_SeedRandom),
    C_GenerateRandom: Some(crypto::C_GenerateRandom),
    C_GetFunctionStatus: Some(unsupported::C_GetFunctionStatus),
    C_CancelFunction: Some(unsupported::C_CancelFunction),
    C_WaitForSlotEvent: Some(unsupported::C_WaitForSlotEvent),
};
