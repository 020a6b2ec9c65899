//! A typed view of an AWS policy document for the grammar rules: the
//! statements, the string-or-list elements, and how to name things in
//! messages.

use crate::aws_action::has_wildcard;
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

    /// The document as a policy of type `ty` only.
    pub fn of_type(doc: &'a Document<'a>, ty: PolicyType) -> Option<Self> {
        Self::of(doc).filter(|p| p.ty == ty)
    }

    /// The document as a policy that names principals (trust or resource).
    pub fn with_principals(doc: &'a Document<'a>) -> Option<Self> {
        Self::of(doc).filter(|p| !p.ty.takes_no_principal())
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
    /// `statement 2 (`Sid`)` or `statement 2`, for messages
    /// ([`statement_label`](crate::documents::aws_policy::statement_label)).
    pub fn describe(&self) -> String {
        crate::documents::aws_policy::statement_label(self.index, self.node.get_str("Sid"))
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

/// One string of a statement's `Action` or `NotAction`, with what the
/// action list says of it.
#[derive(Debug, Clone, Copy)]
pub struct ActionString<'a> {
    /// The statement.
    pub statement: Statement<'a>,
    /// The string node.
    pub node: Node<'a>,
    /// `s3:GetObject`, as written.
    pub action: &'a str,
    /// `Action` or `NotAction`.
    pub element: &'static str,
    /// What the action list says of it.
    pub facts: crate::aws_action::ActionFacts,
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
    /// Whether the prefix holds `*` or `?`.
    pub wild_prefix: bool,
    /// Whether the name holds `*` or `?`.
    pub wild_name: bool,
}

/// The action strings of the document being checked, found by the first
/// rule that asks and read by the others: four rules read every action of
/// every policy, and looking each up in the action list was a third of
/// the instructions of linting the AWS managed policies.
#[derive(Debug, Default)]
pub(crate) struct ActionsMemo {
    /// The file and document index the list belongs to.
    doc: Option<(crate::source::FileId, usize)>,
    list: std::rc::Rc<Vec<Slot>>,
}

/// An action string by position in its tree.
#[derive(Debug, Clone, Copy)]
struct Slot {
    statement: u32,
    index: u32,
    node: u32,
    not: bool,
    /// Where `service:name` splits, for a well-formed action.
    colon: Option<u32>,
    wild_prefix: bool,
    wild_name: bool,
    facts: crate::aws_action::ActionFacts,
}

impl Slot {
    /// The string `action` at `node` of `element` in statement `s`.
    fn new(s: &Statement<'_>, element: &str, node: Node<'_>, action: &str) -> Self {
        let facts = crate::aws_action::facts(action);
        let well_formed = action != "*" && facts.format_error.is_none();
        let split = crate::aws_action::split_action(action).filter(|_| well_formed);
        Slot {
            statement: s.node.index(),
            index: s.index as u32,
            node: node.index(),
            not: element == "NotAction",
            colon: split.map(|(prefix, _)| prefix.len() as u32),
            wild_prefix: split.is_some_and(|(prefix, _)| has_wildcard(prefix)),
            wild_name: split.is_some_and(|(_, name)| has_wildcard(name)),
            facts,
        }
    }
}

impl<'a> Policy<'a> {
    /// Every string of `Action` and `NotAction`, statement by statement.
    pub fn action_strings(
        &self,
        cx: &mut crate::registry::Context<'_>,
    ) -> impl Iterator<Item = ActionString<'a>> + 'a {
        self.slots(self.memo(cx)).map(|(_, a)| a)
    }

    /// Every well-formed `service:name` entry of `Action` and `NotAction`.
    pub fn actions(
        &self,
        cx: &mut crate::registry::Context<'_>,
    ) -> impl Iterator<Item = ActionRef<'a>> + 'a {
        self.slots(self.memo(cx)).filter_map(|(slot, a)| {
            let colon = slot.colon? as usize;
            let (prefix, name) = (a.action.get(..colon)?, a.action.get(colon + 1..)?);
            Some(ActionRef {
                node: a.node,
                action: a.action,
                prefix,
                name,
                element: a.element,
                facts: a.facts,
                wild_prefix: slot.wild_prefix,
                wild_name: slot.wild_name,
            })
        })
    }

    /// The action strings of this policy, from the memo or found now.
    fn memo(&self, cx: &mut crate::registry::Context<'_>) -> std::rc::Rc<Vec<Slot>> {
        let key = (self.doc.file.id, self.doc.index);
        let memo = &mut cx.actions;
        if memo.doc != Some(key) {
            let list: Vec<Slot> = self
                .statements()
                .flat_map(|s| {
                    ["Action", "NotAction"]
                        .into_iter()
                        .flat_map(move |element| {
                            strings(s.get(element))
                                .map(move |(node, action)| Slot::new(&s, element, node, action))
                        })
                })
                .collect();
            *memo = ActionsMemo {
                doc: Some(key),
                list: std::rc::Rc::new(list),
            };
        }
        std::rc::Rc::clone(&memo.list)
    }

    fn slots(
        &self,
        list: std::rc::Rc<Vec<Slot>>,
    ) -> impl Iterator<Item = (Slot, ActionString<'a>)> + 'a {
        let tree = self.node.tree();
        (0..list.len()).filter_map(move |i| {
            let slot = *list.get(i)?;
            let node = tree.node(slot.node);
            let string = ActionString {
                statement: Statement {
                    node: tree.node(slot.statement),
                    index: slot.index as usize,
                },
                node,
                action: node.as_str()?,
                element: if slot.not { "NotAction" } else { "Action" },
                facts: slot.facts,
            };
            Some((slot, string))
        })
    }
}

/// Whether `prefix.amazonaws.com` is a known service principal, a sign that
/// a prefix missing from the action list is a real, newer service.
pub fn has_service_principal(prefix: &str) -> bool {
    use crate::hash::HashSet;
    use std::sync::LazyLock;
    static PRINCIPALS: LazyLock<HashSet<String>> = LazyLock::new(|| {
        serde_json::from_str::<serde_json::Value>(include_str!(
            "../../../rules/aws-service-principals.json"
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
