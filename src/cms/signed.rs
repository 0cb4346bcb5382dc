//! CMS SignedData (RFC 5652 §5) with GOST R 34.10-2012 signers (R 1323565.1.025-2019 §5, and the
//! CAdES-BES attributes): create attached or detached, with or without signed attributes
//! (contentType, messageDigest, signingTime, signingCertificateV2 with a Streebog-256 hash), with
//! several signers or a co-signature added later; verify each signer separately, hashing the
//! signed attributes exactly as received. A signer whose signed attributes carry a
//! signing-certificate (RFC 2634, SHA-1) or signing-certificate-v2 (RFC 5035) attribute must be
//! verified with the certificate it names and is reported at level CAdES-BES; unsigned
//! attributes can be added to a signer later ([`add_unsigned_attribute`]), and CAdES-T
//! signature time-stamps are verified by [`crate::cms::tsp`].
//!
//! Signatures are `s || r` big-endian (as in X.509) over the Streebog hash of the signed
//! attributes (or of the content when there are none); SignerInfo.signatureAlgorithm is written
//! as the key's algorithm OID, as the TC26 examples and gost-engine do, and both forms are read.

use std::io::Read;
use std::time::SystemTime;

use const_oid::ObjectIdentifier;
use der::{Decode, Encode};

use super::ber;
use super::error::{CmsError, Result};
use super::tlv::{self, Tlv};
use crate::asn1::KeyAlgorithm;
use crate::ec::SignDigest;
use crate::hash::{HashAlg, Hasher, Streebog256};
use crate::oid;
use crate::x509::{Certificate, SignatureAlgorithm};

/// Chunk size of the streaming reads.
const CHUNK: usize = 64 * 1024;

/// How to build a SignedData.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// Leave the content out of the message (detached signature).
    pub detached: bool,
    /// Write signed attributes (contentType, messageDigest, signingTime, signingCertificateV2).
    pub signed_attributes: bool,
    /// The signingTime to write (default: now).
    pub signing_time: Option<SystemTime>,
    /// Put the signers' certificates in the message.
    pub include_signer_certs: bool,
    /// Further certificates to put in the message (the chain).
    pub chain: Vec<Certificate>,
    /// Identify signers by subjectKeyIdentifier instead of issuerAndSerialNumber.
    pub use_ski: bool,
}

impl Default for SignOptions {
    fn default() -> Self {
        Self {
            detached: false,
            signed_attributes: true,
            signing_time: None,
            include_signer_certs: true,
            chain: Vec::new(),
            use_ski: false,
        }
    }
}

/// How to read a SignedData for verification.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Most SignerInfos accepted; a message with more gives
    /// [`CmsError::TooManySigners`] (default 64).
    pub max_signers: usize,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        Self { max_signers: 64 }
    }
}

/// Borrowed views of `certs` (signer candidates are searched without copying them).
fn refs(certs: &[Certificate]) -> Vec<&Certificate> {
    certs.iter().collect()
}

/// The distinct digest algorithms of `signers` that gostkit knows, each once, in order.
fn distinct_algs(signers: &[SignerInfo]) -> Vec<HashAlg> {
    let mut algs: Vec<HashAlg> = Vec::new();
    for a in signers
        .iter()
        .filter_map(|s| hash_alg_of(&s.digest_alg).ok())
    {
        if !algs.contains(&a) {
            algs.push(a);
        }
    }
    algs
}

/// A signer: its certificate and private key.
#[derive(Clone, Copy)]
pub struct Signer<'a> {
    /// The signer's certificate.
    pub cert: &'a Certificate,
    /// Its private key: a file key, a CryptoPro container key, a token key — anything that
    /// signs a digest.
    pub key: &'a dyn SignDigest,
}

fn digest_alg_for(bits: usize) -> (HashAlg, ObjectIdentifier) {
    if bits == 512 {
        (HashAlg::Streebog512, oid::STREEBOG_512)
    } else {
        (HashAlg::Streebog256, oid::STREEBOG_256)
    }
}

pub(crate) fn hash_alg_of(o: &ObjectIdentifier) -> Result<HashAlg> {
    match *o {
        oid::STREEBOG_256 => Ok(HashAlg::Streebog256),
        oid::STREEBOG_512 => Ok(HashAlg::Streebog512),
        oid::GOSTR3411_94 => Ok(HashAlg::Gost94),
        other => Err(CmsError::UnsupportedAlgorithm(other)),
    }
}

pub(crate) fn alg_id(o: &ObjectIdentifier) -> Vec<u8> {
    tlv::seq(&[&tlv::oid(o)])
}

fn issuer_and_serial(cert: &Certificate) -> Result<Vec<u8>> {
    let issuer = cert.issuer().to_der()?;
    let serial = tlv::tlv(0x02, &[cert.serial()]);
    Ok(tlv::seq(&[&issuer, &serial]))
}

fn utc_time(t: SystemTime) -> Result<Vec<u8>> {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| CmsError::Invalid("time before 1970"))?
        .as_secs();
    let dt = der::DateTime::from_unix_duration(std::time::Duration::from_secs(secs))?;
    if dt.year() < 2050 {
        Ok(der::asn1::UtcTime::from_date_time(dt)?.to_der()?)
    } else {
        Ok(der::asn1::GeneralizedTime::from_date_time(dt).to_der()?)
    }
}

pub(crate) fn attribute(o: &ObjectIdentifier, value: &[u8]) -> Vec<u8> {
    tlv::seq(&[&tlv::oid(o), &tlv::tlv(0x31, &[value])])
}

/// signingCertificateV2 (RFC 5035 §3): ESSCertIDv2 with a Streebog-256 hash of the certificate
/// and its issuerSerial.
fn signing_certificate_v2(cert: &Certificate) -> Result<Vec<u8>> {
    let hash = Streebog256::digest(cert.der());
    let issuer = cert.issuer().to_der()?;
    let general_names = tlv::seq(&[&tlv::tlv(0xa4, &[&issuer])]);
    let issuer_serial = tlv::seq(&[&general_names, &tlv::tlv(0x02, &[cert.serial()])]);
    let ess = tlv::seq(&[
        &alg_id(&oid::STREEBOG_256),
        &tlv::octets(&hash),
        &issuer_serial,
    ]);
    Ok(tlv::seq(&[&tlv::seq(&[&ess])]))
}

