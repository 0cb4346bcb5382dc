//! PFX / PKCS #12 containers with GOST keys (RFC 7292, R 50.1.112-2016 / RFC 9548): a
//! pkcs8ShroudedKeyBag (PBES2, see [`crate::asn1::pbes2`]) and certificate bags, protected by
//! MacData.
//!
//! Import reads, step by step, each failure naming its step:
//! 1. the MAC ([`X509Error::WrongPassword`] when it does not verify): the RFC 9548 §3 GOST MAC —
//!    HMAC-H keyed with the last 32 bytes of PBKDF2-HMAC-H(password, salt, iterations, 96) with
//!    H = Streebog-512 (the standard's), Streebog-256 or GOST R 34.11-94 (what
//!    `openssl pkcs12 -macalg md_gost12_256 | md_gost94` with gost-engine writes) — or the
//!    SHA-256 and SHA-1 MACs OpenSSL and CryptoPro write (RFC 7292 Appendix B KDF with the
//!    BMPString password);
//! 2. the bags ([`X509Error::BagDecryption`] when one does not decrypt, after the MAC
//!    verified): key bags in PBES2 or in the CryptoPro key-bag PBE ([`cryptopro`]), EncryptedData
//!    certificate bags in PBES2 or pbeWithSHAAnd3-KeyTripleDES-CBC.
//!
//! Export writes the RFC 9548 form. Passwords are UTF-8.
//!
//! Hand-written on `der`: the RustCrypto `pkcs12` crate has no GOST MAC and no PBES2 with GOST
//! ciphers.

pub mod cryptopro;
mod pkcs12_pbe;

use der::asn1::{AnyRef, ObjectIdentifier as Oid, OctetStringRef};
use der::{Decode, Encode, Sequence};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::cert::Certificate;
use super::error::{PfxBag, Result, X509Error};
use crate::asn1::GostPrivateKey;
use crate::asn1::pbes2::{self, AlgId, KeyCipher};
use crate::mac::HmacStreebog512;
use crate::oid;

#[derive(Sequence)]
struct ContentInfo<'a> {
    content_type: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    content: Option<AnyRef<'a>>,
}

#[derive(Sequence)]
struct DigestInfo<'a> {
    alg: AlgId<'a>,
    digest: &'a OctetStringRef,
}

#[derive(Sequence)]
struct MacData<'a> {
    mac: DigestInfo<'a>,
    salt: &'a OctetStringRef,
    #[asn1(optional = "true")]
    iterations: Option<u32>,
}

#[derive(Sequence)]
struct PfxOuter<'a> {
    version: u8,
    auth_safe: ContentInfo<'a>,
    #[asn1(optional = "true")]
    mac_data: Option<MacData<'a>>,
}

#[derive(Sequence)]
struct SafeBag<'a> {
    bag_id: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    value: AnyRef<'a>,
    #[asn1(optional = "true")]
    attributes: Option<AnyRef<'a>>,
}

#[derive(Sequence)]
struct CertBag<'a> {
    cert_id: Oid,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    value: &'a OctetStringRef,
}

#[derive(Sequence)]
struct EncryptedContentInfo<'a> {
    content_type: Oid,
    alg: AnyRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    content: Option<&'a OctetStringRef>,
}

#[derive(Sequence)]
struct EncryptedData<'a> {
    version: u8,
    eci: EncryptedContentInfo<'a>,
}

/// What a PFX holds.
#[derive(Debug)]
pub struct PfxContents {
    /// The private key.
    pub key: GostPrivateKey,
    /// The certificate of that key, when the PFX has it.
    pub cert: Option<Certificate>,
    /// The other certificates (the chain).
    pub others: Vec<Certificate>,
    /// The key bag's friendlyName attribute (PKCS #9 §5.5.1), when present.
    pub friendly_name: Option<String>,
}

/// RFC 9548 §3 MAC key with hash `D`: the last 32 bytes of PBKDF2-HMAC-D(password, salt, iter,
/// 96).
fn gost_mac_key<D: hmac::EagerHash>(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 96]);
    pbkdf2::pbkdf2_hmac::<D>(password, salt, iterations, &mut out[..]);
    let mut key = Zeroizing::new([0u8; 32]);
    for (k, o) in key.iter_mut().zip(out.iter().skip(64)) {
        *k = *o;
    }
    key
}

