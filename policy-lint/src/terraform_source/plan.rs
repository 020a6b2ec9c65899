//! What the plan says about a finding: the resource (from its place in the
//! plan, never from the message), the attribute path inside it, the pointer
//! inside an embedded policy, and the value the finding is about. Also
//! where each module's `.tf` files live.

use crate::documents::terraform::Address;
use crate::json::{Node, Tree};

use super::template::follow;

/// A plan finding, told as the configuration sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Target {
    /// The resource instance address the plan gives
    /// (`module.net["a"].aws_iam_role.this[0]`).
    pub address: String,
    /// Module names from the root, instance keys dropped.
    pub module: Vec<String>,
    /// `data` block rather than `resource`.
    pub data: bool,
    /// Resource type.
    pub resource_type: String,
    /// Resource name.
    pub name: String,
    /// Attribute path inside the resource (`service_account`, `0`, `scopes`, `1`).
    pub path: Vec<String>,
    /// The pointer inside the policy the attribute holds as a JSON string.
    pub policy: Option<Vec<String>>,
    /// That policy, decoded.
    pub document: Option<serde_json::Value>,
    /// The string the finding is about, when it is one.
    pub expected: Option<String>,
}

/// Splits a JSON Pointer into unescaped segments.
pub(super) fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Whether `pointer` (a finding's JSON Pointer) lies in a resource of a
/// Terraform plan or state, so that mapping it is worth a look.
pub fn is_resource_pointer(pointer: &str) -> bool {
    [
        "/resource_changes/",
        "/planned_values/",
        "/prior_state/",
        "/values/root_module/",
        "/configuration/",
    ]
    .iter()
    .any(|p| pointer.starts_with(p))
}

/// The target of the finding at `pointer` in the plan `tree`.
pub(super) fn target(tree: &Tree, pointer: &str) -> Option<Target> {
    let (outer, inner) = match pointer.split_once('#') {
        Some((o, i)) => (o, Some(i)),
        None => (pointer, None),
    };
    let segs = segments(outer);
    let in_config = segs.first().is_some_and(|s| s == "configuration");
    let mut node = tree.root();
    let mut modules: Vec<String> = Vec::new();
    let mut resource: Option<(Node<'_>, usize, Vec<String>)> = None;
    for (i, seg) in segs.iter().enumerate() {
        let (next, complete) = follow(node, std::slice::from_ref(seg));
        if !complete {
            return None;
        }
        node = next;
        let prev = |k: usize| {
            i.checked_sub(k)
                .and_then(|j| segs.get(j))
                .map(String::as_str)
        };
        if in_config && seg == "module" && prev(2) == Some("module_calls") {
            modules.extend(prev(1).map(str::to_string));
        }
        if matches!(prev(1), Some("resources" | "resource_changes")) && seg.parse::<usize>().is_ok()
        {
            resource = Some((node, i + 1, modules.clone()));
        }
    }
    let (res, after, config_modules) = resource?;
    let rest = segs.get(after..).unwrap_or_default();
    let path: Vec<String> = match rest {
        [c, when, tail @ ..] if c == "change" && matches!(when.as_str(), "after" | "before") => {
            tail.to_vec()
        }
        [v, tail @ ..] if v == "values" && !in_config => tail.to_vec(),
        [e, tail @ ..] if e == "expressions" && in_config => tail
            .iter()
            .filter(|s| *s != "constant_value")
            .cloned()
            .collect(),
        _ => return None,
    };
    let written = res.get_str("address")?;
    let parsed = Address::parse(written)?;
    let module = if in_config {
        config_modules
    } else {
        parsed
            .module_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    };
    let address = if in_config {
        let mut a: String = module.iter().map(|m| format!("module.{m}.")).collect();
        a.push_str(written);
        a
    } else {
        written.to_string()
    };
    let (policy, document, expected) = match inner {
        Some(inner) => {
            let document: Option<serde_json::Value> =
                node.as_str().and_then(|s| serde_json::from_str(s).ok());
            let expected = document
                .as_ref()
                .and_then(|d| d.pointer(inner))
                .and_then(|v| v.as_str())
                .map(str::to_string);
            (Some(segments(inner)), document, expected)
        }
        None => (None, None, node.as_str().map(str::to_string)),
    };
    Some(Target {
        address,
        module,
        data: parsed.data,
        resource_type: parsed.resource_type.to_string(),
        name: parsed.name.to_string(),
        path,
        policy,
        document,
        expected,
    })
}

/// Where a module's `.tf` files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleDir {
    /// Module names from the root (`["net", "subnets"]`).
    pub module: Vec<String>,
    /// The directory, relative to the root module's directory, `/`-separated
    /// and without `.` steps (`modules/net`, `../shared/iam`).
    pub dir: String,
}

/// The directories of the plan's modules: `.terraform/modules/modules.json`
/// (the text of that file, when the caller found one) for every module it
/// lists, including registry and git modules; otherwise local sources
/// (`./`, `../`) from `configuration.module_calls`, nested at any depth.
pub(super) fn module_dirs(tree: &Tree, modules_json: Option<&str>) -> Vec<ModuleDir> {
    let mut out: Vec<ModuleDir> = Vec::new();
    if let Some(listed) =
        modules_json.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
    {
        for m in listed
            .get("Modules")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
        {
            let (Some(key), Some(dir)) = (
                m.get("Key").and_then(|k| k.as_str()),
                m.get("Dir").and_then(|d| d.as_str()),
            ) else {
                continue;
            };
            if key.is_empty() {
                continue;
            }
            out.push(ModuleDir {
                module: key.split('.').map(str::to_string).collect(),
                dir: normalize(dir),
            });
        }
    }
    if let Some(root) = tree
        .root()
        .get("configuration")
        .and_then(|c| c.get("root_module"))
    {
        local_calls(root, &mut Vec::new(), "", &mut out, 0);
    }
    out
}

/// Module nesting this deep is not real configuration; stop there.
const MAX_MODULE_DEPTH: usize = 32;

fn local_calls(
    module: Node<'_>,
    key: &mut Vec<String>,
    dir: &str,
    out: &mut Vec<ModuleDir>,
    depth: usize,
) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    let Some(calls) = module.get("module_calls").and_then(|c| c.as_object()) else {
        return;
    };
    for call in calls.iter() {
        key.push(call.key.to_string());
        let listed = out.iter().find(|m| m.module == *key).map(|m| m.dir.clone());
        let child_dir = listed.or_else(|| {
            let source = call.value.get_str("source")?;
            (source.starts_with("./") || source.starts_with("../")).then(|| {
                normalize(&if dir.is_empty() {
                    source.to_string()
                } else {
                    format!("{dir}/{source}")
                })
            })
        });
        if let Some(child_dir) = child_dir {
            if !out.iter().any(|m| m.module == *key) {
                out.push(ModuleDir {
                    module: key.clone(),
                    dir: child_dir.clone(),
                });
            }
            if let Some(child) = call.value.get("module") {
                local_calls(child, key, &child_dir, out, depth + 1);
            }
        }
        key.pop();
    }
}

/// `a/./b/../c` -> `a/c`, lexically; `..` above the start is kept.
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}
