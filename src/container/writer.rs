//! Writing CryptoPro CSP key containers: the six files of a key, its certificate, PIN and name,
//! with every random input (masks, salts) drawn from one [`RandomSource`] so a container can be
//! reproduced from its inputs.

use const_oid::ObjectIdentifier;
use zeroize::Zeroizing;

use super::error::ContainerError;
use super::format::{
    ContainerContent, ContainerExtension, Flags, HeaderFile, KeyParameters, MasksFile, NameFile,
    PrimaryFile, container_bits, key_bits,
};
use super::{
    Container, ContainerAlgorithm, ContainerFiles, cpkdf, fingerprint, header_mac, mask_mac,
    password_mac,
};
use crate::cipher::gost28147::Gost28147;
use crate::ec::SigningKey;

/// id-CryptoPro-GostPrivateKeys-V2-Full (1.2.643.2.2.37.2.1): the containerAlgoritmIdentifier
/// CSP 5.0 writes.
pub const PRIVATE_KEYS_V2_FULL: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.643.2.2.37.2.1");

/// Draws at most this many masks before giving up (each is kept with probability ≥ 1/4).
const MASK_TRIES: usize = 128;

/// Where the writer's random bytes come from: the masks and the salts, in this order:
/// mask, salt, then (with a reserve copy) mask2, salt2. A mask drawn that is not in 1..q-1 is
/// drawn again.
pub trait RandomSource {
    /// Fills `out` with random bytes.
    fn fill(&mut self, out: &mut [u8]) -> Result<(), ContainerError>;
}

/// The operating system's random source.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), ContainerError> {
        getrandom::fill(out).map_err(|_| ContainerError::RandomFailed)
    }
}

/// Builds the files of a CryptoPro CSP container for a key.
///
/// Defaults: the GOST R 34.10-2012 family of the key's size, no PIN, exportable, an exchange
/// key (pkaExchange: signs and agrees, as CSP's AT_KEYEXCHANGE), a reserve copy
/// (`primary2.key`, `masks2.key`), containerAlgoritmIdentifier id-CryptoPro-GostPrivateKeys-V2-Full,
/// no certificate and no extensions.
pub struct ContainerWriter<'a> {
    key: &'a SigningKey,
    alg: ContainerAlgorithm,
    pin: Zeroizing<Vec<u8>>,
    name: String,
    exportable: bool,
    exchange: bool,
    certificate: Option<Vec<u8>>,
    reserve_copy: bool,
    extensions: Vec<ContainerExtension>,
    container_algorithm: Option<ObjectIdentifier>,
}

impl core::fmt::Debug for ContainerWriter<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ContainerWriter")
            .field("alg", &self.alg)
            .field("name", &self.name)
            .field("has_pin", &!self.pin.is_empty())
            .finish()
    }
}

impl<'a> ContainerWriter<'a> {
    /// A writer for `key`, named `name` (ASCII, in `name.key`).
    pub fn new(key: &'a SigningKey, name: &str) -> Self {
        let alg = if key.param_set().bits() == 512 {
            ContainerAlgorithm::Gost2012_512
        } else {
            ContainerAlgorithm::Gost2012_256
        };
        Self {
            key,
            alg,
            pin: Zeroizing::new(Vec::new()),
            name: name.to_owned(),
            exportable: true,
            exchange: true,
            certificate: None,
            reserve_copy: true,
            extensions: Vec::new(),
            container_algorithm: Some(PRIVATE_KEYS_V2_FULL),
        }
    }

    /// Writes a GOST R 34.10-2001 container (GOST R 34.11-94 CPKDF, S-box CryptoPro-A); the key
    /// must be a 256-bit key on an RFC 4357 curve (CryptoPro-A/B/C, XchA/B, test).
    pub fn gost2001(mut self) -> Self {
        self.alg = ContainerAlgorithm::Gost2001;
        self
    }

