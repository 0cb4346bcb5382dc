//! Password-protected private keys: EncryptedPrivateKeyInfo with PBES2 (RFC 5958 §3, RFC 8018
//! §6.2) around the GOST PKCS#8 forms. Written: PBKDF2-HMAC-Streebog-512 (R 50.1.111-2016) with
//! Kuznyechik or Magma CTR-ACPKM (R 1323565.1.017-2018; ukm = IV || 8 zero bytes as gost-engine
//! writes it) or GOST 28147-89 CFB with CryptoPro key meshing and the TC26 Z S-box (RFC 4357,
//! R 1323565.1.012). Read also: PBKDF2 with HMAC-SHA-1/SHA-256/Streebog-256 PRFs (OpenSSL 3
//! writes the GOST ciphers with HMAC-SHA256) and AES-CBC, as `openssl pkcs8 -topk8` writes by
//! default. Passwords are UTF-8 bytes.
//!
//! CTR-ACPKM sections: 4 KiB for Kuznyechik, 1 KiB for Magma ([`KUZNYECHIK_SECTION`],
//! [`MAGMA_SECTION`]), the sizes gost-engine encrypts and decrypts PBES2 with (its cipher
//! defaults; CMS uses 256 KiB / 8 KiB instead). Checked against the peer: its PFX bags longer
//! than a section decrypt with these sizes and with no other (tests/pfx.rs); data within one
//! section, such as any single private key, is the same under every size.
//!
//! Hand-written on the `der` reader: the `pkcs5` crate knows only AES and DES schemes. With the
//! CTR and CFB ciphers there is no padding to check, so a wrong password shows as a decrypted
//! PKCS#8 that does not parse ([`Asn1Error::WrongPassword`]). Iteration counts above the
//! caller's cap ([`DEFAULT_MAX_ITERATIONS`] unless the `_with` functions say otherwise) are
//! refused before any key derivation ([`Asn1Error::IterationCap`]), so a hostile file cannot
//! make the KDF run for minutes before the password is even checked.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, ObjectIdentifier as Oid, OctetStringRef};
use der::{Decode, Encode, Sequence};
use zeroize::Zeroizing;

use super::error::{Asn1Error, Result};
use super::pem;
use super::pkcs8::GostPrivateKey;
use crate::cipher::acpkm::CtrAcpkm;
use crate::cipher::gost28147::{Gost28147, Gost28147Cfb, SBox};
use crate::cipher::{Kuznyechik, Magma};
use crate::oid;

/// PEM label of an encrypted key (RFC 7468 §11).
pub const ENCRYPTED_LABEL: &str = "ENCRYPTED PRIVATE KEY";
/// Default cap on the PBKDF2 iteration count of a file being read: 150 000 iterations of
/// PBKDF2-HMAC-Streebog-512 take about a second here (≈150 000 iterations/s in a release build),
/// so a refusal never costs more; real files use 2 000 (CryptoPro, RFC 9548) or 2 048
/// (OpenSSL). Raise it per call with the `_with` functions.
pub const DEFAULT_MAX_ITERATIONS: u32 = 150_000;
/// The default reading cap (older name of [`DEFAULT_MAX_ITERATIONS`]).
pub const MAX_ITERATIONS: u32 = DEFAULT_MAX_ITERATIONS;
/// Largest iteration count gostkit writes.
pub const MAX_WRITE_ITERATIONS: u32 = 10_000_000;
/// Iterations gostkit writes by default.
pub const DEFAULT_ITERATIONS: u32 = 2000;
/// ACPKM section size of Kuznyechik CTR-ACPKM under PBES2, in bytes (as gost-engine uses it).
pub const KUZNYECHIK_SECTION: usize = 4 * 1024;
/// ACPKM section size of Magma CTR-ACPKM under PBES2, in bytes (as gost-engine uses it).
pub const MAGMA_SECTION: usize = 1024;

