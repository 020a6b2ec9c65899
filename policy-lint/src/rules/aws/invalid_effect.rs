use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a statement without `Effect` (the span is the statement) or
    /// whose `Effect` is not exactly `"Allow"` or `"Deny"` (the span is the
    /// value). The values are case-sensitive.
    ///
    /// ## Why is this bad?
    /// `Effect` is required in every statement and IAM rejects any other
    /// value, `"allow"` included, with `MalformedPolicyDocument`.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `MISSING_EFFECT` and `INVALID_EFFECT` (errors):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Effect](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html)
    pub struct InvalidEffect {
        code: "AWS106",
        name: "invalid-effect",
        summary: "a statement has no `Effect`, or one that is not `Allow` or `Deny`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html"),
    }
}

impl Check for InvalidEffect {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for s in policy.statements() {
            let d = match s.get("Effect") {
                None => Diagnostic::new(
                    &Self::META,
                    doc.at(s.node),
                    format!("{} of {} has no `Effect`", s.describe(), policy.describe()),
                )
                .with_help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"),
                Some(e) => match e.as_str() {
                    Some("Allow" | "Deny") => continue,
                    Some(v) => {
                        let help = if v.eq_ignore_ascii_case("allow") {
                            "did you mean `\"Allow\"`? the value is case-sensitive".to_string()
                        } else if v.eq_ignore_ascii_case("deny") {
                            "did you mean `\"Deny\"`? the value is case-sensitive".to_string()
                        } else {
                            "use `\"Allow\"` or `\"Deny\"`".to_string()
                        };
                        Diagnostic::new(
                            &Self::META,
                            doc.at(e),
                            format!(
                                "`Effect` of {} is `{v}`, not `Allow` or `Deny`",
                                s.describe()
                            ),
                        )
                        .with_help(help)
                    }
                    None => Diagnostic::new(
                        &Self::META,
                        doc.at(e),
                        format!(
                            "`Effect` of {} is {}, not `\"Allow\"` or `\"Deny\"`",
                            s.describe(),
                            super::policy::a_type(e)
                        ),
                    )
                    .with_help("use the string `\"Allow\"` or `\"Deny\"`"),
                },
            };
            cx.report(d);
        }
    }
}
