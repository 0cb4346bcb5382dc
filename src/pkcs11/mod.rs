//! PKCS#11 client (feature `pkcs11`): keys held on a token, used through the `cryptoki` crate
//! (a safe API; this crate keeps `unsafe` denied).
//!
//! - [`uri`]: RFC 7512 PKCS#11 URIs (`pkcs11:token=T;object=O;id=%01?module-path=/m.so`).
//! - [`Module`] loads a module by path and lists its tokens; [`Module::open`] opens a
//!   read/write session on a token and logs the user in ([`TokenSession`]); a wrong PIN is
//!   [`Pkcs11Error::WrongPin`] (kind [`ErrorKind::WrongPassword`](crate::ErrorKind)), a locked
//!   or expired one [`Pkcs11Error::PinLocked`] / [`Pkcs11Error::PinExpired`].
//! - [`TokenKey`]: a private key on the token found by label and/or `CKA_ID`, its public key
//!   read from the matching public key object or certificate; it implements
//!   [`SignDigest`](crate::ec::SignDigest) (`CKM_GOSTR3410` / `CKM_GOSTR3410_512` on a digest
//!   gostkit computes, so X.509, PKCS#10 and CMS signing work unchanged) and
//!   [`AgreeKey`](crate::ec::AgreeKey) (`CKM_GOSTR3410_12_DERIVE` with
//!   `CKD_KDF_GOSTR3411_2012_256`, i.e. VKO_GOSTR3410_2012_256, the KDF of the TC26 extension;
//!   other VKO variants are refused as unsupported).
//! - [`TokenSession::generate`], [`TokenSession::import_certificate`],
//!   [`TokenSession::delete`]: key pairs on the token, certificate objects next to their key
//!   (same `CKA_ID`), object removal.
//!
//! The TC26 mechanisms and `CKK_GOSTR3410_512` are vendor-defined (`0xD4321000 | n`); the
//! constants are in [`consts`].

mod key;
mod token;
pub mod uri;

use core::fmt;

pub use key::TokenKey;
pub use token::{Module, ObjectInfo, TokenInfo, TokenSession};
pub use uri::{ObjectType, Pkcs11Uri, UriError};

/// The GOST PKCS#11 constants this client uses (PKCS#11 v2.40 and the TC26 extension).
pub mod consts {
    /// The TC26 vendor range (`NSSCK_VENDOR_PKCS11_RU_TEAM`).
    pub const VENDOR_RU_TEAM: u64 = 0xD432_1000;
    /// `CKK_GOSTR3410`: 256-bit GOST R 34.10 keys (PKCS#11 v2.40).
    pub const CKK_GOSTR3410: u64 = 0x30;
    /// `CKK_GOSTR3410_512` (TC26).
    pub const CKK_GOSTR3410_512: u64 = VENDOR_RU_TEAM | 0x003;
    /// `CKA_GOSTR3410_PARAMS`: the parameter set OID, DER (PKCS#11 v2.40).
    pub const CKA_GOSTR3410_PARAMS: u64 = 0x250;
    /// `CKA_GOSTR3411_PARAMS`: the hash OID, DER (PKCS#11 v2.40).
    pub const CKA_GOSTR3411_PARAMS: u64 = 0x251;
    /// `CKM_GOSTR3410_KEY_PAIR_GEN` (PKCS#11 v2.40).
    pub const CKM_GOSTR3410_KEY_PAIR_GEN: u64 = 0x1200;
    /// `CKM_GOSTR3410`: sign a 32-byte digest (PKCS#11 v2.40).
    pub const CKM_GOSTR3410: u64 = 0x1201;
    /// `CKM_GOSTR3410_512_KEY_PAIR_GEN` (TC26).
    pub const CKM_GOSTR3410_512_KEY_PAIR_GEN: u64 = VENDOR_RU_TEAM | 0x005;
    /// `CKM_GOSTR3410_512`: sign a 64-byte digest (TC26).
    pub const CKM_GOSTR3410_512: u64 = VENDOR_RU_TEAM | 0x006;
    /// `CKM_GOSTR3410_12_DERIVE`: VKO (TC26).
    pub const CKM_GOSTR3410_12_DERIVE: u64 = VENDOR_RU_TEAM | 0x007;
    /// `CKD_KDF_GOSTR3411_2012_256`: VKO_GOSTR3410_2012_256 (TC26).
    pub const CKD_KDF_GOSTR3411_2012_256: u64 = VENDOR_RU_TEAM | 0x026;
}

