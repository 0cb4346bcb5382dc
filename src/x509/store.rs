//! A certificate store with the roles CryptoPro users know: trusted roots, intermediate CAs,
//! personal certificates (linked to a private key) and other people (recipients), plus CRLs.
//! Old and expired certificates stay: they are needed to verify and decrypt old documents.

use std::path::{Path, PathBuf};

use super::cert::Certificate;
use super::crl::Crl;
use super::error::{Result, X509Error};
use super::name::names_match;
use super::path::{CrlRevocation, PathBuilder, PathError, ValidationOptions};

/// The role a certificate has in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Trust anchors ("Trusted Root Certification Authorities").
    TrustedRoot,
    /// Intermediate CAs: used to build paths, never trusted by themselves.
    IntermediateCa,
    /// The user's own certificates ("Personal"), each possibly linked to its private key.
    Personal,
    /// Other people's certificates ("Other People"): recipients such as tax inspections.
    OtherPeople,
}

/// One certificate of a store.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The certificate.
    pub cert: Certificate,
    /// Its role.
    pub role: Role,
    /// For personal certificates: where the private key is (a file or container name).
    pub key_link: Option<PathBuf>,
}

/// A certificate store.
#[derive(Debug, Clone, Default)]
pub struct CertStore {
    entries: Vec<Entry>,
    crls: Vec<Crl>,
    skipped: Vec<String>,
}

impl CertStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a certificate in a role (an identical certificate already in that role is not
    /// added twice).
    pub fn add(&mut self, cert: Certificate, role: Role) {
        self.add_linked(cert, role, None);
    }

    /// Adds a personal certificate linked to its private key's location.
    pub fn add_linked(&mut self, cert: Certificate, role: Role, key_link: Option<PathBuf>) {
        if let Some(e) = self
            .entries
            .iter_mut()
            .find(|e| e.role == role && e.cert == cert)
        {
            if key_link.is_some() {
                e.key_link = key_link;
            }
            return;
        }
        self.entries.push(Entry {
            cert,
            role,
            key_link,
        });
    }

    /// Removes every entry whose certificate has this SHA-1 thumbprint; returns how many.
    pub fn remove(&mut self, sha1_thumbprint: &[u8]) -> usize {
        let before = self.entries.len();
        self.entries
            .retain(|e| e.cert.thumbprint_sha1().as_slice() != sha1_thumbprint);
        before - self.entries.len()
    }

    /// Adds the certificates of a PEM bundle or a DER certificate; returns how many.
    /// Certificates with a non-GOST key are skipped (see [`CertStore::skipped`]).
    pub fn load_bytes(&mut self, input: &[u8], role: Role) -> Result<usize> {
        self.load_named(input, role, "input")
    }

    fn load_named(&mut self, input: &[u8], role: Role, name: &str) -> Result<usize> {
        let (certs, skipped) = Certificate::decode_bundle(input)?;
        let n = certs.len();
        for c in certs {
            self.add(c, role);
        }
        for (i, e) in skipped {
            self.skipped
                .push(format!("{name}: certificate #{} skipped: {e}", i + 1));
        }
        Ok(n)
    }

    /// Adds the certificates of a file (PEM bundle or DER) or of every `*.pem *.crt *.cer
    /// *.der` file of a directory; returns how many. Certificates with a non-GOST key are
    /// skipped and reported in [`CertStore::skipped`], not fatal for the bundle.
    pub fn load_path(&mut self, path: &Path, role: Role) -> Result<usize> {
        let io = |_| X509Error::Invalid("cannot read the certificate file or directory");
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                        ["pem", "crt", "cer", "der"].contains(&x.to_ascii_lowercase().as_str())
                    })
                })
                .collect();
            files.sort();
            let mut n = 0;
            for f in files {
                let data = std::fs::read(&f).map_err(io)?;
                n += self.load_named(&data, role, &f.display().to_string())?;
            }
            Ok(n)
        } else {
            let data = std::fs::read(path).map_err(io)?;
            self.load_named(&data, role, &path.display().to_string())
        }
    }

    /// What loading skipped (certificates with a non-GOST key), one line each.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Adds a CRL.
    pub fn add_crl(&mut self, crl: Crl) {
        self.crls.push(crl);
    }

    /// Every entry.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// The certificates of one role.
    pub fn certs(&self, role: Role) -> Vec<Certificate> {
        self.entries
            .iter()
            .filter(|e| e.role == role)
            .map(|e| e.cert.clone())
            .collect()
    }

    /// Certificates whose subject equals `subject`.
    pub fn find_by_subject(&self, subject: &x509_cert::name::Name) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| names_match(e.cert.subject(), subject))
            .collect()
    }

    /// The certificate with this issuer and serial (CMS issuerAndSerialNumber).
    pub fn find_by_issuer_serial(
        &self,
        issuer: &x509_cert::name::Name,
        serial: &[u8],
    ) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| names_match(e.cert.issuer(), issuer) && e.cert.serial() == serial)
    }

    /// The certificate with this subjectKeyIdentifier.
    pub fn find_by_ski(&self, ski: &[u8]) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.cert.subject_key_id().ok().flatten().as_deref() == Some(ski))
    }

    /// The certificate with this thumbprint (SHA-1, 20 bytes, or Streebog-256, 32 bytes).
    pub fn find_by_thumbprint(&self, thumbprint: &[u8]) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            e.cert.thumbprint_sha1().as_slice() == thumbprint
                || e.cert.thumbprint_streebog256().as_slice() == thumbprint
        })
    }

    /// Validates `leaf` against the store's trusted roots, its intermediate CAs plus `extra`
    /// untrusted certificates (e.g. those carried in a CMS message), and its CRLs. Nothing is
    /// cloned but the path returned.
    pub fn validate(
        &self,
        leaf: &Certificate,
        extra: &[Certificate],
        opts: &ValidationOptions,
    ) -> core::result::Result<Vec<Certificate>, PathError> {
        let source = CrlRevocation::new(&self.crls);
        let path = self
            .path_builder(extra)
            .revocation(&source)
            .options(opts.clone())
            .build(leaf)?;
        Ok(path.into_iter().cloned().collect())
    }

    /// A [`PathBuilder`] over the store's trusted roots, with its intermediate CAs, other
    /// people's and personal certificates and `extra` as candidate intermediates; the caller
    /// adds revocation, a hook and options.
    pub fn path_builder<'a>(&'a self, extra: &'a [Certificate]) -> PathBuilder<'a> {
        let of = |role: Role| {
            self.entries
                .iter()
                .filter(move |e| e.role == role)
                .map(|e| &e.cert)
        };
        PathBuilder::new(of(Role::TrustedRoot))
            .intermediates(of(Role::IntermediateCa))
            .intermediates(of(Role::OtherPeople))
            .intermediates(of(Role::Personal))
            .intermediates(extra)
    }
}
