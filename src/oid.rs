//! Every GOST object identifier gostkit knows, named once (TC26 registry, RFC 4357, RFC 4491,
//! RFC 9215, R 1323565.1.024-2019, R 1323565.1.025-2019). `const-oid` carries none of them, so
//! they are declared here as [`ObjectIdentifier`] constants.

pub use const_oid::ObjectIdentifier;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

// ---- Digests and HMACs ----

/// GOST R 34.11-2012 256-bit (Streebog-256), id-tc26-digest-gost3411-12-256.
pub const STREEBOG_256: ObjectIdentifier = oid("1.2.643.7.1.1.2.2");
/// GOST R 34.11-2012 512-bit (Streebog-512), id-tc26-digest-gost3411-12-512.
pub const STREEBOG_512: ObjectIdentifier = oid("1.2.643.7.1.1.2.3");
/// GOST R 34.11-94, id-GostR3411-94.
pub const GOSTR3411_94: ObjectIdentifier = oid("1.2.643.2.2.9");
/// HMAC-GOSTR3411-2012-256.
pub const HMAC_STREEBOG_256: ObjectIdentifier = oid("1.2.643.7.1.1.4.1");
/// HMAC-GOSTR3411-2012-512.
pub const HMAC_STREEBOG_512: ObjectIdentifier = oid("1.2.643.7.1.1.4.2");

// ---- Public-key algorithms (SubjectPublicKeyInfo / PKCS#8 algorithm) ----

/// id-GostR3410-2001 (RFC 4491 §2.3.2).
pub const GOSTR3410_2001: ObjectIdentifier = oid("1.2.643.2.2.19");
/// id-tc26-gost3410-12-256 (RFC 9215 §3).
pub const GOSTR3410_2012_256: ObjectIdentifier = oid("1.2.643.7.1.1.1.1");
/// id-tc26-gost3410-12-512 (RFC 9215 §3).
pub const GOSTR3410_2012_512: ObjectIdentifier = oid("1.2.643.7.1.1.1.2");

// ---- Signature algorithms ----

/// id-tc26-signwithdigest-gost3410-12-256 (RFC 9215 §2.2).
pub const SIGN_WITH_STREEBOG_256: ObjectIdentifier = oid("1.2.643.7.1.1.3.2");
/// id-tc26-signwithdigest-gost3410-12-512 (RFC 9215 §2.2).
pub const SIGN_WITH_STREEBOG_512: ObjectIdentifier = oid("1.2.643.7.1.1.3.3");
/// id-GostR3411-94-with-GostR3410-2001 (RFC 4491 §2.2.2).
pub const SIGN_GOSTR3411_94_WITH_GOSTR3410_2001: ObjectIdentifier = oid("1.2.643.2.2.3");

// ---- Digest and cipher parameter sets (AlgorithmIdentifier parameters) ----

/// id-GostR3411-94-CryptoProParamSet (RFC 4357 §11.2): the digestParamSet of 2001 keys.
pub const GOSTR3411_94_CRYPTOPRO_PARAMSET: ObjectIdentifier = oid("1.2.643.2.2.30.1");
/// id-Gost28147-89-CryptoPro-A-ParamSet (RFC 4357 §11.2): the DEFAULT encryptionParamSet.
pub const GOST28147_CRYPTOPRO_A_PARAMSET: ObjectIdentifier = oid("1.2.643.2.2.31.1");

// ---- Curve (public-key) parameter sets ----

