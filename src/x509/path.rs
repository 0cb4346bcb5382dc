//! Certification path validation (RFC 5280 §6, the parts that matter for GOST PKIs): build a
//! path from an end-entity certificate through intermediates to a trusted root and check it at
//! a given time — signatures, validity, basicConstraints, pathLenConstraint, keyUsage, unknown
//! critical extensions, name chaining with AKI/SKI, revocation from CRLs.
//!
//! Path building is a depth-first search over candidate issuers (cross-certificates, re-keyed
//! CAs) bounded by a budget of signature checks and a maximum depth, never revisiting a
//! certificate — the approach of rustls-webpki. Trust anchors are taken as trusted data: their
//! own signature, basicConstraints and extensions are not checked, but their validity period is
//! (an expired root gives [`PathErrorKind::Expired`]).

use core::fmt;
use std::time::SystemTime;

use const_oid::ObjectIdentifier;
use x509_cert::ext::pkix::KeyUsages;

use super::cert::Certificate;
use super::crl::Crl;
use super::name::{names_match, to_rfc4514};

/// What to do about revocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationPolicy {
    /// CRLs are not consulted.
    Off,
    /// Every CRL given is used for the certificates its issuer issued; a certificate without a
    /// CRL from its issuer passes.
    WhenAvailable,
    /// Like `WhenAvailable`, but every certificate below the trust anchor needs a CRL.
    Required,
}

/// Parameters of a validation.
#[derive(Debug, Clone)]
pub struct ValidationOptions {
    /// The time at which the path must be valid.
    pub time: SystemTime,
    /// Revocation checking.
    pub revocation: RevocationPolicy,
    /// Budget of signature verifications for the whole search.
    pub max_signature_checks: usize,
    /// Longest path accepted, trust anchor included.
    pub max_depth: usize,
}

impl ValidationOptions {
    /// Validation now, CRLs used when given, budget 100 signatures, depth 8.
    pub fn now() -> Self {
        Self::at(SystemTime::now())
    }

    /// Validation at `time`, CRLs used when given.
    pub fn at(time: SystemTime) -> Self {
        Self {
            time,
            revocation: RevocationPolicy::WhenAvailable,
            max_signature_checks: 100,
            max_depth: 8,
        }
    }
}

/// Why a path failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathErrorKind {
    /// The certificate is past its notAfter.
    Expired,
    /// The certificate is before its notBefore.
    NotYetValid,
    /// The chain ends in a certificate that is not a trusted root.
    UntrustedRoot,
    /// No certificate issued this one among those given.
    NoIssuer,
    /// The issuer is not a CA (basicConstraints cA missing or false).
    NotACa,
    /// A pathLenConstraint of this CA is exceeded.
    PathLength,
    /// keyUsage of this certificate forbids the use (keyCertSign or cRLSign).
    KeyUsage,
    /// A critical extension gostkit does not process.
    UnknownCriticalExtension(ObjectIdentifier),
    /// The signature on this certificate does not verify with its issuer's key.
    BadSignature,
    /// The certificate is revoked.
    Revoked {
        /// revocationDate.
        date: SystemTime,
        /// reasonCode name, when given.
        reason: Option<&'static str>,
    },
    /// A CRL is required for this certificate and none from its issuer was given.
    CrlMissing,
    /// The CRL for this certificate is past its nextUpdate.
    CrlExpired,
    /// The CRL for this certificate does not verify with its issuer's key.
    CrlBadSignature,
    /// The search used up its budget of signature checks or depth.
    BudgetExceeded,
    /// The certificate cannot be processed (malformed extension, unsupported key…).
    Malformed(String),
}

/// A failed validation: what, and on which certificate (index 0 = the end-entity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// What failed.
    pub kind: PathErrorKind,
    /// Position of the certificate concerned in the path tried (0 = the end-entity).
    pub index: usize,
    /// RFC 4514 subject of that certificate.
    pub subject: String,
}

impl fmt::Display for PathErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Expired => write!(f, "certificate expired"),
            Self::NotYetValid => write!(f, "certificate not yet valid"),
            Self::UntrustedRoot => write!(f, "chain does not reach a trusted root"),
            Self::NoIssuer => write!(f, "issuer certificate not found"),
            Self::NotACa => write!(f, "issuer is not a CA"),
            Self::PathLength => write!(f, "path length constraint exceeded"),
            Self::KeyUsage => write!(f, "key usage does not allow signing certificates or CRLs"),
            Self::UnknownCriticalExtension(oid) => write!(f, "unknown critical extension {oid}"),
            Self::BadSignature => write!(f, "certificate signature does not verify"),
            Self::Revoked { reason, .. } => match reason {
                Some(r) => write!(f, "certificate revoked ({r})"),
                None => write!(f, "certificate revoked"),
            },
            Self::CrlMissing => write!(f, "no CRL from the issuer"),
            Self::CrlExpired => write!(f, "CRL expired"),
            Self::CrlBadSignature => write!(f, "CRL signature does not verify"),
            Self::BudgetExceeded => write!(f, "path search budget exceeded"),
            Self::Malformed(what) => write!(f, "cannot process certificate: {what}"),
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.kind)
    }
}

