//! Meta-tests that keep the registry honest.

mod common;

use std::collections::HashSet;

use policy_lint::rules::ALL;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in ALL {
        let m = r.meta();
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        let digits = &m.code[m.family().len()..];
        assert!(
            ["JSON", "AWS", "GCP"].contains(&m.family()) && digits.len() == 3,
            "bad code {}",
            m.code
        );
        assert!(
            digits.chars().all(|c| c.is_ascii_digit()),
            "bad code {}",
            m.code
        );
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "name {} is not kebab-case",
            m.name
        );
        let first = m.summary.chars().next().expect("summary");
        assert!(
            first.is_lowercase() && !m.summary.ends_with('.'),
            "summary of {} must start lowercase and not end with a period",
            m.code
        );
    }
}

#[test]
fn registry_is_in_code_order() {
    let codes: Vec<_> = ALL.iter().map(|r| r.meta().code).collect();
    let mut sorted = codes.clone();
    sorted.sort_by_key(|c| (!c.starts_with("JSON"), !c.starts_with("AWS"), *c));
    assert_eq!(codes, sorted);
}

#[test]
fn every_rule_has_documentation_sections() {
    for r in ALL {
        let m = r.meta();
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(m.docs.contains(section), "{} docs lack `{section}`", m.code);
        }
        assert!(
            m.docs.contains("## Use instead") || m.docs.contains("## How to fix"),
            "{} docs say nothing about the fix",
            m.code
        );
    }
}

#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let root = common::repo_root().join("fixtures");
    for r in ALL {
        let code = r.meta().code;
        for kind in ["fail", "pass"] {
            // No input makes policy-lint panic on purpose: JSON004 is tested
            // with a panicking rule in `lint::tests` instead.
            if code == "JSON004" && kind == "fail" {
                continue;
            }
            let dir = root.join(code).join(kind);
            let n = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            assert!(n > 0, "{code} has no {kind} fixture in {}", dir.display());
        }
    }
}

#[test]
fn code_list_snapshot() {
    let list: String = ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            format!("{} {} {}\n", m.code, m.name, m.default_severity)
        })
        .collect();
    insta::assert_snapshot!(list);
}
