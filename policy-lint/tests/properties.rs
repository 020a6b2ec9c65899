//! Property tests (proptest), run in CI with `cargo test`:
//! - for generated JSON (duplicate keys, policy-like keys, embedded documents,
//!   every escape form, odd whitespace), every reported span and label lies
//!   inside the file on character boundaries, and every renderer runs;
//! - for generated strings, the escape map sends every decoded byte to the
//!   raw byte it came from (itself, or the `\` or `%` of its escape).

use policy_lint::json::{decode_string_literal, parse};
use policy_lint::render::{self, Format, RenderOptions};
use policy_lint::source::Span;
use policy_lint::{Input, Linter};
use proptest::prelude::*;

/// A tiny deterministic generator for the choices made while printing.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes `s` as a JSON string literal, choosing per character between the
/// raw character, its short escape and `\uXXXX` (surrogate pairs included).
fn escape_into(out: &mut String, s: &str, rng: &mut Rng) {
    out.push('"');
    for c in s.chars() {
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '/' => Some("\\/"),
            _ => None,
        };
        let must_escape = c == '"' || c == '\\' || (c as u32) < 0x20;
        match rng.pick(4) {
            0 | 1 if !must_escape => out.push(c),
            2 if short.is_some() => out.push_str(short.unwrap_or_default()),
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    if rng.pick(2) == 0 {
                        out.push_str(&format!("\\u{unit:04x}"));
                    } else {
                        out.push_str(&format!("\\u{unit:04X}"));
                    }
                }
            }
        }
    }
    out.push('"');
}

#[derive(Debug, Clone)]
enum Tree {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
    /// A document printed into a JSON string (as in Terraform plans).
    Embedded(Box<Tree>),
}

const KEYS: &[&str] = &[
    "Version",
    "Statement",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "Principal",
    "Service",
    "AWS",
    "Condition",
    "Sid",
    "Role",
    "AssumeRolePolicyDocument",
    "PolicyDocument",
    "PolicyName",
    "RoleName",
    "Roles",
    "format_version",
    "planned_values",
    "resource_changes",
    "root_module",
    "resources",
    "values",
    "policy",
    "assume_role_policy",
    "bindings",
    "members",
    "role",
    "etag",
    "serviceAccounts",
    "scopes",
    "email",
    "machineType",
    "kind",
    "é",
    "𝄞",
];

const STRINGS: &[&str] = &[
    "2012-10-17",
    "Allow",
    "Deny",
    "*",
    "s3:GetObject",
    "sts:AssumeRole",
    "ec2.amazonaws.com",
    "arn:aws:s3:::b/*",
    "roles/owner",
    "allUsers",
    "compute#instance",
    "1.2",
    "https://www.googleapis.com/auth/cloud-platform",
    "%7B%22a%22%3A1%7D",
    "\u{1b}[31m",
    "a\u{202e}b",
];

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        prop_oneof![
            Just("0".to_string()),
            Just("-1.5e3".to_string()),
            Just("1e999".to_string()),
            Just("123456789012".to_string())
        ]
        .prop_map(Tree::Number),
        prop::sample::select(STRINGS).prop_map(|s| Tree::Str(s.to_string())),
        any::<String>().prop_map(Tree::Str),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Tree::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(KEYS).prop_map(str::to_string),
                        any::<String>()
                    ],
                    inner.clone()
                ),
                0..6
            )
            .prop_map(Tree::Object),
            inner.prop_map(|t| Tree::Embedded(Box::new(t))),
        ]
    })
}

fn ws(out: &mut String, rng: &mut Rng) {
    for _ in 0..rng.pick(3) {
        out.push([' ', '\n', '\t', '\r'][rng.pick(4) as usize]);
    }
}

fn print(t: &Tree, out: &mut String, rng: &mut Rng) {
    ws(out, rng);
    match t {
        Tree::Null => out.push_str("null"),
        Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Tree::Number(n) => out.push_str(n),
        Tree::Str(s) => escape_into(out, s, rng),
        Tree::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                print(item, out, rng);
            }
            ws(out, rng);
            out.push(']');
        }
        Tree::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ws(out, rng);
                escape_into(out, k, rng);
                ws(out, rng);
                out.push(':');
                print(v, out, rng);
            }
            ws(out, rng);
            out.push('}');
        }
        Tree::Embedded(inner) => {
            let mut text = String::new();
            print(inner, &mut text, rng);
            escape_into(out, &text, rng);
        }
    }
    ws(out, rng);
}

