//! Shared by the service-chain rules (AWS001-AWS003, AWS005): the roles a
//! service uses, and what the evaluation engine says about each action the
//! service needs.

use crate::diagnostic::Location;
use crate::eval::{self, Decision, Evaluation, Layer, PolicySet, Tri};
use crate::model::aws::{
    AwsModel, CatalogEntry, Role, ServiceUse, arn_account, arn_name, arn_partition,
};

/// A service use whose role and catalogue entry are known.
pub struct Chain<'m, 'a> {
    /// The use (flow log -> role).
    pub service: &'m ServiceUse,
    /// The role.
    pub role: &'m Role<'a>,
    /// What the service needs.
    pub entry: &'m CatalogEntry,
}

impl Chain<'_, '_> {
    /// `role `ARN` used by flow log `fl-1``.
    pub fn subject(&self) -> String {
        format!(
            "role `{}` used by {}",
            self.role.display(),
            self.service.user
        )
    }

    /// The label on the place the user names the role.
    pub fn use_label(&self) -> Option<(Location, String)> {
        Some((
            self.service.role_location?,
            format!("{} delivers with this role", self.service.user),
        ))
    }

    /// Whether some input describes the role at all.
    pub fn role_described(&self) -> bool {
        self.role.location.is_some()
            || self.role.trust.is_some()
            || !self.role.inline.is_empty()
            || !self.role.attached.is_empty()
    }

    /// Whether some input gives the role's permission policies.
    pub fn permissions_given(&self) -> bool {
        self.role.complete || !self.role.inline.is_empty() || !self.role.attached.is_empty()
    }
}

/// Every service use of the model with its role and entry.
pub fn chains<'m, 'a>(model: &'m AwsModel<'a>) -> Vec<Chain<'m, 'a>> {
    model
        .uses
        .iter()
        .filter_map(|service| {
            Some(Chain {
                service,
                role: model.role_of(service)?,
                entry: model.entry(&service.entry)?,
            })
        })
        .collect()
}

/// The resources the service touches with `action`, as request patterns
/// (`*` for parts no input says). Flow logs write to their log group; the
/// ARN form of CloudWatch Logs resources varies by action (`log-group:G`,
/// `log-group:G:*`, `log-group:G:log-stream:S`), so each form is asked.
pub fn resources(model: &AwsModel<'_>, service: &ServiceUse, action: &str) -> Vec<String> {
    let Some(fl) = service.flow_log.and_then(|i| model.flow_logs.get(i)) else {
        return vec!["*".to_string()];
    };
    let _ = action;
    let dest = fl.destination.as_deref().filter(|d| d.starts_with("arn:"));
    let seg = |i: usize| {
        dest.and_then(|d| d.split(':').nth(i))
            .filter(|s| !s.is_empty())
    };
    let partition = seg(1)
        .or_else(|| arn_partition(&service.role_arn))
        .unwrap_or("aws");
    let region = seg(3).unwrap_or("*");
    let account = seg(4)
        .or_else(|| arn_account(&service.role_arn))
        .unwrap_or("*");
    let group = fl
        .log_group
        .as_deref()
        .or_else(|| {
            let d = dest?;
            let rest = d.split_once(":log-group:")?.1;
            Some(rest.split(':').next().unwrap_or(rest))
        })
        .unwrap_or("*");
    let base = format!("arn:{partition}:logs:{region}:{account}:log-group:{group}");
    vec![
        base.clone(),
        format!("{base}:*"),
        format!("{base}:log-stream:*"),
    ]
}

/// What the engine says about one needed action, over every resource form.
pub enum Outcome<'m> {
    /// Allowed (certainly or under conditions no rule can decide).
    Ok,
    /// Not allowed by a layer.
    Missing(Layer),
    /// Denied by an explicit Deny on every resource form.
    Denied(Evaluation<'m>),
    /// A Deny may apply (a condition, or some resource forms only).
    MayDeny(Evaluation<'m>),
    /// Depends on a policy whose content no input gives.
    CannotVerify(Vec<String>),
    /// An allow-list SCP attached above the role's account (or perhaps
    /// above it) allows nothing for the action on some resource form; SCPs
    /// attached there outside the inputs may still allow it.
    ScpGap(Evaluation<'m>),
}

/// Evaluates each action the entry needs for the chain's role.
pub fn outcomes<'m>(model: &'m AwsModel<'_>, chain: &Chain<'m, '_>) -> Vec<(String, Outcome<'m>)> {
    let set = eval::policy_set(model, chain.role);
    chain
        .entry
        .required_actions
        .iter()
        .map(|action| {
            let evals: Vec<Evaluation<'m>> = resources(model, chain.service, action)
                .iter()
                .map(|r| eval::evaluate(&set, action, r))
                .collect();
            (action.clone(), combine(&set, evals))
        })
        .collect()
}

fn combine<'m>(set: &PolicySet<'m>, mut evals: Vec<Evaluation<'m>>) -> Outcome<'m> {
    let denied = |e: &Evaluation<'_>| matches!(e.decision, Decision::Denied { .. });
    let missing = |e: &Evaluation<'_>| match e.decision {
        Decision::NotAllowed { layer } => Some(layer),
        Decision::Denied { .. } => e
            .layers
            .iter()
            .find(|(_, t)| *t == Tri::No)
            .map(|(l, _)| *l),
        _ => None,
    };
    if evals.is_empty() {
        return Outcome::Ok;
    }
    if evals.iter().all(denied) {
        return Outcome::Denied(evals.swap_remove(0));
    }
    if let Some(layer) = evals
        .iter()
        .map(missing)
        .collect::<Option<Vec<_>>>()
        .and_then(|l| l.first().copied())
    {
        return Outcome::Missing(layer);
    }
    if let Some(i) = evals.iter().position(|e| !e.denies.is_empty()) {
        return Outcome::MayDeny(evals.swap_remove(i));
    }
    let identity_allows = evals
        .iter()
        .any(|e| e.allows.iter().any(|a| a.layer == Layer::Identity));
    let mut arns: Vec<String> = Vec::new();
    if !identity_allows {
        arns.extend(set.unknown_identity.iter().map(|a| a.to_string()));
    }
    if let Some(eval::Boundary::Unknown(b)) = set.boundary {
        arns.push(b.to_string());
    }
    if !arns.is_empty() {
        return Outcome::CannotVerify(arns);
    }
    if let Some(i) = evals.iter().position(|e| !e.scp_gaps.is_empty()) {
        return Outcome::ScpGap(evals.swap_remove(i));
    }
    Outcome::Ok
}

/// The short name of a policy for messages.
pub fn policy_name(name: &str) -> &str {
    if name.starts_with("arn:") {
        arn_name(name)
    } else {
        name
    }
}
