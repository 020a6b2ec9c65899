use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::eval::{Decision, Layer, StatementRef, Tri};
use crate::model::Model;
use crate::model::aws::org::Placement;
use crate::registry::{Check, Context};

use super::chain::{self, Outcome, policy_name};

declare_rule! {
    /// ## What it does
    /// Reports an explicit `Deny` in a policy that applies to a role a
    /// service uses (an inline or attached policy, the permissions boundary,
    /// or an SCP passed with `--scp`) that removes an action the service
    /// needs. The span is on the Deny statement; labels show the Allow it
    /// defeats and the place that names the role.
    ///
    /// A Deny's `Condition` is evaluated against what the service's requests
    /// carry (the role's ARN and account, the region, `aws:SecureTransport`
    /// true, no MFA, ...; see the catalogue's request contexts): one that
    /// certainly holds is an error, one that cannot hold is no finding, and
    /// one on a key the inputs do not give (or a Deny that covers only some
    /// of the resources the service writes) "may deny": a warning naming
    /// that key.
    ///
    /// SCPs of a Terraform plan apply to the roles of the accounts under the
    /// account, OU or root they are attached to: an error when the role's
    /// ARN gives its account and the plan places it under the target, advice
    /// naming the SCP's address, the target and the reason when the plan
    /// cannot tell (a role ARN unknown until apply, an account whose place in
    /// the organization the plan does not show). SCPs never apply to the
    /// management account nor to service-linked roles.
    ///
    /// ## Why is this bad?
    /// An explicit Deny in any applicable policy overrides every Allow, so
    /// the role looks right in its own policy and still fails: flow logs
    /// report "Access error".
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "NoLogWrites", "Effect": "Deny",
    ///   "Action": "logs:Put*", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// Exclude the delivery role from the Deny (for example with a
    /// `Condition` on `aws:PrincipalArn`), or narrow its `Action` or
    /// `Resource` so it no longer covers the log group.
    ///
    /// ## References
    /// - [Policy evaluation logic: explicit deny](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html)
    /// - [IAM role for publishing flow logs to CloudWatch Logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)
    pub struct DenyOverridesAllow {
        code: "AWS003",
        name: "deny-overrides-allow",
        summary: "an explicit Deny removes an action a service needs from its role",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html"),
    }
}

/// Whether a statement's policy applies to the role (SCPs of a plan may
/// apply only if the role's account is under their target).
fn placed(s: &StatementRef<'_>) -> Tri {
    s.scp.map_or(Tri::Yes, |p| p.applies)
}

struct Found<'m> {
    deny: StatementRef<'m>,
    at: Location,
    certain: bool,
    actions: Vec<String>,
    defeats: Vec<StatementRef<'m>>,
}

