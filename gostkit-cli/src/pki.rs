//! `req`, `x509 show|issue`, `verify-chain`: PKCS#10 requests, certificates and RFC 5280 path
//! validation on the command line (CLI.md).

use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use gostkit::x509::crl::Crl;
use gostkit::x509::csr::CertificationRequest;
use gostkit::x509::issue::{IssueOptions, issue_from_request, self_signed};
use gostkit::x509::name::{parse_slash_dn, to_rfc4514};
use gostkit::x509::path::{PathError, RevocationPolicy, ValidationOptions};
use gostkit::x509::store::{CertStore, Role};
use gostkit::x509::{Certificate, X509Error};

use crate::files::write_public;
use crate::keys::{load_private, load_private_from, read_all};
use crate::opts::{Opts, Spec};
use crate::{CliError, EXIT_CHECK_FAILED};

fn x509_error(what: &str, e: X509Error) -> CliError {
    CliError::from_kind(e.kind(), format!("{what}: {e}"))
}

/// Reads one certificate file.
pub(crate) fn load_cert(path: &OsString) -> Result<Certificate, CliError> {
    let name = path.to_string_lossy();
    Certificate::decode(&read_all(Some(path))?).map_err(|e| x509_error(&name, e))
}

/// Reads every certificate of a file (PEM bundle or DER).
pub(crate) fn load_certs(path: &OsString) -> Result<Vec<Certificate>, CliError> {
    let name = path.to_string_lossy();
    Certificate::decode_all(&read_all(Some(path))?).map_err(|e| x509_error(&name, e))
}

fn dn(opts: &Opts, cmd: &str) -> Result<x509_cert::name::Name, CliError> {
    let s = opts
        .require(cmd, "--subject")?
        .to_string_lossy()
        .into_owned();
    parse_slash_dn(&s).map_err(|e| CliError::usage(format!("{cmd}: --subject: {e}")))
}

/// `gostkit req --key KEY [--pass-env VAR] --subject DN [--out CSR]`.
pub(crate) fn cmd_req(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--key",
            "--pass-env",
            "--subject",
            "--out",
            "--max-iterations",
        ],
        flags: &[],
        max_positional: 0,
    };
    let opts = Opts::parse("req", &SPEC, args)?;
    let subject = dn(&opts, "req")?;
    let (key, _) = load_private(&opts, "req")?;
    let req =
        CertificationRequest::build(&key, &subject, &[]).map_err(|e| x509_error("request", e))?;
    write_public(
        opts.get("--out"),
        req.to_pem()
            .map_err(|e| x509_error("request", e))?
            .as_bytes(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `gostkit x509 show|issue ...`.
pub(crate) fn cmd_x509(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "show" => cmd_show(&args[1..]),
        Some(s) if s == "issue" => cmd_issue(&args[1..]),
        _ => Err(CliError::usage("x509: expected `show` or `issue`")),
    }
}

/// Parses an RFC 3339 time (`2026-01-31T12:00:00Z`, fractions and offsets allowed).
pub(crate) fn parse_rfc3339(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    let (y, mo, d, h, mi, sec) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    let mut rest = &s[19..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &r[n..];
    }
    let offset: i64 = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && &rest[3..4] == ":" =>
        {
            let oh: i64 = rest[1..3].parse().ok()?;
            let om: i64 = rest[4..6].parse().ok()?;
            let v = oh * 3600 + om * 60;
            if rest.starts_with('-') { -v } else { v }
        }
        _ => return None,
    };
    let dt = der::DateTime::new(
        y as u16,
        mo as u8,
        d as u8,
        h as u8,
        mi as u8,
        sec.min(59) as u8,
    )
    .ok()?;
    let unix = dt.unix_duration().as_secs() as i64 - offset;
    let unix = u64::try_from(unix).ok()?;
    Some(std::time::UNIX_EPOCH + Duration::from_secs(unix))
}

pub(crate) use gostkit::x509::json::json_str;

