use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an empty list (`[]`) as the value of `Action`, `Resource`,
    /// `NotAction` or `NotResource`.
    ///
    /// ## Why is this bad?
    /// IAM accepts the list (IAM Access Analyzer only suggests removing
    /// it), and the statement then does not do what it reads as: an empty
    /// `Action` or `Resource` matches nothing, so an `Allow` grants nothing
    /// and a `Deny` guards nothing; an empty `NotAction` or `NotResource`
    /// excludes nothing, so the statement applies to every action or
    /// resource. It is usually a variable that came out empty
    /// (`actions = var.extra_actions` in Terraform).
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": [], "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// List what the statement is about, or remove the statement:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `EMPTY_ARRAY_ACTION` and
    ///   `EMPTY_ARRAY_RESOURCE` (suggestions):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    pub struct EmptyElementArray {
        code: "AWS121",
        name: "empty-element-array",
        summary: "an `Action`, `Resource`, `NotAction` or `NotResource` element is an empty list",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"),
    }
}

impl Check for EmptyElementArray {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for s in policy.statements() {
            let verb = match s.node.get_str("Effect") {
                Some("Allow") => "allows",
                Some("Deny") => "denies",
                _ => "applies to",
            };
            for (element, noun) in [
                ("Action", "action"),
                ("Resource", "resource"),
                ("NotAction", "action"),
                ("NotResource", "resource"),
            ] {
                let Some(value) = s.get(element) else {
                    continue;
                };
                if !value.as_array().is_some_and(|a| a.is_empty()) {
                    continue;
                }
                let message = if element.starts_with("Not") {
                    format!(
                        "`{element}` of {}{} is empty, so it excludes nothing: the statement {verb} every {noun}",
                        s.describe(),
                        policy.in_name()
                    )
                } else {
                    format!(
                        "`{element}` of {}{} is empty: it matches no {noun}, so the statement {verb} nothing",
                        s.describe(),
                        policy.in_name()
                    )
                };
                cx.report(
                    Diagnostic::new(&Self::META, doc.at(value), message).with_help(format!(
                        "list the {noun}s the statement is about, or remove the statement"
                    )),
                );
            }
        }
    }
}
