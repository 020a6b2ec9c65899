use crate::hash::HashMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::documents::{Document, PolicyType};
use crate::json::Node;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a statement whose `Sid` repeats the `Sid` of an earlier
    /// statement of the same policy, labelling the first. It is an error in
    /// identity and trust policies (IAM requires unique Sids) and a warning
    /// in resource policies, where some services accept duplicates.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy (`Statement IDs (SID) in a single policy must
    /// be unique`). Where a service accepts it, tools and people that refer
    /// to statements by Sid (SCP reviews, `aws_iam_policy_document`
    /// `source_policy_documents` merges) pick the wrong one.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    ///   {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// Give each statement its own Sid (`ReadObjects`, `ListBucket`), or
    /// merge the statements.
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `UNIQUE_SIDS_REQUIRED` (error), and
    ///   the warning `UNIQUE_SIDS_RECOMMENDED`:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    pub struct DuplicateSid {
        code: "AWS114",
        name: "duplicate-sid",
        summary: "two statements of one policy have the same `Sid`",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html"),
    }
}

impl Check for DuplicateSid {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let mut seen: HashMap<&str, Node<'_>> = HashMap::default();
        for s in policy.statements() {
            let Some(node) = s.get("Sid") else { continue };
            let Some(sid) = node.as_str().filter(|s| !s.is_empty()) else {
                continue;
            };
            let Some(first) = seen.get(sid) else {
                seen.insert(sid, node);
                continue;
            };
            let severity = if policy.ty == PolicyType::Resource {
                Severity::Warning
            } else {
                Severity::Error
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at(node),
                    format!("duplicate Sid `{sid}` in {}", policy.describe()),
                )
                .with_severity(severity)
                .with_label(doc.at(*first), "first used here")
                .with_help("give each statement a unique Sid"),
            );
        }
    }
}
