//! Terraform plans: embedded documents land on the exact escaped bytes of
//! the plan, and a plan gives the same findings whether Terraform printed
//! it on one line or someone pretty-printed it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{case_inputs, repo_root, snapshot_text};
use policy_lint::documents::ParsedFile;
use policy_lint::documents::terraform::gce::{Account, SCOPE_PREFIX, instance_service_accounts};
use policy_lint::documents::terraform::{RefKind, TerraformView};
use policy_lint::json::{self, Node, Value, decode_string_literal};
use policy_lint::source::{FileId, Span};
use policy_lint::{Input, LintResult, Linter, Options};
use proptest::prelude::*;

/// Decodes `raw` as the content of a JSON string (what sits between the
/// quotes).
fn decode_content(raw: &str) -> String {
    serde_json::from_str::<String>(&format!("\"{raw}\""))
        .unwrap_or_else(|e| panic!("{raw:?} is not JSON string content: {e}"))
}

/// The text of a finding's span, independent of how the plan was printed:
/// inside an embedded document the span is escaped string content, outside
/// it is a plain JSON token (objects and arrays compared without layout).
fn normalised(raw: &str) -> String {
    serde_json::from_str::<String>(&format!("\"{raw}\""))
        .or_else(|_| {
            // An object or array outside embedded documents: compare it
            // without the pretty-printer's whitespace.
            serde_json::from_str::<serde_json::Value>(raw).map(|v| v.to_string())
        })
        .unwrap_or_else(|_| raw.to_string())
}

/// Walks a document parsed from the decoded text (`inner`, decoded
/// coordinates) and the same document as the linter holds it (`outer`,
/// plan coordinates) in step, checking every key and value.
fn check_node(
    outer_text: &str,
    decoded: &str,
    outer: Node<'_>,
    inner: Node<'_>,
    count: &mut usize,
) {
    *count += 1;
    let raw = &outer_text[outer.span().range()];
    let token = &decoded[inner.span().range()];
    assert_eq!(
        decode_content(raw),
        token,
        "outer span {:?} does not decode to the inner token",
        outer.span()
    );
    match (outer.value(), inner.value()) {
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.len(), b.len());
            for (ma, mb) in a.iter().zip(b) {
                let raw = &outer_text[ma.key_span.range()];
                assert_eq!(decode_content(raw), &decoded[mb.key_span.range()]);
                assert_eq!(ma.key, mb.key);
                check_node(outer_text, decoded, ma.value, mb.value, count);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len());
            for (na, nb) in a.iter().zip(b) {
                check_node(outer_text, decoded, na, nb, count);
            }
        }
        // The embedded tree's text (shared with the plan where verbatim,
        // decoded where an escape changed it) is the inner document's.
        (Value::String(a), Value::String(b)) | (Value::Number(a), Value::Number(b)) => {
            assert_eq!(a, b)
        }
        (a, b) => assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b)),
    }
}

/// Checks every embedded document of `file`; returns (documents, nodes).
fn check_embedded(file: &ParsedFile) -> (usize, usize) {
    let text = file.source.text_arc();
    let mut nodes = 0;
    for e in &file.embedded {
        let decoded = decode_string_literal(&text, e.literal).expect("literal");
        let inner = json::parse(&decoded.text).expect("embedded documents parse");
        check_node(&text, &decoded.text, e.root(), inner.root(), &mut nodes);
    }
    (file.embedded.len(), nodes)
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("POLICY_LINT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"))
        .join("terraform-plan");
    dir.is_dir().then_some(dir)
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_embedded_spans_decode_to_the_inner_tokens() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: no terraform-plan corpus (set POLICY_LINT_CORPUS)");
        return;
    };
    let (mut docs, mut nodes) = (0, 0);
    let mut kinds = std::collections::BTreeMap::new();
    for (i, path) in json_files(&dir).iter().enumerate() {
        let bytes = std::fs::read(path).expect("read");
        let name = path.display().to_string();
        let file = ParsedFile::parse(FileId(i as u32), &name, &bytes, false, None);
        assert!(file.root().is_some(), "{name} parses");
        for d in file.documents() {
            let data = d.name().is_some_and(|n| n.starts_with("data."));
            *kinds.entry((d.kind.flag(), data)).or_insert(0) += 1;
        }
        let (d, n) = check_embedded(&file);
        docs += d;
        nodes += n;
    }
    eprintln!(
        "checked {docs} embedded documents, {nodes} nodes; (kind, from a data source): {kinds:?}"
    );
    assert!(docs >= 100, "only {docs} embedded documents found");
}

