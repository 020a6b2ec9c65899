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

#[test]
fn condition_keys_match_their_schema() {
    check(
        "aws-condition-keys.json",
        "schemas/aws-condition-keys.schema.json",
    );
}

#[test]
fn resource_types_match_their_schema() {
    check(
        "aws-resource-types.json",
        "schemas/aws-resource-types.schema.json",
    );
}

#[test]
fn actions_match_their_schema() {
    check("aws-actions.json", "schemas/aws-actions.schema.json");
}

/// Every action of the package-derived reference is a known action, so a
/// rule that finds an action's resource types never disagrees with AWS202.
#[test]
fn reference_actions_are_known_actions() {
    let root = repo_root().join("rules");
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(p)).expect("read")).expect("json")
    };
    let reference = read("aws-resource-types.json");
    let catalogue = policy_lint::aws_action::Catalogue::get();
    let services = reference["services"].as_object().expect("services");
    assert!(services.len() > 400);
    for (prefix, s) in services {
        let service = catalogue.service(prefix).expect(prefix);
        for level in s["actions"].as_object().expect("levels").values() {
            for name in level.as_object().expect("actions").keys() {
                assert_eq!(service.action(name), Some(name.as_str()), "{prefix}:{name}");
            }
        }
    }
}
