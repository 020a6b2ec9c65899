//! The GCP tables the library embeds validate against their JSON Schemas in
//! `rules/schemas/` (each schema compiled once). That the tables match their
//! source data is `python3 rules/scripts/check.py`, run in CI.

mod common;

use std::sync::LazyLock;

use policy_lint::model::gcp::catalogue::{CATALOGUE_JSON, GCP_CATALOGUE, Need};
use policy_lint::model::gcp::tables::{ROLES_JSON, SCOPES_JSON};

fn compile(name: &str) -> jsonschema::Validator {
    let path = common::repo_root().join("rules/schemas").join(name);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read schema"))
            .expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

static SCOPES_SCHEMA: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| compile("gcp-scopes.schema.json"));
static ROLES_SCHEMA: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| compile("gcp-roles.schema.json"));

fn errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(text).expect("table is JSON");
    validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn embedded_scope_table_matches_its_schema() {
    let e = errors(&SCOPES_SCHEMA, SCOPES_JSON);
    assert!(e.is_empty(), "{e:#?}");
}

#[test]
fn embedded_role_table_matches_its_schema() {
    let e = errors(&ROLES_SCHEMA, ROLES_JSON);
    assert!(e.is_empty(), "{e:#?}");
}

#[test]
fn embedded_tables_are_the_files_in_rules() {
    let root = common::repo_root().join("rules");
    assert_eq!(
        std::fs::read_to_string(root.join("gcp-scopes.json")).expect("read"),
        SCOPES_JSON
    );
    assert_eq!(
        std::fs::read_to_string(root.join("gcp-roles.json")).expect("read"),
        ROLES_JSON
    );
}

#[test]
fn a_broken_table_is_caught() {
    let e = errors(&ROLES_SCHEMA, r#"{"basic_roles": "roles/owner"}"#);
    assert!(!e.is_empty());
}

static CATALOGUE_SCHEMA: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| compile("gcp-catalogue.schema.json"));

#[test]
fn embedded_catalogue_matches_its_schema_and_file() {
    let e = errors(&CATALOGUE_SCHEMA, CATALOGUE_JSON);
    assert!(e.is_empty(), "{e:#?}");
    let file = common::repo_root().join("rules/gcp-catalogue.json");
    assert_eq!(std::fs::read_to_string(file).expect("read"), CATALOGUE_JSON);
    let broken = errors(
        &CATALOGUE_SCHEMA,
        r#"{"permissions": {}, "snapshot_date": "x", "source": {}, "workloads": []}"#,
    );
    assert!(!broken.is_empty());
}

const BEGIN: &str = "<!-- gcp-workloads:begin -->";
const END: &str = "<!-- gcp-workloads:end -->";

/// The table of GCP workloads in docs/checks.md: one row per catalogue
/// workload, with where Terraform names its account and what it needs.
fn workloads_table() -> String {
    let mut out = String::from(
        "| workload (catalogue id) | Terraform account (scopes) | roles it needs (permissions) | documentation |\n|---|---|---|---|\n",
    );
    for w in &GCP_CATALOGUE.workloads {
        let attrs: Vec<String> = w
            .terraform
            .iter()
            .map(|t| match &t.scopes {
                Some(s) => format!("`{}.{}` (`{s}`)", t.resource_type, t.account),
                None => format!("`{}.{}`", t.resource_type, t.account),
            })
            .collect();
        let mut roles: Vec<(String, Vec<String>)> = Vec::new();
        for r in &w.requirements {
            let perm = match (&r.checked_by, r.severity) {
                (Some(code), _) => format!("`{}` ({code})", r.permission),
                (None, Need::Warning) => format!("`{}` (warning)", r.permission),
                (None, Need::Error) => format!("`{}`", r.permission),
            };
            match roles.iter_mut().find(|(role, _)| *role == r.role) {
                Some((_, perms)) => perms.push(perm),
                None => roles.push((r.role.clone(), vec![perm])),
            }
        }
        let needs: Vec<String> = roles
            .iter()
            .map(|(role, perms)| format!("`{role}` ({})", perms.join(", ")))
            .collect();
        out.push_str(&format!(
            "| {} (`{}`) | {} | {} | [docs]({}) |\n",
            w.label,
            w.id,
            attrs.join(", "),
            needs.join("; "),
            w.docs_url
        ));
    }
    out
}

/// The table is generated from the catalogue; refresh it with
/// `UPDATE_README=1 cargo test -p policy-lint --test gcp_tables`.
#[test]
fn docs_workloads_table_is_generated_from_the_catalogue() {
    let path = common::repo_root().join("docs/checks.md");
    let text = std::fs::read_to_string(&path).expect("docs/checks.md");
    let start = text.find(BEGIN).expect("gcp-workloads:begin marker") + BEGIN.len();
    let end = text.find(END).expect("gcp-workloads:end marker");
    let want = format!("\n{}", workloads_table());
    if text[start..end] == want {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{want}{}", &text[..start], &text[end..]);
        std::fs::write(&path, updated).expect("write docs/checks.md");
        return;
    }
    panic!(
        "the GCP workloads table of docs/checks.md is stale; refresh it with\n  \
         UPDATE_README=1 cargo test -p policy-lint --test gcp_tables\nexpected:\n{want}"
    );
}
