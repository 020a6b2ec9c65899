//! Roles that several inputs define. Inputs that complete each other
//! (`get-role` and `get-role-policy` output) make one definition; inputs
//! that each say what the role is (its trust policy, or every policy of it)
//! make one definition each, every one checked with its own trust policy
//! and policies, so a finding lands in each input it is true of. Where two
//! definitions differ in meaning a [`Conflict`] says so; definitions that
//! mean the same differ in nothing. Which definition an input joins depends
//! only on the inputs' names, never on their order on the command line.
//!
//! Each input's facts about the role are a record. Records are taken in
//! the order of their file's directory, then file name, then position:
//! 1. the records of one directory merge into the first unit of that
//!    directory they agree with (a snapshot is usually one directory);
//! 2. a unit with a trust policy or every policy of the role is a
//!    definition; so is a unit of parts from a directory that has one
//!    (it disagrees with it: another state of the role); other parts,
//!    given apart, join the first definition they agree with, else are a
//!    definition of their own;
//! 3. parts given apart that also agree with another definition complete
//!    it too (an inline policy given apart belongs to every definition of
//!    its role that does not say otherwise).

use super::meaning::same_policy;
use super::{Attachment, PolicyDoc, Role, merge_into};
use crate::diagnostic::Location;
use crate::hash::HashSet;
use crate::source::FileId;
use std::collections::BTreeMap;

/// Two inputs that define one role differently.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The role, as messages name it (its ARN, or its name).
    pub role: String,
    /// What differs (`its trust policy differs`).
    pub what: String,
    /// Where the later definition (in the order of file names) says it.
    pub at: Location,
    /// Where the other definition says it, or the other role when it says
    /// nothing there.
    pub other: Location,
}

