//! GCP linking: instances and templates, project IAM policies, custom roles,
//! and the one computation of what each instance's workload can write
//! (scopes intersected with IAM) that every GCP rule reads.
//!
//! Input formats feed [`Facts`] through extractors ([`extract`] for gcloud,
//! API and CAI JSON); linking and evaluation only read facts.

pub mod advice;
pub mod catalogue;
pub mod extract;
pub mod extract_terraform;
pub mod facts;
pub mod tables;

use std::collections::{BTreeMap, BTreeSet};

pub use facts::{
    AccountRef, Binding, CustomRole, Facts, Instance, InstanceKind, Member, Origin, Policy,
    PolicyTarget, ProjectKey, Scope,
};
pub use tables::{Capability, ROLES, RoleKnowledge, SCOPES, ScopeMeaning};

use crate::documents::terraform::TerraformView;
use crate::documents::{DocKind, Document};
use crate::hash::HashMap;
use crate::source::FileId;

/// How an instance was linked to its project's IAM policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// These policies are shown to apply to the instance's project.
    Linked {
        /// Indices into [`Facts::policies`].
        policies: Vec<usize>,
    },
    /// Project IAM policies are in the run, but none can be shown to belong
    /// to the instance's project: rules say "cannot verify".
    Unverified {
        /// Why, for the advice text.
        reason: String,
    },
    /// No project IAM policy in the run: IAM-based rules have nothing to say.
    NoPolicy,
}

/// One binding that gives the instance's account a capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Index into [`Facts::policies`].
    pub policy: usize,
    /// Index into that policy's bindings.
    pub binding: usize,
    /// Index into that binding's members.
    pub member: usize,
    /// The role.
    pub role: String,
    /// Whether the role is a basic role (owner, editor).
    pub basic: bool,
    /// Whether this capability is what the role is mostly for: the role holds
    /// at least as many of its checked permissions as of any other
    /// capability's (`roles/storage.objectAdmin` is for storage writes,
    /// although it also holds `monitoring.timeSeries.create`).
    pub primary: bool,
}

/// What IAM says about one capability of an instance's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Iam {
    /// Granted by bindings without conditions.
    Granted(Vec<Grant>),
    /// Granted only by conditional bindings: maybe.
    Conditional(Vec<Grant>),
    /// The linked policies grant it to the account in no binding, and every
    /// role the account holds there is known.
    NotGranted,
    /// Cannot tell (a role whose permissions no input or table gives, or an
    /// account the policies cannot be matched against).
    Unknown(String),
    /// No policy linked.
    Unlinked,
}

impl Iam {
    /// The grants, certain or conditional.
    pub fn grants(&self) -> &[Grant] {
        match self {
            Self::Granted(g) | Self::Conditional(g) => g,
            _ => &[],
        }
    }
}

/// One capability of an instance, through both gates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityState {
    /// Which write.
    pub capability: Capability,
    /// The scope entry (index into [`Instance::scopes`]) that allows it;
    /// `None` when the scopes block it.
    pub scope: Option<usize>,
    /// What IAM says.
    pub iam: Iam,
}

/// What an instance's workload can do with its service account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    /// One entry per [`Capability::ALL`], in that order.
    pub capabilities: Vec<CapabilityState>,
    /// Every binding (policy, binding, member) naming the account in the
    /// linked policies, `deleted:` members excluded.
    pub bindings: Vec<(usize, usize, usize)>,
    /// The account's email as the policies name it (the default account's
    /// email once resolved).
    pub resolved_email: Option<String>,
}

impl Effective {
    /// The state of `cap`.
    pub fn get(&self, cap: Capability) -> Option<&CapabilityState> {
        self.capabilities.iter().find(|c| c.capability == cap)
    }
}

/// The GCP part of the model.
#[derive(Debug, Clone, Default)]
pub struct GcpModel {
    /// Every fact extracted from the run.
    pub facts: Facts,
    /// Per instance (same index as [`Facts::instances`]).
    pub links: Vec<Link>,
    /// Per instance (same index as [`Facts::instances`]).
    pub effective: Vec<Effective>,
}

