//! A policy that a `data "aws_iam_policy_document"` block wrote: the
//! statement (by `sid`, else by position when every statement is a literal
//! block), then the argument that holds the element (`actions`,
//! `principals { identifiers }`, `condition { values }`), then the item
//! whose value the finding is about. The data source merges and reorders
//! lists, so items are matched by value, never by index alone.

use hcl_edit::Span as _;
use hcl_edit::structure::Block;

use super::walk::{Hit, Scope, Walk};

/// JSON element name -> argument of a `statement` block, for lists.
const LISTS: &[(&str, &str)] = &[
    ("Action", "actions"),
    ("NotAction", "not_actions"),
    ("Resource", "resources"),
    ("NotResource", "not_resources"),
    ("Sid", "sid"),
    ("Effect", "effect"),
];

/// The place in the data block `block` that wrote the token at the
/// finding's policy pointer.
pub(super) fn find<'c>(walk: &mut Walk<'c>, scope: Scope<'c>, block: &'c Block) -> Option<Hit> {
    let pointer = walk.target.policy.clone().unwrap_or_default();
    let whole_block = Hit {
        place: Walk::place(scope, block.span())?,
        exact: pointer.is_empty(),
    };
    let [key, rest @ ..] = pointer.as_slice() else {
        return Some(whole_block);
    };
    if key != "Statement" {
        return Some(Hit {
            exact: false,
            ..whole_block
        });
    }
    let (index, rest) = match rest.split_first() {
        Some((i, tail)) if i.parse::<usize>().is_ok() => (i.parse::<usize>().unwrap_or(0), tail),
        _ => (0, rest),
    };
    let Some(statement) = statement_block(walk, block, index) else {
        return Some(Hit {
            exact: false,
            ..whole_block
        });
    };
    let in_statement = |exact: bool| {
        Some(Hit {
            place: Walk::place(scope, statement.span())?,
            exact,
        })
    };
    let Some((element, rest)) = rest.split_first() else {
        return in_statement(true);
    };
    if let Some((_, arg)) = LISTS.iter().find(|(k, _)| k == element) {
        let Some(attr) = statement.body.get_attribute(arg) else {
            return in_statement(false);
        };
        return list_item(walk, scope, &attr.value, rest, attr.span());
    }
    let (blocks, selector, values) = match element.as_str() {
        "Principal" => ("principals", "type", "identifiers"),
        "NotPrincipal" => ("not_principals", "type", "identifiers"),
        "Condition" => ("condition", "test", "values"),
        _ => return in_statement(false),
    };
    let Some((first, rest)) = rest.split_first() else {
        let b = statement.body.get_blocks(blocks).next();
        return match b {
            Some(b) => Some(Hit {
                place: Walk::place(scope, b.span())?,
                exact: false,
            }),
            None => in_statement(false),
        };
    };
    // A condition is keyed twice (`StringEquals` -> `aws:SourceAccount`).
    let (variable, rest) = match (element.as_str(), rest.split_first()) {
        ("Condition", Some((v, tail))) => (Some(v.as_str()), tail),
        _ => (None, rest),
    };
    let matching: Vec<&Block> = statement
        .body
        .get_blocks(blocks)
        .filter(|b| arg_is(b, selector, first))
        .filter(|b| variable.is_none_or(|v| arg_is(b, "variable", v)))
        .collect();
    for b in &matching {
        if let Some(attr) = b.body.get_attribute(values)
            && let Some(hit) = list_item(walk, scope, &attr.value, rest, attr.span())
            && hit.exact
        {
            return Some(hit);
        }
    }
    match matching.first() {
        Some(b) => Some(Hit {
            place: Walk::place(scope, b.span())?,
            exact: false,
        }),
        None => in_statement(false),
    }
}

/// The statement block of JSON statement `index`: the one whose `sid` is
/// that statement's Sid, else the block at that position when the data
/// source builds every statement from a literal block of its own.
fn statement_block<'c>(walk: &Walk<'c>, block: &'c Block, index: usize) -> Option<&'c Block> {
    let statements = walk
        .target
        .document
        .as_ref()
        .and_then(|d| d.get("Statement"));
    let statement = match statements {
        Some(serde_json::Value::Array(list)) => list.get(index),
        other => other,
    };
    // The data source writes `"Sid": ""` for a statement without one.
    let sid = statement
        .and_then(|s| s.get("Sid"))
        .and_then(|s| s.as_str())
        .filter(|s| !s.is_empty());
    if let Some(sid) = sid {
        return block
            .body
            .get_blocks("statement")
            .find(|b| arg_is(b, "sid", sid));
    }
    let merged = [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ]
    .iter()
    .any(|a| block.body.has_attribute(a))
        || block
            .body
            .get_blocks("dynamic")
            .any(|d| d.labels.first().is_some_and(|l| l.as_str() == "statement"));
    if merged {
        return None;
    }
    block.body.get_blocks("statement").nth(index)
}

/// Whether the argument `name` of `block` is the literal `want`.
fn arg_is(block: &Block, name: &str, want: &str) -> bool {
    block
        .body
        .get_attribute(name)
        .and_then(|a| a.value.as_str())
        .is_some_and(|v| v == want)
}

/// The item of a list argument (`actions = [...]`) that wrote the value: by
/// value, through references. `rest` is what is left of the pointer (an
/// index, or nothing when the policy holds a single string).
fn list_item<'c>(
    walk: &mut Walk<'c>,
    scope: Scope<'c>,
    value: &'c hcl_edit::expr::Expression,
    rest: &[String],
    attr: Option<std::ops::Range<usize>>,
) -> Option<Hit> {
    let whole = Hit {
        place: Walk::place(scope, attr)?,
        exact: walk.target.expected.is_none() && rest.is_empty(),
    };
    if walk.target.expected.is_none() {
        return Some(whole);
    }
    let index = rest.first().cloned().unwrap_or_else(|| "0".to_string());
    let path = if value.is_str() || value.is_template() {
        Vec::new()
    } else {
        vec![index]
    };
    match walk.expr(scope, value, &path, None) {
        Some(hit) if hit.exact => Some(hit),
        _ => Some(whole),
    }
}
