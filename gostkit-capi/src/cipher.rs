//! GOST R 34.12-2015 block ciphers (Kuznyechik, RFC 7801; Magma, RFC 8891) over the C ABI: the
//! GOST R 34.13-2015 modes (ECB, CBC, CTR, OFB, CFB) and MAC (OMAC), CTR-ACPKM and OMAC-ACPKM
//! (RFC 8645), one-shot and (CTR-ACPKM) streaming, and KExp15/KImp15 (R 1323565.1.017-2018).

use zeroize::Zeroizing;

use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, input};
use super::status::gostkit_status;
use gk::cipher::acpkm::{CtrAcpkm, ctr_acpkm, omac_acpkm};
use gk::cipher::kexp15::{kexp15, kimp15};
use gk::cipher::modes;
use gk::cipher::{BlockCipher, Kuznyechik, Magma};
use gk::error::CryptoError;

/// Block cipher identifiers, passed as `uint32_t cipher`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_cipher {
    /// GOST R 34.12-2015 Kuznyechik: 128-bit block, 256-bit key.
    Kuznyechik = 1,
    /// GOST R 34.12-2015 Magma: 64-bit block, 256-bit key (big-endian convention of 34.12).
    Magma = 2,
}

/// GOST R 34.13-2015 confidentiality modes, passed as `uint32_t mode`.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_cipher_mode {
    /// §5.1, no IV; data must be whole blocks (no padding is applied).
    Ecb = 1,
    /// §5.4, IV of z ≥ 1 whole blocks; data must be whole blocks.
    Cbc = 2,
    /// §5.2, IV of half a block; any data length.
    Ctr = 3,
    /// §5.3, IV of z ≥ 1 whole blocks; any data length.
    Ofb = 4,
    /// §5.5, IV of z ≥ 1 whole blocks; any data length.
    Cfb = 5,
    /// RFC 8645 §6.2.2 CTR-ACPKM, IV of half a block, section size `section_len`.
    CtrAcpkm = 6,
}

/// The two ciphers, as a Rust value.
#[derive(Clone, Copy)]
pub(crate) enum Cipher {
    Kuznyechik,
    Magma,
}

impl Cipher {
    /// Maps a `gostkit_cipher` value; unknown values give `INVALID_ARGUMENT`.
    pub(crate) fn from_u32(v: u32) -> Result<Self, Failure> {
        const K: u32 = gostkit_cipher::Kuznyechik as u32;
        const M: u32 = gostkit_cipher::Magma as u32;
        match v {
            K => Ok(Self::Kuznyechik),
            M => Ok(Self::Magma),
            other => Err(Failure::invalid_argument(format!("unknown cipher {other}"))),
        }
    }

    /// Block length in bytes.
    pub(crate) fn block_len(self) -> usize {
        match self {
            Self::Kuznyechik => Kuznyechik::BLOCK_LEN,
            Self::Magma => Magma::BLOCK_LEN,
        }
    }
}

/// Runs `$body` with the type alias `$c` bound to the concrete cipher type of `$cipher`.
macro_rules! with_cipher {
    ($cipher:expr, $c:ident => $body:expr) => {
        match $cipher {
            $crate::cipher::Cipher::Kuznyechik => {
                type $c = gk::cipher::Kuznyechik;
                $body
            }
            $crate::cipher::Cipher::Magma => {
                type $c = gk::cipher::Magma;
                $body
            }
        }
    };
}
pub(crate) use with_cipher;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ecb,
    Cbc,
    Ctr,
    Ofb,
    Cfb,
    CtrAcpkm,
}