/// The cipher of a written PBES2 key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCipher {
    /// Kuznyechik CTR-ACPKM (the default).
    Kuznyechik,
    /// Magma CTR-ACPKM.
    Magma,
    /// GOST 28147-89 CFB, TC26 Z S-box, CryptoPro key meshing.
    Gost28147,
}

/// An AlgorithmIdentifier read without interpreting its parameters.
#[derive(Sequence)]
pub(crate) struct AlgId<'a> {
    pub(crate) oid: Oid,
    #[asn1(optional = "true")]
    pub(crate) params: Option<AnyRef<'a>>,
}

#[derive(Sequence)]
struct EncryptedKeyInfo<'a> {
    alg: AlgId<'a>,
    data: &'a OctetStringRef,
}

#[derive(Sequence)]
struct Pbes2Params<'a> {
    kdf: AlgId<'a>,
    enc: AlgId<'a>,
}

#[derive(Sequence)]
struct Pbkdf2Params<'a> {
    salt: &'a OctetStringRef,
    iterations: u32,
    #[asn1(optional = "true")]
    key_length: Option<u32>,
    #[asn1(optional = "true")]
    prf: Option<AlgId<'a>>,
}

#[derive(Sequence)]
struct GostCipherParams<'a> {
    iv: &'a OctetStringRef,
    param_set: Oid,
}

#[derive(Sequence)]
struct UkmParams<'a> {
    ukm: &'a OctetStringRef,
}

/// True when `input` (PEM or DER) looks like an encrypted private key.
pub fn is_encrypted(input: &[u8]) -> bool {
    if pem::looks_like_pem(input) {
        return input
            .windows(ENCRYPTED_LABEL.len())
            .any(|w| w == ENCRYPTED_LABEL.as_bytes());
    }
    EncryptedKeyInfo::from_der(input).is_ok_and(|e| e.alg.oid == oid::PBES2)
}

/// Refuses 0 and counts above `cap` before any derivation.
pub(crate) fn check_iterations(count: u32, cap: u32) -> Result<()> {
    if count == 0 {
        return Err(unsupported("PBKDF2 iteration count 0"));
    }
    if count > cap {
        return Err(Asn1Error::IterationCap { count, cap });
    }
    Ok(())
}

fn unsupported(what: &'static str) -> Asn1Error {
    Asn1Error::UnsupportedEncryption(what)
}

fn derive(
    prf: &ObjectIdentifier,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<()> {
    match *prf {
        oid::HMAC_STREEBOG_512 => crate::kdf::pbkdf2_streebog512(password, salt, iterations, out)
            .map_err(|_| unsupported("PBKDF2 parameters"))?,
        oid::HMAC_STREEBOG_256 => {
            pbkdf2::pbkdf2_hmac::<streebog::Streebog256>(password, salt, iterations, out)
        }
        oid::HMAC_SHA256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, out),
        oid::HMAC_SHA1 => pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, out),
        _ => return Err(unsupported("PBKDF2 PRF")),
    }
    Ok(())
}

/// Decrypts an encrypted PKCS#8 key (PEM `ENCRYPTED PRIVATE KEY` or DER) with `password`.
pub fn decrypt_pkcs8(input: &[u8], password: &[u8]) -> Result<GostPrivateKey> {
    decrypt_pkcs8_with(input, password, DEFAULT_MAX_ITERATIONS)
}

/// [`decrypt_pkcs8`] with the caller's cap on the PBKDF2 iteration count.
pub fn decrypt_pkcs8_with(
    input: &[u8],
    password: &[u8],
    max_iterations: u32,
) -> Result<GostPrivateKey> {
    let der = pem::decode_any(input, ENCRYPTED_LABEL)?;
    let info = EncryptedKeyInfo::from_der(&der)?;
    let plain = decrypt_with_cap(
        &info.alg.to_der()?,
        info.data.as_bytes(),
        password,
        max_iterations,
    )?;
    GostPrivateKey::from_der(&plain).map_err(|_| Asn1Error::WrongPassword)
}

