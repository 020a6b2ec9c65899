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
