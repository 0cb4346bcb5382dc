//! The small ASN.1 pieces RFC 3161 shares between requests, responses and TSTInfo: bounded
//! INTEGERs, BOOLEANs, MessageImprint, Extensions and GeneralizedTime with fractions.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use const_oid::ObjectIdentifier;

use super::MAX_INT_LEN;
use super::response::TspExtension;
use crate::cms::error::{CmsError, Result};
use crate::cms::signed::alg_oid;
use crate::cms::tlv::{self, Tlv};

fn bad(what: &'static str) -> CmsError {
    CmsError::Invalid(what)
}

/// The INTEGER contents (minimal two's complement) of the non-negative number whose
/// big-endian magnitude is `magnitude`.
pub(crate) fn uint_content(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    let m = magnitude.get(skip..).unwrap_or_default();
    let mut out = Vec::with_capacity(m.len() + 1);
    if m.first().is_none_or(|&b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(m);
    out
}

/// An INTEGER element with contents `content`.
pub(crate) fn int_element(content: &[u8]) -> Vec<u8> {
    tlv::tlv(0x02, &[content])
}

/// A non-negative INTEGER of at most [`MAX_INT_LEN`] content bytes, in its minimal encoding;
/// returns its contents. `tag` is 0x02 or an implicit context tag.
pub(crate) fn read_uint(t: &Tlv<'_>, tag: u8, what: &'static str) -> Result<Vec<u8>> {
    if t.tag != tag || t.content.is_empty() || t.content.len() > MAX_INT_LEN {
        return Err(bad(what));
    }
    let c = t.content;
    // Negative, or a leading zero octet that is not needed.
    if matches!(c, [f, ..] if f & 0x80 != 0) || matches!(c, [0, s, ..] if s & 0x80 == 0) {
        return Err(bad(what));
    }
    Ok(c.to_vec())
}

/// A non-negative INTEGER no larger than `max`.
pub(crate) fn read_small(t: &Tlv<'_>, tag: u8, max: u64, what: &'static str) -> Result<u64> {
    let c = read_uint(t, tag, what)?;
    if c.len() > 9 {
        return Err(bad(what));
    }
    let v = c.iter().fold(0u128, |a, &b| (a << 8) | u128::from(b));
    u64::try_from(v).ok().filter(|v| *v <= max).ok_or(bad(what))
}

/// A DER BOOLEAN (0x00 or 0xff).
pub(crate) fn read_bool(t: &Tlv<'_>, what: &'static str) -> Result<bool> {
    match (t.tag, t.content) {
        (0x01, [0x00]) => Ok(false),
        (0x01, [0xff]) => Ok(true),
        _ => Err(bad(what)),
    }
}

/// MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET
/// STRING }: the algorithm OID and the hash. AlgorithmIdentifier parameters (NULL, as
/// OpenSSL writes) are ignored.
pub(crate) fn read_imprint(t: &Tlv<'_>) -> Result<(ObjectIdentifier, Vec<u8>)> {
    if t.tag != 0x30 {
        return Err(bad("MessageImprint is not a SEQUENCE"));
    }
    let parts = tlv::children(t.content)?;
    let [alg, hash] = parts.as_slice() else {
        return Err(bad("MessageImprint fields"));
    };
    let alg = alg_oid(alg)?;
    if hash.tag != 0x04 || hash.content.len() > MAX_INT_LEN {
        return Err(bad("MessageImprint hashedMessage"));
    }
    Ok((alg, hash.content.to_vec()))
}

/// MessageImprint of `hash` with `alg`.
pub(crate) fn imprint(alg: &ObjectIdentifier, hash: &[u8]) -> Vec<u8> {
    tlv::seq(&[&crate::cms::signed::alg_id(alg), &tlv::octets(hash)])
}

/// The contents of an Extensions element (SEQUENCE OF Extension, RFC 5280 §4.1).
pub(crate) fn read_extensions(content: &[u8]) -> Result<Vec<TspExtension>> {
    let mut out = Vec::new();
    for e in tlv::children(content)? {
        if e.tag != 0x30 {
            return Err(bad("Extension is not a SEQUENCE"));
        }
        let parts = tlv::children(e.content)?;
        let (id, critical, value) = match parts.as_slice() {
            [id, value] => (id, false, value),
            [id, crit, value] => (id, read_bool(crit, "Extension critical")?, value),
            _ => return Err(bad("Extension fields")),
        };
        if value.tag != 0x04 {
            return Err(bad("Extension extnValue"));
        }
        out.push(TspExtension {
            id: tlv::read_oid(id)?,
            critical,
            value: value.content.to_vec(),
        });
    }
    if out.is_empty() {
        return Err(bad("empty Extensions"));
    }
    Ok(out)
}

/// Extensions contents of `exts` (SEQUENCE OF Extension without its header).
pub(crate) fn extensions_content(exts: &[TspExtension]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in exts {
        let id = tlv::oid(&e.id);
        let value = tlv::octets(&e.value);
        if e.critical {
            out.extend(tlv::seq(&[&id, &[0x01, 0x01, 0xff], &value]));
        } else {
            out.extend(tlv::seq(&[&id, &value]));
        }
    }
    out
}

/// Most fraction digits read in a GeneralizedTime (nanoseconds).
const MAX_FRACTION: usize = 9;

/// A TSTInfo genTime (RFC 3161 §2.4.2): `YYYYMMDDhhmmss[.s...]Z`, the fraction without
/// trailing zeros (and without a dot when there is none), at most nine fraction digits.
pub(crate) fn read_gen_time(t: &Tlv<'_>) -> Result<SystemTime> {
    const WHAT: &str = "genTime is not a GeneralizedTime YYYYMMDDhhmmss[.s]Z";
    let c = t.content;
    if t.tag != 0x18 || c.len() < 15 || c.len() > 15 + 1 + MAX_FRACTION || c.last() != Some(&b'Z') {
        return Err(bad(WHAT));
    }
    let (whole, frac) = c
        .strip_suffix(b"Z")
        .and_then(|t| t.split_at_checked(14))
        .ok_or(bad(WHAT))?;
    if !whole.iter().all(u8::is_ascii_digit) {
        return Err(bad(WHAT));
    }
    let num = |r: core::ops::Range<usize>| {
        whole
            .get(r)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'))
    };
    let nanos = match frac {
        [] => 0,
        [b'.', digits @ ..]
            if !digits.is_empty()
                && digits.iter().all(u8::is_ascii_digit)
                && digits.last() != Some(&b'0') =>
        {
            let mut n = digits
                .iter()
                .fold(0u32, |a, &d| a * 10 + u32::from(d - b'0'));
            for _ in digits.len()..MAX_FRACTION {
                n *= 10;
            }
            n
        }
        _ => return Err(bad(WHAT)),
    };
    let year = u16::try_from(num(0..4)).map_err(|_| bad(WHAT))?;
    let field = |r| u8::try_from(num(r)).map_err(|_| bad(WHAT));
    let dt = ::der::DateTime::new(
        year,
        field(4..6)?,
        field(6..8)?,
        field(8..10)?,
        field(10..12)?,
        field(12..14)?,
    )
    .map_err(|_| bad(WHAT))?;
    Ok(UNIX_EPOCH + dt.unix_duration() + Duration::from_nanos(u64::from(nanos)))
}

/// GeneralizedTime of `t` with `digits` (0–6) fraction digits, trailing zeros dropped.
pub(crate) fn gen_time(t: SystemTime, digits: u8) -> Result<Vec<u8>> {
    let since = t
        .duration_since(UNIX_EPOCH)
        .map_err(|_| bad("time before 1970"))?;
    let dt = ::der::DateTime::from_unix_duration(Duration::from_secs(since.as_secs()))?;
    let mut s = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minutes(),
        dt.seconds()
    );
    let digits = usize::from(digits.min(6));
    if digits > 0 {
        let micros = format!("{:06}", since.subsec_micros());
        let frac = micros[..digits].trim_end_matches('0');
        if !frac.is_empty() {
            s.push('.');
            s.push_str(frac);
        }
    }
    s.push('Z');
    Ok(tlv::tlv(0x18, &[s.as_bytes()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(e: &[u8]) -> Result<SystemTime> {
        let (t, _) = tlv::read(e)?;
        read_gen_time(&t)
    }

    #[test]
    fn gen_time_round_trip_and_strictness() {
        let t = UNIX_EPOCH + Duration::from_millis(1_767_225_600_120);
        let e = gen_time(t, 3).unwrap();
        assert_eq!(&e[2..], b"20260101000000.12Z");
        assert_eq!(read(&e).unwrap(), t);
        assert_eq!(&gen_time(t, 0).unwrap()[2..], b"20260101000000Z");
        for bad in [
            &b"20260101000000.120Z"[..],
            b"20260101000000.Z",
            b"20260101000000",
            b"20260101000000+0300",
            b"2026010100000Z",
            b"20261301000000Z",
            b"20260101000000.1234567891Z",
            b"2026010100000aZ",
        ] {
            let e = tlv::tlv(0x18, &[bad]);
            assert!(read(&e).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let e = tlv::tlv(0x18, &[b"20260101000000.000000001Z"]);
        assert_eq!(
            read(&e).unwrap(),
            UNIX_EPOCH + Duration::new(1_767_225_600, 1)
        );
    }

    #[test]
    fn integers_are_bounded_and_minimal() {
        assert_eq!(uint_content(&[0, 0, 0x80]), vec![0, 0x80]);
        assert_eq!(uint_content(&[]), vec![0]);
        assert_eq!(uint_content(&[1, 2]), vec![1, 2]);
        let ok = int_element(&[0, 0x80]);
        let (t, _) = tlv::read(&ok).unwrap();
        assert_eq!(read_uint(&t, 2, "x").unwrap(), vec![0, 0x80]);
        for c in [&[0u8, 1][..], &[0x80], &[], &[0xff, 0xff]] {
            let e = int_element(c);
            let (t, _) = tlv::read(&e).unwrap();
            assert!(read_uint(&t, 2, "x").is_err(), "{c:?}");
        }
        let big = int_element(&[1; MAX_INT_LEN + 1]);
        let (t, _) = tlv::read(&big).unwrap();
        assert!(read_uint(&t, 2, "x").is_err());
        let e = int_element(&[3, 0xe8]);
        let (t, _) = tlv::read(&e).unwrap();
        assert_eq!(read_small(&t, 2, 1000, "x").unwrap(), 1000);
        assert!(read_small(&t, 2, 999, "x").is_err());
    }
}
