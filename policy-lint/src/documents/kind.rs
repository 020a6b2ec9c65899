//! The kinds of document policy-lint reads.

use crate::json::Node;

/// The three kinds of AWS policy document, which take different elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// Attached to a user, group or role: Resource, no Principal.
    Identity,
    /// A role's trust policy: Principal and an `sts:` assume action, no Resource.
    Trust,
    /// Attached to a resource (bucket, key, topic): Principal and Resource.
    Resource,
    /// An AWS Organizations service control policy: like an identity
    /// policy, no Principal. Never inferred: only `--scp` files and
    /// Terraform's `SERVICE_CONTROL_POLICY` documents are SCPs.
    ServiceControl,
}

impl PolicyType {
    /// Lowercase name for messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Trust => "trust",
            Self::Resource => "resource",
            Self::ServiceControl => "service control",
        }
    }

    /// Whether the policy names no principal: it applies to the identity
    /// or account it is attached to.
    pub const fn takes_no_principal(self) -> bool {
        matches!(self, Self::Identity | Self::ServiceControl)
    }

    /// Infers the type from a policy document's statements (spec section 2):
    /// no Principal means identity; Principal plus an `sts:AssumeRole*`,
    /// `sts:TagSession` or `sts:SetSourceIdentity` action means trust when
    /// every action is one of those (a standalone trust policy that also has
    /// a `Resource` is still a trust policy, and AWS109 reports the
    /// Resource); otherwise resource.
    pub fn infer(policy: Node<'_>) -> Self {
        let statements = policy
            .get("Statement")
            .map(Node::one_or_many)
            .unwrap_or_default();
        let has = |key: &str| statements.iter().any(|s| s.get(key).is_some());
        if !has("Principal") && !has("NotPrincipal") {
            return Self::Identity;
        }
        let actions = || {
            statements.iter().flat_map(|s| {
                s.get("Action")
                    .map(Node::one_or_many)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Node::as_str)
            })
        };
        let sts_action = actions().any(is_trust_action);
        // A resource policy never grants `sts:AssumeRole` (only a role's
        // trust policy does), but one that grants other actions too is not
        // a trust policy with a stray Resource.
        let only_sts = actions().all(is_trust_action);
        let resource = has("Resource") || has("NotResource");
        if sts_action && (!resource || only_sts) {
            Self::Trust
        } else {
            Self::Resource
        }
    }
}

/// `sts:AssumeRole*`, `sts:TagSession`, `sts:SetSourceIdentity` (any case).
pub fn is_trust_action(action: &str) -> bool {
    let a = action.to_ascii_lowercase();
    a.starts_with("sts:assumerole")
        || a == "sts:tagsession"
        || a == "sts:setsourceidentity"
        || a == "sts:*"
}

macro_rules! doc_kinds {
    (@ignore $arg:ident) => { _ };
    ($($variant:ident $(($arg:ident))? => $flag:literal, $desc:literal;)+) => {
        /// Every kind of document policy-lint recognises.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum DocKind {
            $(
                #[doc = $desc]
                $variant $(($arg))?,
            )+
        }

        impl DocKind {
            /// What the kind is, for `--help` and messages.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Self::$variant $((doc_kinds!(@ignore $arg)))? => $desc,)+
                }
            }
        }
    };
}

doc_kinds! {
    AwsPolicy(PolicyType) => "aws-policy", "AWS IAM policy document (type inferred: identity, trust or resource)";
    AwsGetRole => "aws-get-role", "`aws iam get-role` output";
    AwsListRoles => "aws-list-roles", "`aws iam list-roles` output";
    AwsGetRolePolicy => "aws-get-role-policy", "`aws iam get-role-policy` (or user/group policy) output";
    AwsGetPolicyVersion => "aws-get-policy-version", "`aws iam get-policy-version` output";
    AwsAuthorizationDetails => "aws-authorization-details", "`aws iam get-account-authorization-details` output";
    AwsFlowLogs => "aws-flow-logs", "`aws ec2 describe-flow-logs` output";
    AwsServiceOutput => "aws-service-output", "AWS CLI output naming the role a service uses, as the service catalogue's `usage.cli_outputs` say (`aws cloudtrail describe-trails`, `aws rds describe-db-instances`, `aws eks describe-nodegroup`, `aws lambda get-function-configuration`, ...)";
    GceInstance => "gce-instance", "GCE instance (`gcloud compute instances describe --format=json`)";
    GceInstanceList => "gce-instance-list", "list of GCE instances (`gcloud compute instances list --format=json`)";
    GceInstanceTemplate => "gce-instance-template", "GCE instance template (`gcloud compute instance-templates describe`)";
    GcpIamPolicy => "gcp-iam-policy", "GCP IAM policy (`gcloud projects get-iam-policy --format=json`)";
    GcpCustomRole => "gcp-custom-role", "GCP custom role (`gcloud iam roles describe --format=json`)";
    CaiExport => "cai-export", "Cloud Asset Inventory export (array of assets)";
    TerraformPlan => "terraform-plan", "Terraform plan (`terraform show -json tfplan`)";
    TerraformState => "terraform-state", "Terraform state (`terraform show -json`)";
}

/// What `--kind` asks for: an exact kind, or an AWS policy whose type is
/// still inferred from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFlag {
    /// Exactly this kind.
    Exact(DocKind),
    /// An AWS policy document, type inferred.
    AwsPolicy,
}