#[test]
fn scenario_embedded_spans_decode_to_the_inner_tokens() {
    let dir = repo_root().join("fixtures/scenarios/terraform");
    let mut total = 0;
    for (i, path) in json_files(&dir).iter().enumerate() {
        let bytes = std::fs::read(path).expect("read");
        let file = ParsedFile::parse(FileId(i as u32), "plan.json", &bytes, true, None);
        total += check_embedded(&file).0;
    }
    assert!(total > 0);
}

/// (code, severity, message, decoded sliced text, JSON Pointer) of each
/// finding: what must not depend on how the plan was printed.
fn comparable(result: &LintResult) -> Vec<(String, String, String, String, String)> {
    result
        .diagnostics
        .iter()
        .map(|d| {
            let file = result.file(d.primary.file).expect("file");
            (
                d.code().to_string(),
                d.severity.to_string(),
                d.message.clone(),
                normalised(file.slice(d.primary.span)),
                d.path.clone(),
            )
        })
        .collect()
}

#[test]
fn one_line_and_pretty_plans_give_the_same_findings() {
    let root = repo_root().join("fixtures");
    let dir = root.join("scenarios/terraform");
    let linter = Linter::new(Options::default());
    for one in json_files(&dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".oneline.json"))
    {
        let pretty = PathBuf::from(
            one.to_string_lossy()
                .replace(".oneline.json", ".pretty.json"),
        );
        let a = linter.lint(case_inputs(&one, &root));
        let b = linter.lint(case_inputs(&pretty, &root));
        let one_line = std::fs::read_to_string(&one).expect("read");
        assert_eq!(one_line.trim_end().lines().count(), 1, "one line");
        assert_eq!(
            comparable(&a),
            comparable(&b),
            "{} and its pretty-printed copy differ",
            one.display()
        );
        let stem = one
            .file_name()
            .expect("name")
            .to_string_lossy()
            .replace(".oneline.json", "");
        insta::with_settings!({snapshot_path => dir.join("snapshots"), prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("{stem}.oneline"), snapshot_text(&a));
            insta::assert_snapshot!(format!("{stem}.pretty"), snapshot_text(&b));
        });
    }
}

#[test]
fn a_plan_read_from_stdin_is_linted_like_a_file() {
    let path = repo_root().join("fixtures/scenarios/terraform/json-errors.oneline.json");
    let bytes = std::fs::read(path).expect("read");
    let result = Linter::new(Options::default()).lint(vec![Input::new("-", bytes)]);
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code()).collect();
    assert!(codes.contains(&"JSON001") && codes.contains(&"JSON002"));
}

/// How one character is written in the generated literal.
#[derive(Debug, Clone, Copy)]
enum Enc {
    Raw,
    Short,
    Unicode,
}

/// Writes `c` into `out` as JSON string content using `enc` where it can.
fn encode(c: char, enc: Enc, upper: bool, out: &mut String) {
    let short = match c {
        '"' => Some("\\\""),
        '\\' => Some("\\\\"),
        '/' => Some("\\/"),
        '\u{8}' => Some("\\b"),
        '\u{c}' => Some("\\f"),
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        _ => None,
    };
    let must_escape = c == '"' || c == '\\' || (c as u32) < 0x20;
    let unicode = |out: &mut String| {
        let mut buf = [0u16; 2];
        for unit in c.encode_utf16(&mut buf) {
            if upper {
                out.push_str(&format!("\\u{unit:04X}"));
            } else {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    };
    match (enc, short) {
        (Enc::Raw, _) if !must_escape => out.push(c),
        (Enc::Short, Some(s)) => out.push_str(s),
        (Enc::Raw, Some(s)) if must_escape => out.push_str(s),
        _ => unicode(out),
    }
}

fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        proptest::char::range(' ', '~'),
        Just('"'),
        Just('\\'),
        Just('/'),
        proptest::char::range('\u{0}', '\u{1f}'),
        proptest::char::range('\u{80}', '\u{7ff}'),
        proptest::char::range('\u{800}', '\u{d7ff}'),
        proptest::char::range('\u{e000}', '\u{ffff}'),
        proptest::char::range('\u{10000}', '\u{10ffff}'),
    ]
}

