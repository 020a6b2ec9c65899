use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::documents::aws_policy::Condition;
use crate::json::Node;
use crate::registry::{Check, Context};

use super::policy::{Policy, strings};

declare_rule! {
    /// ## What it does
    /// Reports a policy variable (`${aws:username}`, `${aws:PrincipalTag/team}`)
    /// in a `Resource`, `NotResource`, condition key or condition value of a
    /// policy whose `Version` is `2008-10-17` or missing, labelling the
    /// `Version`.
    ///
    /// ## Why is this bad?
    /// Policy variables exist from version `2012-10-17` on. In an older or
    /// unversioned policy IAM takes `${aws:username}` as the literal text:
    /// the resource `arn:aws:s3:::home/${aws:username}/*` matches no real
    /// object, and a condition comparing with it never holds, so the
    /// statement silently grants (or denies) nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Statement": [{"Effect": "Allow", "Action": "s3:*",
    ///   "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
    ///   "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `VARIABLE_UNSUPPORTED_IN_VERSION` (error);
    ///   parliament's `OLD_VERSION`:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM policy elements: Variables and tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)
    pub struct VariableInOldVersion {
        code: "AWS120",
        name: "variable-in-old-version",
        summary: "a policy variable is used in a policy whose `Version` is `2008-10-17` or missing",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"),
    }
}

/// The nodes where policy variables are substituted: `Resource`,
/// `NotResource`, condition keys (as the member's value node, for its
/// span) and condition values, with the text to test.
fn variable_sites<'a>(s: &super::policy::Statement<'a>) -> Vec<(crate::source::Span, &'a str)> {
    let mut out: Vec<_> = ["Resource", "NotResource"]
        .into_iter()
        .flat_map(|e| strings(s.get(e)))
        .map(|(n, v)| (n.span(), v))
        .collect();
    if let Some(node) = s.get("Condition") {
        for e in (Condition { node }).entries() {
            out.push((e.key.key_span, e.key.key));
            out.extend(
                e.values()
                    .iter()
                    .filter_map(|n: Node<'a>| Some((n.span(), n.as_str()?))),
            );
        }
    }
    out
}

impl Check for VariableInOldVersion {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let version = policy.node.get("Version");
        let old = match version.map(|v| v.as_str()) {
            None => "has no `Version`",
            Some(Some("2008-10-17")) => "is version `2008-10-17`",
            Some(_) => return,
        };
        for s in policy.statements() {
            for (span, text) in variable_sites(&s) {
                let Some(start) = text.find("${") else {
                    continue;
                };
                let variable = text
                    .get(start..)
                    .and_then(|t| t.find('}').and_then(|end| t.get(..=end)))
                    .unwrap_or("${");
                let mut d = Diagnostic::new(
                    &Self::META,
                    doc.at_span(span),
                    format!(
                        "policy variable `{variable}` in {}{} is taken literally: the policy {old}",
                        s.describe(),
                        policy.in_name()
                    ),
                )
                .with_help("set `\"Version\": \"2012-10-17\"`, the version that substitutes policy variables");
                if let Some(v) = version {
                    d = d.with_label(doc.at(v), "variables need version 2012-10-17");
                }
                cx.report(d);
            }
        }
    }
}
