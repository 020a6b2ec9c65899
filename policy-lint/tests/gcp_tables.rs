//! The GCP tables the library embeds validate against their JSON Schemas in
//! `rules/schemas/` (each schema compiled once). That the tables match their
//! source data is `python3 rules/scripts/check.py`, run in CI.

mod common;

use std::sync::LazyLock;

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
