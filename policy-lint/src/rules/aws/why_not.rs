//! Why a service's request is not allowed: labels on the Allow statements
//! that name a needed action but do not apply to the request the service
//! makes (another resource ARN form, a condition that cannot hold or that
//! the inputs cannot settle).

use crate::diagnostic::Location;
use crate::documents::aws_policy::Effect;
use crate::eval::service::service_requests;
use crate::eval::{self, Boundary, Layer, Request, RequestContext, Tri};
use crate::model::aws::{AwsModel, PolicyDoc};

use super::chain::{self, Chain};

/// The documents of `layer` for the chain's role.
fn documents<'m>(
    aws: &'m AwsModel<'_>,
    chain: &Chain<'m, '_>,
    layer: Layer,
) -> Vec<&'m PolicyDoc<'m>> {
    let set = eval::policy_set(aws, chain.role);
    match layer {
        Layer::Identity => set.identity,
        Layer::Boundary => match set.boundary {
            Some(Boundary::Known(d)) => vec![d],
            _ => Vec::new(),
        },
        Layer::Scp => set.scps,
    }
}

/// Each Allow of `layer` that names one of `actions`, with the requests
/// of that action and how the statement applies to each.
fn visit<'m>(
    aws: &'m AwsModel<'_>,
    chain: &Chain<'m, '_>,
    layer: Layer,
    actions: &[&String],
    mut f: impl FnMut(
        &PolicyDoc<'m>,
        &crate::documents::aws_policy::Statement<'m>,
        &Request,
        eval::Applies<'m>,
    ),
) {
    let requests = service_requests(&aws.catalogue, chain.entry, &chain::facts(aws, chain));
    for doc in documents(aws, chain, layer) {
        let policy = doc.policy();
        let variables = policy.version() == Some("2012-10-17");
        for s in policy.statements() {
            if s.effect() != Some(Effect::Allow) {
                continue;
            }
            for r in requests
                .iter()
                .filter(|r| actions.iter().any(|a| a.eq_ignore_ascii_case(&r.action)))
                .flat_map(|r| &r.requests)
            {
                let applies = eval::statement_applies(&s, r, variables);
                f(doc, &s, r, applies);
            }
        }
    }
}

/// Labels on the Allows that name a needed action on another resource or
/// under a condition the service's requests cannot meet.
pub fn labels(
    aws: &AwsModel<'_>,
    chain: &Chain<'_, '_>,
    layer: Layer,
    actions: &[&String],
) -> Vec<(Location, String)> {
    let mut out: Vec<(Location, String)> = Vec::new();
    visit(aws, chain, layer, actions, |doc, s, r, applies| {
        if applies.tri != Tri::No {
            return;
        }
        let open = Request {
            context: RequestContext::open(),
            ..r.clone()
        };
        let names_action = eval::statement_applies(s, &open, true).tri != Tri::No;
        let (node, label) = if !names_action {
            let Some(res) = s.resource() else { return };
            let Some(listed) = s
                .action()
                .filter(|a| !a.negated)
                .map(|a| a.strings().any(|(_, p)| eval::action_matches(p, &r.action)))
            else {
                return;
            };
            if !listed {
                return;
            }
            (
                res.node(),
                format!(
                    "IAM authorizes `{}` on `{}`, which this `{}` does not match",
                    r.action,
                    r.resource,
                    if res.negated {
                        "NotResource"
                    } else {
                        "Resource"
                    }
                ),
            )
        } else {
            let Some(c) = s.condition() else { return };
            (
                c.node,
                format!(
                    "this condition cannot hold for the requests the service makes (`{}`)",
                    r.action
                ),
            )
        };
        if let Some(at) = doc.at(node)
            && !out.iter().any(|(l, _)| *l == at)
        {
            out.push((at, label));
        }
    });
    out
}

/// The conditions of the Allows that apply only when keys the inputs do
/// not give hold, each labelled with its keys.
pub fn conditional_allows(
    aws: &AwsModel<'_>,
    chain: &Chain<'_, '_>,
    layer: Layer,
    actions: &[&String],
) -> Vec<(Location, String)> {
    let mut out: Vec<(Location, String)> = Vec::new();
    visit(aws, chain, layer, actions, |doc, s, _, applies| {
        let (Tri::Maybe, Some(key), Some(c)) = (applies.tri, applies.unknown_key, s.condition())
        else {
            return;
        };
        if let Some(at) = doc.at(c.node)
            && !out.iter().any(|(l, _)| *l == at)
        {
            out.push((
                at,
                format!("applies only when this condition on `{key}` holds"),
            ));
        }
    });
    out
}
