//! Issuing certificates (RFC 5280 §4.1): self-signed roots, intermediate CAs with a path length,
//! end-entity certificates from a request or a public key — the profile of `CLI.md`
//! (`x509 issue`): random positive 16-byte serial, SKI by RFC 5280 §4.2.1.2 method 1, AKI = the
//! issuer's SKI, CA: basicConstraints critical + keyUsage keyCertSign/cRLSign; leaf: keyUsage
//! digitalSignature, nonRepudiation, keyEncipherment, keyAgreement.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::asn1::{BitString, OctetString};
use der::flagset::FlagSet;
use der::{Decode, Encode, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use super::cert::Certificate;
use super::csr::CertificationRequest;
use super::error::{Result, X509Error};
use super::sig;
use crate::asn1::GostPublicKey;
use crate::ec::{SignDigest, VerifyingKey};

/// What to put in a new certificate besides names and keys.
#[derive(Debug, Clone)]
pub struct IssueOptions {
    /// Start of validity (truncated to seconds).
    pub not_before: SystemTime,
    /// End of validity (truncated to seconds).
    pub not_after: SystemTime,
    /// Serial number (positive big-endian); random 16 bytes when None.
    pub serial: Option<Vec<u8>>,
    /// `Some(path_len)` for a CA certificate.
    pub ca: Option<Option<u8>>,
    /// keyUsage to write instead of the profile's default.
    pub key_usage: Option<FlagSet<KeyUsages>>,
    /// Further extensions (copied after the profile's; an OID given here replaces the profile's).
    pub extensions: Vec<Extension>,
}

impl IssueOptions {
    /// An end-entity certificate valid from now for `days` days.
    pub fn days(days: u32) -> Self {
        let now = SystemTime::now();
        Self {
            not_before: now,
            not_after: now + Duration::from_secs(u64::from(days) * 86_400),
            serial: None,
            ca: None,
            key_usage: None,
            extensions: Vec::new(),
        }
    }

    /// A CA certificate valid from now for `days` days, with an optional pathLenConstraint.
    pub fn ca_days(days: u32, path_len: Option<u8>) -> Self {
        Self {
            ca: Some(path_len),
            ..Self::days(days)
        }
    }
}

#[derive(Sequence)]
struct ValidityOut {
    not_before: Time,
    not_after: Time,
}

#[derive(Sequence)]
struct TbsOut {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: u8,
    serial: SerialNumber,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: ValidityOut,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Vec<Extension>>,
}

#[derive(Sequence)]
struct CertOut {
    tbs: der::asn1::Any,
    algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

/// An X.509 Time (UTCTime before 2050, GeneralizedTime after) of `t` truncated to seconds.
pub(crate) fn time(t: SystemTime) -> Result<Time> {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map_err(|_| X509Error::Invalid("time before 1970"))?
        .as_secs();
    Ok(Time::try_from(UNIX_EPOCH + Duration::from_secs(secs))?)
}

/// Refuses an empty validity window (a zero-day certificate: notAfter not after notBefore once
/// both are truncated to seconds, RFC 5280 §4.1.2.5) and a serial that is not a positive
/// INTEGER of at most 20 octets (RFC 5280 §4.1.2.2).
fn check_validity(opts: &IssueOptions) -> Result<()> {
    let secs = |t: SystemTime| {
        t.duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .map_err(|_| X509Error::InvalidOption("validity before 1970"))
    };
    if secs(opts.not_after)? <= secs(opts.not_before)? {
        return Err(X509Error::InvalidOption(
            "empty validity: notAfter must be after notBefore (zero days)",
        ));
    }
    if let Some(s) = &opts.serial {
        let significant = s.iter().skip_while(|&&b| b == 0).count();
        if significant == 0 || s.len() > 20 || s.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(X509Error::InvalidOption(
                "serial must be a positive INTEGER of 1 to 20 octets",
            ));
        }
    }
    Ok(())
}

/// A fresh positive 16-byte serial number.
fn random_serial() -> Result<Vec<u8>> {
    let mut s = [0u8; 16];
    getrandom::fill(&mut s).map_err(|_| X509Error::Unsupported("OS random source failed"))?;
    s[0] = (s[0] & 0x7f) | 0x40;
    Ok(s.to_vec())
}

/// The key identifier of a public key: SHA-1 of the subjectPublicKey BIT STRING contents
/// (RFC 5280 §4.2.1.2, method 1).
pub fn key_identifier(key: &GostPublicKey) -> Result<Vec<u8>> {
    use sha1::Digest;
    let spki = SubjectPublicKeyInfoOwned::from_der(&key.to_der()?)?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or(X509Error::Invalid("public key BIT STRING"))?;
    Ok(sha1::Sha1::digest(bits).to_vec())
}

fn extension<T: Encode>(
    oid: const_oid::ObjectIdentifier,
    critical: bool,
    v: &T,
) -> Result<Extension> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(v.to_der()?)?,
    })
}

