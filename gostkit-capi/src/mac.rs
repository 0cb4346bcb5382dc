//! HMAC_GOSTR3411_2012_256/512 over the C ABI (RFC 7836 §4.1.1–4.1.2, R 50.1.113-2016), one-shot
//! and streaming. The algorithm is chosen with a `gostkit_hash_alg` value (Streebog only).

use super::error::Failure;
use super::handle::BoxHandle;
use super::hash::gostkit_hash_alg;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, input};
use super::status::gostkit_status;
use gk::mac::{HmacStreebog256, HmacStreebog512};

/// A keyed HMAC state of either size.
#[derive(Clone)]
enum Hmac {
    S256(HmacStreebog256),
    S512(HmacStreebog512),
}

impl Hmac {
    /// Keys an HMAC for `alg`; only the two Streebog values are accepted.
    fn new(alg: u32, key: &[u8]) -> Result<Self, Failure> {
        const S256: u32 = gostkit_hash_alg::Streebog256 as u32;
        const S512: u32 = gostkit_hash_alg::Streebog512 as u32;
        match alg {
            S256 => Ok(Self::S256(HmacStreebog256::new(key))),
            S512 => Ok(Self::S512(HmacStreebog512::new(key))),
            other => Err(Failure::invalid_argument(format!(
                "HMAC: hash algorithm {other} is not GOSTKIT_HASH_ALG_STREEBOG256/512"
            ))),
        }
    }

    fn output_len(&self) -> usize {
        match self {
            Self::S256(_) => HmacStreebog256::OUTPUT_LEN,
            Self::S512(_) => HmacStreebog512::OUTPUT_LEN,
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Self::S256(m) => m.update(data),
            Self::S512(m) => m.update(data),
        }
    }

    /// Finishes into `dst` (exactly `output_len()` bytes).
    fn finalize_into(self, dst: &mut [u8]) {
        match self {
            Self::S256(m) => dst.copy_from_slice(&m.finalize()),
            Self::S512(m) => dst.copy_from_slice(&m.finalize()),
        }
    }
}

/// One-shot HMAC of `data[0..data_len]` under `key[0..key_len]` (any key length) with `alg`
/// (`GOSTKIT_HASH_ALG_STREEBOG256` or `GOSTKIT_HASH_ALG_STREEBOG512`).
///
/// Output: the 32- or 64-byte tag under the output convention (`*out_len` capacity in, length
/// out; NULL `out` or a short capacity gives `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with the size).
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for any other `alg`; `GOSTKIT_STATUS_NULL_ARGUMENT`
/// for a NULL `out_len`, or NULL `key`/`data` with a non-zero length.
///
/// Ownership: all buffers belong to the caller and are only borrowed during the call.
///
/// # Safety
/// `key`/`data` must point to `key_len`/`data_len` readable bytes (or be NULL when the length is
/// 0); `out` to `*out_len` writable bytes (or NULL); `out_len` to a writable `size_t`; `out` must
/// not overlap the inputs.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hmac(
    alg: u32,
    key: *const u8,
    key_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let mut m = Hmac::new(alg, key)?;
        let dst = out.reserve(m.output_len())?;
        m.update(data);
        m.finalize_into(dst);
        Ok(())
    }
}

/// A streaming HMAC state (opaque), holding the keyed state; zeroized when freed. Create with
/// `gostkit_hmac_new`, free with `gostkit_hmac_free`. One thread at a time.
pub struct gostkit_hmac_ctx {
    /// The state right after keying, to restart after `finish`.
    keyed: Hmac,
    /// The running state.
    running: Hmac,
}

impl BoxHandle for gostkit_hmac_ctx {}

/// Creates a streaming HMAC for `alg` (`GOSTKIT_HASH_ALG_STREEBOG256/512`) keyed with
/// `key[0..key_len]` and stores it in `*ctx`. The key is copied (into the keyed state); the
/// caller may wipe its buffer afterwards.
///
/// Ownership: on success the caller owns `*ctx` and releases it with `gostkit_hmac_free`; on
/// failure `*ctx` is unchanged.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for another `alg`; `GOSTKIT_STATUS_NULL_ARGUMENT`
/// for a NULL `ctx`, or NULL `key` with `key_len > 0`.
///
/// # Safety
/// `key` must point to `key_len` readable bytes (or be NULL when 0); `ctx` must be NULL or
/// point to a writable `gostkit_hmac_ctx *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hmac_new(
    alg: u32,
    key: *const u8,
    key_len: usize,
    ctx: *mut *mut gostkit_hmac_ctx,
) -> gostkit_status {
    ffi_status! {
        check_null!(ctx);
        // SAFETY: caller contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        let keyed = Hmac::new(alg, key)?;
        let running = keyed.clone();
        // SAFETY: `ctx` is non-NULL and writable per the caller contract.
        unsafe { gostkit_hmac_ctx { keyed, running }.into_out(ctx) }
    }
}

/// Absorbs `data[0..data_len]` into `ctx`.
///
/// Errors: `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `ctx`, or NULL `data` with `data_len > 0`.
///
/// Ownership: `ctx` and `data` stay the caller's.
///
/// # Safety
/// `ctx` must be a live handle from `gostkit_hmac_new`, not used concurrently; `data` must point
/// to `data_len` readable bytes (or be NULL when 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hmac_update(
    ctx: *mut gostkit_hmac_ctx,
    data: *const u8,
    data_len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_hmac_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        ctx.running.update(data);
        Ok(())
    }
}

/// Writes the tag of everything absorbed so far to `out` and restarts `ctx` with the same key
/// (ready for a new message). A NULL `out` or a short capacity gives
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with the tag length in `*out_len` and leaves `ctx`
/// untouched, so the call can be retried.
///
/// Ownership: `ctx` stays the caller's (free it with `gostkit_hmac_free`); `out` is the caller's.
///
/// # Safety
/// `ctx` must be a live handle from `gostkit_hmac_new`, not used concurrently; `out` must point
/// to `*out_len` writable bytes (or be NULL); `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hmac_finish(
    ctx: *mut gostkit_hmac_ctx,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_hmac_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(ctx.running.output_len())?;
        let done = core::mem::replace(&mut ctx.running, ctx.keyed.clone());
        done.finalize_into(dst);
        Ok(())
    }
}

/// Frees (and wipes) a handle from `gostkit_hmac_new`; NULL is a no-op.
///
/// Ownership: takes back `ctx`; it must not be used afterwards.
///
/// # Safety
/// `ctx` must be NULL or a live handle from `gostkit_hmac_new` not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hmac_free(ctx: *mut gostkit_hmac_ctx) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_hmac_ctx::free(ctx) })
}
