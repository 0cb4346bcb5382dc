//! The module's state between `C_Initialize` and `C_Finalize`: slots with their tokens and
//! objects, sessions, login state, PINs (PKCS#11 v2.40 §5.5–§5.6 and §4.4).
//!
//! Rules kept here: login state is per token and shared by the application's sessions; the
//! last session closed logs out; private objects (`CKA_PRIVATE`) are visible only while the
//! user is logged in, and their handles die at logout; session objects belong to the session
//! that made them; token objects need a read/write session to be created, changed or destroyed.
//! PINs are 4 to 255 bytes; [`MAX_PIN_TRIES`] wrong PINs in a row lock that PIN
//! (`CKR_PIN_LOCKED`): a locked user PIN is reset by the SO with `C_InitPIN`, a locked SO PIN
//! leaves the token usable only by deleting its directory.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cryptoki_sys::*;

use crate::boundary::{P11Result, padded};
use crate::mech::{DigestOp, SignOp, VerifyOp};
use crate::object::{Object, Template};
use crate::store::{self, Meta, Stored, TokenKey};

/// Wrong PINs in a row before the PIN locks.
pub const MAX_PIN_TRIES: u32 = 10;
/// Shortest PIN.
pub const MIN_PIN: usize = 4;
/// Longest PIN.
pub const MAX_PIN: usize = 255;

/// Who is logged in to a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login {
    /// Nobody.
    Public,
    /// The normal user.
    User,
    /// The security officer.
    So,
}

/// Where an object lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// A token object, stored in the file of this id.
    Token(String),
    /// A session object of this session.
    Session(CK_SESSION_HANDLE),
}

/// An object and where it lives.
#[derive(Debug)]
pub struct Entry {
    /// The attributes.
    pub obj: Object,
    /// Token or session object.
    pub place: Place,
}

/// A slot and its token.
pub struct Slot {
    /// The token's directory.
    pub dir: PathBuf,
    /// `token.meta`; None while the token is not initialised.
    pub meta: Option<Meta>,
    /// Who is logged in.
    pub login: Login,
    /// The token key while the user or the SO is logged in.
    pub key: Option<TokenKey>,
    /// Visible and hidden-by-privacy objects with a handle.
    pub objects: BTreeMap<CK_OBJECT_HANDLE, Entry>,
    /// Private token objects while the user is logged out: file id and sealed attributes.
    pub sealed: Vec<(String, Vec<u8>)>,
}

/// A session.
pub struct Session {
    /// Its slot.
    pub slot: CK_SLOT_ID,
    /// Read/write (`CKF_RW_SESSION`).
    pub rw: bool,
    /// Remaining results of `C_FindObjects`.
    pub find: Option<Vec<CK_OBJECT_HANDLE>>,
    /// Active signature.
    pub sign: Option<SignOp>,
    /// Active verification.
    pub verify: Option<VerifyOp>,
    /// Active digest.
    pub digest: Option<DigestOp>,
}

/// The whole state.
pub struct Module {
    /// The store root.
    pub root: PathBuf,
    /// Slots by ID.
    pub slots: BTreeMap<CK_SLOT_ID, Slot>,
    /// Sessions by handle.
    pub sessions: BTreeMap<CK_SESSION_HANDLE, Session>,
    next_handle: CK_ULONG,
}

impl Module {
    /// Reads the store: every initialised token and one free slot.
    pub fn load() -> P11Result<Self> {
        let root = store::root().ok_or(CKR_GENERAL_ERROR)?;
        let mut m = Self {
            root,
            slots: BTreeMap::new(),
            sessions: BTreeMap::new(),
            next_handle: 1,
        };
        for id in store::scan(&m.root) {
            let dir = store::token_dir(&m.root, id);
            let Some(meta) = store::read_meta(&dir) else {
                continue;
            };
            let mut slot = Slot {
                dir: dir.clone(),
                meta: Some(meta),
                login: Login::Public,
                key: None,
                objects: BTreeMap::new(),
                sealed: Vec::new(),
            };
            for (file_id, s) in store::read_objects(&dir) {
                match s {
                    Stored::Public(b) => {
                        if let Some(obj) = Object::from_bytes(&b) {
                            let h = m.handle();
                            slot.objects.insert(
                                h,
                                Entry {
                                    obj,
                                    place: Place::Token(file_id),
                                },
                            );
                        }
                    }
                    Stored::Private(b) => slot.sealed.push((file_id, b)),
                }
            }
            m.slots.insert(id, slot);
        }
        m.add_free_slot();
        Ok(m)
    }

