//! Object management (PKCS#11 v2.40 §5.7): create, destroy, size, attribute values, searches.

use cryptoki_sys::*;

use super::with;
use crate::boundary::{fill_attribute, p11, read_template, template_out, write_list, write_out};

/// `C_CreateObject` (classes and checks in [`crate::ops`]).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_CreateObject(
    hSession: CK_SESSION_HANDLE,
    pTemplate: *mut CK_ATTRIBUTE,
    ulCount: CK_ULONG,
    phObject: *mut CK_OBJECT_HANDLE,
) -> CK_RV {
    p11! {
        if phObject.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        // SAFETY: per the contract the template holds `ulCount` readable attributes.
        let t = unsafe { read_template(pTemplate, ulCount) }?;
        let oh = with(|m| m.create_object(hSession, &t))?;
        // SAFETY: non-NULL and writable per the contract.
        unsafe { write_out(phObject, oh) }
    }
}

/// `C_DestroyObject`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_DestroyObject(
    hSession: CK_SESSION_HANDLE,
    hObject: CK_OBJECT_HANDLE,
) -> CK_RV {
    p11! { with(|m| m.destroy(hSession, hObject)) }
}

/// `C_GetObjectSize`: the bytes of the attribute values (an approximation, as the standard
/// allows).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetObjectSize(
    hSession: CK_SESSION_HANDLE,
    hObject: CK_OBJECT_HANDLE,
    pulSize: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        let n = with(|m| {
            let e = m.object(hSession, hObject, CKR_OBJECT_HANDLE_INVALID)?;
            Ok(e.obj.iter().map(|(_, v)| v.len()).sum::<usize>())
        })?;
        // SAFETY: `pulSize` is NULL (refused) or writable per the contract.
        unsafe { write_out(pulSize, n as CK_ULONG) }
    }
}

/// `C_GetAttributeValue` (§5.7 rules): every attribute is answered; a sensitive one
/// (`CKA_VALUE` of a sensitive or unextractable key) gets `CK_UNAVAILABLE_INFORMATION` and
/// `CKR_ATTRIBUTE_SENSITIVE`, an unknown one `CKR_ATTRIBUTE_TYPE_INVALID`, a short buffer
/// `CKR_BUFFER_TOO_SMALL`; a NULL `pValue` asks for the length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GetAttributeValue(
    hSession: CK_SESSION_HANDLE,
    hObject: CK_OBJECT_HANDLE,
    pTemplate: *mut CK_ATTRIBUTE,
    ulCount: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            let e = m.object(hSession, hObject, CKR_OBJECT_HANDLE_INVALID)?;
            // SAFETY: per the contract the template holds `ulCount` writable attributes.
            let attrs = unsafe { template_out(pTemplate, ulCount) }?;
            let mut rv = CKR_OK;
            for a in attrs.iter_mut() {
                if e.obj.is_sensitive_attr(a.type_) {
                    a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
                    rv = CKR_ATTRIBUTE_SENSITIVE;
                    continue;
                }
                match e.obj.get(a.type_) {
                    None => {
                        a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
                        rv = CKR_ATTRIBUTE_TYPE_INVALID;
                    }
                    Some(v) => {
                        // SAFETY: per the contract `pValue` holds `ulValueLen` writable bytes.
                        if let Err(e) = unsafe { fill_attribute(a, v) } {
                            rv = e;
                        }
                    }
                }
            }
            if rv == CKR_OK { Ok(()) } else { Err(rv) }
        })
    }
}

/// `C_SetAttributeValue`: labels, IDs, subjects, dates, usage flags; `CKA_SENSITIVE` only to
/// TRUE and `CKA_EXTRACTABLE` only to FALSE; anything else is `CKR_ATTRIBUTE_READ_ONLY`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_SetAttributeValue(
    hSession: CK_SESSION_HANDLE,
    hObject: CK_OBJECT_HANDLE,
    pTemplate: *mut CK_ATTRIBUTE,
    ulCount: CK_ULONG,
) -> CK_RV {
    p11! {
        // SAFETY: per the contract the template holds `ulCount` readable attributes.
        let t = unsafe { read_template(pTemplate, ulCount) }?;
        with(|m| m.set_attributes(hSession, hObject, &t))
    }
}

/// `C_FindObjectsInit`: exact matches of every attribute of the template among the objects the
/// session can see.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_FindObjectsInit(
    hSession: CK_SESSION_HANDLE,
    pTemplate: *mut CK_ATTRIBUTE,
    ulCount: CK_ULONG,
) -> CK_RV {
    p11! {
        // SAFETY: per the contract the template holds `ulCount` readable attributes.
        let t = unsafe { read_template(pTemplate, ulCount) }?;
        with(|m| m.find_init(hSession, &t))
    }
}

/// `C_FindObjects`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_FindObjects(
    hSession: CK_SESSION_HANDLE,
    phObject: *mut CK_OBJECT_HANDLE,
    ulMaxObjectCount: CK_ULONG,
    pulObjectCount: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        if phObject.is_null() || pulObjectCount.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let max = usize::try_from(ulMaxObjectCount).map_err(|_| CKR_ARGUMENTS_BAD)?;
        let found = with(|m| m.find_next(hSession, max))?;
        // SAFETY: `pulObjectCount` is writable and `phObject` holds `ulMaxObjectCount >=
        // found.len()` handles per the contract.
        unsafe {
            pulObjectCount.write(ulMaxObjectCount);
            write_list(phObject, pulObjectCount, &found)
        }
    }
}

/// `C_FindObjectsFinal`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_FindObjectsFinal(hSession: CK_SESSION_HANDLE) -> CK_RV {
    p11! { with(|m| m.find_final(hSession)) }
}