    /// The PIN (empty: none).
    pub fn pin(mut self, pin: &[u8]) -> Self {
        self.pin = Zeroizing::new(pin.to_vec());
        self
    }

    /// pkaExportable.
    pub fn exportable(mut self, exportable: bool) -> Self {
        self.exportable = exportable;
        self
    }

    /// pkaExchange (and the exchange key OID); `false` writes a signature key.
    pub fn exchange(mut self, exchange: bool) -> Self {
        self.exchange = exchange;
        self
    }

    /// The certificate stored in the header (`[5]`), DER.
    pub fn certificate(mut self, der: Option<&[u8]>) -> Self {
        self.certificate = der.map(<[u8]>::to_vec);
        self
    }

    /// Whether to write the reserve copy (`primary2.key`, `masks2.key`).
    pub fn reserve_copy(mut self, yes: bool) -> Self {
        self.reserve_copy = yes;
        self
    }

    /// The header's extensions (`[12]`), e.g. 1.2.643.2.2.37.3.10, the key usage period.
    pub fn extensions(mut self, extensions: Vec<ContainerExtension>) -> Self {
        self.extensions = extensions;
        self
    }

    /// The containerAlgoritmIdentifier (`None`: not written).
    pub fn container_algorithm(mut self, oid: Option<ObjectIdentifier>) -> Self {
        self.container_algorithm = oid;
        self
    }

    fn check(&self) -> Result<(), ContainerError> {
        let set = self.key.param_set();
        if set.bits() != self.alg.key_len() * 8 {
            return Err(ContainerError::InvalidArgument(
                "the key size does not fit the container algorithm",
            ));
        }
        let curve = ObjectIdentifier::new(set.oid())
            .map_err(|_| ContainerError::InvalidArgument("parameter-set OID"))?;
        self.alg.param_set(&curve).map_err(|_| {
            ContainerError::InvalidArgument("the key's curve is not allowed for the algorithm")
        })?;
        #[cfg(feature = "pki")]
        if let Some(der) = &self.certificate {
            let cert = crate::x509::Certificate::from_der(der).map_err(|_| {
                ContainerError::InvalidArgument("not a GOST X.509 certificate (DER)")
            })?;
            if cert.public_key().point != self.key.verifying_key().as_bytes() {
                return Err(ContainerError::CertificateMismatch);
            }
        }
        Ok(())
    }

