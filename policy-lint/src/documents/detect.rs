//! Recognising documents by their content.

use super::kind::{DocKind, PolicyType};
use crate::hash::HashMap;
use crate::json::{Array, Node};
use crate::source::Span;

/// The kind of a top-level JSON value, or `None` when it is no known kind.
pub fn detect_kind(root: Node<'_>) -> Option<DocKind> {
    if let Some(items) = root.as_array() {
        return detect_array(items);
    }
    root.as_object()?;
    let has = |k: &str| root.get(k).is_some();
    if has("format_version") {
        if has("planned_values") || has("resource_changes") || has("configuration") {
            return Some(DocKind::TerraformPlan);
        }
        if has("values") {
            return Some(DocKind::TerraformState);
        }
    }
    if is_aws_policy(root) {
        return Some(DocKind::AwsPolicy(PolicyType::infer(root)));
    }
    if root
        .get("Role")
        .is_some_and(|r| r.get("AssumeRolePolicyDocument").is_some() || r.get("Arn").is_some())
    {
        return Some(DocKind::AwsGetRole);
    }
    if root.get("Roles").and_then(Node::as_array).is_some() {
        return Some(DocKind::AwsListRoles);
    }
    if has("PolicyDocument")
        && has("PolicyName")
        && (has("RoleName") || has("UserName") || has("GroupName"))
    {
        return Some(DocKind::AwsGetRolePolicy);
    }
    if root
        .get("PolicyVersion")
        .is_some_and(|v| v.get("Document").is_some())
    {
        return Some(DocKind::AwsGetPolicyVersion);
    }
    if [
        "RoleDetailList",
        "UserDetailList",
        "GroupDetailList",
        "Policies",
    ]
    .iter()
    .any(|k| root.get(k).and_then(Node::as_array).is_some())
    {
        return Some(DocKind::AwsAuthorizationDetails);
    }
    if root.get("FlowLogs").and_then(Node::as_array).is_some() {
        return Some(DocKind::AwsFlowLogs);
    }
    if super::cli_output::is_service_output(root) {
        return Some(DocKind::AwsServiceOutput);
    }
    if is_gce_instance(root) {
        return Some(DocKind::GceInstance);
    }
    if root.get_str("kind") == Some("compute#instanceTemplate")
        || root
            .get("properties")
            .is_some_and(|p| p.get("serviceAccounts").is_some() || p.get("machineType").is_some())
    {
        return Some(DocKind::GceInstanceTemplate);
    }
    if is_gcp_iam_policy(root) {
        return Some(DocKind::GcpIamPolicy);
    }
    if root.get("includedPermissions").is_some()
        && root.get_str("name").is_some_and(|n| n.contains("roles/"))
    {
        return Some(DocKind::GcpCustomRole);
    }
    None
}

fn detect_array(items: Array<'_>) -> Option<DocKind> {
    let first = items.first()?;
    if items.iter().all(is_gce_instance) {
        return Some(DocKind::GceInstanceList);
    }
    if items.iter().all(is_cai_asset)
        || (is_cai_asset(first) && items.iter().all(|i| i.as_object().is_some()))
    {
        return Some(DocKind::CaiExport);
    }
    None
}

/// A top-level `Statement`, or only the policy keys with an AWS `Version`.
fn is_aws_policy(node: Node<'_>) -> bool {
    let Some(members) = node.as_object() else {
        return false;
    };
    if node.get("Statement").is_some() {
        return true;
    }
    let aws_version = node
        .get_str("Version")
        .is_some_and(|v| v == "2012-10-17" || v == "2008-10-17");
    aws_version
        && members
            .iter()
            .all(|m| matches!(m.key, "Version" | "Id" | "Statement"))
}

fn is_gce_instance(node: Node<'_>) -> bool {
    node.get_str("kind") == Some("compute#instance")
        || (node.get("machineType").is_some()
            && (node.get("serviceAccounts").is_some()
                || node.get("networkInterfaces").is_some()
                || node.get("serviceAccount").is_some()))
}

fn is_gcp_iam_policy(node: Node<'_>) -> bool {
    let Some(members) = node.as_object() else {
        return false;
    };
    // `bindings` of any type: a policy whose `bindings` is not a list is
    // still a policy, with a shape error for the rules to show.
    if node.get("bindings").is_some() {
        return members.iter().all(|m| {
            matches!(
                m.key,
                "bindings" | "etag" | "version" | "auditConfigs" | "kind" | "resourceId"
            )
        });
    }
    node.get("etag").is_some()
        && !members.is_empty()
        && members
            .iter()
            .all(|m| matches!(m.key, "etag" | "version" | "auditConfigs"))
}

fn is_cai_asset(node: Node<'_>) -> bool {
    (node.get("asset_type").is_some() || node.get("assetType").is_some())
        && (node.get("iam_policy").is_some()
            || node.get("iamPolicy").is_some()
            || node.get("resource").is_some())
}

