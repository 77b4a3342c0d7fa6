//! Bytes -> text. Council pages arrive as UTF-8 (most), UTF-8 with a BOM (Windows tools),
//! UTF-16 with a BOM (Excel / Notepad "Unicode" exports) or Windows-1252 (older sites, PDF
//! extractors). We must never lose a character and never index binary junk.
//!
//! Order of checks: BOM sniffing -> binary detection (not for UTF-16) -> strict UTF-8 ->
//! Windows-1252 fallback. Windows-1252 maps every byte, so the fallback is lossless.

use std::borrow::Cow;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many leading bytes are inspected for NULs and control characters.
const SNIFF_LEN: usize = 8 * 1024;

/// Text decoded from a source file, with how it was decoded (shown by `parse`, stored for
/// diagnostics).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// One of "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252".
    pub encoding: &'static str,
    /// True when some bytes could not be decoded and were replaced (U+FFFD) or, for a
    /// multi-byte character cut off at the very end of the file, dropped.
    pub had_errors: bool,
}

/// Why a file cannot be indexed as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("file is empty or holds only whitespace; nothing to index (add text or remove the file)")]
    Empty,
    #[error(
        "file looks binary (NUL or control byte at offset {offset}); sgsearch indexes text and \
         HTML: convert it to UTF-8 text first, or move it out of the indexed folders"
    )]
    Binary { offset: usize },
}

/// Decodes a file's bytes. Copies the text once; prefer [`decode_owned`] when you already own
/// the buffer (e.g. from `std::fs::read`), which avoids the copy for UTF-8 input.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_inner(Cow::Borrowed(bytes))
}

/// Like [`decode`] but reuses `bytes` as the `String` buffer when the input is valid UTF-8
/// (the common case): no copy at all.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    decode_inner(Cow::Owned(bytes))
}

fn decode_inner(bytes: Cow<'_, [u8]>) -> Result<Decoded, DecodeError> {
    // UTF-16 with a BOM: decode directly. Binary sniffing would misfire on the NUL high
    // bytes of ASCII text, so it is skipped here by design.
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }

    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body_start = if bom { 3 } else { 0 };
    let body = &bytes[body_start..];
    if is_blank_bytes(body) {
        return Err(DecodeError::Empty);
    }
    if let Some(offset) = find_binary(body) {
        return Err(DecodeError::Binary { offset: offset + body_start });
    }

    let label = if bom { "utf-8-bom" } else { "utf-8" };
    // Validate once; an owned buffer becomes the String without a copy.
    let strict: Result<String, (Cow<'_, [u8]>, std::str::Utf8Error)> = match bytes {
        Cow::Owned(mut v) => {
            v.drain(..body_start);
            String::from_utf8(v).map_err(|e| {
                let err = e.utf8_error();
                (Cow::Owned(e.into_bytes()), err)
            })
        }
        Cow::Borrowed(b) => {
            let body = &b[body_start..];
            std::str::from_utf8(body).map(str::to_owned).map_err(|e| (Cow::Borrowed(body), e))
        }
    };
    let (body, err) = match strict {
        Ok(text) => return finish(text, label, false),
        Err(x) => x,
    };
    let valid = err.valid_up_to();
    let cut_utf8 = err.error_len().is_none() && (body.len() - valid >= 2 || body[..valid].iter().any(|&b| b >= 0x80));
    if cut_utf8 {
        // Valid UTF-8 except a multi-byte character cut off at the end (pages in the corpus
        // are often truncated mid-character), with evidence that it is UTF-8: other
        // multi-byte characters, or a lead byte plus continuation. Drop the stub instead of
        // re-reading the whole file as Windows-1252, which would garble every ’ and £. A
        // lone final byte in otherwise-ASCII text ("caf\xE9") is Windows-1252.
        let mut v = body.into_owned();
        v.truncate(valid);
        let text = String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        return finish(text, label, true);
    }
    if bom || mostly_utf8(&body) {
        // A UTF-8 file with a few stray bytes (e.g. one pasted Windows-1252 quote), or one
        // whose BOM says UTF-8: keeping UTF-8 preserves the many correct characters.
        let text = String::from_utf8_lossy(&body).into_owned();
        return finish(text, label, true);
    }
    // Windows-1252 in encoding_rs maps all 256 byte values: nothing is lost.
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(&body);
    finish(text.into_owned(), "windows-1252", false)
}

fn utf16(rest: &[u8], little_endian: bool) -> Result<Decoded, DecodeError> {
    let (enc, label) = if little_endian { (UTF_16LE, "utf-16le") } else { (UTF_16BE, "utf-16be") };
    let (text, had_errors) = enc.decode_without_bom_handling(rest);
    finish(text.into_owned(), label, had_errors)
}

fn finish(text: String, encoding: &'static str, had_errors: bool) -> Result<Decoded, DecodeError> {
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded { text, encoding, had_errors })
}

/// ASCII whitespace only: a fast pre-check before any decoding work.
fn is_blank_bytes(b: &[u8]) -> bool {
    b.iter().all(|&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))
}

