//! A time-stamping authority (RFC 3161 §2.1, §2.4.2): answers requests with a caller's key,
//! certificate and clock. For tests, and for users who run a TSA behind their own transport.
//!
//! The token: TSTInfo (version 1, the policy, the request's imprint, a serial, genTime with the
//! configured fraction digits, optional accuracy, ordering and tsa name, the request's nonce)
//! in a SignedData (version 3) with one SignerInfo: issuerAndSerialNumber, the Streebog digest
//! of the key's size, signed attributes contentType id-ct-TSTInfo, signingTime (genTime in
//! seconds), messageDigest and signing-certificate-v2 with a Streebog-256 hash; the TSA
//! certificate and chain when certReq asks. A request gostkit cannot read or honour gets a
//! rejection (badDataFormat, badAlg, unacceptedPolicy, unacceptedExtension), not an error.

use std::time::SystemTime;

use const_oid::ObjectIdentifier;

use super::MAX_INT_LEN;
use super::asn::uint_content;
use super::request::{TimeStampReq, hash_oid};
use super::response::{Accuracy, FailureInfo, PkiStatus, TimeStampResp, TsaName, TstInfo};
use super::verify::check_tsa_certificate;
use crate::cms::error::{CmsError, Result};
use crate::cms::signed::{SignOptions, assemble, signer_info};
use crate::ec::SignDigest;
use crate::hash::HashAlg;
use crate::oid;
use crate::x509::Certificate;

/// What a [`Tsa`] writes and accepts.
#[derive(Debug, Clone)]
pub struct TsaOptions {
    /// The policy of tokens whose request names none.
    pub policy: ObjectIdentifier,
    /// Further policies a request may ask for.
    pub other_policies: Vec<ObjectIdentifier>,
    /// Imprint algorithms accepted (default Streebog-256 and Streebog-512).
    pub hash_algs: Vec<HashAlg>,
    /// accuracy to write, if any.
    pub accuracy: Option<Accuracy>,
    /// ordering.
    pub ordering: bool,
    /// Write the TSA certificate's subject as the tsa field.
    pub tsa_name: bool,
    /// Fraction-of-second digits of genTime, 0–6 (default 0).
    pub precision_digits: u8,
    /// Certificates to add to the token after the TSA's own when certReq is set (the chain).
    pub chain: Vec<Certificate>,
}

impl TsaOptions {
    /// Tokens under `policy`, Streebog-256/512 imprints, no accuracy, whole seconds.
    pub fn new(policy: ObjectIdentifier) -> Self {
        Self {
            policy,
            other_policies: Vec::new(),
            hash_algs: vec![HashAlg::Streebog256, HashAlg::Streebog512],
            accuracy: None,
            ordering: false,
            tsa_name: false,
            precision_digits: 0,
            chain: Vec::new(),
        }
    }
}

/// The profile of a TSA certificate (RFC 3161 §2.3) for [`crate::x509::issue`]: an end-entity
/// certificate valid from now for `days` days, keyUsage digitalSignature + nonRepudiation (as
/// OpenSSL's timestamp-signing purpose requires), and one critical extKeyUsage holding only
/// id-kp-timeStamping.
pub fn tsa_issue_options(days: u32) -> Result<crate::x509::issue::IssueOptions> {
    use ::der::Encode;
    use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsages};
    let mut o = crate::x509::issue::IssueOptions::days(days);
    o.key_usage = Some(
        ::der::flagset::FlagSet::from(KeyUsages::DigitalSignature) | KeyUsages::NonRepudiation,
    );
    let eku = ExtendedKeyUsage(vec![oid::KP_TIME_STAMPING]).to_der()?;
    o.extensions = vec![x509_cert::ext::Extension {
        extn_id: const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE,
        critical: true,
        extn_value: ::der::asn1::OctetString::new(eku)?,
    }];
    Ok(o)
}

/// A time-stamping authority: its certificate, its key and what it writes.
pub struct Tsa<'a> {
    cert: &'a Certificate,
    key: &'a dyn SignDigest,
    opts: TsaOptions,
}

impl core::fmt::Debug for Tsa<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tsa")
            .field("cert", &crate::x509::name::to_rfc4514(self.cert.subject()))
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

/// A fresh positive 16-byte serial number.
fn random_serial() -> Result<Vec<u8>> {
    let mut s = [0u8; 16];
    getrandom::fill(&mut s).map_err(|_| CmsError::from(crate::ec::EcError::RandomSourceFailed))?;
    s[0] = (s[0] & 0x7f) | 0x01;
    Ok(s.to_vec())
}

