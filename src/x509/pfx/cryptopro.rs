//! The key bag of PFX files exported by CryptoPro CSP: a pkcs8ShroudedKeyBag whose
//! EncryptedPrivateKeyInfo uses the PBE OID 1.2.840.113549.1.12.1.80 (not defined by RFC 7292)
//! with parameters `SEQUENCE { salt OCTET STRING (16 bytes), rounds INTEGER }`.
//!
//! Written from the format facts of `test-vectors/cryptopro/README.md` and
//! `../shared/vectors/cryptopro/README.md` (which name the readers they were taken from), then
//! settled by trying the variants against the oracle, the public keys of the certificates in
//! the two real samples `test-vectors/cryptopro/pfx1.pfx` and `pfx2.pfx`: for both, d·G of the
//! key read here equals the leaf certificate's key (`tests/pfx_cryptopro.rs`). What was found:
//!
//! 1. Transport key: K0 = UTF-16LE(password), no terminating zero; K_i = GOST R 34.11-94
//!    (CryptoPro parameters) of `K_{i-1} || salt || BE16(i)` for i = 1..rounds; K = K_rounds.
//!    The vector "DerivePbeKey" of the shared README (password `pbe-test-2026`, salt
//!    `30B445CF…EF3BE`, 2000 rounds → `6EBA4D1A…5D8C1D20`) is reproduced (test
//!    `derive_pbe_key_vector`). The round counter is 16 bits: more than 65 535 rounds is refused,
//!    as is any count over the caller's iteration cap.
//! 2. The bag decrypts with GOST 28147-89 CFB under K, the CryptoPro-A S-box and IV = salt[0..8]
//!    (the TC26 Z S-box gives noise). Key meshing cannot be observed: the bags are 174 bytes,
//!    below the 1 KiB meshing interval, so bags longer than 1 KiB are refused rather than
//!    guessed.
//! 3. The plaintext is a PrivateKeyInfo (version 0, algorithm 1.2.643.7.1.1.1.1 with NULL
//!    parameters, an attribute 1.2.643.2.2.37.3.10 holding a usage end time, ignored). Its
//!    privateKey octets are a 16-byte header, seen as `07200000 46aa0000 4d414731 20000000`
//!    ("MAG1"; not checked), then ExportedKey = `SEQUENCE { value SEQUENCE { ukm OCTET STRING
//!    (8), cek SEQUENCE { enc OCTET STRING (32), mac OCTET STRING (4) }, keyParameters [0]
//!    IMPLICIT SEQUENCE { attributes BIT STRING, privateKeyAlgorithm [0] IMPLICIT
//!    AlgorithmIdentifier } }, mac OCTET STRING (4) }`. In both samples privateKeyAlgorithm is
//!    1.2.643.7.1.1.6.1 with curve XchA (1.2.643.2.2.36.0) and digest Streebog-256.
//! 4. KEK = KDF_GOSTR3411_2012_256(K, label `26 BD B8 78`, seed ukm). The outer mac is the
//!    GOST 28147-89 MAC (CryptoPro-A, zero IV, no meshing) under the KEK of the DER of `value`;
//!    keyed with K itself, with the Z S-box or with the ukm as IV it does not match.
//! 5. The key is the RFC 4357 §6.2 GOST 28147-89 key unwrap (not the CryptoPro §6.4 unwrap with
//!    KEK diversification, whose MAC fails) of `ukm || enc || mac` under the KEK, CryptoPro-A.
//!    The 32 bytes are the private key d little-endian, unmasked (big-endian gives another
//!    point).
//!
//! Only 256-bit keys have been seen: a 64-byte enc (a 512-bit key) is refused as unsupported,
//! as are other ukm and MAC sizes. Every failure is a typed error, never a panic; a failure
//! after the decryption is [`X509Error::BagDecryption`] naming the check that failed. The two
//! MACs cover `value` (ukm, wrapped key, curve) and the key itself; the 16-byte header, the
//! PrivateKeyInfo's algorithm parameters and its attributes are under none, so a change there
//! that leaves valid DER still gives the same key (never another one). Inside [`super::import`]
//! the PFX MAC covers the whole bag before any of this runs.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier as Oid, OctetStringRef};
use der::{Decode, Encode, Sequence};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::super::error::{PfxBag, Result, X509Error};
use crate::asn1::GostPrivateKey;
use crate::asn1::params::KeyAlgorithm;
use crate::asn1::pbes2::{self, AlgId};
use crate::cipher::gost28147::{Gost28147, Gost28147Cfb, MESHING_INTERVAL, SBox, gost28147_mac};
use crate::cipher::keywrap::gost28147_key_unwrap;
use crate::hash::Gost94;
use crate::oid;

