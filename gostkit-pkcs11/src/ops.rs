//! Object management and cryptographic operations on the module state (PKCS#11 v2.40 §5.7–§5.14):
//! object creation by class, attribute changes, searches, key-pair generation, signatures,
//! digests and VKO derivation.

use cryptoki_sys::*;
use gk::asn1::GostPublicKey;
use gk::ec::{SigningKey, VerifyingKey, vko_2001, vko_2012_256};
use gk::hash::Streebog256;

use crate::boundary::P11Result;
use crate::consts::*;
use crate::mech::{self, Acc, DigestOp, Mech, SignOp, VerifyOp};
use crate::object::{self, Object, Template, find, find_ulong, with_defaults};
use crate::token::{Login, Module};

/// Attributes `C_SetAttributeValue` may change (besides the one-way `CKA_SENSITIVE` and
/// `CKA_EXTRACTABLE`).
const CHANGEABLE: &[CK_ATTRIBUTE_TYPE] = &[
    CKA_LABEL,
    CKA_ID,
    CKA_SUBJECT,
    CKA_START_DATE,
    CKA_END_DATE,
    CKA_APPLICATION,
    CKA_SIGN,
    CKA_VERIFY,
    CKA_DERIVE,
    CKA_ENCRYPT,
    CKA_DECRYPT,
    CKA_WRAP,
    CKA_UNWRAP,
];

impl Module {
    /// `C_CreateObject`: data objects, X.509 certificates, GOST public and private keys, and
    /// generic or GOST 28147-89 secret keys.
    pub fn create_object(&mut self, h: CK_SESSION_HANDLE, t: &Template) -> P11Result<CK_ULONG> {
        let class = find_ulong(t, CKA_CLASS)?.ok_or(CKR_TEMPLATE_INCOMPLETE)?;
        let mut o = with_defaults(class, t)?;
        match class {
            CKO_DATA => {
                if find(t, CKA_VALUE).is_none() {
                    o.set(CKA_VALUE, Vec::new());
                }
            }
            CKO_CERTIFICATE => fill_certificate(&mut o, t)?,
            CKO_PUBLIC_KEY | CKO_PRIVATE_KEY => import_gost_key(&mut o, t)?,
            CKO_SECRET_KEY => import_secret(&mut o, t)?,
            _ => return Err(CKR_ATTRIBUTE_VALUE_INVALID),
        }
        if o.bool(CKA_ALWAYS_AUTHENTICATE) {
            return Err(CKR_ATTRIBUTE_VALUE_INVALID);
        }
        if o.bool(CKA_TRUSTED) && self.login_state(h)? != Login::So {
            return Err(CKR_ATTRIBUTE_READ_ONLY);
        }
        self.insert(h, o)
    }

    /// `C_SetAttributeValue`.
    pub fn set_attributes(
        &mut self,
        h: CK_SESSION_HANDLE,
        oh: CK_OBJECT_HANDLE,
        t: &Template,
    ) -> P11Result {
        let e = self.object(h, oh, CKR_OBJECT_HANDLE_INVALID)?;
        self.check_write(h, &e.obj)?;
        if !e.obj.bool(CKA_MODIFIABLE) {
            return Err(CKR_ACTION_PROHIBITED);
        }
        let schema = object::schema(e.obj.class()).ok_or(CKR_GENERAL_ERROR)?;
        let mut o = e.obj.clone();
        for (ty, v) in t {
            let spec = schema
                .iter()
                .find(|s| s.ty == *ty)
                .ok_or(CKR_ATTRIBUTE_TYPE_INVALID)?;
            object::check_value(spec.kind, v)?;
            if o.get(*ty).is_none() {
                return Err(CKR_ATTRIBUTE_TYPE_INVALID);
            }
            let on = v.first().is_some_and(|b| *b != 0);
            match *ty {
                CKA_SENSITIVE if matches!(o.class(), CKO_PRIVATE_KEY | CKO_SECRET_KEY) => {
                    if !on && o.bool(CKA_SENSITIVE) {
                        return Err(CKR_ATTRIBUTE_READ_ONLY);
                    }
                    o.set_bool(*ty, on);
                }
                CKA_EXTRACTABLE if matches!(o.class(), CKO_PRIVATE_KEY | CKO_SECRET_KEY) => {
                    if on && !o.bool(CKA_EXTRACTABLE) {
                        return Err(CKR_ATTRIBUTE_READ_ONLY);
                    }
                    o.set_bool(*ty, on);
                }
                t2 if CHANGEABLE.contains(&t2) => {
                    if spec.kind == object::Kind::Bool {
                        o.set_bool(*ty, on);
                    } else {
                        o.set(*ty, v.clone());
                    }
                }
                _ => return Err(CKR_ATTRIBUTE_READ_ONLY),
            }
        }
        self.update(h, oh, o)
    }

