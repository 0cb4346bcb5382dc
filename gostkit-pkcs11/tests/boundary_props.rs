//! Property test of the module's C boundary: generated sequences of object, search, attribute,
//! key-generation and signing calls with hostile templates — unknown attribute types, values of
//! the wrong size, NULL values with non-zero lengths, short and NULL output buffers, bad handles
//! and mechanisms with random parameters — against one logged-in token.
//!
//! Every call must return a code PKCS#11 defines for a caller's error, never
//! `CKR_GENERAL_ERROR` (what the boundary turns a panic into) or `CKR_DEVICE_ERROR`; no output
//! may be written past the length the caller gave (each buffer carries a guard tail); and after
//! each sequence the token still creates, finds, reads and destroys an object. Only what the
//! PKCS#11 contract lets a caller pass is generated: a non-NULL pointer always points to as many
//! bytes as its length says.

mod common;

use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};

use cryptoki_sys::*;
use gostkit_pkcs11::api::{crypto::*, general::*, object::*, session::*, slot::*};
use gostkit_pkcs11::consts::*;
use proptest::prelude::*;

const SO: &[u8] = b"so-secret";
const PIN: &[u8] = b"user-1234";
const GUARD: u8 = 0xA5;

/// Calls that succeeded over the whole run, by kind: the generators must reach the module's
/// working paths, not only its argument checks.
static OK_CREATE: AtomicUsize = AtomicUsize::new(0);
static OK_KEYPAIR: AtomicUsize = AtomicUsize::new(0);
static OK_SIGN: AtomicUsize = AtomicUsize::new(0);
static OK_GET: AtomicUsize = AtomicUsize::new(0);
const GUARD_LEN: usize = 16;

/// A generated attribute value: bytes, or NULL with a claimed length.
#[derive(Clone, Debug)]
enum Value {
    Bytes(Vec<u8>),
    Null(CK_ULONG),
}

#[derive(Clone, Debug)]
struct Attr {
    ty: CK_ATTRIBUTE_TYPE,
    value: Value,
}

/// One call of a sequence; handles are picked from those the sequence has seen, or made up.
#[derive(Clone, Debug)]
enum Op {
    Create(Vec<Attr>),
    Find(Vec<Attr>, CK_ULONG),
    Get(usize, Vec<(CK_ATTRIBUTE_TYPE, Option<usize>)>),
    Set(usize, Vec<Attr>),
    GenerateKeyPair(CK_MECHANISM_TYPE, Vec<Attr>, Vec<Attr>),
    Sign(CK_MECHANISM_TYPE, Vec<u8>, usize, Vec<u8>, Option<usize>),
    Destroy(usize),
}

