//! Key algorithms and their AlgorithmIdentifier parameters, shared by SubjectPublicKeyInfo and
//! PKCS#8: `SEQUENCE { publicKeyParamSet, digestParamSet OPTIONAL, encryptionParamSet OPTIONAL }`
//! (RFC 4491 §2.3.2 for GOST R 34.10-2001, RFC 9215 §4.2 for GOST R 34.10-2012).
//!
//! Reading accepts 1, 2 or 3 OIDs for every algorithm. Writing follows RFC 9215 §4.2 (and RFC 4491
//! for 2001 keys): digestParamSet MUST be id-tc26-digest-gost3411-12-256 for the CryptoPro-A/B/C,
//! XchA and XchB sets, MUST be omitted for tc26-256-paramSetB/C/D, SHOULD be omitted for
//! tc26-256-paramSetA and 512-bit keys (gostkit omits it). The 2001 TestParamSet (35.0), which the
//! rule does not list, is treated like the other RFC 4357 sets, as RFC 9215 Appendix A.1 does.
//! gost-engine 3.0.1 writes Streebog-512 as digestParamSet for 512-bit keys; gostkit reads that.
//! Absent or NULL parameters (allowed by RFC 4491 for 2001 keys inheriting them from the issuer)
//! are refused: the key would have no curve.

use const_oid::ObjectIdentifier;
use der::{Any, AnyRef, Decode, Reader, SliceReader, Tag, Tagged};

use super::error::{Asn1Error, Result};
use crate::oid;

/// A GOST R 34.10 public-key algorithm (the AlgorithmIdentifier OID of a key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// GOST R 34.10-2001, id-GostR3410-2001 (256-bit).
    Gost2001,
    /// GOST R 34.10-2012 with a 256-bit key, id-tc26-gost3410-12-256.
    Gost2012_256,
    /// GOST R 34.10-2012 with a 512-bit key, id-tc26-gost3410-12-512.
    Gost2012_512,
}

impl KeyAlgorithm {
    /// The algorithm OID.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Gost2001 => oid::GOSTR3410_2001,
            Self::Gost2012_256 => oid::GOSTR3410_2012_256,
            Self::Gost2012_512 => oid::GOSTR3410_2012_512,
        }
    }

    /// The algorithm of an OID, or [`Asn1Error::UnknownAlgorithm`].
    pub fn from_oid(o: &ObjectIdentifier) -> Result<Self> {
        if *o == oid::GOSTR3410_2001 {
            Ok(Self::Gost2001)
        } else if *o == oid::GOSTR3410_2012_256 {
            Ok(Self::Gost2012_256)
        } else if *o == oid::GOSTR3410_2012_512 {
            Ok(Self::Gost2012_512)
        } else {
            Err(Asn1Error::UnknownAlgorithm(*o))
        }
    }

    /// Short name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Gost2001 => "GOST R 34.10-2001",
            Self::Gost2012_256 => "GOST R 34.10-2012-256",
            Self::Gost2012_512 => "GOST R 34.10-2012-512",
        }
    }

    /// Size in bytes of a scalar and of one coordinate: 32 or 64.
    pub fn scalar_len(self) -> usize {
        match self {
            Self::Gost2001 | Self::Gost2012_256 => 32,
            Self::Gost2012_512 => 64,
        }
    }

    /// Size in bytes of the public key X||Y: 64 or 128.
    pub fn point_len(self) -> usize {
        2 * self.scalar_len()
    }

    /// Whether `param_set` names a curve this algorithm may use: the RFC 4357 sets
    /// (1.2.643.2.2.35.x, 36.x) for 2001 and 2012-256 keys, the TC26 256-bit sets for 2012-256,
    /// the TC26 512-bit sets for 2012-512.
    pub fn allows_param_set(self, param_set: &ObjectIdentifier) -> bool {
        match self {
            Self::Gost2001 => oid::CURVES_2001.contains(param_set),
            Self::Gost2012_256 => {
                oid::CURVES_2001.contains(param_set) || oid::CURVES_TC26_256.contains(param_set)
            }
            Self::Gost2012_512 => oid::CURVES_TC26_512.contains(param_set),
        }
    }
}

