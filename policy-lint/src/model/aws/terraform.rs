//! Facts from `terraform show -json` plans and states: IAM roles, their
//! inline and attached policies and boundaries, customer managed policies,
//! and VPC flow logs.
//!
//! | resource | facts |
//! |---|---|
//! | `aws_iam_role` | a [`Role`] (`assume_role_policy`, `inline_policy[].policy`, `managed_policy_arns`, `permissions_boundary`) |
//! | `aws_iam_role_policy` | an inline policy of the role its `role` names |
//! | `aws_iam_policy` | a [`ManagedPolicy`] |
//! | `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment` | attachments of the roles they name |
//! | `aws_flow_log` | a [`FlowLog`](super::FlowLog) (`iam_role_arn`, `log_destination_type`, `log_destination`) |
//! | every `usage.terraform_attributes` of the catalogue | a [`ServiceUse`](super::ServiceUse) of the role it names (`aws_lambda_function.role`, ...) |
//!
//! # Names
//!
//! A role of the plan is named by its Terraform address
//! (`module.iam.aws_iam_role.this[0]`), which every message shows; it is
//! found by [`Role::key`] (file and address), so roles of two plans with
//! the same address never merge, or by its ARN when the plan knows it (a
//! state), so a flow log of another input can name it. A
//! customer managed policy of the plan has the same kind of key as its ARN
//! and its address as its name. A flow log's id is its address.
//!
//! # Values unknown until apply
//!
//! In a plan a role's `arn` (and often its `name`), a policy's `arn` and
//! everything derived from them are unknown. Each link is made, in order:
//! 1. through `configuration` references, resolved through module inputs
//!    and outputs (`aws_flow_log.iam_role_arn` -> `aws_iam_role.x.arn`,
//!    `aws_iam_role_policy.role` -> `aws_iam_role.x.id`, `policy_arn` ->
//!    `aws_iam_policy.y.arn`), when they name exactly one instance of a
//!    resource of the right type;
//! 2. by the known value: an ARN or a name equal to that of a role or policy
//!    of the plan;
//! 3. otherwise a known value names something outside the plan (an AWS
//!    managed policy ARN, a role of another input).
//!
//! When none applies, a flow log's delivery role is recorded in
//! [`Facts::unlinked`] with the reason, and the service-chain rules give
//! advice naming the check they skipped; an attachment whose policy cannot
//! be linked is kept under the reference as written, which no input gives,
//! so the permission check says it cannot verify it. A role policy whose
//! content is unknown, and a role policy or attachment whose role cannot be
//! told, is kept the same way as a stand-in (its address) on its role, or on
//! every role of the plan when the role cannot be told: a missing
//! permission it may grant is "cannot verify", never an error. Nothing is
//! guessed.
//!
//! # Service control policies
//!
//! `aws_organizations_policy` of type `SERVICE_CONTROL_POLICY` (the
//! default), where `aws_organizations_policy_attachment` attaches it, and
//! the organization's hierarchy and management account become
//! [`Facts::orgs`](super::Facts::orgs) under the plan's file (see
//! `terraform/organizations.rs` and [`super::org`]). They apply only to
//! roles of the same plan: to a role whose ARN gives its account when
//! the inputs place that account under the target, and only "may" apply
//! otherwise: a plan usually does not say which account a role is created
//! in (its ARN is unknown until apply), and SCPs do not apply to the
//! management account, where organization resources are usually managed.
//!
//! # Left out
//!
//! SCPs attached outside the plan (the default `FullAWSAccess`, policies
//! attached by hand) are unknown, so an allow-list SCP of the plan that
//! omits an action is never a certain "not allowed". Data sources that read
//! existing SCPs (`data.aws_organizations_policy`) are not followed, nor are
//! the `feature_set` and `enabled_policy_types` of the organization (an SCP
//! cannot be attached where they are not enabled; the attachment fails at
//! apply). Resource control policies are linted as documents only.

mod attachments;
mod flow_logs;
mod organizations;
mod uses;

use crate::hash::HashMap;

use super::{Attachment, Facts, ManagedPolicy, PolicyDoc, Role};
use crate::diagnostic::Location;
use crate::documents::ParsedFile;
use crate::documents::terraform::{Mode, RefKind, Resource, TerraformView};
use crate::json::Node;

const ROLE: &str = "aws_iam_role";
const POLICY: &str = "aws_iam_policy";