fn any_enc() -> impl Strategy<Value = (Enc, bool)> {
    (
        prop_oneof![Just(Enc::Raw), Just(Enc::Short), Just(Enc::Unicode)],
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The escape map sends every decoded byte to the first raw byte of the
    /// character or escape sequence it came from, and every character's
    /// decoded range to exactly its raw bytes.
    #[test]
    fn escape_map_sends_each_decoded_byte_to_its_raw_source(
        prefix in "[ a-z:,\\[{]{0,8}",
        chars in proptest::collection::vec((any_char(), any_enc()), 0..40),
    ) {
        let mut outer = prefix.clone();
        outer.push('"');
        // (decoded range, raw range) per character.
        let mut expected = Vec::new();
        let mut decoded = String::new();
        for (c, (enc, upper)) in &chars {
            let raw_start = outer.len();
            encode(*c, *enc, *upper, &mut outer);
            let dec_start = decoded.len();
            decoded.push(*c);
            expected.push((dec_start..decoded.len(), raw_start..outer.len()));
        }
        let literal = Span::new(prefix.len() as u32, outer.len() as u32 + 1);
        outer.push('"');
        let e = decode_string_literal(&std::sync::Arc::new(outer.clone()), literal).expect("valid literal");
        prop_assert_eq!(&e.text, &decoded);
        for (dec, raw) in expected {
            let span = e.outer_span(Span::new(dec.start as u32, dec.end as u32));
            prop_assert_eq!(span.range(), raw.clone());
            // A character copied as is maps byte to byte; every byte an
            // escape sequence produces maps to the escape's backslash.
            let copied = raw.len() == dec.len() && !outer[raw.clone()].starts_with('\\');
            for (k, byte) in dec.clone().enumerate() {
                let at = e.outer_span(Span::empty(byte as u32));
                let want = if copied { raw.start + k } else { raw.start };
                prop_assert_eq!(at.start as usize, want);
            }
            let text = &outer[raw.clone()];
            prop_assert_eq!(decode_content(text), &decoded[dec]);
        }
        let end = e.outer_span(Span::empty(decoded.len() as u32));
        prop_assert_eq!(end.start as usize, outer.len() - 1);
    }
}

fn parsed(path: &Path) -> ParsedFile {
    let bytes = std::fs::read(path).expect("read");
    ParsedFile::parse(FileId(0), &path.display().to_string(), &bytes, true, None)
}

#[test]
fn gcp_scenario_instance_account_is_linked_by_reference() {
    let file = parsed(&repo_root().join("fixtures/scenarios/terraform/gcp-scopes.oneline.json"));
    let view = TerraformView::new(file.root().expect("root")).expect("plan");
    let sas = instance_service_accounts(&view);
    assert_eq!(sas.len(), 1);
    let sa = &sas[0];
    assert_eq!(sa.resource.address, "google_compute_instance.worker");
    let Account::Unknown { references, .. } = &sa.account else {
        panic!("email is unknown until apply: {:?}", sa.account);
    };
    assert_eq!(references[0].address, "google_service_account.worker");
    assert_eq!(references[0].kind, RefKind::Resource);
    assert_eq!(view.instances_of(&references[0].address).count(), 1);
    let written: Vec<_> = sa
        .scopes
        .iter()
        .map(|s| {
            (
                file.source.slice(s.node().expect("node").span()),
                s.canonical.as_str(),
                s.planned.is_some(),
            )
        })
        .collect();
    assert_eq!(
        written,
        vec![
            (
                r#""storage-ro""#,
                "https://www.googleapis.com/auth/devstorage.read_only",
                true
            ),
            (
                r#""logging-write""#,
                "https://www.googleapis.com/auth/logging.write",
                true
            ),
            (
                r#""monitoring-write""#,
                "https://www.googleapis.com/auth/monitoring.write",
                true
            ),
        ]
    );
    // The IAM member names the same account through its references.
    let member = view.references("google_project_iam_member.worker_storage", &["member"]);
    assert_eq!(member[0].address, "google_service_account.worker");
    assert!(view.is_unknown("google_project_iam_member.worker_storage", &["member"]));
}

#[test]
fn flow_log_scenario_role_is_linked_through_the_module_input() {
    let file = parsed(&repo_root().join("fixtures/scenarios/terraform/flow-log.oneline.json"));
    let view = TerraformView::new(file.root().expect("root")).expect("plan");
    let flow = view
        .resource("module.net.aws_flow_log.this[0]")
        .expect("flow log");
    assert!(flow.is_unknown(&["iam_role_arn"]));
    assert!(flow.value(&["iam_role_arn"]).is_none());
    let refs = view.references(flow.address, &["iam_role_arn"]);
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].address, "aws_iam_role.flow_logs");
    assert_eq!(refs[0].attribute.as_deref(), Some("arn"));
    let role = view.instances_of(&refs[0].address).next().expect("role");
    let trust = role.value(&["assume_role_policy"]).expect("trust");
    let doc = file
        .embedded_document_at(trust.span())
        .expect("embedded trust");
    assert_eq!(doc.name(), Some("aws_iam_role.flow_logs"));
    let service = doc
        .node
        .get("Statement")
        .and_then(|s| s.as_array())
        .and_then(|s| s.first())
        .and_then(|s| s.get("Principal"))
        .and_then(|p| p.get("Service"))
        .expect("service");
    assert_eq!(
        file.source.slice(service.span()),
        r#"\"ec2.amazonaws.com\""#
    );
}

