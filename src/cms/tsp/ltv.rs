//! CAdES-X Long Type 1 (ETSI TS 101 733 V2.2.1 §6.2-6.3 and Annex B.1.3; RFC 5126; the
//! "X-L" forms of ETSI EN 319 122-1 Annex A.1): a CAdES-T signer's unsigned attributes gain
//!
//! - complete-certificate-references (id-aa-ets-certificateRefs, §6.2.1): an OtherCertID
//!   (Streebog hash and issuerSerial) for every CA certificate of the signer's chain;
//! - complete-revocation-references (id-aa-ets-revocationRefs, §6.2.2): one CrlOcspRef for the
//!   signer's certificate, then one per referenced CA certificate in the same order, naming
//!   CRLs (crlHash) and OCSP responses (responderID, producedAt, ocspRepHash) used for it;
//! - certificate-values (id-aa-ets-certValues, §6.3.3) and revocation-values
//!   (id-aa-ets-revocationValues, §6.3.4: CRLs and BasicOCSPResponses), the data itself;
//! - a CAdES-C time-stamp (id-aa-ets-escTimeStamp, §6.3.5) whose imprint is the hash of the
//!   concatenated *values* — without their own tag and length — of the signature OCTET
//!   STRING, each signature time-stamp attribute, the certificate-references attribute and the
//!   revocation-references attribute ([`esc_time_stamp_data`]).
//!
//! [`upgrade`] builds CAdES-T or CAdES-X L1 from a CAdES-BES or -T message, a time-stamp
//! source and the collected chain and revocation data; `SignedMessage::verify_cades_ltv`
//! verifies offline: every reference hash against a value, both time-stamps, and the signer's
//! chain at the signature time-stamp's genTime with only the caller's trust anchors and the
//! embedded values (revocation data must have been issued at or after that genTime; a
//! revocation dated after it does not invalidate the signature).
//!
//! The ocspRepHash is computed over the DER BasicOCSPResponse as embedded in
//! revocation-values; a reference over the full OCSPResponse wrapping it is accepted too (the
//! texts of TS 101 733 and RFC 5126 say "the OCSP response" without more).

use std::time::SystemTime;

use const_oid::ObjectIdentifier;
use der::Encode;
use x509_cert::ext::pkix::KeyUsages;

use super::request::TimeStampReq;
use super::response::TimeStampResp;
use super::verify::{TimeStampReport, TimeStampToken, TokenVerifyOptions};
use super::{MAX_TIME_STAMPS, cades};
use crate::cms::error::{CmsError, Result};
use crate::cms::signed::{
    CadesLevel, SignedMessage, SignerInfo, SignerReport, TimeBasis, ValidationTime,
    add_unsigned_attribute, alg_id, hash_alg_of,
};
use crate::cms::tlv::{self, Tlv};
use crate::hash::HashAlg;
use crate::oid;
use crate::x509::Certificate;
use crate::x509::crl::Crl;
use crate::x509::name::names_match;
use crate::x509::ocsp::{CertStatus, ID_PKIX_OCSP_BASIC, OcspOptions, OcspResponse};
use crate::x509::path::{
    PathErrorKind, RevocationPolicy, RevocationSource, RevocationStatus, ValidationOptions,
};
use crate::x509::store::CertStore;

/// id-aa-ets-certificateRefs (TS 101 733 §6.2.1).
pub const ATTR_CERTIFICATE_REFS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.21");
/// id-aa-ets-revocationRefs (§6.2.2).
pub const ATTR_REVOCATION_REFS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.22");
/// id-aa-ets-certValues (§6.3.3).
pub const ATTR_CERT_VALUES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.23");
/// id-aa-ets-revocationValues (§6.3.4).
pub const ATTR_REVOCATION_VALUES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.24");
/// id-aa-ets-escTimeStamp, the CAdES-C time-stamp (§6.3.5).
pub const ATTR_ESC_TIME_STAMP: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.25");

/// Most certificates, CRLs, OCSP responses or references read from one signer's attributes.
pub const MAX_LTV_ITEMS: usize = 64;

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");

