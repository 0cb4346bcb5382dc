//! GOST R 34.10-2012 keys, signatures and VKO over the C ABI (RFC 7091, RFC 7836 §4.3,
//! RFC 4357 §5.2): key handles (generate, raw and PKCS#8/SPKI import and export), sign and verify
//! a digest or a message, and VKO key agreement. Curves are chosen with `gostkit_curve` values;
//! a key remembers the parameter-set OID it was created or read with.

use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, input};
use super::status::gostkit_status;
use gk::asn1::{GostPrivateKey, GostPublicKey};
use gk::ec::{AgreeKey, ParamSet, SignDigest, SigningKey, VerifyingKey, VkoAlg};
use gk::pkcs11::TokenKey;
use std::sync::Arc;

/// A GOST R 34.10 parameter set (passed as `uint32_t`). Curves sharing the same numbers under
/// several OIDs (CryptoPro-A = tc26-256-B, …) are distinct values: the OID is kept.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_curve {
    /// id-GostR3410-2001-TestParamSet, 1.2.643.2.2.35.0.
    Test256 = 1,
    /// CryptoPro-A, 1.2.643.2.2.35.1.
    CryptoproA = 2,
    /// CryptoPro-B, 1.2.643.2.2.35.2.
    CryptoproB = 3,
    /// CryptoPro-C, 1.2.643.2.2.35.3.
    CryptoproC = 4,
    /// CryptoPro-XchA, 1.2.643.2.2.36.0.
    CryptoproXcha = 5,
    /// CryptoPro-XchB, 1.2.643.2.2.36.1.
    CryptoproXchb = 6,
    /// tc26-256-A (twisted Edwards), 1.2.643.7.1.2.1.1.1.
    Tc26256A = 7,
    /// tc26-256-B, 1.2.643.7.1.2.1.1.2.
    Tc26256B = 8,
    /// tc26-256-C, 1.2.643.7.1.2.1.1.3.
    Tc26256C = 9,
    /// tc26-256-D, 1.2.643.7.1.2.1.1.4.
    Tc26256D = 10,
    /// The 512-bit test set, 1.2.643.7.1.2.1.2.0.
    Test512 = 11,
    /// tc26-512-A, 1.2.643.7.1.2.1.2.1.
    Tc26512A = 12,
    /// tc26-512-B, 1.2.643.7.1.2.1.2.2.
    Tc26512B = 13,
    /// tc26-512-C (twisted Edwards), 1.2.643.7.1.2.1.2.3.
    Tc26512C = 14,
}

/// `gostkit_curve` values and the parameter sets they name.
const CURVES: [(gostkit_curve, ParamSet); 14] = [
    (gostkit_curve::Test256, ParamSet::Test256),
    (gostkit_curve::CryptoproA, ParamSet::CryptoProA),
    (gostkit_curve::CryptoproB, ParamSet::CryptoProB),
    (gostkit_curve::CryptoproC, ParamSet::CryptoProC),
    (gostkit_curve::CryptoproXcha, ParamSet::CryptoProXchA),
    (gostkit_curve::CryptoproXchb, ParamSet::CryptoProXchB),
    (gostkit_curve::Tc26256A, ParamSet::Tc26_256A),
    (gostkit_curve::Tc26256B, ParamSet::Tc26_256B),
    (gostkit_curve::Tc26256C, ParamSet::Tc26_256C),
    (gostkit_curve::Tc26256D, ParamSet::Tc26_256D),
    (gostkit_curve::Test512, ParamSet::Test512),
    (gostkit_curve::Tc26512A, ParamSet::Tc26_512A),
    (gostkit_curve::Tc26512B, ParamSet::Tc26_512B),
    (gostkit_curve::Tc26512C, ParamSet::Tc26_512C),
];

