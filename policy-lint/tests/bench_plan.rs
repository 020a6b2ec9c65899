//! The benchmark's generated plans say what the benchmark claims: the
//! "1,000 findings" case must really render that many findings.

use policy_lint::{Input, Linter, Options};

#[test]
fn generated_plans_have_exactly_the_asked_findings() {
    for findings in [0, 7] {
        let plan = policy_lint_bench::plan(200_000, findings);
        let result = Linter::new(Options::default()).lint(vec![Input::new("plan.json", plan)]);
        let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.code()).collect();
        assert_eq!(codes, vec!["JSON002"; findings], "findings: {findings}");
    }
}
