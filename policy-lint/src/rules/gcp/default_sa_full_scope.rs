use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::model::gcp::{SCOPES, ScopeMeaning};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an instance or template that runs as the default compute
    /// service account (`PROJECT_NUMBER-compute@developer.gserviceaccount.com`,
    /// or the email `default`) with the `cloud-platform` scope (CIS GCP
    /// Foundations 4.2). The span is the `cloud-platform` scope entry.
    ///
    /// ## Why is this bad?
    /// With `cloud-platform` the scopes no longer limit anything, so every
    /// process on the VM can use every role the account holds, on every
    /// Google Cloud API. The default account is shared by every VM of the
    /// project that did not choose another and, in many projects, still holds
    /// `roles/editor`.
    ///
    /// ## Example
    /// ```json
    /// {"serviceAccounts": [{"email": "123-compute@developer.gserviceaccount.com",
    ///   "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]}
    /// ```
    ///
    /// ## Use instead
    /// Create a dedicated service account for the workload, grant it only the
    /// roles it needs, and attach it with the `cloud-platform` scope (Google's
    /// recommended setup). Or keep the default account with narrow scopes
    /// (`devstorage.read_write`, `logging.write`, `monitoring.write`).
    ///
    /// ## References
    /// - [Service accounts best practices](https://cloud.google.com/iam/docs/best-practices-service-accounts)
    /// - [gcloud compute instances set-service-account](https://cloud.google.com/sdk/gcloud/reference/compute/instances/set-service-account)
    pub struct DefaultSaFullScope {
        code: "GCP003",
        name: "default-sa-full-scope",
        summary: "the default compute service account is attached with the cloud-platform scope",
        severity: Warning,
        url: Some("https://cloud.google.com/iam/docs/best-practices-service-accounts"),
    }
}

impl Check for DefaultSaFullScope {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let gcp = &model.gcp;
        for (inst, _, eff) in gcp.instances() {
            if !inst.account.is_default_compute() {
                continue;
            }
            let Some(scope) = inst.scopes.iter().find(|s| {
                matches!(SCOPES.resolve(&s.value), ScopeMeaning::Known(u) if SCOPES.is_full_access(&u))
            }) else {
                continue;
            };
            let mut d = Diagnostic::new(
                &Self::META,
                scope.loc,
                format!(
                    "{} runs as {} with the `cloud-platform` scope: any process on the VM can use every role of the account on every Google Cloud API",
                    inst.display(),
                    inst.account.display()
                ),
            );
            for &(p, b, m) in &eff.bindings {
                if let (Some(binding), Some(member)) = (gcp.binding(p, b), gcp.member(p, b, m))
                    && crate::model::gcp::ROLES.is_basic(&binding.role)
                {
                    d = d.with_label(
                        member.loc,
                        format!("the account holds the basic role `{}` here", binding.role),
                    );
                }
            }
            cx.report(
                d.with_label(inst.account_site(), "the default compute service account")
                    .with_help("attach a dedicated service account that holds only the roles the workload needs, and keep `cloud-platform` on that account; or keep the default account and replace `cloud-platform` with the narrow scopes the workload uses (for example `devstorage.read_write`, `logging.write`, `monitoring.write`)")
                    .with_logical(inst.logical()),
            );
        }
    }
}
