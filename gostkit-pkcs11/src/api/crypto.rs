//! Cryptographic functions (PKCS#11 v2.40 §5.10–§5.15): digests, signatures and their
//! verification (single- and multi-part), key-pair generation, VKO derivation, random numbers.
//!
//! Output convention of `C_Sign`, `C_SignFinal`, `C_Digest`, `C_DigestFinal`: a NULL buffer
//! returns the length and keeps the operation; a short one gives `CKR_BUFFER_TOO_SMALL` with the
//! length and keeps it; any other end (success or error) finishes it.

use cryptoki_sys::*;

use super::{read_mechanism, with};
use crate::boundary::{Output, P11Result, Reserved, input, p11, read_template, write_out};
use crate::store;
use crate::token::Module;

/// Ends the operation `clear` names when `r` is an error other than a size problem.
fn end_on_error<T>(
    m: &mut Module,
    h: CK_SESSION_HANDLE,
    r: P11Result<T>,
    clear: fn(&mut crate::token::Session),
) -> P11Result<T> {
    if let Err(e) = &r
        && *e != CKR_BUFFER_TOO_SMALL
        && let Ok(s) = m.session_mut(h)
    {
        clear(s);
    }
    r
}

/// `C_DigestInit` with `CKM_GOSTR3411`, `CKM_GOSTR3411_12_256` or `CKM_GOSTR3411_12_512`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_DigestInit(
    hSession: CK_SESSION_HANDLE,
    pMechanism: *mut CK_MECHANISM,
) -> CK_RV {
    p11! {
        // SAFETY: per the contract `pMechanism` is a valid mechanism.
        let mech = unsafe { read_mechanism(pMechanism) }?;
        with(|m| m.digest_init(hSession, &mech))
    }
}

/// `C_Digest`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_Digest(
    hSession: CK_SESSION_HANDLE,
    pData: *mut CK_BYTE,
    ulDataLen: CK_ULONG,
    pDigest: *mut CK_BYTE,
    pulDigestLen: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            let n = m.digest_len(hSession)?;
            let r = (|| {
                // SAFETY: per the contract the buffers hold their stated lengths.
                let data = unsafe { input(pData, ulDataLen) }?;
                // SAFETY: as above.
                let out = unsafe { Output::new(pDigest, pulDigestLen) }?;
                if let Reserved::Room(buf) = out.reserve(n)? {
                    m.digest_update(hSession, data, false)?;
                    buf.copy_from_slice(&m.digest_finish(hSession)?);
                }
                Ok(())
            })();
            end_on_error(m, hSession, r, |s| s.digest = None)
        })
    }
}

/// `C_DigestUpdate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_DigestUpdate(
    hSession: CK_SESSION_HANDLE,
    pPart: *mut CK_BYTE,
    ulPartLen: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            // SAFETY: per the contract `pPart` holds `ulPartLen` bytes.
            let r = unsafe { input(pPart, ulPartLen) }.and_then(|d| m.digest_update(hSession, d, true));
            end_on_error(m, hSession, r, |s| s.digest = None)
        })
    }
}

/// `C_DigestFinal`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_DigestFinal(
    hSession: CK_SESSION_HANDLE,
    pDigest: *mut CK_BYTE,
    pulDigestLen: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            let n = m.digest_len(hSession)?;
            let r = (|| {
                // SAFETY: per the contract `pDigest` holds `*pulDigestLen` bytes.
                let out = unsafe { Output::new(pDigest, pulDigestLen) }?;
                if let Reserved::Room(buf) = out.reserve(n)? {
                    buf.copy_from_slice(&m.digest_finish(hSession)?);
                }
                Ok(())
            })();
            end_on_error(m, hSession, r, |s| s.digest = None)
        })
    }
}

/// `C_SignInit` with a GOST signature mechanism and a private key with `CKA_SIGN`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_SignInit(
    hSession: CK_SESSION_HANDLE,
    pMechanism: *mut CK_MECHANISM,
    hKey: CK_OBJECT_HANDLE,
) -> CK_RV {
    p11! {
        // SAFETY: per the contract `pMechanism` is a valid mechanism.
        let mech = unsafe { read_mechanism(pMechanism) }?;
        with(|m| m.sign_init(hSession, &mech, hKey))
    }
}

