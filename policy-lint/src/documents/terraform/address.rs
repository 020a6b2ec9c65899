//! Terraform addresses: `module.net["a"].aws_flow_log.this[0]`,
//! `data.aws_iam_policy_document.p`, and references such as
//! `var.x`, `module.iam.role_arn`, `aws_iam_role.r[0].arn`.

use std::borrow::Cow;

use crate::hash::HashMap;
use crate::json::Node;

/// One dot-separated step of an address, with its instance key
/// (`[0]`, `["a"]`) kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step<'s> {
    /// The name (`module`, `net`, `aws_iam_role`, `arn`).
    pub name: &'s str,
    /// The key with its brackets, when one follows the name.
    pub key: Option<&'s str>,
}

/// Splits an address or reference into steps. Dots and brackets inside
/// quoted keys (`["a.b"]`) do not split.
pub(crate) fn steps(s: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes.get(i) != Some(&b'.') && bytes.get(i) != Some(&b'[') {
            i += 1;
        }
        let name = s.get(start..i).unwrap_or_default();
        let mut key = None;
        if bytes.get(i) == Some(&b'[') {
            let key_start = i;
            let mut in_str = false;
            while let Some(&b) = bytes.get(i) {
                i += 1;
                match b {
                    b'\\' if in_str => i += 1,
                    b'"' => in_str = !in_str,
                    b']' if !in_str => break,
                    _ => {}
                }
            }
            key = s.get(key_start..i.min(s.len()));
            // A key on a key (`x[0][1]`) stays with the same step.
            while bytes.get(i) == Some(&b'[') {
                let mut in_str = false;
                while let Some(&b) = bytes.get(i) {
                    i += 1;
                    match b {
                        b'\\' if in_str => i += 1,
                        b'"' => in_str = !in_str,
                        b']' if !in_str => break,
                        _ => {}
                    }
                }
                key = s.get(key_start..i.min(s.len()));
            }
        }
        out.push(Step { name, key });
        if bytes.get(i) == Some(&b'.') {
            i += 1;
        }
    }
    out
}

/// A resource instance address split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address<'s> {
    /// The module path as `(name, key)` pairs: `module.a["x"].module.b`
    /// gives `[("a", Some("[\"x\"]")), ("b", None)]`.
    pub modules: Vec<(&'s str, Option<&'s str>)>,
    /// Whether this is a data source (`data.` prefix).
    pub data: bool,
    /// Resource type (`aws_iam_role`).
    pub resource_type: &'s str,
    /// Resource name (`this`).
    pub name: &'s str,
    /// Instance key with brackets (`[0]`, `["k"]`), if any.
    pub key: Option<&'s str>,
}

impl<'s> Address<'s> {
    /// Parses a resource address; `None` when it names no resource.
    pub fn parse(s: &'s str) -> Option<Self> {
        let steps = steps(s);
        let mut modules = Vec::new();
        let mut rest = steps.as_slice();
        while let [m, name, tail @ ..] = rest {
            if m.name != "module" || m.key.is_some() {
                break;
            }
            modules.push((name.name, name.key));
            rest = tail;
        }
        let (data, rest) = match rest {
            [d, tail @ ..] if d.name == "data" && d.key.is_none() => (true, tail),
            _ => (false, rest),
        };
        match rest {
            [t, n] if t.key.is_none() && !t.name.is_empty() && !n.name.is_empty() => Some(Self {
                modules,
                data,
                resource_type: t.name,
                name: n.name,
                key: n.key,
            }),
            _ => None,
        }
    }

    /// The module path without instance keys: `["net"]` for
    /// `module.net[0].aws_flow_log.this`.
    pub fn module_names(&self) -> Vec<&'s str> {
        self.modules.iter().map(|(n, _)| *n).collect()
    }

    /// The address inside its module, without instance key:
    /// `aws_flow_log.this` or `data.aws_iam_policy_document.p`. This is how
    /// `configuration` lists a module's resources.
    pub fn local(&self) -> String {
        let data = if self.data { "data." } else { "" };
        format!("{data}{}.{}", self.resource_type, self.name)
    }

    /// The configuration address: module path without keys, then
    /// [`Address::local`] (`module.net.aws_flow_log.this`).
    pub fn config(&self) -> String {
        config_address(&self.module_names(), &self.local())
    }
}

