//! Linking the facts of every input into one [`AwsModel`]: roles merged by
//! key, ARN or name, the inline policies and raw documents given apart from
//! their roles, the services that use roles, and the lookups rules make
//! through the model (roles by ARN, attached policies by ARN or name).
//!
//! # Scopes
//!
//! A Terraform plan or state is one configuration: every fact it gives
//! carries its file as its [`Scope`], and links are made only inside one
//! scope. The inputs that are not plans (CLI output, policy files) share
//! the scope `None`, so they still link across files, and `--scp` SCPs and
//! the embedded AWS managed policies apply in every scope. Linting several
//! plans in one run therefore changes none of their findings.

use super::meaning::same_policy;
use super::{
    AwsModel, CatalogEntry, DestinationType, Facts, ManagedPolicy, RawDocument, Resolved, Role,
    Scope, ServiceUse, arn_name, catalog, definitions, index, trust,
};
use crate::hash::HashSet;
use crate::vocabulary::Tri;

impl<'a> AwsModel<'a> {
    /// Links extracted facts.
    pub fn link(facts: Facts<'a>) -> Self {
        let names = &facts.file_names;
        let mut roles: Vec<Role<'a>> = Vec::new();
        // A keyed role (Terraform: file + address) is only ever the same as a
        // role with the same key; other roles are the same by ARN or name in
        // their scope. Both are looked up in indexes, so inputs with
        // thousands of roles do not link in quadratic time.
        let mut by_key: crate::hash::HashMap<String, usize> = crate::hash::HashMap::default();
        let mut unkeyed: Vec<Role<'a>> = Vec::new();
        for role in facts.roles {
            match role.key.clone() {
                Some(key) => match by_key.get(&key).and_then(|&i| roles.get_mut(i)) {
                    Some(existing) => merge_into(existing, role),
                    None => {
                        by_key.insert(key, roles.len());
                        roles.push(role);
                    }
                },
                None => unkeyed.push(role),
            }
        }
        // In the order of file names, not of arguments: which input a role
        // of no ARN joins, and which definition comes first, must not
        // depend on the command line.
        unkeyed.sort_by_cached_key(|r| definitions::order_key(r, names));
        let mut ids = Identities::default();
        for role in unkeyed {
            ids.add(role);
        }
        // Roles only a flow log names still get a record, so raw documents
        // and get-role-policy output can attach to them.
        let mut named_by: HashSet<(Scope, String)> = roles
            .iter()
            .chain(ids.reps.iter())
            .flat_map(|r| {
                r.arn
                    .iter()
                    .chain(r.key.iter())
                    .map(|a| (r.scope, a.clone()))
            })
            .collect();
        for fl in &facts.flow_logs {
            if let Some(arn) = &fl.role_arn
                && named_by.insert((fl.scope, arn.clone()))
            {
                ids.add(Role {
                    name: arn_name(arn).to_string(),
                    arn: Some(arn.clone()),
                    path: String::new(),
                    scope: fl.scope,
                    ..Role::default()
                });
            }
        }
        for rp in facts.role_policies {
            let record = Role {
                name: rp.role_name,
                inline: vec![rp.document],
                ..Role::default()
            };
            match ids.named(&record.name) {
                Some(i) => ids.push(i, record),
                None => ids.add(record),
            }
        }
        let mut managed = facts.managed;
        // Raw policy files are no plan's: they give only what roles outside
        // plans attach.
        let attached_names: HashSet<String> = ids
            .records
            .iter()
            .flatten()
            .filter(|r| r.scope.is_none())
            .flat_map(|r| r.attached.iter().chain(r.boundary.iter()))
            .map(|a| a.name().to_string())
            .collect();
        let mut managed_names: HashSet<String> = managed
            .iter()
            .filter(|m| m.scope.is_none())
            .map(|m| m.name.clone())
            .collect();
        for raw in facts.raw {
            if !raw.trust && attached_names.contains(raw.stem.as_str()) {
                if managed_names.insert(raw.stem.clone()) {
                    managed.push(ManagedPolicy {
                        arn: None,
                        name: raw.stem,
                        document: raw.document,
                        scope: None,
                    });
                }
                continue;
            }
            if let Some(i) = ids.named(&raw.stem) {
                let RawDocument {
                    stem,
                    trust,
                    document,
                } = raw;
                let record = if trust {
                    Role {
                        name: stem,
                        trust: Some(document),
                        ..Role::default()
                    }
                } else {
                    Role {
                        name: stem,
                        inline: vec![document],
                        ..Role::default()
                    }
                };
                ids.push(i, record);
            }
        }
        let mut all_definitions = crate::hash::HashMap::default();
        let mut conflicts = Vec::new();
        for records in ids.records {
            let (defs, differ) = definitions::definitions(records, names);
            if defs.len() > 1 {
                let all: Vec<usize> = (roles.len()..roles.len() + defs.len()).collect();
                for &i in &all {
                    all_definitions.insert(i, all.clone());
                }
            }
            roles.extend(defs);
            conflicts.extend(differ);
        }
        let lookup = index::Lookup::new(&roles, &managed);
        Self {
            roles,
            managed,
            flow_logs: facts.flow_logs,
            scps: facts.scps,
            orgs: facts.orgs,
            uses: facts.uses,
            unlinked: facts.unlinked,
            conflicts,
            definitions: all_definitions,
            lookup,
            ..Self::default()
        }
    }

