//! The differential cases on which policy-lint and an independent IAM
//! simulator agree (`scripts/differential/`, docs/internals.md "Differential
//! testing"): policy-lint must keep giving the same answers. The cases are
//! `fixtures/differential/cases.json` (from `cases.py`), the agreed
//! answers `fixtures/differential/agreed.json` (from `compare.py
//! --write-agreed`); the runner is the `differential` example.

#[path = "../examples/differential.rs"]
#[allow(dead_code)]
mod runner;

use serde_json::Value;

#[test]
fn agreed_cases_keep_their_answers() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../../fixtures/differential/cases.json"))
            .expect("cases.json");
    let agreed: serde_json::Map<String, Value> =
        serde_json::from_str(include_str!("../../fixtures/differential/agreed.json"))
            .expect("agreed.json");
    assert!(agreed.len() >= 150, "{} agreed cases", agreed.len());
    let mut checked = 0;
    for case in &cases {
        let id = case["id"].as_str().expect("id");
        let Some(expected) = agreed.get(id) else {
            continue;
        };
        let got = runner::answer(case);
        assert_eq!(&got["summary"], expected, "case {id}: {:#}", got["ours"]);
        checked += 1;
    }
    assert_eq!(checked, agreed.len(), "every agreed case is in cases.json");
}