fn attr_type() -> impl Strategy<Value = CK_ATTRIBUTE_TYPE> {
    prop_oneof![
        Just(CKA_CLASS),
        Just(CKA_TOKEN),
        Just(CKA_PRIVATE),
        Just(CKA_LABEL),
        Just(CKA_ID),
        Just(CKA_VALUE),
        Just(CKA_KEY_TYPE),
        Just(CKA_SIGN),
        Just(CKA_VERIFY),
        Just(CKA_DERIVE),
        Just(CKA_SENSITIVE),
        Just(CKA_EXTRACTABLE),
        Just(CKA_MODIFIABLE),
        Just(CKA_GOSTR3410_PARAMS),
        Just(CKA_GOSTR3411_PARAMS),
        Just(CKA_CERTIFICATE_TYPE),
        any::<u32>().prop_map(CK_ULONG::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        // well-formed shapes: a CK_ULONG, a CK_BBOOL, an OID, a short string
        any::<u32>().prop_map(|v| Value::Bytes(CK_ULONG::from(v).to_ne_bytes().to_vec())),
        any::<bool>().prop_map(|b| Value::Bytes(vec![u8::from(b)])),
        Just(Value::Bytes(oid_der("1.2.643.7.1.2.1.1.1"))),
        Just(Value::Bytes(oid_der("1.2.643.7.1.2.1.2.1"))),
        // anything, including sizes no attribute has
        proptest::collection::vec(any::<u8>(), 0..48).prop_map(Value::Bytes),
        prop_oneof![Just(1), Just(8), Just(1 << 20), Just(CK_ULONG::MAX)].prop_map(Value::Null),
    ]
}

fn template() -> impl Strategy<Value = Vec<Attr>> {
    proptest::collection::vec(
        (attr_type(), value()).prop_map(|(ty, value)| Attr { ty, value }),
        0..7,
    )
}

fn mechanism() -> impl Strategy<Value = CK_MECHANISM_TYPE> {
    prop_oneof![
        Just(CKM_GOSTR3410_KEY_PAIR_GEN),
        Just(CKM_GOSTR3410_512_KEY_PAIR_GEN),
        Just(CKM_GOSTR3410),
        Just(CKM_GOSTR3410_512),
        Just(CKM_GOSTR3410_WITH_GOSTR3411_12_256),
        Just(CKM_GOSTR3410_WITH_GOSTR3411_12_512),
        Just(CKM_GOSTR3411_12_256),
        any::<u32>().prop_map(CK_ULONG::from),
    ]
}

/// A well-formed template with up to three generated attributes added: reaches the paths
/// behind the argument checks.
fn based(base: Vec<Attr>) -> impl Strategy<Value = Vec<Attr>> {
    proptest::collection::vec(
        (attr_type(), value()).prop_map(|(ty, value)| Attr { ty, value }),
        0..3,
    )
    .prop_map(move |extra| base.iter().cloned().chain(extra).collect())
}

fn bytes(ty: CK_ATTRIBUTE_TYPE, v: &[u8]) -> Attr {
    Attr {
        ty,
        value: Value::Bytes(v.to_vec()),
    }
}

fn data_object() -> Vec<Attr> {
    vec![
        bytes(CKA_CLASS, &CKO_DATA.to_ne_bytes()),
        bytes(CKA_LABEL, b"prop"),
        bytes(CKA_VALUE, b"value"),
    ]
}

/// Mostly attributes every object has, so that a whole read can succeed.
fn common_type() -> impl Strategy<Value = CK_ATTRIBUTE_TYPE> {
    prop_oneof![
        3 => prop_oneof![Just(CKA_CLASS), Just(CKA_LABEL), Just(CKA_TOKEN), Just(CKA_PRIVATE)],
        1 => attr_type(),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let out_len = proptest::option::of(0usize..80);
    let keypair = prop_oneof![
        3 => (
            Just(CKM_GOSTR3410_KEY_PAIR_GEN),
            based(vec![bytes(CKA_GOSTR3410_PARAMS, &oid_der("1.2.643.7.1.2.1.1.1"))]),
            based(vec![bytes(CKA_SIGN, &[1])]),
        ),
        2 => (
            Just(CKM_GOSTR3410_512_KEY_PAIR_GEN),
            based(vec![bytes(CKA_GOSTR3410_PARAMS, &oid_der("1.2.643.7.1.2.1.2.1"))]),
            based(Vec::new()),
        ),
        1 => (mechanism(), template(), template()),
    ];
    let param = prop_oneof![
        3 => Just(Vec::new()),
        1 => proptest::collection::vec(any::<u8>(), 0..40),
    ];
    prop_oneof![
        3 => prop_oneof![based(data_object()), template()].prop_map(Op::Create),
        1 => (prop_oneof![based(Vec::new()), template()], 0..8 as CK_ULONG)
            .prop_map(|(t, n)| Op::Find(t, n)),
        2 => (
            any::<usize>(),
            proptest::collection::vec((common_type(), out_len.clone()), 1..5)
        )
            .prop_map(|(h, a)| Op::Get(h, a)),
        1 => (any::<usize>(), template()).prop_map(|(h, t)| Op::Set(h, t)),
        2 => keypair.prop_map(|(m, p, k)| Op::GenerateKeyPair(m, p, k)),
        3 => (
            prop_oneof![
                3 => Just(CKM_GOSTR3410_WITH_GOSTR3411_12_256),
                2 => Just(CKM_GOSTR3410_WITH_GOSTR3411_12_512),
                2 => Just(CKM_GOSTR3410),
                1 => Just(CKM_GOSTR3410_512),
                1 => mechanism(),
            ],
            param,
            any::<usize>(),
            // digest sizes for the raw mechanisms, anything for the hashing ones
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 32),
                proptest::collection::vec(any::<u8>(), 64),
                proptest::collection::vec(any::<u8>(), 0..70),
            ],
            out_len,
        )
            .prop_map(|(m, p, h, d, o)| Op::Sign(m, p, h, d, o)),
        1 => any::<usize>().prop_map(Op::Destroy),
    ]
}

/// Template storage kept alive while a call runs.
struct Template {
    _values: Vec<Vec<u8>>,
    attrs: Vec<CK_ATTRIBUTE>,
}

