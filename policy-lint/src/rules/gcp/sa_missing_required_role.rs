use std::collections::BTreeMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::model::gcp::advice::{member_email, project_arg};
use crate::model::gcp::catalogue::{GCP_CATALOGUE, Need, Requirement, Workload};
use crate::model::gcp::{AccountRef, GcpModel, Iam, Instance, Link};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a workload whose service account lacks a permission the
    /// workload needs, per the GCP part of the catalogue
    /// (`rules/gcp-catalogue.json`): GKE node pools and clusters
    /// (`node_config[].service_account`), Dataproc clusters
    /// (`cluster_config[].gce_cluster_config[].service_account`), Dataflow
    /// jobs (`service_account_email`) and GCE instances (metrics for the Ops
    /// Agent). An unset account is the Compute Engine default service
    /// account. The finding names the permissions and the smallest
    /// predefined role that grants them. Log writes are GCP001.
    ///
    /// Roles are judged by their permissions (the catalogue lists every
    /// predefined role that holds each permission; custom roles given in
    /// the run count by their `includedPermissions`). The verdict is an error
    /// (a warning for permissions only some setups need, such as metrics of
    /// the Ops Agent or images in Artifact Registry) when an authoritative
    /// project policy is linked (`gcloud projects get-iam-policy`,
    /// `google_project_iam_policy`); when the plan only adds members
    /// (`google_project_iam_member`, `_binding`), a role granted elsewhere is
    /// not seen, so it is "cannot verify" advice.
    ///
    /// ## Why is this bad?
    /// The workload's VMs call Google APIs as this account. GKE nodes without
    /// `monitoring.timeSeries.create` send no metrics; Dataproc VMs without
    /// the Dataproc Worker role cannot talk to the control plane, so the
    /// cluster fails to start; Dataflow workers without the Dataflow Worker
    /// role cannot lease work and the job stalls. The calls fail with HTTP
    /// 403 `PERMISSION_DENIED` on the VM, far from the change that caused it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_node_pool" "pool" {
    ///   node_config { service_account = google_service_account.nodes.email }
    /// }
    /// resource "google_project_iam_policy" "project" { policy_data = ... } # grants the account only roles/logging.logWriter
    /// ```
    ///
    /// ## Use instead
    /// ```sh
    /// gcloud projects add-iam-policy-binding my-project \
    ///   --member=serviceAccount:nodes@my-project.iam.gserviceaccount.com \
    ///   --role=roles/container.defaultNodeServiceAccount
    /// ```
    ///
    /// ## References
    /// - [GKE node service accounts](https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts)
    /// - [Dataproc service accounts](https://cloud.google.com/dataproc/docs/concepts/configuring-clusters/service-accounts)
    /// - [Dataflow worker service account](https://cloud.google.com/dataflow/docs/concepts/security-and-permissions#worker-service-account)
    /// - [Ops Agent authorization](https://cloud.google.com/logging/docs/agent/ops-agent/authorization)
    pub struct SaMissingRequiredRole {
        code: "GCP012",
        name: "sa-missing-required-role",
        summary: "a workload's service account lacks a permission the workload needs",
        severity: Error,
        url: Some("https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts"),
    }
}

/// What the policies say about each requirement of one workload, grouped by
/// the role that grants it.
#[derive(Default)]
struct Verdicts<'c> {
    missing: BTreeMap<&'c str, Vec<&'c Requirement>>,
    conditional: BTreeMap<&'c str, Vec<&'c Requirement>>,
    unknown: Vec<(&'c Requirement, String)>,
}

fn verdicts<'c>(gcp: &GcpModel, n: usize, w: &'c Workload) -> Verdicts<'c> {
    let mut out = Verdicts::default();
    for req in w.requirements.iter().filter(|r| r.checked_by.is_none()) {
        match gcp.permission(n, &req.permission) {
            Iam::NotGranted => out.missing.entry(&req.role).or_default().push(req),
            Iam::Conditional(_) => out.conditional.entry(&req.role).or_default().push(req),
            Iam::Unknown(reason) => out.unknown.push((req, reason)),
            Iam::Granted(_) | Iam::Unlinked => {}
        }
    }
    out
}

