//! `pfx export|import` (CLI.md): PKCS #12 per R 50.1.112-2016 / RFC 9548.

use std::ffi::OsString;
use std::process::ExitCode;

use gostkit::asn1::pbes2::{self, KeyCipher};
use gostkit::x509::{X509Error, pfx};
use zeroize::Zeroizing;

use crate::files::{read_secret, write_public, write_secret};
use crate::keys::{load_pkcs8, malformed, name_of};
use crate::opts::{Opts, Spec};
use crate::pki::{load_cert, load_certs};
use crate::{CliError, EXIT_USAGE_OR_INPUT};

fn pfx_error(name: &str, e: X509Error) -> CliError {
    CliError::from_kind(e.kind(), format!("{name}: {e}"))
}

/// `gostkit pfx export|import ...`.
pub(crate) fn cmd_pfx(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "export" => cmd_export(&args[1..]),
        Some(s) if s == "import" => cmd_import(&args[1..]),
        _ => Err(CliError::usage("pfx: expected export or import")),
    }
}

/// The PFX password: `--pass-env`/`--pass-file`/`--pass-fd`, else asked on the terminal, else
/// `password-required`.
fn required_password(opts: &Opts, cmd: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, CliError> {
    crate::password::required(opts, cmd, "--pass-env", "the PFX")
}

fn cmd_export(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--cert",
            "--key",
            "--key-pass-env",
            "--chain",
            "--pass-env",
            "--out",
            "--max-iterations",
        ],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "pfx export";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let pw = required_password(&opts, cmd)?;
    let cert = load_cert(opts.require(cmd, "--cert")?)?;
    let (key, name) = load_pkcs8(&opts, cmd, "--key", "--key-pass-env")?;
    let chain = match opts.get("--chain") {
        Some(c) => load_certs(c)?,
        None => Vec::new(),
    };
    let der = Zeroizing::new(
        pfx::export(
            &key,
            &cert,
            &chain,
            &pw,
            KeyCipher::Kuznyechik,
            pbes2::DEFAULT_ITERATIONS,
        )
        .map_err(|e| pfx_error(&name, e))?,
    );
    write_secret(opts.get("--out"), &der)?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_import(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--in",
            "--pass-env",
            "--out-key",
            "--out-cert",
            "--out-chain",
            "--max-iterations",
        ],
        flags: &["--no-key-pass"],
        max_positional: 0,
    };
    let cmd = "pfx import";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let pw = required_password(&opts, cmd)?;
    let input = opts.get("--in");
    let name = name_of(input);
    let file = read_secret(input)?;
    let der = Zeroizing::new(
        gostkit::asn1::pem::decode_any(&file, "PKCS12")
            .map_err(|e| malformed(&name, e))?
            .into_owned(),
    );
    let cap = crate::keys::max_iterations(&opts, cmd)?;
    let got = pfx::import_with(&der, &pw, cap).map_err(|e| pfx_error(&name, e))?;
    let out_key = opts.require(cmd, "--out-key")?;
    let out_cert = opts.require(cmd, "--out-cert")?;
    let cert = got.cert.ok_or_else(|| {
        CliError::new(
            "malformed",
            EXIT_USAGE_OR_INPUT,
            format!("{name}: no certificate matches the key"),
        )
    })?;
    let key_pem = if opts.has_flag("--no-key-pass") {
        got.key.to_pem().map_err(|e| malformed("key", e))?
    } else {
        zeroize::Zeroizing::new(
            pbes2::encrypt_pkcs8_pem(
                &got.key,
                &pw,
                KeyCipher::Kuznyechik,
                pbes2::DEFAULT_ITERATIONS,
            )
            .map_err(|e| malformed("key", e))?,
        )
    };
    write_secret(Some(out_key), key_pem.as_bytes())?;
    write_public(
        Some(out_cert),
        cert.to_pem()
            .map_err(|e| malformed("certificate", e))?
            .as_bytes(),
    )?;
    if let Some(chain) = opts.get("--out-chain")
        && !got.others.is_empty()
    {
        let mut text = String::new();
        for c in &got.others {
            text.push_str(&c.to_pem().map_err(|e| malformed("certificate", e))?);
        }
        write_public(Some(chain), text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}
