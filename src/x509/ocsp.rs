//! OCSP (RFC 6960) with GOST signatures: requests ([`OcspRequest`]), responses
//! ([`OcspResponse`]: parse, verify), a [`RevocationSource`] over responses the caller fetched
//! ([`OcspRevocation`]; the library opens no socket), and a small responder
//! ([`OcspResponse::issue`], for tests and small CAs).
//!
//! The ASN.1 structures (RFC 6960 §4.1.1, §4.2.1, Appendix B.1) are written here with the `der`
//! crate: the RustCrypto `x509-ocsp` crate exists only for `der` 0.7 / `x509-cert` 0.2 (0.2.1 is
//! the newest release), and this workspace is on `der` 0.8 / `x509-cert` 0.3.
//!
//! CertID (§4.1.1) hashes the issuer's name (the DER of the certificate's issuer field) and the
//! issuer's subjectPublicKey BIT STRING contents with Streebog-256 by default, or SHA-1 when
//! asked ([`CertIdHash::Sha1`]): responders match a request by recomputing its hash, and many
//! only know SHA-1.
//!
//! Verification ([`OcspResponse::verify`]), in order: responseStatus successful, the
//! id-pkix-ocsp-basic type, the responder (§4.2.2.2): the issuing CA itself, or a delegated
//! responder certificate carried in the response, issued (and signed) by that CA, valid at the
//! validation time and with id-kp-OCSPSigning in its extKeyUsage; the responderID must name the
//! signer. The delegated responder's own revocation status is not checked (whether it carries
//! id-pkix-ocsp-nocheck is reported in [`Verified::nocheck`]). Then the signature over
//! tbsResponseData as received, the nonce (when the caller gave the request's, the response must
//! carry the same extension value), and the freshness of the single response for the
//! certificate: thisUpdate ≤ time + tolerance, and time ≤ nextUpdate + tolerance (without
//! nextUpdate, time ≤ thisUpdate + [`OcspOptions::max_age`]). Hostile input: DER is parsed
//! strictly, the number of single responses and of certificates is capped
//! ([`MAX_SINGLE_RESPONSES`], [`MAX_CERTS`]), every failure is an [`OcspError`].