/// Turns a time-stamp request into a token: a TSA reached over HTTP, a [`super::Tsa`] in
/// process, a file. Implemented for closures from the DER request to the DER TimeStampResp.
pub trait TimeStampSource {
    /// The token answering `request`; its imprint must be the request's.
    fn time_stamp(&self, request: &TimeStampReq) -> Result<TimeStampToken>;
}

impl<F: Fn(&[u8]) -> Result<Vec<u8>>> TimeStampSource for F {
    fn time_stamp(&self, request: &TimeStampReq) -> Result<TimeStampToken> {
        let resp = TimeStampResp::parse(&self(&request.to_der())?)?;
        let token = resp.into_token()?;
        let info = token.info();
        if hash_alg_of(&info.hash_alg)? != request.hash_alg() || info.imprint != request.imprint() {
            return Err(CmsError::ImprintMismatch);
        }
        if request.nonce().is_some() && info.nonce.as_deref() != request.nonce() {
            return Err(CmsError::NonceMismatch);
        }
        Ok(token)
    }
}

/// The level [`upgrade`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpgradeLevel {
    /// CAdES-T: a signature time-stamp (kept when there is one already).
    T,
    /// CAdES-X Long Type 1.
    XL1,
}

/// The validation data a CAdES-X L1 embeds: the signer's chain (its certificate first, the
/// trust anchor last), and OCSP responses and/or CRLs for its certificates.
#[derive(Debug, Clone, Default)]
pub struct ValidationData {
    /// Signer certificate → … → trust anchor.
    pub chain: Vec<Certificate>,
    /// Successful OCSP responses (each used for the certificates it covers).
    pub ocsp: Vec<OcspResponse>,
    /// CRLs (each used for the certificates its issuer issued).
    pub crls: Vec<Crl>,
}

/// One unsigned attribute as received.
struct Attr<'a> {
    ty: ObjectIdentifier,
    /// The Attribute SEQUENCE's contents (attrType and attrValues with their headers).
    content: &'a [u8],
    values: Vec<Tlv<'a>>,
}

fn attributes(set: &[u8]) -> Result<Vec<Attr<'_>>> {
    let (set, _) = tlv::read(set)?;
    let mut out = Vec::new();
    for a in tlv::children(set.content)? {
        let parts = tlv::children(a.content)?;
        let [ty, values] = parts.as_slice() else {
            return Err(CmsError::Invalid("Attribute"));
        };
        if values.tag != 0x31 {
            return Err(CmsError::Invalid("attribute values are not a SET"));
        }
        out.push(Attr {
            ty: tlv::read_oid(ty)?,
            content: a.content,
            values: tlv::children(values.content)?,
        });
    }
    Ok(out)
}

/// The only value of the only attribute of type `ty`, or None when absent.
fn single<'a>(attrs: &[Attr<'a>], ty: &ObjectIdentifier) -> Result<Option<&'a [u8]>> {
    let found: Vec<&Attr<'a>> = attrs.iter().filter(|a| a.ty == *ty).collect();
    match found.as_slice() {
        [] => Ok(None),
        [a] => match a.values.as_slice() {
            [v] => Ok(Some(v.raw)),
            _ => Err(CmsError::ValidationData(
                "an attribute without exactly one value",
            )),
        },
        _ => Err(CmsError::ValidationData("an attribute is present twice")),
    }
}

/// The data the CAdES-C time-stamp of signer `index` covers (TS 101 733 §6.3.5): the signature
/// value's contents, then the contents (attrType || attrValues) of each signature time-stamp
/// attribute in the order received, of the complete-certificate-references attribute and of
/// the complete-revocation-references attribute.
pub fn esc_time_stamp_data(msg: &SignedMessage, index: usize) -> Result<Vec<u8>> {
    let s = msg.signers.get(index).ok_or(CmsError::SignerNotFound)?;
    signer_esc_data(s)
}

