//! A private key on a token: [`SignDigest`] and [`AgreeKey`] through the session, generation.

use cryptoki::mechanism::vendor_defined::VendorDefinedMechanism;
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use zeroize::Zeroizing;

use super::consts::*;
use super::token::{TokenSession, value};
use super::{Pkcs11Error, Result};
use crate::ec::{
    AgreeKey, EcError, ParamSet, SignDigest, Signature, SigningKey, VerifyingKey, VkoAlg,
};

/// A TC26 vendor mechanism (`cryptoki` expresses only vendor-range GOST mechanisms).
fn vendor<'a, T>(m: u64, params: Option<&'a T>) -> Result<Mechanism<'a>> {
    let t = MechanismType::new_vendor_defined(m as _)?;
    Ok(Mechanism::VendorDefined(VendorDefinedMechanism::new(
        t, params,
    )))
}

fn params_attr(set: ParamSet) -> Result<Attribute> {
    use der::Encode;
    let oid = const_oid::ObjectIdentifier::new(set.oid())
        .ok()
        .and_then(|o| o.to_der().ok())
        .ok_or(Pkcs11Error::Unsupported("parameter set OID"))?;
    Ok(Attribute::VendorDefined((
        AttributeType::VendorDefined(CKA_GOSTR3410_PARAMS as _),
        oid,
    )))
}

#[allow(dead_code)]
fn device(what: &str, e: cryptoki::error::Error) -> EcError {
    EcError::Device {
        what: format!("{what}: {e}"),
    }
}

/// `CK_GOSTR3410_DERIVE_PARAMS` (TC26 §5.2), laid out as the C structure.
#[repr(C)]
struct DeriveParams {
    kdf: cryptoki_sys::CK_ULONG,
    public: *mut u8,
    public_len: cryptoki_sys::CK_ULONG,
    ukm: *mut u8,
    ukm_len: cryptoki_sys::CK_ULONG,
}

/// A private key on a token, with its public key. Signing and VKO run on the token.
pub struct TokenKey {
    session: TokenSession,
    handle: ObjectHandle,
    set: ParamSet,
    public: VerifyingKey,
    id: Vec<u8>,
}

impl core::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenKey")
            .field("set", &self.set)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl TokenKey {
    pub(super) fn find(
        session: TokenSession,
        label: Option<&str>,
        id: Option<&[u8]>,
    ) -> Result<Self> {
        let mut t = vec![Attribute::Class(ObjectClass::PRIVATE_KEY)];
        if let Some(l) = label {
            t.push(Attribute::Label(l.as_bytes().to_vec()));
        }
        if let Some(i) = id {
            t.push(Attribute::Id(i.to_vec()));
        }
        let what = format!(
            "object={} id={}",
            label.unwrap_or("*"),
            id.map(|i| i.iter().map(|b| format!("%{b:02x}")).collect::<String>())
                .unwrap_or_else(|| "*".into())
        );
        let handle = session.with(|s| {
            let found = s.find_objects(&t)?;
            match found.as_slice() {
                [] => Err(Pkcs11Error::ObjectNotFound(what.clone())),
                [h] => Ok(*h),
                _ => Err(Pkcs11Error::Ambiguous(what.clone())),
            }
        })?;
        Self::from_handle(session, handle)
    }

    fn from_handle(session: TokenSession, handle: ObjectHandle) -> Result<Self> {
        let (id, set, public) = session.with(|s| {
            // `cryptoki` cannot read back CKA_GOSTR3410_PARAMS (not a type it knows): the
            // parameter set comes with the public key, from the public key object's
            // CKA_PUBLIC_KEY_INFO (SubjectPublicKeyInfo) or the certificate with the same ID.
            let id = s
                .get_attributes(handle, &[AttributeType::Id])?
                .into_iter()
                .find_map(|a| match a {
                    Attribute::Id(i) => Some(i),
                    _ => None,
                })
                .unwrap_or_default();
            let mut public = None;
            let found = s.find_objects(&[
                Attribute::Class(ObjectClass::PUBLIC_KEY),
                Attribute::Id(id.clone()),
            ])?;
            if let Some(&h) = found.first() {
                let spki = s
                    .get_attributes(h, &[AttributeType::PublicKeyInfo])?
                    .into_iter()
                    .find_map(|a| match a {
                        Attribute::PublicKeyInfo(v) if !v.is_empty() => Some(v),
                        _ => None,
                    });
                if let Some(spki) = spki {
                    public = Some(
                        crate::asn1::GostPublicKey::from_der(&spki)
                            .and_then(|k| k.to_verifying_key())
                            .map_err(|e| Pkcs11Error::BadObject(format!("public key: {e}")))?,
                    );
                }
            }
            if public.is_none() {
                let found = s.find_objects(&[
                    Attribute::Class(ObjectClass::CERTIFICATE),
                    Attribute::Id(id.clone()),
                ])?;
                if let Some(&h) = found.first()
                    && let Some(v) = value(s, h)?
                {
                    public = Some(
                        crate::x509::Certificate::from_der(&v)
                            .and_then(|c| c.verifying_key())
                            .map_err(|e| Pkcs11Error::BadObject(format!("certificate: {e}")))?,
                    );
                }
            }
            let public = public.ok_or_else(|| {
                Pkcs11Error::ObjectNotFound("a public key or certificate with the key's id".into())
            })?;
            let set = public.param_set();
            Ok((id, set, public))
        })?;
        Ok(Self {
            session,
            handle,
            set,
            public,
            id,
        })
    }

    /// The key's `CKA_ID`.
    pub fn id(&self) -> &[u8] {
        &self.id
    }

    /// The session the key lives in.
    pub fn session(&self) -> &TokenSession {
        &self.session
    }
}

