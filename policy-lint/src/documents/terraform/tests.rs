use super::gce::{Account, instance_service_accounts};
use super::*;
use crate::documents::{DocKind, ParsedFile, PolicyType};
use crate::json::parse;
use crate::source::FileId;

/// A plan with a flow log in a module whose role comes from the root
/// through a module input, a role in another module read through a module
/// output, a deleted policy, and a data source read at plan time.
const PLAN: &str = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {
    "resources": [
      {"address": "aws_iam_role.flow", "mode": "managed", "type": "aws_iam_role", "name": "flow",
       "values": {"name": "flow", "assume_role_policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"}}
    ],
    "child_modules": [
      {"address": "module.net", "resources": [
        {"address": "module.net.aws_flow_log.this[0]", "mode": "managed", "type": "aws_flow_log", "name": "this", "index": 0,
         "values": {"log_destination_type": "cloud-watch-logs"}}
      ], "child_modules": [
        {"address": "module.net.module.deep", "resources": [
          {"address": "module.net.module.deep.aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
           "values": {"policy": "{\"Statement\":[]}"}}
        ]}
      ]},
      {"address": "module.iam", "resources": [
        {"address": "module.iam.aws_iam_role.this", "mode": "managed", "type": "aws_iam_role", "name": "this",
         "values": {"name": "r2"}}
      ]}
    ]}},
  "resource_changes": [
    {"address": "aws_iam_role.flow", "mode": "managed", "type": "aws_iam_role", "name": "flow",
     "change": {"actions": ["create"],
       "before": null,
       "after": {"name": "flow", "assume_role_policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"},
       "after_unknown": {"arn": true, "id": true}}},
    {"address": "module.net.aws_flow_log.this[0]", "module_address": "module.net", "mode": "managed", "type": "aws_flow_log", "name": "this", "index": 0,
     "change": {"actions": ["create"], "before": null,
       "after": {"log_destination_type": "cloud-watch-logs"},
       "after_unknown": {"iam_role_arn": true, "tags": {"a": true}}}},
    {"address": "aws_iam_policy.old", "mode": "managed", "type": "aws_iam_policy", "name": "old",
     "change": {"actions": ["delete"], "before": {"policy": "{\"Statement\":[]}"}, "after": null}},
    {"address": "aws_iam_policy.gone", "mode": "managed", "type": "aws_iam_policy", "name": "gone", "deposed": "abc",
     "change": {"actions": ["delete"], "before": {"policy": "{}"}, "after": null}}
  ],
  "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
    {"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p",
     "values": {"json": "{\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Principal\": \"*\"}]\n}"}},
    {"address": "data.aws_iam_policy_document.same", "mode": "data", "type": "aws_iam_policy_document", "name": "same",
     "values": {"json": "{\"Statement\":[]}"}}
  ]}}},
  "configuration": {"root_module": {
    "resources": [
      {"address": "aws_iam_role.flow", "mode": "managed", "type": "aws_iam_role", "name": "flow",
       "expressions": {"assume_role_policy": {"references": ["data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p"]}}}
    ],
    "module_calls": {
      "net": {"source": "./net",
        "expressions": {"role_arn": {"references": ["module.iam.role_arn", "module.iam"]}, "other": {"references": ["var.root_input"]}},
        "module": {
          "resources": [
            {"address": "aws_flow_log.this", "mode": "managed", "type": "aws_flow_log", "name": "this",
             "expressions": {"iam_role_arn": {"references": ["var.role_arn"]}, "tags": {"references": ["var.other"]},
                             "log_group_name": {"references": ["local.name", "aws_cloudwatch_log_group.g[0].name", "aws_cloudwatch_log_group.g[0]", "aws_cloudwatch_log_group.g"]}}}
          ],
          "module_calls": {"deep": {"source": "./deep", "module": {"resources": []}}}
        }},
      "iam": {"source": "./iam",
        "module": {
          "outputs": {"role_arn": {"expression": {"references": ["aws_iam_role.this.arn", "aws_iam_role.this"]}}},
          "resources": [{"address": "aws_iam_role.this", "mode": "managed", "type": "aws_iam_role", "name": "this", "expressions": {}}]
        }}
    }
  }}
}"#;

