//! `ts query|verify` (CLI.md): RFC 3161 time-stamp requests and responses.

use std::ffi::OsString;
use std::process::ExitCode;

use gostkit::cms::CmsError;
use gostkit::cms::tsp::{TimeStampReq, TimeStampResp, TokenVerifyOptions};
use gostkit::hash::HashAlg;
use gostkit::x509::time::rfc3339;

use crate::CliError;
use crate::files::write_public;
use crate::keys::read_all;
use crate::opts::{Opts, Spec};
use crate::pki::trust_inputs;

use crate::cms::cms_error as ts_error;

/// `--alg streebog256|streebog512` (default streebog256): the imprint's hash.
pub(crate) fn imprint_alg(opts: &Opts, cmd: &str) -> Result<HashAlg, CliError> {
    match opts.get("--alg").map(|a| a.to_string_lossy()) {
        None => Ok(HashAlg::Streebog256),
        Some(a) if a == "streebog256" => Ok(HashAlg::Streebog256),
        Some(a) if a == "streebog512" => Ok(HashAlg::Streebog512),
        Some(a) => Err(CliError::usage(format!(
            "{cmd}: --alg is streebog256 or streebog512, not {a}"
        ))),
    }
}

/// `gostkit ts query|verify ...`.
pub(crate) fn cmd_ts(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "query" => cmd_query(args.get(1..).unwrap_or_default()),
        Some(s) if s == "verify" => cmd_verify(args.get(1..).unwrap_or_default()),
        _ => Err(CliError::usage("ts: expected query or verify")),
    }
}

/// A request for the file's Streebog imprint with a random 64-bit nonce and certReq (the TSA
/// puts its certificate in the token), DER.
fn cmd_query(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--in", "--alg", "--out"],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "ts query";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let alg = imprint_alg(&opts, cmd)?;
    let data = read_all(Some(opts.require(cmd, "--in")?))?;
    let random = gostkit::x509::ocsp::random_nonce()
        .map_err(|e| CliError::from_kind(e.kind(), e.to_string()))?;
    let mut nonce = [0u8; 8];
    nonce.copy_from_slice(random.get(..8).unwrap_or(&[1; 8]));
    nonce[0] &= 0x7f; // a positive INTEGER without a leading zero octet
    nonce[0] |= 0x01;
    let req = TimeStampReq::new(alg, &data)
        .map_err(ts_error)?
        .with_nonce(Some(&nonce))
        .with_cert_req(true);
    write_public(opts.get("--out"), &req.to_der())?;
    Ok(ExitCode::SUCCESS)
}

/// Checks a response over a file: granted status, the imprint, the TSA's signature, ESS
/// signing-certificate, extended key usage and chain at genTime (the nonce too with `--query`).
/// Prints `genTime TSA-SUBJECT`.
fn cmd_verify(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--in",
            "--data",
            "--query",
            "--trusted",
            "--untrusted",
            "--crl",
            "--at",
        ],
        flags: &["--crl-required"],
        max_positional: 0,
    };
    let cmd = "ts verify";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let (store, vo) = trust_inputs(&opts, cmd)?;
    let resp =
        TimeStampResp::parse(&read_all(Some(opts.require(cmd, "--in")?))?).map_err(ts_error)?;
    let token = resp.into_token().map_err(ts_error)?;
    let data = read_all(Some(opts.require(cmd, "--data")?))?;
    let topts = TokenVerifyOptions {
        // genTime unless the caller names a time.
        time: opts.get("--at").map(|_| vo.time),
        revocation: vo.revocation,
        extra: Vec::new(),
    };
    let report = match opts.get("--query") {
        Some(q) => {
            let req = TimeStampReq::parse(&read_all(Some(q))?).map_err(ts_error)?;
            if req.hash_alg().digest(&data) != req.imprint() {
                return Err(ts_error(CmsError::ImprintMismatch));
            }
            token.verify_request(&req, &store, &topts)
        }
        None => token.verify_data(&data, &store, &topts),
    }
    .map_err(ts_error)?;
    println!("{} {}", rfc3339(report.gen_time), report.tsa_subject);
    Ok(ExitCode::SUCCESS)
}