#[test]
fn corpus_instances_normalise() {
    let Some(dir) = corpus_dir() else {
        return;
    };
    let mut kinds = std::collections::BTreeMap::new();
    for path in json_files(&dir) {
        let file = parsed(&path);
        let Some(view) = file.root().and_then(TerraformView::new) else {
            continue;
        };
        for sa in instance_service_accounts(&view) {
            let kind = match &sa.account {
                Account::None => "none",
                Account::Default { .. } => "default",
                Account::Email(_) => "email",
                Account::Unknown { references, .. } if !references.is_empty() => "reference",
                Account::Unknown { .. } => "unknown",
                Account::Inherited { .. } => "inherited",
            };
            *kinds.entry(kind).or_insert(0) += 1;
            for s in &sa.scopes {
                assert!(
                    s.canonical.starts_with(SCOPE_PREFIX),
                    "{}: {}",
                    sa.resource.address,
                    s.canonical
                );
            }
        }
    }
    eprintln!("{kinds:?}");
    assert_eq!(
        kinds.get("unknown"),
        None,
        "every unknown email is linked or explained"
    );
    assert!(kinds.get("reference").copied().unwrap_or(0) >= 1);
    assert!(kinds.get("default").copied().unwrap_or(0) >= 2);
}

#[test]
fn gcp_scenario_reports_gcp002_on_the_storage_scope_as_written() {
    let root = repo_root().join("fixtures");
    let linter = Linter::new(Options::default());
    for name in ["gcp-scopes.oneline.json", "gcp-scopes.pretty.json"] {
        let path = root.join("scenarios/terraform").join(name);
        let result = linter.lint(case_inputs(&path, &root));
        let gcp002: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|d| d.code() == "GCP002")
            .collect();
        assert_eq!(gcp002.len(), 1, "{name}: one GCP002");
        let d = gcp002[0];
        let file = result.file(d.primary.file).expect("file");
        assert_eq!(file.slice(d.primary.span), r#""storage-ro""#, "{name}");
        assert!(
            d.message.contains("`google_compute_instance.worker`")
                && d.message.contains("`google_service_account.worker`")
                && d.message.contains("roles/storage.objectAdmin"),
            "{}",
            d.message
        );
        assert_eq!(d.severity.to_string(), "error");
    }
}

