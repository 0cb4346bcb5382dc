//! GOST private keys in PKCS#8 PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958), with the
//! AlgorithmIdentifier parameters of [`super::params`].
//!
//! Writing uses the form of RFC 9215 / R 1323565.1.024-2019: the privateKey OCTET STRING holds
//! the DER of an OCTET STRING of the scalar, little-endian (32 or 64 bytes); version 0, or
//! version 1 with the `[1] publicKey` when a public point is attached.
//!
//! Reading accepts every form found in the wild, inside the privateKey OCTET STRING:
//! 1. `OCTET STRING` of the little-endian scalar (the written form);
//! 2. `INTEGER`, big-endian (old CryptoPro/OpenSSL form);
//! 3. the bare little-endian bytes, with no inner DER (what gost-engine 3.0 writes);
//! 4. masked keys: forms 1 and 3 may hold `key || mask1 || … || maskN` (each one scalar long),
//!    and `MaskedGostKey ::= SEQUENCE { OCTET STRING key||masks, OCTET STRING publicKey }`.
//!
//! For masked keys the parts are returned in [`GostPrivateKey::key`] and
//! [`GostPrivateKey::masks`]; the real private key is `key · mask1 · … · maskN mod q`, which the
//! curve layer computes (this module does no arithmetic). The forms are told apart by the inner
//! DER: the content is read as DER first and taken as bare bytes only if it is not one exact
//! DER value of a valid size (a bare 32-byte scalar that happens to be a valid DER INTEGER or
//! OCTET STRING header of the right length — probability about 2⁻¹⁴ — is read as DER, like
//! gost-engine does). The scalar is not range-checked against q here.

use core::fmt;

use const_oid::ObjectIdentifier;
use der::asn1::{BitStringRef, OctetStringRef, UintRef};
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use pkcs8::{PrivateKeyInfo, PrivateKeyInfoRef};
use spki::AlgorithmIdentifier;
use zeroize::Zeroizing;

use super::error::{Asn1Error, Result};
use super::params::{KeyAlgorithm, KeyParams};
use super::pem;
use super::spki::{check_point_len, decode_point};

/// PEM label of an unencrypted PKCS#8 key (RFC 7468 §10).
pub const PRIVATE_KEY_LABEL: &str = "PRIVATE KEY";

/// A GOST R 34.10 private key with its parameters. Zeroized on drop; `Debug` hides the key.
#[derive(Clone)]
pub struct GostPrivateKey {
    /// Key algorithm (2001, 2012-256 or 2012-512).
    pub algorithm: KeyAlgorithm,
    /// publicKeyParamSet: the curve OID, as read.
    pub param_set: ObjectIdentifier,
    /// digestParamSet as read (recomputed per RFC 9215 §4.2 on writing).
    pub digest_param_set: Option<ObjectIdentifier>,
    /// encryptionParamSet as read.
    pub encryption_param_set: Option<ObjectIdentifier>,
    /// The scalar, little-endian, 32 or 64 bytes (for a masked key: the masked value).
    pub key: Zeroizing<Vec<u8>>,
    /// Masks of a masked key, each little-endian and as long as `key`; empty for a plain key.
    /// The real key is `key · mask1 · … · maskN mod q`.
    pub masks: Vec<Zeroizing<Vec<u8>>>,
    /// Public point X||Y (little-endian coordinates) from a version-1 `[1] publicKey`, if any.
    pub public_point: Option<Vec<u8>>,
}

impl fmt::Debug for GostPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GostPrivateKey")
            .field("algorithm", &self.algorithm)
            .field("param_set", &self.param_set)
            .field("digest_param_set", &self.digest_param_set)
            .field("encryption_param_set", &self.encryption_param_set)
            .field("key", &"<redacted>")
            .field("masks", &self.masks.len())
            .field(
                "public_point",
                &self.public_point.as_ref().map(|_| "<present>"),
            )
            .finish()
    }
}

impl GostPrivateKey {
    /// Builds a plain (unmasked) key from its little-endian scalar, checking the parameter set
    /// and the scalar length; the digestParamSet is the one RFC 9215 §4.2 writes.
    pub fn new(
        algorithm: KeyAlgorithm,
        param_set: ObjectIdentifier,
        key_le: &[u8],
    ) -> Result<Self> {
        let mut kp = KeyParams {
            algorithm,
            param_set,
            digest_param_set: None,
            encryption_param_set: None,
        };
        kp.check()?;
        if key_le.len() != algorithm.scalar_len() {
            return Err(Asn1Error::PrivateKeyFormat("scalar has the wrong length"));
        }
        kp.digest_param_set = kp.digest_to_write();
        Ok(Self {
            algorithm,
            param_set,
            digest_param_set: kp.digest_param_set,
            encryption_param_set: None,
            key: Zeroizing::new(key_le.to_vec()),
            masks: Vec::new(),
            public_point: None,
        })
    }

    /// Whether the key is masked (the real key is the product of `key` and `masks` mod q).
    pub fn is_masked(&self) -> bool {
        !self.masks.is_empty()
    }

