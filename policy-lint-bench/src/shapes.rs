//! Inputs of the scaling benchmark: each link form of the model and each
//! hostile shape of one file, generated at any size `n`, so that the time at
//! `n` and `4n` shows whether the cost is linear. Every shape has findings,
//! so the report path (fingerprints, did-you-mean, rendering) is measured
//! too.

use std::fmt::Write;

/// One generated input file: its name and text.
pub type File = (String, String);

/// A service principal with a typo (AWS001), one of 100 spellings, so that
/// the did-you-mean sees repeated and distinct strings.
fn typo_principal(i: usize) -> String {
    format!("vpc-flow-log{}.amazonaws.com", i % 100)
}

fn trust(principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

fn logs_policy() -> &'static str {
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups","logs:DescribeLogStreams"],"Resource":"*"}]}"#
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// A `resource_changes` entry creating `address` with `after`.
fn change(address: &str, after: &str, unknown: &str) -> String {
    let (t, name) = address.split_once('.').unwrap_or((address, address));
    format!(
        r#"{{"address":"{address}","mode":"managed","type":"{t}","name":"{name}","change":{{"actions":["create"],"before":null,"after":{after},"after_unknown":{unknown}}}}}"#
    )
}

/// A `configuration` resource of `address` with `expressions`.
fn config(address: &str, expressions: &str) -> String {
    let (t, name) = address.split_once('.').unwrap_or((address, address));
    format!(
        r#"{{"address":"{address}","mode":"managed","type":"{t}","name":"{name}","expressions":{expressions}}}"#
    )
}

fn plan_of(changes: &[String], configs: &[String]) -> String {
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[{}],"configuration":{{"root_module":{{"resources":[{}]}}}}}}"#,
        changes.join(","),
        configs.join(",")
    )
}

/// A plan whose role policies name their role by its name (no references
/// in the configuration), one typo'd trust principal per role.
pub fn plan_by_name(n: usize) -> Vec<File> {
    let mut changes = Vec::new();
    for i in 0..n {
        changes.push(change(
            &format!("aws_iam_role.r{i}"),
            &format!(
                r#"{{"name":"role-{i}","path":"/","assume_role_policy":{}}}"#,
                json_string(&trust(&typo_principal(i)))
            ),
            "{}",
        ));
        changes.push(change(
            &format!("aws_iam_role_policy.p{i}"),
            &format!(
                r#"{{"name":"logs-{i}","role":"role-{i}","policy":{}}}"#,
                json_string(logs_policy())
            ),
            "{}",
        ));
    }
    vec![("plan-by-name.json".into(), plan_of(&changes, &[]))]
}

/// A plan linked by references: each role's policy attachment names the
/// role and a customer managed policy of the plan only through the
/// configuration (both unknown until apply).
pub fn plan_by_reference(n: usize) -> Vec<File> {
    let mut changes = Vec::new();
    let mut configs = Vec::new();
    for i in 0..n {
        let role = format!("aws_iam_role.r{i}");
        let policy = format!("aws_iam_policy.p{i}");
        let attachment = format!("aws_iam_role_policy_attachment.a{i}");
        changes.push(change(
            &role,
            &format!(
                r#"{{"name":"role-{i}","path":"/","assume_role_policy":{}}}"#,
                json_string(&trust(&typo_principal(i)))
            ),
            r#"{"arn":true}"#,
        ));
        changes.push(change(
            &policy,
            &format!(
                r#"{{"name":"policy-{i}","path":"/","policy":{}}}"#,
                json_string(logs_policy())
            ),
            r#"{"arn":true}"#,
        ));
        changes.push(change(
            &attachment,
            "{}",
            r#"{"role":true,"policy_arn":true}"#,
        ));
        configs.push(config(
            &attachment,
            &format!(
                r#"{{"role":{{"references":["{role}.name","{role}"]}},"policy_arn":{{"references":["{policy}.arn","{policy}"]}}}}"#
            ),
        ));
    }
    vec![("plan-by-reference.json".into(), plan_of(&changes, &configs))]
}

