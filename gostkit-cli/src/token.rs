//! PKCS#11 tokens (CLI.md): `--key pkcs11:…` URIs for every key option, and `token list |
//! genkey | import-cert`, on the library's `gostkit::pkcs11` client. The module comes from the
//! URI's `module-path`, `--module`, or `$GOSTKIT_PKCS11_MODULE`; the PIN from `--pass-env`.

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::Arc;

use gostkit::asn1::KeyAlgorithm;
use gostkit::pkcs11::{Module, Pkcs11Error, Pkcs11Uri, TokenSession};
use gostkit::x509::name::to_rfc4514;
use zeroize::Zeroizing;

use crate::CliError;
use crate::keys::{CliKey, curve_by_name, password};
use crate::opts::{Opts, Spec};
use crate::pki::load_cert;

/// The environment variable naming the module when no other source does.
const MODULE_ENV: &str = "GOSTKIT_PKCS11_MODULE";

fn p11_error(what: &str, e: Pkcs11Error) -> CliError {
    CliError::from_kind(e.kind(), format!("{what}: {e}"))
}

/// The module to load: `explicit` (a URI's module-path or `--module`), else the environment.
fn module(cmd: &str, explicit: Option<String>) -> Result<Module, CliError> {
    let path = explicit
        .or_else(|| std::env::var(MODULE_ENV).ok())
        .ok_or_else(|| {
            CliError::usage(format!(
                "{cmd}: no PKCS#11 module: give module-path in the URI, --module, or ${MODULE_ENV}"
            ))
        })?;
    Module::load(&path).map_err(|e| p11_error(&path, e))
}

/// The PIN from `--pass-env`, as the client takes it.
fn pin(opts: &Opts, cmd: &str) -> Result<Option<Zeroizing<String>>, CliError> {
    Ok(password(opts, cmd)?.map(|p| Zeroizing::new(String::from_utf8_lossy(&p).into_owned())))
}

/// A session on the token `uri` names (the first token when it names none), logged in with the
/// PIN of `--pass-env`.
fn session(
    opts: &Opts,
    cmd: &str,
    uri: &Pkcs11Uri,
    module_opt: Option<String>,
) -> Result<TokenSession, CliError> {
    let m = module(cmd, uri.module_path.clone().or(module_opt))?;
    m.open(uri, pin(opts, cmd)?).map_err(|e| p11_error(cmd, e))
}

/// Loads the token key named by the URI `named` (CLI.md: `pkcs11:token=T;object=O[;id=%01]`).
pub(crate) fn load_token_key(
    opts: &Opts,
    cmd: &str,
    named: &OsString,
) -> Result<(CliKey, KeyAlgorithm), CliError> {
    let text = named
        .to_str()
        .ok_or_else(|| CliError::usage(format!("{cmd}: the PKCS#11 URI is not UTF-8")))?;
    let uri =
        Pkcs11Uri::parse(text).map_err(|e| CliError::usage(format!("{cmd}: PKCS#11 URI: {e}")))?;
    let s = session(opts, cmd, &uri, None)?;
    let key = s.key(&uri).map_err(|e| p11_error(cmd, e))?;
    let algorithm = if gostkit::ec::SignDigest::param_set(&key).bits() == 512 {
        KeyAlgorithm::Gost2012_512
    } else {
        KeyAlgorithm::Gost2012_256
    };
    Ok((Arc::new(key), algorithm))
}

/// `gostkit token list|genkey|import-cert ...`.
pub(crate) fn cmd_token(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "list" => cmd_list(&args[1..]),
        Some(s) if s == "genkey" => cmd_genkey(&args[1..]),
        Some(s) if s == "import-cert" => cmd_import_cert(&args[1..]),
        _ => Err(CliError::usage(
            "token: expected list, genkey or import-cert",
        )),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(cmd: &str, s: &OsString) -> Result<Vec<u8>, CliError> {
    let s = s.to_string_lossy();
    let bad = || CliError::usage(format!("{cmd}: --id is hexadecimal, not `{s}`"));
    if s.is_empty() || !s.len().is_multiple_of(2) || s.len() > 128 {
        return Err(bad());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap_or("x"), 16).map_err(|_| bad()))
        .collect()
}

