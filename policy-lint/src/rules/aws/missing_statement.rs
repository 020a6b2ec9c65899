use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a policy document without a `Statement` element.
    ///
    /// ## Why is this bad?
    /// `Statement` is the only required element of a policy: IAM rejects a
    /// policy without one, and a policy with no statements grants nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `MISSING_STATEMENT` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Statement](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html)
    pub struct MissingStatement {
        code: "AWS103",
        name: "missing-statement",
        summary: "a policy document has no `Statement`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html"),
    }
}

impl Check for MissingStatement {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.node.member("Statement").is_some() {
            return;
        }
        cx.report(
            Diagnostic::new(
                &Self::META,
                doc.at(policy.node),
                format!("{} has no `Statement`", policy.describe()),
            )
            .with_help("add a `Statement` array with at least one statement"),
        );
    }
}
