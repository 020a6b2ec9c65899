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
//! | `aws_flow_log` | a [`FlowLog`] (`iam_role_arn`, `log_destination_type`, `log_destination`) |
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
//! [`Facts::org`](super::Facts::org) (see `terraform/organizations.rs` and
//! [`super::org`]). They apply to a role whose ARN gives its account when
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

mod organizations;

use crate::hash::HashMap;

use super::{
    Attachment, DestinationType, Facts, FlowLog, ManagedPolicy, PolicyDoc, Role, Unlinked,
};
use crate::diagnostic::Location;
use crate::documents::ParsedFile;
use crate::documents::terraform::{Mode, RefKind, Resource, TerraformView};
use crate::json::Node;

const ROLE: &str = "aws_iam_role";
const POLICY: &str = "aws_iam_policy";

/// Adds the facts of the Terraform plan or state `file`, seen through `view`.
pub fn extract<'a>(file: &'a ParsedFile, view: &TerraformView<'a>, facts: &mut Facts<'a>) {
    let plan = Plan { file, view };
    let mut roles = plan.roles();
    plan.managed(facts);
    let mut unplaced = plan.role_policies(&mut roles, facts);
    unplaced.extend(plan.attachments(&mut roles, facts));
    for (_, role) in &mut roles {
        role.attached.extend(unplaced.iter().cloned());
    }
    plan.flow_logs(facts);
    facts.org.merge(plan.organizations());
    facts.roles.extend(roles.into_iter().map(|(_, r)| r));
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
}

