use super::*;
use crate::json::{Node, Value};

fn err(text: &str) -> ParseError {
    parse(text).expect_err("should fail")
}

#[test]
fn spans_cover_keys_and_whole_values() {
    let text = r#"{"a": [1, "x\"y"], "b": {}}"#;
    let tree = parse(text).expect("valid");
    let a = tree.root().member("a").expect("a");
    assert_eq!(&text[a.key_span.range()], "\"a\"");
    assert_eq!(&text[a.value.span().range()], r#"[1, "x\"y"]"#);
    let items = a.value.as_array().expect("array");
    let second = items.get(1).expect("second");
    assert_eq!(second.as_str(), Some("x\"y"));
    assert_eq!(&text[second.span().range()], r#""x\"y""#);
    assert_eq!(
        tree.root().get("b").map(|b| b.span()),
        Some(Span::new(24, 26))
    );
}

#[test]
fn duplicate_keys_are_kept_and_last_wins() {
    let tree = parse(r#"{"k": 1, "k": 2}"#).expect("valid");
    assert_eq!(tree.root().as_object().map(|o| o.len()), Some(2));
    assert!(matches!(
        tree.root().get("k").expect("k").value(),
        Value::Number("2")
    ));
    let k = tree.root().get_ignore_case("K").expect("K");
    assert_eq!(k.value.as_number(), Some("2"));
}

#[test]
fn siblings_are_found_past_nested_subtrees() {
    let text = r#"[{"a": [[1], {"b": null}]}, true, "s", {"c": [false]}]"#;
    let tree = parse(text).expect("valid");
    let kinds: Vec<_> = tree
        .root()
        .as_array()
        .expect("array")
        .iter()
        .map(|n| n.type_name())
        .collect();
    assert_eq!(kinds, ["object", "boolean", "string", "object"]);
    let c = tree.root().as_array().and_then(|a| a.last()).expect("last");
    assert_eq!(
        c.get("c").and_then(|c| c.as_array()).map(|a| a.len()),
        Some(1)
    );
    let values: Vec<_> = tree
        .root()
        .as_array()
        .and_then(|a| a.first())
        .expect("first")
        .child_values()
        .map(|n| n.span())
        .collect();
    assert_eq!(values, [Span::new(7, 25)]);
}

#[test]
fn long_strings_and_large_containers_exceed_the_entry_fields() {
    // Unit tests store at most 15 bytes or children in an entry: longer
    // strings go to the spill table, larger counts are counted.
    let long = "abcdefghijklmnopqrstuvwxyz";
    let items: Vec<String> = (0..40).map(|i| i.to_string()).collect();
    let members: Vec<String> = (0..20).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!(
        r#"{{"{long}": "{long}", "e": "{long}\n", "a": [{}], "o": {{{}}}}}"#,
        items.join(","),
        members.join(",")
    );
    let tree = parse(&text).expect("valid");
    let root = tree.root();
    assert_eq!(root.get_str(long), Some(long));
    assert_eq!(root.get_str("e"), Some(format!("{long}\n").as_str()));
    let a = root.get("a").and_then(|a| a.as_array()).expect("a");
    assert_eq!(a.len(), 40);
    assert_eq!(a.iter().len(), 40);
    assert_eq!(a.last().and_then(|n| n.as_number()), Some("39"));
    let o = root.get("o").and_then(|o| o.as_object()).expect("o");
    assert_eq!(o.len(), 20);
    assert_eq!(
        root.get("o")
            .and_then(|o| o.get("k19"))
            .and_then(|n| n.as_number()),
        Some("19")
    );
    assert!(!tree.spilled.is_empty());
}

#[test]
fn escaped_strings_are_decoded_when_read() {
    let tree = parse(r#"{"a\u0062": "x\ty", "plain": "z"}"#).expect("valid");
    assert_eq!(tree.lazy.len(), 2);
    assert!(tree.lazy.iter().all(|l| l.get().is_none()));
    assert_eq!(tree.root().get_str("ab"), Some("x\ty"));
    assert!(tree.lazy.iter().all(|l| l.get().is_some()));
    assert_eq!(tree.root().get_str("plain"), Some("z"));
}

#[test]
fn string_characters_are_read_without_decoding_the_whole_string() {
    let text = r#"["\n  {\"a\": \"\u00e9\ud83d\ude00\"}", "plain é", "\\", 1]"#;
    let tree = parse(text).expect("valid");
    let items: Vec<Node<'_>> = tree.root().as_array().expect("array").iter().collect();
    // Peeking leaves the lazy strings undecoded.
    let first = items[0]
        .str_chars()
        .expect("string")
        .find(|c| !c.is_whitespace());
    assert_eq!(first, Some('{'));
    assert!(tree.lazy.iter().all(|l| l.get().is_none()));
    for &item in &items[..3] {
        let chars: String = item.str_chars().expect("string").collect();
        assert_eq!(Some(chars.as_str()), item.as_str());
        // And the same once decoded.
        let again: String = item.str_chars().expect("string").collect();
        assert_eq!(again, chars);
    }
    assert!(items[3].str_chars().is_none());
}

#[test]
fn nodes_are_found_again_by_span_and_index() {
    let text = r#"{"a": [1, {"b": "c"}], "d": null}"#;
    let tree = parse(text).expect("valid");
    let b = tree
        .root()
        .get("a")
        .and_then(|a| a.as_array()?.get(1))
        .and_then(|o| o.get("b"))
        .expect("b");
    assert_eq!(tree.find(b.span()), Some(b));
    assert_eq!(tree.node(b.index()), b);
    assert_eq!(tree.find(tree.root().span()), Some(tree.root()));
    // A key is not a value.
    let key = tree.root().member("d").expect("d").key_span;
    assert_eq!(tree.find(key), None);
    assert_eq!(tree.find(Span::new(7, 9)), None);
}

#[test]
fn converts_to_serde_json() {
    let text = r#"{"a": [1, -2.5e3, true, null, "s\n"], "a": {"x": false}}"#;
    let tree = parse(text).expect("valid");
    assert_eq!(
        tree.root().to_serde(),
        serde_json::json!({"a": {"x": false}})
    );
    let first = tree.root().as_object().and_then(|o| o.first()).expect("a");
    assert_eq!(
        first.value.to_serde(),
        serde_json::json!([1, -2.5e3, true, null, "s\n"])
    );
}

#[test]
fn strictness() {
    assert_eq!(err("{\"a\": 1,}").span, Span::new(8, 9));
    assert_eq!(err("[1,]").span, Span::new(3, 4));
    assert_eq!(err("// c\n{}").span, Span::new(0, 1));
    assert_eq!(err("{\"a\": NaN}").span, Span::new(6, 9));
    assert_eq!(err("\"a\tb\"").span, Span::new(2, 3));
    assert_eq!(err("\"\\ud800\"").span, Span::new(1, 7));
    assert_eq!(err("\"\\udc00\\u0041\"").span, Span::new(1, 7));
    assert_eq!(err("01").span, Span::new(0, 2));
    assert_eq!(err("{'a': 1}").span, Span::new(1, 2));
    assert_eq!(err("[1] x").span, Span::new(4, 5));
    assert_eq!(err("").message, "file is empty: expected a JSON value");
}

#[test]
fn truncated_input_is_reported_where_the_text_ends() {
    let text = "{\n  \"Statement\": [\n\n\n";
    let e = err(text);
    assert_eq!(e.span, Span::empty(18));
    assert!(e.message.contains("end of input"), "{}", e.message);
}

#[test]
fn a_short_unicode_escape_before_a_multibyte_character_is_reported_on_char_boundaries() {
    // Found by the `parse` fuzz target: the span used to take six bytes,
    // ending inside the byte order mark.
    let text = "{\"a\": \"\\ud\"\u{feff}}";
    let e = err(text);
    assert_eq!(&text[e.span.range()], "\\ud");
    assert!(e.message.contains("four hex digits"), "{}", e.message);
}

#[test]
fn surrogate_pairs_decode() {
    let tree = parse(r#""\ud83d\ude00 \u00e9""#).expect("valid");
    assert_eq!(tree.root().as_str(), Some("\u{1F600} \u{e9}"));
}

#[test]
fn depth_is_limited() {
    let deep = "[".repeat(MAX_DEPTH + 1);
    assert!(err(&deep).message.contains("nesting"));
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok());
}

#[test]
fn bom_is_skipped_and_spans_count_it() {
    let tree = parse("\u{feff}{}").expect("valid");
    assert_eq!(tree.root().span(), Span::new(3, 5));
}

#[test]
fn string_runs_stop_at_the_first_quote_backslash_or_control_character() {
    let naive = |b: &[u8]| {
        b.iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            .unwrap_or(b.len())
    };
    let alphabet = [b'a', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff, 0x00, b'!'];
    // Every position of every special byte after runs of ordinary,
    // high and boundary bytes, in words and tails.
    for len in 0..24 {
        for fill in [b'a', 0x20, 0x7f, 0x80, 0xff, b'!', b'#', b']'] {
            for &special in &alphabet {
                for at in 0..=len {
                    let mut bytes = vec![fill; len];
                    if at < len {
                        bytes[at] = special;
                    }
                    assert_eq!(string_run(&bytes), naive(&bytes), "{bytes:?}");
                }
            }
        }
    }
}

#[test]
fn numbers_keep_their_literal() {
    let tree = parse("[-0.5e+10, 1E400]").expect("valid");
    let items = tree.root().as_array().expect("array");
    assert!(matches!(
        items.get(1).expect("1").value(),
        Value::Number("1E400")
    ));
}
