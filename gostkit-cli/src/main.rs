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
mod container;
mod demo;
mod files;
mod http;
mod keys;
mod ocsp;
mod opts;
mod password;
mod pfx;
mod pki;
mod progress;
mod tls;
mod token;
mod ts;
mod upgrade;

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

/// A subcommand: its name, what it does, its synopses (CLI.md's, one per form), its handler.
struct Command {
    name: &'static str,
    about: &'static str,
    synopses: &'static [&'static str],
    run: Subcommand,
}

/// The subcommands, in CLI.md's order.
const SUBCOMMANDS: &[Command] = &[
    Command {
        name: "hash",
        about: "prints `HEX  NAME` per file like sha256sum (standard input for `-` or no file)",
        synopses: &["hash [--alg streebog256|streebog512|gost94] [FILE...]"],
        run: cmd_hash,
    },
    Command {
        name: "genkey",
        about: "a new private key, PKCS#8 PEM (PBES2-encrypted when a password is given), mode 0600",
        synopses: &["genkey --curve NAME [--out KEY] [--pass-env VAR]"],
        run: keys::cmd_genkey,
    },
    Command {
        name: "pubkey",
        about: "the SubjectPublicKeyInfo PEM of a private key",
        synopses: &["pubkey --key KEY [--pass-env VAR] [--out PUB]"],
        run: keys::cmd_pubkey,
    },
    Command {
        name: "sign",
        about: "a raw GOST R 34.10-2012 signature (s || r) of the Streebog hash of a file",
        synopses: &["sign --key KEY [--pass-env VAR] [--in FILE] --out SIG"],
        run: keys::cmd_sign,
    },
    Command {
        name: "verify",
        about: "checks a raw signature",
        synopses: &["verify (--pub PUB|--cert CERT) --sig SIG [--in FILE]"],
        run: keys::cmd_verify,
    },
    Command {
        name: "req",
        about: "a PKCS#10 request (DN like /CN=Ivanov Ivan/INN=500100732259/SNILS=12345678964)",
        synopses: &["req --key KEY [--pass-env VAR] --subject DN [--out CSR]"],
        run: pki::cmd_req,
    },
    Command {
        name: "x509",
        about: "shows (text or JSON) or issues a certificate",
        synopses: &[
            "x509 show CERT [--json]",
            "x509 issue (--req CSR --ca-cert CERT --ca-key KEY | --self-signed --key KEY --subject DN) [--pass-env VAR] [--days N] [--ca [--path-len N]] [--out CERT]",
        ],
        run: pki::cmd_x509,
    },
    Command {
        name: "verify-chain",
        about: "RFC 5280 path validation; prints the path from the leaf to the trust anchor",
        synopses: &[
            "verify-chain --trusted FILE|DIR [--untrusted FILE]... [--crl FILE]... [--crl-required] [--at TIME] CERT",
        ],
        run: pki::cmd_verify_chain,
    },
    Command {
        name: "cms",
        about: "CMS SignedData and EnvelopedData (`--at signing-time` validates at each signer's claimed time, `--at time-stamp` at its verified signature time-stamp)",
        synopses: &[
            "cms sign --cert CERT --key KEY [--pass-env VAR] [--chain FILE] [--detached] [--no-certs] [--no-attrs] [--pem] [--in FILE] [--out MSG]",
            "cms verify --in MSG [--content FILE] --trusted FILE|DIR [--untrusted FILE]... [--crl FILE]... [--crl-required] [--at TIME] [--out FILE]",
            "cms encrypt --recipient CERT [--recipient CERT]... [--cipher kuznyechik|kuznyechik-ctr-acpkm|magma|magma-ctr-acpkm|gost89] [--pem] [--in FILE] [--out MSG]",
            "cms decrypt --cert CERT --key KEY [--pass-env VAR] --in MSG [--out FILE]",
            "cms upgrade --level t|xl1 --in MSG (--tsa-url URL | --tsr FILE | --tsq-out TSQ) [--ocsp-url URL] [--crl FILE]... [--trusted FILE|DIR] [--untrusted FILE]... [--alg streebog256|streebog512] [--out MSG]",
        ],
        run: cms::cmd_cms,
    },
    Command {
        name: "pfx",
        about: "PKCS#12 per R 50.1.112-2016 / RFC 9548 (export 0600; import also reads OpenSSL's defaults)",
        synopses: &[
            "pfx export --cert CERT --key KEY [--key-pass-env VAR] [--chain FILE] --pass-env VAR [--out PFX]",
            "pfx import --in PFX --pass-env VAR --out-key KEY --out-cert CERT [--out-chain FILE] [--no-key-pass]",
        ],
        run: pfx::cmd_pfx,
    },
    Command {
        name: "container",
        about: "CryptoPro CSP key containers: show, export the key (PKCS#8, 0600), create (0600), find by certificate",
        synopses: &[
            "container show DIR [--json]",
            "container export DIR [--pass-env VAR] --out KEY [--key-pass-env VAR2] [--out-cert CERT]",
            "container create --key KEY [--key-pass-env VAR2] [--cert CERT] [--pass-env VAR] [--name NAME] [--non-exportable] --out DIR",
            "container find --dir KEYDIR --cert CERT",
        ],
        run: container::cmd_container,
    },
    Command {
        name: "token",
        about: "PKCS#11 tokens: list tokens and objects, generate a key pair on a token, write a certificate next to its key",
        synopses: &[
            "token list [--module PATH]",
            "token genkey --curve NAME --label L [--id HEX]",
            "token import-cert --cert CERT --id HEX",
        ],
        run: token::cmd_token,
    },
    Command {
        name: "tls",
        about: "GOST TLS 1.2 (RFC 9189): a client like `openssl s_client -quiet`, a test server on 127.0.0.1",
        synopses: &[
            "tls connect HOST:PORT [--servername NAME] [--trusted FILE|DIR] [--cert CERT --key KEY [--pass-env VAR]] [--suite NAME]... [--alpn P]",
            "tls serve --port PORT --cert CERT --key KEY [--client-ca FILE] [--suite NAME]... [--count N] [--http]",
        ],
        run: tls::cmd_tls,
    },
    Command {
        name: "ts",
        about: "RFC 3161 time-stamps: a request for a file's imprint, a response checked over the file",
        synopses: &[
            "ts query --in FILE [--alg streebog256|streebog512] [--out TSQ]",
            "ts verify --in TSR --data FILE --trusted FILE|DIR [--untrusted FILE]... [--query TSQ] [--at TIME]",
        ],
        run: ts::cmd_ts,
    },
    Command {
        name: "ocsp",
        about: "RFC 6960: a request, and a certificate's status from a responder (HTTP) or a stored response",
        synopses: &[
            "ocsp request --cert CERT --issuer CERT [--no-nonce] [--out REQ]",
            "ocsp check --cert CERT --issuer CERT (--url URL | --response FILE) --trusted FILE|DIR [--untrusted FILE]... [--at TIME]",
        ],
        run: ocsp::cmd_ocsp,
    },
    Command {
        name: "demo",
        about: "the ION round trip on fresh test keys, one line per step",
        synopses: &["demo [--out-dir DIR]"],
        run: cms::cmd_demo,
    },
];

