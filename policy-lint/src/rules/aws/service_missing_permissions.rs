use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{self, Decision, Layer};
use crate::model::Model;
use crate::model::aws::org::AppliedScp;
use crate::model::aws::{AwsModel, Resolved};
use crate::registry::{Check, Context};

use super::chain::{self, Chain, Outcome};
use super::why_not;

declare_rule! {
    /// ## What it does
    /// Evaluates the permissions of a role a service uses (inline and
    /// attached policies, within its permissions boundary and the SCPs
    /// passed with `--scp`) and reports the actions the service needs that
    /// they do not allow. For VPC flow logs delivering to CloudWatch Logs:
    /// `logs:CreateLogGroup`, `logs:CreateLogStream`, `logs:PutLogEvents`,
    /// `logs:DescribeLogGroups` and `logs:DescribeLogStreams`.
    ///
    /// Actions match as IAM matches them: case-insensitively, with `*` and
    /// `?`; an `Allow` with `NotAction` grants what it does not list; a
    /// boundary or SCP that does not allow an action removes it. When an
    /// attached policy's content is in no input and has no embedded copy,
    /// the finding is "cannot verify" advice instead.
    ///
    /// An allow-list SCP of a Terraform plan (one with `Allow` statements)
    /// attached above the role's account that allows none of a needed
    /// action is a warning, not an error, since SCPs attached there outside
    /// the plan (the default `FullAWSAccess`) may allow it; advice when the
    /// plan cannot tell whether the role's account is under its target.
    ///
    /// A role that no input shows in use but that authorization details
    /// list completely, and whose trust policy admits the principal of
    /// exactly one catalogue entry, is checked against that entry too; as
    /// the use is inferred, its findings are warnings.
    ///
    /// ## Why is this bad?
    /// The service assumes the role and then fails on the first call it is
    /// not allowed: flow logs report "Access error" and deliver nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
    ///              "logs:DescribeLogGroups", "logs:DescribeLogStreams"], "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - [IAM role for publishing flow logs to CloudWatch Logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)
    /// - [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
    /// - [Permissions boundaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
    pub struct ServiceMissingPermissions {
        code: "AWS002",
        name: "service-missing-permissions",
        summary: "a role used by a service lacks an action the service needs",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html"),
    }
}

impl Check for ServiceMissingPermissions {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let aws = &model.aws;
        for chain in chain::chains(aws) {
            if !chain.role_described() {
                continue;
            }
            if !chain.permissions_given() {
                report_unknown_policies(&chain, cx);
                continue;
            }
            let mut missing: Vec<(Layer, String)> = Vec::new();
            let mut maybe: Vec<(Layer, String, Vec<&str>)> = Vec::new();
            let mut unverifiable: Vec<(String, Vec<String>)> = Vec::new();
            let mut gaps: Vec<(AppliedScp<'_>, Vec<String>)> = Vec::new();
            for (action, outcome) in chain::outcomes(aws, &chain) {
                match outcome {
                    Outcome::Missing(layer) => missing.push((layer, action)),
                    Outcome::MaybeMissing(layer, keys) => maybe.push((layer, action, keys)),
                    Outcome::Denied(e) => {
                        if let Decision::Denied { .. } = e.decision
                            && let Some((layer, _)) =
                                e.layers.iter().find(|(_, t)| *t == eval::Tri::No)
                        {
                            missing.push((*layer, action));
                        }
                    }
                    Outcome::CannotVerify(arns) => unverifiable.push((action, arns)),
                    Outcome::ScpGap(e) => {
                        for gap in e.scp_gaps {
                            match gaps.iter_mut().find(|(g, _)| {
                                std::ptr::eq(g.target, gap.target)
                                    && std::ptr::eq(g.document, gap.document)
                            }) {
                                Some((_, actions)) => actions.push(action.clone()),
                                None => gaps.push((gap, vec![action.clone()])),
                            }
                        }
                    }
                    Outcome::Ok | Outcome::MayDeny(_) => {}
                }
            }
            for layer in [Layer::Identity, Layer::Boundary, Layer::Scp] {
                // The actions without which the service fails, then those
                // whose absence is a warning: one finding each.
                for warning_only in [false, true] {
                    let group: Vec<&String> = missing
                        .iter()
                        .filter(|(l, a)| {
                            *l == layer && chain.entry.is_warning_only(a) == warning_only
                        })
                        .map(|(_, a)| a)
                        .collect();
                    if !group.is_empty() {
                        report_missing(aws, &chain, layer, &group, cx);
                    }
                }
            }
            for layer in [Layer::Identity, Layer::Boundary, Layer::Scp] {
                let group: Vec<&(Layer, String, Vec<&str>)> =
                    maybe.iter().filter(|(l, _, _)| *l == layer).collect();
                if !group.is_empty() {
                    report_maybe_missing(aws, &chain, layer, &group, cx);
                }
            }
            if !unverifiable.is_empty() {
                report_unverifiable(&chain, &unverifiable, cx);
            }
            for (gap, actions) in &gaps {
                report_scp_gap(&chain, gap, actions, cx);
            }
        }
    }
}

