//! Documents embedded in JSON strings (a policy inside a Terraform plan, a
//! URL-encoded policy from the IAM API).
//!
//! The string is decoded while recording, for each decoded byte, the byte of
//! the outer file its escape sequence starts at. An inner span `a..b` then
//! lands on the outer file at `map[a]..map[b]`: `map[b]` is where the next
//! decoded character's source starts, so the outer span covers the whole
//! escaped token (`\"ec2.amazonaws.com\"`), escapes included.

use std::sync::Arc;

use super::escape::decode_escape;
use super::parse::{outer_span, parse_embedded};
use super::{ParseError, Tree};
use crate::source::{SharedText, Span};

/// Decoded text plus its map back to the outer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedText {
    /// The decoded text.
    pub text: String,
    /// For each byte of `text`, the outer offset of its source; one more entry
    /// for the end of the text.
    map: Vec<u32>,
    /// The outer file's text, which the parsed tree points into.
    outer: SharedText,
}

/// Decodes the string literal at `literal` (quotes included) in `outer`.
/// Returns `None` when `literal` is not a valid string literal, which cannot
/// happen for spans the parser produced.
pub fn decode_string_literal(outer: &SharedText, literal: Span) -> Option<EmbeddedText> {
    let raw = outer.get(literal.range())?;
    let content = raw.strip_prefix('"')?.strip_suffix('"')?;
    let base = literal.start + 1;
    let mut text = String::with_capacity(content.len());
    let mut map = Vec::with_capacity(content.len() + 1);
    let bytes = content.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = bytes.get(i..)?;
        if rest.first() == Some(&b'\\') {
            let (c, len) = decode_escape(rest).ok()?;
            let at = base + i as u32;
            let before = text.len();
            text.push(c);
            map.extend(std::iter::repeat_n(at, text.len() - before));
            i += len;
        } else {
            // Copy a run of plain bytes one to one.
            let run = rest.iter().position(|&b| b == b'\\').unwrap_or(rest.len());
            text.push_str(content.get(i..i + run)?);
            map.extend((0..run as u32).map(|k| base + i as u32 + k));
            i += run;
        }
    }
    map.push(base + bytes.len() as u32);
    Some(EmbeddedText {
        text,
        map,
        outer: Arc::clone(outer),
    })
}

impl EmbeddedText {
    /// The outer span of the decoded range `span`.
    pub fn outer_span(&self, span: Span) -> Span {
        outer_span(&self.map, span)
    }

    /// Parses the decoded text as JSON, with every span (and any error's span)
    /// in the outer file. The tree shares the outer text: only the strings
    /// an escape changed are copied.
    pub fn parse(&self) -> Result<Tree, ParseError> {
        parse_embedded(&self.text, &self.map, &self.outer)
    }

    /// Whether the text looks URL-encoded (`%7B...`), as the raw IAM API
    /// returns policy documents.
    pub fn is_url_encoded(&self) -> bool {
        let t = self.text.trim_start();
        t.starts_with("%7B") || t.starts_with("%7b")
    }