/// One SignerInfo for `digest` of the content (of type `content_type`), signed by `key` (any
/// [`SignDigest`]: in memory, in a container, on a token) for `cert`.
pub(crate) fn signer_info(
    cert: &Certificate,
    key: &dyn SignDigest,
    content_type: &ObjectIdentifier,
    digest: &[u8],
    opts: &SignOptions,
) -> Result<Vec<u8>> {
    if !cert.matches_key(key) {
        return Err(CmsError::KeyMismatch);
    }
    let bits = key.param_set().bits();
    let (_, hash_oid) = digest_alg_for(bits);
    let (version, sid) = if opts.use_ski {
        let ski = cert.subject_key_id()?.ok_or(CmsError::Invalid(
            "signer certificate has no subjectKeyIdentifier",
        ))?;
        (3, tlv::tlv(0x80, &[&ski]))
    } else {
        (1, issuer_and_serial(cert)?)
    };
    let key_oid = if bits == 512 {
        KeyAlgorithm::Gost2012_512.oid()
    } else {
        KeyAlgorithm::Gost2012_256.oid()
    };
    let (attrs, signature) = if opts.signed_attributes {
        let time = opts.signing_time.unwrap_or_else(SystemTime::now);
        let items = vec![
            attribute(&oid::ATTR_CONTENT_TYPE, &tlv::oid(content_type)),
            attribute(&oid::ATTR_SIGNING_TIME, &utc_time(time)?),
            attribute(&oid::ATTR_MESSAGE_DIGEST, &tlv::octets(digest)),
            attribute(
                &oid::ATTR_SIGNING_CERTIFICATE_V2,
                &signing_certificate_v2(cert)?,
            ),
        ];
        let set = tlv::set_of(items);
        // the key-size Streebog, through the trait (a token may only hash-and-sign)
        let sig = key.sign_message(&set)?.to_vec();
        // [0] IMPLICIT: same contents, context tag.
        let implicit = tlv::retag(set.clone(), 0xa0);
        (implicit, sig)
    } else {
        (Vec::new(), key.sign_digest(digest)?.to_vec())
    };
    Ok(tlv::seq(&[
        &tlv::int(version),
        &sid,
        &alg_id(&hash_oid),
        &attrs,
        &alg_id(&key_oid),
        &tlv::octets(&signature),
    ]))
}

fn content_info(content_type: &ObjectIdentifier, inner: &[u8]) -> Vec<u8> {
    tlv::seq(&[&tlv::oid(content_type), &tlv::tlv(0xa0, &[inner])])
}

/// Assembles a SignedData ContentInfo from its parts.
pub(crate) fn assemble(
    digest_oids: &[ObjectIdentifier],
    content_type: &ObjectIdentifier,
    content: Option<&[u8]>,
    certs: &[Vec<u8>],
    signer_infos: Vec<Vec<u8>>,
    any_ski: bool,
) -> Vec<u8> {
    let mut digests: Vec<Vec<u8>> = digest_oids.iter().map(alg_id).collect();
    digests.dedup();
    let encap = match content {
        Some(c) => tlv::seq(&[&tlv::oid(content_type), &tlv::tlv(0xa0, &[&tlv::octets(c)])]),
        None => tlv::seq(&[&tlv::oid(content_type)]),
    };
    let mut cert_set = Vec::new();
    for c in certs {
        if !cert_set.contains(c) {
            cert_set.push(c.clone());
        }
    }
    let cert_refs: Vec<&[u8]> = cert_set.iter().map(|c| c.as_slice()).collect();
    let certs_field = if cert_refs.is_empty() {
        Vec::new()
    } else {
        tlv::tlv(0xa0, &cert_refs)
    };
    // RFC 5652 §5.1: version 3 when a signer uses a subjectKeyIdentifier or the content is not
    // id-data, else 1.
    let version = if any_ski || *content_type != oid::CMS_DATA {
        3
    } else {
        1
    };
    let sd = tlv::seq(&[
        &tlv::int(version),
        &tlv::set_of(digests),
        &encap,
        &certs_field,
        &tlv::set_of(signer_infos),
    ]);
    content_info(&oid::CMS_SIGNED_DATA, &sd)
}

fn message_certs(signers: &[Signer<'_>], opts: &SignOptions) -> Vec<Vec<u8>> {
    let mut certs: Vec<Vec<u8>> = Vec::new();
    if opts.include_signer_certs {
        certs.extend(signers.iter().map(|s| s.cert.der().to_vec()));
    }
    certs.extend(opts.chain.iter().map(|c| c.der().to_vec()));
    certs
}

/// Signs `content` (id-data) with every signer; returns the DER ContentInfo.
pub fn sign(content: &[u8], signers: &[Signer<'_>], opts: &SignOptions) -> Result<Vec<u8>> {
    let mut infos = Vec::new();
    let mut digest_oids = Vec::new();
    // One digest per algorithm, not per signer.
    let mut digests: Vec<(HashAlg, Vec<u8>)> = Vec::new();
    for s in signers {
        let (hash, hash_oid) = digest_alg_for(s.key.param_set().bits());
        if !digests.iter().any(|(a, _)| *a == hash) {
            digests.push((hash, hash.digest(content)));
        }
        let digest = digests
            .iter()
            .find(|(a, _)| *a == hash)
            .map(|(_, d)| d.as_slice())
            .unwrap_or_default();
        infos.push(signer_info(s.cert, s.key, &oid::CMS_DATA, digest, opts)?);
        digest_oids.push(hash_oid);
    }
    Ok(assemble(
        &digest_oids,
        &oid::CMS_DATA,
        (!opts.detached).then_some(content),
        &message_certs(signers, opts),
        infos,
        opts.use_ski,
    ))
}

/// Hashes `reader` with each algorithm in one pass of 64 KiB chunks.
fn hash_reader(reader: &mut dyn Read, algs: &[HashAlg]) -> Result<Vec<(HashAlg, Vec<u8>)>> {
    let mut hashers: Vec<Hasher> = algs.iter().map(|a| a.hasher()).collect();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|_| CmsError::Invalid("cannot read the content"))?;
        if n == 0 {
            break;
        }
        let piece = buf.get(..n).unwrap_or_default();
        for h in &mut hashers {
            h.update(piece);
        }
    }
    Ok(hashers
        .into_iter()
        .map(|h| (h.alg(), h.finalize()))
        .collect())
}

