use crate::aws_action::{Catalogue, typo_threshold};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::{Policy, has_service_principal};

declare_rule! {
    /// ## What it does
    /// Reports an action whose service prefix (before the `:`) is not in the
    /// vendored list of AWS service prefixes (`rules/aws-actions.json`,
    /// 470 prefixes). Prefixes are compared without regard to case.
    ///
    /// Severity: an **error** when the prefix is a small edit away from a
    /// known one (`s4`, `dynamodbb`, `ec2s`: a typo, the action matches no
    /// request) with a "did you mean"; otherwise a **warning**, because the
    /// list is a snapshot and a new service may be missing from it (the
    /// message says so when `<prefix>.amazonaws.com` is a known service
    /// principal). Prefixes holding a wildcard are AWS203's business.
    ///
    /// ## Why is this bad?
    /// IAM stores a policy with an unknown service (the console shows it
    /// under "Unrecognized services"), but the statement never matches a
    /// request: an Allow grants nothing, a Deny guards nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `INVALID_SERVICE_IN_ACTION` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [Troubleshoot IAM policies: unrecognized services](https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html#troubleshoot_policies-unrecognized-visual)
    pub struct UnknownServicePrefix {
        code: "AWS201",
        name: "unknown-service-prefix",
        summary: "an action's service prefix is not a known AWS service",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"),
    }
}

impl Check for UnknownServicePrefix {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let catalogue = Catalogue::get();
        for a in policy.actions(cx) {
            if a.wild_prefix || a.facts.service.is_some() {
                continue;
            }
            let near = catalogue.nearest_service(a.prefix, typo_threshold(a.prefix.len()));
            let known_principal = has_service_principal(a.prefix);
            let mut d = Diagnostic::new(
                &Self::META,
                doc.at(a.node),
                format!(
                    "unknown service prefix `{}` in action `{}`{}",
                    a.prefix,
                    a.action,
                    policy.in_name()
                ),
            );
            d = match near {
                Some((p, _)) if !known_principal => d
                    .with_severity(Severity::Error)
                    .with_help(format!("did you mean `{p}:{}`?", a.name)),
                _ if known_principal => d.with_help(format!(
                    "`{}.amazonaws.com` is a known service principal, so the service may be newer than the action list ({}); check the Service Authorization Reference",
                    a.prefix.to_ascii_lowercase(),
                    catalogue.snapshot_date
                )),
                _ => d.with_help(format!(
                    "no AWS service has this prefix in the action list of {}; check the Service Authorization Reference",
                    catalogue.snapshot_date
                )),
            };
            cx.report(d);
        }
    }
}
