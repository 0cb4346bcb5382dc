//! CryptoPro CSP key containers (the `*.000` directories of `header.key`, `masks.key`,
//! `masks2.key`, `primary.key`, `primary2.key`, `name.key`): reading, unlocking with the PIN,
//! writing, and a directory of containers as a key store.
//!
//! ```
//! use gostkit::container::Container;
//! use gostkit::ec::SignDigest;
//!
//! // A real CryptoPro CSP 5.0 container (test-vectors/cryptopro/README.md), empty PIN.
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/cryptopro/91team-srv000-2012-256-nginx_gost");
//! let container = Container::open(dir)?;
//! let key = container.unlock(b"")?; // wrong PIN → ContainerError::WrongPassword
//! let sig = key.sign_digest(&[7u8; 32])?;
//! key.public_key().verify_digest(&[7u8; 32], sig.as_bytes())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Keys layer: built on the hashes, GOST 28147-89, the curve layer and (behind the `pki`
//! feature) [`crate::x509::Certificate`] for the stored certificates. The format facts, the
//! sources they come from and the real sample checked here are in
//! `test-vectors/cryptopro/README.md`:
//!
//! - key = [`kdf::cpkdf`]`(PIN, masks.salt)` (Streebog-256 for GOST R 34.10-2012 keys,
//!   GOST R 34.11-94 for 2001 keys; 2 iterations for an empty PIN, 2000 otherwise);
//! - `LE(decrypted primary)` = GOST 28147-89 ECB decryption of `primary.value` (S-box
//!   id-tc26-gost-28147-param-Z for 2012 keys, CryptoPro-A for 2001 keys), and
//!   d = `LE(decrypted)` · `LE(mask)`⁻¹ mod q;
//! - the PIN is right when the first 8 bytes of LE(X) of d·G equal `primaryFP`;
//! - `masks.hmac` = MAC(key = mask, or its last 32 bytes for a 64-byte mask; data = salt),
//!   the header MAC = MAC(key = 0, data = DER of keyContainerContent), `hmacPassword` =
//!   MAC(key = CPKDF(PIN, primaryFP), data = 16 zero bytes), with the same S-box; an all-zero
//!   `hmacPassword` (CSP writes it for an empty PIN) is not checked.
//!
//! The S-box and hash of GOST R 34.10-2001 containers are taken from the brief of this module
//! (no public 2001 sample exists to check them against); 2001 and 512-bit containers are
//! checked by round trip through [`ContainerWriter`] only.

pub mod error;
pub mod format;
pub mod kdf;
pub mod store;
mod tlv;
mod writer;

use std::path::Path;

use const_oid::ObjectIdentifier;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::asn1::KeyAlgorithm;
use crate::cipher::gost28147::{Gost28147, SBox, gost28147_mac};
use crate::ec::VkoAlg;
use crate::ec::{AgreeKey, EcError, ParamSet, SignDigest, Signature, SigningKey, VerifyingKey};
use crate::oid;

pub use error::ContainerError;
pub use format::{
    ContainerContent, ContainerExtension, Flags, HeaderFile, KeyParameters, MasksFile, NameFile,
    PrimaryFile,
};
pub use kdf::{KdfHash, cpkdf};
pub use store::KeyStore;
pub use writer::{ContainerWriter, OsRandom, RandomSource};

/// The file names of a container directory.
pub mod names {
    /// The header: parameters, certificate, fingerprint.
    pub const HEADER: &str = "header.key";
    /// The encrypted masked key.
    pub const PRIMARY: &str = "primary.key";
    /// Its reserve copy.
    pub const PRIMARY2: &str = "primary2.key";
    /// The mask and salt.
    pub const MASKS: &str = "masks.key";
    /// The reserve copy's mask and salt.
    pub const MASKS2: &str = "masks2.key";
    /// The container name.
    pub const NAME: &str = "name.key";
}

/// id-GostR3410-2001DH (1.2.643.2.2.98): a GOST R 34.10-2001 exchange key.
const GOSTR3410_2001_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.2.2.98");

