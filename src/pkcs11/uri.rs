//! PKCS#11 URIs (RFC 7512): `pkcs11:token=T;object=O;id=%01;type=private?module-path=/m.so`.
//!
//! The path part (`;`-separated) names the token and the object: `token`, `manufacturer`,
//! `serial`, `model`, `slot-id`, `object`, `id`, `type` (`public`, `private`, `cert`,
//! `secret-key`, `data`), plus the library attributes `library-manufacturer`,
//! `library-description` and `library-version`, which are parsed and ignored here. The query
//! part (`&`-separated) carries `module-path`, `module-name`, `pin-source` and `pin-value`
//! (RFC 7512 §2.3 lets a URI carry the PIN; it is kept in a zeroized buffer and used only when
//! the caller gives none). Values are percent-decoded (§2.3: `%XX`, any byte); an attribute
//! given twice, an unknown non-vendor attribute (vendor ones start with `x-`) or a malformed
//! escape is refused, and a URI is at most [`MAX_URI_LEN`] bytes.

use core::fmt;

use zeroize::Zeroizing;

/// The longest URI accepted, in bytes.
pub const MAX_URI_LEN: usize = 4096;

/// Why a PKCS#11 URI was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UriError {
    /// It does not start with `pkcs11:`.
    Scheme,
    /// It is longer than [`MAX_URI_LEN`].
    TooLong,
    /// A `%` not followed by two hex digits.
    BadEscape,
    /// An attribute without `=`, with an empty name, or a value not valid where it is used
    /// (a non-UTF-8 label, an unknown `type`, a non-numeric `slot-id`).
    BadAttribute(String),
    /// An attribute unknown to RFC 7512 (and not a vendor `x-` one).
    UnknownAttribute(String),
    /// An attribute given twice.
    Duplicate(String),
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scheme => f.write_str("pkcs11 uri: must start with `pkcs11:`"),
            Self::TooLong => write!(f, "pkcs11 uri: longer than {MAX_URI_LEN} bytes"),
            Self::BadEscape => f.write_str("pkcs11 uri: `%` must be followed by two hex digits"),
            Self::BadAttribute(a) => write!(f, "pkcs11 uri: malformed attribute `{a}`"),
            Self::UnknownAttribute(a) => write!(f, "pkcs11 uri: unknown attribute `{a}`"),
            Self::Duplicate(a) => write!(f, "pkcs11 uri: attribute `{a}` given twice"),
        }
    }
}

impl std::error::Error for UriError {}

/// The `type` path attribute: which object class is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectType {
    /// `public`: a public key.
    Public,
    /// `private`: a private key.
    Private,
    /// `cert`: a certificate.
    Cert,
    /// `secret-key`: a secret key.
    SecretKey,
    /// `data`: a data object.
    Data,
}

/// A parsed PKCS#11 URI. Fields are `None` when absent; the PIN is zeroized on drop.
#[derive(Default, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pkcs11Uri {
    /// `token`: the token label.
    pub token: Option<String>,
    /// `manufacturer`: the token's manufacturer ID.
    pub manufacturer: Option<String>,
    /// `serial`: the token's serial number.
    pub serial: Option<String>,
    /// `model`: the token's model.
    pub model: Option<String>,
    /// `slot-id`: the slot number.
    pub slot_id: Option<u64>,
    /// `object`: the object label (`CKA_LABEL`).
    pub object: Option<String>,
    /// `id`: the object ID (`CKA_ID`), raw bytes.
    pub id: Option<Vec<u8>>,
    /// `type`: the object class.
    pub object_type: Option<ObjectType>,
    /// `module-path`: the module file to load.
    pub module_path: Option<String>,
    /// `module-name`: the module's name (not resolved by gostkit; use `module-path`).
    pub module_name: Option<String>,
    /// `pin-source`: where the PIN is (not read by gostkit; the caller passes the PIN).
    pub pin_source: Option<String>,
    /// `pin-value`: the PIN carried in the URI.
    pub pin_value: Option<Zeroizing<String>>,
}

