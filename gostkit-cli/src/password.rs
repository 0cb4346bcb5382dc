//! Passwords (CLI.md "Passwords"): from `--X-env VAR`, `--X-file FILE` (its first line, without
//! the line end), `--X-fd N` (read up to the first line end) or, when none is given and standard
//! input is a terminal, a prompt without echo. Never from the command line; UTF-8; held in
//! zeroizing buffers only.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, IsTerminal, Read};

use zeroize::Zeroizing;

use crate::opts::{Opts, PassSource};
use crate::{CliError, EXIT_USAGE_OR_INPUT};

/// The longest password read from a file or descriptor: a bound on what a hostile or mistaken
/// source (a large file, an endless pipe) can make the command line allocate.
pub(crate) const MAX_PASSWORD: usize = 4096;

/// A password.
pub(crate) type Password = Zeroizing<Vec<u8>>;

/// The password given for `option` (`--pass-env` or `--key-pass-env`, standing for its
/// `-file`/`-fd` forms too), or `None` when no source was given.
pub(crate) fn given(opts: &Opts, cmd: &str, option: &str) -> Result<Option<Password>, CliError> {
    let Some(source) = opts.pass_source(option) else {
        return Ok(None);
    };
    let value = match source {
        PassSource::Env(var) => from_env(cmd, var)?,
        PassSource::File(path) => {
            let name = path.to_string_lossy();
            let f = File::open(path).map_err(|e| CliError::io(&name, &e))?;
            first_line(f).map_err(|e| line_error(cmd, &name, e))?
        }
        PassSource::Fd(n) => {
            let fd = n
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
                .ok_or_else(|| {
                    CliError::usage(format!(
                        "{cmd}: a file descriptor number is needed, not `{}`",
                        n.to_string_lossy()
                    ))
                })?;
            // The descriptor is reopened through /dev/fd (no unsafe `from_raw_fd`); reading
            // byte by byte leaves what follows the line in a pipe for whoever reads it next.
            let name = format!("file descriptor {fd}");
            let f = File::open(format!("/dev/fd/{fd}")).map_err(|e| CliError::io(&name, &e))?;
            first_line(f).map_err(|e| line_error(cmd, &name, e))?
        }
    };
    if std::str::from_utf8(&value).is_err() {
        return Err(CliError::usage(format!("{cmd}: the password is not UTF-8")));
    }
    Ok(Some(value))
}

/// The password for `option`: the one given, else a prompt without echo when standard input is
/// a terminal, else `password-required` (exit 2). `what` names the secret in the prompt and error.
pub(crate) fn required(
    opts: &Opts,
    cmd: &str,
    option: &str,
    what: &str,
) -> Result<Password, CliError> {
    match given(opts, cmd, option)? {
        Some(p) => Ok(p),
        None => prompt_or_fail(cmd, option, what),
    }
}

/// A prompt without echo when standard input is a terminal (and no source was given), else the
/// `password-required` error naming the options that give one.
pub(crate) fn prompt_or_fail(cmd: &str, option: &str, what: &str) -> Result<Password, CliError> {
    if !io::stdin().is_terminal() {
        return Err(missing(cmd, option, what));
    }
    let typed = rpassword::prompt_password(format!("{what} password: "))
        .map_err(|e| CliError::io("terminal", &e))?;
    Ok(Zeroizing::new(typed.into_bytes()))
}

/// The `password-required` error for `option`'s password.
pub(crate) fn missing(cmd: &str, option: &str, what: &str) -> CliError {
    let stem = option.trim_end_matches("-env");
    CliError::new(
        "password-required",
        EXIT_USAGE_OR_INPUT,
        format!(
            "{cmd}: {what} needs a password; give {stem}-env VAR, {stem}-file FILE or {stem}-fd N \
             (standard input is not a terminal to ask on)"
        ),
    )
}

/// An environment variable's value, straight into a zeroizing buffer.
fn from_env(cmd: &str, var: &OsString) -> Result<Password, CliError> {
    use std::os::unix::ffi::OsStringExt;
    let value = std::env::var_os(var).ok_or_else(|| {
        CliError::usage(format!(
            "{cmd}: environment variable {} is not set",
            var.to_string_lossy()
        ))
    })?;
    Ok(Zeroizing::new(value.into_vec()))
}

/// Why a line could not be read.
enum LineError {
    Io(io::Error),
    TooLong,
}

fn line_error(cmd: &str, name: &str, e: LineError) -> CliError {
    match e {
        LineError::Io(e) => CliError::io(name, &e),
        LineError::TooLong => CliError::usage(format!(
            "{cmd}: {name}: the password line is longer than {MAX_PASSWORD} bytes"
        )),
    }
}

/// Reads up to the first line end (`\n`, or `\r\n`), which is not kept, or the end of input;
/// byte by byte, so that nothing past the line is consumed and no unzeroized buffer holds it.
fn first_line(mut from: impl Read) -> Result<Password, LineError> {
    let mut line = Zeroizing::new(Vec::with_capacity(MAX_PASSWORD + 1));
    let mut byte = [0u8; 1];
    loop {
        match from.read(&mut byte) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => {
                if line.len() == MAX_PASSWORD {
                    return Err(LineError::TooLong);
                }
                line.push(byte[0]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(LineError::Io(e)),
        }
    }
    zeroize::Zeroize::zeroize(&mut byte);
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(input: &[u8]) -> Vec<u8> {
        match first_line(input) {
            Ok(l) => l.to_vec(),
            Err(_) => panic!("a line"),
        }
    }

    #[test]
    fn the_first_line_without_its_end() {
        assert_eq!(line(b"secret\nnext\n"), b"secret");
        assert_eq!(line(b"secret\r\nnext"), b"secret");
        assert_eq!(line(b"no line end"), b"no line end");
        assert_eq!(line("пароль\n".as_bytes()), "пароль".as_bytes());
        assert_eq!(line(b"\n"), b"");
    }

    #[test]
    fn nothing_past_the_line_is_read() {
        let mut input: &[u8] = b"pw\nrest";
        let _ = first_line(&mut input);
        assert_eq!(input, b"rest");
    }

    #[test]
    fn a_line_past_the_bound_is_refused() {
        let long = vec![b'a'; MAX_PASSWORD + 1];
        assert!(matches!(first_line(&long[..]), Err(LineError::TooLong)));
        let just = vec![b'a'; MAX_PASSWORD];
        assert_eq!(line(&just).len(), MAX_PASSWORD);
    }
}
