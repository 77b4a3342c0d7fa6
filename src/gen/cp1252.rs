//! Windows-1252 encoding, for the few pages written as legacy bytes rather than UTF-8.

/// Characters of bytes 0x80..=0x9F (`None` = undefined in Windows-1252).
const HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Encodes `text`; `None` if some character has no Windows-1252 byte.
pub fn encode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let cp = c as u32;
        if cp < 0x80 || (0xA0..=0xFF).contains(&cp) {
            out.push(cp as u8);
        } else {
            let i = HIGH.iter().position(|h| *h == Some(c))?;
            out.push(0x80 + i as u8);
        }
    }
    Some(out)
}

/// Decodes Windows-1252 bytes (undefined bytes become U+FFFD).
#[allow(dead_code)] // for callers and tests that read the pages back
pub fn decode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)].unwrap_or('\u{FFFD}'),
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_the_artefacts_we_write() {
        let s = "Council’s – £50 “quoted” · • \u{a0}é";
        let b = encode(s).unwrap();
        assert!(std::str::from_utf8(&b).is_err());
        assert_eq!(b[7], 0x92);
        assert_eq!(decode(&b), s);
        assert!(encode("√").is_none());
    }
}
