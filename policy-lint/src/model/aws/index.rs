//! Hash indexes over roles and managed policies, so that linking and every
//! lookup of a rule cost constant time: with a search per flow log, role
//! policy or attachment, inputs with thousands of roles took quadratic time.
//!
//! Each index answers exactly what the search it replaces found: the first
//! record, in the order of `roles` (or `managed`), that matches.

use crate::hash::HashMap;

use super::{ManagedPolicy, Role, Scope, arn_name};

/// Roles without a key (AWS CLI output, raw documents, roles only a flow
/// log names) while they are merged, by scope and ARN and by scope and name.
#[derive(Default)]
pub(super) struct Unkeyed {
    by_arn: HashMap<(Scope, String), usize>,
    /// Positions in increasing order.
    by_name: HashMap<(Scope, String), Vec<usize>>,
}

impl Unkeyed {
    /// The unkeyed role `role` (unkeyed too) is the same as: the first of its
    /// scope with its ARN, or with its name when one of the two has no ARN.
    pub fn same_as(&self, roles: &[Role<'_>], role: &Role<'_>) -> Option<usize> {
        let key = (role.scope, role.name.clone());
        let mut named = self.by_name.get(&key).into_iter().flatten().copied();
        match &role.arn {
            Some(arn) => {
                let without_arn = named.find(|&i| roles.get(i).is_some_and(|r| r.arn.is_none()));
                let by_arn = self.by_arn.get(&(role.scope, arn.clone())).copied();
                by_arn.into_iter().chain(without_arn).min()
            }
            None => named.next(),
        }
    }

    /// The first unkeyed role of `scope` named `name`.
    pub fn named(&self, scope: Scope, name: &str) -> Option<usize> {
        let key = (scope, name.to_string());
        self.by_name.get(&key).and_then(|v| v.first()).copied()
    }

    /// Records the unkeyed role at `i`, new or just merged (it may have
    /// gained an ARN).
    pub fn note(&mut self, roles: &[Role<'_>], i: usize) {
        let Some(r) = roles.get(i) else { return };
        if let Some(arn) = &r.arn {
            let first = self.by_arn.entry((r.scope, arn.clone())).or_insert(i);
            *first = (*first).min(i);
        }
        let named = self.by_name.entry((r.scope, r.name.clone())).or_default();
        if let Err(at) = named.binary_search(&i) {
            named.insert(at, i);
        }
    }
}

/// Where a lookup searches: `None` for every scope.
type Within = Option<Scope>;

/// The lookups of a linked model ([`super::AwsModel::role_by_arn`],
/// [`super::AwsModel::role_in`] and [`super::AwsModel::resolve`]), built
/// once for the roles and policies it counts. Each record is indexed under
/// its scope and under "every scope".
#[derive(Debug, Default, Clone)]
pub(super) struct Lookup {
    roles: usize,
    role_by_key: HashMap<(Within, String), usize>,
    role_by_arn: HashMap<(Within, String), usize>,
    role_by_folded_arn: HashMap<(Within, String), usize>,
    /// Roles known by name only (no key, no ARN).
    role_by_bare_name: HashMap<(Within, String), usize>,
    managed: usize,
    managed_by_arn: HashMap<(Scope, String), usize>,
    /// Managed policies known by name only (no ARN).
    managed_by_bare_name: HashMap<(Scope, String), usize>,
}

/// Keeps the first position of each key.
fn first<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: K, i: usize) {
    map.entry(key).or_insert(i);
}

/// Indexes `key` of the role at `i` under its scope and every scope.
fn both(map: &mut HashMap<(Within, String), usize>, scope: Scope, key: &str, i: usize) {
    first(map, (Some(scope), key.to_string()), i);
    first(map, (None, key.to_string()), i);
}

impl Lookup {
    pub fn new(roles: &[Role<'_>], managed: &[ManagedPolicy<'_>]) -> Self {
        let mut out = Self {
            roles: roles.len(),
            managed: managed.len(),
            ..Self::default()
        };
        for (i, r) in roles.iter().enumerate() {
            if let Some(key) = &r.key {
                both(&mut out.role_by_key, r.scope, key, i);
            }
            match &r.arn {
                Some(arn) => {
                    both(&mut out.role_by_arn, r.scope, arn, i);
                    let folded = arn.to_ascii_lowercase();
                    both(&mut out.role_by_folded_arn, r.scope, &folded, i);
                }
                None if r.key.is_none() => both(&mut out.role_by_bare_name, r.scope, &r.name, i),
                None => {}
            }
        }
        for (i, m) in managed.iter().enumerate() {
            match &m.arn {
                Some(arn) => first(&mut out.managed_by_arn, (m.scope, arn.clone()), i),
                None => first(&mut out.managed_by_bare_name, (m.scope, m.name.clone()), i),
            }
        }
        out
    }