/// Decrypts `ciphertext` under a PBES2 AlgorithmIdentifier (`alg_der`, DER) with `password`
/// (also used by PKCS#12 bags and EncryptedData). A CBC padding failure is a wrong password;
/// for the stream ciphers the caller detects it from the plaintext.
pub fn decrypt_with(
    alg_der: &[u8],
    ciphertext: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    decrypt_with_cap(alg_der, ciphertext, password, DEFAULT_MAX_ITERATIONS)
}

/// [`decrypt_with`] with the caller's cap on the PBKDF2 iteration count.
pub fn decrypt_with_cap(
    alg_der: &[u8],
    ciphertext: &[u8],
    password: &[u8],
    max_iterations: u32,
) -> Result<Zeroizing<Vec<u8>>> {
    let alg = AlgId::from_der(alg_der)?;
    if alg.oid != oid::PBES2 {
        return Err(unsupported("not PBES2"));
    }
    let params: Pbes2Params<'_> = alg
        .params
        .ok_or(unsupported("PBES2 parameters missing"))?
        .decode_as()?;
    if params.kdf.oid != oid::PBKDF2 {
        return Err(unsupported("key derivation is not PBKDF2"));
    }
    let kdf: Pbkdf2Params<'_> = params
        .kdf
        .params
        .ok_or(unsupported("PBKDF2 parameters missing"))?
        .decode_as()?;
    check_iterations(kdf.iterations, max_iterations)?;
    let prf = kdf.prf.as_ref().map_or(oid::HMAC_SHA1, |p| p.oid);
    let enc_params = params.enc.params;
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    let key_len = match params.enc.oid {
        oid::AES128_CBC => 16,
        oid::AES192_CBC => 24,
        _ => 32,
    };
    if kdf.key_length.is_some_and(|l| l as usize != key_len) {
        return Err(unsupported("PBKDF2 key length does not fit the cipher"));
    }
    let mut key = Zeroizing::new(vec![0u8; key_len]);
    derive(
        &prf,
        password,
        kdf.salt.as_bytes(),
        kdf.iterations,
        &mut key,
    )?;
    let len = match params.enc.oid {
        oid::KUZNYECHIK_CTR_ACPKM | oid::MAGMA_CTR_ACPKM => {
            let p: UkmParams<'_> = enc_params
                .ok_or(unsupported("cipher parameters missing"))?
                .decode_as()?;
            let ukm = p.ukm.as_bytes();
            if params.enc.oid == oid::KUZNYECHIK_CTR_ACPKM {
                let iv = ukm.get(..8).ok_or(unsupported("ukm too short"))?;
                CtrAcpkm::<Kuznyechik>::new(&key, iv, KUZNYECHIK_SECTION)
                    .and_then(|mut c| c.apply_keystream(&mut plain[..]))
                    .map_err(|_| unsupported("Kuznyechik CTR-ACPKM parameters"))?;
            } else {
                let iv = ukm.get(..4).ok_or(unsupported("ukm too short"))?;
                CtrAcpkm::<Magma>::new(&key, iv, MAGMA_SECTION)
                    .and_then(|mut c| c.apply_keystream(&mut plain[..]))
                    .map_err(|_| unsupported("Magma CTR-ACPKM parameters"))?;
            }
            plain.len()
        }
        oid::GOST28147_89 => {
            let p: GostCipherParams<'_> = enc_params
                .ok_or(unsupported("cipher parameters missing"))?
                .decode_as()?;
            let sbox = match p.param_set {
                oid::GOST28147_TC26_Z_PARAMSET => SBox::Tc26Z,
                oid::GOST28147_CRYPTOPRO_A_PARAMSET => SBox::CryptoProA,
                _ => return Err(unsupported("GOST 28147-89 parameter set")),
            };
            let g =
                Gost28147::with_sbox(&key, sbox).map_err(|_| unsupported("GOST 28147-89 key"))?;
            let mut cfb = Gost28147Cfb::new(&g, p.iv.as_bytes(), true)
                .map_err(|_| unsupported("GOST 28147-89 IV"))?;
            cfb.decrypt(&mut plain[..]);
            plain.len()
        }
        oid::AES128_CBC | oid::AES192_CBC | oid::AES256_CBC => {
            use aes::cipher::block_padding::Pkcs7;
            use aes::cipher::{BlockModeDecrypt, KeyIvInit};
            let iv: &OctetStringRef = enc_params
                .ok_or(unsupported("AES IV missing"))?
                .decode_as()?;
            let iv = iv.as_bytes();
            let r = match key_len {
                16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(&key, iv)
                    .map_err(|_| unsupported("AES IV"))?
                    .decrypt_padded::<Pkcs7>(&mut plain[..])
                    .map(<[u8]>::len),
                24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(&key, iv)
                    .map_err(|_| unsupported("AES IV"))?
                    .decrypt_padded::<Pkcs7>(&mut plain[..])
                    .map(<[u8]>::len),
                _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(&key, iv)
                    .map_err(|_| unsupported("AES IV"))?
                    .decrypt_padded::<Pkcs7>(&mut plain[..])
                    .map(<[u8]>::len),
            };
            r.map_err(|_| Asn1Error::WrongPassword)?
        }
        _ => return Err(unsupported("cipher")),
    };
    plain.truncate(len);
    Ok(plain)
}