pub(crate) fn param_set(curve: u32) -> Result<ParamSet, Failure> {
    CURVES
        .iter()
        .find(|(c, _)| *c as u32 == curve)
        .map(|(_, s)| *s)
        .ok_or_else(|| Failure::invalid_argument(format!("unknown gostkit_curve value {curve}")))
}

/// The `gostkit_curve` value of a parameter set (every set has one).
pub(crate) fn curve_of(set: ParamSet) -> Option<gostkit_curve> {
    CURVES.iter().find(|(_, s)| *s == set).map(|(c, _)| *c)
}

/// The VKO variant of `gostkit_vko` (passed as `uint32_t`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_vko_alg {
    /// VKO_GOSTR3410_2001 (RFC 4357 §5.2): 32 bytes, GOST R 34.11-94 (CryptoPro) of the point.
    Gost2001 = 1,
    /// VKO_GOSTR3410_2012_256 (RFC 7836 §4.3.1): 32 bytes, Streebog-256 of the point.
    Gost2012_256 = 2,
    /// VKO_GOSTR3410_2012_512 (RFC 7836 §4.3.2): 64 bytes, Streebog-512 of the point.
    Gost2012_512 = 3,
}

/// Where a private key lives.
#[derive(Clone)]
pub(crate) enum KeyStore {
    /// In memory: generated, read from PKCS#8/PFX/raw bytes, or unlocked from a CryptoPro
    /// container. Wiped with the last reference.
    Soft(Arc<SigningKey>),
    /// On a PKCS#11 token: signing and VKO run on the token, the scalar never leaves it.
    Token(Arc<TokenKey>),
}

/// A GOST R 34.10 private key (opaque): a key in memory (wiped when its last handle is freed)
/// or a key on a PKCS#11 token (`gostkit_token_key_open`). Every call that signs, decrypts or
/// agrees takes either kind; the calls that write the private scalar out (PKCS#8, PFX, raw
/// bytes, a container from a key) refuse a token key and a key from a container marked
/// non-exportable with `GOSTKIT_STATUS_UNSUPPORTED`. Free with `gostkit_signing_key_free`.
pub struct gostkit_signing_key {
    key: KeyStore,
    /// Whether the private scalar may be written out (false: token keys, non-exportable
    /// container keys).
    exportable: bool,
}
impl BoxHandle for gostkit_signing_key {}

impl gostkit_signing_key {
    /// A key in memory that may be exported.
    pub(crate) fn new(key: SigningKey) -> Self {
        Self::soft(key, true)
    }

    /// A key in memory with the given export permission (a container's pkaExportable).
    pub(crate) fn soft(key: SigningKey, exportable: bool) -> Self {
        Self {
            key: KeyStore::Soft(Arc::new(key)),
            exportable,
        }
    }

    /// A key on a token (never exportable).
    pub(crate) fn token(key: TokenKey) -> Self {
        Self {
            key: KeyStore::Token(Arc::new(key)),
            exportable: false,
        }
    }

    /// A second handle sharing the same key and export permission.
    pub(crate) fn share(&self) -> Self {
        Self {
            key: self.key.clone(),
            exportable: self.exportable,
        }
    }

    /// The key as a signer (any kind).
    pub(crate) fn as_sign(&self) -> &dyn SignDigest {
        match &self.key {
            KeyStore::Soft(k) => &**k,
            KeyStore::Token(k) => &**k,
        }
    }

    /// The key as a VKO party (any kind).
    pub(crate) fn as_agree(&self) -> &dyn AgreeKey {
        match &self.key {
            KeyStore::Soft(k) => &**k,
            KeyStore::Token(k) => &**k,
        }
    }

    /// A shared reference to the key as a signer, for contexts that outlive the call (TLS
    /// configurations, streaming signers).
    pub(crate) fn sign_arc(&self) -> Arc<dyn SignDigest> {
        match &self.key {
            KeyStore::Soft(k) => Arc::clone(k) as Arc<dyn SignDigest>,
            KeyStore::Token(k) => Arc::clone(k) as Arc<dyn SignDigest>,
        }
    }