/// A detached signature of the content read from `reader`, in bounded memory.
pub fn sign_detached_reader(
    reader: &mut dyn Read,
    signers: &[Signer<'_>],
    opts: &SignOptions,
) -> Result<Vec<u8>> {
    let mut algs: Vec<HashAlg> = Vec::new();
    for s in signers {
        let a = digest_alg_for(s.key.param_set().bits()).0;
        if !algs.contains(&a) {
            algs.push(a);
        }
    }
    let digests = hash_reader(reader, &algs)?;
    let mut infos = Vec::new();
    let mut digest_oids = Vec::new();
    for s in signers {
        let a = digest_alg_for(s.key.param_set().bits()).0;
        let d = digests
            .iter()
            .find(|(h, _)| *h == a)
            .map(|(_, d)| d.as_slice())
            .unwrap_or_default();
        infos.push(signer_info(s.cert, s.key, &oid::CMS_DATA, d, opts)?);
        digest_oids.push(digest_alg_for(s.key.param_set().bits()).1);
    }
    Ok(assemble(
        &digest_oids,
        &oid::CMS_DATA,
        None,
        &message_certs(signers, opts),
        infos,
        opts.use_ski,
    ))
}

/// A detached signature over content whose digest (with the Streebog of the key's size) the
/// caller computed, e.g. while streaming it.
pub fn sign_detached_digest(
    digest: &[u8],
    signer: &Signer<'_>,
    opts: &SignOptions,
) -> Result<Vec<u8>> {
    let (_, hash_oid) = digest_alg_for(signer.key.param_set().bits());
    let info = signer_info(signer.cert, signer.key, &oid::CMS_DATA, digest, opts)?;
    Ok(assemble(
        &[hash_oid],
        &oid::CMS_DATA,
        None,
        &message_certs(&[*signer], opts),
        vec![info],
        opts.use_ski,
    ))
}

/// How a signer is identified in its SignerInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerId {
    /// issuerAndSerialNumber: the issuer name's DER and the serial bytes.
    IssuerSerial(x509_cert::name::Name, Vec<u8>),
    /// subjectKeyIdentifier.
    Ski(Vec<u8>),
}

/// Lower-case hex of `b`, for identifiers shown in messages.
fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl core::fmt::Display for SignerId {
    /// `issuer "CN=…", serial 0a1b…` or `subjectKeyIdentifier 01ab…` (RFC 5652 §5.3
    /// SignerIdentifier; also the RecipientIdentifier of §6.2), to name a signer or a recipient
    /// in an error message.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::IssuerSerial(issuer, serial) => {
                write!(f, "issuer \"{issuer}\", serial {}", hex(serial))
            }
            Self::Ski(ski) => write!(f, "subjectKeyIdentifier {}", hex(ski)),
        }
    }
}

impl SignerId {
    /// True when `cert` is the certificate this identifier names.
    pub fn matches(&self, cert: &Certificate) -> bool {
        match self {
            Self::IssuerSerial(issuer, serial) => {
                crate::x509::name::names_match(cert.issuer(), issuer) && cert.serial() == serial
            }
            Self::Ski(ski) => cert.subject_key_id().ok().flatten().as_deref() == Some(ski),
        }
    }
}

/// One SignerInfo as received.
#[derive(Debug, Clone)]
pub struct SignerInfo {
    /// Who signed.
    pub id: SignerId,
    /// Digest algorithm OID.
    pub digest_alg: ObjectIdentifier,
    /// The signed attributes as received, re-tagged as SET (what was signed), if present.
    pub signed_attrs: Option<Vec<u8>>,
    /// Signature algorithm OID (key OID or sign-with-digest OID).
    pub signature_alg: ObjectIdentifier,
    /// Signature value (`s || r`).
    pub signature: Vec<u8>,
    /// The unsigned attributes as received, re-tagged as SET, if present (CAdES-T keeps its
    /// signature time-stamps there).
    pub unsigned_attrs: Option<Vec<u8>>,
    raw: Vec<u8>,
}

/// The CAdES level a signer reached (ETSI EN 319 122-1 §4.3, the levels of ETSI TS 101 733).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CadesLevel {
    /// CAdES-BES: signed attributes with a signing-certificate (v1 or v2) attribute naming the
    /// signer's certificate.
    Bes,
    /// CAdES-T: BES plus a verified signature time-stamp (id-aa-signatureTimeStampToken).
    T,
    /// CAdES-X Long Type 1 (ETSI TS 101 733 §B.1.3): T plus complete certificate and
    /// revocation references, the certificate and revocation values they name, and a verified
    /// CAdES-C time-stamp over the signature, its time-stamp and the references; the chain was
    /// validated at the signature time-stamp's genTime with the embedded values only.
    XL1,
}

/// The outcome for one signer.
#[derive(Debug, Clone)]
pub struct SignerReport {
    /// The signer's identifier.
    pub id: SignerId,
    /// The signer's certificate, when found.
    pub cert: Option<Certificate>,
    /// The signingTime attribute, when present.
    pub signing_time: Option<SystemTime>,
    /// Ok when the signature (and messageDigest/contentType) check out; the chain is checked
    /// separately (see [`SignedMessage::verify_with_store`]).
    pub result: Result<()>,
    /// The validated path (leaf → anchor), when a chain validation was run and succeeded.
    pub path: Option<Vec<Certificate>>,
    /// The time the chain was validated at, when a chain validation was run.
    pub validated_at: Option<SystemTime>,
    /// What that time rests on: the caller's time (now by default), or — only when the caller
    /// asked for it — the signer's own claimed signingTime or its time-stamp's genTime.
    pub time_basis: Option<TimeBasis>,
    /// The CAdES level reached, when the signature verified: BES when the signed attributes
    /// carry a signing-certificate attribute that names the signer's certificate, T once a
    /// signature time-stamp verified (see
    /// [`SignedMessage::verify_time_stamps`](crate::cms::tsp)). None for a plain CMS signer.
    pub level: Option<CadesLevel>,
    /// The earliest verified signature time-stamp of this signer (CAdES-T), once
    /// `verify_time_stamps` ran.
    pub time_stamp: Option<crate::cms::tsp::TimeStampReport>,
    /// The verified CAdES-C time-stamp (id-aa-ets-escTimeStamp) of a CAdES-X L1 signer, once
    /// `verify_cades_ltv` ran.
    pub esc_time_stamp: Option<crate::cms::tsp::TimeStampReport>,
}