fn random(n: usize) -> Result<Vec<u8>> {
    let mut v = vec![0u8; n];
    getrandom::fill(&mut v).map_err(|_| Asn1Error::Key(crate::ec::EcError::RandomSourceFailed))?;
    Ok(v)
}

/// Encrypts `data` with `password`: PBKDF2-HMAC-Streebog-512 (`iterations`, random 16-byte
/// salt) and `cipher`; returns the PBES2 AlgorithmIdentifier (DER) and the ciphertext.
pub fn encrypt_with(
    data: &[u8],
    password: &[u8],
    cipher: KeyCipher,
    iterations: u32,
) -> Result<(Vec<u8>, Vec<u8>)> {
    if iterations == 0 || iterations > MAX_WRITE_ITERATIONS {
        return Err(unsupported("PBKDF2 iteration count out of range"));
    }
    let salt = random(16)?;
    let mut k = Zeroizing::new([0u8; 32]);
    derive(
        &oid::HMAC_STREEBOG_512,
        password,
        &salt,
        iterations,
        &mut k[..],
    )?;
    let mut data = data.to_vec();
    let (enc_oid, enc_params) = match cipher {
        KeyCipher::Kuznyechik | KeyCipher::Magma => {
            let iv_len = if cipher == KeyCipher::Kuznyechik {
                8
            } else {
                4
            };
            // ukm = IV || 8 zero bytes (16 bytes for Kuznyechik, 12 for Magma), as gost-engine
            // writes and expects it.
            let iv = random(iv_len)?;
            let mut ukm = iv.clone();
            ukm.resize(iv_len + 8, 0);
            if cipher == KeyCipher::Kuznyechik {
                CtrAcpkm::<Kuznyechik>::new(&k[..], &iv, KUZNYECHIK_SECTION)
                    .and_then(|mut c| c.apply_keystream(&mut data[..]))
                    .map_err(|_| unsupported("Kuznyechik CTR-ACPKM"))?;
            } else {
                CtrAcpkm::<Magma>::new(&k[..], &iv, MAGMA_SECTION)
                    .and_then(|mut c| c.apply_keystream(&mut data[..]))
                    .map_err(|_| unsupported("Magma CTR-ACPKM"))?;
            }
            let oid = if cipher == KeyCipher::Kuznyechik {
                oid::KUZNYECHIK_CTR_ACPKM
            } else {
                oid::MAGMA_CTR_ACPKM
            };
            (
                oid,
                UkmParams {
                    ukm: OctetStringRef::new(&ukm)?,
                }
                .to_der()?,
            )
        }
        KeyCipher::Gost28147 => {
            let iv = random(8)?;
            let g = Gost28147::with_sbox(&k[..], SBox::Tc26Z)
                .map_err(|_| unsupported("GOST 28147-89 key"))?;
            Gost28147Cfb::new(&g, &iv, true)
                .map_err(|_| unsupported("GOST 28147-89 IV"))?
                .encrypt(&mut data[..]);
            let p = GostCipherParams {
                iv: OctetStringRef::new(&iv)?,
                param_set: oid::GOST28147_TC26_Z_PARAMSET,
            };
            (oid::GOST28147_89, p.to_der()?)
        }
    };
    let null = der::asn1::Null.to_der()?;
    let kdf = Pbkdf2Params {
        salt: OctetStringRef::new(&salt)?,
        iterations,
        key_length: None,
        prf: Some(AlgId {
            oid: oid::HMAC_STREEBOG_512,
            params: Some(AnyRef::from_der(&null)?),
        }),
    }
    .to_der()?;
    let pbes2 = Pbes2Params {
        kdf: AlgId {
            oid: oid::PBKDF2,
            params: Some(AnyRef::from_der(&kdf)?),
        },
        enc: AlgId {
            oid: enc_oid,
            params: Some(AnyRef::from_der(&enc_params)?),
        },
    }
    .to_der()?;
    let alg = AlgId {
        oid: oid::PBES2,
        params: Some(AnyRef::from_der(&pbes2)?),
    }
    .to_der()?;
    Ok((alg, data))
}

