//! `aws_iam_role_policy` and the policy attachments
//! (`aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`): each is
//! placed on the roles of the plan it names, through configuration
//! references or by the role's known name or ARN; a role named outside the
//! plan gets a record of its own, and what cannot be placed is returned as
//! a stand-in.

use super::{Link, Plan, ROLE, known, type_of};
use crate::documents::terraform::{RefKind, Resource};
use crate::hash::HashMap;
use crate::model::aws::{Attachment, Facts, Role, RolePolicy};

impl<'v, 'a> Plan<'v, 'a> {
    /// The role a `role` value (a role name) of `r` names.
    fn role_of(
        &self,
        r: &Resource<'a>,
        path: &[&str],
        name: Option<&str>,
        index: &RoleIndex<'a>,
    ) -> Option<usize> {
        if let Link::Resource(t) = self.follow(r, path, ROLE)
            && let Some(&i) = index.by_address.get(t.address)
        {
            return Some(i);
        }
        let name = name?;
        let by_name = index.by_name(name);
        let by_arn = index.by_arn.get(name).copied();
        by_name.into_iter().chain(by_arn).min()
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
    pub(super) fn role_policies(
        &self,
        roles: &mut [(&'v Resource<'a>, Role<'a>)],
        facts: &mut Facts<'a>,
    ) -> Vec<Attachment> {
        let mut unplaced = Vec::new();
        // Indexed once: a search per policy made large plans quadratic.
        let index = RoleIndex::new(roles);
        for rp in self.managed_of_type("aws_iam_role_policy") {
            let name = rp.values.get_str("name").unwrap_or_default();
            let document = self.document(
                rp.values.get("policy"),
                format!("{} (`{name}`)", rp.address),
            );
            let role = known(rp.values.get("role"));
            match self.role_of(rp, &["role"], role, &index) {
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
                        facts.role_policies.push(RolePolicy {
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
    pub(super) fn attachments(
        &self,
        roles: &mut [(&'v Resource<'a>, Role<'a>)],
        facts: &mut Facts<'a>,
    ) -> Vec<Attachment> {
        let mut unplaced = Vec::new();
        let mut external: Vec<Role<'a>> = Vec::new();
        let index = RoleIndex::new(roles);
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
                            && let Some(&i) = index.by_address.get(t.address)
                        {
                            targets.push(i);
                        }
                    }
                } else {
                    for n in names {
                        match self.role_of(a, &[attr], Some(n), &index) {
                            Some(i) if attr == "role" => targets.push(i),
                            _ => match index.by_name(n) {
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
                        scope: Some(self.file.id),
                        ..Role::default()
                    });
                }
            }
        }
        facts.roles.extend(external);
        unplaced
    }
}

/// Each role resource's position in the plan's roles by Terraform address,
/// by name (IAM role names are unique without regard to case) and by ARN,
/// the first of each: role policies and attachments find their role in
/// constant time.
struct RoleIndex<'a> {
    by_address: HashMap<&'a str, usize>,
    by_name: HashMap<String, usize>,
    by_arn: HashMap<&'a str, usize>,
}

impl<'a> RoleIndex<'a> {
    fn new(roles: &[(&Resource<'a>, Role<'a>)]) -> Self {
        let mut index = Self {
            by_address: HashMap::default(),
            by_name: HashMap::default(),
            by_arn: HashMap::default(),
        };
        for (i, (r, _)) in roles.iter().enumerate() {
            index.by_address.entry(r.address).or_insert(i);
            if let Some(name) = known(r.values.get("name")) {
                index.by_name.entry(name.to_ascii_lowercase()).or_insert(i);
            }
            if let Some(arn) = known(r.values.get("arn")) {
                index.by_arn.entry(arn).or_insert(i);
            }
        }
        index
    }

    /// The first role named `name`, without regard to case.
    fn by_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(&name.to_ascii_lowercase()).copied()
    }
}