/// The key family of a container, which fixes the CPKDF hash and the GOST 28147-89 S-box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContainerAlgorithm {
    /// GOST R 34.10-2001 (256-bit): CPKDF over GOST R 34.11-94, S-box CryptoPro-A.
    Gost2001,
    /// GOST R 34.10-2012 256-bit: CPKDF over Streebog-256, S-box Z.
    Gost2012_256,
    /// GOST R 34.10-2012 512-bit: CPKDF over Streebog-256, S-box Z.
    Gost2012_512,
}

impl ContainerAlgorithm {
    /// The family of a key algorithm OID (signature or exchange OID).
    pub fn from_oid(o: &ObjectIdentifier) -> Option<Self> {
        if *o == oid::GOSTR3410_2001 || *o == GOSTR3410_2001_DH {
            Some(Self::Gost2001)
        } else if *o == oid::GOSTR3410_2012_256 || *o == oid::AGREEMENT_2012_256 {
            Some(Self::Gost2012_256)
        } else if *o == oid::GOSTR3410_2012_512 || *o == oid::AGREEMENT_2012_512 {
            Some(Self::Gost2012_512)
        } else {
            None
        }
    }

    /// The key algorithm OID a container of this family is written with: the exchange OID
    /// (id-GostR3410-2001DH, id-tc26-agreement-gost-3410-2012-256/512) for an exchange key, the
    /// signature OID otherwise.
    pub fn oid(self, exchange: bool) -> ObjectIdentifier {
        match (self, exchange) {
            (Self::Gost2001, false) => oid::GOSTR3410_2001,
            (Self::Gost2001, true) => GOSTR3410_2001_DH,
            (Self::Gost2012_256, false) => oid::GOSTR3410_2012_256,
            (Self::Gost2012_256, true) => oid::AGREEMENT_2012_256,
            (Self::Gost2012_512, false) => oid::GOSTR3410_2012_512,
            (Self::Gost2012_512, true) => oid::AGREEMENT_2012_512,
        }
    }

    /// The digestParamSet written with the key: GOST R 34.11-94 CryptoPro parameters for 2001,
    /// Streebog-256 / Streebog-512 for 2012 keys.
    pub fn digest_oid(self) -> ObjectIdentifier {
        match self {
            Self::Gost2001 => oid::GOSTR3411_94_CRYPTOPRO_PARAMSET,
            Self::Gost2012_256 => oid::STREEBOG_256,
            Self::Gost2012_512 => oid::STREEBOG_512,
        }
    }

    /// The CPKDF hash.
    pub fn kdf_hash(self) -> KdfHash {
        match self {
            Self::Gost2001 => KdfHash::Gost94,
            Self::Gost2012_256 | Self::Gost2012_512 => KdfHash::Streebog256,
        }
    }

    /// The GOST 28147-89 S-box of the key encryption and the MACs.
    pub fn sbox(self) -> SBox {
        match self {
            Self::Gost2001 => SBox::CryptoProA,
            Self::Gost2012_256 | Self::Gost2012_512 => SBox::Tc26Z,
        }
    }

    /// Key (scalar) size in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Self::Gost2001 | Self::Gost2012_256 => 32,
            Self::Gost2012_512 => 64,
        }
    }

    fn key_algorithm(self) -> KeyAlgorithm {
        match self {
            Self::Gost2001 => KeyAlgorithm::Gost2001,
            Self::Gost2012_256 => KeyAlgorithm::Gost2012_256,
            Self::Gost2012_512 => KeyAlgorithm::Gost2012_512,
        }
    }

    /// The curve of `curve`, when this family may use it.
    pub fn param_set(self, curve: &ObjectIdentifier) -> Result<ParamSet, ContainerError> {
        let set = ParamSet::from_oid(&curve.to_string())
            .filter(|s| s.bits() == self.key_len() * 8)
            .filter(|_| self.key_algorithm().allows_param_set(curve))
            .ok_or(ContainerError::UnknownCurve(*curve))?;
        Ok(set)
    }
}

