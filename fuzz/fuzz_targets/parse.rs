//! The spanned parser on arbitrary bytes: never panics, every span lies in
//! the text on character boundaries, and it agrees with serde_json (it may
//! accept only what serde_json rejects for its recursion limit or a number out
//! of f64 range; it must accept everything serde_json accepts below depth 256,
//! and read the same values: strings in place, decoded on first read or
//! spilled, duplicate keys last-wins).
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_lint::json::{MAX_DEPTH, Node, Value, parse};
use policy_lint::source::Span;

fn check_span(text: &str, span: Span) {
    assert!(span.start <= span.end, "reversed span {span:?}");
    assert!(span.end as usize <= text.len(), "span {span:?} past the end");
    assert!(text.is_char_boundary(span.start as usize), "{span:?} not on a char boundary");
    assert!(text.is_char_boundary(span.end as usize), "{span:?} not on a char boundary");
}

fn check_tree(text: &str, node: Node<'_>, depth: usize) {
    assert!(depth <= MAX_DEPTH);
    check_span(text, node.span());
    assert_eq!(node.tree().find(node.span()), Some(node), "found again by span");
    match node.value() {
        Value::Array(items) => {
            assert_eq!(items.iter().count(), items.len());
            for (i, n) in items.iter().enumerate() {
                assert!(node.span().contains(n.span()));
                assert_eq!(node.child_containing(n.span()).map(|c| c.node()), Some(n), "{i}");
                check_tree(text, n, depth + 1);
            }
        }
        Value::Object(members) => {
            assert_eq!(members.iter().count(), members.len());
            for m in members {
                check_span(text, m.key_span);
                assert!(node.span().contains(m.key_span));
                assert!(node.span().contains(m.value.span()));
                assert_eq!(node.tree().find_key(m.key_span), Some(m.key));
                check_tree(text, m.value, depth + 1);
            }
        }
        Value::String(s) => {
            let chars: String = node.str_chars().expect("a string").collect();
            assert_eq!(chars, s);
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse(text);
    match &ours {
        Ok(tree) => check_tree(text, tree.root(), 1),
        Err(e) => check_span(text, e.span),
    }
    if text.starts_with('\u{feff}') {
        return;
    }
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(tree), Ok(value)) => assert_eq!(&tree.root().to_serde(), value, "values differ"),
        (Err(e), Ok(_)) => panic!("serde_json accepts what we reject: {}", e.message),
        (Ok(_), Err(e)) => {
            let m = e.to_string();
            assert!(
                m.contains("recursion limit") || m.contains("number out of range"),
                "we accept what serde_json rejects: {m}"
            );
        }
        _ => {}
    }
});
