use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a statement of a trust policy or resource policy that has
    /// neither `Principal` nor `NotPrincipal`.
    ///
    /// ## Why is this bad?
    /// A trust or resource policy says *who* may act: IAM and the services
    /// reject a statement that does not name anyone. Such a statement is
    /// often an identity-policy statement pasted into the wrong document.
    ///
    /// ## Example
    /// ```json
    /// {"Role": {"RoleName": "app", "AssumeRolePolicyDocument": {"Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Role": {"RoleName": "app", "AssumeRolePolicyDocument": {"Version": "2012-10-17",
    ///   "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
    ///     "Action": "sts:AssumeRole"}]}}}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `MISSING_PRINCIPAL` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    pub struct MissingPrincipal {
        code: "AWS111",
        name: "missing-principal",
        summary: "a trust or resource policy statement has no `Principal` or `NotPrincipal`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"),
    }
}

impl Check for MissingPrincipal {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.ty.takes_no_principal() {
            return;
        }
        for s in policy.statements() {
            if s.node.member("Principal").is_none() && s.node.member("NotPrincipal").is_none() {
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at(s.node),
                        format!(
                            "{} of {} has no `Principal`",
                            s.describe(),
                            policy.describe()
                        ),
                    )
                    .with_help(
                        "add a `Principal` naming who the statement applies to, e.g. `{\"Service\": \"ec2.amazonaws.com\"}`",
                    ),
                );
            }
        }
    }
}
