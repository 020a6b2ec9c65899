use super::*;
use crate::{Input, Linter};

/// A one-resource plan whose `attr` holds `policy` (a JSON string) at
/// `resource_changes/0/change/after`.
fn plan_with_policy(address: &str, attr: &str, policy: &serde_json::Value) -> String {
    let a = crate::documents::terraform::Address::parse(address).expect("address");
    serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": address,
            "mode": if a.data { "data" } else { "managed" },
            "type": a.resource_type,
            "name": a.name,
            "change": {"actions": ["create"], "after": {attr: policy.to_string()}}
        }]
    })
    .to_string()
}

/// Lints `plan`, maps it to `files` (module, name, text) and returns, per
/// finding of `code`, the text under its source and the texts under its
/// labels in configuration files.
fn map(plan: &str, files: &[(&[&str], &str, &str)], code: &str) -> Vec<(String, Vec<String>)> {
    let mut result = Linter::default().lint(vec![Input::new("plan.json", plan)]);
    let plan = Plan::parse(&result, FileId(0)).expect("plan with findings");
    let mut config = Configuration::new();
    for (module, name, text) in files {
        let module: Vec<String> = module.iter().map(|m| m.to_string()).collect();
        config.add_file(&module, *name, *text);
    }
    let located = locate(&mut result, &plan, &config);
    assert!(located.notes.is_empty(), "{:?}", located.notes);
    let text = |l: &Location| {
        result
            .file(l.file)
            .map(|f| format!("{}:{}", f.name(), f.slice(l.span)))
            .unwrap_or_default()
    };
    result
        .diagnostics
        .iter()
        .filter(|d| d.code() == code)
        .map(|d| {
            let source = d
                .source
                .as_ref()
                .map(|s| text(&s.location))
                .unwrap_or_default();
            let labels = d
                .labels
                .iter()
                .filter(|l| l.location.file.0 > 0)
                .map(|l| text(&l.location))
                .collect();
            (source, labels)
        })
        .collect()
}

fn trust(service: &str) -> serde_json::Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": service}}]
    })
}

const TYPO: &str = "ec2.amazonaws.co";

#[test]
fn jsonencode_literal() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let tf = r#"resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    "Statement" = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.co" }
    }]
  })
}
"#;
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "AWS006"),
        vec![("main.tf:\"ec2.amazonaws.co\"".to_string(), vec![])]
    );
}

#[test]
fn jsonencode_through_a_local_and_a_variable_default() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let main = r#"locals {
  trust = {
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = var.service } }]
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode(local.trust)
}
"#;
    let vars = "variable \"service\" {\n  type    = string\n  default = \"ec2.amazonaws.co\"\n}\n";
    assert_eq!(
        map(
            &plan,
            &[(&[], "main.tf", main), (&[], "variables.tf", vars)],
            "AWS006"
        ),
        vec![(
            "variables.tf:\"ec2.amazonaws.co\"".to_string(),
            vec![
                "main.tf:local.trust".to_string(),
                "main.tf:var.service".to_string()
            ]
        )]
    );
}

#[test]
fn a_variable_set_elsewhere_stops_at_its_use() {
    // The default is not the value the plan holds (`-var`, tfvars).
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let main = r#"resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = var.service } }]
  })
}
variable "service" { default = "ec2.amazonaws.com" }
"#;
    assert_eq!(
        map(&plan, &[(&[], "main.tf", main)], "AWS006"),
        vec![("main.tf:var.service".to_string(), vec![])]
    );
}

#[test]
fn heredocs_plain_and_indented() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    for marker in ["<<EOF", "<<-EOF"] {
        let tf = format!(
            "resource \"aws_iam_role\" \"r\" {{\n  assume_role_policy = {marker}\n    {{\n      \"Version\": \"2012-10-17\",\n      \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\",\n        \"Principal\": {{\"Service\": \"ec2.amazonaws.co\"}}}}]\n    }}\n    EOF\n}}\n"
        );
        assert_eq!(
            map(&plan, &[(&[], "main.tf", &tf)], "AWS006"),
            vec![("main.tf:\"ec2.amazonaws.co\"".to_string(), vec![])],
            "{marker}"
        );
    }
}

#[test]
fn heredoc_with_interpolations_elsewhere_and_quoted_policies() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let tf = r#"resource "aws_iam_role" "r" {
  assume_role_policy = <<-EOF
  {"Version": "2012-10-17", "Id": "${var.id}", "Statement": [{"Effect": "Allow",
   "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.co"}, "Condition": ${jsonencode(local.c)}}]}
  EOF
}
"#;
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "AWS006"),
        vec![("main.tf:\"ec2.amazonaws.co\"".to_string(), vec![])]
    );
    let quoted = r#"resource "aws_iam_role" "r" {
  assume_role_policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"ec2.amazonaws.co\"}}]}"
}
"#;
    assert_eq!(
        map(&plan, &[(&[], "main.tf", quoted)], "AWS006"),
        vec![(r#"main.tf:\"ec2.amazonaws.co\""#.to_string(), vec![])]
    );
}

#[test]
fn an_interpolated_value_is_the_whole_attribute_or_the_interpolation() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let tf = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = templatefile(\"trust.json\", {})\n}\n";
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "AWS006"),
        vec![(
            "main.tf:assume_role_policy = templatefile(\"trust.json\", {})".to_string(),
            vec![]
        )]
    );
    let tf = "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = <<EOF\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", \"Principal\": {\"Service\": \"${var.svc}\"}}]}\nEOF\n}\n";
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "AWS006"),
        vec![("main.tf:\"${var.svc}\"".to_string(), vec![])]
    );
}

