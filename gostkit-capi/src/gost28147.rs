//! GOST 28147-89 (RFC 5830, legacy little-endian convention) over the C ABI: ECB, counter (CNT)
//! and CFB encryption with optional CryptoPro key meshing (RFC 4357 §2.3), the MAC
//! (imitovstavka), and the GOST 28147-89 and CryptoPro key wraps (RFC 4357 §6).

use zeroize::Zeroizing;

use super::error::Failure;
use super::panic::ffi_status;
use super::slice::{Output, input};
use super::status::gostkit_status;
use gk::cipher::gost28147::{Gost28147, Gost28147Cfb, Gost28147Cnt, Gost28147Mac, SBox};
use gk::cipher::keywrap::{
    WRAPPED_KEY_LEN, cryptopro_key_unwrap, cryptopro_key_wrap, gost28147_key_unwrap,
    gost28147_key_wrap,
};
use gk::error::CryptoError;

/// GOST 28147-89 S-boxes (parameter sets), passed as `uint32_t sbox`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_gost28147_sbox {
    /// id-Gost28147-89-CryptoPro-A-ParamSet (RFC 4357 §11.2), the CryptoPro/CMS default.
    CryptoproA = 1,
    /// id-Gost28147-89-CryptoPro-B-ParamSet.
    CryptoproB = 2,
    /// id-Gost28147-89-CryptoPro-C-ParamSet.
    CryptoproC = 3,
    /// id-Gost28147-89-CryptoPro-D-ParamSet.
    CryptoproD = 4,
    /// id-tc26-gost-28147-param-Z (RFC 7836).
    Tc26Z = 5,
    /// id-GostR3411-94-TestParamSet (the RFC 5830/5831 test S-box).
    Test = 6,
}

/// GOST 28147-89 encryption modes, passed as `uint32_t mode`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_gost28147_mode {
    /// Simple substitution (RFC 5830 §5): no IV, whole 8-byte blocks, no key meshing.
    Ecb = 1,
    /// Counter mode ("gamma", RFC 5830 §6), 8-byte IV, any length.
    Cnt = 2,
    /// Cipher feedback ("gamma with feedback", RFC 5830 §7), 8-byte IV, any length.
    Cfb = 3,
}

fn sbox_from_u32(v: u32) -> Result<SBox, Failure> {
    use gostkit_gost28147_sbox as S;
    const A: u32 = S::CryptoproA as u32;
    const B: u32 = S::CryptoproB as u32;
    const C: u32 = S::CryptoproC as u32;
    const D: u32 = S::CryptoproD as u32;
    const Z: u32 = S::Tc26Z as u32;
    const T: u32 = S::Test as u32;
    match v {
        A => Ok(SBox::CryptoProA),
        B => Ok(SBox::CryptoProB),
        C => Ok(SBox::CryptoProC),
        D => Ok(SBox::CryptoProD),
        Z => Ok(SBox::Tc26Z),
        T => Ok(SBox::Test),
        other => Err(Failure::invalid_argument(format!(
            "unknown GOST 28147-89 S-box {other}"
        ))),
    }
}

fn meshing_flag(v: u32) -> Result<bool, Failure> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(Failure::invalid_argument(format!(
            "key_meshing must be 0 or 1, got {other}"
        ))),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ecb,
    Cnt,
    Cfb,
}

fn mode_from_u32(v: u32) -> Result<Mode, Failure> {
    const ECB: u32 = gostkit_gost28147_mode::Ecb as u32;
    const CNT: u32 = gostkit_gost28147_mode::Cnt as u32;
    const CFB: u32 = gostkit_gost28147_mode::Cfb as u32;
    match v {
        ECB => Ok(Mode::Ecb),
        CNT => Ok(Mode::Cnt),
        CFB => Ok(Mode::Cfb),
        other => Err(Failure::invalid_argument(format!(
            "unknown GOST 28147-89 mode {other}"
        ))),
    }
}

/// Runs one mode over a copy of `data`.
fn run(
    mode: Mode,
    decrypt: bool,
    meshing: bool,
    cipher: &Gost28147,
    iv: &[u8],
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let mut buf = Zeroizing::new(data.to_vec());
    match mode {
        Mode::Ecb => {
            if meshing {
                return Err(Failure::invalid_argument(
                    "key meshing is not defined for GOST 28147-89 ECB",
                ));
            }
            if !iv.is_empty() {
                return Err(CryptoError::InvalidIvLength {
                    alg: "GOST 28147-89 ECB",
                    expected: "0 bytes (ECB takes no IV)",
                    got: iv.len(),
                }
                .into());
            }
            if decrypt {
                cipher.ecb_decrypt(&mut buf)?;
            } else {
                cipher.ecb_encrypt(&mut buf)?;
            }
        }
        Mode::Cnt => Gost28147Cnt::new(cipher, iv, meshing)?.apply_keystream(&mut buf),
        Mode::Cfb => {
            let mut s = Gost28147Cfb::new(cipher, iv, meshing)?;
            if decrypt {
                s.decrypt(&mut buf);
            } else {
                s.encrypt(&mut buf);
            }
        }
    }
    Ok(buf)
}

