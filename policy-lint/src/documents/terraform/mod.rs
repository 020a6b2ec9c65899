//! A typed view of `terraform show -json` output: a plan
//! (`terraform show -json tfplan`) or a state (`terraform show -json`).
//!
//! The view borrows the spanned tree; nothing is copied, so every value a
//! rule reads still knows its bytes in the plan.
//!
//! # One canonical source per resource
//!
//! A plan says most things twice: a resource's planned attributes are in
//! `planned_values` and again in `resource_changes[].change.after`, and a
//! data source read at plan time is in `prior_state` and sometimes again in
//! `planned_values`. Linting both copies would report every finding twice, so
//! [`TerraformView::resources`] yields each resource instance (keyed by its
//! address) once, from the first of these that has it:
//!
//! 1. `resource_changes[].change.after` (with `after_unknown`), the only
//!    place that says which values are unknown until apply;
//! 2. `planned_values` (root module and `child_modules` at any depth), for
//!    plans without `resource_changes`;
//! 3. `prior_state.values` (data sources such as `aws_iam_policy_document`
//!    read at plan time);
//!
//! and for a state, `values`. A resource being deleted has no `after`: its
//! `change.before` is kept as [`Source::Deleted`], visible through
//! [`TerraformView::all_resources`] only, since nothing it says will be in
//! force after apply. Deposed objects are skipped.

mod address;
pub mod gce;
pub mod locate;
pub(crate) mod policies;
mod references;

use crate::hash::{HashMap, HashSet};

pub use address::Address;
pub(crate) use address::module_relative_addresses;
pub use references::{RefKind, Reference};

use crate::documents::{DocKind, ParsedFile};
use crate::json::Node;
use crate::source::{FileId, Span};

/// Plan or state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `terraform show -json tfplan`.
    Plan,
    /// `terraform show -json` of a state.
    State,
}

/// Where a resource's values were read (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `resource_changes[].change.after`.
    Change,
    /// `resource_changes[].change.before` of a resource being deleted.
    Deleted,
    /// `planned_values.root_module` (or a child module).
    PlannedValues,
    /// `prior_state.values.root_module`.
    PriorState,
    /// `values.root_module` of a state.
    State,
}

/// `managed` (a resource) or `data` (a data source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `resource "type" "name"`.
    Managed,
    /// `data "type" "name"`.
    Data,
}

/// One resource instance, from its canonical source.
#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    /// Full instance address: `module.net.aws_flow_log.this[0]`.
    pub address: &'a str,
    /// Managed resource or data source.
    pub mode: Mode,
    /// Resource type: `aws_flow_log`.
    pub resource_type: &'a str,
    /// Resource name: `this`.
    pub name: &'a str,
    /// The `index` (count number or for_each key), when there is one.
    pub index: Option<Node<'a>>,
    /// The attribute object (`change.after`, `values`, or `change.before`
    /// for [`Source::Deleted`]).
    pub values: Node<'a>,
    /// `change.after_unknown`: same shape as `values`, `true` where the
    /// value is known only after apply. `None` outside `resource_changes`.
    pub unknown: Option<Node<'a>>,
    /// The whole entry (the `resource_changes` element, or the resource
    /// object of `planned_values` / `prior_state` / `values`).
    pub node: Node<'a>,
    /// `change.actions` (`["create"]`, `["delete", "create"]`, ...), in plans.
    pub actions: Option<Node<'a>>,
    /// Which part of the file the values come from.
    pub source: Source,
}

/// A path step into a value: an attribute or block name, or an index.
fn step<'n>(node: Node<'n>, seg: &str) -> Option<Node<'n>> {
    match node.as_array() {
        Some(items) => items.get(seg.parse::<usize>().ok()?),
        None => node.get(seg),
    }
}