#[test]
fn flow_log_scenario_reports_aws001_on_the_escaped_principal_naming_both_addresses() {
    let root = repo_root().join("fixtures");
    let linter = Linter::new(Options::default());
    let mut offsets = Vec::new();
    for name in ["flow-log.oneline.json", "flow-log.pretty.json"] {
        let path = root.join("scenarios/terraform").join(name);
        let result = linter.lint(case_inputs(&path, &root));
        let aws001: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|d| d.code() == "AWS001")
            .collect();
        assert_eq!(aws001.len(), 1, "{name}: one AWS001");
        let d = aws001[0];
        let file = result.file(d.primary.file).expect("file");
        // The escaped token inside `assume_role_policy`, quotes included.
        assert_eq!(
            file.slice(d.primary.span),
            r#"\"ec2.amazonaws.com\""#,
            "{name}"
        );
        assert!(
            d.message.contains("`aws_iam_role.flow_logs`")
                && d.message.contains("`module.net.aws_flow_log.this[0]`"),
            "{}",
            d.message
        );
        assert_eq!(d.severity.to_string(), "error");
        assert!(
            d.path
                .ends_with("/assume_role_policy#/Statement/0/Principal/Service"),
            "{}",
            d.path
        );
        // The label is on the flow log's `iam_role_arn` expression.
        let label = d.labels.first().expect("label");
        assert!(
            file.slice(label.location.span)
                .contains("var.flow_log_role_arn"),
            "{}",
            file.slice(label.location.span)
        );
        offsets.push(d.primary.span);
    }
    // Both copies are reported at their own bytes.
    assert_ne!(offsets[0], offsets[1]);
}

#[test]
fn corpus_flow_log_plan_links_its_role_through_the_configuration() {
    let Some(dir) = corpus_dir() else { return };
    let path = dir.join("regula__flow_log_infra.json");
    if !path.exists() {
        return;
    }
    let files = [parsed(&path)];
    let model = policy_lint::model::aws::AwsModel::build(&files, &Options::default());
    assert!(model.unlinked.is_empty());
    let fl = model.flow_logs.first().expect("flow log");
    assert_eq!(fl.id, "aws_flow_log.valid_vpc_flow_log");
    let role = model
        .role_by_arn(fl.role_arn.as_deref().expect("role"))
        .expect("linked");
    assert_eq!(role.name, "aws_iam_role.example");
    assert!(role.trust.is_some());
    assert_eq!(role.inline.len(), 1);
    assert_eq!(model.uses.len(), 1);
}

#[test]
fn a_flow_log_role_from_a_root_variable_is_advice_naming_the_skipped_checks() {
    let path = repo_root().join("fixtures/AWS002/fail/terraform-no-put-log-events.json");
    let text = std::fs::read_to_string(path).expect("read");
    let linked = r#""iam_role_arn":{"references":["aws_iam_role.flow.arn","aws_iam_role.flow"]}"#;
    assert!(text.contains(linked));
    let text = text.replace(linked, r#""iam_role_arn":{"references":["var.role_arn"]}"#);
    let result =
        Linter::new(Options::default()).lint(vec![Input::new("plan.json", text.into_bytes())]);
    let chain: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code(), "AWS001" | "AWS002" | "AWS003"))
        .collect();
    assert_eq!(chain.len(), 1, "only the advice");
    let d = chain[0];
    assert_eq!(d.severity.to_string(), "advice");
    assert!(
        d.message.contains("`aws_flow_log.vpc`")
            && d.message.contains("AWS002")
            && d.message.contains("`var.role_arn`"),
        "{}",
        d.message
    );
    let file = result.file(d.primary.file).expect("file");
    assert_eq!(
        file.slice(d.primary.span),
        r#"{"references":["var.role_arn"]}"#
    );
}

/// `case` (under `fixtures/`) linted with every rule.
fn lint_fixture(case: &str) -> LintResult {
    let root = repo_root().join("fixtures");
    Linter::new(Options::default()).lint(case_inputs(&root.join(case), &root))
}

#[test]
fn findings_in_plans_carry_their_address_and_module_source_in_json_and_sarif() {
    // terraform-compliance's plan of issue 227 (Terraform 0.12.24): a role
    // declared in `module.test`, whose source is `./role`.
    let result = lint_fixture("AWS004/fail/terraform-module-0.12.json");
    let json = policy_lint::render::to_json(&result);
    let found: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default(),
                d["terraform_address"].as_str().unwrap_or_default(),
                d["terraform_module_source"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("AWS126", "module.test.aws_iam_role.task", "./role"),
            ("AWS004", "module.test.aws_iam_role.task", "./role")
        ]
    );
    let sarif = policy_lint::render::to_sarif(&result);
    let r = &sarif["runs"][0]["results"][1];
    assert_eq!(
        r["locations"][0]["logicalLocations"][0],
        serde_json::json!({"fullyQualifiedName": "module.test.aws_iam_role.task", "kind": "resource"})
    );
    assert_eq!(r["properties"]["terraformModuleSource"], "./role");
    // A file that is not a plan has no address.
    let policy = Linter::default().lint_str("p.json", r#"{"Statement": {"Effect": "Allow"}}"#);
    assert!(policy.diagnostics.iter().all(|d| d.terraform.is_none()));
}

