//! The exported PKCS#11 functions, one file per group of the standard (v2.40 §5.4–§5.15):
//! [`general`] (initialisation, `C_GetFunctionList`), [`slot`] (slots, tokens, PINs),
//! [`session`] (sessions, login), [`object`] (objects and searches), [`crypto`] (signatures,
//! digests, key generation and derivation, random numbers), [`unsupported`] (the functions this
//! token does not offer: `CKR_FUNCTION_NOT_SUPPORTED`).
//!
//! Each function's contract is the PKCS#11 v2.40 one (pointers valid for the sizes the caller
//! states, output buffers not overlapping inputs); its body runs inside
//! `p11!` ([`crate::boundary::boundary`]) and reaches caller memory only through
//! [`crate::boundary`]. The module state sits behind one mutex (`CKF_OS_LOCKING_OK`: the
//! functions may be called from any thread at any time).

#![allow(clippy::missing_safety_doc)] // the contract of every function is the PKCS#11 one, above

use std::sync::{Mutex, MutexGuard};

use cryptoki_sys::*;

use crate::boundary::{P11Result, borrow, input};
use crate::mech::{self, DeriveParams, Mech};
use crate::token::Module;

pub mod crypto;
pub mod general;
pub mod object;
pub mod session;
pub mod slot;
pub mod unsupported;

/// The module state; `None` outside `C_Initialize` … `C_Finalize`.
static STATE: Mutex<Option<Module>> = Mutex::new(None);

/// Locks the state (a panic that poisoned the lock left it consistent enough to go on: every
/// change is made in place through `?`-checked steps).
fn lock() -> MutexGuard<'static, Option<Module>> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` on the initialised module, or gives `CKR_CRYPTOKI_NOT_INITIALIZED`.
fn with<T>(f: impl FnOnce(&mut Module) -> P11Result<T>) -> P11Result<T> {
    let mut g = lock();
    let m = g.as_mut().ok_or(CKR_CRYPTOKI_NOT_INITIALIZED)?;
    f(m)
}

/// Copies a caller's `CK_MECHANISM`: a flat parameter as bytes, or the
/// `CK_GOSTR3410_DERIVE_PARAMS` of the derive mechanisms.
///
/// # Safety
/// `p`, if non-NULL, must point to a valid `CK_MECHANISM` whose parameter is
/// `ulParameterLen` readable bytes (and, for the derive mechanisms, a valid
/// `CK_GOSTR3410_DERIVE_PARAMS` whose buffers are readable for their lengths).
unsafe fn read_mechanism(p: *const CK_MECHANISM) -> P11Result<Mech> {
    // SAFETY: per the contract a non-NULL `p` is a valid CK_MECHANISM.
    let m = unsafe { borrow(p) }?;
    let bad = |_| CKR_MECHANISM_PARAM_INVALID;
    if mech::is_derive(m.mechanism) {
        let want = size_of::<CK_GOSTR3410_DERIVE_PARAMS>();
        if m.pParameter.is_null() || usize::try_from(m.ulParameterLen) != Ok(want) {
            return Err(CKR_MECHANISM_PARAM_INVALID);
        }
        // SAFETY: non-NULL and `ulParameterLen` (= its size) readable bytes per the contract;
        // read unaligned since the caller's buffer may be any byte array.
        let dp = unsafe {
            m.pParameter
                .cast::<CK_GOSTR3410_DERIVE_PARAMS>()
                .read_unaligned()
        };
        // SAFETY: the parameter's buffers are readable for their lengths per the contract.
        let public = unsafe { input(dp.pPublicData, dp.ulPublicDataLen) }.map_err(bad)?;
        // SAFETY: as above.
        let ukm = unsafe { input(dp.pUKM, dp.ulUKMLen) }.map_err(bad)?;
        return Ok(Mech {
            ty: m.mechanism,
            param: Vec::new(),
            derive: Some(DeriveParams {
                kdf: dp.kdf,
                public: public.to_vec(),
                ukm: ukm.to_vec(),
            }),
        });
    }
    // SAFETY: per the contract the parameter holds `ulParameterLen` readable bytes.
    let param = unsafe { input(m.pParameter.cast::<u8>(), m.ulParameterLen) }.map_err(bad)?;
    Ok(Mech {
        ty: m.mechanism,
        param: param.to_vec(),
        derive: None,
    })
}
