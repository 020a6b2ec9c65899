//! Typed views of AWS policy documents.
//!
//! The views hold references into the spanned tree and copy nothing, so a
//! rule that reads `statement.actions()` can point at the exact string it
//! came from. They accept every shape AWS accepts
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>):
//! `Statement` is an object or an array, and every list-valued element
//! (Action, Resource, Principal values, condition values) also accepts a
//! bare string. They never fail: a malformed element reads as absent or as
//! the nodes that are there, and the grammar rules report the shape.

use crate::json::{Array, Member, Node};

/// An AWS policy document (identity, trust, resource policy, boundary or SCP).
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    /// The document's root object.
    pub node: Node<'a>,
}

impl<'a> Policy<'a> {
    /// A view of `node`, which should be a policy object.
    pub fn new(node: Node<'a>) -> Self {
        Self { node }
    }

    /// The `Version` string.
    pub fn version(&self) -> Option<&'a str> {
        self.node.get_str("Version")
    }

    /// The `Statement` element (an object or an array).
    pub fn statement_node(&self) -> Option<Node<'a>> {
        self.node.get("Statement")
    }

    /// Every statement object, in order (a bare statement object is a list of one).
    pub fn statements(&self) -> impl Iterator<Item = Statement<'a>> + 'a {
        self.statement_node()
            .map(Node::one_or_many)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(_, n)| n.as_object().is_some())
            .map(|(index, node)| Statement { node, index })
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`
    Allow,
    /// `"Deny"`
    Deny,
}

impl Effect {
    /// The element's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        }
    }
}

/// An element that comes in a positive and a negated form
/// (`Action`/`NotAction`, `Resource`/`NotResource`, `Principal`/`NotPrincipal`).
#[derive(Debug, Clone, Copy)]
pub struct Element<'a> {
    /// The member (key and value).
    pub member: Member<'a>,
    /// Whether it is the `Not...` form.
    pub negated: bool,
}

impl<'a> Element<'a> {
    /// The value node.
    pub fn node(&self) -> Node<'a> {
        self.member.value
    }

    /// The values as a list (a bare string is a list of one).
    pub fn items(&self) -> Array<'a> {
        self.member.value.one_or_many()
    }

    /// The string values with their nodes.
    pub fn strings(&self) -> impl Iterator<Item = (Node<'a>, &'a str)> + 'a {
        self.items().iter().filter_map(|n| Some((n, n.as_str()?)))
    }
}

/// One statement of a policy.
#[derive(Debug, Clone, Copy)]
pub struct Statement<'a> {
    /// The statement object.
    pub node: Node<'a>,
    /// Its position in `Statement` (0 for a bare object).
    pub index: usize,
}

impl<'a> Statement<'a> {
    /// The `Sid`.
    pub fn sid(&self) -> Option<&'a str> {
        self.node.get_str("Sid")
    }

    /// The `Effect` node.
    pub fn effect_node(&self) -> Option<Node<'a>> {
        self.node.get("Effect")
    }

    /// The effect, when it is exactly `Allow` or `Deny` (the value is case-sensitive).
    pub fn effect(&self) -> Option<Effect> {
        match self.node.get_str("Effect")? {
            "Allow" => Some(Effect::Allow),
            "Deny" => Some(Effect::Deny),
            _ => None,
        }
    }

    fn element(&self, positive: &str, negative: &str) -> Option<Element<'a>> {
        if let Some(member) = self.node.member(positive) {
            return Some(Element {
                member,
                negated: false,
            });
        }
        self.node.member(negative).map(|member| Element {
            member,
            negated: true,
        })
    }

    /// `Action` or, failing that, `NotAction`.
    pub fn action(&self) -> Option<Element<'a>> {
        self.element("Action", "NotAction")
    }

    /// `Resource` or, failing that, `NotResource`.
    pub fn resource(&self) -> Option<Element<'a>> {
        self.element("Resource", "NotResource")
    }

    /// `Principal` or, failing that, `NotPrincipal`.
    pub fn principal(&self) -> Option<PrincipalElement<'a>> {
        self.element("Principal", "NotPrincipal")
            .map(|element| PrincipalElement { element })
    }

    /// The `Condition` block.
    pub fn condition(&self) -> Option<Condition<'a>> {
        self.node.get("Condition").map(|node| Condition { node })
    }

    /// A short name for messages: [`statement_label`].
    pub fn label(&self) -> String {
        statement_label(self.index, self.sid())
    }
}

/// How every message names a statement: its 0-based index in `Statement`
/// (the index of its JSON Pointer, `/Statement/2`), with its `Sid` when it
/// has one: `statement 2 (`AllowLogs`)`.
pub fn statement_label(index: usize, sid: Option<&str>) -> String {
    match sid.filter(|s| !s.is_empty()) {
        Some(sid) => format!("statement {index} (`{sid}`)"),
        None => format!("statement {index}"),
    }
}

/// `Principal` / `NotPrincipal`: `"*"` or a map of principal types
/// (`AWS`, `Service`, `Federated`, `CanonicalUser`) to one value or a list.
#[derive(Debug, Clone, Copy)]
pub struct PrincipalElement<'a> {
    /// The element.
    pub element: Element<'a>,
}

impl<'a> PrincipalElement<'a> {
    /// Whether it is the `NotPrincipal` form.
    pub fn negated(&self) -> bool {
        self.element.negated
    }

    /// The value node.
    pub fn node(&self) -> Node<'a> {
        self.element.node()
    }

    /// Whether the value is the string `"*"` (everyone).
    pub fn is_wildcard(&self) -> bool {
        self.node().as_str() == Some("*")
    }

    /// The values under principal type `kind` (`Service`, `AWS`, ...),
    /// matched case-sensitively as IAM does.
    pub fn values(&self, kind: &str) -> Array<'a> {
        self.node()
            .get(kind)
            .map(Node::one_or_many)
            .unwrap_or_default()
    }

    /// The `Service` principal strings with their nodes.
    pub fn services(&self) -> impl Iterator<Item = (Node<'a>, &'a str)> + 'a {
        self.values("Service")
            .iter()
            .filter_map(|n| Some((n, n.as_str()?)))
    }

    /// Whether the `AWS` values include `"*"` (everyone).
    pub fn aws_wildcard(&self) -> bool {
        self.values("AWS").iter().any(|n| n.as_str() == Some("*"))
    }
}

/// A `Condition` block: `{operator: {key: value | [values]}}`.
#[derive(Debug, Clone, Copy)]
pub struct Condition<'a> {
    /// The block.
    pub node: Node<'a>,
}

/// One `operator: {key: values}` entry of a condition block.
#[derive(Debug, Clone, Copy)]
pub struct ConditionEntry<'a> {
    /// The operator member (`StringEquals`, `ForAnyValue:StringLike`, ...).
    pub operator: Member<'a>,
    /// The key member (`aws:SourceAccount`).
    pub key: Member<'a>,
}

impl<'a> ConditionEntry<'a> {
    /// The values (a bare value is a list of one).
    pub fn values(&self) -> Array<'a> {
        self.key.value.one_or_many()
    }
}

impl<'a> Condition<'a> {
    /// Every operator/key pair.
    pub fn entries(&self) -> impl Iterator<Item = ConditionEntry<'a>> + 'a {
        self.node
            .as_object()
            .unwrap_or_default()
            .iter()
            .flat_map(|operator| {
                operator
                    .value
                    .as_object()
                    .unwrap_or_default()
                    .iter()
                    .map(move |key| ConditionEntry { operator, key })
            })
    }

    /// Whether some entry tests `key` (condition keys are case-insensitive).
    pub fn has_key(&self, key: &str) -> bool {
        self.entries().any(|e| e.key.key.eq_ignore_ascii_case(key))
    }

    /// Whether the block is empty (`{}` imposes nothing).
    pub fn is_empty(&self) -> bool {
        self.entries().next().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn statement_object_or_array_and_bare_strings() {
        let one =
            parse(r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}"#)
                .expect("json");
        let p = Policy::new(one.root());
        let s: Vec<_> = p.statements().collect();
        assert_eq!(s.len(), 1);
        let action = s[0].action().expect("action");
        assert!(!action.negated);
        assert_eq!(
            action.strings().map(|(_, a)| a).collect::<Vec<_>>(),
            ["logs:*"]
        );
        assert_eq!(s[0].effect(), Some(Effect::Allow));

        let many = parse(
            r#"{"Statement": [{"Effect": "Deny", "NotAction": ["a:b", "c:d"], "NotResource": "x"}, 3]}"#,
        )
        .expect("json");
        let s: Vec<_> = Policy::new(many.root()).statements().collect();
        assert_eq!(s.len(), 1);
        let action = s[0].action().expect("action");
        assert!(action.negated);
        assert_eq!(action.items().len(), 2);
        assert!(s[0].resource().expect("resource").negated);
        assert_eq!(s[0].effect(), Some(Effect::Deny));
    }

    #[test]
    fn principals_and_conditions() {
        let doc = parse(
            r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com", "AWS": ["*"]},
                "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "1"}}},
               {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}"#,
        )
        .expect("json");
        let s: Vec<_> = Policy::new(doc.root()).statements().collect();
        let p = s[0].principal().expect("principal");
        assert_eq!(
            p.services().map(|(_, s)| s).collect::<Vec<_>>(),
            ["vpc-flow-logs.amazonaws.com"]
        );
        assert!(p.aws_wildcard());
        assert!(
            s[0].condition()
                .expect("condition")
                .has_key("AWS:SourceAccount")
        );
        assert!(s[1].principal().expect("principal").is_wildcard());
    }
}
