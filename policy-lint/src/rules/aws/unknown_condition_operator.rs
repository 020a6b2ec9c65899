use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::conditions::condition_operators;
use super::policy::{Policy, did_you_mean};

declare_rule! {
    /// ## What it does
    /// Reports a condition operator (a key of `Condition`) that is not one of
    /// the IAM operators (`StringEquals`, `ArnLike`, `Bool`, `Null`, ...),
    /// after removing an optional `ForAllValues:` or `ForAnyValue:` prefix and
    /// an optional `IfExists` suffix. `NullIfExists` is AWS117's finding.
    /// Names are compared without regard to case, so that only operators
    /// IAM cannot know are reported.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy (`Invalid Condition type`). A misspelled
    /// operator in a Deny would otherwise leave the guard rail you meant to
    /// add silently missing.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///   "Condition": {"StringNotEqual": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///   "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `INVALID_CONDITION_OPERATOR` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    pub struct UnknownConditionOperator {
        code: "AWS116",
        name: "unknown-condition-operator",
        summary: "a condition operator is not one IAM knows",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"),
    }
}

/// Every IAM condition operator, without set prefix or `IfExists`.
pub const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// An operator split into its parts: set prefix (`ForAllValues:`), base
/// operator, and whether it ends in `IfExists`. Parts are matched without
/// regard to case.
pub(crate) fn split_operator(op: &str) -> (&str, &str, bool) {
    let mut rest = op;
    let mut prefix = "";
    for p in ["ForAllValues:", "ForAnyValue:"] {
        if rest.len() >= p.len()
            && rest
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        {
            prefix = rest.get(..p.len()).unwrap_or_default();
            rest = rest.get(p.len()..).unwrap_or_default();
            break;
        }
    }
    let suffix = "IfExists";
    let if_exists = rest.len() > suffix.len()
        && rest
            .get(rest.len() - suffix.len()..)
            .is_some_and(|t| t.eq_ignore_ascii_case(suffix));
    if if_exists {
        rest = rest.get(..rest.len() - suffix.len()).unwrap_or_default();
    }
    (prefix, rest, if_exists)
}

/// Whether `base` (no prefix, no suffix) is an IAM operator.
pub(crate) fn is_operator(base: &str) -> bool {
    OPERATORS.iter().any(|o| o.eq_ignore_ascii_case(base))
}

impl Check for UnknownConditionOperator {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for (s, m) in condition_operators(&policy) {
            let (prefix, base, if_exists) = split_operator(m.key);
            if is_operator(base) {
                continue;
            }
            let mut d = Diagnostic::new(
                &Self::META,
                doc.at_span(m.key_span),
                format!(
                    "unknown condition operator `{}` in {}{}",
                    m.key,
                    s.describe(),
                    policy.in_name()
                ),
            );
            let unprefixed = m.key.get(prefix.len()..).unwrap_or_default();
            let candidates: Vec<String> = OPERATORS
                .iter()
                .flat_map(|o| [o.to_string(), format!("{o}IfExists")])
                .filter(|o| o != "NullIfExists")
                .collect();
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            let suggestion = did_you_mean(unprefixed, &candidates).or_else(|| {
                did_you_mean(base, OPERATORS)
                    .map(|op| {
                        if if_exists {
                            format!("{op}IfExists")
                        } else {
                            op.to_string()
                        }
                    })
                    .and_then(|op| candidates.iter().copied().find(|c| *c == op))
            });
            d = match suggestion {
                Some(op) => d.with_help(format!("did you mean `{prefix}{op}`?")),
                None => d.with_help(
                    "use one of the IAM condition operators (StringEquals, StringLike, ArnLike, Bool, Null, ...), optionally with `IfExists` or a `ForAllValues:`/`ForAnyValue:` prefix",
                ),
            };
            cx.report(d);
        }
    }
}
