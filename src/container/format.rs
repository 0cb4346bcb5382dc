//! The files of a CryptoPro CSP key container, typed: `header.key` ([`HeaderFile`]),
//! `masks.key` / `masks2.key` ([`MasksFile`]), `primary.key` / `primary2.key`
//! ([`PrimaryFile`]) and `name.key` ([`NameFile`]).
//!
//! Structures (as read by li0ard/ckey `schemas.py` and li0ard/cpfx_ts `schema.ts`; see
//! `test-vectors/cryptopro/README.md`):
//!
//! ```text
//! header.key  = SEQUENCE { keyContainerContent, hmacKeyContainerContent OCTET STRING (4) }
//! keyContainerContent = SEQUENCE {
//!     containerAlgoritmIdentifier      [0] EXPLICIT OBJECT IDENTIFIER OPTIONAL,
//!     containerName                    IA5String OPTIONAL,
//!     attributes                       BIT STRING,   -- kccaSoftPassword(0), kccaReservePrimary(1),
//!                                                    -- kccaPrimaryKeyAbsent(2), kccaFKCShared(3)
//!     primaryPrivateKeyParameters      PrivateKeyParameters,
//!     hmacPassword                     [2] IMPLICIT OCTET STRING OPTIONAL,
//!     secondaryEncryptedPrivateKey     [3] OPTIONAL,
//!     secondaryPrivateKeyParameters    [4] IMPLICIT PrivateKeyParameters OPTIONAL,
//!     primaryCertificate               [5] IMPLICIT OCTET STRING (certificate DER) OPTIONAL,
//!     secondaryCertificate             [6] IMPLICIT OCTET STRING OPTIONAL,
//!     encryptionContainerName          [7] OPTIONAL,
//!     primaryCertificateLink           [8] OPTIONAL,
//!     secondaryCertificateLink         [9] OPTIONAL,
//!     primaryFP                        [10] IMPLICIT OCTET STRING (8) OPTIONAL,
//!     secondaryFP                      [11] IMPLICIT OCTET STRING (8) OPTIONAL,
//!     passwordPolicy                   OBJECT IDENTIFIER OPTIONAL,
//!     containerSecurityLevel           INTEGER OPTIONAL,
//!     extensions                       [12] IMPLICIT SEQUENCE OF Extension OPTIONAL,
//!     secondaryEncryptionContainerName [13] OPTIONAL }
//! PrivateKeyParameters = SEQUENCE {
//!     attributes BIT STRING,   -- pkaExportable(0), pkaUserProtect(1), pkaExchange(2),
//!                              -- pkaEphemeral(3), pkaNonCachable(4), pkaDhAllowed(5)
//!     privateKeyAlgorithm [0] IMPLICIT AlgorithmIdentifier
//!                              -- { key OID, SEQUENCE { curve OID, digest OID OPTIONAL, … } } }
//! masks.key   = SEQUENCE { mask OCTET STRING (32|64), salt OCTET STRING (12), hmac OCTET STRING (4) }
//! primary.key = SEQUENCE { value OCTET STRING (32|64), [0] OCTET STRING OPTIONAL }
//! name.key    = SEQUENCE { IA5String }
//! ```
//!
//! Every file is parsed strictly (DER, bounded sizes, typed errors, never a panic) and keeps
//! what it does not interpret: fields of `header.key` with tags outside the schema, elements
//! after the known ones in the other files, the raw `[3]`, `[7]`–`[9]`, `[13]` and INTEGER
//! fields. Encoding a parsed file gives back its bytes.

use const_oid::ObjectIdentifier;
use der::Tag;
use zeroize::{Zeroize, Zeroizing};

use super::error::ContainerError;
use super::tlv::{self, Tlv, ctx, ctx_number};

/// Size caps of the files (a header holds up to two certificates).
pub const MAX_HEADER_LEN: usize = 256 * 1024;
/// Size cap of `masks.key`, `primary.key` and `name.key`.
pub const MAX_SMALL_FILE_LEN: usize = 4096;

const HEADER: &str = "header.key";
const NAME: &str = "name.key";

/// A BIT STRING kept exactly as read (unused-bit count and bytes), with named-bit access.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flags {
    unused: u8,
    bytes: Vec<u8>,
}

