//! End-to-end GCP scenarios (`fixtures/scenarios/gcp-*`): the two seed
//! incidents and their neighbours, linted with every rule on. Each asserts
//! the exact codes, severities and the text under each primary span.

mod common;

use common::{case_inputs, repo_root};
use policy_lint::{LintResult, Linter, Options, Severity};

fn run(name: &str) -> LintResult {
    let root = repo_root().join("fixtures");
    Linter::new(Options::default()).lint(case_inputs(&root.join("scenarios").join(name), &root))
}

/// (code, severity, file suffix, sliced primary text) of every GCP finding.
fn findings(result: &LintResult) -> Vec<(String, Severity, String, String)> {
    result
        .diagnostics
        .iter()
        .filter(|d| d.code().starts_with("GCP"))
        .map(|d| {
            let f = result.file(d.primary.file).expect("file");
            let file = f.name().rsplit('/').next().unwrap_or_default().to_string();
            (
                d.code().to_string(),
                d.severity,
                file,
                f.slice(d.primary.span).to_string(),
            )
        })
        .collect()
}

fn has(result: &LintResult, code: &str, severity: Severity, file: &str, text: &str) -> bool {
    findings(result)
        .iter()
        .any(|(c, s, f, t)| c == code && *s == severity && f == file && t == text)
}

const DEFAULT_EMAIL: &str = "\"123456789012-compute@developer.gserviceaccount.com\"";
const APP_EMAIL: &str = "\"app@my-project.iam.gserviceaccount.com\"";

#[test]
fn default_scopes_block_storage_writes_iam_grants() {
    let r = run("gcp-storage-scopes");
    let f = findings(&r);
    let gcp002: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code() == "GCP002")
        .collect();
    assert_eq!(gcp002.len(), 1, "{f:#?}");
    let d = gcp002[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains("Cloud Storage"), "{}", d.message);
    assert!(
        d.message
            .contains("Request had insufficient authentication scopes")
    );
    // On the storage scope that falls short, the token to change.
    assert!(
        d.path.starts_with("/serviceAccounts/0/scopes/"),
        "{}",
        d.path
    );
    let text = r.file(d.primary.file).expect("file").slice(d.primary.span);
    assert_eq!(
        text, "\"https://www.googleapis.com/auth/devstorage.read_only\"",
        "{text}"
    );
    let help = d.help.as_deref().expect("help");
    assert!(help.contains("devstorage.read_write"), "{help}");
    assert!(help.contains("dedicated service account"), "{help}");
    assert!(!help.contains("add `cloud-platform`"), "{help}");
    // The label is on the member of the objectAdmin binding.
    assert_eq!(d.labels.len(), 1);
    let label = &d.labels[0];
    assert!(label.message.contains("roles/storage.objectAdmin"));
    assert_eq!(
        r.file(label.location.file)
            .expect("file")
            .slice(label.location.span),
        "\"serviceAccount:123456789012-compute@developer.gserviceaccount.com\""
    );
    // Logs work (logWriter + logging.write): no GCP001 or GCP004.
    assert!(
        f.iter().all(|(c, ..)| c != "GCP001" && c != "GCP004"),
        "{f:#?}"
    );
    assert!(has(
        &r,
        "GCP005",
        Severity::Warning,
        "instance.json",
        DEFAULT_EMAIL
    ));
    assert!(!r.has_errors() || f.iter().filter(|x| x.1 == Severity::Error).count() == 1);
}

#[test]
fn dedicated_account_without_log_writer() {
    let r = run("gcp-log-writer");
    let f = findings(&r);
    assert_eq!(
        f,
        vec![(
            "GCP001".to_string(),
            Severity::Error,
            "instance.json".to_string(),
            APP_EMAIL.to_string()
        )]
    );
    let d = &r.diagnostics[0];
    assert!(
        d.message
            .contains("Permission 'logging.logEntries.create' denied"),
        "{}",
        d.message
    );
    assert_eq!(d.path, "/serviceAccounts/0/email");
    // Labelled at the bindings array, then at the account's own bindings.
    let first = &d.labels[0];
    let text = r
        .file(first.location.file)
        .expect("file")
        .slice(first.location.span);
    assert!(text.starts_with('[') && text.contains("roles/storage.objectAdmin"));
    assert!(
        d.help
            .as_deref()
            .expect("help")
            .contains("roles/logging.logWriter")
    );
}

#[test]
fn logging_admin_also_writes_logs() {
    let r = run("gcp-log-writer-admin");
    assert_eq!(findings(&r), vec![]);
}

#[test]
fn scopes_without_logging_while_iam_grants_it() {
    let r = run("gcp-logging-scope");
    let f = findings(&r);
    assert_eq!(f.len(), 1, "{f:#?}");
    let (code, severity, file, text) = &f[0];
    assert_eq!(
        (code.as_str(), *severity, file.as_str()),
        ("GCP004", Severity::Error, "instance.json")
    );
    assert!(text.starts_with('[') && text.contains("devstorage.read_write"));
    let d = &r.diagnostics[0];
    assert!(d.help.as_deref().expect("help").contains("logging.write"));
}

#[test]
fn default_account_with_cloud_platform() {
    let r = run("gcp-default-full-scope");
    assert!(has(
        &r,
        "GCP003",
        Severity::Warning,
        "instance.json",
        "\"https://www.googleapis.com/auth/cloud-platform\""
    ));
    assert!(has(
        &r,
        "GCP005",
        Severity::Warning,
        "instance.json",
        DEFAULT_EMAIL
    ));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code() == "GCP003")
        .expect("GCP003");
    assert!(
        d.help
            .as_deref()
            .expect("help")
            .contains("dedicated service account")
    );
    assert!(!r.has_errors());
}
