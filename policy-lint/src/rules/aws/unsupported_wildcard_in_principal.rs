use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::{Policy, strings};

declare_rule! {
    /// ## What it does
    /// Reports a `*` or `?` inside a principal value of a trust or resource
    /// policy (`Principal` or `NotPrincipal`), other than the two forms of
    /// "everyone" IAM accepts: `"Principal": "*"` and `{"AWS": "*"}`. So
    /// `{"Service": "*"}`, `{"Federated": "*"}`,
    /// `arn:aws:iam::111122223333:user/*` and `arn:aws:iam::*:root` are
    /// reported.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy (`Invalid principal in policy`): a principal
    /// names one identity, and a wildcard cannot match part of a name or
    /// ARN. The usual intent (every user of an account, every role with a
    /// prefix) is written as the account principal plus a condition.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy-*"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
    ///   "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/deploy-*"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `UNSUPPORTED_WILDCARD_IN_PRINCIPAL` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    pub struct UnsupportedWildcardInPrincipal {
        code: "AWS118",
        name: "unsupported-wildcard-in-principal",
        summary: "a principal holds a wildcard IAM does not accept",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"),
    }
}

impl Check for UnsupportedWildcardInPrincipal {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        // Identity policies and SCPs take no principal at all (AWS110, AWS127).
        let Some(policy) = Policy::with_principals(doc) else {
            return;
        };
        for s in policy.statements() {
            for element in ["Principal", "NotPrincipal"] {
                let Some(principal) = s.get(element) else {
                    continue;
                };
                for m in principal.as_object().unwrap_or_default() {
                    for (node, value) in strings(Some(m.value)) {
                        if !value.contains(['*', '?']) || (m.key == "AWS" && value == "*") {
                            continue;
                        }
                        let help = match m.key {
                            "AWS" => {
                                "use `\"*\"` alone for everyone, or the account (`arn:aws:iam::ACCOUNT:root`) with an `ArnLike` condition on `aws:PrincipalArn` for a pattern"
                            }
                            "Service" => {
                                "name each service principal (`lambda.amazonaws.com`); to let services act for your account, add `aws:SourceAccount`"
                            }
                            _ => {
                                "name each principal; wildcards are accepted only as `\"*\"` or `{\"AWS\": \"*\"}`"
                            }
                        };
                        cx.report(
                            Diagnostic::new(
                                &Self::META,
                                doc.at(node),
                                format!(
                                    "`{}` principal `{value}` in {} of {} holds a wildcard, which IAM does not accept there",
                                    m.key,
                                    s.describe(),
                                    policy.describe()
                                ),
                            )
                            .with_help(help),
                        );
                    }
                }
            }
        }
    }
}