/// The KDF_GOSTR3411_2012_256 label of the key-encryption key.
const KEK_LABEL: [u8; 4] = [0x26, 0xbd, 0xb8, 0x78];
/// Length of the header before the ExportedKey in the privateKey octets.
const HEADER_LEN: usize = 16;
/// Largest round count: the counter is hashed as 16 bits.
pub const MAX_ROUNDS: u32 = 0xffff;

#[derive(Sequence)]
struct EncryptedKeyInfo<'a> {
    alg: AlgId<'a>,
    data: &'a OctetStringRef,
}

#[derive(Sequence)]
struct PbeParams<'a> {
    salt: &'a OctetStringRef,
    rounds: u32,
}

#[derive(Sequence)]
struct PrivateKeyInfo<'a> {
    version: u8,
    alg: AlgId<'a>,
    private_key: &'a OctetStringRef,
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    attributes: Option<Vec<AnyRef<'a>>>,
}

#[derive(Sequence)]
struct ExportedKey<'a> {
    value: AnyRef<'a>,
    mac: &'a OctetStringRef,
}

#[derive(Sequence)]
struct WrappedCek<'a> {
    enc: &'a OctetStringRef,
    mac: &'a OctetStringRef,
}

#[derive(Sequence)]
struct KeyParameters<'a> {
    attributes: BitStringRef<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", constructed = "true")]
    algorithm: AlgId<'a>,
}

#[derive(Sequence)]
struct ExportedValue<'a> {
    ukm: &'a OctetStringRef,
    cek: WrappedCek<'a>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", constructed = "true")]
    key_parameters: KeyParameters<'a>,
}

fn failed(why: &'static str) -> X509Error {
    X509Error::BagDecryption {
        bag: PfxBag::Key,
        why,
        mac_verified: false,
    }
}

/// Whether the EncryptedPrivateKeyInfo `epki` (DER) uses the CryptoPro key-bag PBE.
pub fn is_cryptopro_key_bag(epki: &[u8]) -> bool {
    EncryptedKeyInfo::from_der(epki).is_ok_and(|e| e.alg.oid == oid::CRYPTOPRO_PFX_KEY_PBE)
}

/// The transport key K of step 1 (module doc): `rounds` GOST R 34.11-94 iterations from the
/// UTF-16LE password. `rounds` must be 1..=[`MAX_ROUNDS`] and the password UTF-8.
pub fn derive_pbe_key(password: &[u8], salt: &[u8], rounds: u32) -> Result<Zeroizing<[u8; 32]>> {
    if rounds == 0 || rounds > MAX_ROUNDS {
        return Err(X509Error::Unsupported(
            "CryptoPro key-bag round count outside 1..=65535",
        ));
    }
    let text = core::str::from_utf8(password)
        .map_err(|_| X509Error::Invalid("PFX password is not UTF-8"))?;
    let mut k: Zeroizing<Vec<u8>> =
        Zeroizing::new(text.encode_utf16().flat_map(u16::to_le_bytes).collect());
    let mut out = Zeroizing::new([0u8; 32]);
    for i in 1..=rounds {
        let mut h = Gost94::new();
        h.update(&k);
        h.update(salt);
        h.update(&(i as u16).to_be_bytes());
        *out = h.finalize();
        k = Zeroizing::new(out.to_vec());
    }
    Ok(out)
}

