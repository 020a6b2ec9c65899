//! IAM policy evaluation: may a role perform an action on a resource?
//!
//! This follows the documented evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html>)
//! for one principal in its own account:
//!
//! 1. An explicit `Deny` that applies, in any policy (identity, permissions
//!    boundary, SCP), wins over every `Allow`.
//! 2. Otherwise the action must be allowed by the identity policies *and*,
//!    when present, by the permissions boundary *and* the SCPs: the
//!    boundary and SCPs intersect with the identity policies and never grant
//!    anything themselves.
//! 3. A statement's `Condition` is evaluated against the request context
//!    ([`RequestContext`]): a key the request has decides, an absent key
//!    decides as IAM decides it, and only a key the inputs do not know
//!    makes the answer [`Decision::Conditional`], naming that key
//!    ([`condition`]). Policy variables are substituted in `Resource` and
//!    condition values of policies with `"Version": "2012-10-17"`.
//!
//! Actions match case-insensitively with `*` and `?`; `NotAction` matches
//! every action it does not list. Resources match case-sensitively per ARN
//! segment; `NotResource` every resource it does not list (see [`glob`]).
//! The request resource may contain `*` for parts the caller cannot know.
//!
//! To ask about a role of AWS CLI output or a Terraform plan held in
//! strings, use [`Engine`]; the functions below work on policy documents
//! and on the linked model ([`evaluate_role`]).
//!
//! ```
//! use policy_lint::eval::{evaluate, Decision, PolicySet, Request};
//! use policy_lint::json::parse;
//! use policy_lint::model::aws::PolicyDoc;
//!
//! let tree = parse(r#"{"Statement": {"Effect": "Allow", "Action": "logs:Put*", "Resource": "*"}}"#).unwrap();
//! let doc = PolicyDoc { node: tree.root(), file: None, name: "p".into() };
//! let set = PolicySet { identity: vec![&doc], ..PolicySet::default() };
//! let request = Request::new("logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s");
//! let e = evaluate(&set, &request);
//! assert!(matches!(e.decision, Decision::Allowed { .. }));
//! ```

pub mod condition;
mod context;
mod engine;
pub mod glob;
pub mod service;
mod statement;
mod trust;
mod variables;

use crate::diagnostic::Location;
use crate::documents::aws_policy::{Effect, Statement};
use crate::model::aws::org::AppliedScp;
pub use crate::model::aws::trust::{same_service, service_matches, trust_allows};
use crate::model::aws::{AwsModel, PolicyDoc, Resolved, Role};
pub use crate::vocabulary::Tri;
pub use context::{KeyValue, Request, RequestContext, Value};
pub use engine::{Answer, Engine, EngineError, Reason, Verdict};
pub use glob::{action_matches, arn_matches};
pub use statement::{Applies, resource_applies, statement_applies};
pub use trust::{TrustRequest, trust_applies};

/// The kind of policy a statement comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// The role's inline and attached managed policies.
    Identity,
    /// The role's permissions boundary.
    Boundary,
    /// A service control policy.
    Scp,
}

impl Layer {
    /// Lowercase name for messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Identity => "identity policies",
            Self::Boundary => "permissions boundary",
            Self::Scp => "service control policies",
        }
    }
}

/// A permissions boundary: its document, or only its ARN when no input and
/// no embedded copy gives the content.
#[derive(Debug, Clone, Copy)]
pub enum Boundary<'p> {
    /// The boundary's content.
    Known(&'p PolicyDoc<'p>),
    /// Only the ARN is known: the boundary may or may not allow.
    Unknown(&'p str),
}