    /// `C_FindObjectsInit`.
    pub fn find_init(&mut self, h: CK_SESSION_HANDLE, t: &Template) -> P11Result {
        if self.session(h)?.find.is_some() {
            return Err(CKR_OPERATION_ACTIVE);
        }
        let found = self.search(h, t)?;
        self.session_mut(h)?.find = Some(found);
        Ok(())
    }

    /// `C_FindObjects`: up to `max` more handles.
    pub fn find_next(&mut self, h: CK_SESSION_HANDLE, max: usize) -> P11Result<Vec<CK_ULONG>> {
        let s = self.session_mut(h)?;
        let list = s.find.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        let n = max.min(list.len());
        Ok(list.drain(..n).collect())
    }

    /// `C_FindObjectsFinal`.
    pub fn find_final(&mut self, h: CK_SESSION_HANDLE) -> P11Result {
        let s = self.session_mut(h)?;
        s.find.take().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        Ok(())
    }

    /// `C_GenerateKeyPair` with `CKM_GOSTR3410_KEY_PAIR_GEN` or
    /// `CKM_GOSTR3410_512_KEY_PAIR_GEN`: `CKA_GOSTR3410_PARAMS` (in either template) names the
    /// parameter set; `CKA_GOSTR3411_PARAMS` defaults to the Streebog of the key size.
    pub fn generate_key_pair(
        &mut self,
        h: CK_SESSION_HANDLE,
        m: &Mech,
        pub_t: &Template,
        priv_t: &Template,
    ) -> P11Result<(CK_ULONG, CK_ULONG)> {
        self.session(h)?;
        let bits = match m.ty {
            CKM_GOSTR3410_KEY_PAIR_GEN => 256,
            CKM_GOSTR3410_512_KEY_PAIR_GEN => 512,
            _ => return Err(CKR_MECHANISM_INVALID),
        };
        if !m.param.is_empty() {
            return Err(CKR_MECHANISM_PARAM_INVALID);
        }
        for (t, class) in [(pub_t, CKO_PUBLIC_KEY), (priv_t, CKO_PRIVATE_KEY)] {
            object::check_template(t, &object::schema(class).ok_or(CKR_GENERAL_ERROR)?)?;
            if find_ulong(t, CKA_CLASS)?.is_some_and(|c| c != class)
                || find_ulong(t, CKA_KEY_TYPE)?.is_some_and(|k| k != mech::key_type_for(bits))
                || find(t, CKA_VALUE).is_some()
            {
                return Err(CKR_TEMPLATE_INCONSISTENT);
            }
        }
        let params = one_of(pub_t, priv_t, CKA_GOSTR3410_PARAMS)?.ok_or(CKR_TEMPLATE_INCOMPLETE)?;
        let set = mech::param_set_of(&params).ok_or(CKR_DOMAIN_PARAMS_INVALID)?;
        if set.bits() != bits {
            return Err(CKR_TEMPLATE_INCONSISTENT);
        }
        let hash = match one_of(pub_t, priv_t, CKA_GOSTR3411_PARAMS)? {
            Some(v) => {
                let dotted = oid_from_der(&v).ok_or(CKR_ATTRIBUTE_VALUE_INVALID)?;
                if !mech::hash_params_for(bits).contains(&dotted.as_str()) {
                    return Err(CKR_ATTRIBUTE_VALUE_INVALID);
                }
                v
            }
            None => oid_der(mech::hash_params_for(bits)[0]),
        };
        let mut public = with_defaults(CKO_PUBLIC_KEY, pub_t)?;
        let mut private = with_defaults(CKO_PRIVATE_KEY, priv_t)?;
        if private.bool(CKA_ALWAYS_AUTHENTICATE) {
            return Err(CKR_ATTRIBUTE_VALUE_INVALID);
        }
        self.check_write(h, &public)?;
        self.check_write(h, &private)?;

        let key = SigningKey::generate(set).map_err(|_| CKR_FUNCTION_FAILED)?;
        let vk = key.verifying_key();
        let spki = GostPublicKey::from_verifying_key(vk)
            .and_then(|k| k.to_der())
            .unwrap_or_default();
        let id = if public.get(CKA_ID).unwrap_or_default().is_empty()
            && private.get(CKA_ID).unwrap_or_default().is_empty()
        {
            Some(Streebog256::digest(vk.as_bytes())[..16].to_vec())
        } else {
            None
        };
        for o in [&mut public, &mut private] {
            o.set_ulong(CKA_KEY_TYPE, mech::key_type_for(bits));
            o.set(CKA_GOSTR3410_PARAMS, params.clone());
            o.set(CKA_GOSTR3411_PARAMS, hash.clone());
            o.set_bool(CKA_LOCAL, true);
            o.set_ulong(CKA_KEY_GEN_MECHANISM, m.ty);
            o.set(CKA_PUBLIC_KEY_INFO, spki.clone());
            if let Some(id) = &id {
                o.set(CKA_ID, id.clone());
            }
        }
        public.set(CKA_VALUE, vk.to_bytes());
        private.set(CKA_VALUE, key.to_bytes().to_vec());
        let sensitive = private.bool(CKA_SENSITIVE);
        let extractable = private.bool(CKA_EXTRACTABLE);
        private.set_bool(CKA_ALWAYS_SENSITIVE, sensitive);
        private.set_bool(CKA_NEVER_EXTRACTABLE, !extractable);
        let hp = self.insert(h, public)?;
        let hk = match self.insert(h, private) {
            Ok(hk) => hk,
            Err(e) => {
                let _ = self.destroy(h, hp);
                return Err(e);
            }
        };
        Ok((hp, hk))
    }

