use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::conditions::condition_entries;
use super::policy::Policy;
use super::unknown_condition_operator::split_operator;

declare_rule! {
    /// ## What it does
    /// Reports a `*` in a value of `StringEquals`, `StringNotEquals`,
    /// `StringEqualsIgnoreCase` or `StringNotEqualsIgnoreCase` (with any
    /// `ForAllValues:`/`ForAnyValue:` prefix or `IfExists` suffix). A `*`
    /// inside a policy variable (`${*}`, the literal star) is not reported,
    /// nor is `?`, which often stands for itself (`aws:Referer` URLs).
    /// `ArnEquals` and `ArnNotEquals` are not reported either: they take
    /// wildcards exactly as `ArnLike` does.
    ///
    /// ## Why is this bad?
    /// The `Equals` operators compare the text exactly: `*` matches only a
    /// literal star. IAM accepts the policy, but `"StringEquals":
    /// {"aws:PrincipalTag/team": "data-*"}` matches no real tag, so an
    /// `Allow` grants nothing and a `Deny` with `StringNotEquals` denies
    /// everyone.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
    ///   "Resource": "*", "Condition": {"StringEquals": {"s3:prefix": "home/*"}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
    ///   "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "home/*"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `WILDCARD_WITHOUT_LIKE_OPERATOR` (general warning):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [String condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String)
    pub struct WildcardWithoutLikeOperator {
        code: "AWS123",
        name: "wildcard-without-like-operator",
        summary: "a `StringEquals`-family condition value holds `*`, which it matches literally",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String"),
    }
}

/// The operator that matches wildcards in place of an exact one.
fn like_of(base: &str) -> Option<&'static str> {
    match base.to_ascii_lowercase().as_str() {
        "stringequals" | "stringequalsignorecase" => Some("StringLike"),
        "stringnotequals" | "stringnotequalsignorecase" => Some("StringNotLike"),
        _ => None,
    }
}

/// Whether `value` holds a `*` outside a `${...}` policy variable.
fn has_bare_star(value: &str) -> bool {
    let mut rest = value;
    while let Some(i) = rest.find(['*', '$']) {
        let tail = rest.get(i..).unwrap_or_default();
        if tail.starts_with('*') {
            return true;
        }
        match tail
            .strip_prefix("${")
            .and_then(|t| t.find('}').map(|end| (t, end)))
        {
            Some((t, end)) => rest = t.get(end + 1..).unwrap_or_default(),
            None => rest = tail.get(1..).unwrap_or_default(),
        }
    }
    false
}

impl Check for WildcardWithoutLikeOperator {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for (s, e) in condition_entries(&policy) {
            let (prefix, base, if_exists) = split_operator(e.operator.key);
            let Some(like) = like_of(base) else {
                continue;
            };
            for value in e.values().iter() {
                let Some(text) = value.as_str().filter(|t| has_bare_star(t)) else {
                    continue;
                };
                let suffix = if if_exists { "IfExists" } else { "" };
                let case = if base.to_ascii_lowercase().ends_with("ignorecase") {
                    " (the `Like` operators compare case-sensitively)"
                } else {
                    ""
                };
                cx.report(
                        Diagnostic::new(
                            &Self::META,
                            doc.at(value),
                            format!(
                                "`{}` matches `{text}` literally for `{}` in {}{}: `*` is a wildcard only with a `Like` operator",
                                e.operator.key,
                                e.key.key,
                                s.describe(),
                                policy.in_name()
                            ),
                        )
                        .with_label(doc.at_span(e.operator.key_span), "exact comparison")
                        .with_help(format!(
                            "use `{prefix}{like}{suffix}` to match the pattern{case}; to mean a literal star, write `${{*}}`"
                        )),
                    );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stars_inside_variables_are_not_wildcards() {
        use super::has_bare_star;
        assert!(has_bare_star("home/*"));
        assert!(has_bare_star("${aws:username}/*"));
        assert!(!has_bare_star("${*}"));
        assert!(!has_bare_star("a${*}b"));
        assert!(!has_bare_star("price$5"));
        assert!(has_bare_star("$*"));
    }
}