    /// A fresh handle (sessions and objects share the counter; never 0).
    pub fn handle(&mut self) -> CK_ULONG {
        let h = self.next_handle;
        self.next_handle = self.next_handle.wrapping_add(1).max(1);
        h
    }

    fn add_free_slot(&mut self) {
        if self.slots.values().any(|s| s.meta.is_none()) {
            return;
        }
        let id = (0..).find(|i| !self.slots.contains_key(i)).unwrap_or(0);
        self.slots.insert(
            id,
            Slot {
                dir: store::token_dir(&self.root, id),
                meta: None,
                login: Login::Public,
                key: None,
                objects: BTreeMap::new(),
                sealed: Vec::new(),
            },
        );
    }

    /// A slot, or `CKR_SLOT_ID_INVALID`.
    pub fn slot(&self, id: CK_SLOT_ID) -> P11Result<&Slot> {
        self.slots.get(&id).ok_or(CKR_SLOT_ID_INVALID)
    }

    /// A session, or `CKR_SESSION_HANDLE_INVALID`.
    pub fn session(&self, h: CK_SESSION_HANDLE) -> P11Result<&Session> {
        self.sessions.get(&h).ok_or(CKR_SESSION_HANDLE_INVALID)
    }

    /// A session, mutably.
    pub fn session_mut(&mut self, h: CK_SESSION_HANDLE) -> P11Result<&mut Session> {
        self.sessions.get_mut(&h).ok_or(CKR_SESSION_HANDLE_INVALID)
    }

    /// The slot of a session.
    pub fn session_slot(&self, h: CK_SESSION_HANDLE) -> P11Result<(&Session, &Slot)> {
        let s = self.session(h)?;
        Ok((s, self.slot(s.slot)?))
    }

    fn slot_mut(&mut self, id: CK_SLOT_ID) -> P11Result<&mut Slot> {
        self.slots.get_mut(&id).ok_or(CKR_SLOT_ID_INVALID)
    }

    /// `CK_SLOT_INFO`.
    pub fn slot_info(&self, id: CK_SLOT_ID) -> P11Result<CK_SLOT_INFO> {
        self.slot(id)?;
        Ok(CK_SLOT_INFO {
            slotDescription: padded(&format!("gostkit software slot {id}")),
            manufacturerID: padded("gostkit"),
            flags: CKF_TOKEN_PRESENT,
            hardwareVersion: CK_VERSION { major: 0, minor: 0 },
            firmwareVersion: version(),
        })
    }

    /// `CK_TOKEN_INFO`.
    pub fn token_info(&self, id: CK_SLOT_ID) -> P11Result<CK_TOKEN_INFO> {
        let slot = self.slot(id)?;
        let sessions = self.sessions.values().filter(|s| s.slot == id);
        let count = sessions.clone().count() as CK_ULONG;
        let rw = sessions.filter(|s| s.rw).count() as CK_ULONG;
        let mut flags = CKF_RNG | CKF_LOGIN_REQUIRED;
        let (label, serial) = match &slot.meta {
            Some(m) => {
                flags |= CKF_TOKEN_INITIALIZED;
                if m.user.is_some() {
                    flags |= CKF_USER_PIN_INITIALIZED;
                }
                flags |= pin_flags(
                    m.user_fails,
                    CKF_USER_PIN_COUNT_LOW,
                    CKF_USER_PIN_FINAL_TRY,
                    CKF_USER_PIN_LOCKED,
                );
                flags |= pin_flags(
                    m.so_fails,
                    CKF_SO_PIN_COUNT_LOW,
                    CKF_SO_PIN_FINAL_TRY,
                    CKF_SO_PIN_LOCKED,
                );
                (m.label, m.serial)
            }
            None => ([b' '; 32], [b' '; 16]),
        };
        Ok(CK_TOKEN_INFO {
            label,
            manufacturerID: padded("gostkit"),
            model: padded("software token"),
            serialNumber: serial,
            flags,
            ulMaxSessionCount: CK_EFFECTIVELY_INFINITE,
            ulSessionCount: count,
            ulMaxRwSessionCount: CK_EFFECTIVELY_INFINITE,
            ulRwSessionCount: rw,
            ulMaxPinLen: MAX_PIN as CK_ULONG,
            ulMinPinLen: MIN_PIN as CK_ULONG,
            ulTotalPublicMemory: CK_UNAVAILABLE_INFORMATION,
            ulFreePublicMemory: CK_UNAVAILABLE_INFORMATION,
            ulTotalPrivateMemory: CK_UNAVAILABLE_INFORMATION,
            ulFreePrivateMemory: CK_UNAVAILABLE_INFORMATION,
            hardwareVersion: CK_VERSION { major: 0, minor: 0 },
            firmwareVersion: version(),
            utcTime: [b' '; 16],
        })
    }