/// A document found inside another: its kind, its node (an object, or a
/// string holding an encoded document) and a short name.
#[derive(Debug)]
pub(super) struct Found<'n> {
    pub kind: DocKind,
    pub node: Node<'n>,
    pub name: Option<String>,
    /// Re-infer the AWS policy type from the parsed content (a string's
    /// type is known only once it is decoded).
    pub infer: bool,
}

fn found<'n>(kind: DocKind, node: Option<Node<'n>>, name: Option<&str>) -> Option<Found<'n>> {
    let node = node?;
    (node.is_object() || node.is_string()).then(|| Found {
        kind,
        node,
        name: name.map(str::to_string),
        infer: false,
    })
}

const TRUST: DocKind = DocKind::AwsPolicy(PolicyType::Trust);
const IDENTITY: DocKind = DocKind::AwsPolicy(PolicyType::Identity);

/// The documents directly inside a document of kind `kind`. For a Terraform
/// plan, the spans that only repeat a canonical entry go to `shadowed`, and
/// `terraform_addresses` gives the full addresses of module-relative ones.
pub(super) fn nested<'n>(
    kind: DocKind,
    node: Node<'n>,
    terraform_addresses: &'n HashMap<u32, String>,
    shadowed: &mut Vec<Span>,
) -> Vec<Found<'n>> {
    let mut out = Vec::new();
    let each = |key: &str| node.get(key).and_then(Node::as_array).unwrap_or_default();
    match kind {
        DocKind::AwsGetRole => {
            if let Some(role) = node.get("Role") {
                out.extend(role_documents(role));
            }
        }
        DocKind::AwsListRoles => each("Roles")
            .iter()
            .for_each(|r| out.extend(role_documents(r))),
        DocKind::AwsGetRolePolicy => {
            let name = node.get_str("PolicyName");
            out.extend(found(IDENTITY, node.get("PolicyDocument"), name));
        }
        DocKind::AwsGetPolicyVersion => {
            out.extend(found(
                IDENTITY,
                node.get("PolicyVersion").and_then(|v| v.get("Document")),
                None,
            ));
        }
        DocKind::AwsAuthorizationDetails => {
            for role in each("RoleDetailList") {
                out.extend(role_documents(role));
            }
            for (list, inner) in [
                ("UserDetailList", "UserPolicyList"),
                ("GroupDetailList", "GroupPolicyList"),
            ] {
                for principal in each(list) {
                    for p in principal
                        .get(inner)
                        .and_then(Node::as_array)
                        .unwrap_or_default()
                    {
                        out.extend(found(
                            IDENTITY,
                            p.get("PolicyDocument"),
                            p.get_str("PolicyName"),
                        ));
                    }
                }
            }
            for policy in each("Policies") {
                let versions = policy
                    .get("PolicyVersionList")
                    .and_then(Node::as_array)
                    .unwrap_or_default();
                // Only the default version is in force.
                for v in versions
                    .iter()
                    .filter(|v| v.get("IsDefaultVersion").and_then(Node::as_bool) != Some(false))
                {
                    out.extend(found(
                        IDENTITY,
                        v.get("Document"),
                        policy.get_str("PolicyName"),
                    ));
                }
            }
        }
        DocKind::GceInstanceList => {
            for i in node.as_array().unwrap_or_default() {
                out.extend(found(DocKind::GceInstance, Some(i), i.get_str("name")));
            }
        }
        DocKind::CaiExport => {
            for asset in node.as_array().unwrap_or_default() {
                let name = asset.get_str("name");
                let policy = asset.get("iam_policy").or_else(|| asset.get("iamPolicy"));
                out.extend(found(DocKind::GcpIamPolicy, policy, name));
                let asset_type = asset
                    .get_str("asset_type")
                    .or_else(|| asset.get_str("assetType"));
                let data = asset.get("resource").and_then(|r| r.get("data"));
                match asset_type {
                    Some("compute.googleapis.com/Instance") => {
                        out.extend(found(DocKind::GceInstance, data, name));
                    }
                    Some("compute.googleapis.com/InstanceTemplate") => {
                        out.extend(found(DocKind::GceInstanceTemplate, data, name));
                    }
                    Some("iam.googleapis.com/Role") => {
                        out.extend(found(DocKind::GcpCustomRole, data, name));
                    }
                    _ => {}
                }
            }
        }
        DocKind::TerraformPlan | DocKind::TerraformState => {
            if let Some(view) = super::terraform::TerraformView::with_full_addresses(
                node,
                Some(terraform_addresses),
            ) {
                shadowed.extend_from_slice(view.shadowed());
                for p in super::terraform::policies::policy_strings(&view) {
                    let (kind, infer) = match p.kind {
                        super::terraform::policies::PolicyKind::Fixed(k) => (k, false),
                        super::terraform::policies::PolicyKind::InferAws => (IDENTITY, true),
                    };
                    out.push(Found {
                        kind,
                        node: p.node,
                        name: Some(p.address.to_string()),
                        infer,
                    });
                }
            }
        }
        _ => {}
    }
    out
}

