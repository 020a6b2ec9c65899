//! End-to-end flow-log scenarios (`fixtures/scenarios/aws/*/`, written by
//! `fixtures/scenarios/aws/generate.py`): each failure point (a) missing logs
//! actions, (b) wrong trust principal, (c) an explicit Deny in another
//! policy, a boundary or an SCP, in each input form (CLI output,
//! authorization details, raw documents). Every run is linted with all
//! rules; its AWS001-AWS003 findings must be exactly `expected.tsv`
//! (code, severity, file, JSON Pointer of the primary span), and a scenario
//! with an empty `expected.tsv` must report no error at all.

mod common;

use common::{case_inputs, repo_root, snapshot_text};
use policy_lint::{Linter, Options, Severity};

#[test]
fn flow_log_scenarios_report_exact_codes_and_spans() {
    let root = repo_root().join("fixtures").join("scenarios").join("aws");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("scenarios dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 20,
        "scenarios missing: run fixtures/scenarios/aws/generate.py"
    );
    for dir in dirs {
        let inputs = case_inputs(&dir, &root);
        let scp = inputs
            .iter()
            .filter(|i| {
                i.name
                    .rsplit('/')
                    .next()
                    .is_some_and(|f| f.starts_with("scp"))
            })
            .map(|i| i.name.clone())
            .collect();
        let options = Options {
            scp,
            ..Options::default()
        };
        let result = Linter::new(options).lint(inputs);
        let mut actual: Vec<String> = result
            .diagnostics
            .iter()
            .filter(|d| matches!(d.code(), "AWS001" | "AWS002" | "AWS003"))
            .filter(|d| d.severity != Severity::Advice)
            .map(|d| {
                let file = result.file(d.primary.file).expect("file").name();
                let base = file.rsplit('/').next().unwrap_or(file);
                format!("{}\t{}\t{}\t{}", d.code(), d.severity, base, d.path)
            })
            .collect();
        actual.sort();
        let expected_text =
            std::fs::read_to_string(dir.join("expected.tsv")).expect("expected.tsv");
        let mut expected: Vec<String> = expected_text.lines().map(str::to_string).collect();
        expected.sort();
        let name = dir.file_name().expect("name").to_string_lossy().to_string();
        assert_eq!(actual, expected, "{name}:\n{}", snapshot_text(&result));
        if expected.is_empty() {
            assert!(
                !result.has_errors(),
                "{name} reports an error:\n{}",
                snapshot_text(&result)
            );
        }
    }
}
