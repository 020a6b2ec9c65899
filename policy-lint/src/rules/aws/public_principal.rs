use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::documents::{Document, PolicyType};
use crate::json::Node;
use crate::registry::{Check, Context};

use super::conditions::limits_by;
use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of a trust or resource policy whose
    /// principal is everyone (`"Principal": "*"` or `{"AWS": "*"}`) when no
    /// condition limits who may act. It is an error in a trust policy
    /// (anyone with AWS credentials may assume the role) and a warning in
    /// a resource policy (some buckets and topics are public on purpose).
    ///
    /// A condition limits who when it tests, with a positive operator
    /// (`StringEquals`, `StringLike`, `ArnLike`, `IpAddress`, ...; not a
    /// `Not` operator, not `...IfExists`, not `ForAllValues:`, which all
    /// pass when the key is absent), a value other than wildcards alone, on
    /// one of the keys IAM Access Analyzer takes as limiting access:
    /// `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`,
    /// `aws:PrincipalOrgPaths`, `aws:userid`, `aws:username`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOwner`,
    /// `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceVpc`,
    /// `aws:SourceVpce`, `aws:SourceIp`, `kms:CallerAccount`,
    /// `s3:DataAccessPointAccount`, `s3:DataAccessPointArn`,
    /// `lambda:EventSourceToken`. `sts:ExternalId` is not among them: it is
    /// a shared string, not an identity.
    ///
    /// ## Why is this bad?
    /// `*` means every principal of every AWS account, and for many
    /// resource types anonymous callers too. A role that trusts `*` can be
    /// assumed by anyone who learns its ARN; a bucket or key that allows
    /// `*` is public.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## Use instead
    /// Name the principals, or keep `*` and limit it to your organization:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
    ///   "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer external access findings with `isPublic: true`,
    ///   and the condition keys it takes as limiting access:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-filter-keys.html>
    /// - IAM Access Analyzer custom policy check `CheckNoPublicAccess`:
    ///   <https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckNoPublicAccess.html>
    /// - [IAM JSON policy elements: Principal (all principals)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous)
    pub struct PublicPrincipal {
        code: "AWS302",
        name: "public-principal",
        summary: "a trust or resource policy lets anyone act, with no condition that limits who",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous"),
    }
}

/// The condition keys IAM Access Analyzer takes as limiting who has access.
const LIMITING_KEYS: &[&str] = &[
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:userid",
    "aws:username",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "kms:CallerAccount",
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
    "lambda:EventSourceToken",
];

/// The node that says "everyone": `"*"`, or the `"*"` among the `AWS` values.
fn everyone(principal: Node<'_>) -> Option<Node<'_>> {
    if principal.as_str() == Some("*") {
        return Some(principal);
    }
    principal
        .get("AWS")?
        .one_or_many()
        .iter()
        .find(|n| n.as_str() == Some("*"))
}

impl Check for PublicPrincipal {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let (severity, what) = match policy.ty {
            PolicyType::Trust => (Severity::Error, "assume the role"),
            PolicyType::Resource => (Severity::Warning, "act on the resource"),
            PolicyType::Identity | PolicyType::ServiceControl => return,
        };
        for s in policy.statements() {
            if s.node.get_str("Effect") != Some("Allow") {
                continue;
            }
            let Some(principal) = s.get("Principal") else {
                continue;
            };
            let Some(star) = everyone(principal) else {
                continue;
            };
            if limits_by(s.get("Condition"), LIMITING_KEYS) {
                continue;
            }
            let whom = if principal.is_string() {
                "`\"Principal\": \"*\"`"
            } else {
                "`\"AWS\": \"*\"`"
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at(star),
                    format!(
                        "{} of {} lets anyone ({whom}) {what}: no condition limits who",
                        s.describe(),
                        policy.describe()
                    ),
                )
                .with_severity(severity)
                .with_help(
                    "name the accounts or roles that may act (`{\"AWS\": \"arn:aws:iam::111122223333:root\"}`), \
                     or add a condition such as `\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-...\"}` \
                     or `{\"aws:PrincipalAccount\": \"111122223333\"}`",
                ),
            );
        }
    }
}