fn mode_from_u32(v: u32) -> Result<Mode, Failure> {
    use gostkit_cipher_mode as M;
    const ECB: u32 = M::Ecb as u32;
    const CBC: u32 = M::Cbc as u32;
    const CTR: u32 = M::Ctr as u32;
    const OFB: u32 = M::Ofb as u32;
    const CFB: u32 = M::Cfb as u32;
    const ACPKM: u32 = M::CtrAcpkm as u32;
    match v {
        ECB => Ok(Mode::Ecb),
        CBC => Ok(Mode::Cbc),
        CTR => Ok(Mode::Ctr),
        OFB => Ok(Mode::Ofb),
        CFB => Ok(Mode::Cfb),
        ACPKM => Ok(Mode::CtrAcpkm),
        other => Err(Failure::invalid_argument(format!(
            "unknown cipher mode {other}"
        ))),
    }
}

/// One-shot mode computation into a zeroizing buffer.
fn run_mode<C: BlockCipher>(
    mode: Mode,
    decrypt: bool,
    key: &[u8],
    iv: &[u8],
    section_len: usize,
    data: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Failure> {
    if mode != Mode::CtrAcpkm && section_len != 0 {
        return Err(Failure::invalid_argument(
            "section_len must be 0 except for GOSTKIT_CIPHER_MODE_CTR_ACPKM",
        ));
    }
    if mode == Mode::Ecb && !iv.is_empty() {
        return Err(CryptoError::InvalidIvLength {
            alg: "ECB",
            expected: "0 bytes (ECB takes no IV)",
            got: iv.len(),
        }
        .into());
    }
    let v = match (mode, decrypt) {
        (Mode::Ecb, false) => modes::ecb_encrypt::<C>(key, data),
        (Mode::Ecb, true) => modes::ecb_decrypt::<C>(key, data),
        (Mode::Cbc, false) => modes::cbc_encrypt::<C>(key, iv, data),
        (Mode::Cbc, true) => modes::cbc_decrypt::<C>(key, iv, data),
        (Mode::Ctr, _) => modes::ctr::<C>(key, iv, data),
        (Mode::Ofb, _) => modes::ofb::<C>(key, iv, data),
        (Mode::Cfb, false) => modes::cfb_encrypt::<C>(key, iv, data),
        (Mode::Cfb, true) => modes::cfb_decrypt::<C>(key, iv, data),
        (Mode::CtrAcpkm, _) => ctr_acpkm::<C>(key, iv, section_len, data),
    }?;
    Ok(Zeroizing::new(v))
}

/// Shared body of `gostkit_cipher_encrypt`/`_decrypt`.
///
/// # Safety
/// The contract of `gostkit_cipher_encrypt`.
#[allow(clippy::too_many_arguments)]
unsafe fn cipher_call(
    decrypt: bool,
    cipher: u32,
    mode: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    section_len: usize,
    in_: *const u8,
    in_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let cipher = Cipher::from_u32(cipher)?;
        let mode = mode_from_u32(mode)?;
        // SAFETY: caller contract (of the exported functions).
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let iv = unsafe { input(iv, iv_len, "iv") }?;
        // SAFETY: as above.
        let data = unsafe { input(in_, in_len, "in") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(data.len())?;
        let res = with_cipher!(cipher, C => run_mode::<C>(mode, decrypt, key, iv, section_len, data))?;
        dst.copy_from_slice(&res);
        Ok(())
    }
}

/// Encrypts `in[0..in_len]` with `cipher` (a `gostkit_cipher`) in `mode` (a
/// `gostkit_cipher_mode`) under the 32-byte `key`.
///
/// IV: none for ECB (`iv_len` must be 0); half a block for CTR and CTR_ACPKM (8 bytes for
/// Kuznyechik, 4 for Magma); z ≥ 1 whole blocks for CBC, OFB, CFB (the GOST R 34.13-2015 register,
/// so the standard's two-block IVs work). `section_len` is the CTR-ACPKM section size N in bytes
/// (a non-zero multiple of the block length) and must be 0 for every other mode. ECB and CBC need
/// whole blocks (no padding is applied); the other modes take any length. The ciphertext has the
/// length of the plaintext.
///
/// Output: `in_len` bytes under the output convention (NULL `out` or a short capacity gives
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with `in_len` in `*out_len`). On any other failure `out` is
/// not written.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `cipher` or `mode`, a bad
/// `section_len`; `GOSTKIT_STATUS_INVALID_LENGTH` for a bad key, IV or data length;
/// `GOSTKIT_STATUS_DATA_LIMIT_EXCEEDED` past the CTR-ACPKM counter space;
/// `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `out_len` or a NULL input with a non-zero length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// `key`, `iv`, `in` must point to their length of readable bytes (or be NULL when it is 0);
/// `out` to `*out_len` writable bytes (or NULL), not overlapping any input; `out_len` to a
/// writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cipher_encrypt(
    cipher: u32,
    mode: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    section_len: usize,
    in_: *const u8,
    in_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        cipher_call(
            false,
            cipher,
            mode,
            key,
            key_len,
            iv,
            iv_len,
            section_len,
            in_,
            in_len,
            out,
            out_len,
        )
    }
}

