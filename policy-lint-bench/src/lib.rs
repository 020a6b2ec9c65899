//! Helpers for the benchmarks: the Terraform plan generator, the file walk
//! shared by the serde_json floor, the shapes of the scaling benchmark and
//! whole-process timing.

pub mod measure;
pub mod shapes;

use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Every `*.json` file under `path` (or `path` itself), sorted, recursively.
pub fn json_files(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(path, &mut out);
    out.sort();
    out
}

fn walk(path: &Path, out: &mut Vec<PathBuf>) {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    if meta.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                let p = e.path();
                let is_json = p.extension().is_some_and(|x| x == "json");
                if e.file_type().is_ok_and(|t| t.is_dir()) || is_json {
                    walk(&p, out);
                }
            }
        }
    } else if meta.is_file() {
        out.push(path.to_path_buf());
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// One role with a trust policy and an inline policy, as three entries
/// (planned value, resource change, configuration). `finding` adds a
/// duplicate key (JSON002) to the role's tags in its resource change.
/// `by_name`: the configuration has no reference from the role policy to
/// its role, which the linter then finds by the name in its `role`.
fn unit(i: usize, finding: bool, by_name: bool) -> [String; 3] {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AssumeFromEc2","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}"#;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"ReadBucket{i}","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::app-bucket-{i}","arn:aws:s3:::app-bucket-{i}/*"]}},{{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:eu-west-1:123456789012:log-group:/app/{i}:*"}}]}}"#
    );
    let tags = if finding {
        r#"{"team":"platform","env":"prod","team":"security"}"#
    } else {
        r#"{"team":"platform","env":"prod"}"#
    };
    let role = |tags: &str| {
        format!(
            r#"{{"assume_role_policy":{},"description":"role {i} of the generated plan","force_detach_policies":false,"max_session_duration":3600,"name":"app-role-{i}","path":"/","permissions_boundary":null,"tags":{tags}}}"#,
            json_string(trust)
        )
    };
    // The duplicate key goes in the resource change only, the entry the
    // linter reads (planned values repeat it and are skipped): one finding
    // per role.
    let role_values = role(r#"{"team":"platform","env":"prod"}"#);
    let role_after = role(tags);
    let policy_values = format!(
        r#"{{"name":"app-policy-{i}","name_prefix":null,"policy":{},"role":"app-role-{i}"}}"#,
        json_string(&policy)
    );
    let planned = format!(
        r#"{{"address":"aws_iam_role.app_{i}","mode":"managed","type":"aws_iam_role","name":"app_{i}","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{role_values},"sensitive_values":{{"inline_policy":[],"managed_policy_arns":[],"tags":{{}}}}}},{{"address":"aws_iam_role_policy.app_{i}","mode":"managed","type":"aws_iam_role_policy","name":"app_{i}","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{policy_values},"sensitive_values":{{}}}}"#
    );
    let changes = format!(
        r#"{{"address":"aws_iam_role.app_{i}","mode":"managed","type":"aws_iam_role","name":"app_{i}","provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":["create"],"before":null,"after":{role_after},"after_unknown":{{"arn":true,"create_date":true,"id":true,"unique_id":true}},"before_sensitive":false,"after_sensitive":{{"tags":{{}}}}}}}},{{"address":"aws_iam_role_policy.app_{i}","mode":"managed","type":"aws_iam_role_policy","name":"app_{i}","provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":["create"],"before":null,"after":{policy_values},"after_unknown":{{"id":true}},"before_sensitive":false,"after_sensitive":{{}}}}}}"#
    );
    let role_expression = if by_name {
        r#"{"constant_value":"app-role-"#.to_string() + &i.to_string() + r#""}"#
    } else {
        format!(r#"{{"references":["aws_iam_role.app_{i}.name","aws_iam_role.app_{i}"]}}"#)
    };
    let config = format!(
        r#"{{"address":"aws_iam_role.app_{i}","mode":"managed","type":"aws_iam_role","name":"app_{i}","provider_config_key":"aws","expressions":{{"name":{{"constant_value":"app-role-{i}"}},"assume_role_policy":{{"references":["data.aws_iam_policy_document.trust.json","data.aws_iam_policy_document.trust"]}}}},"schema_version":0}},{{"address":"aws_iam_role_policy.app_{i}","mode":"managed","type":"aws_iam_role_policy","name":"app_{i}","provider_config_key":"aws","expressions":{{"role":{role_expression}}},"schema_version":0}}"#
    );
    [planned, changes, config]
}

/// A one-line Terraform plan (`terraform show -json` style) of about
/// `target_bytes`, made of IAM roles with embedded trust and inline policies.
/// `findings` of its roles (spread evenly along the line) carry a duplicate
/// tag key, so the plan has that many JSON002 findings.
pub fn plan(target_bytes: usize, findings: usize) -> String {
    plan_with(target_bytes, findings, false)
}

/// [`plan`] whose role policies name their role only by its name (no
/// reference in the configuration): each is linked through the name index.
pub fn plan_by_name(target_bytes: usize, findings: usize) -> String {
    plan_with(target_bytes, findings, true)
}

fn plan_with(target_bytes: usize, findings: usize, by_name: bool) -> String {
    let unit_len: usize = unit(0, false, by_name)
        .iter()
        .map(String::len)
        .sum::<usize>()
        + 3;
    let units = (target_bytes / unit_len).max(1).max(findings);
    let every = units.checked_div(findings).unwrap_or(usize::MAX);
    let mut parts: [String; 3] = Default::default();
    let mut made = 0;
    for i in 0..units {
        let finding = made < findings && i % every == every / 2;
        made += usize::from(finding);
        for (part, piece) in parts.iter_mut().zip(unit(i, finding, by_name)) {
            if !part.is_empty() {
                part.push(',');
            }
            part.push_str(&piece);
        }
    }
    let [planned, changes, config] = parts;
    let mut out = String::with_capacity(target_bytes + 1024);
    let _ = write!(
        out,
        r#"{{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{{"root_module":{{"resources":[{planned}]}}}},"resource_changes":[{changes}],"configuration":{{"provider_config":{{"aws":{{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws"}}}},"root_module":{{"resources":[{config}]}}}},"timestamp":"2026-01-01T00:00:00Z","errored":false}}"#
    );
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_json_of_about_the_asked_size() {
        let p = plan(200_000, 7);
        assert!(p.len() > 150_000 && p.len() < 260_000, "{}", p.len());
        assert_eq!(p.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&p).expect("valid JSON");
        assert_eq!(v["format_version"], "1.2");
        assert_eq!(p.matches(r#""team":"security""#).count(), 7);
        let named = plan_by_name(200_000, 7);
        serde_json::from_str::<serde_json::Value>(&named).expect("valid JSON");
        assert!(!named.contains(r#""references":["aws_iam_role.app_"#));
        assert!(named.contains(r#""role":{"constant_value":"app-role-0"}"#));
    }
}