    /// A shared reference to the key as a VKO party (TLS server keys, keyrings).
    pub(crate) fn agree_arc(&self) -> Arc<dyn AgreeKey> {
        match &self.key {
            KeyStore::Soft(k) => Arc::clone(k) as Arc<dyn AgreeKey>,
            KeyStore::Token(k) => Arc::clone(k) as Arc<dyn AgreeKey>,
        }
    }

    /// The token key, for a key opened from a token.
    pub(crate) fn token_key(&self) -> Option<&TokenKey> {
        match &self.key {
            KeyStore::Token(k) => Some(k),
            KeyStore::Soft(_) => None,
        }
    }

    /// The public key.
    pub(crate) fn public_key(&self) -> &VerifyingKey {
        self.as_sign().public_key()
    }

    /// The parameter set.
    pub(crate) fn param_set(&self) -> ParamSet {
        self.as_sign().param_set()
    }

    /// The in-memory key for the calls that write the private scalar out; a token key or a
    /// non-exportable container key is refused with `GOSTKIT_STATUS_UNSUPPORTED` and a detail
    /// saying why.
    pub(crate) fn raw_exportable(&self) -> Result<&SigningKey, Failure> {
        match &self.key {
            KeyStore::Token(_) => Err(Failure::new(
                gostkit_status::Unsupported,
                "the key is on a PKCS#11 token: its private value cannot be read or exported",
            )),
            KeyStore::Soft(_) if !self.exportable => Err(Failure::new(
                gostkit_status::Unsupported,
                "the key is not exportable (its container is marked non-exportable)",
            )),
            KeyStore::Soft(k) => Ok(k),
        }
    }
}

/// A GOST R 34.10 public key (opaque). Free with `gostkit_verifying_key_free`.
pub struct gostkit_verifying_key(pub(crate) VerifyingKey);
impl BoxHandle for gostkit_verifying_key {}

/// Generates a private key on `curve` from the operating system's random source, mixing in
/// `entropy[0..entropy_len]` (optional caller entropy such as keystroke timings; hashed together
/// with fresh OS randomness, never instead of it; NULL/0 for none).
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_signing_key_free`).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown curve), `GOSTKIT_STATUS_RANDOM_FAILED`,
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `entropy` must point to `entropy_len` readable bytes (or be NULL when 0); `out` must point to
/// a writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_generate(
    curve: u32,
    entropy: *const u8,
    entropy_len: usize,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let entropy = unsafe { input(entropy, entropy_len, "entropy") }?;
        let key = SigningKey::generate_with_entropy(param_set(curve)?, entropy)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_signing_key::new(key).into_out(out) }
    }
}

/// Imports a private key d on `curve` from `d_le[0..len]` (little-endian, 32 or 64 bytes).
///
/// Ownership: on success the caller owns `*out`; the input may be wiped afterwards.
///
/// Errors: `GOSTKIT_STATUS_INVALID_LENGTH` (wrong size), `GOSTKIT_STATUS_INVALID_KEY` (d = 0 or
/// d ≥ q), `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown curve), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `d_le` must point to `len` readable bytes; `out` to a writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_from_raw(
    curve: u32,
    d_le: *const u8,
    len: usize,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let d = unsafe { input(d_le, len, "d_le") }?;
        let key = SigningKey::from_bytes(param_set(curve)?, d)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_signing_key::new(key).into_out(out) }
    }
}

/// Imports a PKCS#8 private key (PEM or DER; RFC 9215, INTEGER and masked forms; unencrypted).
///
/// Ownership: on success the caller owns `*out`.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_UNSUPPORTED` (not a GOST key or unknown
/// parameter set), `GOSTKIT_STATUS_INVALID_KEY`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `data` must point to `len` readable bytes; `out` to a writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_from_pkcs8(
    data: *const u8,
    len: usize,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        let key = GostPrivateKey::decode(data)?.to_signing_key()?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_signing_key::new(key).into_out(out) }
    }
}

