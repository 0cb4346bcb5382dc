//! `genkey`, `pubkey`, `sign`, `verify`: GOST R 34.10-2012 keys (PKCS#8 / SubjectPublicKeyInfo,
//! PEM or DER) and raw signatures `s || r` over the Streebog hash of a file (CLI.md).

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::process::ExitCode;

use der::Decode;
use der::Encode;
use gostkit::asn1::{Asn1Error, GostPrivateKey, GostPublicKey, KeyAlgorithm, pbes2, pem};
use gostkit::ec::{EcError, ParamSet, SigningKey, VerifyingKey};
use gostkit::hash::HashAlg;

use crate::files::{read_secret, write_public, write_secret};
use crate::opts::{Opts, Spec};
use crate::{CHUNK, CliError, EXIT_CHECK_FAILED, EXIT_USAGE_OR_INPUT};

pub(crate) fn malformed(what: &str, detail: impl std::fmt::Display) -> CliError {
    CliError::new(
        "malformed",
        EXIT_USAGE_OR_INPUT,
        format!("{what}: {detail}"),
    )
}

pub(crate) fn unsupported(detail: impl Into<String>) -> CliError {
    CliError::new("unsupported", EXIT_USAGE_OR_INPUT, detail)
}

pub(crate) fn bad_signature(detail: impl Into<String>) -> CliError {
    CliError::new("bad-signature", EXIT_CHECK_FAILED, detail)
}

/// Maps a key-decoding failure to its CLI.md token (the library's error-kind table: unknown
/// algorithms and curves are `unsupported`, damaged keys `malformed`…).
pub(crate) fn key_error(what: &str, e: Asn1Error) -> CliError {
    CliError::from_kind(e.kind(), format!("{what}: {e}"))
}

/// Reads a whole (small) file, or standard input for `-` / absent.
pub(crate) fn read_all(path: Option<&OsString>) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    match path {
        None => io::stdin().lock().read_to_end(&mut buf),
        Some(p) if p == "-" => io::stdin().lock().read_to_end(&mut buf),
        Some(p) => File::open(p).and_then(|mut f| f.read_to_end(&mut buf)),
    }
    .map_err(|e| CliError::io(&name_of(path), &e))?;
    Ok(buf)
}

pub(crate) fn name_of(path: Option<&OsString>) -> String {
    path.map_or_else(|| "-".to_owned(), |p| p.to_string_lossy().into_owned())
}

/// The parameter set named by a CLI.md curve name or a dotted OID.
pub(crate) fn curve_by_name(name: &str) -> Result<ParamSet, CliError> {
    let found = if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        ParamSet::from_oid(name)
    } else {
        ParamSet::from_name(name)
    };
    found.ok_or_else(|| unsupported(format!("unknown curve `{name}`")))
}

/// A private key of any kind the command line uses: a PKCS#8 file key or a PKCS#11 token key
/// (`pkcs11:` URI), used through the library's key traits.
pub(crate) trait AnyKey: gostkit::ec::SignDigest + gostkit::ec::AgreeKey {}
impl<T: gostkit::ec::SignDigest + gostkit::ec::AgreeKey> AnyKey for T {}

/// A loaded private key.
pub(crate) type CliKey = std::sync::Arc<dyn AnyKey>;

/// Loads the private key named by `--key` (PKCS#8, PEM or DER, or a `pkcs11:` URI).
pub(crate) fn load_private(opts: &Opts, cmd: &str) -> Result<(CliKey, KeyAlgorithm), CliError> {
    load_private_from(opts, cmd, "--key")
}

/// The password of `--pass-env VAR` (or `--pass-file`/`--pass-fd`), if a source is given.
pub(crate) fn password(
    opts: &Opts,
    cmd: &str,
) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, CliError> {
    password_from(opts, cmd, "--pass-env")
}

/// The password of the option `option` (`--X-env`, or its `-file`/`-fd` forms), if a source is
/// given; read straight into a zeroizing buffer (see [`crate::password`]).
pub(crate) fn password_from(
    opts: &Opts,
    cmd: &str,
    option: &str,
) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, CliError> {
    crate::password::given(opts, cmd, option)
}

