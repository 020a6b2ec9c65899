//! Roles that a Terraform resource passes to a service, found where the
//! catalogue says (`usage.terraform_attributes`: `aws_lambda_function.role`,
//! `aws_kinesis_firehose_delivery_stream.extended_s3_configuration[].role_arn`),
//! so adding an integration is a catalogue entry, not code. `[]` stands for
//! every block of a nested block list.

use super::{Link, Plan, ROLE, known};
use crate::diagnostic::Location;
use crate::documents::terraform::{Mode, Resource};
use crate::model::aws::{Catalogue, ServiceUse, Unlinked, arn_name};

/// The resource type of a catalogue attribute and the path under it
/// (`aws_db_instance.monitoring_role_arn` -> `aws_db_instance`,
/// `["monitoring_role_arn"]`).
pub(super) fn split_attribute(spec: &str) -> Option<(&str, Vec<&str>)> {
    let (ty, rest) = spec.split_once('.')?;
    let path: Vec<&str> = rest.split('.').collect();
    (!ty.is_empty() && path.iter().all(|s| !s.is_empty())).then_some((ty, path))
}

/// A role's model key and where the plan names it.
type RoleAt = (String, Option<Location>);
/// Where the plan names a role it cannot link, and why.
type NotLinked = (Option<Location>, String);

impl<'a> Plan<'_, 'a> {
    /// The service uses of the plan's resources that the catalogue's
    /// entries name, and those whose role cannot be told.
    pub(super) fn catalogued_uses(
        &self,
        catalogue: &Catalogue,
        uses: &mut Vec<ServiceUse>,
        unlinked: &mut Vec<Unlinked>,
    ) {
        for entry in &catalogue.entries {
            for spec in &entry.usage.terraform_attributes {
                let Some((ty, path)) = split_attribute(spec) else {
                    continue;
                };
                // The flow-log extractor links `aws_flow_log` with its
                // destination (only a CloudWatch Logs destination uses the role).
                if ty == "aws_flow_log" {
                    continue;
                }
                let resources = self.view.of_type(ty).filter(|r| r.mode == Mode::Managed);
                for r in resources {
                    for concrete in self.expand(r, &path) {
                        let at: Vec<&str> = concrete.iter().map(String::as_str).collect();
                        match self.role_at(r, &at) {
                            Ok(Some((role_arn, role_location))) => uses.push(ServiceUse {
                                user: format!("`{}`", r.address),
                                role_arn,
                                role_location,
                                flow_log: None,
                                entry: entry.id.clone(),
                                inferred: false,
                                scope: Some(self.file.id),
                            }),
                            Ok(None) => {}
                            Err((location, reason)) => unlinked.push(Unlinked {
                                user: format!("`{}`", r.address),
                                location: location.or(Some(self.at(r.values))),
                                reason,
                                help: format!(
                                    "the checks run once the role can be linked: reference the role \
                                     resource (`{} = aws_iam_role.NAME.arn`), or lint `terraform \
                                     show -json` of the state after apply",
                                    at.join(".")
                                ),
                            }),
                        }
                    }
                }
            }
        }
    }

    /// The concrete paths of `path` in `r`: each `name[]` segment becomes
    /// `name`, `i` for every block `i` the plan holds.
    fn expand(&self, r: &Resource<'a>, path: &[&str]) -> Vec<Vec<String>> {
        let mut paths: Vec<Vec<String>> = vec![Vec::new()];
        for seg in path {
            let Some(block) = seg.strip_suffix("[]") else {
                paths.iter_mut().for_each(|p| p.push((*seg).to_string()));
                continue;
            };
            paths = paths
                .into_iter()
                .flat_map(|mut p| {
                    p.push(block.to_string());
                    let at: Vec<&str> = p.iter().map(String::as_str).collect();
                    let n = r
                        .value(&at)
                        .and_then(|v| v.as_array().map(|a| a.len()))
                        .unwrap_or(0);
                    (0..n).map(move |i| {
                        let mut q = p.clone();
                        q.push(i.to_string());
                        q
                    })
                })
                .collect();
        }
        paths
    }

    /// The role at `path` of `r`, as the model keys it, with where the
    /// plan names it: `Ok(None)` when the attribute is not set, `Err` with
    /// why when it is unknown until apply and cannot be followed.
    fn role_at(&self, r: &Resource<'a>, path: &[&str]) -> Result<Option<RoleAt>, NotLinked> {
        let node = r.value(path);
        if let Some(value) = known(node) {
            return Ok(Some((self.role_key(value), node.map(|n| self.at(n)))));
        }
        if !r.is_unknown(path) {
            return Ok(None);
        }
        let config = self.view.config_resource(r.address);
        let expression = config.as_ref().and_then(|c| c.expression(path));
        // Optional attributes the provider computes (`monitoring_role_arn`)
        // are unknown in every plan; one the configuration does not set
        // names no role.
        if config.is_some() && expression.is_none() {
            return Ok(None);
        }
        let at = expression.map(|n| self.at(n));
        let attribute = path.join(".");
        match self.follow(r, path, ROLE) {
            Link::Resource(role) => Ok(Some((self.key(role), at))),
            Link::Unlinked(reason) => Err((
                at,
                format!("its `{attribute}` is unknown until apply and {reason}"),
            )),
            Link::None => Err((
                at,
                format!(
                    "its `{attribute}` is unknown until apply and the configuration names no \
                     `aws_iam_role` of the plan"
                ),
            )),
        }
    }

    /// The model key of the role a known value names: a role of the plan
    /// with that ARN or name (or, its ARN unknown, the name the ARN ends
    /// with), else the value itself (a role of another input).
    pub(super) fn role_key(&self, value: &str) -> String {
        let role = if value.starts_with("arn:") {
            self.role_by_arn
                .get(value)
                // A role of the plan whose ARN is not known yet, with the
                // name the ARN ends with.
                .or_else(|| self.pending_role_by_name.get(arn_name(value)))
                .copied()
        } else {
            // A name where an ARN belongs: rare, so no index of its own.
            self.managed_of_type(ROLE)
                .find(|r| known(r.values.get("name")) == Some(value))
        };
        role.map_or_else(|| value.to_string(), |r| self.key(r))
    }
}
