use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::documents::aws_policy::Effect;
use crate::eval::condition::condition_applies;
use crate::eval::service::trust_context;
use crate::eval::{self, Tri, TrustRequest};
use crate::json::Node;
use crate::model::Model;
use crate::model::aws::PolicyDoc;
use crate::model::aws::catalog::{
    bounded_edit_distance, edit_distance, is_known_principal, nearest_principal,
};
use crate::registry::{Check, Context};

use super::chain;
use super::why_not::sent_values;

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
    /// The trust policy's conditions are evaluated against what the service
    /// sends when it assumes the role (for flow logs `aws:SourceAccount` and
    /// `aws:SourceArn`, the flow log's account and ARN): a condition that
    /// names another account is an error, one on a key the inputs do not
    /// give a warning naming it. Service principals are compared in the
    /// role's partition (from its ARN): `.amazonaws.com.cn` names a service
    /// only in `aws-cn`.
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
        // Several entries of one principal may use a role (a Lambda
        // function's logs, its VPC interfaces, its event sources): one
        // finding per trust policy and principal, at the first use.
        // Keyed by the trust policy's node (its tree and position): each
        // definition of a role that inputs define differently has its own.
        let mut seen: crate::hash::HashSet<(usize, u32, &str)> = Default::default();
        for chain in chain::chains(aws) {
            let Some(trust) = &chain.role.trust else {
                report_unknown_trust(&chain, cx);
                continue;
            };
            let expected = chain.entry.service_principal.as_str();
            let node = (
                std::ptr::from_ref(trust.node.tree()) as usize,
                trust.node.index(),
            );
            if !seen.insert((node.0, node.1, expected)) {
                continue;
            }
            let facts = chain::facts(aws, &chain);
            let context = trust_context(&aws.catalogue, chain.entry, &facts);
            for action in &chain.entry.trust_actions {
                let request = TrustRequest {
                    service: expected,
                    action,
                    partition: facts.get("Partition"),
                    context: &context,
                };
                let applies = eval::trust_applies(trust, &request);
                match (applies.tri, applies.unknown_key) {
                    (Tri::No, _) => {}
                    (Tri::Maybe, Some(key)) => {
                        report_conditional_trust(&chain, trust, expected, action, key, cx);
                        continue;
                    }
                    _ => continue,
                }
                let (primary, help) = culprit(trust, expected, action, &request);
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
                .with_logical(chain.role.display())
                .with_docs_url(chain.entry.docs_url.as_str());
                if let Some((at, msg)) = chain.use_label() {
                    d = d.with_label(at, msg);
                }
                cx.report(d);
            }
        }
    }
}

/// A role whose trust policy is unknown until apply: "cannot verify"
/// advice, as for a permission policy no input gives.
fn report_unknown_trust(chain: &chain::Chain<'_, '_>, cx: &mut Context<'_>) {
    let Some((at, reason)) = &chain.role.trust_unknown else {
        return;
    };
    let Some(at) = at.or(chain.service.role_location) else {
        return;
    };
    let mut d = Diagnostic::new(
        &ServiceTrustPrincipal::META,
        at,
        format!(
            "cannot verify that {} lets `{}` assume it: {reason}",
            chain.subject(),
            chain.entry.service_principal
        ),
    )
    .with_severity(Severity::Advice)
    .with_help(
        "the check runs once the trust policy is known: lint `terraform show -json` of the \
         state after apply, or write the policy with `jsonencode(...)` from values known at plan time",
    )
    .with_logical(chain.role.display());
    if let Some((at, msg)) = chain.use_label() {
        d = d.with_label(at, msg);
    }
    cx.report(d);
}

/// A trust that admits the service only under a condition on a key the
/// inputs do not give: a warning naming the key.
fn report_conditional_trust(
    chain: &chain::Chain<'_, '_>,
    trust: &PolicyDoc<'_>,
    expected: &str,
    action: &str,
    key: &str,
    cx: &mut Context<'_>,
) {
    let at = trust
        .policy()
        .statements()
        .filter_map(|s| s.condition())
        .find(|c| c.has_key(key))
        .and_then(|c| trust.at(c.node))
        .or(trust.at(trust.node));
    let Some(at) = at else { return };
    let mut d = Diagnostic::new(
        &ServiceTrustPrincipal::META,
        at,
        format!(
            "{} lets `{expected}` assume it (`{action}`) only when a condition on `{key}` holds, \
             and the inputs do not give its value",
            chain.subject()
        ),
    )
    .with_severity(Severity::Warning)
    .with_help(format!(
        "check that `{expected}` sends `{key}` with a value the condition accepts ({})",
        chain.entry.docs_url
    ))
    .with_logical(chain.role.display())
    .with_docs_url(chain.entry.docs_url.as_str());
    if let Some((at, msg)) = chain.use_label() {
        d = d.with_label(at, msg);
    }
    cx.report(d);
}

/// The string to change, and the help: a condition the service's request
/// cannot meet, the Service principal of an Allow of `action` nearest to
/// `expected` (or the same service in another partition), or a Deny that
/// removes it.
fn culprit(
    trust: &PolicyDoc<'_>,
    expected: &str,
    action: &str,
    request: &TrustRequest<'_>,
) -> (Option<Location>, String) {
    let variables = trust.policy().version() == Some("2012-10-17");
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
            if p.is_wildcard()
                || p.services()
                    .any(|(_, v)| eval::service_matches(v, expected, request.partition))
            {
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
        if p.services()
            .any(|(_, v)| eval::service_matches(v, expected, request.partition))
            && let Some(c) = s.condition()
            && condition_applies(c, request.context, variables).0 == Tri::No
        {
            return (
                trust.at(c.node),
                format!(
                    "this condition cannot hold when `{expected}` assumes the role: it sends {}",
                    sent_values(c, request.context)
                ),
            );
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
            let other_partition = eval::same_service(value, expected)
                && !eval::service_matches(value, expected, request.partition);
            let help = if other_partition {
                format!(
                    "`{value}` names the service in the China partition (aws-cn) only; a role in `{}` must trust `{expected}`",
                    request.partition.unwrap_or("aws")
                )
            } else if near {
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
