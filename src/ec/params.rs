//! Every standard GOST R 34.10 parameter set: the curves (RFC 4357 §11.4, RFC 7836 Appendix A.2 /
//! R 50.1.114-2016, RFC 7091 / GOST R 34.10-2012 Appendix A for the two test curves) and every OID
//! and name under which they are known.
//!
//! One curve may carry several OIDs (CryptoPro-A = XchA = tc26-256-B, …); a key records the
//! [`ParamSet`] (OID) it was created or read with and reports that one back. The numbers are kept as
//! big-endian hex text, exactly as the documents print them, and parsed once at first use.

/// A distinct elliptic curve (several [`ParamSet`]s may share one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CurveId {
    /// id-GostR3410-2001-TestParamSet: the curve of GOST R 34.10-2012 Appendix A example 1.
    Test256,
    /// CryptoPro-A = XchA = tc26-256-B.
    CryptoProA,
    /// CryptoPro-B = tc26-256-C.
    CryptoProB,
    /// CryptoPro-C = XchB = tc26-256-D.
    CryptoProC,
    /// tc26-256-A: twisted Edwards curve, cofactor 4 (given here in Weierstrass form).
    Tc26_256A,
    /// The 512-bit curve of GOST R 34.10-2012 Appendix A example 2.
    Test512,
    /// tc26-512-A.
    Tc26_512A,
    /// tc26-512-B.
    Tc26_512B,
    /// tc26-512-C: twisted Edwards curve, cofactor 4 (given here in Weierstrass form).
    Tc26_512C,
}

/// The twisted Edwards form `e·u² + v² = 1 + d·u²·v²` of a curve and its base point (u, v)
/// (RFC 7836 Appendix A.2); big-endian hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdwardsParams {
    /// Coefficient e.
    pub e: &'static str,
    /// Coefficient d.
    pub d: &'static str,
    /// Base point u coordinate.
    pub u: &'static str,
    /// Base point v coordinate.
    pub v: &'static str,
}

/// The Weierstrass form `y² = x³ + a·x + b (mod p)` of a curve, its subgroup order q, cofactor
/// m/q and base point (x, y); numbers are big-endian hex as printed by the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurveParams {
    /// Which curve.
    pub id: CurveId,
    /// Size of p and q in bits (256 or 512); coordinates and scalars take `bits / 8` bytes.
    pub bits: usize,
    /// Field prime p.
    pub p: &'static str,
    /// Coefficient a.
    pub a: &'static str,
    /// Coefficient b.
    pub b: &'static str,
    /// Prime order q of the base point.
    pub q: &'static str,
    /// Cofactor m/q (1 or 4).
    pub cofactor: u32,
    /// Base point x.
    pub x: &'static str,
    /// Base point y.
    pub y: &'static str,
    /// Twisted Edwards form, for tc26-256-A and tc26-512-C.
    pub edwards: Option<EdwardsParams>,
}

impl CurveId {
    /// Every curve.
    pub const ALL: [CurveId; 9] = [
        CurveId::Test256,
        CurveId::CryptoProA,
        CurveId::CryptoProB,
        CurveId::CryptoProC,
        CurveId::Tc26_256A,
        CurveId::Test512,
        CurveId::Tc26_512A,
        CurveId::Tc26_512B,
        CurveId::Tc26_512C,
    ];

    /// The curve's parameters.
    pub fn params(self) -> &'static CurveParams {
        match self {
            CurveId::Test256 => &TEST_256,
            CurveId::CryptoProA => &CRYPTOPRO_A,
            CurveId::CryptoProB => &CRYPTOPRO_B,
            CurveId::CryptoProC => &CRYPTOPRO_C,
            CurveId::Tc26_256A => &TC26_256_A,
            CurveId::Test512 => &TEST_512,
            CurveId::Tc26_512A => &TC26_512_A,
            CurveId::Tc26_512B => &TC26_512_B,
            CurveId::Tc26_512C => &TC26_512_C,
        }
    }

    /// Coordinate / scalar size in bytes (32 or 64).
    pub fn size(self) -> usize {
        self.params().bits / 8
    }

    pub(crate) fn index(self) -> usize {
        match self {
            CurveId::Test256 => 0,
            CurveId::CryptoProA => 1,
            CurveId::CryptoProB => 2,
            CurveId::CryptoProC => 3,
            CurveId::Tc26_256A => 4,
            CurveId::Test512 => 5,
            CurveId::Tc26_512A => 6,
            CurveId::Tc26_512B => 7,
            CurveId::Tc26_512C => 8,
        }
    }
}

