//! A directory of CryptoPro CSP containers (such as `/var/opt/cprocsp/keys/<user>/`) as a key
//! store: list the containers, find the one holding the key of a certificate, and store a
//! certificate into a container's `header.key`.
//!
//! Finding needs no PIN: a container is matched by its fingerprint (primaryFP, the first 8
//! bytes of LE(X) of its public key) and curve, and, when it stores a certificate, by that
//! certificate's whole public key.

use std::path::{Path, PathBuf};

use super::error::ContainerError;
use super::{Container, fingerprint, names, write_secret};
use crate::ec::VerifyingKey;

/// Most directory entries looked at.
const MAX_ENTRIES: usize = 100_000;

/// A directory whose subdirectories are containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStore {
    dir: PathBuf,
}

/// One container of a store: its directory and how it parsed.
pub type StoreEntry = (PathBuf, Result<Container, ContainerError>);

impl KeyStore {
    /// The store in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every subdirectory holding a `header.key`, in name order, each with its parsed
    /// container (or why it did not parse).
    pub fn list(&self) -> Result<Vec<StoreEntry>, ContainerError> {
        let io = |e: std::io::Error| ContainerError::io(self.dir.display().to_string(), &e);
        let mut dirs = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(io)?.take(MAX_ENTRIES) {
            let path = entry.map_err(io)?.path();
            if path.is_dir() && path.join(names::HEADER).is_file() {
                dirs.push(path);
            }
        }
        dirs.sort();
        Ok(dirs
            .into_iter()
            .map(|p| {
                let c = Container::open(&p);
                (p, c)
            })
            .collect())
    }

    /// The first container (in name order) whose key is `key`; containers that do not parse
    /// are skipped.
    pub fn find_key(
        &self,
        key: &VerifyingKey,
    ) -> Result<Option<(PathBuf, Container)>, ContainerError> {
        for (path, c) in self.list()? {
            if let Ok(c) = c
                && matches(&c, key)
            {
                return Ok(Some((path, c)));
            }
        }
        Ok(None)
    }

    /// The first container whose key is the subject key of `cert`.
    #[cfg(feature = "pki")]
    pub fn find_certificate(
        &self,
        cert: &crate::x509::Certificate,
    ) -> Result<Option<(PathBuf, Container)>, ContainerError> {
        let key = cert
            .verifying_key()
            .map_err(|_| ContainerError::InvalidArgument("the certificate's key is not valid"))?;
        self.find_key(&key)
    }

    /// Stores `cert_der` as the primary certificate of the container in `container_dir` and
    /// rewrites its `header.key` (0600, through a temporary file renamed over it). Under `pki`
    /// the certificate's key must be the container's (by fingerprint).
    pub fn store_certificate(container_dir: &Path, cert_der: &[u8]) -> Result<(), ContainerError> {
        let mut c = Container::open(container_dir)?;
        c.set_certificate(Some(cert_der))?;
        let header = c.header().to_der()?;
        let tmp = container_dir.join("header.key.gostkit-tmp");
        let target = container_dir.join(names::HEADER);
        let io = |p: &Path, e: std::io::Error| ContainerError::io(p.display().to_string(), &e);
        write_secret(&tmp, &header).map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, &target).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(&target, e)
        })
    }
}

/// Whether container `c` holds `key`: same curve and fingerprint, and the stored certificate
/// (if any, under `pki`) has this very key.
fn matches(c: &Container, key: &VerifyingKey) -> bool {
    if key.param_set().curve() != c.param_set().curve() {
        return false;
    }
    if c.fingerprint() != Some(fingerprint(key)) {
        return false;
    }
    #[cfg(feature = "pki")]
    if let Some(Ok(cert)) = c.certificate() {
        return cert.public_key().point == key.as_bytes();
    }
    true
}