/// HMAC-`D` of `data` under `key`.
fn hmac_of<D: hmac::EagerHash>(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    use hmac::{KeyInit, Mac};
    let mut h = <hmac::Hmac<D> as KeyInit>::new_from_slice(key)
        .map_err(|_| X509Error::Invalid("MAC key"))?;
    h.update(data);
    Ok(h.finalize().into_bytes().to_vec())
}

/// The RFC 9548 §3 MAC with Streebog-512 (what [`export`] writes).
fn streebog512_mac(password: &[u8], salt: &[u8], iterations: u32, data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Zeroizing::new([0u8; 96]);
    crate::kdf::pbkdf2_streebog512(password, salt, iterations, &mut out[..])
        .map_err(|_| X509Error::Invalid("PFX MAC parameters"))?;
    let mac_key = out
        .get(64..)
        .ok_or(X509Error::Invalid("PFX MAC parameters"))?;
    let mut h = HmacStreebog512::new(mac_key);
    h.update(data);
    Ok(h.finalize().to_vec())
}

fn mac_ok(
    mac: &MacData<'_>,
    password: &[u8],
    auth_safe: &[u8],
    max_iterations: u32,
) -> Result<bool> {
    use pkcs12_pbe::{Purpose, derive};
    let iterations = mac.iterations.unwrap_or(1);
    pbes2::check_iterations(iterations, max_iterations)?;
    let salt = mac.salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    let ours: Vec<u8> = match mac.mac.alg.oid {
        oid::STREEBOG_512 => streebog512_mac(password, salt, iterations, auth_safe)?,
        oid::STREEBOG_256 => {
            let key = gost_mac_key::<streebog::Streebog256>(password, salt, iterations);
            hmac_of::<streebog::Streebog256>(&key[..], auth_safe)?
        }
        oid::GOSTR3411_94 => {
            let key = gost_mac_key::<gost94::Gost94CryptoPro>(password, salt, iterations);
            hmac_of::<gost94::Gost94CryptoPro>(&key[..], auth_safe)?
        }
        oid::SHA256 => {
            let key = derive::<sha2::Sha256>(Purpose::Mac, password, salt, iterations, 32)?;
            hmac_of::<sha2::Sha256>(&key, auth_safe)?
        }
        oid::SHA1 => {
            let key = derive::<sha1::Sha1>(Purpose::Mac, password, salt, iterations, 20)?;
            hmac_of::<sha1::Sha1>(&key, auth_safe)?
        }
        _ => return Err(X509Error::Unsupported("PFX MAC algorithm")),
    };
    Ok(ours.len() == expected.len() && bool::from(ours.as_slice().ct_eq(expected)))
}

/// After the MAC verified: a bag failure says which bag, and that the MAC had verified.
fn after_mac(bag: PfxBag, what: &'static str) -> impl Fn(X509Error) -> X509Error {
    move |e| match e {
        X509Error::BagDecryption { why, .. } => X509Error::BagDecryption {
            bag,
            why,
            mac_verified: true,
        },
        X509Error::WrongPassword => X509Error::BagDecryption {
            bag,
            why: what,
            mac_verified: true,
        },
        other => other,
    }
}

/// Opens a PFX (DER) with `password`: checks the MAC, decrypts the key, matches it to its
/// certificate. A MAC that does not verify (wrong password, or an altered file) gives
/// [`X509Error::WrongPassword`]; a bag that does not decrypt after the MAC verified gives
/// [`X509Error::BagDecryption`]. MAC, PBES2, PKCS #12 PBE and CryptoPro round counts above
/// [`pbes2::DEFAULT_MAX_ITERATIONS`] are refused.
pub fn import(der: &[u8], password: &[u8]) -> Result<PfxContents> {
    import_with(der, password, pbes2::DEFAULT_MAX_ITERATIONS)
}

