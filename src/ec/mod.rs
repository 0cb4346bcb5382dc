//! GOST R 34.10-2012 (RFC 7091) and GOST R 34.10-2001 (RFC 5832) elliptic-curve signatures and the
//! VKO key agreements (RFC 7836 §4.3, RFC 4357 §5.2) on every standard parameter set.
//!
//! Layers: [`params`] (the parameter table), `field` (constant-time Montgomery arithmetic),
//! `point` (complete projective formulas and scalar multiplication), [`sign`] (keys, signatures),
//! [`vko`] (key agreement). Secret scalars never steer a branch or a memory index.

mod drbg;
pub(crate) mod edwards;
pub mod error;
pub(crate) mod field;
pub mod keys;
pub mod params;
pub(crate) mod point;
pub mod sign;
pub mod vko;

pub use error::EcError;
pub use keys::{AgreeKey, SignDigest, Signature, VkoAlg};
pub use params::{CurveId, CurveParams, EdwardsParams, ParamSet};
pub use sign::{SigningKey, VerifyingKey};
pub use vko::{vko_2001, vko_2012_256, vko_2012_512};

#[cfg(test)]
mod tests;

#[cfg(test)]
mod ct_tests;
