//! `cms upgrade --level t|xl1` (CLI.md): CAdES-T (a signature time-stamp) and CAdES-X Long
//! Type 1 (ETSI TS 101 733 §6.2–6.3: references to and values of the signer's chain and its
//! revocation data, then a CAdES-C time-stamp) for every signer of a SignedData.

use std::cell::RefCell;
use std::ffi::OsString;
use std::process::ExitCode;

use gostkit::cms::CmsError;
use gostkit::cms::signed::SignedMessage;
use gostkit::cms::tsp::{
    TimeStampReq, TimeStampResp, TimeStampSource, TimeStampToken, UpgradeLevel, ValidationData,
    signature_time_stamp_request, upgrade,
};
use gostkit::hash::HashAlg;
use gostkit::x509::Certificate;
use gostkit::x509::crl::Crl;
use gostkit::x509::ocsp::{
    CertIdHash, CertStatus, OcspOptions, OcspRequest, OcspResponse, random_nonce,
};
use gostkit::x509::time::rfc3339;

use crate::files::write_public;
use crate::keys::read_all;
use crate::opts::{Opts, Spec};
use crate::pki::{chain_error, trust_inputs};
use crate::{CliError, EXIT_CHECK_FAILED, http};

use crate::cms::cms_error;

/// The OCSP response for `cert` from `url` (asked with a nonce), verified now; a revoked
/// certificate stops the upgrade, an unknown one gets no response.
fn fetch_ocsp(
    url: &str,
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<Option<OcspResponse>, CliError> {
    let ocsp = |e: gostkit::x509::ocsp::OcspError| CliError::from_kind(e.kind(), e.to_string());
    let nonce = random_nonce().map_err(|e| CliError::from_kind(e.kind(), e.to_string()))?;
    let req =
        OcspRequest::build(&[(cert, issuer)], CertIdHash::Sha1, Some(&nonce)).map_err(ocsp)?;
    let der = http::post(
        url,
        "application/ocsp-request",
        "application/ocsp-response",
        req.der(),
    )?;
    let resp = OcspResponse::from_der(&der).map_err(ocsp)?;
    let oo = OcspOptions {
        nonce: req.nonce_extension_value().map(<[u8]>::to_vec),
        ..OcspOptions::default()
    };
    match resp
        .verify(cert, issuer, std::time::SystemTime::now(), &oo)
        .map_err(ocsp)?
        .status
    {
        CertStatus::Good => Ok(Some(resp)),
        CertStatus::Revoked { time, reason } => Err(CliError::new(
            "revoked",
            EXIT_CHECK_FAILED,
            format!(
                "{}: revoked at {} ({})",
                gostkit::x509::name::to_rfc4514(cert.subject()),
                rfc3339(time),
                reason.unwrap_or("unspecified")
            ),
        )),
        CertStatus::Unknown => Ok(None),
    }
}

/// A stored response (`--tsr`) to the request `--tsq-out` wrote: that request's nonce is not
/// the one `upgrade` draws, so only the imprint (algorithm and hash of the signature) is
/// compared — what binds the token to this signature.
struct StoredResponse(Vec<u8>);

impl TimeStampSource for StoredResponse {
    fn time_stamp(&self, request: &TimeStampReq) -> Result<TimeStampToken, CmsError> {
        let token = TimeStampResp::parse(&self.0)?.into_token()?;
        let info = token.info();
        let alg_oid = match request.hash_alg() {
            HashAlg::Streebog512 => gostkit::oid::STREEBOG_512,
            _ => gostkit::oid::STREEBOG_256,
        };
        if info.hash_alg != alg_oid || info.imprint != request.imprint() {
            return Err(CmsError::ImprintMismatch);
        }
        Ok(token)
    }
}

pub(crate) fn cmd_upgrade(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--level",
            "--in",
            "--tsa-url",
            "--tsr",
            "--tsq-out",
            "--ocsp-url",
            "--crl",
            "--trusted",
            "--untrusted",
            "--alg",
            "--out",
        ],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "cms upgrade";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let level = match opts.require(cmd, "--level")?.to_string_lossy().as_ref() {
        "t" => UpgradeLevel::T,
        "xl1" => UpgradeLevel::XL1,
        other => {
            return Err(CliError::usage(format!(
                "{cmd}: --level is t or xl1, not {other}"
            )));
        }
    };
    let alg = crate::ts::imprint_alg(&opts, cmd)?;
    let mut der = read_all(Some(opts.require(cmd, "--in")?))?;
    let msg = SignedMessage::parse(&der).map_err(cms_error)?;
    if let Some(out) = opts.get("--tsq-out") {
        // The request a TSA answers for --tsr: the first signer's signature time-stamp.
        let req = signature_time_stamp_request(&msg, 0, alg).map_err(cms_error)?;
        write_public(Some(out), &req.to_der())?;
        return Ok(ExitCode::SUCCESS);
    }
    // Transport failures are kept here and reported as themselves, not as a CMS error.
    let failed: RefCell<Option<CliError>> = RefCell::new(None);
    let stored;
    let from_url;
    let url_text;
    let tsa: &dyn TimeStampSource = match (opts.get("--tsa-url"), opts.get("--tsr")) {
        (Some(url), None) => {
            url_text = url.to_string_lossy().into_owned();
            let (url, failed) = (&url_text, &failed);
            from_url = move |req: &[u8]| -> Result<Vec<u8>, CmsError> {
                http::post(
                    url,
                    "application/timestamp-query",
                    "application/timestamp-reply",
                    req,
                )
                .map_err(|e| {
                    failed.borrow_mut().get_or_insert(e);
                    CmsError::Invalid("no time-stamp from the TSA")
                })
            };
            &from_url
        }
        (None, Some(file)) => {
            stored = StoredResponse(read_all(Some(file))?);
            &stored
        }
        _ => {
            return Err(CliError::usage(format!(
                "{cmd}: give one of --tsa-url, --tsr, --tsq-out"
            )));
        }
    };
    let needs_chain = level == UpgradeLevel::XL1;
    let (store, vo) = if needs_chain {
        trust_inputs(&opts, cmd)?
    } else {
        (
            gostkit::x509::store::CertStore::new(),
            gostkit::x509::path::ValidationOptions::now(),
        )
    };
    let mut crls = Vec::new();
    for c in opts.all("--crl") {
        crls.extend(
            Crl::decode_all(&read_all(Some(c))?).map_err(|e| {
                CliError::from_kind(e.kind(), format!("{}: {e}", c.to_string_lossy()))
            })?,
        );
    }
    let reports = msg.verify(None, &[]);
    for (index, report) in reports.iter().enumerate() {
        let mut data = ValidationData::default();
        if needs_chain {
            let cert = report
                .cert
                .as_ref()
                .ok_or_else(|| cms_error(CmsError::SignerNotFound))?;
            data.chain = store
                .validate(cert, &msg.certificates, &vo)
                .map_err(|e| chain_error(&e))?;
            // --ocsp-url for every certificate; without it, each certificate's own OCSP
            // responder from its authorityInfoAccess (RFC 5280 §4.2.2.1), when it names one.
            let given = opts
                .get("--ocsp-url")
                .map(|u| u.to_string_lossy().into_owned());
            for pair in data.chain.windows(2) {
                let [c, issuer] = pair else { continue };
                let url = match &given {
                    Some(u) => Some(u.clone()),
                    None if c.is_self_issued() => None,
                    None => c
                        .ocsp_urls()
                        .map_err(|e| CliError::from_kind(e.kind(), e.to_string()))?
                        .into_iter()
                        .next(),
                };
                if let Some(url) = url
                    && let Some(r) = fetch_ocsp(&url, c, issuer)?
                {
                    data.ocsp.push(r);
                }
            }
            data.crls = crls.clone();
        }
        der = match upgrade(&der, index, level, alg, tsa, &data) {
            Ok(d) => d,
            Err(e) => return Err(failed.borrow_mut().take().unwrap_or_else(|| cms_error(e))),
        };
    }
    write_public(opts.get("--out"), &der)?;
    Ok(ExitCode::SUCCESS)
}
