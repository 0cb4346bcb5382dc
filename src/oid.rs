//! Every GOST object identifier gostkit knows, named once (TC26 registry, RFC 4357, RFC 9215,
//! R 1323565.1.024-2019, R 1323565.1.025-2019). `const-oid` carries none of them.
//!
//! Kept as dotted strings here; the ASN.1 layer turns them into `ObjectIdentifier`s.

/// GOST R 34.11-2012 256-bit (Streebog-256).
pub const STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
/// GOST R 34.11-2012 512-bit (Streebog-512).
pub const STREEBOG_512: &str = "1.2.643.7.1.1.2.3";
/// GOST R 34.11-94.
pub const GOSTR3411_94: &str = "1.2.643.2.2.9";
/// HMAC-GOSTR3411-2012-256.
pub const HMAC_STREEBOG_256: &str = "1.2.643.7.1.1.4.1";
/// HMAC-GOSTR3411-2012-512.
pub const HMAC_STREEBOG_512: &str = "1.2.643.7.1.1.4.2";