impl Flags {
    /// The flags with the named bits `bits` set, encoded as DER writes a named bit list (no
    /// trailing zero bits).
    pub fn from_bits(bits: &[usize]) -> Self {
        let Some(&top) = bits.iter().max() else {
            return Self {
                unused: 0,
                bytes: Vec::new(),
            };
        };
        let mut bytes = vec![0u8; top / 8 + 1];
        for &b in bits {
            if let Some(byte) = bytes.get_mut(b / 8) {
                *byte |= 0x80 >> (b % 8);
            }
        }
        // `top % 8` is the last bit used in the last byte.
        let unused = u8::try_from(7 - top % 8).unwrap_or(0);
        Self { unused, bytes }
    }

    fn parse(file: &'static str, value: &[u8]) -> Result<Self, ContainerError> {
        let bad = |what| ContainerError::Malformed { file, what };
        let (&unused, bytes) = value.split_first().ok_or(bad("empty BIT STRING"))?;
        if unused > 7 || (bytes.is_empty() && unused != 0) {
            return Err(bad("BIT STRING with a bad unused-bit count"));
        }
        if bytes.len() > 16 {
            return Err(bad("attribute BIT STRING too long"));
        }
        Ok(Self {
            unused,
            bytes: bytes.to_vec(),
        })
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), ContainerError> {
        let mut v = Vec::with_capacity(self.bytes.len() + 1);
        v.push(self.unused);
        v.extend_from_slice(&self.bytes);
        tlv::put(out, Tag::BitString, &v)
    }

    /// Whether named bit `n` (0 = the most significant bit of the first byte) is set.
    pub fn bit(&self, n: usize) -> bool {
        self.bytes
            .get(n / 8)
            .is_some_and(|b| b & (0x80 >> (n % 8)) != 0)
    }

    /// The number of unused bits in the last byte.
    pub fn unused_bits(&self) -> u8 {
        self.unused
    }

    /// The bytes after the unused-bit count.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Container attribute bits (keyContainerContent.attributes).
pub mod container_bits {
    /// kccaSoftPassword: the key is protected by a PIN.
    pub const SOFT_PASSWORD: usize = 0;
    /// kccaReservePrimary: `primary2.key` / `masks2.key` hold a reserve copy of the key.
    pub const RESERVE_PRIMARY: usize = 1;
    /// kccaPrimaryKeyAbsent.
    pub const PRIMARY_KEY_ABSENT: usize = 2;
    /// kccaFKCShared.
    pub const FKC_SHARED: usize = 3;
}

/// Key attribute bits (PrivateKeyParameters.attributes).
pub mod key_bits {
    /// pkaExportable.
    pub const EXPORTABLE: usize = 0;
    /// pkaUserProtect.
    pub const USER_PROTECT: usize = 1;
    /// pkaExchange: a key exchange key (AT_KEYEXCHANGE), else a signature key.
    pub const EXCHANGE: usize = 2;
    /// pkaEphemeral.
    pub const EPHEMERAL: usize = 3;
    /// pkaNonCachable.
    pub const NON_CACHABLE: usize = 4;
    /// pkaDhAllowed.
    pub const DH_ALLOWED: usize = 5;
}

/// An element kept as read: its tag and contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawField {
    /// The tag (class, number, constructed bit).
    pub tag: Tag,
    /// The contents octets.
    pub value: Vec<u8>,
}

impl RawField {
    fn from_tlv(t: &Tlv<'_>) -> Self {
        Self {
            tag: t.tag,
            value: t.value.to_vec(),
        }
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), ContainerError> {
        tlv::put(out, self.tag, &self.value)
    }
}

fn oid_of(file: &'static str, t: &Tlv<'_>) -> Result<ObjectIdentifier, ContainerError> {
    if t.tag != Tag::ObjectIdentifier {
        return Err(ContainerError::Malformed {
            file,
            what: "expected an OBJECT IDENTIFIER",
        });
    }
    match ObjectIdentifier::from_bytes(t.value) {
        // Only the canonical encoding, so that writing it back gives the bytes read.
        Ok(o) if o.as_bytes() == t.value => Ok(o),
        _ => Err(ContainerError::Malformed {
            file,
            what: "malformed OBJECT IDENTIFIER",
        }),
    }
}

fn put_oid(out: &mut Vec<u8>, oid: &ObjectIdentifier) -> Result<(), ContainerError> {
    tlv::put(out, Tag::ObjectIdentifier, oid.as_bytes())
}

