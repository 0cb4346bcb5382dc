//! PFX / PKCS #12 containers with GOST keys (RFC 7292, R 50.1.112-2016 / RFC 9548): a
//! pkcs8ShroudedKeyBag (PBES2, see [`crate::asn1::pbes2`]) and certificate bags, protected by
//! MacData. The GOST MAC (RFC 9548 §3): HMAC-Streebog-512 keyed with the last 32 bytes of
//! PBKDF2-HMAC-Streebog-512(password, salt, iterations, 96) — not the RFC 7292 KDF. Import also
//! accepts the SHA-256 and SHA-1 MACs OpenSSL writes by default (RFC 7292 Appendix B KDF with
//! the BMPString password). Passwords are UTF-8.
//!
//! Hand-written on `der`: the RustCrypto `pkcs12` crate has no GOST MAC and no PBES2 with GOST
//! ciphers.

use der::asn1::{AnyRef, ObjectIdentifier as Oid, OctetStringRef};
use der::{Decode, Encode, Sequence};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::cert::Certificate;
use super::error::{Result, X509Error};
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
}

/// RFC 9548 §3 MAC key: the last 32 bytes of PBKDF2-HMAC-Streebog-512(password, salt, iter, 96).
fn gost_mac_key(password: &[u8], salt: &[u8], iterations: u32) -> Result<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; 96]);
    crate::kdf::pbkdf2_streebog512(password, salt, iterations, &mut out[..])
        .map_err(|_| X509Error::Invalid("PFX MAC parameters"))?;
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&out[64..]);
    Ok(key)
}

/// RFC 7292 Appendix B.2 key derivation (ID = 3, MAC key) with hash `D`, for `n` ≤ one output.
/// (`v` = 64, the block size of SHA-1 and SHA-256.)
fn p12_kdf<D: digest::Digest>(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    n: usize,
) -> Result<Zeroizing<Vec<u8>>> {
    let v = 64;
    // BMPString of the password with the terminating zero. A password that is not UTF-8 has
    // no BMPString: refused (mapping it to an empty string would give every such password the
    // same MAC key).
    let text = core::str::from_utf8(password)
        .map_err(|_| X509Error::Invalid("PFX password is not UTF-8"))?;
    let mut bmp = Zeroizing::new(Vec::with_capacity(2 * text.len() + 2));
    for u in text.encode_utf16().chain([0u16]) {
        bmp.extend_from_slice(&u.to_be_bytes());
    }
    let fill = |src: &[u8]| -> Zeroizing<Vec<u8>> {
        if src.is_empty() {
            return Zeroizing::new(Vec::new());
        }
        let len = v * src.len().div_ceil(v);
        Zeroizing::new(src.iter().cycle().take(len).copied().collect())
    };
    let mut input = Zeroizing::new(vec![3u8; v]);
    input.extend_from_slice(&fill(salt));
    input.extend_from_slice(&fill(&bmp));
    let mut a = Zeroizing::new(D::digest(&input[..]).to_vec());
    for _ in 1..iterations {
        let next = Zeroizing::new(D::digest(&a[..]).to_vec());
        a = next;
    }
    a.truncate(n);
    Ok(a)
}

fn mac_ok(
    mac: &MacData<'_>,
    password: &[u8],
    auth_safe: &[u8],
    max_iterations: u32,
) -> Result<bool> {
    use hmac::{KeyInit, Mac};
    let iterations = mac.iterations.unwrap_or(1);
    pbes2::check_iterations(iterations, max_iterations)?;
    let salt = mac.salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    let ours: Vec<u8> = match mac.mac.alg.oid {
        oid::STREEBOG_512 => {
            let key = gost_mac_key(password, salt, iterations)?;
            let mut h = HmacStreebog512::new(&key[..]);
            h.update(auth_safe);
            h.finalize().to_vec()
        }
        oid::SHA256 => {
            let key = p12_kdf::<sha2::Sha256>(password, salt, iterations, 32)?;
            let mut h = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key)
                .map_err(|_| X509Error::Invalid("MAC key"))?;
            h.update(auth_safe);
            h.finalize().into_bytes().to_vec()
        }
        oid::SHA1 => {
            let key = p12_kdf::<sha1::Sha1>(password, salt, iterations, 20)?;
            let mut h = hmac::Hmac::<sha1::Sha1>::new_from_slice(&key)
                .map_err(|_| X509Error::Invalid("MAC key"))?;
            h.update(auth_safe);
            h.finalize().into_bytes().to_vec()
        }
        _ => return Err(X509Error::Unsupported("PFX MAC algorithm")),
    };
    Ok(ours.len() == expected.len() && bool::from(ours.as_slice().ct_eq(expected)))
}

/// Opens a PFX (DER) with `password`: checks the MAC, decrypts the key, matches it to its
/// certificate. A wrong password or a tampered MAC gives [`X509Error::WrongPassword`]. MAC and
/// PBES2 iteration counts above [`pbes2::DEFAULT_MAX_ITERATIONS`] are refused.
pub fn import(der: &[u8], password: &[u8]) -> Result<PfxContents> {
    import_with(der, password, pbes2::DEFAULT_MAX_ITERATIONS)
}

/// [`import`] with the caller's cap on the MAC and PBES2 iteration counts (refused before
/// any derivation). A PFX holding a second private key is refused when that bag is reached,
/// before it is decrypted.
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
                pbes2::decrypt_with_cap(
                    &ed.eci.alg.to_der()?,
                    ct.as_bytes(),
                    password,
                    max_iterations,
                )?
            }
            _ => return Err(X509Error::Unsupported("SafeContents type")),
        };
        let bags: Vec<SafeBag<'_>> =
            Vec::from_der(&bags_der).map_err(|_| X509Error::WrongPassword)?;
        for bag in bags {
            let is_key = matches!(bag.bag_id, oid::P12_SHROUDED_KEY_BAG | oid::P12_KEY_BAG);
            if is_key && !keys.is_empty() {
                return Err(X509Error::Unsupported("PFX with several private keys"));
            }
            match bag.bag_id {
                oid::P12_SHROUDED_KEY_BAG => {
                    let epki = bag.value.to_der()?;
                    keys.push(pbes2::decrypt_pkcs8_with(&epki, password, max_iterations)?);
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
    })
}

fn local_key_id_attr(id: &[u8]) -> Result<Vec<u8>> {
    // SET OF Attribute { localKeyId, SET { OCTET STRING id } }
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
    let mut set = vec![0x31];
    der::Length::try_from(a.len())?.encode_to_vec(&mut set)?;
    set.extend_from_slice(&a);
    Ok(set)
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
    if !cert.matches_key(&key.to_signing_key()?) {
        return Err(X509Error::KeyMismatch);
    }
    let id = cert.thumbprint_sha1();
    let attrs = local_key_id_attr(&id)?;
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
    let mac_key = gost_mac_key(password, &salt, iterations)?;
    let mac = {
        let mut h = HmacStreebog512::new(&mac_key[..]);
        h.update(&auth);
        h.finalize().to_vec()
    };
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
