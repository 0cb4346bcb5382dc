//! The module driven through the rlib's C functions (the same `extern "C"` bodies the cdylib
//! exports), for what the `cryptoki` crate cannot express — the non-vendor GOST values
//! (`CKM_GOSTR3410_KEY_PAIR_GEN`, `CKM_GOSTR3410`, `CKA_GOSTR3410_PARAMS`, …) — and for the
//! argument checks: NULL pointers, bad handles, wrong templates and mechanisms, output sizes.
//!
//! The module state is process-wide, so the tests take one lock, point `GOSTKIT_PKCS11_DIR`
//! at their own directory and run `C_Initialize` … `C_Finalize` inside it.

mod common;

use std::ptr::null_mut;
use std::sync::{Mutex, MutexGuard};

use cryptoki_sys::*;
use gk::ec::{ParamSet, SigningKey, VerifyingKey, vko_2001, vko_2012_256};
use gk::hash::{Gost94, Streebog256, Streebog512};
use gostkit_pkcs11::api::{crypto::*, general::*, object::*, session::*, slot::*, unsupported::*};
use gostkit_pkcs11::consts::*;

static LOCK: Mutex<()> = Mutex::new(());

const SO: &[u8] = b"so-secret";
const PIN: &[u8] = b"user-1234";

/// One initialised module with its store directory; finalised on drop.
struct Ck {
    dir: std::path::PathBuf,
    /// Whether dropping removes `dir` (false in a child process sharing the parent's store).
    owner: bool,
    _g: MutexGuard<'static, ()>,
}

fn rv<T>(r: CK_RV, v: T) -> Result<T, CK_RV> {
    if r == CKR_OK { Ok(v) } else { Err(r) }
}

fn ulong(v: CK_ULONG) -> Vec<u8> {
    v.to_ne_bytes().to_vec()
}

/// A template of owned values (kept alive while the C call runs).
struct T(Vec<(CK_ULONG, Vec<u8>)>);

impl T {
    fn new() -> Self {
        T(Vec::new())
    }
    fn a(mut self, ty: CK_ULONG, v: &[u8]) -> Self {
        self.0.push((ty, v.to_vec()));
        self
    }
    fn b(self, ty: CK_ULONG, v: bool) -> Self {
        self.a(ty, &[u8::from(v)])
    }
    fn u(self, ty: CK_ULONG, v: CK_ULONG) -> Self {
        self.a(ty, &ulong(v))
    }
    fn raw(&mut self) -> Vec<CK_ATTRIBUTE> {
        self.0
            .iter_mut()
            .map(|(t, v)| CK_ATTRIBUTE {
                type_: *t,
                pValue: v.as_mut_ptr().cast(),
                ulValueLen: v.len() as CK_ULONG,
            })
            .collect()
    }
}

fn mech(ty: CK_MECHANISM_TYPE) -> CK_MECHANISM {
    CK_MECHANISM {
        mechanism: ty,
        pParameter: null_mut(),
        ulParameterLen: 0,
    }
}

impl Ck {
    fn new(tag: &str) -> Ck {
        let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let dir = common::scratch(tag);
        // SAFETY: every test of this file holds LOCK while it touches the environment or the
        // module, so nothing reads the environment concurrently.
        unsafe { std::env::set_var("GOSTKIT_PKCS11_DIR", dir.join("store")) };
        // SAFETY: NULL arguments are allowed.
        assert_eq!(unsafe { C_Initialize(null_mut()) }, CKR_OK);
        Ck {
            dir,
            owner: true,
            _g: g,
        }
    }

    /// In a child process: the module over the store the parent named in the environment.
    fn attach() -> Ck {
        let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let dir = std::path::PathBuf::from(std::env::var_os("GOSTKIT_PKCS11_DIR").unwrap());
        // SAFETY: NULL arguments are allowed.
        assert_eq!(unsafe { C_Initialize(null_mut()) }, CKR_OK);
        Ck {
            dir,
            owner: false,
            _g: g,
        }
    }

    fn init_token(&self, slot: CK_SLOT_ID) {
        let mut label = [b' '; 32];
        label[..4].copy_from_slice(b"test");
        let mut so = SO.to_vec();
        // SAFETY: valid buffers of the stated sizes.
        let r = unsafe { C_InitToken(slot, so.as_mut_ptr(), so.len() as _, label.as_mut_ptr()) };
        assert_eq!(r, CKR_OK);
    }

    fn open(&self, slot: CK_SLOT_ID, rw: bool) -> Result<CK_SESSION_HANDLE, CK_RV> {
        let mut h = 0;
        let flags = CKF_SERIAL_SESSION | if rw { CKF_RW_SESSION } else { 0 };
        // SAFETY: `h` is writable.
        let r = unsafe { C_OpenSession(slot, flags, null_mut(), None, &mut h) };
        rv(r, h)
    }

    fn login(&self, h: CK_SESSION_HANDLE, user: CK_USER_TYPE, pin: &[u8]) -> CK_RV {
        let mut p = pin.to_vec();
        // SAFETY: valid buffer.
        unsafe { C_Login(h, user, p.as_mut_ptr(), p.len() as _) }
    }

    /// A token with a user PIN and an open read/write session logged in as the user.
    fn ready(tag: &str) -> (Ck, CK_SESSION_HANDLE) {
        let ck = Ck::new(tag);
        ck.init_token(0);
        let h = ck.open(0, true).unwrap();
        assert_eq!(ck.login(h, CKU_SO, SO), CKR_OK);
        let mut p = PIN.to_vec();
        // SAFETY: valid buffer.
        assert_eq!(
            unsafe { C_InitPIN(h, p.as_mut_ptr(), p.len() as _) },
            CKR_OK
        );
        // SAFETY: plain handle.
        assert_eq!(unsafe { C_Logout(h) }, CKR_OK);
        assert_eq!(ck.login(h, CKU_USER, PIN), CKR_OK);
        (ck, h)
    }

    fn keypair(
        &self,
        h: CK_SESSION_HANDLE,
        m: CK_MECHANISM_TYPE,
        mut pubt: T,
        mut privt: T,
    ) -> Result<(CK_ULONG, CK_ULONG), CK_RV> {
        let mut mm = mech(m);
        let (mut pa, mut ka) = (pubt.raw(), privt.raw());
        let (mut hp, mut hk) = (0, 0);
        // SAFETY: the templates and out-pointers are valid for the call.
        let r = unsafe {
            C_GenerateKeyPair(
                h,
                &mut mm,
                pa.as_mut_ptr(),
                pa.len() as _,
                ka.as_mut_ptr(),
                ka.len() as _,
                &mut hp,
                &mut hk,
            )
        };
        rv(r, (hp, hk))
    }

    fn genkey(&self, h: CK_SESSION_HANDLE, set: ParamSet, privt: T) -> (CK_ULONG, CK_ULONG) {
        let m = if set.bits() == 512 {
            CKM_GOSTR3410_512_KEY_PAIR_GEN
        } else {
            CKM_GOSTR3410_KEY_PAIR_GEN
        };
        let pubt = T::new().a(CKA_GOSTR3410_PARAMS, &oid_der(set.oid()));
        self.keypair(h, m, pubt, privt).unwrap()
    }

    fn get(&self, h: CK_SESSION_HANDLE, o: CK_ULONG, ty: CK_ULONG) -> Result<Vec<u8>, CK_RV> {
        let mut a = CK_ATTRIBUTE {
            type_: ty,
            pValue: null_mut(),
            ulValueLen: 0,
        };
        // SAFETY: one attribute, NULL value: a length query.
        let r = unsafe { C_GetAttributeValue(h, o, &mut a, 1) };
        if r != CKR_OK {
            return Err(r);
        }
        let mut v = vec![0u8; a.ulValueLen as usize];
        a.pValue = v.as_mut_ptr().cast();
        // SAFETY: the buffer holds ulValueLen bytes.
        let r = unsafe { C_GetAttributeValue(h, o, &mut a, 1) };
        rv(r, v)
    }

