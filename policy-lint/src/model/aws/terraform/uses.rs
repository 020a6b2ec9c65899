//! Roles that a Terraform resource passes to a service, found where the
//! catalogue says (`usage.terraform_attributes`: `aws_lambda_function.role`,
//! `aws_kinesis_firehose_delivery_stream.extended_s3_configuration[].role_arn`),
//! so adding an integration is a catalogue entry, not code. `[]` stands for
//! every block of a nested block list; `A.attr->B.role` reaches the role
//! through the resource `B` that `A.attr` names (an event source mapping's
//! function). `usage.terraform_when` says when the entry applies (a Lambda
//! function with a `vpc_config`), and `usage.terraform_facts` which request
//! variables the resource gives (its bucket, queue or log group).

use super::{Link, Plan, ROLE, known};
use crate::diagnostic::Location;
use crate::documents::terraform::{Mode, Resource};
use crate::json::Node;
use crate::model::aws::actions::text_glob_matches;
use crate::model::aws::catalog::{ConditionTest, TerraformCondition, VIA};
use crate::model::aws::{CatalogEntry, Catalogue, ServiceUse, Unlinked, arn_name};

/// The resource type of a catalogue attribute and the path under it
/// (`aws_db_instance.monitoring_role_arn` -> `aws_db_instance`,
/// `["monitoring_role_arn"]`).
pub(super) fn split_attribute(spec: &str) -> Option<(&str, Vec<&str>)> {
    let (ty, rest) = spec.split_once('.')?;
    let path: Vec<&str> = rest.split('.').collect();
    (!ty.is_empty() && path.iter().all(|s| !s.is_empty())).then_some((ty, path))
}

/// A role's model key and where the plan names it.
type RoleAt = (String, Option<Location>);
/// Where the plan names a role it cannot link, and why.
type NotLinked = (Option<Location>, String);
/// A concrete path into a resource's values (`["target", "0", "role_arn"]`).
type Path = Vec<String>;

/// Where a catalogue entry finds its role in one resource type.
struct Spec<'s> {
    /// The resource type that uses the role.
    ty: &'s str,
    /// The path to the role, or to the resource that holds it.
    path: Vec<&'s str>,
    /// The resource type and path that hold the role, when `path` names
    /// another resource.
    via: Option<(&'s str, Vec<&'s str>)>,
}

impl<'s> Spec<'s> {
    fn parse(spec: &'s str) -> Option<Self> {
        let (user, via) = match spec.split_once(VIA) {
            Some((user, via)) => (user, Some(split_attribute(via)?)),
            None => (spec, None),
        };
        let (ty, path) = split_attribute(user)?;
        Some(Spec { ty, path, via })
    }
}

