//! The strict parser.
//!
//! Strict means RFC 8259 and nothing more: no comments, trailing commas, NaN,
//! single quotes, raw control characters in strings or lone surrogates. Each
//! is an error at the offending byte. Nesting is limited to [`MAX_DEPTH`] so
//! hostile input cannot overflow the stack.
//!
//! The parser writes the flat [`Tree`] directly: one entry per token, a
//! container's entry patched when it closes. Nothing is copied or decoded
//! but what an embedded document's escapes changed.

use std::sync::{Arc, OnceLock};

use super::tree::{
    ARRAY, DECODED, Entry, FALSE, IN_TEXT, KEY, LAZY, LEN_MAX, LEN_SHIFT, NULL, NUMBER, OBJECT,
    SPILLED, STRING, Spill, TRUE, Tree,
};
use crate::source::{SharedText, Span};

/// Deepest nesting of arrays and objects accepted. Real IAM documents and
/// Terraform plans stay far below it.
pub const MAX_DEPTH: usize = 256;

/// Why a text is not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The offending bytes (empty at the end of input).
    pub span: Span,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

/// Parses one JSON text. Spans are offsets into `text`; the tree keeps a
/// copy of it ([`parse_shared`] takes text already shared instead).
///
/// A leading UTF-8 byte order mark is skipped (RFC 8259 section 8.1 lets
/// parsers ignore it); spans still count its three bytes.
pub fn parse(text: &str) -> std::result::Result<Tree, ParseError> {
    let tokens = tokenize(text, None)?;
    Ok(tokens.into_tree(Arc::new(text.to_string())))
}

/// [`parse`] for text already held in an `Arc`, which the tree shares
/// rather than copies: a file's source and its tree are one buffer.
pub fn parse_shared(text: SharedText) -> std::result::Result<Tree, ParseError> {
    let tokens = tokenize(&text, None)?;
    Ok(tokens.into_tree(text))
}

/// Parses `decoded`, the text of a document embedded in a string of `outer`,
/// where `map[i]` is the outer offset byte `i` of `decoded` came from (one
/// more entry for the end). Spans, errors included, land in `outer`.
pub(super) fn parse_embedded(
    decoded: &str,
    map: &[u32],
    outer: &SharedText,
) -> std::result::Result<Tree, ParseError> {
    let tokens = tokenize(decoded, Some(Embedding { map, outer }))?;
    Ok(tokens.into_tree(Arc::clone(outer)))
}

/// Where an embedded document's bytes are in the outer file.
#[derive(Clone, Copy)]
struct Embedding<'a> {
    map: &'a [u32],
    outer: &'a str,
}

impl Embedding<'_> {
    fn outer_span(&self, start: usize, end: usize) -> Span {
        super::embedded::outer_span(self.map, Span::new(start as u32, end as u32))
    }
}

/// What the parser produced, before it is joined to its text.
struct Tokens {
    entries: Vec<Entry>,
    /// Whether `entries` is the thread's buffer (a small text).
    scratch: bool,
    decoded: String,
    lazy: usize,
    spilled: Vec<Spill>,
}

/// Texts up to this size are tokenized into a buffer each thread keeps,
/// then copied out at their exact size: on many small files this writes
/// the same warm pages again instead of faulting in new ones (the page
/// faults were a tenth of the time on the 1,645 AWS managed policies).
/// Larger texts get their own buffer, so that a large plan's tree is never
/// held twice.
const SCRATCH_LIMIT: usize = 1 << 20;

