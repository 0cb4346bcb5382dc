//! A minimal DER element reader and writer for the CMS structures whose exact received bytes
//! matter (signed attributes are hashed as received, in whatever order the producer wrote them;
//! `der`'s `SetOfVec` would insist on DER order). Hand-written on purpose, small, bounds-checked.

use super::error::{CmsError, Result};

/// One DER element: tag byte (low-tag-number form only, as in CMS), contents, whole encoding.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The contents octets.
    pub content: &'a [u8],
    /// The whole element (identifier, length, contents).
    pub raw: &'a [u8],
}

fn bad(what: &'static str) -> CmsError {
    CmsError::Invalid(what)
}

/// Reads the element at the start of `data`; returns it and the rest.
pub fn read(data: &[u8]) -> Result<(Tlv<'_>, &[u8])> {
    let tag = *data.first().ok_or(bad("truncated element"))?;
    if tag & 0x1f == 0x1f {
        return Err(bad("high tag numbers are not used in CMS"));
    }
    let l = *data.get(1).ok_or(bad("truncated length"))?;
    let (len, hl) = match l {
        0..=0x7f => (l as usize, 2),
        0x81..=0x84 => {
            let n = (l & 0x7f) as usize;
            let b = data.get(2..2 + n).ok_or(bad("truncated length"))?;
            (b.iter().fold(0usize, |a, &x| (a << 8) | x as usize), 2 + n)
        }
        _ => return Err(bad("indefinite or oversized length (normalise BER first)")),
    };
    let end = hl.checked_add(len).ok_or(bad("length overflow"))?;
    let raw = data.get(..end).ok_or(bad("element runs past the end"))?;
    Ok((
        Tlv {
            tag,
            content: raw.get(hl..).ok_or(bad("element runs past the end"))?,
            raw,
        },
        data.get(end..).ok_or(bad("element runs past the end"))?,
    ))
}

/// Reads an element that must have tag `tag`.
pub fn expect<'a>(data: &'a [u8], tag: u8, what: &'static str) -> Result<(Tlv<'a>, &'a [u8])> {
    let (t, rest) = read(data)?;
    if t.tag != tag {
        return Err(bad(what));
    }
    Ok((t, rest))
}

/// Every element of a constructed element's contents.
pub fn children(content: &[u8]) -> Result<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (t, r) = read(rest)?;
        out.push(t);
        rest = r;
    }
    Ok(out)
}

/// `der` with its first (tag) octet replaced by `tag`: IMPLICIT tagging of an encoded element
/// (RFC 5652 `[0] IMPLICIT`, SET ↔ [0]); an empty input stays empty.
pub fn retag(mut der: Vec<u8>, tag: u8) -> Vec<u8> {
    if let Some(t) = der.first_mut() {
        *t = tag;
    }
    der
}

/// Appends a DER length.
pub fn push_len(out: &mut Vec<u8>, n: usize) {
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let b = n.to_be_bytes();
        let skip = b.iter().take_while(|&&x| x == 0).count();
        out.push(0x80 | (b.len() - skip) as u8);
        out.extend(b.iter().skip(skip));
    }
}

/// Encodes an element with `tag` around the concatenation of `parts`.
pub fn tlv(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    push_len(&mut out, len);
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

/// SEQUENCE of parts.
pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, parts)
}

/// SET OF in DER order (encodings sorted, X.690 §11.6).
pub fn set_of(mut items: Vec<Vec<u8>>) -> Vec<u8> {
    items.sort();
    let refs: Vec<&[u8]> = items.iter().map(|v| v.as_slice()).collect();
    tlv(0x31, &refs)
}

/// OBJECT IDENTIFIER.
pub fn oid(o: &const_oid::ObjectIdentifier) -> Vec<u8> {
    tlv(0x06, &[o.as_bytes()])
}

/// OCTET STRING.
pub fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, &[b])
}

/// Small non-negative INTEGER.
pub fn int(v: u8) -> Vec<u8> {
    if v < 0x80 {
        vec![2, 1, v]
    } else {
        vec![2, 2, 0, v]
    }
}

/// Reads an OBJECT IDENTIFIER element.
pub fn read_oid(t: &Tlv<'_>) -> Result<const_oid::ObjectIdentifier> {
    if t.tag != 0x06 {
        return Err(bad("expected an OBJECT IDENTIFIER"));
    }
    const_oid::ObjectIdentifier::from_bytes(t.content).map_err(|_| bad("malformed OID"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_hostile() {
        let big = vec![7u8; 300];
        let e = seq(&[&int(5), &octets(&big)]);
        let (t, rest) = read(&e).unwrap();
        assert!(rest.is_empty());
        let kids = children(t.content).unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[1].content, big.as_slice());
        for bad in [
            &[][..],
            &[0x30],
            &[0x30, 0x05, 1],
            &[0x30, 0x80, 0, 0],
            &[0x1f, 0],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
        ] {
            assert!(read(bad).is_err());
        }
        assert_eq!(
            set_of(vec![vec![2, 1, 2], vec![2, 1, 1]]),
            vec![0x31, 6, 2, 1, 1, 2, 1, 2]
        );
    }
}