/// Decrypts `in[0..in_len]`; arguments, output, errors and ownership as for
/// `gostkit_cipher_encrypt` (CTR, OFB and CTR_ACPKM are their own inverse).
///
/// # Safety
/// As `gostkit_cipher_encrypt`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_cipher_decrypt(
    cipher: u32,
    mode: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    section_len: usize,
    in_: *const u8,
    in_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    // SAFETY: same contract.
    unsafe {
        cipher_call(
            true,
            cipher,
            mode,
            key,
            key_len,
            iv,
            iv_len,
            section_len,
            in_,
            in_len,
            out,
            out_len,
        )
    }
}

/// The GOST R 34.13-2015 §5.6 MAC (OMAC/CMAC) of `data` under the 32-byte `key`, truncated to
/// `tag_len` bytes (1..=block length: 16 for Kuznyechik, 8 for Magma).
///
/// Output: `tag_len` bytes under the output convention (NULL `out` or a short capacity gives
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with `tag_len` in `*out_len`).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `cipher` or a bad `tag_len`;
/// `GOSTKIT_STATUS_INVALID_LENGTH` for a bad key length; `GOSTKIT_STATUS_NULL_ARGUMENT` for a
/// NULL `out_len` or a NULL input with a non-zero length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// `key`/`data` must point to their length of readable bytes (or be NULL when it is 0); `out` to
/// `*out_len` writable bytes (or NULL), not overlapping the inputs; `out_len` to a `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_omac(
    cipher: u32,
    key: *const u8,
    key_len: usize,
    data: *const u8,
    data_len: usize,
    tag_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let cipher = Cipher::from_u32(cipher)?;
        // SAFETY: caller contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(tag_len)?;
        let tag = with_cipher!(cipher, C => modes::omac::<C>(key, data, tag_len))?;
        dst.copy_from_slice(&tag);
        Ok(())
    }
}

/// OMAC-ACPKM (RFC 8645 §6.3.6) of `data` under the 32-byte master `key`, with section size
/// `section_len` (N) and master key period `master_section_len` (T*), both non-zero multiples of
/// the block length in bytes, truncated to `tag_len` bytes (1..=block length).
///
/// Output, errors, ownership: as for `gostkit_omac` (a bad `section_len`/`master_section_len`
/// gives `GOSTKIT_STATUS_INVALID_ARGUMENT`).
///
/// # Safety
/// As `gostkit_omac`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_omac_acpkm(
    cipher: u32,
    key: *const u8,
    key_len: usize,
    section_len: usize,
    master_section_len: usize,
    data: *const u8,
    data_len: usize,
    tag_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let cipher = Cipher::from_u32(cipher)?;
        // SAFETY: caller contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(tag_len)?;
        let tag = with_cipher!(cipher, C => {
            omac_acpkm::<C>(key, section_len, master_section_len, data, tag_len)
        })?;
        dst.copy_from_slice(&tag);
        Ok(())
    }
}

/// The CTR-ACPKM key stream of either cipher.
enum CtrAcpkmState {
    K(Box<CtrAcpkm<Kuznyechik>>),
    M(Box<CtrAcpkm<Magma>>),
}

