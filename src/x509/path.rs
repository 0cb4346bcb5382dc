//! Certification path validation (RFC 5280 §6, the parts that matter for GOST PKIs), built the
//! way rustls-webpki builds paths.
//!
//! [`PathBuilder`] borrows its inputs (trust anchors, intermediates, the certificates a message
//! carries) and searches depth-first from the end-entity certificate through candidate issuers
//! (name chaining with AKI/SKI; cross-certificates and re-keyed CAs give several candidates),
//! never revisiting a certificate. Each step runs in stages:
//!
//! 1. issuer-independent checks of every certificate as it joins the path — validity at the
//!    caller's time, unknown critical extensions, basicConstraints cA, pathLenConstraint,
//!    keyUsage keyCertSign, and (when asked) the end-entity's extKeyUsage — before any signature;
//! 2. on each *complete* candidate path (it reached a trust anchor): the signatures along it,
//!    then revocation through a [`RevocationSource`] (CRLs: [`CrlRevocation`]; OCSP implements
//!    the same trait), then the caller's [`PathHook`] (qualified-certificate policy checks) — a
//!    path failing any of them falls back to the next candidate;
//! 3. a budget on signature checks **and** on build steps, and a maximum depth: exceeding one
//!    ends the search with [`PathErrorKind::BudgetExceeded`] (the class of CVE-2018-16875).
//!
//! When every candidate fails, the most specific failure wins (a revoked or badly signed path
//! over "no issuer"). Trust anchors are trusted data: their own signature, basicConstraints and
//! extensions are not checked, but their validity period is.
//!
//! Time: validation uses [`ValidationOptions::time`] — the caller's time, now by default. A
//! signer's claimed signingTime is used only when the caller explicitly asks for it (CMS
//! verification options), never silently.

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
    /// Revocation data is not consulted.
    Off,
    /// Revocation data given is used for the certificates its issuer issued; a certificate
    /// without any passes.
    WhenAvailable,
    /// Like `WhenAvailable`, but every certificate below the trust anchor needs an answer.
    Required,
}

/// Parameters of a validation.
#[derive(Debug, Clone)]
pub struct ValidationOptions {
    /// The time at which the path must be valid (the caller's; [`ValidationOptions::now`] by
    /// default).
    pub time: SystemTime,
    /// Revocation checking.
    pub revocation: RevocationPolicy,
    /// Budget of signature verifications for the whole search.
    pub max_signature_checks: usize,
    /// Budget of build steps (candidate issuers considered) for the whole search.
    pub max_build_steps: usize,
    /// Longest path accepted, trust anchor included.
    pub max_depth: usize,
    /// When set, the end-entity certificate's extKeyUsage, if present, must contain this
    /// purpose (or anyExtendedKeyUsage).
    pub required_eku: Option<ObjectIdentifier>,
}

impl ValidationOptions {
    /// Validation now, CRLs used when given, budget 100 signatures and 1000 build steps,
    /// depth 8.
    pub fn now() -> Self {
        Self::at(SystemTime::now())
    }

    /// Validation at `time`, revocation data used when given.
    pub fn at(time: SystemTime) -> Self {
        Self {
            time,
            revocation: RevocationPolicy::WhenAvailable,
            max_signature_checks: 100,
            max_build_steps: 1000,
            max_depth: 8,
            required_eku: None,
        }
    }
}

impl Default for ValidationOptions {
    fn default() -> Self {
        Self::now()
    }
}

/// Why a path failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathErrorKind {
    /// The certificate is past its notAfter at the validation time.
    Expired {
        /// The certificate's notAfter.
        not_after: SystemTime,
        /// The time validated at.
        time: SystemTime,
    },
    /// The certificate is before its notBefore at the validation time.
    NotYetValid {
        /// The certificate's notBefore.
        not_before: SystemTime,
        /// The time validated at.
        time: SystemTime,
    },
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
    /// extKeyUsage of the end-entity certificate lacks the purpose asked for.
    ExtKeyUsage(ObjectIdentifier),
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
    /// Revocation data is required for this certificate and none from its issuer was given.
    CrlMissing,
    /// The CRL for this certificate is past its nextUpdate.
    CrlExpired,
    /// The CRL for this certificate does not verify with its issuer's key.
    CrlBadSignature,
    /// The search used up its budget of signature checks, build steps or depth.
    BudgetExceeded,
    /// The caller's path hook refused every complete path (its reason).
    Rejected(String),
    /// The certificate cannot be processed (malformed extension, unsupported key…).
    Malformed(String),
    /// The OCSP response for this certificate is unusable (stale, badly signed, unauthorized
    /// responder, nonce mismatch…): its library-wide kind and message.
    Ocsp {
        /// The kind of the OCSP failure.
        kind: crate::ErrorKind,
        /// What failed.
        why: String,
    },
}