impl Check for DenyOverridesAllow {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let aws = &model.aws;
        for chain in chain::chains(aws) {
            let mut found: Vec<Found<'_>> = Vec::new();
            for (action, outcome) in chain::outcomes(aws, &chain) {
                let (e, certain) = match outcome {
                    Outcome::Denied(e) => (e, true),
                    Outcome::MayDeny(e) => (e, false),
                    _ => continue,
                };
                // A possible Deny matters only when the action is otherwise allowed.
                if !certain && e.layers.iter().any(|(_, t)| *t == Tri::No) {
                    continue;
                }
                let denies: Vec<StatementRef<'_>> = match &e.decision {
                    Decision::Denied { by, .. } => vec![*by],
                    _ => e.denies.clone(),
                };
                let defeats: Vec<StatementRef<'_>> = e
                    .allows
                    .iter()
                    .filter(|a| a.layer == Layer::Identity)
                    .copied()
                    .collect();
                for deny in denies {
                    let Some(at) = deny.location() else { continue };
                    match found.iter_mut().find(|f| f.at == at) {
                        Some(f) => {
                            // The same SCP attached at several nodes: keep
                            // the attachment that certainly applies.
                            if placed(&deny) == Tri::Yes && placed(&f.deny) != Tri::Yes {
                                f.deny = deny;
                            }
                            if !f.actions.contains(&action) {
                                f.actions.push(action.clone());
                            }
                        }
                        None => found.push(Found {
                            deny,
                            at,
                            certain: certain && deny.applies == Tri::Yes,
                            actions: vec![action.clone()],
                            defeats: defeats.clone(),
                        }),
                    }
                }
            }
            for f in found {
                let actions = f
                    .actions
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let verb = if f.certain { "denies" } else { "may deny" };
                let place = match (f.deny.layer, f.deny.scp) {
                    (Layer::Identity, _) => {
                        format!("in policy `{}`", policy_name(&f.deny.policy.name))
                    }
                    (Layer::Boundary, _) => "in the permissions boundary".to_string(),
                    (Layer::Scp, Some(scp)) => format!(
                        "in SCP `{}` attached to {}",
                        f.deny.policy.name, scp.target.label
                    ),
                    (Layer::Scp, None) => format!("in SCP `{}`", f.deny.policy.name),
                };
                let condition = f.deny.scp.and_then(|s| s.condition());
                let holds = match f.deny.unknown_key {
                    Some(k) => format!("when its condition on `{k}` holds"),
                    None => "when its condition holds".to_string(),
                };
                let conditional = f.deny.has_condition() && f.deny.applies != Tri::Yes;
                let why = if f.certain {
                    String::new()
                } else if let Some(c) = &condition {
                    if conditional {
                        format!(" ({holds}, and {c})")
                    } else {
                        format!(" ({c})")
                    }
                } else if conditional {
                    format!(" ({holds})")
                } else {
                    " (on some of the resources it writes)".to_string()
                };
                let mut d = Diagnostic::new(
                    &Self::META,
                    f.at,
                    format!(
                        "{} {place} {verb} {actions} to {}{why}",
                        f.deny.statement.label(),
                        chain.subject()
                    ),
                )
                .with_help(if f.deny.scp.is_some_and(|s| s.placement == Placement::UnknownAccount) {
                    "whether this Deny applies depends on where the role's account is in the organization, \
                     which the inputs cannot tell: lint the state after apply (the role's ARN is known then) \
                     together with the organization's state; if it applies, exclude the role from this Deny \
                     (for example with a condition on `aws:PrincipalArn`)"
                } else if condition.is_some() {
                    "whether this Deny applies depends on where the role's account is in the organization, \
                     which the inputs do not show: lint them together with the organization's plan or state \
                     (its accounts and OUs); if it applies, exclude the role from this Deny (for example with \
                     a condition on `aws:PrincipalArn`)"
                } else {
                    "an explicit Deny overrides every Allow: exclude the role from this Deny \
                     (for example with a condition on `aws:PrincipalArn`) or narrow its Action or Resource"
                })
                .with_logical(chain.role.display())
                .with_docs_url(chain.entry.docs_url.as_str());
                let minor = chain.service.inferred
                    || f.actions.iter().all(|a| chain.entry.is_warning_only(a));
                if condition.is_some() {
                    // Where the role's account is, the inputs cannot tell.
                    d = d.with_severity(Severity::Advice);
                } else if !f.certain || minor {
                    d = d.with_severity(Severity::Warning);
                }
                if let Some(scp) = f.deny.scp
                    && let Some(at) = scp.target.location
                {
                    d = d.with_label(
                        at,
                        format!(
                            "`{}` attaches it to {}",
                            scp.target.attachment, scp.target.label
                        ),
                    );
                }
                if let Some((at, note)) = f.deny.scp.and_then(|s| s.via) {
                    d = d.with_label(*at, note.clone());
                }
                let mut seen = Vec::new();
                for a in &f.defeats {
                    if let Some(at) = a.location()
                        && !seen.contains(&at)
                    {
                        seen.push(at);
                        d = d.with_label(
                            at,
                            format!(
                                "the Allow it {}",
                                if f.certain { "defeats" } else { "may defeat" }
                            ),
                        );
                    }
                }
                if let Some((at, msg)) = chain.use_label() {
                    d = d.with_label(at, msg);
                }
                cx.report(d);
            }
        }
    }
}
