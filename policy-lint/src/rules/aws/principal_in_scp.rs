use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports `Principal` or `NotPrincipal` in a service control policy:
    /// a file given with `--scp FILE` (read as an SCP whatever its
    /// content), or the `content` of a Terraform `aws_organizations_policy`
    /// of type `SERVICE_CONTROL_POLICY`.
    ///
    /// ## Why is this bad?
    /// AWS Organizations rejects the policy: an SCP applies to every IAM
    /// user and role of the accounts it is attached to and names no
    /// principal. To exempt a role, test `aws:PrincipalArn` in a condition.
    /// (Resource control policies, which do take `Principal`, are read as
    /// resource policies.)
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
    ///   "Principal": {"AWS": "arn:aws:iam::111122223333:role/admin"},
    ///   "Action": "organizations:LeaveOrganization", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
    ///   "Action": "organizations:LeaveOrganization", "Resource": "*",
    ///   "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `SCP_SYNTAX_ERROR_PRINCIPAL` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [SCP syntax](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html)
    pub struct PrincipalInScp {
        code: "AWS127",
        name: "principal-in-scp",
        summary: "a service control policy has a `Principal` or `NotPrincipal` element",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html"),
    }
}

impl Check for PrincipalInScp {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.ty != PolicyType::ServiceControl {
            return;
        }
        for s in policy.statements() {
            for key in ["Principal", "NotPrincipal"] {
                let Some(m) = s.node.member(key) else {
                    continue;
                };
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at_span(m.key_span),
                        format!(
                            "{} of {} has `{key}`, which service control policies do not take",
                            s.describe(),
                            policy.describe()
                        ),
                    )
                    .with_help(
                        "remove it: an SCP applies to every user and role of its accounts; to exempt one, \
                         add a condition such as `\"ArnNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/admin\"}`",
                    ),
                );
            }
        }
    }
}
