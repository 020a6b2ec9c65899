//! Plan findings land on the `.tf` bytes that wrote them: every scenario of
//! `fixtures/scenarios/terraform-source/` (written by its `generate.py`,
//! which finds the expected places by searching the HCL), run the way users
//! run it, and each output format and flag.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_policy-lint");

fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/scenarios/terraform-source")
        .canonicalize()
        .expect("scenarios")
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn policy-lint");
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    child.wait_with_output().expect("run policy-lint")
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("json output")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `file:line:column`, and the text of `file` (relative to `dir`) under
/// `offset`/`length`.
fn place(dir: &Path, p: &serde_json::Value) -> String {
    let file = p["file"].as_str().expect("file");
    let bytes = std::fs::read(dir.join(file)).expect("source file");
    let at = p["offset"].as_u64().expect("offset") as usize;
    let len = p["length"].as_u64().expect("length") as usize;
    // A block spans lines: one TSV row, `\n` escaped (as generate.py).
    format!(
        "{file}:{}:{}\t{}",
        p["line"],
        p["column"],
        String::from_utf8_lossy(&bytes[at..at + len]).replace('\n', "\\n")
    )
}

/// One `expected.tsv` row per finding: code, source place and text, then
/// each label in a `.tf` file.
fn rows(dir: &Path, out: &serde_json::Value) -> Vec<String> {
    let mut rows: Vec<String> = out["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let mut row = format!(
                "{}\t{}",
                d["code"].as_str().expect("code"),
                place(dir, &d["source"])
            );
            for l in d["labels"].as_array().expect("labels") {
                let file = l["file"].as_str().expect("file");
                if file.ends_with(".tf") {
                    let p = place(dir, l);
                    row.push_str(&format!("\t{}", p.replacen('\t', " ", 1)));
                }
            }
            row
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn every_finding_of_every_scenario_lands_on_the_hcl_that_wrote_it() {
    let root = scenarios();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 7, "scenarios missing: run generate.py");
    for dir in dirs {
        let out = run(&dir, &["check", "plan.json", "--format", "json"], None);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected = std::fs::read_to_string(dir.join("expected.tsv")).expect("expected.tsv");
        let expected: Vec<&str> = expected.lines().collect();
        assert_eq!(rows(&dir, &json(&out)), expected, "{}", dir.display());
    }
}

#[test]
fn source_paths_are_relative_to_the_working_directory() {
    let root = scenarios();
    let repo = root.join("../../..");
    let out = run(
        &repo,
        &[
            "check",
            "fixtures/scenarios/terraform-source/modules/plan.json",
            "--format",
            "json",
        ],
        None,
    );
    let v = json(&out);
    let first = &v["diagnostics"][0];
    assert_eq!(
        first["source"]["file"],
        "fixtures/scenarios/terraform-source/modules/modules/app/main.tf"
    );
    assert_eq!(
        first["labels"]
            .as_array()
            .expect("labels")
            .last()
            .expect("label")["file"],
        "fixtures/scenarios/terraform-source/modules/modules/role/main.tf"
    );
    // The plan location stays where it was.
    assert_eq!(
        first["file"],
        "fixtures/scenarios/terraform-source/modules/plan.json"
    );
}