// RFC 4357 §11.4 / RFC 7091 Appendix A.1 (GOST R 34.10-2012 example 1).
const TEST_256: CurveParams = CurveParams {
    id: CurveId::Test256,
    bits: 256,
    p: "8000000000000000000000000000000000000000000000000000000000000431",
    a: "0000000000000000000000000000000000000000000000000000000000000007",
    b: "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E",
    q: "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3",
    cofactor: 1,
    x: "0000000000000000000000000000000000000000000000000000000000000002",
    y: "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8",
    edwards: None,
};

// RFC 4357 §11.4, id-GostR3410-2001-CryptoPro-A-ParamSet.
const CRYPTOPRO_A: CurveParams = CurveParams {
    id: CurveId::CryptoProA,
    bits: 256,
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
    a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94",
    b: "00000000000000000000000000000000000000000000000000000000000000A6",
    q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
    cofactor: 1,
    x: "0000000000000000000000000000000000000000000000000000000000000001",
    y: "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
    edwards: None,
};

// RFC 4357 §11.4, id-GostR3410-2001-CryptoPro-B-ParamSet.
const CRYPTOPRO_B: CurveParams = CurveParams {
    id: CurveId::CryptoProB,
    bits: 256,
    p: "8000000000000000000000000000000000000000000000000000000000000C99",
    a: "8000000000000000000000000000000000000000000000000000000000000C96",
    b: "3E1AF419A269A5F866A7D3C25C3DF80AE979259373FF2B182F49D4CE7E1BBC8B",
    q: "800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F",
    cofactor: 1,
    x: "0000000000000000000000000000000000000000000000000000000000000001",
    y: "3FA8124359F96680B83D1C3EB2C070E5C545C9858D03ECFB744BF8D717717EFC",
    edwards: None,
};

// RFC 4357 §11.4, id-GostR3410-2001-CryptoPro-C-ParamSet.
const CRYPTOPRO_C: CurveParams = CurveParams {
    id: CurveId::CryptoProC,
    bits: 256,
    p: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B",
    a: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D7598",
    b: "000000000000000000000000000000000000000000000000000000000000805A",
    q: "9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9",
    cofactor: 1,
    x: "0000000000000000000000000000000000000000000000000000000000000000",
    y: "41ECE55743711A8C3CBF3783CD08C0EE4D4DC440D4641A8F366E550DFDB3BB67",
    edwards: None,
};

// RFC 7836 Appendix A.2 (R 50.1.114-2016), id-tc26-gost-3410-2012-256-paramSetA.
const TC26_256_A: CurveParams = CurveParams {
    id: CurveId::Tc26_256A,
    bits: 256,
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
    a: "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335",
    b: "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513",
    q: "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67",
    cofactor: 4,
    x: "91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28",
    y: "32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C",
    edwards: Some(EdwardsParams {
        e: "0000000000000000000000000000000000000000000000000000000000000001",
        d: "0605F6B7C183FA81578BC39CFAD518132B9DF62897009AF7E522C32D6DC7BFFB",
        u: "000000000000000000000000000000000000000000000000000000000000000D",
        v: "60CA1E32AA475B348488C38FAB07649CE7EF8DBE87F22E81F92B2592DBA300E7",
    }),
};

// RFC 7091 Appendix A.2 (GOST R 34.10-2012 example 2): the 512-bit test curve.
const TEST_512: CurveParams = CurveParams {
    id: CurveId::Test512,
    bits: 512,
    p: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D\
        F1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373",
    a: "0000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000000000000000000000000000000000007",
    b: "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC43\
        61834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC",
    q: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15D\
        A82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF",
    cofactor: 1,
    x: "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762\
        FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A",
    y: "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C\
        83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E",
    edwards: None,
};