/// [`import`] with the caller's cap on the MAC, PBES2, PKCS #12 PBE and CryptoPro key-bag
/// iteration counts (refused before any derivation). A PFX holding a second private key is
/// refused when that bag is reached, before it is decrypted.
pub fn import_with(der: &[u8], password: &[u8], max_iterations: u32) -> Result<PfxContents> {
    let pfx = PfxOuter::from_der(der)?;
    if pfx.version != 3 || pfx.auth_safe.content_type != oid::CMS_DATA {
        return Err(X509Error::Unsupported("PFX version or authSafe type"));
    }
    let auth: &OctetStringRef = pfx
        .auth_safe
        .content
        .ok_or(X509Error::Invalid("PFX authSafe content"))?
        .decode_as()?;
    let auth = auth.as_bytes();
    match &pfx.mac_data {
        Some(m) => {
            if !mac_ok(m, password, auth, max_iterations)? {
                return Err(X509Error::WrongPassword);
            }
        }
        None => return Err(X509Error::Unsupported("PFX without a MAC")),
    }
    let safes: Vec<ContentInfo<'_>> = Vec::from_der(auth)?;
    let mut keys: Vec<GostPrivateKey> = Vec::new();
    let mut certs: Vec<Certificate> = Vec::new();
    let mut friendly_name = None;
    for ci in safes {
        let content = ci
            .content
            .ok_or(X509Error::Invalid("SafeContents missing"))?;
        let bags_der: Zeroizing<Vec<u8>> = match ci.content_type {
            oid::CMS_DATA => {
                Zeroizing::new(content.decode_as::<&OctetStringRef>()?.as_bytes().to_vec())
            }
            oid::CMS_ENCRYPTED_DATA => {
                let ed: EncryptedData<'_> = content.decode_as()?;
                let ct = ed
                    .eci
                    .content
                    .ok_or(X509Error::Invalid("encrypted SafeContents"))?;
                let alg: AlgId<'_> = ed.eci.alg.decode_as()?;
                let on_err = after_mac(PfxBag::EncryptedContents, "the CBC padding is invalid");
                let plain = if alg.oid == oid::PBES2 {
                    pbes2::decrypt_with_cap(
                        &ed.eci.alg.to_der()?,
                        ct.as_bytes(),
                        password,
                        max_iterations,
                    )
                    .map_err(X509Error::from)
                    .map_err(&on_err)?
                } else {
                    pkcs12_pbe::decrypt(&alg, ct.as_bytes(), password, max_iterations)
                        .map_err(&on_err)?
                };
                // With the stream ciphers a wrong key only shows here.
                if Vec::<SafeBag<'_>>::from_der(&plain).is_err() {
                    return Err(X509Error::BagDecryption {
                        bag: PfxBag::EncryptedContents,
                        why: "the decrypted SafeContents is not DER",
                        mac_verified: true,
                    });
                }
                plain
            }
            _ => return Err(X509Error::Unsupported("SafeContents type")),
        };
        let bags: Vec<SafeBag<'_>> = Vec::from_der(&bags_der)?;
        for bag in bags {
            let is_key = matches!(bag.bag_id, oid::P12_SHROUDED_KEY_BAG | oid::P12_KEY_BAG);
            if is_key && !keys.is_empty() {
                return Err(X509Error::Unsupported("PFX with several private keys"));
            }
            match bag.bag_id {
                oid::P12_SHROUDED_KEY_BAG => {
                    friendly_name = bag.attributes.as_ref().and_then(friendly_name_of);
                    let epki = bag.value.to_der()?;
                    let on_err = after_mac(
                        PfxBag::Key,
                        "the padding is invalid or the decrypted key is not PKCS#8",
                    );
                    let key = if cryptopro::is_cryptopro_key_bag(&epki) {
                        cryptopro::decrypt_key_bag(&epki, password, max_iterations)
                    } else {
                        pbes2::decrypt_pkcs8_with(&epki, password, max_iterations)
                            .map_err(X509Error::from)
                    };
                    keys.push(key.map_err(on_err)?);
                }
                oid::P12_KEY_BAG => keys.push(GostPrivateKey::from_der(&bag.value.to_der()?)?),
                oid::P12_CERT_BAG => {
                    let cb: CertBag<'_> = bag.value.decode_as()?;
                    if cb.cert_id == oid::P12_X509_CERT {
                        certs.push(Certificate::from_der(cb.value.as_bytes())?);
                    }
                }
                _ => {}
            }
        }
    }
    let key = match keys.len() {
        1 => keys.remove(0),
        0 => return Err(X509Error::Invalid("PFX holds no private key")),
        _ => return Err(X509Error::Unsupported("PFX with several private keys")),
    };
    let sk = key.to_signing_key()?;
    let pos = certs.iter().position(|c| c.matches_key(&sk));
    let cert = pos.map(|i| certs.remove(i));
    Ok(PfxContents {
        key,
        cert,
        others: certs,
        friendly_name,
    })
}

