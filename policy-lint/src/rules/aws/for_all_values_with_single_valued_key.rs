use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::conditions::condition_entries;
use super::policy::Policy;
use super::unknown_condition_operator::split_operator;

declare_rule! {
    /// ## What it does
    /// Reports the set operator `ForAllValues:` on a global condition key
    /// that AWS documents as single-valued (`aws:SourceIp`,
    /// `aws:PrincipalOrgID`, `aws:RequestedRegion`, `aws:SourceVpce`,
    /// `aws:PrincipalTag/...`, `aws:RequestTag/...`, ... the list is the
    /// keys whose "Value type" is "Single-valued" in the global condition
    /// keys reference). Service keys are not checked: that needs the
    /// Service Authorization Reference's key types.
    ///
    /// ## Why is this bad?
    /// `ForAllValues:` is true when every value in the request matches,
    /// and so also when the request has no value at all. On a key that
    /// holds one value, it adds only that second meaning: an `Allow` with
    /// `ForAllValues:StringEquals` on `aws:PrincipalOrgID` also lets in
    /// every request whose context lacks the key, which is more than the
    /// author meant. IAM accepts the policy.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
    ///   "Condition": {"ForAllValues:StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
    ///   "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `FORALLVALUES_WITH_SINGLE_VALUED_KEY` (security warning):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [Set operators for multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html)
    pub struct ForAllValuesWithSingleValuedKey {
        code: "AWS124",
        name: "for-all-values-with-single-valued-key",
        summary: "a `ForAllValues:` set operator tests a single-valued condition key",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"),
    }
}

/// Global condition keys whose documented value type is single-valued.
/// (The multivalued ones are `aws:CalledVia`, `aws:PrincipalOrgPaths`,
/// `aws:PrincipalServiceNamesList`, `aws:ResourceOrgPaths`,
/// `aws:SourceOrgPaths` and `aws:TagKeys`.)
const SINGLE_VALUED: &[&str] = &[
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CurrentTime",
    "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:Ec2InstanceSourceVpc",
    "aws:EpochTime",
    "aws:FederatedProvider",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalServiceName",
    "aws:PrincipalType",
    "aws:Referer",
    "aws:RequestedRegion",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:userid",
    "aws:username",
    "aws:ViaAWSService",
    "aws:VpcSourceIp",
];

/// Tag keys: one value per tag key (`aws:RequestTag/team`).
const SINGLE_VALUED_PREFIXES: &[&str] =
    &["aws:PrincipalTag/", "aws:RequestTag/", "aws:ResourceTag/"];

fn is_single_valued(key: &str) -> bool {
    SINGLE_VALUED.iter().any(|k| k.eq_ignore_ascii_case(key))
        || SINGLE_VALUED_PREFIXES.iter().any(|p| {
            key.len() > p.len()
                && key
                    .get(..p.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(p))
        })
}

impl Check for ForAllValuesWithSingleValuedKey {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for (s, e) in condition_entries(&policy) {
            let (prefix, _, _) = split_operator(e.operator.key);
            if !prefix.eq_ignore_ascii_case("ForAllValues:") || !is_single_valued(e.key.key) {
                continue;
            }
            let plain = e.operator.key.get(prefix.len()..).unwrap_or_default();
            cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at_span(e.key.key_span),
                        format!(
                            "`{}` holds one value, but {} of {} tests it with `{}`, which also holds when the key is absent",
                            e.key.key,
                            s.describe(),
                            policy.describe(),
                            e.operator.key
                        ),
                    )
                    .with_label(doc.at_span(e.operator.key_span), "set operator")
                    .with_help(format!(
                        "use `{plain}` without `ForAllValues:` (a list of values already means any of them)"
                    )),
                );
        }
    }
}