/// The PBKDF2 iteration cap applied when reading encrypted keys and PFX files with a
/// `max_iterations` of 0 (about a second of work, so a hostile file cannot burn minutes of CPU
/// before the password is even checked).
pub const GOSTKIT_DEFAULT_MAX_ITERATIONS: u32 = 150_000;
// A literal for cbindgen; kept equal to the library's default.
const _: () = assert!(GOSTKIT_DEFAULT_MAX_ITERATIONS == gk::asn1::pbes2::DEFAULT_MAX_ITERATIONS);

/// The cap a caller's `max_iterations` argument stands for (0 = the default).
pub(crate) fn iteration_cap(max_iterations: u32) -> u32 {
    if max_iterations == 0 {
        GOSTKIT_DEFAULT_MAX_ITERATIONS
    } else {
        max_iterations
    }
}

/// Imports a password-protected PKCS#8 key (PEM `ENCRYPTED PRIVATE KEY` or DER; PBES2 with
/// PBKDF2 and Kuznyechik/Magma CTR-ACPKM, GOST 28147-89 or AES-CBC). `password` is UTF-8.
/// A plain (unencrypted) PKCS#8 key is accepted too. The PBKDF2 iteration count may be at most
/// `GOSTKIT_DEFAULT_MAX_ITERATIONS`; `gostkit_signing_key_from_encrypted_pkcs8_capped` sets
/// another cap.
///
/// Ownership: on success the caller owns `*out`; the inputs stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_WRONG_PASSWORD`, `GOSTKIT_STATUS_UNSUPPORTED` (also: iteration count
/// above the cap, refused before any derivation), `GOSTKIT_STATUS_MALFORMED`,
/// `GOSTKIT_STATUS_INVALID_KEY`, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `data` must point to `len` readable bytes, `password` to `password_len`; `out` to a
/// writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_from_encrypted_pkcs8(
    data: *const u8,
    len: usize,
    password: *const u8,
    password_len: usize,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    // SAFETY: the same contract, passed on.
    unsafe {
        gostkit_signing_key_from_encrypted_pkcs8_capped(data, len, password, password_len, 0, out)
    }
}

/// `gostkit_signing_key_from_encrypted_pkcs8` with a PBKDF2 iteration cap: a file whose count
/// exceeds `max_iterations` (0 = `GOSTKIT_DEFAULT_MAX_ITERATIONS`) is refused with
/// `GOSTKIT_STATUS_UNSUPPORTED` (the message gives the count and the cap) before any key
/// derivation. Raise the cap only for files from a trusted source.
///
/// Ownership and errors: as `gostkit_signing_key_from_encrypted_pkcs8`.
///
/// # Safety
/// As `gostkit_signing_key_from_encrypted_pkcs8`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_from_encrypted_pkcs8_capped(
    data: *const u8,
    len: usize,
    password: *const u8,
    password_len: usize,
    max_iterations: u32,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        // SAFETY: caller contract above.
        let pw = unsafe { input(password, password_len, "password") }?;
        let cap = iteration_cap(max_iterations);
        let key = gk::asn1::pbes2::decode_maybe_encrypted_with(data, Some(pw), cap)?
            .to_signing_key()?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_signing_key::new(key).into_out(out) }
    }
}