/// Why a token operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Pkcs11Error {
    /// The URI is malformed.
    Uri(UriError),
    /// No module path: neither the URI's `module-path` nor a default was given.
    NoModule,
    /// The module could not be loaded or initialised.
    Module(String),
    /// No token matches (label, serial, model, manufacturer or slot).
    TokenNotFound(String),
    /// No object matches.
    ObjectNotFound(String),
    /// More than one private key matches; name it by `id`.
    Ambiguous(String),
    /// The PIN is wrong (`CKR_PIN_INCORRECT`).
    WrongPin,
    /// The PIN is locked (`CKR_PIN_LOCKED`).
    PinLocked,
    /// The PIN has expired (`CKR_PIN_EXPIRED`).
    PinExpired,
    /// A PIN is needed and none was given.
    PinRequired,
    /// A key or certificate read from the token is not a valid GOST one.
    BadObject(String),
    /// The parameter set is not supported for the operation.
    Unsupported(&'static str),
    /// Any other PKCS#11 failure (function and return value).
    Token(String),
}

impl Pkcs11Error {
    /// The library-wide kind of this error (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::Uri(_) | Self::NoModule => K::InvalidArgument,
            Self::Module(_) | Self::Token(_) => K::Io,
            Self::TokenNotFound(_) | Self::ObjectNotFound(_) => K::NotFound,
            Self::Ambiguous(_) => K::InvalidArgument,
            Self::WrongPin => K::WrongPassword,
            Self::PinLocked => K::PinLocked,
            Self::PinExpired => K::PinExpired,
            Self::PinRequired => K::PasswordRequired,
            Self::BadObject(_) => K::InvalidKey,
            Self::Unsupported(_) => K::Unsupported,
        }
    }
}

impl fmt::Display for Pkcs11Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Uri(e) => e.fmt(f),
            Self::NoModule => f.write_str(
                "pkcs11: no module (give module-path in the URI or set GOSTKIT_PKCS11_MODULE)",
            ),
            Self::Module(e) => write!(f, "pkcs11: cannot load the module: {e}"),
            Self::TokenNotFound(w) => write!(f, "pkcs11: no token matches {w}"),
            Self::ObjectNotFound(w) => write!(f, "pkcs11: no object matches {w}"),
            Self::Ambiguous(w) => write!(f, "pkcs11: several private keys match {w}; give id="),
            Self::WrongPin => f.write_str("pkcs11: wrong PIN"),
            Self::PinLocked => f.write_str("pkcs11: the PIN is locked"),
            Self::PinExpired => f.write_str("pkcs11: the PIN has expired"),
            Self::PinRequired => f.write_str("pkcs11: a PIN is required"),
            Self::BadObject(w) => write!(f, "pkcs11: {w}"),
            Self::Unsupported(w) => write!(f, "pkcs11: unsupported: {w}"),
            Self::Token(e) => write!(f, "pkcs11: {e}"),
        }
    }
}

impl std::error::Error for Pkcs11Error {}

impl From<UriError> for Pkcs11Error {
    fn from(e: UriError) -> Self {
        Self::Uri(e)
    }
}

impl From<cryptoki::error::Error> for Pkcs11Error {
    fn from(e: cryptoki::error::Error) -> Self {
        use cryptoki::error::{Error, RvError};
        match e {
            Error::Pkcs11(RvError::PinIncorrect, _) => Self::WrongPin,
            Error::Pkcs11(RvError::PinLocked, _) => Self::PinLocked,
            Error::Pkcs11(RvError::PinExpired, _) => Self::PinExpired,
            Error::LibraryLoading(e) => Self::Module(e.to_string()),
            other => Self::Token(other.to_string()),
        }
    }
}

/// Result of the token client.
pub type Result<T> = core::result::Result<T, Pkcs11Error>;
