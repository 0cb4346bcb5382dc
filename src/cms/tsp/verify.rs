//! Time-stamp tokens (RFC 3161 §2.4.2): parsing and verification.
//!
//! A token verifies when (RFC 3161 §2.3, §2.4.2, RFC 5816 §2):
//! 1. it is a SignedData with exactly one signer and eContentType id-ct-TSTInfo;
//! 2. the TSA certificate (in the token, or given) has exactly one extKeyUsage extension,
//!    critical, holding only id-kp-timeStamping, and a keyUsage (when present) allowing
//!    digitalSignature or nonRepudiation; a directoryName in the tsa field is its subject;
//! 3. the signature checks out (contentType id-ct-TSTInfo, messageDigest, GOST signature);
//! 4. a signing-certificate (ESSCertID, SHA-1) or signing-certificate-v2 (ESSCertIDv2 with its
//!    hashAlgorithm: Streebog-256/512, SHA-256…) signed attribute names the TSA certificate;
//! 5. TSTInfo has no critical extension; its imprint is the hash of the data (with the
//!    request's algorithm when a request is given), its nonce and policy the request's;
//! 6. the TSA certificate's chain validates with the caller's store at genTime (or the
//!    caller's time), with id-kp-timeStamping required.

use std::time::SystemTime;

use const_oid::ObjectIdentifier;

use super::request::{TimeStampReq, hash_oid};
use super::response::{Accuracy, TsaName, TstInfo};
use crate::cms::error::{CmsError, Result};
use crate::cms::signed::{
    SignedMessage, Usage, VerifyOptions, check_signing_certificate, hash_alg_of,
};
use crate::hash::HashAlg;
use crate::oid;
use crate::x509::Certificate;
use crate::x509::name::{names_match, to_rfc4514};
use crate::x509::path::{RevocationPolicy, ValidationOptions};
use crate::x509::store::CertStore;

/// A parsed time-stamp token: the SignedData and its TSTInfo.
#[derive(Debug, Clone)]
pub struct TimeStampToken {
    der: Vec<u8>,
    message: SignedMessage,
    info: TstInfo,
}

/// How to verify a token.
#[derive(Debug, Clone)]
pub struct TokenVerifyOptions {
    /// The time the TSA's chain is validated at; None = the token's genTime (the default).
    pub time: Option<SystemTime>,
    /// Revocation checking of the TSA's chain (CRLs of the store).
    pub revocation: RevocationPolicy,
    /// TSA certificates (and intermediates) not carried in the token.
    pub extra: Vec<Certificate>,
}

impl Default for TokenVerifyOptions {
    fn default() -> Self {
        Self {
            time: None,
            revocation: RevocationPolicy::WhenAvailable,
            extra: Vec::new(),
        }
    }
}

/// What a verified token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampReport {
    /// genTime.
    pub gen_time: SystemTime,
    /// accuracy, when the TSA gave one.
    pub accuracy: Option<Accuracy>,
    /// The TSA policy.
    pub policy: ObjectIdentifier,
    /// serialNumber (INTEGER contents).
    pub serial: Vec<u8>,
    /// The nonce, when present.
    pub nonce: Option<Vec<u8>>,
    /// ordering.
    pub ordering: bool,
    /// The imprint's hash algorithm.
    pub hash_alg: HashAlg,
    /// The hash algorithm of the signing-certificate attribute that named the TSA (SHA-1 for
    /// ESSCertID, else ESSCertIDv2's).
    pub ess_hash_alg: ObjectIdentifier,
    /// The TSA certificate's subject (RFC 4514).
    pub tsa_subject: String,
    /// The TSA certificate.
    pub tsa_cert: Certificate,
    /// The validated path, TSA certificate → trust anchor.
    pub path: Vec<Certificate>,
    /// The time the chain was validated at (genTime unless the caller chose one).
    pub validated_at: SystemTime,
}

impl TimeStampToken {
    /// Parses a token (a ContentInfo SignedData, DER/BER/PEM) and its TSTInfo.
    pub fn parse(input: &[u8]) -> Result<Self> {
        let message = SignedMessage::parse_with(input, &VerifyOptions { max_signers: 1 })?;
        if message.content_type != oid::CT_TST_INFO {
            return Err(CmsError::Invalid(
                "time-stamp token content is not id-ct-TSTInfo",
            ));
        }
        if message.signers.len() != 1 {
            return Err(CmsError::Invalid("time-stamp token without its signer"));
        }
        let content = message
            .content
            .as_deref()
            .ok_or(CmsError::Invalid("time-stamp token without TSTInfo"))?;
        let info = TstInfo::parse(content)?;
        let der = crate::cms::signed::decode_input(input)?;
        Ok(Self { der, message, info })
    }

    /// The token's DER ContentInfo (what goes into a signatureTimeStampToken attribute).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The TSTInfo.
    pub fn info(&self) -> &TstInfo {
        &self.info
    }

    /// The SignedData.
    pub fn message(&self) -> &SignedMessage {
        &self.message
    }

    /// Verifies the token as the answer to `request`: as [`TimeStampToken::verify_digest`]
    /// with the request's imprint (algorithm and hash), and the nonce (when the request had
    /// one) and policy (when the request asked for one) must be the request's.
    pub fn verify_request(
        &self,
        request: &TimeStampReq,
        store: &CertStore,
        opts: &TokenVerifyOptions,
    ) -> Result<TimeStampReport> {
        self.verify_inner(
            request.hash_alg(),
            request.imprint(),
            Some(request),
            store,
            opts,
        )
    }