#[test]
fn a_suppression_names_the_terraform_address_whichever_rule_found_it() {
    let root = repo_root().join("fixtures");
    let config = policy_lint::config::Config::parse(
        "[[suppress]]\nrule = \"AWS004\"\npath = \"**/*.json\"\nlocation = \"module.test\"\nreason = \"a test\"\n",
    )
    .expect("config");
    let result = Linter::new(config.options(&Options::default())).lint(case_inputs(
        &root.join("AWS004/fail/terraform-module-0.12.json"),
        &root,
    ));
    // Only the AWS004 finding is suppressed; AWS126 (an empty `Sid`) stays.
    let codes: Vec<_> = result.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(
        (codes, result.suppressed),
        (vec!["AWS126"], 1),
        "{}",
        snapshot_text(&result)
    );
}

#[test]
fn a_utf16_plan_gives_the_findings_of_its_text_with_offsets_in_its_bytes() {
    // fugue/regula's flow-log plan, written as PowerShell 5 writes
    // `terraform show -json > plan.json` (UTF-16LE with a byte order mark),
    // and as UTF-16BE without one.
    let le = lint_fixture("AWS004/fail/terraform-utf16le-bom.json");
    let be = lint_fixture("JSON001/pass/terraform-utf16be.json");
    let seen = |result: &LintResult, utf16: fn(&str) -> Vec<u8>| -> Vec<String> {
        let json = policy_lint::render::to_json(result);
        let file = result.files.first().expect("file");
        let path = repo_root().join("fixtures").join(file.name());
        let bytes = std::fs::read(path).expect("read");
        json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .zip(&result.diagnostics)
            .map(|(d, diagnostic)| {
                let offset = d["offset"].as_u64().expect("offset") as usize;
                let length = d["length"].as_u64().expect("length") as usize;
                let under = &bytes[offset..offset + length];
                // The bytes under the span are the span's text, encoded.
                let text = &file.text()[diagnostic.primary.span.range()];
                assert_eq!(under, utf16(text).as_slice(), "{d}");
                format!(
                    "{}:{}:{} {}",
                    d["line"], d["column"], d["code"], d["message"]
                )
            })
            .collect()
    };
    let from_le = seen(&le, |s| {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    });
    let from_be = seen(&be, |s| {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    });
    assert!(from_le.iter().any(|f| f.contains("AWS004")), "{from_le:?}");
    assert_eq!(from_le, from_be);
}

/// Each file's findings, by file name: code, severity, message, span, JSON
/// Pointer and labels, all a file's findings may not depend on.
fn findings_by_file(result: &LintResult) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &result.diagnostics {
        let file = result.file(d.primary.file).expect("file").name();
        let labels: Vec<String> = d
            .labels
            .iter()
            .map(|l| {
                let name = result.file(l.location.file).expect("file").name();
                format!("{name}@{:?}: {}", l.location.span, l.message)
            })
            .collect();
        out.entry(file.to_string()).or_default().push(format!(
            "{} {} {:?} {} {} {labels:?}",
            d.code(),
            d.severity,
            d.primary.span,
            d.path,
            d.message
        ));
    }
    out
}