    /// `C_SignInit`.
    pub fn sign_init(&mut self, h: CK_SESSION_HANDLE, m: &Mech, key: CK_ULONG) -> P11Result {
        if self.session(h)?.sign.is_some() {
            return Err(CKR_OPERATION_ACTIVE);
        }
        let (bits, hash) = mech::sign_mech(m.ty).ok_or(CKR_MECHANISM_INVALID)?;
        mech::check_sign_param(m, hash)?;
        let o = &self.object(h, key, CKR_KEY_HANDLE_INVALID)?.obj;
        if o.class() != CKO_PRIVATE_KEY {
            return Err(CKR_KEY_TYPE_INCONSISTENT);
        }
        let set = mech::key_param_set(o)?;
        if set.bits() != bits {
            return Err(CKR_KEY_TYPE_INCONSISTENT);
        }
        if !o.bool(CKA_SIGN) {
            return Err(CKR_KEY_FUNCTION_NOT_PERMITTED);
        }
        mech::check_allowed(o, m.ty)?;
        let key = mech::signing_key(o)?;
        self.session_mut(h)?.sign = Some(SignOp {
            key,
            acc: Acc::new(bits, hash),
            multipart: false,
        });
        Ok(())
    }

    /// The signature length of the active operation.
    pub fn sign_len(&self, h: CK_SESSION_HANDLE) -> P11Result<usize> {
        let op = self.session(h)?.sign.as_ref();
        let op = op.ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        Ok(op.key.param_set().bits() / 4)
    }

    /// Adds data to the active signature (`multipart` for `C_SignUpdate`); an error ends it.
    pub fn sign_update(&mut self, h: CK_SESSION_HANDLE, data: &[u8], multipart: bool) -> P11Result {
        let s = self.session_mut(h)?;
        let op = s.sign.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        if !multipart && op.multipart {
            return Err(CKR_OPERATION_ACTIVE);
        }
        op.multipart |= multipart;
        let r = op.acc.update(data);
        if r.is_err() {
            s.sign = None;
        }
        r
    }

    /// Finishes the active signature.
    pub fn sign_finish(&mut self, h: CK_SESSION_HANDLE) -> P11Result<Vec<u8>> {
        let op = self.session_mut(h)?.sign.take();
        let op = op.ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        let digest = op.acc.finish()?;
        op.key.sign_digest(&digest).map_err(|_| CKR_FUNCTION_FAILED)
    }

