use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of an identity policy whose `Action` is
    /// `*` (or `*:*`) and whose `Resource` is `*`: every action of every
    /// service on every resource. A `Condition` does not silence it (the
    /// message says the grant is conditional); `NotAction` statements are
    /// not reported (they leave something out).
    ///
    /// ## Why is this bad?
    /// The identity can do anything in the account, including granting
    /// itself and others more access, deleting trails and leaving the
    /// organization: one leaked credential is the whole account. AWS
    /// Security Hub reports it as control IAM.1. It is a warning, not an
    /// error: IAM accepts the policy, and AWS's own `AdministratorAccess`
    /// is exactly this statement.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// Grant the actions and resources the identity uses (IAM Access
    /// Analyzer can generate them from CloudTrail):
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::app-data/*"}]}
    /// ```
    /// Where full access is intended (a break-glass role), attach the AWS
    /// managed `AdministratorAccess` to a role that requires MFA, and
    /// suppress this finding there.
    ///
    /// ## References
    /// - AWS Security Hub control IAM.1 ("IAM policies should not allow full
    ///   `*` administrative privileges"); IAM Access Analyzer policy
    ///   validation has no check of its own for it (its custom check
    ///   `CheckAccessNotGranted` can assert it); parliament reports nothing:
    ///   <https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html>
    /// - [Security best practices in IAM: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html)
    pub struct FullAdminAccess {
        code: "AWS301",
        name: "full-admin-access",
        summary: "an identity policy allows every action on every resource",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html"),
    }
}

/// `*` or `*:*`: every action of every service.
pub(crate) fn is_every_action(action: &str) -> bool {
    action == "*" || action == "*:*"
}

impl Check for FullAdminAccess {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of_type(doc, PolicyType::Identity) else {
            return;
        };
        for s in policy.statements() {
            if s.node.get_str("Effect") != Some("Allow") {
                continue;
            }
            let Some((action, written)) = s.strings("Action").find(|(_, a)| is_every_action(a))
            else {
                continue;
            };
            let Some((resource, _)) = s.strings("Resource").find(|(_, r)| *r == "*") else {
                continue;
            };
            let conditional = if s.get("Condition").is_some() {
                " (under its condition)"
            } else {
                ""
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at(action),
                    format!(
                        "{} of {} allows every action (`{written}`) on every resource{conditional}",
                        s.describe(),
                        policy.describe()
                    ),
                )
                .with_label(doc.at(resource), "on every resource")
                .with_help(
                    "grant only the actions and resources this identity uses; if full access is \
                     intended, keep it to an MFA-protected break-glass role and suppress this finding there",
                ),
            );
        }
    }
}
