//! Whether a role's trust policy admits a service: what linking needs of
//! IAM evaluation to presume which service uses a role (below the
//! evaluation, which re-exports it as [`crate::eval::trust_allows`], and
//! evaluates trust conditions in [`crate::eval::trust_applies`]).

use super::PolicyDoc;
use super::actions::action_matches;
use crate::documents::aws_policy::Effect;
use crate::vocabulary::Tri;

/// Whether the trust policy `trust` lets the service principal `service`
/// perform `action` (`sts:AssumeRole`): [`Tri::Yes`] when an Allow applies
/// without condition and no Deny does, [`Tri::Maybe`] when conditions
/// decide, [`Tri::No`] otherwise. A principal `"*"` or `{"AWS": "*"}`
/// includes services; `NotPrincipal` matches every principal it does not list.
pub fn trust_allows(trust: &PolicyDoc<'_>, service: &str, action: &str) -> Tri {
    let mut allow = Tri::No;
    let mut deny = Tri::No;
    for s in trust.policy().statements() {
        let acts = match s.action() {
            Some(a) => a,
            None => continue,
        };
        let listed = acts.strings().any(|(_, p)| action_matches(p, action));
        if listed == acts.negated {
            continue;
        }
        let Some(p) = s.principal() else { continue };
        let named = p.is_wildcard()
            || p.aws_wildcard()
            || p.services().any(|(_, v)| same_service(v, service));
        let matches = if p.negated() { !named } else { named };
        if !matches {
            continue;
        }
        let applies = match s.condition() {
            Some(c) if !c.is_empty() => Tri::Maybe,
            _ => Tri::Yes,
        };
        match s.effect() {
            Some(Effect::Allow) => allow = allow.max(applies),
            Some(Effect::Deny) => deny = deny.max(applies),
            None => {}
        }
    }
    match deny {
        Tri::Yes => Tri::No,
        Tri::Maybe => allow.min(Tri::Maybe),
        Tri::No => allow,
    }
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