    /// `C_InitToken`: a new token in a free slot, or a wiped one (SO PIN checked).
    pub fn init_token(&mut self, id: CK_SLOT_ID, pin: &[u8], label: [u8; 32]) -> P11Result {
        check_pin_len(pin)?;
        if self.sessions.values().any(|s| s.slot == id) {
            return Err(CKR_SESSION_EXISTS);
        }
        let root = self.root.clone();
        let slot = self.slot_mut(id)?;
        // a new token is made under the store root's lock, a re-initialisation under its own
        let _lock = match slot.meta {
            Some(_) => {
                // re-initialising: the SO PIN must match; every object goes with the old key
                let (lock, meta) = lock_meta(&slot.dir, &mut slot.meta)?;
                verify_pin(meta, Login::So, pin, &slot.dir)?;
                for (file_id, _) in store::read_objects(&slot.dir) {
                    store::remove_object(&slot.dir, &file_id)?;
                }
                lock
            }
            None => {
                store::create_dir(&root)?;
                let lock = store::lock_dir(&root)?;
                if store::read_meta(&slot.dir).is_some() {
                    // another process initialised this slot since C_Initialize
                    return Err(CKR_DEVICE_ERROR);
                }
                store::create_dir(&slot.dir)?;
                lock
            }
        };
        let key = store::new_token_key()?;
        let mut serial_raw = [0u8; 8];
        store::random(&mut serial_raw)?;
        let serial_hex: String = serial_raw.iter().map(|b| format!("{b:02x}")).collect();
        let meta = Meta {
            label,
            serial: padded(&serial_hex),
            so: store::wrap(&key, pin)?,
            user: None,
            check: store::make_check(&key)?,
            so_fails: 0,
            user_fails: 0,
        };
        store::write_meta(&slot.dir, &meta)?;
        slot.meta = Some(meta);
        slot.objects.clear();
        slot.sealed.clear();
        slot.login = Login::Public;
        slot.key = None;
        self.add_free_slot();
        Ok(())
    }

    /// `C_OpenSession`.
    pub fn open_session(&mut self, id: CK_SLOT_ID, flags: CK_FLAGS) -> P11Result<CK_ULONG> {
        if flags & CKF_SERIAL_SESSION == 0 {
            return Err(CKR_SESSION_PARALLEL_NOT_SUPPORTED);
        }
        let slot = self.slot(id)?;
        if slot.meta.is_none() {
            return Err(CKR_TOKEN_NOT_RECOGNIZED);
        }
        let rw = flags & CKF_RW_SESSION != 0;
        if !rw && slot.login == Login::So {
            return Err(CKR_SESSION_READ_WRITE_SO_EXISTS);
        }
        let h = self.handle();
        self.sessions.insert(
            h,
            Session {
                slot: id,
                rw,
                find: None,
                sign: None,
                verify: None,
                digest: None,
            },
        );
        Ok(h)
    }

    /// `C_CloseSession`: its session objects go; the last session of a token logs out.
    pub fn close_session(&mut self, h: CK_SESSION_HANDLE) -> P11Result {
        let s = self.sessions.remove(&h).ok_or(CKR_SESSION_HANDLE_INVALID)?;
        let last = !self.sessions.values().any(|o| o.slot == s.slot);
        let slot = self.slot_mut(s.slot)?;
        slot.objects.retain(|_, e| e.place != Place::Session(h));
        if last {
            logout_slot(slot);
        }
        Ok(())
    }

    /// `C_CloseAllSessions`.
    pub fn close_all(&mut self, id: CK_SLOT_ID) -> P11Result {
        self.slot(id)?;
        let hs: Vec<_> = self
            .sessions
            .iter()
            .filter(|(_, s)| s.slot == id)
            .map(|(h, _)| *h)
            .collect();
        for h in hs {
            self.close_session(h)?;
        }
        Ok(())
    }