// RFC 7836 Appendix A.2 (R 50.1.114-2016), id-tc26-gost-3410-12-512-paramSetA.
const TC26_512_A: CurveParams = CurveParams {
    id: CurveId::Tc26_512A,
    bits: 512,
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
        FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
    a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
        FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4",
    b: "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265\
        EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760",
    q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
        27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275",
    cofactor: 1,
    x: "0000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000000000000000000000000000000000003",
    y: "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921\
        DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4",
    edwards: None,
};

// RFC 7836 Appendix A.2 (R 50.1.114-2016), id-tc26-gost-3410-12-512-paramSetB.
const TC26_512_B: CurveParams = CurveParams {
    id: CurveId::Tc26_512B,
    bits: 512,
    p: "8000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000006F",
    a: "8000000000000000000000000000000000000000000000000000000000000000\
        000000000000000000000000000000000000000000000000000000000000006C",
    b: "687D1B459DC841457E3E06CF6F5E2517B97C7D614AF138BCBF85DC806C4B289F\
        3E965D2DB1416D217F8B276FAD1AB69C50F78BEE1FA3106EFB8CCBC7C5140116",
    q: "8000000000000000000000000000000000000000000000000000000000000001\
        49A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD",
    cofactor: 1,
    x: "0000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000000000000000000000000000000000002",
    y: "1A8F7EDA389B094C2C071E3647A8940F3C123B697578C213BE6DD9E6C8EC7335\
        DCB228FD1EDF4A39152CBCAAF8C0398828041055F94CEEEC7E21340780FE41BD",
    edwards: None,
};

// RFC 7836 Appendix A.2 (R 50.1.114-2016), id-tc26-gost-3410-2012-512-paramSetC.
const TC26_512_C: CurveParams = CurveParams {
    id: CurveId::Tc26_512C,
    bits: 512,
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
        FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
    a: "DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E1430645\
        46E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3",
    b: "B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE0\
        38CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1",
    q: "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\
        C98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED",
    cofactor: 4,
    x: "E2E31EDFC23DE7BDEBE241CE593EF5DE2295B7A9CBAEF021D385F7074CEA043A\
        A27272A7AE602BF2A7B9033DB9ED3610C6FB85487EAE97AAC5BC7928C1950148",
    y: "F5CE40D95B5EB899ABBCCFF5911CB8577939804D6527378B8C108C3D2090FF9B\
        E18E2D33E3021ED2EF32D85822423B6304F726AA854BAE07D0396E9A9ADDC40F",
    edwards: Some(EdwardsParams {
        e: "0000000000000000000000000000000000000000000000000000000000000000\
            0000000000000000000000000000000000000000000000000000000000000001",
        d: "9E4F5D8C017D8D9F13A5CF3CDF5BFE4DAB402D54198E31EBDE28A0621050439C\
            A6B39E0A515C06B304E2CE43E79E369E91A0CFC2BC2A22B4CA302DBB33EE7550",
        u: "0000000000000000000000000000000000000000000000000000000000000000\
            0000000000000000000000000000000000000000000000000000000000000012",
        v: "469AF79D1FB1F5E16B99592B77A01E2A0FDFB0D01794368D9A56117F7B386695\
            22DD4B650CF789EEBF068C5D139732F0905622C04B2BAAE7600303EE73001A3D",
    }),
};

