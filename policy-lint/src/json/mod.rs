//! Spanned JSON: a strict RFC 8259 parser whose tree keeps the byte span of
//! every key and value, and keeps duplicate keys (the caller decides what they
//! mean).
//!
//! The tree is flat ([`Tree`], 16 bytes per token, text shared with the
//! source); [`Node`] is a copyable handle into it.

mod embedded;
mod escape;
mod parse;
mod pointer;
mod tree;

pub use embedded::{EmbeddedText, decode_string_literal};
pub use parse::{MAX_DEPTH, ParseError, parse, parse_shared};
pub use pointer::{pointer_of, push_pointer_segment};
pub use tree::{
    Array, Child, ChildIter, ChildKind, Children, ElementKind, Elements, JsonType, Member,
    MemberKind, Members, Node, Object, StrChars, Tree, Value,
};
