//! The IAM documents a plan or state holds as JSON strings, each linted as a
//! document of its own (spans in the plan's escaped bytes).

use crate::hash::HashSet;

use super::{Mode, Resource, TerraformView};
use crate::documents::kind::{DocKind, PolicyType};
use crate::json::Node;

/// How to type a document found at an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PolicyKind {
    /// A fixed kind: the attribute says what the document is.
    Fixed(DocKind),
    /// An AWS policy whose type is inferred from its content
    /// (`aws_iam_policy_document.json` feeds trust, identity and resource
    /// policies alike).
    InferAws,
}

const TRUST: PolicyKind = PolicyKind::Fixed(DocKind::AwsPolicy(PolicyType::Trust));
const IDENTITY: PolicyKind = PolicyKind::Fixed(DocKind::AwsPolicy(PolicyType::Identity));
const RESOURCE: PolicyKind = PolicyKind::Fixed(DocKind::AwsPolicy(PolicyType::Resource));
const SCP: PolicyKind = PolicyKind::Fixed(DocKind::AwsPolicy(PolicyType::ServiceControl));
const GCP: PolicyKind = PolicyKind::Fixed(DocKind::GcpIamPolicy);

/// Managed resource types and the attribute holding their policy.
const MANAGED: &[(&str, &str, PolicyKind)] = &[
    ("aws_iam_role", "assume_role_policy", TRUST),
    ("aws_iam_role_policy", "policy", IDENTITY),
    ("aws_iam_policy", "policy", IDENTITY),
    ("aws_iam_user_policy", "policy", IDENTITY),
    ("aws_iam_group_policy", "policy", IDENTITY),
    ("aws_s3_bucket_policy", "policy", RESOURCE),
    ("aws_s3_bucket", "policy", RESOURCE),
    ("aws_sns_topic_policy", "policy", RESOURCE),
    ("aws_sqs_queue_policy", "policy", RESOURCE),
    ("aws_kms_key", "policy", RESOURCE),
    ("aws_ecr_repository_policy", "policy", RESOURCE),
    ("aws_secretsmanager_secret_policy", "policy", RESOURCE),
    ("aws_secretsmanager_secret", "policy", RESOURCE),
    ("aws_sns_topic", "policy", RESOURCE),
    ("aws_sqs_queue", "policy", RESOURCE),
    ("aws_backup_vault_policy", "policy", RESOURCE),
    ("aws_efs_file_system_policy", "policy", RESOURCE),
    ("aws_api_gateway_rest_api_policy", "policy", RESOURCE),
    ("aws_dynamodb_resource_policy", "policy", RESOURCE),
    ("aws_glacier_vault", "access_policy", RESOURCE),
    ("aws_elasticsearch_domain", "access_policies", RESOURCE),
    (
        "aws_elasticsearch_domain_policy",
        "access_policies",
        RESOURCE,
    ),
    ("aws_opensearch_domain", "access_policies", RESOURCE),
    ("aws_opensearch_domain_policy", "access_policies", RESOURCE),
    (
        "aws_cloudwatch_log_resource_policy",
        "policy_document",
        RESOURCE,
    ),
    (
        "aws_codeartifact_domain_permissions_policy",
        "policy_document",
        RESOURCE,
    ),
    (
        "aws_codeartifact_repository_permissions_policy",
        "policy_document",
        RESOURCE,
    ),
];

/// Data sources whose attribute is a generated policy.
const DATA: &[(&str, &str, PolicyKind)] = &[
    ("aws_iam_policy_document", "json", PolicyKind::InferAws),
    ("google_iam_policy", "policy_data", GCP),
];

/// One policy string found in a plan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PolicyString<'a> {
    pub kind: PolicyKind,
    /// The JSON string node.
    pub node: Node<'a>,
    /// The resource's address, the document's name.
    pub address: &'a str,
}

/// Whether `node` is a string holding a JSON object (`{` after whitespace).
fn object_string(node: Node<'_>) -> bool {
    // Read as far as the first character only: the whole string is the
    // escaped document, decoded once by the parser of embedded documents.
    node.str_chars()
        .and_then(|mut chars| chars.find(|c| !c.is_whitespace()))
        == Some('{')
}

/// The policy strings of one resource.
fn of_resource<'a>(r: &Resource<'a>, out: &mut Vec<PolicyString<'a>>) {
    let mut push = |kind, node: Option<Node<'a>>| {
        if let Some(node) = node.filter(|n| object_string(*n)) {
            out.push(PolicyString {
                kind,
                node,
                address: r.address,
            });
        }
    };
    match r.mode {
        Mode::Managed => {
            for (t, attr, kind) in MANAGED {
                if r.resource_type == *t {
                    push(*kind, r.values.get(attr));
                }
            }
            match r.resource_type {
                "aws_iam_role" => {
                    for p in r
                        .values
                        .get("inline_policy")
                        .and_then(Node::as_array)
                        .unwrap_or_default()
                    {
                        push(IDENTITY, p.get("policy"));
                    }
                }
                "aws_organizations_policy" => {
                    // Only service and resource control policies are IAM
                    // documents; tag, backup and AI opt-out policies are not.
                    let kind = match r.values.get_str("type") {
                        None | Some("SERVICE_CONTROL_POLICY") => Some(SCP),
                        Some("RESOURCE_CONTROL_POLICY") => Some(RESOURCE),
                        Some(_) => None,
                    };
                    if let Some(kind) = kind {
                        push(kind, r.values.get("content"));
                    }
                }
                t if t.starts_with("google_") && t.ends_with("_iam_policy") => {
                    push(GCP, r.values.get("policy_data"));
                }
                _ => {}
            }
        }
        Mode::Data => {
            for (t, attr, kind) in DATA {
                if r.resource_type == *t {
                    push(*kind, r.values.get(attr));
                }
            }
        }
    }
}

/// Every policy string of the plan or state, once per resource (see the
/// canonical source in the module docs). A data source's document that a
/// resource of the same file holds verbatim (`policy =
/// data.aws_iam_policy_document.x.json`) is yielded only at the resource, so
/// one policy is not linted twice.
pub(crate) fn policy_strings<'a>(view: &TerraformView<'a>) -> Vec<PolicyString<'a>> {
    let mut managed = Vec::new();
    let mut data = Vec::new();
    for r in view.resources() {
        match r.mode {
            Mode::Managed => of_resource(r, &mut managed),
            Mode::Data => of_resource(r, &mut data),
        }
    }
    if !data.is_empty() {
        let held: HashSet<&str> = managed.iter().filter_map(|p| p.node.as_str()).collect();
        data.retain(|p| p.node.as_str().is_some_and(|s| !held.contains(s)));
    }
    managed.extend(data);
    managed.sort_by_key(|p| p.node.span().start);
    managed
}
