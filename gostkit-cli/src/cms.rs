//! `cms sign|verify|encrypt|decrypt` and `demo` (CLI.md): CMS SignedData and EnvelopedData.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use gostkit::cms::CmsError;
use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{self, EnvelopedMessage, Recipient};
use gostkit::cms::signed::{
    self, CadesLevel, SignOptions, SignedMessage, Signer, TimeBasis, ValidationTime,
};
use gostkit::cms::tsp::TokenVerifyOptions;
use gostkit::x509::name::to_rfc4514;
use gostkit::x509::time::rfc3339;
use zeroize::Zeroizing;

use crate::files::{self, Secrecy, SecretTemp, write_public, write_secret};
use crate::keys::{load_private, malformed, name_of, read_all};
use crate::opts::{Opts, Spec};
use crate::pki::{chain_error, load_cert, load_certs, trust_inputs};
use crate::progress::{self, Progress};
use crate::{CliError, EXIT_CHECK_FAILED};

/// A CMS error as the CLI reports it (chain errors with the chain tokens).
pub(crate) fn cms_error(e: CmsError) -> CliError {
    match &e {
        CmsError::Chain(p) => chain_error(p),
        _ => CliError::from_kind(e.kind(), e.to_string()),
    }
}

/// `gostkit cms sign|verify|encrypt|decrypt ...`.
pub(crate) fn cmd_cms(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "sign" => cmd_sign(&args[1..]),
        Some(s) if s == "verify" => cmd_verify(&args[1..]),
        Some(s) if s == "encrypt" => cmd_encrypt(&args[1..]),
        Some(s) if s == "decrypt" => cmd_decrypt(&args[1..]),
        Some(s) if s == "upgrade" => crate::upgrade::cmd_upgrade(&args[1..]),
        _ => Err(CliError::usage(
            "cms: expected sign, verify, encrypt, decrypt or upgrade",
        )),
    }
}

fn output(opts: &Opts, der: &[u8]) -> Result<(), CliError> {
    if opts.has_flag("--pem") {
        let pem = signed::to_pem(der).map_err(cms_error)?;
        write_public(opts.get("--out"), pem.as_bytes())
    } else {
        write_public(opts.get("--out"), der)
    }
}

/// `f` (the input `path` of `len` bytes) with progress on standard error when wanted.
fn shown(opts: &Opts, f: File, path: Option<&OsString>, len: Option<u64>) -> Progress<File> {
    Progress::new(f, &name_of(path), len, progress::wanted(opts.quiet()))
}

/// Reads a whole input (a file, or standard input for `-` / absent), with progress on standard
/// error when wanted.
fn read_input(opts: &Opts, path: Option<&OsString>) -> Result<Vec<u8>, CliError> {
    let show = progress::wanted(opts.quiet());
    if !show {
        return read_all(path);
    }
    let name = name_of(path);
    let mut buf = Vec::new();
    match open_input(path)? {
        Some((f, len)) => Progress::new(f, &name, Some(len), true).read_to_end(&mut buf),
        None => Progress::new(io::stdin().lock(), &name, None, true).read_to_end(&mut buf),
    }
    .map_err(|e| CliError::io(&name, &e))?;
    Ok(buf)
}

/// An input file opened for streaming, with its size (None for standard input).
fn open_input(path: Option<&OsString>) -> Result<Option<(File, u64)>, CliError> {
    match path {
        Some(p) if p != "-" => {
            let f = File::open(p).map_err(|e| CliError::io(&p.to_string_lossy(), &e))?;
            let len = f
                .metadata()
                .map_err(|e| CliError::io(&p.to_string_lossy(), &e))?
                .len();
            Ok(Some((f, len)))
        }
        _ => Ok(None),
    }
}