fn signer_esc_data(s: &SignerInfo) -> Result<Vec<u8>> {
    let set = s
        .unsigned_attrs
        .as_deref()
        .ok_or(CmsError::ValidationData("no unsigned attributes"))?;
    let attrs = attributes(set)?;
    let mut data = s.signature.clone();
    let mut stamps = 0;
    for a in attrs
        .iter()
        .filter(|a| a.ty == oid::ATTR_SIGNATURE_TIME_STAMP)
    {
        data.extend_from_slice(a.content);
        stamps += 1;
    }
    if stamps == 0 {
        return Err(CmsError::ValidationData("no signature time-stamp"));
    }
    for ty in [ATTR_CERTIFICATE_REFS, ATTR_REVOCATION_REFS] {
        let mut it = attrs.iter().filter(|a| a.ty == ty);
        match (it.next(), it.next()) {
            (Some(a), None) => data.extend_from_slice(a.content),
            (None, _) => {
                return Err(CmsError::ValidationData(
                    "a references attribute is missing",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(CmsError::ValidationData(
                    "a references attribute is present twice",
                ));
            }
        }
    }
    Ok(data)
}

/// OtherHashAlgAndValue with `alg` over `data`.
fn other_hash(alg: HashAlg, data: &[u8]) -> Vec<u8> {
    tlv::seq(&[
        &alg_id(&super::request::hash_oid(alg)),
        &tlv::octets(&alg.digest(data)),
    ])
}

/// OtherCertID (§6.2.1): the certificate's hash and its issuerSerial.
fn other_cert_id(alg: HashAlg, cert: &Certificate) -> Result<Vec<u8>> {
    let issuer = cert.issuer().to_der()?;
    let names = tlv::seq(&[&tlv::tlv(0xa4, &[&issuer])]);
    let issuer_serial = tlv::seq(&[&names, &tlv::tlv(0x02, &[cert.serial()])]);
    Ok(tlv::seq(&[&other_hash(alg, cert.der()), &issuer_serial]))
}

/// The parts of a successful OCSPResponse a reference and a value need.
struct OcspParts<'a> {
    basic: &'a [u8],
    responder_id: &'a [u8],
    produced_at: &'a [u8],
}

fn ocsp_parts(der: &[u8]) -> Result<OcspParts<'_>> {
    let bad = CmsError::ValidationData("OCSP response structure");
    let (outer, _) = tlv::expect(der, 0x30, "OCSPResponse")?;
    let k = tlv::children(outer.content)?;
    let [status, bytes] = k.as_slice() else {
        return Err(bad);
    };
    if status.tag != 0x0a || status.content != [0] || bytes.tag != 0xa0 {
        return Err(CmsError::ValidationData("OCSP response not successful"));
    }
    let (rb, _) = tlv::expect(bytes.content, 0x30, "ResponseBytes")?;
    let rb = tlv::children(rb.content)?;
    let [ty, octets] = rb.as_slice() else {
        return Err(bad);
    };
    if tlv::read_oid(ty)? != ID_PKIX_OCSP_BASIC || octets.tag != 0x04 {
        return Err(CmsError::ValidationData("OCSP response not basic"));
    }
    let basic = octets.content;
    let (b, _) = tlv::expect(basic, 0x30, "BasicOCSPResponse")?;
    let (tbs, _) = tlv::expect(b.content, 0x30, "ResponseData")?;
    let fields = tlv::children(tbs.content)?;
    let skip = usize::from(fields.first().is_some_and(|f| f.tag == 0xa0));
    let (Some(rid), Some(at)) = (fields.get(skip), fields.get(skip + 1)) else {
        return Err(bad);
    };
    if at.tag != 0x18 {
        return Err(bad);
    }
    Ok(OcspParts {
        basic,
        responder_id: rid.raw,
        produced_at: at.raw,
    })
}

/// A successful OCSPResponse wrapping `basic` (DER BasicOCSPResponse).
fn wrap_basic(basic: &[u8]) -> Vec<u8> {
    let rb = tlv::seq(&[&tlv::oid(&ID_PKIX_OCSP_BASIC), &tlv::octets(basic)]);
    tlv::seq(&[&[0x0a, 0x01, 0x00], &tlv::tlv(0xa0, &[&rb])])
}