    /// Draws a mask in 1..q-1 and a 12-byte salt.
    fn draw(
        &self,
        rng: &mut dyn RandomSource,
    ) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), ContainerError> {
        let set = self.key.param_set();
        let mut mask = Zeroizing::new(vec![0u8; self.alg.key_len()]);
        let mut tries = 0;
        loop {
            rng.fill(&mut mask)?;
            if SigningKey::is_valid_scalar(set, &mask) {
                break;
            }
            tries += 1;
            if tries == MASK_TRIES {
                return Err(ContainerError::RandomFailed);
            }
        }
        let mut salt = vec![0u8; 12];
        rng.fill(&mut salt)?;
        Ok((mask, salt))
    }

    /// The (primary, masks) pair of the key under `mask` and `salt`.
    fn pair(
        &self,
        mask: Zeroizing<Vec<u8>>,
        salt: Vec<u8>,
    ) -> Result<(PrimaryFile, MasksFile), ContainerError> {
        let k = cpkdf(self.alg.kdf_hash(), &self.pin, &salt);
        let cipher = Gost28147::with_sbox(&k[..], self.alg.sbox())
            .map_err(|_| ContainerError::InvalidArgument("key-encryption key"))?;
        let mut value = self.key.mask_product(&mask)?;
        cipher
            .ecb_encrypt(&mut value)
            .map_err(|_| ContainerError::InvalidArgument("key length"))?;
        let mac = mask_mac(self.alg.sbox(), &mask, &salt)?.to_vec();
        Ok((
            PrimaryFile {
                value,
                tagged: None,
                rest: Vec::new(),
            },
            MasksFile {
                mask,
                salt,
                mac,
                rest: Vec::new(),
            },
        ))
    }

    /// The container's files, drawing the masks and salts from `rng`.
    pub fn write(&self, rng: &mut dyn RandomSource) -> Result<ContainerFiles, ContainerError> {
        self.check()?;
        let name = NameFile::new(&self.name)?;
        let (mask, salt) = self.draw(rng)?;
        let (primary, masks) = self.pair(mask, salt)?;
        let reserve = if self.reserve_copy {
            let (mask2, salt2) = self.draw(rng)?;
            Some(self.pair(mask2, salt2)?)
        } else {
            None
        };
        let fp = fingerprint(self.key.verifying_key());
        let has_pin = !self.pin.is_empty();
        let mut cbits = Vec::new();
        if has_pin {
            cbits.push(container_bits::SOFT_PASSWORD);
        }
        if self.reserve_copy {
            cbits.push(container_bits::RESERVE_PRIMARY);
        }
        let mut kbits = Vec::new();
        if self.exportable {
            kbits.push(key_bits::EXPORTABLE);
        }
        if self.exchange {
            kbits.push(key_bits::EXCHANGE);
        }
        let set = self.key.param_set();
        let curve = ObjectIdentifier::new(set.oid())
            .map_err(|_| ContainerError::InvalidArgument("parameter-set OID"))?;
        let hmac_password = if has_pin {
            password_mac(self.alg, &self.pin, &fp)?.to_vec()
        } else {
            vec![0u8; 4]
        };
        let content = ContainerContent {
            container_algorithm: self.container_algorithm,
            container_name: None,
            attributes: Flags::from_bits(&cbits),
            primary_key: KeyParameters {
                attributes: Flags::from_bits(&kbits),
                algorithm: self.alg.oid(self.exchange),
                curve,
                digest: Some(self.alg.digest_oid()),
                extra_params: Vec::new(),
                rest: Vec::new(),
            },
            hmac_password: Some(hmac_password),
            secondary_encrypted_key: None,
            secondary_key: None,
            primary_certificate: self.certificate.clone(),
            primary_certificate_constructed: false,
            secondary_certificate: None,
            secondary_certificate_constructed: false,
            encryption_container_name: None,
            primary_certificate_link: None,
            secondary_certificate_link: None,
            primary_fp: Some(fp),
            secondary_fp: None,
            password_policy: None,
            security_level: None,
            extensions: if self.extensions.is_empty() {
                None
            } else {
                Some(self.extensions.clone())
            },
            secondary_encryption_container_name: None,
            unknown: Vec::new(),
        };
        let mac = header_mac(self.alg.sbox(), &content.to_der()?)?;
        let header = HeaderFile::new(content, mac.to_vec())?;
        Ok(ContainerFiles {
            header: header.to_der()?,
            primary: primary.to_der()?,
            masks: masks.to_der()?,
            primary2: reserve.as_ref().map(|(p, _)| p.to_der()).transpose()?,
            masks2: reserve.as_ref().map(|(_, m)| m.to_der()).transpose()?,
            name: Some(name.to_der()?),
        })
    }
}

impl Container {
    /// The files of a new container for `key` (GOST R 34.10-2012 family of its size, exchange
    /// key, with a reserve copy): `cert` stored in the header, `pin` (empty: none), `name` in
    /// `name.key`, pkaExportable when `exportable`, masks and salts from `rng`. See
    /// [`ContainerWriter`] for the other choices; [`ContainerFiles::write_dir`] writes them.
    pub fn create(
        key: &SigningKey,
        cert: Option<&[u8]>,
        pin: &[u8],
        name: &str,
        exportable: bool,
        rng: &mut dyn RandomSource,
    ) -> Result<ContainerFiles, ContainerError> {
        ContainerWriter::new(key, name)
            .certificate(cert)
            .pin(pin)
            .exportable(exportable)
            .write(rng)
    }
}
