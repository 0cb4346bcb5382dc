//! Distinguished names with the Russian attributes (RFC 5280 §4.1.2.4, RFC 4514, and the
//! qualified-certificate attributes INN, INNLE, OGRN, OGRNIP, SNILS): RFC 4514 strings, typed
//! identifiers, and building a name from the command line's `/CN=…/INN=…` syntax.
//!
//! Hand-written: `x509-cert` prints unknown attribute types as OIDs and has no constructor for
//! NumericString values; the short names and string types here are the ones `CLI.md` fixes.

use const_oid::ObjectIdentifier;
use der::asn1::{Any, Ia5StringRef, PrintableStringRef, SetOfVec, Utf8StringRef};
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

use super::error::{Result, X509Error};
use crate::oid;

/// How an attribute's value is written when gostkit builds a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Utf8,
    Printable,
    Ia5,
    /// NumericString of one of the given lengths.
    Numeric(&'static [usize]),
}

/// Short name, OID and string type of every attribute gostkit names.
const ATTRIBUTES: [(&str, ObjectIdentifier, Kind); 16] = [
    ("CN", oid::ATTR_CN, Kind::Utf8),
    ("SN", oid::ATTR_SURNAME, Kind::Utf8),
    ("GN", oid::ATTR_GIVEN_NAME, Kind::Utf8),
    ("T", oid::ATTR_TITLE, Kind::Utf8),
    ("O", oid::ATTR_ORG, Kind::Utf8),
    ("OU", oid::ATTR_ORG_UNIT, Kind::Utf8),
    ("L", oid::ATTR_LOCALITY, Kind::Utf8),
    ("ST", oid::ATTR_STATE, Kind::Utf8),
    ("C", oid::ATTR_COUNTRY, Kind::Printable),
    ("STREET", oid::ATTR_STREET, Kind::Utf8),
    ("E", oid::ATTR_EMAIL, Kind::Ia5),
    ("INN", oid::ATTR_INN, Kind::Numeric(&[10, 12])),
    ("INNLE", oid::ATTR_INNLE, Kind::Numeric(&[10])),
    ("OGRN", oid::ATTR_OGRN, Kind::Numeric(&[13])),
    ("OGRNIP", oid::ATTR_OGRNIP, Kind::Numeric(&[15])),
    ("SNILS", oid::ATTR_SNILS, Kind::Numeric(&[11])),
];

/// The short name gostkit uses for an attribute type, if it has one.
pub fn short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    ATTRIBUTES
        .iter()
        .find(|(_, o, _)| o == oid)
        .map(|(n, _, _)| *n)
}

/// The text of a DirectoryString-like value (UTF8String, PrintableString, NumericString,
/// IA5String, TeletexString read as Latin-1, BMPString as UTF-16BE), or None for other types.
pub fn value_text(value: &Any) -> Option<String> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::NumericString
        | Tag::Ia5String
        | Tag::VisibleString => core::str::from_utf8(bytes).ok().map(str::to_owned),
        Tag::TeletexString => Some(bytes.iter().map(|&b| b as char).collect()),
        Tag::BmpString => {
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| c.iter().fold(0u16, |u, &b| u << 8 | u16::from(b)))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// Every attribute of the name in encoding order (first RDN first), as (name, value): the short
/// name or the dotted OID, and the text or `#hex` of the DER value.
pub fn attributes(name: &Name) -> Vec<(String, String)> {
    name.iter()
        .map(|atv| {
            let key = short_name(&atv.oid).map_or_else(|| atv.oid.to_string(), str::to_owned);
            let val = value_text(&atv.value).unwrap_or_else(|| hex_value(&atv.value));
            (key, val)
        })
        .collect()
}

fn hex_value(value: &Any) -> String {
    let der = value.to_der().unwrap_or_default();
    let mut s = String::from("#");
    for b in der {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// RFC 4514 §2.4 escaping of an attribute value.
fn escape(v: &str, out: &mut String) {
    let n = v.chars().count();
    for (i, c) in v.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == '#' || c == ' '))
            || (i + 1 == n && c == ' ');
        if special {
            out.push('\\');
        }
        if c == '\0' {
            out.push_str("\\00");
        } else {
            out.push(c);
        }
    }
}

