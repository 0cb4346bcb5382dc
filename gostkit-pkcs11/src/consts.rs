//! The TC26 vendor constants and the DER parameter OIDs of the GOST key objects.
//!
//! Values of the TC26 technical specification "PKCS#11 extensions for implementing the GOST R
//! 34.10-2012 and GOST R 34.11-2012 Russian standards" (TC 026, 2016): the vendor range
//! `NSSCK_VENDOR_PKCS11_RU_TEAM = CKA_VENDOR_DEFINED | 0x54321000 = 0xD4321000`, with the offsets
//! below. Cross-checked against the headers OpenSC (`src/pkcs11/pkcs11.h`) and the Rutoken SDK
//! publish, which agree. The PKCS#11 v2.40 values (`CKK_GOSTR3410 = 0x30`, `CKM_GOSTR3410 =
//! 0x1201`, `CKA_GOSTR3410_PARAMS = 0x250`, …) come from `cryptoki-sys`.

use cryptoki_sys::{CK_KEY_TYPE, CK_MECHANISM_TYPE, CK_ULONG};

pub use cryptoki_sys::{
    CKA_GOST28147_PARAMS, CKA_GOSTR3410_PARAMS, CKA_GOSTR3411_PARAMS, CKK_GOST28147, CKK_GOSTR3410,
    CKM_GOSTR3410, CKM_GOSTR3410_DERIVE, CKM_GOSTR3410_KEY_PAIR_GEN, CKM_GOSTR3410_WITH_GOSTR3411,
    CKM_GOSTR3411,
};

/// `NSSCK_VENDOR_PKCS11_RU_TEAM` (`CK_VENDOR_PKCS11_RU_TEAM_TC26`): 0x80000000 | 0x54321000.
pub const VENDOR_RU_TEAM: CK_ULONG = 0xD432_1000;

/// Key type of GOST R 34.10-2012 512-bit keys.
pub const CKK_GOSTR3410_512: CK_KEY_TYPE = VENDOR_RU_TEAM | 0x003;

/// Key-pair generation, GOST R 34.10-2012 512-bit.
pub const CKM_GOSTR3410_512_KEY_PAIR_GEN: CK_MECHANISM_TYPE = VENDOR_RU_TEAM | 0x005;
/// GOST R 34.10-2012 512-bit signature of a 64-byte digest (no hashing).
pub const CKM_GOSTR3410_512: CK_MECHANISM_TYPE = VENDOR_RU_TEAM | 0x006;
/// VKO GOST R 34.10-2012 key agreement.
pub const CKM_GOSTR3410_12_DERIVE: CK_MECHANISM_TYPE = VENDOR_RU_TEAM | 0x007;
/// GOST R 34.10-2012 256-bit signature with Streebog-256 hashing.
pub const CKM_GOSTR3410_WITH_GOSTR3411_12_256: CK_MECHANISM_TYPE = VENDOR_RU_TEAM | 0x008;
/// GOST R 34.10-2012 512-bit signature with Streebog-512 hashing.
pub const CKM_GOSTR3410_WITH_GOSTR3411_12_512: CK_MECHANISM_TYPE = VENDOR_RU_TEAM | 0x009;
/// Streebog-256 digest.
pub const CKM_GOSTR3411_12_256: CK_MECHANISM_TYPE = VENDOR_RU_TEAM | 0x012;
/// Streebog-512 digest.
pub const CKM_GOSTR3411_12_512: CK_MECHANISM_TYPE = VENDOR_RU_TEAM | 0x013;
/// `CKD_KDF_GOSTR3411_2012_256` (= `CKM_KDF_GOSTR3411_2012_256`): the KDF value of
/// `CK_GOSTR3410_DERIVE_PARAMS.kdf` selecting VKO with Streebog-256.
pub const CKD_KDF_GOSTR3411_2012_256: CK_ULONG = VENDOR_RU_TEAM | 0x026;

/// Dotted OID of Streebog-256 (id-tc26-gost3411-12-256), the CKA_GOSTR3411_PARAMS of 256-bit keys.
pub const OID_STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
/// Dotted OID of Streebog-512 (id-tc26-gost3411-12-512), the CKA_GOSTR3411_PARAMS of 512-bit keys.
pub const OID_STREEBOG_512: &str = "1.2.643.7.1.1.2.3";
/// Dotted OID of the CryptoPro parameters of GOST R 34.11-94 (GOST R 34.10-2001 keys).
pub const OID_GOST94_CRYPTOPRO: &str = "1.2.643.2.2.30.1";

/// DER encoding of a dotted OID (a constant of this crate; never fails for them).
pub fn oid_der(dotted: &str) -> Vec<u8> {
    use der::Encode;
    <der::asn1::ObjectIdentifier>::new(dotted)
        .ok()
        .and_then(|o| o.to_der().ok())
        .unwrap_or_default()
}

/// The dotted form of a DER-encoded OID (an attribute value), if it is one.
pub fn oid_from_der(der_bytes: &[u8]) -> Option<String> {
    use der::Decode;
    <der::asn1::ObjectIdentifier>::from_der(der_bytes)
        .ok()
        .map(|o| o.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tc26_values() {
        assert_eq!(CKK_GOSTR3410_512, 0xD432_1003);
        assert_eq!(CKM_GOSTR3410_512_KEY_PAIR_GEN, 0xD432_1005);
        assert_eq!(CKM_GOSTR3410_512, 0xD432_1006);
        assert_eq!(CKM_GOSTR3410_12_DERIVE, 0xD432_1007);
        assert_eq!(CKM_GOSTR3410_WITH_GOSTR3411_12_256, 0xD432_1008);
        assert_eq!(CKM_GOSTR3410_WITH_GOSTR3411_12_512, 0xD432_1009);
        assert_eq!(CKM_GOSTR3411_12_256, 0xD432_1012);
        assert_eq!(CKM_GOSTR3411_12_512, 0xD432_1013);
        assert_eq!(CKK_GOSTR3410, 0x30);
        assert_eq!(CKM_GOSTR3410_KEY_PAIR_GEN, 0x1200);
        assert_eq!(CKM_GOSTR3410, 0x1201);
        assert_eq!(CKA_GOSTR3410_PARAMS, 0x250);
        assert_eq!(CKA_GOSTR3411_PARAMS, 0x251);
    }

    #[test]
    fn oids_round_trip() {
        let d = oid_der("1.2.643.7.1.2.1.1.1");
        assert_eq!(
            d,
            [
                0x06, 0x09, 0x2A, 0x85, 0x03, 0x07, 0x01, 0x02, 0x01, 0x01, 0x01
            ]
        );
        assert_eq!(oid_from_der(&d).as_deref(), Some("1.2.643.7.1.2.1.1.1"));
        assert_eq!(oid_from_der(&[0x04, 0x00]), None);
    }
}