impl std::error::Error for PathError {}

/// Extensions whose criticality gostkit honours (processed or safely ignorable when critical).
const KNOWN_EXTENSIONS: [&str; 14] = [
    "2.5.29.15",         // keyUsage
    "2.5.29.19",         // basicConstraints
    "2.5.29.37",         // extKeyUsage
    "2.5.29.32",         // certificatePolicies
    "2.5.29.14",         // subjectKeyIdentifier
    "2.5.29.35",         // authorityKeyIdentifier
    "2.5.29.31",         // cRLDistributionPoints
    "2.5.29.17",         // subjectAltName
    "2.5.29.18",         // issuerAltName
    "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
    "2.5.29.16",         // privateKeyUsagePeriod
    "1.2.643.100.111",   // subjectSignTool
    "1.2.643.100.112",   // issuerSignTool
    "1.2.643.100.114",   // IdentificationKind
];

fn err(kind: PathErrorKind, index: usize, cert: &Certificate) -> PathError {
    PathError {
        kind,
        index,
        subject: to_rfc4514(cert.subject()),
    }
}

fn malformed(e: impl fmt::Display, index: usize, cert: &Certificate) -> PathError {
    err(PathErrorKind::Malformed(e.to_string()), index, cert)
}

/// Validity period and critical extensions of one certificate.
fn check_own(cert: &Certificate, index: usize, time: SystemTime) -> Result<(), PathError> {
    if time < cert.not_before() {
        return Err(err(PathErrorKind::NotYetValid, index, cert));
    }
    if time > cert.not_after() {
        return Err(err(PathErrorKind::Expired, index, cert));
    }
    for e in cert.extensions() {
        if e.critical && !KNOWN_EXTENSIONS.contains(&e.extn_id.to_string().as_str()) {
            return Err(err(
                PathErrorKind::UnknownCriticalExtension(e.extn_id),
                index,
                cert,
            ));
        }
    }
    Ok(())
}

/// Could `issuer` have issued `cert`: names chain, and AKI matches SKI when both are present.
fn may_issue(issuer: &Certificate, cert: &Certificate) -> bool {
    if !names_match(issuer.subject(), cert.issuer()) {
        return false;
    }
    match (cert.authority_key_id(), issuer.subject_key_id()) {
        (Ok(Some(aki)), Ok(Some(ski))) => aki == ski,
        _ => true,
    }
}

struct Search<'a> {
    roots: &'a [Certificate],
    intermediates: &'a [Certificate],
    opts: &'a ValidationOptions,
    budget: usize,
    /// The failure of the deepest attempt so far.
    best: Option<PathError>,
}

