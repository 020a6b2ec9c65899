//! Facts from gcloud, Compute API and Cloud Asset Inventory JSON:
//! `gcloud compute instances describe/list`, `instance-templates describe`,
//! `gcloud projects get-iam-policy`, `gcloud iam roles describe`, and CAI
//! exports (current `serviceAccounts[].scopes` and legacy
//! `serviceAccount[].scope` spellings).

use super::facts::{
    AccountRef, Binding, CustomRole, Facts, Instance, InstanceKind, Member, Origin, Policy,
    PolicyTarget, ProjectKey, Scope,
};
use crate::documents::{DocKind, Document};
use crate::json::Node;

/// The catalogue id of GCE instances and templates.
pub(super) const GCE_WORKLOAD: &str = "gce-instance";

/// Adds the facts of `doc` when it is a GCP document this extractor reads.
pub fn extract(doc: &Document<'_>, facts: &mut Facts) {
    match doc.kind {
        DocKind::GceInstance => {
            facts
                .instances
                .push(instance(doc, doc.node, InstanceKind::Instance))
        }
        DocKind::GceInstanceTemplate => {
            let props = doc.node.get("properties").unwrap_or(doc.node);
            let mut i = instance(doc, props, InstanceKind::Template);
            i.name = doc.node.get_str("name").unwrap_or(&i.name).to_string();
            i.self_link = doc.node.get_str("selfLink").map(str::to_string);
            i.project = i
                .self_link
                .as_deref()
                .and_then(ProjectKey::from_resource_name);
            i.loc = doc.at(doc.node);
            facts.instances.push(i);
        }
        // A plan's `policy_data` is read with its resource.
        DocKind::GcpIamPolicy if super::extract_terraform::handles_nested(doc) => {}
        DocKind::GcpIamPolicy => facts.policies.push(policy(doc)),
        DocKind::GcpCustomRole => {
            let name = doc
                .node
                .get_str("name")
                .map(str::to_string)
                .or_else(|| {
                    doc.name()
                        .map(|n| n.trim_start_matches("//iam.googleapis.com/").to_string())
                })
                .unwrap_or_default();
            let permissions = strings(doc.node.get("includedPermissions"))
                .map(|(s, _)| s.to_string())
                .collect();
            facts.custom_roles.push(CustomRole {
                name,
                permissions,
                loc: doc.at(doc.node),
            });
        }
        _ => {}
    }
}

fn strings(node: Option<Node<'_>>) -> impl Iterator<Item = (&str, Node<'_>)> {
    node.and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| Some((n.as_str()?, n)))
}

fn instance(doc: &Document<'_>, node: Node<'_>, kind: InstanceKind) -> Instance {
    let name = node
        .get_str("name")
        .or_else(|| doc.name().and_then(|n| n.rsplit('/').next()))
        .unwrap_or("(unnamed)")
        .to_string();
    let self_link = node
        .get_str("selfLink")
        .or_else(|| doc.name())
        .map(str::to_string);
    let project = ["selfLink", "zone", "machineType"]
        .iter()
        .filter_map(|k| node.get_str(k))
        .chain(doc.name())
        .find_map(ProjectKey::from_resource_name);
    // Current and legacy (CAI) spellings.
    let accounts = node
        .get("serviceAccounts")
        .or_else(|| node.get("serviceAccount"));
    let entry = accounts
        .and_then(Node::as_array)
        .and_then(|a| a.first())
        .filter(|e| e.as_object().is_some());
    let project_aliases = cai_asset(doc)
        .map(asset_projects)
        .unwrap_or_default()
        .into_iter()
        .filter(|k| Some(k) != project.as_ref())
        .collect();
    let mut out = Instance {
        name,
        kind,
        origin: Origin::Api,
        project,
        project_aliases,
        self_link,
        account: AccountRef::None,
        member_key: None,
        account_loc: None,
        scopes: Vec::new(),
        scopes_loc: None,
        entry_loc: entry.map(|e| doc.at(e)),
        loc: doc.at(node),
        workload: Some(GCE_WORKLOAD.to_string()),
        scopes_known: true,
    };
    let Some(entry) = entry else {
        return out;
    };
    let email = entry.get("email");
    out.account = match email.and_then(Node::as_str) {
        Some(e) if e.eq_ignore_ascii_case("default") => AccountRef::Default,
        Some(e) if !e.is_empty() => AccountRef::Email(e.to_string()),
        _ => AccountRef::Default,
    };
    out.account_loc = email.map(|e| doc.at(e));
    let scopes = entry.get("scopes").or_else(|| entry.get("scope"));
    out.scopes_loc = scopes.map(|s| doc.at(s));
    out.scopes = strings(scopes)
        .map(|(s, n)| Scope {
            value: s.to_string(),
            loc: doc.at(n),
        })
        .collect();
    out
}