/// A streaming CTR-ACPKM state (opaque; RFC 8645 §6.2.2), holding the current section key, which
/// is wiped when freed. Create with `gostkit_ctr_acpkm_new`, free with `gostkit_ctr_acpkm_free`.
/// One thread at a time.
pub struct gostkit_ctr_acpkm_ctx {
    state: CtrAcpkmState,
}

impl BoxHandle for gostkit_ctr_acpkm_ctx {}

/// Starts a CTR-ACPKM stream with `cipher` (a `gostkit_cipher`), the 32-byte `key`, a half-block
/// `iv` (8 bytes for Kuznyechik, 4 for Magma) and section size `section_len` bytes (a non-zero
/// multiple of the block length), and stores it in `*ctx`. Key and IV are copied.
///
/// Ownership: on success the caller owns `*ctx` and releases it with `gostkit_ctr_acpkm_free`;
/// on failure `*ctx` is unchanged.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `cipher` or a bad `section_len`;
/// `GOSTKIT_STATUS_INVALID_LENGTH` for a bad key or IV length; `GOSTKIT_STATUS_NULL_ARGUMENT` for
/// a NULL `ctx` or a NULL `key`/`iv` with a non-zero length.
///
/// # Safety
/// `key`/`iv` must point to their length of readable bytes (or be NULL when it is 0); `ctx` must
/// be NULL or point to a writable `gostkit_ctr_acpkm_ctx *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_ctr_acpkm_new(
    cipher: u32,
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    section_len: usize,
    ctx: *mut *mut gostkit_ctr_acpkm_ctx,
) -> gostkit_status {
    ffi_status! {
        check_null!(ctx);
        let cipher = Cipher::from_u32(cipher)?;
        // SAFETY: caller contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let iv = unsafe { input(iv, iv_len, "iv") }?;
        let state = match cipher {
            Cipher::Kuznyechik => CtrAcpkmState::K(Box::new(CtrAcpkm::new(key, iv, section_len)?)),
            Cipher::Magma => CtrAcpkmState::M(Box::new(CtrAcpkm::new(key, iv, section_len)?)),
        };
        // SAFETY: `ctx` is non-NULL and writable per the caller contract.
        unsafe { gostkit_ctr_acpkm_ctx { state }.into_out(ctx) }
    }
}

/// Encrypts or decrypts (the same operation) the next `len` bytes of the stream: `out[i] =
/// in[i] ^ keystream`. Calls may use any lengths; the concatenated output equals the one-shot
/// `gostkit_cipher_encrypt(.., GOSTKIT_CIPHER_MODE_CTR_ACPKM, ..)` of the concatenated input.
/// `in == out` (in place) is allowed; otherwise the buffers must not overlap.
///
/// Errors: `GOSTKIT_STATUS_DATA_LIMIT_EXCEEDED` when the 2^(n/2)-block limit of the IV would be
/// passed (the stream does not advance and `out` is zeroed unless `in == out`);
/// `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `ctx`, or NULL `in`/`out` with `len > 0`.
///
/// Ownership: `ctx`, `in`, `out` stay the caller's.
///
/// # Safety
/// `ctx` must be a live handle from `gostkit_ctr_acpkm_new`, not used concurrently; `in` must
/// point to `len` readable and `out` to `len` writable bytes (either may be NULL when `len` is
/// 0); they are either the same pointer or do not overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_ctr_acpkm_apply(
    ctx: *mut gostkit_ctr_acpkm_ctx,
    in_: *const u8,
    out: *mut u8,
    len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_ctr_acpkm_ctx::borrow_mut(ctx, "ctx") }?;
        if len == 0 {
            return Ok(());
        }
        check_null!(in_, out);
        let in_place = core::ptr::eq(in_, out.cast_const());
        if !in_place {
            // SAFETY: `in_` is non-NULL, readable for `len` bytes and does not overlap `out`
            // (caller contract); the slice lives only for this copy.
            let src = unsafe { core::slice::from_raw_parts(in_, len) };
            // SAFETY: `out` is non-NULL and writable for `len` bytes, not overlapping `src`.
            let dst = unsafe { core::slice::from_raw_parts_mut(out, len) };
            dst.copy_from_slice(src);
        }
        // SAFETY: `out` is non-NULL and writable for `len` bytes; no other slice over it is live.
        let dst = unsafe { core::slice::from_raw_parts_mut(out, len) };
        let res = match &mut ctx.state {
            CtrAcpkmState::K(s) => s.apply_keystream(dst),
            CtrAcpkmState::M(s) => s.apply_keystream(dst),
        };
        if res.is_err() && !in_place {
            dst.fill(0);
        }
        res?;
        Ok(())
    }
}