impl<'a> Resource<'a> {
    /// The value at `path` (`["service_account", "0", "email"]`): attribute
    /// names for objects, decimal indexes for arrays (blocks are arrays).
    pub fn value(&self, path: &[&str]) -> Option<Node<'a>> {
        path.iter().try_fold(self.values, |n, seg| step(n, seg))
    }

    /// Whether the value at `path` is unknown until apply: `after_unknown`
    /// is `true` at `path` or at any prefix of it.
    pub fn is_unknown(&self, path: &[&str]) -> bool {
        let Some(mut node) = self.unknown else {
            return false;
        };
        for seg in path {
            if node.as_bool() == Some(true) {
                return true;
            }
            match step(node, seg) {
                Some(n) => node = n,
                None => return false,
            }
        }
        node.as_bool() == Some(true)
    }

    /// The parsed address.
    pub fn parsed_address(&self) -> Option<Address<'a>> {
        Address::parse(self.address)
    }

    /// The configuration address (module keys and instance key dropped):
    /// `module.net.aws_flow_log.this`.
    pub fn config_address(&self) -> String {
        self.parsed_address()
            .map(|a| a.config())
            .unwrap_or_else(|| self.address.to_string())
    }

    /// Whether the plan deletes this resource.
    pub fn is_deleted(&self) -> bool {
        self.source == Source::Deleted
    }

    /// Whether `change.actions` contains `action` (`create`, `update`,
    /// `delete`, `read`, `no-op`).
    pub fn has_action(&self, action: &str) -> bool {
        self.actions
            .and_then(Node::as_array)
            .unwrap_or_default()
            .iter()
            .any(|a| a.as_str() == Some(action))
    }
}

/// A resource block of `configuration`.
#[derive(Debug, Clone)]
pub struct ConfigResource<'a> {
    /// The resource object (`address`, `mode`, `type`, `expressions`, ...).
    pub node: Node<'a>,
    /// The module it is declared in, as names from the root (`["net"]`).
    pub module: Vec<String>,
}

impl<'a> ConfigResource<'a> {
    /// The expression for `path` (`["assume_role_policy"]`,
    /// `["service_account", "0", "email"]`): an object with
    /// `constant_value` and/or `references`, or for a nested block an array
    /// of objects of expressions.
    pub fn expression(&self, path: &[&str]) -> Option<Node<'a>> {
        let exprs = self.node.get("expressions")?;
        path.iter().try_fold(exprs, |n, seg| step(n, seg))
    }

    /// The `constant_value` of the expression at `path`.
    pub fn constant(&self, path: &[&str]) -> Option<Node<'a>> {
        self.expression(path)?.get("constant_value")
    }
}

/// A `terraform show -json` document.
#[derive(Debug, Clone)]
pub struct TerraformView<'a> {
    /// The whole document.
    pub root: Node<'a>,
    /// Plan or state.
    pub format: Format,
    resources: Vec<Resource<'a>>,
    shadowed: Vec<Span>,
    /// Live resources by instance address.
    by_address: HashMap<&'a str, usize>,
    /// Live resources by configuration address.
    by_config: HashMap<String, Vec<usize>>,
    /// Configuration resource blocks by configuration address, so that
    /// following references stays linear in the size of the plan.
    config_index: HashMap<String, ConfigResource<'a>>,
    /// Full addresses of resources Terraform 0.12 wrote relative to their
    /// module, by node index (see [`ParsedFile::terraform_view`]).
    full_addresses: Option<&'a HashMap<u32, String>>,
}

impl<'a> TerraformView<'a> {
    /// A view of `root`, which must look like a plan (`format_version` plus
    /// `planned_values`, `resource_changes` or `configuration`) or a state
    /// (`format_version` plus `values`).
    ///
    /// Terraform 0.12 writes the resources of child modules in `values` and
    /// `prior_state` with module-relative addresses; this view keeps them
    /// as written. [`ParsedFile::terraform_view`] gives them their full
    /// addresses.
    pub fn new(root: Node<'a>) -> Option<Self> {
        Self::with_full_addresses(root, None)
    }

    /// [`TerraformView::new`], with the full addresses of the resources
    /// written relative to their module (by node index).
    pub(crate) fn with_full_addresses(
        root: Node<'a>,
        full_addresses: Option<&'a HashMap<u32, String>>,
    ) -> Option<Self> {
        root.get("format_version")?;
        let has = |k: &str| root.get(k).is_some();
        let format = if has("planned_values") || has("resource_changes") || has("configuration") {
            Format::Plan
        } else if has("values") {
            Format::State
        } else {
            return None;
        };
        let mut view = Self {
            root,
            format,
            resources: Vec::new(),
            shadowed: Vec::new(),
            by_address: HashMap::default(),
            by_config: HashMap::default(),
            config_index: HashMap::default(),
            full_addresses,
        };
        view.collect();
        if let Some(m) = root.get("configuration").and_then(|c| c.get("root_module")) {
            index_config(m, &mut Vec::new(), &mut view.config_index, 0);
        }
        for (i, r) in view.resources.iter().enumerate() {
            if r.is_deleted() {
                continue;
            }
            view.by_address.insert(r.address, i);
            view.by_config
                .entry(r.config_address())
                .or_default()
                .push(i);
        }
        Some(view)
    }