    /// `CK_SESSION_INFO`.
    pub fn session_info(&self, h: CK_SESSION_HANDLE) -> P11Result<CK_SESSION_INFO> {
        let (s, slot) = self.session_slot(h)?;
        let state = match (slot.login, s.rw) {
            (Login::Public, false) => CKS_RO_PUBLIC_SESSION,
            (Login::Public, true) => CKS_RW_PUBLIC_SESSION,
            (Login::User, false) => CKS_RO_USER_FUNCTIONS,
            (Login::User, true) => CKS_RW_USER_FUNCTIONS,
            (Login::So, _) => CKS_RW_SO_FUNCTIONS,
        };
        Ok(CK_SESSION_INFO {
            slotID: s.slot,
            state,
            flags: CKF_SERIAL_SESSION | if s.rw { CKF_RW_SESSION } else { 0 },
            ulDeviceError: 0,
        })
    }

    /// `C_Login`.
    pub fn login(&mut self, h: CK_SESSION_HANDLE, user: CK_USER_TYPE, pin: &[u8]) -> P11Result {
        let who = match user {
            CKU_SO => Login::So,
            CKU_USER => Login::User,
            CKU_CONTEXT_SPECIFIC => return Err(CKR_OPERATION_NOT_INITIALIZED),
            _ => return Err(CKR_USER_TYPE_INVALID),
        };
        let id = self.session(h)?.slot;
        let ro_exists = self.sessions.values().any(|s| s.slot == id && !s.rw);
        let mut fresh = Vec::new();
        let slot = self.slot_mut(id)?;
        match slot.login {
            Login::Public => {}
            l if l == who => return Err(CKR_USER_ALREADY_LOGGED_IN),
            _ => return Err(CKR_USER_ANOTHER_ALREADY_LOGGED_IN),
        }
        if who == Login::So && ro_exists {
            return Err(CKR_SESSION_READ_ONLY_EXISTS);
        }
        let (lock, meta) = lock_meta(&slot.dir, &mut slot.meta)?;
        let key = verify_pin(meta, who, pin, &slot.dir)?;
        drop(lock);
        if who == Login::User {
            let mut still_sealed = Vec::new();
            for (file_id, blob) in std::mem::take(&mut slot.sealed) {
                let opened = store::open(&key, &store::object_aad(&file_id), &blob)
                    .and_then(|plain| Object::from_bytes(&plain));
                match opened {
                    Some(obj) => fresh.push(Entry {
                        obj,
                        place: Place::Token(file_id),
                    }),
                    None => still_sealed.push((file_id, blob)),
                }
            }
            slot.sealed = still_sealed;
        }
        slot.login = who;
        slot.key = Some(key);
        for e in fresh {
            let h = self.handle();
            self.slot_mut(id)?.objects.insert(h, e);
        }
        Ok(())
    }

    /// `C_Logout`.
    pub fn logout(&mut self, h: CK_SESSION_HANDLE) -> P11Result {
        let id = self.session(h)?.slot;
        let slot = self.slot_mut(id)?;
        if slot.login == Login::Public {
            return Err(CKR_USER_NOT_LOGGED_IN);
        }
        logout_slot(slot);
        for s in self.sessions.values_mut().filter(|s| s.slot == id) {
            s.find = None;
            s.sign = None;
            s.verify = None;
        }
        Ok(())
    }

    /// `C_InitPIN`: the SO sets (or resets) the user PIN.
    pub fn init_pin(&mut self, h: CK_SESSION_HANDLE, pin: &[u8]) -> P11Result {
        let (s, slot) = self.session_slot(h)?;
        if slot.login != Login::So {
            return Err(CKR_USER_NOT_LOGGED_IN);
        }
        if !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        check_pin_len(pin)?;
        let id = s.slot;
        let slot = self.slot_mut(id)?;
        let key = slot.key.as_ref().ok_or(CKR_GENERAL_ERROR)?;
        let wrapped = store::wrap(key, pin)?;
        let (_lock, meta) = lock_meta(&slot.dir, &mut slot.meta)?;
        meta.user = Some(wrapped);
        meta.user_fails = 0;
        store::write_meta(&slot.dir, meta)
    }

    /// `C_SetPIN`: the logged-in SO changes the SO PIN, anyone else the user PIN.
    pub fn set_pin(&mut self, h: CK_SESSION_HANDLE, old: &[u8], new: &[u8]) -> P11Result {
        let (s, slot) = self.session_slot(h)?;
        if !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        let who = if slot.login == Login::So {
            Login::So
        } else {
            Login::User
        };
        check_pin_len(new)?;
        let id = s.slot;
        let slot = self.slot_mut(id)?;
        let (_lock, meta) = lock_meta(&slot.dir, &mut slot.meta)?;
        let key = verify_pin(meta, who, old, &slot.dir)?;
        let wrapped = store::wrap(&key, new)?;
        if who == Login::So {
            meta.so = wrapped;
        } else {
            meta.user = Some(wrapped);
        }
        store::write_meta(&slot.dir, meta)
    }