/// Frees (and wipes) a handle from `gostkit_ctr_acpkm_new`; NULL is a no-op.
///
/// Ownership: takes back `ctx`; it must not be used afterwards.
///
/// # Safety
/// `ctx` must be NULL or a live handle from `gostkit_ctr_acpkm_new` not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_ctr_acpkm_free(ctx: *mut gostkit_ctr_acpkm_ctx) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_ctr_acpkm_ctx::free(ctx) })
}

/// Reads a fixed 32-byte key argument.
///
/// # Safety
/// `p`, if non-NULL, must point to 32 readable bytes.
unsafe fn key32<'a>(p: *const u8, name: &'static str) -> Result<&'a [u8], Failure> {
    if p.is_null() {
        return Err(Failure::null_argument(name));
    }
    // SAFETY: non-NULL and readable for 32 bytes per the contract.
    Ok(unsafe { core::slice::from_raw_parts(p, 32) })
}

/// KExp15 (R 1323565.1.017-2018): exports `key[0..key_len]` (non-empty) as
/// `CTR(k_enc, iv, key || OMAC(k_mac, iv || key))` with `cipher` (a `gostkit_cipher`).
/// `k_mac` and `k_enc` are 32-byte keys; `iv` is half a block (8 bytes Kuznyechik, 4 Magma).
///
/// Output: `key_len + block length` bytes under the output convention (NULL `out` or a short
/// capacity gives `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with that size in `*out_len`).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `cipher`; `GOSTKIT_STATUS_INVALID_LENGTH`
/// for an empty key or a bad IV length; `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `k_mac`,
/// `k_enc`, `out_len`, or a NULL `key`/`iv` with a non-zero length.
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// `key`/`iv` must point to their length of readable bytes (or be NULL when it is 0); `k_mac` and
/// `k_enc` to 32 readable bytes; `out` to `*out_len` writable bytes (or NULL), not overlapping
/// the inputs; `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_kexp15(
    cipher: u32,
    key: *const u8,
    key_len: usize,
    k_mac: *const u8,
    k_enc: *const u8,
    iv: *const u8,
    iv_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let cipher = Cipher::from_u32(cipher)?;
        // SAFETY: caller contract above (all calls).
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: as above.
        let k_mac = unsafe { key32(k_mac, "k_mac") }?;
        // SAFETY: as above.
        let k_enc = unsafe { key32(k_enc, "k_enc") }?;
        // SAFETY: as above.
        let iv = unsafe { input(iv, iv_len, "iv") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(key.len() + cipher.block_len())?;
        let res = Zeroizing::new(with_cipher!(cipher, C => kexp15::<C>(key, k_mac, k_enc, iv))?);
        dst.copy_from_slice(&res);
        Ok(())
    }
}