/// The token named by `--token LABEL` (any when absent) as a URI.
fn token_uri(opts: &Opts) -> Pkcs11Uri {
    let mut uri = Pkcs11Uri::default();
    uri.token = opts
        .get("--token")
        .map(|t| t.to_string_lossy().into_owned());
    uri
}

/// `gostkit token list [--module PATH] [--token LABEL] [--pass-env VAR]`: one line per token
/// (`token LABEL serial SERIAL model MODEL`), then its objects (`  CLASS id=HEX LABEL`).
fn cmd_list(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--module", "--token", "--pass-env"],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "token list";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let module_opt = opts
        .get("--module")
        .map(|m| m.to_string_lossy().into_owned());
    let m = module(cmd, module_opt)?;
    let tokens = m.tokens().map_err(|e| p11_error(cmd, e))?;
    let wanted = opts
        .get("--token")
        .map(|t| t.to_string_lossy().into_owned());
    for t in tokens
        .iter()
        .filter(|t| wanted.as_ref().is_none_or(|w| *w == t.label))
    {
        println!("token {} serial {} model {}", t.label, t.serial, t.model);
        let mut uri = Pkcs11Uri::default();
        uri.token = Some(t.label.clone());
        // An empty slot or an uninitialised token has no objects to list.
        let Ok(s) = m.open(&uri, pin(&opts, cmd)?) else {
            println!("  (no session: not initialised)");
            continue;
        };
        for o in s.objects().map_err(|e| p11_error(cmd, e))? {
            println!("  {} id={} {}", o.class, hex(&o.id), o.label);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `gostkit token genkey --curve NAME --label L [--id HEX]`: a key pair on the token; prints its
/// `pkcs11:` URI.
fn cmd_genkey(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--curve",
            "--label",
            "--id",
            "--module",
            "--token",
            "--pass-env",
        ],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "token genkey";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let set = curve_by_name(&opts.require(cmd, "--curve")?.to_string_lossy())?;
    let label = opts.require(cmd, "--label")?.to_string_lossy().into_owned();
    let id = match opts.get("--id") {
        Some(h) => unhex(cmd, h)?,
        None => default_id(&label),
    };
    let module_opt = opts
        .get("--module")
        .map(|m| m.to_string_lossy().into_owned());
    let s = session(&opts, cmd, &token_uri(&opts), module_opt)?;
    s.generate(set, &label, &id)
        .map_err(|e| p11_error(cmd, e))?;
    println!("pkcs11:object={label};id={}", percent(&id));
    Ok(ExitCode::SUCCESS)
}

/// A default object ID: 8 bytes of Streebog-256 over the label and the current time (an ID
/// must be unique on the token, not secret).
fn default_id(label: &str) -> Vec<u8> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    gostkit::hash::Streebog256::digest(format!("{label}/{nanos}").as_bytes())[..8].to_vec()
}

fn percent(id: &[u8]) -> String {
    id.iter().map(|b| format!("%{b:02x}")).collect()
}

/// `gostkit token import-cert --cert CERT --id HEX`: writes the certificate next to the key with
/// that `CKA_ID` (the CA wizard's "install the certificate onto the token").
fn cmd_import_cert(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--cert",
            "--id",
            "--label",
            "--module",
            "--token",
            "--pass-env",
        ],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "token import-cert";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let cert = load_cert(opts.require(cmd, "--cert")?)?;
    let id = unhex(cmd, opts.require(cmd, "--id")?)?;
    let label = opts
        .get("--label")
        .map(|l| l.to_string_lossy().into_owned())
        .unwrap_or_else(|| to_rfc4514(cert.subject()));
    let module_opt = opts
        .get("--module")
        .map(|m| m.to_string_lossy().into_owned());
    let s = session(&opts, cmd, &token_uri(&opts), module_opt)?;
    s.import_certificate(&cert, &id, &label)
        .map_err(|e| p11_error(cmd, e))?;
    Ok(ExitCode::SUCCESS)
}
