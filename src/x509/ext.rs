//! Typed certificate extensions (RFC 5280 §4.2) and the Russian qualified-certificate ones
//! (subjectSignTool, issuerSignTool, IdentificationKind, the KC1…KA1 policies), plus
//! thumbprints. Absent → `Ok(None)` (or an empty list); present but malformed → an error.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS;
use der::asn1::Utf8StringRef;
use der::{Decode, Encode};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
    ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};

use super::cert::Certificate;
use super::error::{Result, X509Error};
use super::name::RussianIds;
use crate::hash::Streebog256;
use crate::oid;

/// keyUsage bits with the names `CLI.md` uses, in bit order.
pub const KEY_USAGE_NAMES: [(KeyUsages, &str); 9] = [
    (KeyUsages::DigitalSignature, "digitalSignature"),
    (KeyUsages::NonRepudiation, "nonRepudiation"),
    (KeyUsages::KeyEncipherment, "keyEncipherment"),
    (KeyUsages::DataEncipherment, "dataEncipherment"),
    (KeyUsages::KeyAgreement, "keyAgreement"),
    (KeyUsages::KeyCertSign, "keyCertSign"),
    (KeyUsages::CRLSign, "cRLSign"),
    (KeyUsages::EncipherOnly, "encipherOnly"),
    (KeyUsages::DecipherOnly, "decipherOnly"),
];

impl Certificate {
    fn ext_value<'a, T: Decode<'a>>(&'a self, oid: &ObjectIdentifier) -> Result<Option<T>> {
        match self.extension(oid) {
            None => Ok(None),
            Some(e) => T::from_der(e.extn_value.as_bytes())
                .map(Some)
                .map_err(|_| X509Error::Invalid("malformed extension value")),
        }
    }

    /// keyUsage bits, if the extension is present.
    pub fn key_usage(&self) -> Result<Option<KeyUsage>> {
        self.ext_value(&const_oid::db::rfc5280::ID_CE_KEY_USAGE)
    }