/// The raw bytes of a container's files. Files holding key material are zeroized on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ContainerFiles {
    /// `header.key`.
    pub header: Vec<u8>,
    /// `primary.key`.
    pub primary: Zeroizing<Vec<u8>>,
    /// `masks.key`.
    pub masks: Zeroizing<Vec<u8>>,
    /// `primary2.key` (the reserve copy), when present.
    pub primary2: Option<Zeroizing<Vec<u8>>>,
    /// `masks2.key`, when present.
    pub masks2: Option<Zeroizing<Vec<u8>>>,
    /// `name.key`, when present.
    pub name: Option<Vec<u8>>,
}

impl core::fmt::Debug for ContainerFiles {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ContainerFiles")
            .field("header", &self.header.len())
            .field("reserve_copy", &self.primary2.is_some())
            .field("name", &self.name.is_some())
            .finish()
    }
}

fn read_capped(
    dir: &Path,
    file: &'static str,
    cap: usize,
) -> Result<Option<Zeroizing<Vec<u8>>>, ContainerError> {
    use std::io::Read;
    let path = dir.join(file);
    let f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ContainerError::io(path.display().to_string(), &e)),
    };
    let io = |e: std::io::Error| ContainerError::io(path.display().to_string(), &e);
    let len = f.metadata().map_err(io)?.len();
    if len > cap as u64 {
        return Err(ContainerError::TooLarge { file, limit: cap });
    }
    // One allocation of the final size (plus one byte to see the end), so no copy is left.
    let mut buf = Zeroizing::new(Vec::with_capacity(cap.min(len as usize) + 1));
    f.take(cap as u64 + 1).read_to_end(&mut buf).map_err(io)?;
    if buf.len() > cap {
        return Err(ContainerError::TooLarge { file, limit: cap });
    }
    Ok(Some(buf))
}

impl ContainerFiles {
    /// Reads the files of the container directory `dir`. `header.key`, `primary.key` and
    /// `masks.key` must exist; the others are optional. Each file is read up to its size cap.
    pub fn read_dir(dir: &Path) -> Result<Self, ContainerError> {
        use format::{MAX_HEADER_LEN, MAX_SMALL_FILE_LEN as SMALL};
        let need = |file: &'static str, cap| {
            read_capped(dir, file, cap)?.ok_or(ContainerError::MissingFile(file))
        };
        Ok(Self {
            header: need(names::HEADER, MAX_HEADER_LEN)?.to_vec(),
            primary: need(names::PRIMARY, SMALL)?,
            masks: need(names::MASKS, SMALL)?,
            primary2: read_capped(dir, names::PRIMARY2, SMALL)?,
            masks2: read_capped(dir, names::MASKS2, SMALL)?,
            name: read_capped(dir, names::NAME, SMALL)?.map(|n| n.to_vec()),
        })
    }

    /// Writes the files into `dir`, creating it (mode 0700 on Unix) when absent. Every file is
    /// created mode 0600 on Unix (an existing file is set to 0600 before it is rewritten);
    /// files this container does not have are not touched.
    pub fn write_dir(&self, dir: &Path) -> Result<(), ContainerError> {
        let io = |p: &Path, e: std::io::Error| ContainerError::io(p.display().to_string(), &e);
        if !dir.is_dir() {
            let mut b = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(dir).map_err(|e| io(dir, e))?;
        }
        let files: [(&str, Option<&[u8]>); 6] = [
            (names::HEADER, Some(&self.header)),
            (names::PRIMARY, Some(&self.primary)),
            (names::MASKS, Some(&self.masks)),
            (names::PRIMARY2, self.primary2.as_deref().map(|v| &v[..])),
            (names::MASKS2, self.masks2.as_deref().map(|v| &v[..])),
            (names::NAME, self.name.as_deref()),
        ];
        for (name, data) in files {
            if let Some(data) = data {
                let p = dir.join(name);
                write_secret(&p, data).map_err(|e| io(&p, e))?;
            }
        }
        Ok(())
    }
}