fn view_of(root: Node<'_>) -> TerraformView<'_> {
    TerraformView::new(root).expect("plan")
}

#[test]
fn one_canonical_source_per_resource() {
    let root = parse(PLAN).expect("valid");
    let view = view_of(root.root());
    assert_eq!(view.format, Format::Plan);
    let got: Vec<(&str, Source)> = view
        .all_resources()
        .map(|r| (r.address, r.source))
        .collect();
    assert_eq!(
        got,
        vec![
            ("aws_iam_role.flow", Source::Change),
            ("module.net.aws_flow_log.this[0]", Source::Change),
            ("aws_iam_policy.old", Source::Deleted),
            (
                "module.net.module.deep.aws_iam_policy.p",
                Source::PlannedValues
            ),
            ("module.iam.aws_iam_role.this", Source::PlannedValues),
            ("data.aws_iam_policy_document.p", Source::PriorState),
            ("data.aws_iam_policy_document.same", Source::PriorState),
        ]
    );
    assert_eq!(
        view.resources().count(),
        6,
        "deleted resources are left out"
    );
    let flow = view
        .resource("module.net.aws_flow_log.this[0]")
        .expect("flow log");
    assert_eq!(flow.resource_type, "aws_flow_log");
    assert_eq!(flow.name, "this");
    assert_eq!(flow.index.and_then(|i| i.value_text()), Some("0".into()));
    assert_eq!(flow.config_address(), "module.net.aws_flow_log.this");
    assert!(flow.has_action("create"));
    assert!(flow.is_unknown(&["iam_role_arn"]));
    assert!(flow.is_unknown(&["tags", "a"]));
    assert!(!flow.is_unknown(&["tags", "b"]));
    assert!(!flow.is_unknown(&["log_destination_type"]));
    assert!(view.is_unknown("aws_iam_role.flow", &["arn"]));
    assert_eq!(
        flow.value(&["log_destination_type"]).and_then(Node::as_str),
        Some("cloud-watch-logs")
    );
    assert_eq!(
        view.instances_of("module.net.aws_flow_log.this")
            .map(|r| r.address)
            .collect::<Vec<_>>(),
        vec!["module.net.aws_flow_log.this[0]"]
    );
}

impl Node<'_> {
    fn value_text(&self) -> Option<String> {
        match self.value() {
            crate::json::Value::Number(n) => Some(n.to_string()),
            crate::json::Value::String(s) => Some(s.to_string()),
            _ => None,
        }
    }
}

#[test]
fn references_resolve_through_module_inputs_and_outputs() {
    let root = parse(PLAN).expect("valid");
    let view = view_of(root.root());
    // var.role_arn in module.net -> module.iam.role_arn in root -> the
    // output's expression inside module.iam.
    let refs = view.references("module.net.aws_flow_log.this[0]", &["iam_role_arn"]);
    assert_eq!(
        refs,
        vec![Reference {
            address: "module.iam.aws_iam_role.this".into(),
            key: None,
            attribute: Some("arn".into()),
            kind: RefKind::Resource,
        }]
    );
    let linked = view.referenced_resources("module.net.aws_flow_log.this[0]", &["iam_role_arn"]);
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].1.address, "module.iam.aws_iam_role.this");
    assert!(linked[0].0.unlinked_reason().is_none());
    let refs = view.references("module.net.aws_flow_log.this[0]", &["tags"]);
    assert!(
        refs[0]
            .unlinked_reason()
            .is_some_and(|r| r.contains("`var.root_input`"))
    );
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].kind, RefKind::RootVariable);
    assert_eq!(refs[0].address, "var.root_input");
    let refs = view.references("module.net.aws_flow_log.this[0]", &["log_group_name"]);
    assert_eq!(refs.len(), 2, "{refs:?}");
    assert_eq!(refs[0].kind, RefKind::Unresolved);
    assert_eq!(refs[0].address, "module.net.local.name");
    assert_eq!(refs[1].address, "module.net.aws_cloudwatch_log_group.g");
    assert_eq!(refs[1].key.as_deref(), Some("[0]"));
    assert_eq!(refs[1].attribute.as_deref(), Some("name"));
    let refs = view.references("aws_iam_role.flow", &["assume_role_policy"]);
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].kind, RefKind::Data);
    assert_eq!(refs[0].address, "data.aws_iam_policy_document.p");
    assert_eq!(refs[0].attribute.as_deref(), Some("json"));
    assert!(view.references("aws_iam_role.nope", &["x"]).is_empty());
    assert!(
        view.config_resource("module.net.aws_flow_log.this[0]")
            .is_some_and(|c| c.module == vec!["net"])
    );
}