/// Adds the facts of the Terraform plan or state `file`, seen through `view`.
pub fn extract<'a>(file: &'a ParsedFile, view: &TerraformView<'a>, facts: &mut Facts<'a>) {
    let plan = Plan::new(file, view);
    let mut roles = plan.roles();
    plan.managed(facts);
    let mut unplaced = plan.role_policies(&mut roles, facts);
    unplaced.extend(plan.attachments(&mut roles, facts));
    for (_, role) in &mut roles {
        role.attached.extend(unplaced.iter().cloned());
    }
    plan.flow_logs(facts);
    facts.orgs.insert(file.id, plan.organizations());
    facts.roles.extend(roles.into_iter().map(|(_, r)| r));
}

/// Adds the service uses of the Terraform plan or state `file` that the
/// catalogue's `usage.terraform_attributes` name (see `terraform/uses.rs`).
pub fn extract_uses<'a>(
    file: &'a ParsedFile,
    view: &TerraformView<'a>,
    catalogue: &super::Catalogue,
    uses: &mut Vec<super::ServiceUse>,
    unlinked: &mut Vec<super::Unlinked>,
) {
    Plan::new(file, view).catalogued_uses(catalogue, uses, unlinked);
}

/// The resource type in a configuration address
/// (`module.m.aws_iam_role.x` -> `aws_iam_role`).
fn type_of(config_address: &str) -> Option<&str> {
    let parts: Vec<&str> = config_address.split('.').collect();
    let mut rest = parts.as_slice();
    while let ["module", _, tail @ ..] = rest {
        rest = tail;
    }
    if let ["data", tail @ ..] = rest {
        rest = tail;
    }
    rest.first().copied()
}

/// A non-empty known string.
fn known(node: Option<Node<'_>>) -> Option<&str> {
    node.and_then(Node::as_str).filter(|s| !s.is_empty())
}

/// Where a link led.
enum Link<'r, 'a> {
    /// A resource of the plan.
    Resource(&'r Resource<'a>),
    /// Cannot be made: why.
    Unlinked(String),
    /// Configuration names no resource of the wanted type (a literal, or a
    /// resource of another type).
    None,
}

struct Plan<'v, 'a> {
    file: &'a ParsedFile,
    view: &'v TerraformView<'a>,
    /// The plan's customer managed policies by their known ARN (the first
    /// with each), so an attachment's ARN is looked up once.
    policy_by_arn: HashMap<&'a str, &'v Resource<'a>>,
    /// The plan's roles by their known ARN, the first with each, so that a
    /// flow log finds its role at once.
    role_by_arn: HashMap<&'a str, &'v Resource<'a>>,
    /// The plan's roles whose ARN is unknown until apply, by known name.
    pending_role_by_name: HashMap<&'a str, &'v Resource<'a>>,
}

impl<'v, 'a> Plan<'v, 'a> {
    /// The plan with its ARN indexes, built once.
    fn new(file: &'a ParsedFile, view: &'v TerraformView<'a>) -> Self {
        let (role_by_arn, pending_role_by_name) = role_arn_index(view);
        Plan {
            file,
            view,
            policy_by_arn: policy_arn_index(view),
            role_by_arn,
            pending_role_by_name,
        }
    }

    /// The model key of a role or policy of this plan (no `:`, so that
    /// nothing takes it for an ARN).
    fn key(&self, r: &Resource<'a>) -> String {
        format!(
            "terraform#{}#{}",
            self.file.id.0,
            r.address.replace(':', "%3A")
        )
    }

    /// How attachments name a customer managed policy of this plan: its
    /// model key when the plan gives its document, else its address (which
    /// no input gives, so checks needing it say they cannot verify it).
    fn policy_ref(&self, p: &Resource<'a>) -> String {
        if self
            .document(p.values.get("policy"), String::new())
            .is_some()
        {
            self.key(p)
        } else {
            p.address.to_string()
        }
    }

    fn at(&self, node: Node<'_>) -> Location {
        Location::new(self.file.id, node.span())
    }

