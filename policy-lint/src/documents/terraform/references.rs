//! References between resources of a plan's `configuration`, followed
//! through module inputs and outputs to the resources they name.

use super::{Resource, TerraformView, address};
use crate::json::Node;

/// What a configuration reference resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A managed resource: `address` is its configuration address.
    Resource,
    /// A data source (`data.` address).
    Data,
    /// A root-module input variable (`var.x`): set outside the plan's
    /// configuration, so not followed further.
    RootVariable,
    /// Something the plan does not record an expression for (`local.x`,
    /// `each.value`, `count.index`, `path.module`, a module output without
    /// recorded expression): the link cannot be made.
    Unresolved,
}

/// A reference from a configuration expression, resolved through module
/// inputs (`var.x` inside a module -> the module call's argument) and
/// outputs (`module.m.out` -> the output's expression inside `m`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Absolute configuration address of the target, without instance keys:
    /// `module.iam.aws_iam_role.this`, `data.aws_iam_policy_document.p`,
    /// `var.role_arn`; for [`RefKind::Unresolved`], the reference as
    /// written, prefixed with its module path.
    pub address: String,
    /// The instance key the reference used (`[0]`, `["a"]`), if any.
    pub key: Option<String>,
    /// The attribute path after the resource (`arn`, `email`), if any.
    pub attribute: Option<String>,
    /// What kind of thing the target is.
    pub kind: RefKind,
}

impl Reference {
    /// Why this reference cannot be followed to a resource, for an advice
    /// message that says which check was skipped; `None` for a resource or
    /// data source.
    pub fn unlinked_reason(&self) -> Option<String> {
        match self.kind {
            RefKind::Resource | RefKind::Data => None,
            RefKind::RootVariable => Some(format!(
                "the value comes from the root input variable `{}`, which is set outside the configuration",
                self.address
            )),
            RefKind::Unresolved => Some(format!(
                "the value comes from `{}`, whose expression the plan does not record",
                self.address
            )),
        }
    }
}

impl<'a> TerraformView<'a> {
    /// The references of the attribute at `path` of the resource at
    /// `address`, resolved to absolute configuration addresses through
    /// module inputs and outputs. Terraform lists a reference in several
    /// forms (`aws_iam_role.r.arn`, `aws_iam_role.r`); each target appears
    /// once, with the most specific form (the one with an attribute). Empty
    /// when the plan records no configuration or no reference.
    pub fn references(&self, address: &str, path: &[&str]) -> Vec<Reference> {
        let Some(config) = self.config_resource(address) else {
            return Vec::new();
        };
        let Some(expr) = config.expression(path) else {
            return Vec::new();
        };
        let module: Vec<&str> = config.module.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        self.resolve_expression(expr, &module, &mut out, 0);
        dedup_references(out)
    }

