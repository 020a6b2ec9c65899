//! [`Tree`]: a parsed JSON text as one flat array of 16-byte entries, and
//! [`Node`], a copyable handle to one of them.
//!
//! Entries are laid out in document order (a container, then its children,
//! each followed by its own subtree; an object's children alternate key and
//! value), so building the tree is a single push per token and dropping it
//! frees a handful of buffers. A container records how many entries its subtree
//! holds, which is how iteration skips from one child to the next.
//!
//! Text is not copied: a string or number whose bytes appear verbatim in
//! the source (nearly all of them) is a range of the source, shared by
//! `Arc`. A string of the source with escapes is decoded on first read
//! ("lazy"). A document embedded in a string of the file keeps its spans in
//! the outer file and points into the outer text too wherever the bytes are
//! verbatim there; only what an escape changed is decoded into the tree.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, LazyLock, OnceLock};

use crate::hash::HashMap;
use crate::source::{SharedText, Span};

/// One token of the tree: where it is, what it is, and where its text or
/// subtree is.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Entry {
    /// Span start in the file.
    pub start: u32,
    /// Span end in the file.
    pub end: u32,
    /// Kind (low 3 bits), where the text is (2 bits), then a length or a
    /// child count.
    pub meta: u32,
    /// A container's number of descendant entries; a scalar's text offset,
    /// lazy-table index or spill-table index.
    pub data: u32,
}

// Kinds.
pub(super) const NULL: u32 = 0;
pub(super) const FALSE: u32 = 1;
pub(super) const TRUE: u32 = 2;
pub(super) const NUMBER: u32 = 3;
pub(super) const STRING: u32 = 4;
pub(super) const KEY: u32 = 5;
pub(super) const ARRAY: u32 = 6;
pub(super) const OBJECT: u32 = 7;
const KIND_MASK: u32 = 0b111;

// Where a scalar's text is.
/// `data..data + len` of the tree's text.
pub(super) const IN_TEXT: u32 = 0 << 3;
/// `data..data + len` of the tree's decoded buffer.
pub(super) const DECODED: u32 = 1 << 3;
/// Escaped in the text at the entry's span; decoded on first read into
/// lazy slot `data`.
pub(super) const LAZY: u32 = 2 << 3;
/// Too long for the length field: spill-table entry `data`.
pub(super) const SPILLED: u32 = 3 << 3;
const STORAGE_MASK: u32 = 0b11 << 3;

pub(super) const LEN_SHIFT: u32 = 5;
/// Largest length or child count the entry holds. Unit tests use a tiny
/// limit so that the spill table and counted lengths are exercised by every
/// test of the module; integration tests run the real one.
pub(super) const LEN_MAX: u32 = if cfg!(test) {
    15
} else {
    u32::MAX >> LEN_SHIFT
};

const _: () = assert!(std::mem::size_of::<Entry>() == 16);

/// A string or number too long for its entry's length field.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spill {
    pub decoded: bool,
    pub offset: u32,
    pub len: u32,
}

/// A parsed JSON text. [`Tree::root`] is its top-level value.
///
/// Build one with [`parse`](super::parse), or with
/// [`EmbeddedText::parse`](super::EmbeddedText::parse) for a document held
/// in a string of another file.
#[derive(Clone)]
pub struct Tree {
    /// The text scalars point into: the parsed source, or for an embedded
    /// document the outer file's source.
    pub(super) text: SharedText,
    pub(super) entries: Vec<Entry>,
    /// Text an escape changed, in an embedded document.
    pub(super) decoded: String,
    /// Escaped strings of the source, decoded on first read.
    pub(super) lazy: Box<[OnceLock<Box<str>>]>,
    pub(super) spilled: Vec<Spill>,
    /// The child entries of each large container, built by the first
    /// [`Node::child_containing`] that needs them, so that locating many
    /// findings in a plan's long arrays is a binary search each.
    pub(super) large: OnceLock<HashMap<u32, Box<[u32]>>>,
}

/// Containers with more children than this are indexed for
/// [`Node::child_containing`]; smaller ones are scanned.
const LARGE_CONTAINER: u32 = if cfg!(test) { 4 } else { 32 };

/// The tree an empty [`Array`] or [`Object`] made by `Default` points to.
static EMPTY: LazyLock<Tree> = LazyLock::new(Tree::empty_object);

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tree")
            .field("entries", &self.entries.len())
            .field("root", &self.root())
            .finish()
    }
}

impl Tree {
    /// `{}`: a stand-in where a document is needed and none parsed.
    pub fn empty_object() -> Tree {
        Tree {
            text: Arc::new("{}".to_string()),
            entries: vec![Entry {
                start: 0,
                end: 2,
                meta: OBJECT,
                data: 0,
            }],
            decoded: String::new(),
            lazy: Box::default(),
            spilled: Vec::new(),
            large: OnceLock::new(),
        }
    }