impl<'v, 'a> Plan<'v, 'a> {
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
                },
            ));
        }
        out
    }

    /// The key of a policy ARN: the address of the plan's policy with that
    /// ARN, else the ARN.
    fn policy_key(&self, arn: &str) -> String {
        self.managed_of_type(POLICY)
            .find(|p| known(p.values.get("arn")) == Some(arn))
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
                });
            }
        }
    }

    /// The role a `role` value (a role name) of `r` names.
    fn role_of(
        &self,
        r: &Resource<'a>,
        path: &[&str],
        name: Option<&str>,
        roles: &[(&'v Resource<'a>, Role<'a>)],
        by_address: &HashMap<&'a str, usize>,
    ) -> Option<usize> {
        if let Link::Resource(t) = self.follow(r, path, ROLE)
            && let Some(&i) = by_address.get(t.address)
        {
            return Some(i);
        }
        let name = name?;
        roles.iter().position(|(x, _)| {
            known(x.values.get("name")).is_some_and(|n| n.eq_ignore_ascii_case(name))
                || known(x.values.get("arn")) == Some(name)
        })
    }

    /// A stand-in for a policy whose content or role the plan does not
    /// know: its address, which no input gives, so the permission checks
    /// say they cannot verify it instead of missing what it may grant.
    fn stand_in(&self, r: &Resource<'a>) -> Attachment {
        Attachment {
            arn: r.address.to_string(),
            location: Some(self.at(r.values)),
        }
    }

    /// Adds the plan's role policies to their roles; returns stand-ins for
    /// those whose role cannot be told (any role of the plan may hold them).
    fn role_policies(
        &self,
        roles: &mut [(&'v Resource<'a>, Role<'a>)],
        facts: &mut Facts<'a>,
    ) -> Vec<Attachment> {
        let mut unplaced = Vec::new();
        // Looked up once per policy: a linear search made large plans quadratic.
        let by_address = address_index(roles);
        for rp in self.managed_of_type("aws_iam_role_policy") {
            let name = rp.values.get_str("name").unwrap_or_default();
            let document = self.document(
                rp.values.get("policy"),
                format!("{} (`{name}`)", rp.address),
            );
            let role = known(rp.values.get("role"));
            match self.role_of(rp, &["role"], role, roles, &by_address) {
                Some(i) => {
                    if let Some((_, role)) = roles.get_mut(i) {
                        match document {
                            Some(d) => role.inline.push(d),
                            None if rp.is_unknown(&["policy"]) => {
                                role.attached.push(self.stand_in(rp));
                            }
                            None => {}
                        }
                    }
                }
                None => match (role, document) {
                    (Some(role), Some(document)) => {
                        facts.role_policies.push(super::RolePolicy {
                            role_name: role.to_string(),
                            document,
                        });
                    }
                    (None, _) if rp.is_unknown(&["role"]) => unplaced.push(self.stand_in(rp)),
                    _ => {}
                },
            }
        }
        unplaced
    }

    /// Adds attachments to their roles; returns stand-ins for those whose
    /// roles cannot be told.
    fn attachments(
        &self,
        roles: &mut [(&'v Resource<'a>, Role<'a>)],
        facts: &mut Facts<'a>,
    ) -> Vec<Attachment> {
        let mut unplaced = Vec::new();
        let mut external: Vec<Role<'a>> = Vec::new();
        let by_address = address_index(roles);
        let kinds: [(&str, &str); 2] = [
            ("aws_iam_role_policy_attachment", "role"),
            ("aws_iam_policy_attachment", "roles"),
        ];
        for (t, attr) in kinds {
            for a in self.managed_of_type(t) {
                let policy: Vec<Attachment> = match known(a.values.get("policy_arn")) {
                    Some(arn) => vec![Attachment {
                        arn: self.policy_key(arn),
                        location: a.values.get("policy_arn").map(|n| self.at(n)),
                    }],
                    None => self.policy_refs(a, "policy_arn"),
                };
                if policy.is_empty() {
                    continue;
                }
                // The roles: names when known, else references.
                let names: Vec<&str> = match a.values.get(attr) {
                    Some(n) if n.as_array().is_some() => n
                        .as_array()
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|x| known(Some(x)))
                        .collect(),
                    other => known(other).into_iter().collect(),
                };
                let mut targets: Vec<usize> = Vec::new();
                let mut outside: Vec<&str> = Vec::new();
                if names.is_empty() {
                    for (x, t) in self.view.referenced_resources(a.address, &[attr]) {
                        if x.kind == RefKind::Resource
                            && type_of(&x.address) == Some(ROLE)
                            && let Some(&i) = by_address.get(t.address)
                        {
                            targets.push(i);
                        }
                    }
                } else {
                    for n in names {
                        match self.role_of(a, &[attr], Some(n), roles, &by_address) {
                            Some(i) if attr == "role" => targets.push(i),
                            _ => match roles.iter().position(|(x, _)| {
                                known(x.values.get("name"))
                                    .is_some_and(|v| v.eq_ignore_ascii_case(n))
                            }) {
                                Some(i) => targets.push(i),
                                None => outside.push(n),
                            },
                        }
                    }
                }
                if targets.is_empty() && outside.is_empty() && a.is_unknown(&[attr]) {
                    unplaced.push(self.stand_in(a));
                    continue;
                }
                targets.sort_unstable();
                targets.dedup();
                for i in targets {
                    if let Some((_, role)) = roles.get_mut(i) {
                        for p in &policy {
                            if !role.attached.iter().any(|e| e.arn == p.arn) {
                                role.attached.push(p.clone());
                            }
                        }
                    }
                }
                for n in outside {
                    external.push(Role {
                        name: n.to_string(),
                        attached: policy.clone(),
                        ..Role::default()
                    });
                }
            }
        }
        facts.roles.extend(external);
        unplaced
    }

    fn flow_logs(&self, facts: &mut Facts<'a>) {
        for fl in self.managed_of_type("aws_flow_log") {
            let v = fl.values;
            let config_expr = |attr: &str| {
                self.view
                    .config_resource(fl.address)
                    .and_then(|c| c.expression(&[attr]))
            };
            let location = Some(self.at(v));
            let skip = |facts: &mut Facts<'a>, at: Option<Location>, reason: String| {
                let help = if reason.contains("deliver_cross_account_role") {
                    "check the cross-account delivery roles by hand (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html)"
                } else {
                    "the checks run once the role can be linked: reference the role resource \
                     (`iam_role_arn = aws_iam_role.NAME.arn`), or lint `terraform show -json` \
                     of the state after apply"
                };
                facts.unlinked.push(Unlinked {
                    user: format!("flow log `{}`", fl.address),
                    location: at.or(location),
                    reason,
                    help: help.to_string(),
                });
            };
            let destination_type = match known(v.get("log_destination_type")) {
                Some(t) => DestinationType::parse(t),
                None if fl.is_unknown(&["log_destination_type"]) => {
                    skip(
                        facts,
                        config_expr("log_destination_type").map(|n| self.at(n)),
                        "its `log_destination_type` is unknown until apply".to_string(),
                    );
                    continue;
                }
                None => DestinationType::CloudWatchLogs,
            };
            if destination_type != DestinationType::CloudWatchLogs {
                continue;
            }
            let cross = v.get("deliver_cross_account_role");
            if known(cross).is_some() || fl.is_unknown(&["deliver_cross_account_role"]) {
                skip(
                    facts,
                    cross.filter(|c| !c.is_null()).map(|n| self.at(n)),
                    "it delivers across accounts (`deliver_cross_account_role`), which the service-chain checks do not model".to_string(),
                );
                continue;
            }
            let role_node = v.get("iam_role_arn");
            let (role_arn, role_location) = match known(role_node) {
                Some(arn) => {
                    let key = self
                        .managed_of_type(ROLE)
                        .find(|r| known(r.values.get("arn")) == Some(arn))
                        // A role of the plan whose ARN is not known yet,
                        // with the name the ARN ends with.
                        .or_else(|| {
                            self.managed_of_type(ROLE).find(|r| {
                                r.is_unknown(&["arn"])
                                    && known(r.values.get("name")) == Some(super::arn_name(arn))
                            })
                        })
                        .map_or_else(|| arn.to_string(), |r| self.key(r));
                    (Some(key), role_node.map(|n| self.at(n)))
                }
                None if fl.is_unknown(&["iam_role_arn"]) => {
                    let at = config_expr("iam_role_arn").map(|n| self.at(n));
                    match self.follow(fl, &["iam_role_arn"], ROLE) {
                        Link::Resource(r) => (Some(self.key(r)), at),
                        Link::Unlinked(reason) => {
                            skip(
                                facts,
                                at,
                                format!("its `iam_role_arn` is unknown until apply and {reason}"),
                            );
                            continue;
                        }
                        Link::None => {
                            skip(
                                facts,
                                at,
                                "its `iam_role_arn` is unknown until apply and the configuration names no `aws_iam_role` of the plan".to_string(),
                            );
                            continue;
                        }
                    }
                }
                None => (None, None),
            };
            facts.flow_logs.push(FlowLog {
                id: fl.address.to_string(),
                location,
                role_arn,
                role_location,
                destination_type,
                destination: known(v.get("log_destination")).map(str::to_string),
                log_group: known(v.get("log_group_name")).map(str::to_string),
            });
        }
    }
}

/// Each role resource's index in `roles`, by Terraform address.
fn address_index<'a>(roles: &[(&Resource<'a>, Role<'a>)]) -> HashMap<&'a str, usize> {
    roles
        .iter()
        .enumerate()
        .map(|(i, (r, _))| (r.address, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::AwsModel;
    use crate::documents::ParsedFile;
    use crate::lint::Options;
    use crate::source::FileId;

    fn plan(id: u32, resources: &str, config: &str) -> ParsedFile {
        let text = format!(
            r#"{{"format_version": "1.2", "resource_changes": [{resources}],
                "configuration": {{"root_module": {{"resources": [{config}]}}}}}}"#
        );
        ParsedFile::parse(
            FileId(id),
            &format!("plan{id}.json"),
            text.as_bytes(),
            true,
            None,
        )
    }

    fn state(text: &str) -> ParsedFile {
        ParsedFile::parse(FileId(0), "state.json", text.as_bytes(), true, None)
    }

    fn rc(address: &str, after: &str, unknown: &str) -> String {
        let (t, n) = address.split_once('.').expect("address");
        format!(
            r#"{{"address": "{address}", "mode": "managed", "type": "{t}", "name": "{n}",
                "change": {{"actions": ["create"], "before": null, "after": {after}, "after_unknown": {unknown}}}}}"#
        )
    }

    fn cfg(address: &str, expressions: &str) -> String {
        let (t, n) = address.split_once('.').expect("address");
        format!(
            r#"{{"address": "{address}", "mode": "managed", "type": "{t}", "name": "{n}", "expressions": {expressions}}}"#
        )
    }

    const TRUST: &str = r#""{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}""#;
    const EC2: &str = r#""{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}""#;

    fn flow(role_ref: &str) -> (String, String) {
        (
            rc(
                "aws_flow_log.f",
                r#"{"log_destination_type": "cloud-watch-logs", "deliver_cross_account_role": null}"#,
                r#"{"iam_role_arn": true}"#,
            ),
            cfg(
                "aws_flow_log.f",
                &format!(r#"{{"iam_role_arn": {{"references": [{role_ref}]}}}}"#),
            ),
        )
    }

    #[test]
    fn roles_of_two_plans_with_the_same_address_stay_apart() {
        let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
        let a = plan(
            0,
            &format!(
                "{f}, {}",
                rc(
                    "aws_iam_role.r",
                    &format!(r#"{{"name": "r", "assume_role_policy": {TRUST}}}"#),
                    r#"{"arn": true}"#
                )
            ),
            &fc,
        );
        let b = plan(
            1,
            &rc(
                "aws_iam_role.r",
                &format!(r#"{{"name": "r", "assume_role_policy": {EC2}}}"#),
                r#"{"arn": true}"#,
            ),
            "",
        );
        let files = [a, b];
        let model = AwsModel::build(&files, &Options::default());
        assert_eq!(model.roles.len(), 2);
        let fl = &model.flow_logs[0];
        let role = model
            .role_by_arn(fl.role_arn.as_deref().expect("linked"))
            .expect("role");
        assert_eq!(role.name, "aws_iam_role.r");
        assert_eq!(role.trust.as_ref().and_then(|t| t.file), Some(FileId(0)));
        assert_eq!(model.uses.len(), 1);
    }

    #[test]
    fn an_unlinkable_role_is_advice_with_the_reason() {
        let (f, fc) = flow(r#""var.role_arn""#);
        let files = [plan(0, &f, &fc)];
        let model = AwsModel::build(&files, &Options::default());
        assert!(model.flow_logs.is_empty());
        let u = model.unlinked.first().expect("unlinked");
        assert_eq!(u.user, "flow log `aws_flow_log.f`");
        assert!(u.reason.contains("`var.role_arn`"), "{}", u.reason);
    }

    #[test]
    fn a_role_policy_whose_role_is_unknown_makes_permissions_unverifiable() {
        let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
        let resources = [
            f,
            rc("aws_iam_role.r", &format!(r#"{{"name": "flow", "assume_role_policy": {TRUST}}}"#), r#"{"arn": true}"#),
            rc("aws_iam_role_policy.p", r#"{"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"}"#, r#"{"role": true}"#),
        ]
        .join(",");
        let config = [
            fc,
            cfg(
                "aws_iam_role_policy.p",
                r#"{"role": {"references": ["var.role_name"]}}"#,
            ),
        ]
        .join(",");
        let files = [plan(0, &resources, &config)];
        let model = AwsModel::build(&files, &Options::default());
        let role = model
            .roles
            .iter()
            .find(|r| r.name == "aws_iam_role.r")
            .expect("role");
        assert!(role.inline.is_empty());
        assert_eq!(role.attached.len(), 1);
        assert_eq!(role.attached[0].arn, "aws_iam_role_policy.p");
        assert!(matches!(
            model.resolve(&role.attached[0].arn),
            super::super::Resolved::Unknown
        ));
    }

    #[test]
    fn a_state_links_the_flow_log_by_arn() {
        let text = format!(
            r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [
                {{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
                  "values": {{"name": "flow", "arn": "arn:aws:iam::123456789012:role/flow", "path": "/",
                  "assume_role_policy": {EC2}, "inline_policy": []}}}},
                {{"address": "aws_flow_log.f", "mode": "managed", "type": "aws_flow_log", "name": "f",
                  "values": {{"iam_role_arn": "arn:aws:iam::123456789012:role/flow",
                  "log_destination_type": "cloud-watch-logs", "deliver_cross_account_role": ""}}}}]}}}}}}"#
        );
        let files = [state(&text)];
        let model = AwsModel::build(&files, &Options::default());
        let fl = model.flow_logs.first().expect("flow log");
        let role = model
            .role_by_arn(fl.role_arn.as_deref().expect("role"))
            .expect("linked");
        assert_eq!(role.name, "aws_iam_role.r");
        assert!(role.trust.is_some());
        assert!(model.unlinked.is_empty());
    }

    #[test]
    fn a_flow_log_of_another_input_finds_a_state_role_by_arn() {
        let flow = r#"{"FlowLogs": [{"FlowLogId": "fl-1", "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow"}]}"#;
        let state = format!(
            r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [
                {{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
                  "values": {{"name": "flow", "arn": "arn:aws:iam::123456789012:role/flow", "path": "/",
                  "assume_role_policy": {EC2}}}}}]}}}}}}"#
        );
        let files = [
            ParsedFile::parse(FileId(0), "flow.json", flow.as_bytes(), true, None),
            ParsedFile::parse(FileId(1), "state.json", state.as_bytes(), true, None),
        ];
        let model = AwsModel::build(&files, &Options::default());
        assert_eq!(model.roles.len(), 1);
        let role = model
            .role_by_arn("arn:aws:iam::123456789012:role/flow")
            .expect("linked");
        assert_eq!(role.display(), "aws_iam_role.r");
        assert!(role.trust.is_some());
    }

    #[test]
    fn an_inline_policy_unknown_until_apply_is_a_stand_in() {
        let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
        let resources = [
            f,
            rc(
                "aws_iam_role.r",
                &format!(r#"{{"name": "flow", "assume_role_policy": {TRUST}, "inline_policy": [{{"name": "logs"}}]}}"#),
                r#"{"arn": true, "inline_policy": [{"policy": true}]}"#,
            ),
        ]
        .join(",");
        let files = [plan(0, &resources, &fc)];
        let model = AwsModel::build(&files, &Options::default());
        let role = model.roles.first().expect("role");
        assert!(role.inline.is_empty());
        let arns: Vec<&str> = role.attached.iter().map(|a| a.arn.as_str()).collect();
        assert_eq!(arns, ["aws_iam_role.r.inline_policy[0]"]);
    }

    #[test]
    fn policies_attach_by_reference_and_inline_policies_by_known_name() {
        let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
        let resources = [
            f,
            rc("aws_iam_role.r", &format!(r#"{{"name": "flow", "assume_role_policy": {TRUST}}}"#), r#"{"arn": true}"#),
            rc("aws_iam_role_policy.p", r#"{"role": "flow", "policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"}"#, "{}"),
            rc("aws_iam_policy.d", r#"{"policy": "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}]}"}"#, r#"{"arn": true}"#),
            rc("aws_iam_policy_attachment.a", r#"{"roles": ["flow"]}"#, r#"{"policy_arn": true}"#),
        ]
        .join(",");
        let config = [
            fc,
            cfg(
                "aws_iam_policy_attachment.a",
                r#"{"policy_arn": {"references": ["aws_iam_policy.d.arn", "aws_iam_policy.d"]}}"#,
            ),
        ]
        .join(",");
        let files = [plan(0, &resources, &config)];
        let model = AwsModel::build(&files, &Options::default());
        let role = model
            .roles
            .iter()
            .find(|r| r.name == "aws_iam_role.r")
            .expect("role");
        assert_eq!(role.inline.len(), 1);
        assert_eq!(role.attached.len(), 1);
        assert!(matches!(
            model.resolve(&role.attached[0].arn),
            super::super::Resolved::Input(m) if m.name == "aws_iam_policy.d"
        ));
    }

    const DENY_LOGS: &str = r#""{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}]}""#;

    fn role_in(account: &str) -> String {
        rc(
            "aws_iam_role.r",
            &format!(
                r#"{{"name": "flow", "path": "/", "arn": "arn:aws:iam::{account}:role/flow", "assume_role_policy": {TRUST}}}"#
            ),
            "{}",
        )
    }

    fn applied(model: &AwsModel<'_>) -> Vec<(String, crate::eval::Tri)> {
        let role = model
            .roles
            .iter()
            .find(|r| r.name == "aws_iam_role.r")
            .expect("role");
        model
            .org_scps(role)
            .iter()
            .map(|a| (a.target.label.clone(), a.applies))
            .collect()
    }

    #[test]
    fn scps_apply_through_attachments_and_parents_linked_by_reference() {
        use crate::eval::Tri;
        let resources = [
            role_in("111111111111"),
            rc(
                "aws_organizations_organizational_unit.ou",
                r#"{"name": "w", "parent_id": "r-ab12"}"#,
                r#"{"id": true}"#,
            ),
            rc(
                "aws_organizations_account.a",
                r#"{"id": "111111111111", "name": "a"}"#,
                r#"{"parent_id": true}"#,
            ),
            rc(
                "aws_organizations_policy.deny",
                &format!(r#"{{"name": "d", "content": {DENY_LOGS}}}"#),
                r#"{"id": true}"#,
            ),
            rc(
                "aws_organizations_policy.rcp",
                &format!(
                    r#"{{"name": "r", "type": "RESOURCE_CONTROL_POLICY", "content": {DENY_LOGS}}}"#
                ),
                r#"{"id": true}"#,
            ),
            rc(
                "aws_organizations_policy_attachment.ou",
                "{}",
                r#"{"policy_id": true, "target_id": true}"#,
            ),
            rc(
                "aws_organizations_policy_attachment.rcp",
                "{}",
                r#"{"policy_id": true, "target_id": true}"#,
            ),
            rc(
                "aws_organizations_policy_attachment.other",
                r#"{"target_id": "ou-ab12-99999999"}"#,
                r#"{"policy_id": true}"#,
            ),
        ]
        .join(",");
        let ou_ref = r#"{"references": ["aws_organizations_organizational_unit.ou.id", "aws_organizations_organizational_unit.ou"]}"#;
        let config = [
            cfg("aws_organizations_account.a", &format!(r#"{{"parent_id": {ou_ref}}}"#)),
            cfg(
                "aws_organizations_policy_attachment.ou",
                &format!(r#"{{"policy_id": {{"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]}}, "target_id": {ou_ref}}}"#),
            ),
            cfg(
                "aws_organizations_policy_attachment.rcp",
                &format!(r#"{{"policy_id": {{"references": ["aws_organizations_policy.rcp.id", "aws_organizations_policy.rcp"]}}, "target_id": {ou_ref}}}"#),
            ),
            cfg(
                "aws_organizations_policy_attachment.other",
                r#"{"policy_id": {"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]}, "target_id": {"constant_value": "ou-ab12-99999999"}}"#,
            ),
        ]
        .join(",");
        let files = [plan(0, &resources, &config)];
        let model = AwsModel::build(&files, &Options::default());
        assert_eq!(model.org.scps.len(), 1, "the RCP is not an SCP");
        // The account's chain reaches the root: the other OU does not apply.
        assert_eq!(
            applied(&model),
            [(
                "OU `aws_organizations_organizational_unit.ou`".to_string(),
                Tri::Yes
            )]
        );
    }

    #[test]
    fn accounts_without_parent_are_in_the_root_and_the_management_account_is_exempt() {
        use crate::eval::Tri;
        let org = |master: &str| {
            rc(
                "aws_organizations_organization.o",
                &format!(r#"{{"master_account_id": "{master}", "roots": [{{"id": "r-ab12"}}]}}"#),
                "{}",
            )
        };
        let rest = [
            rc(
                "aws_organizations_account.a",
                r#"{"name": "a", "id": "111111111111"}"#,
                r#"{"parent_id": true}"#,
            ),
            rc(
                "aws_organizations_policy.deny",
                &format!(r#"{{"content": {DENY_LOGS}}}"#),
                r#"{"id": true}"#,
            ),
            rc(
                "aws_organizations_policy_attachment.root",
                "{}",
                r#"{"policy_id": true, "target_id": true}"#,
            ),
        ]
        .join(",");
        let config = [
            cfg("aws_organizations_account.a", r#"{"name": {"constant_value": "a"}}"#),
            cfg(
                "aws_organizations_policy_attachment.root",
                r#"{"policy_id": {"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]},
                    "target_id": {"references": ["aws_organizations_organization.o.roots[0].id", "aws_organizations_organization.o.roots[0]", "aws_organizations_organization.o.roots", "aws_organizations_organization.o"]}}"#,
            ),
        ]
        .join(",");
        let resources = [role_in("111111111111"), org("999999999999"), rest.clone()].join(",");
        let files = [plan(0, &resources, &config)];
        let model = AwsModel::build(&files, &Options::default());
        assert_eq!(
            applied(&model),
            [(
                "the root `r-ab12` (`aws_organizations_organization.o`)".to_string(),
                Tri::Yes
            )]
        );
        let resources = [role_in("111111111111"), org("111111111111"), rest].join(",");
        let files = [plan(0, &resources, &config)];
        let model = AwsModel::build(&files, &Options::default());
        assert!(applied(&model).is_empty());
    }

    #[test]
    fn a_target_the_plan_cannot_tell_may_apply() {
        use crate::eval::Tri;
        use crate::model::aws::org::Placement;
        let resources = [
            role_in("111111111111"),
            rc(
                "aws_organizations_policy.deny",
                &format!(r#"{{"content": {DENY_LOGS}}}"#),
                r#"{"id": true}"#,
            ),
            rc(
                "aws_organizations_policy_attachment.x",
                "{}",
                r#"{"policy_id": true, "target_id": true}"#,
            ),
        ]
        .join(",");
        let config = cfg(
            "aws_organizations_policy_attachment.x",
            r#"{"policy_id": {"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]},
                "target_id": {"references": ["var.ou_id"]}}"#,
        );
        let files = [plan(0, &resources, &config)];
        let model = AwsModel::build(&files, &Options::default());
        let role = model.roles.first().expect("role");
        let scps = model.org_scps(role);
        let [scp] = scps.as_slice() else {
            panic!("one SCP: {scps:?}")
        };
        assert_eq!(scp.applies, Tri::Maybe);
        assert!(
            matches!(scp.placement, Placement::UnknownTarget(why) if why.contains("`var.ou_id`"))
        );
    }

    #[test]
    fn a_state_links_scps_by_known_ids() {
        use crate::eval::Tri;
        let res = |address: &str, values: &str| {
            let (t, n) = address.split_once('.').expect("address");
            format!(
                r#"{{"address": "{address}", "mode": "managed", "type": "{t}", "name": "{n}", "values": {values}}}"#
            )
        };
        let resources = [
            res("aws_iam_role.r", &format!(r#"{{"name": "flow", "path": "/", "arn": "arn:aws:iam::111111111111:role/flow", "assume_role_policy": {TRUST}}}"#)),
            res("aws_organizations_organization.o", r#"{"master_account_id": "999999999999", "roots": [{"id": "r-ab12"}], "accounts": [{"id": "111111111111"}, {"id": "999999999999"}]}"#),
            res("aws_organizations_organizational_unit.w", r#"{"id": "ou-ab12-11111111", "parent_id": "r-ab12"}"#),
            res("aws_organizations_account.a", r#"{"id": "111111111111", "parent_id": "ou-ab12-11111111"}"#),
            res("aws_organizations_policy.d", &format!(r#"{{"id": "p-1111aaaa", "type": "SERVICE_CONTROL_POLICY", "content": {DENY_LOGS}}}"#)),
            res("aws_organizations_policy.t", r#"{"id": "p-2222bbbb", "type": "TAG_POLICY", "content": "{}"}"#),
            res("aws_organizations_policy_attachment.ou", r#"{"policy_id": "p-1111aaaa", "target_id": "ou-ab12-11111111"}"#),
            res("aws_organizations_policy_attachment.root", r#"{"policy_id": "p-1111aaaa", "target_id": "r-ab12"}"#),
            res("aws_organizations_policy_attachment.tag", r#"{"policy_id": "p-2222bbbb", "target_id": "r-ab12"}"#),
        ]
        .join(",");
        let text = format!(
            r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [{resources}]}}}}}}"#
        );
        let files = [state(&text)];
        let model = AwsModel::build(&files, &Options::default());
        assert_eq!(
            applied(&model),
            [
                (
                    "OU `ou-ab12-11111111` (`aws_organizations_organizational_unit.w`)".to_string(),
                    Tri::Yes
                ),
                (
                    "the root `r-ab12` (`aws_organizations_organization.o`)".to_string(),
                    Tri::Yes
                ),
            ]
        );
        let role = model.roles.first().expect("role");
        let scps = model.org_scps(role);
        let via = scps
            .first()
            .and_then(|s| s.via)
            .map(|(_, note)| note.as_str());
        assert_eq!(
            via,
            Some(
                "`aws_organizations_account.a` places account `111111111111` in OU `ou-ab12-11111111` (`aws_organizations_organizational_unit.w`)"
            )
        );
    }
}
