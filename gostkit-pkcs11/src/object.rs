//! Objects as attribute maps: the schema of each class (which attributes exist, their kind,
//! which the caller may not set), defaults, template checks, the sensitivity rule and the byte
//! encoding the store writes (PKCS#11 v2.40 §4).
//!
//! Every object holds every attribute of its class's schema that has a defined default, so
//! `C_GetAttributeValue` answers them all; an attribute outside the schema is
//! `CKR_ATTRIBUTE_TYPE_INVALID`. `CK_ULONG` values are kept in native byte order (the order the
//! C caller reads), booleans as one byte 0/1.

use std::collections::BTreeMap;

use cryptoki_sys::*;
use zeroize::Zeroize;

use crate::boundary::P11Result;

/// How an attribute value is checked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `CK_BBOOL`: one byte.
    Bool,
    /// `CK_ULONG`: native-size integer.
    Ulong,
    /// Byte string of any length.
    Bytes,
    /// `CK_DATE`: 8 bytes or empty.
    Date,
    /// Array of `CK_MECHANISM_TYPE`.
    Mechanisms,
}

/// One attribute of a class schema.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The attribute type.
    pub ty: CK_ATTRIBUTE_TYPE,
    /// How its value is checked.
    pub kind: Kind,
    /// Set by the token only: a template carrying it gets `CKR_ATTRIBUTE_READ_ONLY`.
    pub token_only: bool,
}

const fn s(ty: CK_ATTRIBUTE_TYPE, kind: Kind) -> Spec {
    Spec {
        ty,
        kind,
        token_only: false,
    }
}

const fn ro(ty: CK_ATTRIBUTE_TYPE, kind: Kind) -> Spec {
    Spec {
        ty,
        kind,
        token_only: true,
    }
}

use Kind::{Bool, Bytes, Date, Mechanisms, Ulong};

const STORAGE: &[Spec] = &[
    s(CKA_CLASS, Ulong),
    s(CKA_TOKEN, Bool),
    s(CKA_PRIVATE, Bool),
    s(CKA_MODIFIABLE, Bool),
    s(CKA_LABEL, Bytes),
    s(CKA_COPYABLE, Bool),
    s(CKA_DESTROYABLE, Bool),
];

const DATA: &[Spec] = &[
    s(CKA_APPLICATION, Bytes),
    s(CKA_OBJECT_ID, Bytes),
    s(CKA_VALUE, Bytes),
];

const CERTIFICATE: &[Spec] = &[
    s(CKA_CERTIFICATE_TYPE, Ulong),
    s(CKA_TRUSTED, Bool),
    s(CKA_CERTIFICATE_CATEGORY, Ulong),
    s(CKA_CHECK_VALUE, Bytes),
    s(CKA_START_DATE, Date),
    s(CKA_END_DATE, Date),
    s(CKA_PUBLIC_KEY_INFO, Bytes),
    s(CKA_SUBJECT, Bytes),
    s(CKA_ID, Bytes),
    s(CKA_ISSUER, Bytes),
    s(CKA_SERIAL_NUMBER, Bytes),
    s(CKA_VALUE, Bytes),
    s(CKA_URL, Bytes),
    s(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, Bytes),
    s(CKA_HASH_OF_ISSUER_PUBLIC_KEY, Bytes),
    s(CKA_JAVA_MIDP_SECURITY_DOMAIN, Ulong),
    s(CKA_NAME_HASH_ALGORITHM, Ulong),
];

const KEY: &[Spec] = &[
    s(CKA_KEY_TYPE, Ulong),
    s(CKA_ID, Bytes),
    s(CKA_START_DATE, Date),
    s(CKA_END_DATE, Date),
    s(CKA_DERIVE, Bool),
    ro(CKA_LOCAL, Bool),
    ro(CKA_KEY_GEN_MECHANISM, Ulong),
    s(CKA_ALLOWED_MECHANISMS, Mechanisms),
];

const GOST_PARAMS: &[Spec] = &[
    s(CKA_GOSTR3410_PARAMS, Bytes),
    s(CKA_GOSTR3411_PARAMS, Bytes),
    s(CKA_GOST28147_PARAMS, Bytes),
    s(CKA_VALUE, Bytes),
];