/// CrlOcspRef (§6.2.2) for `cert` issued by `issuer` (None: the trust anchor, an empty ref).
fn crl_ocsp_ref(
    alg: HashAlg,
    cert: &Certificate,
    issuer: Option<&Certificate>,
    data: &ValidationData,
) -> Result<Vec<u8>> {
    let Some(issuer) = issuer else {
        return Ok(tlv::seq(&[]));
    };
    let crls: Vec<Vec<u8>> = data
        .crls
        .iter()
        .filter(|c| names_match(c.issuer(), issuer.subject()))
        .map(|c| tlv::seq(&[&other_hash(alg, c.der())]))
        .collect();
    let mut ocsps = Vec::new();
    for r in data.ocsp.iter().filter(|r| r.covers(cert, issuer)) {
        let p = ocsp_parts(r.der())?;
        let ident = tlv::seq(&[p.responder_id, p.produced_at]);
        ocsps.push(tlv::seq(&[&ident, &other_hash(alg, p.basic)]));
    }
    let mut parts = Vec::new();
    if !crls.is_empty() {
        let refs: Vec<&[u8]> = crls.iter().map(Vec::as_slice).collect();
        parts.push(tlv::tlv(0xa0, &[&tlv::seq(&[&tlv::seq(&refs)])]));
    }
    if !ocsps.is_empty() {
        let refs: Vec<&[u8]> = ocsps.iter().map(Vec::as_slice).collect();
        parts.push(tlv::tlv(0xa1, &[&tlv::seq(&[&tlv::seq(&refs)])]));
    }
    let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    Ok(tlv::seq(&parts))
}

