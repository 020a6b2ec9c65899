//! Text encodings of input files.
//!
//! JSON is UTF-8 (RFC 8259 section 8.1), but Windows PowerShell 5 writes
//! `terraform show -json > plan.json` as UTF-16LE with a byte order mark,
//! and older tools write UTF-16 without one. Such files are decoded to
//! UTF-8 here, so everything downstream works on one kind of text; the
//! [`Encoding`] kept with the text maps its offsets back to the file's
//! bytes for the outputs that report byte offsets. Any other encoding (UTF-32,
//! UTF-7, a legacy code page) is refused with a message that names it,
//! rather than parsed into garbage.

/// How a file's bytes were read as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8, with or without a byte order mark: text offsets are file offsets.
    #[default]
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Encoding {
    /// The encoding's usual name (`UTF-16LE`), as iconv spells it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
        }
    }

    /// Whether text offsets differ from file offsets.
    pub const fn is_utf16(self) -> bool {
        !matches!(self, Self::Utf8)
    }
}

/// Why a file's bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Where in the decoded text the problem is (the text ends there when
    /// the file is UTF-16).
    pub offset: u32,
    /// What is wrong, naming the encoding.
    pub message: String,
}

/// A file's text after decoding.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text, UTF-8. A byte order mark stays in it as U+FEFF, which the
    /// parser skips, so spans still count its bytes.
    pub text: String,
    /// What the file was encoded in.
    pub encoding: Encoding,
    /// Why the bytes are not (all) text.
    pub error: Option<DecodeError>,
}

/// Encodings recognised by their byte order mark that policy-lint does not
/// read, longest marks first where one is a prefix of another.
const UNSUPPORTED_MARKS: &[(&[u8], &str)] = &[
    (&[0xFF, 0xFE, 0x00, 0x00], "UTF-32LE"),
    (&[0x00, 0x00, 0xFE, 0xFF], "UTF-32BE"),
    (&[0x2B, 0x2F, 0x76], "UTF-7"),
    (&[0xF7, 0x64, 0x4C], "UTF-1"),
    (&[0xDD, 0x73, 0x66, 0x73], "UTF-EBCDIC"),
    (&[0x0E, 0xFE, 0xFF], "SCSU"),
    (&[0xFB, 0xEE, 0x28], "BOCU-1"),
    (&[0x84, 0x31, 0x95, 0x33], "GB18030"),
];

/// Decodes `bytes`: UTF-8, or UTF-16 when a byte order mark or the pattern
/// of zero bytes of RFC 4627 section 3 says so (a JSON text starts with an
/// ASCII character, so its first code unit has a zero byte).
pub fn decode(bytes: Vec<u8>) -> Decoded {
    if let Some(name) = unsupported(&bytes) {
        return refused(format!(
            "file is encoded in {name}; policy-lint reads UTF-8 and UTF-16: convert it, e.g. `iconv -f {name} -t UTF-8`"
        ));
    }
    match sniff_utf16(&bytes) {
        Some(encoding) => decode_utf16(&bytes, encoding),
        None => decode_utf8(bytes),
    }
}

fn refused(message: String) -> Decoded {
    Decoded {
        text: String::new(),
        encoding: Encoding::Utf8,
        error: Some(DecodeError { offset: 0, message }),
    }
}

/// The name of an encoding policy-lint does not read, when the bytes show one.
fn unsupported(bytes: &[u8]) -> Option<&'static str> {
    if let Some((_, name)) = UNSUPPORTED_MARKS.iter().find(|(m, _)| bytes.starts_with(m)) {
        return Some(name);
    }
    // UTF-32 without a mark: one ASCII character and three zero bytes.
    match bytes {
        [0, 0, 0, b, ..] if *b != 0 => Some("UTF-32BE"),
        [b, 0, 0, 0, ..] if *b != 0 => Some("UTF-32LE"),
        _ => None,
    }
}

fn sniff_utf16(bytes: &[u8]) -> Option<Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16Be),
        [0, a, ..] if *a != 0 => Some(Encoding::Utf16Be),
        [a, 0, ..] if *a != 0 => Some(Encoding::Utf16Le),
        _ => None,
    }
}

fn decode_utf8(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding: Encoding::Utf8,
            error: None,
        },
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let byte = bytes.get(at).copied().unwrap_or_default();
            let offset = u32::try_from(at).unwrap_or(u32::MAX);
            let mut message =
                format!("file is not valid UTF-8 (invalid byte 0x{byte:02X} at offset {at})");
            if looks_single_byte(bytes, at) {
                message.push_str(
                    "; it looks like a single-byte encoding such as Windows-1252 or ISO-8859-1: \
                     convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`",
                );
            }
            // Bytes after the first invalid one are shown as U+FFFD; every
            // span before it stays exact.
            let text = String::from_utf8_lossy(bytes).into_owned();
            Decoded {
                text,
                encoding: Encoding::Utf8,
                error: Some(DecodeError { offset, message }),
            }
        }
    }
}