impl GcpModel {
    /// Extracts facts from `documents`, links them and evaluates every instance.
    pub fn build(documents: &[Document<'_>]) -> Self {
        let views: Vec<_> = documents
            .iter()
            .filter(|d| d.index == 0)
            .filter(|d| matches!(d.kind, DocKind::TerraformPlan | DocKind::TerraformState))
            .filter_map(|d| Some((d.file.id, d.file.terraform_view()?)))
            .collect();
        Self::build_with_views(documents, &views)
    }

    /// [`GcpModel::build`] with the run's Terraform views already built.
    pub fn build_with_views<'a>(
        documents: &[Document<'a>],
        views: &[(FileId, TerraformView<'a>)],
    ) -> Self {
        let mut facts = Facts::default();
        for d in documents {
            // Each input format has its own extractor.
            extract::extract(d, &mut facts);
            if d.index == 0
                && let Some((_, view)) = views.iter().find(|(id, _)| *id == d.file.id)
            {
                extract_terraform::extract(d, view, &mut facts);
            }
        }
        Self::from_facts(facts)
    }

    /// Links and evaluates facts (from any extractor).
    pub fn from_facts(facts: Facts) -> Self {
        let links = link(&facts);
        let mut members = Members::new(&facts);
        let effective = facts
            .instances
            .iter()
            .zip(&links)
            .enumerate()
            .map(|(n, (i, l))| evaluate(&facts, &mut members, n, i, l))
            .collect();
        Self {
            facts,
            links,
            effective,
        }
    }

    /// Every instance with its link and effective capabilities.
    pub fn instances(&self) -> impl Iterator<Item = (&Instance, &Link, &Effective)> {
        self.facts
            .instances
            .iter()
            .zip(&self.links)
            .zip(&self.effective)
            .map(|((i, l), e)| (i, l, e))
    }

    /// What the linked policies say about `permission` for the account of
    /// instance `n` (any permission the catalogue lists, or one a custom
    /// role given in the run holds), as [`Effective`] says it for the
    /// checked writes.
    pub fn permission(&self, n: usize, permission: &str) -> Iam {
        let (Some(inst), Some(link), Some(eff)) = (
            self.facts.instances.get(n),
            self.links.get(n),
            self.effective.get(n),
        ) else {
            return Iam::Unlinked;
        };
        if inst.account == AccountRef::None || !matches!(link, Link::Linked { .. }) {
            return Iam::Unlinked;
        }
        if let Some(reason) = self.facts.unlinked_accounts.get(&n) {
            return Iam::Unknown(reason.clone());
        }
        // The email could not be resolved (several default accounts).
        if let Some(Iam::Unknown(reason)) = eff.capabilities.first().map(|c| &c.iam)
            && eff.bindings.is_empty()
        {
            return Iam::Unknown(reason.clone());
        }
        let iam = iam_by(&self.facts, &eff.bindings, &|role| {
            role_holds(&self.facts, role, permission).map(|holds| holds.then_some(true))
        });
        unless_partial(&self.facts, link, iam)
    }

    /// The binding a grant or a binding triple points at.
    pub fn binding(&self, policy: usize, binding: usize) -> Option<&Binding> {
        self.facts.policies.get(policy)?.bindings.get(binding)
    }

    /// The member a triple points at.
    pub fn member(&self, policy: usize, binding: usize, member: usize) -> Option<&Member> {
        self.binding(policy, binding)?.members.get(member)
    }
}

fn is_projectish(p: &Policy) -> bool {
    matches!(
        p.target,
        PolicyTarget::Project(_) | PolicyTarget::PresumedProject
    )
}

/// An IAM policy applies to the instances of its project: by project (CAI
/// names, Terraform `project`), or when the run has exactly one project
/// policy and its instances are all of one project. A Terraform plan or
/// state is one configuration: its instances link only to its own
/// policies, and the other inputs' instances only to the other inputs'
/// policies, so linting several plans in one run changes none of them.
fn link(facts: &Facts) -> Vec<Link> {
    let scope = |file: FileId| facts.terraform_files.contains(&file).then_some(file);
    // Per scope: its project policies and the projects of its instances.
    let mut scopes: BTreeMap<Option<FileId>, (Vec<usize>, BTreeSet<&ProjectKey>)> = BTreeMap::new();
    for (i, p) in facts.policies.iter().enumerate() {
        if is_projectish(p) {
            scopes.entry(scope(p.loc.file)).or_default().0.push(i);
        }
    }
    for inst in &facts.instances {
        let entry = scopes.entry(scope(inst.loc.file)).or_default();
        entry.1.extend(inst.project.as_ref());
    }
    facts
        .instances
        .iter()
        .map(|inst| {
            let (projectish, instance_projects) = scopes
                .get(&scope(inst.loc.file))
                .map(|(p, i)| (p.as_slice(), i.len()))
                .unwrap_or_default();
            link_instance(facts, inst, projectish, instance_projects)
        })
        .collect()
}

/// The link of one instance, given the project policies of its scope and
/// how many projects that scope's instances name.
fn link_instance(
    facts: &Facts,
    inst: &Instance,
    projectish: &[usize],
    instance_projects: usize,
) -> Link {
    let only = match projectish {
        [one]
            if facts
                .policies
                .get(*one)
                .is_some_and(|p| p.target == PolicyTarget::PresumedProject)
                && instance_projects <= 1 =>
        {
            Some(*one)
        }
        _ => None,
    };
    let by_project: Vec<usize> = projectish
        .iter()
        .copied()
        .filter(|&i| {
            matches!(facts.policies.get(i).map(|p| &p.target),
                Some(PolicyTarget::Project(k)) if inst.in_project(k))
        })
        .collect();
    if !by_project.is_empty() {
        return Link::Linked {
            policies: by_project,
        };
    }
    if let Some(one) = only {
        return Link::Linked {
            policies: vec![one],
        };
    }
    if projectish.is_empty() {
        return Link::NoPolicy;
    }
    let reason = match &inst.project {
        Some(p) if projectish.len() == 1 => format!(
            "the run's only project IAM policy is not shown to belong to project `{}` (the run has instances of several projects, or the policy names another project)",
            p.as_str()
        ),
        Some(p) => format!(
            "none of the {} project IAM policies in this run is shown to belong to project `{}`",
            projectish.len(),
            p.as_str()
        ),
        None => format!(
            "the instance's project is unknown and this run has {} project IAM policies",
            projectish.len()
        ),
    };
    Link::Unverified { reason }
}

/// The service agent of Compute Engine, which names the project number.
const COMPUTE_AGENT_DOMAIN: &str = "@compute-system.iam.gserviceaccount.com";

/// Which account email the linked policies name for this instance.
fn resolve_email(
    facts: &Facts,
    inst: &Instance,
    policies: &[usize],
) -> Result<Option<String>, String> {
    match &inst.account {
        AccountRef::Email(e) => Ok(Some(
            inst.member_key
                .clone()
                .unwrap_or_else(|| e.to_ascii_lowercase()),
        )),
        AccountRef::TerraformRef(r) => Ok(Some(r.clone())),
        AccountRef::None => Ok(None),
        AccountRef::Default => {
            let members = policies
                .iter()
                .filter_map(|&p| facts.policies.get(p))
                .flat_map(|p| &p.bindings)
                .flat_map(|b| &b.members)
                .filter_map(|m| m.value.strip_prefix("serviceAccount:"));
            let mut numbers = BTreeSet::new();
            let mut agent_numbers = BTreeSet::new();
            for m in members {
                let m = m.to_ascii_lowercase();
                if let Some(n) = facts::default_account_number(&m) {
                    numbers.insert(n.to_string());
                } else if let Some(n) = m
                    .strip_prefix("service-")
                    .and_then(|r| r.strip_suffix(COMPUTE_AGENT_DOMAIN))
                {
                    agent_numbers.insert(n.to_string());
                }
            }
            let number = match (agent_numbers.len(), numbers.len()) {
                (1, _) => agent_numbers.into_iter().next(),
                (0, 1) => numbers.into_iter().next(),
                // No default compute account in the policy at all: whatever
                // its number, it holds no role there.
                (0, 0) => return Ok(Some(format!("default{}", facts::DEFAULT_COMPUTE_SUFFIX))),
                _ => {
                    return Err("the account is written as `default` and the project policy names several default compute accounts".to_string());
                }
            };
            Ok(number.map(|n| format!("{n}{}", facts::DEFAULT_COMPUTE_SUFFIX)))
        }
    }
}

/// The checked capabilities a role gives, each with how many of its checked
/// permissions the role holds, or `None` when nothing says.
fn role_capabilities(facts: &Facts, role: &str) -> Option<BTreeMap<Capability, usize>> {
    let count = |perms: &mut dyn Iterator<Item = &String>| {
        let mut out = BTreeMap::new();
        for c in perms.filter_map(|p| ROLES.capability_of(p)) {
            *out.entry(c).or_insert(0) += 1;
        }
        out
    };
    if let Some(c) = facts.custom_roles.iter().find(|c| c.name == role) {
        return Some(count(&mut c.permissions.iter()));
    }
    match ROLES.lookup(role) {
        RoleKnowledge::Holds(perms) => Some(count(&mut perms.iter())),
        RoleKnowledge::HoldsNone => Some(BTreeMap::new()),
        RoleKnowledge::Unknown => None,
    }
}

/// A binding naming the account: (policy, binding, member) indices.
type Held = (usize, usize, usize);

/// The members of every policy, indexed once, so that each instance finds
/// the bindings naming its account without reading every binding: with
/// one project policy naming every account, that was quadratic.
struct Members {
    /// Lowercase member -> where it appears, in (policy, binding, member)
    /// order.
    at: HashMap<String, Vec<Held>>,
    /// [`resolve_email`] of an instance with the default account, per
    /// linked policy list (it reads all their members).
    default_email: HashMap<Vec<usize>, Result<Option<String>, String>>,
}

impl Members {
    fn new(facts: &Facts) -> Self {
        let mut at: HashMap<String, Vec<Held>> = HashMap::default();
        for (p, policy) in facts.policies.iter().enumerate() {
            for (bi, b) in policy.bindings.iter().enumerate() {
                for (mi, m) in b.members.iter().enumerate() {
                    at.entry(m.value.to_ascii_lowercase())
                        .or_default()
                        .push((p, bi, mi));
                }
            }
        }
        Self {
            at,
            default_email: HashMap::default(),
        }
    }

    /// Which account email the linked `policies` name for `inst`.
    fn email(
        &mut self,
        facts: &Facts,
        inst: &Instance,
        policies: &[usize],
    ) -> Result<Option<String>, String> {
        if inst.account != AccountRef::Default {
            return resolve_email(facts, inst, policies);
        }
        self.default_email
            .entry(policies.to_vec())
            .or_insert_with(|| resolve_email(facts, inst, policies))
            .clone()
    }

    /// Where `member` appears in `policies` (a few per instance).
    fn held(&self, member: &str, policies: &[usize]) -> Vec<Held> {
        self.at
            .get(&member.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .filter(|(p, _, _)| policies.contains(p))
            .copied()
            .collect()
    }
}

/// Scopes intersected with IAM, for every capability.
fn evaluate(
    facts: &Facts,
    members: &mut Members,
    index: usize,
    inst: &Instance,
    link: &Link,
) -> Effective {
    let scope_for = |cap: Capability| {
        inst.scopes
            .iter()
            .position(|s| match SCOPES.resolve(&s.value) {
                ScopeMeaning::Known(url) => SCOPES.allows(&url, cap),
                _ => false,
            })
    };
    let mut out = Effective {
        capabilities: Vec::new(),
        bindings: Vec::new(),
        resolved_email: None,
    };
    // What the account holds: Ok(bindings) or Err(why it cannot be told).
    let held: Option<Result<Vec<Held>, String>> = match link {
        _ if inst.account == AccountRef::None => None,
        Link::NoPolicy | Link::Unverified { .. } => None,
        Link::Linked { .. } if facts.unlinked_accounts.contains_key(&index) => facts
            .unlinked_accounts
            .get(&index)
            .map(|reason| Err(reason.clone())),
        Link::Linked { policies } => Some(members.email(facts, inst, policies).map(|email| {
            let wanted = email.as_deref().map(|e| format!("serviceAccount:{e}"));
            out.resolved_email = email;
            wanted.map_or_else(Vec::new, |w| members.held(&w, policies))
        })),
    };
    if let Some(Ok(h)) = &held {
        out.bindings = h.clone();
    }
    out.capabilities = Capability::ALL
        .into_iter()
        .map(|cap| CapabilityState {
            capability: cap,
            scope: scope_for(cap),
            iam: match &held {
                None => Iam::Unlinked,
                Some(Err(reason)) => Iam::Unknown(reason.clone()),
                Some(Ok(h)) => unless_partial(facts, link, iam_for(facts, h, cap)),
            },
        })
        .collect();
    out
}

/// "No role grants it" is "cannot verify" when only partial policies are
/// linked.
fn unless_partial(facts: &Facts, link: &Link, iam: Iam) -> Iam {
    match (iam, link) {
        (Iam::NotGranted, Link::Linked { policies })
            if policies.iter().all(|p| facts.partial_policies.contains(p)) =>
        {
            Iam::Unknown(partial_reason(facts, policies))
        }
        (iam, _) => iam,
    }
}

/// Why "no role grants it" is not a verdict when only partial policies
/// (Terraform members and bindings) are linked.
fn partial_reason(facts: &Facts, policies: &[usize]) -> String {
    let project = policies
        .iter()
        .filter_map(|&p| match &facts.policies.get(p)?.target {
            PolicyTarget::Project(k) => Some(k.as_str()),
            _ => None,
        })
        .next()
        .unwrap_or("its project");
    format!(
        "the plan's `google_project_iam_member` and `google_project_iam_binding` resources add to project `{project}`'s IAM policy without replacing it, so a role granted outside this configuration is not seen"
    )
}

fn iam_for(facts: &Facts, held: &[(usize, usize, usize)], cap: Capability) -> Iam {
    iam_by(facts, held, &|role| {
        let caps = role_capabilities(facts, role)?;
        let most = caps.values().copied().max().unwrap_or(0);
        Some(caps.get(&cap).map(|&n| n == most))
    })
}

/// Whether `role` holds `permission`: its `includedPermissions` when the
/// run gives the custom role, else the catalogue's list of predefined roles
/// that hold it; `None` when nothing says.
fn role_holds(facts: &Facts, role: &str, permission: &str) -> Option<bool> {
    if let Some(c) = facts.custom_roles.iter().find(|c| c.name == role) {
        return Some(c.permissions.iter().any(|p| p == permission));
    }
    if ROLES.lookup(role) == RoleKnowledge::Unknown {
        return None;
    }
    catalogue::GCP_CATALOGUE.grants(role, permission)
}

/// What the bindings `held` say, given `test(role)`: `None` when the role's
/// permissions are unknown, else whether it grants what is asked and, if
/// so, whether that is what the role is mostly for.
fn iam_by(
    facts: &Facts,
    held: &[(usize, usize, usize)],
    test: &dyn Fn(&str) -> Option<Option<bool>>,
) -> Iam {
    let mut granted = Vec::new();
    let mut conditional = Vec::new();
    let mut unknown = Vec::new();
    for &(p, bi, mi) in held {
        let Some(b) = facts.policies.get(p).and_then(|p| p.bindings.get(bi)) else {
            continue;
        };
        match test(&b.role) {
            Some(Some(primary)) => {
                let g = Grant {
                    primary,
                    policy: p,
                    binding: bi,
                    member: mi,
                    role: b.role.clone(),
                    basic: ROLES.is_basic(&b.role),
                };
                if b.condition.is_some() {
                    conditional.push(g);
                } else {
                    granted.push(g);
                }
            }
            Some(None) => {}
            None => unknown.push(b.role.clone()),
        }
    }
    if !granted.is_empty() {
        Iam::Granted(granted)
    } else if !conditional.is_empty() {
        Iam::Conditional(conditional)
    } else if let Some(role) = unknown.first() {
        Iam::Unknown(format!(
            "the account holds `{role}`, whose permissions no input gives (add its `gcloud iam roles describe` JSON to the run)"
        ))
    } else {
        Iam::NotGranted
    }
}

#[cfg(test)]
mod tests;