/// `gostkit --help`: every synopsis, then the conventions in two lines.
fn usage_text() -> String {
    let mut s = String::from("usage:\n");
    for c in SUBCOMMANDS {
        for syn in c.synopses {
            s.push_str("  gostkit ");
            s.push_str(syn);
            s.push('\n');
        }
    }
    s.push_str(
        "\n`gostkit SUBCOMMAND --help` describes one. Inputs: PEM or DER; `-` or no --in is standard\n\
         input, no --out standard output. Exit 0 success, 1 a failed check, 2 usage or bad input.\n\
         Every --pass-env VAR / --key-pass-env VAR also takes --pass-file FILE / --key-pass-file FILE\n\
         (first line) and --pass-fd N / --key-pass-fd N; with none, a needed password is asked on the\n\
         terminal. --quiet (any subcommand) hides the progress shown on a terminal's standard error.\n",
    );
    s
}

/// `gostkit SUBCOMMAND --help`.
fn subcommand_help(c: &Command) -> String {
    let mut s = format!("gostkit {}: {}\nusage:\n", c.name, c.about);
    for syn in c.synopses {
        s.push_str("  gostkit ");
        s.push_str(syn);
        s.push('\n');
    }
    s.push_str(
        "\n--pass-env VAR (and --key-pass-env VAR) may be --pass-file FILE or --pass-fd N instead;\n\
         --quiet hides progress.\n",
    );
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
    match SUBCOMMANDS.iter().find(|c| c.name == first) {
        Some(c) if wants_help(&args[1..]) => {
            print!("{}", subcommand_help(c));
            Ok(ExitCode::SUCCESS)
        }
        Some(c) => (c.run)(&args[1..]),
        None => Err(CliError::usage(format!(
            "unknown subcommand `{first}` (try `gostkit --help`)"
        ))),
    }
}

/// `--help` or `-h` among a subcommand's arguments (before a `--`).
fn wants_help(args: &[OsString]) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--help" || a == "-h")
}

/// Size of the chunks files are streamed in.
pub(crate) const CHUNK: usize = 64 * 1024;

/// `gostkit hash [--alg NAME] [FILE...]`: `HEX  NAME` per input, like `sha256sum`.
fn cmd_hash(args: &[OsString]) -> Result<ExitCode, CliError> {
    let mut alg = HashAlg::Streebog256;
    let mut files: Vec<OsString> = Vec::new();
    let mut options_done = false;
    let mut quiet = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let text = arg.to_string_lossy();
        if options_done || text == "-" || !text.starts_with('-') {
            files.push(arg.clone());
        } else if text == "--" {
            options_done = true;
        } else if text == "--quiet" {
            quiet = true;
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
        match hash_input(alg, file, progress::wanted(quiet)) {
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

/// Hashes a file (or standard input for `-`) in [`CHUNK`]-byte pieces, with progress on
/// standard error when `show` (see [`progress::wanted`]).
fn hash_input(alg: HashAlg, file: &OsString, show: bool) -> io::Result<Vec<u8>> {
    let (inner, total): (Box<dyn Read>, Option<u64>) = if file == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let f = File::open(file)?;
        let len = f.metadata()?.len();
        (Box::new(f), Some(len))
    };
    let mut reader = progress::Progress::new(inner, &file.to_string_lossy(), total, show);
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
