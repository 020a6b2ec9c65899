//! The resource a span of a plan or state belongs to, so that every finding
//! in a plan names its Terraform address (and its module's `source`)
//! whichever rule found it, for outputs that group and suppress by resource.

use crate::diagnostic::TerraformResource;
use crate::json::{Child, Node};
use crate::source::Span;

use super::address::{Address, config_address, full_address};

/// One step of the walk from the root to a span: the member's key (`None`
/// for an array element) and the value.
type Step<'t> = (Option<&'t str>, Node<'t>);

/// The resource whose entry holds `span` in the plan or state `root`:
/// a `resource_changes` or `resource_drift` element, a resource object of
/// `planned_values`, `prior_state` or `values` (child modules included; the
/// module-relative addresses of Terraform 0.12 made full), or a resource
/// block of `configuration` (its configuration address). `None` for a span
/// outside every resource.
pub fn resource_at(root: Node<'_>, span: Span) -> Option<TerraformResource> {
    let path = path_to(root, span);
    let keys: Vec<Option<&str>> = path.iter().map(|(k, _)| *k).collect();
    let (address, config_source) = match keys.as_slice() {
        [Some("resource_changes" | "resource_drift"), None, ..] => {
            (path.get(1)?.1.get_str("address")?.to_string(), None)
        }
        [Some("planned_values" | "values"), Some("root_module"), ..] => {
            (in_module(path.get(2..)?, None)?, None)
        }
        [Some("prior_state"), Some("values"), Some("root_module"), ..] => {
            (in_module(path.get(3..)?, None)?, None)
        }
        [Some("configuration"), Some("root_module"), ..] => in_configuration(path.get(2..)?)?,
        _ => return None,
    };
    let module_source = config_source.or_else(|| {
        let parsed = Address::parse(&address)?;
        module_source(root, &parsed.module_names())
    });
    Some(TerraformResource {
        address,
        module_source,
    })
}

/// The steps from `root` to the innermost value holding `span`.
fn path_to(root: Node<'_>, span: Span) -> Vec<Step<'_>> {
    let mut path = Vec::new();
    let mut node = root;
    // The resource is at most a few levels per module deep; what lies below
    // it does not matter, and the tree's depth is bounded anyway.
    while path.len() < 256 {
        let Some(child) = node.child_containing(span) else {
            break;
        };
        let step = match child {
            Child::Member(m) => (Some(m.key), m.value),
            Child::Element(_, n) => (None, n),
        };
        node = step.1;
        path.push(step);
    }
    path
}

/// The full address of the resource under `path`, which starts inside a
/// `{resources, child_modules}` module object whose `address` is `module`.
fn in_module(path: &[Step<'_>], module: Option<&str>) -> Option<String> {
    match path {
        [(Some("resources"), _), (None, r), ..] => {
            Some(full_address(module, r.get_str("address")?, r.get("index")).into_owned())
        }
        [(Some("child_modules"), _), (None, child), rest @ ..] => {
            in_module(rest, child.get_str("address").or(module))
        }
        _ => None,
    }
}

/// The configuration address of the resource block under `path` (inside
/// `configuration.root_module`) and the `source` of the module call that
/// declares it.
fn in_configuration(path: &[Step<'_>]) -> Option<(String, Option<String>)> {
    let mut names: Vec<&str> = Vec::new();
    let mut source = None;
    let mut rest = path;
    loop {
        match rest {
            [(Some("resources"), _), (None, r), ..] => {
                let local = r.get_str("address")?;
                return Some((config_address(&names, local), source));
            }
            [
                (Some("module_calls"), _),
                (Some(name), call),
                (Some("module"), _),
                tail @ ..,
            ] => {
                names.push(name);
                source = call.get_str("source").map(str::to_string);
                rest = tail;
            }
            _ => return None,
        }
    }
}

/// The `source` of the module call at `names` (`["net", "inner"]`) in the
/// plan's configuration.
fn module_source(root: Node<'_>, names: &[&str]) -> Option<String> {
    let mut module = root.get("configuration")?.get("root_module")?;
    let mut source = None;
    for name in names {
        let call = module.get("module_calls")?.get(name)?;
        source = call.get_str("source");
        module = call.get("module")?;
    }
    source.map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{"format_version": "0.1",
 "resource_changes": [{"address": "module.db.aws_iam_role.r[0]", "change": {"after": {"name": "n"}}}],
 "prior_state": {"values": {"root_module": {"child_modules": [{"address": "module.db",
   "resources": [{"address": "aws_iam_role.r", "index": 0, "values": {"name": "old"}}]}]}}},
 "configuration": {"root_module": {"module_calls": {"db": {"source": "terraform-aws-modules/rds/aws",
   "module": {"resources": [{"address": "aws_iam_role.r", "expressions": {"name": {"constant_value": "c"}}}]}}}}}}"#;

    fn at(needle: &str) -> Option<TerraformResource> {
        let tree = crate::json::parse(PLAN).expect("json");
        let start = u32::try_from(PLAN.find(needle).expect("needle")).expect("small");
        let span = Span::new(start, start + u32::try_from(needle.len()).expect("small"));
        resource_at(tree.root(), span)
    }

    #[test]
    fn every_copy_of_a_resource_names_its_full_address_and_module_source() {
        let rds = Some("terraform-aws-modules/rds/aws".to_string());
        let full = TerraformResource {
            address: "module.db.aws_iam_role.r[0]".into(),
            module_source: rds.clone(),
        };
        assert_eq!(at(r#""n""#), Some(full.clone()));
        assert_eq!(at(r#""old""#), Some(full));
        assert_eq!(
            at(r#""c""#),
            Some(TerraformResource {
                address: "module.db.aws_iam_role.r".into(),
                module_source: rds,
            })
        );
        assert_eq!(at(r#""0.1""#), None);
    }
}
