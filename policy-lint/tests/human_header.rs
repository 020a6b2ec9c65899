//! The `human` format's snippet header `[file:line:col]` names the primary
//! span's own line and column (the ones `concise` prints), not column 1.

mod common;

use common::{case_inputs, lint_only, repo_root};
use policy_lint::{Linter, Options, RenderOptions, render::render_human};

#[test]
fn header_shows_the_primary_span_column() {
    let fixtures = repo_root().join("fixtures");
    let case = fixtures.join("AWS002/fail/cli-missing");
    let result = lint_only("AWS002", case_inputs(&case, &fixtures));
    let human = render_human(&result, RenderOptions::default());
    // `"PolicyDocument": {` on line 4: the object starts at column 23.
    assert!(
        human.contains("[AWS002/fail/cli-missing/role-policy.json:4:23]"),
        "{human}"
    );
    // Labels in advice get their own header, at their own column too.
    assert!(
        human.contains("[AWS002/fail/cli-missing/flow-logs.json:6:41]"),
        "{human}"
    );
}

#[test]
fn header_on_a_long_line_and_after_multibyte_characters() {
    // One long line (windowed by the renderer) with non-ASCII text before
    // the duplicate key: the column counts characters, as `concise` does.
    let text = format!(
        r#"{{"Description": "{}é", "Version": "2012-10-17", "Version": "2012-10-17"}}"#,
        "x".repeat(400)
    );
    let result = Linter::new(Options::default()).lint_str("long.json", &text);
    let d = result
        .diagnostics
        .iter()
        .find(|d| d.code() == "JSON002")
        .expect("duplicate key");
    let file = result.file(d.primary.file).expect("file");
    let at = file.line_col(d.primary.span.start);
    assert!(at.column > 400);
    let human = render_human(&result, RenderOptions::default());
    let header = format!("[long.json:{}:{}]", at.line, at.column);
    assert!(human.contains(&header), "{header} not in {human}");
}

#[test]
fn every_failing_fixture_header_matches_concise() {
    let fixtures = repo_root().join("fixtures");
    let mut checked = 0;
    for rule in std::fs::read_dir(&fixtures).expect("fixtures") {
        let rule = rule.expect("entry").path();
        let Some(code) = rule.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Ok(cases) = std::fs::read_dir(rule.join("fail")) else {
            continue;
        };
        for case in cases {
            let case = case.expect("entry").path();
            let result = lint_only(code, case_inputs(&case, &fixtures));
            let human = render_human(&result, RenderOptions::default());
            for d in &result.diagnostics {
                let file = result.file(d.primary.file).expect("file");
                let at = file.line_col(d.primary.span.start);
                let header = format!("[{}:{}:{}]", file.name(), at.line, at.column);
                assert!(human.contains(&header), "{header} not in {human}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} findings checked");
}
