//! A stored chunk's fields read straight from its bytes in the document store,
//! borrowed, without building a `TantivyDocument`.
//!
//! `mentions` reads every chunk of every matching item; building a document
//! allocates a string per stored field (17 of them) only for most to be dropped,
//! about a tenth of its time. The layout read here is tantivy's binary document
//! format: a VInt count of values, then per value a `u32` field id (little-endian),
//! a type code and the value (text: VInt length and UTF-8 bytes; numbers and dates:
//! 8 bytes). Anything else, or anything malformed, gives `None`, and the caller
//! falls back to tantivy's own deserializer, so an unexpected layout costs speed,
//! never a wrong row. `tests/stored_fields.rs` checks this against tantivy on every
//! chunk of a generated index.

const TEXT_CODE: u8 = 0;
const U64_CODE: u8 = 1;
const I64_CODE: u8 = 2;
const DATE_CODE: u8 = 5;
const F64_CODE: u8 = 6;

/// Calls `f(field id, text)` for the text values of a stored document, in stored
/// order (numbers and dates are skipped). `None` when the bytes hold anything
/// else, or text that is not UTF-8, possibly after some calls.
pub fn for_each_text<'a>(bytes: &'a [u8], mut f: impl FnMut(u32, &'a str)) -> Option<()> {
    let mut ok = true;
    for_each_text_bytes(bytes, |field, value| match simdutf8::basic::from_utf8(value) {
        Ok(text) if ok => f(field, text),
        _ => ok = false,
    })?;
    ok.then_some(())
}

/// [`for_each_text`] with each text's bytes as stored, unchecked: for callers
/// that use few of the values (`mentions` checks only those it keeps).
pub fn for_each_text_bytes<'a>(bytes: &'a [u8], mut f: impl FnMut(u32, &'a [u8])) -> Option<()> {
    let mut r = Reader { bytes, at: 0 };
    let count = r.vint()?;
    for _ in 0..count {
        let field = u32::from_le_bytes(r.take(4)?.try_into().ok()?);
        match r.byte()? {
            TEXT_CODE => {
                let len = usize::try_from(r.vint()?).ok()?;
                f(field, r.take(len)?);
            }
            U64_CODE | I64_CODE | DATE_CODE | F64_CODE => {
                r.take(8)?;
            }
            _ => return None,
        }
    }
    Some(())
}

/// [`for_each_text`] collected: `(field id, text)` in stored order.
pub fn texts(bytes: &[u8]) -> Option<Vec<(u32, &str)>> {
    let mut out = Vec::new();
    for_each_text(bytes, |field, text| out.push((field, text)))?;
    Some(out)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    /// tantivy's VInt: 7 bits a byte, low bits first, the last byte's top bit set.
    fn vint(&mut self) -> Option<u64> {
        let mut val = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            val |= u64::from(b & 0x7f) << shift;
            if b & 0x80 != 0 {
                return Some(val);
            }
        }
        None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Appends `v` as tantivy's VInt (the stored format's, and the store index's).
    pub(crate) fn vint(mut v: u64, out: &mut Vec<u8>) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b | 0x80);
                return;
            }
            out.push(b);
        }
    }

    #[test]
    fn reads_texts_and_skips_numbers() {
        let long = "x".repeat(300);
        let mut b = Vec::new();
        vint(3, &mut b);
        b.extend_from_slice(&7u32.to_le_bytes());
        b.push(TEXT_CODE);
        vint(long.len() as u64, &mut b);
        b.extend_from_slice(long.as_bytes());
        b.extend_from_slice(&2u32.to_le_bytes());
        b.push(DATE_CODE);
        b.extend_from_slice(&123i64.to_le_bytes());
        b.extend_from_slice(&9u32.to_le_bytes());
        b.push(TEXT_CODE);
        vint(5, &mut b);
        b.extend_from_slice("héll".as_bytes());
        assert_eq!(texts(&b), Some(vec![(7, long.as_str()), (9, "héll")]));
        // Truncated, unknown type code, invalid UTF-8: not guessed at.
        assert_eq!(texts(&b[..b.len() - 1]), None);
        let mut odd = b.clone();
        odd[1 + 4] = 12;
        assert_eq!(texts(&odd), None);
        let n = b.len();
        b[n - 1] = 0xff;
        assert_eq!(texts(&b), None);
    }
}
