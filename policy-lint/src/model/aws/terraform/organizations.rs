//! AWS Organizations facts of a plan or state: service control policies
//! (`aws_organizations_policy` of type `SERVICE_CONTROL_POLICY`, the
//! default), where `aws_organizations_policy_attachment` attaches them, the
//! hierarchy (`parent_id` of `aws_organizations_account` and
//! `aws_organizations_organizational_unit`) and the management account
//! (`aws_organizations_organization.master_account_id`).
//!
//! Values unknown until apply are linked through configuration references
//! as the other links of the plan are (`policy_id` ->
//! `aws_organizations_policy.x.id`, `target_id` ->
//! `aws_organizations_organizational_unit.y.id`, `aws_organizations_account.z.id`
//! or `aws_organizations_organization.o.roots[0].id`); a node whose id is
//! unknown is named by its resource. A target that cannot be linked is kept
//! with the reason, so the rules can say what they could not tell.

use crate::hash::HashMap;

use super::{Plan, known, type_of};
use crate::diagnostic::Location;
use crate::documents::terraform::{Mode, RefKind, Resource};
use crate::json::Node;
use crate::model::aws::org::{
    FULL_AWS_ACCESS_ID, NodeKind, OrgNode, OrgScp, Organizations, ScpTarget, full_aws_access,
};

const POLICY: &str = "aws_organizations_policy";
const ATTACHMENT: &str = "aws_organizations_policy_attachment";
const ACCOUNT: &str = "aws_organizations_account";
const UNIT: &str = "aws_organizations_organizational_unit";
const UNITS: &str = "aws_organizations_organizational_units";
const ORG: &str = "aws_organizations_organization";