/// The PBKDF2 iteration cap for reading encrypted keys and PFX files: `--max-iterations N`, or
/// the library's default (about a second of work) when absent.
pub(crate) fn max_iterations(opts: &Opts, cmd: &str) -> Result<u32, CliError> {
    let Some(v) = opts.get("--max-iterations") else {
        return Ok(pbes2::DEFAULT_MAX_ITERATIONS);
    };
    v.to_str()
        .and_then(|s| s.parse::<u32>().ok())
        .filter(|&n| n > 0)
        .ok_or_else(|| {
            CliError::usage(format!(
                "{cmd}: --max-iterations needs a positive number, not `{}`",
                v.to_string_lossy()
            ))
        })
}

/// Loads the private key named by option `option`: plain or PBES2-encrypted PKCS#8 (PEM or
/// DER), or an RFC 7512 `pkcs11:` URI (CLI.md) whose key stays on the token; the password or PIN
/// comes from `--pass-env`.
pub(crate) fn load_private_from(
    opts: &Opts,
    cmd: &str,
    option: &str,
) -> Result<(CliKey, KeyAlgorithm), CliError> {
    let named = opts.require(cmd, option)?;
    if named.to_str().is_some_and(|s| {
        s.get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("pkcs11:"))
    }) {
        return crate::token::load_token_key(opts, cmd, named);
    }
    let (pk, name) = load_pkcs8(opts, cmd, option, "--pass-env")?;
    let key = pk.to_signing_key().map_err(|e| key_error(&name, e))?;
    Ok((std::sync::Arc::new(key), pk.algorithm))
}

/// Reads the PKCS#8 key named by option `option`, decrypting it with the password of
/// `pass_option` when it is encrypted; returns it with the file name.
pub(crate) fn load_pkcs8(
    opts: &Opts,
    cmd: &str,
    option: &str,
    pass_option: &str,
) -> Result<(GostPrivateKey, String), CliError> {
    let path = opts.require(cmd, option)?;
    let data = read_secret(Some(path))?;
    let name = path.to_string_lossy().into_owned();
    let pass = password_from(opts, cmd, pass_option)?;
    let cap = max_iterations(opts, cmd)?;
    let decoded =
        pbes2::decode_maybe_encrypted_with(&data, pass.as_ref().map(|p| p.as_slice()), cap);
    let pk = match decoded {
        // No source given for an encrypted key: ask on the terminal, or password-required.
        Err(Asn1Error::PasswordRequired) if pass.is_none() => {
            let what = format!("{name} (encrypted key)");
            let typed = crate::password::prompt_or_fail(cmd, pass_option, &what)?;
            pbes2::decode_maybe_encrypted_with(&data, Some(&typed), cap)
        }
        other => other,
    }
    .map_err(|e| key_error(&name, e))?;
    Ok((pk, name))
}

/// Hashes a file (or standard input) in chunks.
fn hash_file(alg: HashAlg, path: Option<&OsString>) -> Result<Vec<u8>, CliError> {
    let mut reader: Box<dyn Read> = match path {
        Some(p) if p != "-" => {
            Box::new(File::open(p).map_err(|e| CliError::io(&name_of(path), &e))?)
        }
        _ => Box::new(io::stdin().lock()),
    };
    let mut hasher = alg.hasher();
    let mut buf = vec![0u8; CHUNK];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CliError::io(&name_of(path), &e)),
        }
    }
    Ok(hasher.finalize())
}

/// The digest a key of this algorithm and size signs (GOST R 34.10-2012 §6 / RFC 7091; 2001: 34.11-94).
fn digest_alg(algorithm: KeyAlgorithm, set: ParamSet) -> HashAlg {
    match algorithm {
        KeyAlgorithm::Gost2001 => HashAlg::Gost94,
        _ if set.bits() == 512 => HashAlg::Streebog512,
        _ => HashAlg::Streebog256,
    }
}