thread_local! {
    static SCRATCH: std::cell::Cell<Vec<Entry>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Tokens {
    fn into_tree(mut self, text: SharedText) -> Tree {
        let entries = if self.scratch {
            // The thread's buffer: copy out, keep the buffer.
            let exact = self.entries.as_slice().to_vec();
            // Kept for the next file unless a dense text grew it past 1 MiB.
            if self.entries.capacity() <= SCRATCH_LIMIT / std::mem::size_of::<Entry>() {
                self.entries.clear();
                SCRATCH.set(std::mem::take(&mut self.entries));
            }
            exact
        } else {
            self.entries.shrink_to_fit();
            std::mem::take(&mut self.entries)
        };
        self.decoded.shrink_to_fit();
        Tree {
            text,
            entries,
            decoded: self.decoded,
            lazy: std::iter::repeat_with(OnceLock::new)
                .take(self.lazy)
                .collect(),
            spilled: self.spilled,
            large: OnceLock::new(),
        }
    }
}

fn tokenize(
    text: &str,
    embedding: Option<Embedding<'_>>,
) -> std::result::Result<Tokens, ParseError> {
    if text.len() > u32::MAX as usize {
        return Err(ParseError {
            span: Span::empty(0),
            message: "file is larger than 4 GiB".into(),
        });
    }
    let bytes = text.as_bytes();
    let start = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut p = Parser {
        text,
        bytes,
        pos: start,
        depth: 0,
        embedding,
        out: Tokens {
            entries: if text.len() <= SCRATCH_LIMIT {
                SCRATCH.take()
            } else {
                // About one token per 17 bytes in a compact plan: reserving
                // a little more saves the copies of doubling; pages never
                // written are never resident, and the slack is trimmed at
                // the end.
                Vec::with_capacity(text.len() / 12 + 4)
            },
            scratch: text.len() <= SCRATCH_LIMIT,
            decoded: String::new(),
            lazy: 0,
            spilled: Vec::new(),
        },
    };
    let result = p.document();
    match (result, p.embedding) {
        (Ok(()), _) => Ok(p.out),
        (Err(mut e), Some(emb)) => {
            e.span = emb.outer_span(e.span.start as usize, e.span.end as usize);
            Err(e)
        }
        (Err(e), None) => Err(e),
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    embedding: Option<Embedding<'a>>,
    out: Tokens,
}

type Result<T> = std::result::Result<T, ParseError>;

impl Parser<'_> {
    fn document(&mut self) -> Result<()> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return Err(self.error_at(self.pos, 0, "file is empty: expected a JSON value"));
        }
        self.value()?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.error_here("unexpected data after the JSON value"));
        }
        Ok(())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn rest(&self) -> &[u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// The span from `start` to the current position, in the file.
    fn span(&self, start: usize) -> Span {
        match self.embedding {
            None => Span::new(start as u32, self.pos as u32),
            Some(e) => e.outer_span(start, self.pos),
        }
    }

    fn error_at(&self, pos: usize, len: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            span: Span::new(pos as u32, (pos + len) as u32),
            message: message.into(),
        }
    }

    /// An error at the current character (its whole UTF-8 sequence), or at
    /// the end of the last token when input ends, so the report lands on the
    /// line where the text stops rather than on a trailing empty line.
    fn error_here(&self, message: &str) -> ParseError {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => {
                let what = describe_char(c);
                let message = if message.is_empty() {
                    format!("unexpected {what}")
                } else {
                    format!("{message}, found {what}")
                };
                self.error_at(self.pos, c.len_utf8(), message)
            }
            None => {
                let end = self.text.trim_end_matches([' ', '\t', '\n', '\r']).len();
                let message = if message.is_empty() {
                    "unexpected end of input".to_string()
                } else {
                    format!("{message}, found end of input")
                };
                self.error_at(end, 0, message)
            }
        }
    }

    /// Adds a scalar entry whose text is `len` bytes at `data` of `storage`.
    fn push_scalar(&mut self, kind: u32, span: Span, storage: u32, data: usize, len: usize) {
        let (storage, data, len) = match u32::try_from(len) {
            Ok(len) if len < LEN_MAX => (storage, data as u32, len),
            // Only DECODED and IN_TEXT text has a length.
            _ => {
                self.out.spilled.push(Spill {
                    decoded: storage == DECODED,
                    offset: data as u32,
                    len: len as u32,
                });
                (SPILLED, (self.out.spilled.len() - 1) as u32, 0)
            }
        };
        self.out.entries.push(Entry {
            start: span.start,
            end: span.end,
            meta: kind | storage | (len << LEN_SHIFT),
            data,
        });
    }

    fn push_plain(&mut self, kind: u32, start: usize) {
        let span = self.span(start);
        self.out.entries.push(Entry {
            start: span.start,
            end: span.end,
            meta: kind,
            data: 0,
        });
    }

    /// Adds a scalar whose text is `self.text[range]`, unescaped: in place
    /// when the bytes are there verbatim, copied when only an embedded
    /// document's decoding produced them.
    fn push_text(&mut self, kind: u32, span: Span, range: std::ops::Range<usize>) {
        let Some(e) = self.embedding else {
            return self.push_scalar(kind, span, IN_TEXT, range.start, range.len());
        };
        let content = self.text.get(range.clone()).unwrap_or_default();
        let outer = e.outer_span(range.start, range.end);
        if e.outer.get(outer.range()) == Some(content) {
            return self.push_scalar(kind, span, IN_TEXT, outer.start as usize, content.len());
        }
        let at = self.out.decoded.len();
        self.out.decoded.push_str(content);
        self.push_scalar(kind, span, DECODED, at, content.len());
    }

    fn value(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string(STRING),
            Some(b't') => self.literal("true", TRUE),
            Some(b'f') => self.literal("false", FALSE),
            Some(b'n') => self.literal("null", NULL),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'N') if self.rest().starts_with(b"NaN") => {
                Err(self.error_at(self.pos, 3, "NaN is not valid JSON"))
            }
            Some(b'I') if self.rest().starts_with(b"Infinity") => {
                Err(self.error_at(self.pos, 8, "Infinity is not valid JSON"))
            }
            Some(b'\'') => Err(self.error_at(
                self.pos,
                1,
                "strings must use double quotes, found a single quote",
            )),
            Some(b'/') => Err(self.comment_error()),
            _ => Err(self.error_here("expected a JSON value")),
        }
    }

    fn comment_error(&self) -> ParseError {
        self.error_at(self.pos, 1, "comments are not allowed in JSON")
    }

    /// Enters a container at `{` or `[`: checks the depth and reserves its
    /// entry, returning the entry's index.
    fn open(&mut self) -> Result<usize> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(
                self.pos,
                1,
                format!("nesting is deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.pos += 1;
        self.out.entries.push(Entry::default());
        Ok(self.out.entries.len() - 1)
    }

    /// Fills in the entry of the container opened at `start` and reserved
    /// at `at`, now that its `count` children are parsed.
    fn close(&mut self, at: usize, start: usize, kind: u32, count: u32) {
        self.depth -= 1;
        let span = self.span(start);
        let descendants = (self.out.entries.len() - at - 1) as u32;
        if let Some(e) = self.out.entries.get_mut(at) {
            *e = Entry {
                start: span.start,
                end: span.end,
                meta: kind | (count.min(LEN_MAX) << LEN_SHIFT),
                data: descendants,
            };
        }
    }

    fn object(&mut self) -> Result<()> {
        let start = self.pos;
        let at = self.open()?;
        let mut count = 0u32;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                match self.peek() {
                    Some(b'"') => {}
                    Some(b'}') if count > 0 => {
                        return Err(self.error_at(
                            self.pos,
                            1,
                            "trailing comma before `}` is not allowed in JSON",
                        ));
                    }
                    Some(b'/') => return Err(self.comment_error()),
                    _ => return Err(self.error_here("expected a string key")),
                }
                self.string(KEY)?;
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.error_here("expected `:` after the key"));
                }
                self.pos += 1;
                self.skip_ws();
                self.value()?;
                count = count.saturating_add(1);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    Some(b'/') => return Err(self.comment_error()),
                    _ => return Err(self.error_here("expected `,` or `}` after the value")),
                }
            }
        }
        self.close(at, start, OBJECT, count);
        Ok(())
    }

    fn array(&mut self) -> Result<()> {
        let start = self.pos;
        let at = self.open()?;
        let mut count = 0u32;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() == Some(b']') && count > 0 {
                    return Err(self.error_at(
                        self.pos,
                        1,
                        "trailing comma before `]` is not allowed in JSON",
                    ));
                }
                self.value()?;
                count = count.saturating_add(1);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    Some(b'/') => return Err(self.comment_error()),
                    _ => return Err(self.error_here("expected `,` or `]` after the element")),
                }
            }
        }
        self.close(at, start, ARRAY, count);
        Ok(())
    }

    fn literal(&mut self, word: &str, kind: u32) -> Result<()> {
        let start = self.pos;
        if self.rest().starts_with(word.as_bytes()) {
            self.pos += word.len();
            self.push_plain(kind, start);
            Ok(())
        } else {
            Err(self.error_here("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<()> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error_at(
                        start,
                        self.pos + 1 - start,
                        "numbers cannot have leading zeros",
                    ));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error_here("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_here("expected a digit in the exponent"));
            }
            self.digits();
        }
        let span = self.span(start);
        self.push_text(NUMBER, span, start..self.pos);
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// Parses a string literal at `"` as a value or key entry.
    fn string(&mut self, kind: u32) -> Result<()> {
        let open = self.pos;
        let escaped = self.scan_string()?;
        let span = self.span(open);
        let content = open + 1..self.pos - 1;
        match (escaped, self.embedding.is_some()) {
            (false, _) => self.push_text(kind, span, content),
            // Escapes in the source: decoded when first read (most never are).
            (true, false) => {
                self.out.lazy += 1;
                self.push_scalar(kind, span, LAZY, self.out.lazy - 1, 0);
            }
            // Escapes inside an embedded document: decoded now, since the
            // raw bytes in the file are escaped twice.
            (true, true) => {
                let at = self.out.decoded.len();
                let raw = self.text.get(content).unwrap_or_default();
                unescape_into(raw, &mut self.out.decoded);
                let len = self.out.decoded.len() - at;
                self.push_scalar(kind, span, DECODED, at, len);
            }
        }
        Ok(())
    }

    /// Moves past the string literal at `"`, checking it; returns whether
    /// it holds an escape.
    fn scan_string(&mut self) -> Result<bool> {
        let open = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            self.pos += string_run(self.rest());
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(escaped);
                }
                Some(b'\\') => {
                    let (_, len) = decode_escape(self.rest())
                        .map_err(|(len, msg)| self.error_at(self.pos, len, msg))?;
                    escaped = true;
                    self.pos += len;
                }
                Some(b) => return Err(self.control_char_error(b)),
                None => return Err(self.unterminated(open)),
            }
        }
    }

    fn control_char_error(&self, b: u8) -> ParseError {
        self.error_at(
            self.pos,
            1,
            format!("control character U+{b:04X} must be escaped inside a string"),
        )
    }

    fn unterminated(&self, open: usize) -> ParseError {
        let end = self.text.trim_end_matches([' ', '\t', '\n', '\r']).len();
        ParseError {
            span: Span::new(open as u32, end.max(open) as u32),
            message: "string is not terminated".into(),
        }
    }
}

