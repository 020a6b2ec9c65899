use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports `"Sid": ""`.
    ///
    /// ## Why is this bad?
    /// IAM accepts it (IAM Access Analyzer only suggests a change), but an
    /// empty Sid names nothing: it is noise in the policy, usually left by
    /// a generator (older `aws_iam_policy_document` data sources write one
    /// for every statement without `sid`). A Sid is optional: either name
    /// the statement or leave the element out.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `EMPTY_SID_VALUE` (suggestion):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    pub struct EmptySid {
        code: "AWS126",
        name: "empty-sid",
        summary: "a statement has an empty `Sid`",
        severity: Advice,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html"),
    }
}

impl Check for EmptySid {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for s in policy.statements() {
            let Some(sid) = s.get("Sid").filter(|n| n.as_str() == Some("")) else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at(sid),
                    format!(
                        "{} of {} has an empty `Sid`",
                        s.describe(),
                        policy.describe()
                    ),
                )
                .with_help("name the statement (letters and digits), or remove `Sid`"),
            );
        }
    }
}
