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

use super::escape::{decode_escape, unescape_into};
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

/// Where the decoded range `span` lies in the outer file, given the byte map
/// of [`EmbeddedText`](super::EmbeddedText) (past the end: the end of the literal's content).
pub(super) fn outer_span(map: &[u32], span: Span) -> Span {
    let at = |i: u32| map.get(i as usize).or(map.last()).copied().unwrap_or(0);
    Span::new(at(span.start), at(span.end))
}

/// Where an embedded document's bytes are in the outer file.
#[derive(Clone, Copy)]
struct Embedding<'a> {
    map: &'a [u32],
    outer: &'a str,
}

impl Embedding<'_> {
    fn outer_span(&self, start: usize, end: usize) -> Span {
        outer_span(self.map, Span::new(start as u32, end as u32))
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

fn describe_char(c: char) -> String {
    if c.is_control() || c == '\u{feff}' {
        format!("character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

#[cfg(test)]
mod tests;