fn local_key_id_attr(id: &[u8]) -> Result<Vec<u8>> {
    // SET OF Attribute { localKeyId, SET { OCTET STRING id } }
    let a = local_key_id_elem(id)?;
    let mut set = vec![0x31];
    der::Length::try_from(a.len())?.encode_to_vec(&mut set)?;
    set.extend_from_slice(&a);
    Ok(set)
}

/// The localKeyId Attribute (one element of a bag's attribute SET).
fn local_key_id_elem(id: &[u8]) -> Result<Vec<u8>> {
    #[derive(Sequence)]
    struct Attr<'a> {
        oid: Oid,
        values: der::asn1::SetOfVec<&'a OctetStringRef>,
    }
    let mut values = der::asn1::SetOfVec::new();
    values.insert(OctetStringRef::new(id)?)?;
    let a = Attr {
        oid: oid::P12_LOCAL_KEY_ID,
        values,
    }
    .to_der()?;
    Ok(a)
}

/// The bag attributes: localKeyId, and friendlyName when given, as a DER SET OF.
fn bag_attrs(id: &[u8], friendly_name: Option<&str>) -> Result<Vec<u8>> {
    let lk = local_key_id_attr(id)?;
    let Some(name) = friendly_name else {
        return Ok(lk);
    };
    let units: Vec<u16> = name.encode_utf16().collect();
    if units.len() > 255 || name.chars().any(|c| c as u32 > 0xffff) {
        return Err(X509Error::Invalid(
            "friendlyName: at most 255 characters of the Basic Multilingual Plane",
        ));
    }
    let bmp: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    let der_tlv = |tag: u8, body: &[u8]| -> Result<Vec<u8>> {
        let mut v = vec![tag];
        der::Length::try_from(body.len())?.encode_to_vec(&mut v)?;
        v.extend_from_slice(body);
        Ok(v)
    };
    let mut body = oid::P12_FRIENDLY_NAME.to_der()?;
    body.extend_from_slice(&der_tlv(0x31, &der_tlv(0x1e, &bmp)?)?);
    // DER SET OF: elements in ascending order of their encodings (X.690 §11.6).
    let mut elems = [local_key_id_elem(id)?, der_tlv(0x30, &body)?];
    elems.sort();
    der_tlv(0x31, &elems.concat())
}

/// The friendlyName bag attribute (PKCS #9 §5.5.1) of `attrs` (a SET OF Attribute), decoded
/// from its BMPString; None when absent or not well formed.
fn friendly_name_of(attrs: &AnyRef<'_>) -> Option<String> {
    #[derive(Sequence)]
    struct Attr<'a> {
        oid: Oid,
        values: AnyRef<'a>,
    }
    // Read the SET's elements as a SEQUENCE OF (no DER order check needed to read them).
    let mut seq = vec![0x30];
    der::Length::try_from(attrs.value().len())
        .ok()?
        .encode_to_vec(&mut seq)
        .ok()?;
    seq.extend_from_slice(attrs.value());
    let list: Vec<Attr<'_>> = Vec::from_der(&seq).ok()?;
    let a = list.iter().find(|a| a.oid == oid::P12_FRIENDLY_NAME)?;
    let v = AnyRef::from_der(a.values.value()).ok()?;
    if der::Tagged::tag(&v) != der::Tag::BmpString || v.value().len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = v
        .value()
        .chunks_exact(2)
        .map(|c| c.iter().fold(0u16, |u, &b| u << 8 | u16::from(b)))
        .collect();
    String::from_utf16(&units).ok()
}