    pub(super) fn derive_uses(&mut self) {
        let flow_entry = "vpc-flow-logs-to-cloudwatch-logs";
        let mut uses = std::mem::take(&mut self.uses);
        // The roles a use names already, looked up once per role.
        let mut used: HashSet<(Scope, String)> =
            uses.iter().map(|u| (u.scope, u.role_arn.clone())).collect();
        for (i, fl) in self.flow_logs.iter().enumerate() {
            let Some(arn) = &fl.role_arn else { continue };
            // S3 needs no role, and Firehose in the same account neither
            // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html).
            if fl.destination_type != DestinationType::CloudWatchLogs {
                continue;
            }
            used.insert((fl.scope, arn.clone()));
            uses.push(ServiceUse {
                user: format!("flow log `{}`", fl.id),
                role_arn: arn.clone(),
                role_location: fl.role_location,
                flow_log: Some(i),
                entry: flow_entry.to_string(),
                inferred: false,
                scope: fl.scope,
                facts: Vec::new(),
            });
        }
        // A role an input lists completely (authorization details) that
        // trusts the principal of exactly one catalogue entry with needs is
        // presumably used by that service. Service-linked roles are AWS's.
        for role in &self.roles {
            let (Some(arn), Some(trust)) = (&role.arn, &role.trust) else {
                continue;
            };
            if !role.complete
                || role.path.starts_with("/aws-service-role/")
                || used.contains(&(role.scope, arn.clone()))
            {
                continue;
            }
            // Entries that apply only when the user says so (a Lambda
            // function in a VPC) are never inferred.
            let trusted: Vec<&CatalogEntry> = self
                .catalogue
                .entries
                .iter()
                .filter(|e| e.infer_from_trust)
                .filter(|e| {
                    e.trust_actions
                        .iter()
                        .any(|a| trust::trust_allows(trust, &e.service_principal, a) != Tri::No)
                })
                .collect();
            let [entry] = trusted.as_slice() else {
                continue;
            };
            // Several entries for one principal (ECS task role and task
            // execution role) leave the purpose unknown.
            let same_principal = self
                .catalogue
                .entries
                .iter()
                .filter(|e| e.service_principal == entry.service_principal && e.infer_from_trust)
                .count();
            if entry.required_actions.is_empty() || same_principal > 1 {
                continue;
            }
            used.insert((role.scope, arn.clone()));
            uses.push(ServiceUse {
                user: format!(
                    "`{}` (which its trust policy admits)",
                    entry.service_principal
                ),
                role_arn: arn.clone(),
                role_location: None,
                flow_log: None,
                entry: entry.id.clone(),
                inferred: true,
                scope: role.scope,
                facts: Vec::new(),
            });
        }
        self.uses = uses;
    }

