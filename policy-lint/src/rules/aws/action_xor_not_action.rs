use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a statement with both `Action` and `NotAction`, or with
    /// neither. Every statement needs exactly one of them.
    ///
    /// ## Why is this bad?
    /// IAM rejects both cases with `MalformedPolicyDocument`. A statement
    /// with neither grants or denies nothing; one with both has no defined
    /// meaning.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Deny", "Action": "s3:*", "NotAction": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `MISSING_ACTION` and
    ///   `UNSUPPORTED_ELEMENT_COMBINATION` (errors):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    /// - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    pub struct ActionXorNotAction {
        code: "AWS107",
        name: "action-xor-not-action",
        summary: "a statement has both `Action` and `NotAction`, or neither",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"),
    }
}

impl Check for ActionXorNotAction {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for s in policy.statements() {
            match (s.node.member("Action"), s.node.member("NotAction")) {
                (Some(a), Some(n)) => cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at_span(n.key_span),
                        format!(
                            "{} of {} has both `Action` and `NotAction`",
                            s.describe(),
                            policy.describe()
                        ),
                    )
                    .with_label(doc.at_span(a.key_span), "`Action` is also given here")
                    .with_help("keep one: `Action` lists what the statement applies to, `NotAction` what it excludes"),
                ),
                (None, None) => cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at(s.node),
                        format!(
                            "{} of {} has neither `Action` nor `NotAction`",
                            s.describe(),
                            policy.describe()
                        ),
                    )
                    .with_help("add an `Action` element naming the actions the statement applies to"),
                ),
                _ => {}
            }
        }
    }
}