/// The policy of a `GcpIamPolicy` document, its target read from its
/// container.
pub(super) fn policy(doc: &Document<'_>) -> Policy {
    let node = doc.node;
    let bindings_node = node.get("bindings");
    let bindings: Vec<Binding> = bindings_node
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|b| b.as_object().is_some())
        .map(|b| Binding {
            role: b.get_str("role").unwrap_or_default().to_string(),
            role_loc: b.get("role").map(|r| doc.at(r)),
            members: strings(b.get("members"))
                .map(|(s, n)| Member {
                    value: s.to_string(),
                    loc: doc.at(n),
                })
                .collect(),
            condition: b
                .get("condition")
                .filter(|c| !c.is_null())
                .map(|c| doc.at(c)),
            loc: doc.at(b),
        })
        .collect();
    let version = node.get("version");
    let target = match doc.parent() {
        Some(parent) if parent.kind == DocKind::CaiExport => cai_target(doc),
        Some(_) => PolicyTarget::Other("a resource".to_string()),
        None => bare_target(&bindings),
    };
    Policy {
        target,
        version: version.and_then(|v| match v.value() {
            crate::json::Value::Number(n) => Some(n.to_string()),
            crate::json::Value::String(s) => Some(s.to_string()),
            _ => None,
        }),
        version_loc: version.map(|v| doc.at(v)),
        bindings,
        bindings_loc: bindings_node.map(|b| doc.at(b)),
        loc: doc.at(node),
        name: doc.name().map(str::to_string),
    }
}

/// The Cloud Asset Inventory asset that holds `doc`, when its container is
/// an export.
fn cai_asset<'a>(doc: &Document<'a>) -> Option<Node<'a>> {
    let export = doc.parent().filter(|p| p.kind == DocKind::CaiExport)?;
    export
        .node
        .as_array()
        .unwrap_or_default()
        .iter()
        .find(|a| a.span().contains(doc.node.span()))
}

/// The projects an asset's `resource.parent` and `ancestors` name: the
/// export writes them by number (`//cloudresourcemanager.googleapis.com/projects/123`,
/// `projects/123`), while the instance's own URLs use the project id.
fn asset_projects(asset: Node<'_>) -> Vec<ProjectKey> {
    let parent = asset
        .get("resource")
        .and_then(|r| r.get_str("parent"))
        .filter(|p| p.starts_with("//cloudresourcemanager.googleapis.com/projects/"));
    let ancestors = strings(asset.get("ancestors"))
        .map(|(s, _)| s)
        .filter(|s| s.starts_with("projects/"));
    let mut out: Vec<ProjectKey> = Vec::new();
    for key in parent
        .into_iter()
        .chain(ancestors)
        .filter_map(ProjectKey::from_resource_name)
    {
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// A CAI policy applies to a project only when its asset is a project.
fn cai_target(doc: &Document<'_>) -> PolicyTarget {
    let asset = cai_asset(doc);
    let asset_type = asset
        .and_then(|a| a.get_str("asset_type").or_else(|| a.get_str("assetType")))
        .unwrap_or_default();
    let name = doc.name().unwrap_or_default();
    let project = name
        .strip_prefix("//cloudresourcemanager.googleapis.com/projects/")
        .and_then(|rest| ProjectKey::parse(rest.split('/').next().unwrap_or_default()));
    if let (true, Some(p)) = (
        asset_type == "cloudresourcemanager.googleapis.com/Project",
        project,
    ) {
        return PolicyTarget::Project(p);
    }
    PolicyTarget::Other(if asset_type.is_empty() {
        name.to_string()
    } else {
        asset_type.to_string()
    })
}

/// A bare `getIamPolicy` body says nothing about what it is attached to. It is
/// presumed a project policy unless its content marks it as something else.
fn bare_target(bindings: &[Binding]) -> PolicyTarget {
    let roles = || bindings.iter().map(|b| b.role.as_str());
    let members = || bindings.iter().flat_map(|b| &b.members);
    if members().any(|m| {
        ["projectOwner:", "projectEditor:", "projectViewer:"]
            .iter()
            .any(|p| m.value.starts_with(p))
    }) || roles().any(|r| r.starts_with("roles/storage.legacy"))
    {
        return PolicyTarget::Other("a Cloud Storage bucket".to_string());
    }
    if roles().any(|r| {
        r.starts_with("roles/resourcemanager.folder")
            || r.starts_with("roles/resourcemanager.organization")
    }) {
        return PolicyTarget::Other("a folder or organization".to_string());
    }
    // Every role is one that is granted on a single resource.
    const RESOURCE_ROLES: &[&str] = &[
        "roles/iam.serviceAccount",
        "roles/iam.workloadIdentityUser",
        "roles/cloudkms.",
        "roles/compute.networkUser",
    ];
    if !bindings.is_empty() && roles().all(|r| RESOURCE_ROLES.iter().any(|p| r.starts_with(p))) {
        return PolicyTarget::Other("a resource (service account, key or subnetwork)".to_string());
    }
    PolicyTarget::PresumedProject
}