#[test]
fn policy_document_data_source_by_value() {
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:PutLogEvents", "logs:CreateLogStream"], "Resource": "*"},
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": TYPO}}
        ]
    });
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &policy);
    let tf = r#"data "aws_iam_policy_document" "trust" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com", "ec2.amazonaws.co"]
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"#;
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "AWS006"),
        vec![(
            "main.tf:\"ec2.amazonaws.co\"".to_string(),
            vec!["main.tf:data.aws_iam_policy_document.trust.json".to_string()]
        )]
    );
}

#[test]
fn child_modules_nested_with_count_and_for_each_instances() {
    let address = r#"module.app["a"].module.role[0].aws_iam_role.this[1]"#;
    let plan = plan_with_policy(address, "assume_role_policy", &trust(TYPO));
    let root = "module \"app\" {\n  for_each = toset([\"a\"])\n  source = \"./modules/app\"\n}\n";
    let app = "module \"role\" {\n  count   = 1\n  source  = \"../role\"\n  service = \"ec2.amazonaws.co\"\n}\n";
    let role = "variable \"service\" {}\nresource \"aws_iam_role\" \"this\" {\n  count = 2\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = { Service = var.service } }]\n  })\n}\n";
    assert_eq!(
        map(
            &plan,
            &[
                (&[], "main.tf", root),
                (&["app"], "modules/app/main.tf", app),
                (&["app", "role"], "modules/role/main.tf", role),
            ],
            "AWS006"
        ),
        vec![(
            "modules/app/main.tf:\"ec2.amazonaws.co\"".to_string(),
            vec!["modules/role/main.tf:var.service".to_string()]
        )]
    );
}

fn gce_plan(scopes_written: &[&str], email: serde_json::Value) -> String {
    serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "google_compute_instance.vm", "mode": "managed",
            "type": "google_compute_instance", "name": "vm",
            "values": {"name": "vm", "machine_type": "e2-small", "zone": "europe-west1-b",
                "service_account": [{"email": email, "scopes": []}]}
        }]}},
        "configuration": {"root_module": {"resources": [{
            "address": "google_compute_instance.vm", "mode": "managed",
            "type": "google_compute_instance", "name": "vm",
            "expressions": {"service_account": [{"scopes": {"constant_value": scopes_written}}]}
        }]}}
    })
    .to_string()
}

#[test]
fn gce_scopes_items_and_emails() {
    let plan = gce_plan(
        &["storage-ro", "default"],
        serde_json::json!("123-compute@developer.gserviceaccount.com"),
    );
    let tf = r#"resource "google_compute_instance" "vm" {
  name = "vm"
  service_account {
    email  = "123-compute@developer.gserviceaccount.com"
    scopes = ["storage-ro", "default"]
  }
}
"#;
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "GCP006"),
        vec![("main.tf:\"default\"".to_string(), vec![])]
    );
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "GCP005"),
        vec![(
            "main.tf:\"123-compute@developer.gserviceaccount.com\"".to_string(),
            vec![]
        )]
    );
}

#[test]
fn module_dirs_from_calls_and_modules_json() {
    let plan = serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [{"address": "module.a.aws_iam_role.r", "type": "aws_iam_role", "name": "r",
            "change": {"after": {"assume_role_policy": trust(TYPO).to_string()}}}],
        "configuration": {"root_module": {"module_calls": {
            "a": {"source": "./modules/a", "module": {"module_calls": {
                "b": {"source": "../b", "module": {}},
                "reg": {"source": "terraform-aws-modules/iam/aws", "module": {}}
            }}},
            "vpc": {"source": "terraform-aws-modules/vpc/aws", "module": {}}
        }}}
    })
    .to_string();
    let result = Linter::default().lint(vec![Input::new("plan.json", plan.as_str())]);
    let plan = Plan::parse(&result, FileId(0)).expect("plan");
    let dirs = |json: Option<&str>| -> Vec<(String, String)> {
        plan.module_dirs(json)
            .into_iter()
            .map(|d| (d.module.join("."), d.dir))
            .collect()
    };
    assert_eq!(
        dirs(None),
        vec![
            ("a".into(), "modules/a".into()),
            ("a.b".into(), "modules/b".into())
        ]
    );
    let listed = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
        {"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Dir":".terraform/modules/vpc"},
        {"Key":"a.reg","Source":"x","Dir":".terraform/modules/a.reg"}]}"#;
    assert_eq!(
        dirs(Some(listed)),
        vec![
            ("vpc".into(), ".terraform/modules/vpc".into()),
            ("a.reg".into(), ".terraform/modules/a.reg".into()),
            ("a".into(), "modules/a".into()),
            ("a.b".into(), "modules/b".into()),
        ]
    );
    assert_eq!(dirs(Some("not json")).len(), 2);
}