/// Shared body of `gostkit_gost28147_encrypt`/`_decrypt`.
///
/// # Safety
/// The contract of `gostkit_gost28147_encrypt`.
#[allow(clippy::too_many_arguments)]
unsafe fn call(
    decrypt: bool,
    sbox: u32,
    mode: u32,
    key_meshing: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    in_: *const u8,
    in_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let sbox = sbox_from_u32(sbox)?;
        let mode = mode_from_u32(mode)?;
        let meshing = meshing_flag(key_meshing)?;
        // SAFETY: caller contract (of the exported functions).
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let iv = unsafe { input(iv, iv_len, "iv") }?;
        // SAFETY: as above.
        let data = unsafe { input(in_, in_len, "in") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(data.len())?;
        let cipher = Gost28147::with_sbox(key, sbox)?;
        let res = run(mode, decrypt, meshing, &cipher, iv, data)?;
        dst.copy_from_slice(&res);
        Ok(())
    }
}

/// GOST 28147-89 encryption of `in[0..in_len]` with S-box `sbox` (a `gostkit_gost28147_sbox`),
/// `mode` (a `gostkit_gost28147_mode`) and the 32-byte `key`, all in the legacy little-endian
/// convention of RFC 5830. `key_meshing` is 1 for CryptoPro key meshing every 1024 bytes
/// (RFC 4357 §2.3; CNT and CFB only) or 0. `iv` is 8 bytes for CNT and CFB and empty
/// (`iv_len == 0`) for ECB; ECB needs whole 8-byte blocks.
///
/// Output: `in_len` bytes under the output convention (NULL `out` or a short capacity gives
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with `in_len` in `*out_len`); on other failures `out` is
/// not written.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `sbox`/`mode`, `key_meshing` not 0/1,
/// or meshing with ECB; `GOSTKIT_STATUS_INVALID_LENGTH` for a bad key, IV or (ECB) data length;
/// `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `out_len` or a NULL input with a non-zero length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// `key`, `iv`, `in` must point to their length of readable bytes (or be NULL when it is 0);
/// `out` to `*out_len` writable bytes (or NULL), not overlapping the inputs; `out_len` to a
/// writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_gost28147_encrypt(
    sbox: u32,
    mode: u32,
    key_meshing: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    in_: *const u8,
    in_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        call(
            false,
            sbox,
            mode,
            key_meshing,
            key,
            key_len,
            iv,
            iv_len,
            in_,
            in_len,
            out,
            out_len,
        )
    }
}

/// GOST 28147-89 decryption; arguments, output, errors and ownership as for
/// `gostkit_gost28147_encrypt`.
///
/// # Safety
/// As `gostkit_gost28147_encrypt`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_gost28147_decrypt(
    sbox: u32,
    mode: u32,
    key_meshing: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    in_: *const u8,
    in_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        call(
            true,
            sbox,
            mode,
            key_meshing,
            key,
            key_len,
            iv,
            iv_len,
            in_,
            in_len,
            out,
            out_len,
        )
    }
}

/// The GOST 28147-89 MAC (imitovstavka, RFC 5830 §8) of `data` with `sbox`, the 32-byte `key`,
/// an optional 8-byte `iv` (`iv_len` 0 means a zero start value), `key_meshing` 0/1 (CryptoPro
/// meshing every 1024 bytes), truncated to `mac_len` bytes (1..=8; protocols use 4).
///
/// Output: `mac_len` bytes under the output convention.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `sbox`, `key_meshing` not 0/1, or
/// `mac_len` outside 1..=8; `GOSTKIT_STATUS_INVALID_LENGTH` for a bad key or IV length;
/// `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `out_len` or a NULL input with a non-zero length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// As `gostkit_gost28147_encrypt`, with `data` for `in`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_gost28147_mac(
    sbox: u32,
    key_meshing: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    mac_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let sbox = sbox_from_u32(sbox)?;
        let meshing = meshing_flag(key_meshing)?;
        // SAFETY: caller contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let iv = unsafe { input(iv, iv_len, "iv") }?;
        // SAFETY: as above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(mac_len)?;
        let cipher = Gost28147::with_sbox(key, sbox)?;
        let iv = if iv.is_empty() { None } else { Some(iv) };
        let mut m = Gost28147Mac::new(&cipher, iv, meshing)?;
        m.update(data);
        dst.copy_from_slice(&m.finalize_len(mac_len)?);
        Ok(())
    }
}

/// Which RFC 4357 key wrap.
#[derive(Clone, Copy)]
enum Wrap {
    Gost28147,
    CryptoPro,
}