/// The definitions of one role from its `records`, and where they differ.
/// `names` orders the records by their files' names.
pub(super) fn definitions<'a>(
    records: Vec<Role<'a>>,
    names: &BTreeMap<FileId, String>,
) -> (Vec<Role<'a>>, Vec<Conflict>) {
    if records.len() < 2 {
        return (records, Vec::new());
    }
    let mut records: Vec<(OrderKey, Role<'a>)> = records
        .into_iter()
        .map(|r| (order_key(&r, names), r))
        .collect();
    records.sort_by(|a, b| a.0.cmp(&b.0));

    // 1. Units: the records of one directory that agree.
    let mut units: Vec<(&str, Role<'a>)> = Vec::new();
    let mut dir_start = 0;
    for ((dir, _, _), record) in &records {
        if units.last().is_some_and(|(d, _)| d != dir) {
            dir_start = units.len();
        }
        let joined = units
            .iter_mut()
            .skip(dir_start)
            .find(|(_, unit)| difference(unit, record).is_none());
        match joined {
            Some((_, unit)) => merge_into(unit, record.clone()),
            None => units.push((dir, record.clone())),
        }
    }
    // Parts from a directory that says what the role is belong to that
    // directory's state of it, not to others.
    let defined_in: HashSet<&str> = units
        .iter()
        .filter(|(_, unit)| says_what(unit))
        .map(|(dir, _)| *dir)
        .collect();
    let given_apart = |dir: &str, unit: &Role<'_>| !says_what(unit) && !defined_in.contains(dir);

    // 2. Definitions: each unit that says what the role is (a trust policy,
    // or every policy of the role) is one, so that each input's copy is
    // checked and its findings land in it; parts given apart join the first
    // definition they agree with.
    let mut defs: Vec<(Vec<usize>, Role<'a>)> = Vec::new();
    for (u, (dir, unit)) in units.iter().enumerate() {
        let joined = defs
            .iter_mut()
            .find(|(_, def)| given_apart(dir, unit) && difference(def, unit).is_none());
        match joined {
            Some((members, def)) => {
                members.push(u);
                merge_into(def, unit.clone());
            }
            None => defs.push((vec![u], unit.clone())),
        }
    }

    // 3. Parts given apart complete every other definition they agree with.
    if defs.len() > 1 {
        for (u, (dir, unit)) in units.iter().enumerate() {
            if !given_apart(dir, unit) {
                continue;
            }
            for (members, def) in &mut defs {
                if !members.contains(&u) && difference(def, unit).is_none() {
                    members.push(u);
                    merge_into(def, unit.clone());
                }
            }
        }
    }
    let mut roles: Vec<Role<'a>> = defs.into_iter().map(|(_, def)| def).collect();
    if roles.len() < 2 {
        return (roles, Vec::new());
    }
    // A definition of parts only (a `get-role-policy` output) is still the
    // role of that ARN.
    let arn = roles.iter().find_map(|r| r.arn.clone());
    for r in &mut roles {
        if r.arn.is_none() {
            r.arn.clone_from(&arn);
        }
    }

    let conflicts = roles
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, later)| {
            roles.iter().take(i).find_map(|earlier| {
                let d = difference(later, earlier)?;
                Some(Conflict {
                    role: later.display().to_string(),
                    what: d.what,
                    at: d.at.or(later.location)?,
                    other: d.other.or(earlier.location)?,
                })
            })
        })
        .collect();
    (roles, conflicts)
}

/// Whether `unit` says what the role is, rather than giving parts of it.
fn says_what(unit: &Role<'_>) -> bool {
    unit.trust.is_some() || unit.complete
}

/// Directory, file name, offset.
pub(super) type OrderKey = (String, String, u32);

/// Where a record is: its role object, or the first document it gives.
pub(super) fn order_key(role: &Role<'_>, names: &BTreeMap<FileId, String>) -> OrderKey {
    let at = role.location.or_else(|| {
        let doc = role.trust.iter().chain(role.inline.iter()).next()?;
        doc.at(doc.node)
    });
    let Some(at) = at else {
        return (String::new(), String::new(), 0);
    };
    let name = names
        .get(&at.file)
        .cloned()
        .unwrap_or_else(|| format!("{:010}", at.file.0));
    let (dir, file) = match name.rfind(['/', '\\']) {
        Some(i) => (name[..i].to_string(), name[i + 1..].to_string()),
        None => (String::new(), name),
    };
    (dir, file, at.span.start)
}

/// What two definitions of one role say differently.
struct Difference {
    what: String,
    /// In the first definition compared.
    at: Option<Location>,
    /// In the second.
    other: Option<Location>,
}

/// The first thing `a` and `b` (facts about one role) say differently, by
/// meaning; `None` when they agree, or one only adds what the other does
/// not say. A complete record (authorization details) also says which
/// policies the role does not have.
fn difference(a: &Role<'_>, b: &Role<'_>) -> Option<Difference> {
    let doc_at = |d: &PolicyDoc<'_>| d.at(d.node);
    if let (Some(x), Some(y)) = (&a.trust, &b.trust)
        && !same_policy(x.node, y.node)
    {
        return Some(Difference {
            what: "its trust policy differs".to_string(),
            at: doc_at(x),
            other: doc_at(y),
        });
    }
    for x in a.inline.iter().filter(|x| !x.name.is_empty()) {
        if let Some(y) = b.inline.iter().find(|y| y.name == x.name)
            && !same_policy(x.node, y.node)
        {
            return Some(Difference {
                what: format!("its inline policy `{}` differs", x.name),
                at: doc_at(x),
                other: doc_at(y),
            });
        }
    }
    if let (Some(x), Some(y)) = (&a.boundary, &b.boundary)
        && x.arn != y.arn
    {
        return Some(Difference {
            what: "its permissions boundary differs".to_string(),
            at: x.location,
            other: y.location,
        });
    }
    // What one lists and a complete definition does not have.
    for (full, part, full_is_a) in [(a, b, true), (b, a, false)] {
        if !full.complete {
            continue;
        }
        let orient = |what: String, in_part: Option<Location>| {
            let (at, other) = if full_is_a {
                (full.location, in_part)
            } else {
                (in_part, full.location)
            };
            Difference { what, at, other }
        };
        if let Some(x) = part
            .inline
            .iter()
            .find(|x| !full.inline.iter().any(|y| same_policy(x.node, y.node)))
        {
            return Some(orient(listed_once("the inline policy", &x.name), doc_at(x)));
        }
        if let Some(x) = part
            .attached
            .iter()
            .find(|x| !full.attached.iter().any(|y| y.arn == x.arn))
        {
            return Some(orient(
                listed_once("the managed policy", &x.arn),
                x.location,
            ));
        }
        if let (None, Some(x)) = (&full.boundary, &part.boundary) {
            return Some(orient(boundary_once(x), x.location));
        }
    }
    None
}

fn listed_once(what: &str, name: &str) -> String {
    if name.is_empty() {
        format!("one input gives {what} here, the other lists every policy of the role without it")
    } else {
        format!(
            "one input gives {what} `{name}`, the other lists every policy of the role without it"
        )
    }
}

fn boundary_once(x: &Attachment) -> String {
    format!(
        "one input gives the permissions boundary `{}`, the other says the role has none",
        x.arn
    )
}

#[cfg(test)]
mod tests {
    use super::super::{AwsModel, Role};
    use crate::documents::ParsedFile;
    use crate::lint::Options;
    use crate::source::FileId;

    const ARN: &str = "arn:aws:iam::123:role/flow";

    fn get_role(principal: &str) -> String {
        format!(
            r#"{{"Role": {{"RoleName": "flow", "Path": "/", "Arn": "{ARN}",
                "AssumeRolePolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
                "Principal": {{"Service": "{principal}"}}, "Action": "sts:AssumeRole"}}]}}}}}}"#
        )
    }

    fn role_policy(action: &str) -> String {
        format!(
            r#"{{"RoleName": "flow", "PolicyName": "deliver", "PolicyDocument": {{"Version": "2012-10-17",
                "Statement": [{{"Effect": "Allow", "Action": "{action}", "Resource": "*"}}]}}}}"#
        )
    }

    /// The files in the order given, each with its position as its id.
    fn files(inputs: &[(&str, &str)]) -> Vec<ParsedFile> {
        inputs
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                ParsedFile::parse(FileId(i as u32), name, text.as_bytes(), true, None)
            })
            .collect()
    }

    /// Each definition of the role: the file names of its trust policy and
    /// its inline policies.
    fn shape(files: &[ParsedFile], model: &AwsModel<'_>) -> Vec<(String, Vec<String>)> {
        let name = |id: Option<FileId>| {
            id.and_then(|id| files.iter().find(|f| f.id == id))
                .map(|f| f.source.name().to_string())
                .unwrap_or_default()
        };
        let defs: Vec<&Role<'_>> = model
            .roles
            .iter()
            .filter(|r| r.arn.as_deref() == Some(ARN))
            .collect();
        defs.iter()
            .map(|r| {
                (
                    name(r.trust.as_ref().and_then(|t| t.file)),
                    r.inline.iter().map(|p| name(p.file)).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn conflicting_definitions_are_kept_apart_whatever_the_order() {
        let (a_role, b_role) = (
            get_role("vpc-flow-logs.amazonaws.com"),
            get_role("ec2.amazonaws.com"),
        );
        let (a_policy, b_policy) = (role_policy("logs:*"), role_policy("s3:*"));
        let inputs = [
            ("a/role.json", a_role.as_str()),
            ("a/policy.json", a_policy.as_str()),
            ("b/role.json", b_role.as_str()),
            ("b/policy.json", b_policy.as_str()),
        ];
        let mut reversed = inputs;
        reversed.reverse();
        let mut seen = Vec::new();
        for order in [&inputs, &reversed] {
            let files = files(order);
            let model = AwsModel::build(&files, &Options::default());
            let shape = shape(&files, &model);
            // Each directory's parts make one definition.
            assert_eq!(
                shape,
                [
                    ("a/role.json".to_string(), vec!["a/policy.json".to_string()]),
                    ("b/role.json".to_string(), vec!["b/policy.json".to_string()]),
                ]
            );
            assert_eq!(model.conflicts.len(), 1);
            let c = &model.conflicts[0];
            let file = |at: crate::diagnostic::Location| {
                files[at.file.0 as usize].source.name().to_string()
            };
            seen.push((file(c.at), file(c.other), c.what.clone()));
        }
        assert_eq!(seen[0], seen[1]);
        assert_eq!(
            seen[0],
            (
                "b/role.json".into(),
                "a/role.json".into(),
                "its trust policy differs".into()
            )
        );
    }

    #[test]
    fn a_part_that_agrees_with_every_definition_completes_each() {
        let (a_role, b_role) = (
            get_role("vpc-flow-logs.amazonaws.com"),
            get_role("ec2.amazonaws.com"),
        );
        let policy = role_policy("logs:*");
        let files = files(&[
            ("a/role.json", a_role.as_str()),
            ("b/role.json", b_role.as_str()),
            ("policies/policy.json", policy.as_str()),
        ]);
        let model = AwsModel::build(&files, &Options::default());
        let inline: Vec<Vec<String>> = shape(&files, &model).into_iter().map(|(_, i)| i).collect();
        assert_eq!(
            inline,
            [vec!["policies/policy.json"], vec!["policies/policy.json"]]
        );
    }

    #[test]
    fn definitions_that_mean_the_same_differ_in_nothing() {
        let reformatted = format!(
            r#"{{"Role": {{"Arn": "{ARN}", "RoleName": "flow",
                "AssumeRolePolicyDocument": {{"Statement": {{"Sid": "x", "Action": ["STS:AssumeRole"],
                "Principal": {{"Service": ["vpc-flow-logs.amazonaws.com"]}}, "Effect": "Allow"}},
                "Version": "2012-10-17"}}}}}}"#
        );
        let role = get_role("vpc-flow-logs.amazonaws.com");
        let files = files(&[
            ("a/role.json", role.as_str()),
            ("b/role.json", reformatted.as_str()),
        ]);
        let model = AwsModel::build(&files, &Options::default());
        // Each copy is checked (its findings land in it); nothing differs.
        assert_eq!(shape(&files, &model).len(), 2);
        assert!(model.conflicts.is_empty());
        // Within one directory the copies are one definition.
        let files = super::tests::files(&[
            ("a/role.json", role.as_str()),
            ("a/copy.json", reformatted.as_str()),
        ]);
        let model = AwsModel::build(&files, &Options::default());
        assert_eq!(shape(&files, &model).len(), 1);
    }
}