/// Offset of the first byte that marks the input as binary, if it is binary.
///
/// Looks at the first 8 KiB only (like git and grep): a NUL there means binary. Otherwise
/// the input is binary when more than 10 % of the sample (and at least 4 bytes) are C0
/// control characters other than tab, newline, carriage return and form feed, or DEL.
/// Stray single controls (a DOS EOF 0x1A, an escape) in real text stay below that bar.
fn find_binary(b: &[u8]) -> Option<usize> {
    let sample = &b[..b.len().min(SNIFF_LEN)];
    if let Some(pos) = sample.iter().position(|&c| c == 0) {
        return Some(pos);
    }
    let is_ctrl = |c: u8| (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0C)) || c == 0x7F;
    let count = sample.iter().filter(|&&c| is_ctrl(c)).count();
    if count >= 4 && count * 10 > sample.len() {
        return sample.iter().position(|&c| is_ctrl(c));
    }
    None
}

/// True when the (invalid) UTF-8 input has at least as many well-formed multi-byte
/// characters as invalid sequences. Real Windows-1252 text almost never forms valid UTF-8
/// sequences by accident, so this separates "UTF-8 with a few bad bytes" from "Windows-1252".
fn mostly_utf8(b: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in b.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid_multibyte > 0 && valid_multibyte >= invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8() {
        let d = decode("Children’s services – £5".as_bytes()).unwrap();
        assert_eq!(d.text, "Children’s services – £5");
        assert_eq!(d.encoding, "utf-8");
        assert!(!d.had_errors);
    }

    #[test]
    fn owned_utf8_and_bom() {
        let d = decode_owned("plain text".as_bytes().to_vec()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("plain text", "utf-8"));
        let mut v = vec![0xEF, 0xBB, 0xBF];
        v.extend_from_slice("Agenda – item".as_bytes());
        let d = decode_owned(v.clone()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Agenda – item", "utf-8-bom"));
        let d = decode(&v).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Agenda – item", "utf-8-bom"));
    }

    #[test]
    fn utf16_with_bom() {
        let s = "Panel – £3\r\nMinutes";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&le).unwrap();
        assert_eq!((d.text.as_str(), d.encoding, d.had_errors), (s, "utf-16le", false));
        let d = decode(&be).unwrap();
        assert_eq!((d.text.as_str(), d.encoding, d.had_errors), (s, "utf-16be", false));
    }

    #[test]
    fn windows_1252_fallback() {
        let bytes = b"The board\x92s report \x96 costs \xa3400 \x93quoted\x94";
        let d = decode(bytes).unwrap();
        assert_eq!(d.text, "The board’s report – costs £400 “quoted”");
        assert_eq!(d.encoding, "windows-1252");
        assert!(!d.had_errors);
        // A final byte that could start a UTF-8 sequence, in ASCII text, is Windows-1252.
        let d = decode(b"Caf\xe9").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Café", "windows-1252"));
        // Undefined positions (0x81) still map to something: nothing is lost.
        let d = decode(b"a\x81b\xe9").unwrap();
        assert_eq!(d.text.chars().count(), 4);
    }

    #[test]
    fn utf8_cut_mid_character_stays_utf8() {
        let mut v = "Children’s".as_bytes().to_vec();
        v.extend_from_slice(&"’".as_bytes()[..2]);
        let d = decode(&v).unwrap();
        assert_eq!(d.text, "Children’s");
        assert_eq!(d.encoding, "utf-8");
        assert!(d.had_errors);
    }

    #[test]
    fn mostly_utf8_with_stray_byte_stays_utf8() {
        let mut v = "Children’s and young people’s – ".as_bytes().to_vec();
        v.push(0x92);
        v.extend_from_slice(b" end");
        let d = decode(&v).unwrap();
        assert_eq!(d.encoding, "utf-8");
        assert!(d.had_errors);
        assert!(d.text.starts_with("Children’s and young people’s – "));
        assert!(d.text.contains('\u{FFFD}'));
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \r\n\t \n"), Err(DecodeError::Empty));
        assert_eq!(decode(&[0xEF, 0xBB, 0xBF]), Err(DecodeError::Empty));
        assert_eq!(decode(&[0xFF, 0xFE]), Err(DecodeError::Empty));
        assert_eq!(decode(&[0xFF, 0xFE, b' ', 0]), Err(DecodeError::Empty));
        assert_eq!(decode("\u{a0}\n".as_bytes()), Err(DecodeError::Empty));
    }

    #[test]
    fn binary_detection() {
        assert_eq!(decode(b"%PDF\x00\x01\x02"), Err(DecodeError::Binary { offset: 4 }));
        // Offset counts from the start of the file, BOM included.
        assert_eq!(decode(b"\xEF\xBB\xBFab\x00"), Err(DecodeError::Binary { offset: 5 }));
        // Many control characters without NUL.
        let junk: Vec<u8> = (0..200u8).map(|i| if i % 3 == 0 { 0x01 } else { b'x' }).collect();
        assert_eq!(decode(&junk), Err(DecodeError::Binary { offset: 0 }));
        // A single stray control character in ordinary text is still text.
        let d = decode(b"Minutes of the meeting\x1a\n\x0cPage 2").unwrap();
        assert_eq!(d.encoding, "utf-8");
        // UTF-16 without BOM has NULs: reported as binary (the message says what to do).
        let e = decode(b"a\x00b\x00").unwrap_err();
        assert!(e.to_string().contains("convert it to UTF-8"));
    }

    #[test]
    fn nul_after_sniff_window_is_not_checked() {
        let mut v = vec![b'a'; SNIFF_LEN + 10];
        v.push(0);
        let d = decode(&v).unwrap();
        assert_eq!(d.text.len(), SNIFF_LEN + 11);
    }
}