use core::fmt;
use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use der::asn1::{Any, BitString, GeneralizedTime, Null, OctetString};
use der::{Decode, Encode, Enumerated, Sequence, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::CrlReason;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use super::cert::Certificate;
use super::crl::reason_name;
use super::error::X509Error;
use super::name::names_match;
use super::path::{PathErrorKind, RevocationSource, RevocationStatus};
use super::sig::{self, SignatureAlgorithm};
use crate::ec::SignDigest;

/// id-pkix-ocsp-basic (RFC 6960 §4.2.1).
pub const ID_PKIX_OCSP_BASIC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// id-pkix-ocsp-nonce (RFC 6960 §4.4.1).
pub const ID_PKIX_OCSP_NONCE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");
/// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1).
pub const ID_PKIX_OCSP_NOCHECK: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");
/// id-kp-OCSPSigning (RFC 5280 §4.2.1.12).
pub const ID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
/// id-sha1 (the CertID hash of RFC 6960's examples).
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");

/// Most single responses read from one response.
pub const MAX_SINGLE_RESPONSES: usize = 256;
/// Most certificates read from one response.
pub const MAX_CERTS: usize = 16;
/// Longest nonce accepted or written (RFC 8954 §2.1: 1 to 32 octets).
pub const MAX_NONCE: usize = 32;

/// Why an OCSP operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OcspError {
    /// A certificate, signature or DER structure could not be processed.
    X509(X509Error),
    /// responseStatus is not successful (its name: `tryLater`, `unauthorized`…).
    NotSuccessful(&'static str),
    /// The response is not an id-pkix-ocsp-basic one.
    UnsupportedResponseType(ObjectIdentifier),
    /// More single responses or certificates than gostkit reads, or an oversized nonce.
    TooLarge(&'static str),
    /// No certificate able to sign for this issuer signed the response: no match for the
    /// responderID, or the candidate is not issued by the CA, not valid at the time, or lacks
    /// id-kp-OCSPSigning.
    ResponderNotAuthorized(&'static str),
    /// The responder's signature does not verify.
    BadSignature,
    /// The response has no single response for the certificate.
    NoResponseForCert,
    /// The single response is not fresh at the validation time.
    Stale {
        /// thisUpdate.
        this_update: SystemTime,
        /// nextUpdate, when given.
        next_update: Option<SystemTime>,
        /// The time validated at.
        time: SystemTime,
    },
    /// The nonce is missing from the response or differs from the request's.
    NonceMismatch,
}

impl OcspError {
    /// The library-wide kind of this error.
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::X509(e) => e.kind(),
            Self::NotSuccessful(_) => K::OcspUnsuccessful,
            Self::UnsupportedResponseType(_) => K::Unsupported,
            Self::TooLarge(_) => K::DataLimitExceeded,
            Self::ResponderNotAuthorized(_) => K::KeyUsage,
            Self::BadSignature => K::BadSignature,
            Self::NoResponseForCert => K::CrlMissing,
            Self::Stale { .. } => K::OcspStale,
            Self::NonceMismatch => K::OcspNonceMismatch,
        }
    }
}

impl fmt::Display for OcspError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::time::rfc3339;
        match self {
            Self::X509(e) => write!(f, "{e}"),
            Self::NotSuccessful(s) => write!(f, "OCSP responder answered {s}"),
            Self::UnsupportedResponseType(o) => write!(f, "unsupported OCSP response type {o}"),
            Self::TooLarge(what) => write!(f, "OCSP response too large: {what}"),
            Self::ResponderNotAuthorized(why) => write!(f, "OCSP responder not authorized: {why}"),
            Self::BadSignature => write!(f, "OCSP response signature does not verify"),
            Self::NoResponseForCert => write!(f, "OCSP response says nothing of the certificate"),
            Self::Stale {
                this_update,
                next_update,
                time,
            } => {
                write!(
                    f,
                    "OCSP response not fresh at {} (thisUpdate {}",
                    rfc3339(*time),
                    rfc3339(*this_update)
                )?;
                match next_update {
                    Some(n) => write!(f, ", nextUpdate {})", rfc3339(*n)),
                    None => write!(f, ", no nextUpdate)"),
                }
            }
            Self::NonceMismatch => write!(f, "OCSP response nonce does not match the request"),
        }
    }
}

impl std::error::Error for OcspError {}

impl From<X509Error> for OcspError {
    fn from(e: X509Error) -> Self {
        Self::X509(e)
    }
}

impl From<der::Error> for OcspError {
    fn from(e: der::Error) -> Self {
        Self::X509(X509Error::Der(e))
    }
}

/// Result of the OCSP module.
pub type Result<T> = core::result::Result<T, OcspError>;

// ---- ASN.1 (RFC 6960 Appendix B.1, EXPLICIT TAGS) ----

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct CertIdAsn1 {
    hash_algorithm: AlgorithmIdentifierOwned,
    issuer_name_hash: OctetString,
    issuer_key_hash: OctetString,
    serial_number: SerialNumber,
}

#[derive(Clone, Debug, Sequence)]
struct RequestAsn1 {
    req_cert: CertIdAsn1,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    single_request_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, Sequence)]
struct TbsRequestAsn1 {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    version: Option<u8>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    requestor_name: Option<Any>,
    request_list: Vec<RequestAsn1>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    request_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, Sequence)]
struct OcspRequestAsn1 {
    tbs_request: TbsRequestAsn1,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    optional_signature: Option<Any>,
}

#[derive(Clone, Debug, Sequence)]
struct ResponseBytesAsn1 {
    response_type: ObjectIdentifier,
    response: OctetString,
}

#[derive(Clone, Debug, Sequence)]
struct OcspResponseAsn1 {
    response_status: ResponseStatus,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    response_bytes: Option<ResponseBytesAsn1>,
}

#[derive(Clone, Debug, Sequence)]
struct BasicResponseAsn1 {
    /// tbsResponseData, kept as received (the signed bytes).
    tbs_response_data: Any,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    certs: Option<Vec<Any>>,
}

#[derive(Clone, Debug, Sequence)]
struct ResponseDataAsn1 {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    version: Option<u8>,
    /// ResponderID CHOICE: [1] Name or [2] KeyHash (both EXPLICIT).
    responder_id: Any,
    produced_at: GeneralizedTime,
    responses: Vec<SingleResponseAsn1>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    response_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, Sequence)]
