//! VKO key agreement: VKO_GOSTR3410_2012_256 / _512 (RFC 7836 §4.3.1–4.3.2, R 50.1.113-2016) and
//! VKO_GOSTR3410_2001 (RFC 4357 §5.2).
//!
//! K = ((m/q)·UKM·x mod q)·(y·P); the result is the hash (Streebog-256, Streebog-512 or
//! GOST R 34.11-94 with CryptoPro parameters) of LE(K.x) || LE(K.y). UKM is read little-endian;
//! a UKM of 0 is taken as 1, as RFC 4357 prescribes. The peer key was validated (on the curve, in
//! the subgroup) when it was read.

use zeroize::{Zeroize, Zeroizing};

use super::error::EcError;
use super::field::limbs_from_le;
use super::point::{Curve, with_curve};
use super::sign::{SigningKey, VerifyingKey, decode_point};
use crate::hash::{Gost94, Streebog256, Streebog512};

fn shared_point<const N: usize>(
    c: &Curve<N>,
    d_le: &[u8],
    peer_xy: &[u8],
    ukm_le: &[u8],
) -> Result<Zeroizing<[u8; 128]>, EcError> {
    let fq = &c.fq;
    let mut ukm_bytes = [0u8; 64];
    ukm_bytes[..ukm_le.len()].copy_from_slice(ukm_le);
    let mut ukm = fq.reduce(&limbs_from_le::<N>(&ukm_bytes[..8 * N]));
    if ukm.iter().all(|w| *w == 0) {
        // UKM is public
        ukm[0] = 1;
    }
    let mut d = limbs_from_le::<N>(&d_le[..8 * N]);
    let mut dm = fq.to_mont(&d);
    let t = fq.mul(&fq.mul(&dm, &fq.to_mont(&ukm)), &fq.small(c.cofactor));
    let mut scalar = fq.retrieve(&t);
    let peer = decode_point(c, peer_xy)?;
    let mut k = c.mul_secret(&c.lift(&peer), &scalar);
    let (a, ident) = c.to_affine(&k);
    d.zeroize();
    dm.zeroize();
    scalar.zeroize();
    k.zeroize();
    if bool::from(ident) {
        return Err(EcError::InvalidPublicKey {
            reason: "shared point is the identity",
        });
    }
    let mut out = Zeroizing::new([0u8; 128]);
    super::field::limbs_to_le(&c.fp.retrieve(&a.x), &mut out[..8 * N]);
    super::field::limbs_to_le(&c.fp.retrieve(&a.y), &mut out[8 * N..16 * N]);
    Ok(out)
}

fn agree(key: &SigningKey, peer: &VerifyingKey, ukm: &[u8]) -> Result<Zeroizing<Vec<u8>>, EcError> {
    let set = key.param_set();
    if set.curve() != peer.param_set().curve() {
        return Err(EcError::UnsupportedParamSet {
            what: "the two keys are on different curves",
        });
    }
    let size = set.params().bits / 8;
    if ukm.is_empty() || ukm.len() > size {
        return Err(EcError::InvalidLength {
            what: "UKM",
            expected: 8,
            got: ukm.len(),
        });
    }
    let k = with_curve!(set.curve(), |c| shared_point(
        c,
        key.d_le(),
        peer.as_bytes(),
        ukm
    ))?;
    Ok(Zeroizing::new(k[..2 * size].to_vec()))
}

/// VKO_GOSTR3410_2012_256 (RFC 7836 §4.3.1): a 256-bit key from our private key, the peer's public
/// key (same curve) and UKM (1 to key-size bytes, little-endian; usually 8).
pub fn vko_2012_256(
    key: &SigningKey,
    peer: &VerifyingKey,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 32]>, EcError> {
    let k = agree(key, peer, ukm)?;
    Ok(Zeroizing::new(Streebog256::digest(&k)))
}

/// VKO_GOSTR3410_2012_512 (RFC 7836 §4.3.2): a 512-bit key; arguments as [`vko_2012_256`].
pub fn vko_2012_512(
    key: &SigningKey,
    peer: &VerifyingKey,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 64]>, EcError> {
    let k = agree(key, peer, ukm)?;
    Ok(Zeroizing::new(Streebog512::digest(&k)))
}

/// VKO_GOSTR3410_2001 (RFC 4357 §5.2): the key-encryption key from a 256-bit key pair and an
/// 8-byte UKM, hashed with GOST R 34.11-94 (CryptoPro parameters).
pub fn vko_2001(
    key: &SigningKey,
    peer: &VerifyingKey,
    ukm: &[u8],
) -> Result<Zeroizing<[u8; 32]>, EcError> {
    if key.param_set().bits() != 256 {
        return Err(EcError::UnsupportedParamSet {
            what: "VKO GOST R 34.10-2001 needs a 256-bit parameter set",
        });
    }
    if ukm.len() != 8 {
        return Err(EcError::InvalidLength {
            what: "UKM",
            expected: 8,
            got: ukm.len(),
        });
    }
    let k = agree(key, peer, ukm)?;
    Ok(Zeroizing::new(Gost94::digest(&k)))
}
