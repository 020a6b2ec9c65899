//! One token, one finding (`fixtures/scenarios/one-token/`): each case is
//! linted with every rule, and no two of the service-principal findings
//! (AWS001, AWS004, AWS006) may share a primary token. A typo'd principal of
//! a role a service uses is AWS001 with its did-you-mean; the same typo
//! nothing links is AWS006 with its did-you-mean; neither is also AWS004.

mod common;

use common::{case_inputs, repo_root, snapshot_text};
use policy_lint::{Linter, Options, Selector};

const PRINCIPAL_CODES: [&str; 3] = ["AWS001", "AWS004", "AWS006"];

fn cases() -> Vec<std::path::PathBuf> {
    let root = repo_root().join("fixtures/scenarios/one-token");
    let mut v: Vec<_> = std::fs::read_dir(&root)
        .expect("one-token dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            (p.is_dir() && !p.ends_with("snapshots")) || p.extension().is_some_and(|x| x == "json")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_principal_token_gets_one_finding() {
    let root = repo_root().join("fixtures");
    let cases = cases();
    assert!(cases.len() >= 3, "one-token cases missing");
    for case in cases {
        let result = Linter::new(Options::default()).lint(case_inputs(&case, &root));
        let mut seen = std::collections::HashMap::new();
        for d in &result.diagnostics {
            if !PRINCIPAL_CODES.contains(&d.code()) {
                continue;
            }
            if let Some(other) = seen.insert(d.primary, d.code()) {
                panic!(
                    "{}: {} and {other} on one token:\n{}",
                    case.display(),
                    d.code(),
                    snapshot_text(&result)
                );
            }
        }
        let name = case
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        insta::with_settings!({snapshot_path => root.join("scenarios/one-token/snapshots"), prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, snapshot_text(&result));
        });
    }
}

/// Without AWS001 the finding it supersedes comes back: the choice is made
/// after selection.
#[test]
fn ignoring_aws001_brings_aws006_back() {
    let root = repo_root().join("fixtures");
    let case = root.join("scenarios/one-token/linked-typo");
    let options = Options {
        ignore: vec![Selector::parse("AWS001").expect("selector")],
        ..Options::default()
    };
    let result = Linter::new(options).lint(case_inputs(&case, &root));
    let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code()).collect();
    assert!(codes.contains(&"AWS006"), "{codes:?}");
    let all = Linter::new(Options::default()).lint(case_inputs(&case, &root));
    let codes: Vec<&str> = all.diagnostics.iter().map(|d| d.code()).collect();
    assert!(
        codes.contains(&"AWS001") && !codes.contains(&"AWS006") && !codes.contains(&"AWS004"),
        "{codes:?}"
    );
}
