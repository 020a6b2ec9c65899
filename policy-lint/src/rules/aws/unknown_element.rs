use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::json::Member;
use crate::registry::{Check, Context};

use super::policy::{Policy, STATEMENT, TOP_LEVEL, did_you_mean};

declare_rule! {
    /// ## What it does
    /// Reports an element the IAM policy grammar does not have: a top-level
    /// key other than `Version`, `Id` and `Statement`, or a statement key
    /// other than `Sid`, `Effect`, `Principal`, `NotPrincipal`, `Action`,
    /// `NotAction`, `Resource`, `NotResource` and `Condition`. Element names
    /// are case-sensitive, so `effect` is unknown too (with a hint).
    ///
    /// `Principal` in an identity policy and `Resource` in a trust policy
    /// are real elements in the wrong place: AWS110 and AWS109 report them.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy with `MalformedPolicyDocument`. Tools that
    /// ignore unknown keys would silently drop what you meant: a misspelled
    /// `Condtion` would make a conditional grant unconditional.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
    ///    "Condtion": {"Bool": {"aws:SecureTransport": "true"}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
    ///    "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `INVALID_POLICY_ELEMENT` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [Grammar of the IAM JSON policy language](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    pub struct UnknownElement {
        code: "AWS104",
        name: "unknown-element",
        summary: "a policy or statement has an element the IAM policy grammar does not know",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"),
    }
}

impl Check for UnknownElement {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let mut report = |m: Member<'_>, known: &[&str], level: String| {
            let mut d = Diagnostic::new(
                &Self::META,
                doc.at_span(m.key_span),
                format!("unknown element `{}` in {level}", m.key),
            );
            d = match did_you_mean(m.key, known) {
                Some(k) => d.with_help(format!(
                    "did you mean `{k}`? element names are case-sensitive"
                )),
                None => d.with_help(format!("valid elements here: {}", known.join(", "))),
            };
            cx.report(d);
        };
        for m in policy.node.as_object().unwrap_or_default() {
            if !TOP_LEVEL.contains(&m.key) {
                report(m, TOP_LEVEL, policy.describe());
            }
        }
        for s in policy.statements() {
            // Named once per statement: naming it reads its `Sid`, a search
            // through all its members.
            let mut level = None;
            for m in s.node.as_object().unwrap_or_default() {
                if !STATEMENT.contains(&m.key) {
                    let level = level.get_or_insert_with(|| {
                        format!("{} of {}", s.describe(), policy.describe())
                    });
                    report(m, STATEMENT, level.clone());
                }
            }
        }
    }
}
