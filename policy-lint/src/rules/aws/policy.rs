//! A typed view of an AWS policy document for the grammar rules: the
//! statements, the string-or-list elements, and how to name things in
//! messages.

use crate::documents::{DocKind, Document, PolicyType};
use crate::json::{Array, Node};

/// The top-level elements of a policy.
pub const TOP_LEVEL: &[&str] = &["Version", "Id", "Statement"];

/// The elements of a statement.
pub const STATEMENT: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// An AWS policy document: its type and its root object.
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    /// The document (file, name, location helpers).
    pub doc: &'a Document<'a>,
    /// Identity, trust or resource.
    pub ty: PolicyType,
    /// The policy object.
    pub node: Node<'a>,
}

impl<'a> Policy<'a> {
    /// The policy view of `doc`, when it is an AWS policy whose root is an object.
    pub fn of(doc: &'a Document<'a>) -> Option<Self> {
        let DocKind::AwsPolicy(ty) = doc.kind else {
            return None;
        };
        doc.node.as_object()?;
        Some(Self {
            doc,
            ty,
            node: doc.node,
        })
    }

    /// The statements that are objects, with their index (0 for a lone
    /// statement object), in order.
    pub fn statements(&self) -> impl Iterator<Item = Statement<'a>> + 'a {
        let list: Array<'a> = match self.node.get("Statement") {
            Some(s) if s.is_object() => s.one_or_many(),
            Some(s) => s.as_array().unwrap_or_default(),
            None => Array::default(),
        };
        list.iter()
            .enumerate()
            .filter(|(_, n)| n.as_object().is_some())
            .map(|(index, node)| Statement { node, index })
    }

    /// "trust policy", plus ` of `name`` when the container names it.
    pub fn describe(&self) -> String {
        match self.doc.name() {
            Some(name) => format!("{} policy `{name}`", self.ty.as_str()),
            None => format!("{} policy", self.ty.as_str()),
        }
    }

    /// A suffix naming the document for messages: ` in trust policy `x``,
    /// or nothing for an unnamed top-level document.
    pub fn in_name(&self) -> String {
        match self.doc.name() {
            Some(name) => format!(" in {} policy `{name}`", self.ty.as_str()),
            None => String::new(),
        }
    }
}

/// One statement object.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    /// The statement object.
    pub node: Node<'a>,
    /// Its index in the `Statement` array.
    pub index: usize,
}

impl<'a> Statement<'a> {
    /// `statement `Sid`` or `statement 2`, for messages.
    pub fn describe(&self) -> String {
        match self.node.get_str("Sid").filter(|s| !s.is_empty()) {
            Some(sid) => format!("statement `{sid}`"),
            None => format!("statement {}", self.index),
        }
    }

    /// The value of element `key` (last duplicate wins).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.node.get(key)
    }

    /// The string entries of a string-or-list element, with their nodes.
    pub fn strings(&self, key: &str) -> impl Iterator<Item = (Node<'a>, &'a str)> + use<'a> {
        strings(self.node.get(key))
    }
}

/// The string entries of a string-or-list value.
pub fn strings(node: Option<Node<'_>>) -> impl Iterator<Item = (Node<'_>, &str)> + use<'_> {
    node.map(Node::one_or_many)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(|s| (n, s)))
}

/// Of `candidates`, the one equal to `word` ignoring case, else the one
/// within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    if let Some(c) = candidates.iter().find(|c| c.eq_ignore_ascii_case(word)) {
        return Some(c);
    }
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| {
            (
                *c,
                crate::aws_action::glob_distance(&lower, &c.to_ascii_lowercase()),
            )
        })
        .filter(|(c, d)| *d <= 2 && *d < c.len() / 2 + 1)
        .min_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

/// A well-formed action pattern of a statement, split for the data-backed
/// rules: `*` alone and malformed actions (AWS112) are left out.
#[derive(Debug, Clone, Copy)]
pub struct ActionRef<'a> {
    /// The string node.
    pub node: Node<'a>,
    /// `s3:GetObject`.
    pub action: &'a str,
    /// `s3`, as written.
    pub prefix: &'a str,
    /// `GetObject`, as written.
    pub name: &'a str,
    /// `Action` or `NotAction`.
    pub element: &'static str,
    /// What the action list says of it.
    pub facts: crate::aws_action::ActionFacts,
}

/// Every well-formed `service:name` entry of `Action` and `NotAction`.
pub fn actions<'a>(s: &Statement<'a>) -> impl Iterator<Item = ActionRef<'a>> + 'a {
    let s = *s;
    ["Action", "NotAction"]
        .into_iter()
        .flat_map(move |element| {
            let node: Node<'a> = s.node;
            strings(node.get(element)).filter_map(move |(node, action)| {
                if action == "*" {
                    return None;
                }
                let facts = crate::aws_action::facts(action);
                if facts.format_error.is_some() {
                    return None;
                }
                let (prefix, name) = crate::aws_action::split_action(action)?;
                Some(ActionRef {
                    node,
                    action,
                    prefix,
                    name,
                    element,
                    facts,
                })
            })
        })
}

/// Whether `prefix.amazonaws.com` is a known service principal, a sign that
/// a prefix missing from the action list is a real, newer service.
pub fn has_service_principal(prefix: &str) -> bool {
    use crate::hash::HashSet;
    use std::sync::LazyLock;
    static PRINCIPALS: LazyLock<HashSet<String>> = LazyLock::new(|| {
        serde_json::from_str::<serde_json::Value>(include_str!(
            "../../../../rules/aws-service-principals.json"
        ))
        .ok()
        .and_then(|v| {
            v.get("principals")
                .and_then(serde_json::Value::as_object)
                .map(|m| m.keys().map(|k| k.to_ascii_lowercase()).collect())
        })
        .unwrap_or_default()
    });
    PRINCIPALS.contains(&format!("{}.amazonaws.com", prefix.to_ascii_lowercase()))
}

/// The JSON type of `node` with its article: `an array`, `a number`.
pub fn a_type(node: Node<'_>) -> &'static str {
    match node.type_name() {
        "array" => "an array",
        "object" => "an object",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "a boolean",
        _ => "null",
    }
}
