//! The IAM documents a plan or state holds as JSON strings, each linted as a
//! document of its own (spans in the plan's escaped bytes).

use crate::hash::HashMap;

use super::{Address, Mode, Resource, TerraformView};
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

/// Managed attributes where a policy is optional: an empty string there
/// means "no policy" (`aws_s3_bucket.policy` of a bucket without one).
const OPTIONAL: &[(&str, &str)] = &[
    ("aws_s3_bucket", "policy"),
    ("aws_sns_topic", "policy"),
    ("aws_sqs_queue", "policy"),
    ("aws_kms_key", "policy"),
    ("aws_secretsmanager_secret", "policy"),
    ("aws_glacier_vault", "access_policy"),
    ("aws_elasticsearch_domain", "access_policies"),
    ("aws_opensearch_domain", "access_policies"),
];

/// Whether the string `node` at a policy attribute is linted as a
/// document: one holding a JSON object (`{` after whitespace), and any
/// other non-blank string (`"not json"`, JSON encoded twice), so that its
/// parse reports what is wrong. A blank string is one too where the policy
/// is required: it cannot be checked, which is worth saying.
fn policy_candidate(node: Node<'_>, optional: bool) -> bool {
    // Read as far as the first character only: the whole string is the
    // escaped document, decoded once by the parser of embedded documents.
    match node.str_chars() {
        Some(mut chars) => match chars.find(|c| !c.is_whitespace()) {
            Some(_) => true,
            None => !optional,
        },
        None => false,
    }
}

/// The policy strings of one resource.
fn of_resource<'a>(r: &Resource<'a>, out: &mut Vec<PolicyString<'a>>) {
    let mut push = |kind, node: Option<Node<'a>>, optional: bool| {
        if let Some(node) = node.filter(|n| policy_candidate(*n, optional)) {
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
                    let optional = OPTIONAL.contains(&(*t, *attr));
                    push(*kind, r.values.get(attr), optional);
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
                        // An empty `inline_policy {}` block is how a role
                        // says it has no inline policies.
                        push(IDENTITY, p.get("policy"), true);
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
                        push(kind, r.values.get("content"), false);
                    }
                }
                t if t.starts_with("google_") && t.ends_with("_iam_policy") => {
                    push(GCP, r.values.get("policy_data"), false);
                }
                _ => {}
            }
        }
        Mode::Data => {
            // A data source's document is generated, never written: an
            // empty one was redacted or not read, not a mistake to report.
            for (t, attr, kind) in DATA {
                if r.resource_type == *t {
                    push(*kind, r.values.get(attr), true);
                }
            }
        }
    }
}

/// Every policy string of the plan or state, once per resource (see the
/// canonical source in the module docs). A data source's document that a
/// resource of the same module instance holds (`policy =
/// data.aws_iam_policy_document.x.json`), verbatim or with other formatting
/// (a state keeps the role's policy as AWS returns it, compact, and the
/// data source's pretty-printed), is yielded only at the resource, so one
/// policy is not linted twice. Documents of different module instances are
/// never merged: they are different resources, whatever they say.
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
        let mut by_module: HashMap<String, Vec<&PolicyString<'a>>> = HashMap::default();
        for p in &managed {
            by_module
                .entry(module_instance(p.address))
                .or_default()
                .push(p);
        }
        data.retain(|d| {
            let held = by_module
                .get(&module_instance(d.address))
                .map(Vec::as_slice)
                .unwrap_or_default();
            !held.iter().any(|m| same_document(m.node, d.node))
        });
    }
    managed.extend(data);
    managed.sort_by_key(|p| p.node.span().start);
    managed
}

/// The module instance path of a resource address (`module.a["x"]` of
/// `module.a["x"].aws_iam_role.r[0]`), empty in the root module.
fn module_instance(address: &str) -> String {
    Address::parse(address)
        .map(|a| {
            a.modules
                .iter()
                .map(|(name, key)| format!("module.{name}{}", key.unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(".")
        })
        .unwrap_or_default()
}

/// Whether two policy strings hold the same JSON document, whatever their
/// formatting.
fn same_document(a: Node<'_>, b: Node<'_>) -> bool {
    let (Some(a), Some(b)) = (a.as_str(), b.as_str()) else {
        return false;
    };
    if a == b {
        return true;
    }
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
    matches!((parse(a), parse(b)), (Some(x), Some(y)) if x == y)
}
