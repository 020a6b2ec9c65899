//! Facts from AWS CLI output and raw policy files.
//!
//! | input | facts |
//! |---|---|
//! | `aws iam get-role`, `list-roles` | [`Role`]s with trust policy and boundary |
//! | `aws iam get-role-policy` | a [`RolePolicy`] (linked by `RoleName`) |
//! | `aws iam get-policy-version` | a [`ManagedPolicy`] named after the file (the output has no ARN) |
//! | `aws iam get-account-authorization-details` | complete [`Role`]s (inline, attached, boundary) and [`ManagedPolicy`]s (default version) |
//! | `aws ec2 describe-flow-logs` | [`FlowLog`]s |
//! | a raw policy document | a [`RawDocument`], or an [`Scp`] when passed with `--scp` |
//!
//! Policy documents may be objects or (URL-encoded) JSON strings; the
//! documents layer has already decoded strings into embedded trees.

use super::{
    Attachment, DestinationType, Facts, FlowLog, ManagedPolicy, PolicyDoc, RawDocument, Role,
    RolePolicy, Scp,
};
use crate::diagnostic::Location;
use crate::documents::{DocKind, ParsedFile};
use crate::json::Node;

/// Adds the facts of `file` to `facts`. `scp`: the file was passed with `--scp`.
pub fn extract<'a>(file: &'a ParsedFile, scp: bool, facts: &mut Facts<'a>) {
    let Some(doc) = file.documents().next() else {
        return;
    };
    let root = doc.node;
    let cx = Cx { file };
    match doc.kind {
        DocKind::AwsGetRole => {
            if let Some(r) = root.get("Role") {
                facts.roles.extend(cx.role(r, false));
            }
        }
        DocKind::AwsListRoles => {
            for r in root.get("Roles").map(Node::one_or_many).unwrap_or_default() {
                facts.roles.extend(cx.role(r, false));
            }
        }
        DocKind::AwsGetRolePolicy => {
            let (Some(role_name), Some(document)) = (
                root.get_str("RoleName"),
                cx.doc(root.get("PolicyDocument"), root.get_str("PolicyName")),
            ) else {
                return;
            };
            facts.role_policies.push(RolePolicy {
                role_name: role_name.to_string(),
                document,
            });
        }
        DocKind::AwsGetPolicyVersion => {
            let version = root.get("PolicyVersion");
            if version
                .and_then(|v| v.get("IsDefaultVersion"))
                .and_then(Node::as_bool)
                == Some(false)
            {
                return;
            }
            let stem = file_stem(file.source.name());
            if let Some(document) = cx.doc(version.and_then(|v| v.get("Document")), Some(&stem)) {
                facts.managed.push(ManagedPolicy {
                    arn: None,
                    name: stem,
                    document,
                    scope: None,
                });
            }
        }
        DocKind::AwsAuthorizationDetails => {
            for r in root
                .get("RoleDetailList")
                .map(Node::one_or_many)
                .unwrap_or_default()
            {
                facts.roles.extend(cx.role(r, true));
            }
            for p in root
                .get("Policies")
                .map(Node::one_or_many)
                .unwrap_or_default()
            {
                let name = p.get_str("PolicyName").unwrap_or_default();
                let versions = p
                    .get("PolicyVersionList")
                    .map(Node::one_or_many)
                    .unwrap_or_default();
                let default = versions
                    .iter()
                    .find(|v| v.get("IsDefaultVersion").and_then(Node::as_bool) == Some(true))
                    .or_else(|| (versions.len() == 1).then(|| versions.first()).flatten());
                if let Some(document) = cx.doc(default.and_then(|v| v.get("Document")), Some(name))
                {
                    facts.managed.push(ManagedPolicy {
                        arn: p.get_str("Arn").map(str::to_string),
                        name: name.to_string(),
                        document,
                        scope: None,
                    });
                }
            }
        }
        DocKind::AwsFlowLogs => {
            for fl in root
                .get("FlowLogs")
                .map(Node::one_or_many)
                .unwrap_or_default()
            {
                facts.flow_logs.extend(cx.flow_log(fl));
            }
        }
        DocKind::AwsPolicy(t) => {
            let stem = file_stem(file.source.name());
            let document = PolicyDoc {
                node: root,
                file: Some(file.id),
                name: file.source.name().to_string(),
            };
            if scp || t == crate::documents::PolicyType::ServiceControl {
                facts.scps.push(Scp { document });
            } else {
                facts.raw.push(RawDocument {
                    stem,
                    trust: t == crate::documents::PolicyType::Trust,
                    document,
                });
            }
        }
        _ => {}
    }
}

/// The file name without directories, and up to its first dot.
fn file_stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.split('.').next().unwrap_or(base).to_string()
}

struct Cx<'a> {
    file: &'a ParsedFile,
}

impl<'a> Cx<'a> {
    fn at(&self, node: Node<'_>) -> Location {
        Location::new(self.file.id, node.span())
    }