fn raw(t: &[Attr]) -> Template {
    let mut values: Vec<Vec<u8>> = Vec::new();
    let mut attrs = Vec::new();
    for a in t {
        match &a.value {
            Value::Bytes(b) => {
                values.push(b.clone());
                let v = values.last_mut().unwrap();
                attrs.push(CK_ATTRIBUTE {
                    type_: a.ty,
                    pValue: if v.is_empty() {
                        null_mut()
                    } else {
                        v.as_mut_ptr().cast()
                    },
                    ulValueLen: v.len() as CK_ULONG,
                });
            }
            Value::Null(n) => attrs.push(CK_ATTRIBUTE {
                type_: a.ty,
                pValue: null_mut(),
                ulValueLen: *n,
            }),
        }
    }
    Template {
        _values: values,
        attrs,
    }
}

/// The codes a call may give for a caller's mistake or a refused request.
fn acceptable(rv: CK_RV) -> bool {
    ![CKR_GENERAL_ERROR, CKR_DEVICE_ERROR, CKR_FUNCTION_FAILED].contains(&rv)
}

/// An output buffer of `n` bytes followed by a guard tail that must stay untouched.
struct Guarded(Vec<u8>, usize);

impl Guarded {
    fn new(n: usize) -> Self {
        Guarded(vec![GUARD; n + GUARD_LEN], n)
    }
    fn ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr()
    }
    fn intact(&self) -> bool {
        self.0[self.1..].iter().all(|&b| b == GUARD)
    }
}

/// Picks a handle: one the sequence has seen (by index) or, for a large index, a made-up one.
fn pick(seen: &[CK_OBJECT_HANDLE], i: usize) -> CK_OBJECT_HANDLE {
    if seen.is_empty() || i.is_multiple_of(5) {
        (i as CK_ULONG) % 1000
    } else {
        seen[i % seen.len()]
    }
}

