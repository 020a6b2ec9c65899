use super::*;
use crate::documents::aws_policy::Condition;
use crate::json::parse;

/// Evaluates the condition block `json` (variables on) against `ctx`.
fn eval(json: &str, ctx: &RequestContext) -> (Tri, Option<String>) {
    let tree = parse(json).expect("json");
    let (t, k) = condition_applies(Condition { node: tree.root() }, ctx, true);
    (t, k.map(str::to_string))
}

fn tri(json: &str, ctx: &RequestContext) -> Tri {
    eval(json, ctx).0
}

fn ctx(pairs: &[(&str, &str)]) -> RequestContext {
    pairs.iter().fold(RequestContext::closed(), |c, (k, v)| {
        c.with(k, KeyValue::known(*v))
    })
}

#[test]
fn string_operators_and_case() {
    let c = ctx(&[("aws:RequestedRegion", "us-east-1")]);
    assert_eq!(
        tri(
            r#"{"StringEquals": {"aws:requestedregion": "us-east-1"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"StringEquals": {"aws:RequestedRegion": "US-EAST-1"}}"#,
            &c
        ),
        Tri::No
    );
    assert_eq!(
        tri(
            r#"{"StringEqualsIgnoreCase": {"aws:RequestedRegion": "US-EAST-1"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"StringLike": {"aws:RequestedRegion": "us-*"}}"#, &c),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"StringLike": {"aws:RequestedRegion": "us-east-?"}}"#,
            &c
        ),
        Tri::Yes
    );
    // Negated: holds when no value matches.
    assert_eq!(
        tri(
            r#"{"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}"#,
            &c
        ),
        Tri::No
    );
    assert_eq!(
        tri(r#"{"StringNotLike": {"aws:RequestedRegion": "eu-*"}}"#, &c),
        Tri::Yes
    );
}

// "If the key that you specify in a policy condition is not present in the
// request context, the values do not match and the condition is false. If
// the policy condition requires that the key is not matched, such as
// StringNotLike or ArnNotLike, and the right key is not present, the
// condition can return true":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
#[test]
fn absent_keys_null_and_if_exists() {
    let c = RequestContext::closed();
    assert_eq!(
        tri(r#"{"StringEquals": {"aws:SourceVpc": "vpc-1"}}"#, &c),
        Tri::No
    );
    assert_eq!(
        tri(r#"{"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}"#, &c),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(tri(r#"{"Null": {"aws:SourceVpc": "true"}}"#, &c), Tri::Yes);
    assert_eq!(tri(r#"{"Null": {"aws:SourceVpc": "false"}}"#, &c), Tri::No);
    let present = RequestContext::closed().with("aws:SourceVpc", KeyValue::Present);
    assert_eq!(
        tri(r#"{"Null": {"aws:SourceVpc": false}}"#, &present),
        Tri::Yes
    );
    assert_eq!(
        eval(r#"{"StringEquals": {"aws:SourceVpc": "vpc-1"}}"#, &present),
        (Tri::Maybe, Some("aws:SourceVpc".into()))
    );
    let open = RequestContext::open();
    assert_eq!(
        eval(
            r#"{"Bool": {"aws:SecureTransport": "true"}, "Null": {"aws:TokenIssueTime": "false"}}"#,
            &open
        ),
        (Tri::Maybe, Some("aws:SecureTransport".into()))
    );
    // IfExists on a present key compares as usual.
    let c = ctx(&[("aws:SourceVpc", "vpc-2")]);
    assert_eq!(
        tri(
            r#"{"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}"#,
            &c
        ),
        Tri::No
    );
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
#[test]
fn set_operators() {
    let tags = RequestContext::closed().with(
        "aws:TagKeys",
        KeyValue::Values(vec![Value::known("env"), Value::known("team")]),
    );
    let all = r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team", "cost"]}}"#;
    assert_eq!(tri(all, &tags), Tri::Yes);
    assert_eq!(
        tri(
            r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}"#,
            &tags
        ),
        Tri::No
    );
    assert_eq!(
        tri(
            r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}"#,
            &tags
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["env"]}}"#,
            &tags
        ),
        Tri::Yes
    );
    // An absent key: ForAllValues holds, ForAnyValue does not.
    let none = RequestContext::closed();
    assert_eq!(tri(all, &none), Tri::Yes);
    assert_eq!(
        tri(
            r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}"#,
            &none
        ),
        Tri::No
    );
}

#[test]
fn numbers_dates_bools_binary() {
    let c = ctx(&[
        ("aws:MultiFactorAuthAge", "3600"),
        ("aws:CurrentTime", "2026-06-01T12:00:00Z"),
        ("aws:EpochTime", "1780000000"),
        ("aws:SecureTransport", "True"),
        ("kms:CiphertextBlob", "QUJD"),
    ]);
    assert_eq!(
        tri(
            r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "7200"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"NumericGreaterThan": {"aws:MultiFactorAuthAge": 7200}}"#,
            &c
        ),
        Tri::No
    );
    assert_eq!(
        tri(
            r#"{"NumericNotEquals": {"aws:MultiFactorAuthAge": "3600"}}"#,
            &c
        ),
        Tri::No
    );
    assert_eq!(
        tri(r#"{"NumericEquals": {"aws:MultiFactorAuthAge": "x"}}"#, &c),
        Tri::No
    );
    assert_eq!(
        tri(
            r#"{"DateGreaterThan": {"aws:CurrentTime": "2026-05-31T23:59:59+02:00"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"DateLessThan": {"aws:CurrentTime": "2026-06-01"}}"#, &c),
        Tri::No
    );
    assert_eq!(
        tri(
            r#"{"DateLessThanEquals": {"aws:EpochTime": "2026-06-01T00:00:00Z"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"Bool": {"aws:SecureTransport": true}}"#, &c),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"Bool": {"aws:SecureTransport": "false"}}"#, &c),
        Tri::No
    );
    assert_eq!(
        tri(r#"{"BinaryEquals": {"kms:CiphertextBlob": "QUJD"}}"#, &c),
        Tri::Yes
    );
    assert_eq!(date("1970-01-02"), Some(86_400.0));
    assert_eq!(date("2000-03-01T00:00:00.5Z"), Some(951_868_800.5));
    assert_eq!(date("not a date"), None);
}

#[test]
fn ip_addresses_with_cidr() {
    let c = ctx(&[("aws:SourceIp", "203.0.113.7")]);
    assert_eq!(
        tri(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, &c),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.7"}}"#, &c),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#, &c),
        Tri::No
    );
    assert_eq!(
        tri(r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#, &c),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#, &c),
        Tri::Yes
    );
    let v6 = ctx(&[("aws:SourceIp", "2001:db8::1")]);
    assert_eq!(
        tri(r#"{"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}"#, &v6),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, &v6),
        Tri::No
    );
}

#[test]
fn arn_operators_per_component() {
    let role = "arn:aws:iam::123456789012:role/service/FlowLogs";
    let c = ctx(&[("aws:PrincipalArn", role)]);
    assert_eq!(
        tri(
            &format!(r#"{{"ArnEquals": {{"aws:PrincipalArn": "{role}"}}}}"#),
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/service/*"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}"#,
            &c
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(r#"{"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*"}}"#, &c),
        Tri::No
    );
    // A partly known value: the region of the flow log is not known.
    let partial = RequestContext::closed().with(
        "aws:SourceArn",
        KeyValue::Values(vec![Value {
            text: "arn:aws:ec2:*:123456789012:vpc-flow-log/fl-1".into(),
            partial: true,
        }]),
    );
    assert_eq!(
        tri(
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:ec2:*:123456789012:vpc-flow-log/*"}}"#,
            &partial
        ),
        Tri::Yes
    );
    assert_eq!(
        tri(
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"}}"#,
            &partial
        ),
        Tri::Maybe
    );
    assert_eq!(
        tri(
            r#"{"ArnLike": {"aws:SourceArn": "arn:aws:ec2:*:999999999999:*"}}"#,
            &partial
        ),
        Tri::No
    );
}

#[test]
fn variables_in_condition_values() {
    let c = ctx(&[
        ("aws:PrincipalAccount", "123"),
        ("aws:ResourceAccount", "123"),
    ]);
    assert_eq!(
        tri(
            r#"{"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}"#,
            &c
        ),
        Tri::Yes
    );
    // No `aws:username` for a role session: the value matches nothing.
    assert_eq!(
        tri(
            r#"{"StringEquals": {"aws:ResourceAccount": "${aws:username}"}}"#,
            &c
        ),
        Tri::No
    );
    let tree = parse(r#"{"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}"#)
        .expect("json");
    // Without Version 2012-10-17 the text is literal.
    assert_eq!(
        condition_applies(Condition { node: tree.root() }, &c, false).0,
        Tri::No
    );
}

#[test]
fn operators_parse_without_regard_to_case() {
    let op = Operator::parse("forallvalues:stringnotlikeifexists").expect("known");
    assert_eq!(op.set, Some(SetOperator::AllValues));
    assert_eq!(op.compare, Compare::StringLike);
    assert!(op.negated && op.if_exists);
    assert!(Operator::parse("NullIfExists").is_none());
    assert!(Operator::parse("StringEqualz").is_none());
}