/// A parameter set as named by one OID: a curve plus the identity under which it was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamSet {
    /// id-GostR3410-2001-TestParamSet, 1.2.643.2.2.35.0.
    Test256,
    /// id-GostR3410-2001-CryptoPro-A-ParamSet, 1.2.643.2.2.35.1.
    CryptoProA,
    /// id-GostR3410-2001-CryptoPro-B-ParamSet, 1.2.643.2.2.35.2.
    CryptoProB,
    /// id-GostR3410-2001-CryptoPro-C-ParamSet, 1.2.643.2.2.35.3.
    CryptoProC,
    /// id-GostR3410-2001-CryptoPro-XchA-ParamSet, 1.2.643.2.2.36.0.
    CryptoProXchA,
    /// id-GostR3410-2001-CryptoPro-XchB-ParamSet, 1.2.643.2.2.36.1.
    CryptoProXchB,
    /// id-tc26-gost-3410-2012-256-paramSetA, 1.2.643.7.1.2.1.1.1.
    Tc26_256A,
    /// id-tc26-gost-3410-2012-256-paramSetB, 1.2.643.7.1.2.1.1.2.
    Tc26_256B,
    /// id-tc26-gost-3410-2012-256-paramSetC, 1.2.643.7.1.2.1.1.3.
    Tc26_256C,
    /// id-tc26-gost-3410-2012-256-paramSetD, 1.2.643.7.1.2.1.1.4.
    Tc26_256D,
    /// id-tc26-gost-3410-2012-512-paramSetTest, 1.2.643.7.1.2.1.2.0.
    Test512,
    /// id-tc26-gost-3410-12-512-paramSetA, 1.2.643.7.1.2.1.2.1.
    Tc26_512A,
    /// id-tc26-gost-3410-12-512-paramSetB, 1.2.643.7.1.2.1.2.2.
    Tc26_512B,
    /// id-tc26-gost-3410-2012-512-paramSetC, 1.2.643.7.1.2.1.2.3.
    Tc26_512C,
}

struct SetInfo {
    set: ParamSet,
    oid: &'static str,
    name: &'static str,
    cli: Option<&'static str>,
    curve: CurveId,
}

const SETS: [SetInfo; 14] = [
    SetInfo {
        set: ParamSet::Test256,
        oid: "1.2.643.2.2.35.0",
        name: "id-GostR3410-2001-TestParamSet",
        cli: None,
        curve: CurveId::Test256,
    },
    SetInfo {
        set: ParamSet::CryptoProA,
        oid: "1.2.643.2.2.35.1",
        name: "id-GostR3410-2001-CryptoPro-A-ParamSet",
        cli: Some("cryptopro-a"),
        curve: CurveId::CryptoProA,
    },
    SetInfo {
        set: ParamSet::CryptoProB,
        oid: "1.2.643.2.2.35.2",
        name: "id-GostR3410-2001-CryptoPro-B-ParamSet",
        cli: Some("cryptopro-b"),
        curve: CurveId::CryptoProB,
    },
    SetInfo {
        set: ParamSet::CryptoProC,
        oid: "1.2.643.2.2.35.3",
        name: "id-GostR3410-2001-CryptoPro-C-ParamSet",
        cli: Some("cryptopro-c"),
        curve: CurveId::CryptoProC,
    },
    SetInfo {
        set: ParamSet::CryptoProXchA,
        oid: "1.2.643.2.2.36.0",
        name: "id-GostR3410-2001-CryptoPro-XchA-ParamSet",
        cli: Some("cryptopro-xcha"),
        curve: CurveId::CryptoProA,
    },
    SetInfo {
        set: ParamSet::CryptoProXchB,
        oid: "1.2.643.2.2.36.1",
        name: "id-GostR3410-2001-CryptoPro-XchB-ParamSet",
        cli: Some("cryptopro-xchb"),
        curve: CurveId::CryptoProC,
    },
    SetInfo {
        set: ParamSet::Tc26_256A,
        oid: "1.2.643.7.1.2.1.1.1",
        name: "id-tc26-gost-3410-2012-256-paramSetA",
        cli: Some("tc26-256-a"),
        curve: CurveId::Tc26_256A,
    },
    SetInfo {
        set: ParamSet::Tc26_256B,
        oid: "1.2.643.7.1.2.1.1.2",
        name: "id-tc26-gost-3410-2012-256-paramSetB",
        cli: Some("tc26-256-b"),
        curve: CurveId::CryptoProA,
    },
    SetInfo {
        set: ParamSet::Tc26_256C,
        oid: "1.2.643.7.1.2.1.1.3",
        name: "id-tc26-gost-3410-2012-256-paramSetC",
        cli: Some("tc26-256-c"),
        curve: CurveId::CryptoProB,
    },
    SetInfo {
        set: ParamSet::Tc26_256D,
        oid: "1.2.643.7.1.2.1.1.4",
        name: "id-tc26-gost-3410-2012-256-paramSetD",
        cli: Some("tc26-256-d"),
        curve: CurveId::CryptoProC,
    },
    SetInfo {
        set: ParamSet::Test512,
        oid: "1.2.643.7.1.2.1.2.0",
        name: "id-tc26-gost-3410-2012-512-paramSetTest",
        cli: None,
        curve: CurveId::Test512,
    },
    SetInfo {
        set: ParamSet::Tc26_512A,
        oid: "1.2.643.7.1.2.1.2.1",
        name: "id-tc26-gost-3410-12-512-paramSetA",
        cli: Some("tc26-512-a"),
        curve: CurveId::Tc26_512A,
    },
    SetInfo {
        set: ParamSet::Tc26_512B,
        oid: "1.2.643.7.1.2.1.2.2",
        name: "id-tc26-gost-3410-12-512-paramSetB",
        cli: Some("tc26-512-b"),
        curve: CurveId::Tc26_512B,
    },
    SetInfo {
        set: ParamSet::Tc26_512C,
        oid: "1.2.643.7.1.2.1.2.3",
        name: "id-tc26-gost-3410-2012-512-paramSetC",
        cli: Some("tc26-512-c"),
        curve: CurveId::Tc26_512C,
    },
];