impl fmt::Debug for Pkcs11Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs11Uri")
            .field("token", &self.token)
            .field("object", &self.object)
            .field("id", &self.id)
            .field("object_type", &self.object_type)
            .field("module_path", &self.module_path)
            .field("pin_value", &self.pin_value.as_ref().map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes a value (RFC 3986 §2.1).
fn unescape(v: &str) -> Result<Vec<u8>, UriError> {
    let mut out = Vec::with_capacity(v.len());
    let mut bytes = v.bytes();
    while let Some(c) = bytes.next() {
        if c == b'%' {
            let hi = bytes.next().and_then(hex_val);
            let lo = bytes.next().and_then(hex_val);
            match (hi, lo) {
                (Some(h), Some(l)) => out.push(h << 4 | l),
                _ => return Err(UriError::BadEscape),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn text(name: &str, v: Vec<u8>) -> Result<String, UriError> {
    String::from_utf8(v).map_err(|_| UriError::BadAttribute(name.to_string()))
}

fn set<T>(slot: &mut Option<T>, name: &str, v: T) -> Result<(), UriError> {
    if slot.is_some() {
        return Err(UriError::Duplicate(name.to_string()));
    }
    *slot = Some(v);
    Ok(())
}

impl Pkcs11Uri {
    /// Parses a URI.
    pub fn parse(uri: &str) -> Result<Self, UriError> {
        if uri.len() > MAX_URI_LEN {
            return Err(UriError::TooLong);
        }
        let rest = uri
            .get(..7)
            .filter(|s| s.eq_ignore_ascii_case("pkcs11:"))
            .map(|_| &uri[7..])
            .ok_or(UriError::Scheme)?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut u = Pkcs11Uri::default();
        let mut seen_lib = Vec::new();
        for attr in path.split(';').filter(|a| !a.is_empty()) {
            let (name, value) = attr
                .split_once('=')
                .filter(|(n, _)| !n.is_empty())
                .ok_or_else(|| UriError::BadAttribute(attr.to_string()))?;
            let v = unescape(value)?;
            match name {
                "token" => set(&mut u.token, name, text(name, v)?)?,
                "manufacturer" => set(&mut u.manufacturer, name, text(name, v)?)?,
                "serial" => set(&mut u.serial, name, text(name, v)?)?,
                "model" => set(&mut u.model, name, text(name, v)?)?,
                "object" => set(&mut u.object, name, text(name, v)?)?,
                "id" => set(&mut u.id, name, v)?,
                "slot-id" => {
                    let n = text(name, v)?
                        .parse::<u64>()
                        .map_err(|_| UriError::BadAttribute(attr.to_string()))?;
                    set(&mut u.slot_id, name, n)?
                }
                "type" => {
                    let t = match v.as_slice() {
                        b"public" => ObjectType::Public,
                        b"private" => ObjectType::Private,
                        b"cert" => ObjectType::Cert,
                        b"secret-key" => ObjectType::SecretKey,
                        b"data" => ObjectType::Data,
                        _ => return Err(UriError::BadAttribute(attr.to_string())),
                    };
                    set(&mut u.object_type, name, t)?
                }
                "library-manufacturer"
                | "library-description"
                | "library-version"
                | "slot-manufacturer"
                | "slot-description" => {
                    if seen_lib.contains(&name) {
                        return Err(UriError::Duplicate(name.to_string()));
                    }
                    seen_lib.push(name);
                }
                n if n.starts_with("x-") => {}
                n => return Err(UriError::UnknownAttribute(n.to_string())),
            }
        }
        for attr in query.split('&').filter(|a| !a.is_empty()) {
            let (name, value) = attr
                .split_once('=')
                .filter(|(n, _)| !n.is_empty())
                .ok_or_else(|| UriError::BadAttribute(attr.to_string()))?;
            let v = Zeroizing::new(unescape(value)?);
            match name {
                "module-path" => set(&mut u.module_path, name, text(name, v.to_vec())?)?,
                "module-name" => set(&mut u.module_name, name, text(name, v.to_vec())?)?,
                "pin-source" => set(&mut u.pin_source, name, text(name, v.to_vec())?)?,
                "pin-value" => {
                    let pin = core::str::from_utf8(&v)
                        .map_err(|_| UriError::BadAttribute(name.to_string()))?;
                    set(&mut u.pin_value, name, Zeroizing::new(pin.to_string()))?
                }
                n if n.starts_with("x-") => {}
                n => return Err(UriError::UnknownAttribute(n.to_string())),
            }
        }
        Ok(u)
    }
}

impl core::str::FromStr for Pkcs11Uri {
    type Err = UriError;
    fn from_str(s: &str) -> Result<Self, UriError> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_cli_form() {
        let u = Pkcs11Uri::parse("pkcs11:token=My%20Token;object=k1;id=%01%a0?module-path=/m.so")
            .unwrap();
        assert_eq!(u.token.as_deref(), Some("My Token"));
        assert_eq!(u.object.as_deref(), Some("k1"));
        assert_eq!(u.id.as_deref(), Some(&[1u8, 0xa0][..]));
        assert_eq!(u.module_path.as_deref(), Some("/m.so"));
        let u = Pkcs11Uri::parse("pkcs11:type=private;slot-id=3?pin-value=1234&x-foo=1").unwrap();
        assert_eq!(u.object_type, Some(ObjectType::Private));
        assert_eq!(u.slot_id, Some(3));
        assert_eq!(u.pin_value.as_deref().map(String::as_str), Some("1234"));
        assert!(!format!("{u:?}").contains("1234"));
        assert_eq!(Pkcs11Uri::parse("pkcs11:").unwrap(), Pkcs11Uri::default());
    }

    #[test]
    fn refuses_bad_uris() {
        assert_eq!(Pkcs11Uri::parse("file:x"), Err(UriError::Scheme));
        assert_eq!(Pkcs11Uri::parse("pkcs11:id=%0"), Err(UriError::BadEscape));
        assert_eq!(Pkcs11Uri::parse("pkcs11:id=%zz"), Err(UriError::BadEscape));
        assert!(matches!(
            Pkcs11Uri::parse("pkcs11:token=a;token=b"),
            Err(UriError::Duplicate(_))
        ));
        assert!(matches!(
            Pkcs11Uri::parse("pkcs11:colour=red"),
            Err(UriError::UnknownAttribute(_))
        ));
        assert!(matches!(
            Pkcs11Uri::parse("pkcs11:type=key"),
            Err(UriError::BadAttribute(_))
        ));
        assert!(matches!(
            Pkcs11Uri::parse("pkcs11:token"),
            Err(UriError::BadAttribute(_))
        ));
        let long = format!("pkcs11:object={}", "a".repeat(MAX_URI_LEN));
        assert_eq!(Pkcs11Uri::parse(&long), Err(UriError::TooLong));
    }
}