    fn collect(&mut self) {
        let root = self.root;
        let mut seen: HashSet<&'a str> = HashSet::default();
        let mut out = Vec::new();
        if self.format == Format::State {
            if let Some(m) = root.get("values").and_then(|v| v.get("root_module")) {
                walk_module(
                    m,
                    Source::State,
                    self.full_addresses,
                    &mut seen,
                    &mut out,
                    &mut self.shadowed,
                );
            }
            self.resources = out;
            return;
        }
        for rc in root
            .get("resource_changes")
            .and_then(Node::as_array)
            .unwrap_or_default()
        {
            if rc.get("deposed").is_some_and(|d| !d.is_null()) {
                continue;
            }
            let Some(address) = rc.get_str("address") else {
                continue;
            };
            let Some(change) = rc.get("change") else {
                continue;
            };
            let after = change.get("after").filter(|a| a.as_object().is_some());
            let (values, source) = match after {
                Some(a) => (a, Source::Change),
                None => match change.get("before").filter(|b| b.as_object().is_some()) {
                    Some(b) => (b, Source::Deleted),
                    None => continue,
                },
            };
            if !seen.insert(address) {
                continue;
            }
            if after.is_some() {
                // The state before the change: a copy of `prior_state`.
                if let Some(before) = change.get("before").filter(|b| b.as_object().is_some()) {
                    self.shadowed.push(before.span());
                }
            }
            let Some(r) = resource(rc, address, values, source) else {
                continue;
            };
            out.push(Resource {
                unknown: change.get("after_unknown").filter(|_| after.is_some()),
                actions: change.get("actions"),
                ..r
            });
        }
        // Changes made outside Terraform: copies of the prior and refreshed
        // state, which the canonical entries already say.
        if let Some(drift) = root.get("resource_drift") {
            self.shadowed.push(drift.span());
        }
        if let Some(m) = root
            .get("planned_values")
            .and_then(|v| v.get("root_module"))
        {
            walk_module(
                m,
                Source::PlannedValues,
                self.full_addresses,
                &mut seen,
                &mut out,
                &mut self.shadowed,
            );
        }
        if let Some(m) = root
            .get("prior_state")
            .and_then(|p| p.get("values"))
            .and_then(|v| v.get("root_module"))
        {
            walk_module(
                m,
                Source::PriorState,
                self.full_addresses,
                &mut seen,
                &mut out,
                &mut self.shadowed,
            );
        }
        self.resources = out;
    }

    /// The parts of a plan that repeat what a canonical resource says: the
    /// resource objects of `planned_values` and `prior_state` read from an
    /// earlier source, `change.before` of a resource with an `after`, and
    /// `resource_drift`. A finding inside one of these spans is a copy (or a
    /// past version) of a finding at the canonical resource.
    pub fn shadowed(&self) -> &[Span] {
        &self.shadowed
    }

    /// Every resource instance that exists after apply (or in the state),
    /// once each, from its canonical source. Deleted resources are left out.
    pub fn resources(&self) -> impl Iterator<Item = &Resource<'a>> + '_ {
        self.resources.iter().filter(|r| !r.is_deleted())
    }

    /// Every resource instance, deleted ones included.
    pub fn all_resources(&self) -> impl Iterator<Item = &Resource<'a>> + '_ {
        self.resources.iter()
    }

    /// The resource instance at `address` (exact, with keys).
    pub fn resource(&self, address: &str) -> Option<&Resource<'a>> {
        self.resources.get(*self.by_address.get(address)?)
    }

    /// Every instance (count / for_each keys, module instance keys) of the
    /// configuration address `config_address` (`module.iam.aws_iam_role.this`),
    /// for following a [`Reference`] to the resources it names.
    pub fn instances_of<'s>(
        &'s self,
        config_address: &str,
    ) -> impl Iterator<Item = &'s Resource<'a>> + 's {
        self.by_config
            .get(config_address)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.resources.get(i))
    }

    /// Resources of type `resource_type` (managed and data).
    pub fn of_type<'s>(
        &'s self,
        resource_type: &'s str,
    ) -> impl Iterator<Item = &'s Resource<'a>> + 's {
        self.resources()
            .filter(move |r| r.resource_type == resource_type)
    }

    /// `configuration.root_module`, or a module's configuration by names
    /// from the root (`["net", "inner"]`).
    pub fn config_module(&self, modules: &[&str]) -> Option<Node<'a>> {
        let mut m = self.root.get("configuration")?.get("root_module")?;
        for name in modules {
            m = m.get("module_calls")?.get(name)?.get("module")?;
        }
        Some(m)
    }

    /// The configuration block of the resource at `address` (an instance
    /// address or a configuration address), found in its module's
    /// configuration.
    pub fn config_resource(&self, address: &str) -> Option<ConfigResource<'a>> {
        let parsed = Address::parse(address)?;
        self.config_index.get(&parsed.config()).cloned()
    }

    /// Whether the attribute at `path` of the resource at `address` is
    /// unknown until apply.
    pub fn is_unknown(&self, address: &str, path: &[&str]) -> bool {
        self.resource(address).is_some_and(|r| r.is_unknown(path))
    }
}