/// `C_Sign`: `s || r`, 64 or 128 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_Sign(
    hSession: CK_SESSION_HANDLE,
    pData: *mut CK_BYTE,
    ulDataLen: CK_ULONG,
    pSignature: *mut CK_BYTE,
    pulSignatureLen: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            let n = m.sign_len(hSession)?;
            let r = (|| {
                // SAFETY: per the contract the buffers hold their stated lengths.
                let data = unsafe { input(pData, ulDataLen) }?;
                // SAFETY: as above.
                let out = unsafe { Output::new(pSignature, pulSignatureLen) }?;
                if let Reserved::Room(buf) = out.reserve(n)? {
                    m.sign_update(hSession, data, false)?;
                    buf.copy_from_slice(&m.sign_finish(hSession)?);
                }
                Ok(())
            })();
            end_on_error(m, hSession, r, |s| s.sign = None)
        })
    }
}

/// `C_SignUpdate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_SignUpdate(
    hSession: CK_SESSION_HANDLE,
    pPart: *mut CK_BYTE,
    ulPartLen: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            // SAFETY: per the contract `pPart` holds `ulPartLen` bytes.
            let r = unsafe { input(pPart, ulPartLen) }.and_then(|d| m.sign_update(hSession, d, true));
            end_on_error(m, hSession, r, |s| s.sign = None)
        })
    }
}

/// `C_SignFinal`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_SignFinal(
    hSession: CK_SESSION_HANDLE,
    pSignature: *mut CK_BYTE,
    pulSignatureLen: *mut CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            let n = m.sign_len(hSession)?;
            let r = (|| {
                // SAFETY: per the contract `pSignature` holds `*pulSignatureLen` bytes.
                let out = unsafe { Output::new(pSignature, pulSignatureLen) }?;
                if let Reserved::Room(buf) = out.reserve(n)? {
                    buf.copy_from_slice(&m.sign_finish(hSession)?);
                }
                Ok(())
            })();
            end_on_error(m, hSession, r, |s| s.sign = None)
        })
    }
}

/// `C_VerifyInit` with a GOST signature mechanism and a public key with `CKA_VERIFY`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_VerifyInit(
    hSession: CK_SESSION_HANDLE,
    pMechanism: *mut CK_MECHANISM,
    hKey: CK_OBJECT_HANDLE,
) -> CK_RV {
    p11! {
        // SAFETY: per the contract `pMechanism` is a valid mechanism.
        let mech = unsafe { read_mechanism(pMechanism) }?;
        with(|m| m.verify_init(hSession, &mech, hKey))
    }
}

/// `C_Verify`: `CKR_SIGNATURE_INVALID` or `CKR_SIGNATURE_LEN_RANGE` on failure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_Verify(
    hSession: CK_SESSION_HANDLE,
    pData: *mut CK_BYTE,
    ulDataLen: CK_ULONG,
    pSignature: *mut CK_BYTE,
    ulSignatureLen: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            let r = (|| {
                // SAFETY: per the contract the buffers hold their stated lengths.
                let data = unsafe { input(pData, ulDataLen) }?;
                // SAFETY: as above.
                let sig = unsafe { input(pSignature, ulSignatureLen) }?;
                m.verify_update(hSession, data, false)?;
                m.verify_finish(hSession, sig)
            })();
            end_on_error(m, hSession, r, |s| s.verify = None)
        })
    }
}

/// `C_VerifyUpdate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_VerifyUpdate(
    hSession: CK_SESSION_HANDLE,
    pPart: *mut CK_BYTE,
    ulPartLen: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            // SAFETY: per the contract `pPart` holds `ulPartLen` bytes.
            let r = unsafe { input(pPart, ulPartLen) }.and_then(|d| m.verify_update(hSession, d, true));
            end_on_error(m, hSession, r, |s| s.verify = None)
        })
    }
}

/// `C_VerifyFinal`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_VerifyFinal(
    hSession: CK_SESSION_HANDLE,
    pSignature: *mut CK_BYTE,
    ulSignatureLen: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| {
            // SAFETY: per the contract `pSignature` holds `ulSignatureLen` bytes.
            let r = unsafe { input(pSignature, ulSignatureLen) }.and_then(|sig| m.verify_finish(hSession, sig));
            end_on_error(m, hSession, r, |s| s.verify = None)
        })
    }
}