/// The decoded algorithm and parameters of a GOST key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyParams {
    pub algorithm: KeyAlgorithm,
    pub param_set: ObjectIdentifier,
    pub digest_param_set: Option<ObjectIdentifier>,
    pub encryption_param_set: Option<ObjectIdentifier>,
}

impl KeyParams {
    /// Checks the parameter set against the algorithm.
    pub fn check(&self) -> Result<()> {
        if self.algorithm.allows_param_set(&self.param_set) {
            Ok(())
        } else {
            Err(Asn1Error::UnknownParamSet {
                algorithm: self.algorithm.name(),
                oid: self.param_set,
            })
        }
    }

    /// Reads the algorithm OID and its parameters (a SEQUENCE of 1 to 3 OIDs; the second is the
    /// digestParamSet and the third the encryptionParamSet, as in both ASN.1 definitions).
    pub fn decode(alg_oid: &ObjectIdentifier, params: Option<AnyRef<'_>>) -> Result<Self> {
        let algorithm = KeyAlgorithm::from_oid(alg_oid)?;
        let params = params.ok_or(Asn1Error::BadParameters("parameters are absent"))?;
        if params.tag() != Tag::Sequence {
            return Err(Asn1Error::BadParameters("parameters are not a SEQUENCE"));
        }
        let mut reader = SliceReader::new(params.value())?;
        let mut oids: [Option<ObjectIdentifier>; 3] = [None; 3];
        let mut n = 0;
        while !reader.is_finished() {
            let slot = oids
                .get_mut(n)
                .ok_or(Asn1Error::BadParameters("more than 3 OIDs"))?;
            *slot = Some(ObjectIdentifier::decode(&mut reader)?);
            n += 1;
        }
        let [param_set, digest_param_set, encryption_param_set] = oids;
        let param_set = param_set.ok_or(Asn1Error::BadParameters("empty SEQUENCE"))?;
        let kp = Self {
            algorithm,
            param_set,
            digest_param_set,
            encryption_param_set,
        };
        kp.check()?;
        Ok(kp)
    }

    /// The digestParamSet written for this key, per RFC 9215 §4.2 and RFC 4491 §2.3.2:
    /// - 2001 keys: always present (RFC 4491 makes it mandatory): the stored value, or
    ///   id-GostR3411-94-CryptoProParamSet when none is stored;
    /// - 2012-256 keys on an RFC 4357 curve (1.2.643.2.2.35.x / 36.x): id-tc26-digest-gost3411-12-256
    ///   (RFC 9215: MUST be present for these sets);
    /// - 2012 keys on a TC26 curve: absent (RFC 9215: MUST be omitted for 256-paramSetB/C/D,
    ///   SHOULD be omitted for 256-paramSetA and the 512-bit sets).
    pub fn digest_to_write(&self) -> Option<ObjectIdentifier> {
        match self.algorithm {
            KeyAlgorithm::Gost2001 => Some(
                self.digest_param_set
                    .unwrap_or(oid::GOSTR3411_94_CRYPTOPRO_PARAMSET),
            ),
            KeyAlgorithm::Gost2012_256 if oid::CURVES_2001.contains(&self.param_set) => {
                Some(oid::STREEBOG_256)
            }
            _ => None,
        }
    }

    /// The encryptionParamSet written: only for 2001 keys (the 2012 structure has no such field),
    /// and omitted when it equals its DEFAULT id-Gost28147-89-CryptoPro-A-ParamSet (DER).
    pub fn encryption_to_write(&self) -> Option<ObjectIdentifier> {
        match (self.algorithm, self.encryption_param_set) {
            (KeyAlgorithm::Gost2001, Some(e)) if e != oid::GOST28147_CRYPTOPRO_A_PARAMSET => {
                Some(e)
            }
            _ => None,
        }
    }

    /// Encodes the parameters SEQUENCE as written by RFC 9215 / RFC 4491 (see
    /// [`Self::digest_to_write`] and [`Self::encryption_to_write`]).
    pub fn encode(&self) -> Result<Any> {
        self.check()?;
        let mut oids = vec![self.param_set];
        if let Some(d) = self.digest_to_write() {
            oids.push(d);
            if let Some(e) = self.encryption_to_write() {
                oids.push(e);
            }
        }
        Ok(Any::encode_from(&oids)?)
    }
}
