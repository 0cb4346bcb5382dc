//! The `gostkit` command line: a thin layer over the library, following `CLI.md` to the letter.
//!
//! Every failure is a [`CliError`] carrying the contract's TOKEN and exit status; `main` prints it
//! as `error: TOKEN: detail` on standard error. A subcommand is a function
//! `fn(&[OsString]) -> Result<ExitCode, CliError>` registered in [`SUBCOMMANDS`].

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use gostkit::hash::HashAlg;

mod cms;
mod demo;
mod files;
mod keys;
mod opts;
mod pfx;
mod pki;

/// Exit status for a well-formed input that fails a check (bad signature, MAC mismatch…).
pub(crate) const EXIT_CHECK_FAILED: u8 = 1;
/// Exit status for usage errors and unreadable, malformed or unsupported input.
pub(crate) const EXIT_USAGE_OR_INPUT: u8 = 2;

/// A failure to report as `error: TOKEN: detail`, with the exit status `CLI.md` gives it.
#[derive(Debug)]
pub(crate) struct CliError {
    /// One of the tokens of `CLI.md` (`usage`, `io`, `malformed`, `bad-signature`, …).
    token: &'static str,
    detail: String,
    exit: u8,
}

impl CliError {
    pub(crate) fn new(token: &'static str, exit: u8, detail: impl Into<String>) -> Self {
        Self {
            token,
            detail: detail.into(),
            exit,
        }
    }

    /// The error line of a library failure: token and exit status from the library's one
    /// error-kind table (`gostkit::ErrorKind`), so the command line agrees with the C statuses.
    pub(crate) fn from_kind(kind: gostkit::ErrorKind, detail: impl Into<String>) -> Self {
        Self::new(kind.token(), kind.exit_code(), detail)
    }

    pub(crate) fn usage(detail: impl Into<String>) -> Self {
        Self::new("usage", EXIT_USAGE_OR_INPUT, detail)
    }

    pub(crate) fn io(name: &str, err: &io::Error) -> Self {
        Self::new("io", EXIT_USAGE_OR_INPUT, format!("{name}: {err}"))
    }

    /// The exit status of this failure (for a command that printed its line already).
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit)
    }

    /// Prints the error line to standard error (for one of several results).
    pub(crate) fn report_line(&self) {
        self.report();
    }

    /// Prints the error line to standard error.
    fn report(&self) {
        eprintln!("error: {}: {}", self.token, self.detail);
    }
}

type Subcommand = fn(&[OsString]) -> Result<ExitCode, CliError>;

/// The subcommands: name, one-line synopsis, handler.
const SUBCOMMANDS: &[(&str, &str, Subcommand)] = &[
    (
        "hash",
        "hash [--alg streebog256|streebog512|gost94] [FILE...]",
        cmd_hash,
    ),
    (
        "genkey",
        "genkey --curve NAME [--out KEY] [--pass-env VAR]",
        keys::cmd_genkey,
    ),
    (
        "pubkey",
        "pubkey --key KEY [--pass-env VAR] [--out PUB]",
        keys::cmd_pubkey,
    ),
    (
        "sign",
        "sign --key KEY [--pass-env VAR] [--in FILE] --out SIG",
        keys::cmd_sign,
    ),
    (
        "verify",
        "verify (--pub PUB|--cert CERT) --sig SIG [--in FILE]",
        keys::cmd_verify,
    ),
    (
        "req",
        "req --key KEY [--pass-env VAR] --subject DN [--out CSR]",
        pki::cmd_req,
    ),
    (
        "x509",
        "x509 show CERT [--json] | x509 issue (--req CSR --ca-cert CERT --ca-key KEY | --self-signed --key KEY --subject DN) [--pass-env VAR] [--days N] [--ca [--path-len N]] [--out CERT]",
        pki::cmd_x509,
    ),
    (
        "verify-chain",
        "verify-chain --trusted FILE|DIR [--untrusted FILE]... [--crl FILE]... [--crl-required] [--at TIME] CERT",
        pki::cmd_verify_chain,
    ),
    (
        "cms",
        "cms sign|verify|encrypt|decrypt ... (see CLI.md)",
        cms::cmd_cms,
    ),
    (
        "pfx",
        "pfx export --cert CERT --key KEY [--key-pass-env VAR] [--chain FILE] --pass-env VAR [--out PFX] | pfx import --in PFX --pass-env VAR --out-key KEY --out-cert CERT [--out-chain FILE] [--no-key-pass]",
        pfx::cmd_pfx,
    ),
    ("demo", "demo [--out-dir DIR]", cms::cmd_demo),
];

