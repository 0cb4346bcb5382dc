//! Hash functions over the C ABI: GOST R 34.11-2012 Streebog-256/512 (RFC 6986) and
//! GOST R 34.11-94 with the CryptoPro parameters (RFC 5831, RFC 4357 §11.2), one-shot and streaming.

use super::error::Failure;
use super::handle::BoxHandle;
use super::panic::{check_null, ffi_status};
use super::slice::{Output, input};
use super::status::gostkit_status;
use gk::hash::{HashAlg, Hasher};

/// Hash algorithm identifiers, passed as `uint32_t alg` to the `gostkit_hash*` functions.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gostkit_hash_alg {
    /// GOST R 34.11-2012, 256-bit digest (32 bytes).
    Streebog256 = 1,
    /// GOST R 34.11-2012, 512-bit digest (64 bytes).
    Streebog512 = 2,
    /// GOST R 34.11-94 with the CryptoPro parameter set (32 bytes).
    Gost94 = 3,
}

/// Maps a C `alg` value to the library's algorithm; unknown values give `INVALID_ARGUMENT`.
pub(crate) fn hash_alg(alg: u32) -> Result<HashAlg, Failure> {
    const S256: u32 = gostkit_hash_alg::Streebog256 as u32;
    const S512: u32 = gostkit_hash_alg::Streebog512 as u32;
    const G94: u32 = gostkit_hash_alg::Gost94 as u32;
    match alg {
        S256 => Ok(HashAlg::Streebog256),
        S512 => Ok(HashAlg::Streebog512),
        G94 => Ok(HashAlg::Gost94),
        other => Err(Failure::invalid_argument(format!(
            "unknown hash algorithm {other}"
        ))),
    }
}

/// The digest length in bytes of `alg` (a `gostkit_hash_alg` value), or 0 if `alg` is unknown.
#[unsafe(no_mangle)]
pub extern "C" fn gostkit_hash_output_len(alg: u32) -> usize {
    hash_alg(alg).map_or(0, HashAlg::output_len)
}

/// One-shot digest of `data[0..data_len]` with `alg` (a `gostkit_hash_alg` value).
///
/// Output: the digest (32 or 64 bytes, in the byte order the algorithm outputs) goes to
/// `out` under the library's output convention: `*out_len` is the capacity on entry and the
/// digest length on exit; a NULL `out` or a short capacity gives
/// `GOSTKIT_STATUS_BUFFER_TOO_SMALL` with the required size in `*out_len`.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `alg`;
/// `GOSTKIT_STATUS_NULL_ARGUMENT` for a NULL `out_len`, or NULL `data` with `data_len > 0`.
///
/// Ownership: all buffers belong to the caller and are only borrowed during the call.
///
/// # Safety
/// `data` must point to `data_len` readable bytes (or be NULL when `data_len == 0`); `out` must
/// point to `*out_len` writable bytes (or be NULL); `out_len` to a writable `size_t`. `out` must
/// not overlap `data`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hash(
    alg: u32,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        let alg = hash_alg(alg)?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let dst = out.reserve(alg.output_len())?;
        dst.copy_from_slice(&alg.digest(data));
        Ok(())
    }
}

/// A streaming hash state (opaque). Create with `gostkit_hash_new`, free with `gostkit_hash_free`.
/// Not thread-safe: use one context from one thread at a time.
pub struct gostkit_hash_ctx {
    hasher: Hasher,
}

impl BoxHandle for gostkit_hash_ctx {}

/// Creates a streaming hash context for `alg` (a `gostkit_hash_alg` value) and stores it in `*ctx`.
///
/// Ownership: on success the caller owns `*ctx` and must release it with `gostkit_hash_free`.
/// On failure `*ctx` is left unchanged.
///
/// Errors: `GOSTKIT_STATUS_INVALID_ARGUMENT` for an unknown `alg`, `GOSTKIT_STATUS_NULL_ARGUMENT`
/// when `ctx` is NULL.
///
/// # Safety
/// `ctx` must be NULL or point to a writable `gostkit_hash_ctx *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hash_new(
    alg: u32,
    ctx: *mut *mut gostkit_hash_ctx,
) -> gostkit_status {
    ffi_status! {
        check_null!(ctx);
        let hasher = hash_alg(alg)?.hasher();
        // SAFETY: `ctx` is non-NULL and writable per the caller contract.
        unsafe { gostkit_hash_ctx { hasher }.into_out(ctx) }
    }
}

