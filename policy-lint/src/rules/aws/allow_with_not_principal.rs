use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of a trust or resource policy that uses
    /// `NotPrincipal`. (In identity policies, `NotPrincipal` is AWS110's
    /// finding.)
    ///
    /// ## Why is this bad?
    /// `Allow` with `NotPrincipal` grants the access to every principal but
    /// the ones listed, anonymous callers included: almost never what was
    /// meant. AWS recommends against it and supports `NotPrincipal` with
    /// `Deny` only for a few documented cases.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"},
    ///   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"AWS": "arn:aws:iam::111122223333:role/reporting"},
    ///   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer security warning `ALLOW_WITH_NOT_PRINCIPAL`:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: NotPrincipal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)
    pub struct AllowWithNotPrincipal {
        code: "AWS304",
        name: "allow-with-not-principal",
        summary: "an `Allow` statement uses `NotPrincipal`",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"),
    }
}

impl Check for AllowWithNotPrincipal {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::with_principals(doc) else {
            return;
        };
        for s in policy.statements() {
            if s.node.get_str("Effect") != Some("Allow") {
                continue;
            }
            let Some(m) = s.node.member("NotPrincipal") else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at_span(m.key_span),
                    format!(
                        "{} of {} allows every principal except those in `NotPrincipal`, anonymous callers included",
                        s.describe(),
                        policy.describe()
                    ),
                )
                .with_help("name the principals that may act in `Principal` instead"),
            );
        }
    }
}
