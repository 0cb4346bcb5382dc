//! BER → DER normalisation of CMS input (X.690 §8 vs §10): definite minimal lengths instead of
//! indefinite or long-form ones, and constructed OCTET STRINGs (universal tag 0x24) flattened to
//! one primitive OCTET STRING — what CryptoPro and `openssl cms -stream` write.
//!
//! Hand-written: the `der` crate reads only some BER forms per type. Element order is never
//! changed (signed attributes written in non-DER order keep their bytes), context-specific tags
//! are left as they are (only the message parsers know whether a constructed `[0]` is an IMPLICIT
//! OCTET STRING), nesting is limited to [`MAX_DEPTH`], and the output is at most twice the input.

use std::borrow::Cow;

use super::error::{CmsError, Result};

/// Deepest nesting accepted (CMS messages nest about 12 levels).
pub const MAX_DEPTH: usize = 64;

/// The DER form of `input`, borrowed when it already is DER as far as lengths and OCTET STRING
/// forms go. Exactly one element, no trailing bytes.
///
/// Two passes: the first measures (allocating nothing), the second writes into a buffer of the
/// exact DER size, so the memory used is the input plus at most its size again (DER is never
/// longer than its BER source by more than one byte per indefinite element over 64 KiB).
pub fn to_der(input: &[u8]) -> Result<Cow<'_, [u8]>> {
    let mut size = Counter(0);
    let (used, changed) = element(input, 0, &mut size)?;
    if used != input.len() {
        return Err(CmsError::Invalid("trailing bytes after the message"));
    }
    if !changed {
        return Ok(Cow::Borrowed(input));
    }
    let mut out = Vec::new();
    out.try_reserve_exact(size.0)
        .map_err(|_| err("message too large to normalise"))?;
    element(input, 0, &mut out)?;
    Ok(Cow::Owned(out))
}

/// Where normalised bytes go: a buffer, or a counter that only measures.
trait Sink {
    fn put(&mut self, bytes: &[u8]);
    /// Takes `n` bytes already measured without their being written again: true for the
    /// counter, false for a buffer (which must then be given the bytes).
    fn skip(&mut self, n: usize) -> bool;
}

struct Counter(usize);

impl Sink for Counter {
    fn put(&mut self, bytes: &[u8]) {
        self.0 = self.0.saturating_add(bytes.len());
    }
    fn skip(&mut self, n: usize) -> bool {
        self.0 = self.0.saturating_add(n);
        true
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
    fn skip(&mut self, _: usize) -> bool {
        false
    }
}

fn err(what: &'static str) -> CmsError {
    CmsError::Invalid(what)
}

/// A parsed identifier and length: (tag bytes length, constructed, content length or None for
/// indefinite, header length, whether the length was in minimal DER form).
struct Header {
    tag_len: usize,
    constructed: bool,
    len: Option<usize>,
    header_len: usize,
    minimal: bool,
}

fn header(data: &[u8]) -> Result<Header> {
    let first = *data.first().ok_or(err("truncated element"))?;
    let mut tag_len = 1;
    if first & 0x1f == 0x1f {
        loop {
            let b = *data.get(tag_len).ok_or(err("truncated tag"))?;
            tag_len += 1;
            if b & 0x80 == 0 {
                break;
            }
            if tag_len > 5 {
                return Err(err("tag number too large"));
            }
        }
    }
    let constructed = first & 0x20 != 0;
    let l = *data.get(tag_len).ok_or(err("truncated length"))?;
    let (len, header_len, minimal) = match l {
        0..=0x7f => (Some(l as usize), tag_len + 1, true),
        0x80 => {
            if !constructed {
                return Err(err("indefinite length on a primitive element"));
            }
            (None, tag_len + 1, false)
        }
        0x81..=0x84 => {
            let n = (l & 0x7f) as usize;
            let bytes = data
                .get(tag_len + 1..tag_len + 1 + n)
                .ok_or(err("truncated length"))?;
            let v = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | b as usize);
            let minimal = bytes.first().is_some_and(|&b| b != 0) && (n > 1 || v >= 0x80);
            (Some(v), tag_len + 1 + n, minimal)
        }
        _ => return Err(err("length too large")),
    };
    if let Some(n) = len
        && data.len() - header_len < n
    {
        return Err(err("length beyond the end of the input"));
    }
    Ok(Header {
        tag_len,
        constructed,
        len,
        header_len,
        minimal,
    })
}

fn push_len(out: &mut impl Sink, n: usize) {
    if n < 0x80 {
        out.put(&[n as u8]);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.put(&[0x80 | (bytes.len() - skip) as u8]);
        out.put(bytes.get(skip..).unwrap_or_default());
    }
}

