//! Whether a role's trust policy lets a service principal assume it.

use super::Tri;
use super::condition::condition_applies;
use super::context::RequestContext;
use super::glob::action_matches;
use super::statement::Applies;
use super::variables;
use crate::documents::aws_policy::Effect;
use crate::model::aws::PolicyDoc;

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

/// [`trust_applies`] when nothing is known of the request context or the
/// partition.
pub fn trust_allows(trust: &PolicyDoc<'_>, service: &str, action: &str) -> Tri {
    let context = RequestContext::open();
    trust_applies(
        trust,
        &TrustRequest {
            service,
            action,
            partition: None,
            context: &context,
        },
    )
    .tri
}

/// Whether two service principals name the same service in some
/// partition: IAM compares them without regard to case, and the China
/// partition's `.amazonaws.com.cn` form names the same service.
pub fn same_service(a: &str, b: &str) -> bool {
    service_matches(a, b, None)
}

/// Whether the principal `principal` of a trust policy names `service` in
/// `partition`: the `.amazonaws.com.cn` form exists only in `aws-cn`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services>),
/// where services also use the `.amazonaws.com` form. An unknown
/// partition accepts both.
pub fn service_matches(principal: &str, service: &str, partition: Option<&str>) -> bool {
    if !without_cn(principal).eq_ignore_ascii_case(without_cn(service)) {
        return false;
    }
    match partition {
        Some("aws-cn") | None => true,
        // Outside China only the form without `.cn` names the service.
        Some(_) => without_cn(principal).len() == principal.len(),
    }
}

/// The principal without a China `.cn` suffix.
fn without_cn(s: &str) -> &str {
    match s
        .len()
        .checked_sub(3)
        .and_then(|i| s.get(i..).map(|t| (i, t)))
    {
        Some((i, t)) if t.eq_ignore_ascii_case(".cn") => s.get(..i).unwrap_or(s),
        _ => s,
    }
}
