use crate::aws_action::action_format_error;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an entry of `Action` or `NotAction` that is not `*` and not of
    /// the form `service:ActionName`: no colon (`iam.CreateUser`), an empty
    /// side, a second colon, whitespace, a policy variable, or characters
    /// outside letters, digits, `-`, `_` and the wildcards `*` and `?`.
    /// Prose placeholders copied from documentation are reported too.
    ///
    /// ## Why is this bad?
    /// IAM rejects an action without a service prefix (`MalformedPolicyDocument:
    /// Actions/Conditions must be prefaced by a vendor`), and an action with
    /// stray characters matches no request, so the grant or deny silently
    /// does nothing. Whitespace around an otherwise valid action is a
    /// warning: IAM may trim it, or keep it and match nothing (the IAM User
    /// Guide's troubleshooting page shows `"ec2:* "`).
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": ["iam.CreateUser", "ec2:* "], "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": ["iam:CreateUser", "ec2:*"], "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `INVALID_ACTION` (error), and
    ///   `VARIABLE_UNSUPPORTED_IN_ELEMENT` for a policy variable:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    pub struct MalformedAction {
        code: "AWS112",
        name: "malformed-action",
        summary: "an action is not of the form `service:ActionName`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"),
    }
}

impl Check for MalformedAction {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for a in policy.action_strings(cx) {
            let (s, node, action) = (a.statement, a.node, a.action);
            let Some(why) = a.facts.format_error else {
                continue;
            };
            let d = Diagnostic::new(
                &Self::META,
                doc.at(node),
                format!(
                    "malformed action `{action}` in {}{}: {why}",
                    s.describe(),
                    policy.in_name()
                ),
            );
            let whitespace_only =
                action.trim() != action && action_format_error(action.trim()).is_none();
            let d = if whitespace_only {
                // IAM may trim it, or keep it and match nothing: a warning.
                d.with_severity(Severity::Warning)
                    .with_help(format!("remove the whitespace: `{}`", action.trim()))
            } else if let Some((p, n)) = action.split_once('.').filter(|_| !action.contains(':')) {
                d.with_help(format!("did you mean `{p}:{n}`?"))
            } else {
                d.with_help("write actions as `service:ActionName`, e.g. `s3:GetObject`, or `*` for every action")
            };
            cx.report(d);
        }
    }
}