/// A state (`terraform show -json` after apply) linked by ARNs: roles,
/// customer managed policies attached by ARN, and flow logs delivering
/// through the roles.
pub fn state_by_arn(n: usize) -> Vec<File> {
    let mut resources = Vec::new();
    let resource = |address: &str, values: String| {
        let (t, name) = address.split_once('.').unwrap_or((address, address));
        format!(
            r#"{{"address":"{address}","mode":"managed","type":"{t}","name":"{name}","values":{values}}}"#
        )
    };
    for i in 0..n {
        let role_arn = format!("arn:aws:iam::123456789012:role/role-{i}");
        let policy_arn = format!("arn:aws:iam::123456789012:policy/policy-{i}");
        resources.push(resource(
            &format!("aws_iam_role.r{i}"),
            format!(
                r#"{{"name":"role-{i}","arn":"{role_arn}","path":"/","assume_role_policy":{},"inline_policy":[],"managed_policy_arns":["{policy_arn}"]}}"#,
                json_string(&trust(&typo_principal(i)))
            ),
        ));
        resources.push(resource(
            &format!("aws_iam_policy.p{i}"),
            format!(
                r#"{{"name":"policy-{i}","arn":"{policy_arn}","path":"/","policy":{}}}"#,
                json_string(logs_policy())
            ),
        ));
        resources.push(resource(
            &format!("aws_iam_role_policy_attachment.a{i}"),
            format!(r#"{{"role":"role-{i}","policy_arn":"{policy_arn}"}}"#),
        ));
        resources.push(resource(
            &format!("aws_flow_log.f{i}"),
            format!(
                r#"{{"iam_role_arn":"{role_arn}","log_destination_type":"cloud-watch-logs","deliver_cross_account_role":"","log_group_name":"flow-{i}"}}"#
            ),
        ));
    }
    let text = format!(
        r#"{{"format_version":"1.0","terraform_version":"1.9.5","values":{{"root_module":{{"resources":[{}]}}}}}}"#,
        resources.join(",")
    );
    vec![("state-by-arn.json".into(), text)]
}

/// GCE instances, each with its own service account and the
/// `cloud-platform` scope, against one authoritative project policy
/// (`google_project_iam_policy`) that names every account, none of them
/// allowed to write logs.
pub fn gce(n: usize) -> Vec<File> {
    let mut changes = Vec::new();
    let mut members = Vec::new();
    for i in 0..n {
        let email = format!("sa-{i}@my-project.iam.gserviceaccount.com");
        changes.push(change(
            &format!("google_compute_instance.vm{i}"),
            &format!(
                r#"{{"name":"vm-{i}","project":"my-project","zone":"europe-west1-b","service_account":[{{"email":"{email}","scopes":["https://www.googleapis.com/auth/cloud-platform"]}}]}}"#
            ),
            "{}",
        ));
        members.push(format!("serviceAccount:{email}"));
    }
    // No role that can write logs: GCP001 for every instance.
    let policy = serde_json::json!({
        "bindings": [
            {"role": "roles/storage.objectAdmin", "members": members},
            {"role": "roles/pubsub.publisher", "members": members},
        ]
    })
    .to_string();
    changes.push(change(
        "google_project_iam_policy.project",
        &format!(
            r#"{{"project":"my-project","policy_data":{}}}"#,
            json_string(&policy)
        ),
        "{}",
    ));
    vec![("gce-plan.json".into(), plan_of(&changes, &[]))]
}

/// AWS CLI output: `aws iam get-account-authorization-details` with roles
/// whose trust names a typo'd principal and whose inline policy delivers
/// flow logs, and `aws ec2 describe-flow-logs` with one flow log per role.
pub fn cli_dumps(n: usize) -> Vec<File> {
    let mut roles = Vec::new();
    let mut flow_logs = Vec::new();
    for i in 0..n {
        let arn = format!("arn:aws:iam::123456789012:role/flow/FlowLogsRole{i}");
        roles.push(format!(
            r#"{{"Path":"/flow/","RoleName":"FlowLogsRole{i}","RoleId":"AROA{i:016}","Arn":"{arn}","AssumeRolePolicyDocument":{},"InstanceProfileList":[],"RolePolicyList":[{{"PolicyName":"delivery","PolicyDocument":{}}}],"AttachedManagedPolicies":[]}}"#,
            trust(&typo_principal(i)),
            logs_policy()
        ));
        flow_logs.push(format!(
            r#"{{"FlowLogId":"fl-{i:017x}","DeliverLogsPermissionArn":"{arn}","LogGroupName":"flow-{i}","ResourceId":"vpc-{i:017x}","TrafficType":"ALL","LogDestinationType":"cloud-watch-logs","LogDestination":"arn:aws:logs:us-east-1:123456789012:log-group:flow-{i}"}}"#
        ));
    }
    vec![
        (
            "authorization-details.json".into(),
            format!(
                r#"{{"UserDetailList":[],"GroupDetailList":[],"RoleDetailList":[{}],"Policies":[]}}"#,
                roles.join(",")
            ),
        ),
        (
            "flow-logs.json".into(),
            format!(r#"{{"FlowLogs":[{}]}}"#, flow_logs.join(",")),
        ),
    ]
}

fn policy_with_statements(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

/// One statement repeating its `"Effect"` key `n` times (JSON002 on every
/// repeat).
pub fn duplicate_keys(n: usize) -> Vec<File> {
    let mut s = String::from("{");
    for _ in 0..n {
        s.push_str(r#""Effect":"Allow","#);
    }
    s.push_str(r#""Action":"s3:GetObject","Resource":"*"}"#);
    vec![("duplicate-keys.json".into(), policy_with_statements(&s))]
}

/// One statement with `n` keys no policy grammar knows (AWS101-style
/// findings with a did-you-mean each).
pub fn unknown_keys(n: usize) -> Vec<File> {
    let mut s = String::from(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*""#);
    for i in 0..n {
        let _ = write!(s, r#","Unknown{i}":true"#);
    }
    s.push('}');
    vec![("unknown-keys.json".into(), policy_with_statements(&s))]
}

/// `n` statements of 200 wildcard actions each: the same 200 patterns
/// repeated, of which `ec2:*Foo*Bar*` matches no action (one AWS203 finding
/// per statement) and the others match.
pub fn wildcard_actions(n: usize) -> Vec<File> {
    const VERBS: [&str; 8] = [
        "Describe", "Get", "List", "Create", "Delete", "Put", "Update", "Start",
    ];
    const SERVICES: [&str; 25] = [
        "ec2",
        "s3",
        "iam",
        "logs",
        "lambda",
        "dynamodb",
        "sqs",
        "sns",
        "kms",
        "rds",
        "cloudwatch",
        "ecs",
        "ecr",
        "eks",
        "elasticloadbalancing",
        "autoscaling",
        "cloudformation",
        "sts",
        "ssm",
        "secretsmanager",
        "route53",
        "glue",
        "athena",
        "kinesis",
        "states",
    ];
    let mut actions = vec![r#""ec2:*Foo*Bar*""#.to_string()];
    'fill: for service in SERVICES {
        for verb in VERBS {
            if actions.len() == 200 {
                break 'fill;
            }
            actions.push(format!(r#""{service}:{verb}*""#));
        }
    }
    let statement = format!(
        r#"{{"Effect":"Allow","Action":[{}],"Resource":"*"}}"#,
        actions.join(",")
    );
    let statements = vec![statement; n].join(",");
    vec![(
        "wildcard-actions.json".into(),
        policy_with_statements(&statements),
    )]
}

/// A trust policy naming `n` distinct unknown service principals (AWS001
/// with a did-you-mean each).
pub fn service_principals(n: usize) -> Vec<File> {
    let principals: Vec<String> = (0..n)
        .map(|i| format!(r#""svc{i}.amazonaws.com""#))
        .collect();
    let statement = format!(
        r#"{{"Effect":"Allow","Principal":{{"Service":[{}]}},"Action":"sts:AssumeRole"}}"#,
        principals.join(",")
    );
    vec![(
        "service-principals.json".into(),
        policy_with_statements(&statement),
    )]
}

/// A named shape of the scaling benchmark.
pub struct Shape {
    /// What it is, for the table.
    pub name: &'static str,
    /// The size the table calls N (the second run is 4N).
    pub n: usize,
    /// The inputs at any size.
    pub generate: fn(usize) -> Vec<File>,
}

/// Every shape: the link forms at N = 2,000 and the hostile files at the
/// sizes of issue 16 (4N is the size the targets name).
pub const SHAPES: [Shape; 9] = [
    Shape {
        name: "plan, role policies name their role",
        n: 2_000,
        generate: plan_by_name,
    },
    Shape {
        name: "plan linked by references, attachments",
        n: 2_000,
        generate: plan_by_reference,
    },
    Shape {
        name: "state linked by ARNs",
        n: 2_000,
        generate: state_by_arn,
    },
    Shape {
        name: "GCE instances, one project policy",
        n: 2_000,
        generate: gce,
    },
    Shape {
        name: "CLI dumps, flow-log chains",
        n: 2_000,
        generate: cli_dumps,
    },
    Shape {
        name: "duplicate keys in one object",
        n: 25_000,
        generate: duplicate_keys,
    },
    Shape {
        name: "unknown keys in one statement",
        n: 7_500,
        generate: unknown_keys,
    },
    Shape {
        name: "statements of 200 wildcard actions",
        n: 1_250,
        generate: wildcard_actions,
    },
    Shape {
        name: "unknown service principals",
        n: 5_000,
        generate: service_principals,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_is_json_and_grows_with_n() {
        for shape in &SHAPES {
            let small = (shape.generate)(3);
            let big = (shape.generate)(12);
            assert_eq!(small.len(), big.len(), "{}", shape.name);
            for (name, text) in small.iter().chain(&big) {
                serde_json::from_str::<serde_json::Value>(text)
                    .unwrap_or_else(|e| panic!("{}: {name}: {e}", shape.name));
            }
            let size = |f: &[File]| f.iter().map(|(_, t)| t.len()).sum::<usize>();
            assert!(size(&big) > 2 * size(&small), "{}", shape.name);
        }
    }
}
