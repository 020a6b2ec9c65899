use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::documents::aws_policy::Policy;
use crate::documents::{Document, PolicyType};
use crate::model::aws::catalog::{is_known_principal, nearest_principal};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `Service` principal in a trust or resource policy that is
    /// not a known AWS service principal. It is an error when the name is
    /// within a small edit distance of a known principal (a typo, with a
    /// did-you-mean), and a warning otherwise (the service may be newer than
    /// policy-lint's data). Regional (`logs.eu-west-1.amazonaws.com`) and
    /// China (`.amazonaws.com.cn`) forms of known principals are accepted.
    ///
    /// ## Why is this bad?
    /// IAM accepts a trust policy naming a service that does not exist, and
    /// then no service can ever assume the role.
    ///
    /// ## Example
    /// ```json
    /// {"Effect": "Allow", "Principal": {"Service": "vpc-flow-log.amazonaws.com"}, "Action": "sts:AssumeRole"}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}
    /// ```
    ///
    /// ## References
    /// - [AWS service principals](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services)
    pub struct UnknownServicePrincipal {
        code: "AWS006",
        name: "unknown-service-principal",
        summary: "a Service principal is not a known AWS service principal",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services"),
    }
}

/// Largest edit distance at which an unknown principal is called a typo.
const TYPO_DISTANCE: usize = 2;

impl Check for UnknownServicePrincipal {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        if !matches!(
            doc.policy_type(),
            Some(PolicyType::Trust | PolicyType::Resource)
        ) {
            return;
        }
        for s in Policy::new(doc.node).statements() {
            let Some(p) = s.principal() else { continue };
            for (node, service) in p.services() {
                if service.contains(['*', '?', '$']) || is_known_principal(service) {
                    continue;
                }
                let nearest = nearest_principal(service, TYPO_DISTANCE);
                let d = match nearest {
                    Some((known, _)) => Diagnostic::new(
                        &Self::META,
                        doc.at(node),
                        format!("`{service}` is not an AWS service principal"),
                    )
                    .with_help(format!("did you mean `{known}`?")),
                    None => Diagnostic::new(
                        &Self::META,
                        doc.at(node),
                        format!("`{service}` is not a known AWS service principal"),
                    )
                    .with_severity(Severity::Warning)
                    .with_help(
                        "check the service's documentation for its principal \
                         (usually `SERVICE.amazonaws.com`); if it is new, ignore this warning",
                    ),
                };
                cx.report(d);
            }
        }
    }
}