/// Whether the invalid byte at `at` stands alone (not the start of a
/// multi-byte sequence cut short), as legacy 8-bit text has it: `é` in
/// Windows-1252 is the single byte 0xE9 between ASCII letters.
fn looks_single_byte(bytes: &[u8], at: usize) -> bool {
    let next = bytes.get(at + 1).copied();
    bytes.get(at).is_some_and(|b| *b >= 0x80) && next.is_none_or(|n| n & 0xC0 != 0x80)
}

fn decode_utf16(bytes: &[u8], encoding: Encoding) -> Decoded {
    let unit = |pair: &[u8]| match (encoding, pair) {
        (Encoding::Utf16Be, [hi, lo]) => u16::from_be_bytes([*hi, *lo]),
        (_, [lo, hi]) => u16::from_le_bytes([*lo, *hi]),
        _ => 0,
    };
    let units = bytes.chunks_exact(2).map(unit);
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut error = None;
    let mut at_unit = 0usize;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => {
                text.push(c);
                at_unit += c.len_utf16();
            }
            Err(e) => {
                error = Some(format!(
                    "file is {} but has an unpaired surrogate 0x{:04X} at byte {}",
                    encoding.name(),
                    e.unpaired_surrogate(),
                    at_unit * 2
                ));
                break;
            }
        }
    }
    if error.is_none() && bytes.len() % 2 == 1 {
        error = Some(format!(
            "file is {} but its length is odd: the last byte (offset {}) is half a character",
            encoding.name(),
            bytes.len() - 1
        ));
    }
    text.shrink_to_fit();
    let offset = u32::try_from(text.len()).unwrap_or(u32::MAX);
    Decoded {
        text,
        encoding,
        error: error.map(|message| DecodeError { offset, message }),
    }
}

/// UTF-16 code units in a run of UTF-8 bytes: one per character, two for
/// the characters that take four bytes (outside the Basic Multilingual
/// Plane). Counts lead bytes, so a run may start or end inside a character.
pub(super) fn utf16_units(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn utf16_with_and_without_a_mark_decodes_to_the_same_text() {
        let d = decode(utf16le("{\"a\": \"\u{e9}\u{1f600}\"}", true));
        assert_eq!(d.encoding, Encoding::Utf16Le);
        assert_eq!(d.text, "\u{feff}{\"a\": \"\u{e9}\u{1f600}\"}");
        assert!(d.error.is_none());
        let d = decode(utf16le("{}", false));
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf16Le, "{}"));
        let be: Vec<u8> = [0xFE, 0xFF, 0, b'[', 0, b']'].to_vec();
        let d = decode(be);
        assert_eq!(
            (d.encoding, d.text.as_str()),
            (Encoding::Utf16Be, "\u{feff}[]")
        );
    }

    #[test]
    fn broken_utf16_stops_at_the_bad_unit_and_says_where() {
        let mut bytes = utf16le("[1", true);
        bytes.extend([0x00, 0xD8, b']', 0]);
        let d = decode(bytes);
        let e = d.error.expect("error");
        assert_eq!(d.text, "\u{feff}[1");
        assert_eq!(e.offset, 5);
        assert!(
            e.message.contains("unpaired surrogate 0xD800 at byte 6"),
            "{}",
            e.message
        );
        let d = decode(vec![0xFF, 0xFE, b'[', 0, b']']);
        assert!(d.error.expect("odd").message.contains("length is odd"));
    }

    #[test]
    fn other_encodings_are_named() {
        for (bytes, name) in [
            (vec![0xFF, 0xFE, 0, 0, b'{', 0, 0, 0], "UTF-32LE"),
            (vec![0, 0, 0, b'{', 0, 0, 0, b'}'], "UTF-32BE"),
            (b"+/v8{}".to_vec(), "UTF-7"),
        ] {
            let d = decode(bytes);
            let e = d.error.expect("refused");
            assert!(
                e.message.contains(&format!("encoded in {name}")),
                "{}",
                e.message
            );
            assert_eq!((e.offset, d.text.as_str()), (0, ""));
        }
        let e = decode(b"{\"a\": \"caf\xe9\"}".to_vec())
            .error
            .expect("latin-1");
        assert!(e.message.contains("0xE9 at offset 10"), "{}", e.message);
        assert!(e.message.contains("Windows-1252"), "{}", e.message);
        // A sequence cut short is not a legacy encoding.
        let e = decode(b"{\"a\": \"\xe2\x82\"}".to_vec())
            .error
            .expect("cut");
        assert!(!e.message.contains("Windows-1252"), "{}", e.message);
    }

    #[test]
    fn zero_bytes_alone_stay_utf8() {
        let d = decode(vec![0; 8]);
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(d.error.is_none());
    }

    #[test]
    fn units_count_supplementary_characters_twice() {
        assert_eq!(utf16_units("a\u{e9}\u{20ac}\u{1f600}".as_bytes()), 5);
    }
}