    /// Percent-decodes the text (`+` is kept: IAM encodes spaces as `%20`),
    /// composing the maps so spans still land in the outer file. `None` when
    /// the result is not UTF-8.
    pub fn percent_decode(&self) -> Option<EmbeddedText> {
        let bytes = self.text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut map = Vec::with_capacity(bytes.len() + 1);
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let src = self.map.get(i).copied().unwrap_or(0);
            let hex = bytes
                .get(i + 1..i + 3)
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (b, hex) {
                (b'%', Some(v)) => {
                    out.push(v);
                    i += 3;
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
            map.push(src);
        }
        map.push(self.map.last().copied().unwrap_or(0));
        Some(EmbeddedText {
            text: String::from_utf8(out).ok()?,
            map,
            outer: Arc::clone(&self.outer),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// Every decoded byte maps to the raw escape or character it came from.
    fn roundtrip(outer: &str) -> EmbeddedText {
        let outer: SharedText = Arc::new(outer.to_string());
        let tree = parse(&outer).expect("outer parses");
        let e = decode_string_literal(&outer, tree.root().span()).expect("literal");
        assert_eq!(Some(e.text.as_str()), tree.root().as_str());
        e
    }

    #[test]
    fn inner_tokens_land_on_their_escaped_bytes() {
        let outer = r#""{\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}""#;
        let e = roundtrip(outer);
        let inner = e.parse().expect("inner parses");
        let service = inner
            .root()
            .get("Principal")
            .and_then(|p| p.get("Service"))
            .expect("service");
        assert_eq!(&outer[service.span().range()], r#"\"ec2.amazonaws.com\""#);
        assert_eq!(service.as_str(), Some("ec2.amazonaws.com"));
        let key = inner.root().member("Principal").expect("member").key_span;
        assert_eq!(&outer[key.range()], r#"\"Principal\""#);
    }

    #[test]
    fn verbatim_text_is_shared_with_the_outer_file() {
        // Unit tests spill strings over 15 bytes: `ec2.amazonaws.com` takes
        // the spill table, the keys the length field; both point into the
        // outer text, so nothing is copied.
        let outer = r#""{\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"N\":12}""#;
        let inner = roundtrip(outer).parse().expect("inner parses");
        assert!(inner.decoded.is_empty());
        assert_eq!(inner.root().get_str("Service"), None);
        assert_eq!(
            inner
                .root()
                .get("Principal")
                .and_then(|p| p.get_str("Service")),
            Some("ec2.amazonaws.com")
        );
        assert_eq!(
            inner.root().get("N").and_then(|n| n.as_number()),
            Some("12")
        );
    }

    #[test]
    fn unicode_escapes_and_surrogate_pairs_map_to_the_escape() {
        let outer = r#""{\"a\":\"x\u003ey\ud83d\ude00\",\"b\":\"\u00e9\"}""#;
        let e = roundtrip(outer);
        let inner = e.parse().expect("inner parses");
        let a = inner.root().get("a").expect("a");
        assert_eq!(a.as_str(), Some("x>y\u{1F600}"));
        assert_eq!(&outer[a.span().range()], r#"\"x\u003ey\ud83d\ude00\""#);
        let b = inner.root().get("b").expect("b");
        assert_eq!(b.as_str(), Some("\u{e9}"));
        assert_eq!(&outer[b.span().range()], r#"\"\u00e9\""#);
    }

    #[test]
    fn newlines_and_backslashes() {
        let outer = r#""{\n  \"k\": \"a\\\\b\"\n}""#;
        let e = roundtrip(outer);
        let inner = e.parse().expect("inner parses");
        let k = inner.root().get("k").expect("k");
        assert_eq!(k.as_str(), Some(r"a\b"));
        assert_eq!(&outer[k.span().range()], r#"\"a\\\\b\""#);
        assert_eq!(
            &outer[inner.root().span().range()],
            &outer[1..outer.len() - 1]
        );
    }

    #[test]
    fn inner_errors_are_mapped_too() {
        let outer = r#"  "{\"a\": tru}""#;
        let e = roundtrip(outer);
        let err = e.parse().expect_err("invalid inner");
        assert_eq!(&outer[err.span.start as usize..], r#"tru}""#);
    }

    #[test]
    fn url_encoded_documents_compose_maps() {
        let outer = r#""%7B%22Version%22%3A%222012-10-17%22%2C%22Sid%22%3A%22a%2Fb%22%7D""#;
        let e = roundtrip(outer);
        assert!(e.is_url_encoded());
        let d = e.percent_decode().expect("utf-8");
        assert_eq!(d.text, r#"{"Version":"2012-10-17","Sid":"a/b"}"#);
        let inner = d.parse().expect("parses");
        let v = inner.root().get("Version").expect("version");
        assert_eq!(&outer[v.span().range()], "%222012-10-17%22");
        assert_eq!(v.as_str(), Some("2012-10-17"));
        // `a%2Fb` is not the text verbatim: it is decoded into the tree.
        assert_eq!(inner.root().get_str("Sid"), Some("a/b"));
        assert_eq!(inner.decoded, "a/b");
    }

    #[test]
    fn a_sign_is_not_a_hex_digit() {
        // `u8::from_str_radix` accepts "+5": only two hex digits decode.
        let outer = r#""%7B%+5""#;
        let d = roundtrip(outer).percent_decode().expect("utf-8");
        assert_eq!(d.text, "{%+5");
    }
}