/// `C_GenerateKeyPair` with `CKM_GOSTR3410_KEY_PAIR_GEN` / `CKM_GOSTR3410_512_KEY_PAIR_GEN`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GenerateKeyPair(
    hSession: CK_SESSION_HANDLE,
    pMechanism: *mut CK_MECHANISM,
    pPublicKeyTemplate: *mut CK_ATTRIBUTE,
    ulPublicKeyAttributeCount: CK_ULONG,
    pPrivateKeyTemplate: *mut CK_ATTRIBUTE,
    ulPrivateKeyAttributeCount: CK_ULONG,
    phPublicKey: *mut CK_OBJECT_HANDLE,
    phPrivateKey: *mut CK_OBJECT_HANDLE,
) -> CK_RV {
    p11! {
        if phPublicKey.is_null() || phPrivateKey.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        // SAFETY: per the contract `pMechanism` is a valid mechanism.
        let mech = unsafe { read_mechanism(pMechanism) }?;
        // SAFETY: per the contract each template holds its stated count of attributes.
        let pub_t = unsafe { read_template(pPublicKeyTemplate, ulPublicKeyAttributeCount) }?;
        // SAFETY: as above.
        let priv_t = unsafe { read_template(pPrivateKeyTemplate, ulPrivateKeyAttributeCount) }?;
        let (hp, hk) = with(|m| m.generate_key_pair(hSession, &mech, &pub_t, &priv_t))?;
        // SAFETY: both out-pointers are non-NULL and writable per the contract.
        unsafe {
            write_out(phPublicKey, hp)?;
            write_out(phPrivateKey, hk)
        }
    }
}

/// `C_DeriveKey` with `CKM_GOSTR3410_DERIVE` / `CKM_GOSTR3410_12_DERIVE`
/// (`CK_GOSTR3410_DERIVE_PARAMS`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_DeriveKey(
    hSession: CK_SESSION_HANDLE,
    pMechanism: *mut CK_MECHANISM,
    hBaseKey: CK_OBJECT_HANDLE,
    pTemplate: *mut CK_ATTRIBUTE,
    ulAttributeCount: CK_ULONG,
    phKey: *mut CK_OBJECT_HANDLE,
) -> CK_RV {
    p11! {
        if phKey.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        // SAFETY: per the contract `pMechanism` is a valid mechanism.
        let mech = unsafe { read_mechanism(pMechanism) }?;
        // SAFETY: per the contract the template holds `ulAttributeCount` attributes.
        let t = unsafe { read_template(pTemplate, ulAttributeCount) }?;
        let h = with(|m| m.derive(hSession, &mech, hBaseKey, &t))?;
        // SAFETY: non-NULL and writable per the contract.
        unsafe { write_out(phKey, h) }
    }
}

/// `C_SeedRandom`: the operating system's generator takes no seed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_SeedRandom(
    hSession: CK_SESSION_HANDLE,
    _pSeed: *mut CK_BYTE,
    _ulSeedLen: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| m.session(hSession).map(|_| ()))?;
        Err(CKR_RANDOM_SEED_NOT_SUPPORTED)
    }
}

/// `C_GenerateRandom`: bytes from the operating system's generator.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn C_GenerateRandom(
    hSession: CK_SESSION_HANDLE,
    RandomData: *mut CK_BYTE,
    ulRandomLen: CK_ULONG,
) -> CK_RV {
    p11! {
        with(|m| m.session(hSession).map(|_| ()))?;
        if ulRandomLen == 0 {
            return Ok(());
        }
        if RandomData.is_null() {
            return Err(CKR_ARGUMENTS_BAD);
        }
        let n = usize::try_from(ulRandomLen).map_err(|_| CKR_ARGUMENTS_BAD)?;
        // SAFETY: non-NULL and, per the contract, `ulRandomLen` writable bytes.
        let out = unsafe { core::slice::from_raw_parts_mut(RandomData, n) };
        store::random(out)
    }
}