    /// The role a service use names, looked up in the use's scope only.
    pub fn role_of(&self, service: &ServiceUse) -> Option<&Role<'a>> {
        self.role_in(&service.role_arn, service.scope)
    }

    /// Every definition of the role a service use names, looked up in the
    /// use's scope only: inputs that define the role differently give one
    /// each (see `definitions.rs`). A use inferred from trust policies
    /// belongs to the definitions whose trust policy admits the service.
    pub fn roles_of(&self, service: &ServiceUse) -> Vec<&Role<'a>> {
        let Some(i) = self.lookup().role(&service.role_arn, Some(service.scope)) else {
            return Vec::new();
        };
        let Some(all) = self.definitions.get(&i) else {
            return self.roles.get(i).into_iter().collect();
        };
        let entry = self.entry(&service.entry);
        all.iter()
            .filter_map(|&j| self.roles.get(j))
            .filter(|r| !service.inferred || entry.is_some_and(|e| admits(r, e)))
            .collect()
    }

    /// The role with ARN `arn` in any scope (as a user names it): exact
    /// match first, then the same name and account when one side lacks the
    /// path.
    pub fn role_by_arn(&self, arn: &str) -> Option<&Role<'a>> {
        self.find_role(arn, None)
    }

    /// [`AwsModel::role_by_arn`] among the roles of `scope`.
    pub fn role_in(&self, arn: &str, scope: Scope) -> Option<&Role<'a>> {
        self.find_role(arn, Some(scope))
    }

    /// The index of the roles and policies (built again when the model's
    /// public lists changed since [`AwsModel::link`]).
    fn lookup(&self) -> std::borrow::Cow<'_, index::Lookup> {
        if self.lookup.covers(&self.roles, &self.managed) {
            std::borrow::Cow::Borrowed(&self.lookup)
        } else {
            std::borrow::Cow::Owned(index::Lookup::new(&self.roles, &self.managed))
        }
    }

    /// `scope`: `None` for any scope.
    fn find_role(&self, arn: &str, scope: Option<Scope>) -> Option<&Role<'a>> {
        self.roles.get(self.lookup().role(arn, scope)?)
    }

    /// What the policy `arn` attached to a role of `scope` resolves to.
    pub fn resolve(&self, arn: &str, scope: Scope) -> Resolved<'_, 'a> {
        let lookup = self.lookup();
        if let Some(m) = lookup
            .managed_by_arn(scope, arn)
            .and_then(|i| self.managed.get(i))
        {
            return Resolved::Input(m);
        }
        if let Some(b) = catalog::builtin_policy(arn) {
            return Resolved::Builtin(b);
        }
        match lookup
            .managed_by_name(scope, arn_name(arn))
            .and_then(|i| self.managed.get(i))
        {
            Some(m) => Resolved::Input(m),
            None => Resolved::Unknown,
        }
    }
}

/// Adds what `role` knows to `existing`, the record of the same role.
pub(super) fn merge_into<'a>(existing: &mut Role<'a>, role: Role<'a>) {
    if existing.arn.is_none() {
        existing.arn = role.arn;
    }
    if existing.location.is_none() || (role.complete && !existing.complete) {
        existing.location = role.location.or(existing.location);
    }
    if existing.path.is_empty() {
        existing.path = role.path;
    }
    if existing.trust.is_none() {
        existing.trust = role.trust;
    }
    if existing.trust_unknown.is_none() {
        existing.trust_unknown = role.trust_unknown;
    }
    for p in role.inline {
        // The same policy given twice (the same node, or two inputs that
        // agree on its name and meaning) is one policy.
        let known = existing.inline.iter().any(|e| {
            (e.node.span() == p.node.span() && e.file == p.file)
                || (!p.name.is_empty() && e.name == p.name && same_policy(e.node, p.node))
        });
        if !known {
            existing.inline.push(p);
        }
    }
    for a in role.attached {
        if !existing.attached.iter().any(|e| e.arn == a.arn) {
            existing.attached.push(a);
        }
    }
    if existing.boundary.is_none() {
        existing.boundary = role.boundary;
    }
    existing.complete |= role.complete;
}

/// Whether `role`'s trust policy may let the service of `entry` assume it.
fn admits(role: &Role<'_>, entry: &CatalogEntry) -> bool {
    role.trust.as_ref().is_some_and(|trust| {
        entry
            .trust_actions
            .iter()
            .any(|a| trust::trust_allows(trust, &entry.service_principal, a) != Tri::No)
    })
}

/// The unkeyed roles of a run (CLI output, raw documents, roles only a flow
/// log names) by identity, a role of a scope by ARN or name, each with
/// every input's record of it.
#[derive(Default)]
struct Identities<'a> {
    /// The name, ARN and scope of each identity, which `index::Unkeyed`
    /// looks up.
    reps: Vec<Role<'a>>,
    /// The records of each identity, in the order added.
    records: Vec<Vec<Role<'a>>>,
    index: index::Unkeyed,
}

impl<'a> Identities<'a> {
    /// Adds `role` to its identity: the same ARN in its scope, or the same
    /// name when one has no ARN; a new one otherwise.
    fn add(&mut self, role: Role<'a>) {
        let i = match self.index.same_as(&self.reps, &role) {
            Some(i) => i,
            None => {
                self.reps.push(Role {
                    name: role.name.clone(),
                    scope: role.scope,
                    ..Role::default()
                });
                self.records.push(Vec::new());
                self.reps.len() - 1
            }
        };
        if let Some(rep) = self.reps.get_mut(i)
            && rep.arn.is_none()
        {
            rep.arn.clone_from(&role.arn);
        }
        self.push(i, role);
        self.index.note(&self.reps, i);
    }

    /// Adds a record that names the identity `i` by name only.
    fn push(&mut self, i: usize, role: Role<'a>) {
        if let Some(records) = self.records.get_mut(i) {
            records.push(role);
        }
    }

    /// The first identity of the inputs that are not plans named `name`.
    fn named(&self, name: &str) -> Option<usize> {
        self.index.named(None, name)
    }
}