/// A role's trust policy and inline policies (as in `get-role`, `list-roles`
/// and authorization details).
fn role_documents(role: Node<'_>) -> Vec<Found<'_>> {
    let name = role.get_str("RoleName");
    let mut out: Vec<Found<'_>> = found(TRUST, role.get("AssumeRolePolicyDocument"), name)
        .into_iter()
        .collect();
    for p in role
        .get("RolePolicyList")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        out.extend(found(
            IDENTITY,
            p.get("PolicyDocument"),
            p.get_str("PolicyName"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn kind(text: &str) -> Option<DocKind> {
        detect_kind(parse(text).expect("valid").root())
    }

    #[test]
    fn detects_each_kind_from_content() {
        assert_eq!(kind(r#"{"Statement": []}"#), Some(IDENTITY));
        assert_eq!(
            kind(
                r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#
            ),
            Some(TRUST)
        );
        assert_eq!(
            kind(
                r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#
            ),
            Some(DocKind::AwsPolicy(PolicyType::Resource))
        );
        assert_eq!(kind(r#"{"Version": "2012-10-17"}"#), Some(IDENTITY));
        assert_eq!(
            kind(r#"{"Role": {"AssumeRolePolicyDocument": {}}}"#),
            Some(DocKind::AwsGetRole)
        );
        assert_eq!(kind(r#"{"Roles": []}"#), Some(DocKind::AwsListRoles));
        assert_eq!(
            kind(r#"{"RoleName": "r", "PolicyName": "p", "PolicyDocument": {}}"#),
            Some(DocKind::AwsGetRolePolicy)
        );
        assert_eq!(
            kind(r#"{"PolicyVersion": {"Document": {}}}"#),
            Some(DocKind::AwsGetPolicyVersion)
        );
        assert_eq!(
            kind(r#"{"RoleDetailList": [], "Policies": []}"#),
            Some(DocKind::AwsAuthorizationDetails)
        );
        assert_eq!(kind(r#"{"FlowLogs": []}"#), Some(DocKind::AwsFlowLogs));
        assert_eq!(
            kind(r#"{"kind": "compute#instance"}"#),
            Some(DocKind::GceInstance)
        );
        assert_eq!(
            kind(r#"{"machineType": "m", "serviceAccounts": []}"#),
            Some(DocKind::GceInstance)
        );
        assert_eq!(
            kind(r#"[{"machineType": "m", "serviceAccounts": []}]"#),
            Some(DocKind::GceInstanceList)
        );
        assert_eq!(
            kind(r#"{"properties": {"serviceAccounts": []}}"#),
            Some(DocKind::GceInstanceTemplate)
        );
        assert_eq!(
            kind(r#"{"bindings": [], "etag": "x", "version": 1}"#),
            Some(DocKind::GcpIamPolicy)
        );
        assert_eq!(
            kind(r#"{"etag": "ACAB", "version": 1}"#),
            Some(DocKind::GcpIamPolicy)
        );
        assert_eq!(
            kind(r#"[{"asset_type": "t", "iam_policy": {}}]"#),
            Some(DocKind::CaiExport)
        );
        assert_eq!(
            kind(r#"{"format_version": "1.2", "planned_values": {}}"#),
            Some(DocKind::TerraformPlan)
        );
        assert_eq!(
            kind(r#"{"format_version": "1.0", "values": {}}"#),
            Some(DocKind::TerraformState)
        );
        assert_eq!(
            kind(r#"{"includedPermissions": [], "name": "projects/p/roles/r"}"#),
            Some(DocKind::GcpCustomRole)
        );
        let cai = parse(
            r#"[{"name": "//iam.googleapis.com/projects/p/roles/r", "asset_type": "iam.googleapis.com/Role",
                 "resource": {"data": {"name": "projects/p/roles/r", "includedPermissions": []}}},
                {"name": "//compute.googleapis.com/projects/p/global/instanceTemplates/t",
                 "asset_type": "compute.googleapis.com/InstanceTemplate",
                 "resource": {"data": {"properties": {"serviceAccounts": []}}}}]"#,
        )
        .expect("valid");
        let kinds: Vec<_> = nested(
            DocKind::CaiExport,
            cai.root(),
            &HashMap::default(),
            &mut Vec::new(),
        )
        .iter()
        .map(|f| f.kind)
        .collect();
        assert_eq!(
            kinds,
            vec![DocKind::GcpCustomRole, DocKind::GceInstanceTemplate]
        );
        assert_eq!(kind("{}"), None);
        assert_eq!(kind("[]"), None);
        assert_eq!(kind(r#"{"name": "package.json"}"#), None);
    }
}
