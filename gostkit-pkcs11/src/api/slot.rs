//! Slot and token management (PKCS#11 v2.40 §5.5): slot and mechanism lists, slot, token and
//! mechanism information, `C_InitToken`, `C_InitPIN`, `C_SetPIN`.

use cryptoki_sys::*;

use super::with;
use crate::boundary::{input, p11, write_list, write_out};
use crate::mech;

/// `C_GetSlotList`: every slot has a token present (initialised or not), so `tokenPresent`
/// changes nothing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetSlotList(
    _tokenPresent: CK_BBOOL,
    pSlotList: *mut CK_SLOT_ID,
    pulCount: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        let ids: Vec<CK_SLOT_ID> = with(|m| Ok(m.slots.keys().copied().collect()))?;
        // SAFETY: per the contract `pulCount` is writable and `pSlotList` holds `*pulCount` IDs.
        unsafe { write_list(pSlotList, pulCount, &ids) }
    }
}

/// `C_GetSlotInfo`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetSlotInfo(slotID: CK_SLOT_ID, pInfo: *mut CK_SLOT_INFO) -> CK_RV {
    p11! {
        let info = with(|m| m.slot_info(slotID))?;
        // SAFETY: `pInfo` is NULL (refused) or writable per the contract.
        unsafe { write_out(pInfo, info) }
    }
}

/// `C_GetTokenInfo`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetTokenInfo(slotID: CK_SLOT_ID, pInfo: *mut CK_TOKEN_INFO) -> CK_RV {
    p11! {
        let info = with(|m| m.token_info(slotID))?;
        // SAFETY: `pInfo` is NULL (refused) or writable per the contract.
        unsafe { write_out(pInfo, info) }
    }
}

/// `C_GetMechanismList`: the table of [`crate::mech`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetMechanismList(
    slotID: CK_SLOT_ID,
    pMechanismList: *mut CK_MECHANISM_TYPE,
    pulCount: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| m.slot(slotID).map(|_| ()))?;
        let list: Vec<CK_MECHANISM_TYPE> = mech::MECHANISMS.iter().map(|m| m.0).collect();
        // SAFETY: per the contract `pulCount` is writable and the list holds `*pulCount` items.
        unsafe { write_list(pMechanismList, pulCount, &list) }
    }
}

/// `C_GetMechanismInfo`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetMechanismInfo(
    slotID: CK_SLOT_ID,
    type_: CK_MECHANISM_TYPE,
    pInfo: *mut CK_MECHANISM_INFO,
) -> CK_RV {
    p11! {
        with(|m| m.slot(slotID).map(|_| ()))?;
        let info = mech::info(type_)?;
        // SAFETY: `pInfo` is NULL (refused) or writable per the contract.
        unsafe { write_out(pInfo, info) }
    }
}

/// `C_InitToken`: initialises the token of a free slot (a new free slot then appears) or wipes
/// an initialised one after checking its SO PIN. `pLabel` is 32 bytes, blank padded.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_InitToken(
    slotID: CK_SLOT_ID,
    pPin: *mut CK_UTF8CHAR,
    ulPinLen: CK_ULONG,
    pLabel: *mut CK_UTF8CHAR,
) -> CK_RV {
    p11! {
        if pPin.is_null() || pLabel.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        // SAFETY: per the contract `pPin` holds `ulPinLen` bytes and `pLabel` 32.
        let pin = unsafe { input(pPin, ulPinLen) }?;
        // SAFETY: as above.
        let label: [u8; 32] = unsafe { input(pLabel, 32) }?
            .try_into()
            .map_err(|_| CKR_ARGUMENTS_BAD)?;
        with(|m| m.init_token(slotID, pin, label))
    }
}

/// `C_InitPIN`: the SO (logged in, read/write session) sets the user PIN.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_InitPIN(
    hSession: CK_SESSION_HANDLE,
    pPin: *mut CK_UTF8CHAR,
    ulPinLen: CK_ULONG,
) -> CK_RV {
    p11! {
        if pPin.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        // SAFETY: per the contract `pPin` holds `ulPinLen` bytes.
        let pin = unsafe { input(pPin, ulPinLen) }?;
        with(|m| m.init_pin(hSession, pin))
    }
}

/// `C_SetPIN`: changes the SO PIN when the SO is logged in, else the user PIN.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_SetPIN(
    hSession: CK_SESSION_HANDLE,
    pOldPin: *mut CK_UTF8CHAR,
    ulOldLen: CK_ULONG,
    pNewPin: *mut CK_UTF8CHAR,
    ulNewLen: CK_ULONG,
) -> CK_RV {
    p11! {
        if pOldPin.is_null() || pNewPin.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        // SAFETY: per the contract each PIN buffer holds its stated length.
        let old = unsafe { input(pOldPin, ulOldLen) }?;
        // SAFETY: as above.
        let new = unsafe { input(pNewPin, ulNewLen) }?;
        with(|m| m.set_pin(hSession, old, new))
    }
}