impl<'a> Tsa<'a> {
    /// A TSA signing with `key` for `cert`. The key must belong to the certificate; the
    /// certificate need not be a proper TSA certificate (tests make broken ones), but
    /// verifiers check that (RFC 3161 §2.3) — [`Tsa::check_certificate`] says whether it is.
    pub fn new(cert: &'a Certificate, key: &'a dyn SignDigest, opts: TsaOptions) -> Result<Self> {
        if !cert.matches_key(key) {
            return Err(CmsError::KeyMismatch);
        }
        if opts.precision_digits > 6 {
            return Err(CmsError::Invalid("precision digits above 6"));
        }
        Ok(Self { cert, key, opts })
    }

    /// Whether the certificate is a TSA certificate by RFC 3161 §2.3.
    pub fn check_certificate(&self) -> Result<()> {
        check_tsa_certificate(self.cert)
    }

    /// Answers the DER request `request` at `time` (the caller's clock) with a token of serial
    /// `serial` (a big-endian non-negative number; random 128 bits when None), or a rejection
    /// for a request it cannot honour. Err only when signing fails.
    pub fn respond(
        &self,
        request: &[u8],
        time: SystemTime,
        serial: Option<&[u8]>,
    ) -> Result<Vec<u8>> {
        match TimeStampReq::parse(request) {
            Ok(req) => self.respond_to(&req, time, serial),
            Err(CmsError::UnsupportedAlgorithm(_)) => Ok(Self::rejection(
                FailureInfo::BAD_ALG,
                "unsupported message imprint algorithm",
            )),
            Err(_) => Ok(Self::rejection(
                FailureInfo::BAD_DATA_FORMAT,
                "malformed time-stamp request",
            )),
        }
    }

    /// Answers a parsed request (see [`Tsa::respond`]).
    pub fn respond_to(
        &self,
        req: &TimeStampReq,
        time: SystemTime,
        serial: Option<&[u8]>,
    ) -> Result<Vec<u8>> {
        if !self.opts.hash_algs.contains(&req.hash_alg()) {
            return Ok(Self::rejection(
                FailureInfo::BAD_ALG,
                "message imprint algorithm not accepted",
            ));
        }
        let policy = match req.policy() {
            None => self.opts.policy,
            Some(p) if *p == self.opts.policy || self.opts.other_policies.contains(p) => *p,
            Some(_) => {
                return Ok(Self::rejection(
                    FailureInfo::UNACCEPTED_POLICY,
                    "requested policy not accepted",
                ));
            }
        };
        if !req.extensions().is_empty() {
            return Ok(Self::rejection(
                FailureInfo::UNACCEPTED_EXTENSION,
                "request extensions are not supported",
            ));
        }
        let serial = match serial {
            Some(s) => uint_content(s),
            None => random_serial()?,
        };
        if serial.len() > MAX_INT_LEN {
            return Err(CmsError::Invalid("serial number longer than 64 bytes"));
        }
        let info = TstInfo {
            policy,
            hash_alg: hash_oid(req.hash_alg()),
            imprint: req.imprint().to_vec(),
            serial,
            gen_time: time,
            accuracy: self.opts.accuracy,
            ordering: self.opts.ordering,
            nonce: req.nonce().map(<[u8]>::to_vec),
            tsa: self
                .opts
                .tsa_name
                .then(|| TsaName::Directory(self.cert.subject().clone())),
            extensions: Vec::new(),
        };
        let tst = info.to_der(self.opts.precision_digits)?;
        let token = self.sign(&tst, time, req.cert_req())?;
        Ok(TimeStampResp::encode(
            PkiStatus::Granted,
            None,
            FailureInfo::empty(),
            Some(&token),
        ))
    }

    /// The SignedData token around a DER TSTInfo.
    fn sign(&self, tst: &[u8], time: SystemTime, cert_req: bool) -> Result<Vec<u8>> {
        let (hash, hash_oid) = if self.key.param_set().bits() == 512 {
            (HashAlg::Streebog512, oid::STREEBOG_512)
        } else {
            (HashAlg::Streebog256, oid::STREEBOG_256)
        };
        let opts = SignOptions {
            signing_time: Some(time),
            ..SignOptions::default()
        };
        let si = signer_info(
            self.cert,
            self.key,
            &oid::CT_TST_INFO,
            &hash.digest(tst),
            &opts,
        )?;
        let mut certs = Vec::new();
        if cert_req {
            certs.push(self.cert.der().to_vec());
            certs.extend(self.opts.chain.iter().map(|c| c.der().to_vec()));
        }
        Ok(assemble(
            &[hash_oid],
            &oid::CT_TST_INFO,
            Some(tst),
            &certs,
            vec![si],
            false,
        ))
    }

    /// A DER rejection response (status rejection) with `fail_info` and `text`.
    pub fn rejection(fail_info: FailureInfo, text: &str) -> Vec<u8> {
        TimeStampResp::encode(PkiStatus::Rejection, Some(text), fail_info, None)
    }
}
