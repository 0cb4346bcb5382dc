//! `ocsp request|check` (CLI.md): RFC 6960 requests, and a certificate's status from a
//! responder (`--url`, HTTP per RFC 6960 App. A.1, with a nonce) or a stored response.

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::SystemTime;

use gostkit::x509::Certificate;
use gostkit::x509::ocsp::{
    CertIdHash, CertStatus, OcspError, OcspOptions, OcspRequest, OcspResponse, random_nonce,
};
use gostkit::x509::time::rfc3339;

use crate::files::write_public;
use crate::keys::read_all;
use crate::opts::{Opts, Spec};
use crate::pki::{chain_error, load_cert, trust_inputs};
use crate::{CliError, EXIT_CHECK_FAILED, http};

fn ocsp_error(e: OcspError) -> CliError {
    CliError::from_kind(e.kind(), e.to_string())
}

/// `gostkit ocsp request|check ...`.
pub(crate) fn cmd_ocsp(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "request" => cmd_request(args.get(1..).unwrap_or_default()),
        Some(s) if s == "check" => cmd_check(args.get(1..).unwrap_or_default()),
        _ => Err(CliError::usage("ocsp: expected request or check")),
    }
}

/// A request about `cert` (CertID with SHA-1, what responders expect), with a nonce when asked.
fn request(cert: &Certificate, issuer: &Certificate, nonce: bool) -> Result<OcspRequest, CliError> {
    let n = if nonce {
        Some(random_nonce().map_err(|e| CliError::from_kind(e.kind(), e.to_string()))?)
    } else {
        None
    };
    OcspRequest::build(
        &[(cert, issuer)],
        CertIdHash::Sha1,
        n.as_ref().map(|n| &n[..]),
    )
    .map_err(ocsp_error)
}

fn cmd_request(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--cert", "--issuer", "--out"],
        flags: &["--no-nonce"],
        max_positional: 0,
    };
    let cmd = "ocsp request";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let cert = load_cert(opts.require(cmd, "--cert")?)?;
    let issuer = load_cert(opts.require(cmd, "--issuer")?)?;
    let req = request(&cert, &issuer, !opts.has_flag("--no-nonce"))?;
    write_public(opts.get("--out"), req.der())?;
    Ok(ExitCode::SUCCESS)
}

/// Validates `--issuer` against the trust store, gets the response (asked with a nonce over
/// HTTP, or read from a file), verifies it for `--cert` at `--at` or now, prints the status.
fn cmd_check(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--cert",
            "--issuer",
            "--url",
            "--response",
            "--trusted",
            "--untrusted",
            "--crl",
            "--at",
        ],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "ocsp check";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let cert = load_cert(opts.require(cmd, "--cert")?)?;
    let issuer = load_cert(opts.require(cmd, "--issuer")?)?;
    let (store, vo) = trust_inputs(&opts, cmd)?;
    store
        .validate(&issuer, &[], &vo)
        .map_err(|e| chain_error(&e))?;
    let mut oo = OcspOptions::default();
    let der = match (opts.get("--url"), opts.get("--response")) {
        (Some(url), None) => {
            let req = request(&cert, &issuer, true)?;
            oo.nonce = req.nonce_extension_value().map(<[u8]>::to_vec);
            http::post(
                &url.to_string_lossy(),
                "application/ocsp-request",
                "application/ocsp-response",
                req.der(),
            )?
        }
        (None, Some(file)) => read_all(Some(file))?,
        _ => {
            return Err(CliError::usage(format!(
                "{cmd}: give one of --url, --response"
            )));
        }
    };
    let resp = OcspResponse::from_der(&der).map_err(ocsp_error)?;
    let at: SystemTime = vo.time;
    let verified = resp.verify(&cert, &issuer, at, &oo).map_err(ocsp_error)?;
    match verified.status {
        CertStatus::Good => {
            println!("good");
            Ok(ExitCode::SUCCESS)
        }
        CertStatus::Revoked { time, reason } => {
            let reason = reason.unwrap_or("unspecified");
            println!("revoked {} {reason}", rfc3339(time));
            Err(CliError::new(
                "revoked",
                EXIT_CHECK_FAILED,
                format!("revoked at {} ({reason})", rfc3339(time)),
            ))
        }
        CertStatus::Unknown => {
            println!("unknown");
            Err(CliError::new(
                "crl-missing",
                EXIT_CHECK_FAILED,
                "the OCSP responder does not know the certificate",
            ))
        }
    }
}