impl PathErrorKind {
    /// How specific a failure is, for choosing which to report when every candidate fails:
    /// a failure on a complete path beats a failure to find one.
    fn rank(&self) -> u8 {
        match self {
            Self::BudgetExceeded => 5,
            Self::Revoked { .. }
            | Self::BadSignature
            | Self::CrlMissing
            | Self::CrlExpired
            | Self::CrlBadSignature
            | Self::Ocsp { .. }
            | Self::Rejected(_) => 4,
            Self::Malformed(_) | Self::UnknownCriticalExtension(_) => 3,
            Self::Expired { .. }
            | Self::NotYetValid { .. }
            | Self::NotACa
            | Self::PathLength
            | Self::KeyUsage
            | Self::ExtKeyUsage(_) => 2,
            Self::UntrustedRoot | Self::NoIssuer => 1,
        }
    }
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

fn rfc3339(t: SystemTime) -> String {
    super::time::rfc3339(t)
}

impl PathErrorKind {
    /// The library-wide kind of this failure (its C status and CLI token).
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind as K;
        match self {
            Self::Expired { .. } => K::CertExpired,
            Self::NotYetValid { .. } => K::CertNotYetValid,
            Self::UntrustedRoot => K::UntrustedRoot,
            Self::NoIssuer => K::NoIssuer,
            Self::NotACa => K::NotACa,
            Self::PathLength => K::PathLength,
            Self::KeyUsage => K::KeyUsage,
            Self::ExtKeyUsage(_) => K::ExtKeyUsage,
            Self::UnknownCriticalExtension(_) => K::UnknownCriticalExtension,
            Self::BadSignature | Self::CrlBadSignature => K::BadSignature,
            Self::Revoked { .. } => K::Revoked,
            Self::CrlMissing => K::CrlMissing,
            Self::CrlExpired => K::CrlExpired,
            Self::BudgetExceeded => K::PathBudgetExceeded,
            Self::Rejected(_) => K::PathRejected,
            Self::Malformed(_) => K::Malformed,
            Self::Ocsp { kind, .. } => *kind,
        }
    }
}

impl fmt::Display for PathErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Expired { not_after, time } => write!(
                f,
                "certificate expired (notAfter {}, checked at {})",
                rfc3339(*not_after),
                rfc3339(*time)
            ),
            Self::NotYetValid { not_before, time } => write!(
                f,
                "certificate not yet valid (notBefore {}, checked at {})",
                rfc3339(*not_before),
                rfc3339(*time)
            ),
            Self::UntrustedRoot => write!(f, "chain does not reach a trusted root"),
            Self::NoIssuer => write!(f, "issuer certificate not found"),
            Self::NotACa => write!(f, "issuer is not a CA"),
            Self::PathLength => write!(f, "path length constraint exceeded"),
            Self::KeyUsage => write!(f, "key usage does not allow signing certificates or CRLs"),
            Self::ExtKeyUsage(oid) => write!(f, "extended key usage lacks {oid}"),
            Self::UnknownCriticalExtension(oid) => write!(f, "unknown critical extension {oid}"),
            Self::BadSignature => write!(f, "certificate signature does not verify"),
            Self::Revoked { date, reason } => match reason {
                Some(r) => write!(f, "certificate revoked ({r}) at {}", rfc3339(*date)),
                None => write!(f, "certificate revoked at {}", rfc3339(*date)),
            },
            Self::CrlMissing => write!(f, "no revocation data from the issuer"),
            Self::CrlExpired => write!(f, "CRL expired"),
            Self::CrlBadSignature => write!(f, "CRL signature does not verify"),
            Self::BudgetExceeded => write!(f, "path search budget exceeded"),
            Self::Rejected(why) => write!(f, "path rejected: {why}"),
            Self::Malformed(what) => write!(f, "cannot process certificate: {what}"),
            Self::Ocsp { why, .. } => write!(f, "{why}"),
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

