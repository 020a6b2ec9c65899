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
use std::sync::{Arc, LazyLock, OnceLock};

mod children;
mod node;

pub use children::{
    Array, ChildIter, ChildKind, Children, ElementKind, Elements, MemberKind, Members, Object,
};
pub use node::{Child, JsonType, Member, Node, StrChars, Value};

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
                    super::escape::unescape_literal(raw.unwrap_or_default()).into()
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