/// PrivateKeyParameters: the key attributes and algorithm of a container key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyParameters {
    /// pkaExportable, pkaExchange, … ([`key_bits`]).
    pub attributes: Flags,
    /// The key algorithm OID (e.g. 1.2.643.7.1.1.6.1 for a 2012-256 exchange key).
    pub algorithm: ObjectIdentifier,
    /// The curve (publicKeyParamSet) OID.
    pub curve: ObjectIdentifier,
    /// The digestParamSet OID, when present.
    pub digest: Option<ObjectIdentifier>,
    /// Further OIDs of the parameters SEQUENCE (an encryptionParamSet), as read.
    pub extra_params: Vec<ObjectIdentifier>,
    /// Elements after privateKeyAlgorithm, as read.
    pub rest: Vec<RawField>,
}

impl KeyParameters {
    /// Parses the contents of a PrivateKeyParameters SEQUENCE.
    fn parse_contents(file: &'static str, contents: &[u8]) -> Result<Self, ContainerError> {
        let bad = |what| ContainerError::Malformed { file, what };
        let els = tlv::elements(file, contents)?;
        let mut it = els.iter();
        let attrs = it.next().ok_or(bad("key parameters are empty"))?;
        if attrs.tag != Tag::BitString {
            return Err(bad("key attributes are not a BIT STRING"));
        }
        let attributes = Flags::parse(file, attrs.value)?;
        let alg = it.next().ok_or(bad("no privateKeyAlgorithm"))?;
        if alg.tag != ctx(0, true) {
            return Err(bad(
                "privateKeyAlgorithm is not [0] IMPLICIT AlgorithmIdentifier",
            ));
        }
        let ai = tlv::elements(file, alg.value)?;
        let (algorithm, params) = match ai.as_slice() {
            [o, p] => (oid_of(file, o)?, p),
            _ => return Err(bad("AlgorithmIdentifier without OID and parameters")),
        };
        if params.tag != Tag::Sequence {
            return Err(bad("key parameters are not a SEQUENCE"));
        }
        let oids = tlv::elements(file, params.value)?
            .iter()
            .map(|t| oid_of(file, t))
            .collect::<Result<Vec<_>, _>>()?;
        let (curve, digest, extra_params) = match oids.as_slice() {
            [] => return Err(bad("key parameters name no curve")),
            [c] => (*c, None, Vec::new()),
            [c, d, rest @ ..] if rest.len() <= 2 => (*c, Some(*d), rest.to_vec()),
            _ => return Err(bad("too many key parameter OIDs")),
        };
        Ok(Self {
            attributes,
            algorithm,
            curve,
            digest,
            extra_params,
            rest: it.map(RawField::from_tlv).collect(),
        })
    }

    fn encode_contents(&self) -> Result<Vec<u8>, ContainerError> {
        let mut params = Vec::new();
        put_oid(&mut params, &self.curve)?;
        if let Some(d) = &self.digest {
            put_oid(&mut params, d)?;
            for e in &self.extra_params {
                put_oid(&mut params, e)?;
            }
        }
        let mut ai = Vec::new();
        put_oid(&mut ai, &self.algorithm)?;
        tlv::put(&mut ai, Tag::Sequence, &params)?;
        let mut out = Vec::new();
        self.attributes.encode(&mut out)?;
        tlv::put(&mut out, ctx(0, true), &ai)?;
        for r in &self.rest {
            r.encode(&mut out)?;
        }
        Ok(out)
    }

    /// pkaExportable.
    pub fn exportable(&self) -> bool {
        self.attributes.bit(key_bits::EXPORTABLE)
    }

    /// pkaExchange: an exchange key (signs and agrees), else a signature key.
    pub fn exchange(&self) -> bool {
        self.attributes.bit(key_bits::EXCHANGE)
    }
}

/// One extension of keyContainerContent.extensions (`SEQUENCE { OID, BOOLEAN DEFAULT FALSE,
/// OCTET STRING }`, as in X.509).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerExtension {
    /// extnID (e.g. 1.2.643.2.2.37.3.10, the exchange key's usage period).
    pub oid: ObjectIdentifier,
    /// critical (written only when true).
    pub critical: bool,
    /// extnValue contents.
    pub value: Vec<u8>,
}

impl ContainerExtension {
    fn parse(file: &'static str, t: &Tlv<'_>) -> Result<Self, ContainerError> {
        let bad = |what| ContainerError::Malformed { file, what };
        if t.tag != Tag::Sequence {
            return Err(bad("container extension is not a SEQUENCE"));
        }
        let els = tlv::elements(file, t.value)?;
        let (oid, critical, value) = match els.as_slice() {
            [o, v] => (o, false, v),
            [o, c, v] if c.tag == Tag::Boolean && c.value == [0xff] => (o, true, v),
            _ => return Err(bad("container extension is not { OID, [critical,] value }")),
        };
        if value.tag != Tag::OctetString {
            return Err(bad("container extension value is not an OCTET STRING"));
        }
        Ok(Self {
            oid: oid_of(file, oid)?,
            critical,
            value: value.value.to_vec(),
        })
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), ContainerError> {
        let mut v = Vec::new();
        put_oid(&mut v, &self.oid)?;
        if self.critical {
            tlv::put(&mut v, Tag::Boolean, &[0xff])?;
        }
        tlv::put(&mut v, Tag::OctetString, &self.value)?;
        tlv::put(out, Tag::Sequence, &v)
    }
}