    /// Verifies the token over `data`, hashed with the token's imprint algorithm (no request at
    /// hand, e.g. a stored token: no nonce to compare).
    pub fn verify_data(
        &self,
        data: &[u8],
        store: &CertStore,
        opts: &TokenVerifyOptions,
    ) -> Result<TimeStampReport> {
        let alg = hash_alg_of(&self.info.hash_alg)?;
        self.verify_digest(alg, &alg.digest(data), store, opts)
    }

    /// Verifies the token over a digest computed with `alg` (the checks of the module doc, in
    /// that order; the first failure is returned).
    pub fn verify_digest(
        &self,
        alg: HashAlg,
        digest: &[u8],
        store: &CertStore,
        opts: &TokenVerifyOptions,
    ) -> Result<TimeStampReport> {
        self.verify_inner(alg, digest, None, store, opts)
    }

    fn verify_inner(
        &self,
        alg: HashAlg,
        digest: &[u8],
        request: Option<&TimeStampReq>,
        store: &CertStore,
        opts: &TokenVerifyOptions,
    ) -> Result<TimeStampReport> {
        let cert = self.tsa_certificate(store, &opts.extra)?;
        check_tsa_certificate(&cert)?;
        if let Some(TsaName::Directory(name)) = &self.info.tsa
            && !names_match(name, cert.subject())
        {
            return Err(CmsError::TsaCertificate(
                "the token's tsa name is not the TSA certificate's subject",
            ));
        }
        let signer = self
            .message
            .signers
            .first()
            .ok_or(CmsError::Invalid("time-stamp token without its signer"))?;
        let content = self
            .message
            .content
            .as_deref()
            .ok_or(CmsError::Invalid("time-stamp token without TSTInfo"))?;
        let content_alg = hash_alg_of(&signer.digest_alg)?;
        let digests = [(content_alg, content_alg.digest(content))];
        self.message
            .check_signer(signer, &cert, &digests, Usage::TimeStamping)?;
        let attrs = signer.signed_attrs.as_deref().ok_or(CmsError::Invalid(
            "time-stamp token without signed attributes",
        ))?;
        let ess_hash_alg = check_signing_certificate(attrs, &cert)?.ok_or(CmsError::Invalid(
            "time-stamp token without a signing-certificate attribute",
        ))?;
        if self.info.extensions.iter().any(|e| e.critical) {
            return Err(CmsError::Unsupported("critical TSTInfo extension"));
        }
        if self.info.hash_alg != hash_oid(alg) || self.info.imprint != digest {
            return Err(CmsError::ImprintMismatch);
        }
        if let Some(n) = request.and_then(TimeStampReq::nonce)
            && self.info.nonce.as_deref() != Some(n)
        {
            return Err(CmsError::NonceMismatch);
        }
        if let Some(p) = request.and_then(TimeStampReq::policy)
            && self.info.policy != *p
        {
            return Err(CmsError::PolicyMismatch);
        }
        let at = opts.time.unwrap_or(self.info.gen_time);
        let mut vo = ValidationOptions::at(at);
        vo.revocation = opts.revocation;
        vo.required_eku = Some(oid::KP_TIME_STAMPING);
        let mut untrusted = self.message.certificates.clone();
        untrusted.extend(opts.extra.iter().cloned());
        let path = store
            .validate(&cert, &untrusted, &vo)
            .map_err(CmsError::Chain)?;
        Ok(TimeStampReport {
            gen_time: self.info.gen_time,
            accuracy: self.info.accuracy,
            policy: self.info.policy,
            serial: self.info.serial.clone(),
            nonce: self.info.nonce.clone(),
            ordering: self.info.ordering,
            hash_alg: alg,
            ess_hash_alg,
            tsa_subject: to_rfc4514(cert.subject()),
            tsa_cert: cert,
            path,
            validated_at: at,
        })
    }

    /// The signer's certificate: in the token, among `extra`, or in the store.
    fn tsa_certificate(&self, store: &CertStore, extra: &[Certificate]) -> Result<Certificate> {
        let signer = self
            .message
            .signers
            .first()
            .ok_or(CmsError::Invalid("time-stamp token without its signer"))?;
        self.message
            .certificates
            .iter()
            .chain(extra)
            .chain(store.entries().iter().map(|e| &e.cert))
            .find(|c| signer.id.matches(c))
            .cloned()
            .ok_or(CmsError::SignerNotFound)
    }
}

/// RFC 3161 §2.3: the TSA certificate has exactly one extKeyUsage extension, critical, with
/// id-kp-timeStamping as its only purpose; a keyUsage, when present, allows digitalSignature or
/// nonRepudiation.
pub(crate) fn check_tsa_certificate(cert: &Certificate) -> Result<()> {
    let eku_oid = const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE;
    let mut ekus = cert.extensions().iter().filter(|e| e.extn_id == eku_oid);
    let eku = ekus
        .next()
        .ok_or(CmsError::TsaCertificate("no extKeyUsage extension"))?;
    if ekus.next().is_some() {
        return Err(CmsError::TsaCertificate("two extKeyUsage extensions"));
    }
    if !eku.critical {
        return Err(CmsError::TsaCertificate("extKeyUsage is not critical"));
    }
    if cert.ext_key_usage()? != [oid::KP_TIME_STAMPING] {
        return Err(CmsError::TsaCertificate(
            "extKeyUsage holds other purposes than id-kp-timeStamping",
        ));
    }
    if let Some(ku) = cert.key_usage()?
        && !ku.digital_signature()
        && !ku.non_repudiation()
    {
        return Err(CmsError::TsaCertificate(
            "keyUsage allows neither digitalSignature nor nonRepudiation",
        ));
    }
    Ok(())
}