struct SingleResponseAsn1 {
    cert_id: CertIdAsn1,
    /// CertStatus CHOICE: [0] IMPLICIT NULL, [1] IMPLICIT RevokedInfo, [2] IMPLICIT NULL.
    cert_status: Any,
    this_update: GeneralizedTime,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    next_update: Option<GeneralizedTime>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    single_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, Sequence)]
struct RevokedInfoAsn1 {
    revocation_time: GeneralizedTime,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    revocation_reason: Option<CrlReason>,
}

/// OCSPResponseStatus (RFC 6960 §4.2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[repr(u32)]
pub enum ResponseStatus {
    /// Response has valid confirmations.
    Successful = 0,
    /// Illegal confirmation request.
    MalformedRequest = 1,
    /// Internal error in issuer.
    InternalError = 2,
    /// Try again later.
    TryLater = 3,
    /// Must sign the request.
    SigRequired = 5,
    /// Request unauthorized.
    Unauthorized = 6,
}

impl ResponseStatus {
    /// The RFC 6960 name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Successful => "successful",
            Self::MalformedRequest => "malformedRequest",
            Self::InternalError => "internalError",
            Self::TryLater => "tryLater",
            Self::SigRequired => "sigRequired",
            Self::Unauthorized => "unauthorized",
        }
    }
}

fn ctx(constructed: bool, number: u32) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber(number),
    }
}

// ---- CertID ----

/// The hash of a CertID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertIdHash {
    /// Streebog-256 (GOST R 34.11-2012), 1.2.643.7.1.1.2.2.
    Streebog256,
    /// SHA-1, 1.3.14.3.2.26 (what most responders, `openssl ocsp` included, default to).
    Sha1,
}

impl CertIdHash {
    fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Streebog256 => crate::oid::STREEBOG_256,
            Self::Sha1 => ID_SHA1,
        }
    }

    fn from_oid(o: &ObjectIdentifier) -> Option<Self> {
        match *o {
            crate::oid::STREEBOG_256 => Some(Self::Streebog256),
            ID_SHA1 => Some(Self::Sha1),
            _ => None,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        use digest::Digest;
        match self {
            Self::Streebog256 => streebog::Streebog256::digest(data).to_vec(),
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
        }
    }
}

/// The subjectPublicKey BIT STRING contents of a certificate (what CertID and byKey hash).
fn public_key_bits(cert: &Certificate) -> &[u8] {
    cert.inner()
        .tbs_certificate()
        .subject_public_key_info()
        .subject_public_key
        .raw_bytes()
}

/// A CertID: which certificate of which issuer a request or single response is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertId {
    asn1: CertIdAsn1,
}

impl CertId {
    /// The CertID of `cert` issued by `issuer`, hashed with `hash`.
    pub fn new(cert: &Certificate, issuer: &Certificate, hash: CertIdHash) -> Result<Self> {
        let name = cert.issuer().to_der()?;
        Ok(Self {
            asn1: CertIdAsn1 {
                hash_algorithm: AlgorithmIdentifierOwned {
                    oid: hash.oid(),
                    parameters: Some(Any::from(Null)),
                },
                issuer_name_hash: OctetString::new(hash.digest(&name))?,
                issuer_key_hash: OctetString::new(hash.digest(public_key_bits(issuer)))?,
                serial_number: SerialNumber::new(cert.serial())?,
            },
        })
    }

    /// The hash, if gostkit knows it.
    pub fn hash(&self) -> Option<CertIdHash> {
        CertIdHash::from_oid(&self.asn1.hash_algorithm.oid)
    }

    /// The serial number bytes.
    pub fn serial(&self) -> &[u8] {
        self.asn1.serial_number.as_bytes()
    }

    /// Whether this CertID names `cert` issued by `issuer` (recomputed with its own hash).
    pub fn matches(&self, cert: &Certificate, issuer: &Certificate) -> bool {
        self.serial() == cert.serial() && self.is_issued_by(issuer)
    }

    /// Whether this CertID's issuer hashes are those of `issuer`.
    pub fn is_issued_by(&self, issuer: &Certificate) -> bool {
        let Some(hash) = self.hash() else {
            return false;
        };
        let Ok(name) = issuer.subject().to_der() else {
            return false;
        };
        self.asn1.issuer_name_hash.as_bytes() == hash.digest(&name).as_slice()
            && self.asn1.issuer_key_hash.as_bytes()
                == hash.digest(public_key_bits(issuer)).as_slice()
    }
}

