//! The embedded-string decoder and its byte map: for any string literal the
//! parser accepts, the decoder agrees with the parser, and every decoded byte
//! maps to the raw byte it came from (itself for a plain character, the `\`
//! of its escape otherwise), in order. Then the decoded text is parsed as an
//! embedded document: every span must land inside the literal, and every
//! value must read as in a tree parsed from the decoded text itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_lint::json::{EmbeddedText, Node, Value, decode_string_literal, parse};
use policy_lint::source::Span;

fn check_map(outer: &str, literal: Span, e: &EmbeddedText) {
    let raw = outer.as_bytes();
    let mut last = literal.start;
    for (i, c) in e.text.char_indices() {
        let start = e.outer_span(Span::new(i as u32, i as u32 + 1)).start;
        assert!(start >= last, "map goes backwards at {i}");
        last = start;
        assert!(literal.contains(Span::empty(start)));
        let at = start as usize;
        let escaped = raw.get(at) == Some(&b'\\');
        for k in 0..c.len_utf8() {
            let s = e.outer_span(Span::new((i + k) as u32, (i + k) as u32 + 1)).start as usize;
            if escaped {
                assert_eq!(s, at, "escaped char {c:?}: byte {k} maps elsewhere");
            } else {
                assert_eq!(raw.get(s), e.text.as_bytes().get(i + k), "byte {} of {c:?}", i + k);
            }
        }
        // The raw text of the character decodes to exactly that character.
        let span = e.outer_span(Span::new(i as u32, (i + c.len_utf8()) as u32));
        let piece = outer.get(span.range()).expect("char boundaries");
        let lit = format!("\"{piece}\"");
        let decoded = parse(&lit).expect("raw piece is a valid string body");
        assert_eq!(decoded.root().as_str(), Some(c.encode_utf8(&mut [0; 4]) as &str));
    }
    let end = e.outer_span(Span::empty(e.text.len() as u32));
    assert_eq!(end.start, literal.end - 1, "end of text maps to the closing quote");
}

fn check_inner(outer: &str, literal: Span, node: Node<'_>) {
    let span = node.span();
    assert!(literal.contains(span), "{span:?} outside {literal:?}");
    assert!(outer.is_char_boundary(span.start as usize));
    assert!(outer.is_char_boundary(span.end as usize));
    match node.value() {
        Value::Array(items) => items.iter().for_each(|n| check_inner(outer, literal, n)),
        Value::Object(members) => members.iter().for_each(|m| {
            assert!(literal.contains(m.key_span));
            check_inner(outer, literal, m.value);
        }),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    // Indent the literal so that offsets in the outer file are not offsets in the body.
    let outer = std::sync::Arc::new(format!("  \"{body}\" "));
    let Ok(tree) = parse(&outer) else {
        return;
    };
    let node = tree.root();
    let Value::String(s) = node.value() else {
        return;
    };
    let literal = node.span();
    let e = decode_string_literal(&outer, literal).expect("parser accepted the literal");
    assert_eq!(e.text, s);
    check_map(&outer, literal, &e);
    let e = if e.is_url_encoded() {
        match e.percent_decode() {
            Some(d) => d,
            None => return,
        }
    } else {
        e
    };
    match e.parse() {
        Ok(inner) => {
            check_inner(&outer, literal, inner.root());
            let plain = parse(&e.text).expect("the decoded text parses on its own");
            assert_eq!(inner.root().to_serde(), plain.root().to_serde());
        }
        Err(err) => {
            assert!(literal.contains(err.span), "error span {:?} outside", err.span);
        }
    }
});