/// keyContainerContent, field by field. `unknown` holds elements whose tags are outside the
/// schema, each with the number of known fields that preceded it, so that encoding puts it back
/// where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerContent {
    /// containerAlgoritmIdentifier `[0]` (1.2.643.2.2.37.2.1, id-CryptoPro-GostPrivateKeys-V2-Full,
    /// in CSP 5.0 containers).
    pub container_algorithm: Option<ObjectIdentifier>,
    /// containerName (IA5String bytes).
    pub container_name: Option<Vec<u8>>,
    /// Container attributes ([`container_bits`]).
    pub attributes: Flags,
    /// The primary key's attributes and algorithm.
    pub primary_key: KeyParameters,
    /// hmacPassword `[2]`.
    pub hmac_password: Option<Vec<u8>>,
    /// secondaryEncryptedPrivateKey `[3]`, as read.
    pub secondary_encrypted_key: Option<RawField>,
    /// secondaryPrivateKeyParameters `[4]`.
    pub secondary_key: Option<KeyParameters>,
    /// primaryCertificate `[5]`: certificate DER.
    pub primary_certificate: Option<Vec<u8>>,
    /// Whether `[5]` was constructed (EXPLICIT) rather than primitive.
    pub primary_certificate_constructed: bool,
    /// secondaryCertificate `[6]`: certificate DER.
    pub secondary_certificate: Option<Vec<u8>>,
    /// Whether `[6]` was constructed.
    pub secondary_certificate_constructed: bool,
    /// encryptionContainerName `[7]`, as read.
    pub encryption_container_name: Option<RawField>,
    /// primaryCertificateLink `[8]`, as read.
    pub primary_certificate_link: Option<RawField>,
    /// secondaryCertificateLink `[9]`, as read.
    pub secondary_certificate_link: Option<RawField>,
    /// primaryFP `[10]`: the first 8 bytes of LE(X) of the primary public key.
    pub primary_fp: Option<[u8; 8]>,
    /// secondaryFP `[11]`.
    pub secondary_fp: Option<[u8; 8]>,
    /// passwordPolicy.
    pub password_policy: Option<ObjectIdentifier>,
    /// containerSecurityLevel (INTEGER contents).
    pub security_level: Option<Vec<u8>>,
    /// extensions `[12]`.
    pub extensions: Option<Vec<ContainerExtension>>,
    /// secondaryEncryptionContainerName `[13]`, as read.
    pub secondary_encryption_container_name: Option<RawField>,
    /// Elements with tags outside the schema: (number of known fields before it, element).
    pub unknown: Vec<(usize, RawField)>,
}

/// The position of a tag in the schema, or `None` for a tag outside it.
fn rank(tag: Tag) -> Option<u8> {
    Some(match tag {
        Tag::ContextSpecific {
            constructed: true,
            number,
        } if number.value() == 0 => 0,
        Tag::Ia5String => 1,
        Tag::BitString => 2,
        Tag::Sequence => 3,
        Tag::ObjectIdentifier => 14,
        Tag::Integer => 15,
        Tag::ContextSpecific { number, .. } => match number.value() {
            2..=11 => u8::try_from(number.value()).ok()? + 2,
            12 => 16,
            13 => 17,
            _ => return None,
        },
        _ => return None,
    })
}

fn fp8(file: &'static str, v: &[u8]) -> Result<[u8; 8], ContainerError> {
    v.try_into().map_err(|_| ContainerError::Malformed {
        file,
        what: "key fingerprint is not 8 bytes",
    })
}

