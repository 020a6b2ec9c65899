//! The real binary, run the way users run it: flags, configuration,
//! baselines, every output format, stdin and failures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_policy-lint");

/// A policy with a duplicate `Effect` (JSON002, an error), pretty-printed.
const DUP_EFFECT: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadLogs",
      "Effect": "Allow",
      "Action": "logs:GetLogEvents",
      "Resource": "*",
      "Effect": "Deny"
    }
  ]
}
"#;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// A fresh directory that looks like a repository root (it holds `.git`),
/// so configuration discovery stops there.
fn sandbox(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "policy-lint-cli-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).expect("sandbox");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, text).expect("write");
    path
}

/// Runs `policy-lint` in `dir` with a clean colour environment.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    run_env(dir, args, &[], None)
}

fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn policy-lint");
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    child.wait_with_output().expect("run policy-lint")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn codes(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json output");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn ignore_removes_a_rule_and_its_exit_code() {
    let dir = sandbox("ignore");
    write(&dir, "p.json", DUP_EFFECT);
    let o = run_in(&dir, &["check", "p.json", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(codes(&o).contains(&"JSON002".to_string()));
    let o = run_in(
        &dir,
        &["check", "p.json", "--format", "json", "--ignore", "JSON002"],
    );
    assert!(!codes(&o).contains(&"JSON002".to_string()));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn select_takes_prefixes() {
    // A whole family: nothing outside it is reported, over every fixture.
    let o = run_in(
        &repo_root(),
        &[
            "check",
            "fixtures",
            "--format",
            "json",
            "--no-config",
            "--select",
            "JSON",
        ],
    );
    let found = codes(&o);
    assert!(!found.is_empty());
    assert!(found.iter().all(|c| c.starts_with("JSON")), "{found:?}");
    // A code prefix, with a more specific ignore on top.
    let dir = sandbox("select");
    write(&dir, "p.json", DUP_EFFECT);
    write(&dir, "other.json", r#"{"name": "not a policy"}"#);
    let o = run_in(
        &dir,
        &[
            "check",
            "p.json",
            "other.json",
            "--format",
            "json",
            "--select",
            "JSON0",
        ],
    );
    let found = codes(&o);
    assert!(
        found.contains(&"JSON002".into()) && found.contains(&"JSON003".into()),
        "{found:?}"
    );
    let o = run_in(
        &dir,
        &[
            "check",
            "p.json",
            "other.json",
            "--format",
            "json",
            "--select",
            "JSON0",
            "--ignore",
            "JSON003",
        ],
    );
    assert_eq!(codes(&o), ["JSON002"]);
    // An unknown selector is a failure of the run.
    let o = run_in(&dir, &["check", "p.json", "--select", "NOPE"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn config_ignore_and_severity_override_apply_and_flags_override_the_file() {
    let dir = sandbox("config");
    write(&dir, "p.json", DUP_EFFECT);
    write(&dir, "other.json", r#"{"name": "not a policy"}"#);
    write(
        &dir,
        "policy-lint.toml",
        "ignore = [\"JSON003\"]\n\n[severity]\nJSON002 = \"warning\"\n",
    );
    // Found from a subdirectory: discovery walks up to the repository root.
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let o = run_in(
        &sub,
        &["check", "../p.json", "../other.json", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let diags = v["diagnostics"].as_array().expect("array");
    assert_eq!(diags.len(), 1, "{v}");
    assert_eq!(diags[0]["code"], "JSON002");
    assert_eq!(diags[0]["severity"], "warning");
    // A command-line selector decides for the rules it names.
    let o = run_in(
        &dir,
        &[
            "check",
            "p.json",
            "other.json",
            "--format",
            "json",
            "--select",
            "JSON003",
        ],
    );
    assert_eq!(codes(&o), ["JSON003"]);
    // --no-config: the file is not read.
    let o = run_in(
        &dir,
        &["check", "p.json", "--format", "json", "--no-config"],
    );
    assert_eq!(o.status.code(), Some(1));
    // --config FILE from elsewhere.
    let other = sandbox("config-elsewhere");
    let cfg = write(&other, "strict.toml", "select = [\"JSON003\"]\n");
    let o = run_in(
        &dir,
        &[
            "check",
            "p.json",
            "--format",
            "json",
            "--config",
            cfg.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(codes(&o), Vec::<String>::new());
}

#[test]
fn a_broken_config_exits_2_naming_the_file_and_the_place() {
    let dir = sandbox("broken");
    write(&dir, "p.json", DUP_EFFECT);
    for (text, needle) in [
        ("ignore = [\"AWS9999\"\n", "policy-lint.toml"),
        ("ignore = [\"NOPE042\"]\n", "NOPE042"),
        ("ignroe = [\"JSON002\"]\n", "unknown field"),
        ("[severity]\nJSON002 = \"fatal\"\n", "fatal"),
        (
            "[[suppress]]\nrule = \"JSON002\"\npath = \"*.json\"\n",
            "reason",
        ),
    ] {
        write(&dir, "policy-lint.toml", text);
        let o = run_in(&dir, &["check", "p.json", "--color", "never"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains("policy-lint.toml"), "{text}: {err}");
        assert!(err.contains(needle), "{text}: {err}");
        assert!(
            err.contains("[policy-lint.toml:"),
            "no snippet for {text}: {err}"
        );
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn suppressions_match_pointers_sids_and_warn_when_stale() {
    let dir = sandbox("suppress");
    write(&dir, "iam/p.json", DUP_EFFECT);
    for location in [
        "\"/Statement/0\"",
        "\"ReadLogs\"",
        "\"/Statement/0/Effect\"",
    ] {
        write(
            &dir,
            "policy-lint.toml",
            &format!(
                "[[suppress]]\nrule = \"duplicate-key\"\npath = \"iam/*.json\"\nlocation = {location}\nreason = \"accepted in review\"\n"
            ),
        );
        let o = run_in(&dir, &["check", "iam", "--format", "json"]);
        assert_eq!(
            codes(&o),
            Vec::<String>::new(),
            "{location}: {}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains("matched no finding"), "{location}");
        assert_eq!(o.status.code(), Some(0));
    }
    write(
        &dir,
        "policy-lint.toml",
        "[[suppress]]\nrule = \"JSON002\"\npath = \"iam/p.json\"\nlocation = \"OtherSid\"\nreason = \"stale\"\n",
    );
    let o = run_in(
        &dir,
        &["check", "iam", "--format", "json", "--color", "never"],
    );
    assert_eq!(codes(&o), ["JSON002"]);
    let err = stderr(&o);
    assert!(err.contains("matched no finding"), "{err}");
    assert!(err.contains("policy-lint.toml"), "{err}");
}

#[test]
fn exclude_globs_skip_files() {
    let dir = sandbox("exclude");
    write(&dir, "vendor/p.json", DUP_EFFECT);
    write(&dir, "own/p.json", DUP_EFFECT);
    write(&dir, "policy-lint.toml", "exclude = [\"vendor/**\"]\n");
    let o = run_in(&dir, &["check", ".", "--format", "concise"]);
    let out = stdout(&o);
    assert!(
        out.contains("own/p.json") && !out.contains("vendor"),
        "{out}"
    );
}

#[test]
fn a_baseline_hides_the_same_findings_after_reformatting() {
    let dir = sandbox("baseline");
    let policy = write(&dir, "p.json", DUP_EFFECT);
    let o = run_in(
        &dir,
        &["check", "p.json", "--write-baseline", "baseline.json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The same policy on one line, with other spacing.
    let compact = DUP_EFFECT
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("");
    assert!(!compact.contains('\n'));
    std::fs::write(&policy, format!("\n\n   {compact}")).expect("rewrite");
    let o = run_in(
        &dir,
        &[
            "check",
            "p.json",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(codes(&o), Vec::<String>::new(), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0));
    let human = run_in(&dir, &["check", "p.json", "--baseline", "baseline.json"]);
    assert!(
        stdout(&human).contains("1 in baseline"),
        "{}",
        stdout(&human)
    );
    // A statement inserted before it: the finding moves to /Statement/1 but
    // its statement keeps its Sid, so it stays hidden.
    let shifted = compact.replacen(
        "\"Statement\": [",
        "\"Statement\": [{\"Sid\": \"New\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"*\"},",
        1,
    );
    assert_ne!(shifted, compact);
    std::fs::write(&policy, &shifted).expect("rewrite");
    let o = run_in(
        &dir,
        &[
            "check",
            "p.json",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(codes(&o), Vec::<String>::new(), "{}", stdout(&o));
    // A new finding is still reported.
    let with_new = compact.replacen(
        "\"Resource\": \"*\",",
        "\"Resource\": \"*\", \"Action\": \"s3:GetObject\",",
        1,
    );
    assert_ne!(with_new, compact);
    std::fs::write(&policy, with_new).expect("rewrite");
    let o = run_in(
        &dir,
        &[
            "check",
            "p.json",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(codes(&o), ["JSON002"], "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(1));
}

/// Every line must be one workflow command and nothing else.
fn assert_well_formed_annotations(out: &str, expected: usize) {
    let mut n = 0;
    for line in out.split('\n').filter(|l| !l.is_empty()) {
        n += 1;
        assert!(!line.contains('\r'), "raw CR in {line:?}");
        assert!(
            line.chars().all(|c| !c.is_control()),
            "control character in {line:?}"
        );
        let rest = ["::error ", "::warning ", "::notice "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
        let (props, _message) = rest.split_once("::").expect("`::` after the properties");
        for prop in props.split(',') {
            let (key, value) = prop.split_once('=').expect("key=value");
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key),
                "unexpected property {key} in {line:?}"
            );
            assert!(!value.contains(':') && !value.contains(','), "{line:?}");
        }
    }
    assert_eq!(n, expected, "{out}");
}

#[test]
fn github_annotations_cannot_be_forged_by_inputs() {
    let dir = sandbox("github");
    // A principal holding a newline and a command, a duplicate key holding
    // one too (JSON002 names the key), and a file name with `,` and `:`.
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::123456789012:root\n::error file=x,line=1::forged"},
  "Action": "sts:AssumeRole", "Action": "sts:TagSession",
  "x\r\n::error::forged\u001b[31m": 1, "x\r\n::error::forged\u001b[31m": 2}]}"#;
    write(&dir, "a,b:c.json", policy);
    let o = run_in(&dir, &["check", "a,b:c.json", "--format", "github"]);
    let out = stdout(&o);
    let expected = run_in(&dir, &["check", "a,b:c.json", "--format", "json"]);
    let n = codes(&expected).len();
    assert!(n >= 2, "{}", stdout(&expected));
    assert_well_formed_annotations(&out, n);
    assert!(out.contains("file=a%2Cb%3Ac.json"), "{out}");
    assert!(out.contains("\\r\\n::error::forged\\u{1b}[31m"), "{out}");
    assert_eq!(o.status.code(), Some(1));
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_and_inputs_are_escaped_in_text_formats() {
    let dir = sandbox("control");
    let policy = "{\"Statement\": [], \"k\\u001b]0;x\\u0007\": 1, \"k\\u001b]0;x\\u0007\": 2}";
    write(&dir, "evil\n\u{1b}[2J.json", policy);
    // A file that is not JSON, holding raw control bytes, for snippets.
    write(&dir, "raw.json", "{\"a\": 1,\u{1b}[2J\u{7} }");
    for format in ["human", "concise", "github"] {
        let o = run_in(
            &dir,
            &["check", ".", "--format", format, "--color", "never"],
        );
        let out = stdout(&o);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: {out:?}"
        );
        assert!(
            out.contains("JSON002") && out.contains("JSON001"),
            "{format}: {out}"
        );
        for line in out.lines() {
            assert!(
                !line.starts_with("[2J"),
                "{format}: a file name broke a line: {out}"
            );
        }
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema_path = repo_root().join("../shared/data/sarif-schema-2.1.0.json");
    let Ok(schema) = std::fs::read_to_string(&schema_path) else {
        eprintln!("skipped: {} not found", schema_path.display());
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("schema json");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let o = run_in(
        &repo_root(),
        &["check", "fixtures", "--format", "sarif", "--no-config"],
    );
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif json");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path().as_str()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for rule in rules {
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .expect("docs")
                .contains("## What it does")
        );
        // GitHub shows fullDescription.text as it is: no Markdown there.
        let full = rule["fullDescription"]["text"].as_str().expect("text");
        assert!(
            !full.trim().is_empty() && !full.contains('`') && !full.contains("##"),
            "{full}"
        );
        let security = rule["properties"]["tags"][0] == "security";
        assert_eq!(
            security,
            rule["properties"]["security-severity"].is_string(),
            "{rule}"
        );
        assert_eq!(
            security,
            !rule["id"].as_str().expect("id").starts_with("JSON")
        );
        assert!(
            rule["helpUri"]
                .as_str()
                .expect("helpUri")
                .starts_with("http")
        );
    }
    for r in results {
        assert!(
            r["partialFingerprints"]["policyLint/v1"]
                .as_str()
                .expect("fp")
                .len()
                == 16
        );
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().expect("line") >= 1);
        assert!(region["byteOffset"].is_u64());
    }
    assert!(
        results.iter().any(|r| r["relatedLocations"].is_array()),
        "labels become relatedLocations"
    );
}

#[test]
fn stdin_is_linted_as_dash() {
    let o = run_env(
        &repo_root(),
        &["check", "-", "--format", "concise", "--no-config"],
        &[],
        Some(DUP_EFFECT),
    );
    let out = stdout(&o);
    assert!(out.starts_with("-:9:7: error[JSON002]"), "{out}");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_missing_path_exits_2_but_other_files_are_still_linted() {
    let dir = sandbox("missing");
    write(&dir, "p.json", DUP_EFFECT);
    let o = run_in(
        &dir,
        &["check", "missing.json", "p.json", "--format", "concise"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("p.json:9:7: error[JSON002]"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("missing.json"), "{}", stderr(&o));
}

#[test]
fn a_failed_run_shows_in_every_format_and_keeps_exit_2() {
    let dir = sandbox("failed");
    write(&dir, "p.json", DUP_EFFECT);
    let run = |format: &str| {
        let o = run_in(
            &dir,
            &[
                "check",
                "missing.json",
                "p.json",
                "--exit-zero",
                "--format",
                format,
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{format}: --exit-zero keeps 2");
        assert!(
            stderr(&o).starts_with("error: cannot read `missing.json`"),
            "{format}: {}",
            stderr(&o)
        );
        stdout(&o)
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("json");
    assert_eq!(json["errors"][0]["path"], "missing.json");
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .expect("message")
            .starts_with("cannot read `missing.json`"),
        "{json}"
    );
    assert_eq!(json["diagnostics"][0]["code"], "JSON002");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).expect("sarif");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing.json"
    );
    let human = run("human");
    let last = human.lines().last().expect("summary");
    assert!(
        last.starts_with("error: the run failed with 1 run error;"),
        "{human}"
    );
    assert!(
        run("github").contains("::error title=policy-lint run failed::cannot read `missing.json`")
    );
    // Nothing read at all: still not "ok".
    let o = run_in(&dir, &["check", "missing.json"]);
    assert!(!stdout(&o).contains("ok:"), "{}", stdout(&o));
    // A run that succeeds says so.
    let o = run_in(&dir, &["check", "p.json", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    // An option that fails before any file is read: JSON and SARIF still
    // carry it; people read it on stderr.
    write(&dir, "policy-lint.toml", "ignroe = [\"JSON002\"]\n");
    let o = run_in(
        &dir,
        &["check", "p.json", "--format", "json", "--exit-zero"],
    );
    assert_eq!(o.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["errors"][0]["path"], serde_json::Value::Null);
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("invalid configuration"),
        "{json}"
    );
}

#[test]
fn baselines_and_fingerprints_hold_however_the_path_is_typed() {
    let dir = sandbox("typed");
    write(&dir, "iam/p.json", DUP_EFFECT);
    std::fs::create_dir_all(dir.join("sub")).expect("sub");
    let o = run_in(&dir, &["check", "iam", "--write-baseline", "b.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let baseline = std::fs::read_to_string(dir.join("b.json")).expect("baseline");
    assert!(baseline.contains("\"file\": \"iam/p.json\""), "{baseline}");
    let absolute = dir.join("iam").to_string_lossy().into_owned();
    let fingerprint = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["diagnostics"][0]["fingerprint"].clone()
    };
    let first = fingerprint(&run_in(&dir, &["check", "iam", "--format", "json"]));
    assert!(first.is_string());
    for (cwd, typed, baseline) in [
        (dir.clone(), "./iam/", "b.json"),
        (dir.clone(), absolute.as_str(), "b.json"),
        (dir.join("sub"), "../iam", "../b.json"),
        (dir.join("sub"), absolute.as_str(), "../b.json"),
    ] {
        let o = run_in(&cwd, &["check", typed, "--baseline", baseline]);
        assert_eq!(o.status.code(), Some(0), "{typed}: {}", stdout(&o));
        assert!(
            stdout(&o).contains("1 in baseline"),
            "{typed}: {}",
            stdout(&o)
        );
        let o = run_in(&cwd, &["check", typed, "--format", "json"]);
        assert_eq!(fingerprint(&o), first, "{typed}");
        // SARIF names the file relative to the project root.
        let o = run_in(&cwd, &["check", typed, "--format", "sarif"]);
        let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif");
        let run = &sarif["runs"][0];
        let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "iam/p.json", "{typed}");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .expect("root");
        assert!(
            root.starts_with("file:///") && root.ends_with('/'),
            "{root}"
        );
    }
}

#[test]
fn ignore_unknown_lets_other_json_pass_but_not_a_bad_policy() {
    let dir = sandbox("unknown");
    write(
        &dir,
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    write(
        &dir,
        "tsconfig.json",
        "{\n  // comments and trailing commas: JSONC\n  \"compilerOptions\": {\"strict\": true,},\n}\n",
    );
    write(
        &dir,
        "good.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "logs:GetLogEvents",
            "Resource": "arn:aws:logs:eu-west-1:123456789012:log-group:app:*"}]}"#,
    );
    write(&dir, "--write-baseline=x.json", DUP_EFFECT);
    let hook = |files: &[&str]| {
        let mut args = vec!["check", "--ignore-unknown", "--format", "json", "--"];
        args.extend_from_slice(files);
        run_in(&dir, &args)
    };
    let o = hook(&["package.json", "tsconfig.json", "good.json"]);
    assert_eq!(codes(&o), Vec::<String>::new(), "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A bad policy among them still fails, even named like an option.
    let o = hook(&["package.json", "tsconfig.json", "--write-baseline=x.json"]);
    assert_eq!(codes(&o), ["JSON002"], "{}", stdout(&o));
    assert_eq!(o.status.code(), Some(1));
    assert!(!dir.join("x.json").exists());
    // So does a policy with a syntax error that is not a comment.
    write(
        &dir,
        "broken.json",
        "{\"Version\": \"2012-10-17\", \"Statement\": [],}",
    );
    assert_eq!(codes(&hook(&["broken.json"])), ["JSON001"]);
    // Without the flag, a named file is told it is no known kind.
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--",
            "package.json",
            "tsconfig.json",
        ],
    );
    assert_eq!(codes(&o), ["JSON003", "JSON001"], "{}", stdout(&o));
}

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    let dir = sandbox("color");
    write(&dir, "p.json", DUP_EFFECT);
    let has_ansi = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check", "p.json"];
        all.extend_from_slice(args);
        stdout(&run_env(&dir, &all, env, None)).contains('\u{1b}')
    };
    assert!(has_ansi(&["--color", "always"], &[]));
    assert!(!has_ansi(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!has_ansi(&[], &[]), "a pipe gets no colour");
    assert!(has_ansi(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!has_ansi(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!has_ansi(
        &[],
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]
    ));
    // No status line on a pipe either.
    let o = run_in(&repo_root(), &["check", "fixtures", "--no-config"]);
    assert!(!stderr(&o).contains("Checking"), "{}", stderr(&o));
}

#[test]
fn human_output_ends_with_a_summary_and_the_time() {
    let dir = sandbox("summary");
    write(&dir, "p.json", DUP_EFFECT);
    let o = run_in(&dir, &["check", "p.json"]);
    let out = stdout(&o);
    let last = out.lines().last().expect("summary");
    assert!(
        last.starts_with("error: 1 error, 0 warnings, 0 advice in 1 file"),
        "{last}"
    );
    assert!(
        last.contains("checked in ") && last.ends_with('s'),
        "{last}"
    );
}

#[test]
fn rules_json_and_explain_cover_every_rule() {
    let o = run_in(&repo_root(), &["rules", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let rules = rules.as_array().expect("array");
    assert_eq!(rules.len(), policy_lint::rules::ALL.len());
    for r in rules {
        let code = r["code"].as_str().expect("code");
        let o = run_in(&repo_root(), &["explain", code]);
        assert_eq!(o.status.code(), Some(0), "explain {code}");
        let text = stdout(&o);
        assert!(text.starts_with(&format!("# {code} (")), "{text}");
        assert!(text.contains("## What it does"), "{code}");
        let name = r["name"].as_str().expect("name");
        assert_eq!(stdout(&run_in(&repo_root(), &["explain", name])), text);
    }
    let o = run_in(&repo_root(), &["explain", "NOPE001"]);
    assert_eq!(o.status.code(), Some(2));
}

/// For every rule with a failing fixture: `--ignore CODE` removes its
/// findings, `--select FAMILY` keeps only that family, and a configuration
/// `[severity] CODE = "advice"` changes their severity. Generic over the
/// registry, so it covers rules added later (AWS004, GCP...) too.
#[test]
fn selection_and_severity_work_for_every_rule() {
    let root = repo_root();
    let fixtures = root.join("fixtures");
    let cfg_dir = sandbox("every-rule");
    for rule in policy_lint::rules::ALL {
        let m = rule.meta();
        let Ok(entries) = std::fs::read_dir(fixtures.join(m.code).join("fail")) else {
            continue;
        };
        let Some(case) = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "json"))
            .min()
        else {
            continue;
        };
        let case = case.to_str().expect("utf-8 path").to_string();
        let check = |extra: &[&str]| {
            let mut args = vec!["check", case.as_str(), "--format", "json"];
            args.extend_from_slice(extra);
            let o = run_in(&root, &args);
            let v: serde_json::Value = serde_json::from_slice(&o.stdout)
                .unwrap_or_else(|_| panic!("{}: {}", m.code, stderr(&o)));
            v["diagnostics"].as_array().expect("diagnostics").clone()
        };
        let of_rule = |ds: &[serde_json::Value]| -> Vec<serde_json::Value> {
            ds.iter().filter(|d| d["code"] == m.code).cloned().collect()
        };
        let all = check(&["--no-config"]);
        if of_rule(&all).is_empty() {
            continue; // reported only when linted as named files, with options
        }
        let ignored = check(&["--no-config", "--ignore", m.code]);
        assert!(of_rule(&ignored).is_empty(), "--ignore {}", m.code);
        let family = check(&["--no-config", "--select", m.family()]);
        assert!(!of_rule(&family).is_empty(), "--select {}", m.family());
        assert!(
            family.iter().all(|d| d["code"]
                .as_str()
                .is_some_and(|c| c.starts_with(m.family()))),
            "--select {}",
            m.family()
        );
        let cfg = write(
            &cfg_dir,
            "policy-lint.toml",
            &format!("[severity]\n{} = \"advice\"\n", m.code),
        );
        let cfg = cfg.to_str().expect("utf-8");
        let advised = of_rule(&check(&["--config", cfg]));
        assert!(!advised.is_empty(), "{}", m.code);
        assert!(
            advised.iter().all(|d| d["severity"] == "advice"),
            "[severity] {} = \"advice\"",
            m.code
        );
    }
}

#[test]
fn a_walk_lists_each_folder_by_name_depth_first() {
    // Byte order of whole paths would put `a-c.json` and `a.json` before
    // `a/b.json` (`-` and `.` sort before `/`). Each file is invalid JSON,
    // so the output lists them in the order they were found.
    let dir = sandbox("walk-order");
    for f in [
        "a/b.json",
        "a/z/y.json",
        "a-c.json",
        "a.json",
        "B.JSON",
        "c.txt",
        ".git/x.json",
    ] {
        write(&dir, f, "{");
    }
    let out = run_in(&dir, &["check", "--format", "concise", "."]);
    let text = String::from_utf8_lossy(&out.stdout).replace('\\', "/");
    let files: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|f| f.ends_with(".json") || f.ends_with(".JSON"))
        .collect();
    assert_eq!(
        files,
        [
            "./B.JSON",
            "./a/b.json",
            "./a/z/y.json",
            "./a-c.json",
            "./a.json"
        ],
        "{text}"
    );
}

#[test]
fn inputs_over_the_size_limit_are_json001_and_option_files_must_be_small_regular_files() {
    let dir = sandbox("size-limit");
    write(&dir, "big.json", DUP_EFFECT);
    write(&dir, "small.json", "{}");
    let limit = (DUP_EFFECT.len() - 1).to_string();
    let o = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            &limit,
            "big.json",
            "small.json",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json output");
    let d: Vec<_> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"] == "big.json")
        .collect();
    assert_eq!(d.len(), 1, "{v}");
    assert_eq!(d[0]["code"], "JSON001");
    assert_eq!(d[0]["file"], "big.json");
    assert_eq!(d[0]["offset"], 0);
    let message = d[0]["message"].as_str().expect("message");
    assert!(
        message.contains("larger than the limit on input size (196 bytes)"),
        "{message}"
    );
    // Stdin is read only up to the limit, and refused the same way.
    let o = run_env(
        &dir,
        &["check", "--format", "json", "--max-file-size", "1K", "-"],
        &[],
        Some(&"y\n".repeat(1000)),
    );
    assert_eq!(codes(&o), ["JSON001"], "{}", stderr(&o));
    // Option files fail the run (exit 2): too large, or not a regular file.
    write(
        &dir,
        "policy-lint.toml",
        &format!("# {}\n", "x".repeat(2000)),
    );
    let o = run_in(&dir, &["check", "--max-file-size", "1K", "small.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("more than the limit"), "{}", stderr(&o));
    std::fs::create_dir_all(dir.join("baseline.json")).expect("mkdir");
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--baseline",
            "baseline.json",
            "small.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let o = run_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--max-file-size",
            "5T",
            "small.json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn stdin_filename_names_stdin_in_every_format() {
    let args = |format: &'static str| {
        vec![
            "check",
            "-",
            "--stdin-filename",
            "iam/app.json",
            "--format",
            format,
            "--no-config",
        ]
    };
    let concise = run_env(&repo_root(), &args("concise"), &[], Some(DUP_EFFECT));
    assert!(
        stdout(&concise).starts_with("iam/app.json:9:7: error[JSON002]"),
        "{}",
        stdout(&concise)
    );
    let github = run_env(&repo_root(), &args("github"), &[], Some(DUP_EFFECT));
    assert!(
        stdout(&github).starts_with("::error file=iam/app.json,line=9,"),
        "{}",
        stdout(&github)
    );
    let sarif = run_env(&repo_root(), &args("sarif"), &[], Some(DUP_EFFECT));
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "iam/app.json"
    );
    // Without a path, stdin is read.
    let bare = run_env(
        &repo_root(),
        &[
            "check",
            "--stdin-filename",
            "x.json",
            "--format",
            "json",
            "--no-config",
        ],
        &[],
        Some(DUP_EFFECT),
    );
    let json: serde_json::Value = serde_json::from_slice(&bare.stdout).expect("json");
    assert_eq!(json["diagnostics"][0]["file"], "x.json");
    // A name for stdin with no `-` among the paths is a mistake of the run.
    let wrong = run_in(
        &repo_root(),
        &[
            "check",
            "fixtures/JSON001/pass",
            "--stdin-filename",
            "x.json",
        ],
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        stderr(&wrong).contains("no path is `-`"),
        "{}",
        stderr(&wrong)
    );
}

#[test]
fn a_powershell_utf16_plan_on_stdin_reports_offsets_in_its_bytes() {
    use std::io::Write;
    let bytes = std::fs::read(repo_root().join("fixtures/AWS004/fail/terraform-utf16le-bom.json"))
        .expect("fixture");
    let mut child = Command::new(BIN)
        .current_dir(repo_root())
        .args([
            "check",
            "-",
            "--stdin-filename",
            "plan.json",
            "--format",
            "json",
            "--no-config",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&bytes)
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["code"] == "AWS004")
        .expect("AWS004");
    assert_eq!(d["file"].as_str(), Some("plan.json"));
    let (offset, length) = (
        d["offset"].as_u64().expect("offset") as usize,
        d["length"].as_u64().expect("length") as usize,
    );
    let units: Vec<u16> = bytes[offset..offset + length]
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    assert_eq!(
        String::from_utf16(&units).expect("utf-16"),
        r#"\"vpc-flow-logs.amazonaws.com\""#
    );
}