    fn create(&self, h: CK_SESSION_HANDLE, mut t: T) -> Result<CK_ULONG, CK_RV> {
        let mut a = t.raw();
        let mut o = 0;
        // SAFETY: valid template and out-pointer.
        let r = unsafe { C_CreateObject(h, a.as_mut_ptr(), a.len() as _, &mut o) };
        rv(r, o)
    }

    fn find(&self, h: CK_SESSION_HANDLE, mut t: T) -> Vec<CK_ULONG> {
        let mut a = t.raw();
        // SAFETY: valid template.
        assert_eq!(
            unsafe { C_FindObjectsInit(h, a.as_mut_ptr(), a.len() as _) },
            CKR_OK
        );
        let mut out = [0; 64];
        let mut n = 0;
        // SAFETY: `out` holds 64 handles.
        assert_eq!(
            unsafe { C_FindObjects(h, out.as_mut_ptr(), 64, &mut n) },
            CKR_OK
        );
        // SAFETY: plain handle.
        assert_eq!(unsafe { C_FindObjectsFinal(h) }, CKR_OK);
        out[..n as usize].to_vec()
    }

    fn sign(
        &self,
        h: CK_SESSION_HANDLE,
        m: CK_MECHANISM_TYPE,
        key: CK_ULONG,
        data: &[u8],
    ) -> Result<Vec<u8>, CK_RV> {
        let mut mm = mech(m);
        // SAFETY: valid mechanism.
        let r = unsafe { C_SignInit(h, &mut mm, key) };
        if r != CKR_OK {
            return Err(r);
        }
        let mut d = data.to_vec();
        let mut sig = vec![0u8; 128];
        let mut n: CK_ULONG = 128;
        // SAFETY: buffers of the stated sizes.
        let r = unsafe { C_Sign(h, d.as_mut_ptr(), d.len() as _, sig.as_mut_ptr(), &mut n) };
        sig.truncate(n as usize);
        rv(r, sig)
    }

    fn verify(
        &self,
        h: CK_SESSION_HANDLE,
        m: CK_MECHANISM_TYPE,
        key: CK_ULONG,
        data: &[u8],
        sig: &[u8],
    ) -> CK_RV {
        let mut mm = mech(m);
        // SAFETY: valid mechanism.
        let r = unsafe { C_VerifyInit(h, &mut mm, key) };
        if r != CKR_OK {
            return r;
        }
        let (mut d, mut s) = (data.to_vec(), sig.to_vec());
        // SAFETY: buffers of the stated sizes.
        unsafe {
            C_Verify(
                h,
                d.as_mut_ptr(),
                d.len() as _,
                s.as_mut_ptr(),
                s.len() as _,
            )
        }
    }

    #[allow(clippy::too_many_arguments)] // the arguments of C_DeriveKey and its parameter
    fn derive(
        &self,
        h: CK_SESSION_HANDLE,
        m: CK_MECHANISM_TYPE,
        kdf: CK_ULONG,
        base: CK_ULONG,
        peer: &[u8],
        ukm: &[u8],
        mut t: T,
    ) -> Result<CK_ULONG, CK_RV> {
        let (mut peer, mut ukm) = (peer.to_vec(), ukm.to_vec());
        let mut p = CK_GOSTR3410_DERIVE_PARAMS {
            kdf,
            pPublicData: peer.as_mut_ptr(),
            ulPublicDataLen: peer.len() as _,
            pUKM: ukm.as_mut_ptr(),
            ulUKMLen: ukm.len() as _,
        };
        let mut mm = CK_MECHANISM {
            mechanism: m,
            pParameter: (&raw mut p).cast(),
            ulParameterLen: size_of::<CK_GOSTR3410_DERIVE_PARAMS>() as _,
        };
        let mut a = t.raw();
        let mut o = 0;
        // SAFETY: valid mechanism, parameter, template and out-pointer.
        let r = unsafe { C_DeriveKey(h, &mut mm, base, a.as_mut_ptr(), a.len() as _, &mut o) };
        rv(r, o)
    }
}