fn data_content_info(inner: &[u8]) -> Result<Vec<u8>> {
    let os = OctetStringRef::new(inner)?.to_der()?;
    Ok(ContentInfo {
        content_type: oid::CMS_DATA,
        content: Some(AnyRef::from_der(&os)?),
    }
    .to_der()?)
}

/// Builds a PFX: the key shrouded with PBES2 (`cipher`), `cert` and `chain` in certificate
/// bags, the RFC 9548 HMAC-Streebog-512 MAC; `iterations` for both KDFs. The key must belong
/// to `cert` ([`X509Error::KeyMismatch`]).
pub fn export(
    key: &GostPrivateKey,
    cert: &Certificate,
    chain: &[Certificate],
    password: &[u8],
    cipher: KeyCipher,
    iterations: u32,
) -> Result<Vec<u8>> {
    export_named(key, cert, chain, password, cipher, iterations, None)
}

/// [`export`] with a friendlyName (PKCS #9 §5.5.1, RFC 7292 §4.2 bag attribute, a BMPString)
/// on the key bag and the certificate's bag: the name Windows and CryptoPro show for the
/// imported key. A name with characters outside the BMP or longer than 255 UTF-16 units is
/// refused ([`X509Error::Invalid`]).
pub fn export_named(
    key: &GostPrivateKey,
    cert: &Certificate,
    chain: &[Certificate],
    password: &[u8],
    cipher: KeyCipher,
    iterations: u32,
    friendly_name: Option<&str>,
) -> Result<Vec<u8>> {
    if !cert.matches_key(&key.to_signing_key()?) {
        return Err(X509Error::KeyMismatch);
    }
    let id = cert.thumbprint_sha1();
    let attrs = bag_attrs(&id, friendly_name)?;
    let mut cert_bags = Vec::new();
    for (i, c) in core::iter::once(cert).chain(chain).enumerate() {
        let cb = CertBag {
            cert_id: oid::P12_X509_CERT,
            value: OctetStringRef::new(c.der())?,
        }
        .to_der()?;
        let bag = SafeBag {
            bag_id: oid::P12_CERT_BAG,
            value: AnyRef::from_der(&cb)?,
            attributes: if i == 0 {
                Some(AnyRef::from_der(&attrs)?)
            } else {
                None
            },
        };
        cert_bags.push(bag.to_der()?);
    }
    let epki = pbes2::encrypt_pkcs8(key, password, cipher, iterations)?;
    let key_bag = SafeBag {
        bag_id: oid::P12_SHROUDED_KEY_BAG,
        value: AnyRef::from_der(&epki)?,
        attributes: Some(AnyRef::from_der(&attrs)?),
    }
    .to_der()?;
    let seq = |items: &[Vec<u8>]| -> Result<Vec<u8>> {
        let body: Vec<u8> = items.concat();
        let mut out = vec![0x30];
        der::Length::try_from(body.len())?.encode_to_vec(&mut out)?;
        out.extend_from_slice(&body);
        Ok(out)
    };
    let certs_ci = data_content_info(&seq(&cert_bags)?)?;
    let key_ci = data_content_info(&seq(&[key_bag])?)?;
    let auth = seq(&[certs_ci, key_ci])?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| X509Error::Unsupported("OS random source failed"))?;
    let mac = streebog512_mac(password, &salt, iterations, &auth)?;
    let null = der::asn1::Null.to_der()?;
    let auth_os = OctetStringRef::new(&auth)?.to_der()?;
    let outer = PfxOuter {
        version: 3,
        auth_safe: ContentInfo {
            content_type: oid::CMS_DATA,
            content: Some(AnyRef::from_der(&auth_os)?),
        },
        mac_data: Some(MacData {
            mac: DigestInfo {
                alg: AlgId {
                    oid: oid::STREEBOG_512,
                    params: Some(AnyRef::from_der(&null)?),
                },
                digest: OctetStringRef::new(&mac)?,
            },
            salt: OctetStringRef::new(&salt)?,
            iterations: Some(iterations),
        }),
    };
    Ok(outer.to_der()?)
}