/// How many bytes of `bytes` precede the first `"`, `\\` or control
/// character (all of them when there is none).
///
/// Strings are most of a policy's bytes, so they are scanned eight at a
/// time: a byte is found with the "has a zero byte" bit trick on the word
/// XOR the byte repeated, and control characters with the same borrow test
/// against 0x20. Bits above the first hit may be false, so only the lowest
/// is used.
fn string_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_bytes = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut done = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let v = u64::from_le_bytes(word);
        let hits = zero_bytes(v ^ (ONES * u64::from(b'"')))
            | zero_bytes(v ^ (ONES * u64::from(b'\\')))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
        if hits != 0 {
            return done + (hits.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let tail = bytes.get(done..).unwrap_or_default();
    done + tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(tail.len())
}

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

fn describe_char(c: char) -> String {
    if c.is_control() || c == '\u{feff}' {
        format!("character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Node, Value};

    fn err(text: &str) -> ParseError {
        parse(text).expect_err("should fail")
    }

    #[test]
    fn spans_cover_keys_and_whole_values() {
        let text = r#"{"a": [1, "x\"y"], "b": {}}"#;
        let tree = parse(text).expect("valid");
        let a = tree.root().member("a").expect("a");
        assert_eq!(&text[a.key_span.range()], "\"a\"");
        assert_eq!(&text[a.value.span().range()], r#"[1, "x\"y"]"#);
        let items = a.value.as_array().expect("array");
        let second = items.get(1).expect("second");
        assert_eq!(second.as_str(), Some("x\"y"));
        assert_eq!(&text[second.span().range()], r#""x\"y""#);
        assert_eq!(
            tree.root().get("b").map(|b| b.span()),
            Some(Span::new(24, 26))
        );
    }

    #[test]
    fn duplicate_keys_are_kept_and_last_wins() {
        let tree = parse(r#"{"k": 1, "k": 2}"#).expect("valid");
        assert_eq!(tree.root().as_object().map(|o| o.len()), Some(2));
        assert!(matches!(
            tree.root().get("k").expect("k").value(),
            Value::Number("2")
        ));
        let k = tree.root().get_ignore_case("K").expect("K");
        assert_eq!(k.value.as_number(), Some("2"));
    }

    #[test]
    fn siblings_are_found_past_nested_subtrees() {
        let text = r#"[{"a": [[1], {"b": null}]}, true, "s", {"c": [false]}]"#;
        let tree = parse(text).expect("valid");
        let kinds: Vec<_> = tree
            .root()
            .as_array()
            .expect("array")
            .iter()
            .map(|n| n.type_name())
            .collect();
        assert_eq!(kinds, ["object", "boolean", "string", "object"]);
        let c = tree.root().as_array().and_then(|a| a.last()).expect("last");
        assert_eq!(
            c.get("c").and_then(|c| c.as_array()).map(|a| a.len()),
            Some(1)
        );
        let values: Vec<_> = tree
            .root()
            .as_array()
            .and_then(|a| a.first())
            .expect("first")
            .child_values()
            .map(|n| n.span())
            .collect();
        assert_eq!(values, [Span::new(7, 25)]);
    }

    #[test]
    fn long_strings_and_large_containers_exceed_the_entry_fields() {
        // Unit tests store at most 15 bytes or children in an entry: longer
        // strings go to the spill table, larger counts are counted.
        let long = "abcdefghijklmnopqrstuvwxyz";
        let items: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let members: Vec<String> = (0..20).map(|i| format!("\"k{i}\": {i}")).collect();
        let text = format!(
            r#"{{"{long}": "{long}", "e": "{long}\n", "a": [{}], "o": {{{}}}}}"#,
            items.join(","),
            members.join(",")
        );
        let tree = parse(&text).expect("valid");
        let root = tree.root();
        assert_eq!(root.get_str(long), Some(long));
        assert_eq!(root.get_str("e"), Some(format!("{long}\n").as_str()));
        let a = root.get("a").and_then(|a| a.as_array()).expect("a");
        assert_eq!(a.len(), 40);
        assert_eq!(a.iter().len(), 40);
        assert_eq!(a.last().and_then(|n| n.as_number()), Some("39"));
        let o = root.get("o").and_then(|o| o.as_object()).expect("o");
        assert_eq!(o.len(), 20);
        assert_eq!(
            root.get("o")
                .and_then(|o| o.get("k19"))
                .and_then(|n| n.as_number()),
            Some("19")
        );
        assert!(!tree.spilled.is_empty());
    }

    #[test]
    fn escaped_strings_are_decoded_when_read() {
        let tree = parse(r#"{"a\u0062": "x\ty", "plain": "z"}"#).expect("valid");
        assert_eq!(tree.lazy.len(), 2);
        assert!(tree.lazy.iter().all(|l| l.get().is_none()));
        assert_eq!(tree.root().get_str("ab"), Some("x\ty"));
        assert!(tree.lazy.iter().all(|l| l.get().is_some()));
        assert_eq!(tree.root().get_str("plain"), Some("z"));
    }

    #[test]
    fn string_characters_are_read_without_decoding_the_whole_string() {
        let text = r#"["\n  {\"a\": \"\u00e9\ud83d\ude00\"}", "plain é", "\\", 1]"#;
        let tree = parse(text).expect("valid");
        let items: Vec<Node<'_>> = tree.root().as_array().expect("array").iter().collect();
        // Peeking leaves the lazy strings undecoded.
        let first = items[0]
            .str_chars()
            .expect("string")
            .find(|c| !c.is_whitespace());
        assert_eq!(first, Some('{'));
        assert!(tree.lazy.iter().all(|l| l.get().is_none()));
        for &item in &items[..3] {
            let chars: String = item.str_chars().expect("string").collect();
            assert_eq!(Some(chars.as_str()), item.as_str());
            // And the same once decoded.
            let again: String = item.str_chars().expect("string").collect();
            assert_eq!(again, chars);
        }
        assert!(items[3].str_chars().is_none());
    }

    #[test]
    fn nodes_are_found_again_by_span_and_index() {
        let text = r#"{"a": [1, {"b": "c"}], "d": null}"#;
        let tree = parse(text).expect("valid");
        let b = tree
            .root()
            .get("a")
            .and_then(|a| a.as_array()?.get(1))
            .and_then(|o| o.get("b"))
            .expect("b");
        assert_eq!(tree.find(b.span()), Some(b));
        assert_eq!(tree.node(b.index()), b);
        assert_eq!(tree.find(tree.root().span()), Some(tree.root()));
        // A key is not a value.
        let key = tree.root().member("d").expect("d").key_span;
        assert_eq!(tree.find(key), None);
        assert_eq!(tree.find(Span::new(7, 9)), None);
    }

    #[test]
    fn converts_to_serde_json() {
        let text = r#"{"a": [1, -2.5e3, true, null, "s\n"], "a": {"x": false}}"#;
        let tree = parse(text).expect("valid");
        assert_eq!(
            tree.root().to_serde(),
            serde_json::json!({"a": {"x": false}})
        );
        let first = tree.root().as_object().and_then(|o| o.first()).expect("a");
        assert_eq!(
            first.value.to_serde(),
            serde_json::json!([1, -2.5e3, true, null, "s\n"])
        );
    }

    #[test]
    fn strictness() {
        assert_eq!(err("{\"a\": 1,}").span, Span::new(8, 9));
        assert_eq!(err("[1,]").span, Span::new(3, 4));
        assert_eq!(err("// c\n{}").span, Span::new(0, 1));
        assert_eq!(err("{\"a\": NaN}").span, Span::new(6, 9));
        assert_eq!(err("\"a\tb\"").span, Span::new(2, 3));
        assert_eq!(err("\"\\ud800\"").span, Span::new(1, 7));
        assert_eq!(err("\"\\udc00\\u0041\"").span, Span::new(1, 7));
        assert_eq!(err("01").span, Span::new(0, 2));
        assert_eq!(err("{'a': 1}").span, Span::new(1, 2));
        assert_eq!(err("[1] x").span, Span::new(4, 5));
        assert_eq!(err("").message, "file is empty: expected a JSON value");
    }

    #[test]
    fn truncated_input_is_reported_where_the_text_ends() {
        let text = "{\n  \"Statement\": [\n\n\n";
        let e = err(text);
        assert_eq!(e.span, Span::empty(18));
        assert!(e.message.contains("end of input"), "{}", e.message);
    }

    #[test]
    fn a_short_unicode_escape_before_a_multibyte_character_is_reported_on_char_boundaries() {
        // Found by the `parse` fuzz target: the span used to take six bytes,
        // ending inside the byte order mark.
        let text = "{\"a\": \"\\ud\"\u{feff}}";
        let e = err(text);
        assert_eq!(&text[e.span.range()], "\\ud");
        assert!(e.message.contains("four hex digits"), "{}", e.message);
    }

    #[test]
    fn surrogate_pairs_decode() {
        let tree = parse(r#""\ud83d\ude00 \u00e9""#).expect("valid");
        assert_eq!(tree.root().as_str(), Some("\u{1F600} \u{e9}"));
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(err(&deep).message.contains("nesting"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn bom_is_skipped_and_spans_count_it() {
        let tree = parse("\u{feff}{}").expect("valid");
        assert_eq!(tree.root().span(), Span::new(3, 5));
    }

    #[test]
    fn string_runs_stop_at_the_first_quote_backslash_or_control_character() {
        let naive = |b: &[u8]| {
            b.iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                .unwrap_or(b.len())
        };
        let alphabet = [b'a', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x00, b'!'];
        // Every position of every special byte after runs of ordinary,
        // high and boundary bytes, in words and tails.
        for len in 0..24 {
            for fill in [b'a', 0x20, 0x7f, 0x80, 0xff, b'!', b'#', b']'] {
                for &special in &alphabet {
                    for at in 0..=len {
                        let mut bytes = vec![fill; len];
                        if at < len {
                            bytes[at] = special;
                        }
                        assert_eq!(string_run(&bytes), naive(&bytes), "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn numbers_keep_their_literal() {
        let tree = parse("[-0.5e+10, 1E400]").expect("valid");
        let items = tree.root().as_array().expect("array");
        assert!(matches!(
            items.get(1).expect("1").value(),
            Value::Number("1E400")
        ));
    }
}