/// Every policy that applies to one principal.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'p> {
    /// Identity policies (inline and attached, with content).
    pub identity: Vec<&'p PolicyDoc<'p>>,
    /// Attached policies whose content is unknown (ARNs).
    pub unknown_identity: Vec<&'p str>,
    /// The permissions boundary, if any.
    pub boundary: Option<Boundary<'p>>,
    /// SCPs, treated as one level: any of them may allow. When none has an
    /// Allow statement they are deny-list guardrails over the default
    /// `FullAWSAccess` SCP (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_strategies.html>):
    /// only their Denies count.
    pub scps: Vec<&'p PolicyDoc<'p>>,
    /// SCPs attached to organization nodes (Terraform plans), with whether
    /// they certainly apply. Each node is one level: any Deny removes the
    /// action; a level whose SCPs have an Allow (an allow-list) and allow
    /// nothing for the action leaves a gap ([`Evaluation::scp_gaps`]), never
    /// a certain "not allowed", since SCPs attached outside the inputs (the
    /// default `FullAWSAccess`) may allow it at that level.
    pub org_scps: Vec<AppliedScp<'p>>,
}

/// A statement that applies to the request.
#[derive(Debug, Clone, Copy)]
pub struct StatementRef<'p> {
    /// Which kind of policy it is in.
    pub layer: Layer,
    /// The policy.
    pub policy: &'p PolicyDoc<'p>,
    /// The statement.
    pub statement: Statement<'p>,
    /// [`Tri::Yes`] when it certainly applies, [`Tri::Maybe`] when a
    /// condition or an unknown part of the resource decides.
    pub applies: Tri,
    /// When a condition decides and the request does not say: the first
    /// condition key it depends on, as the policy spells it.
    pub unknown_key: Option<&'p str>,
    /// For a statement of an SCP attached to an organization node: where,
    /// and whether it certainly applies to the role.
    pub scp: Option<AppliedScp<'p>>,
}

impl StatementRef<'_> {
    /// Where the statement is (`None` in an embedded managed policy copy).
    pub fn location(&self) -> Option<Location> {
        self.policy.at(self.statement.node)
    }

    /// Whether the statement has a non-empty `Condition`.
    pub fn has_condition(&self) -> bool {
        self.statement.condition().is_some_and(|c| !c.is_empty())
    }
}

/// The answer for one action on one resource.
#[derive(Debug, Clone)]
pub enum Decision<'p> {
    /// Allowed by every layer; `by` holds the identity Allows.
    Allowed {
        /// The identity statements that allow it.
        by: Vec<StatementRef<'p>>,
    },
    /// An explicit Deny applies without condition.
    Denied {
        /// The Deny.
        by: StatementRef<'p>,
        /// Allows it defeats.
        defeats: Vec<StatementRef<'p>>,
    },
    /// A layer allows it in no statement: the implicit deny.
    NotAllowed {
        /// The first layer with no Allow.
        layer: Layer,
    },
    /// The answer depends on conditions or on unknown content.
    Conditional {
        /// The statements whose conditions decide.
        deciding: Vec<StatementRef<'p>>,
    },
}

/// The full evaluation: the decision and every statement that matched.
#[derive(Debug, Clone)]
pub struct Evaluation<'p> {
    /// The answer.
    pub decision: Decision<'p>,
    /// Every Allow that applies (certainly or possibly), all layers.
    pub allows: Vec<StatementRef<'p>>,
    /// Every Deny that applies (certainly or possibly), all layers.
    pub denies: Vec<StatementRef<'p>>,
    /// Whether each present layer allows.
    pub layers: Vec<(Layer, Tri)>,
    /// Allow-list SCPs of organization levels that allow nothing for the
    /// request (see [`PolicySet::org_scps`]).
    pub scp_gaps: Vec<AppliedScp<'p>>,
}

impl<'p> Evaluation<'p> {
    /// The condition keys that leave the answer open, as the deciding
    /// statements spell them, each once.
    pub fn unknown_keys(&self) -> Vec<&'p str> {
        let mut keys: Vec<&'p str> = Vec::new();
        if let Decision::Conditional { deciding } = &self.decision {
            for k in deciding.iter().filter_map(|s| s.unknown_key) {
                if !keys.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                    keys.push(k);
                }
            }
        }
        keys
    }

    /// How the given layer answers (`None`: the layer is absent).
    pub fn layer(&self, layer: Layer) -> Option<Tri> {
        self.layers
            .iter()
            .find(|(l, _)| *l == layer)
            .map(|(_, t)| *t)
    }
}

