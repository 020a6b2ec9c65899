use crate::aws_action::{Catalogue, typo_threshold};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an action without wildcards whose service is known but whose
    /// name is not in the vendored action list (`rules/aws-actions.json`,
    /// 21,863 actions). Names are compared without regard to case, as IAM
    /// does (`S3:getobject` is `s3:GetObject`). When a known action is a
    /// small edit away, the help suggests it.
    ///
    /// It is a **warning**, with or without a near match: IAM accepts
    /// unknown actions, the action list is a snapshot that lags new
    /// launches, and AWS's own managed policies name actions missing from the
    /// Service Authorization Reference (40 of the 1,645 at the August 2026
    /// snapshot). Raise it with `--config` if your policies are curated.
    ///
    /// ## Why is this bad?
    /// An unknown action matches no request: an Allow grants nothing (the
    /// call fails with AccessDenied), a Deny protects nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:ListMyBuckets", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `INVALID_ACTION` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [Troubleshoot IAM policies: typos](https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html#troubleshoot_policies-unrecognized-visual)
    pub struct UnknownAction {
        code: "AWS202",
        name: "unknown-action",
        summary: "an action is not a known action of its service",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"),
    }
}

impl Check for UnknownAction {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let catalogue = Catalogue::get();
        for a in policy.actions(cx) {
            if a.wild_prefix || a.wild_name {
                continue;
            }
            let Some(service) = a.facts.service else {
                continue;
            };
            if a.facts.known.is_some() {
                continue;
            }
            let near = service.nearest_action(a.name, typo_threshold(a.name.len()));
            let d = Diagnostic::new(
                &Self::META,
                doc.at(a.node),
                format!(
                    "unknown action `{}`: `{}` has no action `{}`{}",
                    a.action,
                    service.prefix,
                    a.name,
                    policy.in_name()
                ),
            );
            cx.report(match near {
                Some((n, _)) => d.with_help(format!("did you mean `{}:{n}`?", service.prefix)),
                None => d.with_help(format!(
                    "no `{}` action has this name in the action list of {}; if the action is new, ignore this finding",
                    service.prefix, catalogue.snapshot_date
                )),
            });
        }
    }
}
