//! `container show|export|create|find` (CLI.md): CryptoPro CSP key containers, on the library's
//! `gostkit::container`.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gostkit::asn1::{KeyAlgorithm, pbes2};
use gostkit::container::{Container, ContainerError, ContainerWriter, KeyStore, OsRandom};
use gostkit::x509::name::to_rfc4514;
use zeroize::Zeroizing;

use crate::files::{write_public, write_secret};
use crate::keys::{key_error, load_pkcs8, malformed, password, password_from};
use crate::opts::{Opts, Spec};
use crate::pki::{json_str, load_cert};
use crate::{CliError, EXIT_CHECK_FAILED};

fn container_error(what: &str, e: ContainerError) -> CliError {
    match e {
        ContainerError::PinRequired => CliError::from_kind(
            e.kind(),
            format!(
                "{what}: the container is protected by a PIN; give --pass-env VAR, \
                 --pass-file FILE or --pass-fd N"
            ),
        ),
        e => CliError::from_kind(e.kind(), format!("{what}: {e}")),
    }
}

/// `gostkit container show|export|create|find ...`.
pub(crate) fn cmd_container(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "show" => cmd_show(&args[1..]),
        Some(s) if s == "export" => cmd_export(&args[1..]),
        Some(s) if s == "create" => cmd_create(&args[1..]),
        Some(s) if s == "find" => cmd_find(&args[1..]),
        _ => Err(CliError::usage(
            "container: expected show, export, create or find",
        )),
    }
}

fn the_dir<'a>(opts: &'a Opts, cmd: &str) -> Result<&'a OsString, CliError> {
    opts.positional
        .first()
        .ok_or_else(|| CliError::usage(format!("{cmd}: the container directory is required")))
}

fn open(dir: &OsString) -> Result<Container, CliError> {
    Container::open(Path::new(dir)).map_err(|e| container_error(&dir.to_string_lossy(), e))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn certificate_subject(c: &Container) -> Option<String> {
    match c.certificate() {
        Some(Ok(cert)) => Some(to_rfc4514(cert.subject())),
        _ => None,
    }
}

/// `gostkit container show DIR [--json]`.
fn cmd_show(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[],
        flags: &["--json"],
        max_positional: 1,
    };
    let cmd = "container show";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let c = open(the_dir(&opts, cmd)?)?;
    let name = c.name();
    let digest = c.digest_oid().map(|o| o.to_string());
    let fp = c.fingerprint().map(|f| hex(&f));
    let subject = certificate_subject(&c);
    let text = if opts.has_flag("--json") {
        let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "null".to_owned(), json_str);
        format!(
            "{{\"name\": {}, \"algorithm_oid\": {}, \"curve_oid\": {}, \"digest_oid\": {}, \
             \"exportable\": {}, \"has_pin\": {}, \"fingerprint\": {}, \
             \"certificate_subject\": {}, \"exchange\": {}}}\n",
            opt(&name),
            json_str(&c.algorithm_oid().to_string()),
            json_str(&c.curve_oid().to_string()),
            opt(&digest),
            c.exportable(),
            c.has_pin(),
            opt(&fp),
            opt(&subject),
            c.exchange(),
        )
    } else {
        let yn = |b: bool| if b { "yes" } else { "no" };
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_owned());
        format!(
            "name: {}\nalgorithm: {}\ncurve: {}\ndigest: {}\nkey: {}\nexportable: {}\n\
             has PIN: {}\nfingerprint: {}\ncertificate: {}\n",
            or_none(&name),
            c.algorithm_oid(),
            c.curve_oid(),
            or_none(&digest),
            if c.exchange() {
                "exchange"
            } else {
                "signature"
            },
            yn(c.exportable()),
            yn(c.has_pin()),
            or_none(&fp),
            or_none(&subject),
        )
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CliError::io("stdout", &e))?;
    Ok(ExitCode::SUCCESS)
}