/// Writes the key as password-protected PKCS#8 PEM (PBES2: PBKDF2-HMAC-Streebog-512 with
/// `iterations` rounds (0 = 2000), Kuznyechik CTR-ACPKM) under the output convention. Each call
/// uses a fresh salt and IV; a size query does the work once.
///
/// Ownership: `key` and `password` stay the caller's; `out` is the caller's buffer.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, `GOSTKIT_STATUS_UNSUPPORTED` (iterations above
/// 10 000 000), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` a live handle; `password` `password_len` readable bytes; `out` `*out_len` writable
/// bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_to_encrypted_pkcs8(
    key: *const gostkit_signing_key,
    password: *const u8,
    password_len: usize,
    iterations: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let pw = unsafe { input(password, password_len, "password") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let iterations = if iterations == 0 { gk::asn1::pbes2::DEFAULT_ITERATIONS } else { iterations };
        let pk = GostPrivateKey::from_signing_key(key.raw_exportable()?)?;
        let pem = zeroize::Zeroizing::new(gk::asn1::pbes2::encrypt_pkcs8_pem(
            &pk,
            pw,
            gk::asn1::pbes2::KeyCipher::Kuznyechik,
            iterations,
        )?);
        out.write(pem.as_bytes())
    }
}

/// Writes d (little-endian, 32 or 64 bytes) to `out` under the output convention.
///
/// Ownership: `key` stays the caller's; the copy in `out` is a secret the caller must wipe.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_to_raw(
    key: *const gostkit_signing_key,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        out.write(&key.raw_exportable()?.to_bytes())
    }
}

/// Writes the key as unencrypted PKCS#8 DER (RFC 9215 form, the key's parameter-set OID) to
/// `out` under the output convention.
///
/// Ownership: `key` stays the caller's; the DER in `out` holds the secret key.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_to_pkcs8_der(
    key: *const gostkit_signing_key,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let der = GostPrivateKey::from_signing_key(key.raw_exportable()?)?.to_der()?;
        out.write(&der)
    }
}

/// Gives the public key of `key` as a new handle in `*out`.
///
/// Ownership: the caller owns `*out` (free with `gostkit_verifying_key_free`); `key` stays the
/// caller's.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to a writable `gostkit_verifying_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_public(
    key: *const gostkit_signing_key,
    out: *mut *mut gostkit_verifying_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        let vk = key.public_key().clone();
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_verifying_key(vk).into_out(out) }
    }
}

/// Signs a digest (32 or 64 bytes, the key size; read little-endian as GOST R 34.10-2012 §6.1
/// says) with a hedged nonce. Output: `s || r`, each big-endian (64 or 128 bytes), under the
/// output convention — the bytes of an X.509/CMS signature value.
///
/// Ownership: `key` and `digest` stay the caller's; the signature is written to the caller's `out`.
///
/// Errors: `GOSTKIT_STATUS_INVALID_LENGTH` (digest size), `GOSTKIT_STATUS_RANDOM_FAILED`,
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`, nothing signed),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `digest` must point to `digest_len` readable bytes; `out` to
/// `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_sign_digest(
    key: *const gostkit_signing_key,
    digest: *const u8,
    digest_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let digest = unsafe { input(digest, digest_len, "digest") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(2 * key.param_set().bits() / 8)?;
        dst.copy_from_slice(key.as_sign().sign_digest(digest)?.as_bytes());
        Ok(())
    }
}

/// Signs a message: Streebog-256 (256-bit keys) or Streebog-512 (512-bit keys) of
/// `msg[0..msg_len]`, then as `gostkit_signing_key_sign_digest`.
///
/// Ownership and errors: as `gostkit_signing_key_sign_digest` (any message length is accepted).
///
/// # Safety
/// As `gostkit_signing_key_sign_digest`, with `msg` for `digest`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_sign(
    key: *const gostkit_signing_key,
    msg: *const u8,
    msg_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(2 * key.param_set().bits() / 8)?;
        dst.copy_from_slice(key.as_sign().sign_message(msg)?.as_bytes());
        Ok(())
    }
}

/// A second handle to the same private key: the key is shared (reference-counted), not copied,
/// and wiped when the last handle is freed. Each handle is freed on its own with
/// `gostkit_signing_key_free`; handles of one key may be used from several threads at once
/// (every key operation only reads the key).
///
/// Ownership: `key` stays the caller's; `*out` is a new handle the caller frees.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` a live handle; `out` a writable `gostkit_signing_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_share(
    key: *const gostkit_signing_key,
    out: *mut *mut gostkit_signing_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { key.share().into_out(out) }
    }
}

