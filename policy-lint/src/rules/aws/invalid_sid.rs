use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a `Sid` in an identity or trust policy that holds anything
    /// but ASCII letters and digits. Resource policies are not checked:
    /// services such as S3, SQS and SNS accept spaces and punctuation.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy: `Statement IDs (SID) must be alpha-numeric.
    /// Check that your input satisfies the regular expression [0-9A-Za-z]*`.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "read-objects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `UNSUPPORTED_SID` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    pub struct InvalidSid {
        code: "AWS115",
        name: "invalid-sid",
        summary: "a `Sid` in an identity or trust policy is not alphanumeric",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html"),
    }
}

impl Check for InvalidSid {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.ty == PolicyType::Resource {
            return;
        }
        for s in policy.statements() {
            let Some(node) = s.get("Sid") else { continue };
            let Some(sid) = node.as_str() else { continue };
            if sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let fixed: String = sid
                .split(|c: char| !c.is_ascii_alphanumeric())
                .map(|w| {
                    let mut cs = w.chars();
                    cs.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                        .unwrap_or_default()
                })
                .collect();
            let help = if fixed.is_empty() {
                "use only ASCII letters and digits in a Sid".to_string()
            } else {
                format!("use only ASCII letters and digits, e.g. `{fixed}`")
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at(node),
                    format!(
                        "Sid `{sid}` in {} holds characters other than letters and digits",
                        policy.describe()
                    ),
                )
                .with_help(help),
            );
        }
    }
}
