//! Whether one statement applies to a request: its action, its resource
//! (policy variables substituted) and its condition.

use super::Tri;
use super::condition::condition_applies;
use super::context::Request;
use super::glob::{action_matches, resource_pattern_matches};
use super::variables::{Substituted, substitute};
use crate::documents::aws_policy::Statement;

/// How a statement applies, and what decides when that is not certain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applies<'p> {
    /// Certainly, possibly, or not.
    pub tri: Tri,
    /// When a condition leaves it open: the first condition key the
    /// request does not give, as the policy spells it (`None` when an
    /// unknown part of the resource leaves it open).
    pub unknown_key: Option<&'p str>,
}

impl Applies<'_> {
    const NO: Self = Self {
        tri: Tri::No,
        unknown_key: None,
    };
}

/// How `statement` applies to `request`; `variables`: whether its policy
/// substitutes policy variables (only a policy with `"Version": "2012-10-17"`
/// does).
pub fn statement_applies<'p>(
    statement: &Statement<'p>,
    request: &Request,
    variables: bool,
) -> Applies<'p> {
    let Some(actions) = statement.action() else {
        return Applies::NO;
    };
    let listed = actions
        .strings()
        .any(|(_, pattern)| action_matches(pattern, &request.action));
    if listed == actions.negated {
        return Applies::NO;
    }
    let on_resource = resource_applies(statement, request, variables);
    if on_resource == Tri::No {
        return Applies::NO;
    }
    let (condition, unknown_key) = match statement.condition() {
        Some(c) => condition_applies(c, &request.context, variables),
        None => (Tri::Yes, None),
    };
    Applies {
        tri: on_resource.and(condition),
        unknown_key: unknown_key.filter(|_| condition == Tri::Maybe),
    }
}

/// How the `Resource` (or `NotResource`) of `statement` matches the
/// request's resource, policy variables substituted from its context.
pub fn resource_applies(statement: &Statement<'_>, request: &Request, variables: bool) -> Tri {
    match statement.resource() {
        // A statement without Resource is invalid in an identity policy
        // (the grammar rules report it); read it as every resource.
        None => Tri::Yes,
        Some(r) => {
            let any = r
                .strings()
                .map(|(_, pattern)| pattern_applies(pattern, request, variables))
                .max()
                .unwrap_or(Tri::No);
            if r.negated { any.negate() } else { any }
        }
    }
}

/// How one `Resource` pattern matches the request's resource.
fn pattern_applies(pattern: &str, request: &Request, variables: bool) -> Tri {
    match substitute(pattern, &request.context, variables) {
        Substituted::Unresolvable => Tri::No,
        Substituted::Text {
            text,
            unknown_parts,
        } => resource_pattern_matches(&text, unknown_parts, &request.resource),
    }
}