fn cmd_sign(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--cert",
            "--key",
            "--pass-env",
            "--chain",
            "--in",
            "--out",
            "--max-iterations",
        ],
        flags: &["--detached", "--no-certs", "--no-attrs", "--pem"],
        max_positional: 0,
    };
    let cmd = "cms sign";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let cert = load_cert(opts.require(cmd, "--cert")?)?;
    let (key, _) = load_private(&opts, cmd)?;
    if !cert.matches_key(&key) {
        return Err(CliError::new(
            "key-mismatch",
            EXIT_CHECK_FAILED,
            "--key does not belong to --cert",
        ));
    }
    let chain = match opts.get("--chain") {
        Some(c) => load_certs(c)?,
        None => Vec::new(),
    };
    let so = SignOptions {
        detached: opts.has_flag("--detached"),
        signed_attributes: !opts.has_flag("--no-attrs"),
        include_signer_certs: !opts.has_flag("--no-certs"),
        chain,
        ..SignOptions::default()
    };
    let signer = [Signer {
        cert: &cert,
        key: &key,
    }];
    let der = match (so.detached, open_input(opts.get("--in"))?) {
        (true, Some((f, len))) => {
            let mut f = shown(&opts, f, opts.get("--in"), Some(len));
            signed::sign_detached_reader(&mut f, &signer, &so)
        }
        _ => signed::sign(&read_input(&opts, opts.get("--in"))?, &signer, &so),
    }
    .map_err(cms_error)?;
    output(&opts, &der)?;
    Ok(ExitCode::SUCCESS)
}