    /// A policy document written as an object or as a (URL-encoded) string.
    fn doc(&self, node: Option<Node<'a>>, name: Option<&str>) -> Option<PolicyDoc<'a>> {
        let node = node?;
        let node = if node.is_string() {
            self.file.embedded_at(node.span())?.root()
        } else {
            node
        };
        node.as_object()?;
        Some(PolicyDoc {
            node,
            file: Some(self.file.id),
            name: name.unwrap_or_default().to_string(),
        })
    }

    fn attachment(&self, node: Option<Node<'_>>) -> Option<Attachment> {
        let node = node?;
        Some(Attachment {
            arn: node.as_str()?.to_string(),
            location: Some(self.at(node)),
        })
    }

    /// A role object of `get-role`, `list-roles` or authorization details.
    fn role(&self, r: Node<'a>, complete: bool) -> Option<Role<'a>> {
        r.as_object()?;
        let name = r.get_str("RoleName").unwrap_or_default().to_string();
        let arn = r.get_str("Arn").map(str::to_string);
        if name.is_empty() && arn.is_none() {
            return None;
        }
        let name = if name.is_empty() {
            arn.as_deref()
                .map(super::arn_name)
                .unwrap_or_default()
                .to_string()
        } else {
            name
        };
        let trust = self.doc(
            r.get("AssumeRolePolicyDocument"),
            Some(&format!("trust policy of role `{name}`")),
        );
        let inline = r
            .get("RolePolicyList")
            .map(Node::one_or_many)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| self.doc(p.get("PolicyDocument"), p.get_str("PolicyName")))
            .collect();
        let attached = r
            .get("AttachedManagedPolicies")
            .map(Node::one_or_many)
            .unwrap_or_default()
            .iter()
            .filter_map(|a| self.attachment(a.get("PolicyArn")))
            .collect();
        let boundary = self.attachment(
            r.get("PermissionsBoundary")
                .and_then(|b| b.get("PermissionsBoundaryArn")),
        );
        Some(Role {
            name,
            arn,
            path: r.get_str("Path").unwrap_or("/").to_string(),
            location: Some(self.at(r)),
            trust,
            inline,
            attached,
            boundary,
            complete,
            key: None,
            scope: None,
            trust_unknown: None,
        })
    }

    fn flow_log(&self, fl: Node<'a>) -> Option<FlowLog> {
        fl.as_object()?;
        let role = fl.get("DeliverLogsPermissionArn");
        Some(FlowLog {
            id: fl
                .get_str("FlowLogId")
                .unwrap_or("(no FlowLogId)")
                .to_string(),
            location: Some(self.at(fl)),
            role_arn: role.and_then(Node::as_str).map(str::to_string),
            role_location: role.map(|n| self.at(n)),
            destination_type: fl
                .get_str("LogDestinationType")
                .map_or(DestinationType::CloudWatchLogs, DestinationType::parse),
            destination: fl.get_str("LogDestination").map(str::to_string),
            log_group: fl.get_str("LogGroupName").map(str::to_string),
            scope: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn facts_of(name: &str, text: &str) -> (ParsedFile, usize) {
        let f = ParsedFile::parse(FileId(0), name, text.as_bytes(), true, None);
        let n = f.document_count();
        (f, n)
    }

    #[test]
    fn url_encoded_documents_in_get_role_and_authorization_details_are_decoded() {
        let (file, _) = facts_of(
            "role.json",
            r#"{"Role": {"RoleName": "r", "Arn": "arn:aws:iam::1:role/r",
                "AssumeRolePolicyDocument": "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22vpc-flow-logs.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"}}"#,
        );
        let mut facts = Facts::default();
        extract(&file, false, &mut facts);
        let trust = facts.roles[0].trust.as_ref().expect("trust decoded");
        let s = trust.policy().statements().next().expect("statement");
        let (node, service) = s
            .principal()
            .expect("principal")
            .services()
            .next()
            .expect("svc");
        assert_eq!(service, "vpc-flow-logs.amazonaws.com");
        assert_eq!(
            file.source.slice(node.span()),
            "%22vpc-flow-logs.amazonaws.com%22"
        );

        let (file, _) = facts_of(
            "auth.json",
            r#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::1:role/p/r",
                 "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22logs%3A*%22%2C%22Resource%22%3A%22*%22%7D%7D"}],
                 "AttachedManagedPolicies": [{"PolicyName": "m", "PolicyArn": "arn:aws:iam::1:policy/m"}],
                 "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::1:policy/b"}}],
               "Policies": [{"PolicyName": "m", "Arn": "arn:aws:iam::1:policy/m", "PolicyVersionList": [
                 {"Document": "%7B%22Statement%22%3A%5B%5D%7D", "IsDefaultVersion": false},
                 {"Document": {"Statement": []}, "IsDefaultVersion": true}]}]}"#,
        );
        let mut facts = Facts::default();
        extract(&file, false, &mut facts);
        let role = &facts.roles[0];
        assert!(role.complete);
        assert_eq!(role.inline.len(), 1);
        let s = role.inline[0]
            .policy()
            .statements()
            .next()
            .expect("statement");
        let (node, action) = s.action().expect("action").strings().next().expect("a");
        assert_eq!(action, "logs:*");
        assert_eq!(file.source.slice(node.span()), "%22logs%3A*%22");
        assert_eq!(role.attached[0].arn, "arn:aws:iam::1:policy/m");
        assert_eq!(
            role.boundary.as_ref().expect("b").arn,
            "arn:aws:iam::1:policy/b"
        );
        assert_eq!(facts.managed.len(), 1);
        assert!(facts.managed[0].document.node.as_object().is_some());
    }

    #[test]
    fn flow_logs_and_stems() {
        let (file, _) = facts_of(
            "dir/flow.json",
            r#"{"FlowLogs": [{"FlowLogId": "fl-1", "DeliverLogsPermissionArn": "arn:aws:iam::1:role/service/path/r",
               "LogGroupName": "g"}, {"FlowLogId": "fl-2", "LogDestinationType": "s3"}]}"#,
        );
        let mut facts = Facts::default();
        extract(&file, false, &mut facts);
        assert_eq!(facts.flow_logs.len(), 2);
        assert_eq!(
            facts.flow_logs[0].destination_type,
            DestinationType::CloudWatchLogs
        );
        assert_eq!(facts.flow_logs[1].destination_type, DestinationType::S3);
        assert_eq!(file_stem("a/b/role-x.trust.json"), "role-x");
    }
}
