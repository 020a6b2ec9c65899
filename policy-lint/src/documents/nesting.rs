//! Which embedded documents hold a span.
//!
//! A plan holds thousands of policy strings; every finding asks which of
//! them it lies in (for its JSON Pointer and its fingerprint). String
//! literals either nest (a document in a string of a document in a string)
//! or are disjoint, so the literals holding a span form one chain: the last
//! literal starting at or before the span, or failing that its nearest
//! enclosing literal that holds the span, and everything enclosing that.

use crate::source::Span;

/// The literals of a file's embedded documents, sorted by start, each with
/// the position of the literal enclosing it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Nesting {
    sorted: Vec<Literal>,
}

#[derive(Debug, Clone, Copy)]
struct Literal {
    span: Span,
    /// Index of the embedded document.
    tree: usize,
    /// Position in `sorted` of the literal enclosing this one.
    parent: Option<usize>,
}

impl Nesting {
    /// Indexes `literals` (the literal of embedded document `i` at `i`).
    pub(crate) fn new(literals: impl Iterator<Item = Span>) -> Self {
        let mut sorted: Vec<Literal> = literals
            .enumerate()
            .map(|(tree, span)| Literal {
                span,
                tree,
                parent: None,
            })
            .collect();
        // Outer before inner where two start together.
        sorted.sort_by_key(|l| (l.span.start, std::cmp::Reverse(l.span.end), l.tree));
        let mut open: Vec<usize> = Vec::new();
        for i in 0..sorted.len() {
            let Some(span) = sorted.get(i).map(|l| l.span) else {
                break;
            };
            while let Some(&top) = open.last() {
                if sorted.get(top).is_some_and(|t| t.span.contains(span)) {
                    break;
                }
                open.pop();
            }
            if let Some(l) = sorted.get_mut(i) {
                l.parent = open.last().copied();
            }
            open.push(i);
        }
        Self { sorted }
    }

    /// The embedded documents whose literal holds `span`, innermost first.
    pub(crate) fn holding(&self, span: Span) -> impl Iterator<Item = usize> + '_ {
        self.chain(span).map(|l| l.tree)
    }

    /// The embedded document whose literal is exactly `literal`.
    pub(crate) fn at(&self, literal: Span) -> Option<usize> {
        self.chain(literal)
            .find(|l| l.span == literal)
            .map(|l| l.tree)
    }

    fn chain(&self, span: Span) -> impl Iterator<Item = &Literal> + '_ {
        let mut at = self
            .sorted
            .partition_point(|l| l.span.start <= span.start)
            .checked_sub(1);
        // Up to the first literal that holds the span; all enclosing it do.
        while let Some(l) = at.and_then(|i| self.sorted.get(i)) {
            if l.span.contains(span) {
                break;
            }
            at = l.parent;
        }
        std::iter::from_fn(move || {
            let l = self.sorted.get(at?)?;
            at = l.parent;
            Some(l)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holding(n: &Nesting, start: u32, end: u32) -> Vec<usize> {
        n.holding(Span::new(start, end)).collect()
    }

    #[test]
    fn nested_and_disjoint_literals() {
        // 0: 10..100 holds 2: 20..40 and 3: 50..60; 1: 200..300 stands alone.
        let n = Nesting::new(
            [
                Span::new(10, 100),
                Span::new(200, 300),
                Span::new(20, 40),
                Span::new(50, 60),
            ]
            .into_iter(),
        );
        assert_eq!(holding(&n, 25, 30), [2, 0]);
        assert_eq!(holding(&n, 45, 46), [0]);
        assert_eq!(holding(&n, 65, 99), [0]);
        assert_eq!(holding(&n, 150, 160), Vec::<usize>::new());
        assert_eq!(holding(&n, 5, 8), Vec::<usize>::new());
        assert_eq!(holding(&n, 250, 251), [1]);
        assert_eq!(holding(&n, 5, 120), Vec::<usize>::new());
        assert_eq!(n.at(Span::new(50, 60)), Some(3));
        assert_eq!(n.at(Span::new(10, 100)), Some(0));
        assert_eq!(n.at(Span::new(51, 60)), None);
    }
}
