//! AWS113's checks of an ARN's partition, service, region and account
//! against the ARN formats of the Service Authorization Reference
//! (`rules/aws-resource-types.json`), once the ARN has its six fields.

use crate::aws_reference::resource_types::{
    ResourceType, arn_fields, arn_formats, globs_intersect, is_arn_service_ignore_case,
    is_known_region, partitions, placeholders_as_stars, snapshot_date,
};
use crate::diagnostic::Severity;
use crate::memo::{StrMemo, memoized};

/// A problem with one field of an ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldProblem {
    /// Why the ARN is wrong, for the message.
    pub why: String,
    /// How to fix it.
    pub help: String,
    /// Error, or warning when the data may lag AWS (a region newer than it).
    pub severity: Severity,
}

impl FieldProblem {
    fn error(why: String, help: String) -> Option<Self> {
        Some(Self {
            why,
            help,
            severity: Severity::Error,
        })
    }
}

/// Whether a field is written out: no wildcard, no policy variable.
fn literal(field: &str) -> bool {
    !field.contains(['*', '?', '$'])
}

thread_local! {
    /// [`arn_field_problem`] per distinct ARN: a policy set repeats its
    /// ARNs, and each is compared with every format of its service.
    static PROBLEMS: StrMemo<Option<FieldProblem>> = StrMemo::default();
}

/// What is wrong with the partition, service, region or account of the
/// well-formed ARN pattern `arn`, or `None`.
pub(crate) fn arn_field_problem(arn: &str) -> Option<FieldProblem> {
    memoized(&PROBLEMS, arn, field_problem)
}

/// [`arn_field_problem`], computed.
fn field_problem(arn: &str) -> Option<FieldProblem> {
    let stars = placeholders_as_stars(arn);
    let [_, partition, service, region, account, resource] = arn_fields(&stars)?;
    if literal(partition) && !partitions().iter().any(|p| p == partition) {
        let near = partitions()
            .iter()
            .find(|p| p.eq_ignore_ascii_case(partition));
        return FieldProblem::error(
            format!("`{partition}` is not an AWS partition"),
            match near {
                Some(p) => format!("partitions are lower case: `{p}`"),
                None => format!("use one of {}", partitions().join(", ")),
            },
        );
    }
    if !literal(service) {
        return None;
    }
    let Some(formats) = arn_formats(service) else {
        if is_arn_service_ignore_case(service) {
            return FieldProblem::error(
                format!(
                    "the service `{service}` is not in lower case, and ARNs are case-sensitive"
                ),
                format!("write `{}`", service.to_ascii_lowercase()),
            );
        }
        return None;
    };
    if let Some(problem) = region_problem(region) {
        return Some(problem);
    }
    // `aws` is the account of resources AWS owns (managed policies, public
    // SageMaker hubs, CloudFormation transforms), whatever the service.
    if literal(account) && !account.is_empty() && account != "aws" {
        let documented = formats
            .iter()
            .any(|t| t.fields().and_then(|f| f.get(4).copied()) == Some(account));
        let digits = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
        if !digits && !documented {
            return FieldProblem::error(
                format!("the account `{account}` is not a 12-digit account ID"),
                "write the account ID with all 12 digits (leading zeros included), or `*`".into(),
            );
        }
    }
    shape_problem(service, [region, account, resource], formats)
}

/// A region field that is no region name.
fn region_problem(region: &str) -> Option<FieldProblem> {
    if !literal(region) || region.is_empty() || is_known_region(region) {
        return None;
    }
    let parts: Vec<&str> = region.split('-').collect();
    let shaped = parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .iter()
            .rev()
            .skip(1)
            .all(|p| p.bytes().all(|b| b.is_ascii_lowercase()));
    if shaped {
        return Some(FieldProblem {
            why: format!("`{region}` is not a region known to the data of {}", snapshot_date()),
            help: "check the region code (`us-east-1`, `eu-west-3`, ...); if the region is new, ignore this finding".into(),
            severity: Severity::Warning,
        });
    }
    FieldProblem::error(
        format!("`{region}` is not a region code"),
        "write a region code such as `us-east-1`, `*`, or nothing for a service whose ARNs have no region".into(),
    )
}