    /// `C_VerifyInit`.
    pub fn verify_init(&mut self, h: CK_SESSION_HANDLE, m: &Mech, key: CK_ULONG) -> P11Result {
        if self.session(h)?.verify.is_some() {
            return Err(CKR_OPERATION_ACTIVE);
        }
        let (bits, hash) = mech::sign_mech(m.ty).ok_or(CKR_MECHANISM_INVALID)?;
        mech::check_sign_param(m, hash)?;
        let o = &self.object(h, key, CKR_KEY_HANDLE_INVALID)?.obj;
        if o.class() != CKO_PUBLIC_KEY {
            return Err(CKR_KEY_TYPE_INCONSISTENT);
        }
        let set = mech::key_param_set(o)?;
        if set.bits() != bits {
            return Err(CKR_KEY_TYPE_INCONSISTENT);
        }
        if !o.bool(CKA_VERIFY) {
            return Err(CKR_KEY_FUNCTION_NOT_PERMITTED);
        }
        mech::check_allowed(o, m.ty)?;
        let key = mech::verifying_key(o)?;
        self.session_mut(h)?.verify = Some(VerifyOp {
            key,
            acc: Acc::new(bits, hash),
            multipart: false,
        });
        Ok(())
    }

    /// Adds data to the active verification; an error ends it.
    pub fn verify_update(
        &mut self,
        h: CK_SESSION_HANDLE,
        data: &[u8],
        multipart: bool,
    ) -> P11Result {
        let s = self.session_mut(h)?;
        let op = s.verify.as_mut().ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        if !multipart && op.multipart {
            return Err(CKR_OPERATION_ACTIVE);
        }
        op.multipart |= multipart;
        let r = op.acc.update(data);
        if r.is_err() {
            s.verify = None;
        }
        r
    }

    /// Finishes the active verification against `sig`.
    pub fn verify_finish(&mut self, h: CK_SESSION_HANDLE, sig: &[u8]) -> P11Result {
        let op = self.session_mut(h)?.verify.take();
        let op = op.ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        if sig.len() != op.key.param_set().bits() / 4 {
            return Err(CKR_SIGNATURE_LEN_RANGE);
        }
        let digest = op.acc.finish()?;
        op.key
            .verify_digest(&digest, sig)
            .map_err(|_| CKR_SIGNATURE_INVALID)
    }

    /// `C_DigestInit`.
    pub fn digest_init(&mut self, h: CK_SESSION_HANDLE, m: &Mech) -> P11Result {
        let s = self.session_mut(h)?;
        if s.digest.is_some() {
            return Err(CKR_OPERATION_ACTIVE);
        }
        let alg = mech::digest_alg(m.ty).ok_or(CKR_MECHANISM_INVALID)?;
        if !m.param.is_empty() {
            return Err(CKR_MECHANISM_PARAM_INVALID);
        }
        s.digest = Some(DigestOp {
            hasher: alg.hasher(),
            multipart: false,
        });
        Ok(())
    }

    /// The digest length of the active digest.
    pub fn digest_len(&self, h: CK_SESSION_HANDLE) -> P11Result<usize> {
        let op = self.session(h)?.digest.as_ref();
        Ok(op
            .ok_or(CKR_OPERATION_NOT_INITIALIZED)?
            .hasher
            .alg()
            .output_len())
    }

    /// Adds data to the active digest.
    pub fn digest_update(
        &mut self,
        h: CK_SESSION_HANDLE,
        data: &[u8],
        multipart: bool,
    ) -> P11Result {
        let op = self.session_mut(h)?.digest.as_mut();
        let op = op.ok_or(CKR_OPERATION_NOT_INITIALIZED)?;
        if !multipart && op.multipart {
            return Err(CKR_OPERATION_ACTIVE);
        }
        op.multipart |= multipart;
        op.hasher.update(data);
        Ok(())
    }

    /// Finishes the active digest.
    pub fn digest_finish(&mut self, h: CK_SESSION_HANDLE) -> P11Result<Vec<u8>> {
        let op = self.session_mut(h)?.digest.take();
        Ok(op.ok_or(CKR_OPERATION_NOT_INITIALIZED)?.hasher.finalize())
    }