/// Writes `data` to `path`, created 0600 on Unix (an existing regular file is set to 0600
/// before it is emptied).
pub(crate) fn write_secret(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if f.metadata()?.file_type().is_file() {
            f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    f.set_len(0)?;
    f.write_all(data)?;
    f.flush()
}

/// The GOST 28147-89 MAC of the container files (key, data) with the family's S-box.
pub(crate) fn mac(sbox: SBox, key: &[u8], data: &[u8]) -> Result<[u8; 4], ContainerError> {
    let c = Gost28147::with_sbox(key, sbox).map_err(|_| ContainerError::Malformed {
        file: "(mac)",
        what: "MAC key is not 32 bytes",
    })?;
    gost28147_mac(&c, None, data, false).map_err(|_| ContainerError::Malformed {
        file: "(mac)",
        what: "MAC",
    })
}

/// The mask MAC: keyed with the mask (its last 32 bytes for a 64-byte mask), over the salt.
pub(crate) fn mask_mac(sbox: SBox, mask: &[u8], salt: &[u8]) -> Result<[u8; 4], ContainerError> {
    let key = mask.get(mask.len().saturating_sub(32)..).unwrap_or(mask);
    mac(sbox, key, salt)
}

/// The header MAC: zero key, over the DER of keyContainerContent.
pub(crate) fn header_mac(sbox: SBox, content_der: &[u8]) -> Result<[u8; 4], ContainerError> {
    mac(sbox, &[0u8; 32], content_der)
}

/// The password MAC: keyed with CPKDF(PIN, primaryFP), over 16 zero bytes.
pub fn password_mac(
    alg: ContainerAlgorithm,
    pin: &[u8],
    fp: &[u8],
) -> Result<[u8; 4], ContainerError> {
    let k = cpkdf(alg.kdf_hash(), pin, fp);
    mac(alg.sbox(), &k[..], &[0u8; 16])
}

fn check_mac(
    file: &'static str,
    what: &'static str,
    stored: &[u8],
    computed: &[u8; 4],
) -> Result<(), ContainerError> {
    if stored.len() == 4 && bool::from(stored.ct_eq(&computed[..])) {
        Ok(())
    } else {
        Err(ContainerError::Integrity { file, what })
    }
}

/// The first 8 bytes of LE(X) of a public key: a container's key fingerprint.
pub fn fingerprint(key: &VerifyingKey) -> [u8; 8] {
    let mut fp = [0u8; 8];
    for (d, s) in fp.iter_mut().zip(key.as_bytes()) {
        *d = *s;
    }
    fp
}

/// The decryption of one (primary, masks) pair: d = LE(ECB⁻¹(value)) / LE(mask) mod q.
fn decrypt_key(
    alg: ContainerAlgorithm,
    set: ParamSet,
    pin: &[u8],
    file: &'static str,
    primary: &PrimaryFile,
    masks: &MasksFile,
) -> Result<SigningKey, ContainerError> {
    let k = cpkdf(alg.kdf_hash(), pin, &masks.salt);
    let cipher =
        Gost28147::with_sbox(&k[..], alg.sbox()).map_err(|_| ContainerError::Malformed {
            file,
            what: "key-encryption key",
        })?;
    let mut value = Zeroizing::new(primary.key_bytes(file)?.to_vec());
    cipher
        .ecb_decrypt(&mut value)
        .map_err(|_| ContainerError::Malformed {
            file,
            what: "the encrypted key is not whole blocks",
        })?;
    SigningKey::from_mask_quotient(set, &value, &masks.mask).map_err(|e| match e {
        // A wrong PIN decrypts to a random value; only a null one is not a scalar.
        EcError::InvalidPrivateKey => ContainerError::WrongPin,
        other => ContainerError::Key(other),
    })
}

/// A parsed CryptoPro CSP key container: every file checked for structure, the header MAC and
/// the mask MACs verified. [`Container::unlock`] decrypts the key with the PIN.
#[derive(Clone, Debug)]
pub struct Container {
    header: HeaderFile,
    primary: PrimaryFile,
    masks: MasksFile,
    reserve: Option<(PrimaryFile, MasksFile)>,
    name: Option<NameFile>,
    alg: ContainerAlgorithm,
    set: ParamSet,
}

impl Container {
    /// Reads and checks the container in directory `dir` (see [`ContainerFiles::read_dir`]).
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, ContainerError> {
        Self::from_files(&ContainerFiles::read_dir(dir.as_ref())?)
    }

    /// Parses and checks a container from the bytes of its files.
    pub fn from_files(files: &ContainerFiles) -> Result<Self, ContainerError> {
        let header = HeaderFile::parse(&files.header)?;
        let pk = &header.content.primary_key;
        let alg = ContainerAlgorithm::from_oid(&pk.algorithm)
            .ok_or(ContainerError::UnknownAlgorithm(pk.algorithm))?;
        let set = alg.param_set(&pk.curve)?;
        let sbox = alg.sbox();
        check_mac(
            names::HEADER,
            "header MAC",
            &header.mac,
            &header_mac(sbox, header.content_der())?,
        )?;
        let pair = |pf: &'static str,
                    mf: &'static str,
                    p: &[u8],
                    m: &[u8]|
         -> Result<(PrimaryFile, MasksFile), ContainerError> {
            let masks = MasksFile::parse(mf, m)?;
            let primary = PrimaryFile::parse(pf, p)?;
            let n = alg.key_len();
            if masks.mask.len() != n {
                return Err(ContainerError::Malformed {
                    file: mf,
                    what: "the mask size does not fit the key algorithm",
                });
            }
            if primary.key_bytes(pf)?.len() != n {
                return Err(ContainerError::Malformed {
                    file: pf,
                    what: "the key size does not fit the key algorithm",
                });
            }
            check_mac(
                mf,
                "mask MAC",
                &masks.mac,
                &mask_mac(sbox, &masks.mask, &masks.salt)?,
            )?;
            Ok((primary, masks))
        };
        let (primary, masks) = pair(names::PRIMARY, names::MASKS, &files.primary, &files.masks)?;
        let reserve = match (&files.primary2, &files.masks2) {
            (Some(p), Some(m)) => Some(pair(names::PRIMARY2, names::MASKS2, p, m)?),
            (None, None) => None,
            (Some(_), None) => return Err(ContainerError::MissingFile(names::MASKS2)),
            (None, Some(_)) => return Err(ContainerError::MissingFile(names::PRIMARY2)),
        };
        let name = files.name.as_deref().map(NameFile::parse).transpose()?;
        Ok(Self {
            header,
            primary,
            masks,
            reserve,
            name,
            alg,
            set,
        })
    }

    /// Decrypts the key with `pin` (empty for a container without PIN) and checks it: the
    /// fingerprint of d·G against `primaryFP` (else [`ContainerError::WrongPin`], or
    /// [`ContainerError::PinRequired`] when no PIN was given to a PIN-protected container), the
    /// password MAC when it is not zero, the reserve copy (the same key), and the stored
    /// certificate's public key when it is a GOST certificate.
    pub fn unlock(&self, pin: &[u8]) -> Result<ContainerKey, ContainerError> {
        if pin.is_empty() && self.has_pin() {
            return Err(ContainerError::PinRequired);
        }
        let c = &self.header.content;
        let key = decrypt_key(
            self.alg,
            self.set,
            pin,
            names::PRIMARY,
            &self.primary,
            &self.masks,
        )?;
        let fp = fingerprint(key.verifying_key());
        match &c.primary_fp {
            Some(stored) => {
                if !bool::from(stored.ct_eq(&fp)) {
                    return Err(ContainerError::WrongPin);
                }
            }
            None => self.check_without_fingerprint(&key)?,
        }
        if let (Some(stored), Some(sfp)) = (&c.hmac_password, &c.primary_fp)
            && stored.iter().any(|&b| b != 0)
        {
            check_mac(
                names::HEADER,
                "password MAC",
                stored,
                &password_mac(self.alg, pin, sfp)?,
            )?;
        }
        if let Some((p2, m2)) = &self.reserve {
            let k2 = decrypt_key(self.alg, self.set, pin, names::PRIMARY2, p2, m2).map_err(
                |e| match e {
                    ContainerError::WrongPin => ContainerError::Integrity {
                        file: names::PRIMARY2,
                        what: "reserve copy of the key",
                    },
                    other => other,
                },
            )?;
            if !bool::from(k2.to_bytes().ct_eq(&key.to_bytes()[..])) {
                return Err(ContainerError::Integrity {
                    file: names::PRIMARY2,
                    what: "reserve copy of the key",
                });
            }
        }
        #[cfg(feature = "pki")]
        if let Some(Ok(cert)) = self.certificate()
            && let Ok(vk) = cert.verifying_key()
            && (vk.param_set().curve() != self.set.curve()
                || vk.as_bytes() != key.verifying_key().as_bytes())
        {
            return Err(ContainerError::CertificateMismatch);
        }
        let pk = &c.primary_key;
        Ok(ContainerKey {
            key,
            exportable: pk.exportable(),
            exchange: pk.exchange(),
        })
    }

    /// Without `primaryFP`, the PIN is checked against the stored certificate's key.
    fn check_without_fingerprint(&self, key: &SigningKey) -> Result<(), ContainerError> {
        #[cfg(feature = "pki")]
        if let Some(Ok(cert)) = self.certificate()
            && let Ok(vk) = cert.verifying_key()
        {
            return if vk.as_bytes() == key.verifying_key().as_bytes() {
                Ok(())
            } else {
                Err(ContainerError::WrongPin)
            };
        }
        let _ = key;
        Err(ContainerError::Unsupported(
            "no primaryFP and no certificate to check the PIN against",
        ))
    }

    /// The parsed `header.key`.
    pub fn header(&self) -> &HeaderFile {
        &self.header
    }

    /// The parsed `name.key`, when present.
    pub fn name_file(&self) -> Option<&NameFile> {
        self.name.as_ref()
    }

    /// The container's name: `name.key`, else the header's containerName.
    pub fn name(&self) -> Option<String> {
        if let Some(n) = &self.name {
            return Some(n.name().to_owned());
        }
        self.header
            .content
            .container_name
            .as_ref()
            .map(|n| String::from_utf8_lossy(n).into_owned())
    }

    /// The key family.
    pub fn algorithm(&self) -> ContainerAlgorithm {
        self.alg
    }

    /// The key algorithm OID as stored.
    pub fn algorithm_oid(&self) -> ObjectIdentifier {
        self.header.content.primary_key.algorithm
    }

    /// The curve (publicKeyParamSet) OID as stored.
    pub fn curve_oid(&self) -> ObjectIdentifier {
        self.header.content.primary_key.curve
    }

    /// The digestParamSet OID, when stored.
    pub fn digest_oid(&self) -> Option<ObjectIdentifier> {
        self.header.content.primary_key.digest
    }

    /// The curve-layer parameter set of the key.
    pub fn param_set(&self) -> ParamSet {
        self.set
    }

    /// The primary key's attributes (pkaExportable, pkaExchange, …).
    pub fn key_parameters(&self) -> &KeyParameters {
        &self.header.content.primary_key
    }

    /// pkaExportable.
    pub fn exportable(&self) -> bool {
        self.key_parameters().exportable()
    }

    /// pkaExchange: an exchange key (AT_KEYEXCHANGE), else a signature key (AT_SIGNATURE).
    pub fn exchange(&self) -> bool {
        self.key_parameters().exchange()
    }

    /// kccaSoftPassword: the key is protected by a PIN.
    pub fn has_pin(&self) -> bool {
        self.header.content.has_pin()
    }

    /// Whether `primary2.key` / `masks2.key` (the reserve copy) are present.
    pub fn has_reserve_copy(&self) -> bool {
        self.reserve.is_some()
    }

    /// Whether the header holds a secondary key (`[3]`/`[4]`). It is reported, not decrypted.
    pub fn has_secondary_key(&self) -> bool {
        let c = &self.header.content;
        c.secondary_encrypted_key.is_some() || c.secondary_key.is_some()
    }

    /// primaryFP: the first 8 bytes of LE(X) of the public key.
    pub fn fingerprint(&self) -> Option<[u8; 8]> {
        self.header.content.primary_fp
    }

    /// The primary certificate's DER, when stored.
    pub fn certificate_der(&self) -> Option<&[u8]> {
        self.header.content.primary_certificate.as_deref()
    }

    /// The secondary certificate's DER, when stored.
    pub fn secondary_certificate_der(&self) -> Option<&[u8]> {
        self.header.content.secondary_certificate.as_deref()
    }

    /// The primary certificate, parsed.
    #[cfg(feature = "pki")]
    pub fn certificate(&self) -> Option<crate::x509::error::Result<crate::x509::Certificate>> {
        self.certificate_der()
            .map(crate::x509::Certificate::from_der)
    }

    /// The secondary certificate, parsed.
    #[cfg(feature = "pki")]
    pub fn secondary_certificate(
        &self,
    ) -> Option<crate::x509::error::Result<crate::x509::Certificate>> {
        self.secondary_certificate_der()
            .map(crate::x509::Certificate::from_der)
    }

    /// The container's files re-encoded from the parsed structures (the bytes read, for a
    /// container that was not changed).
    pub fn to_files(&self) -> Result<ContainerFiles, ContainerError> {
        Ok(ContainerFiles {
            header: self.header.to_der()?,
            primary: self.primary.to_der()?,
            masks: self.masks.to_der()?,
            primary2: self.reserve.as_ref().map(|(p, _)| p.to_der()).transpose()?,
            masks2: self.reserve.as_ref().map(|(_, m)| m.to_der()).transpose()?,
            name: self.name.as_ref().map(NameFile::to_der).transpose()?,
        })
    }

    /// Replaces the stored primary certificate (`[5]`; `None` removes it) and recomputes the
    /// header MAC. The key files are unchanged. Under `pki`, a certificate whose GOST public key
    /// is not the container's (by fingerprint) is refused.
    pub fn set_certificate(&mut self, cert_der: Option<&[u8]>) -> Result<(), ContainerError> {
        #[cfg(feature = "pki")]
        if let Some(der) = cert_der {
            let cert = crate::x509::Certificate::from_der(der).map_err(|_| {
                ContainerError::InvalidArgument("not a GOST X.509 certificate (DER)")
            })?;
            let point = &cert.public_key().point;
            let fp_ok = match self.fingerprint() {
                Some(fp) => point.get(..8) == Some(&fp[..]),
                None => true,
            };
            if !fp_ok {
                return Err(ContainerError::CertificateMismatch);
            }
        }
        let mut content = self.header.content.clone();
        content.primary_certificate = cert_der.map(<[u8]>::to_vec);
        content.primary_certificate_constructed = false;
        let der = content.to_der()?;
        let mac = header_mac(self.alg.sbox(), &der)?;
        self.header = HeaderFile::new(content, mac.to_vec())?;
        Ok(())
    }
}

/// A key unlocked from a container: a [`SigningKey`] with the container's key attributes. It
/// signs ([`SignDigest`]) and agrees ([`AgreeKey`]) like any other key.
#[derive(Debug)]
pub struct ContainerKey {
    key: SigningKey,
    exportable: bool,
    exchange: bool,
}

impl ContainerKey {
    /// The key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The key, taken out (whatever pkaExportable says: the caller holds it in memory anyway).
    pub fn into_signing_key(self) -> SigningKey {
        self.key
    }

    /// pkaExportable.
    pub fn exportable(&self) -> bool {
        self.exportable
    }

    /// pkaExchange.
    pub fn exchange(&self) -> bool {
        self.exchange
    }

    /// The key as PKCS#8 (RFC 9215), refused with [`ContainerError::NotExportable`] when the
    /// container marks it non-exportable.
    pub fn to_pkcs8(&self) -> Result<crate::asn1::GostPrivateKey, ContainerError> {
        if !self.exportable {
            return Err(ContainerError::NotExportable);
        }
        crate::asn1::GostPrivateKey::from_signing_key(&self.key)
            .map_err(|_| ContainerError::Unsupported("the key cannot be written as PKCS#8"))
    }
}

impl SignDigest for ContainerKey {
    fn param_set(&self) -> ParamSet {
        self.key.param_set()
    }
    fn public_key(&self) -> &VerifyingKey {
        self.key.verifying_key()
    }
    fn sign_digest(&self, digest: &[u8]) -> Result<Signature, EcError> {
        SignDigest::sign_digest(&self.key, digest)
    }
}

impl AgreeKey for ContainerKey {
    fn param_set(&self) -> ParamSet {
        self.key.param_set()
    }
    fn public_key(&self) -> &VerifyingKey {
        self.key.verifying_key()
    }
    fn vko(
        &self,
        alg: VkoAlg,
        peer: &VerifyingKey,
        ukm: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, EcError> {
        self.key.vko(alg, peer, ukm)
    }
}
