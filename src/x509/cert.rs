//! X.509 v3 certificates with GOST keys (RFC 5280 §4, RFC 9215, RFC 4491): parsed with
//! `x509-cert`, keeping the DER as received so signatures are checked over the exact bytes of
//! the TBSCertificate.

use std::time::SystemTime;

use const_oid::ObjectIdentifier;
use der::{Decode, Reader, SliceReader};
use x509_cert::ext::Extension;
use x509_cert::name::Name;

use super::error::{Result, X509Error};
use super::sig::SignatureAlgorithm;
use crate::asn1::{GostPublicKey, pem};
use crate::ec::VerifyingKey;

/// PEM label of a certificate (RFC 7468 §5.1).
pub const CERTIFICATE_LABEL: &str = "CERTIFICATE";

/// A parsed X.509 certificate with a GOST R 34.10 subject key.
#[derive(Clone, Debug)]
pub struct Certificate {
    der: Vec<u8>,
    tbs_range: core::ops::Range<usize>,
    cert: x509_cert::Certificate,
    key: GostPublicKey,
    sig_alg: Result<SignatureAlgorithm>,
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}
impl Eq for Certificate {}

/// A bundle entry left out by [`Certificate::decode_bundle`]: its position and why.
pub type SkippedCert = (usize, X509Error);

