//! DER TLV walking and writing for the container files, on the `der` crate's header codec:
//! every element keeps its exact bytes, so a file re-encodes to what was read.

use der::{Decode, Encode, Header, Length, Reader, SliceReader, Tag, TagNumber};

use super::error::ContainerError;

/// Most elements read from one SEQUENCE (hostile input must not make long lists).
pub(crate) const MAX_ELEMENTS: usize = 64;

/// One DER element: its tag and its value (contents octets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub tag: Tag,
    pub value: &'a [u8],
}

/// A context-specific tag `[n]`.
pub(crate) fn ctx(n: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber(u32::from(n)),
    }
}

/// The number of a context-specific tag, if it is one.
pub(crate) fn ctx_number(tag: Tag) -> Option<u32> {
    match tag {
        Tag::ContextSpecific { number, .. } => Some(number.value()),
        _ => None,
    }
}

/// Reads the elements that exactly fill `input` (at most [`MAX_ELEMENTS`]).
pub(crate) fn elements<'a>(
    file: &'static str,
    input: &'a [u8],
) -> Result<Vec<Tlv<'a>>, ContainerError> {
    let der = |e| ContainerError::Der { file, error: e };
    let mut r = SliceReader::new(input).map_err(der)?;
    let mut out = Vec::new();
    while !r.is_finished() {
        if out.len() == MAX_ELEMENTS {
            return Err(ContainerError::Malformed {
                file,
                what: "too many elements",
            });
        }
        let h = Header::decode(&mut r).map_err(der)?;
        let value = r.read_slice(h.length()).map_err(der)?;
        out.push(Tlv {
            tag: h.tag(),
            value,
        });
    }
    Ok(out)
}

/// Reads exactly one element filling `input`.
pub(crate) fn single<'a>(file: &'static str, input: &'a [u8]) -> Result<Tlv<'a>, ContainerError> {
    let mut all = elements(file, input)?;
    match (all.pop(), all.is_empty()) {
        (Some(t), true) => Ok(t),
        _ => Err(ContainerError::Malformed {
            file,
            what: "not a single DER element",
        }),
    }
}

/// The elements of a SEQUENCE filling `input`.
pub(crate) fn sequence<'a>(
    file: &'static str,
    input: &'a [u8],
) -> Result<Vec<Tlv<'a>>, ContainerError> {
    let t = single(file, input)?;
    if t.tag != Tag::Sequence {
        return Err(ContainerError::Malformed {
            file,
            what: "not a SEQUENCE",
        });
    }
    elements(file, t.value)
}

/// Appends the DER of `tag` + `value` to `out`.
pub(crate) fn put(out: &mut Vec<u8>, tag: Tag, value: &[u8]) -> Result<(), ContainerError> {
    let enc = |e| ContainerError::Der {
        file: "(encoding)",
        error: e,
    };
    let len = Length::try_from(value.len()).map_err(enc)?;
    Header::new(tag, len).encode_to_vec(out).map_err(enc)?;
    out.extend_from_slice(value);
    Ok(())
}

/// The DER of `tag` + `value`.
pub(crate) fn tlv(tag: Tag, value: &[u8]) -> Result<Vec<u8>, ContainerError> {
    let mut out = Vec::with_capacity(value.len() + 6);
    put(&mut out, tag, value)?;
    Ok(out)
}
