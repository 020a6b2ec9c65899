use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports `Resource` or `NotResource` in a role trust policy
    /// (`AssumeRolePolicyDocument`). The resource of a trust policy is the
    /// role itself, so the element has no place there.
    ///
    /// ## Why is this bad?
    /// IAM rejects the trust policy (`CreateRole`, `UpdateAssumeRolePolicy`)
    /// with `MalformedPolicyDocument: Has prohibited field Resource`, so the
    /// role cannot be created or its trust cannot be changed.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
    ///    "Action": "sts:AssumeRole", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
    ///    "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code: none dedicated to this case (trust
    ///   policies are validated as `RESOURCE_POLICY` with
    ///   `AWS::IAM::AssumeRolePolicyDocument`); the closest is
    ///   `INVALID_POLICY_ELEMENT` (error). IAM itself answers
    ///   `MalformedPolicyDocument: Has prohibited field Resource`:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    /// - [Modifying a role trust policy](https://docs.aws.amazon.com/IAM/latest/UserGuide/roles-managingrole-editing-console.html#roles-managingrole_edit-trust-policy)
    pub struct ResourceInTrustPolicy {
        code: "AWS109",
        name: "resource-in-trust-policy",
        summary: "a role trust policy has a `Resource` or `NotResource` element",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"),
    }
}

impl Check for ResourceInTrustPolicy {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.ty != PolicyType::Trust {
            return;
        }
        for s in policy.statements() {
            for key in ["Resource", "NotResource"] {
                if let Some(m) = s.node.member(key) {
                    cx.report(
                        Diagnostic::new(
                            &Self::META,
                            doc.at_span(m.key_span),
                            format!(
                                "{} of {} has `{key}`, which trust policies do not take",
                                s.describe(),
                                policy.describe()
                            ),
                        )
                        .with_help(format!(
                            "remove `{key}`: the resource of a trust policy is the role itself"
                        )),
                    );
                }
            }
        }
    }
}