/// anyExtendedKeyUsage (RFC 5280 §4.2.1.12).
const ANY_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");

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

/// Validity period of one certificate at `time`.
fn check_validity(cert: &Certificate, index: usize, time: SystemTime) -> Result<(), PathError> {
    if time < cert.not_before() {
        let kind = PathErrorKind::NotYetValid {
            not_before: cert.not_before(),
            time,
        };
        return Err(err(kind, index, cert));
    }
    if time > cert.not_after() {
        let kind = PathErrorKind::Expired {
            not_after: cert.not_after(),
            time,
        };
        return Err(err(kind, index, cert));
    }
    Ok(())
}

/// Validity period and critical extensions of one (non-anchor) certificate.
fn check_own(cert: &Certificate, index: usize, time: SystemTime) -> Result<(), PathError> {
    check_validity(cert, index, time)?;
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

/// The end-entity's extKeyUsage, when the caller asks for a purpose.
fn check_eku(leaf: &Certificate, wanted: &ObjectIdentifier) -> Result<(), PathError> {
    match leaf.ext_key_usage() {
        Ok(ekus) if ekus.is_empty() || ekus.iter().any(|o| o == wanted || *o == ANY_EKU) => Ok(()),
        Ok(_) => Err(err(PathErrorKind::ExtKeyUsage(*wanted), 0, leaf)),
        Err(e) => Err(malformed(e, 0, leaf)),
    }
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

/// What a revocation source says about one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Not revoked at the time asked, by data whose own checks passed.
    Good,
    /// The source has nothing about this certificate.
    Unknown,
    /// Revoked at or before the time asked.
    Revoked {
        /// revocationDate.
        date: SystemTime,
        /// reasonCode name, when given.
        reason: Option<&'static str>,
    },
    /// The source's data for this certificate is unusable (bad signature, expired, a critical
    /// extension not understood…): the path fails with this reason.
    Failed(PathErrorKind),
}

/// Revocation data for path validation: CRLs ([`CrlRevocation`]), OCSP responses
/// ([`super::ocsp::OcspRevocation`]), combined by the caller ([`super::ocsp::FirstAnswer`]). `issuer` is the certificate above `cert` in the candidate path.
pub trait RevocationSource {
    /// The status of `cert` (issued by `issuer`) at `time`.
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
    ) -> RevocationStatus;
}

/// CRLs as a revocation source (RFC 5280 §6.3, simplified: full CRLs of the issuer, no
/// delta CRLs or distribution-point scoping).
#[derive(Debug, Clone, Copy)]
pub struct CrlRevocation<'a> {
    crls: &'a [Crl],
}

impl<'a> CrlRevocation<'a> {
    /// A source over these CRLs.
    pub fn new(crls: &'a [Crl]) -> Self {
        Self { crls }
    }
}

impl RevocationSource for CrlRevocation<'_> {
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        time: SystemTime,
    ) -> RevocationStatus {
        let mut found = false;
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
            if let Some(oid) = crl.unknown_critical_extension() {
                return RevocationStatus::Failed(PathErrorKind::UnknownCriticalExtension(oid));
            }
            if crl.next_update().is_some_and(|n| n < time) {
                return RevocationStatus::Failed(PathErrorKind::CrlExpired);
            }
            found = true;
            if let Some(r) = crl.revocation(cert.serial())
                && r.date <= time
            {
                return RevocationStatus::Revoked {
                    date: r.date,
                    reason: r.reason,
                };
            }
        }
        if found {
            RevocationStatus::Good
        } else {
            RevocationStatus::Unknown
        }
    }
}

/// Sees each complete candidate path (leaf first, trust anchor last) after its signatures and
/// revocation passed; an `Err` rejects that path and the search goes on with the next one.
pub type PathHook<'h> = &'h dyn Fn(&[&Certificate]) -> Result<(), String>;

/// A path validation over borrowed certificates: `PathBuilder::new(anchors)`, then the
/// intermediates, revocation, hook and options, then [`PathBuilder::build`].
pub struct PathBuilder<'a> {
    anchors: Vec<&'a Certificate>,
    intermediates: Vec<&'a Certificate>,
    revocation: Option<&'a dyn RevocationSource>,
    hook: Option<PathHook<'a>>,
    opts: ValidationOptions,
}

