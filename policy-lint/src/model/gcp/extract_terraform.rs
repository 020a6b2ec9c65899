//! Facts from `terraform show -json` plans and states: instances and
//! templates, project IAM members, bindings and policies, custom roles.
//!
//! Names are Terraform addresses (`module.vm.google_compute_instance.app[0]`)
//! and every instance has [`Origin::Terraform`], so scope aliases follow the
//! provider's map (no `default`).
//!
//! # Accounts and members unknown until apply
//!
//! An email that is unknown in the plan is linked through `configuration`
//! references: an instance whose `service_account.email` refers to
//! `google_service_account.x` runs as [`AccountRef::TerraformRef`]
//! (`google_service_account.x`), and an IAM member that refers to the same
//! resource (`google_service_account.x.member`,
//! `"serviceAccount:${google_service_account.x.email}"`) is written
//! `serviceAccount:google_service_account.x`, which the linker matches. A
//! reference with an instance key keeps it (`google_service_account.x[0]`);
//! one without a key to a resource with several instances cannot say which
//! account it is and is not linked. When an email cannot be linked, the
//! reason is recorded in [`Facts::unlinked_accounts`] and the IAM-based
//! rules give advice instead of a verdict.
//!
//! # Projects
//!
//! A resource's project is, in order:
//! 1. its `project` value, when the plan knows it;
//! 2. when it is unknown and `configuration` refers to a `google_project`,
//!    that project's `project_id` (or, when that is unknown too, the
//!    reference's address, which other resources referring to the same
//!    project share);
//! 3. when the configuration does not set `project`, the provider's default
//!    project: the `project` constant of the `google` provider block; else,
//!    when every project the plan's resources name explicitly is one and the
//!    same id, that id (a plan normally works in one provider project, and
//!    `project = var.project_id` beside resources that rely on the provider
//!    default is the common shape); else a key naming "the google
//!    provider's default project" of this file, so resources of one plan
//!    that all rely on the provider default link with each other and with
//!    nothing else;
//! 4. otherwise (a `project` from an expression the plan does not record)
//!    unknown: the instance is not linked to any Terraform policy.
//!
//! Policies with explicitly different project ids are never linked to each
//! other's instances: the linker compares keys.
//!
//! # Partial policies
//!
//! `google_project_iam_member` and `google_project_iam_binding` add to a
//! project's policy without replacing it, so a role they do not grant may
//! still be granted outside the configuration: these policies are listed in
//! [`Facts::partial_policies`], and "the account holds no such role" becomes
//! "cannot verify" unless an authoritative policy
//! (`google_project_iam_policy`, gcloud output) is linked too. Terraform
//! sends version 3 with member and binding conditions, so those policies
//! have version 3.

use crate::hash::{HashMap, HashSet};

use super::extract;
use super::facts::{
    AccountRef, Binding, CustomRole, Facts, Instance, InstanceKind, Member, Origin, Policy,
    PolicyTarget, ProjectKey, Scope,
};
use crate::diagnostic::Location;
use crate::documents::terraform::gce::{self, Account};
use crate::documents::terraform::{Mode, RefKind, Reference, Resource, TerraformView};
use crate::documents::{DocKind, Document};
use crate::json::Node;

/// The resource type of service accounts.
const SERVICE_ACCOUNT: &str = "google_service_account";

/// Adds the facts of the Terraform plan or state `doc`, seen through `view`.
pub fn extract<'a>(doc: &Document<'a>, view: &TerraformView<'a>, facts: &mut Facts) {
    facts.terraform_files.insert(doc.file.id);
    let written = provider_project(view);
    let plan = Plan {
        doc,
        view,
        provider_project: written.clone().or_else(|| only_project(view)),
        provider_constant: written,
    };
    plan.instances(facts);
    plan.workloads(facts);
    plan.custom_roles(facts);
    plan.policies(facts);
}

/// Whether `doc` is a document this extractor reads through its container
/// (the `policy_data` of a plan): the generic extractor leaves it alone.
pub fn handles_nested(doc: &Document<'_>) -> bool {
    doc.parent()
        .is_some_and(|p| matches!(p.kind, DocKind::TerraformPlan | DocKind::TerraformState))
}

/// The `project` constant of the root `google` (or `google-beta`) provider
/// block.
fn provider_project(view: &TerraformView<'_>) -> Option<String> {
    let configs = view.root.get("configuration")?.get("provider_config")?;
    ["google", "google-beta"].iter().find_map(|k| {
        configs
            .get(k)?
            .get("expressions")?
            .get("project")?
            .get_str("constant_value")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    })
}

