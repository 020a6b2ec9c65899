use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::json::{Node, Value};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a policy document without a `Version` element.
    ///
    /// ## Why is this bad?
    /// Without `Version`, IAM evaluates the policy with the 2008-10-17 rules:
    /// policy variables such as `${aws:username}` are not substituted but
    /// taken literally, so a Resource like `arn:aws:iam::*:user/${aws:username}`
    /// matches no real user. AWS accepts the policy, so this is a warning.
    ///
    /// ## Example
    /// ```json
    /// {"Statement": {"Effect": "Allow", "Action": "iam:*AccessKey*",
    ///   "Resource": "arn:aws:iam::123456789012:user/${aws:username}"}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": {"Effect": "Allow", "Action": "iam:*AccessKey*",
    ///   "Resource": "arn:aws:iam::123456789012:user/${aws:username}"}}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `MISSING_VERSION` (warning):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    /// - [Troubleshoot IAM policies: missing JSON version element](https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html#missing-version)
    pub struct MissingVersion {
        code: "AWS101",
        name: "missing-version",
        summary: "a policy document has no `Version`, so policy variables are not substituted",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"),
    }
}

impl Check for MissingVersion {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.node.member("Version").is_some() {
            return;
        }
        let mut d = Diagnostic::new(
            &Self::META,
            doc.at(policy.node),
            format!(
                "{} has no `Version`: without `2012-10-17` policy variables are not substituted",
                policy.describe()
            ),
        )
        .with_help("add `\"Version\": \"2012-10-17\"` as the first element of the policy");
        let variable = policy.statements().find_map(|s| {
            ["Resource", "NotResource", "Condition"]
                .iter()
                .find_map(|k| s.get(k).and_then(first_variable))
        });
        if let Some(v) = variable {
            d = d.with_label(
                doc.at(v),
                "this policy variable is taken literally without `Version` 2012-10-17",
            );
        }
        cx.report(d);
    }
}

/// The first string under `node` that holds a policy variable `${...}`.
fn first_variable(node: Node<'_>) -> Option<Node<'_>> {
    match node.value() {
        Value::String(s) if s.contains("${") => Some(node),
        Value::Array(_) | Value::Object(_) => node.child_values().find_map(first_variable),
        _ => None,
    }
}
