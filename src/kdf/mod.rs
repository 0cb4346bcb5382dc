//! Key derivation: KDF_GOSTR3411_2012_256 and KDF_TREE_GOSTR3411_2012_256 (RFC 7836 §4.5 and
//! §4.4, R 50.1.113-2016) and PBKDF2 with HMAC-Streebog-512 (R 50.1.111-2016 / RFC 9337).
//!
//! The two RFC 7836 KDFs are a few lines around HMAC_GOSTR3411_2012_256, written here because
//! no crate provides them; PBKDF2 is the RustCrypto `pbkdf2` crate.

use zeroize::{Zeroize, Zeroizing};

use crate::error::CryptoError;

use crate::mac::HmacStreebog256;

/// KDF_GOSTR3411_2012_256 (RFC 7836 §4.5):
/// `HMAC_GOSTR3411_2012_256(key, 0x01 | label | 0x00 | seed | 0x01 | 0x00)`.
///
/// Any key, label and seed length is accepted (HMAC takes any key); the protocol fixes them.
/// The derived key is zeroized when dropped.
pub fn kdf_gostr3411_2012_256(key: &[u8], label: &[u8], seed: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut m = HmacStreebog256::new(key);
    m.update(&[0x01]);
    m.update(label);
    m.update(&[0x00]);
    m.update(seed);
    m.update(&[0x01, 0x00]);
    Zeroizing::new(m.finalize())
}

/// KDF_TREE_GOSTR3411_2012_256 (RFC 7836 §4.4): fills `out` with
/// `K(1) | K(2) | ...`, `K(i) = HMAC_GOSTR3411_2012_256(key, [i]_b | label | 0x00 | seed | [L]_b)`,
/// where `[i]_b` is `i` big-endian in `r` bytes and `[L]_b` is `L = out.len() * 8` (bits)
/// big-endian without leading zero bytes. A last partial block is truncated.
///
/// # Errors
/// [`CryptoError::InvalidParameter`] when `r` is not 1..=4, or `out` is empty or longer than
/// the `256 * (2^(8r) - 1)` bits the counter can address.
pub fn kdf_tree_gostr3411_2012_256(
    key: &[u8],
    label: &[u8],
    seed: &[u8],
    r: usize,
    out: &mut [u8],
) -> Result<(), CryptoError> {
    const ALG: &str = "KDF_TREE_GOSTR3411_2012_256";
    if !(1..=4).contains(&r) {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "counter size R must be 1, 2, 3 or 4 bytes",
        });
    }
    if out.is_empty() {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "output length must be at least 1 byte",
        });
    }
    // Number of 32-byte blocks needed; must fit the R-byte counter (i runs from 1).
    let blocks = out.len().div_ceil(32) as u64;
    let max_blocks = (1u64 << (8 * r as u32)) - 1;
    if blocks > max_blocks {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "output longer than 256*(2^(8R)-1) bits",
        });
    }
    // L in bits; out.len() <= 32 * (2^32 - 1) here, so L < 2^40 and fits u64.
    let l_bits = (out.len() as u64) * 8;
    let l_be = l_bits.to_be_bytes();
    let skip = l_be.iter().take_while(|&&b| b == 0).count();
    let l_enc = l_be.get(skip..).unwrap_or(&[]);

    let base = HmacStreebog256::new(key);
    for (i, chunk) in (1u64..).zip(out.chunks_mut(32)) {
        let ctr = i.to_be_bytes();
        let mut m = base.clone();
        m.update(ctr.get(8 - r..).unwrap_or(&[]));
        m.update(label);
        m.update(&[0x00]);
        m.update(seed);
        m.update(l_enc);
        let mut k = m.finalize();
        chunk.copy_from_slice(k.get(..chunk.len()).unwrap_or(&[]));
        k.zeroize();
    }
    Ok(())
}

/// PBKDF2 (RFC 8018 §5.2) with HMAC_GOSTR3411_2012_512 as the PRF, as R 50.1.111-2016 /
/// RFC 9337 specify; fills `out` (dkLen = `out.len()`).
///
/// # Errors
/// [`CryptoError::InvalidParameter`] when `iterations == 0` or `out` is empty.
pub fn pbkdf2_streebog512(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<(), CryptoError> {
    const ALG: &str = "PBKDF2-HMAC-Streebog512";
    if iterations == 0 {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "iteration count must be at least 1",
        });
    }
    if out.is_empty() {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "output length must be at least 1 byte",
        });
    }
    // RFC 8018 limits dkLen to (2^32 - 1) * hLen; the crate's block counter is a u32.
    if out.len().div_ceil(64) as u64 > u64::from(u32::MAX) {
        return Err(CryptoError::InvalidParameter {
            alg: ALG,
            detail: "output longer than (2^32-1)*64 bytes",
        });
    }
    pbkdf2::pbkdf2::<hmac::Hmac<streebog::Streebog512>>(password, salt, iterations, out).map_err(
        |_| CryptoError::InvalidParameter {
            alg: ALG,
            detail: "password rejected by the PRF",
        },
    )
}