impl TokenSession {
    /// A new key pair with `label` and `id`, token objects, the private key sensitive,
    /// non-extractable, for signing and derivation. 512-bit sets are generated on the token
    /// (`CKM_GOSTR3410_512_KEY_PAIR_GEN`); for 256-bit sets `cryptoki` cannot name
    /// `CKM_GOSTR3410_KEY_PAIR_GEN` (outside the vendor range), so gostkit generates the key
    /// and imports it (the in-memory copy is zeroized).
    pub fn generate(&self, set: ParamSet, label: &str, id: &[u8]) -> Result<TokenKey> {
        let common = |private: bool| -> Result<Vec<Attribute>> {
            let mut v = vec![
                Attribute::Token(true),
                Attribute::Label(label.as_bytes().to_vec()),
                Attribute::Id(id.to_vec()),
            ];
            if private {
                v.extend([
                    Attribute::Private(true),
                    Attribute::Sensitive(true),
                    Attribute::Extractable(false),
                    Attribute::Sign(true),
                    Attribute::Derive(true),
                ]);
            } else {
                v.push(params_attr(set)?);
            }
            Ok(v)
        };
        let handle = if set.bits() == 512 {
            let m = vendor::<()>(CKM_GOSTR3410_512_KEY_PAIR_GEN, None)?;
            let (_, hk) =
                self.with(|s| Ok(s.generate_key_pair(&m, &common(false)?, &common(true)?)?))?;
            hk
        } else {
            let sk = SigningKey::generate(set).map_err(|_| Pkcs11Error::Token("random".into()))?;
            let kt = KeyType::GOSTR3410;
            let value = Zeroizing::new(sk.to_bytes().to_vec());
            let public = sk.verifying_key().to_bytes().to_vec();
            self.with(|s| {
                let mut pubt = common(false)?;
                pubt.extend([
                    Attribute::Class(ObjectClass::PUBLIC_KEY),
                    Attribute::KeyType(kt),
                    Attribute::Value(public.clone()),
                    Attribute::Verify(true),
                ]);
                s.create_object(&pubt)?;
                let mut privt = common(true)?;
                privt.extend([
                    Attribute::Class(ObjectClass::PRIVATE_KEY),
                    Attribute::KeyType(kt),
                    params_attr(set)?,
                    Attribute::Value(value.to_vec()),
                ]);
                Ok(s.create_object(&privt)?)
            })?
        };
        TokenKey::from_handle(self.clone(), handle)
    }
}