fn run(h: CK_SESSION_HANDLE, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut seen: Vec<CK_OBJECT_HANDLE> = Vec::new();
    let mut private_keys: Vec<CK_OBJECT_HANDLE> = Vec::new();
    for op in ops {
        match op {
            Op::Create(t) => {
                let mut t = raw(t);
                let mut o = 0;
                // SAFETY: the template's pointers are NULL or point to their stated lengths.
                let rv =
                    unsafe { C_CreateObject(h, t.attrs.as_mut_ptr(), t.attrs.len() as _, &mut o) };
                prop_assert!(acceptable(rv), "C_CreateObject {op:?} -> {rv:#x}");
                if rv == CKR_OK {
                    OK_CREATE.fetch_add(1, Ordering::Relaxed);
                    seen.push(o);
                }
            }
            Op::Find(t, max) => {
                let mut t = raw(t);
                // SAFETY: as above.
                let rv = unsafe { C_FindObjectsInit(h, t.attrs.as_mut_ptr(), t.attrs.len() as _) };
                prop_assert!(acceptable(rv), "C_FindObjectsInit {op:?} -> {rv:#x}");
                if rv == CKR_OK {
                    let mut out = vec![0 as CK_OBJECT_HANDLE; *max as usize + 1];
                    let mut n = CK_ULONG::MAX;
                    // SAFETY: `out` holds `max` handles (one spare).
                    let rv = unsafe { C_FindObjects(h, out.as_mut_ptr(), *max, &mut n) };
                    prop_assert_eq!(rv, CKR_OK);
                    prop_assert!(n <= *max, "{n} handles for room for {max}");
                    prop_assert_eq!(out[*max as usize], 0, "written past the room given");
                    seen.extend_from_slice(&out[..n as usize]);
                    // SAFETY: plain handle.
                    prop_assert_eq!(unsafe { C_FindObjectsFinal(h) }, CKR_OK);
                }
            }
            Op::Get(i, attrs) => {
                let mut bufs: Vec<Option<Guarded>> =
                    attrs.iter().map(|(_, n)| n.map(Guarded::new)).collect();
                let mut t: Vec<CK_ATTRIBUTE> = attrs
                    .iter()
                    .zip(bufs.iter_mut())
                    .map(|((ty, n), b)| CK_ATTRIBUTE {
                        type_: *ty,
                        pValue: b.as_mut().map_or(null_mut(), |g| g.ptr().cast()),
                        ulValueLen: n.unwrap_or(0) as CK_ULONG,
                    })
                    .collect();
                // SAFETY: each non-NULL pValue has ulValueLen bytes (and a guard tail).
                let rv = unsafe {
                    C_GetAttributeValue(h, pick(&seen, *i), t.as_mut_ptr(), t.len() as _)
                };
                prop_assert!(acceptable(rv), "C_GetAttributeValue {op:?} -> {rv:#x}");
                if rv == CKR_OK {
                    OK_GET.fetch_add(1, Ordering::Relaxed);
                }
                for (a, b) in t.iter().zip(&bufs) {
                    if let Some(g) = b {
                        prop_assert!(g.intact(), "C_GetAttributeValue wrote past {}", g.1);
                        prop_assert!(
                            a.ulValueLen == CK_UNAVAILABLE_INFORMATION
                                || rv != CKR_OK
                                || a.ulValueLen as usize <= g.1
                        );
                    }
                }
            }
            Op::Set(i, t) => {
                let mut t = raw(t);
                // SAFETY: as for C_CreateObject.
                let rv = unsafe {
                    C_SetAttributeValue(
                        h,
                        pick(&seen, *i),
                        t.attrs.as_mut_ptr(),
                        t.attrs.len() as _,
                    )
                };
                prop_assert!(acceptable(rv), "C_SetAttributeValue {op:?} -> {rv:#x}");
            }
            Op::GenerateKeyPair(m, pubt, privt) => {
                let (mut p, mut k) = (raw(pubt), raw(privt));
                let mut mm = CK_MECHANISM {
                    mechanism: *m,
                    pParameter: null_mut(),
                    ulParameterLen: 0,
                };
                let (mut hp, mut hk) = (0, 0);
                // SAFETY: templates as above, valid mechanism and out-pointers.
                let rv = unsafe {
                    C_GenerateKeyPair(
                        h,
                        &mut mm,
                        p.attrs.as_mut_ptr(),
                        p.attrs.len() as _,
                        k.attrs.as_mut_ptr(),
                        k.attrs.len() as _,
                        &mut hp,
                        &mut hk,
                    )
                };
                prop_assert!(acceptable(rv), "C_GenerateKeyPair {op:?} -> {rv:#x}");
                if rv == CKR_OK {
                    OK_KEYPAIR.fetch_add(1, Ordering::Relaxed);
                    seen.extend([hp, hk]);
                    private_keys.push(hk);
                }
            }
            Op::Sign(m, param, i, data, out) => {
                let mut param = param.clone();
                let mut mm = CK_MECHANISM {
                    mechanism: *m,
                    pParameter: if param.is_empty() {
                        null_mut()
                    } else {
                        param.as_mut_ptr().cast()
                    },
                    ulParameterLen: param.len() as _,
                };
                let key = if private_keys.is_empty() || i.is_multiple_of(3) {
                    pick(&seen, *i)
                } else {
                    private_keys[i % private_keys.len()]
                };
                // SAFETY: the parameter points to its stated length.
                let rv = unsafe { C_SignInit(h, &mut mm, key) };
                prop_assert!(acceptable(rv), "C_SignInit {op:?} -> {rv:#x}");
                if rv == CKR_OK {
                    let mut d = data.clone();
                    let mut g = out.map(Guarded::new);
                    let mut n = out.unwrap_or(0) as CK_ULONG;
                    let sig = g.as_mut().map_or(null_mut(), Guarded::ptr);
                    // SAFETY: data and signature buffers of the stated lengths.
                    let rv = unsafe { C_Sign(h, d.as_mut_ptr(), d.len() as _, sig, &mut n) };
                    prop_assert!(acceptable(rv), "C_Sign {op:?} -> {rv:#x}");
                    if rv == CKR_OK && !sig.is_null() {
                        OK_SIGN.fetch_add(1, Ordering::Relaxed);
                    }
                    if let Some(g) = &g {
                        prop_assert!(g.intact(), "C_Sign wrote past {}", g.1);
                    }
                    if rv == CKR_BUFFER_TOO_SMALL || (rv == CKR_OK && sig.is_null()) {
                        // the operation stays active after a length query: finish or drop it
                        let mut big = Guarded::new(n as usize);
                        let mut n2 = n;
                        // SAFETY: as above.
                        let rv =
                            unsafe { C_Sign(h, d.as_mut_ptr(), d.len() as _, big.ptr(), &mut n2) };
                        prop_assert!(acceptable(rv), "C_Sign (second) -> {rv:#x}");
                        if rv == CKR_OK {
                            OK_SIGN.fetch_add(1, Ordering::Relaxed);
                        }
                        prop_assert!(big.intact());
                    }
                }
            }
            Op::Destroy(i) => {
                // SAFETY: plain handles.
                let rv = unsafe { C_DestroyObject(h, pick(&seen, *i)) };
                prop_assert!(acceptable(rv), "C_DestroyObject {op:?} -> {rv:#x}");
            }
        }
    }
    still_works(h)
}

