//! Every file the command line writes goes through here (CLI.md, "File modes"): private keys,
//! PFX files and decrypted plaintext are *secret* — created mode 0600 whatever the umask, and an
//! existing file is set to 0600 before anything is written to it; certificates, requests,
//! signatures and messages are *public* — created as usual (0666 less the umask).

use std::ffi::OsString;
use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use tempfile::NamedTempFile;

use zeroize::Zeroizing;

use crate::CliError;
use crate::keys::{malformed, name_of};

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

/// Largest private-key or PFX file read: a hostile input must not exhaust memory.
const MAX_SECRET_FILE: usize = 16 << 20;

/// Reads a private key or a PFX file (standard input for `-` / absent) into a zeroizing buffer
/// sized up front from the file's length, so that no reallocation leaves a copy behind.
pub(crate) fn read_secret(path: Option<&OsString>) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let read = match path {
        Some(p) if p != "-" => File::open(p).and_then(|f| {
            let len = f.metadata()?.len();
            read_zeroizing(f, len)
        }),
        _ => read_zeroizing(io::stdin().lock(), 0),
    };
    read.map_err(|e| match e.kind() {
        io::ErrorKind::FileTooLarge => malformed(
            &name_of(path),
            format!(
                "larger than {} MiB: not a key or PFX file",
                MAX_SECRET_FILE >> 20
            ),
        ),
        _ => CliError::io(&name_of(path), &e),
    })
}

/// Reads `r` to its end into a zeroizing buffer of `len + 1` bytes (`len` from the metadata;
/// the spare byte sees the end without growing). A source whose length is not known up front
/// (a pipe) or that grew is read into larger fresh buffers, each old one zeroized as it is
/// dropped; more than [`MAX_SECRET_FILE`] bytes is refused with `FileTooLarge`.
fn read_zeroizing(mut r: impl io::Read, len: u64) -> io::Result<Zeroizing<Vec<u8>>> {
    let too_large = || io::Error::from(io::ErrorKind::FileTooLarge);
    let len = usize::try_from(len).map_err(|_| too_large())?;
    if len > MAX_SECRET_FILE {
        return Err(too_large());
    }
    let mut buf = Zeroizing::new(vec![0u8; if len == 0 { 8192 } else { len + 1 }]);
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            if filled > MAX_SECRET_FILE {
                return Err(too_large());
            }
            let mut bigger = Zeroizing::new(vec![0u8; (filled * 2).min(MAX_SECRET_FILE + 1)]);
            bigger[..filled].copy_from_slice(&buf[..filled]);
            buf = bigger;
        }
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    buf.truncate(filled);
    Ok(buf)
}

/// The temporary file in progress, removed by the SIGINT/SIGTERM handler.
static PENDING: Mutex<Option<PathBuf>> = Mutex::new(None);

fn pending() -> MutexGuard<'static, Option<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Installs (once) the SIGINT/SIGTERM handler: a thread that removes the registered temporary
/// file and exits 130 (SIGINT) or 143 (SIGTERM).
fn install_signal_cleanup() -> io::Result<()> {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    if INSTALLED.get().is_some() {
        return Ok(());
    }
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let held = pending();
            if let Some(p) = held.as_ref() {
                let _ = std::fs::remove_file(p);
            }
            std::process::exit(128 + sig);
        }
    });
    let _ = INSTALLED.set(());
    Ok(())
}

/// A secret output written first to a temporary file beside it: created with O_CREAT|O_EXCL,
/// mode 0600 and an unpredictable `.gostkit-*` name (never through a planted symlink), renamed
/// over the output by [`SecretTemp::persist`] only once the content is known good. It is removed
/// when dropped (every error path) and on SIGINT/SIGTERM (the process then exits 130/143).
/// A SIGKILL cannot be caught: it can leave a 0600 `.gostkit-*` file behind.
pub(crate) struct SecretTemp {
    file: Option<NamedTempFile>,
}

impl SecretTemp {
    /// Creates the temporary file in the directory of `out`.
    pub(crate) fn beside(out: &Path) -> io::Result<Self> {
        let dir = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        install_signal_cleanup()?;
        // Registered under the lock, so the handler never misses a file that exists.
        let mut held = pending();
        let file = tempfile::Builder::new()
            .prefix(".gostkit-")
            .permissions(Permissions::from_mode(SECRET_MODE))
            .tempfile_in(dir)?;
        *held = Some(file.path().to_owned());
        Ok(Self { file: Some(file) })
    }

    /// The open temporary file.
    pub(crate) fn file_mut(&mut self) -> io::Result<&mut File> {
        self.file
            .as_mut()
            .map(|f| f.as_file_mut())
            .ok_or_else(|| io::Error::other("temporary file already persisted"))
    }

    /// Empties the temporary file (to write it again from the start).
    pub(crate) fn reset(&mut self) -> io::Result<()> {
        use std::io::Seek;
        let f = self.file_mut()?;
        f.set_len(0)?;
        f.rewind()
    }

    /// Renames the temporary file over `out`.
    pub(crate) fn persist(mut self, out: &Path) -> io::Result<()> {
        let mut held = pending();
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("temporary file already persisted"))?;
        // On failure the error holds the file, removed when it drops here.
        let r = file.persist(out).map(drop).map_err(|e| e.error);
        *held = None;
        r
    }
}

impl Drop for SecretTemp {
    fn drop(&mut self) {
        let mut held = pending();
        drop(self.file.take());
        *held = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_into_a_buffer_sized_from_its_length() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        let got = read_zeroizing(&data[..], data.len() as u64).unwrap();
        assert_eq!(&got[..], &data[..]);
        // One allocation of the length plus the byte that sees the end: no reallocation.
        assert_eq!(got.capacity(), data.len() + 1);
    }

    #[test]
    fn a_source_of_unknown_length_grows_and_a_huge_one_is_refused() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i % 241) as u8).collect();
        let got = read_zeroizing(&data[..], 0).unwrap();
        assert_eq!(&got[..], &data[..]);
        let endless = io::repeat(0x41);
        let e = read_zeroizing(endless, 0).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        let e = read_zeroizing(&data[..], (MAX_SECRET_FILE + 1) as u64).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
    }
}
