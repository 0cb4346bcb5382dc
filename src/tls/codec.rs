//! Bounds-checked reading and length-prefixed writing of TLS structures.

use super::TlsError;

/// A cursor over a message body; every read is checked.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8], what: &'static str) -> Self {
        Self { buf, what }
    }

    fn err(&self) -> TlsError {
        TlsError::Decode(self.what)
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], TlsError> {
        if n > self.buf.len() {
            return Err(self.err());
        }
        let (a, b) = self.buf.split_at(n);
        self.buf = b;
        Ok(a)
    }

    /// The next `N` bytes as an array.
    fn take_array<const N: usize>(&mut self) -> Result<&'a [u8; N], TlsError> {
        let (a, b) = self
            .buf
            .split_first_chunk::<N>()
            .ok_or_else(|| self.err())?;
        self.buf = b;
        Ok(a)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, TlsError> {
        let [a] = *self.take_array::<1>()?;
        Ok(a)
    }

    pub(crate) fn u16(&mut self) -> Result<u16, TlsError> {
        Ok(u16::from_be_bytes(*self.take_array::<2>()?))
    }

    pub(crate) fn u24(&mut self) -> Result<usize, TlsError> {
        let [a, b, c] = *self.take_array::<3>()?;
        Ok(((a as usize) << 16) | ((b as usize) << 8) | c as usize)
    }

    /// A vector with a one-byte length.
    pub(crate) fn vec8(&mut self) -> Result<Reader<'a>, TlsError> {
        let n = self.u8()? as usize;
        Ok(Reader::new(self.take(n)?, self.what))
    }

    /// A vector with a two-byte length.
    pub(crate) fn vec16(&mut self) -> Result<Reader<'a>, TlsError> {
        let n = self.u16()? as usize;
        Ok(Reader::new(self.take(n)?, self.what))
    }

    /// A vector with a three-byte length.
    pub(crate) fn vec24(&mut self) -> Result<Reader<'a>, TlsError> {
        let n = self.u24()?;
        Ok(Reader::new(self.take(n)?, self.what))
    }

    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let r = self.buf;
        self.buf = &[];
        r
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Fails unless everything was read.
    pub(crate) fn finish(&self) -> Result<(), TlsError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(self.err())
        }
    }
}

/// Appends `body` with a big-endian length prefix of `len_bytes` bytes.
pub(crate) fn put_vec(out: &mut Vec<u8>, len_bytes: usize, body: &[u8]) {
    let n = body.len() as u32;
    let be = n.to_be_bytes();
    out.extend(be.iter().skip(4usize.saturating_sub(len_bytes)));
    out.extend_from_slice(body);
}

/// A DER length.
pub(crate) fn der_len(out: &mut Vec<u8>, n: usize) {
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
}

/// A DER TLV.
pub(crate) fn der_tlv(out: &mut Vec<u8>, tag: u8, body: &[u8]) {
    out.push(tag);
    der_len(out, body.len());
    out.extend_from_slice(body);
}

/// Reads one DER TLV (definite length, at most two length bytes): (tag, contents, rest).
pub(crate) fn der_read<'a>(
    input: &'a [u8],
    what: &'static str,
) -> Result<(u8, &'a [u8], &'a [u8]), TlsError> {
    let mut r = Reader::new(input, what);
    let tag = r.u8()?;
    let l0 = r.u8()? as usize;
    let len = match l0 {
        0..=0x7f => l0,
        0x81 => r.u8()? as usize,
        0x82 => r.u16()? as usize,
        _ => return Err(TlsError::Decode(what)),
    };
    let body = r.take(len)?;
    Ok((tag, body, r.rest()))
}