    /// Whether the index was built for these roles and policies (a caller
    /// may have changed the model's public lists since).
    pub fn covers(&self, roles: &[Role<'_>], managed: &[ManagedPolicy<'_>]) -> bool {
        self.roles == roles.len() && self.managed == managed.len()
    }

    /// The role of `within` with key or ARN `arn`: exact key, exact ARN,
    /// ARN without regard to case (role names are unique without regard to
    /// case), then a role known by name only with the ARN's last segment as
    /// its name.
    pub fn role(&self, arn: &str, within: Within) -> Option<usize> {
        let key = |k: &str| (within, k.to_string());
        self.role_by_key
            .get(&key(arn))
            .or_else(|| self.role_by_arn.get(&key(arn)))
            .or_else(|| self.role_by_folded_arn.get(&key(&arn.to_ascii_lowercase())))
            .or_else(|| self.role_by_bare_name.get(&key(arn_name(arn))))
            .copied()
    }

    /// The managed policy of `scope` with ARN `arn`.
    pub fn managed_by_arn(&self, scope: Scope, arn: &str) -> Option<usize> {
        self.managed_by_arn.get(&(scope, arn.to_string())).copied()
    }

    /// The managed policy of `scope` without ARN named `name`.
    pub fn managed_by_name(&self, scope: Scope, name: &str) -> Option<usize> {
        self.managed_by_bare_name
            .get(&(scope, name.to_string()))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, arn: Option<&str>) -> Role<'static> {
        Role {
            name: name.to_string(),
            arn: arn.map(str::to_string),
            ..Role::default()
        }
    }

    #[test]
    fn unkeyed_roles_merge_by_arn_or_by_name_when_one_has_no_arn() {
        let a = "arn:aws:iam::1:role/a";
        let roles = vec![
            role("a", Some(a)),
            role("b", None),
            role("b", Some("arn:aws:iam::2:role/b")),
        ];
        let mut unkeyed = Unkeyed::default();
        for i in 0..roles.len() {
            unkeyed.note(&roles, i);
        }
        assert_eq!(unkeyed.same_as(&roles, &role("x", Some(a))), Some(0));
        // The name matches the role without an ARN, not the other `b`.
        let other = role("b", Some("arn:aws:iam::3:role/b"));
        assert_eq!(unkeyed.same_as(&roles, &other), Some(1));
        assert_eq!(unkeyed.same_as(&roles, &role("b", None)), Some(1));
        assert_eq!(unkeyed.same_as(&roles, &role("a", None)), Some(0));
        // `a` has an ARN, so a role of another ARN is another role.
        let c = role("a", Some("arn:aws:iam::9:role/a"));
        assert_eq!(unkeyed.same_as(&roles, &c), None);
        assert_eq!(unkeyed.named(None, "b"), Some(1));
    }

    #[test]
    fn lookups_find_the_first_match_in_order_of_precedence() {
        let mut keyed = role("aws_iam_role.x", None);
        keyed.key = Some("terraform#0#aws_iam_role.x".into());
        let roles = vec![
            keyed,
            role("Flow", Some("arn:aws:iam::1:role/Flow")),
            role("flow", Some("arn:aws:iam::1:role/flow")),
            role("bare", None),
        ];
        let lookup = Lookup::new(&roles, &[]);
        assert!(lookup.covers(&roles, &[]));
        assert!(!lookup.covers(&roles[1..], &[]));
        assert_eq!(lookup.role("terraform#0#aws_iam_role.x", None), Some(0));
        assert_eq!(lookup.role("arn:aws:iam::1:role/flow", None), Some(2));
        assert_eq!(lookup.role("arn:aws:iam::1:role/FLOW", None), Some(1));
        assert_eq!(
            lookup.role("arn:aws:iam::5:role/path/bare", Some(None)),
            Some(3)
        );
        assert_eq!(
            lookup.role("arn:aws:iam::5:role/aws_iam_role.x", None),
            None
        );
    }
}
