//! JSON Pointers (RFC 6901), computed from spans at the edge rather than
//! carried on every node.

use super::{Child, Node};
use crate::source::Span;

/// The JSON Pointer of the deepest node under `root` whose span (or key span)
/// is `target`; the pointer of the deepest node containing it otherwise.
pub fn pointer_of(root: Node<'_>, target: Span) -> String {
    let mut out = String::new();
    let mut node = root;
    while node.span() != target {
        match node.child_containing(target) {
            Some(Child::Member(m)) => {
                push_pointer_segment(&mut out, m.key);
                if !m.value.span().contains(target) {
                    // The key itself.
                    break;
                }
                node = m.value;
            }
            Some(Child::Element(i, n)) => {
                out.push('/');
                out.push_str(&i.to_string());
                node = n;
            }
            None => break,
        }
    }
    out
}

/// Appends `/segment` with `~` and `/` escaped.
pub fn push_pointer_segment(out: &mut String, segment: &str) {
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn pointers_follow_spans() {
        let text = r#"{"a/b": [{"c~": 1}, 2], "d": "x"}"#;
        let tree = parse(text).expect("valid");
        let root = tree.root();
        let items = root.get("a/b").expect("a/b").as_array().expect("array");
        let one = items.first().expect("0");
        let c = one.member("c~").expect("c~");
        assert_eq!(pointer_of(root, c.value.span()), "/a~1b/0/c~0");
        assert_eq!(pointer_of(root, c.key_span), "/a~1b/0/c~0");
        assert_eq!(pointer_of(root, root.span()), "");
        assert_eq!(pointer_of(root, one.span()), "/a~1b/0");
        let two = items.get(1).expect("1");
        assert_eq!(pointer_of(root, two.span()), "/a~1b/1");
        // Inside a token: the deepest node holding it.
        assert_eq!(
            pointer_of(root, Span::new(c.key_span.start + 1, c.key_span.start + 2)),
            "/a~1b/0/c~0"
        );
    }

    #[test]
    fn long_arrays_and_objects_are_searched_through_their_index() {
        // Unit tests index containers of more than 4 children.
        let items: Vec<String> = (0..50).map(|i| format!(r#"{{"k{i}": [{i}]}}"#)).collect();
        let members: Vec<String> = (0..50).map(|i| format!(r#""m{i}": {i}"#)).collect();
        let text = format!(
            r#"{{"a": [{}], "o": {{{}}}}}"#,
            items.join(", "),
            members.join(", ")
        );
        let tree = parse(&text).expect("valid");
        let root = tree.root();
        for i in [0, 1, 17, 49] {
            let element = root
                .get("a")
                .and_then(|a| a.as_array()?.get(i))
                .expect("element");
            let inner = element
                .get(&format!("k{i}"))
                .and_then(|v| v.as_array()?.first())
                .expect("inner");
            assert_eq!(pointer_of(root, inner.span()), format!("/a/{i}/k{i}/0"));
            let member = root
                .get("o")
                .and_then(|o| o.member(&format!("m{i}")))
                .expect("member");
            assert_eq!(pointer_of(root, member.value.span()), format!("/o/m{i}"));
            assert_eq!(pointer_of(root, member.key_span), format!("/o/m{i}"));
        }
        // Between two elements: the array.
        let a = root.get("a").expect("a");
        let first = a.as_array().and_then(|a| a.first()).expect("first");
        assert_eq!(pointer_of(root, Span::empty(first.span().end + 1)), "/a");
    }

    #[test]
    fn duplicate_keys_resolve_to_the_member_holding_the_span() {
        let text = r#"{"k": 1, "k": 2}"#;
        let tree = parse(text).expect("valid");
        let first = tree.root().as_object().expect("object").first().expect("k");
        assert_eq!(pointer_of(tree.root(), first.value.span()), "/k");
    }
}
