//! Why a service's request is not allowed: labels on the Allow statements
//! that name a needed action but do not apply to the request the service
//! makes (another resource ARN form, a condition that cannot hold or that
//! the inputs cannot settle).

use crate::diagnostic::Location;
use crate::documents::aws_policy::{Condition, Effect, Statement};
use crate::eval::service::service_requests;
use crate::eval::{self, Boundary, KeyValue, Layer, Request, RequestContext, Tri};
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

/// Each Allow of `layer` whose `Action` lists one of `actions`, with each
/// request of that action.
fn visit<'m>(
    aws: &'m AwsModel<'_>,
    chain: &Chain<'m, '_>,
    layer: Layer,
    actions: &[&String],
    mut f: impl FnMut(&PolicyDoc<'m>, &Statement<'m>, &Request, bool),
) {
    let requests = service_requests(&aws.catalogue, chain.entry, &chain::facts(aws, chain));
    for doc in documents(aws, chain, layer) {
        let policy = doc.policy();
        let variables = policy.version() == Some("2012-10-17");
        for s in policy.statements() {
            let Some(listed) = s.action().filter(|a| !a.negated) else {
                continue;
            };
            if s.effect() != Some(Effect::Allow) {
                continue;
            }
            for r in requests
                .iter()
                .filter(|r| actions.iter().any(|a| a.eq_ignore_ascii_case(&r.action)))
                .filter(|r| {
                    listed
                        .strings()
                        .any(|(_, p)| eval::action_matches(p, &r.action))
                })
                .flat_map(|r| &r.requests)
            {
                f(doc, &s, r, variables);
            }
        }
    }
}

/// An Allow's `Resource` or `Condition` that misses requests of needed
/// actions.
struct Missed {
    at: Location,
    is_condition: bool,
    /// Request resources, each with the actions asked on it.
    forms: Vec<(String, Vec<String>)>,
    /// What the requests carry (conditions) or why a pattern fails.
    note: String,
}

/// Labels on the Allows that name a needed action on another resource or
/// under a condition the service's requests cannot meet.
pub fn labels(
    aws: &AwsModel<'_>,
    chain: &Chain<'_, '_>,
    layer: Layer,
    actions: &[&String],
) -> Vec<(Location, String)> {
    let mut found: Vec<Missed> = Vec::new();
    visit(aws, chain, layer, actions, |doc, s, r, variables| {
        let (node, is_condition, note) = if eval::resource_applies(s, r, variables) == Tri::No {
            let Some(res) = s.resource() else { return };
            let variable = res.strings().any(|(_, p)| p.contains("${"));
            let note = if variable && variables {
                ": its policy variable has no value in the service's requests".to_string()
            } else {
                String::new()
            };
            (res.node(), false, note)
        } else {
            let Some(c) = s.condition() else { return };
            let open = Request {
                context: RequestContext::open(),
                ..r.clone()
            };
            if eval::statement_applies(s, &open, variables).tri == Tri::No
                || eval::statement_applies(s, r, variables).tri != Tri::No
            {
                return;
            }
            (c.node, true, sent_values(c, &r.context))
        };
        let Some(at) = doc.at(node) else { return };
        let i = match found.iter().position(|m| m.at == at) {
            Some(i) => i,
            None => {
                found.push(Missed {
                    at,
                    is_condition,
                    forms: Vec::new(),
                    note,
                });
                found.len() - 1
            }
        };
        let Some(missed) = found.get_mut(i) else {
            return;
        };
        match missed.forms.iter_mut().find(|(res, _)| *res == r.resource) {
            Some((_, acts)) if !acts.contains(&r.action) => acts.push(r.action.clone()),
            Some(_) => {}
            None => missed
                .forms
                .push((r.resource.clone(), vec![r.action.clone()])),
        }
    });
    found
        .into_iter()
        .map(
            |Missed {
                 at,
                 is_condition,
                 forms,
                 note,
             }| {
                let label = if is_condition {
                    format!(
                        "this condition cannot hold for the service's requests: they carry {note}"
                    )
                } else {
                    let list = forms
                        .iter()
                        .map(|(res, acts)| {
                            let acts = acts
                                .iter()
                                .map(|a| format!("`{a}`"))
                                .collect::<Vec<_>>()
                                .join(", ");
                            format!("{acts} on `{res}`")
                        })
                        .collect::<Vec<_>>()
                        .join(" and ");
                    format!("IAM authorizes {list}, which this does not match{note}")
                };
                (at, label)
            },
        )
        .collect()
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
    visit(aws, chain, layer, actions, |doc, s, r, variables| {
        let applies = eval::statement_applies(s, r, variables);
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

/// What a request carries for the keys of `condition`, for messages:
/// `` `aws:SourceAccount` = `123456789012` `` or `` no `aws:SourceVpc` ``.
pub fn sent_values(condition: Condition<'_>, context: &RequestContext) -> String {
    let mut out: Vec<String> = Vec::new();
    for e in condition.entries() {
        let key = e.key.key;
        let v = match context.get(key) {
            KeyValue::Absent => format!("no `{key}`"),
            KeyValue::Values(vs) => format!(
                "`{key}` = {}",
                vs.iter()
                    .map(|v| format!("`{}`", v.text))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            KeyValue::Unknown | KeyValue::Present => continue,
        };
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.is_empty() {
        "other values".to_string()
    } else {
        out.join(" and ")
    }
}