const PUBLIC_KEY: &[Spec] = &[
    s(CKA_SUBJECT, Bytes),
    s(CKA_ENCRYPT, Bool),
    s(CKA_VERIFY, Bool),
    s(CKA_VERIFY_RECOVER, Bool),
    s(CKA_WRAP, Bool),
    s(CKA_TRUSTED, Bool),
    s(CKA_PUBLIC_KEY_INFO, Bytes),
];

const PRIVATE_KEY: &[Spec] = &[
    s(CKA_SUBJECT, Bytes),
    s(CKA_SENSITIVE, Bool),
    s(CKA_DECRYPT, Bool),
    s(CKA_SIGN, Bool),
    s(CKA_SIGN_RECOVER, Bool),
    s(CKA_UNWRAP, Bool),
    s(CKA_EXTRACTABLE, Bool),
    ro(CKA_ALWAYS_SENSITIVE, Bool),
    ro(CKA_NEVER_EXTRACTABLE, Bool),
    s(CKA_WRAP_WITH_TRUSTED, Bool),
    s(CKA_ALWAYS_AUTHENTICATE, Bool),
    s(CKA_PUBLIC_KEY_INFO, Bytes),
];

const SECRET_KEY: &[Spec] = &[
    s(CKA_SENSITIVE, Bool),
    s(CKA_ENCRYPT, Bool),
    s(CKA_DECRYPT, Bool),
    s(CKA_SIGN, Bool),
    s(CKA_VERIFY, Bool),
    s(CKA_WRAP, Bool),
    s(CKA_UNWRAP, Bool),
    s(CKA_EXTRACTABLE, Bool),
    ro(CKA_ALWAYS_SENSITIVE, Bool),
    ro(CKA_NEVER_EXTRACTABLE, Bool),
    s(CKA_CHECK_VALUE, Bytes),
    s(CKA_WRAP_WITH_TRUSTED, Bool),
    s(CKA_TRUSTED, Bool),
    s(CKA_VALUE, Bytes),
    s(CKA_VALUE_LEN, Ulong),
];

/// The schema of a class: the storage attributes and the class's own. `None` for classes the
/// token does not hold.
pub fn schema(class: CK_OBJECT_CLASS) -> Option<Vec<Spec>> {
    let own: &[&[Spec]] = match class {
        CKO_DATA => &[DATA],
        CKO_CERTIFICATE => &[CERTIFICATE],
        CKO_PUBLIC_KEY => &[KEY, PUBLIC_KEY, GOST_PARAMS],
        CKO_PRIVATE_KEY => &[KEY, PRIVATE_KEY, GOST_PARAMS],
        CKO_SECRET_KEY => &[KEY, SECRET_KEY],
        _ => return None,
    };
    let mut v: Vec<Spec> = STORAGE.to_vec();
    for part in own {
        for spec in part.iter() {
            if !v.iter().any(|x| x.ty == spec.ty) {
                v.push(*spec);
            }
        }
    }
    Some(v)
}

/// A caller's template: attribute types with their values.
pub type Template = Vec<(CK_ATTRIBUTE_TYPE, Vec<u8>)>;

/// `CK_ULONG` in the caller's byte order.
pub fn ulong_bytes(v: CK_ULONG) -> Vec<u8> {
    v.to_ne_bytes().to_vec()
}

/// A `CK_ULONG` from an attribute value of the right size.
pub fn ulong_of(v: &[u8]) -> Option<CK_ULONG> {
    Some(CK_ULONG::from_ne_bytes(v.try_into().ok()?))
}

/// Looks an attribute up in a template (the last occurrence wins; see [`check_template`]).
pub fn find(t: &Template, ty: CK_ATTRIBUTE_TYPE) -> Option<&[u8]> {
    t.iter()
        .rev()
        .find(|(k, _)| *k == ty)
        .map(|(_, v)| v.as_slice())
}

/// A `CK_ULONG` attribute of a template; a wrong size is `CKR_ATTRIBUTE_VALUE_INVALID`.
pub fn find_ulong(t: &Template, ty: CK_ATTRIBUTE_TYPE) -> P11Result<Option<CK_ULONG>> {
    find(t, ty)
        .map(|v| ulong_of(v).ok_or(CKR_ATTRIBUTE_VALUE_INVALID))
        .transpose()
}