/// At which time signers' chains are validated (RFC 5280 §6.1 validates at the caller's time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationTime {
    /// The current time (the default).
    Now,
    /// A time the caller chose.
    At(SystemTime),
    /// Each signer's own signingTime attribute (signers without one: now). A claim by the
    /// signer, not a proof: a signer can backdate it past its certificate's expiry or
    /// revocation. Reported as [`TimeBasis::ClaimedSigningTime`].
    ClaimedSigningTime,
    /// Each signer's verified signature time-stamp's genTime (CAdES-T; signers without one:
    /// now). Proof by a TSA the caller trusts that the signature existed then. Reported as
    /// [`TimeBasis::TimeStamp`]; needs `verify_time_stamps` to have run.
    TimeStamp,
}

/// What the time a chain was validated at rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeBasis {
    /// The caller's time (or now).
    Caller,
    /// The signer's claimed signingTime, as the caller asked.
    ClaimedSigningTime,
    /// The genTime of the signer's verified signature time-stamp, as the caller asked.
    TimeStamp,
}

/// A parsed SignedData message.
#[derive(Debug, Clone)]
pub struct SignedMessage {
    /// eContentType.
    pub content_type: ObjectIdentifier,
    /// The encapsulated content, when attached.
    pub content: Option<Vec<u8>>,
    /// The certificates carried in the message (non-GOST or unparsable ones are skipped).
    pub certificates: Vec<Certificate>,
    /// The signers, in order.
    pub signers: Vec<SignerInfo>,
    digest_oids: Vec<ObjectIdentifier>,
    raw_certs: Vec<Vec<u8>>,
}

/// Unwraps a ContentInfo of the expected type; returns its [0] content.
pub(crate) fn unwrap_content_info<'a>(
    der: &'a [u8],
    expected: &ObjectIdentifier,
) -> Result<&'a [u8]> {
    let (ci, rest) = tlv::expect(der, 0x30, "ContentInfo is not a SEQUENCE")?;
    if !rest.is_empty() {
        return Err(CmsError::Invalid("trailing bytes after ContentInfo"));
    }
    let kids = tlv::children(ci.content)?;
    let (ty, inner) = match kids.as_slice() {
        [ty, inner] if inner.tag == 0xa0 => (ty, inner),
        _ => return Err(CmsError::Invalid("ContentInfo is not {type, [0] content}")),
    };
    let ty = tlv::read_oid(ty)?;
    if ty != *expected {
        return Err(CmsError::UnsupportedAlgorithm(ty));
    }
    Ok(inner.content)
}

fn parse_signer_info(si: &Tlv<'_>) -> Result<SignerInfo> {
    if si.tag != 0x30 {
        return Err(CmsError::Invalid("SignerInfo is not a SEQUENCE"));
    }
    let k = tlv::children(si.content)?;
    let mut i = 0;
    let next = |i: &mut usize| -> Result<Tlv<'_>> {
        let v = *k.get(*i).ok_or(CmsError::Invalid("SignerInfo too short"))?;
        *i += 1;
        Ok(v)
    };
    let _version = next(&mut i)?;
    let sid = next(&mut i)?;
    let id = match sid.tag {
        0x30 => {
            let parts = tlv::children(sid.content)?;
            match parts.as_slice() {
                [issuer, serial] if serial.tag == 0x02 => SignerId::IssuerSerial(
                    x509_cert::name::Name::from_der(issuer.raw)?,
                    serial.content.to_vec(),
                ),
                _ => return Err(CmsError::Invalid("issuerAndSerialNumber")),
            }
        }
        0x80 => SignerId::Ski(sid.content.to_vec()),
        _ => return Err(CmsError::Invalid("SignerIdentifier")),
    };
    let digest_alg = alg_oid(&next(&mut i)?)?;
    let mut t = next(&mut i)?;
    let signed_attrs = if t.tag == 0xa0 {
        let set = tlv::retag(t.raw.to_vec(), 0x31);
        t = next(&mut i)?;
        Some(set)
    } else {
        None
    };
    let signature_alg = alg_oid(&t)?;
    let sig = next(&mut i)?;
    if sig.tag != 0x04 {
        return Err(CmsError::Invalid("signature is not an OCTET STRING"));
    }
    let unsigned_attrs = match k.get(i) {
        None => None,
        Some(t) if t.tag == 0xa1 && i + 1 == k.len() => {
            let set = tlv::retag(t.raw.to_vec(), 0x31);
            Some(set)
        }
        Some(_) => return Err(CmsError::Invalid("fields after unsignedAttrs")),
    };
    Ok(SignerInfo {
        id,
        digest_alg,
        signed_attrs,
        signature_alg,
        signature: sig.content.to_vec(),
        unsigned_attrs,
        raw: si.raw.to_vec(),
    })
}

pub(crate) fn alg_oid(t: &Tlv<'_>) -> Result<ObjectIdentifier> {
    if t.tag != 0x30 {
        return Err(CmsError::Invalid("AlgorithmIdentifier is not a SEQUENCE"));
    }
    let (o, _) = tlv::read(t.content)?;
    tlv::read_oid(&o)
}

/// Finds the value of attribute `o` in a SET OF Attribute (exactly one value expected).
pub(crate) fn attr_value<'a>(set: &'a [u8], o: &ObjectIdentifier) -> Result<Option<Tlv<'a>>> {
    let (s, _) = tlv::read(set)?;
    let mut found = None;
    for a in tlv::children(s.content)? {
        let parts = tlv::children(a.content)?;
        let [ty, values] = parts.as_slice() else {
            return Err(CmsError::Invalid("Attribute"));
        };
        if tlv::read_oid(ty)? == *o {
            if found.is_some() {
                return Err(CmsError::Invalid("attribute appears twice"));
            }
            let vals = tlv::children(values.content)?;
            let [v] = vals.as_slice() else {
                return Err(CmsError::Invalid("attribute must have one value"));
            };
            found = Some(*v);
        }
    }
    Ok(found)
}