/// id-GostR3410-2001-TestParamSet (RFC 4357 §11.4; GOST R 34.10-2012 example 1 curve).
pub const CURVE_2001_TEST: ObjectIdentifier = oid("1.2.643.2.2.35.0");
/// id-GostR3410-2001-CryptoPro-A-ParamSet (RFC 4357 §11.4).
pub const CURVE_CRYPTOPRO_A: ObjectIdentifier = oid("1.2.643.2.2.35.1");
/// id-GostR3410-2001-CryptoPro-B-ParamSet (RFC 4357 §11.4).
pub const CURVE_CRYPTOPRO_B: ObjectIdentifier = oid("1.2.643.2.2.35.2");
/// id-GostR3410-2001-CryptoPro-C-ParamSet (RFC 4357 §11.4).
pub const CURVE_CRYPTOPRO_C: ObjectIdentifier = oid("1.2.643.2.2.35.3");
/// id-GostR3410-2001-CryptoPro-XchA-ParamSet (RFC 4357 §11.4; same curve as CryptoPro-A).
pub const CURVE_CRYPTOPRO_XCHA: ObjectIdentifier = oid("1.2.643.2.2.36.0");
/// id-GostR3410-2001-CryptoPro-XchB-ParamSet (RFC 4357 §11.4; same curve as CryptoPro-C).
pub const CURVE_CRYPTOPRO_XCHB: ObjectIdentifier = oid("1.2.643.2.2.36.1");
/// id-tc26-gost-3410-12-256-paramSetA (RFC 7836 / R 1323565.1.024-2019; twisted Edwards).
pub const CURVE_TC26_256_A: ObjectIdentifier = oid("1.2.643.7.1.2.1.1.1");
/// id-tc26-gost-3410-12-256-paramSetB (same curve as CryptoPro-A).
pub const CURVE_TC26_256_B: ObjectIdentifier = oid("1.2.643.7.1.2.1.1.2");
/// id-tc26-gost-3410-12-256-paramSetC (same curve as CryptoPro-B).
pub const CURVE_TC26_256_C: ObjectIdentifier = oid("1.2.643.7.1.2.1.1.3");
/// id-tc26-gost-3410-12-256-paramSetD (same curve as CryptoPro-C).
pub const CURVE_TC26_256_D: ObjectIdentifier = oid("1.2.643.7.1.2.1.1.4");
/// id-tc26-gost-3410-12-512-paramSetTest (GOST R 34.10-2012 example 2 curve).
pub const CURVE_TC26_512_TEST: ObjectIdentifier = oid("1.2.643.7.1.2.1.2.0");
/// id-tc26-gost-3410-12-512-paramSetA.
pub const CURVE_TC26_512_A: ObjectIdentifier = oid("1.2.643.7.1.2.1.2.1");
/// id-tc26-gost-3410-12-512-paramSetB.
pub const CURVE_TC26_512_B: ObjectIdentifier = oid("1.2.643.7.1.2.1.2.2");
/// id-tc26-gost-3410-12-512-paramSetC (twisted Edwards).
pub const CURVE_TC26_512_C: ObjectIdentifier = oid("1.2.643.7.1.2.1.2.3");

/// The 256-bit parameter sets inherited from GOST R 34.10-2001 (RFC 4357), usable by 2001 and
/// 2012-256 keys.
pub const CURVES_2001: [ObjectIdentifier; 6] = [
    CURVE_2001_TEST,
    CURVE_CRYPTOPRO_A,
    CURVE_CRYPTOPRO_B,
    CURVE_CRYPTOPRO_C,
    CURVE_CRYPTOPRO_XCHA,
    CURVE_CRYPTOPRO_XCHB,
];
/// The TC26 256-bit parameter sets (2012-256 keys only).
pub const CURVES_TC26_256: [ObjectIdentifier; 4] = [
    CURVE_TC26_256_A,
    CURVE_TC26_256_B,
    CURVE_TC26_256_C,
    CURVE_TC26_256_D,
];
/// The TC26 512-bit parameter sets (2012-512 keys only).
pub const CURVES_TC26_512: [ObjectIdentifier; 4] = [
    CURVE_TC26_512_TEST,
    CURVE_TC26_512_A,
    CURVE_TC26_512_B,
    CURVE_TC26_512_C,
];

// ---- Name attributes (RFC 5280 Appendix A, and the Russian qualified-certificate ones of
// Order 795 of the FSB / 63-FZ as registered under 1.2.643.100 and 1.2.643.3.131) ----

/// commonName.
pub const ATTR_CN: ObjectIdentifier = oid("2.5.4.3");
/// surname.
pub const ATTR_SURNAME: ObjectIdentifier = oid("2.5.4.4");
/// countryName.
pub const ATTR_COUNTRY: ObjectIdentifier = oid("2.5.4.6");
/// localityName.
pub const ATTR_LOCALITY: ObjectIdentifier = oid("2.5.4.7");
/// stateOrProvinceName.
pub const ATTR_STATE: ObjectIdentifier = oid("2.5.4.8");
/// streetAddress.
pub const ATTR_STREET: ObjectIdentifier = oid("2.5.4.9");
/// organizationName.
pub const ATTR_ORG: ObjectIdentifier = oid("2.5.4.10");
/// organizationalUnitName.
pub const ATTR_ORG_UNIT: ObjectIdentifier = oid("2.5.4.11");
/// title.
pub const ATTR_TITLE: ObjectIdentifier = oid("2.5.4.12");
/// givenName.
pub const ATTR_GIVEN_NAME: ObjectIdentifier = oid("2.5.4.42");
/// emailAddress (PKCS #9).
pub const ATTR_EMAIL: ObjectIdentifier = oid("1.2.840.113549.1.9.1");
/// INN: taxpayer number of a person (12 digits), or legacy 00-padded legal-entity INN.
pub const ATTR_INN: ObjectIdentifier = oid("1.2.643.3.131.1.1");
/// INNLE: taxpayer number of a legal entity (10 digits).
pub const ATTR_INNLE: ObjectIdentifier = oid("1.2.643.100.4");
/// OGRN: primary state registration number of a legal entity (13 digits).
pub const ATTR_OGRN: ObjectIdentifier = oid("1.2.643.100.1");
/// OGRNIP: registration number of an individual entrepreneur (15 digits).
pub const ATTR_OGRNIP: ObjectIdentifier = oid("1.2.643.100.5");
/// SNILS: insurance account number (11 digits).
pub const ATTR_SNILS: ObjectIdentifier = oid("1.2.643.100.3");

