//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz), kept in the library so that the seed
//! corpora also run as ordinary tests (`tests/fuzz_corpus.rs`). Each must return for any input
//! without panicking; a panic is a finding. Not part of the stable API.

use crate::asn1::{GostPrivateKey, GostPublicKey, pem};

/// SubjectPublicKeyInfo (PEM or DER): parse, check on the curve, and re-encode; what was
/// accepted once must be accepted again after re-encoding.
pub fn spki(data: &[u8]) {
    if let Ok(key) = GostPublicKey::decode(data) {
        let _ = key.to_verifying_key();
        if let Ok(der) = key.to_der() {
            assert!(
                GostPublicKey::from_der(&der).is_ok(),
                "re-encoded SPKI rejected"
            );
        }
    }
}

/// PKCS#8 private key (PEM or DER, every form gostkit reads): parse, unmask/check against the
/// curve, and re-encode.
pub fn pkcs8(data: &[u8]) {
    if let Ok(key) = GostPrivateKey::decode(data) {
        let _ = key.to_signing_key();
        if let Ok(der) = key.to_der() {
            assert!(
                GostPrivateKey::from_der(&der).is_ok(),
                "re-encoded PKCS#8 rejected"
            );
        }
    }
}

/// The tolerant PEM reader, under the labels gostkit reads.
pub fn pem(data: &[u8]) {
    for label in ["PRIVATE KEY", "PUBLIC KEY", "CERTIFICATE", "CMS"] {
        if let Ok(der) = pem::decode_any(data, label) {
            assert!(der.len() <= data.len(), "PEM decoding grew the input");
        }
    }
}

/// A fuzz target body.
pub type Target = fn(&[u8]);

/// Every target by name, for the corpus test.
pub const TARGETS: &[(&str, Target)] = &[("spki", spki), ("pkcs8", pkcs8), ("pem", pem)];