/// The RFC 4514 string of a name: RDNs from last to first, joined by `,`; attributes of a
/// multi-valued RDN joined by `+`; known types by short name, others as `OID=#hex`.
pub fn to_rfc4514(name: &Name) -> String {
    let rdns: Vec<&RelativeDistinguishedName> = name.iter_rdn().collect();
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match (short_name(&atv.oid), value_text(&atv.value)) {
                (Some(n), Some(v)) => {
                    out.push_str(n);
                    out.push('=');
                    escape(&v, &mut out);
                }
                _ => {
                    out.push_str(&atv.oid.to_string());
                    out.push('=');
                    out.push_str(&hex_value(&atv.value));
                }
            }
        }
    }
    out
}

/// RFC 5280 §7.1 name matching (RFC 4518 simplified): same RDN structure and attribute types;
/// string values equal after trimming, collapsing inner whitespace and case folding, whatever
/// string type encodes them (CAs re-encode PrintableString as UTF8String); other values by DER.
pub fn names_match(a: &Name, b: &Name) -> bool {
    if a == b {
        return true;
    }
    let (ra, rb): (Vec<_>, Vec<_>) = (a.iter_rdn().collect(), b.iter_rdn().collect());
    if ra.len() != rb.len() {
        return false;
    }
    let norm = |v: &Any| -> Option<String> {
        value_text(v).map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
    };
    ra.iter().zip(&rb).all(|(x, y)| {
        x.len() == y.len()
            && x.iter().all(|ax| {
                y.iter().any(|ay| {
                    ax.oid == ay.oid
                        && match (norm(&ax.value), norm(&ay.value)) {
                            (Some(p), Some(q)) => p == q,
                            _ => ax.value == ay.value,
                        }
                })
            })
    })
}

/// The Russian identifiers found in a name, each checked for its digits and length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RussianIds {
    /// INN of a person (12 digits).
    pub inn: Option<String>,
    /// INN of a legal entity (10 digits): from INNLE, or from a legacy INN attribute holding
    /// "00" followed by the 10-digit legal-entity INN (or the bare 10 digits) when INNLE is absent.
    pub innle: Option<String>,
    /// OGRN (13 digits).
    pub ogrn: Option<String>,
    /// OGRNIP (15 digits).
    pub ogrnip: Option<String>,
    /// SNILS (11 digits).
    pub snils: Option<String>,
}

fn digits(v: &str, lens: &[usize]) -> bool {
    lens.contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
}

fn first_text(name: &Name, oid: &ObjectIdentifier) -> Option<String> {
    name.iter()
        .find(|atv| atv.oid == *oid)
        .and_then(|atv| value_text(&atv.value))
        .map(|v| v.trim().to_owned())
}

/// The Russian identifiers present in a name (INN, INNLE, OGRN, OGRNIP, SNILS, each the first
/// of its type, as written) with whether their check digits are right ([`super::ru_ids`]), in
/// that order. A 12-digit INN starting `00` is checked as the padded legal-entity INN it is.
pub fn id_checks(name: &Name) -> Vec<(&'static str, String, bool)> {
    [
        ("INN", oid::ATTR_INN),
        ("INNLE", oid::ATTR_INNLE),
        ("OGRN", oid::ATTR_OGRN),
        ("OGRNIP", oid::ATTR_OGRNIP),
        ("SNILS", oid::ATTR_SNILS),
    ]
    .into_iter()
    .filter_map(|(n, o)| {
        first_text(name, &o).map(|v| {
            let ok = super::ru_ids::check_digits_valid(n, &v);
            (n, v, ok)
        })
    })
    .collect()
}

/// The values of every attribute of type `key` in the name, in encoding order: `key` is a short
/// name (`CN`, `INN`…), an alias (`G`, `SURNAME`…) or a dotted OID, case-insensitive; each value
/// is its text, or `#hex` of its DER when it is not a string. Unknown names are an error.
pub fn attribute_values(name: &Name, key: &str) -> Result<Vec<String>> {
    let (oid, _, _) = attribute_of(key)?;
    Ok(name
        .iter()
        .filter(|atv| atv.oid == oid)
        .map(|atv| value_text(&atv.value).unwrap_or_else(|| hex_value(&atv.value)))
        .collect())
}