    /// The policy document decoded from the JSON string `node`.
    fn document(&self, node: Option<Node<'a>>, name: String) -> Option<PolicyDoc<'a>> {
        let node = node.filter(|n| n.is_string())?;
        let root = self.file.embedded_at(node.span())?.root();
        root.as_object()?;
        Some(PolicyDoc {
            node: root,
            file: Some(self.file.id),
            name,
        })
    }

    fn managed_of_type(&self, t: &'static str) -> impl Iterator<Item = &'v Resource<'a>> + 'v {
        self.view.of_type(t).filter(|r| r.mode == Mode::Managed)
    }

    /// Follows the references of `path` of `r` to resources of type `want`.
    fn follow(&self, r: &Resource<'a>, path: &[&str], want: &str) -> Link<'v, 'a> {
        let refs = self.view.references(r.address, path);
        let targets: Vec<&'v Resource<'a>> = self
            .view
            .referenced_resources(r.address, path)
            .into_iter()
            .filter(|(x, _)| x.kind == RefKind::Resource && type_of(&x.address) == Some(want))
            .map(|(_, t)| t)
            .collect();
        match targets.as_slice() {
            [one] => return Link::Resource(one),
            [] => {}
            many => {
                return Link::Unlinked(format!(
                    "`{}` refers to {} instances of `{want}` and the plan does not say which one",
                    path.join("."),
                    many.len()
                ));
            }
        }
        if let Some(reason) = refs.iter().find_map(|x| x.unlinked_reason()) {
            return Link::Unlinked(reason);
        }
        if let Some(x) = refs
            .iter()
            .find(|x| x.kind == RefKind::Resource && type_of(&x.address) == Some(want))
        {
            return Link::Unlinked(format!(
                "`{}` refers to `{}`, which the plan does not hold",
                path.join("."),
                x.address
            ));
        }
        Link::None
    }

    /// The plan's roles, keyed by their resources.
    fn roles(&self) -> Vec<(&'v Resource<'a>, Role<'a>)> {
        let mut out = Vec::new();
        for r in self.managed_of_type(ROLE) {
            let v = r.values;
            let trust = self.document(
                v.get("assume_role_policy"),
                format!("{} assume_role_policy", r.address),
            );
            let mut inline = Vec::new();
            let mut attached = Vec::new();
            let blocks = v.get("inline_policy").and_then(Node::as_array);
            for (i, p) in blocks.unwrap_or_default().iter().enumerate() {
                let name = p.get_str("name").unwrap_or_default();
                let doc = self.document(
                    p.get("policy"),
                    format!("{} inline policy `{name}`", r.address),
                );
                match doc {
                    Some(d) => inline.push(d),
                    // Content known only after apply: a stand-in.
                    None if r.is_unknown(&["inline_policy", &i.to_string(), "policy"]) => {
                        attached.push(Attachment {
                            arn: format!("{}.inline_policy[{i}]", r.address),
                            location: Some(self.at(p)),
                        });
                    }
                    None => {}
                }
            }
            let configured_inline = self
                .view
                .config_resource(r.address)
                .is_some_and(|c| c.expression(&["inline_policy"]).is_some());
            if blocks.is_none() && r.is_unknown(&["inline_policy"]) && configured_inline {
                attached.push(Attachment {
                    arn: format!("{}.inline_policy", r.address),
                    location: Some(self.at(v)),
                });
            }
            let arns = v.get("managed_policy_arns").and_then(Node::as_array);
            for a in arns.unwrap_or_default() {
                if let Some(arn) = known(Some(a)) {
                    attached.push(Attachment {
                        arn: self.policy_key(arn),
                        location: Some(self.at(a)),
                    });
                }
            }
            let configured = |p: &str| {
                self.view
                    .config_resource(r.address)
                    .is_some_and(|c| c.expression(&[p]).is_some())
            };
            if arns.is_none()
                && r.is_unknown(&["managed_policy_arns"])
                && configured("managed_policy_arns")
            {
                attached.extend(self.policy_refs(r, "managed_policy_arns"));
            }
            let boundary = match known(v.get("permissions_boundary")) {
                Some(arn) => Some(Attachment {
                    arn: self.policy_key(arn),
                    location: v.get("permissions_boundary").map(|n| self.at(n)),
                }),
                None if r.is_unknown(&["permissions_boundary"]) => self
                    .policy_refs(r, "permissions_boundary")
                    .into_iter()
                    .next(),
                None => None,
            };
            let trust_unknown = self.unknown_trust(r, trust.is_some());
            out.push((
                r,
                Role {
                    name: r.address.to_string(),
                    arn: known(v.get("arn")).map(str::to_string),
                    path: v.get_str("path").unwrap_or("/").to_string(),
                    location: Some(self.at(v)),
                    trust,
                    inline,
                    attached,
                    boundary,
                    complete: false,
                    key: Some(self.key(r)),
                    scope: Some(self.file.id),
                    trust_unknown,
                },
            ));
        }
        out
    }

    /// Where and why the trust policy of the role `r` is unknown until
    /// apply (`assume_role_policy` in `after_unknown`), unless the plan
    /// gives it.
    fn unknown_trust(&self, r: &Resource<'a>, known: bool) -> Option<(Option<Location>, String)> {
        if known || !r.is_unknown(&["assume_role_policy"]) {
            return None;
        }
        let at = self
            .view
            .config_resource(r.address)
            .and_then(|c| c.expression(&["assume_role_policy"]))
            .map(|n| self.at(n))
            .or(Some(self.at(r.values)));
        let from: Vec<String> = self
            .view
            .references(r.address, &["assume_role_policy"])
            .iter()
            .map(|x| format!("`{}`", x.address))
            .collect();
        let reason = if from.is_empty() {
            "its `assume_role_policy` is unknown until apply".to_string()
        } else {
            format!(
                "its `assume_role_policy` is unknown until apply (it comes from {})",
                from.join(", ")
            )
        };
        Some((at, reason))
    }

    /// The key of a policy ARN: the address of the plan's policy with that
    /// ARN, else the ARN.
    fn policy_key(&self, arn: &str) -> String {
        self.policy_by_arn
            .get(arn)
            .map_or_else(|| arn.to_string(), |p| self.policy_ref(p))
    }

    /// Attachments for the policies an unknown attribute refers to; one
    /// that cannot be linked keeps the reference as its key, which no input
    /// gives (so checks needing it say they cannot verify it).
    fn policy_refs(&self, r: &Resource<'a>, attr: &str) -> Vec<Attachment> {
        let location = self
            .view
            .config_resource(r.address)
            .and_then(|c| c.expression(&[attr]))
            .map(|n| self.at(n));
        let mut out = Vec::new();
        let linked: Vec<&'v Resource<'a>> = self
            .view
            .referenced_resources(r.address, &[attr])
            .into_iter()
            .filter(|(x, _)| x.kind == RefKind::Resource && type_of(&x.address) == Some(POLICY))
            .map(|(_, t)| t)
            .collect();
        for p in linked {
            out.push(Attachment {
                arn: self.policy_ref(p),
                location,
            });
        }
        for x in self.view.references(r.address, &[attr]) {
            let followed = x.kind == RefKind::Resource
                && (type_of(&x.address) == Some(POLICY)
                    && self.view.instances_of(&x.address).next().is_some());
            // A data source (`data.aws_iam_policy.x.arn` unknown at plan
            // time) gives no content either.
            if !followed {
                out.push(Attachment {
                    arn: x.address.clone(),
                    location,
                });
            }
        }
        out
    }

    /// The plan's customer managed policies.
    fn managed(&self, facts: &mut Facts<'a>) {
        for p in self.managed_of_type(POLICY) {
            if let Some(document) = self.document(p.values.get("policy"), p.address.to_string()) {
                facts.managed.push(ManagedPolicy {
                    arn: Some(self.policy_ref(p)),
                    name: p.address.to_string(),
                    document,
                    scope: Some(self.file.id),
                });
            }
        }
    }
}

/// The plan's managed roles by known ARN and, for those whose ARN is
/// unknown until apply, by known name; the first of each.
type RoleArnIndex<'v, 'a> = (
    HashMap<&'a str, &'v Resource<'a>>,
    HashMap<&'a str, &'v Resource<'a>>,
);

fn role_arn_index<'v, 'a>(view: &'v TerraformView<'a>) -> RoleArnIndex<'v, 'a> {
    let (mut by_arn, mut pending) = (HashMap::default(), HashMap::default());
    for r in view.of_type(ROLE).filter(|r| r.mode == Mode::Managed) {
        if let Some(arn) = known(r.values.get("arn")) {
            by_arn.entry(arn).or_insert(r);
        }
        if r.is_unknown(&["arn"])
            && let Some(name) = known(r.values.get("name"))
        {
            pending.entry(name).or_insert(r);
        }
    }
    (by_arn, pending)
}

/// The plan's managed policies by known ARN, the first of each.
fn policy_arn_index<'v, 'a>(view: &'v TerraformView<'a>) -> HashMap<&'a str, &'v Resource<'a>> {
    let mut out = HashMap::default();
    for p in view.of_type(POLICY).filter(|r| r.mode == Mode::Managed) {
        if let Some(arn) = known(p.values.get("arn")) {
            out.entry(arn).or_insert(p);
        }
    }
    out
}

#[cfg(test)]
mod tests;