/// Whether the ARN's region and account fields fit some documented format
/// of `service`, among the formats whose resource part the ARN's may match
/// (all of them when none does); the reason when none fits. IAM accepts such
/// an ARN (AWS's own managed policies have some), it only matches nothing: a
/// warning.
fn shape_problem(
    service: &str,
    [region, account, resource]: [&str; 3],
    formats: &[&ResourceType],
) -> Option<FieldProblem> {
    let may_be_empty = |f: &str| globs_intersect(f, "");
    let may_be_set = |f: &str| !f.is_empty();
    let fits = |field: &str, documented: &str| match documented {
        "" => may_be_empty(field),
        _ if field == "aws" => true,
        "*" => may_be_set(field),
        d => globs_intersect(field, d),
    };
    // Resources AWS owns and shares with every account have ARNs with no
    // account (SSM documents `arn:aws:ssm:us-east-1::document/AWS-RunShellScript`,
    // public parameters `...::parameter/aws/service/...`, Resource Explorer's
    // service views), although the service's format has one.
    let shared_by_aws = account.is_empty() && names_aws_owned(resource);
    // Most ARNs fit a format whose resource part they match: say so without
    // gathering the candidates, which only the message needs.
    let fits_format = |[.., r, a, res]: [&str; 6]| {
        fits(region, r) && (shared_by_aws || fits(account, a)) && globs_intersect(resource, res)
    };
    if formats.iter().filter_map(|t| t.fields()).any(fits_format) {
        return None;
    }
    // (region, account, the type) of each candidate format.
    let all: Vec<(&str, &str, &ResourceType)> = formats
        .iter()
        .filter_map(|t| {
            let f = t.fields()?;
            Some((*f.get(3)?, *f.get(4)?, *t, *f.get(5)?))
        })
        .filter(|(.., r)| globs_intersect(resource, r))
        .map(|(reg, acc, t, _)| (reg, acc, t))
        .collect();
    let candidates: Vec<(&str, &str, &ResourceType)> = if all.is_empty() {
        formats
            .iter()
            .filter_map(|t| {
                let f = t.fields()?;
                Some((*f.get(3)?, *f.get(4)?, *t))
            })
            .collect()
    } else {
        all
    };
    if candidates
        .iter()
        .any(|(r, a, _)| fits(region, r) && (shared_by_aws || fits(account, a)))
    {
        return None;
    }
    let mut shown: Vec<String> = Vec::new();
    for (_, _, t) in &candidates {
        let line = format!("`{}` is `{}`", t.name, t.arn);
        if !shown.contains(&line) && shown.len() < 2 {
            shown.push(line);
        }
    }
    let example = shown.join(", ");
    let warning = |why: String, help: &str| {
        Some(FieldProblem {
            why: format!("{why}, so it matches no resource"),
            help: format!("{help}: {example}"),
            severity: Severity::Warning,
        })
    };
    if candidates.iter().all(|(r, ..)| r.is_empty()) && !may_be_empty(region) {
        return warning(
            format!("these `{service}` ARNs have no region, but this one has `{region}`"),
            "leave the region field empty",
        );
    }
    if candidates.iter().all(|(r, ..)| !r.is_empty()) && !may_be_set(region) {
        return warning(
            format!("these `{service}` ARNs have a region, but this one has none"),
            "add the region (or `*`)",
        );
    }
    if candidates.iter().all(|(_, a, _)| a.is_empty()) && !may_be_empty(account) {
        return warning(
            format!("these `{service}` ARNs have no account, but this one has `{account}`"),
            "leave the account field empty",
        );
    }
    if candidates.iter().all(|(_, a, _)| !a.is_empty()) && !may_be_set(account) {
        return warning(
            format!("these `{service}` ARNs have an account, but this one has none"),
            "add the account ID (or `*`)",
        );
    }
    let has = |field: &str, what: &str| match field {
        "" => format!("no {what}"),
        f => format!("{what} `{f}`"),
    };
    warning(
        format!(
            "no `{service}` ARN format has {} and {}",
            has(region, "region"),
            has(account, "account")
        ),
        "write the ARN in one of the service's forms",
    )
}

/// Whether the resource part names a resource by an AWS-owned name: the
/// name after the resource type starts with `AWS` or `Amazon` (any case), as
/// AWS's shared SSM documents and public parameters do.
fn names_aws_owned(resource: &str) -> bool {
    let Some((_, name)) = resource.split_once(['/', ':']) else {
        return false;
    };
    let starts = |p: &str| {
        name.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    starts("aws") || starts("amazon")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(arn: &str) -> Option<String> {
        arn_field_problem(arn).map(|p| p.why)
    }

    #[test]
    fn fields() {
        for ok in [
            "arn:aws:s3:::my-bucket/*",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/x",
            "arn:*:s3:*:*:bucket",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::123456789012:role/x",
            "arn:aws:logs:*:*:*",
            "arn:aws:ec2:us-east-1::image/ami-1",
            "arn:aws:sqs:${aws:RequestedRegion}:${aws:PrincipalAccount}:q",
            "arn:aws:cloudfront:*",
            "arn:aws:unknownservice:xx:yy:z",
            "arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub",
            "arn:aws:ssm:*::document/AWS-RunShellScript",
            "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/*",
            "arn:aws:ssm:*::automation-definition/AmazonInspector2-*",
        ] {
            assert_eq!(why(ok), None, "{ok}");
        }
        for (bad, severity) in [
            ("arn:aws:S3:::b", Severity::Error),
            ("arn:aws:s3:us-east-1::b", Severity::Warning),
            ("arn:aws:s3::123456789012:b", Severity::Warning),
            ("arn:aws:iam:::role/x", Severity::Warning),
            ("arn:aws:ssm:*::document/MyDocument", Severity::Warning),
            ("arn:aws:sqs:us-east-99:123456789012:q", Severity::Warning),
            ("arn:aws:sqs:useast1:123456789012:q", Severity::Error),
            ("arn:aws:sqs:us-east-1:12345:q", Severity::Error),
            ("arn:aws:sqs::123456789012:q", Severity::Warning),
            ("arn:aws-foo:sqs:us-east-1:123456789012:q", Severity::Error),
            ("arn:AWS:sqs:us-east-1:123456789012:q", Severity::Error),
        ] {
            let p = arn_field_problem(bad).unwrap_or_else(|| panic!("{bad}"));
            assert_eq!(p.severity, severity, "{bad}: {}", p.why);
        }
    }
}