pub(crate) fn read_time(t: &Tlv<'_>) -> Result<SystemTime> {
    match t.tag {
        0x17 => Ok(der::asn1::UtcTime::from_der(t.raw)?.to_system_time()),
        0x18 => Ok(der::asn1::GeneralizedTime::from_der(t.raw)?.to_system_time()),
        _ => Err(CmsError::Invalid("signingTime")),
    }
}

/// What a signer's certificate is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Usage {
    /// Document signing ([`check_signer_usage`]).
    Document,
    /// Time-stamping: the TSA rules are checked by the time-stamp verifier.
    TimeStamping,
}

/// The level of a verified signer: BES when its signed attributes name its certificate in a
/// signing-certificate attribute; a mismatching one fails the signer.
fn signer_level(s: &SignerInfo, cert: &Certificate) -> Result<Option<CadesLevel>> {
    match &s.signed_attrs {
        Some(attrs) => Ok(check_signing_certificate(attrs, cert)?.map(|_| CadesLevel::Bes)),
        None => Ok(None),
    }
}

/// The hash of `der` with the algorithm of an ESSCertID(v2): SHA-1, SHA-256, Streebog-256/512
/// or GOST R 34.11-94.
fn ess_hash(alg: &ObjectIdentifier, der: &[u8]) -> Result<Vec<u8>> {
    use sha1::Digest as _;
    Ok(match *alg {
        oid::SHA1 => sha1::Sha1::digest(der).to_vec(),
        oid::SHA256 => sha2::Sha256::digest(der).to_vec(),
        other => hash_alg_of(&other)?.digest(der),
    })
}

/// The signing-certificate attributes (RFC 2634 §5.4 ESSCertID with SHA-1, RFC 5035 §3
/// ESSCertIDv2 with its hashAlgorithm, SHA-256 by default) in `attrs`: each present must name
/// `cert` in its first ESSCertID — the hash of the certificate, and its issuer and serial when
/// issuerSerial is given. Returns the hash algorithm of the v2 attribute (else SHA-1) when one
/// is present, None when neither is.
pub(crate) fn check_signing_certificate(
    attrs: &[u8],
    cert: &Certificate,
) -> Result<Option<ObjectIdentifier>> {
    let v1 = attr_value(attrs, &oid::ATTR_SIGNING_CERTIFICATE)?;
    let v2 = attr_value(attrs, &oid::ATTR_SIGNING_CERTIFICATE_V2)?;
    let mut used = None;
    for (value, is_v2) in [(v1, false), (v2, true)] {
        let Some(value) = value else { continue };
        let first_id = |v: &Tlv<'_>| -> Result<Vec<u8>> {
            if v.tag != 0x30 {
                return Err(CmsError::Invalid("SigningCertificate is not a SEQUENCE"));
            }
            let (certs, _) = tlv::expect(v.content, 0x30, "SigningCertificate certs")?;
            let (id, _) = tlv::expect(certs.content, 0x30, "ESSCertID is not a SEQUENCE")?;
            Ok(id.content.to_vec())
        };
        let id = first_id(&value)?;
        let parts = tlv::children(&id)?;
        let mut rest = parts.as_slice();
        let alg = match rest.first() {
            Some(a) if is_v2 && a.tag == 0x30 => {
                rest = rest.get(1..).unwrap_or_default();
                alg_oid(a)?
            }
            _ if is_v2 => oid::SHA256,
            _ => oid::SHA1,
        };
        let (hash, issuer_serial) = match rest {
            [h] => (h, None),
            [h, is] => (h, Some(is)),
            _ => return Err(CmsError::Invalid("ESSCertID fields")),
        };
        if hash.tag != 0x04 {
            return Err(CmsError::Invalid("ESSCertID certHash"));
        }
        if ess_hash(&alg, cert.der())? != hash.content {
            return Err(CmsError::SigningCertificateMismatch);
        }
        if let Some(is) = issuer_serial {
            check_issuer_serial(is, cert)?;
        }
        if is_v2 || used.is_none() {
            used = Some(alg);
        }
    }
    Ok(used)
}

/// IssuerSerial (RFC 5035 §4): a directoryName among the GeneralNames equal to the
/// certificate's issuer, and its serial number.
fn check_issuer_serial(is: &Tlv<'_>, cert: &Certificate) -> Result<()> {
    if is.tag != 0x30 {
        return Err(CmsError::Invalid("IssuerSerial is not a SEQUENCE"));
    }
    let parts = tlv::children(is.content)?;
    let [names, serial] = parts.as_slice() else {
        return Err(CmsError::Invalid("IssuerSerial fields"));
    };
    if names.tag != 0x30 || serial.tag != 0x02 {
        return Err(CmsError::Invalid("IssuerSerial fields"));
    }
    if serial.content != cert.serial() {
        return Err(CmsError::SigningCertificateMismatch);
    }
    for gn in tlv::children(names.content)? {
        if gn.tag == 0xa4 {
            let name = x509_cert::name::Name::from_der(gn.content)?;
            if crate::x509::name::names_match(&name, cert.issuer()) {
                return Ok(());
            }
        }
    }
    Err(CmsError::SigningCertificateMismatch)
}

/// The signer's certificate must allow document signing: keyUsage (when present) with
/// digitalSignature or nonRepudiation; extKeyUsage (when present, without anyExtendedKeyUsage)
/// with at least one purpose that is not serverAuth, timeStamping or OCSPSigning — any other
/// purpose (emailProtection, clientAuth, the Russian qualified-signature OIDs…) passes.
fn check_signer_usage(cert: &Certificate) -> Result<()> {
    use const_oid::db::rfc5280::{
        ANY_EXTENDED_KEY_USAGE, ID_KP_OCSP_SIGNING, ID_KP_SERVER_AUTH, ID_KP_TIME_STAMPING,
    };
    if let Some(ku) = cert.key_usage()?
        && !ku.digital_signature()
        && !ku.non_repudiation()
    {
        return Err(CmsError::SignerKeyUsage);
    }
    let eku = cert.ext_key_usage()?;
    let not_signing = [ID_KP_SERVER_AUTH, ID_KP_TIME_STAMPING, ID_KP_OCSP_SIGNING];
    if !eku.is_empty()
        && !eku.contains(&ANY_EXTENDED_KEY_USAGE)
        && eku.iter().all(|p| not_signing.contains(p))
    {
        return Err(CmsError::SignerKeyUsage);
    }
    Ok(())
}