/// `gostkit container export DIR [--pass-env VAR] --out KEY [--key-pass-env VAR2] [--out-cert CERT]`.
fn cmd_export(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--pass-env", "--out", "--key-pass-env", "--out-cert"],
        flags: &[],
        max_positional: 1,
    };
    let cmd = "container export";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let dir = the_dir(&opts, cmd)?;
    let out = opts.require(cmd, "--out")?;
    let pin = password(&opts, cmd)?;
    let key_pass = password_from(&opts, cmd, "--key-pass-env")?;
    let c = open(dir)?;
    let name = dir.to_string_lossy();
    let key = match (c.unlock(pin.as_deref().map_or(&[][..], |p| p)), &pin) {
        // A PIN-protected container and no source given: ask on the terminal when there is one.
        (Err(ContainerError::PinRequired), None)
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) =>
        {
            let typed = crate::password::prompt_or_fail(cmd, "--pass-env", "the container's PIN")?;
            c.unlock(&typed)
        }
        (other, _) => other,
    }
    .map_err(|e| container_error(&name, e))?;
    let pk = key.to_pkcs8().map_err(|e| container_error(&name, e))?;
    let pem = match key_pass {
        Some(pw) => Zeroizing::new(
            pbes2::encrypt_pkcs8_pem(
                &pk,
                &pw,
                pbes2::KeyCipher::Kuznyechik,
                pbes2::DEFAULT_ITERATIONS,
            )
            .map_err(|e| key_error("key", e))?,
        ),
        None => pk.to_pem().map_err(|e| key_error("key", e))?,
    };
    let cert_pem = match opts.get("--out-cert") {
        None => None,
        Some(path) => {
            let cert = match c.certificate() {
                Some(Ok(cert)) => cert,
                Some(Err(e)) => return Err(malformed(&format!("{name}: certificate"), e)),
                None => {
                    return Err(CliError::from_kind(
                        gostkit::ErrorKind::NotFound,
                        format!("{name}: the container stores no certificate"),
                    ));
                }
            };
            let text = cert.to_pem().map_err(|e| malformed("certificate", e))?;
            Some((path, text))
        }
    };
    write_secret(Some(out), pem.as_bytes())?;
    if let Some((path, text)) = cert_pem {
        write_public(Some(path), text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The default container name: the directory's name without a `.NNN` suffix.
fn default_name(dir: &Path) -> String {
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.bytes().all(|b| b.is_ascii_digit()) => {
            stem.to_owned()
        }
        _ => base,
    }
}

/// `gostkit container create --key KEY [--key-pass-env VAR2] [--cert CERT] [--pass-env VAR]
/// [--name NAME] [--non-exportable] --out DIR`.
fn cmd_create(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--key",
            "--key-pass-env",
            "--cert",
            "--pass-env",
            "--name",
            "--out",
        ],
        flags: &["--non-exportable"],
        max_positional: 0,
    };
    let cmd = "container create";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let out = PathBuf::from(opts.require(cmd, "--out")?);
    let (pk, key_name) = load_pkcs8(&opts, cmd, "--key", "--key-pass-env")?;
    let key = pk.to_signing_key().map_err(|e| key_error(&key_name, e))?;
    let cert = opts.get("--cert").map(load_cert).transpose()?;
    let pin = password(&opts, cmd)?.unwrap_or_default();
    let name = match opts.get("--name") {
        Some(n) => n.to_string_lossy().into_owned(),
        None => default_name(&out),
    };
    if out.join("header.key").exists() {
        return Err(CliError::usage(format!(
            "{cmd}: {} already holds a container",
            out.display()
        )));
    }
    let mut w = ContainerWriter::new(&key, &name)
        .pin(&pin)
        .exportable(!opts.has_flag("--non-exportable"))
        .certificate(cert.as_ref().map(|c| c.der()));
    if pk.algorithm == KeyAlgorithm::Gost2001 {
        w = w.gost2001();
    }
    let what = out.display().to_string();
    let files = w
        .write(&mut OsRandom)
        .map_err(|e| container_error(&what, e))?;
    files
        .write_dir(&out)
        .map_err(|e| container_error(&what, e))?;
    Ok(ExitCode::SUCCESS)
}

/// `gostkit container find --dir KEYDIR --cert CERT`.
fn cmd_find(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--dir", "--cert"],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "container find";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let dir = opts.require(cmd, "--dir")?;
    let cert = load_cert(opts.require(cmd, "--cert")?)?;
    let store = KeyStore::new(PathBuf::from(dir));
    let found = store
        .find_certificate(&cert)
        .map_err(|e| container_error(&dir.to_string_lossy(), e))?;
    match found {
        Some((path, _)) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", path.display())
                .and_then(|()| out.flush())
                .map_err(|e| CliError::io("stdout", &e))?;
            Ok(ExitCode::SUCCESS)
        }
        None => Err(CliError::new(
            "key-mismatch",
            EXIT_CHECK_FAILED,
            format!(
                "no container in {} holds the key of {}",
                dir.to_string_lossy(),
                to_rfc4514(cert.subject())
            ),
        )),
    }
}