impl RussianIds {
    /// Reads the identifiers of a name; values with wrong digits or length are left out.
    pub fn of(name: &Name) -> Self {
        let get = |oid, lens: &[usize]| first_text(name, &oid).filter(|v| digits(v, lens));
        let mut ids = Self {
            inn: None,
            innle: get(oid::ATTR_INNLE, &[10]),
            ogrn: get(oid::ATTR_OGRN, &[13]),
            ogrnip: get(oid::ATTR_OGRNIP, &[15]),
            snils: get(oid::ATTR_SNILS, &[11]),
        };
        if let Some(inn) = get(oid::ATTR_INN, &[10, 12]) {
            // Before INNLE existed a legal entity's 10-digit INN was written in the INN
            // attribute, padded to 12 digits with "00" (or left at 10 digits).
            let legacy = if inn.len() == 10 {
                Some(inn.clone())
            } else {
                inn.strip_prefix("00").map(str::to_owned)
            };
            match legacy {
                Some(le) => {
                    if ids.innle.is_none() {
                        ids.innle = Some(le);
                    }
                }
                None => ids.inn = Some(inn),
            }
        }
        ids
    }
}

fn string_value(kind: Kind, v: &str, what: &str) -> Result<Any> {
    let bad = |_| X509Error::Invalid("attribute value");
    let any = match kind {
        Kind::Utf8 => Any::encode_from(&Utf8StringRef::new(v).map_err(bad)?),
        Kind::Printable => {
            if what == "C" && v.len() != 2 {
                return Err(X509Error::Invalid("C must be two letters"));
            }
            Any::encode_from(&PrintableStringRef::new(v).map_err(bad)?)
        }
        Kind::Ia5 => Any::encode_from(&Ia5StringRef::new(v).map_err(bad)?),
        Kind::Numeric(lens) => {
            if !digits(v, lens) {
                return Err(X509Error::Invalid(match what {
                    "INN" => "INN must be 10 or 12 digits",
                    "INNLE" => "INNLE must be 10 digits",
                    "OGRN" => "OGRN must be 13 digits",
                    "OGRNIP" => "OGRNIP must be 15 digits",
                    _ => "SNILS must be 11 digits",
                }));
            }
            if !super::ru_ids::check_digits_valid(what, v) {
                return Err(X509Error::Invalid(match what {
                    "INN" | "INNLE" => "INN check digits are wrong",
                    "OGRN" => "OGRN check digit is wrong",
                    "OGRNIP" => "OGRNIP check digit is wrong",
                    _ => "SNILS check number is wrong",
                }));
            }
            Ok(Any::new(Tag::NumericString, v.as_bytes())?)
        }
    };
    Ok(any?)
}

/// The DER value written as hex after `#` (RFC 4514 §2.4): one complete TLV, nothing after it.
fn hex_der_value(h: &str) -> Result<Any> {
    let bad = X509Error::Invalid("#hex attribute value is not hex-encoded DER");
    if h.is_empty() || !h.len().is_multiple_of(2) || h.len() > 2 * 65_536 {
        return Err(bad);
    }
    let der: Vec<u8> = (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2).unwrap_or("x"), 16))
        .collect::<core::result::Result<_, _>>()
        .map_err(|_| X509Error::Invalid("#hex attribute value is not hex-encoded DER"))?;
    Any::from_der(&der).map_err(|_| bad)
}

/// Other spellings of attribute names found in the wild: CryptoPro writes `G` for givenName,
/// OpenSSL the long names.
const ALIASES: [(&str, &str); 6] = [
    ("G", "GN"),
    ("GIVENNAME", "GN"),
    ("SURNAME", "SN"),
    ("EMAILADDRESS", "E"),
    ("EMAIL", "E"),
    ("TITLE", "T"),
];

/// The OID, string type and short name of an attribute given by short name, alias or dotted
/// OID (an OID gostkit does not name is written as a UTF8String).
fn attribute_of(key: &str) -> Result<(ObjectIdentifier, Kind, &'static str)> {
    let key = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(key))
        .map_or(key, |(_, name)| *name);
    if let Some((name, oid, kind)) = ATTRIBUTES
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(key))
    {
        return Ok((*oid, *kind, name));
    }
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        let oid = ObjectIdentifier::new(key)
            .map_err(|_| X509Error::Invalid("malformed dotted OID as DN attribute name"))?;
        return Ok(match ATTRIBUTES.iter().find(|(_, o, _)| *o == oid) {
            Some((name, _, kind)) => (oid, *kind, name),
            None => (oid, Kind::Utf8, "OID"),
        });
    }
    Err(X509Error::Invalid("unknown DN attribute name"))
}

