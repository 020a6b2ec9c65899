//! One test per semantic rule of the engine, each citing the documentation
//! fact it encodes.

use super::*;
use crate::json::{Tree, parse};

const STREAM: &str = "arn:aws:logs:us-east-1:123456789012:log-group:flow:log-stream:eni-1";

fn doc(tree: &Tree) -> PolicyDoc<'_> {
    PolicyDoc {
        node: tree.root(),
        file: None,
        name: "p".into(),
    }
}

fn tree(text: &str) -> Tree {
    parse(text).expect("valid json")
}

fn identity_only(text: &str, action: &str) -> String {
    let n = tree(text);
    let d = doc(&n);
    let set = PolicySet {
        identity: vec![&d],
        ..PolicySet::default()
    };
    name(&evaluate(&set, &Request::new(action, STREAM)).decision)
}

fn name(d: &Decision<'_>) -> String {
    match d {
        Decision::Allowed { .. } => "allowed".into(),
        Decision::Denied { .. } => "denied".into(),
        Decision::NotAllowed { layer } => format!("not allowed by {}", layer.as_str()),
        Decision::Conditional { .. } => "conditional".into(),
    }
}

// "By default, all requests are implicitly denied":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
#[test]
fn nothing_allows_means_implicit_deny() {
    assert_eq!(
        identity_only(
            r#"{"Statement": {"Effect": "Allow", "Action": "logs:CreateLogStream", "Resource": "*"}}"#,
            "logs:PutLogEvents"
        ),
        "not allowed by identity policies"
    );
}

// "The prefix and the action name are case insensitive":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
#[test]
fn actions_match_case_insensitively_with_wildcards() {
    for action in [
        "logs:*",
        "logs:Put*",
        "LOGS:putlogevents",
        "logs:PutLog?vents",
        "*",
    ] {
        let text = format!(
            r#"{{"Statement": {{"Effect": "Allow", "Action": "{action}", "Resource": "*"}}}}"#
        );
        assert_eq!(
            identity_only(&text, "logs:PutLogEvents"),
            "allowed",
            "{action}"
        );
    }
}

// "NotAction ... Allow with NotAction allows all actions except those listed":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
#[test]
fn not_action_allows_everything_else() {
    let text = r#"{"Statement": {"Effect": "Allow", "NotAction": ["logs:PutLogEvents"], "Resource": "*"}}"#;
    assert_eq!(identity_only(text, "logs:CreateLogGroup"), "allowed");
    assert_eq!(
        identity_only(text, "logs:PutLogEvents"),
        "not allowed by identity policies"
    );
}

// "Resource ARNs are case sensitive" and wildcards work per segment:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
#[test]
fn resources_match_case_sensitively() {
    let ok = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:*:*:log-group:flow:*"}}"#;
    let wrong_case = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "arn:aws:logs:*:*:log-group:FLOW:*"}}"#;
    assert_eq!(identity_only(ok, "logs:PutLogEvents"), "allowed");
    assert_eq!(
        identity_only(wrong_case, "logs:PutLogEvents"),
        "not allowed by identity policies"
    );
}

// "NotResource ... matches every resource except the ones listed":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
#[test]
fn not_resource_matches_everything_else() {
    let text = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "NotResource": "arn:aws:logs:*:*:log-group:other:*"}}"#;
    assert_eq!(identity_only(text, "logs:PutLogEvents"), "allowed");
    let text = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "NotResource": "arn:aws:logs:*:*:log-group:flow:*"}}"#;
    assert_eq!(
        identity_only(text, "logs:PutLogEvents"),
        "not allowed by identity policies"
    );
}

// "An explicit deny in any of these policies overrides the allow":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
#[test]
fn explicit_deny_wins_in_every_layer() {
    let allow = tree(r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}"#);
    let deny = tree(
        r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Sid": "NoLogs", "Effect": "Deny", "Action": "logs:Put*", "Resource": "*"}]}"#,
    );
    let (a, d) = (doc(&allow), doc(&deny));
    let sets = [
        PolicySet {
            identity: vec![&a, &d],
            ..PolicySet::default()
        },
        PolicySet {
            identity: vec![&a],
            boundary: Some(Boundary::Known(&d)),
            ..PolicySet::default()
        },
        PolicySet {
            identity: vec![&a],
            scps: vec![&d],
            ..PolicySet::default()
        },
    ];
    for set in &sets {
        let e = evaluate(set, &Request::new("logs:PutLogEvents", STREAM));
        match e.decision {
            Decision::Denied { by, defeats } => {
                assert_eq!(by.statement.sid(), Some("NoLogs"));
                assert!(defeats.iter().any(|s| s.layer == Layer::Identity));
            }
            other => panic!("expected denied, got {}", name(&other)),
        }
    }
}

