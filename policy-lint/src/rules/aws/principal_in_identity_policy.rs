use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports `Principal` or `NotPrincipal` in an identity policy (a policy
    /// attached to a user, group or role: inline, managed, boundary). The
    /// principal of an identity policy is the identity it is attached to.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy with `MalformedPolicyDocument: Policy document
    /// should not specify a principal`. Often a trust or resource policy was
    /// pasted where a permissions policy belongs.
    ///
    /// ## Example
    /// ```json
    /// {"PolicyName": "read", "RoleName": "app",
    ///  "PolicyDocument": {"Version": "2012-10-17",
    ///    "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    ///      "Action": "s3:GetObject", "Resource": "*"}]}}
    /// ```
    ///
    /// ## Use instead
    /// Remove `Principal`; to let another account in, use the role's trust
    /// policy or the resource's policy instead.
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `UNSUPPORTED_PRINCIPAL` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    pub struct PrincipalInIdentityPolicy {
        code: "AWS110",
        name: "principal-in-identity-policy",
        summary: "an identity policy has a `Principal` or `NotPrincipal` element",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"),
    }
}

impl Check for PrincipalInIdentityPolicy {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.ty != PolicyType::Identity {
            return;
        }
        for s in policy.statements() {
            for key in ["Principal", "NotPrincipal"] {
                if let Some(m) = s.node.member(key) {
                    cx.report(
                        Diagnostic::new(
                            &Self::META,
                            doc.at_span(m.key_span),
                            format!(
                                "{} of {} has `{key}`, which identity policies do not take",
                                s.describe(),
                                policy.describe()
                            ),
                        )
                        .with_help(format!(
                            "remove `{key}`: an identity policy applies to the user, group or role it is attached to"
                        )),
                    );
                }
            }
        }
    }
}