impl KindFlag {
    /// Parses a `--kind` name. The AWS policy types can be forced with
    /// `aws-identity-policy`, `aws-trust-policy` and `aws-resource-policy`.
    pub fn parse(s: &str) -> Option<Self> {
        if s == "aws-policy" {
            return Some(Self::AwsPolicy);
        }
        DocKind::ALL_KINDS
            .iter()
            .copied()
            .find(|k| k.flag() == s)
            .map(Self::Exact)
    }

    /// Every name `--kind` accepts.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::described().map(|(name, _)| name)
    }

    /// Every name `--kind` accepts, with what it reads (`--kind help`).
    pub fn described() -> impl Iterator<Item = (&'static str, &'static str)> {
        std::iter::once((
            "aws-policy",
            DocKind::AwsPolicy(PolicyType::Identity).description(),
        ))
        .chain(
            DocKind::ALL_KINDS
                .iter()
                .map(|k| (k.flag(), k.kind_description())),
        )
    }

    /// The kind for a document whose root is `root`.
    pub fn resolve(self, root: Node<'_>) -> DocKind {
        match self {
            Self::Exact(k) => k,
            Self::AwsPolicy => DocKind::AwsPolicy(PolicyType::infer(root)),
        }
    }
}

impl DocKind {
    /// Every kind, each AWS policy type once.
    pub const ALL_KINDS: &'static [DocKind] = &[
        Self::AwsPolicy(PolicyType::Identity),
        Self::AwsPolicy(PolicyType::Trust),
        Self::AwsPolicy(PolicyType::Resource),
        Self::AwsPolicy(PolicyType::ServiceControl),
        Self::AwsGetRole,
        Self::AwsListRoles,
        Self::AwsGetRolePolicy,
        Self::AwsGetPolicyVersion,
        Self::AwsAuthorizationDetails,
        Self::AwsFlowLogs,
        Self::AwsServiceOutput,
        Self::GceInstance,
        Self::GceInstanceList,
        Self::GceInstanceTemplate,
        Self::GcpIamPolicy,
        Self::GcpCustomRole,
        Self::CaiExport,
        Self::TerraformPlan,
        Self::TerraformState,
    ];

    /// The name `--kind` uses for this kind.
    pub const fn flag(self) -> &'static str {
        match self {
            Self::AwsPolicy(PolicyType::Identity) => "aws-identity-policy",
            Self::AwsPolicy(PolicyType::Trust) => "aws-trust-policy",
            Self::AwsPolicy(PolicyType::Resource) => "aws-resource-policy",
            Self::AwsPolicy(PolicyType::ServiceControl) => "aws-service-control-policy",
            Self::AwsGetRole => "aws-get-role",
            Self::AwsListRoles => "aws-list-roles",
            Self::AwsGetRolePolicy => "aws-get-role-policy",
            Self::AwsGetPolicyVersion => "aws-get-policy-version",
            Self::AwsAuthorizationDetails => "aws-authorization-details",
            Self::AwsFlowLogs => "aws-flow-logs",
            Self::AwsServiceOutput => "aws-service-output",
            Self::GceInstance => "gce-instance",
            Self::GceInstanceList => "gce-instance-list",
            Self::GceInstanceTemplate => "gce-instance-template",
            Self::GcpIamPolicy => "gcp-iam-policy",
            Self::GcpCustomRole => "gcp-custom-role",
            Self::CaiExport => "cai-export",
            Self::TerraformPlan => "terraform-plan",
            Self::TerraformState => "terraform-state",
        }
    }

    /// What `--kind NAME` reads, the AWS policy types told apart.
    pub const fn kind_description(self) -> &'static str {
        match self {
            Self::AwsPolicy(PolicyType::Identity) => {
                "AWS identity policy (attached to a user, group or role; also a permissions boundary)"
            }
            Self::AwsPolicy(PolicyType::Trust) => "AWS role trust policy",
            Self::AwsPolicy(PolicyType::Resource) => {
                "AWS resource policy (bucket, key, topic, queue, ...)"
            }
            Self::AwsPolicy(PolicyType::ServiceControl) => {
                "AWS Organizations service control policy (as `--scp FILE` reads a file)"
            }
            k => k.description(),
        }
    }

    /// Whether the document is an IAM document, where a duplicate key changes
    /// meaning and is an error (JSON002).
    pub const fn is_iam_document(self) -> bool {
        matches!(self, Self::AwsPolicy(_) | Self::GcpIamPolicy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(text: &str) -> PolicyType {
        let tree = crate::json::parse(text).expect("json");
        PolicyType::infer(tree.root())
    }

    #[test]
    fn a_trust_policy_with_a_resource_is_still_a_trust_policy() {
        assert_eq!(
            infer(
                r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"},
                    "Action": ["sts:AssumeRole", "sts:TagSession"], "Resource": "*"}]}"#
            ),
            PolicyType::Trust
        );
        // Other actions beside the assume action: a resource policy.
        assert_eq!(
            infer(
                r#"{"Statement": [{"Effect": "Allow", "Principal": "*",
                    "Action": ["sts:AssumeRole", "s3:GetObject"], "Resource": "*"}]}"#
            ),
            PolicyType::Resource
        );
        assert_eq!(
            infer(
                r#"{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}"#
            ),
            PolicyType::Identity
        );
    }

    #[test]
    fn every_kind_name_parses_and_is_described() {
        for (name, what) in KindFlag::described() {
            assert!(KindFlag::parse(name).is_some(), "{name}");
            assert!(!what.is_empty(), "{name}");
        }
        assert_eq!(
            KindFlag::parse("aws-service-control-policy"),
            Some(KindFlag::Exact(DocKind::AwsPolicy(
                PolicyType::ServiceControl
            )))
        );
    }
}