/// Absorbs `data[0..data_len]` into `ctx`.
///
/// Ownership: `ctx` and `data` stay the caller's; `data` is only read during the call.
///
/// # Safety
/// `ctx` must be a live context from `gostkit_hash_new`, not used concurrently; `data` must point
/// to `data_len` readable bytes (or be NULL when `data_len == 0`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hash_update(
    ctx: *mut gostkit_hash_ctx,
    data: *const u8,
    data_len: usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_hash_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        ctx.hasher.update(data);
        Ok(())
    }
}

/// Writes the digest of everything absorbed so far to `out` and resets `ctx` to a fresh state of
/// the same algorithm (so it can be reused). Output convention as for `gostkit_hash`: when `out`
/// is NULL or too small the call returns `GOSTKIT_STATUS_BUFFER_TOO_SMALL`, sets `*out_len` to the
/// digest length and leaves `ctx` untouched, so it can be retried.
///
/// Ownership: `ctx` stays the caller's (still to be freed with `gostkit_hash_free`); `out` is
/// the caller's buffer.
///
/// # Safety
/// `ctx` must be a live context from `gostkit_hash_new`, not used concurrently; `out` must point
/// to `*out_len` writable bytes (or be NULL); `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hash_finish(
    ctx: *mut gostkit_hash_ctx,
    out: *mut u8,
    out_len: *mut usize,
) -> gostkit_status {
    ffi_status! {
        // SAFETY: caller contract above.
        let ctx = unsafe { gostkit_hash_ctx::borrow_mut(ctx, "ctx") }?;
        // SAFETY: caller contract above.
        let out = unsafe { Output::new(out, out_len) }?;
        let alg = ctx.hasher.alg();
        let dst = out.reserve(alg.output_len())?;
        let done = core::mem::replace(&mut ctx.hasher, alg.hasher());
        dst.copy_from_slice(&done.finalize());
        Ok(())
    }
}

/// Frees a context from `gostkit_hash_new`. `gostkit_hash_free(NULL)` does nothing.
///
/// Ownership: takes back ownership of `ctx`; it must not be used afterwards.
///
/// # Safety
/// `ctx` must be NULL or a live context from `gostkit_hash_new` not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn gostkit_hash_free(ctx: *mut gostkit_hash_ctx) {
    // SAFETY: caller contract above.
    super::panic::ffi_value!((), unsafe { gostkit_hash_ctx::free(ctx) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Streaming through the C ABI with arbitrary splits equals the one-shot C call and the
        /// Rust API.
        #[test]
        fn streaming_equals_one_shot(
            data in proptest::collection::vec(any::<u8>(), 0..600),
            cuts in proptest::collection::vec(0usize..600, 0..6),
            alg in 1u32..=3,
        ) {
            let mut one = [0u8; 64];
            let mut one_len = one.len();
            // SAFETY: live local buffers with the lengths passed.
            let st = unsafe { gostkit_hash(alg, data.as_ptr(), data.len(), one.as_mut_ptr(), &mut one_len) };
            prop_assert_eq!(st, gostkit_status::Ok);
            let expected = hash_alg(alg).map(|a| a.digest(&data)).ok();
            prop_assert_eq!(Some(&one[..one_len]), expected.as_deref());

            let mut ctx: *mut gostkit_hash_ctx = core::ptr::null_mut();
            // SAFETY: `ctx` is a live local out-pointer.
            prop_assert_eq!(unsafe { gostkit_hash_new(alg, &mut ctx) }, gostkit_status::Ok);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut start = 0;
            for end in cuts.into_iter().chain([data.len()]) {
                let piece = &data[start..end];
                // SAFETY: `ctx` is live; `piece` is a live slice.
                let st = unsafe { gostkit_hash_update(ctx, piece.as_ptr(), piece.len()) };
                prop_assert_eq!(st, gostkit_status::Ok);
                start = end;
            }
            let mut streamed = [0u8; 64];
            let mut s_len = streamed.len();
            // SAFETY: `ctx` is live; local buffers with the lengths passed.
            let st = unsafe { gostkit_hash_finish(ctx, streamed.as_mut_ptr(), &mut s_len) };
            // SAFETY: `ctx` came from gostkit_hash_new and is not used afterwards.
            unsafe { gostkit_hash_free(ctx) };
            prop_assert_eq!(st, gostkit_status::Ok);
            prop_assert_eq!(&streamed[..s_len], &one[..one_len]);
        }
    }
}
