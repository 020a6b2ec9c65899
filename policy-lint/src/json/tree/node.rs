//! [`Node`], a copyable handle to a value of a [`Tree`], and what reading
//! one gives: members, children, characters of a string.

use std::fmt;

use super::{
    ARRAY, Array, Entry, FALSE, IN_TEXT, KEY, KIND_MASK, LAZY, LEN_MAX, LEN_SHIFT, NULL, NUMBER,
    OBJECT, Object, STORAGE_MASK, STRING, TRUE, Tree,
};
use crate::source::Span;
/// A value of a [`Tree`]: a copyable handle (a reference and an index).
#[derive(Clone, Copy)]
pub struct Node<'t> {
    pub(super) tree: &'t Tree,
    pub(super) index: u32,
}

/// The type of a JSON value, read without touching its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// `null`
    Null,
    /// `true` or `false`
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl JsonType {
    /// The type's name, for messages.
    pub const fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Bool => "boolean",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }
}

/// What a [`Node`] holds, for `match`.
#[derive(Debug, Clone, Copy)]
pub enum Value<'t> {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, with its literal text (policies compare numbers as strings).
    Number(&'t str),
    /// A string, unescaped.
    String(&'t str),
    /// An array.
    Array(Array<'t>),
    /// An object, members in source order, duplicates kept.
    Object(Object<'t>),
}

impl PartialEq for Node<'_> {
    /// The same entry of the same tree.
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.index == other.index
    }
}

impl Eq for Node<'_> {}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let span = self.span();
        match self.value() {
            Value::Null => write!(f, "null @{}..{}", span.start, span.end),
            Value::Bool(b) => write!(f, "{b} @{}..{}", span.start, span.end),
            Value::Number(n) => write!(f, "{n} @{}..{}", span.start, span.end),
            Value::String(s) => write!(f, "{s:?} @{}..{}", span.start, span.end),
            Value::Array(a) => f.debug_list().entries(a.iter()).finish(),
            Value::Object(o) => f
                .debug_map()
                .entries(o.iter().map(|m| (m.key, m.value)))
                .finish(),
        }
    }
}

impl<'t> Node<'t> {
    fn entry(self) -> Entry {
        self.tree.entry(self.index)
    }

    fn kind(self) -> u32 {
        self.entry().meta & KIND_MASK
    }