/// `gostkit x509 show CERT [--json]`.
fn cmd_show(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[],
        flags: &["--json"],
        max_positional: 1,
    };
    let opts = Opts::parse("x509 show", &SPEC, args)?;
    let path = opts
        .positional
        .first()
        .ok_or_else(|| CliError::usage("x509 show: CERT is required"))?;
    let c = load_cert(path)?;
    let fail = |e| x509_error(&path.to_string_lossy(), e);
    let out = if opts.has_flag("--json") {
        gostkit::x509::json::to_json(&c).map_err(fail)?
    } else {
        let facts = gostkit::x509::json::facts(&c).map_err(fail)?;
        let mut s = String::new();
        s.push_str(&format!("subject: {}\n", to_rfc4514(c.subject())));
        s.push_str(&format!("issuer: {}\n", to_rfc4514(c.issuer())));
        for (k, v) in facts.iter().skip(2) {
            if *k != "subject_id_checks" {
                s.push_str(&format!("{k}: {}\n", v.trim_matches('"')));
            }
        }
        for (k, v, ok) in gostkit::x509::name::id_checks(c.subject()) {
            if !ok {
                s.push_str(&format!("warning: {k} {v}: check digits are wrong\n"));
            }
        }
        let ids = c.subject_ids();
        for (k, v) in [
            ("INN", ids.inn),
            ("INNLE", ids.innle),
            ("OGRN", ids.ogrn),
            ("OGRNIP", ids.ogrnip),
            ("SNILS", ids.snils),
        ] {
            if let Some(v) = v {
                s.push_str(&format!("{k}: {v}\n"));
            }
        }
        s
    };
    write_public(None, out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `gostkit x509 issue (--req CSR --ca-cert CERT --ca-key KEY | --self-signed --key KEY
/// --subject DN) [--pass-env VAR] [--days N] [--ca [--path-len N]] [--out CERT]`.
fn cmd_issue(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--req",
            "--ca-cert",
            "--ca-key",
            "--key",
            "--subject",
            "--pass-env",
            "--days",
            "--path-len",
            "--out",
            "--max-iterations",
        ],
        flags: &["--self-signed", "--ca"],
        max_positional: 0,
    };
    let cmd = "x509 issue";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let days: u32 = match opts.get("--days") {
        Some(d) => d
            .to_string_lossy()
            .parse()
            .map_err(|_| CliError::usage("x509 issue: --days takes a number"))?,
        None => 365,
    };
    let path_len: Option<u8> = match opts.get("--path-len") {
        Some(p) => Some(
            p.to_string_lossy()
                .parse()
                .map_err(|_| CliError::usage("x509 issue: --path-len takes a number"))?,
        ),
        None => None,
    };
    if path_len.is_some() && !opts.has_flag("--ca") {
        return Err(CliError::usage("x509 issue: --path-len needs --ca"));
    }
    let io = if opts.has_flag("--ca") {
        IssueOptions::ca_days(days, path_len)
    } else {
        IssueOptions::days(days)
    };
    let cert = if opts.has_flag("--self-signed") {
        if opts.get("--req").is_some() {
            return Err(CliError::usage(
                "x509 issue: --self-signed and --req exclude each other",
            ));
        }
        let subject = dn(&opts, cmd)?;
        let (key, _) = load_private(&opts, cmd)?;
        self_signed(&subject, &key, &io).map_err(|e| x509_error("certificate", e))?
    } else {
        let req_path = opts.require(cmd, "--req")?;
        let req = CertificationRequest::decode(&read_all(Some(req_path))?)
            .map_err(|e| x509_error(&req_path.to_string_lossy(), e))?;
        let ca = load_cert(opts.require(cmd, "--ca-cert")?)?;
        let (ca_key, _) = load_private_from(&opts, cmd, "--ca-key")?;
        if !ca.matches_key(&ca_key) {
            return Err(CliError::new(
                "key-mismatch",
                EXIT_CHECK_FAILED,
                "--ca-key does not belong to --ca-cert",
            ));
        }
        issue_from_request(&req, &ca, &ca_key, &io).map_err(|e| x509_error("request", e))?
    };
    write_public(
        opts.get("--out"),
        cert.to_pem()
            .map_err(|e| x509_error("certificate", e))?
            .as_bytes(),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The CLI.md token of a path-validation failure.
pub(crate) fn chain_error(e: &PathError) -> CliError {
    CliError::from_kind(e.kind.kind(), format!("{}: {}", e.subject, e.kind))
}

/// Builds the store and options shared by `verify-chain` and `cms verify`.
pub(crate) fn trust_inputs(
    opts: &Opts,
    cmd: &str,
) -> Result<(CertStore, ValidationOptions), CliError> {
    let mut store = CertStore::new();
    let trusted = opts.require(cmd, "--trusted")?;
    store
        .load_path(Path::new(trusted), Role::TrustedRoot)
        .map_err(|e| x509_error(&trusted.to_string_lossy(), e))?;
    for u in opts.all("--untrusted") {
        for c in load_certs(u)? {
            store.add(c, Role::IntermediateCa);
        }
    }
    for c in opts.all("--crl") {
        let name = c.to_string_lossy();
        for crl in Crl::decode_all(&read_all(Some(c))?).map_err(|e| x509_error(&name, e))? {
            store.add_crl(crl);
        }
    }
    let time = match opts.get("--at") {
        // `cms verify --at signing-time`: each signer's claimed time, chosen by the caller;
        // `cms verify --at time-stamp`: each signer's verified signature time-stamp.
        Some(t) if cmd == "cms verify" && (t == "signing-time" || t == "time-stamp") => {
            SystemTime::now()
        }
        Some(t) => parse_rfc3339(&t.to_string_lossy())
            .ok_or_else(|| CliError::usage(format!("{cmd}: --at is not an RFC 3339 time")))?,
        None => SystemTime::now(),
    };
    let mut vo = ValidationOptions::at(time);
    vo.revocation = if opts.has_flag("--crl-required") {
        RevocationPolicy::Required
    } else {
        RevocationPolicy::WhenAvailable
    };
    Ok((store, vo))
}

/// `gostkit verify-chain --trusted FILE|DIR [--untrusted FILE]... [--crl FILE]...
/// [--crl-required] [--at TIME] CERT`.
pub(crate) fn cmd_verify_chain(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--trusted", "--untrusted", "--crl", "--at"],
        flags: &["--crl-required"],
        max_positional: 1,
    };
    let cmd = "verify-chain";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let leaf_path = opts
        .positional
        .first()
        .ok_or_else(|| CliError::usage("verify-chain: CERT is required"))?;
    let (store, vo) = trust_inputs(&opts, cmd)?;
    let leaf = load_cert(leaf_path)?;
    let path = store
        .validate(&leaf, &[], &vo)
        .map_err(|e| chain_error(&e))?;
    let text: String = path
        .iter()
        .map(|c| format!("{}\n", to_rfc4514(c.subject())))
        .collect();
    write_public(None, text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
