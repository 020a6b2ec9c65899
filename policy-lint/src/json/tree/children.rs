//! Iteration over a container's children: an array's elements or an
//! object's members, stepping over each child's subtree.

use std::fmt;
use std::marker::PhantomData;

use super::{EMPTY, Member, Node, Tree};
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
    pub(super) fn new(tree: &'t Tree, first: u32, len: u32) -> Self {
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
