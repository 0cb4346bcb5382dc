//! PKCS#10 certification requests (RFC 2986) with GOST keys: build and sign one with a DN and
//! requested extensions (the CA wizard's job), and parse one, checking its signature over the
//! CertificationRequestInfo bytes as received.

use der::asn1::BitString;
use der::{Decode, Encode};
use x509_cert::attr::Attribute;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo, ExtensionReq, Version};

use super::cert::first_inner_tlv;
use super::error::{Result, X509Error};
use super::sig::{self, SignatureAlgorithm};
use crate::asn1::{GostPublicKey, pem};
use crate::ec::{SignDigest, VerifyingKey};

/// PEM label of a request (RFC 7468 §7).
pub const CSR_LABEL: &str = "CERTIFICATE REQUEST";

/// A parsed PKCS#10 request.
#[derive(Clone, Debug)]
pub struct CertificationRequest {
    der: Vec<u8>,
    req: CertReq,
    key: GostPublicKey,
}

impl CertificationRequest {
    /// Builds and signs a request for `key` with `subject` and the `extensions` to request
    /// (carried in a PKCS#9 extensionRequest attribute when not empty).
    pub fn build(key: &dyn SignDigest, subject: &Name, extensions: &[Extension]) -> Result<Self> {
        let spki_der = GostPublicKey::from_verifying_key(key.public_key())?.to_der()?;
        let mut attributes = x509_cert::attr::Attributes::new();
        if !extensions.is_empty() {
            let attr = Attribute::try_from(ExtensionReq(extensions.to_vec()))?;
            attributes.insert(attr)?;
        }
        let info = CertReqInfo {
            version: Version::V1,
            subject: subject.clone(),
            public_key: spki::SubjectPublicKeyInfoOwned::from_der(&spki_der)?,
            attributes,
        };
        let info_der = info.to_der()?;
        let (alg, signature) = sig::sign(key, &info_der)?;
        let req = CertReq {
            info,
            algorithm: alg,
            signature: BitString::from_bytes(&signature)?,
        };
        Self::from_der(&req.to_der()?)
    }

    /// Parses a DER request (no trailing bytes); the subject key must be a GOST key.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let req = CertReq::from_der(der)?;
        let key = GostPublicKey::from_der(&req.info.public_key.to_der()?)?;
        Ok(Self {
            der: der.to_vec(),
            req,
            key,
        })
    }

    /// Parses a request in PEM (`CERTIFICATE REQUEST`, or the old `NEW CERTIFICATE REQUEST`)
    /// or DER.
    pub fn decode(input: &[u8]) -> Result<Self> {
        match pem::decode_any(input, CSR_LABEL) {
            Ok(der) => Self::from_der(&der),
            Err(crate::asn1::Asn1Error::PemLabel { .. }) => {
                Self::from_der(&pem::decode_pem(input, "NEW CERTIFICATE REQUEST")?)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The DER encoding as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The request as PEM.
    pub fn to_pem(&self) -> Result<String> {
        Ok(pem::encode_pem(CSR_LABEL, &self.der)?.to_string())
    }

    /// The requested subject name.
    pub fn subject(&self) -> &Name {
        &self.req.info.subject
    }

    /// The subject public key.
    pub fn public_key(&self) -> &GostPublicKey {
        &self.key
    }

    /// The extensions requested in an extensionRequest attribute (empty when none).
    pub fn requested_extensions(&self) -> Result<Vec<Extension>> {
        let mut out = Vec::new();
        for attr in self.req.info.attributes.iter() {
            if attr.oid == const_oid::db::rfc5912::ID_EXTENSION_REQ {
                for v in attr.values.iter() {
                    let exts: Vec<Extension> = v.decode_as()?;
                    out.extend(exts);
                }
            }
        }
        Ok(out)
    }

    /// Checks the request's signature with its own key (proof of possession).
    pub fn verify(&self) -> Result<()> {
        let alg = SignatureAlgorithm::from_identifier(
            &self.req.algorithm.oid,
            self.req.algorithm.parameters.as_ref().map(Into::into),
        )?;
        let vk: VerifyingKey = self.key.to_verifying_key()?;
        let sig = self
            .req
            .signature
            .as_bytes()
            .ok_or(X509Error::BadSignature)?;
        let range = first_inner_tlv(&self.der)?;
        let info = self.der.get(range).ok_or(X509Error::BadSignature)?;
        alg.verify(&vk, info, sig)
    }
}