/// Evaluates `request` against `set`.
pub fn evaluate<'p>(set: &PolicySet<'p>, request: &Request) -> Evaluation<'p> {
    let mut allows = Vec::new();
    let mut denies = Vec::new();
    let mut layers = Vec::new();
    let mut scan = |layer: Layer, docs: &[&'p PolicyDoc<'p>], scp: Option<AppliedScp<'p>>| -> Tri {
        let mut best = Tri::No;
        let placed = scp.map_or(Tri::Yes, |s| s.applies);
        for &policy in docs {
            let doc = policy.policy();
            let variables = variables::enabled(doc.version());
            for statement in doc.statements() {
                let Applies {
                    tri: on_request,
                    unknown_key,
                } = statement_applies(&statement, request, variables);
                if on_request == Tri::No {
                    continue;
                }
                let r = StatementRef {
                    layer,
                    policy,
                    statement,
                    applies: on_request.and(placed),
                    unknown_key,
                    scp,
                };
                match statement.effect() {
                    Some(Effect::Allow) => {
                        best = best.max(on_request);
                        allows.push(r);
                    }
                    Some(Effect::Deny) => denies.push(r),
                    None => {}
                }
            }
        }
        best
    };
    let mut identity = scan(Layer::Identity, &set.identity, None);
    if identity == Tri::No && !set.unknown_identity.is_empty() {
        identity = Tri::Maybe;
    }
    layers.push((Layer::Identity, identity));
    match set.boundary {
        Some(Boundary::Known(doc)) => {
            layers.push((Layer::Boundary, scan(Layer::Boundary, &[doc], None)));
        }
        Some(Boundary::Unknown(_)) => layers.push((Layer::Boundary, Tri::Maybe)),
        None => {}
    }
    let has_allow = |d: &PolicyDoc<'_>| {
        d.policy()
            .statements()
            .any(|s| s.effect() == Some(Effect::Allow))
    };
    let mut scp_layer: Option<Tri> = None;
    if !set.scps.is_empty() {
        let tri = scan(Layer::Scp, &set.scps, None);
        // SCPs given with no Allow at all are deny-list guardrails: the
        // organization's default `FullAWSAccess` SCP (which nobody passes)
        // supplies the allow.
        if set.scps.iter().any(|d| has_allow(d)) {
            scp_layer = Some(tri);
        }
    }
    let mut scp_gaps = Vec::new();
    let mut done: Vec<usize> = Vec::new();
    for (i, first) in set.org_scps.iter().enumerate() {
        if done.contains(&i) {
            continue;
        }
        // One level: the SCPs attached to one node.
        let level: Vec<(usize, AppliedScp<'p>)> = set
            .org_scps
            .iter()
            .enumerate()
            .skip(i)
            .filter(|(_, s)| same_level(s, first))
            .map(|(j, s)| (j, *s))
            .collect();
        let mut best = Tri::No;
        for (j, s) in &level {
            done.push(*j);
            best = best.max(scan(Layer::Scp, &[s.document], Some(*s)));
        }
        let allow_list: Vec<AppliedScp<'p>> = level
            .iter()
            .map(|(_, s)| *s)
            .filter(|s| has_allow(s.document))
            .collect();
        if allow_list.is_empty() || best == Tri::Yes {
            continue;
        }
        // Other SCPs attached at that level outside the inputs may allow
        // the action: at most a "maybe".
        scp_layer = Some(scp_layer.unwrap_or(Tri::Yes).min(Tri::Maybe));
        if best == Tri::No {
            scp_gaps.extend(allow_list);
        }
    }
    if let Some(tri) = scp_layer {
        layers.push((Layer::Scp, tri));
    }
    let decision = if let Some(by) = denies.iter().find(|d| d.applies == Tri::Yes) {
        Decision::Denied {
            by: *by,
            defeats: allows.clone(),
        }
    } else if let Some((layer, _)) = layers.iter().find(|(_, t)| *t == Tri::No) {
        Decision::NotAllowed { layer: *layer }
    } else if !denies.is_empty() || layers.iter().any(|(_, t)| *t == Tri::Maybe) {
        let mut deciding: Vec<StatementRef<'p>> = denies.clone();
        deciding.extend(allows.iter().filter(|a| a.applies == Tri::Maybe).copied());
        Decision::Conditional { deciding }
    } else {
        Decision::Allowed {
            by: allows
                .iter()
                .filter(|a| a.layer == Layer::Identity)
                .copied()
                .collect(),
        }
    };
    Evaluation {
        decision,
        allows,
        denies,
        layers,
        scp_gaps,
    }
}