/// Frees a private-key handle (the key is wiped with its last handle); NULL is a no-op.
///
/// Ownership: takes back the handle; it must not be used afterwards. No errors.
///
/// # Safety
/// `key` must be NULL or a live handle not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_signing_key_free(key: *mut gostkit_signing_key) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_signing_key::free(key) })
}

/// Imports a public key on `curve` from `xy_le[0..len]` (X || Y, each little-endian: 64 or 128
/// bytes), checking it is on the curve and in the subgroup of order q.
///
/// Errors: `GOSTKIT_STATUS_INVALID_LENGTH`, `GOSTKIT_STATUS_INVALID_KEY`,
/// `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown curve), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// Ownership: on success the caller owns `*out` (free with `gostkit_verifying_key_free`).
///
/// # Safety
/// `xy_le` must point to `len` readable bytes; `out` to a writable `gostkit_verifying_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_from_raw(
    curve: u32,
    xy_le: *const u8,
    len: usize,
    out: *mut *mut gostkit_verifying_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let xy = unsafe { input(xy_le, len, "xy_le") }?;
        let vk = VerifyingKey::from_bytes(param_set(curve)?, xy)?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_verifying_key(vk).into_out(out) }
    }
}

/// Imports a SubjectPublicKeyInfo (PEM or DER, RFC 9215 / RFC 4491), checking the point.
///
/// Errors: `GOSTKIT_STATUS_MALFORMED`, `GOSTKIT_STATUS_UNSUPPORTED`, `GOSTKIT_STATUS_INVALID_KEY`.
///
/// Ownership: on success the caller owns `*out`.
///
/// # Safety
/// `data` must point to `len` readable bytes; `out` to a writable `gostkit_verifying_key *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_from_spki(
    data: *const u8,
    len: usize,
    out: *mut *mut gostkit_verifying_key,
) -> gostkit_status {
    ffi_status! {
        check_null!(out);
        // SAFETY: caller contract above.
        let data = unsafe { input(data, len, "data") }?;
        let vk = GostPublicKey::decode(data)?.to_verifying_key()?;
        // SAFETY: `out` is non-NULL and writable per the caller contract.
        unsafe { gostkit_verifying_key(vk).into_out(out) }
    }
}

/// Writes X || Y (each little-endian; 64 or 128 bytes) under the output convention.
///
/// Ownership: `key` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_to_raw(
    key: *const gostkit_verifying_key,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_verifying_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        out.write(key.0.as_bytes())
    }
}

/// Writes the key as SubjectPublicKeyInfo DER (RFC 9215) under the output convention.
///
/// Ownership: `key` stays the caller's.
///
/// Errors: `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`), `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key` must be a live handle; `out` must point to `*out_len` writable bytes (or be NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_to_spki_der(
    key: *const gostkit_verifying_key,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_verifying_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        out.write(&GostPublicKey::from_verifying_key(&key.0)?.to_der()?)
    }
}

/// Verifies `sig` (`s || r`, big-endian) over a digest of the key size.
///
/// Returns `GOSTKIT_STATUS_OK` when it verifies, `GOSTKIT_STATUS_BAD_SIGNATURE` when it does not
/// (including a wrong-length or out-of-range signature), `GOSTKIT_STATUS_INVALID_LENGTH` for a
/// digest of the wrong size, `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// Ownership: all arguments stay the caller's.
///
/// # Safety
/// `key` must be a live handle; `digest`/`sig` must point to their length of readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_verify_digest(
    key: *const gostkit_verifying_key,
    digest: *const u8,
    digest_len: usize,
    sig: *const u8,
    sig_len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_verifying_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let digest = unsafe { input(digest, digest_len, "digest") }?;
        // SAFETY: caller contract above.
        let sig = unsafe { input(sig, sig_len, "sig") }?;
        check_sig_len(&key.0, sig)?;
        Ok(key.0.verify_digest(digest, sig)?)
    }
}