// "A permissions boundary ... the entity can perform only the actions that
// are allowed by both its identity-based policies and its permissions boundaries":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
// "SCPs ... an action must be allowed by the SCP": (the same intersection)
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
#[test]
fn boundary_and_scps_intersect() {
    let allow = tree(r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}"#);
    let narrow = tree(
        r#"{"Statement": {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream"], "Resource": "*"}}"#,
    );
    let (a, n) = (doc(&allow), doc(&narrow));
    let with_boundary = PolicySet {
        identity: vec![&a],
        boundary: Some(Boundary::Known(&n)),
        ..PolicySet::default()
    };
    assert_eq!(
        name(&evaluate(&with_boundary, &Request::new("logs:PutLogEvents", STREAM)).decision),
        "not allowed by permissions boundary"
    );
    assert_eq!(
        name(
            &evaluate(
                &with_boundary,
                &Request::new("logs:CreateLogStream", STREAM)
            )
            .decision
        ),
        "allowed"
    );
    let with_scp = PolicySet {
        identity: vec![&a],
        scps: vec![&n],
        ..PolicySet::default()
    };
    assert_eq!(
        name(&evaluate(&with_scp, &Request::new("logs:PutLogEvents", STREAM)).decision),
        "not allowed by service control policies"
    );
    // A boundary grants nothing by itself.
    let only_boundary = PolicySet {
        boundary: Some(Boundary::Known(&a)),
        ..PolicySet::default()
    };
    assert_eq!(
        name(&evaluate(&only_boundary, &Request::new("logs:PutLogEvents", STREAM)).decision),
        "not allowed by identity policies"
    );
}

// "The Condition element ... lets you specify conditions for when a policy
// is in effect": a key the request context does not give leaves it open,
// and the answer names that key; a known key decides.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
#[test]
fn conditions_decide_on_the_known_context_and_name_unknown_keys() {
    let conditioned_allow = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}}"#;
    assert_eq!(
        identity_only(conditioned_allow, "logs:PutLogEvents"),
        "conditional"
    );
    let conditioned_deny = r#"{"Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "logs:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#;
    let n = tree(conditioned_deny);
    let d = doc(&n);
    let set = PolicySet {
        identity: vec![&d],
        ..PolicySet::default()
    };
    let e = evaluate(&set, &Request::new("logs:PutLogEvents", STREAM));
    assert_eq!(name(&e.decision), "conditional");
    assert_eq!(e.denies.len(), 1);
    assert_eq!(e.denies[0].applies, Tri::Maybe);
    assert_eq!(e.unknown_keys(), ["aws:SecureTransport"]);
    let tls = RequestContext::closed().with("aws:SecureTransport", KeyValue::known("true"));
    let e = evaluate(
        &set,
        &Request::new("logs:PutLogEvents", STREAM).with_context(tls),
    );
    assert_eq!(name(&e.decision), "allowed");
    let plain = RequestContext::closed().with("aws:SecureTransport", KeyValue::known("false"));
    let e = evaluate(
        &set,
        &Request::new("logs:PutLogEvents", STREAM).with_context(plain),
    );
    assert_eq!(name(&e.decision), "denied");
}

// CloudWatch Logs authorizes PutLogEvents on the stream's ARN: an Allow on
// the group's ARN without `:*` does not match it (the classic cause of
// flow-log "Access error": hashicorp/terraform-provider-aws#8804).
#[test]
fn the_group_arn_does_not_cover_its_streams() {
    let group = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*",
        "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:flow"}}"#;
    assert_eq!(
        identity_only(group, "logs:PutLogEvents"),
        "not allowed by identity policies"
    );
    let streams = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*",
        "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:flow:*"}}"#;
    assert_eq!(identity_only(streams, "logs:PutLogEvents"), "allowed");
    // NotResource: an Allow of everything but the group covers its streams;
    // a Deny of everything but the group denies them.
    let not_group = r#"{"Statement": {"Effect": "Allow", "Action": "logs:*",
        "NotResource": "arn:aws:logs:us-east-1:123456789012:log-group:flow"}}"#;
    assert_eq!(identity_only(not_group, "logs:PutLogEvents"), "allowed");
    let deny_not_group = r#"{"Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "logs:*", "NotResource": "arn:aws:logs:us-east-1:123456789012:log-group:flow"}]}"#;
    assert_eq!(identity_only(deny_not_group, "logs:PutLogEvents"), "denied");
}