/// A `CK_BBOOL` attribute of a template; a wrong size is `CKR_ATTRIBUTE_VALUE_INVALID`.
pub fn find_bool(t: &Template, ty: CK_ATTRIBUTE_TYPE) -> P11Result<Option<bool>> {
    find(t, ty)
        .map(|v| match v {
            [b] => Ok(*b != 0),
            _ => Err(CKR_ATTRIBUTE_VALUE_INVALID),
        })
        .transpose()
}

/// Checks a template against a class schema: every type known to the class
/// (`CKR_ATTRIBUTE_TYPE_INVALID`), values of the right shape (`CKR_ATTRIBUTE_VALUE_INVALID`),
/// no token-only attribute (`CKR_ATTRIBUTE_READ_ONLY`), no type given twice with different
/// values (`CKR_TEMPLATE_INCONSISTENT`).
pub fn check_template(t: &Template, schema: &[Spec]) -> P11Result {
    for (i, (ty, v)) in t.iter().enumerate() {
        let spec = schema
            .iter()
            .find(|s| s.ty == *ty)
            .ok_or(CKR_ATTRIBUTE_TYPE_INVALID)?;
        if spec.token_only {
            return Err(CKR_ATTRIBUTE_READ_ONLY);
        }
        check_value(spec.kind, v)?;
        if t[..i].iter().any(|(k, w)| k == ty && w != v) {
            return Err(CKR_TEMPLATE_INCONSISTENT);
        }
    }
    Ok(())
}

/// Checks the shape of one value.
pub fn check_value(kind: Kind, v: &[u8]) -> P11Result {
    let ok = match kind {
        Kind::Bool => v.len() == 1,
        Kind::Ulong => v.len() == size_of::<CK_ULONG>(),
        Kind::Bytes => true,
        Kind::Date => v.is_empty() || v.len() == 8,
        Kind::Mechanisms => v.len().is_multiple_of(size_of::<CK_ULONG>()),
    };
    if ok {
        Ok(())
    } else {
        Err(CKR_ATTRIBUTE_VALUE_INVALID)
    }
}

/// An object: its attributes. Secret values are wiped when it is dropped.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Object {
    attrs: BTreeMap<CK_ATTRIBUTE_TYPE, Vec<u8>>,
}

impl Drop for Object {
    fn drop(&mut self) {
        for v in self.attrs.values_mut() {
            v.zeroize();
        }
    }
}

impl core::fmt::Debug for Object {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Object(class {:#x})", self.class())
    }
}

impl Object {
    /// An empty object of `class`.
    pub fn new(class: CK_OBJECT_CLASS) -> Self {
        let mut o = Self::default();
        o.set_ulong(CKA_CLASS, class);
        o
    }

    /// The raw value of an attribute.
    pub fn get(&self, ty: CK_ATTRIBUTE_TYPE) -> Option<&[u8]> {
        self.attrs.get(&ty).map(Vec::as_slice)
    }

    /// Sets an attribute.
    pub fn set(&mut self, ty: CK_ATTRIBUTE_TYPE, v: Vec<u8>) {
        if let Some(mut old) = self.attrs.insert(ty, v) {
            old.zeroize();
        }
    }

    /// Sets a `CK_BBOOL` attribute.
    pub fn set_bool(&mut self, ty: CK_ATTRIBUTE_TYPE, v: bool) {
        self.set(ty, vec![u8::from(v)]);
    }

    /// Sets a `CK_ULONG` attribute.
    pub fn set_ulong(&mut self, ty: CK_ATTRIBUTE_TYPE, v: CK_ULONG) {
        self.set(ty, ulong_bytes(v));
    }

    /// A `CK_BBOOL` attribute (false when absent).
    pub fn bool(&self, ty: CK_ATTRIBUTE_TYPE) -> bool {
        matches!(self.get(ty), Some([b]) if *b != 0)
    }

    /// A `CK_ULONG` attribute.
    pub fn ulong(&self, ty: CK_ATTRIBUTE_TYPE) -> Option<CK_ULONG> {
        self.get(ty).and_then(ulong_of)
    }

    /// `CKA_CLASS` (`CK_UNAVAILABLE_INFORMATION` if missing, never for a built object).
    pub fn class(&self) -> CK_OBJECT_CLASS {
        self.ulong(CKA_CLASS).unwrap_or(CK_UNAVAILABLE_INFORMATION)
    }

    /// `CKA_KEY_TYPE` of a key.
    pub fn key_type(&self) -> Option<CK_KEY_TYPE> {
        self.ulong(CKA_KEY_TYPE)
    }