    /// Finds a visible object of the session's token, or `err`.
    pub fn object(
        &self,
        h: CK_SESSION_HANDLE,
        oh: CK_OBJECT_HANDLE,
        err: CK_RV,
    ) -> P11Result<&Entry> {
        let (_, slot) = self.session_slot(h)?;
        let e = slot.objects.get(&oh).ok_or(err)?;
        if e.obj.is_private() && slot.login != Login::User {
            return Err(err);
        }
        Ok(e)
    }

    /// Checks that the session may create, change or destroy `obj`.
    pub fn check_write(&self, h: CK_SESSION_HANDLE, obj: &Object) -> P11Result {
        let (s, slot) = self.session_slot(h)?;
        if obj.is_token() && !s.rw {
            return Err(CKR_SESSION_READ_ONLY);
        }
        if obj.is_private() && slot.login != Login::User {
            return Err(CKR_USER_NOT_LOGGED_IN);
        }
        Ok(())
    }

    /// Adds a new object (writing it when it is a token object); returns its handle.
    pub fn insert(&mut self, h: CK_SESSION_HANDLE, obj: Object) -> P11Result<CK_OBJECT_HANDLE> {
        self.check_write(h, &obj)?;
        let id = self.session(h)?.slot;
        let place = if obj.is_token() {
            Place::Token(store::new_file_id()?)
        } else {
            Place::Session(h)
        };
        let slot = self.slot(id)?;
        persist(slot, &obj, &place)?;
        let oh = self.handle();
        self.slot_mut(id)?.objects.insert(oh, Entry { obj, place });
        Ok(oh)
    }

    /// Replaces an object's attributes (writing a token object).
    pub fn update(&mut self, h: CK_SESSION_HANDLE, oh: CK_OBJECT_HANDLE, obj: Object) -> P11Result {
        let id = self.session(h)?.slot;
        let slot = self.slot_mut(id)?;
        let place = slot
            .objects
            .get(&oh)
            .map(|e| e.place.clone())
            .ok_or(CKR_OBJECT_HANDLE_INVALID)?;
        persist(slot, &obj, &place)?;
        if let Some(e) = slot.objects.get_mut(&oh) {
            e.obj = obj;
        }
        Ok(())
    }

    /// `C_DestroyObject`.
    pub fn destroy(&mut self, h: CK_SESSION_HANDLE, oh: CK_OBJECT_HANDLE) -> P11Result {
        let e = self.object(h, oh, CKR_OBJECT_HANDLE_INVALID)?;
        self.check_write(h, &e.obj)?;
        if !e.obj.bool(CKA_DESTROYABLE) {
            return Err(CKR_ACTION_PROHIBITED);
        }
        let id = self.session(h)?.slot;
        let slot = self.slot_mut(id)?;
        if let Some(Entry {
            place: Place::Token(file_id),
            ..
        }) = slot.objects.get(&oh)
        {
            store::remove_object(&slot.dir, file_id)?;
        }
        slot.objects.remove(&oh);
        Ok(())
    }

    /// The handles of the visible objects matching `t`, in handle order.
    pub fn search(&self, h: CK_SESSION_HANDLE, t: &Template) -> P11Result<Vec<CK_OBJECT_HANDLE>> {
        let (_, slot) = self.session_slot(h)?;
        Ok(slot
            .objects
            .iter()
            .filter(|(_, e)| !e.obj.is_private() || slot.login == Login::User)
            .filter(|(_, e)| e.obj.matches(t))
            .map(|(oh, _)| *oh)
            .collect())
    }

    /// Who is logged in to the session's token.
    pub fn login_state(&self, h: CK_SESSION_HANDLE) -> P11Result<Login> {
        Ok(self.session_slot(h)?.1.login)
    }
}

/// Writes a token object's file (sealed when private); session objects are not written.
fn persist(slot: &Slot, obj: &Object, place: &Place) -> P11Result {
    let Place::Token(file_id) = place else {
        return Ok(());
    };
    let bytes = zeroize::Zeroizing::new(obj.to_bytes());
    let stored = if obj.is_private() {
        let key = slot.key.as_ref().ok_or(CKR_USER_NOT_LOGGED_IN)?;
        Stored::Private(store::seal(key, &store::object_aad(file_id), &bytes)?)
    } else {
        Stored::Public(bytes.to_vec())
    };
    store::write_object(&slot.dir, file_id, &stored)
}

