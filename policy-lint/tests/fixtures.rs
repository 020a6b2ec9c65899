//! Every rule's fixtures: `fixtures/<CODE>/fail/*` must produce that code
//! (snapshotted with exact spans), `fixtures/<CODE>/pass/*` must not.
//! A case is a `.json` file, or a directory of files linted as one run.

mod common;

use std::path::{Path, PathBuf};

use common::{case_inputs, lint_only, repo_root, snapshot_text};
use policy_lint::rules::ALL;

fn cases(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<_> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn fail_fixtures_report_their_code_at_exact_spans() {
    let root = repo_root().join("fixtures");
    for rule in ALL {
        let code = rule.meta().code;
        for case in cases(&root.join(code).join("fail")) {
            let result = lint_only(code, case_inputs(&case, &root));
            assert!(
                result.diagnostics.iter().any(|d| d.code() == code),
                "{} does not report {code}",
                case.display()
            );
            let name = format!(
                "{code}__{}",
                case.file_stem().expect("stem").to_string_lossy()
            );
            insta::with_settings!({snapshot_path => root.join(code).join("snapshots"), prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!(name, snapshot_text(&result));
            });
        }
    }
}

#[test]
fn pass_fixtures_are_clean_for_their_code() {
    let root = repo_root().join("fixtures");
    for rule in ALL {
        let code = rule.meta().code;
        for case in cases(&root.join(code).join("pass")) {
            let result = lint_only(code, case_inputs(&case, &root));
            let found: Vec<_> = result
                .diagnostics
                .iter()
                .filter(|d| d.code() == code)
                .collect();
            assert!(
                found.is_empty(),
                "{} reports {code}:\n{}",
                case.display(),
                snapshot_text(&result)
            );
        }
    }
}