    /// The tree the node belongs to.
    pub fn tree(self) -> &'t Tree {
        self.tree
    }

    /// The node's position in its tree, stable for the tree's life
    /// ([`Tree::node`] finds it again).
    pub fn index(self) -> u32 {
        self.index
    }

    /// Where the value is in the file: a string with its quotes, an object
    /// from `{` to `}`.
    pub fn span(self) -> Span {
        let e = self.entry();
        Span::new(e.start, e.end)
    }

    /// The value, for `match`.
    pub fn value(self) -> Value<'t> {
        let e = self.entry();
        match e.meta & KIND_MASK {
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            NUMBER => Value::Number(self.tree.scalar_text(e)),
            STRING | KEY => Value::String(self.tree.scalar_text(e)),
            ARRAY => Value::Array(self.children()),
            OBJECT => Value::Object(self.members()),
            _ => Value::Null,
        }
    }

    /// The element or member of this container whose span holds `target`
    /// (for a member, its key's span or its value's), if any: one step of
    /// the walk from a root to a finding.
    pub fn child_containing(self, target: Span) -> Option<Child<'t>> {
        let kind = self.kind();
        if kind != ARRAY && kind != OBJECT {
            return None;
        }
        let found = match self.tree.large_children(self.index) {
            // The last child starting at or before the target.
            Some(children) => {
                let p = children.partition_point(|&i| self.tree.entry(i).start <= target.start);
                let position = p.checked_sub(1)?;
                let at = *children.get(position)?;
                self.child_at(kind, position, at)
            }
            None => {
                let (position, at) = self
                    .tree
                    .child_entries(self.index)
                    .enumerate()
                    .take_while(|&(_, at)| self.tree.entry(at).start <= target.start)
                    .last()?;
                self.child_at(kind, position, at)
            }
        };
        let holds = match found {
            Child::Member(m) => m.key_span.contains(target) || m.value.span().contains(target),
            Child::Element(_, n) => n.span().contains(target),
        };
        holds.then_some(found)
    }

    /// The child at `position` whose first entry (an object's key) is `at`.
    fn child_at(self, kind: u32, position: usize, at: u32) -> Child<'t> {
        match kind {
            OBJECT => Child::Member(self.member_at(at)),
            _ => Child::Element(
                position,
                Node {
                    tree: self.tree,
                    index: at,
                },
            ),
        }
    }

    fn members(self) -> Object<'t> {
        Object::new(self.tree, self.index + 1, self.tree.child_count(self.index))
    }

    fn children(self) -> Array<'t> {
        Array::new(self.tree, self.index + 1, self.tree.child_count(self.index))
    }

    /// The members of an object, or `None`.
    pub fn as_object(self) -> Option<Object<'t>> {
        (self.kind() == OBJECT).then(|| self.members())
    }

    /// The elements of an array, or `None`.
    pub fn as_array(self) -> Option<Array<'t>> {
        (self.kind() == ARRAY).then(|| self.children())
    }

    /// The text of a string, or `None`.
    pub fn as_str(self) -> Option<&'t str> {
        let e = self.entry();
        (e.meta & KIND_MASK == STRING).then(|| self.tree.scalar_text(e))
    }

    /// The characters of a string, or `None`: the text of
    /// [`Node::as_str`], decoded as it is read rather than all at once, for
    /// a look at the start of a string that may be long and escaped (is
    /// this plan attribute a JSON document?).
    pub fn str_chars(self) -> Option<StrChars<'t>> {
        let e = self.entry();
        if e.meta & KIND_MASK != STRING {
            return None;
        }
        let decoded = match e.meta & STORAGE_MASK {
            LAZY => self.tree.lazy.get(e.data as usize).and_then(|l| l.get()),
            _ => return Some(StrChars::Decoded(self.tree.scalar_text(e).chars())),
        };
        Some(match decoded {
            Some(text) => StrChars::Decoded(text.chars()),
            None => {
                // Escaped in the source, not decoded yet: decode as read.
                let raw = self.tree.text.get(Span::new(e.start, e.end).range());
                let content = raw
                    .and_then(|r| r.strip_prefix('"'))
                    .and_then(|r| r.strip_suffix('"'))
                    .unwrap_or_default();
                StrChars::Escaped(content)
            }
        })
    }

    /// The literal text of a number, or `None`.
    pub fn as_number(self) -> Option<&'t str> {
        let e = self.entry();
        (e.meta & KIND_MASK == NUMBER).then(|| self.tree.scalar_text(e))
    }

    /// The value of a boolean, or `None`.
    pub fn as_bool(self) -> Option<bool> {
        match self.kind() {
            TRUE => Some(true),
            FALSE => Some(false),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(self) -> bool {
        self.kind() == NULL
    }

    /// Whether this is an object.
    pub fn is_object(self) -> bool {
        self.kind() == OBJECT
    }

    /// Whether this is an array.
    pub fn is_array(self) -> bool {
        self.kind() == ARRAY
    }

    /// Whether this is a string.
    pub fn is_string(self) -> bool {
        self.kind() == STRING
    }

    /// The member named `key`; with duplicate keys, the last one wins, as in
    /// every JSON consumer the clouds use.
    pub fn member(self, key: &str) -> Option<Member<'t>> {
        // The hottest lookup of every rule: compare raw key bytes in place,
        // and build the member only for the match.
        let tree = self.tree;
        let text = tree.text.as_bytes();
        // An in-place key of the right length has exactly these bits.
        let want = match u32::try_from(key.len()) {
            Ok(len) if len < LEN_MAX => IN_TEXT | (len << LEN_SHIFT),
            _ => u32::MAX,
        };
        let first = key.as_bytes().first().copied();
        self.find_member(|e| {
            if e.meta & !KIND_MASK == want {
                let at = e.data as usize;
                // Most keys of one length differ at once (`Action`, `Effect`).
                text.get(at).copied() == first
                    && text.get(at..at + key.len()) == Some(key.as_bytes())
            } else {
                e.meta & STORAGE_MASK != IN_TEXT && tree.scalar_text(e) == key
            }
        })
    }

    /// The value of member `key` (last one wins).
    pub fn get(self, key: &str) -> Option<Node<'t>> {
        self.member(key).map(|m| m.value)
    }

    /// The member `key`, matched without regard to ASCII case (last one wins).
    pub fn get_ignore_case(self, key: &str) -> Option<Member<'t>> {
        self.find_member(|e| self.tree.scalar_text(e).eq_ignore_ascii_case(key))
    }

    /// The last member whose key entry `matches`.
    fn find_member(self, matches: impl Fn(Entry) -> bool) -> Option<Member<'t>> {
        let e = self.entry();
        if e.meta & KIND_MASK != OBJECT {
            return None;
        }
        let end = self.index.saturating_add(1).saturating_add(e.data);
        let mut at = self.index + 1;
        let mut found = None;
        while at < end {
            if matches(self.tree.entry(at)) {
                found = Some(at);
            }
            at = at + 2 + self.tree.subtree(at + 1);
        }
        found.map(|at| self.member_at(at))
    }

    fn member_at(self, at: u32) -> Member<'t> {
        self.tree.member_at(at)
    }

    /// The string value of member `key`.
    pub fn get_str(self, key: &str) -> Option<&'t str> {
        self.get(key)?.as_str()
    }

    /// A value that AWS allows as a string or a list of strings, as a list:
    /// a bare value is a list of one.
    pub fn one_or_many(self) -> Array<'t> {
        match self.kind() {
            ARRAY => self.children(),
            _ => Array::new(self.tree, self.index, 1),
        }
    }

    /// The value's type (cheaper than [`Node::value`], which reads text).
    pub fn json_type(self) -> JsonType {
        match self.kind() {
            NULL => JsonType::Null,
            TRUE | FALSE => JsonType::Bool,
            NUMBER => JsonType::Number,
            STRING | KEY => JsonType::String,
            ARRAY => JsonType::Array,
            _ => JsonType::Object,
        }
    }

    /// A short name for the value's type, for messages.
    pub fn type_name(self) -> &'static str {
        self.json_type().name()
    }

    /// The child nodes: array elements or member values.
    pub fn child_values(self) -> impl Iterator<Item = Node<'t>> + 't {
        let (elements, members) = match self.value() {
            Value::Array(a) => (Some(a.iter()), None),
            Value::Object(o) => (None, Some(o.iter().map(|m| m.value))),
            _ => (None, None),
        };
        elements
            .into_iter()
            .flatten()
            .chain(members.into_iter().flatten())
    }

    /// Converts to a `serde_json::Value` (duplicate keys: last wins), for the
    /// JSON Schema backstop and for embedders.
    pub fn to_serde(self) -> serde_json::Value {
        match self.value() {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Node::to_serde).collect()),
            Value::Object(o) => serde_json::Value::Object(
                o.iter()
                    .map(|m| (m.key.to_string(), m.value.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// A step from a container to one of its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child<'t> {
    /// A member of an object.
    Member(Member<'t>),
    /// An element of an array, with its position.
    Element(usize, Node<'t>),
}

impl<'t> Child<'t> {
    /// The member's value or the element.
    pub fn node(self) -> Node<'t> {
        match self {
            Child::Member(m) => m.value,
            Child::Element(_, n) => n,
        }
    }
}

/// The characters of a string ([`Node::str_chars`]).
#[derive(Debug, Clone)]
pub enum StrChars<'t> {
    /// Text already decoded.
    Decoded(std::str::Chars<'t>),
    /// The rest of a checked string literal's content, escapes and all.
    Escaped(&'t str),
}

impl Iterator for StrChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            StrChars::Decoded(chars) => chars.next(),
            StrChars::Escaped(rest) => {
                let c = rest.chars().next()?;
                let len = match c {
                    '\\' => {
                        let (c, len) = crate::json::escape::decode_escape(rest.as_bytes()).ok()?;
                        *rest = rest.get(len..).unwrap_or_default();
                        return Some(c);
                    }
                    c => c.len_utf8(),
                };
                *rest = rest.get(len..).unwrap_or_default();
                Some(c)
            }
        }
    }
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member<'t> {
    /// The key, unescaped.
    pub key: &'t str,
    /// The key's span, quotes included.
    pub key_span: Span,
    /// The value.
    pub value: Node<'t>,
}

impl Member<'_> {
    /// From the start of the key to the end of the value.
    pub fn span(&self) -> Span {
        Span::new(self.key_span.start, self.value.span().end)
    }
}