/// Ends a login: private token objects are sealed again (their handles die), private session
/// objects are destroyed, the token key is forgotten.
fn logout_slot(slot: &mut Slot) {
    if slot.login == Login::User {
        let private: Vec<_> = slot
            .objects
            .iter()
            .filter(|(_, e)| e.obj.is_private())
            .map(|(h, _)| *h)
            .collect();
        for oh in private {
            if let Some(e) = slot.objects.remove(&oh)
                && let (Place::Token(file_id), Some(key)) = (&e.place, slot.key.as_ref())
            {
                let plain = zeroize::Zeroizing::new(e.obj.to_bytes());
                if let Ok(blob) = store::seal(key, &store::object_aad(file_id), &plain) {
                    slot.sealed.push((file_id.clone(), blob));
                }
            }
        }
    }
    slot.login = Login::Public;
    slot.key = None;
}

/// Takes the token directory's lock and re-reads `token.meta` into the slot's copy: another process
/// may have counted PIN failures, changed a PIN or re-initialised the token since
/// `C_Initialize`. The caller changes the meta and writes it before dropping the lock.
fn lock_meta<'a>(
    dir: &std::path::Path,
    slot_meta: &'a mut Option<Meta>,
) -> P11Result<(store::DirLock, &'a mut Meta)> {
    let lock = store::lock_dir(dir)?;
    let meta = store::read_meta(dir).ok_or(CKR_TOKEN_NOT_RECOGNIZED)?;
    Ok((lock, slot_meta.insert(meta)))
}

/// Checks a PIN against the token (the caller holds its lock, see [`lock_meta`]): a locked PIN is `CKR_PIN_LOCKED`; a wrong one counts a
/// failure (saved) and gives `CKR_PIN_INCORRECT`, or `CKR_PIN_LOCKED` on the last try; a right
/// one clears the counter and gives the token key.
fn verify_pin(
    meta: &mut Meta,
    who: Login,
    pin: &[u8],
    dir: &std::path::Path,
) -> P11Result<TokenKey> {
    let (wrapped, fails) = match who {
        Login::So => (Some(meta.so.clone()), meta.so_fails),
        _ => (meta.user.clone(), meta.user_fails),
    };
    let wrapped = wrapped.ok_or(CKR_USER_PIN_NOT_INITIALIZED)?;
    if fails >= MAX_PIN_TRIES {
        return Err(CKR_PIN_LOCKED);
    }
    match store::unwrap(&wrapped, pin, &meta.check) {
        Some(key) => {
            if fails != 0 {
                set_fails(meta, who, 0);
                store::write_meta(dir, meta)?;
            }
            Ok(key)
        }
        None => {
            let n = fails + 1;
            set_fails(meta, who, n);
            store::write_meta(dir, meta)?;
            Err(if n >= MAX_PIN_TRIES {
                CKR_PIN_LOCKED
            } else {
                CKR_PIN_INCORRECT
            })
        }
    }
}

fn set_fails(meta: &mut Meta, who: Login, n: u32) {
    match who {
        Login::So => meta.so_fails = n,
        _ => meta.user_fails = n,
    }
}

fn pin_flags(fails: u32, low: CK_FLAGS, final_try: CK_FLAGS, locked: CK_FLAGS) -> CK_FLAGS {
    if fails >= MAX_PIN_TRIES {
        locked
    } else if fails + 1 == MAX_PIN_TRIES {
        low | final_try
    } else if fails > 0 {
        low
    } else {
        0
    }
}

/// Refuses PINs outside [`MIN_PIN`]..=[`MAX_PIN`] with `CKR_PIN_LEN_RANGE`.
pub fn check_pin_len(pin: &[u8]) -> P11Result {
    if (MIN_PIN..=MAX_PIN).contains(&pin.len()) {
        Ok(())
    } else {
        Err(CKR_PIN_LEN_RANGE)
    }
}

/// The library version (the crate's major.minor).
pub fn version() -> CK_VERSION {
    let mut parts = env!("CARGO_PKG_VERSION").split('.');
    let mut next = || parts.next().and_then(|p| p.parse::<u8>().ok()).unwrap_or(0);
    CK_VERSION {
        major: next(),
        minor: next(),
    }
}
