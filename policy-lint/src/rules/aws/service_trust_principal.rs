use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Location};
use crate::documents::aws_policy::Effect;
use crate::eval::{self, Tri};
use crate::json::Node;
use crate::model::Model;
use crate::model::aws::catalog::{
    bounded_edit_distance, edit_distance, is_known_principal, nearest_principal,
};
use crate::registry::{Check, Context};

use super::chain;

declare_rule! {
    /// ## What it does
    /// Follows a service to the role it uses (a VPC flow log's
    /// `DeliverLogsPermissionArn`, or a catalogue entry) and reports a trust
    /// policy that does not let the service principal `sts:AssumeRole`. The
    /// span is on the wrong principal string (or the trust policy when it
    /// names no service), with a label on the place that names the role.
    /// In a Terraform plan the role is found through `configuration`
    /// references when its ARN is unknown until apply; when it cannot be
    /// found, an advice says which checks (AWS001-AWS003) were skipped and why.
    ///
    /// ## Why is this bad?
    /// The service cannot assume the role, so it cannot act: flow logs stay
    /// in `DeliverLogsStatus: FAILED` with "Access error" and no record
    /// reaches CloudWatch Logs. A one-letter typo (`vpc-flow-log.amazonaws.com`)
    /// is enough, and IAM accepts the policy without complaint.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"Service": "vpc-flow-log.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## References
    /// - [IAM role for publishing flow logs to CloudWatch Logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)
    /// - [Policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    pub struct ServiceTrustPrincipal {
        code: "AWS001",
        name: "service-trust-principal",
        summary: "a role used by a service does not let that service principal assume it",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html"),
    }
}

impl Check for ServiceTrustPrincipal {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let aws = &model.aws;
        // Services whose role could not be linked (Terraform values unknown
        // until apply): say which checks were skipped and why.
        for u in &aws.unlinked {
            let Some(at) = u.location else { continue };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    at,
                    format!(
                        "cannot check the role of {} (AWS001, AWS002, AWS003 skipped): {}",
                        u.user, u.reason
                    ),
                )
                .with_severity(crate::diagnostic::Severity::Advice)
                .with_help(u.help.clone()),
            );
        }
        for chain in chain::chains(aws) {
            let Some(trust) = &chain.role.trust else {
                continue;
            };
            let expected = chain.entry.service_principal.as_str();
            for action in &chain.entry.trust_actions {
                if eval::trust_allows(trust, expected, action) != Tri::No {
                    continue;
                }
                let (primary, help) = culprit(trust, expected, action);
                let Some(primary) = primary.or(trust.at(trust.node)) else {
                    continue;
                };
                let mut d = Diagnostic::new(
                    &Self::META,
                    primary,
                    format!(
                        "{} does not let `{expected}` assume it (`{action}`)",
                        chain.subject()
                    ),
                )
                .with_help(help)
                .with_logical(chain.role.display());
                if let Some((at, msg)) = chain.use_label() {
                    d = d.with_label(at, msg);
                }
                cx.report(d);
            }
        }
    }
}

/// The principal string to change, and the help: the Service principal of
/// an Allow of `action` nearest to `expected`, or a Deny that removes it.
fn culprit(
    trust: &crate::model::aws::PolicyDoc<'_>,
    expected: &str,
    action: &str,
) -> (Option<Location>, String) {
    let mut best: Option<(Node<'_>, &str, usize)> = None;
    for s in trust.policy().statements() {
        let Some(actions) = s.action() else { continue };
        let listed = actions
            .strings()
            .any(|(_, p)| eval::action_matches(p, action));
        if listed == actions.negated {
            continue;
        }
        let Some(p) = s.principal() else { continue };
        if s.effect() == Some(Effect::Deny) {
            if p.is_wildcard() || p.services().any(|(_, v)| eval::same_service(v, expected)) {
                return (
                    trust.at(s.node),
                    format!("this Deny removes `{expected}` {action}; narrow or remove it"),
                );
            }
            continue;
        }
        if p.negated() {
            continue;
        }
        for (node, value) in p.services() {
            let d = edit_distance(&value.to_ascii_lowercase(), expected);
            if best.is_none_or(|(_, _, bd)| d < bd) {
                best = Some((node, value, d));
            }
        }
    }
    let add = format!(
        "let the service assume the role: a statement with `\"Effect\": \"Allow\"`, \
         `\"Principal\": {{\"Service\": \"{expected}\"}}` and `\"Action\": \"{action}\"`"
    );
    match best {
        Some((node, value, _)) => {
            let near = nearest_principal(value, 3).is_some_and(|(p, _)| p == expected)
                || bounded_edit_distance(&value.to_ascii_lowercase(), expected, 3).is_some();
            let help = if near {
                format!("did you mean `{expected}`?")
            } else if is_known_principal(value) {
                format!(
                    "`{value}` is another service; add `{expected}` to the `Service` principals"
                )
            } else {
                format!("`{value}` is not a known service principal; did you mean `{expected}`?")
            };
            (trust.at(node), help)
        }
        None => (None, add),
    }
}