impl SignDigest for TokenKey {
    fn param_set(&self) -> ParamSet {
        self.set
    }
    fn public_key(&self) -> &VerifyingKey {
        &self.public
    }
    /// `CKM_GOSTR3410_512` for 512-bit keys. 256-bit keys: `CKM_GOSTR3410` is outside the
    /// vendor range, which `cryptoki` cannot name, so only [`SignDigest::sign_message`] (the
    /// TC26 hashing mechanism) is available; a bare 32-byte digest is refused.
    fn sign_digest(&self, digest: &[u8]) -> core::result::Result<Signature, EcError> {
        if self.set.bits() != 512 {
            return Err(EcError::UnsupportedParamSet {
                what: "signing a bare digest with a 256-bit token key (use sign_message)",
            });
        }
        if digest.len() != 64 {
            return Err(EcError::InvalidLength {
                what: "digest",
                expected: 64,
                got: digest.len(),
            });
        }
        let m = vendor::<()>(CKM_GOSTR3410_512, None).map_err(|e| EcError::Device {
            what: e.to_string(),
        })?;
        let sig = self
            .session
            .with(|s| Ok(s.sign(&m, self.handle, digest)?))
            .map_err(|e| EcError::Device {
                what: format!("C_Sign: {e}"),
            })?;
        let sig = Signature::from_slice(&sig)?;
        // the module's byte order must be gostkit's (s || r): check before handing it out
        self.public.verify_digest(digest, sig.as_bytes())?;
        Ok(sig)
    }
    fn sign_message(&self, message: &[u8]) -> core::result::Result<Signature, EcError> {
        if self.set.bits() == 512 {
            return self.sign_digest(&crate::hash::Streebog512::digest(message));
        }
        let m = vendor::<()>(
            VENDOR_RU_TEAM | 0x008, // CKM_GOSTR3410_WITH_GOSTR3411_12_256
            None,
        )
        .map_err(|e| EcError::Device {
            what: e.to_string(),
        })?;
        let sig = self
            .session
            .with(|s| Ok(s.sign(&m, self.handle, message)?))
            .map_err(|e| EcError::Device {
                what: format!("C_Sign: {e}"),
            })?;
        let sig = Signature::from_slice(&sig)?;
        self.public.verify(message, sig.as_bytes())?;
        Ok(sig)
    }
}

impl AgreeKey for TokenKey {
    fn param_set(&self) -> ParamSet {
        self.set
    }
    fn public_key(&self) -> &VerifyingKey {
        &self.public
    }
    /// `CKM_GOSTR3410_12_DERIVE` with `CKD_KDF_GOSTR3411_2012_256` (VKO_GOSTR3410_2012_256);
    /// the derived secret is read back and the session object destroyed.
    fn vko(
        &self,
        alg: VkoAlg,
        peer: &VerifyingKey,
        ukm: &[u8],
    ) -> core::result::Result<Zeroizing<Vec<u8>>, EcError> {
        if alg != VkoAlg::Vko2012_256 {
            return Err(EcError::UnsupportedParamSet {
                what: "token VKO other than VKO_GOSTR3410_2012_256",
            });
        }
        let mut public = peer.to_bytes().to_vec();
        let mut ukm = ukm.to_vec();
        let p = DeriveParams {
            kdf: CKD_KDF_GOSTR3411_2012_256 as _,
            public: public.as_mut_ptr(),
            public_len: public.len() as _,
            ukm: ukm.as_mut_ptr(),
            ukm_len: ukm.len() as _,
        };
        let m = vendor(CKM_GOSTR3410_12_DERIVE, Some(&p)).map_err(|e| EcError::Device {
            what: e.to_string(),
        })?;
        self.session
            .with(|s| {
                let k = s.derive_key(
                    &m,
                    self.handle,
                    &[
                        Attribute::Class(ObjectClass::SECRET_KEY),
                        Attribute::KeyType(KeyType::GENERIC_SECRET),
                        Attribute::Token(false),
                        Attribute::Sensitive(false),
                        Attribute::Extractable(true),
                    ],
                )?;
                let v = value(s, k).map(|v| v.map(Zeroizing::new));
                let _ = s.destroy_object(k);
                v?.ok_or_else(|| Pkcs11Error::Token("derived key not readable".into()))
            })
            .map_err(|e| EcError::Device {
                what: format!("C_DeriveKey: {e}"),
            })
    }
}