// Policy variables: substituted only with Version 2012-10-17; a key the
// request lacks (`aws:username` in a role session) leaves the value
// unresolved, so it matches nothing.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
#[test]
fn policy_variables_follow_the_version_and_the_context() {
    let check = |text: &str, context: RequestContext| {
        let n = tree(text);
        let d = doc(&n);
        let set = PolicySet {
            identity: vec![&d],
            ..PolicySet::default()
        };
        let request =
            Request::new("s3:GetObject", "arn:aws:s3:::home/alice/x").with_context(context);
        name(&evaluate(&set, &request).decision)
    };
    let v2012 = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::home/${aws:username}/*"}}"#;
    let alice = || RequestContext::closed().with("aws:username", KeyValue::known("alice"));
    assert_eq!(check(v2012, alice()), "allowed");
    assert_eq!(
        check(v2012, RequestContext::closed()),
        "not allowed by identity policies"
    );
    assert_eq!(check(v2012, RequestContext::open()), "conditional");
    let v2008 = v2012.replace("2012-10-17", "2008-10-17");
    assert_eq!(check(&v2008, alice()), "not allowed by identity policies");
}

// "Statement ... can be a single statement or an array" and bare strings
// stand for one-element lists:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
#[test]
fn statement_object_and_bare_strings() {
    assert_eq!(
        identity_only(
            r#"{"Statement": {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}}"#,
            "logs:PutLogEvents"
        ),
        "allowed"
    );
}

// An unknown attached policy cannot be verified: the answer is conditional,
// never "not allowed" (spec section 3: rules never guess).
#[test]
fn unknown_attached_policy_is_not_a_missing_permission() {
    let set = PolicySet {
        unknown_identity: vec!["arn:aws:iam::123456789012:policy/Unknown"],
        ..PolicySet::default()
    };
    assert_eq!(
        name(&evaluate(&set, &Request::new("logs:PutLogEvents", STREAM)).decision),
        "conditional"
    );
}

// Trust policies: "Principal": "*" includes everyone; a service principal is
// named under "Service"; Deny wins:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#[test]
fn trust_policies() {
    let check = |text: &str| {
        let n = tree(text);
        trust_allows(&doc(&n), "vpc-flow-logs.amazonaws.com", "sts:AssumeRole")
    };
    assert_eq!(
        check(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com"]}, "Action": "sts:AssumeRole"}}"#
        ),
        Tri::Yes
    );
    assert_eq!(
        check(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "vpc-flow-log.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#
        ),
        Tri::No
    );
    assert_eq!(
        check(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}}"#
        ),
        Tri::Maybe
    );
    assert_eq!(
        check(
            r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:TagSession"}}"#
        ),
        Tri::No
    );
    assert_eq!(
        check(
            r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:*"},
            {"Effect": "Deny", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#
        ),
        Tri::No
    );
}

// The `.amazonaws.com.cn` form names a service in the China partition
// only; a trust condition is evaluated against what the service sends.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
#[test]
fn trust_in_a_partition_with_the_service_context() {
    let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
        "Principal": {"Service": "vpc-flow-logs.amazonaws.com.cn"}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}}"#;
    let n = tree(text);
    let trust = doc(&n);
    let ours = RequestContext::closed().with("aws:SourceAccount", KeyValue::known("123456789012"));
    let theirs =
        RequestContext::closed().with("aws:SourceAccount", KeyValue::known("999999999999"));
    let ask = |partition, context: &RequestContext| {
        trust_applies(
            &trust,
            &TrustRequest {
                service: "vpc-flow-logs.amazonaws.com",
                action: "sts:AssumeRole",
                partition: Some(partition),
                context,
            },
        )
        .tri
    };
    assert_eq!(ask("aws-cn", &ours), Tri::Yes);
    assert_eq!(ask("aws-cn", &theirs), Tri::No);
    assert_eq!(ask("aws", &ours), Tri::No);
    assert_eq!(ask("aws-us-gov", &ours), Tri::No);
    assert!(service_matches(
        "EC2.amazonaws.com",
        "ec2.amazonaws.com",
        Some("aws")
    ));
    assert!(service_matches(
        "ec2.amazonaws.com",
        "ec2.amazonaws.com",
        Some("aws-cn")
    ));
}

// Deny-list SCP strategy: "FullAWSAccess ... is attached to every root, OU
// and account by default", and further SCPs only add Deny statements:
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_strategies.html
#[test]
fn deny_only_scps_rely_on_full_aws_access() {
    let allow = tree(r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}"#);
    let guard = tree(r#"{"Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}"#);
    let (a, g) = (doc(&allow), doc(&guard));
    let set = PolicySet {
        identity: vec![&a],
        scps: vec![&g],
        ..PolicySet::default()
    };
    assert_eq!(
        name(&evaluate(&set, &Request::new("logs:PutLogEvents", STREAM)).decision),
        "allowed"
    );
}

fn attached<'p>(
    d: &'p PolicyDoc<'p>,
    target: &'p crate::model::aws::org::ScpTarget,
    applies: Tri,
) -> AppliedScp<'p> {
    use crate::model::aws::org::Placement;
    AppliedScp {
        document: d,
        target,
        applies,
        placement: if applies == Tri::Yes {
            Placement::Certain
        } else {
            Placement::UnknownAccount
        },
        via: None,
    }
}

fn target(id: &str) -> crate::model::aws::org::ScpTarget {
    crate::model::aws::org::ScpTarget {
        node: crate::model::aws::org::OrgNode::parse(id),
        label: id.into(),
        unknown_reason: None,
        attachment: "a".into(),
        location: None,
    }
}

// "If a statement in an SCP at any level explicitly denies an action, that
// action is denied"; SCPs attached to a node apply to the accounts under it:
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
// A Deny of an SCP that may apply (the role's account is unknown) is a "maybe".
#[test]
fn an_organization_scp_denies_when_it_applies_and_may_deny_when_it_may() {
    let allow = tree(r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}"#);
    let guard = tree(
        r#"{"Statement": {"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": "*"}}"#,
    );
    let (a, g) = (doc(&allow), doc(&guard));
    let ou = target("ou-ab12-11111111");
    for (applies, want) in [(Tri::Yes, "denied"), (Tri::Maybe, "conditional")] {
        let set = PolicySet {
            identity: vec![&a],
            org_scps: vec![attached(&g, &ou, applies)],
            ..PolicySet::default()
        };
        let e = evaluate(&set, &Request::new("logs:PutLogEvents", STREAM));
        assert_eq!(name(&e.decision), want);
        assert!(e.denies.iter().all(|d| d.scp.is_some()));
    }
}

// "For a permission to be allowed for a specific account, there must be an
// explicit Allow statement at every level from the root through each OU in
// the direct path to the account": an allow-list SCP at one level that does
// not allow the action leaves a gap, but SCPs attached there outside the
// inputs (the default FullAWSAccess) may still allow it, so never a certain
// "not allowed".
#[test]
fn an_organization_allow_list_that_omits_the_action_is_a_gap_not_a_certain_deny() {
    let allow = tree(r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}"#);
    let list = tree(r#"{"Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}}"#);
    let logs = tree(r#"{"Statement": {"Effect": "Allow", "Action": "logs:*", "Resource": "*"}}"#);
    let (a, l, o) = (doc(&allow), doc(&list), doc(&logs));
    let (acct, root) = (target("111111111111"), target("r-ab12"));
    let set = PolicySet {
        identity: vec![&a],
        org_scps: vec![attached(&l, &acct, Tri::Yes)],
        ..PolicySet::default()
    };
    let e = evaluate(&set, &Request::new("logs:PutLogEvents", STREAM));
    assert_eq!(name(&e.decision), "conditional");
    assert_eq!(e.layer(Layer::Scp), Some(Tri::Maybe));
    assert_eq!(e.scp_gaps.len(), 1);
    // Another SCP at the same level that allows it closes the gap; one at
    // another level does not.
    let same = PolicySet {
        identity: vec![&a],
        org_scps: vec![attached(&l, &acct, Tri::Yes), attached(&o, &acct, Tri::Yes)],
        ..PolicySet::default()
    };
    let e = evaluate(&same, &Request::new("logs:PutLogEvents", STREAM));
    assert_eq!(name(&e.decision), "allowed");
    assert!(e.scp_gaps.is_empty());
    let other = PolicySet {
        identity: vec![&a],
        org_scps: vec![attached(&l, &acct, Tri::Yes), attached(&o, &root, Tri::Yes)],
        ..PolicySet::default()
    };
    assert_eq!(
        evaluate(&other, &Request::new("logs:PutLogEvents", STREAM))
            .scp_gaps
            .len(),
        1
    );
}
