//! Whether a role's trust policy lets a service principal assume it.

use super::Tri;
use super::condition::condition_applies;
use super::context::RequestContext;
use super::glob::action_matches;
use super::statement::Applies;
use super::variables;
use crate::documents::aws_policy::Effect;
use crate::model::aws::PolicyDoc;
use crate::model::aws::trust::service_matches;

/// A service principal asking to assume a role.
#[derive(Debug, Clone, Copy)]
pub struct TrustRequest<'r> {
    /// The service principal (`vpc-flow-logs.amazonaws.com`).
    pub service: &'r str,
    /// The action (`sts:AssumeRole`).
    pub action: &'r str,
    /// The role's partition (`aws`, `aws-cn`, `aws-us-gov`), when known.
    pub partition: Option<&'r str>,
    /// What the service sends with the request (`aws:SourceAccount`, ...).
    pub context: &'r RequestContext,
}

/// Whether the trust policy `trust` lets the service of `request` perform
/// its action: [`Tri::Yes`] when an Allow applies and no Deny may,
/// [`Tri::Maybe`] (with the deciding key) when conditions the request does
/// not settle decide, [`Tri::No`] otherwise. A principal `"*"` or
/// `{"AWS": "*"}` includes services; `NotPrincipal` matches every
/// principal it does not list.
pub fn trust_applies<'p>(trust: &PolicyDoc<'p>, request: &TrustRequest<'_>) -> Applies<'p> {
    let policy = trust.policy();
    let variables = variables::enabled(policy.version());
    let mut allow = Applies {
        tri: Tri::No,
        unknown_key: None,
    };
    let mut deny = allow;
    for s in policy.statements() {
        let Some(acts) = s.action() else { continue };
        let listed = acts
            .strings()
            .any(|(_, p)| action_matches(p, request.action));
        if listed == acts.negated {
            continue;
        }
        let Some(p) = s.principal() else { continue };
        let named = p.is_wildcard()
            || p.aws_wildcard()
            || p.services()
                .any(|(_, v)| service_matches(v, request.service, request.partition));
        if named == p.negated() {
            continue;
        }
        let (tri, unknown_key) = match s.condition() {
            Some(c) => condition_applies(c, request.context, variables),
            None => (Tri::Yes, None),
        };
        let slot = match s.effect() {
            Some(Effect::Allow) => &mut allow,
            Some(Effect::Deny) => &mut deny,
            None => continue,
        };
        if tri > slot.tri {
            *slot = Applies { tri, unknown_key };
        }
    }
    match deny.tri {
        Tri::Yes => Applies {
            tri: Tri::No,
            unknown_key: None,
        },
        Tri::Maybe if allow.tri != Tri::No => deny,
        _ => allow,
    }
}