fn nonce_extension(nonce: &[u8]) -> Result<Extension> {
    if nonce.is_empty() || nonce.len() > MAX_NONCE {
        return Err(OcspError::TooLarge("nonce must be 1 to 32 octets"));
    }
    Ok(Extension {
        extn_id: ID_PKIX_OCSP_NONCE,
        critical: false,
        extn_value: OctetString::new(OctetString::new(nonce)?.to_der()?)?,
    })
}

fn find_nonce(exts: Option<&Vec<Extension>>) -> Option<Vec<u8>> {
    exts.into_iter()
        .flatten()
        .find(|e| e.extn_id == ID_PKIX_OCSP_NONCE)
        .map(|e| e.extn_value.as_bytes().to_vec())
}

// ---- request ----

/// An OCSPRequest (unsigned; RFC 6960 §4.1).
#[derive(Clone, Debug)]
pub struct OcspRequest {
    der: Vec<u8>,
    ids: Vec<CertId>,
    nonce_value: Option<Vec<u8>>,
}

impl OcspRequest {
    /// A request about each `(certificate, issuer)` pair, CertIDs hashed with `hash`, with a
    /// nonce extension when `nonce` is given (1 to 32 octets; see [`random_nonce`]).
    pub fn build(
        certs: &[(&Certificate, &Certificate)],
        hash: CertIdHash,
        nonce: Option<&[u8]>,
    ) -> Result<Self> {
        let mut list = Vec::with_capacity(certs.len());
        for (cert, issuer) in certs {
            list.push(RequestAsn1 {
                req_cert: CertId::new(cert, issuer, hash)?.asn1,
                single_request_extensions: None,
            });
        }
        let exts = nonce.map(nonce_extension).transpose()?.map(|e| vec![e]);
        let req = OcspRequestAsn1 {
            tbs_request: TbsRequestAsn1 {
                version: None,
                requestor_name: None,
                request_list: list,
                request_extensions: exts,
            },
            optional_signature: None,
        };
        Self::from_der(&req.to_der()?)
    }

    /// Parses a DER OCSPRequest (a signature, if any, is ignored).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let req = OcspRequestAsn1::from_der(der)?;
        if req.tbs_request.request_list.len() > MAX_SINGLE_RESPONSES {
            return Err(OcspError::TooLarge("requests"));
        }
        Ok(Self {
            der: der.to_vec(),
            nonce_value: find_nonce(req.tbs_request.request_extensions.as_ref()),
            ids: req
                .tbs_request
                .request_list
                .into_iter()
                .map(|r| CertId { asn1: r.req_cert })
                .collect(),
        })
    }

    /// DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The CertIDs asked about.
    pub fn cert_ids(&self) -> &[CertId] {
        &self.ids
    }

    /// The nonce extension's extnValue (the DER OCTET STRING around the nonce), if any: what
    /// [`OcspOptions::nonce`] takes.
    pub fn nonce_extension_value(&self) -> Option<&[u8]> {
        self.nonce_value.as_deref()
    }
}

/// 16 random octets for a request nonce.
pub fn random_nonce() -> Result<[u8; 16]> {
    let mut n = [0u8; 16];
    getrandom::fill(&mut n).map_err(|_| X509Error::Unsupported("OS random source failed"))?;
    Ok(n)
}

// ---- response ----

/// What a single response says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertStatus {
    /// Not revoked.
    Good,
    /// Revoked.
    Revoked {
        /// revocationTime.
        time: SystemTime,
        /// revocationReason name, when given.
        reason: Option<&'static str>,
    },
    /// The responder does not know the certificate.
    Unknown,
}

/// One SingleResponse.
#[derive(Clone, Debug)]
pub struct SingleResponse {
    /// Which certificate.
    pub cert_id: CertId,
    /// Its status.
    pub status: CertStatus,
    /// thisUpdate.
    pub this_update: SystemTime,
    /// nextUpdate, when given.
    pub next_update: Option<SystemTime>,
}