/// The full instance address of a resource object of `planned_values`,
/// `prior_state` or `values`, found in the module object whose `address` is
/// `module` (`None` in the root module). Terraform 0.12 writes the resources
/// of `prior_state` and `values` relative to their module and without their
/// instance key (`aws_iam_role.r` with `"index": 0` inside
/// `module.db.module.instance`); later versions write the full address,
/// which is returned as it is.
pub(crate) fn full_address<'a>(
    module: Option<&str>,
    address: &'a str,
    index: Option<Node<'_>>,
) -> Cow<'a, str> {
    let prefix = module.filter(|m| {
        !m.is_empty()
            && !address
                .strip_prefix(*m)
                .is_some_and(|rest| rest.starts_with('.'))
    });
    let key = index
        .filter(|_| !address.ends_with(']'))
        .and_then(|i| match i.as_str() {
            Some(s) => serde_json::to_string(s).ok(),
            None => i.as_number().map(str::to_string),
        });
    if prefix.is_none() && key.is_none() {
        return Cow::Borrowed(address);
    }
    let mut out = String::with_capacity(address.len() + 32);
    if let Some(m) = prefix {
        out.push_str(m);
        out.push('.');
    }
    out.push_str(address);
    if let Some(k) = key {
        out.push('[');
        out.push_str(&k);
        out.push(']');
    }
    Cow::Owned(out)
}

/// The full addresses of the resource objects of `values`, `prior_state`
/// and `planned_values` that Terraform 0.12 wrote relative to their module
/// (see [`full_address`]), by the resource object's node index. Empty for
/// plans of later versions, which write full addresses.
pub(crate) fn module_relative_addresses(root: Node<'_>) -> HashMap<u32, String> {
    let mut out = HashMap::default();
    let tops = [
        root.get("values"),
        root.get("planned_values"),
        root.get("prior_state").and_then(|p| p.get("values")),
    ];
    for top in tops.into_iter().flatten() {
        if let Some(m) = top.get("root_module") {
            relative_in(m, None, &mut out, 0);
        }
    }
    out
}

fn relative_in(
    module: Node<'_>,
    address: Option<&str>,
    out: &mut HashMap<u32, String>,
    depth: usize,
) {
    // Module nesting is shallow; the bound stops pathological input.
    if depth > 64 {
        return;
    }
    for r in module
        .get("resources")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        if let Some(local) = r.get_str("address")
            && let Cow::Owned(full) = full_address(address, local, r.get("index"))
        {
            out.insert(r.index(), full);
        }
    }
    for child in module
        .get("child_modules")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        relative_in(child, child.get_str("address").or(address), out, depth + 1);
    }
}

/// `module.a.module.b.` + `local`.
pub(crate) fn config_address(modules: &[&str], local: &str) -> String {
    let mut out = String::new();
    for m in modules {
        out.push_str("module.");
        out.push_str(m);
        out.push('.');
    }
    out.push_str(local);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_module_and_instance_keys() {
        let a = Address::parse(r#"module.net["a.b"].module.inner.aws_flow_log.this[0]"#)
            .expect("address");
        assert_eq!(
            a.modules,
            vec![("net", Some(r#"["a.b"]"#)), ("inner", None)]
        );
        assert!(!a.data);
        assert_eq!(a.resource_type, "aws_flow_log");
        assert_eq!(a.name, "this");
        assert_eq!(a.key, Some("[0]"));
        assert_eq!(a.config(), "module.net.module.inner.aws_flow_log.this");
        assert_eq!(a.local(), "aws_flow_log.this");
    }

    #[test]
    fn parses_data_sources_and_rejects_non_resources() {
        let a = Address::parse(r#"data.aws_iam_policy_document.p["x]y"]"#).expect("data");
        assert!(a.data);
        assert_eq!(a.key, Some(r#"["x]y"]"#));
        assert_eq!(a.config(), "data.aws_iam_policy_document.p");
        assert!(Address::parse("module.net").is_none());
        assert!(Address::parse("var.x").is_some_and(|a| a.resource_type == "var"));
        assert!(Address::parse("").is_none());
    }

    #[test]
    fn module_relative_addresses_of_terraform_0_12_get_their_module_and_key() {
        let tree = crate::json::parse(r#"[0, "test.1", null]"#).expect("json");
        let items = tree.root().as_array().expect("array");
        let db = Some("module.db.module.db_1");
        assert_eq!(
            full_address(db, "aws_iam_role.r", items.get(0)),
            "module.db.module.db_1.aws_iam_role.r[0]"
        );
        assert_eq!(
            full_address(db, "data.aws_iam_policy_document.p", items.get(1)),
            r#"module.db.module.db_1.data.aws_iam_policy_document.p["test.1"]"#
        );
        // Already full (0.13 and later, and `planned_values` of 0.12).
        assert!(matches!(
            full_address(db, "module.db.module.db_1.aws_iam_role.r[0]", items.get(0)),
            Cow::Borrowed(_)
        ));
        assert_eq!(full_address(None, "aws_iam_role.r", None), "aws_iam_role.r");
        // `module.dbx` is not inside `module.db`.
        assert_eq!(
            full_address(Some("module.db"), "module.dbx.aws_iam_role.r", None),
            "module.db.module.dbx.aws_iam_role.r"
        );
    }

    #[test]
    fn splits_references() {
        let s = steps("aws_iam_role.r[0].arn");
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].key, Some("[0]"));
        assert_eq!(s[2].name, "arn");
    }
}