    /// `C_DeriveKey`: VKO with the base private key and the peer public key of the mechanism
    /// parameter; the result is a secret key object (`CKK_GENERIC_SECRET` unless the template
    /// asks for `CKK_GOST28147`), truncated to `CKA_VALUE_LEN` when that is given.
    pub fn derive(
        &mut self,
        h: CK_SESSION_HANDLE,
        m: &Mech,
        base: CK_ULONG,
        t: &Template,
    ) -> P11Result<CK_ULONG> {
        let p = m.derive.as_ref().ok_or(CKR_MECHANISM_INVALID)?;
        let o = &self.object(h, base, CKR_KEY_HANDLE_INVALID)?.obj;
        if o.class() != CKO_PRIVATE_KEY {
            return Err(CKR_KEY_TYPE_INCONSISTENT);
        }
        let set = mech::key_param_set(o)?;
        if !o.bool(CKA_DERIVE) {
            return Err(CKR_KEY_FUNCTION_NOT_PERMITTED);
        }
        mech::check_allowed(o, m.ty)?;
        let (base_sensitive, base_never) =
            (o.bool(CKA_ALWAYS_SENSITIVE), o.bool(CKA_NEVER_EXTRACTABLE));
        let key = mech::signing_key(o)?;
        let peer =
            VerifyingKey::from_bytes(set, &p.public).map_err(|_| CKR_MECHANISM_PARAM_INVALID)?;
        let shared = match (m.ty, p.kdf) {
            (CKM_GOSTR3410_DERIVE, CKD_NULL) if set.bits() == 256 && p.ukm.len() == 8 => {
                vko_2001(&key, &peer, &p.ukm).map(|k| k.to_vec())
            }
            (CKM_GOSTR3410_12_DERIVE, CKD_KDF_GOSTR3411_2012_256)
                if !p.ukm.is_empty() && p.ukm.len() <= set.bits() / 8 =>
            {
                vko_2012_256(&key, &peer, &p.ukm).map(|k| k.to_vec())
            }
            (CKM_GOSTR3410_DERIVE | CKM_GOSTR3410_12_DERIVE, _) => {
                return Err(CKR_MECHANISM_PARAM_INVALID);
            }
            _ => return Err(CKR_MECHANISM_INVALID),
        }
        .map_err(|_| CKR_MECHANISM_PARAM_INVALID)?;
        let mut shared = zeroize::Zeroizing::new(shared);

        let class = find_ulong(t, CKA_CLASS)?.unwrap_or(CKO_SECRET_KEY);
        if class != CKO_SECRET_KEY {
            return Err(CKR_TEMPLATE_INCONSISTENT);
        }
        let key_type = find_ulong(t, CKA_KEY_TYPE)?.unwrap_or(CKK_GENERIC_SECRET);
        let len = match (key_type, find_ulong(t, CKA_VALUE_LEN)?) {
            (CKK_GOST28147, None | Some(32)) => 32,
            (CKK_GENERIC_SECRET, None) => shared.len(),
            (CKK_GENERIC_SECRET, Some(n)) if n >= 1 && (n as usize) <= shared.len() => n as usize,
            (CKK_GOST28147 | CKK_GENERIC_SECRET, _) => return Err(CKR_TEMPLATE_INCONSISTENT),
            _ => return Err(CKR_TEMPLATE_INCONSISTENT),
        };
        if find(t, CKA_VALUE).is_some() {
            return Err(CKR_TEMPLATE_INCONSISTENT);
        }
        shared.truncate(len);
        let mut s = with_defaults(CKO_SECRET_KEY, t)?;
        s.set_ulong(CKA_KEY_TYPE, key_type);
        s.set_ulong(CKA_VALUE_LEN, len as CK_ULONG);
        s.set(CKA_VALUE, shared.to_vec());
        let sensitive = s.bool(CKA_SENSITIVE);
        let extractable = s.bool(CKA_EXTRACTABLE);
        s.set_bool(CKA_ALWAYS_SENSITIVE, base_sensitive && sensitive);
        s.set_bool(CKA_NEVER_EXTRACTABLE, base_never && !extractable);
        self.insert(h, s)
    }
}

/// The value of `ty` given in either of two templates; different values are inconsistent.
fn one_of(a: &Template, b: &Template, ty: CK_ATTRIBUTE_TYPE) -> P11Result<Option<Vec<u8>>> {
    match (find(a, ty), find(b, ty)) {
        (Some(x), Some(y)) if x != y => Err(CKR_TEMPLATE_INCONSISTENT),
        (Some(x), _) | (None, Some(x)) => Ok(Some(x.to_vec())),
        (None, None) => Ok(None),
    }
}

/// An X.509 certificate needs `CKA_CERTIFICATE_TYPE = CKC_X_509` and `CKA_VALUE`; subject,
/// issuer and serial number the caller leaves out are read from the certificate.
fn fill_certificate(o: &mut Object, t: &Template) -> P11Result {
    let ty = find_ulong(t, CKA_CERTIFICATE_TYPE)?.ok_or(CKR_TEMPLATE_INCOMPLETE)?;
    if ty != CKC_X_509 {
        return Err(CKR_ATTRIBUTE_VALUE_INVALID);
    }
    let value = find(t, CKA_VALUE).ok_or(CKR_TEMPLATE_INCOMPLETE)?;
    let parsed = gk::x509::Certificate::from_der(value).ok();
    use der::Encode;
    if let Some(c) = &parsed {
        if find(t, CKA_SUBJECT).is_none() {
            o.set(CKA_SUBJECT, c.subject().to_der().unwrap_or_default());
        }
        if find(t, CKA_ISSUER).is_none() {
            o.set(CKA_ISSUER, c.issuer().to_der().unwrap_or_default());
        }
        if find(t, CKA_SERIAL_NUMBER).is_none() {
            o.set(CKA_SERIAL_NUMBER, der_integer(c.serial()));
        }
    } else if find(t, CKA_SUBJECT).is_none() {
        return Err(CKR_TEMPLATE_INCOMPLETE);
    }
    Ok(())
}

