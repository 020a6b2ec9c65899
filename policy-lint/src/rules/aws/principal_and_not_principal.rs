use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a statement of a trust or resource policy that has both
    /// `Principal` and `NotPrincipal`, labelling `Principal`. (Identity
    /// policies and SCPs take neither: AWS110 and AWS127.)
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy: a statement names whom it applies to one way
    /// or the other, never both.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
    ///   "Principal": "*", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
    ///   "Action": "s3:*", "Resource": "arn:aws:s3:::logs/*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
    ///   "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::logs/*",
    ///   "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `UNSUPPORTED_ELEMENT_COMBINATION` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: NotPrincipal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
    pub struct PrincipalAndNotPrincipal {
        code: "AWS119",
        name: "principal-and-not-principal",
        summary: "a statement has both `Principal` and `NotPrincipal`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"),
    }
}

impl Check for PrincipalAndNotPrincipal {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::with_principals(doc) else {
            return;
        };
        for s in policy.statements() {
            let (Some(p), Some(n)) = (s.node.member("Principal"), s.node.member("NotPrincipal"))
            else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at_span(n.key_span),
                    format!(
                        "{} of {} has both `Principal` and `NotPrincipal`",
                        s.describe(),
                        policy.describe()
                    ),
                )
                .with_label(doc.at_span(p.key_span), "`Principal` is also given here")
                .with_help("keep one; to exclude principals from a Deny, prefer `Principal: \"*\"` with a `StringNotEquals`/`ArnNotEquals` condition on `aws:PrincipalAccount` or `aws:PrincipalArn`"),
            );
        }
    }
}