impl SignedMessage {
    /// Parses a SignedData ContentInfo in DER, BER or PEM (`CMS`/`PKCS7`), with the default
    /// [`VerifyOptions`].
    pub fn parse(input: &[u8]) -> Result<Self> {
        Self::parse_with(input, &VerifyOptions::default())
    }

    /// Like [`Self::parse`], with the limits of `opts`.
    pub fn parse_with(input: &[u8], opts: &VerifyOptions) -> Result<Self> {
        let der = decode_input(input)?;
        let body = unwrap_content_info(&der, &oid::CMS_SIGNED_DATA)?;
        let (sd, rest) = tlv::expect(body, 0x30, "SignedData is not a SEQUENCE")?;
        if !rest.is_empty() {
            return Err(CmsError::Invalid("trailing bytes after SignedData"));
        }
        let k = tlv::children(sd.content)?;
        // version, digestAlgorithms, encapContentInfo, [certificates], [crls], signerInfos
        let [_, digest_algs, encap, middle @ .., si] = k.as_slice() else {
            return Err(CmsError::Invalid("SignedData too short"));
        };
        if digest_algs.tag != 0x31 {
            return Err(CmsError::Invalid("digestAlgorithms"));
        }
        let digest_oids = tlv::children(digest_algs.content)?
            .iter()
            .map(alg_oid)
            .collect::<Result<Vec<_>>>()?;
        // encapContentInfo
        if encap.tag != 0x30 {
            return Err(CmsError::Invalid("encapContentInfo"));
        }
        let enc = tlv::children(encap.content)?;
        let content_type = tlv::read_oid(enc.first().ok_or(CmsError::Invalid("eContentType"))?)?;
        let content = match enc.get(1) {
            None => None,
            Some(t) if t.tag == 0xa0 => {
                let (os, _) = tlv::expect(t.content, 0x04, "eContent is not an OCTET STRING")?;
                Some(os.content.to_vec())
            }
            Some(_) => return Err(CmsError::Invalid("eContent")),
        };
        let mut certificates = Vec::new();
        let mut raw_certs = Vec::new();
        for field in middle {
            match field.tag {
                0xa0 => {
                    for c in tlv::children(field.content)? {
                        raw_certs.push(c.raw.to_vec());
                        if c.tag == 0x30
                            && let Ok(cert) = Certificate::from_der(c.raw)
                        {
                            certificates.push(cert);
                        }
                    }
                }
                0xa1 => {} // CRLs: not used for verification here
                _ => return Err(CmsError::Invalid("unexpected SignedData field")),
            }
        }
        if si.tag != 0x31 {
            return Err(CmsError::Invalid("signerInfos"));
        }
        let sis = tlv::children(si.content)?;
        if sis.len() > opts.max_signers {
            return Err(CmsError::TooManySigners {
                count: sis.len(),
                cap: opts.max_signers,
            });
        }
        let signers = sis
            .iter()
            .map(parse_signer_info)
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            content_type,
            content,
            certificates,
            signers,
            digest_oids,
            raw_certs,
        })
    }

    /// Verifies every signer against the attached content, or `detached` when given. Signer
    /// certificates are looked up in the message and in `extra`. The chain is not validated.
    pub fn verify(&self, detached: Option<&[u8]>, extra: &[Certificate]) -> Vec<SignerReport> {
        let (have_content, digests) = self.content_digests(detached);
        self.verify_digests(have_content, &digests, &refs(extra))
    }

    /// Whether there is content (`detached` or attached) and its digest under each signer's
    /// digest algorithm.
    fn content_digests(&self, detached: Option<&[u8]>) -> (bool, Vec<(HashAlg, Vec<u8>)>) {
        let Some(content) = detached.or(self.content.as_deref()) else {
            return (false, Vec::new());
        };
        let algs = distinct_algs(&self.signers);
        (true, algs.iter().map(|a| (*a, a.digest(content))).collect())
    }

    /// Verifies every signer against digests of the content the caller computed (one per digest
    /// algorithm), e.g. while streaming it.
    pub fn verify_with_digests(
        &self,
        digests: &[(HashAlg, Vec<u8>)],
        extra: &[Certificate],
    ) -> Vec<SignerReport> {
        self.verify_digests(true, digests, &refs(extra))
    }

    /// Verifies every signer of a detached signature against content read from `reader`, in
    /// bounded memory.
    pub fn verify_reader(
        &self,
        reader: &mut dyn Read,
        extra: &[Certificate],
    ) -> Result<Vec<SignerReport>> {
        let algs = distinct_algs(&self.signers);
        let digests = hash_reader(reader, &algs)?;
        Ok(self.verify_digests(true, &digests, &refs(extra)))
    }

    fn verify_digests(
        &self,
        have_content: bool,
        digests: &[(HashAlg, Vec<u8>)],
        extra: &[&Certificate],
    ) -> Vec<SignerReport> {
        self.signers
            .iter()
            .map(|s| {
                let cert = self
                    .certificates
                    .iter()
                    .chain(extra.iter().copied())
                    .find(|c| s.id.matches(c))
                    .cloned();
                let signing_time = s
                    .signed_attrs
                    .as_deref()
                    .and_then(|a| attr_value(a, &oid::ATTR_SIGNING_TIME).ok().flatten())
                    .and_then(|t| read_time(&t).ok());
                let result = match &cert {
                    None => Err(CmsError::SignerNotFound),
                    Some(c) if !have_content => {
                        let _ = c;
                        Err(CmsError::ContentMissing)
                    }
                    Some(c) => self
                        .check_signer(s, c, digests, Usage::Document)
                        .and_then(|()| signer_level(s, c)),
                };
                let (result, level) = match result {
                    Ok(level) => (Ok(()), level),
                    Err(e) => (Err(e), None),
                };
                SignerReport {
                    id: s.id.clone(),
                    cert,
                    signing_time,
                    result,
                    path: None,
                    validated_at: None,
                    time_basis: None,
                    level,
                    time_stamp: None,
                    esc_time_stamp: None,
                }
            })
            .collect()
    }

    /// Verifies signer `s` with `cert` against `digests` of the content: key usage for `usage`,
    /// the digest and signature algorithms, contentType and messageDigest, the signature.
    pub(crate) fn check_signer(
        &self,
        s: &SignerInfo,
        cert: &Certificate,
        digests: &[(HashAlg, Vec<u8>)],
        usage: Usage,
    ) -> Result<()> {
        if usage == Usage::Document {
            check_signer_usage(cert)?;
        }
        let hash = hash_alg_of(&s.digest_alg)?;
        let digest = &digests
            .iter()
            .find(|(a, _)| *a == hash)
            .ok_or(CmsError::ContentMissing)?
            .1;
        let sig_alg = SignatureAlgorithm::from_oid(&s.signature_alg)?;
        let expected_hash = match sig_alg {
            SignatureAlgorithm::Gost2012_256 => HashAlg::Streebog256,
            SignatureAlgorithm::Gost2012_512 => HashAlg::Streebog512,
            SignatureAlgorithm::Gost2001 => HashAlg::Gost94,
        };
        if hash != expected_hash {
            return Err(CmsError::Invalid(
                "digest algorithm does not match the signature algorithm",
            ));
        }
        let key = cert.verifying_key()?;
        if key.param_set().bits() != sig_alg.key_bits() {
            return Err(CmsError::Invalid(
                "signature algorithm does not match the signer's key",
            ));
        }
        let signed_digest = match &s.signed_attrs {
            Some(attrs) => {
                let ct = attr_value(attrs, &oid::ATTR_CONTENT_TYPE)?
                    .ok_or(CmsError::Invalid("contentType attribute missing"))?;
                if tlv::read_oid(&ct)? != self.content_type {
                    return Err(CmsError::ContentTypeMismatch);
                }
                let md = attr_value(attrs, &oid::ATTR_MESSAGE_DIGEST)?
                    .ok_or(CmsError::Invalid("messageDigest attribute missing"))?;
                if md.tag != 0x04 || md.content != digest.as_slice() {
                    return Err(CmsError::DigestMismatch);
                }
                hash.digest(attrs)
            }
            None => digest.clone(),
        };
        key.verify_digest(&signed_digest, &s.signature)
            .map_err(|_| CmsError::BadSignature)
    }

    /// Verifies every signer and validates each signer's chain with `store` at `time` (the
    /// caller's; None = now — a signer's claimed signingTime is not used, see
    /// [`SignedMessage::validate_chains_at`]). The message's certificates serve as untrusted
    /// intermediates.
    pub fn verify_with_store(
        &self,
        detached: Option<&[u8]>,
        store: &crate::x509::store::CertStore,
        time: Option<SystemTime>,
        revocation: crate::x509::path::RevocationPolicy,
    ) -> Vec<SignerReport> {
        // The store's certificates are borrowed as signer candidates, not copied.
        let extra: Vec<&Certificate> = store.entries().iter().map(|e| &e.cert).collect();
        let (have_content, digests) = self.content_digests(detached);
        let mut reports = self.verify_digests(have_content, &digests, &extra);
        self.validate_chains(&mut reports, store, time, revocation);
        reports
    }

    /// Runs path validation for each signer whose signature verified, at `time` (None = now).
    pub fn validate_chains(
        &self,
        reports: &mut [SignerReport],
        store: &crate::x509::store::CertStore,
        time: Option<SystemTime>,
        revocation: crate::x509::path::RevocationPolicy,
    ) {
        let at = time.map_or(ValidationTime::Now, ValidationTime::At);
        self.validate_chains_at(reports, store, at, revocation);
    }

    /// Runs path validation for each signer whose signature verified, at the time `at` says;
    /// each report records the time used and what it rests on.
    pub fn validate_chains_at(
        &self,
        reports: &mut [SignerReport],
        store: &crate::x509::store::CertStore,
        at: ValidationTime,
        revocation: crate::x509::path::RevocationPolicy,
    ) {
        for r in reports.iter_mut() {
            let (Ok(()), Some(cert)) = (&r.result, &r.cert) else {
                continue;
            };
            let stamped = r.time_stamp.as_ref().map(|t| t.gen_time);
            let (time, basis) = match (at, r.signing_time, stamped) {
                (ValidationTime::ClaimedSigningTime, Some(t), _) => {
                    (t, TimeBasis::ClaimedSigningTime)
                }
                (ValidationTime::TimeStamp, _, Some(t)) => (t, TimeBasis::TimeStamp),
                (ValidationTime::At(t), _, _) => (t, TimeBasis::Caller),
                (
                    ValidationTime::Now
                    | ValidationTime::ClaimedSigningTime
                    | ValidationTime::TimeStamp,
                    _,
                    _,
                ) => (SystemTime::now(), TimeBasis::Caller),
            };
            let mut opts = crate::x509::path::ValidationOptions::at(time);
            opts.revocation = revocation;
            r.validated_at = Some(time);
            r.time_basis = Some(basis);
            match store.validate(cert, &self.certificates, &opts) {
                Ok(path) => r.path = Some(path),
                Err(e) => r.result = Err(CmsError::Chain(e)),
            }
        }
    }

    /// Adds a signer (co-signature) to this message; `detached` is the content of a detached
    /// message. Returns the new DER ContentInfo.
    pub fn add_signer(
        &self,
        detached: Option<&[u8]>,
        signer: &Signer<'_>,
        opts: &SignOptions,
    ) -> Result<Vec<u8>> {
        let content = detached
            .or(self.content.as_deref())
            .ok_or(CmsError::ContentMissing)?;
        let (hash, hash_oid) = digest_alg_for(signer.key.param_set().bits());
        let mut infos: Vec<Vec<u8>> = self.signers.iter().map(|s| s.raw.clone()).collect();
        infos.push(signer_info(
            signer.cert,
            signer.key,
            &self.content_type,
            &hash.digest(content),
            opts,
        )?);
        let mut digests = self.digest_oids.clone();
        digests.push(hash_oid);
        let mut certs = self.raw_certs.clone();
        certs.extend(message_certs(&[*signer], opts));
        let any_ski = opts.use_ski
            || self
                .signers
                .iter()
                .any(|s| matches!(s.id, SignerId::Ski(_)));
        Ok(assemble(
            &digests,
            &self.content_type,
            self.content.as_deref(),
            &certs,
            infos,
            any_ski,
        ))
    }
}