/// Whether two attached SCPs are at the same organization level (node).
fn same_level(a: &AppliedScp<'_>, b: &AppliedScp<'_>) -> bool {
    match (&a.target.node, &b.target.node) {
        (Some(x), Some(y)) => x == y,
        _ => std::ptr::eq(a.target, b.target),
    }
}

/// The policies that apply to `role` in `model`: inline and attached
/// policies (resolved from inputs or embedded copies), its boundary, the
/// run's `--scp` SCPs and the SCPs that organizations of the inputs attach
/// above the role's account ([`AwsModel::org_scps`]).
pub fn policy_set<'m>(model: &'m AwsModel<'_>, role: &'m Role<'_>) -> PolicySet<'m> {
    let mut set = PolicySet {
        identity: role.inline.iter().map(shorten).collect(),
        scps: model.scps.iter().map(|s| shorten(&s.document)).collect(),
        org_scps: model.org_scps(role),
        ..PolicySet::default()
    };
    for a in &role.attached {
        match model.resolve(&a.arn, role.scope) {
            Resolved::Input(m) => set.identity.push(shorten(&m.document)),
            Resolved::Builtin(b) => set.identity.push(builtin_doc(b)),
            Resolved::Unknown => set.unknown_identity.push(&a.arn),
        }
    }
    set.boundary = role
        .boundary
        .as_ref()
        .map(|b| match model.resolve(&b.arn, role.scope) {
            Resolved::Input(m) => Boundary::Known(shorten(&m.document)),
            Resolved::Builtin(p) => Boundary::Known(builtin_doc(p)),
            Resolved::Unknown => Boundary::Unknown(&b.arn),
        });
    set
}

/// `PolicyDoc` is covariant; this only names the shorter lifetime.
fn shorten<'m>(doc: &'m PolicyDoc<'_>) -> &'m PolicyDoc<'m> {
    doc
}

/// The embedded managed policies as documents, built once.
fn builtin_doc(
    p: &'static crate::model::aws::catalog::BuiltinPolicy,
) -> &'static PolicyDoc<'static> {
    static DOCS: std::sync::LazyLock<Vec<PolicyDoc<'static>>> = std::sync::LazyLock::new(|| {
        crate::model::aws::catalog::BUILTIN_POLICIES
            .iter()
            .map(|b| PolicyDoc {
                node: b.document.root(),
                file: None,
                name: b.arn.clone(),
            })
            .collect()
    });
    static EMPTY: std::sync::LazyLock<crate::json::Tree> =
        std::sync::LazyLock::new(crate::json::Tree::empty_object);
    static NONE: std::sync::LazyLock<PolicyDoc<'static>> = std::sync::LazyLock::new(|| PolicyDoc {
        node: EMPTY.root(),
        file: None,
        name: String::new(),
    });
    DOCS.iter().find(|d| d.name == p.arn).unwrap_or(&NONE)
}

/// Evaluates `request` for `role`.
pub fn evaluate_role<'m>(
    model: &'m AwsModel<'_>,
    role: &'m Role<'_>,
    request: &Request,
) -> Evaluation<'m> {
    evaluate(&policy_set(model, role), request)
}

#[cfg(test)]
mod tests;
