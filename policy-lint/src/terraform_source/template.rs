//! A policy written as an HCL string (`"{\"Version\": ...}"`) or heredoc
//! (`<<EOF`, `<<-EOF`): decode it while remembering where each byte came
//! from, parse it as JSON, and find the token a JSON Pointer names.
//!
//! Heredocs are read raw. The indentation `<<-` strips is whitespace between
//! JSON tokens (a JSON string cannot span lines), so the raw text has the
//! same tokens at the same pointers, and their spans are already the bytes
//! of the file. Interpolations (`${...}`) and directives (`%{...}`) become
//! placeholders of the same length: `_`s inside a JSON string, else `0`
//! and spaces (a JSON value), so the rest of the document still parses and
//! a token written by an interpolation maps to the interpolation.

use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::template::{Element, Template};

use crate::json::{Node, parse};

/// How the template was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quoting {
    /// `"..."`: backslash escapes apply.
    Quoted,
    /// `<<EOF` / `<<-EOF`: only `$${` and `%%{` are escapes.
    Heredoc,
}

/// Decoded template text and, for each of its bytes, the file offset it
/// came from (plus one entry for the end).
#[derive(Debug)]
pub(super) struct Decoded {
    pub text: String,
    map: Vec<usize>,
}

impl Decoded {
    /// The file range of the decoded range `r`.
    pub fn file_range(&self, r: Range<usize>) -> Range<usize> {
        let at = |i: usize| self.map.get(i).or(self.map.last()).copied().unwrap_or(0);
        at(r.start)..at(r.end)
    }
}

/// Decodes `content` (the file range between the quotes, or the heredoc's
/// lines) of `file`, with the interpolations and directives of `template`
/// replaced by placeholders. `None` when the range is not in the file.
pub(super) fn decode(
    file: &str,
    content: Range<usize>,
    template: &Template,
    quoting: Quoting,
) -> Option<Decoded> {
    let holes: Vec<Range<usize>> = template
        .iter()
        .filter(|e| !matches!(e, Element::Literal(_)))
        .filter_map(Element::span)
        .collect();
    let raw = file.get(content.clone())?;
    let bytes = raw.as_bytes();
    let mut out = Decoded {
        text: String::with_capacity(raw.len()),
        map: Vec::with_capacity(raw.len() + 1),
    };
    let mut json = JsonStringState::default();
    let mut i = 0;
    while i < bytes.len() {
        let at = content.start + i;
        if let Some(hole) = holes.iter().find(|h| h.start == at) {
            let len = hole.end.saturating_sub(hole.start).max(1);
            for k in 0..len {
                let c = match (json.in_string, k) {
                    (true, _) => '_',
                    (false, 0) => '0',
                    (false, _) => ' ',
                };
                out.text.push(c);
                out.map.push(at + k);
            }
            i += len;
            continue;
        }
        let rest = bytes.get(i..)?;
        let (decoded, len) = match (quoting, rest) {
            (_, [b'$', b'$', b'{', ..]) => ("${".to_string(), 3),
            (_, [b'%', b'%', b'{', ..]) => ("%{".to_string(), 3),
            (Quoting::Quoted, [b'\\', ..]) => quoted_escape(rest)?,
            _ => {
                let c = raw.get(i..)?.chars().next()?;
                (c.to_string(), c.len_utf8())
            }
        };
        for b in decoded.bytes() {
            json.push(b);
        }
        let before = out.text.len();
        out.text.push_str(&decoded);
        out.map
            .extend(std::iter::repeat_n(at, out.text.len() - before));
        i += len;
    }
    out.map.push(content.end);
    Some(out)
}

/// Tracks whether the decoded text so far ends inside a JSON string.
#[derive(Debug, Default)]
struct JsonStringState {
    in_string: bool,
    escaped: bool,
}

impl JsonStringState {
    fn push(&mut self, b: u8) {
        match (self.in_string, self.escaped, b) {
            (true, true, _) => self.escaped = false,
            (true, false, b'\\') => self.escaped = true,
            (_, _, b'"') => self.in_string = !self.in_string,
            _ => {}
        }
    }
}

/// One backslash escape of a quoted HCL string: the text and its length.
fn quoted_escape(rest: &[u8]) -> Option<(String, usize)> {
    let hex = |digits: usize| -> Option<(String, usize)> {
        let h = std::str::from_utf8(rest.get(2..2 + digits)?).ok()?;
        let c = char::from_u32(u32::from_str_radix(h, 16).ok()?)?;
        Some((c.to_string(), 2 + digits))
    };
    let simple = |c: char| Some((c.to_string(), 2));
    match rest.get(1)? {
        b'n' => simple('\n'),
        b'r' => simple('\r'),
        b't' => simple('\t'),
        b'"' => simple('"'),
        b'\\' => simple('\\'),
        b'u' => hex(4),
        b'U' => hex(8),
        _ => None,
    }
}

/// The result of following a JSON Pointer into decoded text.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Found {
    /// File range of the deepest token reached.
    pub range: Range<usize>,
    /// Whether the whole pointer was followed.
    pub complete: bool,
}

/// Parses `decoded` as JSON and follows `pointer` (unescaped segments) as
/// far as it goes. `None` when the text is not JSON.
pub(super) fn find(decoded: &Decoded, pointer: &[String]) -> Option<Found> {
    let tree = parse(&decoded.text).ok()?;
    let (node, complete) = follow(tree.root(), pointer);
    let span = node.span();
    Some(Found {
        range: decoded.file_range(span.start as usize..span.end as usize),
        complete,
    })
}

/// Follows `pointer` from `node`: the deepest node reached, and whether
/// that is the end of the pointer.
pub(super) fn follow<'t>(mut node: Node<'t>, pointer: &[String]) -> (Node<'t>, bool) {
    for seg in pointer {
        let next = if let Some(array) = node.as_array() {
            seg.parse::<usize>().ok().and_then(|i| array.get(i))
        } else {
            node.get(seg)
        };
        match next {
            Some(n) => node = n,
            None => return (node, false),
        }
    }
    (node, true)
}