    /// Resolves the references of one expression object in module `module`.
    fn resolve_expression(
        &self,
        expr: Node<'_>,
        module: &[&str],
        out: &mut Vec<Reference>,
        depth: usize,
    ) {
        for r in expr
            .get("references")
            .and_then(Node::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
        {
            self.resolve(r, module, out, depth);
        }
    }

    /// Resolves one reference written in module `module`.
    fn resolve(&self, reference: &str, module: &[&str], out: &mut Vec<Reference>, depth: usize) {
        // Module input/output chains are short; the bound stops cycles.
        if depth > 32 {
            return;
        }
        let steps = address::steps(reference);
        let unresolved = || Reference {
            address: address::config_address(module, reference),
            key: None,
            attribute: None,
            kind: RefKind::Unresolved,
        };
        let rest_of = |from: usize| -> Option<String> {
            let rest: Vec<String> = steps
                .get(from..)
                .unwrap_or_default()
                .iter()
                .map(|s| format!("{}{}", s.name, s.key.unwrap_or_default()))
                .collect();
            (!rest.is_empty()).then(|| rest.join("."))
        };
        let Some(first) = steps.first() else { return };
        match first.name {
            "var" => {
                let Some(var) = steps.get(1) else { return };
                match module.split_last() {
                    None => out.push(Reference {
                        address: format!("var.{}", var.name),
                        key: None,
                        attribute: rest_of(2),
                        kind: RefKind::RootVariable,
                    }),
                    Some((call, parent)) => {
                        let arg = self
                            .config_module(parent)
                            .and_then(|m| m.get("module_calls"))
                            .and_then(|c| c.get(call))
                            .and_then(|c| c.get("expressions"))
                            .and_then(|e| e.get(var.name));
                        match arg {
                            Some(arg) => self.resolve_expression(arg, parent, out, depth + 1),
                            None => out.push(unresolved()),
                        }
                    }
                }
            }
            "module" => {
                // `module.m` alone is the container form Terraform lists
                // next to `module.m.output`: nothing to follow.
                let (Some(child), Some(output)) = (steps.get(1), steps.get(2)) else {
                    return;
                };
                let mut inner: Vec<&str> = module.to_vec();
                inner.push(child.name);
                let expr = self
                    .config_module(&inner)
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output.name))
                    .and_then(|o| o.get("expression"));
                match expr {
                    Some(e) if e.get("references").is_some() => {
                        self.resolve_expression(e, &inner, out, depth + 1);
                    }
                    _ => out.push(unresolved()),
                }
            }
            "data" => match (steps.get(1), steps.get(2)) {
                (Some(t), Some(n)) => out.push(Reference {
                    address: address::config_address(
                        module,
                        &format!("data.{}.{}", t.name, n.name),
                    ),
                    key: n.key.map(str::to_string),
                    attribute: rest_of(3),
                    kind: RefKind::Data,
                }),
                _ => out.push(unresolved()),
            },
            "local" | "each" | "count" | "path" | "terraform" | "self" => out.push(unresolved()),
            _ => match steps.get(1) {
                Some(n) if first.key.is_none() => out.push(Reference {
                    address: address::config_address(module, &format!("{}.{}", first.name, n.name)),
                    key: n.key.map(str::to_string),
                    attribute: rest_of(2),
                    kind: RefKind::Resource,
                }),
                _ => out.push(unresolved()),
            },
        }
    }

    /// The resource instances the attribute at `path` of `address` refers
    /// to (every instance of each referenced resource or data source), with
    /// the reference that led there. A reference that cannot be followed
    /// (see [`Reference::unlinked_reason`]) or that names a resource the plan
    /// does not hold yields nothing.
    pub fn referenced_resources(
        &self,
        address: &str,
        path: &[&str],
    ) -> Vec<(Reference, &Resource<'a>)> {
        let mut out = Vec::new();
        for r in self.references(address, path) {
            let instances: Vec<&Resource<'a>> = self.instances_of(&r.address).collect();
            // A reference with a key (`aws_iam_role.r[0]`) names one instance.
            let keyed: Vec<&Resource<'a>> = match &r.key {
                Some(k) => instances
                    .iter()
                    .copied()
                    .filter(|i| i.address.ends_with(k.as_str()))
                    .collect(),
                None => Vec::new(),
            };
            let chosen = if keyed.is_empty() { instances } else { keyed };
            out.extend(chosen.into_iter().map(|i| (r.clone(), i)));
        }
        out
    }
}

/// Keeps one reference per target (address + key), preferring one that
/// names an attribute; keeps first-seen order.
fn dedup_references(refs: Vec<Reference>) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::with_capacity(refs.len());
    for r in refs {
        match out
            .iter_mut()
            .find(|o| o.address == r.address && (o.key == r.key || r.key.is_none()))
        {
            Some(o) => {
                if o.attribute.is_none() && r.attribute.is_some() && o.key == r.key {
                    *o = r;
                }
            }
            None => out.push(r),
        }
    }
    out
}
