//! Shared by the service-chain rules (AWS001-AWS003, AWS005): the roles a
//! service uses, and what the evaluation engine says about each action the
//! service needs, asked on the requests its catalogue entry describes (the
//! resource ARN each action is authorized on, the context keys the service
//! sends), filled from what the inputs know.

use crate::diagnostic::Location;
use crate::eval::service::{Facts, service_requests};
use crate::eval::{self, Decision, Evaluation, Layer, PolicySet, Tri};
use crate::model::aws::{AwsModel, CatalogEntry, Role, ServiceUse, arn_name};

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
            if self.service.flow_log.is_some() {
                format!("{} delivers with this role", self.service.user)
            } else {
                format!("{} uses this role", self.service.user)
            },
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
/// A role that inputs define differently gives one chain per definition.
pub fn chains<'m, 'a>(model: &'m AwsModel<'a>) -> Vec<Chain<'m, 'a>> {
    model
        .uses
        .iter()
        .filter_map(|service| Some((service, model.entry(&service.entry)?)))
        .flat_map(|(service, entry)| {
            model.roles_of(service).into_iter().map(move |role| Chain {
                service,
                role,
                entry,
            })
        })
        .collect()
}

/// What the inputs know about a service's use of its role, to fill the
/// catalogue's request templates: the role's partition, account and ARN;
/// for a flow log, the region, account and log group of its destination
/// and its id.
pub fn facts(model: &AwsModel<'_>, chain: &Chain<'_, '_>) -> Facts {
    let role_arn = chain
        .role
        .arn
        .as_deref()
        .or(Some(chain.service.role_arn.as_str()));
    let mut facts = Facts::for_role(role_arn);
    // What the user gives, where the role's ARN does not say (a plan
    // knows a bucket or log group long before the role's ARN).
    for (name, value) in &chain.service.facts {
        if facts.get(name).is_none() {
            facts.set(name, value);
        }
    }
    let Some(fl) = chain.service.flow_log.and_then(|i| model.flow_logs.get(i)) else {
        return facts;
    };
    let dest = fl.destination.as_deref().filter(|d| d.starts_with("arn:"));
    let seg = |i: usize| {
        dest.and_then(|d| d.split(':').nth(i))
            .filter(|s| !s.is_empty())
    };
    if facts.get("Partition").is_none() {
        facts.set_opt("Partition", seg(1));
    }
    facts.set_opt("Region", seg(3));
    if facts.get("Account").is_none() {
        facts.set_opt("Account", seg(4));
    }
    let group = fl.log_group.as_deref().or_else(|| {
        let rest = dest?.split_once(":log-group:")?.1;
        Some(rest.split(':').next().unwrap_or(rest))
    });
    facts.set_opt("LogGroupName", group);
    if fl.id.starts_with("fl-") {
        facts.set("FlowLogId", &fl.id);
    }
    facts
}

/// What the engine says about one needed action, over every resource it
/// is authorized on.
pub enum Outcome<'m> {
    /// Allowed (certainly, or unless a part of the resource the inputs do
    /// not give decides).
    Ok,
    /// Not allowed by a layer.
    Missing(Layer),
    /// A layer allows it only under conditions on keys the request context
    /// does not give (named, as the policies spell them).
    MaybeMissing(Layer, Vec<&'m str>),
    /// Denied by an explicit Deny.
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

/// Evaluates each action the entry needs for the chain's role, on the
/// requests its catalogue entry describes.
pub fn outcomes<'m>(model: &'m AwsModel<'_>, chain: &Chain<'m, '_>) -> Vec<(String, Outcome<'m>)> {
    let set = eval::policy_set(model, chain.role);
    let facts = facts(model, chain);
    service_requests(&model.catalogue, chain.entry, &facts)
        .into_iter()
        .map(|s| {
            let evals: Vec<Evaluation<'m>> =
                s.requests.iter().map(|r| eval::evaluate(&set, r)).collect();
            (s.action, combine(&set, evals))
        })
        .collect()
}

/// One outcome for the requests of one action: each resource must be allowed.
fn combine<'m>(set: &PolicySet<'m>, mut evals: Vec<Evaluation<'m>>) -> Outcome<'m> {
    let denied = |e: &Evaluation<'_>| matches!(e.decision, Decision::Denied { .. });
    let missing = |e: &Evaluation<'_>| match e.decision {
        Decision::NotAllowed { layer } => Some(layer),
        _ => None,
    };
    if let Some(i) = evals.iter().position(denied) {
        return Outcome::Denied(evals.swap_remove(i));
    }
    if let Some(layer) = evals.iter().find_map(missing) {
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
    for e in &evals {
        for (layer, tri) in &e.layers {
            if *tri != Tri::Maybe {
                continue;
            }
            let mut keys: Vec<&'m str> = Vec::new();
            for k in e
                .allows
                .iter()
                .filter(|a| a.layer == *layer && a.applies == Tri::Maybe)
                .filter_map(|a| a.unknown_key)
            {
                if !keys.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                    keys.push(k);
                }
            }
            // An Allow that certainly applies elsewhere in the layer, or
            // one left open only by parts of the resource the inputs do
            // not give, is no finding.
            let certain = e
                .allows
                .iter()
                .any(|a| a.layer == *layer && a.applies == Tri::Yes);
            if !keys.is_empty() && !certain {
                return Outcome::MaybeMissing(*layer, keys);
            }
        }
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