/// The token still creates, finds, reads and destroys an object.
fn still_works(h: CK_SESSION_HANDLE) -> Result<(), TestCaseError> {
    let label = b"still-works".to_vec();
    let t = [
        Attr {
            ty: CKA_CLASS,
            value: Value::Bytes(CKO_DATA.to_ne_bytes().to_vec()),
        },
        Attr {
            ty: CKA_LABEL,
            value: Value::Bytes(label.clone()),
        },
    ];
    let mut c = raw(&t);
    let mut o = 0;
    // SAFETY: a valid template.
    let rv = unsafe { C_CreateObject(h, c.attrs.as_mut_ptr(), c.attrs.len() as _, &mut o) };
    prop_assert_eq!(rv, CKR_OK);
    let mut f = raw(&t[1..]);
    // SAFETY: as above.
    prop_assert_eq!(
        unsafe { C_FindObjectsInit(h, f.attrs.as_mut_ptr(), 1) },
        CKR_OK
    );
    let mut found = [0; 4];
    let mut n = 0;
    // SAFETY: room for 4 handles.
    prop_assert_eq!(
        unsafe { C_FindObjects(h, found.as_mut_ptr(), 4, &mut n) },
        CKR_OK
    );
    // SAFETY: plain handle.
    prop_assert_eq!(unsafe { C_FindObjectsFinal(h) }, CKR_OK);
    prop_assert!(found[..n as usize].contains(&o));
    let mut back = vec![0u8; label.len()];
    let mut a = CK_ATTRIBUTE {
        type_: CKA_LABEL,
        pValue: back.as_mut_ptr().cast(),
        ulValueLen: back.len() as _,
    };
    // SAFETY: a buffer of the stated length.
    prop_assert_eq!(unsafe { C_GetAttributeValue(h, o, &mut a, 1) }, CKR_OK);
    prop_assert_eq!(&back, &label);
    // SAFETY: plain handles.
    prop_assert_eq!(unsafe { C_DestroyObject(h, o) }, CKR_OK);
    Ok(())
}

/// A token with a user PIN and a logged-in read/write session.
fn token() -> CK_SESSION_HANDLE {
    let dir = common::scratch("props");
    // SAFETY: the only test of this binary: nothing reads the environment concurrently.
    unsafe { std::env::set_var("GOSTKIT_PKCS11_DIR", dir.join("store")) };
    // SAFETY: NULL arguments are allowed; the buffers below have their stated sizes.
    unsafe {
        assert_eq!(C_Initialize(null_mut()), CKR_OK);
        let mut label = [b' '; 32];
        let mut so = SO.to_vec();
        assert_eq!(
            C_InitToken(0, so.as_mut_ptr(), so.len() as _, label.as_mut_ptr()),
            CKR_OK
        );
        let mut h = 0;
        let flags = CKF_SERIAL_SESSION | CKF_RW_SESSION;
        assert_eq!(C_OpenSession(0, flags, null_mut(), None, &mut h), CKR_OK);
        assert_eq!(C_Login(h, CKU_SO, so.as_mut_ptr(), so.len() as _), CKR_OK);
        let mut pin = PIN.to_vec();
        assert_eq!(C_InitPIN(h, pin.as_mut_ptr(), pin.len() as _), CKR_OK);
        assert_eq!(C_Logout(h), CKR_OK);
        assert_eq!(
            C_Login(h, CKU_USER, pin.as_mut_ptr(), pin.len() as _),
            CKR_OK
        );
        h
    }
}

#[test]
fn hostile_call_sequences_keep_the_boundary() {
    let h = token();
    let cfg = ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(cfg, |(ops in proptest::collection::vec(op(), 1..10))| {
        run(h, &ops)?;
    });
    // SAFETY: NULL is the required argument.
    assert_eq!(unsafe { C_Finalize(null_mut()) }, CKR_OK);
    let _ = std::fs::remove_dir_all(common::scratch("props"));
    let ok = [&OK_CREATE, &OK_KEYPAIR, &OK_GET, &OK_SIGN].map(|c| c.load(Ordering::Relaxed));
    println!(
        "succeeded: create {}, keypair {}, get {}, sign {}",
        ok[0], ok[1], ok[2], ok[3]
    );
    assert!(
        ok.iter().all(|&n| n > 0),
        "a kind of call never succeeded: {ok:?}"
    );
}