/// Adds an unsigned attribute `attr_type` with the single value `value` (a DER element) to
/// signer `index` of the SignedData `input` (DER, BER or PEM); returns the new DER ContentInfo.
/// Everything else — content, certificates, CRLs, the other signers and their order, the signed
/// attributes and signature — is kept as received (after BER → DER normalisation); an attribute
/// of the same type already there stays, the new one is added beside it (RFC 5652 §5.3 allows
/// several, and CAdES several signature time-stamps). The unsigned attributes are written in DER
/// order.
pub fn add_unsigned_attribute(
    input: &[u8],
    index: usize,
    attr_type: &ObjectIdentifier,
    value: &[u8],
) -> Result<Vec<u8>> {
    let (_, rest) = tlv::read(value)?;
    if !rest.is_empty() {
        return Err(CmsError::Invalid("attribute value is not one DER element"));
    }
    let der = decode_input(input)?;
    let body = unwrap_content_info(&der, &oid::CMS_SIGNED_DATA)?;
    let (sd, rest) = tlv::expect(body, 0x30, "SignedData is not a SEQUENCE")?;
    if !rest.is_empty() {
        return Err(CmsError::Invalid("trailing bytes after SignedData"));
    }
    let k = tlv::children(sd.content)?;
    let (last, head) = k
        .split_last()
        .ok_or(CmsError::Invalid("SignedData too short"))?;
    if head.len() < 3 || last.tag != 0x31 {
        return Err(CmsError::Invalid("signerInfos"));
    }
    let sis = tlv::children(last.content)?;
    let target = sis.get(index).ok_or(CmsError::SignerNotFound)?;
    // Check that it is a SignerInfo gostkit reads before rewriting it.
    parse_signer_info(target)?;
    let fields = tlv::children(target.content)?;
    let (mut kept, mut attrs): (Vec<&[u8]>, Vec<Vec<u8>>) = (Vec::new(), Vec::new());
    for f in &fields {
        if f.tag == 0xa1 {
            attrs.extend(tlv::children(f.content)?.iter().map(|a| a.raw.to_vec()));
        } else {
            kept.push(f.raw);
        }
    }
    attrs.push(attribute(attr_type, value));
    let unsigned = tlv::retag(tlv::set_of(attrs), 0xa1);
    kept.push(&unsigned);
    let new_si = tlv::seq(&kept);
    let infos: Vec<&[u8]> = sis
        .iter()
        .enumerate()
        .map(|(i, s)| if i == index { new_si.as_slice() } else { s.raw })
        .collect();
    let new_set = tlv::tlv(0x31, &infos);
    let mut parts: Vec<&[u8]> = head.iter().map(|t| t.raw).collect();
    parts.push(&new_set);
    Ok(content_info(&oid::CMS_SIGNED_DATA, &tlv::seq(&parts)))
}