// ---- Certificate extensions of the Russian qualified-certificate profile ----

/// subjectSignTool (UTF8String): the subject's signature tool.
pub const EXT_SUBJECT_SIGN_TOOL: ObjectIdentifier = oid("1.2.643.100.111");
/// issuerSignTool (SEQUENCE of four UTF8Strings): the issuer's tools and their certificates.
pub const EXT_ISSUER_SIGN_TOOL: ObjectIdentifier = oid("1.2.643.100.112");
/// IdentificationKind (INTEGER): how the subject was identified.
pub const EXT_IDENTIFICATION_KIND: ObjectIdentifier = oid("1.2.643.100.114");
/// Signature-tool class policies KC1, KC2, KC3, KB1, KB2, KA1 (1.2.643.100.113.1–6).
pub const POLICY_CLASSES: [(&str, ObjectIdentifier); 6] = [
    ("KC1", oid("1.2.643.100.113.1")),
    ("KC2", oid("1.2.643.100.113.2")),
    ("KC3", oid("1.2.643.100.113.3")),
    ("KB1", oid("1.2.643.100.113.4")),
    ("KB2", oid("1.2.643.100.113.5")),
    ("KA1", oid("1.2.643.100.113.6")),
];

// ---- CMS (RFC 5652, RFC 5035) ----

/// id-data.
pub const CMS_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.1");
/// id-signedData.
pub const CMS_SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
/// id-envelopedData.
pub const CMS_ENVELOPED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.3");
/// id-digestedData.
pub const CMS_DIGESTED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.5");
/// id-encryptedData.
pub const CMS_ENCRYPTED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.6");
/// contentType attribute.
pub const ATTR_CONTENT_TYPE: ObjectIdentifier = oid("1.2.840.113549.1.9.3");
/// messageDigest attribute.
pub const ATTR_MESSAGE_DIGEST: ObjectIdentifier = oid("1.2.840.113549.1.9.4");
/// signingTime attribute.
pub const ATTR_SIGNING_TIME: ObjectIdentifier = oid("1.2.840.113549.1.9.5");
/// id-aa-signingCertificateV2 (RFC 5035 §3).
pub const ATTR_SIGNING_CERTIFICATE_V2: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.47");
/// id-aa-signingCertificate (RFC 2634 §5.4, ESSCertID with a SHA-1 hash).
pub const ATTR_SIGNING_CERTIFICATE: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.12");
/// id-aa-signatureTimeStampToken (RFC 3161 Appendix A, ETSI EN 319 122-1 §5.3): an unsigned
/// attribute holding a time-stamp token over a signer's signature value (CAdES-T).
pub const ATTR_SIGNATURE_TIME_STAMP: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.14");

// ---- Time-stamps (RFC 3161, RFC 5816) ----

/// id-ct-TSTInfo: the eContentType of a time-stamp token.
pub const CT_TST_INFO: ObjectIdentifier = oid("1.2.840.113549.1.9.16.1.4");
/// id-kp-timeStamping (RFC 5280 §4.2.1.12): the only purpose of a TSA certificate.
pub const KP_TIME_STAMPING: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.8");

// ---- Content and key encryption for CMS (R 1323565.1.025-2019, RFC 4490) ----

