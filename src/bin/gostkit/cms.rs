//! `cms sign|verify|encrypt|decrypt` and `demo` (CLI.md): CMS SignedData and EnvelopedData.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use gostkit::cms::CmsError;
use gostkit::cms::content::ContentCipher;
use gostkit::cms::enveloped::{self, EnvelopedMessage, Recipient};
use gostkit::cms::signed::{self, SignOptions, SignedMessage, Signer};
use gostkit::x509::name::to_rfc4514;

use crate::keys::{load_private, malformed, read_all, write_all};
use crate::opts::{Opts, Spec};
use crate::pki::{chain_error, load_cert, load_certs, trust_inputs};
use crate::{CliError, EXIT_CHECK_FAILED, EXIT_USAGE_OR_INPUT};

fn cms_error(e: CmsError) -> CliError {
    let (token, exit) = match &e {
        CmsError::Chain(p) => return chain_error(p),
        CmsError::BadSignature | CmsError::ContentTypeMismatch | CmsError::SignerNotFound => {
            ("bad-signature", EXIT_CHECK_FAILED)
        }
        CmsError::DigestMismatch => ("digest-mismatch", EXIT_CHECK_FAILED),
        CmsError::NotARecipient => ("not-a-recipient", EXIT_CHECK_FAILED),
        CmsError::MacMismatch => ("mac-mismatch", EXIT_CHECK_FAILED),
        CmsError::KeyMismatch => ("key-mismatch", EXIT_CHECK_FAILED),
        CmsError::SignerKeyUsage => ("key-usage", EXIT_CHECK_FAILED),
        CmsError::ContentMissing => ("usage", EXIT_USAGE_OR_INPUT),
        CmsError::UnsupportedAlgorithm(_) | CmsError::Unsupported(_) => {
            ("unsupported", EXIT_USAGE_OR_INPUT)
        }
        _ => ("malformed", EXIT_USAGE_OR_INPUT),
    };
    CliError::new(token, exit, e.to_string())
}

/// `gostkit cms sign|verify|encrypt|decrypt ...`.
pub(crate) fn cmd_cms(args: &[OsString]) -> Result<ExitCode, CliError> {
    match args.first().map(|a| a.to_string_lossy()) {
        Some(s) if s == "sign" => cmd_sign(&args[1..]),
        Some(s) if s == "verify" => cmd_verify(&args[1..]),
        Some(s) if s == "encrypt" => cmd_encrypt(&args[1..]),
        Some(s) if s == "decrypt" => cmd_decrypt(&args[1..]),
        _ => Err(CliError::usage(
            "cms: expected sign, verify, encrypt or decrypt",
        )),
    }
}

fn output(opts: &Opts, der: &[u8]) -> Result<(), CliError> {
    if opts.has_flag("--pem") {
        let pem = signed::to_pem(der).map_err(cms_error)?;
        write_all(opts.get("--out"), pem.as_bytes())
    } else {
        write_all(opts.get("--out"), der)
    }
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
        valued: &["--cert", "--key", "--pass-env", "--chain", "--in", "--out"],
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
        (true, Some((mut f, _))) => signed::sign_detached_reader(&mut f, &signer, &so),
        _ => signed::sign(&read_all(opts.get("--in"))?, &signer, &so),
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
    let msg =
        SignedMessage::parse(&read_all(Some(opts.require(cmd, "--in")?))?).map_err(cms_error)?;
    let extra: Vec<_> = store.entries().iter().map(|e| e.cert.clone()).collect();
    let (mut reports, content) = match opts.get("--content") {
        Some(c) => match open_input(Some(c))? {
            Some((mut f, _)) => (msg.verify_reader(&mut f, &extra).map_err(cms_error)?, None),
            None => {
                let data = read_all(Some(c))?;
                let r = msg.verify(Some(&data), &extra);
                (r, Some(data))
            }
        },
        None => (msg.verify(None, &extra), msg.content.clone()),
    };
    msg.validate_chains(&mut reports, &store, Some(vo.time), vo.revocation);
    let mut failure: Option<CliError> = None;
    for r in &reports {
        match &r.result {
            Ok(()) => {
                let who = r
                    .cert
                    .as_ref()
                    .map(|c| to_rfc4514(c.subject()))
                    .unwrap_or_default();
                eprintln!("ok {who}");
            }
            Err(e) => {
                let err = cms_error(e.clone());
                err.report_line();
                failure.get_or_insert(err);
            }
        }
    }
    if reports.is_empty() {
        failure = Some(CliError::new(
            "bad-signature",
            EXIT_CHECK_FAILED,
            "the message has no signer",
        ));
    }
    if let Some(f) = failure {
        return Err(f);
    }
    if let Some(out) = opts.get("--out") {
        match (content, opts.get("--content")) {
            (Some(c), _) => write_all(Some(out), &c)?,
            (None, Some(src)) => {
                std::fs::copy(src, out).map_err(|e| CliError::io(&out.to_string_lossy(), &e))?;
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
        (false, Some((mut f, len))) => {
            // Stream: bounded memory whatever the file size.
            let mut sink: Box<dyn Write> = match opts.get("--out") {
                Some(p) if p != "-" => Box::new(io::BufWriter::new(
                    File::create(p).map_err(|e| CliError::io(&p.to_string_lossy(), &e))?,
                )),
                _ => Box::new(io::stdout().lock()),
            };
            enveloped::encrypt_stream(&mut f, len, &mut sink, &refs, cipher).map_err(cms_error)?;
            sink.flush().map_err(|e| CliError::io("output", &e))?;
        }
        _ => {
            let data = read_all(opts.get("--in"))?;
            let der = enveloped::encrypt(&data, &refs, cipher).map_err(cms_error)?;
            output(&opts, &der)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_decrypt(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--cert", "--key", "--pass-env", "--in", "--out"],
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
    let input_path = opts.require(cmd, "--in")?;
    let out_path = opts.get("--out").filter(|p| *p != "-");
    // A DER message in a file, written to a file: stream it in bounded memory into a temporary
    // file renamed over --out only when the content MAC verified.
    if let (Some((mut f, _)), Some(out)) = (open_input(Some(input_path))?, out_path) {
        let tmp = std::path::PathBuf::from(format!("{}.gostkit-tmp", out.to_string_lossy()));
        let mut sink = io::BufWriter::new(
            File::create(&tmp).map_err(|e| CliError::io(&tmp.to_string_lossy(), &e))?,
        );
        let r = enveloped::decrypt_stream(&mut io::BufReader::new(&mut f), &mut sink, &me, &[]);
        let flushed = sink.flush();
        drop(sink);
        match r {
            Ok(_) => {
                flushed.map_err(|e| CliError::io(&out.to_string_lossy(), &e))?;
                std::fs::rename(&tmp, out).map_err(|e| CliError::io(&out.to_string_lossy(), &e))?;
                return Ok(ExitCode::SUCCESS);
            }
            Err(CmsError::Unsupported(_)) | Err(CmsError::Invalid(_)) => {
                let _ = std::fs::remove_file(&tmp); // BER or odd layout: read it whole below
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(cms_error(e));
            }
        }
    }
    let input = read_all(Some(input_path))?;
    let msg = EnvelopedMessage::parse(&input).map_err(cms_error)?;
    let plain = msg.decrypt(&me).map_err(cms_error)?;
    write_all(opts.get("--out"), &plain)?;
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
    gostkit::demo::run(dir, &mut |line| {
        n += 1;
        println!("{n:2}. {line}");
    })
    .map_err(|e| malformed("demo", e))?;
    Ok(ExitCode::SUCCESS)
}