impl Certificate {
    /// Parses one DER certificate (no trailing bytes). The subject key must be a GOST key; the
    /// signature algorithm may be foreign (it only fails when the signature is checked).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let cert = x509_cert::Certificate::from_der(der)?;
        let tbs_range = tbs_range(der)?;
        let spki = der::Encode::to_der(cert.tbs_certificate().subject_public_key_info())?;
        let key = GostPublicKey::from_der(&spki)?;
        let alg = cert.signature_algorithm();
        let sig_alg =
            SignatureAlgorithm::from_identifier(&alg.oid, alg.parameters.as_ref().map(Into::into));
        Ok(Self {
            der: der.to_vec(),
            tbs_range,
            cert,
            key,
            sig_alg,
        })
    }

    /// Parses a certificate in PEM (`CERTIFICATE`) or DER.
    pub fn decode(input: &[u8]) -> Result<Self> {
        Self::from_der(&pem::decode_any(input, CERTIFICATE_LABEL)?)
    }

    /// Every certificate of a PEM bundle (all `CERTIFICATE` blocks, other blocks skipped) or of
    /// a single DER certificate.
    pub fn decode_all(input: &[u8]) -> Result<Vec<Self>> {
        if !pem::contains_pem(input) {
            return Ok(vec![Self::from_der(input)?]);
        }
        let blocks = pem::decode_all(input, CERTIFICATE_LABEL)?;
        if blocks.is_empty() {
            return Err(X509Error::Invalid("no CERTIFICATE block in the PEM input"));
        }
        blocks.iter().map(|b| Self::from_der(b)).collect()
    }

    /// Like [`Certificate::decode_all`], but a certificate whose subject key is not a GOST key
    /// (RSA, ECDSA… in a mixed CA bundle) is skipped and reported instead of failing the whole
    /// bundle: returns the GOST certificates and, per skipped block, its position and why.
    /// Malformed blocks still fail.
    pub fn decode_bundle(input: &[u8]) -> Result<(Vec<Self>, Vec<SkippedCert>)> {
        let blocks: Vec<Vec<u8>> = if pem::contains_pem(input) {
            let blocks = pem::decode_all(input, CERTIFICATE_LABEL)?;
            if blocks.is_empty() {
                return Err(X509Error::Invalid("no CERTIFICATE block in the PEM input"));
            }
            blocks
        } else {
            vec![input.to_vec()]
        };
        let mut certs = Vec::with_capacity(blocks.len());
        let mut skipped = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            match Self::from_der(block) {
                Ok(c) => certs.push(c),
                Err(e) if e.kind() == crate::ErrorKind::Unsupported => skipped.push((i, e)),
                Err(e) => return Err(e),
            }
        }
        Ok((certs, skipped))
    }

    /// The certificate as PEM.
    pub fn to_pem(&self) -> Result<String> {
        Ok(pem::encode_pem(CERTIFICATE_LABEL, &self.der)?.to_string())
    }

    /// The DER encoding, as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER of the TBSCertificate, as received (what the issuer signed).
    pub fn tbs_der(&self) -> &[u8] {
        // The range was found in `der` when the certificate was parsed.
        self.der.get(self.tbs_range.clone()).unwrap_or_default()
    }

    /// The `x509-cert` structure, for fields without an accessor here.
    pub fn inner(&self) -> &x509_cert::Certificate {
        &self.cert
    }

    /// Subject name.
    pub fn subject(&self) -> &Name {
        self.cert.tbs_certificate().subject()
    }

    /// Issuer name.
    pub fn issuer(&self) -> &Name {
        self.cert.tbs_certificate().issuer()
    }

    /// Serial number bytes as encoded (big-endian, two's complement, possibly a leading 00).
    pub fn serial(&self) -> &[u8] {
        self.cert.tbs_certificate().serial_number().as_bytes()
    }

    /// Start of the validity period.
    pub fn not_before(&self) -> SystemTime {
        self.cert
            .tbs_certificate()
            .validity()
            .not_before
            .to_system_time()
    }

    /// End of the validity period (inclusive, RFC 5280 §4.1.2.5).
    pub fn not_after(&self) -> SystemTime {
        self.cert
            .tbs_certificate()
            .validity()
            .not_after
            .to_system_time()
    }

    /// The subject's public key with its parameters.
    pub fn public_key(&self) -> &GostPublicKey {
        &self.key
    }

    /// The subject's public key as a curve point (checked on the curve and in the subgroup).
    pub fn verifying_key(&self) -> Result<VerifyingKey> {
        Ok(self.key.to_verifying_key()?)
    }

    /// The signature algorithm, if it is a GOST one.
    pub fn signature_algorithm(&self) -> Result<SignatureAlgorithm> {
        self.sig_alg.clone()
    }

    /// The OID of the signature algorithm, whatever it is.
    pub fn signature_algorithm_oid(&self) -> ObjectIdentifier {
        self.cert.signature_algorithm().oid
    }

    /// Checks the certificate's signature with the issuer's key.
    pub fn verify_signed_by(&self, issuer_key: &VerifyingKey) -> Result<()> {
        let alg = self.sig_alg.clone()?;
        let sig = self
            .cert
            .signature()
            .as_bytes()
            .ok_or(X509Error::BadSignature)?;
        alg.verify(issuer_key, self.tbs_der(), sig)
    }

    /// True when subject and issuer are the same name (RFC 5280 §6.1: self-issued).
    pub fn is_self_issued(&self) -> bool {
        super::name::names_match(self.subject(), self.issuer())
    }

    /// Every extension, in order.
    pub fn extensions(&self) -> &[Extension] {
        self.cert
            .tbs_certificate()
            .extensions()
            .map(|e| e.as_slice())
            .unwrap_or(&[])
    }

    /// The extension with this OID, if present (the first one; duplicates are refused by
    /// validation).
    pub fn extension(&self, oid: &ObjectIdentifier) -> Option<&Extension> {
        self.extensions().iter().find(|e| e.extn_id == *oid)
    }
}

/// Byte range of the TBSCertificate TLV inside the certificate's DER.
pub(crate) fn tbs_range(der: &[u8]) -> Result<core::ops::Range<usize>> {
    first_inner_tlv(der)
}

/// Byte range of the first element inside the outer SEQUENCE (the to-be-signed part of a
/// certificate, request or CRL).
pub(crate) fn first_inner_tlv(der: &[u8]) -> Result<core::ops::Range<usize>> {
    let mut r = SliceReader::new(der)?;
    der::Header::decode(&mut r)?;
    let start = u32::from(r.position()) as usize;
    let tlv = r.tlv_bytes()?;
    Ok(start..start + tlv.len())
}