/// Issues a certificate for `subject`/`subject_key`, signed by `issuer_key`. `issuer` is the
/// issuer's certificate, or None for a self-signed one (then `subject_key` must be
/// `issuer_key`'s public key).
pub fn issue(
    subject: &Name,
    subject_key: &GostPublicKey,
    issuer: Option<&Certificate>,
    issuer_key: &dyn SignDigest,
    opts: &IssueOptions,
) -> Result<Certificate> {
    use const_oid::db::rfc5280 as ids;
    check_validity(opts)?;
    let ski = key_identifier(subject_key)?;
    let (issuer_name, aki) = match issuer {
        Some(c) => {
            if c.public_key().point != issuer_key.public_key().as_bytes() {
                return Err(X509Error::KeyMismatch);
            }
            let aki = match c.subject_key_id()? {
                Some(k) => k,
                None => key_identifier(c.public_key())?,
            };
            (c.subject().clone(), aki)
        }
        None => {
            if subject_key.point != issuer_key.public_key().as_bytes() {
                return Err(X509Error::KeyMismatch);
            }
            (subject.clone(), ski.clone())
        }
    };
    let mut exts = Vec::new();
    let default_ku = match opts.ca {
        Some(path_len) => {
            exts.push(extension(
                ids::ID_CE_BASIC_CONSTRAINTS,
                true,
                &BasicConstraints {
                    ca: true,
                    path_len_constraint: path_len,
                },
            )?);
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        }
        None => {
            KeyUsages::DigitalSignature
                | KeyUsages::NonRepudiation
                | KeyUsages::KeyEncipherment
                | KeyUsages::KeyAgreement
        }
    };
    let ku = opts.key_usage.unwrap_or(default_ku);
    exts.push(extension(
        ids::ID_CE_KEY_USAGE,
        opts.ca.is_some(),
        &KeyUsage(ku),
    )?);
    exts.push(extension(
        ids::ID_CE_SUBJECT_KEY_IDENTIFIER,
        false,
        &SubjectKeyIdentifier(OctetString::new(ski)?),
    )?);
    exts.push(extension(
        ids::ID_CE_AUTHORITY_KEY_IDENTIFIER,
        false,
        &AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(aki)?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        },
    )?);
    for e in &opts.extensions {
        exts.retain(|x| x.extn_id != e.extn_id);
        exts.push(e.clone());
    }
    let serial = match &opts.serial {
        Some(s) => s.clone(),
        None => random_serial()?,
    };
    let alg = sig::SignatureAlgorithm::for_key_bits(issuer_key.param_set().bits()).identifier();
    let tbs = TbsOut {
        version: 2,
        serial: SerialNumber::new(&serial)?,
        signature: alg,
        issuer: issuer_name,
        validity: ValidityOut {
            not_before: time(opts.not_before)?,
            not_after: time(opts.not_after)?,
        },
        subject: subject.clone(),
        spki: SubjectPublicKeyInfoOwned::from_der(&subject_key.to_der()?)?,
        extensions: Some(exts),
    };
    let tbs_der = tbs.to_der()?;
    let (algorithm, signature) = sig::sign(issuer_key, &tbs_der)?;
    let cert = CertOut {
        tbs: der::asn1::Any::from_der(&tbs_der)?,
        algorithm,
        signature: BitString::from_bytes(&signature)?,
    };
    Certificate::from_der(&cert.to_der()?)
}

/// A self-signed certificate for `key` (a root CA when `opts.ca` is set).
pub fn self_signed(
    subject: &Name,
    key: &dyn SignDigest,
    opts: &IssueOptions,
) -> Result<Certificate> {
    let pk = GostPublicKey::from_verifying_key(key.public_key())?;
    issue(subject, &pk, None, key, opts)
}

/// Issues a certificate from a request: its signature must verify (else
/// [`X509Error::BadSignature`]); its requested extensions are copied unless `opts` or the
/// profile set the same OID.
pub fn issue_from_request(
    req: &CertificationRequest,
    issuer: &Certificate,
    issuer_key: &dyn SignDigest,
    opts: &IssueOptions,
) -> Result<Certificate> {
    req.verify()?;
    let mut o = opts.clone();
    let profile = [
        const_oid::db::rfc5280::ID_CE_BASIC_CONSTRAINTS,
        const_oid::db::rfc5280::ID_CE_KEY_USAGE,
        const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
        const_oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    ];
    let mut requested: Vec<Extension> = req
        .requested_extensions()?
        .into_iter()
        .filter(|e| !profile.contains(&e.extn_id))
        .filter(|e| !opts.extensions.iter().any(|x| x.extn_id == e.extn_id))
        .collect();
    requested.append(&mut o.extensions);
    o.extensions = requested;
    issue(
        req.subject(),
        req.public_key(),
        Some(issuer),
        issuer_key,
        &o,
    )
}

impl Certificate {
    /// True when `key` is the private key of this certificate's subject public key.
    pub fn matches_key(&self, key: &dyn SignDigest) -> bool {
        self.matches_public_key(key.public_key())
    }

    /// True when `public` is this certificate's subject public key (same point, same curve).
    ///
    /// Written as plain early returns: the combined `point == … && result.is_ok_and(…)` form
    /// let the optimiser branch on the unused payload of an `Err` (valgrind saw a conditional
    /// jump on uninitialised stack bytes in release builds of the C library).
    pub fn matches_public_key(&self, public: &VerifyingKey) -> bool {
        let ours = self.public_key();
        let set = match crate::asn1::keys::param_set_for(ours.algorithm, &ours.param_set) {
            Ok(set) => set,
            Err(_) => return false,
        };
        if set.curve() != public.param_set().curve() {
            return false;
        }
        ours.point.as_slice() == public.as_bytes()
    }
}
