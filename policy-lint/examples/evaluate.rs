//! Asks the IAM evaluation engine whether a role may perform an action on
//! a resource with a request context, from `aws iam get-role` and
//! `get-role-policy` output held in strings: the verdict, the statements
//! that decided it, and the condition keys that left it open.
//!
//! ```sh
//! cargo run -p policy-lint --example evaluate
//! ```

use policy_lint::eval::{Engine, KeyValue, Request, RequestContext, Tri, Verdict};

/// `aws iam get-role --role-name FlowLogsRole`
const ROLE: &str = r#"{
  "Role": {
    "Path": "/service/flow-logs/",
    "RoleName": "FlowLogsRole",
    "Arn": "arn:aws:iam::123456789012:role/service/flow-logs/FlowLogsRole",
    "AssumeRolePolicyDocument": {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
          "Action": "sts:AssumeRole",
          "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}
        }
      ]
    }
  }
}"#;

/// `aws iam get-role-policy --role-name FlowLogsRole --policy-name flow-logs-delivery`
const POLICY: &str = r#"{
  "RoleName": "FlowLogsRole",
  "PolicyName": "flow-logs-delivery",
  "PolicyDocument": {
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "Deliver",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow-logs:*"
      },
      {
        "Sid": "DescribeHere",
        "Effect": "Allow",
        "Action": "logs:DescribeLogGroups",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}
      },
      {
        "Sid": "NeverDelete",
        "Effect": "Deny",
        "Action": "logs:Delete*",
        "Resource": "*"
      }
    ]
  }
}"#;

const STREAM: &str = "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow-logs:log-stream:eni-1";

fn main() {
    let engine = Engine::from_strs([("role.json", ROLE), ("role-policy.json", POLICY)]);
    println!("roles: {:?}", engine.roles());

    for (action, resource) in [
        ("logs:PutLogEvents", STREAM),
        (
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:123456789012:log-group:other:*",
        ),
        (
            "logs:DeleteLogGroup",
            "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow-logs",
        ),
    ] {
        let answer = engine
            .is_allowed("FlowLogsRole", action, resource)
            .expect("the role is in the documents");
        println!("{action} on {resource}: {:?}", answer.verdict);
        for r in &answer.statements {
            println!(
                "  {:?} statement {} of policy {} ({})",
                r.effect.expect("valid Effect"),
                r.sid.as_deref().unwrap_or("(no Sid)"),
                r.policy,
                r.layer.as_str()
            );
        }
    }

    let put = engine
        .is_allowed("FlowLogsRole", "logs:PutLogEvents", STREAM)
        .expect("known role");
    assert_eq!(put.verdict, Verdict::Allowed);
    assert_eq!(put.statements[0].sid.as_deref(), Some("Deliver"));
    // get-role lists no attached policies: "not allowed" means "not by these documents".
    assert!(!put.role_complete);

    // By ARN too. The explicit Deny wins.
    let delete = engine
        .is_allowed(
            "arn:aws:iam::123456789012:role/service/flow-logs/FlowLogsRole",
            "logs:DeleteLogGroup",
            "*",
        )
        .expect("known role, by ARN");
    assert_eq!(delete.verdict, Verdict::Denied);
    assert_eq!(delete.statements[0].sid.as_deref(), Some("NeverDelete"));

    // Nothing allows it: the implicit deny, by the identity policies.
    let read = engine
        .is_allowed("FlowLogsRole", "s3:GetObject", "arn:aws:s3:::reports/*")
        .expect("known role");
    assert_eq!(
        read.verdict,
        Verdict::NotAllowed {
            layer: policy_lint::eval::Layer::Identity
        }
    );

    // With a request context. Without one, a condition leaves the answer
    // open and the answer names the key it depends on.
    let describe = Request::new(
        "logs:DescribeLogGroups",
        "arn:aws:logs:us-east-1:123456789012:log-group::log-stream:",
    );
    let open = engine
        .evaluate("FlowLogsRole", &describe)
        .expect("known role");
    assert_eq!(open.verdict, Verdict::Conditional);
    assert_eq!(open.unknown_keys, ["aws:RequestedRegion"]);
    // The context of a service's call with the role's session (the role's
    // ARN and account, the region, TLS, no MFA, no user name), plus any key.
    let mut context = engine
        .session_context("FlowLogsRole", Some("us-east-1"))
        .expect("known role");
    context.set("aws:SourceVpc", KeyValue::Absent);
    let answer = engine
        .evaluate("FlowLogsRole", &describe.clone().with_context(context))
        .expect("known role");
    println!(
        "{} with the session context: {:?}",
        describe.action, answer.verdict
    );
    assert_eq!(answer.verdict, Verdict::Allowed);
    assert_eq!(answer.statements[0].sid.as_deref(), Some("DescribeHere"));
    // Another region: the condition cannot hold, nothing else allows it.
    let elsewhere =
        RequestContext::closed().with("aws:RequestedRegion", KeyValue::known("eu-west-1"));
    let answer = engine
        .evaluate("FlowLogsRole", &describe.with_context(elsewhere))
        .expect("known role");
    assert!(matches!(answer.verdict, Verdict::NotAllowed { .. }));

    // The trust policy has a condition on `aws:SourceAccount`: the service
    // may assume the role only when it sends that account.
    let trust = engine
        .can_assume("FlowLogsRole", "vpc-flow-logs.amazonaws.com")
        .expect("the role has a trust policy");
    println!("vpc-flow-logs.amazonaws.com may assume the role: {trust:?}");
    assert_eq!(trust, Tri::Maybe);
    let sent = RequestContext::open().with("aws:SourceAccount", KeyValue::known("123456789012"));
    let trust = engine
        .can_assume_with("FlowLogsRole", "vpc-flow-logs.amazonaws.com", &sent)
        .expect("the role has a trust policy");
    assert_eq!(trust, (Tri::Yes, None));

    assert!(
        engine
            .is_allowed("NoSuchRole", "s3:GetObject", "*")
            .is_err()
    );
}