impl ContainerContent {
    /// Parses the contents of keyContainerContent.
    fn parse_contents(contents: &[u8]) -> Result<Self, ContainerError> {
        let f = HEADER;
        let bad = |what| ContainerError::Malformed { file: f, what };
        let mut c = ContainerContent {
            container_algorithm: None,
            container_name: None,
            attributes: Flags::from_bits(&[]),
            primary_key: KeyParameters {
                attributes: Flags::from_bits(&[]),
                algorithm: crate::oid::GOSTR3410_2012_256,
                curve: crate::oid::CURVE_TC26_256_A,
                digest: None,
                extra_params: Vec::new(),
                rest: Vec::new(),
            },
            hmac_password: None,
            secondary_encrypted_key: None,
            secondary_key: None,
            primary_certificate: None,
            primary_certificate_constructed: false,
            secondary_certificate: None,
            secondary_certificate_constructed: false,
            encryption_container_name: None,
            primary_certificate_link: None,
            secondary_certificate_link: None,
            primary_fp: None,
            secondary_fp: None,
            password_policy: None,
            security_level: None,
            extensions: None,
            secondary_encryption_container_name: None,
            unknown: Vec::new(),
        };
        let mut last: Option<u8> = None;
        let mut known = 0usize;
        let (mut have_attrs, mut have_params) = (false, false);
        for t in tlv::elements(f, contents)? {
            let Some(r) = rank(t.tag) else {
                c.unknown.push((known, RawField::from_tlv(&t)));
                continue;
            };
            if last.is_some_and(|l| r <= l) {
                return Err(bad("keyContainerContent fields out of order or repeated"));
            }
            last = Some(r);
            known += 1;
            let primitive = !t.tag.is_constructed();
            match r {
                0 => {
                    let inner = tlv::single(f, t.value)?;
                    c.container_algorithm = Some(oid_of(f, &inner)?);
                }
                1 => c.container_name = Some(t.value.to_vec()),
                2 => {
                    c.attributes = Flags::parse(f, t.value)?;
                    have_attrs = true;
                }
                3 => {
                    c.primary_key = KeyParameters::parse_contents(f, t.value)?;
                    have_params = true;
                }
                4 if primitive => c.hmac_password = Some(t.value.to_vec()),
                5 => c.secondary_encrypted_key = Some(RawField::from_tlv(&t)),
                6 if !primitive => {
                    c.secondary_key = Some(KeyParameters::parse_contents(f, t.value)?)
                }
                7 => {
                    c.primary_certificate = Some(t.value.to_vec());
                    c.primary_certificate_constructed = !primitive;
                }
                8 => {
                    c.secondary_certificate = Some(t.value.to_vec());
                    c.secondary_certificate_constructed = !primitive;
                }
                9 => c.encryption_container_name = Some(RawField::from_tlv(&t)),
                10 => c.primary_certificate_link = Some(RawField::from_tlv(&t)),
                11 => c.secondary_certificate_link = Some(RawField::from_tlv(&t)),
                12 if primitive => c.primary_fp = Some(fp8(f, t.value)?),
                13 if primitive => c.secondary_fp = Some(fp8(f, t.value)?),
                14 => c.password_policy = Some(oid_of(f, &t)?),
                15 => c.security_level = Some(t.value.to_vec()),
                16 if !primitive => {
                    let exts = tlv::elements(f, t.value)?
                        .iter()
                        .map(|e| ContainerExtension::parse(f, e))
                        .collect::<Result<Vec<_>, _>>()?;
                    c.extensions = Some(exts);
                }
                17 => c.secondary_encryption_container_name = Some(RawField::from_tlv(&t)),
                _ => return Err(bad("a keyContainerContent field has the wrong form")),
            }
        }
        if !have_attrs || !have_params {
            return Err(bad(
                "keyContainerContent lacks attributes or primaryPrivateKeyParameters",
            ));
        }
        Ok(c)
    }