/// The one project id the plan's `google_*` resources name explicitly, when
/// they name exactly one.
fn only_project(view: &TerraformView<'_>) -> Option<String> {
    let ids: std::collections::BTreeSet<&str> = view
        .resources()
        .filter(|r| r.resource_type.starts_with("google_"))
        .filter_map(|r| r.values.get_str("project"))
        .filter(|p| !p.is_empty())
        .collect();
    match ids.len() {
        1 => ids.into_iter().next().map(str::to_string),
        _ => None,
    }
}

/// The resource type in a configuration address
/// (`module.m.google_service_account.x` -> `google_service_account`).
fn type_of(config_address: &str) -> Option<&str> {
    let parts: Vec<&str> = config_address.split('.').collect();
    // Drop `module.NAME` pairs, then `data`.
    let mut rest = parts.as_slice();
    while let ["module", _, tail @ ..] = rest {
        rest = tail;
    }
    if let ["data", tail @ ..] = rest {
        rest = tail;
    }
    rest.first().copied()
}

struct Plan<'d, 'a> {
    doc: &'d Document<'a>,
    view: &'d TerraformView<'a>,
    /// The project of resources that do not set one (see the module docs).
    provider_project: Option<String>,
    /// The provider block's own `project` constant.
    provider_constant: Option<String>,
}

