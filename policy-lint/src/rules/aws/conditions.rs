//! Condition blocks as the condition rules read them: every
//! operator/key entry of a policy, and whether a block narrows a grant by a
//! given key (how the security rules, AWS302, AWS303 and AWS305, tell a
//! guarded grant from an open one).

use crate::documents::aws_policy::ConditionEntry;
use crate::json::{Member, Node};

use super::policy::{Policy, Statement};
use super::unknown_condition_operator::split_operator;

/// Every `operator: {key: values}` entry of every statement, with its statement.
pub(crate) fn condition_entries<'a>(
    policy: &Policy<'a>,
) -> impl Iterator<Item = (Statement<'a>, ConditionEntry<'a>)> + 'a {
    policy
        .statements()
        .flat_map(|s| entries(s.get("Condition")).map(move |e| (s, e)))
}

/// Every `operator: {key: values}` member of every statement's `Condition`
/// block, with its statement.
pub(crate) fn condition_operators<'a>(
    policy: &Policy<'a>,
) -> impl Iterator<Item = (Statement<'a>, Member<'a>)> + 'a {
    policy.statements().flat_map(|s| {
        let operators = s.get("Condition").and_then(Node::as_object);
        operators.unwrap_or_default().iter().map(move |m| (s, m))
    })
}

/// Every `operator: {key: values}` entry of one `Condition` block.
fn entries<'a>(condition: Option<Node<'a>>) -> impl Iterator<Item = ConditionEntry<'a>> + 'a {
    let operators = condition.and_then(Node::as_object).unwrap_or_default();
    operators.iter().flat_map(|operator| {
        let keys = operator.value.as_object().unwrap_or_default();
        keys.iter().map(move |key| ConditionEntry { operator, key })
    })
}

/// Whether `condition` tests one of `keys` (case-insensitive) in a way that
/// can only narrow: a positive operator (no `Not`, no `Null`), without
/// `IfExists` or `ForAllValues:` (both pass when the key is absent), and
/// with a value other than wildcards alone.
pub(crate) fn limits_by(condition: Option<Node<'_>>, keys: &[&str]) -> bool {
    narrowing_values(condition, keys).next().is_some()
}

/// The values of the entries of `condition` that narrow by one of `keys`
/// (as [`limits_by`] defines it), each a string or a number; wildcard-only
/// strings are left out, as they narrow nothing.
pub(crate) fn narrowing_values<'a>(
    condition: Option<Node<'a>>,
    keys: &'a [&'a str],
) -> impl Iterator<Item = Node<'a>> + 'a {
    entries(condition)
        .filter(move |e| {
            let (prefix, base, if_exists) = split_operator(e.operator.key);
            let positive = !base.to_ascii_lowercase().contains("not")
                && !if_exists
                && !base.eq_ignore_ascii_case("Null")
                && !prefix.eq_ignore_ascii_case("ForAllValues:");
            positive && keys.iter().any(|k| k.eq_ignore_ascii_case(e.key.key))
        })
        .flat_map(|e| e.values().iter())
        .filter(|v| {
            v.as_number().is_some()
                || v.as_str()
                    .is_some_and(|s| !s.chars().all(|c| c == '*' || c == '?'))
        })
}

#[cfg(test)]
mod tests {
    use super::limits_by;

    fn limits(condition: &str) -> bool {
        let tree = crate::json::parse(condition).expect("json");
        limits_by(Some(tree.root()), &["aws:PrincipalOrgID"])
    }

    #[test]
    fn only_positive_tests_with_real_values_limit() {
        assert!(limits(r#"{"StringEquals": {"aws:principalorgid": "o-1"}}"#));
        assert!(limits(
            r#"{"ForAnyValue:StringLike": {"aws:PrincipalOrgID": ["o-1*"]}}"#
        ));
        assert!(!limits(
            r#"{"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}"#
        ));
        assert!(!limits(
            r#"{"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}}"#
        ));
        assert!(!limits(
            r#"{"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-1"}}"#
        ));
        assert!(!limits(r#"{"StringLike": {"aws:PrincipalOrgID": "*"}}"#));
        assert!(!limits(r#"{"Null": {"aws:PrincipalOrgID": "false"}}"#));
        assert!(!limits(r#"{"StringEquals": {"sts:ExternalId": "x"}}"#));
    }
}