impl ParamSet {
    /// Every parameter set, in OID order.
    pub const ALL: [ParamSet; 14] = [
        ParamSet::Test256,
        ParamSet::CryptoProA,
        ParamSet::CryptoProB,
        ParamSet::CryptoProC,
        ParamSet::CryptoProXchA,
        ParamSet::CryptoProXchB,
        ParamSet::Tc26_256A,
        ParamSet::Tc26_256B,
        ParamSet::Tc26_256C,
        ParamSet::Tc26_256D,
        ParamSet::Test512,
        ParamSet::Tc26_512A,
        ParamSet::Tc26_512B,
        ParamSet::Tc26_512C,
    ];

    fn info(self) -> &'static SetInfo {
        // SETS is in the order of ALL; the match keeps this total without indexing by value.
        let i = match self {
            ParamSet::Test256 => 0,
            ParamSet::CryptoProA => 1,
            ParamSet::CryptoProB => 2,
            ParamSet::CryptoProC => 3,
            ParamSet::CryptoProXchA => 4,
            ParamSet::CryptoProXchB => 5,
            ParamSet::Tc26_256A => 6,
            ParamSet::Tc26_256B => 7,
            ParamSet::Tc26_256C => 8,
            ParamSet::Tc26_256D => 9,
            ParamSet::Test512 => 10,
            ParamSet::Tc26_512A => 11,
            ParamSet::Tc26_512B => 12,
            ParamSet::Tc26_512C => 13,
        };
        &SETS[i]
    }

    /// The dotted OID.
    pub fn oid(self) -> &'static str {
        self.info().oid
    }

    /// The ASN.1 name (e.g. `id-tc26-gost-3410-2012-256-paramSetA`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The command-line name (`tc26-256-a`, `cryptopro-xcha`, …); `None` for the two test sets.
    pub fn cli_name(self) -> Option<&'static str> {
        self.info().cli
    }

    /// The curve of this parameter set.
    pub fn curve(self) -> CurveId {
        self.info().curve
    }

    /// The curve's parameters.
    pub fn params(self) -> &'static CurveParams {
        self.curve().params()
    }

    /// Key size in bits (256 or 512).
    pub fn bits(self) -> usize {
        self.params().bits
    }

    /// Looks a parameter set up by dotted OID.
    pub fn from_oid(oid: &str) -> Option<Self> {
        SETS.iter().find(|s| s.oid == oid).map(|s| s.set)
    }

    /// Looks a parameter set up by command-line name or ASN.1 name (ASCII case-insensitive).
    pub fn from_name(name: &str) -> Option<Self> {
        SETS.iter()
            .find(|s| {
                s.name.eq_ignore_ascii_case(name)
                    || s.cli.is_some_and(|c| c.eq_ignore_ascii_case(name))
            })
            .map(|s| s.set)
    }
}

impl core::fmt::Display for ParamSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