    /// The DER of keyContainerContent (the SEQUENCE, header included): the bytes the header MAC
    /// is computed over.
    pub fn to_der(&self) -> Result<Vec<u8>, ContainerError> {
        let mut v = Vec::new();
        let mut known = 0usize;
        let mut unknown = self.unknown.iter().peekable();
        let mut flush = |v: &mut Vec<u8>, known: usize| -> Result<(), ContainerError> {
            while let Some((_, raw)) = unknown.next_if(|(at, _)| *at <= known) {
                raw.encode(v)?;
            }
            Ok(())
        };
        flush(&mut v, known)?;
        let field = |v: &mut Vec<u8>, tag: Tag, value: &[u8], known: &mut usize| -> Result<(), _> {
            tlv::put(v, tag, value)?;
            *known += 1;
            Ok::<(), ContainerError>(())
        };
        if let Some(o) = &self.container_algorithm {
            let mut inner = Vec::new();
            put_oid(&mut inner, o)?;
            field(&mut v, ctx(0, true), &inner, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(n) = &self.container_name {
            field(&mut v, Tag::Ia5String, n, &mut known)?;
            flush(&mut v, known)?;
        }
        self.attributes.encode(&mut v)?;
        known += 1;
        flush(&mut v, known)?;
        let pk = self.primary_key.encode_contents()?;
        field(&mut v, Tag::Sequence, &pk, &mut known)?;
        flush(&mut v, known)?;
        if let Some(h) = &self.hmac_password {
            field(&mut v, ctx(2, false), h, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(r) = &self.secondary_encrypted_key {
            field(&mut v, r.tag, &r.value, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(s) = &self.secondary_key {
            let sk = s.encode_contents()?;
            field(&mut v, ctx(4, true), &sk, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(c) = &self.primary_certificate {
            let tag = ctx(5, self.primary_certificate_constructed);
            field(&mut v, tag, c, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(c) = &self.secondary_certificate {
            let tag = ctx(6, self.secondary_certificate_constructed);
            field(&mut v, tag, c, &mut known)?;
            flush(&mut v, known)?;
        }
        for r in [
            &self.encryption_container_name,
            &self.primary_certificate_link,
            &self.secondary_certificate_link,
        ]
        .into_iter()
        .flatten()
        {
            field(&mut v, r.tag, &r.value, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(fp) = &self.primary_fp {
            field(&mut v, ctx(10, false), fp, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(fp) = &self.secondary_fp {
            field(&mut v, ctx(11, false), fp, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(o) = &self.password_policy {
            field(&mut v, Tag::ObjectIdentifier, o.as_bytes(), &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(i) = &self.security_level {
            field(&mut v, Tag::Integer, i, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(exts) = &self.extensions {
            let mut e = Vec::new();
            for x in exts {
                x.encode(&mut e)?;
            }
            field(&mut v, ctx(12, true), &e, &mut known)?;
            flush(&mut v, known)?;
        }
        if let Some(r) = &self.secondary_encryption_container_name {
            field(&mut v, r.tag, &r.value, &mut known)?;
        }
        flush(&mut v, usize::MAX)?;
        tlv::tlv(Tag::Sequence, &v)
    }

    /// kccaSoftPassword: the key is protected by a PIN.
    pub fn has_pin(&self) -> bool {
        self.attributes.bit(container_bits::SOFT_PASSWORD)
    }

    /// kccaReservePrimary: a reserve copy of the key is in `primary2.key` / `masks2.key`.
    pub fn has_reserve_copy(&self) -> bool {
        self.attributes.bit(container_bits::RESERVE_PRIMARY)
    }
}

/// `header.key`: keyContainerContent and its MAC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderFile {
    /// keyContainerContent.
    pub content: ContainerContent,
    /// hmacKeyContainerContent: GOST 28147-89 MAC of the content's DER under a zero key.
    pub mac: Vec<u8>,
    /// The DER of keyContainerContent as read (what the MAC covers).
    content_der: Vec<u8>,
    /// Elements after the MAC, as read.
    pub rest: Vec<RawField>,
}

impl HeaderFile {
    /// Parses `header.key`.
    pub fn parse(der: &[u8]) -> Result<Self, ContainerError> {
        check_size(HEADER, der, MAX_HEADER_LEN)?;
        let bad = |what| ContainerError::Malformed { file: HEADER, what };
        let outer = tlv::single(HEADER, der)?;
        if outer.tag != Tag::Sequence {
            return Err(bad("not a SEQUENCE"));
        }
        let els = tlv::elements(HEADER, outer.value)?;
        let (content, mac, rest) = match els.as_slice() {
            [c, m, rest @ ..] => (c, m, rest),
            _ => return Err(bad("no keyContainerContent and MAC")),
        };
        if content.tag != Tag::Sequence || mac.tag != Tag::OctetString {
            return Err(bad("not SEQUENCE { keyContainerContent, OCTET STRING }"));
        }
        let parsed = ContainerContent::parse_contents(content.value)?;
        Ok(Self {
            content: parsed,
            mac: mac.value.to_vec(),
            content_der: tlv::tlv(Tag::Sequence, content.value)?,
            rest: rest.iter().map(RawField::from_tlv).collect(),
        })
    }

    /// A header from its content and MAC (the writer computes the MAC).
    pub(crate) fn new(content: ContainerContent, mac: Vec<u8>) -> Result<Self, ContainerError> {
        let content_der = content.to_der()?;
        Ok(Self {
            content,
            mac,
            content_der,
            rest: Vec::new(),
        })
    }

    /// The DER of keyContainerContent as read (or as built).
    pub fn content_der(&self) -> &[u8] {
        &self.content_der
    }

    /// Re-encodes the file from its fields (the content as it now is).
    pub fn to_der(&self) -> Result<Vec<u8>, ContainerError> {
        let mut v = self.content.to_der()?;
        tlv::put(&mut v, Tag::OctetString, &self.mac)?;
        for r in &self.rest {
            r.encode(&mut v)?;
        }
        tlv::tlv(Tag::Sequence, &v)
    }
}

fn check_size(file: &'static str, der: &[u8], limit: usize) -> Result<(), ContainerError> {
    if der.len() > limit {
        Err(ContainerError::TooLarge { file, limit })
    } else {
        Ok(())
    }
}

fn key_len_ok(len: usize) -> bool {
    len == 32 || len == 64
}

/// `masks.key` / `masks2.key`: the key mask, the CPKDF salt and the mask MAC.
#[derive(Clone, PartialEq, Eq)]
pub struct MasksFile {
    /// The mask, LE (32 or 64 bytes). Secret.
    pub mask: Zeroizing<Vec<u8>>,
    /// The CPKDF salt (12 bytes).
    pub salt: Vec<u8>,
    /// MAC of the salt keyed with the mask (4 bytes).
    pub mac: Vec<u8>,
    /// Elements after the MAC, as read.
    pub rest: Vec<RawField>,
}

impl core::fmt::Debug for MasksFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MasksFile")
            .field("mask", &"<hidden>")
            .field("salt", &self.salt)
            .field("mac", &self.mac)
            .finish()
    }
}

impl MasksFile {
    /// Parses `masks.key` (or `masks2.key`, named by `file`).
    pub fn parse(file: &'static str, der: &[u8]) -> Result<Self, ContainerError> {
        check_size(file, der, MAX_SMALL_FILE_LEN)?;
        let bad = |what| ContainerError::Malformed { file, what };
        let els = tlv::sequence(file, der)?;
        let (m, s, h, rest) = match els.as_slice() {
            [m, s, h, rest @ ..] => (m, s, h, rest),
            _ => return Err(bad("not SEQUENCE { mask, salt, hmac }")),
        };
        if [m, s, h].iter().any(|t| t.tag != Tag::OctetString) {
            return Err(bad("mask, salt and hmac must be OCTET STRINGs"));
        }
        if !key_len_ok(m.value.len()) {
            return Err(bad("the mask is not 32 or 64 bytes"));
        }
        if s.value.len() != 12 {
            return Err(bad("the salt is not 12 bytes"));
        }
        if h.value.len() != 4 {
            return Err(bad("the mask MAC is not 4 bytes"));
        }
        Ok(Self {
            mask: Zeroizing::new(m.value.to_vec()),
            salt: s.value.to_vec(),
            mac: h.value.to_vec(),
            rest: rest.iter().map(RawField::from_tlv).collect(),
        })
    }

    /// Encodes the file.
    pub fn to_der(&self) -> Result<Zeroizing<Vec<u8>>, ContainerError> {
        let mut v = Zeroizing::new(Vec::with_capacity(128));
        tlv::put(&mut v, Tag::OctetString, &self.mask)?;
        tlv::put(&mut v, Tag::OctetString, &self.salt)?;
        tlv::put(&mut v, Tag::OctetString, &self.mac)?;
        for r in &self.rest {
            r.encode(&mut v)?;
        }
        Ok(Zeroizing::new(tlv::tlv(Tag::Sequence, &v)?))
    }
}

/// `primary.key` / `primary2.key`: the encrypted masked key.
#[derive(Clone, PartialEq, Eq)]
pub struct PrimaryFile {
    /// The first OCTET STRING: GOST 28147-89 ECB encryption of LE(d·mask mod q).
    pub value: Zeroizing<Vec<u8>>,
    /// A `[0]` value after it (the non-exportable form krotname's reader accepts, whose key is
    /// the tagged value), as read.
    pub tagged: Option<RawField>,
    /// Further elements, as read.
    pub rest: Vec<RawField>,
}

impl core::fmt::Debug for PrimaryFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PrimaryFile")
            .field("value", &"<hidden>")
            .field("tagged", &self.tagged.is_some())
            .finish()
    }
}

impl PrimaryFile {
    /// Parses `primary.key` (or `primary2.key`, named by `file`).
    pub fn parse(file: &'static str, der: &[u8]) -> Result<Self, ContainerError> {
        check_size(file, der, MAX_SMALL_FILE_LEN)?;
        let bad = |what| ContainerError::Malformed { file, what };
        let els = tlv::sequence(file, der)?;
        let (v, rest) = els.split_first().ok_or(bad("empty SEQUENCE"))?;
        if v.tag != Tag::OctetString {
            return Err(bad("the key is not an OCTET STRING"));
        }
        let (tagged, rest) = match rest.split_first() {
            Some((t, more)) if ctx_number(t.tag) == Some(0) => (Some(RawField::from_tlv(t)), more),
            _ => (None, rest),
        };
        let p = Self {
            value: Zeroizing::new(v.value.to_vec()),
            tagged,
            rest: rest.iter().map(RawField::from_tlv).collect(),
        };
        if !key_len_ok(p.key_bytes(file)?.len()) {
            return Err(bad("the encrypted key is not 32 or 64 bytes"));
        }
        Ok(p)
    }

    /// The encrypted key: the `[0]` value when present, else the first OCTET STRING.
    pub fn key_bytes(&self, file: &'static str) -> Result<&[u8], ContainerError> {
        match &self.tagged {
            None => Ok(&self.value),
            Some(t) if !t.tag.is_constructed() => Ok(&t.value),
            Some(t) => {
                let inner = tlv::single(file, &t.value)?;
                if inner.tag != Tag::OctetString {
                    return Err(ContainerError::Malformed {
                        file,
                        what: "[0] does not hold an OCTET STRING",
                    });
                }
                // The slice lives in `t.value`; find it there to return a borrow of self.
                let start = t.value.len() - inner.value.len();
                t.value.get(start..).ok_or(ContainerError::Malformed {
                    file,
                    what: "[0] contents",
                })
            }
        }
    }

    /// Encodes the file.
    pub fn to_der(&self) -> Result<Zeroizing<Vec<u8>>, ContainerError> {
        let mut v = Zeroizing::new(Vec::with_capacity(160));
        tlv::put(&mut v, Tag::OctetString, &self.value)?;
        if let Some(t) = &self.tagged {
            t.encode(&mut v)?;
        }
        for r in &self.rest {
            r.encode(&mut v)?;
        }
        let out = Zeroizing::new(tlv::tlv(Tag::Sequence, &v)?);
        Ok(out)
    }
}

impl Drop for PrimaryFile {
    fn drop(&mut self) {
        if let Some(t) = &mut self.tagged {
            t.value.zeroize();
        }
    }
}

/// `name.key`: the container's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameFile {
    /// The string's tag (IA5String as CSP writes it; UTF8String and PrintableString are read).
    pub tag: Tag,
    /// The name bytes.
    pub name: Vec<u8>,
    /// Further elements, as read.
    pub rest: Vec<RawField>,
}

impl NameFile {
    /// A `name.key` holding `name` as IA5String; the name must be ASCII.
    pub fn new(name: &str) -> Result<Self, ContainerError> {
        if !name.is_ascii() {
            return Err(ContainerError::InvalidArgument(
                "the container name must be ASCII (IA5String)",
            ));
        }
        Ok(Self {
            tag: Tag::Ia5String,
            name: name.as_bytes().to_vec(),
            rest: Vec::new(),
        })
    }

    /// Parses `name.key`.
    pub fn parse(der: &[u8]) -> Result<Self, ContainerError> {
        check_size(NAME, der, MAX_SMALL_FILE_LEN)?;
        let bad = |what| ContainerError::Malformed { file: NAME, what };
        let els = tlv::sequence(NAME, der)?;
        let (n, rest) = els.split_first().ok_or(bad("empty SEQUENCE"))?;
        match n.tag {
            Tag::Ia5String | Tag::PrintableString if !n.value.is_ascii() => {
                return Err(bad("the name is not ASCII"));
            }
            Tag::Ia5String | Tag::PrintableString | Tag::Utf8String => {}
            _ => return Err(bad("the name is not a string")),
        }
        if core::str::from_utf8(n.value).is_err() {
            return Err(bad("the name is not UTF-8"));
        }
        Ok(Self {
            tag: n.tag,
            name: n.value.to_vec(),
            rest: rest.iter().map(RawField::from_tlv).collect(),
        })
    }

    /// The name as text.
    pub fn name(&self) -> &str {
        core::str::from_utf8(&self.name).unwrap_or("")
    }

    /// Encodes the file.
    pub fn to_der(&self) -> Result<Vec<u8>, ContainerError> {
        let mut v = Vec::new();
        tlv::put(&mut v, self.tag, &self.name)?;
        for r in &self.rest {
            r.encode(&mut v)?;
        }
        tlv::tlv(Tag::Sequence, &v)
    }
}