/// Indexes the resource blocks of a configuration module and its module
/// calls (by configuration address; the first block of an address wins).
fn index_config<'a>(
    module: Node<'a>,
    names: &mut Vec<String>,
    out: &mut HashMap<String, ConfigResource<'a>>,
    depth: usize,
) {
    // Module nesting is shallow; the bound stops pathological input.
    if depth > 64 {
        return;
    }
    let modules: Vec<&str> = names.iter().map(String::as_str).collect();
    for r in module
        .get("resources")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        let Some(local) = r.get_str("address") else {
            continue;
        };
        out.entry(address::config_address(&modules, local))
            .or_insert_with(|| ConfigResource {
                node: r,
                module: names.clone(),
            });
    }
    for call in module
        .get("module_calls")
        .and_then(Node::as_object)
        .unwrap_or_default()
    {
        if let Some(inner) = call.value.get("module") {
            names.push(call.key.to_string());
            index_config(inner, names, out, depth + 1);
            names.pop();
        }
    }
}

/// A resource from an entry with `address`, `mode`, `type`, `name`, `index`.
fn resource<'a>(
    entry: Node<'a>,
    address: &'a str,
    values: Node<'a>,
    source: Source,
) -> Option<Resource<'a>> {
    let mode = match entry.get_str("mode") {
        Some("data") => Mode::Data,
        _ => Mode::Managed,
    };
    let parsed = Address::parse(address);
    let resource_type = entry
        .get_str("type")
        .or(parsed.as_ref().map(|a| a.resource_type))?;
    let name = entry.get_str("name").or(parsed.as_ref().map(|a| a.name))?;
    Some(Resource {
        address,
        mode,
        resource_type,
        name,
        index: entry.get("index"),
        values,
        unknown: None,
        node: entry,
        actions: None,
        source,
    })
}

/// Adds the resources of a `{resources, child_modules}` module object,
/// recursively.
fn walk_module<'a>(
    module: Node<'a>,
    source: Source,
    full_addresses: Option<&'a HashMap<u32, String>>,
    seen: &mut HashSet<&'a str>,
    out: &mut Vec<Resource<'a>>,
    shadowed: &mut Vec<Span>,
) {
    for r in module
        .get("resources")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        if r.get("deposed_key").is_some() {
            continue;
        }
        let (Some(address), Some(values)) = (r.get_str("address"), r.get("values")) else {
            continue;
        };
        // A module-relative address of Terraform 0.12 would name a root
        // resource that does not exist and collide with the other
        // instances of its module.
        let address = full_addresses
            .and_then(|f| f.get(&r.index()))
            .map_or(address, String::as_str);
        if values.as_object().is_none() {
            continue;
        }
        if !seen.insert(address) {
            shadowed.push(r.span());
            continue;
        }
        out.extend(resource(r, address, values, source));
    }
    for child in module
        .get("child_modules")
        .and_then(Node::as_array)
        .unwrap_or_default()
    {
        walk_module(child, source, full_addresses, seen, out, shadowed);
    }
}

/// The view of every Terraform plan or state in `files`, by file: built once
/// per run and shared by every extractor that reads plans.
pub fn views_of<'a>(files: &'a [ParsedFile]) -> Vec<(FileId, TerraformView<'a>)> {
    files
        .iter()
        .filter_map(|f| {
            let doc = f.documents().next()?;
            if !matches!(doc.kind, DocKind::TerraformPlan | DocKind::TerraformState) {
                return None;
            }
            Some((f.id, f.terraform_view()?))
        })
        .collect()
}

#[cfg(test)]
mod tests;
