//! Suppressions and fingerprints through the library, on a document embedded
//! in a JSON string: generic matching from the file's tree.

use policy_lint::config::Config;
use policy_lint::{Input, LintResult, Linter, Options};

/// `aws iam get-role-policy` output whose policy document is a JSON string
/// (as the IAM API returns it) holding a statement with a duplicate `Effect`.
fn plan(pretty: bool) -> String {
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Legacy","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Effect":"Deny"}]}"#;
    let value = serde_json::json!({
        "RoleName": "app",
        "PolicyName": "inline",
        "PolicyDocument": policy,
    });
    if pretty {
        serde_json::to_string_pretty(&value).expect("json")
    } else {
        value.to_string()
    }
}

fn lint(config: &str, text: &str) -> LintResult {
    let config = Config::parse(config).expect("valid config");
    Linter::new(config.options(&Options::default())).lint(vec![Input::new("plans/plan.json", text)])
}

fn json002(result: &LintResult) -> Vec<&policy_lint::Diagnostic> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.code() == "JSON002")
        .collect()
}

#[test]
fn the_embedded_finding_exists_and_has_an_embedded_pointer() {
    let r = lint("", &plan(true));
    let found = json002(&r);
    assert_eq!(found.len(), 1, "{:#?}", r.diagnostics);
    assert!(found[0].path.contains('#'), "{}", found[0].path);
}

#[test]
fn a_sid_suppresses_inside_an_embedded_policy() {
    let cfg = "[[suppress]]\nrule = \"JSON002\"\npath = \"plans/*.json\"\nlocation = \"Legacy\"\nreason = \"r\"\n";
    let r = lint(cfg, &plan(false));
    assert!(json002(&r).is_empty());
    assert_eq!(r.suppressed, 1);
    assert!(r.unmatched_suppressions.is_empty());
    let other = cfg.replace("Legacy", "Other");
    let r = lint(&other, &plan(false));
    assert_eq!(json002(&r).len(), 1);
    assert_eq!(r.unmatched_suppressions, [0]);
    // A suppression for files not in the run is not stale.
    let elsewhere = cfg
        .replace("plans/*.json", "other/*.json")
        .replace("Legacy", "Other");
    assert!(
        lint(&elsewhere, &plan(false))
            .unmatched_suppressions
            .is_empty()
    );
}

#[test]
fn a_pointer_suppresses_what_lies_inside_it() {
    let r = lint("", &plan(false));
    let pointer = json002(&r)[0].path.clone();
    let outer = pointer.split('#').next().expect("outer").to_string();
    let cfg = format!(
        "[[suppress]]\nrule = \"duplicate-key\"\npath = \"**/plan.json\"\nlocation = \"{outer}\"\nreason = \"r\"\n"
    );
    assert!(json002(&lint(&cfg, &plan(true))).is_empty());
}

#[test]
fn fingerprints_survive_pretty_printing() {
    let a = lint("", &plan(true));
    let b = lint("", &plan(false));
    let fa: Vec<_> = a.diagnostics.iter().map(|d| &d.fingerprint).collect();
    let fb: Vec<_> = b.diagnostics.iter().map(|d| &d.fingerprint).collect();
    assert!(!fa.is_empty());
    assert_eq!(fa, fb);
    assert!(fa.iter().all(|f| f.len() == 16));
}
