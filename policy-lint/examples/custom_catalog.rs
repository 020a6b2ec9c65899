//! Adds a service-integration catalogue entry in code (no `--catalog` file)
//! and lints a role that the new entry says is missing a permission.
//!
//! ```sh
//! cargo run -p policy-lint --example custom_catalog
//! ```
//!
//! The entry says: EventBridge Scheduler assumes the role and needs
//! `lambda:InvokeFunction`. The role below trusts `scheduler.amazonaws.com`
//! but its policy only allows `sqs:SendMessage`, so AWS002 reports the
//! missing action. The same entry in a file works with
//! `policy-lint check --catalog scheduler.json authorization-details.json`.

use policy_lint::{Linter, Options, RenderOptions, render};

/// One entry, shaped like those of `rules/service-catalogue.json` (every
/// key is required; the JSON Schema is `rules/schemas/service-catalogue.schema.json`).
const CATALOGUE: &str = r#"{
  "entries": [
    {
      "id": "scheduler-invoke-lambda",
      "service_principal": "scheduler.amazonaws.com",
      "description": "EventBridge Scheduler execution role that invokes a Lambda function",
      "usage": {
        "description": "Passed as the schedule target's role",
        "api_parameters": ["CreateSchedule.Target.RoleArn"],
        "terraform_attributes": ["aws_scheduler_schedule.target.role_arn"],
        "cloudformation_properties": ["AWS::Scheduler::Schedule.Target.RoleArn"]
      },
      "trust_actions": ["sts:AssumeRole"],
      "required_actions": ["lambda:InvokeFunction"],
      "warning_only_actions": [],
      "source_condition_keys_supported": true,
      "source_condition_keys_recommended": false,
      "source_condition_example": null,
      "least_privilege_statement": {
        "Effect": "Allow",
        "Action": ["lambda:InvokeFunction"],
        "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:nightly-report"
      },
      "broad_managed_policies": [],
      "docs_url": "https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html",
      "notes": []
    }
  ]
}"#;

/// `aws iam get-account-authorization-details`, trimmed: it lists every
/// policy of the role, so the role's purpose can be inferred from its trust
/// policy (a `get-role` output alone does not list its policies).
const DETAILS: &str = r#"{
  "UserDetailList": [],
  "GroupDetailList": [],
  "RoleDetailList": [
    {
      "Path": "/",
      "RoleName": "nightly-schedule",
      "Arn": "arn:aws:iam::123456789012:role/nightly-schedule",
      "AssumeRolePolicyDocument": {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}
          }
        ]
      },
      "RolePolicyList": [
        {
          "PolicyName": "target",
          "PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
              {
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": "arn:aws:sqs:eu-west-1:123456789012:reports"
              }
            ]
          }
        }
      ],
      "AttachedManagedPolicies": []
    }
  ],
  "Policies": []
}"#;

fn main() {
    let mut options = Options::default();
    let added = options
        .add_catalog_json(CATALOGUE)
        .expect("the catalogue text is valid");
    println!("added {added} catalogue entry");

    let result = Linter::new(options).lint_str("authorization-details.json", DETAILS);
    print!(
        "{}",
        render(
            &result,
            policy_lint::Format::Concise,
            RenderOptions::default()
        )
    );
    assert!(
        result
            .diagnostics
            .iter()
            .any(|d| d.code() == "AWS002" && d.message.contains("lambda:InvokeFunction")),
        "the added entry makes AWS002 report the missing action"
    );

    // Without the entry, nothing says what scheduler.amazonaws.com needs.
    let without = Linter::new(Options::default()).lint_str("authorization-details.json", DETAILS);
    assert!(!without.diagnostics.iter().any(|d| d.code() == "AWS002"));
}