    /// Parses a DER PKCS#8 PrivateKeyInfo / OneAsymmetricKey in any of the forms listed in the
    /// module documentation.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let info = PrivateKeyInfoRef::from_der(der)?;
        let kp = KeyParams::decode(&info.algorithm.oid, info.algorithm.parameters)?;
        let n = kp.algorithm.scalar_len();
        let (key, masks) = decode_private(info.private_key.as_bytes(), n)?;
        let public_point = match info.public_key {
            Some(bits) => Some(decode_point(kp.algorithm, bits)?.to_vec()),
            None => None,
        };
        Ok(Self {
            algorithm: kp.algorithm,
            param_set: kp.param_set,
            digest_param_set: kp.digest_param_set,
            encryption_param_set: kp.encryption_param_set,
            key,
            masks,
            public_point,
        })
    }

    /// Parses a PEM `PRIVATE KEY` block (CRLF and trailing whitespace tolerated).
    pub fn from_pem(pem_text: &str) -> Result<Self> {
        let der = pem::decode_pem(pem_text.as_bytes(), PRIVATE_KEY_LABEL)?;
        Self::from_der(&der)
    }

    /// Parses either PEM (`PRIVATE KEY`) or DER.
    pub fn decode(input: &[u8]) -> Result<Self> {
        if pem::looks_like_pem(input) {
            let der = pem::decode_pem(input, PRIVATE_KEY_LABEL)?;
            Self::from_der(&der)
        } else {
            Self::from_der(input)
        }
    }

    /// Encodes the key in DER in the RFC 9215 form (inner OCTET STRING, little-endian), version
    /// 0, or version 1 with `[1] publicKey` when `public_point` is set. Masked keys are refused
    /// (unmask them with the curve layer first). The parameters follow RFC 9215 §4.2 as for
    /// [`super::GostPublicKey::to_der`].
    pub fn to_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        if self.is_masked() {
            return Err(Asn1Error::PrivateKeyFormat("masked keys cannot be written"));
        }
        let n = self.algorithm.scalar_len();
        if self.key.len() != n {
            return Err(Asn1Error::PrivateKeyFormat("scalar has the wrong length"));
        }
        let kp = KeyParams {
            algorithm: self.algorithm,
            param_set: self.param_set,
            digest_param_set: self.digest_param_set,
            encryption_param_set: self.encryption_param_set,
        };
        // Inner OCTET STRING, built in a zeroizing buffer (n < 128: short-form length).
        let mut inner = Zeroizing::new(Vec::with_capacity(n + 2));
        inner.push(0x04);
        inner.push(n as u8);
        inner.extend_from_slice(&self.key);
        let pub_der = match &self.public_point {
            Some(p) => {
                check_point_len(self.algorithm, p)?;
                Some(OctetStringRef::new(p)?.to_der()?)
            }
            None => None,
        };
        let info: PrivateKeyInfo<der::Any, &OctetStringRef, BitStringRef<'_>> = PrivateKeyInfo {
            algorithm: AlgorithmIdentifier {
                oid: self.algorithm.oid(),
                parameters: Some(kp.encode()?),
            },
            private_key: OctetStringRef::new(&inner)?,
            public_key: match &pub_der {
                Some(d) => Some(BitStringRef::from_bytes(d)?),
                None => None,
            },
        };
        Ok(Zeroizing::new(info.to_der()?))
    }

    /// Encodes the key as PEM `PRIVATE KEY` (see [`Self::to_der`]).
    pub fn to_pem(&self) -> Result<Zeroizing<String>> {
        let der = self.to_der()?;
        pem::encode_pem(PRIVATE_KEY_LABEL, &der)
    }
}

type KeyParts = (Zeroizing<Vec<u8>>, Vec<Zeroizing<Vec<u8>>>);

/// Splits `key || mask1 || …` (little-endian parts of `n` bytes each).
fn split_parts(bytes: &[u8], n: usize) -> Option<KeyParts> {
    if bytes.is_empty() || !bytes.len().is_multiple_of(n) {
        return None;
    }
    let mut chunks = bytes.chunks_exact(n);
    let key = Zeroizing::new(chunks.next()?.to_vec());
    let masks = chunks.map(|c| Zeroizing::new(c.to_vec())).collect();
    Some((key, masks))
}

/// Reads the content of the privateKey OCTET STRING (see the module documentation).
fn decode_private(content: &[u8], n: usize) -> Result<KeyParts> {
    if let Some(parts) = decode_private_der(content, n) {
        return Ok(parts);
    }
    split_parts(content, n).ok_or(Asn1Error::PrivateKeyFormat(
        "none of the known private key forms",
    ))
}

/// The DER forms: OCTET STRING (LE, maybe masked), INTEGER (BE), MaskedGostKey SEQUENCE.
/// Returns None when `content` is not exactly one such value of a valid size.
fn decode_private_der(content: &[u8], n: usize) -> Option<KeyParts> {
    match content.first().copied() {
        Some(0x04) => {
            let os = <&OctetStringRef>::from_der(content).ok()?;
            split_parts(os.as_bytes(), n)
        }
        Some(0x02) => {
            // UintRef refuses negative values and strips the sign byte.
            let int = UintRef::from_der(content).ok()?;
            let be = int.as_bytes();
            if be.len() > n {
                return None;
            }
            let mut le = Zeroizing::new(vec![0u8; n]);
            for (dst, src) in le.iter_mut().zip(be.iter().rev()) {
                *dst = *src;
            }
            Some((le, Vec::new()))
        }
        Some(0x30) => {
            let any = der::AnyRef::from_der(content).ok()?;
            if any.tag() != Tag::Sequence {
                return None;
            }
            let mut r = SliceReader::new(any.value()).ok()?;
            let masked = <&OctetStringRef>::decode(&mut r).ok()?;
            let _public = <&OctetStringRef>::decode(&mut r).ok()?;
            if !r.is_finished() {
                return None;
            }
            let parts = split_parts(masked.as_bytes(), n)?;
            // MaskedGostKey always carries at least one mask.
            if parts.1.is_empty() {
                None
            } else {
                Some(parts)
            }
        }
        _ => None,
    }
}