#[test]
fn stdin_looks_in_the_working_directory_and_terraform_dir_overrides() {
    let dir = scenarios().join("heredoc");
    let plan = std::fs::read_to_string(dir.join("plan.json")).expect("plan");
    let out = run(&dir, &["check", "-", "--format", "json"], Some(&plan));
    assert_eq!(json(&out)["diagnostics"][0]["source"]["file"], "main.tf");

    let elsewhere =
        std::env::temp_dir().join(format!("policy-lint-tfsource-{}", std::process::id()));
    std::fs::create_dir_all(&elsewhere).expect("dir");
    std::fs::write(elsewhere.join("plan.json"), &plan).expect("plan");
    let out = run(
        &elsewhere,
        &["check", "plan.json", "--format", "json"],
        None,
    );
    assert!(json(&out)["diagnostics"][0].get("source").is_none());
    // No `.tf` file beside the plan: the output is what it was without the
    // feature, byte for byte.
    let off = run(
        &elsewhere,
        &[
            "check",
            "plan.json",
            "--format",
            "json",
            "--no-terraform-source",
        ],
        None,
    );
    assert_eq!(out.stdout, off.stdout);
    assert_eq!(out.stderr, off.stderr);
    let tf_dir = dir.to_string_lossy().into_owned();
    let out = run(
        &elsewhere,
        &[
            "check",
            "plan.json",
            "--format",
            "json",
            "--terraform-dir",
            &tf_dir,
        ],
        None,
    );
    assert_eq!(
        json(&out)["diagnostics"][0]["source"]["file"],
        format!("{tf_dir}/main.tf").as_str()
    );
    let out = run(
        &elsewhere,
        &["check", "plan.json", "--terraform-dir", "no/such/dir"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&elsewhere);
}

#[test]
fn no_terraform_source_keeps_the_plan_locations() {
    let dir = scenarios().join("heredoc");
    let out = run(
        &dir,
        &[
            "check",
            "plan.json",
            "--format",
            "json",
            "--no-terraform-source",
        ],
        None,
    );
    let v = json(&out);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 2);
    assert!(diags.iter().all(|d| d.get("source").is_none()));
}

#[test]
fn sarif_github_and_human_show_the_hcl_and_name_the_plan_address() {
    let dir = scenarios().join("heredoc");
    let sarif: serde_json::Value = serde_json::from_slice(
        &run(&dir, &["check", "plan.json", "--format", "sarif"], None).stdout,
    )
    .expect("sarif");
    let result = &sarif["runs"][0]["results"][0];
    let primary = &result["locations"][0]["physicalLocation"];
    // SARIF names files relative to the project root (here the repository's),
    // wherever the run starts, as code scanning reads them.
    let here = "fixtures/scenarios/terraform-source/heredoc";
    assert_eq!(
        primary["artifactLocation"]["uri"],
        format!("{here}/main.tf")
    );
    assert_eq!(primary["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(primary["region"]["startLine"], 10);
    assert_eq!(primary["region"]["startColumn"], 33);
    let related = result["relatedLocations"].as_array().expect("related");
    let plan = related.last().expect("plan location");
    assert_eq!(
        plan["physicalLocation"]["artifactLocation"]["uri"],
        format!("{here}/plan.json")
    );
    assert_eq!(plan["message"]["text"], "in the plan: `aws_iam_role.ci`");

    let github = text(&run(
        &dir,
        &["check", "plan.json", "--format", "github"],
        None,
    ));
    let first = github.lines().next().expect("annotation");
    assert!(
        first.starts_with(&format!("::error file={here}/main.tf,line=10,col=33,endLine=10,endColumn=57,title=AWS006::main.tf:10:33: ")),
        "{first}"
    );
    assert!(
        first.contains("(`aws_iam_role.ci` in plan.json:1:"),
        "{first}"
    );

    let human = text(&run(&dir, &["check", "plan.json"], None));
    assert!(human.contains("[main.tf:10:33]"), "{human}");
    assert!(
        human.contains(r#""Principal": { "Service": "codebuild.amazonaws.co" }"#),
        "{human}"
    );
    assert!(human.contains("in the plan: `aws_iam_role.ci`"), "{human}");
    assert!(human.contains("[main.tf:26:43]"), "{human}");
}

#[test]
fn a_tf_file_that_does_not_parse_is_a_note_not_a_failure() {
    let dir = std::env::temp_dir().join(format!("policy-lint-tfbroken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let plan = std::fs::read(scenarios().join("heredoc/plan.json")).expect("plan");
    std::fs::write(dir.join("plan.json"), plan).expect("plan");
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_iam_role\" \"ci\" {\n  name = \n",
    )
    .expect("tf");
    let out = run(&dir, &["check", "plan.json", "--format", "json"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("note: cannot parse Terraform file `main.tf` (line "),
        "{stderr}"
    );
    assert!(json(&out)["diagnostics"][0].get("source").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}