#[test]
fn odd_hcl_gives_no_location_and_a_note_never_a_panic() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let mut result = Linter::default().lint(vec![Input::new("plan.json", plan.as_str())]);
    let parsed = Plan::parse(&result, FileId(0)).expect("plan");
    let mut config = Configuration::new();
    config.add_file(
        &[],
        "broken.tf",
        "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({\n",
    );
    let located = locate(&mut result, &parsed, &config);
    assert_eq!(located.findings, 0);
    assert_eq!(located.notes.len(), 1, "{:?}", located.notes);
    assert!(
        located.notes[0].contains("`broken.tf`"),
        "{:?}",
        located.notes
    );
    assert!(result.diagnostics.iter().all(|d| d.source.is_none()));
}

#[test]
fn cycles_and_deep_references_end() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let tf = "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_iam_role\" \"r\" {\n  assume_role_policy = local.a\n}\n";
    assert_eq!(
        map(&plan, &[(&[], "main.tf", tf)], "AWS006"),
        vec![("main.tf:assume_role_policy = local.a".to_string(), vec![])]
    );
}

#[test]
fn arbitrary_text_never_panics() {
    let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
    let mut result = Linter::default().lint(vec![Input::new("plan.json", plan.as_str())]);
    let parsed = Plan::parse(&result, FileId(0)).expect("plan");
    let good = r#"resource "aws_iam_role" "r" {
  assume_role_policy = <<-EOF
  {"Statement": [{"Principal": {"Service": "${x}"}}], "é": "\u00e9 $${a} %%{b}"}
  EOF
}"#;
    // Every prefix of a file that exercises each path, cut anywhere.
    for (i, _) in good.char_indices().chain([(good.len(), ' ')]) {
        let mut config = Configuration::new();
        config.add_file(&[], "f.tf", &good[..i]);
        let mut run = result.clone();
        let _ = locate(&mut run, &parsed, &config);
    }
    let mut config = Configuration::new();
    config.add_file(&[], "f.tf", good);
    let located = locate(&mut result, &parsed, &config).findings;
    assert_eq!(
        located,
        result
            .diagnostics
            .iter()
            .filter(|d| d.source.is_some())
            .count()
    );
    assert!(located >= 1);
}

/// HCL-ish token soup: every piece the walk reads, in any order.
fn soup() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let tokens = prop::sample::select(vec![
        "resource \"aws_iam_role\" \"r\" {",
        "}",
        "{",
        "[",
        "]",
        "(",
        ")",
        "\n",
        " ",
        "=",
        ",",
        "assume_role_policy",
        "jsonencode(",
        "Statement",
        "Principal",
        "Service",
        "0",
        "\"ec2.amazonaws.co\"",
        "\"",
        "\\\"",
        "\\u00e9",
        "<<EOF\n",
        "<<-EOF\n",
        "\nEOF\n",
        "${",
        "%{",
        "$${",
        "var.x",
        "local.y",
        "locals {",
        "variable \"x\" {",
        "default",
        "data.aws_iam_policy_document.d.json",
        "data \"aws_iam_policy_document\" \"d\" {",
        "statement {",
        "principals {",
        "type",
        "identifiers",
        "é",
        "\t",
        "#",
        "//",
        "/*",
        "*/",
    ]);
    prop::collection::vec(tokens, 0..80).prop_map(|t| t.concat())
}

/// The linted one-role plan with a typo'd service, linted once: each case
/// only maps and renders.
fn linted_typo_plan() -> &'static crate::LintResult {
    static RESULT: std::sync::OnceLock<crate::LintResult> = std::sync::OnceLock::new();
    RESULT.get_or_init(|| {
        let plan = plan_with_policy("aws_iam_role.r", "assume_role_policy", &trust(TYPO));
        Linter::default().lint(vec![Input::new("plan.json", plan.as_str())])
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    #[test]
    fn any_text_maps_inside_the_file_or_not_at_all(tf in soup()) {
        let mut result = linted_typo_plan().clone();
        let parsed = Plan::parse(&result, FileId(0)).expect("plan");
        let mut config = Configuration::new();
        config.add_file(&[], "main.tf", tf.as_str());
        let _ = locate(&mut result, &parsed, &config);
        for d in &result.diagnostics {
            let places = d
                .source
                .iter()
                .map(|s| s.location)
                .chain(d.labels.iter().map(|l| l.location));
            for loc in places {
                let file = result.file(loc.file).expect("file");
                proptest::prop_assert!(
                    file.text().get(loc.span.range()).is_some(),
                    "{:?} in {:?}",
                    loc.span,
                    tf
                );
            }
        }
        for format in [
            crate::Format::Human,
            crate::Format::Json,
            crate::Format::Sarif,
            crate::Format::Github,
        ] {
            let _ = crate::render(&result, format, crate::RenderOptions::default());
        }
    }
}
