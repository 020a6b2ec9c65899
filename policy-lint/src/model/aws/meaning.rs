//! Policy documents compared by meaning: two inputs that write the same
//! policy with other formatting, key order, `Sid`s, a bare string for a
//! one-element list, or actions in another order or case define the same
//! thing.

use crate::json::{Node, Value};

/// Whether the policy documents `a` and `b` mean the same.
pub fn same_policy(a: Node<'_>, b: Node<'_>) -> bool {
    a.span() == b.span() && std::ptr::eq(a.tree(), b.tree()) || canonical(a) == canonical(b)
}

/// The policy document `policy` written in one form per meaning.
pub fn canonical(policy: Node<'_>) -> String {
    // `Id` names the policy; it grants nothing.
    members(policy, "Id", |key, value| {
        if key == "Statement" {
            let mut statements: Vec<String> = value.one_or_many().iter().map(statement).collect();
            statements.sort_unstable();
            format!("[{}]", statements.join(","))
        } else {
            generic(value)
        }
    })
}

/// One statement: `Sid` left out, list-valued elements as sets.
fn statement(node: Node<'_>) -> String {
    members(node, "Sid", |key, value| match key {
        // Action names are case-insensitive.
        "Action" | "NotAction" => set(value, |s| s.to_ascii_lowercase()),
        "Resource" | "NotResource" => set(value, str::to_string),
        "Principal" | "NotPrincipal" => keyed_sets(value, false),
        "Condition" => match value.as_object() {
            Some(ops) => {
                let mut ops: Vec<String> = ops
                    .iter()
                    // Condition keys are case-insensitive.
                    .map(|op| format!("{:?}:{}", op.key, keyed_sets(op.value, true)))
                    .collect();
                ops.sort_unstable();
                format!("{{{}}}", ops.join(","))
            }
            None => generic(value),
        },
        _ => generic(value),
    })
}

/// An object's members but `skip`, each value written by `value`, sorted.
fn members(node: Node<'_>, skip: &str, value: impl Fn(&str, Node<'_>) -> String) -> String {
    let Some(object) = node.as_object() else {
        return generic(node);
    };
    let mut parts: Vec<String> = object
        .iter()
        .filter(|m| m.key != skip)
        .map(|m| format!("{:?}:{}", m.key, value(m.key, m.value)))
        .collect();
    parts.sort_unstable();
    format!("{{{}}}", parts.join(","))
}

/// An object of string-or-list values (a principal, a condition block), each
/// value as a set; a string (`"*"`) as itself.
fn keyed_sets(node: Node<'_>, fold_keys: bool) -> String {
    let Some(members) = node.as_object() else {
        return generic(node);
    };
    let mut parts: Vec<String> = members
        .iter()
        .map(|m| {
            let key = if fold_keys {
                m.key.to_ascii_lowercase()
            } else {
                m.key.to_string()
            };
            format!("{key:?}:{}", set(m.value, str::to_string))
        })
        .collect();
    parts.sort_unstable();
    format!("{{{}}}", parts.join(","))
}

/// A string or a list of values, as a sorted set; strings through `text`.
fn set(node: Node<'_>, text: impl Fn(&str) -> String) -> String {
    let mut items: Vec<String> = node
        .one_or_many()
        .iter()
        .map(|n| match n.as_str() {
            Some(s) => format!("{:?}", text(s)),
            None => generic(n),
        })
        .collect();
    items.sort_unstable();
    items.dedup();
    format!("[{}]", items.join(","))
}

/// Any value: objects with their members sorted, arrays in order.
fn generic(node: Node<'_>) -> String {
    match node.value() {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(generic).collect();
            format!("[{}]", items.join(","))
        }
        Value::Object(o) => {
            let mut parts: Vec<String> = o
                .iter()
                .map(|m| format!("{:?}:{}", m.key, generic(m.value)))
                .collect();
            parts.sort_unstable();
            format!("{{{}}}", parts.join(","))
        }
    }
}
