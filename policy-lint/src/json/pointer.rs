//! JSON Pointers (RFC 6901), computed from spans at the edge rather than
//! carried on every node.

use super::{Node, Value};
use crate::source::Span;

/// The JSON Pointer of the deepest node under `root` whose span (or key span)
/// is `target`; the pointer of the deepest node containing it otherwise.
pub fn pointer_of(root: &Node, target: Span) -> String {
    let mut out = String::new();
    let mut node = root;
    'descend: loop {
        if node.span == target {
            break;
        }
        match &node.value {
            Value::Object(members) => {
                for m in members.iter().rev() {
                    if m.key_span == target {
                        push_pointer_segment(&mut out, &m.key);
                        break 'descend;
                    }
                    if m.value.span.contains(target) {
                        push_pointer_segment(&mut out, &m.key);
                        node = &m.value;
                        continue 'descend;
                    }
                }
                break;
            }
            Value::Array(items) => {
                let i = items.partition_point(|n| n.span.end <= target.start);
                match items.get(i) {
                    Some(n) if n.span.contains(target) => {
                        out.push('/');
                        out.push_str(&i.to_string());
                        node = n;
                    }
                    _ => break,
                }
            }
            _ => break,
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
        let root = parse(text).expect("valid");
        let one = &root.get("a/b").expect("a/b").as_array().expect("array")[0];
        let c = one.member("c~").expect("c~");
        assert_eq!(pointer_of(&root, c.value.span), "/a~1b/0/c~0");
        assert_eq!(pointer_of(&root, c.key_span), "/a~1b/0/c~0");
        assert_eq!(pointer_of(&root, root.span), "");
        assert_eq!(pointer_of(&root, one.span), "/a~1b/0");
    }

    #[test]
    fn duplicate_keys_resolve_to_the_member_holding_the_span() {
        let text = r#"{"k": 1, "k": 2}"#;
        let root = parse(text).expect("valid");
        let first = &root.as_object().expect("object")[0];
        assert_eq!(pointer_of(&root, first.value.span), "/k");
    }
}