#[test]
fn policy_strings_become_named_documents() {
    let file = ParsedFile::parse(FileId(0), "plan.json", PLAN.as_bytes(), true, None);
    let docs: Vec<_> = file
        .documents()
        .map(|d| (d.kind, d.name().map(str::to_string)))
        .collect();
    assert_eq!(
        docs,
        vec![
            (DocKind::TerraformPlan, None),
            // In file order: planned_values comes first in this plan.
            (
                DocKind::AwsPolicy(PolicyType::Identity),
                Some("module.net.module.deep.aws_iam_policy.p".into())
            ),
            (
                DocKind::AwsPolicy(PolicyType::Trust),
                Some("aws_iam_role.flow".into())
            ),
            // Inferred from the generated document's content.
            (
                DocKind::AwsPolicy(PolicyType::Resource),
                Some("data.aws_iam_policy_document.p".into())
            ),
            // Only a resource of another module instance holds the same
            // text: a different policy, not a copy.
            (
                DocKind::AwsPolicy(PolicyType::Identity),
                Some("data.aws_iam_policy_document.same".into())
            ),
        ],
        "the deleted policy and the deposed one are not documents"
    );
    let trust = file.document(2).expect("trust");
    let service = trust
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
    assert_eq!(
        file.pointer_of(service.span()),
        "/resource_changes/0/change/after/assume_role_policy#/Statement/0/Principal/Service"
    );
    let literal = root_literal(&file, "aws_iam_role.flow");
    assert_eq!(file.embedded_document_at(literal).map(|d| d.index), Some(2));
}

fn root_literal(file: &ParsedFile, address: &str) -> crate::source::Span {
    let root = file.root().expect("root");
    let view = view_of(root);
    view.resource(address)
        .and_then(|r| r.value(&["assume_role_policy"]))
        .expect("policy")
        .span()
}

#[test]
fn state_values_are_read() {
    let text = r#"{"format_version": "1.0", "terraform_version": "1.5.7", "values": {"root_module": {
      "resources": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
        "values": {"assume_role_policy": " {\"Statement\": []}", "inline_policy": [{"name": "i", "policy": "{\"Statement\":[]}"}, {"policy": "not json"}]}}],
      "child_modules": [{"address": "module.m", "resources": [
        {"address": "module.m.google_project_iam_policy.p", "mode": "managed", "type": "google_project_iam_policy", "name": "p",
         "values": {"policy_data": "{\"bindings\":[]}"}},
        {"address": "module.m.aws_organizations_policy.tag", "mode": "managed", "type": "aws_organizations_policy", "name": "tag",
         "values": {"type": "TAG_POLICY", "content": "{\"tags\":{}}"}},
        {"address": "module.m.aws_organizations_policy.scp", "mode": "managed", "type": "aws_organizations_policy", "name": "scp",
         "values": {"content": "{\"Statement\":[]}"}}
      ]}]}}}"#;
    let file = ParsedFile::parse(FileId(0), "state.json", text.as_bytes(), true, None);
    let docs: Vec<_> = file
        .documents()
        .map(|d| (d.kind, d.name().unwrap_or_default().to_string()))
        .collect();
    assert_eq!(
        docs,
        vec![
            (DocKind::TerraformState, String::new()),
            (
                DocKind::AwsPolicy(PolicyType::Trust),
                "aws_iam_role.r".into()
            ),
            (
                DocKind::AwsPolicy(PolicyType::Identity),
                "aws_iam_role.r".into()
            ),
            (
                DocKind::GcpIamPolicy,
                "module.m.google_project_iam_policy.p".into()
            ),
            (
                DocKind::AwsPolicy(PolicyType::ServiceControl),
                "module.m.aws_organizations_policy.scp".into()
            ),
        ]
    );
}

