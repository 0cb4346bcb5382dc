//! Loading a module, listing its tokens, opening a session and logging in.

use std::path::Path;
use std::sync::{Arc, Mutex};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;
use zeroize::Zeroizing;

use super::uri::Pkcs11Uri;
use super::{Pkcs11Error, Result, TokenKey};
use crate::x509::Certificate;

/// A loaded and initialised PKCS#11 module.
#[derive(Clone)]
pub struct Module {
    ctx: Pkcs11,
}

/// A token as [`Module::tokens`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The slot number.
    pub slot: u64,
    /// `CKT_TOKEN_INFO.label`, trimmed.
    pub label: String,
    /// Manufacturer ID, trimmed.
    pub manufacturer: String,
    /// Model, trimmed.
    pub model: String,
    /// Serial number, trimmed.
    pub serial: String,
}

/// An object as [`TokenSession::objects`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// `private`, `public`, `cert`, `secret-key`, `data` or `other`.
    pub class: &'static str,
    /// `CKA_LABEL` (lossy UTF-8).
    pub label: String,
    /// `CKA_ID`.
    pub id: Vec<u8>,
}

impl Module {
    /// Loads the module at `path` and calls `C_Initialize` (a module some other part of the
    /// process already initialised is used as it is).
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let ctx = Pkcs11::new(path.as_ref()).map_err(|e| Pkcs11Error::Module(e.to_string()))?;
        match ctx.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
            Ok(()) => {}
            Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
            Err(e) => return Err(Pkcs11Error::Module(e.to_string())),
        }
        Ok(Self { ctx })
    }

    /// The tokens present.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let mut out = Vec::new();
        for slot in self.ctx.get_slots_with_token()? {
            let ti = self.ctx.get_token_info(slot)?;
            out.push(TokenInfo {
                slot: slot.id(),
                label: ti.label().trim_end().to_string(),
                manufacturer: ti.manufacturer_id().trim_end().to_string(),
                model: ti.model().trim_end().to_string(),
                serial: ti.serial_number().trim_end().to_string(),
            });
        }
        Ok(out)
    }

    fn slot_for(&self, uri: &Pkcs11Uri) -> Result<Slot> {
        for slot in self.ctx.get_slots_with_token()? {
            let ti = self.ctx.get_token_info(slot)?;
            let m = |want: &Option<String>, have: &str| {
                want.as_deref().is_none_or(|w| w == have.trim_end())
            };
            if m(&uri.token, ti.label())
                && m(&uri.serial, ti.serial_number())
                && m(&uri.model, ti.model())
                && m(&uri.manufacturer, ti.manufacturer_id())
                && uri.slot_id.is_none_or(|s| s == slot.id())
            {
                return Ok(slot);
            }
        }
        Err(Pkcs11Error::TokenNotFound(format!(
            "token={}",
            uri.token.as_deref().unwrap_or("*")
        )))
    }

    /// Opens a read/write session on the token the URI names (its path attributes; the first
    /// token when it names none) and, when a PIN is given (else the URI's `pin-value`), logs
    /// the user in. The PIN buffer is zeroized when this returns.
    pub fn open(&self, uri: &Pkcs11Uri, pin: Option<Zeroizing<String>>) -> Result<TokenSession> {
        let slot = self.slot_for(uri)?;
        let session = self.ctx.open_rw_session(slot)?;
        let pin = pin.or_else(|| uri.pin_value.clone());
        if let Some(pin) = pin {
            let auth = AuthPin::new(pin.as_str().into());
            drop(pin);
            match session.login(UserType::User, Some(&auth)) {
                Ok(()) | Err(Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(TokenSession {
            session: Arc::new(Mutex::new(session)),
        })
    }
}

/// A read/write session on one token. Cheap to clone; the keys it hands out share it.
#[derive(Clone)]
pub struct TokenSession {
    pub(super) session: Arc<Mutex<Session>>,
}

pub(super) fn class_name(c: ObjectClass) -> &'static str {
    match c {
        ObjectClass::PRIVATE_KEY => "private",
        ObjectClass::PUBLIC_KEY => "public",
        ObjectClass::CERTIFICATE => "cert",
        ObjectClass::SECRET_KEY => "secret-key",
        ObjectClass::DATA => "data",
        _ => "other",
    }
}

impl TokenSession {
    pub(super) fn with<T>(&self, f: impl FnOnce(&Session) -> Result<T>) -> Result<T> {
        let s = self
            .session
            .lock()
            .map_err(|_| Pkcs11Error::Token("session lock poisoned".into()))?;
        f(&s)
    }

    /// Every object visible in the session (private ones only after login).
    pub fn objects(&self) -> Result<Vec<ObjectInfo>> {
        self.with(|s| {
            let mut out = Vec::new();
            for h in s.find_objects(&[])? {
                let attrs = s.get_attributes(
                    h,
                    &[
                        AttributeType::Class,
                        AttributeType::Label,
                        AttributeType::Id,
                    ],
                )?;
                let mut o = ObjectInfo {
                    class: "other",
                    label: String::new(),
                    id: Vec::new(),
                };
                for a in attrs {
                    match a {
                        Attribute::Class(c) => o.class = class_name(c),
                        Attribute::Label(l) => o.label = String::from_utf8_lossy(&l).into_owned(),
                        Attribute::Id(i) => o.id = i,
                        _ => {}
                    }
                }
                out.push(o);
            }
            Ok(out)
        })
    }

    /// The private key the URI names (`object` and/or `id`; exactly one must match).
    pub fn key(&self, uri: &Pkcs11Uri) -> Result<TokenKey> {
        TokenKey::find(self.clone(), uri.object.as_deref(), uri.id.as_deref())
    }

    /// Writes `cert` as a token certificate object with `CKA_ID` `id` (next to the key with
    /// that ID) and the given label.
    pub fn import_certificate(&self, cert: &Certificate, id: &[u8], label: &str) -> Result<()> {
        use der::Encode;
        let subject = cert
            .subject()
            .to_der()
            .map_err(|e| Pkcs11Error::BadObject(e.to_string()))?;
        self.with(|s| {
            s.create_object(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
                Attribute::Token(true),
                Attribute::Value(cert.der().to_vec()),
                Attribute::Subject(subject),
                Attribute::Id(id.to_vec()),
                Attribute::Label(label.as_bytes().to_vec()),
            ])?;
            Ok(())
        })
    }

    /// The certificate with `CKA_ID` `id`, if any.
    pub fn certificate(&self, id: &[u8]) -> Result<Option<Certificate>> {
        self.with(|s| {
            let found = s.find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::Id(id.to_vec()),
            ])?;
            let Some(&h) = found.first() else {
                return Ok(None);
            };
            match value(s, h)? {
                Some(v) => Certificate::from_der(&v)
                    .map(Some)
                    .map_err(|e| Pkcs11Error::BadObject(format!("certificate: {e}"))),
                None => Ok(None),
            }
        })
    }

    /// Deletes every object with this `CKA_ID` (key pair and certificate); returns how many.
    pub fn delete(&self, id: &[u8]) -> Result<usize> {
        self.with(|s| {
            let found = s.find_objects(&[Attribute::Id(id.to_vec())])?;
            for h in &found {
                s.destroy_object(*h)?;
            }
            Ok(found.len())
        })
    }
}

/// `CKA_VALUE` of an object, `None` when sensitive or absent.
pub(super) fn value(s: &Session, h: ObjectHandle) -> Result<Option<Vec<u8>>> {
    match s.get_attributes(h, &[AttributeType::Value]) {
        Ok(v) => Ok(v.into_iter().find_map(|a| match a {
            Attribute::Value(v) => Some(v),
            _ => None,
        })),
        Err(Error::Pkcs11(RvError::AttributeSensitive, _)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
