//! `check --scp FILE` and `check --catalog FILE` end to end.

use std::path::PathBuf;
use std::process::Command;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .join("fixtures")
}

fn run(dir: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_policy-lint"))
        .current_dir(fixtures().join(dir))
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .expect("run policy-lint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn scp_flag_applies_the_scp_to_the_flow_log_role() {
    let (code, out) = run(
        "scenarios/aws/cli-c-deny-scp",
        &[".", "--scp", "scp-deny-logs.json"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("scp-deny-logs.json:4:9: error[AWS003]"),
        "{out}"
    );
    // Without the flag the file is a plain policy document: nothing denies.
    let (code, out) = run("scenarios/aws/cli-c-deny-scp", &["."]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("AWS003"), "{out}");
}

#[test]
fn catalog_flag_validates_entries() {
    let (code, out) = run(
        "AWS007/fail/bad-entry",
        &["trust.json", "--catalog", "catalog.json"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("catalog.json:40:17: error[AWS007]"), "{out}");
    assert!(!out.contains("JSON003"), "{out}");
    let (code, out) = run(
        "AWS007/pass/good-entry",
        &["trust.json", "--catalog", "catalog.json"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("AWS004"), "{out}");
}

#[test]
fn scp_flag_reads_the_file_as_an_scp_whatever_its_content() {
    // Shaped like a trust policy (Principal, sts:AssumeRole, no Resource).
    let file = "scp-shaped-like-a-trust-policy.json";
    let (code, out) = run("AWS127/fail", &[file, "--scp", file]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("{file}:6:7: error[AWS127]")), "{out}");
    assert!(!out.contains("AWS302") && !out.contains("AWS004"), "{out}");
    // Without the flag it is a trust policy: no AWS127.
    let (_, out) = run("AWS127/fail", &[file]);
    assert!(!out.contains("AWS127"), "{out}");
}

#[test]
fn kind_help_lists_every_kind_and_exits_0() {
    let out = Command::new(env!("CARGO_BIN_EXE_policy-lint"))
        .args(["check", "--kind", "help"])
        .output()
        .expect("run policy-lint");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for kind in [
        "aws-policy",
        "aws-trust-policy",
        "aws-service-control-policy",
        "terraform-plan",
        "gcp-iam-policy",
    ] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(kind)),
            "{kind} missing:\n{text}"
        );
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_policy-lint"))
        .args(["check", "--kind", "nope"])
        .output()
        .expect("run policy-lint");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--kind help"));
}

/// The concise findings of `check ARGS` run from the fixtures directory,
/// sorted (output lists files in the order given).
fn findings(args: &[&str]) -> String {
    let mut lines: Vec<String> = run(".", args).1.lines().map(str::to_string).collect();
    lines.sort();
    lines.join("\n")
}

#[test]
fn findings_do_not_depend_on_the_order_of_inputs() {
    // Two snapshots of one role that disagree about its trust policy.
    let (a, b) = ("AWS001/fail/cli-typo", "scenarios/aws/cli-ok-logs-star");
    let forward = findings(&[a, b]);
    assert_eq!(forward, findings(&[b, a]));
    // Each is checked with its own chain: the typo is still reported, and
    // AWS009 says the inputs differ, at the later one by name.
    assert!(
        forward.contains("AWS001/fail/cli-typo/role.json:14:36: error[AWS001]"),
        "{forward}"
    );
    assert!(
        forward.contains("scenarios/aws/cli-ok-logs-star/role.json:8:37: warning[AWS009]"),
        "{forward}"
    );
}

#[test]
fn every_fixture_directory_keeps_its_service_chain_findings_in_one_run() {
    let all = findings(&["."]);
    for file in [
        "AWS001/fail/cli-typo/role.json:14:36: error[AWS001]",
        "scenarios/aws/cli-b-wrong-principal/role.json:14:36: error[AWS001]",
        "scenarios/aws/cli-a-missing-actions/role-policy.json:4:23: error[AWS002]",
    ] {
        assert!(all.contains(file), "{file} missing from `check .`");
    }
}