/// `gostkit genkey --curve NAME [--out KEY] [--pass-env VAR]`.
pub(crate) fn cmd_genkey(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--curve", "--out", "--pass-env"],
        flags: &[],
        max_positional: 0,
    };
    let opts = Opts::parse("genkey", &SPEC, args)?;
    let set = curve_by_name(&opts.require("genkey", "--curve")?.to_string_lossy())?;
    let pass = password(&opts, "genkey")?;
    let key = SigningKey::generate(set).map_err(|e| malformed("key generation", e))?;
    let pk = GostPrivateKey::from_signing_key(&key).map_err(|e| malformed("PKCS#8 encoding", e))?;
    let pem = match pass {
        Some(p) => zeroize::Zeroizing::new(
            pbes2::encrypt_pkcs8_pem(
                &pk,
                &p,
                pbes2::KeyCipher::Kuznyechik,
                pbes2::DEFAULT_ITERATIONS,
            )
            .map_err(|e| malformed("PKCS#8 encryption", e))?,
        ),
        None => pk.to_pem().map_err(|e| malformed("PKCS#8 encoding", e))?,
    };
    write_secret(opts.get("--out"), pem.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `gostkit pubkey --key KEY [--pass-env VAR] [--out PUB]`.
pub(crate) fn cmd_pubkey(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--key", "--out", "--pass-env", "--max-iterations"],
        flags: &[],
        max_positional: 0,
    };
    let opts = Opts::parse("pubkey", &SPEC, args)?;
    let (key, _) = load_private(&opts, "pubkey")?;
    let pem = GostPublicKey::from_verifying_key(gostkit::ec::SignDigest::public_key(&key))
        .and_then(|k| k.to_pem())
        .map_err(|e| malformed("SubjectPublicKeyInfo encoding", e))?;
    write_public(opts.get("--out"), pem.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `gostkit sign --key KEY [--pass-env VAR] [--in FILE] --out SIG`.
pub(crate) fn cmd_sign(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--key", "--in", "--out", "--pass-env", "--max-iterations"],
        flags: &[],
        max_positional: 0,
    };
    let opts = Opts::parse("sign", &SPEC, args)?;
    let out = opts.require("sign", "--out")?;
    let (key, algorithm) = load_private(&opts, "sign")?;
    if algorithm == KeyAlgorithm::Gost2001 {
        return Err(unsupported(
            "GOST R 34.10-2001 keys are kept for verifying old documents, not for new signatures",
        ));
    }
    let digest = hash_file(
        digest_alg(algorithm, gostkit::ec::SignDigest::param_set(&key)),
        opts.get("--in"),
    )?;
    let sig =
        gostkit::ec::SignDigest::sign_digest(&key, &digest).map_err(|e| malformed("signing", e))?;
    write_public(Some(out), sig.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The public key of a certificate (X.509, PEM or DER).
fn public_from_cert(data: &[u8], name: &str) -> Result<GostPublicKey, CliError> {
    let der = pem::decode_any(data, "CERTIFICATE").map_err(|e| malformed(name, e))?;
    let cert = x509_cert::Certificate::from_der(&der).map_err(|e| malformed(name, e))?;
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|e| malformed(name, e))?;
    GostPublicKey::from_der(&spki).map_err(|e| key_error(name, e))
}

/// `gostkit verify (--pub PUB|--cert CERT) --sig SIG [--in FILE]`.
pub(crate) fn cmd_verify(args: &[OsString]) -> Result<ExitCode, CliError> {
    const SPEC: Spec = Spec {
        valued: &["--pub", "--cert", "--sig", "--in"],
        flags: &[],
        max_positional: 0,
    };
    let opts = Opts::parse("verify", &SPEC, args)?;
    let public = match (opts.get("--pub"), opts.get("--cert")) {
        (Some(p), None) => {
            let data = read_all(Some(p))?;
            let name = p.to_string_lossy();
            GostPublicKey::decode(&data).map_err(|e| key_error(&name, e))?
        }
        (None, Some(c)) => public_from_cert(&read_all(Some(c))?, &c.to_string_lossy())?,
        _ => {
            return Err(CliError::usage(
                "verify: give exactly one of --pub and --cert",
            ));
        }
    };
    let sig_path = opts.require("verify", "--sig")?;
    let sig = read_all(Some(sig_path))?;
    let key: VerifyingKey = public
        .to_verifying_key()
        .map_err(|e| key_error("public key", e))?;
    let digest = hash_file(
        digest_alg(public.algorithm, key.param_set()),
        opts.get("--in"),
    )?;
    match key.verify_digest(&digest, &sig) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(EcError::InvalidLength { .. }) | Err(EcError::MalformedSignature) => {
            Err(bad_signature(format!(
                "signature has the wrong length or range ({} bytes)",
                sig.len()
            )))
        }
        Err(e) => Err(bad_signature(e.to_string())),
    }
}