fn action_list(actions: &[&String]) -> String {
    actions
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report_missing(
    aws: &AwsModel<'_>,
    chain: &Chain<'_, '_>,
    layer: Layer,
    actions: &[&String],
    cx: &mut Context<'_>,
) {
    let warning_only = actions.iter().all(|a| chain.entry.is_warning_only(a));
    let role = chain.role;
    let (primary, message, help) = match layer {
        Layer::Identity => {
            let primary = role
                .inline
                .iter()
                .find_map(|p| p.at(p.node))
                .or(role.location)
                .or(chain.service.role_location);
            let help = match chain.entry.least_privilege_json() {
                Some(stmt) => format!(
                    "allow {} in a policy of the role, for example with this statement:\n{stmt}",
                    action_list(actions)
                ),
                None => format!("allow {} in a policy of the role", action_list(actions)),
            };
            (
                primary,
                format!(
                    "{} is not allowed {}",
                    chain.subject(),
                    action_list(actions)
                ),
                help,
            )
        }
        Layer::Boundary => {
            let b = role.boundary.as_ref();
            let doc_at = b.and_then(|b| match aws.resolve(&b.arn, role.scope) {
                Resolved::Input(m) => m.document.at(m.document.node),
                _ => None,
            });
            (
                doc_at.or(b.and_then(|b| b.location)).or(role.location),
                format!(
                    "the permissions boundary of {} does not allow {}",
                    chain.subject(),
                    action_list(actions)
                ),
                format!(
                    "a boundary only limits: add {} to the boundary policy, or attach a boundary that allows them",
                    action_list(actions)
                ),
            )
        }
        Layer::Scp => {
            let first = aws.scps.first().map(|s| &s.document);
            (
                first.and_then(|d| d.at(d.node)),
                format!(
                    "the service control policies do not allow {} for {}",
                    action_list(actions),
                    chain.subject()
                ),
                format!(
                    "SCPs only limit: allow {} in the SCPs of the account's organizational units",
                    action_list(actions)
                ),
            )
        }
    };
    let Some(primary) = primary else { return };
    let mut d = Diagnostic::new(&ServiceMissingPermissions::META, primary, message)
        .with_help(help)
        .with_logical(role.display())
        .with_docs_url(chain.entry.docs_url.as_str());
    if warning_only || chain.service.inferred {
        d = d.with_severity(Severity::Warning);
    }
    if let Some((at, msg)) = chain.use_label() {
        d = d.with_label(at, msg);
    }
    for (at, label) in why_not::labels(aws, chain, layer, actions) {
        if at != primary {
            d = d.with_label(at, label);
        }
    }
    // Allows that use NotAction and leave a needed action out.
    let set = eval::policy_set(aws, role);
    for doc in set.identity.iter().chain(set.scps.iter()) {
        for s in doc.policy().statements() {
            let Some(el) = s.action().filter(|a| a.negated) else {
                continue;
            };
            if s.effect() != Some(crate::documents::aws_policy::Effect::Allow) {
                continue;
            }
            for (node, pattern) in el.strings() {
                if let Some(a) = actions.iter().find(|a| eval::action_matches(pattern, a))
                    && let Some(at) = doc.at(node)
                {
                    d = d.with_label(at, format!("`NotAction` leaves out `{a}`"));
                }
            }
        }
    }
    if layer == Layer::Boundary
        && let Some(at) = role.boundary.as_ref().and_then(|b| b.location)
        && at != primary
    {
        d = d.with_label(at, "the role's permissions boundary");
    }
    cx.report(d);
}

/// Actions a layer allows only when conditions hold on keys the inputs
/// do not give: a warning naming the keys.
fn report_maybe_missing(
    aws: &AwsModel<'_>,
    chain: &Chain<'_, '_>,
    layer: Layer,
    items: &[&(Layer, String, Vec<&str>)],
    cx: &mut Context<'_>,
) {
    let actions: Vec<&String> = items.iter().map(|(_, a, _)| a).collect();
    let mut keys: Vec<&str> = Vec::new();
    for k in items.iter().flat_map(|(_, _, k)| k) {
        if !keys.contains(k) {
            keys.push(k);
        }
    }
    let key_list = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let labels = why_not::conditional_allows(aws, chain, layer, &actions);
    let Some(primary) = labels
        .first()
        .map(|(at, _)| *at)
        .or(chain.role.location)
        .or(chain.service.role_location)
    else {
        return;
    };
    let place = match layer {
        Layer::Identity => "its policies allow",
        Layer::Boundary => "its permissions boundary allows",
        Layer::Scp => "the service control policies allow",
    };
    let mut d = Diagnostic::new(
        &ServiceMissingPermissions::META,
        primary,
        format!(
            "{} may not be allowed {}: {place} them only when a condition on {key_list} holds, \
             and the inputs do not give its value",
            chain.subject(),
            action_list(&actions)
        ),
    )
    .with_severity(Severity::Warning)
    .with_help(format!(
        "make sure the service's requests meet the condition, or allow {} without it",
        action_list(&actions)
    ))
    .with_logical(chain.role.display())
    .with_docs_url(chain.entry.docs_url.as_str());
    for (at, label) in labels.into_iter().skip(1) {
        d = d.with_label(at, label);
    }
    if let Some((at, msg)) = chain.use_label() {
        d = d.with_label(at, msg);
    }
    cx.report(d);
}

fn report_unknown_policies(chain: &Chain<'_, '_>, cx: &mut Context<'_>) {
    let Some(primary) = chain.role.location.or(chain.service.role_location) else {
        return;
    };
    cx.report(
        Diagnostic::new(
            &ServiceMissingPermissions::META,
            primary,
            format!(
                "cannot verify the permissions of {}: no input gives its policies",
                chain.subject()
            ),
        )
        .with_severity(Severity::Advice)
        .with_help(
            "also pass `aws iam get-role-policy` output for each inline policy and \
             `aws iam get-policy-version` output for each attached policy, or \
             `aws iam get-account-authorization-details` output",
        )
        .with_logical(chain.role.display())
        .with_docs_url(chain.entry.docs_url.as_str()),
    );
}

fn report_unverifiable(
    chain: &Chain<'_, '_>,
    items: &[(String, Vec<String>)],
    cx: &mut Context<'_>,
) {
    let mut arns: Vec<&String> = items.iter().flat_map(|(_, a)| a).collect();
    arns.sort();
    arns.dedup();
    let actions: Vec<&String> = items.iter().map(|(a, _)| a).collect();
    let role = chain.role;
    for arn in arns {
        let at = role
            .attached
            .iter()
            .chain(role.boundary.iter())
            .find(|a| &a.arn == arn)
            .and_then(|a| a.location)
            .or(role.location)
            .or(chain.service.role_location);
        let Some(at) = at else { continue };
        cx.report(
            Diagnostic::new(
                &ServiceMissingPermissions::META,
                at,
                format!(
                    "cannot verify that {} is allowed {}: no input gives the content of `{arn}`",
                    chain.subject(),
                    action_list(&actions)
                ),
            )
            .with_severity(Severity::Advice)
            .with_help(format!(
                "pass `aws iam get-policy-version --policy-arn {arn} --version-id <default version>` \
                 output saved as `{}.json`, or `aws iam get-account-authorization-details` output",
                crate::model::aws::arn_name(arn)
            ))
            .with_logical(role.display())
            .with_docs_url(chain.entry.docs_url.as_str()),
        );
    }
}

/// An allow-list SCP of a plan, attached above the role's account (or
/// perhaps above it), that allows none of `actions`: a warning when the
/// plan places the account under its target (the SCPs attached there
/// outside the plan, such as `FullAWSAccess`, are not known), advice when it
/// cannot tell.
fn report_scp_gap(
    chain: &Chain<'_, '_>,
    gap: &AppliedScp<'_>,
    actions: &[String],
    cx: &mut Context<'_>,
) {
    let role = chain.role;
    let Some(primary) = gap.document.at(gap.document.node) else {
        return;
    };
    let refs: Vec<&String> = actions.iter().collect();
    let target = &gap.target.label;
    let condition = gap
        .condition()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let mut d = Diagnostic::new(
        &ServiceMissingPermissions::META,
        primary,
        format!(
            "SCP `{}` attached to {target} does not allow {} for {}{condition}",
            gap.document.name,
            action_list(&refs),
            chain.subject(),
        ),
    )
    .with_help(format!(
        "at each level of the organization an action must be allowed by an SCP attached there, and this allow-list SCP \
         does not allow {}: allow them in it, or keep an SCP that allows them (such as `FullAWSAccess`) attached to \
         {target}; the plan does not show SCPs attached outside it, so this is not certain",
        action_list(&refs)
    ))
    .with_logical(role.display())
    .with_docs_url(chain.entry.docs_url.as_str())
    .with_severity(if gap.applies == eval::Tri::Yes {
        Severity::Warning
    } else {
        Severity::Advice
    });
    if let Some(at) = gap.target.location {
        d = d.with_label(
            at,
            format!("`{}` attaches it to {target}", gap.target.attachment),
        );
    }
    if let Some((at, note)) = gap.via {
        d = d.with_label(*at, note.clone());
    }
    if let Some((at, msg)) = chain.use_label() {
        d = d.with_label(at, msg);
    }
    cx.report(d);
}