fn permissions(reqs: &[&Requirement]) -> String {
    reqs.iter()
        .map(|r| format!("`{}`", r.permission))
        .collect::<Vec<_>>()
        .join(", ")
}

fn help(inst: &Instance, email: &str, w: &Workload, role: &str) -> String {
    let mut help = format!(
        "grant `{role}`, the smallest predefined role with these permissions: `gcloud projects add-iam-policy-binding {} --member=serviceAccount:{email} --role={role}`",
        project_arg(inst)
    );
    if let Some(rec) = w.recommended_role.as_deref().filter(|r| *r != role) {
        help.push_str(&format!(
            "; or `{rec}`, which holds everything a {} needs",
            w.label
        ));
    }
    help.push_str(&format!(" ({})", w.docs_url));
    help
}

impl Check for SaMissingRequiredRole {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let gcp = &model.gcp;
        for (n, (inst, link, eff)) in gcp.instances().enumerate() {
            let Some(w) = inst
                .workload
                .as_deref()
                .and_then(|id| GCP_CATALOGUE.workload(id))
            else {
                continue;
            };
            let Link::Linked { policies } = link else {
                continue;
            };
            if matches!(inst.account, AccountRef::None) {
                continue;
            }
            let v = verdicts(gcp, n, w);
            let account = inst.account.display();
            let email = member_email(inst, eff.resolved_email.as_deref());
            let policy = policies
                .iter()
                .find(|p| !gcp.facts.partial_policies.contains(p))
                .or(policies.first())
                .and_then(|&p| gcp.facts.policies.get(p));
            for (role, reqs) in &v.missing {
                let Some(policy) = policy else { continue };
                let severity = if reqs.iter().any(|r| r.severity == Need::Error) {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let why: Vec<&str> = reqs.iter().map(|r| r.why.as_str()).collect();
                let mut d = Diagnostic::new(
                    &Self::META,
                    inst.account_site(),
                    format!(
                        "{account} of {} holds no role with {} in {}: {}, and those calls fail with PERMISSION_DENIED",
                        inst.display(),
                        permissions(reqs),
                        policy.display(),
                        why.first().copied().unwrap_or_default(),
                    ),
                )
                .with_severity(severity)
                .with_label(
                    policy.bindings_site(),
                    format!("no binding here grants them to `serviceAccount:{email}`"),
                );
                for &(p, b, m) in eff.bindings.iter().take(3) {
                    if let (Some(binding), Some(member)) = (gcp.binding(p, b), gcp.member(p, b, m))
                    {
                        d = d.with_label(
                            member.loc,
                            format!("the account holds `{}` here", binding.role),
                        );
                    }
                }
                cx.report(
                    d.with_help(help(inst, &email, w, role))
                        .with_logical(inst.logical()),
                );
            }
            for (role, reqs) in &v.conditional {
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        inst.account_site(),
                        format!(
                            "{account} of {} holds {} only through conditional bindings: when the condition is false, calls fail with PERMISSION_DENIED",
                            inst.display(),
                            permissions(reqs)
                        ),
                    )
                    .with_severity(Severity::Warning)
                    .with_help(help(inst, &email, w, role))
                    .with_logical(inst.logical()),
                );
            }
            if let Some((_, reason)) = v.unknown.first() {
                let reqs: Vec<&Requirement> = v.unknown.iter().map(|(r, _)| *r).collect();
                let mut roles: Vec<&str> = reqs.iter().map(|r| r.role.as_str()).collect();
                roles.sort_unstable();
                roles.dedup();
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        inst.account_site(),
                        format!(
                            "cannot verify that {account} of {} holds {}: {reason}",
                            inst.display(),
                            permissions(&reqs)
                        ),
                    )
                    .with_severity(Severity::Advice)
                    .with_help(format!(
                        "make sure the account holds {} ({})",
                        roles
                            .iter()
                            .map(|r| format!("`{r}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        w.docs_url
                    ))
                    .with_logical(inst.logical()),
                );
            }
        }
    }
}