    /// The top-level value.
    pub fn root(&self) -> Node<'_> {
        Node {
            tree: self,
            index: 0,
        }
    }

    /// Number of entries (values and object keys).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the tree has no entry (never true for a parsed tree).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The text the spans of this tree index: the source it was parsed from,
    /// or for an embedded document the outer file's.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The value whose span is exactly `span`, found by binary search:
    /// entries start at strictly increasing offsets.
    pub fn find(&self, span: Span) -> Option<Node<'_>> {
        let i = self.entries.partition_point(|e| e.start < span.start);
        let e = self.entries.get(i)?;
        (e.start == span.start && e.end == span.end && e.meta & KIND_MASK != KEY)
            .then(|| self.node(i as u32))
    }

    /// The text of the object key whose span is exactly `span`.
    pub fn find_key(&self, span: Span) -> Option<&str> {
        let i = self.entries.partition_point(|e| e.start < span.start);
        let e = *self.entries.get(i)?;
        (e.start == span.start && e.end == span.end && e.meta & KIND_MASK == KEY)
            .then(|| self.scalar_text(e))
    }

    /// The node at entry `index` (see [`Node::index`]).
    pub fn node(&self, index: u32) -> Node<'_> {
        Node { tree: self, index }
    }

    fn entry(&self, index: u32) -> Entry {
        self.entries
            .get(index as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Entries after `index` that belong to its subtree.
    fn subtree(&self, index: u32) -> u32 {
        let e = self.entry(index);
        match e.meta & KIND_MASK {
            ARRAY | OBJECT => e.data,
            _ => 0,
        }
    }

    /// The first entry of the child after the one at `at`: past an
    /// element's subtree, or past a member's key and its value's subtree.
    fn next_child(&self, at: u32, member: bool) -> u32 {
        let value = if member { at + 1 } else { at };
        value + 1 + self.subtree(value)
    }

    /// The first entries of the children of the container at `index` (an
    /// object's keys), in order; none for a scalar.
    fn child_entries(&self, index: u32) -> impl Iterator<Item = u32> + '_ {
        let member = self.entry(index).meta & KIND_MASK == OBJECT;
        let end = index.saturating_add(1).saturating_add(self.subtree(index));
        let mut next = index.saturating_add(1);
        std::iter::from_fn(move || {
            let at = next;
            (at < end).then(|| {
                next = self.next_child(at, member);
                at
            })
        })
    }

    /// The text of a string, key or number entry.
    fn scalar_text(&self, e: Entry) -> &str {
        let len = e.meta >> LEN_SHIFT;
        let range = |offset: u32, len: u32| offset as usize..offset as usize + len as usize;
        let text = match e.meta & STORAGE_MASK {
            IN_TEXT => self.text.get(range(e.data, len)),
            DECODED => self.decoded.get(range(e.data, len)),
            LAZY => self.lazy.get(e.data as usize).map(|slot| {
                &**slot.get_or_init(|| {
                    let raw = self.text.get(Span::new(e.start, e.end).range());
                    super::parse::unescape_literal(raw.unwrap_or_default()).into()
                })
            }),
            _ => self
                .spilled
                .get(e.data as usize)
                .and_then(|s| match s.decoded {
                    true => self.decoded.get(range(s.offset, s.len)),
                    false => self.text.get(range(s.offset, s.len)),
                }),
        };
        text.unwrap_or_default()
    }

    /// The child entries (an object's keys) of the large container at
    /// `index`, from the index built on first use.
    fn large_children(&self, index: u32) -> Option<&[u32]> {
        let large = self.large.get_or_init(|| {
            let mut out = HashMap::default();
            for (i, e) in self.entries.iter().enumerate() {
                let kind = e.meta & KIND_MASK;
                if (kind == ARRAY || kind == OBJECT) && e.meta >> LEN_SHIFT > LARGE_CONTAINER {
                    out.insert(i as u32, self.child_entries(i as u32).collect());
                }
            }
            out
        });
        large.get(&index).map(|c| &**c)
    }

    /// The member whose key is entry `at`.
    fn member_at(&self, at: u32) -> Member<'_> {
        let key = self.entry(at);
        Member {
            key: self.scalar_text(key),
            key_span: Span::new(key.start, key.end),
            value: Node {
                tree: self,
                index: at + 1,
            },
        }
    }

    /// Number of children of the container at `index` (members of an object).
    fn child_count(&self, index: u32) -> u32 {
        let count = self.entry(index).meta >> LEN_SHIFT;
        if count < LEN_MAX {
            return count;
        }
        // The field saturated: count by walking.
        self.child_entries(index).count() as u32
    }
}