    /// keyUsage bit names (`digitalSignature`, `keyCertSign`…); empty when absent.
    pub fn key_usage_names(&self) -> Result<Vec<&'static str>> {
        Ok(match self.key_usage()? {
            None => Vec::new(),
            Some(ku) => KEY_USAGE_NAMES
                .iter()
                .filter(|(bit, _)| ku.0.contains(*bit))
                .map(|(_, n)| *n)
                .collect(),
        })
    }

    /// extendedKeyUsage purposes; empty when absent.
    pub fn ext_key_usage(&self) -> Result<Vec<ObjectIdentifier>> {
        Ok(self
            .ext_value::<ExtendedKeyUsage>(&const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE)?
            .map(|e| e.0)
            .unwrap_or_default())
    }

    /// basicConstraints as (cA, pathLenConstraint), if present.
    pub fn basic_constraints(&self) -> Result<Option<(bool, Option<u8>)>> {
        Ok(self
            .ext_value::<BasicConstraints>(&const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS)?
            .map(|b| (b.ca, b.path_len_constraint)))
    }

    /// True when basicConstraints says cA (a CA certificate).
    pub fn is_ca(&self) -> Result<bool> {
        Ok(self.basic_constraints()?.is_some_and(|(ca, _)| ca))
    }

    /// subjectKeyIdentifier bytes, if present.
    pub fn subject_key_id(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .ext_value::<SubjectKeyIdentifier>(
                &const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
            )?
            .map(|s| s.0.as_bytes().to_vec()))
    }

    /// authorityKeyIdentifier keyIdentifier bytes, if present.
    pub fn authority_key_id(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .ext_value::<AuthorityKeyIdentifier>(
                &const_oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            )?
            .and_then(|a| a.key_identifier.map(|k| k.as_bytes().to_vec())))
    }

    /// certificatePolicies OIDs (e.g. 1.2.643.100.113.1 for KC1); empty when absent.
    pub fn policies(&self) -> Result<Vec<ObjectIdentifier>> {
        Ok(self
            .ext_value::<CertificatePolicies>(&const_oid::db::rfc5280::ID_CE_CERTIFICATE_POLICIES)?
            .map(|p| p.0.into_iter().map(|i| i.policy_identifier).collect())
            .unwrap_or_default())
    }

    /// subjectSignTool (1.2.643.100.111), if present.
    pub fn subject_sign_tool(&self) -> Result<Option<String>> {
        Ok(self
            .ext_value::<Utf8StringRef<'_>>(&oid::EXT_SUBJECT_SIGN_TOOL)?
            .map(|s| s.as_str().to_owned()))
    }

    /// issuerSignTool (1.2.643.100.112): the issuer's signature tool, CA tool, and the two
    /// conformity certificates, if present.
    pub fn issuer_sign_tool(&self) -> Result<Option<[String; 4]>> {
        let v: Option<Vec<Utf8StringRef<'_>>> = self.ext_value(&oid::EXT_ISSUER_SIGN_TOOL)?;
        match v.as_deref() {
            None => Ok(None),
            Some([a, b, c, d]) => Ok(Some([a, b, c, d].map(|s| s.as_str().to_owned()))),
            Some(_) => Err(X509Error::Invalid("issuerSignTool is not four strings")),
        }
    }

    /// IdentificationKind (1.2.643.100.114), if present.
    pub fn identification_kind(&self) -> Result<Option<u32>> {
        self.ext_value::<u32>(&oid::EXT_IDENTIFICATION_KIND)
    }

    /// The URIs of the cRLDistributionPoints extension; empty when absent.
    pub fn crl_distribution_points(&self) -> Result<Vec<String>> {
        let dps: Option<Vec<DistributionPoint>> = self.ext_value(&ID_CE_CRL_DISTRIBUTION_POINTS)?;
        let mut out = Vec::new();
        for dp in dps.unwrap_or_default() {
            if let Some(DistributionPointName::FullName(names)) = dp.distribution_point {
                for n in names {
                    if let GeneralName::UniformResourceIdentifier(u) = n {
                        out.push(u.to_string());
                    }
                }
            }
        }
        Ok(out)
    }

    /// The OCSP responder URIs of the authorityInfoAccess extension (RFC 5280 §4.2.2.1,
    /// accessMethod id-ad-ocsp with a uniformResourceIdentifier location), in certificate
    /// order; empty when absent.
    pub fn ocsp_urls(&self) -> Result<Vec<String>> {
        const ID_AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
        let aia: Option<AuthorityInfoAccessSyntax> =
            self.ext_value(&const_oid::db::rfc5280::ID_PE_AUTHORITY_INFO_ACCESS)?;
        Ok(aia
            .map(|a| a.0)
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.access_method == ID_AD_OCSP)
            .filter_map(|d| match d.access_location {
                GeneralName::UniformResourceIdentifier(u) => Some(u.to_string()),
                _ => None,
            })
            .collect())
    }

    /// The Russian identifiers (INN, INNLE, OGRN, OGRNIP, SNILS) of the subject.
    pub fn subject_ids(&self) -> RussianIds {
        RussianIds::of(self.subject())
    }

    /// SHA-1 of the DER: the thumbprint Windows and CryptoPro show.
    pub fn thumbprint_sha1(&self) -> [u8; 20] {
        use sha1::Digest;
        sha1::Sha1::digest(self.der()).into()
    }

    /// Streebog-256 of the DER.
    pub fn thumbprint_streebog256(&self) -> [u8; 32] {
        Streebog256::digest(self.der())
    }

    /// The SubjectPublicKeyInfo DER of the subject key, as encoded in the certificate.
    pub fn spki_der(&self) -> Result<Vec<u8>> {
        Ok(self
            .inner()
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()?)
    }
}