/// Decodes PEM (`CMS` or `PKCS7`) or takes the bytes as BER/DER, then normalises to DER.
pub fn decode_input(input: &[u8]) -> Result<Vec<u8>> {
    let bytes = if crate::asn1::pem::looks_like_pem(input) {
        match crate::asn1::pem::decode_pem(input, "CMS") {
            Ok(d) => d.to_vec(),
            Err(_) => crate::asn1::pem::decode_pem(input, "PKCS7")?.to_vec(),
        }
    } else {
        input.to_vec()
    };
    Ok(ber::to_der(&bytes)?.into_owned())
}

/// PEM form of a CMS message (`-----BEGIN CMS-----`).
pub fn to_pem(der: &[u8]) -> Result<String> {
    Ok(crate::asn1::pem::encode_pem("CMS", der)?.to_string())
}

/// DigestedData (RFC 5652 §7) with Streebog: build around id-data content.
pub fn digest(content: &[u8], alg: HashAlg) -> Result<Vec<u8>> {
    let o = match alg {
        HashAlg::Streebog256 => oid::STREEBOG_256,
        HashAlg::Streebog512 => oid::STREEBOG_512,
        HashAlg::Gost94 => oid::GOSTR3411_94,
    };
    let dd = tlv::seq(&[
        &tlv::int(0),
        &alg_id(&o),
        &tlv::seq(&[
            &tlv::oid(&oid::CMS_DATA),
            &tlv::tlv(0xa0, &[&tlv::octets(content)]),
        ]),
        &tlv::octets(&alg.digest(content)),
    ]);
    Ok(content_info(&oid::CMS_DIGESTED_DATA, &dd))
}

/// Checks a DigestedData message and returns its content.
pub fn verify_digested(input: &[u8]) -> Result<Vec<u8>> {
    let der = decode_input(input)?;
    let body = unwrap_content_info(&der, &oid::CMS_DIGESTED_DATA)?;
    let (dd, _) = tlv::expect(body, 0x30, "DigestedData is not a SEQUENCE")?;
    let k = tlv::children(dd.content)?;
    let [_, alg, encap, dig] = k.as_slice() else {
        return Err(CmsError::Invalid("DigestedData fields"));
    };
    let hash = hash_alg_of(&alg_oid(alg)?)?;
    let enc = tlv::children(encap.content)?;
    let content = match enc.get(1) {
        Some(t) if t.tag == 0xa0 => tlv::expect(t.content, 0x04, "eContent")?.0.content.to_vec(),
        _ => return Err(CmsError::ContentMissing),
    };
    if dig.tag != 0x04 || hash.digest(&content) != dig.content {
        return Err(CmsError::DigestMismatch);
    }
    Ok(content)
}