/// Verifies `sig` over a message (Streebog-256/-512 by key size, as `gostkit_signing_key_sign`).
///
/// Returns `GOSTKIT_STATUS_OK` or `GOSTKIT_STATUS_BAD_SIGNATURE`, as
/// `gostkit_verifying_key_verify_digest` (any message length is accepted).
///
/// # Safety
/// As `gostkit_verifying_key_verify_digest`, with `msg` for `digest`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_verify(
    key: *const gostkit_verifying_key,
    msg: *const u8,
    msg_len: usize,
    sig: *const u8,
    sig_len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_verifying_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        // SAFETY: caller contract above.
        let sig = unsafe { input(sig, sig_len, "sig") }?;
        check_sig_len(&key.0, sig)?;
        Ok(key.0.verify(msg, sig)?)
    }
}

/// A signature of the wrong length is a failed check, not a bad argument.
fn check_sig_len(key: &VerifyingKey, sig: &[u8]) -> Result<(), Failure> {
    let expected = 2 * key.param_set().bits() / 8;
    if sig.len() == expected {
        Ok(())
    } else {
        Err(Failure::new(
            gostkit_status::BadSignature,
            format!("signature must be {expected} bytes, got {}", sig.len()),
        ))
    }
}

/// Frees a public key; NULL is a no-op.
///
/// Ownership: takes back the handle; it must not be used afterwards. No errors.
///
/// # Safety
/// `key` must be NULL or a live handle not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_verifying_key_free(key: *mut gostkit_verifying_key) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_verifying_key::free(key) })
}

/// VKO key agreement between `key` and `peer` (same curve) with `ukm[0..ukm_len]` (read
/// little-endian; 8 bytes usual), variant `alg` (a `gostkit_vko_alg`). Output: the 32- or 64-byte
/// shared key under the output convention — a secret the caller must wipe.
///
/// Ownership: `key`, `peer` and `ukm` stay the caller's.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` (unknown variant), `GOSTKIT_STATUS_INVALID_LENGTH`
/// (UKM empty or longer than the key; VKO 2001 needs 8 bytes), `GOSTKIT_STATUS_UNSUPPORTED`
/// (curves differ, or VKO 2001 on a 512-bit curve), `GOSTKIT_STATUS_INVALID_KEY` (the shared
/// point is the identity), `GOSTKIT_STATUS_BUFFER_TOO_SMALL` (size in `*out_len`),
/// `GOSTKIT_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `key`/`peer` must be live handles; `ukm` must point to `ukm_len` readable bytes; `out` to
/// `*out_len` writable bytes (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_vko(
    key: *const gostkit_signing_key,
    peer: *const gostkit_verifying_key,
    ukm: *const u8,
    ukm_len: usize,
    alg: u32,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { gostkit_signing_key::borrow(key, "key") }?;
        // SAFETY: caller contract above.
        let peer = unsafe { gostkit_verifying_key::borrow(peer, "peer") }?;
        // SAFETY: caller contract above.
        let ukm = unsafe { input(ukm, ukm_len, "ukm") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        const V2001: u32 = gostkit_vko_alg::Gost2001 as u32;
        const V256: u32 = gostkit_vko_alg::Gost2012_256 as u32;
        const V512: u32 = gostkit_vko_alg::Gost2012_512 as u32;
        let alg = match alg {
            V2001 => VkoAlg::Vko2001,
            V256 => VkoAlg::Vko2012_256,
            V512 => VkoAlg::Vko2012_512,
            other => return Err(Failure::invalid_argument(format!("unknown gostkit_vko_alg {other}"))),
        };
        out.write(&key.as_agree().vko(alg, &peer.0, ukm)?)
    }
}