fn check_span(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end, "{what}: reversed {span:?}");
    prop_assert!(
        span.end as usize <= text.len(),
        "{what}: {span:?} past the end"
    );
    prop_assert!(
        text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
        "{what}: {span:?} not on character boundaries"
    );
    Ok(())
}

fn check_all_spans(text: &str) -> Result<(), TestCaseError> {
    let result = Linter::default().lint(vec![Input::new("gen.json", text.as_bytes())]);
    for d in &result.diagnostics {
        let file = result.file(d.primary.file).expect("file");
        check_span(file.text(), d.primary.span, d.code())?;
        for l in &d.labels {
            let f = result.file(l.location.file).expect("label file");
            check_span(f.text(), l.location.span, &l.message)?;
        }
        prop_assert_ne!(d.code(), "JSON004", "internal error: {}", d.message);
    }
    for format in [Format::Human, Format::Concise, Format::Json] {
        let out = render::render(
            &result,
            format,
            RenderOptions {
                color: false,
                ..Default::default()
            },
        );
        prop_assert!(
            !out.contains('\u{1b}'),
            "escape character in {:?} output",
            format
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn spans_of_generated_json_lie_in_the_file_on_char_boundaries(t in tree(), seed in any::<u64>()) {
        let mut rng = Rng(seed | 1);
        let mut text = String::new();
        print(&t, &mut text, &mut rng);
        prop_assert!(parse(&text).is_ok(), "generator printed invalid JSON: {}", text);
        check_all_spans(&text)?;
        // Truncated and corrupted variants must be handled as well.
        let cut = (rng.pick(text.len() as u64 + 1)) as usize;
        let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        check_all_spans(&text[..cut])?;
    }

    #[test]
    fn the_escape_map_sends_each_decoded_byte_to_its_raw_byte(s in any::<String>(), seed in any::<u64>()) {
        let mut rng = Rng(seed | 1);
        let mut outer = String::from(" ");
        escape_into(&mut outer, &s, &mut rng);
        let literal = Span::new(1, outer.len() as u32);
        let e = decode_string_literal(&std::sync::Arc::new(outer.clone()), literal).expect("valid literal");
        prop_assert_eq!(&e.text, &s);
        let raw = outer.as_bytes();
        for (i, c) in s.char_indices() {
            let at = e.outer_span(Span::new(i as u32, i as u32 + 1)).start as usize;
            let escaped = raw.get(at) == Some(&b'\\');
            for k in 0..c.len_utf8() {
                let src = e.outer_span(Span::new((i + k) as u32, (i + k + 1) as u32)).start as usize;
                if escaped {
                    prop_assert_eq!(src, at);
                } else {
                    prop_assert_eq!(raw.get(src), s.as_bytes().get(i + k));
                }
            }
            // The raw text of the character decodes to exactly it.
            let span = e.outer_span(Span::new(i as u32, (i + c.len_utf8()) as u32));
            let piece = format!("\"{}\"", &outer[span.range()]);
            let decoded = parse(&piece).expect("a raw piece is a string body");
            let expected = c.to_string();
            prop_assert_eq!(decoded.root().as_str(), Some(expected.as_str()));
        }
        let end = e.outer_span(Span::empty(s.len() as u32));
        prop_assert_eq!(end.start as usize, outer.len() - 1);
    }

    #[test]
    fn url_encoded_documents_map_back_through_both_layers(s in any::<String>(), seed in any::<u64>()) {
        let mut rng = Rng(seed | 1);
        // Percent-encode some bytes (always the first `{` so it looks encoded).
        let mut encoded = String::from("%7B");
        for (i, b) in s.bytes().enumerate() {
            if !b.is_ascii_alphanumeric() || rng.pick(3) == 0 {
                encoded.push_str(&format!("%{b:02X}"));
            } else {
                encoded.push(char::from(b));
            }
            let _ = i;
        }
        let mut outer = String::new();
        escape_into(&mut outer, &encoded, &mut rng);
        let e = decode_string_literal(&std::sync::Arc::new(outer.clone()), Span::new(0, outer.len() as u32)).expect("literal");
        prop_assert!(e.is_url_encoded());
        let d = e.percent_decode().expect("valid UTF-8");
        prop_assert_eq!(&d.text, &format!("{{{s}"));
        for (i, &b) in d.text.as_bytes().iter().enumerate() {
            let src = d.outer_span(Span::new(i as u32, i as u32 + 1)).start as usize;
            let raw = outer.as_bytes().get(src).copied();
            prop_assert!(
                raw == Some(b) || raw == Some(b'%') || raw == Some(b'\\'),
                "decoded byte {} ({:?}) maps to {:?}", i, b as char, raw.map(char::from)
            );
        }
    }
}