impl<'a> PathBuilder<'a> {
    /// A builder over these trust anchors, validating now with the default budgets.
    pub fn new(anchors: impl IntoIterator<Item = &'a Certificate>) -> Self {
        Self {
            anchors: anchors.into_iter().collect(),
            intermediates: Vec::new(),
            revocation: None,
            hook: None,
            opts: ValidationOptions::now(),
        }
    }

    /// Adds untrusted certificates that may serve as intermediates (a store's CAs, the
    /// certificates a message carries…).
    pub fn intermediates(mut self, certs: impl IntoIterator<Item = &'a Certificate>) -> Self {
        self.intermediates.extend(certs);
        self
    }

    /// The revocation source consulted per complete path (under `opts.revocation`).
    pub fn revocation(mut self, source: &'a dyn RevocationSource) -> Self {
        self.revocation = Some(source);
        self
    }

    /// A hook that sees every complete candidate path.
    pub fn hook(mut self, hook: PathHook<'a>) -> Self {
        self.hook = Some(hook);
        self
    }

    /// Time, revocation policy, budgets and EKU.
    pub fn options(mut self, opts: ValidationOptions) -> Self {
        self.opts = opts;
        self
    }

    /// Validates `leaf`: the path from the leaf to its trust anchor (included), or the most
    /// specific failure over every candidate path.
    pub fn build(&self, leaf: &'a Certificate) -> Result<Vec<&'a Certificate>, PathError> {
        let opts = &self.opts;
        if let Some(eku) = &opts.required_eku {
            check_eku(leaf, eku)?;
        }
        if self.anchors.contains(&leaf) {
            check_validity(leaf, 0, opts.time)?;
            return Ok(vec![leaf]);
        }
        check_own(leaf, 0, opts.time)?;
        let mut search = Search {
            builder: self,
            signatures_left: opts.max_signature_checks,
            steps_left: opts.max_build_steps,
            best: None,
        };
        let mut path = vec![leaf];
        match search.extend(&mut path) {
            Ok(true) => Ok(path),
            Ok(false) => Err(search
                .best
                .unwrap_or_else(|| err(PathErrorKind::NoIssuer, 0, leaf))),
            Err(fatal) => Err(fatal),
        }
    }
}

struct Search<'b, 'a> {
    builder: &'b PathBuilder<'a>,
    signatures_left: usize,
    steps_left: usize,
    /// The most specific failure so far.
    best: Option<PathError>,
}

impl<'a> Search<'_, 'a> {
    fn record(&mut self, e: PathError) {
        let better = match &self.best {
            None => true,
            Some(b) => (e.kind.rank(), e.index) > (b.kind.rank(), b.index),
        };
        if better {
            self.best = Some(e);
        }
    }

    fn budget_exceeded(cert: &Certificate, index: usize) -> PathError {
        err(PathErrorKind::BudgetExceeded, index, cert)
    }

    /// Extends `path` (its last certificate already checked on its own) up to a trust anchor.
    /// `Ok(true)`: `path` is complete and valid; `Ok(false)`: no candidate worked; `Err`: a
    /// budget ran out (fatal).
    fn extend(&mut self, path: &mut Vec<&'a Certificate>) -> Result<bool, PathError> {
        let (Some(i), Some(&cert)) = (path.len().checked_sub(1), path.last()) else {
            return Ok(false);
        };
        if path.len() >= self.builder.opts.max_depth {
            self.record(Self::budget_exceeded(cert, i));
            return Ok(false);
        }
        let anchors = self.builder.anchors.iter().map(|c| (*c, true));
        let others = self.builder.intermediates.iter().map(|c| (*c, false));
        let mut any = false;
        for (issuer, trusted) in anchors.chain(others) {
            if !may_issue(issuer, cert) || path.contains(&issuer) {
                continue;
            }
            if !trusted && self.builder.anchors.contains(&issuer) {
                continue; // the same certificate given as an anchor is tried as one
            }
            any = true;
            if self.steps_left == 0 {
                return Err(Self::budget_exceeded(cert, i));
            }
            self.steps_left -= 1;
            if let Err(e) = self.check_issuer(issuer, trusted, path) {
                self.record(e);
                continue;
            }
            path.push(issuer);
            let done = if trusted {
                self.complete(path)?
            } else {
                self.extend(path)?
            };
            if done {
                return Ok(true);
            }
            path.pop();
        }
        if !any {
            let kind = if cert.is_self_issued() {
                PathErrorKind::UntrustedRoot
            } else {
                PathErrorKind::NoIssuer
            };
            self.record(err(kind, i, cert));
        }
        Ok(false)
    }

