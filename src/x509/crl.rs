//! Certificate revocation lists (RFC 5280 §5): parse (PEM `X509 CRL` or DER), check the issuer's
//! signature over the TBSCertList as received, look up a serial; and issue a CRL from a CA key
//! (for tests, the demo and small CAs).

use std::time::SystemTime;

use der::asn1::BitString;
use der::{Decode, Encode};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::CrlReason;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use super::cert::{Certificate, first_inner_tlv};
use super::error::{Result, X509Error};
use super::sig::{self, SignatureAlgorithm};
use crate::asn1::pem;
use crate::ec::{SignDigest, VerifyingKey};

/// PEM label of a CRL (RFC 7468 §6).
pub const CRL_LABEL: &str = "X509 CRL";

/// A parsed CRL.
#[derive(Clone, Debug)]
pub struct Crl {
    der: Vec<u8>,
    crl: CertificateList,
}

/// A revocation entry: when, and why (the CRLReason name) when the entry says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// revocationDate.
    pub date: SystemTime,
    /// reasonCode, as its RFC 5280 name (`keyCompromise`…).
    pub reason: Option<&'static str>,
}

pub(crate) fn reason_name(r: CrlReason) -> &'static str {
    match r {
        CrlReason::Unspecified => "unspecified",
        CrlReason::KeyCompromise => "keyCompromise",
        CrlReason::CaCompromise => "cACompromise",
        CrlReason::AffiliationChanged => "affiliationChanged",
        CrlReason::Superseded => "superseded",
        CrlReason::CessationOfOperation => "cessationOfOperation",
        CrlReason::CertificateHold => "certificateHold",
        CrlReason::RemoveFromCRL => "removeFromCRL",
        CrlReason::PrivilegeWithdrawn => "privilegeWithdrawn",
        CrlReason::AaCompromise => "aACompromise",
    }
}

impl Crl {
    /// Parses a DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        Ok(Self {
            der: der.to_vec(),
            crl: CertificateList::from_der(der)?,
        })
    }

    /// Parses a CRL in PEM (`X509 CRL`) or DER.
    pub fn decode(input: &[u8]) -> Result<Self> {
        Self::from_der(&pem::decode_any(input, CRL_LABEL)?)
    }

    /// Every CRL of a PEM bundle, or the one DER CRL.
    pub fn decode_all(input: &[u8]) -> Result<Vec<Self>> {
        if !pem::contains_pem(input) {
            return Ok(vec![Self::from_der(input)?]);
        }
        pem::decode_all(input, CRL_LABEL)?
            .iter()
            .map(|d| Self::from_der(d))
            .collect()
    }

    /// DER as received.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// PEM form.
    pub fn to_pem(&self) -> Result<String> {
        Ok(pem::encode_pem(CRL_LABEL, &self.der)?.to_string())
    }

    /// The issuer's name.
    pub fn issuer(&self) -> &Name {
        &self.crl.tbs_cert_list.issuer
    }

    /// thisUpdate.
    pub fn this_update(&self) -> SystemTime {
        self.crl.tbs_cert_list.this_update.to_system_time()
    }

    /// nextUpdate, if given.
    pub fn next_update(&self) -> Option<SystemTime> {
        self.crl
            .tbs_cert_list
            .next_update
            .map(|t| t.to_system_time())
    }

    /// Checks the CRL's signature with the issuer's key.
    pub fn verify_signed_by(&self, key: &VerifyingKey) -> Result<()> {
        let alg = SignatureAlgorithm::from_identifier(
            &self.crl.signature_algorithm.oid,
            self.crl
                .signature_algorithm
                .parameters
                .as_ref()
                .map(Into::into),
        )?;
        let sig = self
            .crl
            .signature
            .as_bytes()
            .ok_or(X509Error::BadSignature)?;
        let range = first_inner_tlv(&self.der)?;
        let tbs = self.der.get(range).ok_or(X509Error::BadSignature)?;
        alg.verify(key, tbs, sig)
    }

    /// A critical CRL extension gostkit does not know (RFC 5280 §5.2: such a CRL must not be
    /// used), if any.
    pub fn unknown_critical_extension(&self) -> Option<const_oid::ObjectIdentifier> {
        use const_oid::db::rfc5280 as ids;
        let known = [
            ids::ID_CE_CRL_NUMBER,
            ids::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            ids::ID_CE_ISSUING_DISTRIBUTION_POINT,
            ids::ID_CE_DELTA_CRL_INDICATOR,
        ];
        self.crl
            .tbs_cert_list
            .crl_extensions
            .iter()
            .flatten()
            .find(|e| e.critical && !known.contains(&e.extn_id))
            .map(|e| e.extn_id)
    }

    /// The revocation entry for `serial` (bytes as in the certificate), if listed.
    pub fn revocation(&self, serial: &[u8]) -> Option<Revocation> {
        let entry = self
            .crl
            .tbs_cert_list
            .revoked_certificates
            .iter()
            .flatten()
            .find(|r| r.serial_number.as_bytes() == serial)?;
        let reason = entry
            .crl_entry_extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_CRL_REASONS)
            .and_then(|e| CrlReason::from_der(e.extn_value.as_bytes()).ok())
            .map(reason_name);
        Some(Revocation {
            date: entry.revocation_date.to_system_time(),
            reason,
        })
    }

    /// Issues a CRL from `issuer` (whose key is `key`) listing `revoked` (serial, date, reason).
    pub fn issue(
        issuer: &Certificate,
        key: &dyn SignDigest,
        this_update: SystemTime,
        next_update: SystemTime,
        revoked: &[(Vec<u8>, SystemTime, Option<CrlReason>)],
    ) -> Result<Self> {
        if !issuer.matches_key(key) {
            return Err(X509Error::KeyMismatch);
        }
        let t = super::issue::time;
        let mut entries: Vec<RevokedCert> = Vec::new();
        for (serial, date, reason) in revoked {
            let exts = match reason {
                Some(r) => Some(vec![x509_cert::ext::Extension {
                    extn_id: const_oid::db::rfc5280::ID_CE_CRL_REASONS,
                    critical: false,
                    extn_value: der::asn1::OctetString::new(r.to_der()?)?,
                }]),
                None => None,
            };
            entries.push(RevokedCert {
                serial_number: SerialNumber::new(serial)?,
                revocation_date: t(*date)?,
                crl_entry_extensions: exts,
            });
        }
        let alg = SignatureAlgorithm::for_key_bits(key.param_set().bits()).identifier();
        let tbs = TbsCertList {
            version: x509_cert::certificate::Version::V2,
            signature: alg,
            issuer: issuer.subject().clone(),
            this_update: t(this_update)?,
            next_update: Some(t(next_update)?),
            revoked_certificates: (!entries.is_empty()).then_some(entries),
            crl_extensions: None,
        };
        let (signature_algorithm, signature) = sig::sign(key, &tbs.to_der()?)?;
        let crl = CertificateList {
            tbs_cert_list: tbs,
            signature_algorithm,
            signature: BitString::from_bytes(&signature)?,
        };
        Self::from_der(&crl.to_der()?)
    }
}