impl Search<'_> {
    fn record(&mut self, e: PathError, depth: usize) {
        // Keep the failure reached deepest into a path (ties: the first found).
        let better = match &self.best {
            None => true,
            Some(b) => depth > b.index && b.kind != PathErrorKind::BudgetExceeded,
        };
        if better || e.kind == PathErrorKind::BudgetExceeded {
            self.best = Some(e);
        }
    }

    /// Extends `path` (its last certificate already checked on its own) up to a trust anchor.
    fn extend(&mut self, path: &mut Vec<Certificate>) -> bool {
        let i = path.len() - 1;
        let cert = path[i].clone();
        if self.roots.iter().any(|r| r == &cert) {
            return true;
        }
        if path.len() >= self.opts.max_depth {
            self.record(err(PathErrorKind::BudgetExceeded, i, &cert), i);
            return false;
        }
        let candidates: Vec<(Certificate, bool)> = self
            .roots
            .iter()
            .map(|c| (c, true))
            .chain(self.intermediates.iter().map(|c| (c, false)))
            .filter(|(c, _)| may_issue(c, &cert) && !path.contains(c))
            .map(|(c, t)| (c.clone(), t))
            .collect();
        if candidates.is_empty() {
            let kind = if cert.is_self_issued() {
                PathErrorKind::UntrustedRoot
            } else {
                PathErrorKind::NoIssuer
            };
            self.record(err(kind, i, &cert), i);
            return false;
        }
        for (issuer, trusted) in candidates {
            if self.budget == 0 {
                self.record(err(PathErrorKind::BudgetExceeded, i, &cert), usize::MAX);
                return false;
            }
            self.budget -= 1;
            let key = match issuer.verifying_key() {
                Ok(k) => k,
                Err(e) => {
                    self.record(malformed(e, i + 1, &issuer), i + 1);
                    continue;
                }
            };
            if cert.verify_signed_by(&key).is_err() {
                self.record(err(PathErrorKind::BadSignature, i, &cert), i);
                continue;
            }
            if let Err(e) = self.check_issuer(&issuer, trusted, path) {
                self.record(e, i + 1);
                continue;
            }
            path.push(issuer);
            if self.extend(path) {
                return true;
            }
            path.pop();
        }
        false
    }

    /// The checks on a certificate used as an issuer at position `path.len()`.
    fn check_issuer(
        &self,
        issuer: &Certificate,
        trusted: bool,
        path: &[Certificate],
    ) -> Result<(), PathError> {
        let idx = path.len();
        if trusted {
            // Trust anchor: only its validity period is checked.
            let t = self.opts.time;
            if t < issuer.not_before() {
                return Err(err(PathErrorKind::NotYetValid, idx, issuer));
            }
            if t > issuer.not_after() {
                return Err(err(PathErrorKind::Expired, idx, issuer));
            }
        } else {
            check_own(issuer, idx, self.opts.time)?;
        }
        let bc = issuer
            .basic_constraints()
            .map_err(|e| malformed(e, idx, issuer))?;
        if !trusted && !bc.is_some_and(|(ca, _)| ca) {
            return Err(err(PathErrorKind::NotACa, idx, issuer));
        }
        if let Some(ku) = issuer.key_usage().map_err(|e| malformed(e, idx, issuer))?
            && !ku.0.contains(KeyUsages::KeyCertSign)
        {
            return Err(err(PathErrorKind::KeyUsage, idx, issuer));
        }
        // pathLenConstraint: non-self-issued intermediates below this CA (RFC 5280 §6.1.4 (l)).
        if let Some((true, Some(max))) = bc {
            let below = path[1..].iter().filter(|c| !c.is_self_issued()).count();
            if below > usize::from(max) {
                return Err(err(PathErrorKind::PathLength, idx, issuer));
            }
        }
        Ok(())
    }
}

/// Revocation of `path[i]` by CRLs of its issuer `path[i + 1]`.
fn check_revocation(
    path: &[Certificate],
    crls: &[Crl],
    opts: &ValidationOptions,
) -> Result<(), PathError> {
    if opts.revocation == RevocationPolicy::Off {
        return Ok(());
    }
    for i in 0..path.len().saturating_sub(1) {
        let (cert, issuer) = (&path[i], &path[i + 1]);
        let mut found = false;
        for crl in crls
            .iter()
            .filter(|c| names_match(c.issuer(), issuer.subject()))
        {
            let key = issuer
                .verifying_key()
                .map_err(|e| malformed(e, i + 1, issuer))?;
            if crl.verify_signed_by(&key).is_err() {
                return Err(err(PathErrorKind::CrlBadSignature, i, cert));
            }
            if let Ok(Some(ku)) = issuer.key_usage()
                && !ku.0.contains(KeyUsages::CRLSign)
            {
                return Err(err(PathErrorKind::KeyUsage, i + 1, issuer));
            }
            if let Some(oid) = crl.unknown_critical_extension() {
                return Err(err(PathErrorKind::UnknownCriticalExtension(oid), i, cert));
            }
            if crl.next_update().is_some_and(|n| n < opts.time) {
                return Err(err(PathErrorKind::CrlExpired, i, cert));
            }
            found = true;
            if let Some(r) = crl.revocation(cert.serial())
                && r.date <= opts.time
            {
                return Err(err(
                    PathErrorKind::Revoked {
                        date: r.date,
                        reason: r.reason,
                    },
                    i,
                    cert,
                ));
            }
        }
        if !found && opts.revocation == RevocationPolicy::Required {
            return Err(err(PathErrorKind::CrlMissing, i, cert));
        }
    }
    Ok(())
}

/// Validates `leaf` at `opts.time`: returns the path from the leaf to the trust anchor
/// (included), or the most relevant failure (the one found deepest into a path).
pub fn validate(
    leaf: &Certificate,
    intermediates: &[Certificate],
    roots: &[Certificate],
    crls: &[Crl],
    opts: &ValidationOptions,
) -> Result<Vec<Certificate>, PathError> {
    if roots.contains(leaf) {
        check_own(leaf, 0, opts.time)?;
        return Ok(vec![leaf.clone()]);
    }
    check_own(leaf, 0, opts.time)?;
    let mut search = Search {
        roots,
        intermediates,
        opts,
        budget: opts.max_signature_checks,
        best: None,
    };
    let mut path = vec![leaf.clone()];
    if search.extend(&mut path) {
        check_revocation(&path, crls, opts)?;
        Ok(path)
    } else {
        Err(search
            .best
            .unwrap_or_else(|| err(PathErrorKind::NoIssuer, 0, leaf)))
    }
}
