use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a `Version` that is not `"2012-10-17"` or `"2008-10-17"`,
    /// the only two versions of the IAM policy language. A version of
    /// another JSON type (a number, an object) is reported here too.
    ///
    /// ## Why is this bad?
    /// `Version` is the version of the policy language, not a date you pick:
    /// IAM rejects any other value with `MalformedPolicyDocument`.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2024-01-01", "Statement": []}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": []}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `INVALID_VERSION` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Version](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html)
    pub struct InvalidVersion {
        code: "AWS102",
        name: "invalid-version",
        summary: "a policy `Version` is neither `2012-10-17` nor `2008-10-17`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"),
    }
}

/// The versions of the IAM policy language.
pub const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];

impl Check for InvalidVersion {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let Some(version) = policy.node.get("Version") else {
            return;
        };
        let message = match version.as_str() {
            Some(v) if VERSIONS.contains(&v) => return,
            Some(v) => format!(
                "`Version` of {} is `{v}`, which is no version of the IAM policy language",
                policy.describe()
            ),
            None => format!(
                "`Version` of {} is {}, not the string `\"2012-10-17\"`",
                policy.describe(),
                super::policy::a_type(version)
            ),
        };
        cx.report(
            Diagnostic::new(&Self::META, doc.at(version), message)
                .with_help("use `\"Version\": \"2012-10-17\"` (the current policy language)"),
        );
    }
}
