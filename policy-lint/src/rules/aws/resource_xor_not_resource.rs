use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a statement with both `Resource` and `NotResource` in any
    /// policy, and a statement with neither in an identity policy. Trust
    /// policies take no `Resource` at all (AWS109), and resource policies
    /// are only checked for the "both" case, because a statement without
    /// `Resource` usually means the document is a trust policy whose type
    /// could not be inferred.
    ///
    /// ## Why is this bad?
    /// IAM rejects both cases in identity policies with
    /// `MalformedPolicyDocument` ("Policy statement must contain resources").
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `MISSING_RESOURCE` and
    ///   `UNSUPPORTED_ELEMENT_COMBINATION` (errors):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    /// - [IAM JSON policy elements: NotResource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
    pub struct ResourceXorNotResource {
        code: "AWS108",
        name: "resource-xor-not-resource",
        summary: "a statement has both `Resource` and `NotResource`, or an identity policy statement has neither",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"),
    }
}

impl Check for ResourceXorNotResource {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        if policy.ty == PolicyType::Trust {
            return;
        }
        for s in policy.statements() {
            match (s.node.member("Resource"), s.node.member("NotResource")) {
                (Some(r), Some(n)) => cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at_span(n.key_span),
                        format!(
                            "{} of {} has both `Resource` and `NotResource`",
                            s.describe(),
                            policy.describe()
                        ),
                    )
                    .with_label(doc.at_span(r.key_span), "`Resource` is also given here")
                    .with_help("keep one: `Resource` lists what the statement applies to, `NotResource` what it excludes"),
                ),
                (None, None) if policy.ty == PolicyType::Identity => cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at(s.node),
                        format!(
                            "{} of {} has neither `Resource` nor `NotResource`",
                            s.describe(),
                            policy.describe()
                        ),
                    )
                    .with_help("add a `Resource` element (`\"*\"` for actions without resource-level permissions)"),
                ),
                _ => {}
            }
        }
    }
}