fn parse_status(any: &Any) -> Result<CertStatus> {
    let bad = || OcspError::X509(X509Error::Invalid("OCSP certStatus"));
    if any.tag() == ctx(false, 0) || any.tag() == ctx(false, 2) {
        if !any.value().is_empty() {
            return Err(bad());
        }
        return Ok(if any.tag() == ctx(false, 0) {
            CertStatus::Good
        } else {
            CertStatus::Unknown
        });
    }
    if any.tag() != ctx(true, 1) {
        return Err(bad());
    }
    let seq = Any::new(Tag::Sequence, any.value())?.to_der()?;
    let info = RevokedInfoAsn1::from_der(&seq)?;
    Ok(CertStatus::Revoked {
        time: info.revocation_time.to_system_time(),
        reason: info.revocation_reason.map(reason_name),
    })
}

/// Who the responderID names.
#[derive(Clone, Debug)]
enum ResponderId {
    ByName(Name),
    ByKey(Vec<u8>),
}

impl ResponderId {
    fn parse(any: &Any) -> Result<Self> {
        if any.tag() == ctx(true, 1) {
            return Ok(Self::ByName(Name::from_der(any.value())?));
        }
        if any.tag() == ctx(true, 2) {
            return Ok(Self::ByKey(
                OctetString::from_der(any.value())?.as_bytes().to_vec(),
            ));
        }
        Err(X509Error::Invalid("OCSP responderID").into())
    }

    fn names(&self, cert: &Certificate) -> bool {
        match self {
            Self::ByName(n) => names_match(n, cert.subject()),
            Self::ByKey(h) => {
                use digest::Digest;
                sha1::Sha1::digest(public_key_bits(cert)).as_slice() == h.as_slice()
            }
        }
    }
}

/// The parts of a BasicOCSPResponse.
#[derive(Clone, Debug)]
struct Basic {
    tbs_der: Vec<u8>,
    responder_id: ResponderId,
    produced_at: SystemTime,
    responses: Vec<SingleResponse>,
    nonce_value: Option<Vec<u8>>,
    sig_alg: AlgorithmIdentifierOwned,
    signature: Vec<u8>,
    certs: Vec<Certificate>,
}

/// A parsed OCSPResponse.
#[derive(Clone, Debug)]
pub struct OcspResponse {
    der: Vec<u8>,
    status: ResponseStatus,
    basic: Option<Basic>,
}

/// Parameters of [`OcspResponse::verify`].
#[derive(Clone, Debug)]
pub struct OcspOptions {
    /// Clock skew allowed on thisUpdate and nextUpdate.
    pub tolerance: Duration,
    /// How long after thisUpdate a response without nextUpdate stays fresh.
    pub max_age: Duration,
    /// The request's nonce extension value ([`OcspRequest::nonce_extension_value`]): when set,
    /// the response must carry the same.
    pub nonce: Option<Vec<u8>>,
}

impl Default for OcspOptions {
    /// Five minutes of tolerance, one hour of age without nextUpdate, no nonce.
    fn default() -> Self {
        Self {
            tolerance: Duration::from_secs(300),
            max_age: Duration::from_secs(3600),
            nonce: None,
        }
    }
}

/// The outcome of a verified response for one certificate.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The certificate's status.
    pub status: CertStatus,
    /// thisUpdate of its single response.
    pub this_update: SystemTime,
    /// nextUpdate of its single response.
    pub next_update: Option<SystemTime>,
    /// The delegated responder certificate, when the CA did not sign itself.
    pub delegated: Option<Certificate>,
    /// Whether that delegated certificate carries id-pkix-ocsp-nocheck.
    pub nocheck: bool,
}

