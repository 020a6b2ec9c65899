use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::conditions::condition_operators;
use super::policy::Policy;
use super::unknown_condition_operator::split_operator;

declare_rule! {
    /// ## What it does
    /// Reports the condition operator `NullIfExists` (with or without a
    /// `ForAllValues:`/`ForAnyValue:` prefix).
    ///
    /// ## Why is this bad?
    /// `Null` already tests whether a key exists; `IfExists` makes no sense
    /// with it, and IAM rejects the combination.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
    ///   "Condition": {"NullIfExists": {"aws:RequestTag/team": "true"}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
    ///   "Condition": {"Null": {"aws:RequestTag/team": "true"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `NULL_WITH_IF_EXISTS` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [Condition operator to check existence of condition keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null)
    pub struct NullWithIfExists {
        code: "AWS117",
        name: "null-with-if-exists",
        summary: "the condition operator `Null` is used with `IfExists`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null"),
    }
}

impl Check for NullWithIfExists {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for (s, m) in condition_operators(&policy) {
            let (prefix, base, if_exists) = split_operator(m.key);
            if !(if_exists && base.eq_ignore_ascii_case("Null")) {
                continue;
            }
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at_span(m.key_span),
                    format!(
                        "condition operator `{}` in {}{}: `Null` cannot take `IfExists`",
                        m.key,
                        s.describe(),
                        policy.in_name()
                    ),
                )
                .with_help(format!(
                    "use `{prefix}Null`: it already tests whether the key is present"
                )),
            );
        }
    }
}