fn usage_text() -> String {
    let mut s = String::from("usage:\n");
    for (_, synopsis, _) in SUBCOMMANDS {
        s.push_str("  gostkit ");
        s.push_str(synopsis);
        s.push('\n');
    }
    s
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            e.report();
            ExitCode::from(e.exit)
        }
    }
}

fn run(args: &[OsString]) -> Result<ExitCode, CliError> {
    let Some(first) = args.first() else {
        return Err(CliError::usage("missing subcommand (try `gostkit --help`)"));
    };
    let first = first.to_string_lossy();
    match first.as_ref() {
        "-h" | "--help" | "help" => {
            print!("{}", usage_text());
            return Ok(ExitCode::SUCCESS);
        }
        "-V" | "--version" => {
            println!("gostkit {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    match SUBCOMMANDS.iter().find(|(name, _, _)| *name == first) {
        Some((_, _, handler)) => handler(&args[1..]),
        None => Err(CliError::usage(format!(
            "unknown subcommand `{first}` (try `gostkit --help`)"
        ))),
    }
}

/// Size of the chunks files are streamed in.
pub(crate) const CHUNK: usize = 64 * 1024;

/// `gostkit hash [--alg NAME] [FILE...]`: `HEX  NAME` per input, like `sha256sum`.
fn cmd_hash(args: &[OsString]) -> Result<ExitCode, CliError> {
    let mut alg = HashAlg::Streebog256;
    let mut files: Vec<OsString> = Vec::new();
    let mut options_done = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let text = arg.to_string_lossy();
        if options_done || text == "-" || !text.starts_with('-') {
            files.push(arg.clone());
        } else if text == "--" {
            options_done = true;
        } else if text == "--alg" || text.starts_with("--alg=") {
            let value = match text.strip_prefix("--alg=") {
                Some(v) => v.to_owned(),
                None => it
                    .next()
                    .ok_or_else(|| CliError::usage("--alg needs a value"))?
                    .to_string_lossy()
                    .into_owned(),
            };
            alg = HashAlg::from_name(&value).ok_or_else(|| {
                CliError::usage(format!(
                    "unknown hash algorithm `{value}` (streebog256, streebog512, gost94)"
                ))
            })?;
        } else if text == "-h" || text == "--help" {
            println!("usage: gostkit {}", SUBCOMMANDS[0].1);
            return Ok(ExitCode::SUCCESS);
        } else {
            return Err(CliError::usage(format!("hash: unknown option `{text}`")));
        }
    }
    if files.is_empty() {
        files.push(OsString::from("-"));
    }

    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for file in &files {
        let name = file.to_string_lossy();
        match hash_input(alg, file) {
            Ok(digest) => {
                writeln!(out, "{}  {name}", hex(&digest))
                    .and_then(|()| out.flush())
                    .map_err(|e| CliError::io("stdout", &e))?;
            }
            Err(e) => {
                CliError::io(&name, &e).report();
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(EXIT_USAGE_OR_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

/// Hashes a file (or standard input for `-`) in [`CHUNK`]-byte pieces.
fn hash_input(alg: HashAlg, file: &OsString) -> io::Result<Vec<u8>> {
    let mut reader: Box<dyn Read> = if file == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(file)?)
    };
    let mut hasher = alg.hasher();
    let mut buf = vec![0u8; CHUNK];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
