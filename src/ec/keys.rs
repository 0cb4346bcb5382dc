//! Keys as traits: what PKI, CMS, PFX and TLS need from a private key, so that a key held in
//! memory ([`SigningKey`]), in a CryptoPro container or on a PKCS#11 token plugs in alike.
//!
//! - [`SignDigest`]: the parameter set, the public key, and a GOST R 34.10-2012 signature of a
//!   digest computed by the caller (GOST R 34.10-2012 §6.1; the digest is the Streebog hash of
//!   the message, read as a little-endian integer).
//! - [`AgreeKey`]: VKO (RFC 7836 §4.3, RFC 4357 §5.2) with a peer public key and UKM, returning
//!   the zeroized key-encryption key; KEG, the RFC 4490 wrap and the TLS key exchange are built
//!   on it.
//!
//! [`Signature`] is the typed `s || r` value (RFC 4491 §2.2.2 byte order); the RustCrypto
//! `signature` traits (`Signer`, `Verifier`, the prehash variants, `Keypair`) are implemented for
//! [`SigningKey`] and [`VerifyingKey`].

use zeroize::Zeroizing;

use super::error::EcError;
use super::params::ParamSet;
use super::sign::{SigningKey, VerifyingKey};
use super::vko;
use crate::hash::{Streebog256, Streebog512};

/// A GOST R 34.10-2012 signature `s || r`, each big-endian, 64 bytes (256-bit keys) or 128
/// bytes (512-bit keys): exactly the bytes of an X.509 or CMS signature value.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    len: usize,
    bytes: [u8; 128],
}

impl Signature {
    /// A signature from its encoding; only the two GOST lengths (64, 128) are accepted.
    pub fn from_slice(sig: &[u8]) -> Result<Self, EcError> {
        if sig.len() != 64 && sig.len() != 128 {
            return Err(EcError::InvalidLength {
                what: "signature",
                expected: 64,
                got: sig.len(),
            });
        }
        let mut bytes = [0u8; 128];
        bytes[..sig.len()].copy_from_slice(sig);
        Ok(Self {
            len: sig.len(),
            bytes,
        })
    }

    /// The encoding `s || r`.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The encoding as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
}

impl core::fmt::Debug for Signature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Signature(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl AsRef<[u8]> for Signature {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl TryFrom<&[u8]> for Signature {
    type Error = signature::Error;
    fn try_from(sig: &[u8]) -> Result<Self, Self::Error> {
        Self::from_slice(sig).map_err(|_| signature::Error::new())
    }
}

impl From<Signature> for Vec<u8> {
    fn from(sig: Signature) -> Self {
        sig.to_vec()
    }
}

impl signature::SignatureEncoding for Signature {
    type Repr = Vec<u8>;
}

/// Which VKO variant derives the key-encryption key (the hash of the shared point).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VkoAlg {
    /// VKO_GOSTR3410_2012_256 (RFC 7836 §4.3.1): Streebog-256, 32 bytes.
    Vko2012_256,
    /// VKO_GOSTR3410_2012_512 (RFC 7836 §4.3.2): Streebog-512, 64 bytes.
    Vko2012_512,
    /// VKO_GOSTR3410_2001 (RFC 4357 §5.2): GOST R 34.11-94, 32 bytes, 8-byte UKM, 256-bit keys.
    Vko2001,
}

impl VkoAlg {
    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Vko2012_512 => 64,
            Self::Vko2012_256 | Self::Vko2001 => 32,
        }
    }
}

/// A private key that signs digests. Implemented by [`SigningKey`]; a token or container key
/// implements it to sign where the key lives.
pub trait SignDigest: Send + Sync {
    /// The parameter set (OID) of the key.
    fn param_set(&self) -> ParamSet;
    /// The public key.
    fn public_key(&self) -> &VerifyingKey;
    /// Signs a digest of the key's size (32 or 64 bytes).
    fn sign_digest(&self, digest: &[u8]) -> Result<Signature, EcError>;

    /// Signs a message hashed with Streebog-256 (256-bit keys) or Streebog-512 (512-bit keys).
    fn sign_message(&self, message: &[u8]) -> Result<Signature, EcError> {
        if self.param_set().bits() == 256 {
            self.sign_digest(&Streebog256::digest(message))
        } else {
            self.sign_digest(&Streebog512::digest(message))
        }
    }
}