/// Builds a name from a list of (name, value) pairs, one attribute per RDN, in order. A name is
/// a short name of `ATTRIBUTES` (`CN`, `INN`, …), an alias (`G`, `GIVENNAME`, `SURNAME`,
/// `EMAILADDRESS`…), or a dotted OID (`1.2.643.100.5`); after a dotted OID the value may be
/// `#` and the hex of its DER (RFC 4514 §2.4), written unchanged.
pub fn build(attrs: &[(&str, &str)]) -> Result<Name> {
    let mut seq = RdnSequence::default();
    for (key, value) in attrs {
        let (oid, kind, name) = attribute_of(key)?;
        let dotted = key.starts_with(|c: char| c.is_ascii_digit());
        let value = match value.strip_prefix('#') {
            // RFC 4514 §2.4: `#hex` after a dotted OID is the DER of the value, taken as is.
            Some(h) if dotted => hex_der_value(h)?,
            _ => string_value(kind, value, name)?,
        };
        let atv = AttributeTypeAndValue { oid, value };
        let set = SetOfVec::try_from(vec![atv])?;
        let rdn = RelativeDistinguishedName::from(set);
        seq.push(rdn);
    }
    Ok(Name::from_der(&seq.to_der()?)?)
}

/// Parses the command line's DN syntax `/CN=Ivanov Ivan/O=Romashka/INN=500100732259` (`\/` and
/// `\=` escape a slash or an equals sign; names as in [`build`], case-insensitive).
pub fn parse_slash_dn(s: &str) -> Result<Name> {
    let body = s
        .strip_prefix('/')
        .ok_or(X509Error::Invalid("a DN starts with '/'"))?;
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut key = String::new();
    let mut val = String::new();
    let mut in_value = false;
    let mut chars = body.chars();
    let mut flush = |key: &mut String, val: &mut String, in_value: &mut bool| -> Result<()> {
        if !*in_value || key.is_empty() {
            return Err(X509Error::Invalid("each DN part is NAME=VALUE"));
        }
        parts.push((core::mem::take(key), core::mem::take(val)));
        *in_value = false;
        Ok(())
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars
                    .next()
                    .ok_or(X509Error::Invalid("DN ends with '\\'"))?;
                if in_value {
                    val.push(next)
                } else {
                    key.push(next)
                }
            }
            '=' if !in_value => in_value = true,
            '/' => flush(&mut key, &mut val, &mut in_value)?,
            c => {
                if in_value {
                    val.push(c)
                } else {
                    key.push(c)
                }
            }
        }
    }
    flush(&mut key, &mut val, &mut in_value)?;
    let refs: Vec<(&str, &str)> = parts
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    build(&refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_dn_round_trip() {
        let n = parse_slash_dn(
            "/CN=Иванов Иван/O=Ромашка\\, ООО/INN=500100732259/OGRN=1027700132195/SNILS=12345678964/C=RU/E=a@b.ru/CN=a\\/b\\=c",
        )
        .unwrap();
        assert_eq!(
            to_rfc4514(&n),
            "CN=a/b=c,E=a@b.ru,C=RU,SNILS=12345678964,OGRN=1027700132195,INN=500100732259,O=Ромашка\\, ООО,CN=Иванов Иван"
        );
        let ids = RussianIds::of(&n);
        assert_eq!(ids.inn.as_deref(), Some("500100732259"));
        assert_eq!(ids.ogrn.as_deref(), Some("1027700132195"));
        assert_eq!(ids.snils.as_deref(), Some("12345678964"));
        assert_eq!(ids.innle, None);
        // NumericString on the wire for the identifiers.
        let inn = n.iter().find(|a| a.oid == oid::ATTR_INN).unwrap();
        assert_eq!(inn.value.tag(), Tag::NumericString);
    }

    #[test]
    fn legacy_legal_entity_inn() {
        let n = parse_slash_dn("/CN=Romashka/INN=007701234560").unwrap();
        let ids = RussianIds::of(&n);
        assert_eq!((ids.inn, ids.innle.as_deref()), (None, Some("7701234560")));
        let n = parse_slash_dn("/INN=007701234560/INNLE=7709999995").unwrap();
        assert_eq!(RussianIds::of(&n).innle.as_deref(), Some("7709999995"));
    }

    #[test]
    fn name_matching_folds_case_space_and_string_type() {
        let a = parse_slash_dn("/CN=Test  CA/O=Romashka").unwrap();
        // The same name written with PrintableString values, other case and spacing.
        let mut seq = RdnSequence::default();
        for (oid, v) in [(oid::ATTR_CN, " test ca "), (oid::ATTR_ORG, "ROMASHKA")] {
            let atv = AttributeTypeAndValue {
                oid,
                value: Any::encode_from(&PrintableStringRef::new(v).unwrap()).unwrap(),
            };
            seq.push(RelativeDistinguishedName::from(
                SetOfVec::try_from(vec![atv]).unwrap(),
            ));
        }
        let b = Name::from_der(&seq.to_der().unwrap()).unwrap();
        assert_ne!(a, b);
        assert!(names_match(&a, &b));
        assert!(!names_match(
            &a,
            &parse_slash_dn("/CN=Test CA/O=Other").unwrap()
        ));
        assert!(!names_match(&a, &parse_slash_dn("/CN=Test CA").unwrap()));
    }

    #[test]
    fn bad_dns() {
        for bad in [
            "CN=x",
            "/CN",
            "/XX=1",
            "/INN=12",
            "/OGRN=abc",
            "/C=RUS",
            "/CN=x\\",
            "/=x",
            "/1.2.x=1",
            "/1.2.643.3.131.1.1=12",
            // well-formed but with wrong check digits (issue 16: INN 500100732258 passed)
            "/INN=500100732258",
            "/INNLE=7707329153",
            "/OGRN=1027700132196",
            "/OGRNIP=304500116000158",
            "/SNILS=12345678901",
        ] {
            assert!(parse_slash_dn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dotted_oid_with_hex_der_value() {
        // OGRNIP as a NumericString given by its DER.
        let a = parse_slash_dn("/CN=x/1.2.643.100.5=#120f333034353030313136303030313537").unwrap();
        assert_eq!(a, parse_slash_dn("/CN=x/OGRNIP=304500116000157").unwrap());
        // An unnamed OID with a PrintableString value: printed back as the same #hex.
        let b = parse_slash_dn("/2.5.4.65=#1303616263").unwrap();
        assert_eq!(to_rfc4514(&b), "2.5.4.65=#1303616263");
        assert_eq!(attribute_values(&b, "2.5.4.65").unwrap(), vec!["abc"]);
        // After a short name `#` is text.
        let c = parse_slash_dn("/CN=#1303616263").unwrap();
        assert_eq!(attribute_values(&c, "cn").unwrap(), vec!["#1303616263"]);
        for bad in [
            "/2.5.4.65=#13",
            "/2.5.4.65=#130361626364",
            "/2.5.4.65=#zz",
            "/2.5.4.65=#",
            "/2.5.4.65=#123",
        ] {
            assert!(parse_slash_dn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn id_checks_report_check_digits() {
        // Built names refuse wrong digits, so write the attributes by hex DER.
        let n = parse_slash_dn(
            "/1.2.643.3.131.1.1=#120c353030313030373332323538/SNILS=12345678964/OGRN=1027700132195",
        )
        .unwrap();
        assert_eq!(
            id_checks(&n),
            vec![
                ("INN", "500100732258".to_owned(), false),
                ("OGRN", "1027700132195".to_owned(), true),
                ("SNILS", "12345678964".to_owned(), true),
            ]
        );
        assert_eq!(attribute_values(&n, "INN").unwrap(), vec!["500100732258"]);
        assert_eq!(
            attribute_values(&n, "OGRNIP").unwrap(),
            Vec::<String>::new()
        );
        assert!(attribute_values(&n, "XX").is_err());
    }

    #[test]
    fn aliases_and_dotted_oids() {
        // CryptoPro's G= is givenName; OpenSSL's long names work too.
        let a =
            parse_slash_dn("/CN=Ivanov/G=Ivan Ivanovich/SURNAME=Ivanov/emailAddress=i@example.ru")
                .unwrap();
        let b = parse_slash_dn("/CN=Ivanov/GN=Ivan Ivanovich/SN=Ivanov/E=i@example.ru").unwrap();
        assert_eq!(a, b);
        // A dotted OID gostkit names takes that attribute's string type (INN: NumericString).
        let c = parse_slash_dn("/CN=x/1.2.643.3.131.1.1=500100732259").unwrap();
        let d = parse_slash_dn("/CN=x/INN=500100732259").unwrap();
        assert_eq!(c, d);
        // An OID gostkit does not name is written as a UTF8String and printed by OID.
        let e = parse_slash_dn("/CN=x/2.5.4.65=Alias").unwrap();
        assert_eq!(to_rfc4514(&e), "2.5.4.65=#0c05416c696173,CN=x");
        assert_eq!(
            parse_slash_dn("/1.2.643.100.5=304500116000157").unwrap(),
            parse_slash_dn("/OGRNIP=304500116000157").unwrap()
        );
    }
}