/// id-gostr3412-2015-magma-ctracpkm.
pub const MAGMA_CTR_ACPKM: ObjectIdentifier = oid("1.2.643.7.1.1.5.1.1");
/// id-gostr3412-2015-magma-ctracpkm-omac.
pub const MAGMA_CTR_ACPKM_OMAC: ObjectIdentifier = oid("1.2.643.7.1.1.5.1.2");
/// id-gostr3412-2015-kuznyechik-ctracpkm.
pub const KUZNYECHIK_CTR_ACPKM: ObjectIdentifier = oid("1.2.643.7.1.1.5.2.1");
/// id-gostr3412-2015-kuznyechik-ctracpkm-omac.
pub const KUZNYECHIK_CTR_ACPKM_OMAC: ObjectIdentifier = oid("1.2.643.7.1.1.5.2.2");
/// id-Gost28147-89 (RFC 4357 §10.3): GOST 28147-89 content encryption (CFB, key meshing).
pub const GOST28147_89: ObjectIdentifier = oid("1.2.643.2.2.21");
/// id-gostr3412-2015-magma-wrap-kexp15.
pub const MAGMA_KEXP15: ObjectIdentifier = oid("1.2.643.7.1.1.7.1.1");
/// id-gostr3412-2015-kuznyechik-wrap-kexp15.
pub const KUZNYECHIK_KEXP15: ObjectIdentifier = oid("1.2.643.7.1.1.7.2.1");
/// id-tc26-agreement-gost-3410-12-256.
pub const AGREEMENT_2012_256: ObjectIdentifier = oid("1.2.643.7.1.1.6.1");
/// id-tc26-agreement-gost-3410-12-512.
pub const AGREEMENT_2012_512: ObjectIdentifier = oid("1.2.643.7.1.1.6.2");
/// The unprotected attribute carrying the content MAC of the -omac ciphers.
pub const ATTR_CONTENT_MAC: ObjectIdentifier = oid("1.2.643.7.1.0.6.1.1");
/// id-Gost28147-89-CryptoPro-B-ParamSet.
pub const GOST28147_CRYPTOPRO_B_PARAMSET: ObjectIdentifier = oid("1.2.643.2.2.31.2");
/// id-Gost28147-89-CryptoPro-C-ParamSet.
pub const GOST28147_CRYPTOPRO_C_PARAMSET: ObjectIdentifier = oid("1.2.643.2.2.31.3");
/// id-Gost28147-89-CryptoPro-D-ParamSet.
pub const GOST28147_CRYPTOPRO_D_PARAMSET: ObjectIdentifier = oid("1.2.643.2.2.31.4");
/// id-tc26-gost-28147-param-Z.
pub const GOST28147_TC26_Z_PARAMSET: ObjectIdentifier = oid("1.2.643.7.1.2.5.1.1");

// ---- Password-based encryption (RFC 8018 PBES2) ----

/// id-PBES2.
pub const PBES2: ObjectIdentifier = oid("1.2.840.113549.1.5.13");
/// id-PBKDF2.
pub const PBKDF2: ObjectIdentifier = oid("1.2.840.113549.1.5.12");
/// hmacWithSHA1 (the PBKDF2 default PRF).
pub const HMAC_SHA1: ObjectIdentifier = oid("1.2.840.113549.2.7");
/// hmacWithSHA256.
pub const HMAC_SHA256: ObjectIdentifier = oid("1.2.840.113549.2.9");
/// aes128-CBC.
pub const AES128_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.2");
/// aes192-CBC.
pub const AES192_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.22");
/// aes256-CBC.
pub const AES256_CBC: ObjectIdentifier = oid("2.16.840.1.101.3.4.1.42");

// ---- PKCS #12 (RFC 7292, RFC 9548) ----

/// pkcs8ShroudedKeyBag.
pub const P12_SHROUDED_KEY_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.2");
/// keyBag (unencrypted PKCS#8).
pub const P12_KEY_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.1");
/// certBag.
pub const P12_CERT_BAG: ObjectIdentifier = oid("1.2.840.113549.1.12.10.1.3");
/// x509Certificate (certBag type).
pub const P12_X509_CERT: ObjectIdentifier = oid("1.2.840.113549.1.9.22.1");
/// localKeyId attribute.
pub const P12_LOCAL_KEY_ID: ObjectIdentifier = oid("1.2.840.113549.1.9.21");
/// PKCS #9 friendlyName (§5.5.1), a PKCS #12 bag attribute.
pub const P12_FRIENDLY_NAME: ObjectIdentifier = oid("1.2.840.113549.1.9.20");
/// pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 Appendix C).
pub const P12_PBE_SHA1_3DES: ObjectIdentifier = oid("1.2.840.113549.1.12.1.3");
/// The key-bag PBE of CryptoPro CSP's PFX export, parameters SEQUENCE { salt, rounds } (an OID
/// under pkcs-12PbeIds that RFC 7292 does not define).
pub const CRYPTOPRO_PFX_KEY_PBE: ObjectIdentifier = oid("1.2.840.113549.1.12.1.80");
/// SHA-256.
pub const SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
/// SHA-1.
pub const SHA1: ObjectIdentifier = oid("1.3.14.3.2.26");