/// A private key that performs VKO key agreement. Implemented by [`SigningKey`]; a token or
/// container key implements it to derive where the key lives.
pub trait AgreeKey: Send + Sync {
    /// The parameter set (OID) of the key.
    fn param_set(&self) -> ParamSet;
    /// The public key.
    fn public_key(&self) -> &VerifyingKey;
    /// VKO with `peer` (same curve) and `ukm` (little-endian; 8 bytes for 2001 and the RFC 4490
    /// transport, up to the key size otherwise); returns `alg.output_len()` zeroized bytes.
    fn vko(
        &self,
        alg: VkoAlg,
        peer: &VerifyingKey,
        ukm: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, EcError>;
}

impl SignDigest for SigningKey {
    fn param_set(&self) -> ParamSet {
        SigningKey::param_set(self)
    }
    fn public_key(&self) -> &VerifyingKey {
        self.verifying_key()
    }
    fn sign_digest(&self, digest: &[u8]) -> Result<Signature, EcError> {
        Signature::from_slice(&SigningKey::sign_digest(self, digest)?)
    }
}

impl AgreeKey for SigningKey {
    fn param_set(&self) -> ParamSet {
        SigningKey::param_set(self)
    }
    fn public_key(&self) -> &VerifyingKey {
        self.verifying_key()
    }
    fn vko(
        &self,
        alg: VkoAlg,
        peer: &VerifyingKey,
        ukm: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, EcError> {
        Ok(match alg {
            VkoAlg::Vko2012_256 => Zeroizing::new(vko::vko_2012_256(self, peer, ukm)?.to_vec()),
            VkoAlg::Vko2012_512 => Zeroizing::new(vko::vko_2012_512(self, peer, ukm)?.to_vec()),
            VkoAlg::Vko2001 => Zeroizing::new(vko::vko_2001(self, peer, ukm)?.to_vec()),
        })
    }
}

/// A shared key (a C handle, a token session used by several threads) signs like the key.
impl<T: SignDigest + ?Sized> SignDigest for std::sync::Arc<T> {
    fn param_set(&self) -> ParamSet {
        (**self).param_set()
    }
    fn public_key(&self) -> &VerifyingKey {
        (**self).public_key()
    }
    fn sign_digest(&self, digest: &[u8]) -> Result<Signature, EcError> {
        (**self).sign_digest(digest)
    }
}

/// A shared key derives like the key.
impl<T: AgreeKey + ?Sized> AgreeKey for std::sync::Arc<T> {
    fn param_set(&self) -> ParamSet {
        (**self).param_set()
    }
    fn public_key(&self) -> &VerifyingKey {
        (**self).public_key()
    }
    fn vko(
        &self,
        alg: VkoAlg,
        peer: &VerifyingKey,
        ukm: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, EcError> {
        (**self).vko(alg, peer, ukm)
    }
}

impl signature::Keypair for SigningKey {
    type VerifyingKey = VerifyingKey;
    fn verifying_key(&self) -> VerifyingKey {
        SigningKey::verifying_key(self).clone()
    }
}

impl signature::Signer<Signature> for SigningKey {
    fn try_sign(&self, msg: &[u8]) -> Result<Signature, signature::Error> {
        SignDigest::sign_message(self, msg).map_err(signature::Error::from_source)
    }
}

impl signature::hazmat::PrehashSigner<Signature> for SigningKey {
    fn sign_prehash(&self, prehash: &[u8]) -> Result<Signature, signature::Error> {
        SignDigest::sign_digest(self, prehash).map_err(signature::Error::from_source)
    }
}

impl signature::Verifier<Signature> for VerifyingKey {
    fn verify(&self, msg: &[u8], sig: &Signature) -> Result<(), signature::Error> {
        VerifyingKey::verify(self, msg, sig.as_bytes()).map_err(signature::Error::from_source)
    }
}

impl signature::hazmat::PrehashVerifier<Signature> for VerifyingKey {
    fn verify_prehash(&self, prehash: &[u8], sig: &Signature) -> Result<(), signature::Error> {
        self.verify_digest(prehash, sig.as_bytes())
            .map_err(signature::Error::from_source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use signature::hazmat::{PrehashSigner, PrehashVerifier};
    use signature::{Keypair, Signer, Verifier};

    #[test]
    fn traits_agree_with_inherent_methods() {
        for set in [
            ParamSet::Tc26_256A,
            ParamSet::Tc26_512C,
            ParamSet::CryptoProA,
        ] {
            let key = SigningKey::generate(set).expect("key");
            let sig: Signature = key.try_sign(b"message").expect("sign");
            assert_eq!(sig.as_bytes().len(), set.bits() / 4);
            Verifier::verify(key.verifying_key(), b"message", &sig).expect("verify");
            assert!(Verifier::verify(&Keypair::verifying_key(&key), b"other", &sig).is_err());
            let dyn_key: &dyn SignDigest = &key;
            let digest = vec![7u8; set.bits() / 8];
            let s2 = dyn_key.sign_digest(&digest).expect("sign digest");
            key.verifying_key()
                .verify_prehash(&digest, &s2)
                .expect("prehash verify");
            let s3 = key.sign_prehash(&digest).expect("prehash sign");
            key.verifying_key()
                .verify_digest(&digest, s3.as_bytes())
                .expect("inherent verify");
        }
    }

    #[test]
    fn agreement_through_the_trait_matches_vko() {
        let a = SigningKey::generate(ParamSet::Tc26_256A).expect("a");
        let b = SigningKey::generate(ParamSet::Tc26_256A).expect("b");
        let ukm = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let dyn_a: &dyn AgreeKey = &a;
        let ab = dyn_a
            .vko(VkoAlg::Vko2012_256, b.verifying_key(), &ukm)
            .expect("ab");
        let ba = vko::vko_2012_256(&b, a.verifying_key(), &ukm).expect("ba");
        assert_eq!(ab.as_slice(), ba.as_slice());
        let ab512 = dyn_a
            .vko(VkoAlg::Vko2012_512, b.verifying_key(), &ukm)
            .expect("512");
        assert_eq!(ab512.len(), 64);
        assert!(dyn_a.vko(VkoAlg::Vko2001, b.verifying_key(), &ukm).is_ok());
    }

    #[test]
    fn signature_lengths() {
        assert!(Signature::from_slice(&[0u8; 63]).is_err());
        assert!(Signature::from_slice(&[0u8; 64]).is_ok());
        assert!(Signature::from_slice(&[0u8; 128]).is_ok());
        assert!(Signature::try_from(&[0u8; 0][..]).is_err());
    }
}