fn cmd_verify(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--in",
            "--content",
            "--trusted",
            "--untrusted",
            "--crl",
            "--at",
            "--out",
        ],
        flags: &["--crl-required"],
        max_positional: 0,
    };
    let cmd = "cms verify";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let (store, vo) = trust_inputs(&opts, cmd)?;
    let is_stdin = |p: Option<&OsString>| p.is_none_or(|p| p == "-");
    if is_stdin(opts.get("--in")) && opts.get("--content").is_some_and(|c| c == "-") {
        return Err(CliError::usage(
            "cms verify: --in and --content cannot both be standard input",
        ));
    }
    let msg = SignedMessage::parse(&read_input(&opts, opts.get("--in"))?).map_err(cms_error)?;
    let extra: Vec<_> = store.entries().iter().map(|e| e.cert.clone()).collect();
    let (mut reports, content) = match opts.get("--content") {
        Some(c) => match open_input(Some(c))? {
            Some((f, len)) => {
                let mut f = shown(&opts, f, Some(c), Some(len));
                (msg.verify_reader(&mut f, &extra).map_err(cms_error)?, None)
            }
            None => {
                let data = read_input(&opts, Some(c))?;
                let r = msg.verify(Some(&data), &extra);
                (r, Some(data))
            }
        },
        None => (msg.verify(None, &extra), msg.content.clone()),
    };
    let topts = TokenVerifyOptions {
        revocation: vo.revocation,
        ..TokenVerifyOptions::default()
    };
    let at = match opts.get("--at") {
        Some(a) if a == "signing-time" => ValidationTime::ClaimedSigningTime,
        // each signer's chain at its verified signature time-stamp's genTime (CAdES-T): a
        // time-stamp that does not verify fails its signer, one without a time-stamp is
        // validated now
        Some(a) if a == "time-stamp" => {
            msg.verify_time_stamps(&mut reports, &store, &topts);
            ValidationTime::TimeStamp
        }
        _ => ValidationTime::At(vo.time),
    };
    msg.validate_chains_at(&mut reports, &store, at, vo.revocation);
    // CAdES levels, reported beside the verdict (which stays the one at --at / now): the
    // signature time-stamps are verified (TSA chain at genTime with the same store) on a copy
    // of the reports; a time-stamped signer carrying X-L1 data is then checked offline as well
    // (references, values, CAdES-C time-stamp, chain at the time-stamp).
    let mut stamped = reports.clone();
    msg.verify_time_stamps(&mut stamped, &store, &topts);
    let ltv = if stamped.iter().any(|r| r.time_stamp.is_some()) {
        let data = match (&content, opts.get("--content")) {
            (Some(c), _) => Some(c.clone()),
            (None, Some(src)) => Some(read_all(Some(src))?),
            (None, None) => None,
        };
        msg.verify_cades_ltv(data.as_deref(), &store, vo.revocation)
    } else {
        Vec::new()
    };
    // Each signer's line is printed here once; a failure then only sets the exit status.
    let mut failure: Option<ExitCode> = None;
    for (i, r) in reports.iter().enumerate() {
        match &r.result {
            Ok(()) => {
                let who = r
                    .cert
                    .as_ref()
                    .map(|c| to_rfc4514(c.subject()))
                    .unwrap_or_default();
                let xl1 = ltv
                    .get(i)
                    .is_some_and(|l| l.result.is_ok() && l.level == Some(CadesLevel::XL1));
                let level = match (xl1, stamped.get(i).map(|s| (&s.result, s.level))) {
                    (true, _) => " (CAdES-X L1)".to_owned(),
                    (false, Some((Ok(()), Some(CadesLevel::T)))) => " (CAdES-T)".to_owned(),
                    (false, Some((Err(e), _))) => format!(" (time-stamp not verified: {e})"),
                    _ => String::new(),
                };
                match (r.time_basis, r.validated_at) {
                    (Some(TimeBasis::ClaimedSigningTime), Some(t)) => {
                        eprintln!("ok {who} (at claimed signing time {}){level}", rfc3339(t));
                    }
                    (Some(TimeBasis::TimeStamp), Some(t)) => {
                        eprintln!("ok {who} (at time-stamp {}){level}", rfc3339(t));
                    }
                    _ => eprintln!("ok {who}{level}"),
                }
            }
            Err(e) => {
                let err = cms_error(e.clone());
                err.report_line();
                failure.get_or_insert(err.exit_code());
            }
        }
    }
    if reports.is_empty() {
        return Err(CliError::new(
            "bad-signature",
            EXIT_CHECK_FAILED,
            "the message has no signer",
        ));
    }
    if let Some(code) = failure {
        return Ok(code);
    }
    if let Some(out) = opts.get("--out") {
        match (content, opts.get("--content")) {
            (Some(c), _) => write_public(Some(out), &c)?,
            (None, Some(src)) => {
                let mut from =
                    File::open(src).map_err(|e| CliError::io(&name_of(Some(src)), &e))?;
                let copied = if out == "-" {
                    io::copy(&mut from, &mut io::stdout().lock())
                } else {
                    files::create(Path::new(out), Secrecy::Public)
                        .and_then(|mut to| io::copy(&mut from, &mut to))
                };
                copied.map_err(|e| CliError::io(&out.to_string_lossy(), &e))?;
            }
            (None, None) => {}
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_encrypt(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--recipient", "--cipher", "--in", "--out"],
        flags: &["--pem"],
        max_positional: 0,
    };
    let cmd = "cms encrypt";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let certs = opts
        .all("--recipient")
        .iter()
        .map(load_cert)
        .collect::<Result<Vec<_>, _>>()?;
    if certs.is_empty() {
        return Err(CliError::usage("cms encrypt: --recipient is required"));
    }
    let cipher = match opts.get("--cipher") {
        Some(c) => ContentCipher::from_cli_name(&c.to_string_lossy()).ok_or_else(|| {
            CliError::usage(format!(
                "cms encrypt: unknown cipher `{}`",
                c.to_string_lossy()
            ))
        })?,
        None => ContentCipher::KuznyechikCtrAcpkmOmac,
    };
    let refs: Vec<_> = certs.iter().collect();
    match (opts.has_flag("--pem"), open_input(opts.get("--in"))?) {
        (false, Some((f, len))) => {
            let mut f = shown(&opts, f, opts.get("--in"), Some(len));
            // Stream: bounded memory whatever the file size.
            let mut sink: Box<dyn Write> = match opts.get("--out") {
                Some(p) if p != "-" => Box::new(io::BufWriter::new(
                    files::create(Path::new(p), Secrecy::Public)
                        .map_err(|e| CliError::io(&p.to_string_lossy(), &e))?,
                )),
                _ => Box::new(io::stdout().lock()),
            };
            enveloped::encrypt_stream(&mut f, len, &mut sink, &refs, cipher).map_err(cms_error)?;
            sink.flush().map_err(|e| CliError::io("output", &e))?;
        }
        _ => {
            let data = read_input(&opts, opts.get("--in"))?;
            let der = enveloped::encrypt(&data, &refs, cipher).map_err(cms_error)?;
            output(&opts, &der)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_decrypt(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &[
            "--cert",
            "--key",
            "--pass-env",
            "--in",
            "--out",
            "--max-iterations",
        ],
        flags: &[],
        max_positional: 0,
    };
    let cmd = "cms decrypt";
    let opts = Opts::parse(cmd, &SPEC, args)?;
    let cert = load_cert(opts.require(cmd, "--cert")?)?;
    let (key, _) = load_private(&opts, cmd)?;
    if !cert.matches_key(&key) {
        return Err(CliError::new(
            "key-mismatch",
            EXIT_CHECK_FAILED,
            "--key does not belong to --cert",
        ));
    }
    let me = [Recipient {
        cert: &cert,
        key: &key,
    }];
    let input_path = opts.get("--in");
    match opts.get("--out").filter(|p| *p != "-") {
        Some(out) => decrypt_to_file(input_path, out, &me, progress::wanted(opts.quiet())),
        None => {
            let input = read_input(&opts, input_path)?;
            let msg = EnvelopedMessage::parse(&input).map_err(cms_error)?;
            let plain = Zeroizing::new(msg.decrypt(&me).map_err(cms_error)?);
            write_secret(None, &plain)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// How much of the input [`Replay`] keeps for a message that cannot be streamed.
const REPLAY_LIMIT: usize = 4 << 20;

/// A reader keeping a copy of the first [`REPLAY_LIMIT`] bytes it gave (ciphertext), so that a
/// message the streaming decryptor refuses (BER) can be read whole even from a pipe.
struct Replay<R> {
    inner: R,
    seen: Option<Vec<u8>>,
}

impl<R: io::Read> io::Read for Replay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(seen) = &mut self.seen {
            if seen.len() + n > REPLAY_LIMIT {
                self.seen = None;
            } else {
                seen.extend_from_slice(buf.get(..n).unwrap_or_default());
            }
        }
        Ok(n)
    }
}

/// `cms decrypt --out FILE`: the message (a file, or standard input) is streamed in bounded
/// memory into a [`SecretTemp`] beside FILE, renamed over it only once the content MAC verified;
/// on any failure, and on SIGINT/SIGTERM, the temporary file is removed and FILE is untouched.
/// A message that cannot be streamed (BER) is read whole and decrypted into the same file.
fn decrypt_to_file(
    input: Option<&OsString>,
    out: &OsString,
    me: &[Recipient<'_>],
    show: bool,
) -> Result<ExitCode, CliError> {
    let out_io = |e: io::Error| CliError::io(&out.to_string_lossy(), &e);
    let in_io = |e: io::Error| CliError::io(&name_of(input), &e);
    let (source, from_file): (Box<dyn io::Read>, bool) = match input {
        Some(p) if p != "-" => {
            let f = File::open(p).map_err(in_io)?;
            let len = f.metadata().map_err(in_io)?.len();
            let label = name_of(input);
            (Box::new(Progress::new(f, &label, Some(len), show)), true)
        }
        _ => (
            Box::new(Progress::new(io::stdin().lock(), "-", None, show)),
            false,
        ),
    };
    let mut reader = Replay {
        inner: io::BufReader::with_capacity(crate::CHUNK, source),
        seen: Some(Vec::new()),
    };
    let out = Path::new(out);
    let mut tmp = SecretTemp::beside(out).map_err(out_io)?;
    let streamed = enveloped::decrypt_stream(&mut reader, tmp.file_mut().map_err(out_io)?, me, &[]);
    match streamed {
        Ok(_) => {}
        Err(e @ (CmsError::Unsupported(_) | CmsError::Invalid(_))) => {
            let whole = match reader.seen.take() {
                Some(mut seen) => {
                    io::Read::read_to_end(&mut reader.inner, &mut seen).map_err(in_io)?;
                    seen
                }
                None if from_file => read_all(input)?,
                None => return Err(cms_error(e)),
            };
            let msg = EnvelopedMessage::parse(&whole).map_err(cms_error)?;
            let plain = Zeroizing::new(msg.decrypt(me).map_err(cms_error)?);
            tmp.reset().map_err(out_io)?;
            tmp.file_mut()
                .and_then(|f| f.write_all(&plain))
                .map_err(out_io)?;
        }
        Err(e) => return Err(cms_error(e)),
    }
    tmp.persist(out).map_err(out_io)?;
    Ok(ExitCode::SUCCESS)
}

/// `gostkit demo [--out-dir DIR]`.
pub(crate) fn cmd_demo(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--out-dir"],
        flags: &[],
        max_positional: 0,
    };
    let opts = Opts::parse("demo", &SPEC, args)?;
    let dir = opts.get("--out-dir").map(Path::new);
    let mut n = 0;
    crate::demo::run(dir, &mut |line| {
        n += 1;
        println!("{n:2}. {line}");
    })
    .map_err(|e| malformed("demo", e))?;
    Ok(ExitCode::SUCCESS)
}
