//! Every file the command line writes goes through here (CLI.md, "File modes"): private keys,
//! PFX files and decrypted plaintext are *secret* — created mode 0600 whatever the umask, and an
//! existing file is set to 0600 before anything is written to it; certificates, requests,
//! signatures and messages are *public* — created as usual (0666 less the umask).

use std::ffi::OsString;
use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use crate::CliError;
use crate::keys::name_of;

/// Mode of a secret file.
const SECRET_MODE: u32 = 0o600;

/// Who may read a file the command line writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Secrecy {
    /// Private keys, PFX files, decrypted plaintext: 0600.
    Secret,
    /// Certificates, requests, signatures, messages: the umask decides.
    Public,
}

/// Opens `path` for writing, empty. A secret file is created 0600; when it already exists, a
/// regular file is set to 0600 before it is emptied (a device or FIFO named by the user is
/// written to as it is).
pub(crate) fn create(path: &Path, secrecy: Secrecy) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create(true);
    match secrecy {
        Secrecy::Public => {
            o.truncate(true);
            o.open(path)
        }
        Secrecy::Secret => {
            o.mode(SECRET_MODE);
            let f = o.open(path)?;
            if f.metadata()?.file_type().is_file() {
                f.set_permissions(Permissions::from_mode(SECRET_MODE))?;
                f.set_len(0)?;
            }
            Ok(f)
        }
    }
}

/// Writes `data` to the file `path` (see [`create`]).
pub(crate) fn write_file(path: &Path, data: &[u8], secrecy: Secrecy) -> io::Result<()> {
    let mut f = create(path, secrecy)?;
    f.write_all(data)?;
    f.flush()
}

/// Writes to a file, or standard output for `-` / absent.
fn write_out(path: Option<&OsString>, data: &[u8], secrecy: Secrecy) -> Result<(), CliError> {
    match path {
        Some(p) if p != "-" => write_file(Path::new(p), data, secrecy),
        _ => {
            let mut out = io::stdout().lock();
            out.write_all(data).and_then(|()| out.flush())
        }
    }
    .map_err(|e| CliError::io(&name_of(path), &e))
}

/// Writes a private key, a PFX file or plaintext: mode 0600 (standard output for `-` / absent).
pub(crate) fn write_secret(path: Option<&OsString>, data: &[u8]) -> Result<(), CliError> {
    write_out(path, data, Secrecy::Secret)
}

/// Writes a certificate, request, signature or message (standard output for `-` / absent).
pub(crate) fn write_public(path: Option<&OsString>, data: &[u8]) -> Result<(), CliError> {
    write_out(path, data, Secrecy::Public)
}