impl Drop for Ck {
    fn drop(&mut self) {
        // SAFETY: NULL is the required argument.
        unsafe { C_Finalize(null_mut()) };
        if self.owner {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn sign_mechs(bits: usize) -> (CK_MECHANISM_TYPE, CK_MECHANISM_TYPE) {
    if bits == 512 {
        (CKM_GOSTR3410_512, CKM_GOSTR3410_WITH_GOSTR3411_12_512)
    } else {
        (CKM_GOSTR3410, CKM_GOSTR3410_WITH_GOSTR3411_12_256)
    }
}

#[test]
fn initialisation_and_null_arguments() {
    let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut n: CK_ULONG = 0;
    let mut info: CK_INFO = CK_INFO::default();
    // SAFETY (this block): every pointer is NULL or a live local.
    unsafe {
        assert_eq!(
            C_GetSlotList(0, null_mut(), &mut n),
            CKR_CRYPTOKI_NOT_INITIALIZED
        );
        assert_eq!(C_GetInfo(&mut info), CKR_CRYPTOKI_NOT_INITIALIZED);
        assert_eq!(C_GetFunctionList(null_mut()), CKR_ARGUMENTS_BAD);
        let mut list: *mut CK_FUNCTION_LIST = null_mut();
        assert_eq!(C_GetFunctionList(&mut list), CKR_OK);
        let list = &*list;
        assert_eq!((list.version.major, list.version.minor), (2, 40));
        assert!(list.C_Sign.is_some() && list.C_WaitForSlotEvent.is_some());
        let mut args = CK_C_INITIALIZE_ARGS {
            CreateMutex: None,
            DestroyMutex: None,
            LockMutex: None,
            UnlockMutex: None,
            flags: CKF_OS_LOCKING_OK,
            pReserved: (&raw mut n).cast(),
        };
        assert_eq!(C_Initialize((&raw mut args).cast()), CKR_ARGUMENTS_BAD);
        unsafe extern "C" fn create(_: *mut *mut core::ffi::c_void) -> CK_RV {
            CKR_OK
        }
        args.pReserved = null_mut();
        args.CreateMutex = Some(create);
        assert_eq!(C_Initialize((&raw mut args).cast()), CKR_ARGUMENTS_BAD);
    }
    drop(g);
    let ck = Ck::new("init");
    // SAFETY (this block): every pointer is NULL or a live local of the right size.
    unsafe {
        assert_eq!(C_Initialize(null_mut()), CKR_CRYPTOKI_ALREADY_INITIALIZED);
        assert_eq!(C_GetInfo(null_mut()), CKR_ARGUMENTS_BAD);
        assert_eq!(C_GetInfo(&mut info), CKR_OK);
        assert_eq!(&info.manufacturerID[..7], b"gostkit");
        assert_eq!(C_GetSlotList(0, null_mut(), null_mut()), CKR_ARGUMENTS_BAD);
        assert_eq!(C_GetSlotList(0, null_mut(), &mut n), CKR_OK);
        assert_eq!(n, 1, "one free slot in an empty store");
        let mut slots = [0 as CK_SLOT_ID; 4];
        n = 0;
        assert_eq!(
            C_GetSlotList(0, slots.as_mut_ptr(), &mut n),
            CKR_BUFFER_TOO_SMALL
        );
        assert_eq!(n, 1);
        let mut si = CK_SLOT_INFO::default();
        assert_eq!(C_GetSlotInfo(7, &mut si), CKR_SLOT_ID_INVALID);
        assert_eq!(C_GetSlotInfo(0, null_mut()), CKR_ARGUMENTS_BAD);
        let mut ti = CK_TOKEN_INFO::default();
        assert_eq!(C_GetTokenInfo(0, &mut ti), CKR_OK);
        assert_eq!(ti.flags & CKF_TOKEN_INITIALIZED, 0);
        assert_eq!(ck.open(0, true), Err(CKR_TOKEN_NOT_RECOGNIZED));
        let mut short = b"123".to_vec();
        let mut label = [b' '; 32];
        assert_eq!(
            C_InitToken(0, short.as_mut_ptr(), 3, label.as_mut_ptr()),
            CKR_PIN_LEN_RANGE
        );
        assert_eq!(
            C_InitToken(0, null_mut(), 0, label.as_mut_ptr()),
            CKR_ARGUMENTS_BAD
        );
        ck.init_token(0);
        assert_eq!(C_GetSlotList(1, null_mut(), &mut n), CKR_OK);
        assert_eq!(n, 2, "a new free slot after C_InitToken");
        assert_eq!(C_GetTokenInfo(0, &mut ti), CKR_OK);
        assert_ne!(ti.flags & CKF_TOKEN_INITIALIZED, 0);
        assert_eq!(ti.flags & CKF_USER_PIN_INITIALIZED, 0);
        assert_eq!(&ti.label[..4], b"test");
        let mut h = 0;
        assert_eq!(
            C_OpenSession(0, CKF_RW_SESSION, null_mut(), None, &mut h),
            CKR_SESSION_PARALLEL_NOT_SUPPORTED
        );
        assert_eq!(
            C_OpenSession(0, CKF_SERIAL_SESSION, null_mut(), None, null_mut()),
            CKR_ARGUMENTS_BAD
        );
        assert_eq!(C_CloseSession(999), CKR_SESSION_HANDLE_INVALID);
        let h = ck.open(0, false).unwrap();
        let mut label2 = [b' '; 32];
        let mut so = SO.to_vec();
        assert_eq!(
            C_InitToken(0, so.as_mut_ptr(), so.len() as _, label2.as_mut_ptr()),
            CKR_SESSION_EXISTS
        );
        let mut mm = mech(CKM_GOSTR3410);
        assert_eq!(C_EncryptInit(h, &mut mm, 1), CKR_FUNCTION_NOT_SUPPORTED);
        assert_eq!(C_GetFunctionStatus(h), CKR_FUNCTION_NOT_PARALLEL);
        let mut mt = [0 as CK_MECHANISM_TYPE; 32];
        n = 32;
        assert_eq!(C_GetMechanismList(0, mt.as_mut_ptr(), &mut n), CKR_OK);
        assert!(mt[..n as usize].contains(&CKM_GOSTR3410_512_KEY_PAIR_GEN));
        let mut mi = CK_MECHANISM_INFO::default();
        assert_eq!(
            C_GetMechanismInfo(0, 0x4242, &mut mi),
            CKR_MECHANISM_INVALID
        );
        assert_eq!(
            C_GetMechanismInfo(0, CKM_GOSTR3410_12_DERIVE, &mut mi),
            CKR_OK
        );
        assert_eq!((mi.ulMinKeySize, mi.ulMaxKeySize), (256, 512));
        let mut rnd = [0u8; 32];
        assert_eq!(C_GenerateRandom(h, rnd.as_mut_ptr(), 32), CKR_OK);
        assert_ne!(rnd, [0u8; 32]);
        assert_eq!(C_GenerateRandom(h, null_mut(), 4), CKR_ARGUMENTS_BAD);
        assert_eq!(
            C_GenerateRandom(h + 100, rnd.as_mut_ptr(), 4),
            CKR_SESSION_HANDLE_INVALID
        );
        assert_eq!(
            C_SeedRandom(h, rnd.as_mut_ptr(), 4),
            CKR_RANDOM_SEED_NOT_SUPPORTED
        );
        assert_eq!(C_Finalize((&raw mut n).cast()), CKR_ARGUMENTS_BAD);
    }
}

/// Key pairs on every parameter set gostkit has (with `CKM_GOSTR3410_KEY_PAIR_GEN` or
/// `CKM_GOSTR3410_512_KEY_PAIR_GEN`), signatures without and with hashing, checked by gostkit
/// with the public key read from the token and by the token's own C_Verify.
#[test]
fn every_parameter_set_signs_and_verifies() {
    let (ck, h) = Ck::ready("sets");
    let data = b"GOST R 34.10-2012 on a PKCS#11 token";
    for set in ParamSet::ALL {
        let (hp, hk) = ck.genkey(h, set, T::new());
        let value = ck.get(h, hp, CKA_VALUE).unwrap();
        let vk = VerifyingKey::from_bytes(set, &value).unwrap();
        let kt = gostkit_pkcs11::object::ulong_of(&ck.get(h, hk, CKA_KEY_TYPE).unwrap());
        let want_kt = if set.bits() == 512 {
            CKK_GOSTR3410_512
        } else {
            CKK_GOSTR3410
        };
        assert_eq!(kt, Some(want_kt), "{set}");
        assert_eq!(
            ck.get(h, hk, CKA_GOSTR3410_PARAMS).unwrap(),
            oid_der(set.oid())
        );
        let (raw, hashed) = sign_mechs(set.bits());
        let digest = if set.bits() == 512 {
            Streebog512::digest(data).to_vec()
        } else {
            Streebog256::digest(data).to_vec()
        };
        let sig = ck.sign(h, raw, hk, &digest).unwrap();
        vk.verify_digest(&digest, &sig).unwrap();
        assert_eq!(ck.verify(h, raw, hp, &digest, &sig), CKR_OK);
        let sig = ck.sign(h, hashed, hk, data).unwrap();
        vk.verify(data, &sig).unwrap();
        assert_eq!(ck.verify(h, hashed, hp, data, &sig), CKR_OK);
        let mut bad = sig.clone();
        bad[5] ^= 0x40;
        assert_eq!(ck.verify(h, hashed, hp, data, &bad), CKR_SIGNATURE_INVALID);
        assert_eq!(
            ck.verify(h, hashed, hp, data, &sig[1..]),
            CKR_SIGNATURE_LEN_RANGE
        );
        // a mechanism of the other size, a public key to sign, a short digest
        let (other_raw, _) = sign_mechs(if set.bits() == 512 { 256 } else { 512 });
        assert_eq!(
            ck.sign(h, other_raw, hk, &digest),
            Err(CKR_KEY_TYPE_INCONSISTENT)
        );
        assert_eq!(ck.sign(h, raw, hp, &digest), Err(CKR_KEY_TYPE_INCONSISTENT));
        assert_eq!(ck.sign(h, raw, hk, &digest[1..]), Err(CKR_DATA_LEN_RANGE));
        if set.bits() == 256 {
            let sig = ck.sign(h, CKM_GOSTR3410_WITH_GOSTR3411, hk, data).unwrap();
            vk.verify_digest(&Gost94::digest(data), &sig).unwrap();
        }
    }
}

/// Multi-part signatures, the output-size convention, operation states.
#[test]
fn multipart_and_output_sizes() {
    let (ck, h) = Ck::ready("multi");
    let (hp, hk) = ck.genkey(h, ParamSet::Tc26_512B, T::new());
    let vk =
        VerifyingKey::from_bytes(ParamSet::Tc26_512B, &ck.get(h, hp, CKA_VALUE).unwrap()).unwrap();
    let mut mm = mech(CKM_GOSTR3410_WITH_GOSTR3411_12_512);
    let mut part = b"part one, ".to_vec();
    let mut part2 = b"part two".to_vec();
    // SAFETY (this block): every pointer is NULL or a live buffer of the stated size.
    unsafe {
        let mut n: CK_ULONG = 0;
        assert_eq!(
            C_SignFinal(h, null_mut(), &mut n),
            CKR_OPERATION_NOT_INITIALIZED
        );
        assert_eq!(C_SignInit(h, &mut mm, hk), CKR_OK);
        assert_eq!(C_SignInit(h, &mut mm, hk), CKR_OPERATION_ACTIVE);
        assert_eq!(C_SignUpdate(h, part.as_mut_ptr(), part.len() as _), CKR_OK);
        assert_eq!(
            C_SignUpdate(h, part2.as_mut_ptr(), part2.len() as _),
            CKR_OK
        );
        assert_eq!(C_SignFinal(h, null_mut(), &mut n), CKR_OK);
        assert_eq!(n, 128);
        let mut sig = [0u8; 128];
        n = 10;
        assert_eq!(
            C_SignFinal(h, sig.as_mut_ptr(), &mut n),
            CKR_BUFFER_TOO_SMALL
        );
        assert_eq!(n, 128);
        n = 128;
        assert_eq!(C_SignFinal(h, sig.as_mut_ptr(), &mut n), CKR_OK);
        vk.verify(b"part one, part two", &sig).unwrap();
        assert_eq!(
            C_SignUpdate(h, part.as_mut_ptr(), 1),
            CKR_OPERATION_NOT_INITIALIZED
        );
        // NULL data with a length ends the operation with CKR_ARGUMENTS_BAD
        assert_eq!(C_SignInit(h, &mut mm, hk), CKR_OK);
        assert_eq!(C_SignUpdate(h, null_mut(), 4), CKR_ARGUMENTS_BAD);
        assert_eq!(
            C_SignFinal(h, sig.as_mut_ptr(), &mut n),
            CKR_OPERATION_NOT_INITIALIZED
        );
        // so does a NULL length pointer (C_Sign always ends but for the two size answers)
        assert_eq!(C_SignInit(h, &mut mm, hk), CKR_OK);
        assert_eq!(
            C_SignFinal(h, sig.as_mut_ptr(), null_mut()),
            CKR_ARGUMENTS_BAD
        );
        assert_eq!(
            C_SignFinal(h, sig.as_mut_ptr(), &mut n),
            CKR_OPERATION_NOT_INITIALIZED
        );
        // verification in parts
        assert_eq!(C_VerifyInit(h, &mut mm, hp), CKR_OK);
        assert_eq!(
            C_VerifyUpdate(h, part.as_mut_ptr(), part.len() as _),
            CKR_OK
        );
        assert_eq!(
            C_VerifyUpdate(h, part2.as_mut_ptr(), part2.len() as _),
            CKR_OK
        );
        assert_eq!(C_VerifyFinal(h, sig.as_mut_ptr(), 128), CKR_OK);
        // digests
        for (m, want) in [
            (
                CKM_GOSTR3411_12_256,
                Streebog256::digest(b"part one, part two").to_vec(),
            ),
            (
                CKM_GOSTR3411_12_512,
                Streebog512::digest(b"part one, part two").to_vec(),
            ),
            (
                CKM_GOSTR3411,
                Gost94::digest(b"part one, part two").to_vec(),
            ),
        ] {
            let mut dm = mech(m);
            assert_eq!(C_DigestInit(h, &mut dm), CKR_OK);
            assert_eq!(C_DigestInit(h, &mut dm), CKR_OPERATION_ACTIVE);
            assert_eq!(
                C_DigestUpdate(h, part.as_mut_ptr(), part.len() as _),
                CKR_OK
            );
            assert_eq!(
                C_DigestUpdate(h, part2.as_mut_ptr(), part2.len() as _),
                CKR_OK
            );
            let mut out = [0u8; 64];
            let mut n: CK_ULONG = 64;
            assert_eq!(C_DigestFinal(h, out.as_mut_ptr(), &mut n), CKR_OK);
            assert_eq!(&out[..n as usize], want.as_slice());
            let mut all = b"part one, part two".to_vec();
            assert_eq!(C_DigestInit(h, &mut dm), CKR_OK);
            n = 0;
            assert_eq!(
                C_Digest(h, all.as_mut_ptr(), all.len() as _, null_mut(), &mut n),
                CKR_OK
            );
            assert_eq!(n as usize, want.len());
            assert_eq!(
                C_Digest(
                    h,
                    all.as_mut_ptr(),
                    all.len() as _,
                    out.as_mut_ptr(),
                    &mut n
                ),
                CKR_OK
            );
            assert_eq!(&out[..n as usize], want.as_slice());
        }
        let mut bad = mech(0x4242);
        assert_eq!(C_DigestInit(h, &mut bad), CKR_MECHANISM_INVALID);
        assert_eq!(C_DigestInit(h, null_mut()), CKR_ARGUMENTS_BAD);
        assert_eq!(C_SignInit(h, &mut bad, hk), CKR_MECHANISM_INVALID);
        assert_eq!(C_SignInit(h, &mut mm, 9999), CKR_KEY_HANDLE_INVALID);
    }
}

/// Wrong key-generation templates and mechanisms get their own codes.
#[test]
fn keygen_template_errors() {
    let (ck, h) = Ck::ready("templates");
    let a = oid_der(ParamSet::Tc26_256A.oid());
    let g = CKM_GOSTR3410_KEY_PAIR_GEN;
    let p = |t: T| ck.keypair(h, g, t, T::new()).err();
    assert_eq!(p(T::new()), Some(CKR_TEMPLATE_INCOMPLETE));
    assert_eq!(
        p(T::new().a(CKA_GOSTR3410_PARAMS, &oid_der("1.2.3.4"))),
        Some(CKR_DOMAIN_PARAMS_INVALID)
    );
    assert_eq!(
        p(T::new().a(CKA_GOSTR3410_PARAMS, &oid_der(ParamSet::Tc26_512A.oid()))),
        Some(CKR_TEMPLATE_INCONSISTENT)
    );
    assert_eq!(
        p(T::new().a(CKA_GOSTR3410_PARAMS, &a).a(CKA_VALUE, &[1; 64])),
        Some(CKR_TEMPLATE_INCONSISTENT)
    );
    assert_eq!(
        p(T::new()
            .a(CKA_GOSTR3410_PARAMS, &a)
            .u(CKA_KEY_TYPE, CKK_GOSTR3410_512)),
        Some(CKR_TEMPLATE_INCONSISTENT)
    );
    assert_eq!(
        p(T::new().a(CKA_GOSTR3410_PARAMS, &a).a(0x0012_3456, &[1])),
        Some(CKR_ATTRIBUTE_TYPE_INVALID)
    );
    assert_eq!(
        p(T::new().a(CKA_GOSTR3410_PARAMS, &a).a(CKA_TOKEN, &[1, 0])),
        Some(CKR_ATTRIBUTE_VALUE_INVALID)
    );
    assert_eq!(
        p(T::new().a(CKA_GOSTR3410_PARAMS, &a).b(CKA_LOCAL, true)),
        Some(CKR_ATTRIBUTE_READ_ONLY)
    );
    assert_eq!(
        p(T::new()
            .a(CKA_GOSTR3410_PARAMS, &a)
            .a(CKA_GOSTR3411_PARAMS, &oid_der(OID_STREEBOG_512))),
        Some(CKR_ATTRIBUTE_VALUE_INVALID)
    );
    assert_eq!(
        ck.keypair(
            h,
            g,
            T::new().a(CKA_GOSTR3410_PARAMS, &a),
            T::new().a(CKA_GOSTR3410_PARAMS, &oid_der(ParamSet::Tc26_256B.oid()))
        )
        .err(),
        Some(CKR_TEMPLATE_INCONSISTENT)
    );
    assert_eq!(
        ck.keypair(h, 0x4242, T::new().a(CKA_GOSTR3410_PARAMS, &a), T::new())
            .err(),
        Some(CKR_MECHANISM_INVALID)
    );
    // the parameter set may come with the private template alone
    let (hp, _) = ck
        .keypair(h, g, T::new(), T::new().a(CKA_GOSTR3410_PARAMS, &a))
        .unwrap();
    assert_eq!(
        ck.get(h, hp, CKA_GOSTR3411_PARAMS).unwrap(),
        oid_der(OID_STREEBOG_256)
    );
    // NULL templates with counts, NULL handles out
    let mut mm = mech(g);
    let (mut x, mut y) = (0, 0);
    // SAFETY: NULL pointers are refused before use.
    unsafe {
        assert_eq!(
            C_GenerateKeyPair(h, &mut mm, null_mut(), 2, null_mut(), 0, &mut x, &mut y),
            CKR_ARGUMENTS_BAD
        );
        assert_eq!(
            C_GenerateKeyPair(h, &mut mm, null_mut(), 0, null_mut(), 0, null_mut(), &mut y),
            CKR_ARGUMENTS_BAD
        );
    }
}

/// CKA_SENSITIVE / CKA_EXTRACTABLE: the value of a sensitive or unextractable key never comes
/// out; the §5.7 rules of C_GetAttributeValue; what C_SetAttributeValue may change.
#[test]
fn sensitive_values_and_attribute_rules() {
    let (ck, h) = Ck::ready("sensitive");
    let (hp, hk) = ck.genkey(h, ParamSet::Tc26_256A, T::new().b(CKA_TOKEN, true));
    assert_eq!(ck.get(h, hk, CKA_VALUE), Err(CKR_ATTRIBUTE_SENSITIVE));
    for (s, e) in [(false, false), (true, true)] {
        let (_, k) = ck.genkey(
            h,
            ParamSet::Tc26_256A,
            T::new().b(CKA_SENSITIVE, s).b(CKA_EXTRACTABLE, e),
        );
        assert_eq!(
            ck.get(h, k, CKA_VALUE),
            Err(CKR_ATTRIBUTE_SENSITIVE),
            "{s} {e}"
        );
    }
    let (p2, k2) = ck.genkey(
        h,
        ParamSet::Tc26_512C,
        T::new().b(CKA_SENSITIVE, false).b(CKA_EXTRACTABLE, true),
    );
    let d = ck.get(h, k2, CKA_VALUE).unwrap();
    let sk = SigningKey::from_bytes(ParamSet::Tc26_512C, &d).unwrap();
    assert_eq!(
        sk.verifying_key().to_bytes(),
        ck.get(h, p2, CKA_VALUE).unwrap()
    );
    assert_eq!(ck.get(h, k2, CKA_ALWAYS_SENSITIVE).unwrap(), [0]);
    assert_eq!(ck.get(h, hk, CKA_ALWAYS_SENSITIVE).unwrap(), [1]);
    assert_eq!(ck.get(h, hk, CKA_NEVER_EXTRACTABLE).unwrap(), [1]);
    assert_eq!(ck.get(h, hk, CKA_LOCAL).unwrap(), [1]);
    // several attributes at once: the others are still answered
    let mut label = [0u8; 64];
    let mut val = [0u8; 64];
    let mut small = [0u8; 1];
    let mut attrs = [
        CK_ATTRIBUTE {
            type_: CKA_LABEL,
            pValue: label.as_mut_ptr().cast(),
            ulValueLen: 64,
        },
        CK_ATTRIBUTE {
            type_: CKA_VALUE,
            pValue: val.as_mut_ptr().cast(),
            ulValueLen: 64,
        },
        CK_ATTRIBUTE {
            type_: 0x0099_9999,
            pValue: null_mut(),
            ulValueLen: 0,
        },
        CK_ATTRIBUTE {
            type_: CKA_ID,
            pValue: small.as_mut_ptr().cast(),
            ulValueLen: 1,
        },
        CK_ATTRIBUTE {
            type_: CKA_ID,
            pValue: null_mut(),
            ulValueLen: 0,
        },
    ];
    // SAFETY: each attribute buffer holds its stated length.
    let r = unsafe { C_GetAttributeValue(h, hk, attrs.as_mut_ptr(), attrs.len() as _) };
    assert!(
        [
            CKR_ATTRIBUTE_SENSITIVE,
            CKR_ATTRIBUTE_TYPE_INVALID,
            CKR_BUFFER_TOO_SMALL
        ]
        .contains(&r),
        "{r:#x}"
    );
    assert_eq!(attrs[0].ulValueLen, 0, "empty label answered");
    assert_eq!(attrs[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_eq!(attrs[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_eq!(attrs[3].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_eq!(
        attrs[4].ulValueLen, 16,
        "the ID of the pair (hash of the public key)"
    );
    // SAFETY: NULL template with a count is refused.
    assert_eq!(
        unsafe { C_GetAttributeValue(h, hk, null_mut(), 1) },
        CKR_ARGUMENTS_BAD
    );
    assert_eq!(ck.get(h, 4242, CKA_LABEL), Err(CKR_OBJECT_HANDLE_INVALID));
    assert_eq!(
        ck.get(h + 999, hk, CKA_LABEL),
        Err(CKR_SESSION_HANDLE_INVALID)
    );
    // C_SetAttributeValue
    let set = |o: CK_ULONG, mut t: T| {
        let mut a = t.raw();
        // SAFETY: valid template.
        unsafe { C_SetAttributeValue(h, o, a.as_mut_ptr(), a.len() as _) }
    };
    assert_eq!(set(hk, T::new().a(CKA_LABEL, b"renamed")), CKR_OK);
    assert_eq!(ck.get(h, hk, CKA_LABEL).unwrap(), b"renamed");
    assert_eq!(set(hk, T::new().a(CKA_ID, b"\x01\x02")), CKR_OK);
    assert_eq!(
        set(hk, T::new().b(CKA_SENSITIVE, false)),
        CKR_ATTRIBUTE_READ_ONLY
    );
    assert_eq!(
        set(hk, T::new().b(CKA_EXTRACTABLE, true)),
        CKR_ATTRIBUTE_READ_ONLY
    );
    assert_eq!(set(k2, T::new().b(CKA_EXTRACTABLE, false)), CKR_OK);
    assert_eq!(ck.get(h, k2, CKA_VALUE), Err(CKR_ATTRIBUTE_SENSITIVE));
    assert_eq!(
        set(hk, T::new().a(CKA_VALUE, &[1; 32])),
        CKR_ATTRIBUTE_READ_ONLY
    );
    assert_eq!(
        set(hk, T::new().a(CKA_CLASS, &ulong(CKO_DATA))),
        CKR_ATTRIBUTE_READ_ONLY
    );
    assert_eq!(
        set(hk, T::new().a(0x0099_9999, &[1])),
        CKR_ATTRIBUTE_TYPE_INVALID
    );
    assert_eq!(
        set(4242, T::new().a(CKA_LABEL, b"x")),
        CKR_OBJECT_HANDLE_INVALID
    );
    // the token key still signs under its new label, and the change was saved
    let mut found = ck.find(h, T::new().a(CKA_LABEL, b"renamed"));
    assert_eq!(found, [hk]);
    let vk =
        VerifyingKey::from_bytes(ParamSet::Tc26_256A, &ck.get(h, hp, CKA_VALUE).unwrap()).unwrap();
    let sig = ck
        .sign(h, CKM_GOSTR3410_WITH_GOSTR3411_12_256, hk, b"x")
        .unwrap();
    vk.verify(b"x", &sig).unwrap();
    found.clear();
}

/// VKO: both sides of CKM_GOSTR3410_12_DERIVE (KDF_GOSTR3411_2012_256) and
/// CKM_GOSTR3410_DERIVE (CKD_NULL) agree with each other and with gostkit's VKO on imported keys.
#[test]
fn vko_derivation() {
    let (ck, h) = Ck::ready("vko");
    for set in [
        ParamSet::Tc26_256A,
        ParamSet::Tc26_512A,
        ParamSet::CryptoProA,
    ] {
        let a = SigningKey::generate(set).unwrap();
        let b = SigningKey::generate(set).unwrap();
        let params = oid_der(set.oid());
        let kt = if set.bits() == 512 {
            CKK_GOSTR3410_512
        } else {
            CKK_GOSTR3410
        };
        let import = |k: &SigningKey, derive: bool| {
            ck.create(
                h,
                T::new()
                    .u(CKA_CLASS, CKO_PRIVATE_KEY)
                    .u(CKA_KEY_TYPE, kt)
                    .a(CKA_GOSTR3410_PARAMS, &params)
                    .a(CKA_VALUE, &k.to_bytes())
                    .b(CKA_DERIVE, derive),
            )
            .unwrap()
        };
        let (ha, hb) = (import(&a, true), import(&b, true));
        let ukm = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let out = T::new()
            .b(CKA_SENSITIVE, false)
            .b(CKA_EXTRACTABLE, true)
            .u(CKA_KEY_TYPE, CKK_GOST28147);
        let d = |m, kdf, base, peer: &SigningKey| {
            ck.derive(
                h,
                m,
                kdf,
                base,
                &peer.verifying_key().to_bytes(),
                &ukm,
                T(out.0.clone()),
            )
        };
        let kab = d(CKM_GOSTR3410_12_DERIVE, CKD_KDF_GOSTR3411_2012_256, ha, &b).unwrap();
        let kba = d(CKM_GOSTR3410_12_DERIVE, CKD_KDF_GOSTR3411_2012_256, hb, &a).unwrap();
        let vab = ck.get(h, kab, CKA_VALUE).unwrap();
        assert_eq!(vab, ck.get(h, kba, CKA_VALUE).unwrap(), "{set}");
        assert_eq!(
            vab,
            vko_2012_256(&a, b.verifying_key(), &ukm).unwrap().to_vec()
        );
        assert_eq!(ck.get(h, kab, CKA_VALUE_LEN).unwrap(), ulong(32));
        if set.bits() == 256 {
            let k = d(CKM_GOSTR3410_DERIVE, CKD_NULL, ha, &b).unwrap();
            assert_eq!(
                ck.get(h, k, CKA_VALUE).unwrap(),
                vko_2001(&a, b.verifying_key(), &ukm).unwrap().to_vec()
            );
        }
        assert_eq!(
            d(CKM_GOSTR3410_12_DERIVE, CKD_NULL, ha, &b),
            Err(CKR_MECHANISM_PARAM_INVALID)
        );
        let garbage = vec![7u8; set.bits() / 4];
        assert_eq!(
            ck.derive(
                h,
                CKM_GOSTR3410_12_DERIVE,
                CKD_KDF_GOSTR3411_2012_256,
                ha,
                &garbage,
                &ukm,
                T::new()
            ),
            Err(CKR_MECHANISM_PARAM_INVALID)
        );
        let no_derive = import(&a, false);
        assert_eq!(
            d(
                CKM_GOSTR3410_12_DERIVE,
                CKD_KDF_GOSTR3411_2012_256,
                no_derive,
                &b
            ),
            Err(CKR_KEY_FUNCTION_NOT_PERMITTED)
        );
        // a derived key is sensitive unless asked otherwise
        let k = ck
            .derive(
                h,
                CKM_GOSTR3410_12_DERIVE,
                CKD_KDF_GOSTR3411_2012_256,
                ha,
                &b.verifying_key().to_bytes(),
                &ukm,
                T::new(),
            )
            .unwrap();
        assert_eq!(ck.get(h, k, CKA_VALUE), Err(CKR_ATTRIBUTE_SENSITIVE));
        // an imported key's value stays sensitive too
        assert_eq!(ck.get(h, ha, CKA_VALUE), Err(CKR_ATTRIBUTE_SENSITIVE));
    }
    // a parameter of the wrong size
    let mut mm = CK_MECHANISM {
        mechanism: CKM_GOSTR3410_12_DERIVE,
        pParameter: null_mut(),
        ulParameterLen: 8,
    };
    let mut o = 0;
    // SAFETY: NULL parameter is refused before use.
    assert_eq!(
        unsafe { C_DeriveKey(h, &mut mm, 1, null_mut(), 0, &mut o) },
        CKR_MECHANISM_PARAM_INVALID
    );
}

/// Token objects persist; private ones are sealed on disk, invisible without a login, their
/// handles dead after logout; the PIN counter locks and the SO unlocks.
#[test]
fn persistence_privacy_and_pins() {
    let secret = b"top secret payload 7f3a";
    let (ck, h) = Ck::ready("persist");
    let (_, hk) = ck
        .keypair(
            h,
            CKM_GOSTR3410_KEY_PAIR_GEN,
            T::new()
                .a(CKA_GOSTR3410_PARAMS, &oid_der(ParamSet::Tc26_256B.oid()))
                .b(CKA_TOKEN, true),
            T::new().b(CKA_TOKEN, true).a(CKA_LABEL, b"pk"),
        )
        .unwrap();
    let _pub_data = ck
        .create(
            h,
            T::new()
                .u(CKA_CLASS, CKO_DATA)
                .b(CKA_TOKEN, true)
                .a(CKA_LABEL, b"open")
                .a(CKA_VALUE, b"public payload"),
        )
        .unwrap();
    let _priv_data = ck
        .create(
            h,
            T::new()
                .u(CKA_CLASS, CKO_DATA)
                .b(CKA_TOKEN, true)
                .b(CKA_PRIVATE, true)
                .a(CKA_LABEL, b"hidden")
                .a(CKA_VALUE, secret),
        )
        .unwrap();
    let session_obj = ck
        .create(h, T::new().u(CKA_CLASS, CKO_DATA).a(CKA_LABEL, b"session"))
        .unwrap();
    assert_eq!(ck.find(h, T::new().u(CKA_CLASS, CKO_DATA)).len(), 3);
    // on disk: the secret nowhere in clear, the public payload in clear
    let store = ck.dir.join("store").join("token0");
    let files: Vec<Vec<u8>> = std::fs::read_dir(&store)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    assert!(
        !files
            .iter()
            .any(|f| f.windows(secret.len()).any(|w| w == secret))
    );
    assert!(
        files
            .iter()
            .any(|f| f.windows(14).any(|w| w == b"public payload"))
    );
    // logout: private handles die
    // SAFETY: plain handle.
    assert_eq!(unsafe { C_Logout(h) }, CKR_OK);
    assert_eq!(
        ck.sign(h, CKM_GOSTR3410_WITH_GOSTR3411_12_256, hk, b"x"),
        Err(CKR_KEY_HANDLE_INVALID)
    );
    assert_eq!(
        ck.find(h, T::new().u(CKA_CLASS, CKO_DATA)).len(),
        2,
        "public + session"
    );
    assert_eq!(ck.get(h, session_obj, CKA_LABEL).unwrap(), b"session");
    // reload the store
    // SAFETY: NULL is the required argument.
    unsafe {
        assert_eq!(C_Finalize(null_mut()), CKR_OK);
        assert_eq!(C_Initialize(null_mut()), CKR_OK);
    }
    let h = ck.open(0, true).unwrap();
    assert_eq!(
        ck.find(h, T::new().u(CKA_CLASS, CKO_DATA)).len(),
        1,
        "the public one"
    );
    assert!(
        ck.find(h, T::new().u(CKA_CLASS, CKO_PRIVATE_KEY))
            .is_empty()
    );
    assert_eq!(ck.login(h, CKU_USER, b"wrong-pin"), CKR_PIN_INCORRECT);
    assert_eq!(ck.login(h, CKU_USER, PIN), CKR_OK);
    let keys = ck.find(
        h,
        T::new().u(CKA_CLASS, CKO_PRIVATE_KEY).a(CKA_LABEL, b"pk"),
    );
    assert_eq!(keys.len(), 1);
    let pubs = ck.find(h, T::new().u(CKA_CLASS, CKO_PUBLIC_KEY));
    let vk = VerifyingKey::from_bytes(ParamSet::Tc26_256B, &ck.get(h, pubs[0], CKA_VALUE).unwrap())
        .unwrap();
    let sig = ck
        .sign(h, CKM_GOSTR3410_WITH_GOSTR3411_12_256, keys[0], b"again")
        .unwrap();
    vk.verify(b"again", &sig).unwrap();
    let hidden = ck.find(h, T::new().a(CKA_LABEL, b"hidden"));
    assert_eq!(ck.get(h, hidden[0], CKA_VALUE).unwrap(), secret);
    // destroy, and it stays destroyed
    // SAFETY: plain handles.
    assert_eq!(unsafe { C_DestroyObject(h, hidden[0]) }, CKR_OK);
    assert_eq!(
        unsafe { C_DestroyObject(h, hidden[0]) },
        CKR_OBJECT_HANDLE_INVALID
    );
    // PIN lockout: 10 wrong in a row
    // SAFETY: plain handle.
    assert_eq!(unsafe { C_Logout(h) }, CKR_OK);
    assert_eq!(unsafe { C_Logout(h) }, CKR_USER_NOT_LOGGED_IN);
    for i in 1..=10 {
        let want = if i < 10 {
            CKR_PIN_INCORRECT
        } else {
            CKR_PIN_LOCKED
        };
        assert_eq!(ck.login(h, CKU_USER, b"bad-pin!"), want, "try {i}");
    }
    let mut ti = CK_TOKEN_INFO::default();
    // SAFETY: writable local.
    assert_eq!(unsafe { C_GetTokenInfo(0, &mut ti) }, CKR_OK);
    assert_ne!(ti.flags & CKF_USER_PIN_LOCKED, 0);
    assert_eq!(ck.login(h, CKU_USER, PIN), CKR_PIN_LOCKED);
    assert_eq!(ck.login(h, CKU_SO, SO), CKR_OK);
    let mut p = b"new-user-pin".to_vec();
    // SAFETY: valid buffer.
    assert_eq!(
        unsafe { C_InitPIN(h, p.as_mut_ptr(), p.len() as _) },
        CKR_OK
    );
    assert_eq!(unsafe { C_Logout(h) }, CKR_OK);
    assert_eq!(ck.login(h, CKU_USER, b"new-user-pin"), CKR_OK);
    // objects made before the reset are still readable with the new PIN
    assert_eq!(ck.find(h, T::new().u(CKA_CLASS, CKO_PRIVATE_KEY)).len(), 1);
}

/// Login and session rules of §5.6.
#[test]
fn session_and_login_rules() {
    let (ck, h) = Ck::ready("rules");
    assert_eq!(ck.login(h, CKU_USER, PIN), CKR_USER_ALREADY_LOGGED_IN);
    assert_eq!(ck.login(h, CKU_SO, SO), CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
    assert_eq!(ck.login(h, 77, PIN), CKR_USER_TYPE_INVALID);
    let ro = ck.open(0, false).unwrap();
    let mut si = CK_SESSION_INFO::default();
    // SAFETY (this block): writable locals and valid buffers.
    unsafe {
        assert_eq!(C_GetSessionInfo(ro, &mut si), CKR_OK);
        assert_eq!(si.state, CKS_RO_USER_FUNCTIONS);
        assert_eq!(C_GetSessionInfo(h, &mut si), CKR_OK);
        assert_eq!(si.state, CKS_RW_USER_FUNCTIONS);
        assert_eq!(C_GetSessionInfo(h, null_mut()), CKR_ARGUMENTS_BAD);
    }
    // a token object needs a read/write session
    assert_eq!(
        ck.create(ro, T::new().u(CKA_CLASS, CKO_DATA).b(CKA_TOKEN, true)),
        Err(CKR_SESSION_READ_ONLY)
    );
    assert!(ck.create(ro, T::new().u(CKA_CLASS, CKO_DATA)).is_ok());
    assert_eq!(ck.create(h, T::new()), Err(CKR_TEMPLATE_INCOMPLETE));
    assert_eq!(
        ck.create(h, T::new().u(CKA_CLASS, CKO_DOMAIN_PARAMETERS)),
        Err(CKR_ATTRIBUTE_VALUE_INVALID)
    );
    assert_eq!(
        ck.create(
            h,
            T::new()
                .u(CKA_CLASS, CKO_CERTIFICATE)
                .u(CKA_CERTIFICATE_TYPE, CKC_X_509)
        ),
        Err(CKR_TEMPLATE_INCOMPLETE)
    );
    assert_eq!(
        ck.create(
            h,
            T::new()
                .u(CKA_CLASS, CKO_PUBLIC_KEY)
                .u(CKA_KEY_TYPE, CKK_GOSTR3410)
                .a(CKA_GOSTR3410_PARAMS, &oid_der(ParamSet::Tc26_256A.oid()))
                .a(CKA_VALUE, &[9; 64])
        ),
        Err(CKR_ATTRIBUTE_VALUE_INVALID),
        "a point off the curve"
    );
    // SAFETY: plain handles.
    unsafe {
        assert_eq!(C_CloseSession(ro), CKR_OK);
        assert_eq!(C_Logout(h), CKR_OK);
    }
    // private objects need the user
    assert_eq!(
        ck.create(h, T::new().u(CKA_CLASS, CKO_DATA).b(CKA_PRIVATE, true)),
        Err(CKR_USER_NOT_LOGGED_IN)
    );
    let mut p = b"another-pin".to_vec();
    // SAFETY: valid buffer.
    assert_eq!(
        unsafe { C_InitPIN(h, p.as_mut_ptr(), p.len() as _) },
        CKR_USER_NOT_LOGGED_IN
    );
    // the SO needs no read-only session around
    let ro = ck.open(0, false).unwrap();
    assert_eq!(ck.login(h, CKU_SO, SO), CKR_SESSION_READ_ONLY_EXISTS);
    // SAFETY: plain handle.
    assert_eq!(unsafe { C_CloseSession(ro) }, CKR_OK);
    assert_eq!(ck.login(h, CKU_SO, b"not the so pin"), CKR_PIN_INCORRECT);
    assert_eq!(ck.login(h, CKU_SO, SO), CKR_OK);
    assert_eq!(ck.open(0, false), Err(CKR_SESSION_READ_WRITE_SO_EXISTS));
    // C_SetPIN as SO changes the SO PIN
    let (mut old, mut new) = (SO.to_vec(), b"so-secret-2".to_vec());
    // SAFETY: valid buffers.
    unsafe {
        assert_eq!(
            C_SetPIN(
                h,
                old.as_mut_ptr(),
                old.len() as _,
                new.as_mut_ptr(),
                new.len() as _
            ),
            CKR_OK
        );
        // closing the last session logs out
        assert_eq!(C_CloseAllSessions(0), CKR_OK);
    }
    let h = ck.open(0, true).unwrap();
    assert_eq!(ck.login(h, CKU_SO, SO), CKR_PIN_INCORRECT);
    assert_eq!(ck.login(h, CKU_SO, b"so-secret-2"), CKR_OK);
    // searches
    let mut t = T::new();
    let mut a = t.raw();
    let mut out = [0; 4];
    let mut n = 0;
    // SAFETY (this block): valid buffers.
    unsafe {
        assert_eq!(
            C_FindObjects(h, out.as_mut_ptr(), 4, &mut n),
            CKR_OPERATION_NOT_INITIALIZED
        );
        assert_eq!(C_FindObjectsInit(h, a.as_mut_ptr(), 0), CKR_OK);
        assert_eq!(
            C_FindObjectsInit(h, a.as_mut_ptr(), 0),
            CKR_OPERATION_ACTIVE
        );
        assert_eq!(C_FindObjects(h, null_mut(), 4, &mut n), CKR_ARGUMENTS_BAD);
        assert_eq!(C_FindObjects(h, out.as_mut_ptr(), 4, &mut n), CKR_OK);
        assert_eq!(C_FindObjectsFinal(h), CKR_OK);
        assert_eq!(C_FindObjectsFinal(h), CKR_OPERATION_NOT_INITIALIZED);
        assert_eq!(C_FindObjectsInit(h, null_mut(), 1), CKR_ARGUMENTS_BAD);
    }
}

/// CKF_OS_LOCKING_OK: sessions on several threads sign at once.
#[test]
fn threads_sign_concurrently() {
    let (ck, h) = Ck::ready("threads");
    let (hp, hk) = ck.genkey(h, ParamSet::Tc26_256A, T::new());
    let vk =
        VerifyingKey::from_bytes(ParamSet::Tc26_256A, &ck.get(h, hp, CKA_VALUE).unwrap()).unwrap();
    let ck = &ck;
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..4u8)
            .map(|i| {
                s.spawn(move || {
                    let hs = ck.open(0, false).unwrap();
                    let mut sigs = Vec::new();
                    for j in 0..5u8 {
                        let msg = [i, j];
                        let sig = ck
                            .sign(hs, CKM_GOSTR3410_WITH_GOSTR3411_12_256, hk, &msg)
                            .unwrap();
                        sigs.push((msg, sig));
                    }
                    // SAFETY: plain handle.
                    assert_eq!(unsafe { C_CloseSession(hs) }, CKR_OK);
                    sigs
                })
            })
            .collect();
        for w in workers {
            for (msg, sig) in w.join().unwrap() {
                vk.verify(&msg, &sig).unwrap();
            }
        }
    });
}

// ---- several processes sharing one store (store.rs, "Several processes") ----

/// Environment variable giving a child process its role (see [`child_process_role`]).
const CHILD_ENV: &str = "GOSTKIT_P11_TEST_CHILD";

/// Runs `n` copies of this test binary at once, each doing `role` on the store of `ck` (which
/// stays initialised in this process), and returns the `rv=` lines each printed.
fn children(n: usize, role: &str) -> Vec<Vec<CK_RV>> {
    let exe = std::env::current_exe().unwrap();
    let kids: Vec<_> = (0..n)
        .map(|_| {
            std::process::Command::new(&exe)
                .args(["--ignored", "--exact", "child_process_role", "--nocapture"])
                .args(["--test-threads", "1"])
                .env(CHILD_ENV, role)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    kids.into_iter()
        .map(|k| {
            let out = k.wait_with_output().unwrap();
            assert!(out.status.success(), "child {role}: {out:?}");
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                // libtest's "test child_process_role ... " may share the first line
                .filter_map(|l| l.split_once("rv=").map(|(_, v)| v))
                .map(|v| v.trim().parse().unwrap())
                .collect()
        })
        .collect()
}

/// Not a test of its own: the body of the child processes [`children`] starts. Roles:
/// `wrong-pin N` (N user logins with a wrong PIN), `login PIN`, `set-pin OLD NEW` (user PIN
/// change), `create N` (N public token data objects after a user login). Prints `rv=` per call.
#[test]
#[ignore = "run by the multi-process tests in child processes"]
fn child_process_role() {
    let role = std::env::var(CHILD_ENV).expect("run by the multi-process tests");
    let ck = Ck::attach();
    let h = ck.open(0, true).unwrap();
    let words: Vec<&str> = role.split(' ').collect();
    match words.as_slice() {
        ["wrong-pin", n] => {
            for _ in 0..n.parse::<usize>().unwrap() {
                println!("rv={}", ck.login(h, CKU_USER, b"not-the-pin"));
            }
        }
        ["login", pin] => println!("rv={}", ck.login(h, CKU_USER, pin.as_bytes())),
        ["set-pin", old, new] => {
            let (mut o, mut w) = (old.as_bytes().to_vec(), new.as_bytes().to_vec());
            // SAFETY: valid buffers of the stated sizes.
            let r = unsafe {
                C_SetPIN(
                    h,
                    o.as_mut_ptr(),
                    o.len() as _,
                    w.as_mut_ptr(),
                    w.len() as _,
                )
            };
            println!("rv={r}");
        }
        ["create", n] => {
            println!("rv={}", ck.login(h, CKU_USER, PIN));
            for i in 0..n.parse::<usize>().unwrap() {
                let label = format!("p{}-{i}", std::process::id());
                let t = T::new()
                    .u(CKA_CLASS, CKO_DATA)
                    .b(CKA_TOKEN, true)
                    .a(CKA_LABEL, label.as_bytes())
                    .a(CKA_VALUE, b"shared store");
                println!("rv={}", ck.create(h, t).err().unwrap_or(CKR_OK));
            }
        }
        _ => panic!("unknown role {role}"),
    }
}

#[test]
fn pin_failures_count_across_processes() {
    let (ck, h) = Ck::ready("mp-pin");
    // SAFETY: plain handle.
    assert_eq!(unsafe { C_Logout(h) }, CKR_OK);
    // four processes, three wrong PINs each, at once: one counter for all of them, so exactly
    // 9 incorrect answers, the 10th try locks and the two after it find the PIN locked
    let rvs: Vec<CK_RV> = children(4, "wrong-pin 3").concat();
    assert_eq!(rvs.len(), 12);
    let incorrect = rvs.iter().filter(|&&r| r == CKR_PIN_INCORRECT).count();
    let locked = rvs.iter().filter(|&&r| r == CKR_PIN_LOCKED).count();
    assert_eq!((incorrect, locked), (9, 3), "{rvs:?}");
    // this process loaded the token before the children ran: it sees the lock too
    assert_eq!(ck.login(h, CKU_USER, PIN), CKR_PIN_LOCKED);
}

#[test]
fn a_stale_process_does_not_revert_a_pin_change() {
    let (ck, h) = Ck::ready("mp-setpin");
    // SAFETY: plain handle.
    assert_eq!(unsafe { C_Logout(h) }, CKR_OK);
    assert_eq!(children(1, "set-pin user-1234 user-5678"), [[CKR_OK]]);
    // this process still holds the meta of before the change; a failed login here writes the
    // failure counter, which must not put the old PIN back
    assert_eq!(ck.login(h, CKU_USER, PIN), CKR_PIN_INCORRECT);
    assert_eq!(children(1, "login user-1234"), [[CKR_PIN_INCORRECT]]);
    assert_eq!(children(1, "login user-5678"), [[CKR_OK]]);
    assert_eq!(ck.login(h, CKU_USER, b"user-5678"), CKR_OK);
}

#[test]
fn objects_created_by_several_processes_all_land() {
    let (ck, h) = Ck::ready("mp-objects");
    let per_child = children(3, "create 5");
    for rvs in &per_child {
        assert_eq!(rvs, &[CKR_OK; 6]);
    }
    // objects other processes made are seen after C_Initialize
    // SAFETY: NULL is the required argument.
    assert_eq!(unsafe { C_Finalize(null_mut()) }, CKR_OK);
    // SAFETY: NULL arguments are allowed.
    assert_eq!(unsafe { C_Initialize(null_mut()) }, CKR_OK);
    let h2 = ck.open(0, true).unwrap();
    assert_ne!(h2, 0);
    let _ = h;
    assert_eq!(ck.login(h2, CKU_USER, PIN), CKR_OK);
    let found = ck.find(h2, T::new().u(CKA_CLASS, CKO_DATA));
    let mut labels: Vec<Vec<u8>> = found
        .iter()
        .map(|&o| ck.get(h2, o, CKA_LABEL).unwrap())
        .collect();
    labels.sort();
    labels.dedup();
    assert_eq!(labels.len(), 15, "{labels:?}");
}
