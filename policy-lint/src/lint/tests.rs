use super::*;
use crate::declare_rule;
use crate::documents::Document;
use crate::registry::Check;

declare_rule! {
    /// ## What it does
    /// Panics, to test the driver.
    pub struct Panics {
        code: "JSON999",
        name: "panics",
        summary: "panics",
        severity: Error,
        url: None,
    }
}

impl Check for Panics {
    fn check_document(&self, doc: &Document<'_>, _cx: &mut Context<'_>) {
        if doc.node.get("boom").is_some() {
            panic!("boom in {}", doc.file.source.name());
        }
    }
    fn check_model(&self, _model: &Model<'_>, _cx: &mut Context<'_>) {
        panic!("model boom");
    }
}

/// A value nested `levels` deep, alternating objects and arrays, with a
/// duplicate key at the bottom.
fn nested(levels: usize) -> String {
    let mut open = String::new();
    let mut close = String::new();
    for i in 0..levels {
        if i % 2 == 0 {
            open.push_str("{\"k\": ");
            close.insert(0, '}');
        } else {
            open.push('[');
            close.insert(0, ']');
        }
    }
    format!("{open}{{\"d\": 1, \"d\": 2}}{close}")
}

#[test]
fn the_deepest_accepted_documents_are_walked_on_ordinary_stacks() {
    // Every recursive walk (parse, drop, duplicate keys, pointers,
    // to_serde, rendering) is bounded by MAX_DEPTH; check it at the
    // bound, in the outer file and in an embedded document, on a thread
    // with a small stack.
    let depth = crate::json::MAX_DEPTH;
    let outer = format!("{{\"Statement\": {}}}", nested(depth - 2));
    let inner = format!("{{\"Statement\": {}}}", nested(depth - 2));
    let embedded = format!(
        "{{\"Role\": {{\"RoleName\": \"r\", \"AssumeRolePolicyDocument\": {}}}}}",
        serde_json::Value::String(inner)
    );
    let run = move || {
        let result = Linter::default().lint(vec![
            Input::new("outer.json", outer.as_bytes()),
            Input::new("embedded.json", embedded.as_bytes()),
        ]);
        let dups: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|d| d.code() == "JSON002")
            .map(|d| (d.primary.file.0, d.path.len() > 200))
            .collect();
        assert_eq!(
            dups,
            vec![(0, true), (1, true)],
            "{:#?}",
            result.diagnostics
        );
        let text = crate::render::render(
            &result,
            crate::render::Format::Human,
            crate::render::RenderOptions::default(),
        );
        assert!(text.contains("duplicate key `d`"));
        let root = crate::json::parse(&format!("[{}]", nested(depth - 2))).expect("valid");
        assert!(root.root().to_serde().is_array());
    };
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(run)
        .expect("spawn")
        .join()
        .expect("no stack overflow");
}

#[test]
fn a_panicking_rule_becomes_an_internal_error_and_the_run_goes_on() {
    let linter = Linter::default();
    let rules: Vec<&'static dyn Rule> = vec![&Panics, &rules::json::DuplicateKey];
    let result = linter.lint_with_rules(
        vec![
            Input::new("a.json", r#"{"Statement": [], "boom": 1}"#),
            Input::new("b.json", r#"{"Statement": [], "Statement": []}"#),
        ],
        &rules,
        &AtomicUsize::new(0),
    );
    let codes: Vec<_> = result
        .diagnostics
        .iter()
        .map(|d| (d.primary.file.0, d.code(), d.message.as_str()))
        .collect();
    assert!(
        codes.contains(&(
            0,
            "JSON004",
            "internal error in rule JSON999 (panics) on this aws-identity-policy: boom in a.json"
        )),
        "{codes:?}"
    );
    assert!(
        codes
            .iter()
            .any(|c| c.1 == "JSON004" && c.2.contains("model boom")),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|c| c.0 == 1 && c.1 == "JSON002"),
        "{codes:?}"
    );
    assert!(result.has_errors());
}
