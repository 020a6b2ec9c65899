//! Spanned JSON: a strict RFC 8259 parser whose tree keeps the byte span of
//! every key and value, and keeps duplicate keys (the caller decides what they
//! mean).

mod embedded;
mod parse;
mod pointer;
mod str;

pub use embedded::{EmbeddedText, decode_string_literal};
pub use parse::{MAX_DEPTH, ParseError, parse};
pub use pointer::{pointer_of, push_pointer_segment};
pub use str::Str;

use crate::source::Span;

/// A JSON value with the byte span of its whole token (a string with its quotes,
/// an object from `{` to `}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is in the file.
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, with its literal text (policies compare numbers as strings).
    Number(Box<str>),
    /// A string, unescaped.
    String(Str),
    /// An array. Boxed slices rather than `Vec`s: a tree is never grown
    /// after parsing, and the smaller node (32 bytes, not 40) cut peak memory
    /// on large plans.
    Array(Box<[Node]>),
    /// An object, members in source order, duplicates kept.
    Object(Box<[Member]>),
}

// Large plans hold tens of millions of nodes: keep them small.
const _: () = assert!(std::mem::size_of::<Node>() == 32);
const _: () = assert!(std::mem::size_of::<Member>() == 64);

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: Str,
    /// The key's span, quotes included.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Member {
    /// From the start of the key to the end of the value.
    pub fn span(&self) -> Span {
        Span::new(self.key_span.start, self.value.span.end)
    }
}

impl Node {
    /// The members of an object, or `None`.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements of an array, or `None`.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The text of a string, or `None`.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The value of a boolean, or `None`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The member named `key`; with duplicate keys, the last one wins, as in
    /// every JSON consumer the clouds use.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().rev().find(|m| m.key == *key)
    }

    /// The value of member `key` (last one wins).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The value of member `key`, matched without regard to ASCII case.
    pub fn get_ignore_case(&self, key: &str) -> Option<&Member> {
        self.as_object()?
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }

    /// The string value of member `key`.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// A value that AWS allows as a string or a list of strings, as a list of
    /// nodes: a bare value is a list of one.
    pub fn one_or_many(&self) -> &[Node] {
        match &self.value {
            Value::Array(a) => a,
            _ => std::slice::from_ref(self),
        }
    }

    /// A short name for the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The child nodes (array elements or member values).
    pub fn children(&self) -> Box<dyn Iterator<Item = &Node> + '_> {
        match &self.value {
            Value::Array(a) => Box::new(a.iter()),
            Value::Object(m) => Box::new(m.iter().map(|m| &m.value)),
            _ => Box::new(std::iter::empty()),
        }
    }

    /// Converts to a `serde_json::Value` (duplicate keys: last wins), for the
    /// JSON Schema backstop and for embedders.
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_serde).collect()),
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|m| (m.key.to_string(), m.value.to_serde()))
                    .collect(),
            ),
        }
    }

    /// Moves every span in the tree through `f`.
    pub(crate) fn map_spans(&mut self, f: &impl Fn(Span) -> Span) {
        self.span = f(self.span);
        match &mut self.value {
            Value::Array(a) => a.iter_mut().for_each(|n| n.map_spans(f)),
            Value::Object(m) => m.iter_mut().for_each(|m| {
                m.key_span = f(m.key_span);
                m.value.map_spans(f);
            }),
            _ => {}
        }
    }
}
