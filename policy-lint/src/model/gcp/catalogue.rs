//! The GCP part of the service-integration catalogue
//! (`rules/gcp-catalogue.json`, written by `rules/scripts/gen_gcp_catalogue.py`):
//! each workload names the Terraform attribute that holds its service account
//! and scopes, and the permissions that account needs, each with the
//! smallest predefined role that grants it and every role that holds it.
//!
//! The Terraform extractor links every workload it lists, so adding a
//! workload is a catalogue entry and fixtures, not code.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::hash::HashMap;

/// Raw text of `rules/gcp-catalogue.json`.
pub const CATALOGUE_JSON: &str = include_str!("../../../rules/gcp-catalogue.json");

/// What a resource without an account runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnsetAccount {
    /// The Compute Engine default service account.
    Default,
    /// No account at all.
    None,
}

/// Where one Terraform resource type names the workload's account.
#[derive(Debug, Clone, Deserialize)]
pub struct TerraformUse {
    /// `google_container_node_pool`.
    pub resource_type: String,
    /// `node_config[].service_account`: `[]` steps into a nested block list.
    pub account: String,
    /// `node_config[].oauth_scopes`, when the workload has scopes.
    pub scopes: Option<String>,
    /// What an unset account means.
    pub unset_account: UnsetAccount,
    /// Boolean attributes that, when true, mean the account is not used
    /// (`remove_default_node_pool`).
    #[serde(default)]
    pub skip_when_true: Vec<String>,
}

/// How a missing requirement is reported when the policy is authoritative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Need {
    /// The workload fails without it.
    Error,
    /// Only some setups need it (the Ops Agent, images in Artifact Registry).
    Warning,
}

/// One permission the workload's account needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Requirement {
    /// `monitoring.timeSeries.create`.
    pub permission: String,
    /// The smallest predefined role that grants it.
    pub role: String,
    /// Error or warning.
    pub severity: Need,
    /// What the workload does with it.
    pub why: String,
    /// The rule that checks it instead of GCP012 (log writes: GCP001).
    #[serde(default)]
    pub checked_by: Option<String>,
}

/// One workload.
#[derive(Debug, Clone, Deserialize)]
pub struct Workload {
    /// Stable id (`gke-node-pool`).
    pub id: String,
    /// For messages (`GKE node pool`).
    pub label: String,
    /// Prose.
    pub description: String,
    /// The documentation that states the roles.
    pub docs_url: String,
    /// One role that holds every required permission, when Google names one.
    pub recommended_role: Option<String>,
    /// Where Terraform names the account.
    pub terraform: Vec<TerraformUse>,
    /// What the account needs.
    pub requirements: Vec<Requirement>,
    /// Prose.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The predefined roles that hold one required permission.
#[derive(Debug, Clone, Deserialize)]
pub struct PermissionRoles {
    /// Every predefined role that holds it.
    pub granted_by: Vec<String>,
    /// The smallest one.
    pub smallest_role: String,
}

#[derive(Debug, Default, Deserialize)]
struct Raw {
    permissions: HashMap<String, PermissionRoles>,
    workloads: Vec<Workload>,
}

/// The parsed catalogue.
#[derive(Debug, Default)]
pub struct GcpCatalogue {
    /// Every workload, in file order.
    pub workloads: Vec<Workload>,
    permissions: HashMap<String, PermissionRoles>,
}

/// The embedded catalogue, parsed on first use.
pub static GCP_CATALOGUE: LazyLock<GcpCatalogue> = LazyLock::new(|| {
    let raw: Raw = serde_json::from_str(CATALOGUE_JSON).unwrap_or_default();
    GcpCatalogue {
        workloads: raw.workloads,
        permissions: raw.permissions,
    }
});

impl GcpCatalogue {
    /// The workload with this id.
    pub fn workload(&self, id: &str) -> Option<&Workload> {
        self.workloads.iter().find(|w| w.id == id)
    }

    /// Whether predefined role `role` holds `permission`; `None` when the
    /// catalogue does not list the permission.
    pub fn grants(&self, role: &str, permission: &str) -> Option<bool> {
        self.permissions
            .get(permission)
            .map(|p| p.granted_by.iter().any(|r| r == role))
    }

    /// Every (workload, use) for resources of type `resource_type`.
    pub fn uses_of<'s>(
        &'s self,
        resource_type: &'s str,
    ) -> impl Iterator<Item = (&'s Workload, &'s TerraformUse)> + 's {
        self.workloads.iter().flat_map(move |w| {
            w.terraform
                .iter()
                .filter(move |t| t.resource_type == resource_type)
                .map(move |t| (w, t))
        })
    }
}

/// The steps of an attribute path in a resource's values, with `0` for
/// each `[]` (the blocks a workload reads hold at most one element):
/// `node_config[].service_account` -> `["node_config", "0", "service_account"]`.
pub fn path_steps(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in path.split('.') {
        match part.strip_suffix("[]") {
            Some(block) => {
                out.push(block);
                out.push("0");
            }
            None => out.push(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_and_knows_its_roles() {
        let c = &*GCP_CATALOGUE;
        assert!(c.workload("gke-node-pool").is_some());
        assert_eq!(
            c.grants(
                "roles/monitoring.metricWriter",
                "monitoring.timeSeries.create"
            ),
            Some(true)
        );
        assert_eq!(
            c.grants("roles/logging.logWriter", "monitoring.timeSeries.create"),
            Some(false)
        );
        assert_eq!(c.grants("roles/owner", "no.such.permission"), None);
        assert_eq!(
            c.uses_of("google_container_node_pool").count(),
            1,
            "one use"
        );
        assert_eq!(
            path_steps("cluster_config[].gce_cluster_config[].service_account"),
            [
                "cluster_config",
                "0",
                "gce_cluster_config",
                "0",
                "service_account"
            ]
        );
    }
}