    /// `CKA_TOKEN`.
    pub fn is_token(&self) -> bool {
        self.bool(CKA_TOKEN)
    }

    /// `CKA_PRIVATE`.
    pub fn is_private(&self) -> bool {
        self.bool(CKA_PRIVATE)
    }

    /// Whether the attribute `ty` must not leave the token (PKCS#11 §4.9: the value of a
    /// sensitive or unextractable private or secret key).
    pub fn is_sensitive_attr(&self, ty: CK_ATTRIBUTE_TYPE) -> bool {
        let secret_class = matches!(self.class(), CKO_PRIVATE_KEY | CKO_SECRET_KEY);
        secret_class && ty == CKA_VALUE && (self.bool(CKA_SENSITIVE) || !self.bool(CKA_EXTRACTABLE))
    }

    /// Whether every attribute of `template` is present with exactly that value.
    pub fn matches(&self, template: &Template) -> bool {
        template.iter().all(|(ty, v)| {
            self.get(*ty)
                .is_some_and(|mine| mine == v.as_slice() || self.bool_equal(*ty, mine, v))
        })
    }

    /// Booleans given as any nonzero byte match a stored 1.
    fn bool_equal(&self, ty: CK_ATTRIBUTE_TYPE, mine: &[u8], theirs: &[u8]) -> bool {
        let is_bool = schema(self.class())
            .is_some_and(|s| s.iter().any(|x| x.ty == ty && x.kind == Kind::Bool));
        is_bool && mine.len() == 1 && theirs.len() == 1 && (mine[0] != 0) == (theirs[0] != 0)
    }

    /// The attributes, for [`to_bytes`](Self::to_bytes) and size queries.
    pub fn iter(&self) -> impl Iterator<Item = (&CK_ATTRIBUTE_TYPE, &Vec<u8>)> {
        self.attrs.iter()
    }

    /// The store encoding: `u32` count, then per attribute `u64` type, `u32` length, value
    /// (little-endian integers; `CK_ULONG` values stay in native order).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(self.attrs.len() as u32).to_le_bytes());
        for (ty, v) in &self.attrs {
            #[allow(clippy::useless_conversion)] // CK_ULONG is u32 on some targets
            out.extend_from_slice(&u64::from(*ty).to_le_bytes());
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            out.extend_from_slice(v);
        }
        out
    }

    /// Reads [`to_bytes`](Self::to_bytes); `None` if malformed.
    pub fn from_bytes(mut b: &[u8]) -> Option<Self> {
        let n = take_u32(&mut b)?;
        let mut o = Self::default();
        for _ in 0..n {
            let ty = CK_ULONG::try_from(take_u64(&mut b)?).ok()?;
            let len = usize::try_from(take_u32(&mut b)?).ok()?;
            if b.len() < len {
                return None;
            }
            let (v, rest) = b.split_at(len);
            o.attrs.insert(ty, v.to_vec());
            b = rest;
        }
        if !b.is_empty() || o.ulong(CKA_CLASS).is_none() {
            return None;
        }
        Some(o)
    }
}

fn take_u32(b: &mut &[u8]) -> Option<u32> {
    let (h, rest) = b.split_first_chunk::<4>()?;
    *b = rest;
    Some(u32::from_le_bytes(*h))
}

fn take_u64(b: &mut &[u8]) -> Option<u64> {
    let (h, rest) = b.split_first_chunk::<8>()?;
    *b = rest;
    Some(u64::from_le_bytes(*h))
}