impl<'a> Plan<'_, 'a> {
    /// The organizations facts of the plan.
    pub(super) fn organizations(&self) -> Organizations<'a> {
        let mut out = Organizations::default();
        let policies: Vec<&Resource<'a>> =
            self.managed_of_type(POLICY).filter(|p| is_scp(p)).collect();
        if policies.is_empty() {
            return out;
        }
        let orgs: Vec<&Resource<'a>> = self.view.of_type(ORG).collect();
        for o in &orgs {
            if let Some(m) = known(o.values.get("master_account_id")) {
                out.management.insert(m.to_string());
            }
            let root = self.node_of(o);
            if root.id.starts_with("r-") {
                for list in ["accounts", "non_master_accounts"] {
                    for a in o
                        .values
                        .get(list)
                        .and_then(Node::as_array)
                        .unwrap_or_default()
                    {
                        if let Some(id) = known(a.get("id")) {
                            out.member_roots.insert(id.to_string(), root.clone());
                        }
                    }
                }
            }
        }
        // The resources that create or read each node, to name a target
        // given by id.
        let mut named: HashMap<OrgNode, &Resource<'a>> = HashMap::default();
        for t in [ACCOUNT, UNIT, ORG] {
            for r in self.view.of_type(t) {
                named.entry(self.node_of(r)).or_insert(r);
            }
        }
        // An account created without `parent_id` is placed in the root.
        let default_root = match orgs.as_slice() {
            [one] => Some(self.node_of(one)),
            _ => None,
        };
        for a in self.managed_of_type(ACCOUNT) {
            if let Some((parent, at)) = self.parent(a, default_root.as_ref()) {
                let node = self.node_of(a);
                if !node.id.starts_with("terraform#") {
                    let note = format!(
                        "`{}` places account `{}` in {}",
                        a.address,
                        node.id,
                        self.node_label(&parent, &named)
                    );
                    out.placements.insert(node.id.clone(), (at, note));
                }
                out.parents.insert(node, parent);
            }
        }
        for u in self.view.of_type(UNIT) {
            if let Some((parent, _)) = self.parent(u, None) {
                out.parents.insert(self.node_of(u), parent);
            }
        }
        for d in self.view.of_type(UNITS) {
            let Some(parent) = known(d.values.get("parent_id")).and_then(OrgNode::parse) else {
                continue;
            };
            for c in d
                .values
                .get("children")
                .and_then(Node::as_array)
                .unwrap_or_default()
            {
                if let Some(child) = known(c.get("id")).and_then(OrgNode::parse) {
                    out.parents.insert(child, parent.clone());
                }
            }
        }
        let mut targets: HashMap<&str, Vec<ScpTarget>> = HashMap::default();
        let mut full_access = Vec::new();
        for a in self.managed_of_type(ATTACHMENT) {
            if known(a.values.get("policy_id")) == Some(FULL_AWS_ACCESS_ID) {
                full_access.extend(self.target(a, &named));
                continue;
            }
            let Some(policy) = self.attached_policy(a, &policies) else {
                continue;
            };
            if let Some(t) = self.target(a, &named) {
                targets.entry(policy.address).or_default().push(t);
            }
        }
        for p in policies {
            let Some(document) = self.document(p.values.get("content"), p.address.to_string())
            else {
                continue;
            };
            let targets = targets.remove(p.address).unwrap_or_default();
            if !targets.is_empty() {
                out.scps.push(OrgScp { document, targets });
            }
        }
        if !out.scps.is_empty() && !full_access.is_empty() {
            out.scps.push(full_aws_access(full_access));
        }
        out
    }

    /// The node a resource creates or reads: an account, an OU, or the
    /// organization's root; by id when known, else by the resource's key.
    fn node_of(&self, r: &Resource<'a>) -> OrgNode {
        let (kind, id) = match r.resource_type {
            ORG => (
                NodeKind::Root,
                known(r.value(&["roots", "0", "id"])).map(str::to_string),
            ),
            ACCOUNT => (
                NodeKind::Account,
                known(r.values.get("id")).map(str::to_string),
            ),
            _ => (
                NodeKind::Unit,
                known(r.values.get("id")).map(str::to_string),
            ),
        };
        OrgNode {
            kind,
            id: id.unwrap_or_else(|| self.key(r)),
        }
    }

    /// For messages: `OU `ou-ab12-34cd5678` (`aws_organizations_organizational_unit.prod`)`.
    fn label(&self, r: &Resource<'a>) -> String {
        let node = self.node_of(r);
        let id = if node.id.starts_with("terraform#") {
            None
        } else {
            Some(node.id.as_str())
        };
        let what = match node.kind {
            NodeKind::Account => "account",
            NodeKind::Unit => "OU",
            NodeKind::Root => "the root",
        };
        match id {
            Some(id) => format!("{what} `{id}` (`{}`)", r.address),
            None if node.kind == NodeKind::Root => format!("the root of `{}`", r.address),
            None => format!("{what} `{}`", r.address),
        }
    }

    /// The one account, OU or organization (for its root) that `path` of
    /// `r` refers to; `Err` with the reason when the references name none
    /// or several.
    fn referenced_node(&self, r: &Resource<'a>, path: &str) -> Result<&Resource<'a>, String> {
        let found: Vec<&Resource<'a>> = self
            .view
            .referenced_resources(r.address, &[path])
            .into_iter()
            .filter(|(x, _)| {
                let root = x
                    .attribute
                    .as_deref()
                    .is_some_and(|a| a.starts_with("roots"));
                matches!(x.kind, RefKind::Resource | RefKind::Data)
                    && match type_of(&x.address) {
                        Some(ACCOUNT | UNIT) => true,
                        // `roots[0].id`; the organization's own id is no target.
                        Some(ORG) => root,
                        _ => false,
                    }
            })
            .map(|(_, t)| t)
            .collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => {
                let refs = self.view.references(r.address, &[path]);
                Err(refs
                    .iter()
                    .find_map(|x| x.unlinked_reason())
                    .map(|why| format!("`{path}` is unknown until apply and {why}"))
                    .unwrap_or_else(|| {
                        format!(
                            "`{path}` is unknown until apply and the configuration names no account, OU or root of the plan"
                        )
                    }))
            }
            many => Err(format!(
                "`{path}` refers to {} accounts, OUs or roots and the plan does not say which one",
                many.len()
            )),
        }
    }

    /// The parent of an account or OU; `default` when an account's
    /// `parent_id` is not configured (AWS places it in the root).
    /// and where that is written.
    fn parent(&self, r: &Resource<'a>, default: Option<&OrgNode>) -> Option<(OrgNode, Location)> {
        let written = r.values.get("parent_id");
        if let Some(id) = known(written) {
            return Some((OrgNode::parse(id)?, self.at(written?)));
        }
        if !r.is_unknown(&["parent_id"]) {
            return None;
        }
        let expression = self
            .view
            .config_resource(r.address)
            .and_then(|c| c.expression(&["parent_id"]));
        let Some(expression) = expression else {
            return default.map(|d| (d.clone(), self.at(r.values)));
        };
        self.referenced_node(r, "parent_id")
            .ok()
            .filter(|p| p.resource_type != ACCOUNT)
            .map(|p| (self.node_of(p), self.at(expression)))
    }

    /// For messages: a node by the resource that creates or reads it, else
    /// by its id.
    fn node_label(&self, node: &OrgNode, named: &HashMap<OrgNode, &Resource<'a>>) -> String {
        match named.get(node) {
            Some(r) => self.label(r),
            None => match node.kind {
                NodeKind::Account => format!("account `{}`", node.id),
                NodeKind::Unit => format!("OU `{}`", node.id),
                NodeKind::Root => format!("the root `{}`", node.id),
            },
        }
    }

    /// The SCP an attachment attaches: by known id, else by reference.
    fn attached_policy<'p>(
        &self,
        a: &Resource<'a>,
        policies: &[&'p Resource<'a>],
    ) -> Option<&'p Resource<'a>> {
        if let Some(id) = known(a.values.get("policy_id")) {
            return policies
                .iter()
                .find(|p| known(p.values.get("id")) == Some(id))
                .copied();
        }
        let linked: Vec<&str> = self
            .view
            .referenced_resources(a.address, &["policy_id"])
            .into_iter()
            .filter(|(x, _)| x.kind == RefKind::Resource && type_of(&x.address) == Some(POLICY))
            .map(|(_, t)| t.address)
            .collect();
        match linked.as_slice() {
            [one] => policies.iter().find(|p| p.address == *one).copied(),
            _ => None,
        }
    }

    /// Where an attachment attaches its policy.
    fn target(
        &self,
        a: &Resource<'a>,
        named: &HashMap<OrgNode, &Resource<'a>>,
    ) -> Option<ScpTarget> {
        let node = a.values.get("target_id");
        let location = node
            .filter(|n| !n.is_null())
            .map(|n| self.at(n))
            .or_else(|| {
                self.view
                    .config_resource(a.address)
                    .and_then(|c| c.expression(&["target_id"]))
                    .map(|n| self.at(n))
            })
            .or(Some(self.at(a.values)));
        let attachment = a.address.to_string();
        if let Some(id) = known(node) {
            let target = OrgNode::parse(id)?;
            // The resource with that id names it better.
            let label = self.node_label(&target, named);
            return Some(ScpTarget {
                node: Some(target),
                label,
                unknown_reason: None,
                attachment,
                location,
            });
        }
        if !a.is_unknown(&["target_id"]) {
            return None;
        }
        Some(match self.referenced_node(a, "target_id") {
            Ok(r) => ScpTarget {
                node: Some(self.node_of(r)),
                label: self.label(r),
                unknown_reason: None,
                attachment,
                location,
            },
            Err(reason) => ScpTarget {
                node: None,
                label: format!("the target of `{}`", a.address),
                unknown_reason: Some(reason),
                attachment,
                location,
            },
        })
    }
}

/// Whether an `aws_organizations_policy` is a service control policy
/// (`type` absent means one).
fn is_scp(p: &Resource<'_>) -> bool {
    p.mode == Mode::Managed
        && match p.values.get("type") {
            None => true,
            Some(t) if t.is_null() => !p.is_unknown(&["type"]),
            Some(t) => t.as_str() == Some("SERVICE_CONTROL_POLICY"),
        }
}
