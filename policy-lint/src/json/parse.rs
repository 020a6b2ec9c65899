//! The strict parser.
//!
//! Strict means RFC 8259 and nothing more: no comments, trailing commas, NaN,
//! single quotes, raw control characters in strings or lone surrogates. Each
//! is an error at the offending byte. Nesting is limited to [`MAX_DEPTH`] so
//! hostile input cannot overflow the stack.

use super::{Member, Node, Str, Value};
use crate::source::Span;

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

/// Parses one JSON text. Spans are offsets into `text`.
///
/// A leading UTF-8 byte order mark is skipped (RFC 8259 section 8.1 lets
/// parsers ignore it); spans still count its three bytes.
pub fn parse(text: &str) -> std::result::Result<Node, ParseError> {
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
        nodes: Vec::new(),
        members: Vec::new(),
    };
    p.skip_ws();
    if p.pos >= bytes.len() {
        return Err(p.error_at(p.pos, 0, "file is empty: expected a JSON value"));
    }
    let node = p.value()?;
    p.skip_ws();
    if p.pos < bytes.len() {
        return Err(p.error_here("unexpected data after the JSON value"));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// Elements of the arrays being parsed, innermost last. Each array's
    /// elements are moved out into a `Vec` of exactly their number when it
    /// closes: no growth slack in the tree, no reallocation while parsing.
    nodes: Vec<Node>,
    /// Members of the objects being parsed, the same way.
    members: Vec<Member>,
}

type Result<T> = std::result::Result<T, ParseError>;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn rest(&self) -> &[u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// The text from `start` to the current position.
    fn slice(&self, start: usize) -> &str {
        self.text.get(start..self.pos).unwrap_or_default()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn span(&self, start: usize) -> Span {
        Span::new(start as u32, self.pos as u32)
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

    fn value(&mut self) -> Result<Node> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node {
                    span: self.span(start),
                    value: Value::String(s),
                })
            }
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
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

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(
                self.pos,
                1,
                format!("nesting is deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Node> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let mark = self.members.len();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                match self.peek() {
                    Some(b'"') => {}
                    Some(b'}') if self.members.len() > mark => {
                        return Err(self.error_at(
                            self.pos,
                            1,
                            "trailing comma before `}` is not allowed in JSON",
                        ));
                    }
                    Some(b'/') => return Err(self.comment_error()),
                    _ => return Err(self.error_here("expected a string key")),
                }
                let key_start = self.pos;
                let key = self.string()?;
                let key_span = self.span(key_start);
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.error_here("expected `:` after the key"));
                }
                self.pos += 1;
                self.skip_ws();
                let value = self.value()?;
                self.members.push(Member {
                    key,
                    key_span,
                    value,
                });
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
        self.depth -= 1;
        let members = self.members.drain(mark..).collect();
        Ok(Node {
            span: self.span(start),
            value: Value::Object(members),
        })
    }

    fn array(&mut self) -> Result<Node> {
        let start = self.pos;
        self.enter()?;
        self.pos += 1;
        let mark = self.nodes.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() == Some(b']') && self.nodes.len() > mark {
                    return Err(self.error_at(
                        self.pos,
                        1,
                        "trailing comma before `]` is not allowed in JSON",
                    ));
                }
                let item = self.value()?;
                self.nodes.push(item);
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
        self.depth -= 1;
        let items = self.nodes.drain(mark..).collect();
        Ok(Node {
            span: self.span(start),
            value: Value::Array(items),
        })
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Node> {
        let start = self.pos;
        if self.rest().starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Node {
                span: self.span(start),
                value,
            })
        } else {
            Err(self.error_here("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Node> {
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
        let literal = self.slice(start);
        Ok(Node {
            span: self.span(start),
            value: Value::Number(literal.into()),
        })
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    /// Parses a string literal at `"`, returning its decoded text.
    fn string(&mut self) -> Result<Str> {
        let open = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        // Fast path: most strings have no escape.
        loop {
            match self.peek() {
                Some(b'"') => {
                    let s = Str::from(self.slice(content_start));
                    self.pos += 1;
                    return Ok(s);
                }
                Some(b'\\') => break,
                Some(b) if b < 0x20 => return Err(self.control_char_error(b)),
                Some(_) => self.pos += 1,
                None => return Err(self.unterminated(open)),
            }
        }
        let mut out = String::with_capacity(self.pos - content_start + 16);
        out.push_str(self.slice(content_start));
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.slice(run_start));
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out.into());
                }
                Some(b'\\') => {
                    let (c, len) = decode_escape(self.rest())
                        .map_err(|(len, msg)| self.error_at(self.pos, len, msg))?;
                    out.push(c);
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

    fn err(text: &str) -> ParseError {
        parse(text).expect_err("should fail")
    }

    #[test]
    fn spans_cover_keys_and_whole_values() {
        let text = r#"{"a": [1, "x\"y"], "b": {}}"#;
        let n = parse(text).expect("valid");
        let a = n.member("a").expect("a");
        assert_eq!(&text[a.key_span.range()], "\"a\"");
        assert_eq!(&text[a.value.span.range()], r#"[1, "x\"y"]"#);
        let items = a.value.as_array().expect("array");
        assert_eq!(items[1].as_str(), Some("x\"y"));
        assert_eq!(&text[items[1].span.range()], r#""x\"y""#);
    }

    #[test]
    fn duplicate_keys_are_kept_and_last_wins() {
        let n = parse(r#"{"k": 1, "k": 2}"#).expect("valid");
        assert_eq!(n.as_object().map(<[_]>::len), Some(2));
        assert!(matches!(&n.get("k").expect("k").value, Value::Number(v) if &**v == "2"));
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
        let n = parse(r#""\ud83d\ude00 \u00e9""#).expect("valid");
        assert_eq!(n.as_str(), Some("\u{1F600} \u{e9}"));
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
        let n = parse("\u{feff}{}").expect("valid");
        assert_eq!(n.span, Span::new(3, 5));
    }

    #[test]
    fn numbers_keep_their_literal() {
        let n = parse("[-0.5e+10, 1E400]").expect("valid");
        let items = n.as_array().expect("array");
        assert!(matches!(&items[1].value, Value::Number(v) if &**v == "1E400"));
    }
}
