//! PEM/DER transparency (RFC 7468 textual encoding): every key reader accepts either form.
//!
//! Hand-written because `pem-rfc7468` insists on canonical line layout, while files in the wild
//! carry CRLF line ends, trailing blanks and other line widths. The base64 decoding is
//! constant-time (arithmetic on each character, no table lookup, no early exit) since it also
//! decodes private keys. Allocations never exceed the input size.

use std::borrow::Cow;

use zeroize::{Zeroize, Zeroizing};

use super::error::{Asn1Error, Result};

const BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";

/// Returns true when `input` starts (after leading whitespace) with a PEM boundary line.
pub fn looks_like_pem(input: &[u8]) -> bool {
    input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| input.get(i..))
        .is_some_and(|rest| rest.starts_with(BEGIN))
}

/// Returns true when `input` contains a PEM BEGIN line anywhere (a bundle may start with text).
pub fn contains_pem(input: &[u8]) -> bool {
    find(input, BEGIN).is_some()
}

/// Decodes `input` as PEM with the given label if it looks like PEM — a BEGIN line first, or
/// explanatory text before it as `openssl ca` and CA portals write (RFC 7468 §5.2), which DER
/// cannot start with (a DER SEQUENCE starts with 0x30) — otherwise returns it as DER unchanged
/// (borrowed). The DER itself is checked later by the caller's parser.
pub fn decode_any<'a>(input: &'a [u8], label: &'static str) -> Result<Cow<'a, [u8]>> {
    if looks_like_pem(input) || (input.first() != Some(&0x30) && contains_pem(input)) {
        let mut der = decode_pem(input, label)?;
        Ok(Cow::Owned(core::mem::take(&mut *der)))
    } else {
        Ok(Cow::Borrowed(input))
    }
}

/// Decodes one PEM block with the label `label`: `-----BEGIN label-----`, base64 lines (any
/// width, LF or CRLF, trailing whitespace), `-----END label-----`. Text before the BEGIN line
/// (RFC 7468 §5.2 explanatory text) and whitespace after the END line are ignored; RFC 1421
/// headers (`Proc-Type:` etc.) are refused. The result is zeroized on drop.
pub fn decode_pem(input: &[u8], label: &'static str) -> Result<Zeroizing<Vec<u8>>> {
    let (_, after_begin) = split_at_needle(input, BEGIN).ok_or(Asn1Error::Pem("no BEGIN line"))?;
    let (this_label, body_and_end) =
        split_at_needle(after_begin, DASHES).ok_or(Asn1Error::Pem("unterminated BEGIN line"))?;
    if this_label != label.as_bytes() {
        return Err(Asn1Error::PemLabel { expected: label });
    }
    // The BEGIN line must end here (only blanks before the line break).
    let (begin_rest, body_and_end) =
        split_at_needle(body_and_end, b"\n").ok_or(Asn1Error::Pem("no line break after BEGIN"))?;
    if !begin_rest.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Asn1Error::Pem("garbage after BEGIN line"));
    }
    let (body, end_line) =
        split_at_needle(body_and_end, b"-----END ").ok_or(Asn1Error::Pem("no END line"))?;
    let rest = end_line
        .strip_prefix(label.as_bytes())
        .and_then(|r| r.strip_prefix(DASHES))
        .ok_or(Asn1Error::Pem("END label does not match BEGIN"))?;
    if !rest.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Asn1Error::Pem("data after END line"));
    }
    if body.contains(&b':') {
        return Err(Asn1Error::Pem("encapsulated headers are not supported"));
    }
    base64_decode(body)
}

/// Decodes every PEM block labelled `label` in `input` (a bundle), in order; blocks with other
/// labels and text between blocks are skipped. Each block is read as [`decode_pem`] reads one.
pub fn decode_all(input: &[u8], label: &'static str) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut rest = input;
    while let Some(start) = find(rest, BEGIN) {
        let block = rest.get(start..).unwrap_or_default();
        let after_begin = block.get(BEGIN.len()..).unwrap_or_default();
        let (this_label, _) = split_at_needle(after_begin, DASHES)
            .ok_or(Asn1Error::Pem("unterminated BEGIN line"))?;
        let mut end_marker = b"-----END ".to_vec();
        end_marker.extend_from_slice(this_label);
        end_marker.extend_from_slice(DASHES);
        let end = find(block, &end_marker).ok_or(Asn1Error::Pem("no END line"))? + end_marker.len();
        let (this_block, after) = block
            .split_at_checked(end)
            .ok_or(Asn1Error::Pem("no END line"))?;
        if this_label == label.as_bytes() {
            let mut der = decode_pem(this_block, label)?;
            out.push(core::mem::take(&mut *der));
        }
        rest = after;
    }
    Ok(out)
}

/// Encodes DER as PEM with `label`, 64-character lines and LF line ends (RFC 7468 §2).
pub fn encode_pem(label: &'static str, der: &[u8]) -> Result<Zeroizing<String>> {
    der::pem::encode_string(label, der::pem::LineEnding::LF, der)
        .map(Zeroizing::new)
        .map_err(|_| Asn1Error::Pem("cannot encode"))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The bytes before the first `needle` in `haystack` and those after it.
fn split_at_needle<'a>(haystack: &'a [u8], needle: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let at = find(haystack, needle)?;
    let (before, from) = haystack.split_at_checked(at)?;
    Some((before, from.get(needle.len()..)?))
}

/// Value of a base64 character, or -1; constant-time in `c` (no branch, no table).
fn b64_value(c: u8) -> i16 {
    let c = i16::from(c);
    // Each term is (c - k) when c is in its range, 0 otherwise; the sum starts at -1 and the
    // ranges are disjoint. `(lo - 1 - c) & (c - hi - 1)` is negative exactly when lo <= c <= hi.
    let in_range = |lo: i16, hi: i16| ((lo - 1 - c) & (c - hi - 1)) >> 8;
    let mut v = -1i16;
    v += in_range(0x41, 0x5a) & (c - 0x41 + 1); // 'A'..'Z' -> 0..25
    v += in_range(0x61, 0x7a) & (c - 0x61 + 27); // 'a'..'z' -> 26..51
    v += in_range(0x30, 0x39) & (c - 0x30 + 53); // '0'..'9' -> 52..61
    v += in_range(0x2b, 0x2b) & 63; // '+' -> 62
    v += in_range(0x2f, 0x2f) & 64; // '/' -> 63
    v
}

/// Decodes base64 (RFC 4648 §4, with padding), skipping ASCII whitespace.
fn base64_decode(text: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() / 4 * 3));
    let mut acc: u32 = 0;
    let mut nchars = 0usize;
    let mut pad = 0usize;
    let mut bad: i16 = 0;
    for &c in text {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            pad += 1;
            nchars += 1;
            acc <<= 6;
        } else {
            if pad != 0 {
                return Err(Asn1Error::Pem("base64 data after padding"));
            }
            let v = b64_value(c);
            bad |= v; // negative if any character was invalid
            acc = (acc << 6) | (v as u32 & 0x3f);
            nchars += 1;
        }
        if nchars.is_multiple_of(4) {
            let [_, b0, b1, b2] = acc.to_be_bytes();
            let keep = 3usize.saturating_sub(pad);
            out.extend([b0, b1, b2].iter().take(keep));
            acc = 0;
        }
    }
    if bad < 0 {
        return Err(Asn1Error::Pem("invalid base64 character"));
    }
    if !nchars.is_multiple_of(4) || pad > 2 {
        return Err(Asn1Error::Pem("base64 length is not a multiple of 4"));
    }
    acc.zeroize();
    Ok(out)
}
