//! SARIF from the library, every optional part exercised (logical
//! locations, related locations, help), validated against the official
//! SARIF 2.1.0 schema in `../shared/data` (skipped when it is absent).

mod common;

use policy_lint::project::Project;
use policy_lint::render::to_sarif;
use policy_lint::{Input, Linter, Options, RunError};

#[test]
fn sarif_with_every_optional_part_validates() {
    let path = common::repo_root().join("../shared/data/sarif-schema-2.1.0.json");
    let Ok(schema) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("schema");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let mut result = Linter::new(Options::default()).lint(vec![
        Input::new(
            "dir with space/p.json",
            br#"{"Statement": [{"Sid": "A", "Effect": "Allow", "Effect": "Deny"}]}"#.to_vec(),
        ),
        Input::new("C:\\win\\broken.json", b"{\"a\": [}".to_vec()),
        Input::new("-", b"{\n\"k\": 1, \"k\": 2}".to_vec()),
    ]);
    assert!(result.diagnostics.len() >= 3, "{:#?}", result.diagnostics);
    result.diagnostics[0].logical = "module.a.aws_iam_role.r[\"x\"]".to_string();
    result.project = Some(Project::new("/repo", "/repo/sub"));
    result.errors = vec![
        RunError::at("../missing.json", "cannot read `../missing.json`"),
        RunError::new("cannot read baseline `b.json`"),
    ];
    let sarif = to_sarif(&result);
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["locations"][0]["logicalLocations"].is_array())
    );
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()));
    let run = &sarif["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///repo/"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "sub/dir%20with%20space/p.json", "uriBaseId": "%SRCROOT%"})
    );
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "missing.json"
    );
    // The validator does reject what is wrong.
    let mut bad = sarif.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::json!(0);
    assert!(validator.iter_errors(&bad).next().is_some());
}