    /// The issuer-independent checks on a certificate used as an issuer at `path.len()`.
    fn check_issuer(
        &self,
        issuer: &Certificate,
        trusted: bool,
        path: &[&Certificate],
    ) -> Result<(), PathError> {
        let idx = path.len();
        let time = self.builder.opts.time;
        if trusted {
            // Trust anchor: only its validity period is checked.
            check_validity(issuer, idx, time)?;
        } else {
            check_own(issuer, idx, time)?;
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
            let below = path.iter().skip(1).filter(|c| !c.is_self_issued()).count();
            if below > usize::from(max) {
                return Err(err(PathErrorKind::PathLength, idx, issuer));
            }
        }
        Ok(())
    }

    /// The checks of a complete candidate path: signatures, revocation, the hook.
    fn complete(&mut self, path: &[&'a Certificate]) -> Result<bool, PathError> {
        for (i, (&cert, &issuer)) in path.iter().zip(path.iter().skip(1)).enumerate() {
            if self.signatures_left == 0 {
                return Err(Self::budget_exceeded(cert, i));
            }
            self.signatures_left -= 1;
            let key = match issuer.verifying_key() {
                Ok(k) => k,
                Err(e) => {
                    self.record(malformed(e, i + 1, issuer));
                    return Ok(false);
                }
            };
            if cert.verify_signed_by(&key).is_err() {
                self.record(err(PathErrorKind::BadSignature, i, cert));
                return Ok(false);
            }
        }
        if let Err(e) = self.check_revocation(path) {
            self.record(e);
            return Ok(false);
        }
        if let Some(hook) = self.builder.hook
            && let Err(why) = hook(path)
        {
            if let Some(&leaf) = path.first() {
                self.record(err(PathErrorKind::Rejected(why), 0, leaf));
            }
            return Ok(false);
        }
        Ok(true)
    }

    fn check_revocation(&self, path: &[&Certificate]) -> Result<(), PathError> {
        let opts = &self.builder.opts;
        if opts.revocation == RevocationPolicy::Off {
            return Ok(());
        }
        for (i, (&cert, &issuer)) in path.iter().zip(path.iter().skip(1)).enumerate() {
            let status = match self.builder.revocation {
                Some(src) => src.status(cert, issuer, opts.time),
                None => RevocationStatus::Unknown,
            };
            match status {
                RevocationStatus::Good => {}
                RevocationStatus::Unknown => {
                    if opts.revocation == RevocationPolicy::Required {
                        return Err(err(PathErrorKind::CrlMissing, i, cert));
                    }
                }
                RevocationStatus::Revoked { date, reason } => {
                    return Err(err(PathErrorKind::Revoked { date, reason }, i, cert));
                }
                RevocationStatus::Failed(PathErrorKind::KeyUsage) => {
                    return Err(err(PathErrorKind::KeyUsage, i + 1, issuer));
                }
                RevocationStatus::Failed(kind) => return Err(err(kind, i, cert)),
            }
        }
        Ok(())
    }
}

/// Validates `leaf` at `opts.time` against `roots`, with `intermediates` and `crls`: the
/// path from the leaf to the trust anchor (included), or the most specific failure. A
/// shorthand for [`PathBuilder`] with [`CrlRevocation`].
pub fn validate(
    leaf: &Certificate,
    intermediates: &[Certificate],
    roots: &[Certificate],
    crls: &[Crl],
    opts: &ValidationOptions,
) -> Result<Vec<Certificate>, PathError> {
    let source = CrlRevocation::new(crls);
    let path = PathBuilder::new(roots)
        .intermediates(intermediates)
        .revocation(&source)
        .options(opts.clone())
        .build(leaf)?;
    Ok(path.into_iter().cloned().collect())
}