/// Normalises the element at the start of `data` into `out`; returns the bytes consumed and
/// whether anything differed from DER.
fn element<S: Sink>(data: &[u8], depth: usize, out: &mut S) -> Result<(usize, bool)> {
    if depth > MAX_DEPTH {
        return Err(err("nesting too deep"));
    }
    let h = header(data)?;
    let tag = data.get(..h.tag_len).ok_or(err("truncated tag"))?;
    if !h.constructed {
        let n = h.len.unwrap_or(0);
        let content = data
            .get(h.header_len..h.header_len + n)
            .ok_or(err("truncated element"))?;
        out.put(tag);
        push_len(out, n);
        out.put(content);
        return Ok((h.header_len + n, !h.minimal));
    }
    let octet_string = tag == [0x24];
    // The content length comes first in DER: measure the children, then write them.
    let mut size = Counter(0);
    let (used, changed) = children(data, &h, depth, octet_string, &mut size)?;
    out.put(if octet_string { &[0x04] } else { tag });
    push_len(out, size.0);
    if !out.skip(size.0) {
        children(data, &h, depth, octet_string, out)?;
    }
    Ok((used, changed || !h.minimal || octet_string))
}

/// The children of the constructed element `h` at the start of `data`, normalised into `out`
/// (as flattened OCTET STRING content when `octet_string`); returns where the element ends.
fn children<S: Sink>(
    data: &[u8],
    h: &Header,
    depth: usize,
    octet_string: bool,
    out: &mut S,
) -> Result<(usize, bool)> {
    let mut changed = false;
    let mut pos = h.header_len;
    let end = h.len.map(|n| h.header_len + n);
    loop {
        let rest = data.get(pos..end.unwrap_or(data.len())).unwrap_or_default();
        match end {
            Some(e) if pos == e => break,
            Some(_) => {}
            None => match rest {
                [0, 0, ..] => {
                    pos += 2;
                    break;
                }
                [_, _, ..] => {}
                _ => return Err(err("missing end-of-contents")),
            },
        }
        let (used, c) = if octet_string {
            segment(rest, depth + 1, out)?
        } else {
            element(rest, depth + 1, out)?
        };
        changed |= c;
        pos += used;
    }
    Ok((pos, changed))
}

/// One segment of a constructed OCTET STRING: its content bytes are appended to `out`
/// (segments may themselves be constructed).
fn segment<S: Sink>(data: &[u8], depth: usize, out: &mut S) -> Result<(usize, bool)> {
    if depth > MAX_DEPTH {
        return Err(err("nesting too deep"));
    }
    if data.first().is_none_or(|&t| t & 0xdf != 0x04) {
        return Err(err(
            "constructed OCTET STRING segment is not an OCTET STRING",
        ));
    }
    let h = header(data)?;
    if h.constructed {
        let (used, _) = children(data, &h, depth, true, out)?;
        return Ok((used, true));
    }
    let n = h.len.unwrap_or(0);
    let content = data
        .get(h.header_len..h.header_len + n)
        .ok_or(err("truncated element"))?;
    out.put(content);
    Ok((h.header_len + n, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn der_is_borrowed() {
        let d = hex("3006020101040100");
        assert!(matches!(to_der(&d).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn indefinite_and_constructed_octet_strings() {
        // SEQUENCE(indef) { [0](indef) { OCTET STRING(constructed, indef) { 04 02 'ab', 04 01 'c' } } }
        let ber = hex("3080a080248004026162040163000000000000");
        let der = to_der(&ber).unwrap();
        assert_eq!(der.as_ref(), hex("3007a0050403616263").as_slice());
    }

    #[test]
    fn long_form_lengths_are_minimised() {
        let ber = hex("30820003020101");
        assert_eq!(to_der(&ber).unwrap().as_ref(), hex("3003020101").as_slice());
        let big = [vec![0x04, 0x81, 0x80], vec![7u8; 0x80]].concat();
        assert!(matches!(to_der(&big).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn order_is_kept() {
        // SET { INTEGER 2, INTEGER 1 } in indefinite form keeps its (non-DER) order.
        let ber = hex("3180020102020101 0000".replace(' ', "").as_str());
        assert_eq!(
            to_der(&ber).unwrap().as_ref(),
            hex("3106020102020101").as_slice()
        );
    }

    #[test]
    fn hostile_input_is_refused() {
        for bad in [
            "",
            "30",
            "3005020101",
            "308002010100",
            "0480",
            "3085ffffffffff",
            "1f",
            "30032480",
            "2480020100 0000",
            "300300000000",
        ] {
            let b = hex(&bad.replace(' ', ""));
            assert!(to_der(&b).is_err(), "{bad}");
        }
        // Deep nesting stops at MAX_DEPTH.
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 200).flatten().collect();
        assert!(to_der(&deep).is_err());
        // Trailing bytes.
        assert!(to_der(&hex("0500ff")).is_err());
    }
}