impl OcspResponse {
    /// Parses a DER OCSPResponse (and its BasicOCSPResponse when successful).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let outer = OcspResponseAsn1::from_der(der)?;
        let basic = match (&outer.response_status, outer.response_bytes) {
            (ResponseStatus::Successful, Some(rb)) => {
                if rb.response_type != ID_PKIX_OCSP_BASIC {
                    return Err(OcspError::UnsupportedResponseType(rb.response_type));
                }
                Some(Self::parse_basic(rb.response.as_bytes())?)
            }
            (ResponseStatus::Successful, None) => {
                return Err(X509Error::Invalid("successful OCSP response without a body").into());
            }
            _ => None,
        };
        Ok(Self {
            der: der.to_vec(),
            status: outer.response_status,
            basic,
        })
    }

    fn parse_basic(der: &[u8]) -> Result<Basic> {
        let b = BasicResponseAsn1::from_der(der)?;
        let tbs_der = b.tbs_response_data.to_der()?;
        let data = ResponseDataAsn1::from_der(&tbs_der)?;
        if data.version.is_some_and(|v| v != 0) {
            return Err(X509Error::Unsupported("OCSP response version").into());
        }
        if data.responses.len() > MAX_SINGLE_RESPONSES {
            return Err(OcspError::TooLarge("single responses"));
        }
        let certs_in = b.certs.unwrap_or_default();
        if certs_in.len() > MAX_CERTS {
            return Err(OcspError::TooLarge("certificates"));
        }
        let mut certs = Vec::with_capacity(certs_in.len());
        for c in &certs_in {
            certs.push(Certificate::from_der(&c.to_der()?)?);
        }
        let mut responses = Vec::with_capacity(data.responses.len());
        for s in data.responses {
            responses.push(SingleResponse {
                status: parse_status(&s.cert_status)?,
                cert_id: CertId { asn1: s.cert_id },
                this_update: s.this_update.to_system_time(),
                next_update: s.next_update.map(|t| t.to_system_time()),
            });
        }
        Ok(Basic {
            responder_id: ResponderId::parse(&data.responder_id)?,
            produced_at: data.produced_at.to_system_time(),
            nonce_value: find_nonce(data.response_extensions.as_ref()),
            responses,
            sig_alg: b.signature_algorithm,
            signature: b
                .signature
                .as_bytes()
                .ok_or(OcspError::BadSignature)?
                .to_vec(),
            certs,
            tbs_der,
        })
    }

    /// DER as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// responseStatus.
    pub fn status(&self) -> ResponseStatus {
        self.status
    }

    fn basic(&self) -> Result<&Basic> {
        self.basic
            .as_ref()
            .ok_or(OcspError::NotSuccessful(self.status.name()))
    }

    /// The single responses (empty when not successful).
    pub fn responses(&self) -> &[SingleResponse] {
        self.basic.as_ref().map_or(&[], |b| &b.responses)
    }

    /// producedAt, when successful.
    pub fn produced_at(&self) -> Option<SystemTime> {
        self.basic.as_ref().map(|b| b.produced_at)
    }

    /// The certificates the response carries.
    pub fn certs(&self) -> &[Certificate] {
        self.basic.as_ref().map_or(&[], |b| &b.certs)
    }

    /// The nonce extension value of the response, if any.
    pub fn nonce_extension_value(&self) -> Option<&[u8]> {
        self.basic.as_ref().and_then(|b| b.nonce_value.as_deref())
    }

    /// Whether the response has a single response about `cert` issued by `issuer`.
    pub fn covers(&self, cert: &Certificate, issuer: &Certificate) -> bool {
        self.responses()
            .iter()
            .any(|s| s.cert_id.matches(cert, issuer))
    }

    /// Verifies the response for `cert` issued by `issuer` at `time` (see the module doc for
    /// the checks and their order) and returns the certificate's status.
    pub fn verify(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
        opts: &OcspOptions,
    ) -> Result<Verified> {
        let b = self.basic()?;
        let alg = SignatureAlgorithm::from_identifier(
            &b.sig_alg.oid,
            b.sig_alg.parameters.as_ref().map(Into::into),
        )?;
        // The signer: the CA itself, or a delegated responder it issued.
        let (signer, delegated) = if b.responder_id.names(issuer) {
            (issuer, None)
        } else {
            let cand = b.certs.iter().find(|c| b.responder_id.names(c)).ok_or(
                OcspError::ResponderNotAuthorized("no certificate for the responderID"),
            )?;
            Self::check_delegate(cand, issuer, time)?;
            (cand, Some(cand.clone()))
        };
        let key = signer.verifying_key()?;
        alg.verify(&key, &b.tbs_der, &b.signature)
            .map_err(|e| match e {
                X509Error::BadSignature | X509Error::AlgorithmMismatch(_) => {
                    OcspError::BadSignature
                }
                other => other.into(),
            })?;
        if let Some(want) = &opts.nonce
            && b.nonce_value.as_ref() != Some(want)
        {
            return Err(OcspError::NonceMismatch);
        }
        let single = b
            .responses
            .iter()
            .find(|s| s.cert_id.matches(cert, issuer))
            .ok_or(OcspError::NoResponseForCert)?;
        let stale = || OcspError::Stale {
            this_update: single.this_update,
            next_update: single.next_update,
            time,
        };
        if single.this_update > time + opts.tolerance {
            return Err(stale());
        }
        let limit = match single.next_update {
            Some(n) => n + opts.tolerance,
            None => single.this_update + opts.max_age,
        };
        if time > limit {
            return Err(stale());
        }
        let nocheck = delegated
            .as_ref()
            .is_some_and(|d| d.extension(&ID_PKIX_OCSP_NOCHECK).is_some());
        Ok(Verified {
            status: single.status.clone(),
            this_update: single.this_update,
            next_update: single.next_update,
            delegated,
            nocheck,
        })
    }

    fn check_delegate(cand: &Certificate, issuer: &Certificate, time: SystemTime) -> Result<()> {
        if !names_match(cand.issuer(), issuer.subject()) {
            return Err(OcspError::ResponderNotAuthorized(
                "responder certificate not issued by the CA",
            ));
        }
        cand.verify_signed_by(&issuer.verifying_key()?)
            .map_err(|_| {
                OcspError::ResponderNotAuthorized("responder certificate not signed by the CA")
            })?;
        if time < cand.not_before() || time > cand.not_after() {
            return Err(OcspError::ResponderNotAuthorized(
                "responder certificate not valid at the time",
            ));
        }
        if !cand.ext_key_usage()?.contains(&ID_KP_OCSP_SIGNING) {
            return Err(OcspError::ResponderNotAuthorized(
                "responder certificate lacks id-kp-OCSPSigning",
            ));
        }
        Ok(())
    }

    /// A response with a non-successful status and no body.
    pub fn unsuccessful(status: ResponseStatus) -> Result<Self> {
        let r = OcspResponseAsn1 {
            response_status: status,
            response_bytes: None,
        };
        Self::from_der(&r.to_der()?)
    }

    /// Answers `request` as a responder: `signer` (the CA `issuer` itself or a delegated
    /// responder certificate, included in the response) signs with `key`. A CertID of
    /// `issuer` is `revoked` when its serial is in `revoked` (serial, time, reason), `good`
    /// otherwise; a CertID of another issuer is `unknown`. The request's nonce is echoed.
    /// `next_update` None leaves nextUpdate out.
    #[allow(clippy::too_many_arguments)]
    pub fn issue(
        request: &OcspRequest,
        issuer: &Certificate,
        signer: &Certificate,
        key: &dyn SignDigest,
        revoked: &[(Vec<u8>, SystemTime, Option<CrlReason>)],
        this_update: SystemTime,
        next_update: Option<SystemTime>,
    ) -> Result<Self> {
        if !signer.matches_key(key) {
            return Err(X509Error::KeyMismatch.into());
        }
        let gt = |t: SystemTime| -> Result<GeneralizedTime> {
            let secs = t
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_err(|_| X509Error::Invalid("time before 1970"))?
                .as_secs();
            Ok(GeneralizedTime::from_system_time(
                SystemTime::UNIX_EPOCH + Duration::from_secs(secs),
            )?)
        };
        let mut responses = Vec::with_capacity(request.ids.len());
        for id in &request.ids {
            let status = if !id.is_issued_by(issuer) {
                Any::new(ctx(false, 2), Vec::new())?
            } else if let Some((_, t, reason)) = revoked.iter().find(|r| r.0 == id.serial()) {
                let info = RevokedInfoAsn1 {
                    revocation_time: gt(*t)?,
                    revocation_reason: *reason,
                };
                let inner = Any::from_der(&info.to_der()?)?;
                Any::new(ctx(true, 1), inner.value())?
            } else {
                Any::new(ctx(false, 0), Vec::new())?
            };
            responses.push(SingleResponseAsn1 {
                cert_id: id.asn1.clone(),
                cert_status: status,
                this_update: gt(this_update)?,
                next_update: next_update.map(gt).transpose()?,
                single_extensions: None,
            });
        }
        let exts = request.nonce_value.as_ref().map(|v| {
            OctetString::new(v.clone()).map(|extn_value| {
                vec![Extension {
                    extn_id: ID_PKIX_OCSP_NONCE,
                    critical: false,
                    extn_value,
                }]
            })
        });
        let data = ResponseDataAsn1 {
            version: None,
            responder_id: Any::new(ctx(true, 1), signer.subject().to_der()?)?,
            produced_at: gt(SystemTime::now())?,
            responses,
            response_extensions: exts.transpose()?,
        };
        let tbs = data.to_der()?;
        let (signature_algorithm, signature) = sig::sign(key, &tbs)?;
        let certs = (signer != issuer)
            .then(|| Any::from_der(signer.der()).map(|c| vec![c]))
            .transpose()?;
        let basic = BasicResponseAsn1 {
            tbs_response_data: Any::from_der(&tbs)?,
            signature_algorithm,
            signature: BitString::from_bytes(&signature)?,
            certs,
        };
        let outer = OcspResponseAsn1 {
            response_status: ResponseStatus::Successful,
            response_bytes: Some(ResponseBytesAsn1 {
                response_type: ID_PKIX_OCSP_BASIC,
                response: OctetString::new(basic.to_der()?)?,
            }),
        };
        Self::from_der(&outer.to_der()?)
    }
}

