//! Escape sequences of JSON string literals, decoded where the parser,
//! the tree (a string read lazily) and an embedded document's byte map
//! need them.

/// Decodes the content of a string literal the parser has checked (no
/// quotes), appending it to `out`.
pub(super) fn unescape_into(raw: &str, out: &mut String) {
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let tail = rest.get(i..).unwrap_or_default();
        match decode_escape(tail.as_bytes()) {
            Ok((c, len)) => {
                out.push(c);
                rest = tail.get(len..).unwrap_or_default();
            }
            // Cannot happen on checked text; keep the rest as it is.
            Err(_) => {
                rest = tail;
                break;
            }
        }
    }
    out.push_str(rest);
}

/// The decoded text of a checked string literal, quotes included.
pub(super) fn unescape_literal(literal: &str) -> String {
    let raw = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal);
    let mut out = String::with_capacity(raw.len());
    unescape_into(raw, &mut out);
    out
}

/// Decodes one escape sequence at the start of `raw` (which begins with `\`).
/// Returns the character and the number of raw bytes it took, or the length of
/// the offending sequence and a message.
pub(super) fn decode_escape(raw: &[u8]) -> std::result::Result<(char, usize), (usize, String)> {
    let Some(&kind) = raw.get(1) else {
        return Err((1, "escape sequence is not terminated".into()));
    };
    let c = match kind {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return decode_unicode_escape(raw),
        _ => {
            let len = if kind.is_ascii() { 2 } else { 1 };
            return Err((len, format!("invalid escape sequence `\\{}`", kind as char)));
        }
    };
    Ok((c, 2))
}

fn hex4(raw: &[u8]) -> Option<u16> {
    let digits = raw.get(..4)?;
    let s = std::str::from_utf8(digits).ok()?;
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(s, 16).ok()
}

fn decode_unicode_escape(raw: &[u8]) -> std::result::Result<(char, usize), (usize, String)> {
    // The error covers `\u` and the hex digits that follow: ASCII only, so
    // the span never ends inside a multi-byte character.
    let bad = || {
        let digits = raw
            .iter()
            .skip(2)
            .take(4)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        (
            2 + digits,
            "`\\u` must be followed by four hex digits".to_string(),
        )
    };
    let hi = hex4(raw.get(2..).unwrap_or_default()).ok_or_else(bad)?;
    match hi {
        0xD800..=0xDBFF => {
            let lo = if raw.get(6..8) == Some(b"\\u") {
                hex4(raw.get(8..).unwrap_or_default())
            } else {
                None
            };
            match lo {
                Some(lo @ 0xDC00..=0xDFFF) => {
                    let code =
                        0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(lo) - 0xDC00);
                    let c = char::from_u32(code).ok_or_else(bad)?;
                    Ok((c, 12))
                }
                _ => Err((
                    6,
                    format!("lone surrogate `\\u{hi:04x}` is not valid Unicode"),
                )),
            }
        }
        0xDC00..=0xDFFF => Err((
            6,
            format!("lone surrogate `\\u{hi:04x}` is not valid Unicode"),
        )),
        _ => Ok((char::from_u32(u32::from(hi)).ok_or_else(bad)?, 6)),
    }
}