impl<'v, 'a> Plan<'v, 'a> {
    /// The service uses of the plan's resources that the catalogue's
    /// entries name, and those whose role cannot be told.
    pub(super) fn catalogued_uses(
        &self,
        catalogue: &Catalogue,
        uses: &mut Vec<ServiceUse>,
        unlinked: &mut Vec<Unlinked>,
    ) {
        for entry in &catalogue.entries {
            for spec in entry
                .usage
                .terraform_attributes
                .iter()
                .filter_map(|s| Spec::parse(s))
            {
                // The flow-log extractor links `aws_flow_log` with its
                // destination (only a CloudWatch Logs destination uses the role).
                if spec.ty == "aws_flow_log" {
                    continue;
                }
                let resources = self
                    .view
                    .of_type(spec.ty)
                    .filter(|r| r.mode == Mode::Managed);
                for r in resources {
                    for at in self.expand(r, &[Vec::new()], &spec.path) {
                        if !self.conditions_hold(entry, spec.ty, r, &at) {
                            continue;
                        }
                        let facts = self.use_facts(entry, spec.ty, r, &at);
                        let user = format!("`{}`", r.address);
                        match &spec.via {
                            None => self.add_use(entry, (r, &at), user, facts, (uses, unlinked)),
                            Some((ty, path)) => {
                                let Some(holder) = self.named(r, &at, ty) else {
                                    continue;
                                };
                                let user = format!("{user} (through `{}`)", holder.address);
                                for at in self.expand(holder, &[Vec::new()], path) {
                                    self.add_use(
                                        entry,
                                        (holder, &at),
                                        user.clone(),
                                        facts.clone(),
                                        (uses, unlinked),
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the use of the role at `at` of `r` by `user`, or why it cannot
    /// be linked.
    fn add_use(
        &self,
        entry: &CatalogEntry,
        (r, at): (&Resource<'a>, &[String]),
        user: String,
        facts: Vec<(String, String)>,
        (uses, unlinked): (&mut Vec<ServiceUse>, &mut Vec<Unlinked>),
    ) {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        match self.role_at(r, &at) {
            Ok(Some((role_arn, role_location))) => uses.push(ServiceUse {
                user,
                role_arn,
                role_location,
                flow_log: None,
                entry: entry.id.clone(),
                inferred: false,
                scope: Some(self.file.id),
                facts,
            }),
            Ok(None) => {}
            Err((location, reason)) => unlinked.push(Unlinked {
                user,
                location: location.or(Some(self.at(r.values))),
                reason,
                help: format!(
                    "the checks run once the role can be linked: reference the role \
                     resource (`{} = aws_iam_role.NAME.arn`), or lint `terraform \
                     show -json` of the state after apply",
                    at.join(".")
                ),
            }),
        }
    }

    /// The resource of type `ty` that the value at `at` of `r` names: by
    /// reference when the value is unknown until apply, else by its ARN or
    /// name.
    fn named(&self, r: &Resource<'a>, at: &[String], ty: &str) -> Option<&'v Resource<'a>> {
        let at: Vec<&str> = at.iter().map(String::as_str).collect();
        if let Some(value) = known(r.value(&at)) {
            let names = ["arn", "function_name", "name"];
            let view: &'v _ = self.view;
            return view.resources().find(|t| {
                t.resource_type == ty
                    && t.mode == Mode::Managed
                    && names.iter().any(|n| known(t.values.get(n)) == Some(value))
            });
        }
        match self.follow(r, &at, ty) {
            Link::Resource(t) => Some(t),
            _ => None,
        }
    }

    /// The concrete paths of `path` in `r` after each of `prefixes`: each
    /// `name[]` segment becomes `name`, `i` for every block `i` the plan
    /// holds.
    fn expand(&self, r: &Resource<'a>, prefixes: &[Path], path: &[&str]) -> Vec<Path> {
        let mut paths: Vec<Path> = prefixes.to_vec();
        for seg in path {
            let Some(block) = seg.strip_suffix("[]") else {
                paths.iter_mut().for_each(|p| p.push((*seg).to_string()));
                continue;
            };
            paths = paths
                .into_iter()
                .flat_map(|mut p| {
                    p.push(block.to_string());
                    let at: Vec<&str> = p.iter().map(String::as_str).collect();
                    let n = r
                        .value(&at)
                        .and_then(|v| v.as_array().map(|a| a.len()))
                        .unwrap_or(0);
                    (0..n).map(move |i| {
                        let mut q = p.clone();
                        q.push(i.to_string());
                        q
                    })
                })
                .collect();
        }
        paths
    }

    /// The concrete paths of `spec` (a catalogue path) in `r`, in the
    /// blocks of the role's path `role` where the two share blocks: the
    /// bucket of the same `extended_s3_configuration` block as the role.
    fn bind(&self, r: &Resource<'a>, spec: &[&str], role: &[String]) -> Vec<Path> {
        let mut prefix: Path = Vec::new();
        let mut rest = role;
        for (i, seg) in spec.iter().enumerate() {
            let name = seg.strip_suffix("[]").unwrap_or(seg);
            let index = match rest {
                [first, index, tail @ ..] if first == name && seg.ends_with("[]") => {
                    rest = tail;
                    index
                }
                _ => return self.expand(r, &[prefix], spec.get(i..).unwrap_or_default()),
            };
            prefix.push(name.to_string());
            prefix.push(index.clone());
        }
        vec![prefix]
    }

    /// The values at the catalogue path `attribute` (`type.path`) of `r`,
    /// bound to the role's blocks; `None` when one is unknown until apply.
    fn values_at(
        &self,
        r: &Resource<'a>,
        attribute: &str,
        role: &[String],
    ) -> Option<Vec<Node<'a>>> {
        let (_, spec) = split_attribute(attribute)?;
        let mut out = Vec::new();
        for p in self.bind(r, &spec, role) {
            let at: Vec<&str> = p.iter().map(String::as_str).collect();
            if r.is_unknown(&at) {
                return None;
            }
            if let Some(v) = r.value(&at).filter(|v| !v.is_null()) {
                out.push(v);
            }
        }
        Some(out)
    }

    /// Whether every condition of `entry` on resources of type `ty` holds
    /// for `r`; one whose value is unknown until apply does not.
    fn conditions_hold(
        &self,
        entry: &CatalogEntry,
        ty: &str,
        r: &Resource<'a>,
        role: &[String],
    ) -> bool {
        entry
            .usage
            .terraform_when
            .iter()
            .filter(|c| split_attribute(&c.attribute).is_some_and(|(t, _)| t == ty))
            .all(|c| match self.values_at(r, &c.attribute, role) {
                None => false,
                Some(values) if values.is_empty() => c.if_absent,
                Some(values) => values.iter().any(|v| passes(c, *v)),
            })
    }

    /// The request variables `entry`'s `terraform_facts` read from `r`; an
    /// attribute with several different values gives none.
    fn use_facts(
        &self,
        entry: &CatalogEntry,
        ty: &str,
        r: &Resource<'a>,
        role: &[String],
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for fact in &entry.usage.terraform_facts {
            if split_attribute(&fact.attribute).is_none_or(|(t, _)| t != ty) {
                continue;
            }
            let values = self.values_at(r, &fact.attribute, role).unwrap_or_default();
            let mut texts: Vec<&str> = values.iter().filter_map(|v| known(Some(*v))).collect();
            texts.dedup();
            let [value] = texts.as_slice() else { continue };
            if let Some(bound) = fact.patterns.iter().find_map(|p| read_pattern(p, value)) {
                for (name, v) in bound {
                    if !out.iter().any(|(n, _)| *n == name) {
                        out.push((name, v));
                    }
                }
            }
        }
        out
    }

    /// The role at `path` of `r`, as the model keys it, with where the
    /// plan names it: `Ok(None)` when the attribute is not set, `Err` with
    /// why when it is unknown until apply and cannot be followed.
    fn role_at(&self, r: &Resource<'a>, path: &[&str]) -> Result<Option<RoleAt>, NotLinked> {
        let node = r.value(path);
        if let Some(value) = known(node) {
            return Ok(Some((self.role_key(value), node.map(|n| self.at(n)))));
        }
        if !r.is_unknown(path) {
            return Ok(None);
        }
        let config = self.view.config_resource(r.address);
        let expression = config.as_ref().and_then(|c| c.expression(path));
        // Optional attributes the provider computes (`monitoring_role_arn`)
        // are unknown in every plan; one the configuration does not set
        // names no role.
        if config.is_some() && expression.is_none() {
            return Ok(None);
        }
        let at = expression.map(|n| self.at(n));
        let attribute = path.join(".");
        match self.follow(r, path, ROLE) {
            Link::Resource(role) => Ok(Some((self.key(role), at))),
            Link::Unlinked(reason) => Err((
                at,
                format!("its `{attribute}` is unknown until apply and {reason}"),
            )),
            Link::None => Err((
                at,
                format!(
                    "its `{attribute}` is unknown until apply and the configuration names no \
                     `aws_iam_role` of the plan"
                ),
            )),
        }
    }

    /// The model key of the role a known value names: a role of the plan
    /// with that ARN or name (or, its ARN unknown, the name the ARN ends
    /// with), else the value itself (a role of another input).
    pub(super) fn role_key(&self, value: &str) -> String {
        let role = if value.starts_with("arn:") {
            self.role_by_arn
                .get(value)
                // A role of the plan whose ARN is not known yet, with the
                // name the ARN ends with.
                .or_else(|| self.pending_role_by_name.get(arn_name(value)))
                .copied()
        } else {
            // A name where an ARN belongs: rare, so no index of its own.
            self.managed_of_type(ROLE)
                .find(|r| known(r.values.get("name")) == Some(value))
        };
        role.map_or_else(|| value.to_string(), |r| self.key(r))
    }
}

/// Whether `value` passes the condition `c`.
fn passes(c: &TerraformCondition, value: Node<'_>) -> bool {
    if let Some(items) = value.as_array() {
        return match c.test {
            ConditionTest::NotEmpty => !items.is_empty(),
            _ => items.iter().any(|v| passes(c, v)),
        };
    }
    if let Some(o) = value.as_object() {
        return c.test == ConditionTest::NotEmpty && o.iter().next().is_some();
    }
    let text = value
        .as_str()
        .or_else(|| value.as_number())
        .map(str::to_string)
        .or_else(|| value.as_bool().map(|b| b.to_string()));
    let Some(text) = text else { return false };
    match c.test {
        ConditionTest::NotEmpty => !text.is_empty(),
        ConditionTest::GreaterThan => text
            .parse::<f64>()
            .is_ok_and(|n| c.value.is_some_and(|v| n > v)),
        ConditionTest::In => c.values.contains(&text),
        ConditionTest::NotIn => !c.values.contains(&text),
        ConditionTest::Like => c.values.iter().any(|g| text_glob_matches(g, &text)),
        ConditionTest::NotLike => !c.values.iter().any(|g| text_glob_matches(g, &text)),
    }
}

/// The `${Variable}`s of `pattern` bound so that it reads `value`, each
/// variable a non-empty run (the last one to the end), or `None` when it
/// cannot.
fn read_pattern(pattern: &str, value: &str) -> Option<Vec<(String, String)>> {
    let Some(start) = pattern.find("${") else {
        return (pattern == value).then(Vec::new);
    };
    let (head, rest) = pattern.split_at(start);
    let value = value.strip_prefix(head)?;
    let end = rest.find('}')?;
    let name = rest.get(2..end)?;
    let tail = rest.get(end + 1..)?;
    let next = tail
        .find("${")
        .map_or(tail, |i| tail.get(..i).unwrap_or_default());
    if next.is_empty() {
        // The last variable, or one followed by another: take the rest
        // (adjacent variables are not read).
        if !tail.is_empty() || value.is_empty() {
            return None;
        }
        return Some(vec![(name.to_string(), value.to_string())]);
    }
    // The shortest run up to the next literal part that lets the rest match.
    let mut from = 1;
    while let Some(i) = value.get(from..).and_then(|v| v.find(next)) {
        let cut = from + i;
        if let Some(mut more) = read_pattern(tail, value.get(cut..).unwrap_or_default()) {
            more.insert(
                0,
                (
                    name.to_string(),
                    value.get(..cut).unwrap_or_default().to_string(),
                ),
            );
            return Some(more);
        }
        from = cut + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::read_pattern;

    #[test]
    fn like_globs_match_any_run() {
        use super::text_glob_matches as text_matches;
        assert!(text_matches("arn:*:sqs:*", "arn:aws:sqs:us-east-1:1:q"));
        assert!(!text_matches("arn:*:sqs:*", "arn:aws:sns:us-east-1:1:q"));
        assert!(text_matches(
            "*:secretsmanager:*",
            "[{\"valueFrom\":\"arn:aws:secretsmanager:r:1:secret:x\"}]"
        ));
        assert!(text_matches("exact", "exact"));
        assert!(!text_matches("exact", "exactly"));
        assert!(!text_matches("a*b*c", "ab"));
        assert!(text_matches(
            "*/consumer/*",
            "arn:aws:kinesis:r:1:stream/s/consumer/c:1"
        ));
    }

    #[test]
    fn patterns_read_the_variables_of_arns() {
        let p = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:*";
        let got = read_pattern(p, "arn:aws:logs:us-east-1:123456789012:log-group:trail:*")
            .expect("match");
        assert_eq!(
            got,
            [
                ("Partition".to_string(), "aws".to_string()),
                ("Region".into(), "us-east-1".into()),
                ("Account".into(), "123456789012".into()),
                ("LogGroupName".into(), "trail".into()),
            ]
        );
        assert_eq!(
            read_pattern(p, "arn:aws:logs:us-east-1:123456789012:log-group:trail"),
            None
        );
        assert_eq!(
            read_pattern(
                "arn:${Partition}:s3:::${BucketName}",
                "arn:aws:s3:::b/with/slash"
            ),
            Some(vec![
                ("Partition".into(), "aws".into()),
                ("BucketName".into(), "b/with/slash".into())
            ])
        );
        assert_eq!(read_pattern("${BucketName}", ""), None);
        assert_eq!(
            read_pattern("arn:${Partition}:sqs:${Region}", "arn:aws:sns:x"),
            None
        );
    }
}