/// A value of a [`Tree`]: a copyable handle (a reference and an index).
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree,
    index: u32,
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
                        let (c, len) = super::parse::decode_escape(rest.as_bytes()).ok()?;
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

/// The children of a container, in order: an array's elements
/// ([`Array`]) or an object's members ([`Object`]).
#[derive(Clone, Copy)]
pub struct Children<'t, K> {
    tree: &'t Tree,
    /// Entry of the first child (an object's first key).
    first: u32,
    len: u32,
    kind: PhantomData<K>,
}

/// The elements of an array (or the one value of [`Node::one_or_many`]).
pub type Array<'t> = Children<'t, ElementKind>;

/// The members of an object, in source order, duplicates kept.
pub type Object<'t> = Children<'t, MemberKind>;

/// Iterator over an array's elements.
pub type Elements<'t> = ChildIter<'t, ElementKind>;

/// Iterator over an object's members.
pub type Members<'t> = ChildIter<'t, MemberKind>;

/// How a container's children lie in the tree: one entry each, or a key
/// entry then a value entry.
pub trait ChildKind: Copy + private::Sealed {
    /// What iteration yields.
    type Item<'t>: Copy + fmt::Debug;
    /// The child whose first entry is `at`.
    fn item(tree: &Tree, at: u32) -> Self::Item<'_>;
    /// The first entry of the next child.
    fn next(tree: &Tree, at: u32) -> u32;
}

mod private {
    pub trait Sealed {}
    impl Sealed for super::ElementKind {}
    impl Sealed for super::MemberKind {}
}

/// Array elements: one entry each, then the element's subtree.
#[derive(Debug, Clone, Copy)]
pub struct ElementKind;

/// Object members: a key entry, then the value and its subtree.
#[derive(Debug, Clone, Copy)]
pub struct MemberKind;

impl ChildKind for ElementKind {
    type Item<'t> = Node<'t>;
    fn item(tree: &Tree, at: u32) -> Node<'_> {
        Node { tree, index: at }
    }
    fn next(tree: &Tree, at: u32) -> u32 {
        tree.next_child(at, false)
    }
}

impl ChildKind for MemberKind {
    type Item<'t> = Member<'t>;
    fn item(tree: &Tree, at: u32) -> Member<'_> {
        tree.member_at(at)
    }
    fn next(tree: &Tree, at: u32) -> u32 {
        tree.next_child(at, true)
    }
}

impl<K: ChildKind> fmt::Debug for Children<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<K> Default for Children<'_, K> {
    /// No child.
    fn default() -> Self {
        Children {
            tree: &EMPTY,
            first: 0,
            len: 0,
            kind: PhantomData,
        }
    }
}

impl<'t, K: ChildKind> Children<'t, K> {
    fn new(tree: &'t Tree, first: u32, len: u32) -> Self {
        Children {
            tree,
            first,
            len,
            kind: PhantomData,
        }
    }

    /// Number of children.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether there is no child.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The children in order.
    pub fn iter(&self) -> ChildIter<'t, K> {
        ChildIter {
            tree: self.tree,
            next: self.first,
            remaining: self.len,
            kind: PhantomData,
        }
    }

    /// The `i`th child (a walk over the ones before it).
    pub fn get(&self, i: usize) -> Option<K::Item<'t>> {
        self.iter().nth(i)
    }

    /// The first child.
    pub fn first(&self) -> Option<K::Item<'t>> {
        self.iter().next()
    }

    /// The last child (a walk over all of them).
    pub fn last(&self) -> Option<K::Item<'t>> {
        self.iter().last()
    }
}

impl<'t, K: ChildKind> IntoIterator for Children<'t, K> {
    type Item = K::Item<'t>;
    type IntoIter = ChildIter<'t, K>;
    fn into_iter(self) -> ChildIter<'t, K> {
        self.iter()
    }
}

impl<'t, K: ChildKind> IntoIterator for &Children<'t, K> {
    type Item = K::Item<'t>;
    type IntoIter = ChildIter<'t, K>;
    fn into_iter(self) -> ChildIter<'t, K> {
        self.iter()
    }
}

/// Iterator over a container's children.
#[derive(Clone)]
pub struct ChildIter<'t, K> {
    tree: &'t Tree,
    next: u32,
    remaining: u32,
    kind: PhantomData<K>,
}

impl<'t, K: ChildKind> Iterator for ChildIter<'t, K> {
    type Item = K::Item<'t>;

    fn next(&mut self) -> Option<K::Item<'t>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let item = K::item(self.tree, self.next);
        self.next = K::next(self.tree, self.next);
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining as usize, Some(self.remaining as usize))
    }
}

impl<K: ChildKind> ExactSizeIterator for ChildIter<'_, K> {}