/// Decrypts a CryptoPro PFX key bag: `epki` is the DER EncryptedPrivateKeyInfo of the
/// pkcs8ShroudedKeyBag. Round counts above `max_rounds` (see [`pbes2::DEFAULT_MAX_ITERATIONS`])
/// are refused before any derivation. A wrong password or an altered bag gives
/// [`X509Error::BagDecryption`] with the check that failed.
pub fn decrypt_key_bag(epki: &[u8], password: &[u8], max_rounds: u32) -> Result<GostPrivateKey> {
    let info = EncryptedKeyInfo::from_der(epki)?;
    if info.alg.oid != oid::CRYPTOPRO_PFX_KEY_PBE {
        return Err(X509Error::Unsupported("not the CryptoPro key-bag PBE"));
    }
    let params: PbeParams<'_> = info
        .alg
        .params
        .ok_or(X509Error::Invalid(
            "CryptoPro key-bag PBE parameters missing",
        ))?
        .decode_as()?;
    pbes2::check_iterations(params.rounds, max_rounds)?;
    let salt = params.salt.as_bytes();
    let iv = salt.get(..8).ok_or(X509Error::Invalid(
        "CryptoPro key-bag salt shorter than 8 bytes",
    ))?;
    let data = info.data.as_bytes();
    if data.len() > MESHING_INTERVAL {
        return Err(X509Error::Unsupported(
            "CryptoPro key bag longer than 1 KiB (key meshing never observed)",
        ));
    }
    let k = derive_pbe_key(password, salt, params.rounds)?;
    let cipher = Gost28147::with_sbox(&k[..], SBox::CryptoProA)
        .map_err(|_| X509Error::Invalid("GOST 28147-89 key"))?;
    let mut plain = Zeroizing::new(data.to_vec());
    Gost28147Cfb::new(&cipher, iv, false)
        .map_err(|_| X509Error::Invalid("GOST 28147-89 IV"))?
        .decrypt(&mut plain[..]);
    let pki = PrivateKeyInfo::from_der(&plain)
        .map_err(|_| failed("the decrypted bag is not a PrivateKeyInfo"))?;
    let algorithm = KeyAlgorithm::from_oid(&pki.alg.oid)
        .map_err(|_| failed("the decrypted bag has an unknown key algorithm"))?;
    let exported = pki.private_key.as_bytes().get(HEADER_LEN..).ok_or(failed(
        "the privateKey octets are shorter than their header",
    ))?;
    let exported = ExportedKey::from_der(exported)
        .map_err(|_| failed("the privateKey octets hold no ExportedKey"))?;
    let value_der = exported.value.to_der()?;
    let value: ExportedValue<'_> = exported
        .value
        .decode_as()
        .map_err(|_| failed("the ExportedKey value is malformed"))?;
    let ukm = value.ukm.as_bytes();
    let enc = value.cek.enc.as_bytes();
    let cek_mac = value.cek.mac.as_bytes();
    let mac = exported.mac.as_bytes();
    if enc.len() == 64 {
        return Err(X509Error::Unsupported(
            "CryptoPro key bag with a 512-bit key (format not seen in a sample)",
        ));
    }
    if ukm.len() != 8 || enc.len() != 32 || cek_mac.len() != 4 || mac.len() != 4 {
        return Err(X509Error::Unsupported(
            "CryptoPro ExportedKey with ukm, key or MAC sizes other than 8, 32 and 4 bytes",
        ));
    }
    let kek = crate::kdf::kdf_gostr3411_2012_256(&k[..], &KEK_LABEL, ukm);
    let kek_cipher = Gost28147::with_sbox(&kek[..], SBox::CryptoProA)
        .map_err(|_| X509Error::Invalid("GOST 28147-89 key"))?;
    let ours = gost28147_mac(&kek_cipher, None, &value_der, false)
        .map_err(|_| X509Error::Invalid("GOST 28147-89 MAC"))?;
    if !bool::from(ours[..].ct_eq(mac)) {
        return Err(failed("the ExportedKey MAC does not verify"));
    }
    // UKM (8) || encrypted key (32) || its MAC (4), as RFC 4357 §6.2 unwraps it.
    let mut wrapped = Zeroizing::new(Vec::with_capacity(44));
    wrapped.extend_from_slice(ukm);
    wrapped.extend_from_slice(enc);
    wrapped.extend_from_slice(cek_mac);
    let d = gost28147_key_unwrap(&kek[..], SBox::CryptoProA, &wrapped[..])
        .map_err(|_| failed("the key wrap MAC does not verify"))?;
    let kp = &value.key_parameters.algorithm;
    let same_size = match algorithm {
        KeyAlgorithm::Gost2012_256 => {
            matches!(kp.oid, oid::AGREEMENT_2012_256 | oid::GOSTR3410_2012_256)
        }
        KeyAlgorithm::Gost2012_512 => {
            matches!(kp.oid, oid::AGREEMENT_2012_512 | oid::GOSTR3410_2012_512)
        }
        KeyAlgorithm::Gost2001 => kp.oid == oid::GOSTR3410_2001,
    };
    if !same_size {
        return Err(X509Error::Unsupported(
            "CryptoPro keyParameters algorithm does not fit the PrivateKeyInfo algorithm",
        ));
    }
    // SEQUENCE { curve OID, digest OID, ... }: the curve is what is used.
    let oids: Vec<Oid> = kp
        .params
        .ok_or(X509Error::Invalid(
            "CryptoPro keyParameters without a curve",
        ))?
        .decode_as()?;
    let curve = oids.first().ok_or(X509Error::Invalid(
        "CryptoPro keyParameters without a curve",
    ))?;
    Ok(GostPrivateKey::new(algorithm, *curve, &d[..])?)
}
