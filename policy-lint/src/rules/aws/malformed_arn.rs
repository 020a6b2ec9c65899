use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::arn_format::arn_field_problem;
use super::policy::Policy;
use crate::aws_reference::resource_types::replace_placeholders;

declare_rule! {
    /// ## What it does
    /// Reports an entry of `Resource` or `NotResource` that is not `*` and
    /// not an ARN `arn:partition:service:region:account:resource`.
    /// Wildcards are allowed in every field, and a `*` ending a field may
    /// stand for the remaining fields (`arn:aws:cloudfront:*`). Policy
    /// variables such as `${aws:username}` count as text, even though they
    /// contain a colon. In resource policies, API Gateway's short form
    /// `execute-api:/stage/GET/path` is accepted.
    ///
    /// Fields written out (no wildcard, no variable) are checked against the
    /// ARN formats of the Service Authorization Reference
    /// (`rules/aws-resource-types.json`): the partition must be one of AWS's
    /// (`aws`, `aws-cn`, `aws-us-gov`, ...); the service is case-sensitive
    /// (`arn:aws:S3:::` names nothing); the region must be a region code; the
    /// account must be a 12-digit ID (or `aws`, for resources AWS owns). A
    /// region code that looks right but is not in the data (`us-east-99`) is
    /// a warning, since AWS opens new regions. So is a region or account
    /// present where the service's formats have none, or missing where they
    /// have one (S3 bucket and object ARNs have neither region nor account):
    /// IAM accepts the policy, and AWS's own managed policies have such ARNs,
    /// but they match no resource. An ARN with no account whose resource name
    /// starts with `AWS` or `Amazon` is not reported: resources AWS shares
    /// with every account have such ARNs
    /// (`arn:aws:ssm:us-east-1::document/AWS-RunShellScript`, public
    /// parameters `arn:aws:ssm:us-east-1::parameter/aws/service/...`).
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy (`Resource ... must be in ARN format or "*"`).
    /// Typical causes are a bare resource id (`vpc-1234`), a bucket name
    /// without `arn:aws:s3:::`, or missing colons. Whitespace around an
    /// otherwise valid ARN is a warning: IAM may trim it, or keep it and the
    /// resource then matches nothing (the IAM User Guide has examples with a
    /// stray space).
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "my-bucket/*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `INVALID_ARN_PREFIX`, `MISSING_ARN_FIELD`,
    ///   `INVALID_PARTITION`, `INVALID_ARN_RESOURCE`, `INVALID_ARN_SERVICE_CASE`,
    ///   `INVALID_ARN_REGION`, `INVALID_ARN_ACCOUNT`, `ARN_REGION_NOT_ALLOWED`,
    ///   `ARN_ACCOUNT_NOT_ALLOWED` and `MISSING_ARN_REGION` (errors):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    /// - [Amazon Resource Names (ARNs)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
    /// - parliament: `INVALID_ARN` ("Unexpected partition", "Region expected
    ///   to be of form like us-east-1", "Account expected to be of form like
    ///   123456789012")
    pub struct MalformedArn {
        code: "AWS113",
        name: "malformed-arn",
        summary: "a resource is neither `*` nor an ARN",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"),
    }
}

impl Check for MalformedArn {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        // Resource in a trust policy is AWS109's finding.
        if policy.ty == PolicyType::Trust {
            return;
        }
        for s in policy.statements() {
            for key in ["Resource", "NotResource"] {
                for (node, resource) in s.strings(key) {
                    if policy.ty == PolicyType::Resource && resource.starts_with("execute-api:") {
                        continue;
                    }
                    let Some(why) = arn_error(resource) else {
                        if let Some(p) = arn_field_problem(resource) {
                            cx.report(
                                Diagnostic::new(
                                    &Self::META,
                                    doc.at(node),
                                    format!(
                                        "malformed resource ARN `{resource}` in {}{}: {}",
                                        s.describe(),
                                        policy.in_name(),
                                        p.why
                                    ),
                                )
                                .with_severity(p.severity)
                                .with_help(p.help),
                            );
                        }
                        continue;
                    };
                    let d = Diagnostic::new(
                        &Self::META,
                        doc.at(node),
                        format!(
                            "malformed resource ARN `{resource}` in {}{}: {why}",
                            s.describe(),
                            policy.in_name()
                        ),
                    );
                    // Only whitespace around a valid value: IAM may trim it or
                    // keep it (and match nothing), so this is a warning.
                    let d = if resource.trim() != resource && arn_error(resource.trim()).is_none() {
                        d.with_severity(Severity::Warning)
                            .with_help(format!("remove the whitespace: `{}`", resource.trim()))
                    } else {
                        d.with_help("use `*` or a full ARN such as `arn:aws:s3:::my-bucket/*` (empty region and account fields keep their colons)")
                    };
                    cx.report(d);
                }
            }
        }
    }
}

/// Why `resource` is not `*` or an ARN pattern, or `None` when it is one.
pub(crate) fn arn_error(resource: &str) -> Option<&'static str> {
    if resource == "*" {
        return None;
    }
    if resource.trim() != resource {
        return Some(
            "it has leading or trailing whitespace, so IAM may reject it or it matches nothing",
        );
    }
    // Policy variables hold colons (`${aws:username}`): mask them first.
    // Most ARNs have none, and are read in place.
    let masked = replace_placeholders(resource, "$");
    if !masked.starts_with("arn:") {
        return Some("it does not start with `arn:`");
    }
    let mut fields = [""; 6];
    let mut count = 0;
    for (slot, field) in fields.iter_mut().zip(masked.splitn(6, ':')) {
        *slot = field;
        count += 1;
    }
    let fields = fields.get(..count).unwrap_or_default();
    // A `*` ending the last field present may stand for the fields after it.
    let last_is_star = fields.last().is_some_and(|f| f.ends_with('*'));
    if fields.len() < 6 && !last_is_star {
        return Some(
            "an ARN has six colon-separated fields: arn:partition:service:region:account:resource",
        );
    }
    match fields.get(1) {
        Some(&"") => return Some("the partition field (e.g. `aws`) is empty"),
        Some(p)
            if !p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '?' | '$')) =>
        {
            return Some(
                "the partition may hold only letters, digits and `-` (e.g. `aws`, `aws-cn`)",
            );
        }
        _ => {}
    }
    if fields.get(2).is_some_and(|s| s.is_empty()) {
        return Some("the service field (e.g. `s3`) is empty");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::arn_error;

    #[test]
    fn arns() {
        for ok in [
            "*",
            "arn:aws:s3:::my-bucket/*",
            "arn:aws:iam::123456789012:user/${aws:username}",
            "arn:aws:cloudfront:*",
            "arn:*:ec2:*:*:instance/*",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*",
            "arn:${aws:Partition}:s3:::b/${aws:PrincipalTag/team}/*",
            "arn:aws-us-gov:s3:::b",
            "arn:aws:s3:::*",
            // An empty resource field: AWS accepts it (AmazonDevOpsGuruOrganizationsAccess).
            "arn:aws:organizations::*:",
        ] {
            assert_eq!(arn_error(ok), None, "{ok}");
        }
        for bad in [
            " *",
            "my-bucket/*",
            "arn:aws:s3",
            "arn:aws:s3:my-bucket",
            "arn::s3:::b",
            "arn:aws::::x",
            "A list of the resources the role is allowed to access",
        ] {
            assert!(arn_error(bad).is_some(), "{bad}");
        }
    }
}