/// DER INTEGER of a big-endian magnitude as the certificate carries it.
fn der_integer(content: &[u8]) -> Vec<u8> {
    let mut out = vec![0x02];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// A GOST key given by value: key type, parameter set and a valid `CKA_VALUE` (a point on the
/// curve, or a scalar in range).
fn import_gost_key(o: &mut Object, t: &Template) -> P11Result {
    let kt = find_ulong(t, CKA_KEY_TYPE)?.ok_or(CKR_TEMPLATE_INCOMPLETE)?;
    if kt != CKK_GOSTR3410 && kt != CKK_GOSTR3410_512 {
        return Err(CKR_ATTRIBUTE_VALUE_INVALID);
    }
    let params = find(t, CKA_GOSTR3410_PARAMS).ok_or(CKR_TEMPLATE_INCOMPLETE)?;
    let set = mech::param_set_of(params).ok_or(CKR_DOMAIN_PARAMS_INVALID)?;
    if mech::key_type_for(set.bits()) != kt {
        return Err(CKR_TEMPLATE_INCONSISTENT);
    }
    let value = find(t, CKA_VALUE).ok_or(CKR_TEMPLATE_INCOMPLETE)?;
    let vk = if o.class() == CKO_PUBLIC_KEY {
        VerifyingKey::from_bytes(set, value).map_err(|_| CKR_ATTRIBUTE_VALUE_INVALID)?
    } else {
        let k = SigningKey::from_bytes(set, value).map_err(|_| CKR_ATTRIBUTE_VALUE_INVALID)?;
        // imported: its value has been outside the token
        o.set_bool(CKA_ALWAYS_SENSITIVE, false);
        o.set_bool(CKA_NEVER_EXTRACTABLE, false);
        k.verifying_key().clone()
    };
    match find(t, CKA_GOSTR3411_PARAMS) {
        Some(v) => {
            let dotted = oid_from_der(v).ok_or(CKR_ATTRIBUTE_VALUE_INVALID)?;
            if !mech::hash_params_for(set.bits()).contains(&dotted.as_str()) {
                return Err(CKR_ATTRIBUTE_VALUE_INVALID);
            }
        }
        None => o.set(
            CKA_GOSTR3411_PARAMS,
            oid_der(mech::hash_params_for(set.bits())[0]),
        ),
    }
    if find(t, CKA_PUBLIC_KEY_INFO).is_none() {
        let spki = GostPublicKey::from_verifying_key(&vk)
            .and_then(|k| k.to_der())
            .unwrap_or_default();
        o.set(CKA_PUBLIC_KEY_INFO, spki);
    }
    o.set_bool(CKA_LOCAL, false);
    Ok(())
}

/// A secret key given by value (generic secret, or a 32-byte GOST 28147-89 key).
fn import_secret(o: &mut Object, t: &Template) -> P11Result {
    let kt = find_ulong(t, CKA_KEY_TYPE)?.ok_or(CKR_TEMPLATE_INCOMPLETE)?;
    let value = find(t, CKA_VALUE).ok_or(CKR_TEMPLATE_INCOMPLETE)?;
    match kt {
        CKK_GENERIC_SECRET if !value.is_empty() => {}
        CKK_GOST28147 if value.len() == 32 => {}
        CKK_GENERIC_SECRET | CKK_GOST28147 => return Err(CKR_ATTRIBUTE_VALUE_INVALID),
        _ => return Err(CKR_ATTRIBUTE_VALUE_INVALID),
    }
    if find(t, CKA_VALUE_LEN).is_some() {
        return Err(CKR_TEMPLATE_INCONSISTENT);
    }
    o.set_ulong(CKA_VALUE_LEN, value.len() as CK_ULONG);
    o.set_bool(CKA_ALWAYS_SENSITIVE, false);
    o.set_bool(CKA_NEVER_EXTRACTABLE, false);
    Ok(())
}