/// Builds an object of `class` from a checked template plus the defaults of the class:
/// booleans false unless the table below says otherwise, byte strings empty.
pub fn with_defaults(class: CK_OBJECT_CLASS, template: &Template) -> P11Result<Object> {
    let schema = schema(class).ok_or(CKR_ATTRIBUTE_VALUE_INVALID)?;
    check_template(template, &schema)?;
    let mut o = Object::new(class);
    for spec in &schema {
        match spec.kind {
            Kind::Bool => o.set_bool(spec.ty, default_bool(class, spec.ty)),
            Kind::Bytes | Kind::Date | Kind::Mechanisms => {
                if !matches!(spec.ty, CKA_CHECK_VALUE | CKA_GOST28147_PARAMS | CKA_VALUE) {
                    o.set(spec.ty, Vec::new());
                }
            }
            Kind::Ulong => {}
        }
    }
    if class == CKO_CERTIFICATE {
        o.set_ulong(CKA_CERTIFICATE_CATEGORY, 0);
        o.set_ulong(CKA_JAVA_MIDP_SECURITY_DOMAIN, 0);
        o.set_ulong(CKA_NAME_HASH_ALGORITHM, cryptoki_sys::CKM_SHA_1);
    }
    if matches!(class, CKO_PUBLIC_KEY | CKO_PRIVATE_KEY | CKO_SECRET_KEY) {
        o.set_ulong(CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
    }
    for (ty, v) in template {
        let kind = schema
            .iter()
            .find(|s| s.ty == *ty)
            .map(|s| s.kind)
            .ok_or(CKR_ATTRIBUTE_TYPE_INVALID)?;
        if kind == Kind::Bool {
            o.set_bool(*ty, v.first().is_some_and(|b| *b != 0));
        } else {
            o.set(*ty, v.clone());
        }
    }
    Ok(o)
}

/// The token's defaults for booleans (PKCS#11 leaves most to the token): objects are modifiable,
/// copyable and destroyable; private and secret keys are private, sensitive and unextractable;
/// private keys sign, public keys verify.
fn default_bool(class: CK_OBJECT_CLASS, ty: CK_ATTRIBUTE_TYPE) -> bool {
    match ty {
        CKA_MODIFIABLE | CKA_COPYABLE | CKA_DESTROYABLE => true,
        CKA_PRIVATE => matches!(class, CKO_PRIVATE_KEY | CKO_SECRET_KEY),
        CKA_SENSITIVE => true,
        CKA_SIGN => class == CKO_PRIVATE_KEY,
        CKA_VERIFY => class == CKO_PUBLIC_KEY,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_encoding() {
        let t: Template = vec![(CKA_LABEL, b"x".to_vec()), (CKA_TOKEN, vec![7])];
        let o = with_defaults(CKO_DATA, &t).unwrap();
        assert!(o.is_token());
        assert!(!o.is_private());
        assert!(o.bool(CKA_MODIFIABLE));
        assert_eq!(o.get(CKA_LABEL), Some(&b"x"[..]));
        let back = Object::from_bytes(&o.to_bytes()).unwrap();
        assert!(back == o);
        assert!(back.matches(&vec![(CKA_TOKEN, vec![1])]));
        assert!(!back.matches(&vec![(CKA_TOKEN, vec![0])]));
        assert!(Object::from_bytes(&o.to_bytes()[..5]).is_none());
    }

    #[test]
    fn template_errors() {
        let sc = schema(CKO_DATA).unwrap();
        assert_eq!(
            check_template(&vec![(CKA_SIGN, vec![1])], &sc),
            Err(CKR_ATTRIBUTE_TYPE_INVALID)
        );
        assert_eq!(
            check_template(&vec![(CKA_TOKEN, vec![1, 1])], &sc),
            Err(CKR_ATTRIBUTE_VALUE_INVALID)
        );
        assert_eq!(
            check_template(&vec![(CKA_TOKEN, vec![1]), (CKA_TOKEN, vec![0])], &sc),
            Err(CKR_TEMPLATE_INCONSISTENT)
        );
        let kc = schema(CKO_PRIVATE_KEY).unwrap();
        assert_eq!(
            check_template(&vec![(CKA_LOCAL, vec![1])], &kc),
            Err(CKR_ATTRIBUTE_READ_ONLY)
        );
        assert!(schema(CKO_DOMAIN_PARAMETERS).is_none());
    }

    #[test]
    fn sensitivity() {
        let mut k = with_defaults(CKO_PRIVATE_KEY, &Vec::new()).unwrap();
        assert!(k.is_sensitive_attr(CKA_VALUE));
        k.set_bool(CKA_SENSITIVE, false);
        assert!(k.is_sensitive_attr(CKA_VALUE), "unextractable");
        k.set_bool(CKA_EXTRACTABLE, true);
        assert!(!k.is_sensitive_attr(CKA_VALUE));
        assert!(!k.is_sensitive_attr(CKA_LABEL));
        let p = with_defaults(CKO_PUBLIC_KEY, &Vec::new()).unwrap();
        assert!(!p.is_sensitive_attr(CKA_VALUE));
    }
}
