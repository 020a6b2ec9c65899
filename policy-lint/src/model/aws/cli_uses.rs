//! Service uses from AWS CLI output: the role each catalogue entry's
//! `usage.cli_outputs` say a command's output names (`aws cloudtrail
//! describe-trails`: `trailList[].CloudWatchLogsRoleArn`; `aws rds
//! describe-db-instances`: `DBInstances[].MonitoringRoleArn` when
//! `MonitoringInterval` is one of 1, 5, 10, 15, 30, 60). Adding a command is
//! a catalogue entry, `--catalog` entries included. The uses are no plan's
//! (scope `None`), so they link to roles of `get-role`, `list-roles` and
//! authorization details across the files of a run, as flow logs do.

use super::{Catalogue, ServiceUse};
use crate::diagnostic::Location;
use crate::documents::cli_output::{has_keys, node_at, nodes_at};
use crate::documents::{DocKind, ParsedFile};
use crate::json::Node;
use crate::model::aws::catalog::{CliCondition, CliOutput};

/// Adds the service uses the output `file` names. Output of a known kind
/// other than [`DocKind::AwsServiceOutput`] is not read: a `--catalog` entry
/// may describe a command the built-in catalogue does not (a file of no
/// known kind).
pub fn extract_uses(file: &ParsedFile, catalogue: &Catalogue, uses: &mut Vec<ServiceUse>) {
    let Some(root) = file.root() else { return };
    match file.documents().next().map(|d| d.kind) {
        Some(DocKind::AwsServiceOutput) | None => {}
        Some(_) => return,
    }
    for entry in &catalogue.entries {
        for output in &entry.usage.cli_outputs {
            if !has_keys(root, &output.keys) {
                continue;
            }
            for (indices, node) in nodes_at(root, &output.role_arn) {
                let Some(arn) = node.as_str().filter(|s| !s.is_empty()) else {
                    continue;
                };
                if !output.when.iter().all(|c| holds(root, c, &indices)) {
                    continue;
                }
                uses.push(ServiceUse {
                    user: user(root, output, &indices),
                    role_arn: arn.to_string(),
                    role_location: Some(Location::new(file.id, node.span())),
                    flow_log: None,
                    entry: entry.id.clone(),
                    inferred: false,
                    scope: None,
                    facts: Vec::new(),
                });
            }
        }
    }
}

/// How messages name the user: `trail `main``.
fn user(root: Node<'_>, output: &CliOutput, indices: &[usize]) -> String {
    let name = output
        .name
        .as_deref()
        .and_then(|p| node_at(root, p, indices))
        .and_then(Node::as_str);
    match name {
        Some(name) => format!("{} `{name}`", output.noun),
        None => format!("{} in `{}` output", output.noun, output.command),
    }
}

/// Whether the value at the condition's path (beside the role) is one of
/// its values; `null` among them stands for an absent field.
fn holds(root: Node<'_>, condition: &CliCondition, indices: &[usize]) -> bool {
    let value =
        node_at(root, &condition.path, indices).map_or(serde_json::Value::Null, Node::to_serde);
    condition.values.contains(&value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn uses_of(text: &str) -> Vec<ServiceUse> {
        let file = ParsedFile::parse(FileId(0), "out.json", text.as_bytes(), true, None);
        let mut uses = Vec::new();
        extract_uses(&file, &super::super::catalog::BUILTIN_CATALOGUE, &mut uses);
        uses
    }

    #[test]
    fn a_db_instance_uses_its_monitoring_role_only_while_monitoring() {
        let uses = uses_of(
            r#"{"DBInstances": [
                 {"DBInstanceIdentifier": "on", "MonitoringInterval": 60, "MonitoringRoleArn": "arn:aws:iam::1:role/m"},
                 {"DBInstanceIdentifier": "off", "MonitoringInterval": 0, "MonitoringRoleArn": "arn:aws:iam::1:role/m"},
                 {"DBInstanceIdentifier": "unset", "MonitoringRoleArn": "arn:aws:iam::1:role/m"}]}"#,
        );
        assert_eq!(uses.len(), 1, "{uses:?}");
        assert_eq!(uses[0].user, "DB instance `on`");
        assert_eq!(uses[0].entry, "rds-enhanced-monitoring");
        assert_eq!(uses[0].scope, None);
    }

    #[test]
    fn output_of_another_kind_names_no_use() {
        // `get-role` output is no service's output, whatever its keys.
        assert!(
            uses_of(r#"{"Role": {"RoleName": "r", "Arn": "arn:aws:iam::1:role/r"}}"#).is_empty()
        );
        let uses = uses_of(
            r#"{"FunctionName": "f", "FunctionArn": "arn:aws:lambda:us-east-1:1:function:f", "Role": "arn:aws:iam::1:role/x"}"#,
        );
        assert_eq!(uses.len(), 1);
        assert_eq!(uses[0].user, "function `f`");
    }
}