/// Lints `inputs` in one run and each alone (with the same `scp` inputs),
/// and returns the files whose findings differ.
fn differing_when_linted_together(inputs: Vec<Input>, scp: &[Input]) -> Vec<String> {
    let options = Options {
        scp: scp.iter().map(|i| i.name.clone()).collect(),
        ..Options::default()
    };
    let linter = Linter::new(options);
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let together = findings_by_file(&linter.lint(inputs.iter().chain(scp).cloned().collect()));
    names
        .into_iter()
        .zip(inputs)
        .filter(|(name, input)| {
            let alone = findings_by_file(
                &linter.lint(std::iter::once(input).chain(scp).cloned().collect()),
            );
            alone.get(name) != together.get(name)
        })
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn plans_linted_in_one_run_give_the_findings_each_gives_alone() {
    // An instance of one public plan and the project IAM policy of another;
    // a state's flow log naming by ARN a role only another state defines.
    // Linked across plans they gave GCP001 advice and AWS001/AWS002.
    let root = repo_root().join("fixtures");
    let dir = root.join("scenarios/terraform/several-plans");
    let inputs = case_inputs(&dir, &root);
    assert_eq!(inputs.len(), 4);
    assert_eq!(
        differing_when_linted_together(inputs.clone(), &[]),
        Vec::<String>::new()
    );
    let together = Linter::new(Options::default()).lint(inputs);
    let codes: Vec<_> = together.diagnostics.iter().map(|d| d.code()).collect();
    assert_eq!(codes, ["GCP005", "GCP003"], "{}", snapshot_text(&together));

    // The public plans of the corpus, all in one run.
    if let Some(corpus) = corpus_dir() {
        let plans: Vec<Input> = json_files(&corpus)
            .iter()
            .flat_map(|p| case_inputs(p, &corpus))
            .collect();
        assert!(plans.len() >= 69, "{} plans", plans.len());
        assert_eq!(
            differing_when_linted_together(plans, &[]),
            Vec::<String>::new()
        );
    } else {
        eprintln!("skipped the corpus part: no terraform-plan corpus (set POLICY_LINT_CORPUS)");
    }
}

#[test]
fn an_scp_given_with_scp_applies_to_the_roles_of_every_plan() {
    let root = repo_root().join("fixtures");
    let mut inputs = case_inputs(&root.join("scenarios/terraform/several-plans"), &root);
    // A flow log and its role with the logs permissions it needs.
    inputs.extend(case_inputs(
        &root.join("AWS003/pass/terraform-correct.json"),
        &root,
    ));
    let scp = [Input::new(
        "scp-deny-logs.json",
        br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": "*"}]}"#.to_vec(),
    )];
    assert_eq!(
        differing_when_linted_together(inputs.clone(), &scp),
        Vec::<String>::new()
    );
    let options = Options {
        scp: vec![scp[0].name.clone()],
        ..Options::default()
    };
    let result = Linter::new(options).lint(inputs.into_iter().chain(scp).collect());
    // Both flow logs' roles: the plan's own, and the role a state names
    // outside itself (whose policies no input gives, but the SCP's Deny is
    // certain).
    let aws003: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.code() == "AWS003")
        .map(|d| {
            let file = result.file(d.primary.file).expect("file").name();
            let role = [
                "`aws_iam_role.flow`",
                "`arn:aws:iam::111111111111:role/flow-logs`",
            ]
            .into_iter()
            .find(|r| d.message.contains(r))
            .unwrap_or_default();
            (file, role)
        })
        .collect();
    assert_eq!(
        aws003,
        [
            (
                "scp-deny-logs.json",
                "`arn:aws:iam::111111111111:role/flow-logs`"
            ),
            ("scp-deny-logs.json", "`aws_iam_role.flow`")
        ],
        "{}",
        snapshot_text(&result)
    );
}

/// A finding about an integration links to that integration's page (JSON
/// `url`, the human `help` link), not only to the rule's.
#[test]
fn integration_findings_link_to_the_integration_documentation() {
    let root = repo_root().join("fixtures");
    let case = root.join("AWS002/fail/terraform-lambda-sqs-no-delete-message.json");
    let result = common::lint_only("AWS002", case_inputs(&case, &root));
    let sqs = result
        .diagnostics
        .iter()
        .find(|d| d.message.contains("sqs:DeleteMessage"))
        .expect("the SQS event source finding");
    assert_eq!(
        sqs.url(),
        Some("https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html")
    );
    let json: serde_json::Value =
        serde_json::from_str(&policy_lint::render::render_json(&result)).expect("json");
    let urls: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["url"].as_str())
        .collect();
    assert!(
        urls.contains(&"https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html"),
        "{urls:?}"
    );
}