/// KImp15 (R 1323565.1.017-2018): imports a key exported by KExp15 from
/// `exported[0..exported_len]` (more than one block). The MAC is checked in constant time before
/// anything is written.
///
/// Output: `exported_len - block length` bytes under the output convention (NULL `out` or a
/// short capacity gives `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with that size).
///
/// Errors: `GOSTKIT_STATUS_AUTH_FAILED` when the MAC does not match (`out` is not written);
/// otherwise as `gostkit_kexp15` (`GOSTKIT_STATUS_INVALID_LENGTH` for `exported_len` ≤ one block).
///
/// Ownership: all buffers are the caller's, borrowed during the call.
///
/// # Safety
/// As `gostkit_kexp15`, with `exported` for `key`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_kimp15(
    cipher: u32,
    exported: *const u8,
    exported_len: usize,
    k_mac: *const u8,
    k_enc: *const u8,
    iv: *const u8,
    iv_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let cipher = Cipher::from_u32(cipher)?;
        // SAFETY: caller contract above (all calls).
        let exported = unsafe { input(exported, exported_len, "exported") }?;
        // SAFETY: as above.
        let k_mac = unsafe { key32(k_mac, "k_mac") }?;
        // SAFETY: as above.
        let k_enc = unsafe { key32(k_enc, "k_enc") }?;
        // SAFETY: as above.
        let iv = unsafe { input(iv, iv_len, "iv") }?;
        // SAFETY: as above.
        let out = unsafe { Output::new(out, out_len) }?;
        let bl = cipher.block_len();
        if exported.len() <= bl {
            return Err(CryptoError::InvalidDataLength {
                alg: "KImp15",
                expected: "more than one block (key || MAC)",
                got: exported.len(),
            }
            .into());
        }
        let dst = out.reserve(exported.len() - bl)?;
        let key = with_cipher!(cipher, C => kimp15::<C>(exported, k_mac, k_enc, iv))?;
        dst.copy_from_slice(&key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Streaming CTR-ACPKM through the C ABI, in arbitrary pieces (some in place), equals the
        /// one-shot C call, and decrypting gives the input back.
        #[test]
        fn ctr_acpkm_streaming_equals_one_shot(
            data in proptest::collection::vec(any::<u8>(), 0..700),
            cuts in proptest::collection::vec(0usize..700, 0..6),
            magma in any::<bool>(),
        ) {
            let (cipher, iv_len, section) = if magma { (2u32, 4usize, 16usize) } else { (1, 8, 32) };
            let key = [7u8; 32];
            let iv = [9u8; 8];
            let mut one = vec![0u8; data.len()];
            let mut one_len = one.len();
            // SAFETY: live local buffers with the lengths passed.
            let st = unsafe {
                gostkit_cipher_encrypt(cipher, 6, key.as_ptr(), 32, iv.as_ptr(), iv_len, section,
                    data.as_ptr(), data.len(), one.as_mut_ptr(), &mut one_len)
            };
            prop_assert_eq!(st, gostkit_status::Ok);

            let mut ctx: *mut gostkit_ctr_acpkm_ctx = core::ptr::null_mut();
            // SAFETY: live locals.
            let st = unsafe {
                gostkit_ctr_acpkm_new(cipher, key.as_ptr(), 32, iv.as_ptr(), iv_len, section, &mut ctx)
            };
            prop_assert_eq!(st, gostkit_status::Ok);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut streamed = data.clone();
            let mut start = 0;
            for (i, end) in cuts.into_iter().chain([data.len()]).enumerate() {
                let piece = &mut streamed[start..end];
                let p = piece.as_mut_ptr();
                // SAFETY: `ctx` is live; in place on a live slice, or from `data` (no overlap).
                let st = unsafe {
                    if i % 2 == 0 {
                        gostkit_ctr_acpkm_apply(ctx, p, p, piece.len())
                    } else {
                        gostkit_ctr_acpkm_apply(ctx, data[start..end].as_ptr(), p, piece.len())
                    }
                };
                prop_assert_eq!(st, gostkit_status::Ok);
                start = end;
            }
            // SAFETY: from gostkit_ctr_acpkm_new, not used afterwards.
            unsafe { gostkit_ctr_acpkm_free(ctx) };
            prop_assert_eq!(&streamed, &one);
        }
    }
}