impl<'a> Plan<'_, 'a> {
    fn at(&self, node: Node<'_>) -> Location {
        self.doc.at(node)
    }

    /// The project of a resource (see the module docs).
    fn project(&self, r: &Resource<'a>) -> Option<ProjectKey> {
        if let Some(p) = r.values.get_str("project").filter(|s| !s.is_empty()) {
            return ProjectKey::parse(p);
        }
        let configured = self
            .view
            .config_resource(r.address)
            .and_then(|c| c.expression(&["project"]).map(|_| ()))
            .is_some();
        if r.is_unknown(&["project"]) && configured {
            let refs = self.view.references(r.address, &["project"]);
            let project = refs.iter().find(|x| {
                x.kind == RefKind::Resource && type_of(&x.address) == Some("google_project")
            })?;
            let known = self
                .view
                .instances_of(&project.address)
                .filter_map(|p| p.values.get_str("project_id"))
                .collect::<Vec<_>>();
            return match known.as_slice() {
                [one] => ProjectKey::parse(one),
                _ => Some(ProjectKey::Id(project.address.clone())),
            };
        }
        if configured {
            // Set from something the plan does not show.
            return None;
        }
        Some(ProjectKey::Id(
            self.provider_project.clone().unwrap_or_else(|| {
                format!(
                    "the google provider's default project of {}",
                    self.doc
                        .file
                        .source
                        .name()
                        .rsplit('/')
                        .next()
                        .unwrap_or_default()
                )
            }),
        ))
    }

    /// The service accounts of the plan whose email is unknown until apply:
    /// the key the linker matches (as [`Self::account_key`] gives it) and
    /// the email the account will have (`ACCOUNT_ID@PROJECT.iam.gserviceaccount.com`)
    /// when the plan shows `account_id` and the project is written (on the
    /// resource or the provider block), `None` otherwise.
    fn pending_accounts(&self) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        for r in self.view.of_type(SERVICE_ACCOUNT) {
            if r.mode != Mode::Managed || r.values.get_str("email").is_some() {
                continue;
            }
            let config = r.config_address();
            let key = if self.view.instances_of(&config).count() <= 1 {
                config
            } else {
                r.address.to_string()
            };
            let configured = self
                .view
                .config_resource(r.address)
                .is_some_and(|c| c.expression(&["project"]).is_some());
            let project = r
                .values
                .get_str("project")
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .or_else(|| {
                    (!configured)
                        .then(|| self.provider_constant.clone())
                        .flatten()
                });
            let email = match (r.values.get_str("account_id"), project) {
                (Some(id), Some(p)) if !id.is_empty() => {
                    Some(format!("{id}@{p}.iam.gserviceaccount.com"))
                }
                _ => None,
            };
            out.push((key, email));
        }
        out
    }

    /// The service account a set of references names, as the key the linker
    /// matches (`google_service_account.x`, or `...x[0]` with a key), or why
    /// it cannot be named.
    fn account_key(&self, refs: &[Reference]) -> Result<String, String> {
        let accounts: Vec<&Reference> = refs
            .iter()
            .filter(|r| {
                matches!(r.kind, RefKind::Resource | RefKind::Data)
                    && type_of(&r.address) == Some(SERVICE_ACCOUNT)
            })
            .collect();
        match accounts.as_slice() {
            [one] => {
                let instances = self.view.instances_of(&one.address).count();
                match &one.key {
                    Some(k) => Ok(format!("{}{k}", one.address)),
                    None if instances <= 1 => Ok(one.address.clone()),
                    None => Err(format!(
                        "the email comes from `{}`, which has {instances} instances, and the plan does not say which one",
                        one.address
                    )),
                }
            }
            [] => Err(match refs.iter().find_map(Reference::unlinked_reason) {
                Some(reason) => reason,
                None => match refs.first() {
                    Some(r) => format!(
                        "the email comes from `{}`, which is not a `google_service_account`",
                        r.address
                    ),
                    None => "the plan records no configuration reference for the email".to_string(),
                },
            }),
            _ => Err(format!(
                "the email refers to {} service accounts",
                accounts.len()
            )),
        }
    }

    fn instances(&self, facts: &mut Facts) {
        let pending = self.pending_accounts();
        let authoritative = self.has_authoritative_policy();
        for sa in gce::instance_service_accounts(self.view) {
            let r = &sa.resource;
            // The whole block unknown (a dynamic block): nothing to check.
            if sa.scopes_unknown {
                continue;
            }
            let (account, account_loc, unlinked) = match &sa.account {
                Account::None => (AccountRef::None, None, None),
                Account::Default { email } => (
                    email
                        .and_then(Node::as_str)
                        .filter(|e| *e != "default")
                        .map_or(AccountRef::Default, |e| AccountRef::Email(e.to_string())),
                    email.map(|e| self.at(e)),
                    None,
                ),
                Account::Email(e) => (
                    AccountRef::Email(e.as_str().unwrap_or_default().to_string()),
                    Some(self.at(*e)),
                    None,
                ),
                Account::Unknown {
                    references,
                    expression,
                } => {
                    if sa.block.is_none() {
                        continue;
                    }
                    let (account, why) = self.unknown_account(references, &pending, authoritative);
                    (account, expression.map(|e| self.at(e)), why)
                }
                // The template's facts stand for it.
                Account::Inherited { .. } => continue,
            };
            let written_list = sa
                .config_block
                .and_then(|b| b.get("scopes"))
                .and_then(|s| s.get("constant_value"))
                .filter(|s| s.as_array().is_some_and(|a| !a.is_empty()));
            let scopes = sa
                .scopes
                .iter()
                .filter_map(|s| {
                    let node = s.node()?;
                    Some(Scope {
                        value: node.as_str().unwrap_or(&s.canonical).to_string(),
                        loc: self.at(node),
                    })
                })
                .collect();
            let kind = match r.resource_type {
                "google_compute_instance_template" | "google_compute_region_instance_template" => {
                    InstanceKind::Template
                }
                _ => InstanceKind::Instance,
            };
            let inst = Instance {
                account_loc,
                scopes,
                scopes_loc: written_list.or(sa.scopes_node).map(|n| self.at(n)),
                entry_loc: sa.block.map(|b| self.at(b)),
                ..self.instance(r, kind, account, extract::GCE_WORKLOAD, &pending)
            };
            push_instance(facts, inst, unlinked);
        }
    }

    /// An instance of kind `kind` for resource `r`, running as `account`,
    /// without scopes or locations other than the resource's.
    fn instance(
        &self,
        r: &Resource<'a>,
        kind: InstanceKind,
        account: AccountRef,
        workload: &str,
        pending: &[(String, Option<String>)],
    ) -> Instance {
        Instance {
            name: r.address.to_string(),
            kind,
            origin: Origin::Terraform,
            project: self.project(r),
            project_aliases: Vec::new(),
            self_link: Some(r.address.to_string()),
            member_key: member_key(&account, pending),
            account,
            account_loc: None,
            scopes: Vec::new(),
            scopes_loc: None,
            entry_loc: None,
            loc: self.at(r.values),
            workload: Some(workload.to_string()),
            scopes_known: true,
        }
    }

    /// The account of an email unknown until apply, from the references of
    /// its expression, with why the IAM rules cannot match it, if they
    /// cannot.
    fn unknown_account(
        &self,
        references: &[Reference],
        pending: &[(String, Option<String>)],
        authoritative: bool,
    ) -> (AccountRef, Option<String>) {
        match self.account_key(references) {
            Ok(key) => {
                // An authoritative policy names members by email: without
                // the account's email it cannot be matched.
                let unmatched =
                    authoritative && pending.iter().any(|(k, e)| *k == key && e.is_none());
                let why = unmatched.then(|| format!(
                    "the email of `{key}` is unknown until apply and the plan does not show both its `account_id` and its project, so the emails of `google_project_iam_policy` cannot be matched against it"
                ));
                (AccountRef::TerraformRef(key), why)
            }
            Err(reason) => {
                let shown = references.first().map_or_else(
                    || "(unknown until apply)".to_string(),
                    |x| x.address.clone(),
                );
                (
                    AccountRef::TerraformRef(shown),
                    Some(format!(
                        "the account's email is unknown until apply and {reason}"
                    )),
                )
            }
        }
    }

    /// Whether the plan applies an authoritative project policy.
    fn has_authoritative_policy(&self) -> bool {
        self.view
            .of_type("google_project_iam_policy")
            .any(|r| r.mode == Mode::Managed)
    }

    fn custom_roles(&self, facts: &mut Facts) {
        for r in self.view.resources().filter(|r| r.mode == Mode::Managed) {
            let Some(name) = self.custom_role_name(r) else {
                continue;
            };
            let permissions = r
                .values
                .get("permissions")
                .and_then(Node::as_array)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect();
            facts.custom_roles.push(CustomRole {
                name,
                permissions,
                loc: self.at(r.values),
            });
        }
    }

    /// The full name of a custom role resource, when the plan shows it.
    fn custom_role_name(&self, r: &Resource<'a>) -> Option<String> {
        let role_id = r.values.get_str("role_id")?;
        if let Some(n) = r.values.get_str("name").filter(|n| n.contains("/roles/")) {
            return Some(n.to_string());
        }
        match r.resource_type {
            "google_project_iam_custom_role" => Some(format!(
                "projects/{}/roles/{role_id}",
                self.project(r)?.as_str()
            )),
            "google_organization_iam_custom_role" => Some(format!(
                "organizations/{}/roles/{role_id}",
                r.values.get_str("org_id")?
            )),
            _ => None,
        }
    }

    /// The role of an IAM member or binding resource: its value, or the
    /// custom role it refers to.
    fn role(&self, r: &Resource<'a>) -> Option<(String, Location)> {
        if let Some(role) = r.values.get("role").filter(|n| n.is_string()) {
            return Some((role.as_str()?.to_string(), self.at(role)));
        }
        let expr = self
            .view
            .config_resource(r.address)?
            .expression(&["role"])?;
        let refs = self.view.references(r.address, &["role"]);
        let names: Vec<String> = refs
            .iter()
            .filter(|x| x.kind == RefKind::Resource)
            .flat_map(|x| self.view.instances_of(&x.address))
            .filter_map(|c| self.custom_role_name(c))
            .collect();
        match names.as_slice() {
            [one] => Some((one.clone(), self.at(expr))),
            _ => None,
        }
    }

    /// The members an unknown member value refers to (one service account).
    fn referenced_member(&self, r: &Resource<'a>, path: &[&str]) -> Option<Member> {
        let refs = self.view.references(r.address, path);
        let key = self.account_key(&refs).ok()?;
        let expr = self.view.config_resource(r.address)?.expression(path)?;
        Some(Member {
            value: format!("serviceAccount:{key}"),
            loc: self.at(expr),
        })
    }

    fn members(&self, r: &Resource<'a>) -> Vec<Member> {
        let member = |n: Node<'_>| {
            Some(Member {
                value: n.as_str()?.to_string(),
                loc: self.at(n),
            })
        };
        if r.resource_type.ends_with("_iam_member") {
            return match r.values.get("member").and_then(member) {
                Some(m) => vec![m],
                None if r.is_unknown(&["member"]) => {
                    self.referenced_member(r, &["member"]).into_iter().collect()
                }
                None => Vec::new(),
            };
        }
        let mut out: Vec<Member> = r
            .values
            .get("members")
            .and_then(Node::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(member)
            .collect();
        let some_unknown = r.is_unknown(&["members"])
            || r.unknown
                .and_then(|u| u.get("members"))
                .and_then(Node::as_array)
                .is_some_and(|a| a.iter().any(|x| x.as_bool() == Some(true)));
        if some_unknown {
            out.extend(self.referenced_member(r, &["members"]));
        }
        out
    }

    fn policies(&self, facts: &mut Facts) {
        // Embedded `policy_data` documents of this plan, by literal.
        let embedded: Vec<Document<'a>> = self
            .doc
            .file
            .documents()
            .filter(|d| {
                d.kind == DocKind::GcpIamPolicy
                    && d.parent().is_some_and(|p| p.index == self.doc.index)
            })
            .collect();
        let doc_at = |literal: Node<'_>| {
            embedded
                .iter()
                .find(|d| literal.span().contains(d.node.span()))
                .copied()
        };
        let mut used: HashSet<usize> = HashSet::default();
        let first = facts.policies.len();
        for r in self.view.resources().filter(|r| r.mode == Mode::Managed) {
            let t = r.resource_type;
            if !t.starts_with("google_") {
                continue;
            }
            let project_level = t.starts_with("google_project_iam_");
            let target = |s: &Self| {
                if project_level {
                    s.project(r).map_or_else(
                        || PolicyTarget::Other(format!("`{}` (project unknown)", r.address)),
                        PolicyTarget::Project,
                    )
                } else {
                    PolicyTarget::Other(format!("`{}`", r.address))
                }
            };
            if t.ends_with("_iam_policy") {
                let data = r.values.get("policy_data").or_else(|| {
                    // Unknown in the plan: the `google_iam_policy` data
                    // source it refers to.
                    self.view
                        .referenced_resources(r.address, &["policy_data"])
                        .into_iter()
                        .find(|(x, _)| x.kind == RefKind::Data)
                        .and_then(|(_, d)| d.values.get("policy_data"))
                });
                let Some(d) = data.and_then(doc_at) else {
                    continue;
                };
                used.insert(d.index);
                let mut p = terraform_policy(&d);
                p.target = target(self);
                p.name = Some(r.address.to_string());
                facts.policies.push(p);
            } else if t.ends_with("_iam_member") || t.ends_with("_iam_binding") {
                let Some((role, role_loc)) = self.role(r) else {
                    continue;
                };
                let condition = r
                    .values
                    .get("condition")
                    .and_then(Node::as_array)
                    .and_then(|c| c.first())
                    .filter(|c| c.as_object().is_some())
                    .map(|c| self.at(c));
                let binding = Binding {
                    role,
                    role_loc: Some(role_loc),
                    members: self.members(r),
                    condition,
                    loc: self.at(r.values),
                };
                if project_level {
                    facts.partial_policies.insert(facts.policies.len());
                }
                facts.policies.push(Policy {
                    target: target(self),
                    version: Some("3".to_string()),
                    version_loc: None,
                    bindings: vec![binding],
                    bindings_loc: None,
                    loc: self.at(r.values),
                    name: Some(r.address.to_string()),
                });
            }
        }
        // A member written as the email an account created in this plan
        // will have is that account: written the way references are.
        // Indexed by lowercase email (the first account of each).
        let mut pending: HashMap<String, String> = HashMap::default();
        for (key, email) in self.pending_accounts() {
            if let Some(email) = email {
                pending.entry(email.to_ascii_lowercase()).or_insert(key);
            }
        }
        if !pending.is_empty() {
            for p in facts.policies.iter_mut().skip(first) {
                for m in p.bindings.iter_mut().flat_map(|b| b.members.iter_mut()) {
                    let Some(email) = m.value.strip_prefix("serviceAccount:") else {
                        continue;
                    };
                    if let Some(key) = pending.get(&email.to_ascii_lowercase()) {
                        m.value = format!("serviceAccount:{key}");
                    }
                }
            }
        }
        // Documents no resource applies (a `google_iam_policy` data source
        // read on its own): checked, never linked.
        for d in embedded {
            if used.contains(&d.index) {
                continue;
            }
            let mut p = terraform_policy(&d);
            p.target = PolicyTarget::Other(format!("`{}`", d.name().unwrap_or("a data source")));
            facts.policies.push(p);
        }
    }
}

/// The member form of a literal email of an account this plan creates:
/// its members are written by reference, so the instance is too.
fn member_key(account: &AccountRef, pending: &[(String, Option<String>)]) -> Option<String> {
    match account {
        AccountRef::Email(e) => pending
            .iter()
            .find(|(_, p)| p.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(e)))
            .map(|(key, _)| key.clone()),
        _ => None,
    }
}

/// Adds `inst`, with why its account cannot be linked, if it cannot.
fn push_instance(facts: &mut Facts, inst: Instance, unlinked: Option<String>) {
    if let Some(reason) = unlinked {
        facts
            .unlinked_accounts
            .insert(facts.instances.len(), reason);
    }
    facts.instances.push(inst);
}

/// The policy of a `policy_data` document. The provider sets version 3 on
/// every `policy_data` it applies, whatever the JSON says (and
/// `google_iam_policy` writes no version), so conditional bindings in it
/// are sent with the version they need.
fn terraform_policy(d: &Document<'_>) -> Policy {
    let mut p = extract::policy(d);
    p.version = Some("3".to_string());
    p.version_loc = None;
    p
}

#[cfg(test)]
mod tests;
mod workloads;
