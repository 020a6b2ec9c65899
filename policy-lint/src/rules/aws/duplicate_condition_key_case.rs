use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::json::Member;
use crate::registry::{Check, Context};

use super::conditions::condition_operators;
use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a condition key that appears twice under one condition
    /// operator, spelled with different capitals (`aws:SourceIp` and
    /// `aws:sourceip`), labelling the first. (The same spelling twice is a
    /// duplicate JSON key, JSON002.)
    ///
    /// ## Why is this bad?
    /// Condition keys are case-insensitive, so both entries name one key
    /// and one of them is lost: IAM Access Analyzer reports the policy as
    /// an error, and a reviewer reading the second entry does not see the
    /// value that applies.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
    ///   "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24", "aws:sourceip": "198.51.100.0/24"}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
    ///   "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `DUPLICATE_KEYS_WITH_DIFFERENT_CASE` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Condition (keys are case-insensitive)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html)
    pub struct DuplicateConditionKeyCase {
        code: "AWS125",
        name: "duplicate-condition-key-case",
        summary: "a condition key appears twice under one operator, differing only in case",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html"),
    }
}

impl Check for DuplicateConditionKeyCase {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for (s, operator) in condition_operators(&policy) {
            let keys: Vec<Member<'_>> = operator
                .value
                .as_object()
                .unwrap_or_default()
                .iter()
                .collect();
            for (i, key) in keys.iter().enumerate() {
                let Some(first) = keys
                    .iter()
                    .take(i)
                    .find(|k| k.key != key.key && k.key.eq_ignore_ascii_case(key.key))
                else {
                    continue;
                };
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at_span(key.key_span),
                        format!(
                            "condition key `{}` under `{}` in {}{} repeats `{}`: condition keys are case-insensitive",
                            key.key,
                            operator.key,
                            s.describe(),
                            policy.in_name(),
                            first.key
                        ),
                    )
                    .with_label(doc.at_span(first.key_span), "first written here")
                    .with_help("keep one entry; a list of values in it matches any of them"),
                );
            }
        }
    }
}