/// A plan with the three service-account shapes: a block whose email
/// refers to a service account created in the plan, a block without email,
/// and no block.
const GCE: &str = r#"{"format_version": "1.1",
  "resource_changes": [
    {"address": "google_compute_instance.a", "mode": "managed", "type": "google_compute_instance", "name": "a",
     "change": {"actions": ["create"], "after": {"service_account": [{"scopes": ["https://www.googleapis.com/auth/logging.write", "https://www.googleapis.com/auth/devstorage.read_only", "default"]}]},
       "after_unknown": {"service_account": [{"email": true, "scopes": [false, false, false]}]}}},
    {"address": "google_compute_instance.b", "mode": "managed", "type": "google_compute_instance", "name": "b",
     "change": {"actions": ["create"], "after": {"service_account": [{"scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]},
       "after_unknown": {"service_account": [{"email": true, "scopes": [false]}]}}},
    {"address": "google_compute_instance_template.c", "mode": "managed", "type": "google_compute_instance_template", "name": "c",
     "change": {"actions": ["create"], "after": {"service_account": []}, "after_unknown": {"service_account": []}}},
    {"address": "google_compute_instance.d", "mode": "managed", "type": "google_compute_instance", "name": "d",
     "change": {"actions": ["create"], "after": {"service_account": [{"email": "123-compute@developer.gserviceaccount.com", "scopes": []}]}}},
    {"address": "google_compute_instance.e", "mode": "managed", "type": "google_compute_instance", "name": "e",
     "change": {"actions": ["create"], "after": {"service_account": [{"email": "sa@p.iam.gserviceaccount.com", "scopes": []}]}}},
    {"address": "google_compute_instance_from_template.f", "mode": "managed", "type": "google_compute_instance_from_template", "name": "f",
     "change": {"actions": ["create"], "after": {"name": "f"}, "after_unknown": {"service_account": true}}}
  ],
  "configuration": {"root_module": {"resources": [
    {"address": "google_compute_instance.a", "mode": "managed", "type": "google_compute_instance", "name": "a",
     "expressions": {"service_account": [{"email": {"references": ["google_service_account.sa.email", "google_service_account.sa"]},
                                          "scopes": {"constant_value": ["storage-ro", "logging-write", "default"]}}]}},
    {"address": "google_compute_instance.b", "mode": "managed", "type": "google_compute_instance", "name": "b",
     "expressions": {"service_account": [{"scopes": {"constant_value": ["cloud-platform"]}}]}},
    {"address": "google_compute_instance_from_template.f", "mode": "managed", "type": "google_compute_instance_from_template", "name": "f",
     "expressions": {"source_instance_template": {"references": ["google_compute_instance_template.t.self_link", "google_compute_instance_template.t"]}}}
  ]}}
}"#;

#[test]
fn gce_service_accounts_are_normalised() {
    let root = parse(GCE).expect("valid");
    let view = view_of(root.root());
    let sas = instance_service_accounts(&view);
    assert_eq!(sas.len(), 6);
    match &sas[5].account {
        Account::Inherited { template } => {
            assert_eq!(template[0].address, "google_compute_instance_template.t");
        }
        other => panic!("expected inherited, got {other:?}"),
    }

    let a = &sas[0];
    assert_eq!(a.resource.address, "google_compute_instance.a");
    match &a.account {
        Account::Unknown { references, .. } => {
            assert_eq!(references.len(), 1);
            assert_eq!(references[0].address, "google_service_account.sa");
            assert_eq!(references[0].attribute.as_deref(), Some("email"));
        }
        other => panic!("expected unknown, got {other:?}"),
    }
    let scopes: Vec<(&str, Option<&str>, Option<&str>)> = a
        .scopes
        .iter()
        .map(|s| {
            (
                s.canonical.as_str(),
                s.written.and_then(Node::as_str),
                s.planned.and_then(Node::as_str),
            )
        })
        .collect();
    assert_eq!(
        scopes,
        vec![
            (
                "https://www.googleapis.com/auth/devstorage.read_only",
                Some("storage-ro"),
                Some("https://www.googleapis.com/auth/devstorage.read_only")
            ),
            (
                "https://www.googleapis.com/auth/logging.write",
                Some("logging-write"),
                Some("https://www.googleapis.com/auth/logging.write")
            ),
            ("default", Some("default"), Some("default")),
        ]
    );
    let written = a.scopes[0].node().expect("node");
    assert_eq!(&GCE[written.span().range()], r#""storage-ro""#);

    assert!(matches!(sas[1].account, Account::Default { email: None }));
    assert_eq!(sas[1].scopes.len(), 1);
    assert!(matches!(sas[2].account, Account::None));
    assert!(sas[2].scopes.is_empty());
    assert!(matches!(
        sas[3].account,
        Account::Default { email: Some(_) }
    ));
    assert!(matches!(sas[4].account, Account::Email(_)));
    // No configuration: planned scopes only.
    assert!(sas[4].scopes.is_empty());
}

#[test]
fn canonical_scopes_follow_terraform() {
    assert_eq!(
        gce::canonical_scope("storage-rw"),
        "https://www.googleapis.com/auth/devstorage.read_write"
    );
    assert_eq!(gce::canonical_scope("default"), "default");
    assert!(gce::is_default_email("default"));
    assert!(gce::is_default_email(
        "123-compute@developer.gserviceaccount.com"
    ));
    assert!(!gce::is_default_email(
        "x-compute@developer.gserviceaccount.com"
    ));
}