/// The four CAdES-X L1 attributes' values for `data`: certificate refs, revocation refs,
/// certificate values, revocation values.
fn x_values(alg: HashAlg, data: &ValidationData) -> Result<[Vec<u8>; 4]> {
    let chain = &data.chain;
    let mut cert_refs = Vec::new();
    for c in chain.iter().skip(1) {
        cert_refs.push(other_cert_id(alg, c)?);
    }
    let mut rev_refs = Vec::new();
    for (i, c) in chain.iter().enumerate() {
        let issuer = chain.get(i + 1).filter(|_| !c.is_self_issued());
        rev_refs.push(crl_ocsp_ref(alg, c, issuer, data)?);
    }
    let seq_of = |v: &[Vec<u8>]| tlv::seq(&v.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let certs: Vec<&[u8]> = chain.iter().map(Certificate::der).collect();
    let mut rev_vals = Vec::new();
    if !data.crls.is_empty() {
        let crls: Vec<&[u8]> = data.crls.iter().map(Crl::der).collect();
        rev_vals.push(tlv::tlv(0xa0, &[&tlv::seq(&crls)]));
    }
    if !data.ocsp.is_empty() {
        let mut basics = Vec::new();
        for r in &data.ocsp {
            basics.push(ocsp_parts(r.der())?.basic);
        }
        rev_vals.push(tlv::tlv(0xa1, &[&tlv::seq(&basics)]));
    }
    let rev_vals: Vec<&[u8]> = rev_vals.iter().map(Vec::as_slice).collect();
    Ok([
        seq_of(&cert_refs),
        seq_of(&rev_refs),
        tlv::seq(&certs),
        tlv::seq(&rev_vals),
    ])
}

/// Upgrades signer `index` of the SignedData `input` (DER, BER or PEM) to `level`, with `alg`
/// for the time-stamp imprints and the references' hashes: a signature time-stamp from `tsa`
/// unless the signer has one; for X-L1 then the references and values of `data` (whose chain
/// must start with the signer's certificate) and a CAdES-C time-stamp from `tsa`. Returns the
/// new DER ContentInfo; the signed content, attributes and signatures are untouched.
pub fn upgrade(
    input: &[u8],
    index: usize,
    level: UpgradeLevel,
    alg: HashAlg,
    tsa: &dyn TimeStampSource,
    data: &ValidationData,
) -> Result<Vec<u8>> {
    let msg = SignedMessage::parse(input)?;
    let s = msg.signers.get(index).ok_or(CmsError::SignerNotFound)?;
    let attrs = match &s.unsigned_attrs {
        Some(set) => attributes(set)?,
        None => Vec::new(),
    };
    let has_ts = attrs.iter().any(|a| a.ty == oid::ATTR_SIGNATURE_TIME_STAMP);
    let mut der = if has_ts {
        crate::cms::signed::decode_input(input)?
    } else {
        let token = tsa.time_stamp(&cades::signature_time_stamp_request(&msg, index, alg)?)?;
        cades::add_signature_time_stamp(input, index, &token)?
    };
    if level == UpgradeLevel::T {
        return Ok(der);
    }
    let x_types = [
        ATTR_CERTIFICATE_REFS,
        ATTR_REVOCATION_REFS,
        ATTR_CERT_VALUES,
        ATTR_REVOCATION_VALUES,
        ATTR_ESC_TIME_STAMP,
    ];
    if attrs.iter().any(|a| x_types.contains(&a.ty)) {
        return Err(CmsError::ValidationData(
            "the signer already carries CAdES-X attributes",
        ));
    }
    match data.chain.first() {
        Some(leaf) if s.id.matches(leaf) => {}
        _ => {
            return Err(CmsError::ValidationData(
                "the chain does not start with the signer's certificate",
            ));
        }
    }
    if data.chain.len() + data.ocsp.len() + data.crls.len() > MAX_LTV_ITEMS {
        return Err(CmsError::ValidationData("too much validation data"));
    }
    for (ty, value) in x_types.iter().zip(x_values(alg, data)?) {
        der = add_unsigned_attribute(&der, index, ty, &value)?;
    }
    let msg = SignedMessage::parse(&der)?;
    let esc = esc_time_stamp_data(&msg, index)?;
    let req = TimeStampReq::new(alg, &esc)?;
    let token = tsa.time_stamp(&req)?;
    add_unsigned_attribute(&der, index, &ATTR_ESC_TIME_STAMP, token.der())
}

/// The embedded values and references of one CAdES-X L1 signer.
struct Embedded {
    certs: Vec<Certificate>,
    crls: Vec<Crl>,
    ocsp: Vec<OcspResponse>,
    esc_tokens: Vec<Vec<u8>>,
}

fn bounded<'a>(content: &'a [u8], what: &'static str) -> Result<Vec<Tlv<'a>>> {
    let items = tlv::children(content)?;
    if items.len() > MAX_LTV_ITEMS {
        return Err(CmsError::ValidationData(what));
    }
    Ok(items)
}

/// An OtherHash CHOICE (sha1Hash OCTET STRING or OtherHashAlgAndValue) matches `data`.
fn hash_matches(h: &Tlv<'_>, data: &[u8]) -> Result<bool> {
    use digest::Digest;
    if h.tag == 0x04 {
        return Ok(sha1::Sha1::digest(data).as_slice() == h.content);
    }
    let k = tlv::children(h.content)?;
    let [alg, value] = k.as_slice() else {
        return Err(CmsError::Invalid("OtherHashAlgAndValue"));
    };
    let (o, _) = tlv::expect(alg.content, 0x06, "hash algorithm")?;
    let o = tlv::read_oid(&o)?;
    if o == SHA1 {
        return Ok(sha1::Sha1::digest(data).as_slice() == value.content);
    }
    Ok(hash_alg_of(&o)?.digest(data) == value.content)
}

/// Reads the CAdES-X L1 attributes of `s` and checks every reference against a value (None
/// when the signer has none of them).
fn read_embedded(s: &SignerInfo, message_certs: &[Certificate]) -> Result<Option<Embedded>> {
    let Some(set) = s.unsigned_attrs.as_deref() else {
        return Ok(None);
    };
    let attrs = attributes(set)?;
    let esc_tokens: Vec<Vec<u8>> = attrs
        .iter()
        .filter(|a| a.ty == ATTR_ESC_TIME_STAMP)
        .flat_map(|a| a.values.iter().map(|v| v.raw.to_vec()))
        .collect();
    let refs = (
        single(&attrs, &ATTR_CERTIFICATE_REFS)?,
        single(&attrs, &ATTR_REVOCATION_REFS)?,
        single(&attrs, &ATTR_CERT_VALUES)?,
        single(&attrs, &ATTR_REVOCATION_VALUES)?,
    );
    let (Some(cert_refs), Some(rev_refs), Some(cert_vals), Some(rev_vals)) = refs else {
        if refs.0.is_none() && refs.1.is_none() && refs.2.is_none() && refs.3.is_none() {
            return Ok(None);
        }
        return Err(CmsError::ValidationData(
            "CAdES-X L1 needs all four references and values attributes",
        ));
    };
    if esc_tokens.is_empty() || esc_tokens.len() > MAX_TIME_STAMPS {
        return Err(CmsError::ValidationData(
            "CAdES-X L1 needs one to 16 CAdES-C time-stamps",
        ));
    }
    let mut certs = Vec::new();
    let (cv, _) = tlv::expect(cert_vals, 0x30, "CertificateValues")?;
    for c in bounded(cv.content, "too many certificate values")? {
        certs.push(Certificate::from_der(c.raw)?);
    }
    let (rv, _) = tlv::expect(rev_vals, 0x30, "RevocationValues")?;
    let (mut crls, mut ocsp) = (Vec::new(), Vec::new());
    for f in tlv::children(rv.content)? {
        let (inner, _) = tlv::expect(f.content, 0x30, "RevocationValues list")?;
        let items = bounded(inner.content, "too many revocation values")?;
        match f.tag {
            0xa0 => {
                for c in items {
                    crls.push(Crl::from_der(c.raw)?);
                }
            }
            0xa1 => {
                for b in items {
                    ocsp.push(
                        OcspResponse::from_der(&wrap_basic(b.raw))
                            .map_err(|_| CmsError::ValidationData("OCSP value unreadable"))?,
                    );
                }
            }
            _ => return Err(CmsError::Unsupported("otherRevVals")),
        }
    }
    // Every certificate reference names an embedded certificate.
    let (cr, _) = tlv::expect(cert_refs, 0x30, "CompleteCertificateRefs")?;
    let known: Vec<&Certificate> = certs.iter().chain(message_certs).collect();
    for r in bounded(cr.content, "too many certificate references")? {
        let parts = tlv::children(r.content)?;
        let Some(h) = parts.first() else {
            return Err(CmsError::Invalid("OtherCertID"));
        };
        // issuerSerial, when given, must name the certificate the hash matched.
        let serial = match parts.get(1) {
            Some(is) => {
                let f = tlv::children(is.content)?;
                match f.as_slice() {
                    [_, n] if n.tag == 0x02 => Some(n.content),
                    _ => return Err(CmsError::Invalid("IssuerSerial")),
                }
            }
            None => None,
        };
        let mut found = false;
        for c in &known {
            if hash_matches(h, c.der())? {
                found = serial.is_none_or(|n| n == c.serial());
                break;
            }
        }
        if !found {
            return Err(CmsError::ValidationData(
                "a certificate reference matches no certificate value",
            ));
        }
    }
    // Every revocation reference names an embedded CRL or OCSP response.
    let (rr, _) = tlv::expect(rev_refs, 0x30, "CompleteRevocationRefs")?;
    for r in bounded(rr.content, "too many revocation references")? {
        for f in tlv::children(r.content)? {
            let (list, _) = tlv::expect(f.content, 0x30, "CRLListID/OcspListID")?;
            let (ids, _) = tlv::expect(list.content, 0x30, "reference list")?;
            for id in bounded(ids.content, "too many revocation references")? {
                let parts = tlv::children(id.content)?;
                let ok = match (f.tag, parts.as_slice()) {
                    (0xa0, [h, ..]) => crls_match(h, &crls)?,
                    (0xa1, [_, h]) => ocsp_match(h, &ocsp)?,
                    (0xa1, [_]) => {
                        return Err(CmsError::ValidationData(
                            "an OCSP reference without ocspRepHash",
                        ));
                    }
                    _ => return Err(CmsError::Unsupported("otherRev references")),
                };
                if !ok {
                    return Err(CmsError::ValidationData(
                        "a revocation reference matches no revocation value",
                    ));
                }
            }
        }
    }
    Ok(Some(Embedded {
        certs,
        crls,
        ocsp,
        esc_tokens,
    }))
}

fn crls_match(h: &Tlv<'_>, crls: &[Crl]) -> Result<bool> {
    for c in crls {
        if hash_matches(h, c.der())? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn ocsp_match(h: &Tlv<'_>, ocsp: &[OcspResponse]) -> Result<bool> {
    for r in ocsp {
        let basic = ocsp_parts(r.der())?.basic;
        if hash_matches(h, basic)? || hash_matches(h, &wrap_basic(basic))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Embedded revocation values judged at a past time `t` (the signature time-stamp's genTime):
/// only data issued at or after `t` (less the tolerance) proves a status at `t`; signatures,
/// responder authorisation and critical extensions are checked as for fresh data, at the
/// data's own issue time. A revocation dated after `t` leaves the certificate good at `t`.
pub struct EmbeddedRevocation<'a> {
    ocsp: &'a [OcspResponse],
    crls: &'a [Crl],
    opts: OcspOptions,
}

impl<'a> EmbeddedRevocation<'a> {
    /// A source over these OCSP responses (asked first) and CRLs.
    pub fn new(ocsp: &'a [OcspResponse], crls: &'a [Crl]) -> Self {
        Self {
            ocsp,
            crls,
            opts: OcspOptions::default(),
        }
    }

    fn ocsp_status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
    ) -> RevocationStatus {
        let mut failed = None;
        for r in self.ocsp.iter().filter(|r| r.covers(cert, issuer)) {
            let Some(single) = r
                .responses()
                .iter()
                .find(|s| s.cert_id.matches(cert, issuer))
            else {
                continue;
            };
            if single.this_update + self.opts.tolerance < time {
                failed.get_or_insert(PathErrorKind::Ocsp {
                    kind: crate::ErrorKind::OcspStale,
                    why: "OCSP response issued before the time-stamp".into(),
                });
                continue;
            }
            match r.verify(cert, issuer, single.this_update, &self.opts) {
                Ok(v) => {
                    return match v.status {
                        CertStatus::Good => RevocationStatus::Good,
                        CertStatus::Unknown => RevocationStatus::Unknown,
                        CertStatus::Revoked { time: date, reason } if date <= time => {
                            RevocationStatus::Revoked { date, reason }
                        }
                        CertStatus::Revoked { .. } => RevocationStatus::Good,
                    };
                }
                Err(e) => {
                    failed.get_or_insert(PathErrorKind::Ocsp {
                        kind: e.kind(),
                        why: e.to_string(),
                    });
                }
            }
        }
        failed.map_or(RevocationStatus::Unknown, RevocationStatus::Failed)
    }

    fn crl_status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
    ) -> RevocationStatus {
        let mut good = false;
        for crl in self
            .crls
            .iter()
            .filter(|c| names_match(c.issuer(), issuer.subject()))
        {
            let key = match issuer.verifying_key() {
                Ok(k) => k,
                Err(e) => return RevocationStatus::Failed(PathErrorKind::Malformed(e.to_string())),
            };
            if crl.verify_signed_by(&key).is_err() {
                return RevocationStatus::Failed(PathErrorKind::CrlBadSignature);
            }
            if let Ok(Some(ku)) = issuer.key_usage()
                && !ku.0.contains(KeyUsages::CRLSign)
            {
                return RevocationStatus::Failed(PathErrorKind::KeyUsage);
            }
            if let Some(o) = crl.unknown_critical_extension() {
                return RevocationStatus::Failed(PathErrorKind::UnknownCriticalExtension(o));
            }
            if let Some(r) = crl.revocation(cert.serial())
                && r.date <= time
            {
                return RevocationStatus::Revoked {
                    date: r.date,
                    reason: r.reason,
                };
            }
            // A CRL issued before the time-stamp says nothing about the time-stamp's time.
            if crl.this_update() + self.opts.tolerance >= time {
                good = true;
            }
        }
        if good {
            RevocationStatus::Good
        } else {
            RevocationStatus::Unknown
        }
    }
}

impl RevocationSource for EmbeddedRevocation<'_> {
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
    ) -> RevocationStatus {
        match self.ocsp_status(cert, issuer, time) {
            RevocationStatus::Unknown => self.crl_status(cert, issuer, time),
            other => other,
        }
    }
}

impl SignedMessage {
    /// Long-term (offline) CAdES verification: every signer's signature against the content
    /// (`detached` for a detached message) and its signature time-stamps (TSA chains at their
    /// genTime with `store`). A signer carrying CAdES-X L1 data then has its references checked
    /// against the embedded values, its CAdES-C time-stamps verified (genTime not before the
    /// signature time-stamp's), and its chain validated at the signature time-stamp's genTime
    /// with `store`'s trust anchors and the embedded certificates and revocation values only
    /// (under `revocation`; [`RevocationPolicy::Required`] asks an answer for every
    /// certificate below the anchor): level X-L1, time basis TimeStamp. Other signers are
    /// validated as [`SignedMessage::verify_cades`] does at [`ValidationTime::TimeStamp`].
    pub fn verify_cades_ltv(
        &self,
        detached: Option<&[u8]>,
        store: &CertStore,
        revocation: RevocationPolicy,
    ) -> Vec<SignerReport> {
        let embedded: Vec<Result<Option<Embedded>>> = self
            .signers
            .iter()
            .map(|s| read_embedded(s, &self.certificates))
            .collect();
        let mut extra: Vec<Certificate> = store.entries().iter().map(|e| e.cert.clone()).collect();
        for e in embedded.iter().flatten().flatten() {
            extra.extend(e.certs.iter().cloned());
        }
        let mut reports = self.verify(detached, &extra);
        let opts = TokenVerifyOptions {
            revocation: RevocationPolicy::WhenAvailable,
            extra: extra.clone(),
            ..TokenVerifyOptions::default()
        };
        self.verify_time_stamps(&mut reports, store, &opts);
        for ((s, r), e) in self.signers.iter().zip(reports.iter_mut()).zip(embedded) {
            if r.result.is_err() {
                continue;
            }
            match e {
                Err(e) => r.result = Err(e),
                Ok(None) => self.validate_chains_at(
                    std::slice::from_mut(r),
                    store,
                    ValidationTime::TimeStamp,
                    revocation,
                ),
                Ok(Some(e)) => {
                    if let Err(err) = self.verify_x_l1(s, r, &e, store, &opts, revocation) {
                        r.result = Err(err);
                    }
                }
            }
        }
        reports
    }

    fn verify_x_l1(
        &self,
        s: &SignerInfo,
        r: &mut SignerReport,
        e: &Embedded,
        store: &CertStore,
        opts: &TokenVerifyOptions,
        revocation: RevocationPolicy,
    ) -> Result<()> {
        let sig_ts = r
            .time_stamp
            .as_ref()
            .ok_or(CmsError::ValidationData("no verified signature time-stamp"))?
            .gen_time;
        let data = signer_esc_data(s)?;
        let mut esc: Option<TimeStampReport> = None;
        for raw in &e.esc_tokens {
            let rep = TimeStampToken::parse(raw)?.verify_data(&data, store, opts)?;
            if rep.gen_time < sig_ts {
                return Err(CmsError::ValidationData(
                    "the CAdES-C time-stamp is older than the signature time-stamp",
                ));
            }
            if esc.as_ref().is_none_or(|x| rep.gen_time < x.gen_time) {
                esc = Some(rep);
            }
        }
        let cert = r.cert.clone().ok_or(CmsError::SignerNotFound)?;
        let mut vopts = ValidationOptions::at(sig_ts);
        vopts.revocation = revocation;
        let source = EmbeddedRevocation::new(&e.ocsp, &e.crls);
        let mut inter: Vec<Certificate> = e.certs.clone();
        inter.extend(self.certificates.iter().cloned());
        let trusted: Vec<&Certificate> = store
            .entries()
            .iter()
            .filter(|x| x.role == crate::x509::store::Role::TrustedRoot)
            .map(|x| &x.cert)
            .collect();
        r.validated_at = Some(sig_ts);
        r.time_basis = Some(TimeBasis::TimeStamp);
        let path = crate::x509::path::PathBuilder::new(trusted)
            .intermediates(&inter)
            .revocation(&source)
            .options(vopts)
            .build(&cert)
            .map_err(CmsError::Chain)?;
        r.path = Some(path.into_iter().cloned().collect());
        r.esc_time_stamp = esc;
        r.level = Some(CadesLevel::XL1);
        Ok(())
    }
}