/// Shared body of the wrap functions.
///
/// # Safety
/// The contract of `gostkit_gost28147_key_wrap`.
#[allow(clippy::too_many_arguments)]
unsafe fn wrap_call(
    which: Wrap,
    sbox: u32,
    kek: *const u8,
    kek_len: usize,
    ukm: *const u8,
    ukm_len: usize,
    cek: *const u8,
    cek_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let sbox = sbox_from_u32(sbox)?;
        // SAFETY: caller contract (of the exported functions).
        let kek = unsafe { input(kek, kek_len, "kek") }?;
        // SAFETY: as above.
        let ukm = unsafe { input(ukm, ukm_len, "ukm") }?;
        // SAFETY: as above.
        let cek = unsafe { input(cek, cek_len, "cek") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(WRAPPED_KEY_LEN)?;
        let w = match which {
            Wrap::Gost28147 => gost28147_key_wrap(kek, sbox, ukm, cek),
            Wrap::CryptoPro => cryptopro_key_wrap(kek, sbox, ukm, cek),
        }?;
        dst.copy_from_slice(&w);
        Ok(())
    }
}

/// Shared body of the unwrap functions.
///
/// # Safety
/// The contract of `gostkit_gost28147_key_unwrap`.
#[allow(clippy::too_many_arguments)]
unsafe fn unwrap_call(
    which: Wrap,
    sbox: u32,
    kek: *const u8,
    kek_len: usize,
    wrapped: *const u8,
    wrapped_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let sbox = sbox_from_u32(sbox)?;
        // SAFETY: caller contract (of the exported functions).
        let kek = unsafe { input(kek, kek_len, "kek") }?;
        // SAFETY: as above.
        let wrapped = unsafe { input(wrapped, wrapped_len, "wrapped") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(32)?;
        let cek = match which {
            Wrap::Gost28147 => gost28147_key_unwrap(kek, sbox, wrapped),
            Wrap::CryptoPro => cryptopro_key_unwrap(kek, sbox, wrapped),
        }?;
        dst.copy_from_slice(&cek[..]);
        Ok(())
    }
}

/// GOST 28147-89 key wrap (RFC 4357 §6.1): wraps the 32-byte `cek` under the 32-byte `kek` with
/// `sbox` and an 8-byte `ukm`, giving the 44 bytes `UKM || ENC(CEK) || MAC`.
///
/// Output: 44 bytes under the output convention.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `sbox`; `GOSTKIT_STATUS_INVALID_LENGTH`
/// for a KEK/CEK not 32 bytes or a UKM not 8 bytes; `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL
/// `out_len` or a NULL input with a non-zero length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// `kek`, `ukm`, `cek` must point to their length of readable bytes (or be NULL when it is 0);
/// `out` to `*out_len` writable bytes (or NULL), not overlapping the inputs; `out_len` to a
/// writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_gost28147_key_wrap(
    sbox: u32,
    kek: *const u8,
    kek_len: usize,
    ukm: *const u8,
    ukm_len: usize,
    cek: *const u8,
    cek_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        wrap_call(
            Wrap::Gost28147,
            sbox,
            kek,
            kek_len,
            ukm,
            ukm_len,
            cek,
            cek_len,
            out,
            out_len,
        )
    }
}

/// GOST 28147-89 key unwrap (RFC 4357 §6.2) of the 44-byte `wrapped` under `kek`; the MAC is
/// compared in constant time and on a mismatch `GOSTKIT_STATUS_AUTH_FAILED` is returned and
/// nothing is written.
///
/// Output: the 32-byte CEK under the output convention.
///
/// Errors: as `gostkit_gost28147_key_wrap`, plus `GOSTKIT_STATUS_AUTH_FAILED`, and
/// `GOSTKIT_STATUS_INVALID_LENGTH` when `wrapped_len != 44`.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// As `gostkit_gost28147_key_wrap`, with `wrapped` an input.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_gost28147_key_unwrap(
    sbox: u32,
    kek: *const u8,
    kek_len: usize,
    wrapped: *const u8,
    wrapped_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        unwrap_call(
            Wrap::Gost28147,
            sbox,
            kek,
            kek_len,
            wrapped,
            wrapped_len,
            out,
            out_len,
        )
    }
}

/// CryptoPro key wrap (RFC 4357 §6.3): the GOST 28147-89 key wrap under the KEK diversified with
/// the UKM (§6.5). Arguments, output, errors and ownership as for `gostkit_gost28147_key_wrap`.
///
/// # Safety
/// As `gostkit_gost28147_key_wrap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cryptopro_key_wrap(
    sbox: u32,
    kek: *const u8,
    kek_len: usize,
    ukm: *const u8,
    ukm_len: usize,
    cek: *const u8,
    cek_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        wrap_call(
            Wrap::CryptoPro,
            sbox,
            kek,
            kek_len,
            ukm,
            ukm_len,
            cek,
            cek_len,
            out,
            out_len,
        )
    }
}

/// CryptoPro key unwrap (RFC 4357 §6.4). Arguments, output, errors and ownership as for
/// `gostkit_gost28147_key_unwrap`.
///
/// # Safety
/// As `gostkit_gost28147_key_unwrap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cryptopro_key_unwrap(
    sbox: u32,
    kek: *const u8,
    kek_len: usize,
    wrapped: *const u8,
    wrapped_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        unwrap_call(
            Wrap::CryptoPro,
            sbox,
            kek,
            kek_len,
            wrapped,
            wrapped_len,
            out,
            out_len,
        )
    }
}
