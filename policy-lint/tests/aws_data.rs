//! The AWS data tables the service-chain rules embed match their JSON
//! Schemas (`rules/schemas/`).

mod common;

use common::repo_root;

fn check(data: &str, schema: &str) {
    let root = repo_root().join("rules");
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(p)).expect("read")).expect("json")
    };
    let validator = jsonschema::validator_for(&read(schema)).expect("schema compiles");
    let value = read(data);
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{data}: {errors:#?}");
}

#[test]
fn service_catalogue_matches_its_schema() {
    check(
        "service-catalogue.json",
        "schemas/service-catalogue.schema.json",
    );
}

#[test]
fn managed_policies_match_their_schema() {
    check(
        "managed-policies.json",
        "schemas/managed-policies.schema.json",
    );
}

#[test]
fn service_principals_match_their_schema() {
    check(
        "aws-service-principals.json",
        "schemas/aws-service-principals.schema.json",
    );
}