// ---- revocation source ----

/// OCSP responses the caller fetched, as a [`RevocationSource`]: for a certificate, the
/// responses with a single response about it (CertID recomputed against the candidate issuer)
/// are verified at the validation time with their expected nonce; the first that verifies
/// decides (good, revoked at or before the time, or unknown). When some cover the certificate
/// but none verifies, the first failure fails the path ([`PathErrorKind::Ocsp`]); when none
/// covers it, the answer is [`RevocationStatus::Unknown`].
///
/// Combined with CRLs through [`FirstAnswer`]: the sources are asked in order and the first
/// answer other than `Unknown` is final — so with `FirstAnswer::new(vec![&ocsp, &crls])` an OCSP
/// answer (good, revoked or failed) is not overridden by a CRL, and the CRLs are used only for
/// certificates no OCSP response covers.
#[derive(Clone, Debug, Default)]
pub struct OcspRevocation<'a> {
    entries: Vec<(&'a OcspResponse, Option<Vec<u8>>)>,
    opts: OcspOptions,
}

impl<'a> OcspRevocation<'a> {
    /// An empty source with these options (their `nonce` is ignored: nonces go with each
    /// response in [`OcspRevocation::add`]).
    pub fn new(opts: OcspOptions) -> Self {
        Self {
            entries: Vec::new(),
            opts,
        }
    }