/// Encrypts a key with `password`: PBKDF2-HMAC-Streebog-512 (`iterations`, random 16-byte salt)
/// and `cipher`; returns the DER EncryptedPrivateKeyInfo.
pub fn encrypt_pkcs8(
    key: &GostPrivateKey,
    password: &[u8],
    cipher: KeyCipher,
    iterations: u32,
) -> Result<Vec<u8>> {
    let plain = key.to_der()?;
    let (alg, ct) = encrypt_with(&plain, password, cipher, iterations)?;
    let info = EncryptedKeyInfo {
        alg: AlgId::from_der(&alg)?,
        data: OctetStringRef::new(&ct)?,
    };
    Ok(info.to_der()?)
}

/// PEM form (`ENCRYPTED PRIVATE KEY`) of [`encrypt_pkcs8`].
pub fn encrypt_pkcs8_pem(
    key: &GostPrivateKey,
    password: &[u8],
    cipher: KeyCipher,
    iterations: u32,
) -> Result<String> {
    let der = encrypt_pkcs8(key, password, cipher, iterations)?;
    Ok(pem::encode_pem(ENCRYPTED_LABEL, &der)?.to_string())
}

/// Reads a private key that may be encrypted: plain PKCS#8 as is, encrypted ones with
/// `password` ([`Asn1Error::PasswordRequired`] when it is None).
pub fn decode_maybe_encrypted(input: &[u8], password: Option<&[u8]>) -> Result<GostPrivateKey> {
    decode_maybe_encrypted_with(input, password, DEFAULT_MAX_ITERATIONS)
}

/// [`decode_maybe_encrypted`] with the caller's cap on the PBKDF2 iteration count.
pub fn decode_maybe_encrypted_with(
    input: &[u8],
    password: Option<&[u8]>,
    max_iterations: u32,
) -> Result<GostPrivateKey> {
    if is_encrypted(input) {
        decrypt_pkcs8_with(
            input,
            password.ok_or(Asn1Error::PasswordRequired)?,
            max_iterations,
        )
    } else {
        GostPrivateKey::decode(input)
    }
}