    /// Adds a response, with the nonce extension value of the request it answers when the
    /// request had one.
    pub fn add(&mut self, response: &'a OcspResponse, nonce: Option<&[u8]>) -> &mut Self {
        self.entries.push((response, nonce.map(<[u8]>::to_vec)));
        self
    }
}

impl RevocationSource for OcspRevocation<'_> {
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
    ) -> RevocationStatus {
        let mut first_err = None;
        for (resp, nonce) in self.entries.iter().filter(|(r, _)| r.covers(cert, issuer)) {
            let opts = OcspOptions {
                nonce: nonce.clone(),
                ..self.opts.clone()
            };
            match resp.verify(cert, issuer, time, &opts) {
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
                    first_err.get_or_insert(e);
                }
            }
        }
        match first_err {
            Some(e) => RevocationStatus::Failed(PathErrorKind::Ocsp {
                kind: e.kind(),
                why: e.to_string(),
            }),
            None => RevocationStatus::Unknown,
        }
    }
}

/// Several revocation sources asked in order; the first answer other than `Unknown` is final.
pub struct FirstAnswer<'a> {
    sources: Vec<&'a dyn RevocationSource>,
}

impl<'a> FirstAnswer<'a> {
    /// These sources, in this order.
    pub fn new(sources: Vec<&'a dyn RevocationSource>) -> Self {
        Self { sources }
    }
}

impl RevocationSource for FirstAnswer<'_> {
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
    ) -> RevocationStatus {
        for s in &self.sources {
            match s.status(cert, issuer, time) {
                RevocationStatus::Unknown => {}
                other => return other,
            }
        }
        RevocationStatus::Unknown
    }
}
