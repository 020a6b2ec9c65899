use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an instance or template attached to the default compute
    /// service account (`PROJECT_NUMBER-compute@developer.gserviceaccount.com`,
    /// or the email `default` the API accepts for it), CIS GCP Foundations
    /// 4.1. An instance with no service account is not reported.
    ///
    /// ## Why is this bad?
    /// Every VM that does not choose an account shares this one, so a role
    /// granted for one workload is granted to all, and audit logs cannot tell
    /// the VMs apart. In older projects the account also holds `roles/editor`.
    ///
    /// ## Example
    /// ```json
    /// {"serviceAccounts": [{"email": "default", "scopes": ["https://www.googleapis.com/auth/logging.write"]}]}
    /// ```
    ///
    /// ## Use instead
    /// Create a service account per workload
    /// (`gcloud iam service-accounts create web`), grant it the roles it needs,
    /// and attach it with `--service-account`.
    ///
    /// ## References
    /// - [Service accounts best practices](https://cloud.google.com/iam/docs/best-practices-service-accounts)
    pub struct DefaultServiceAccount {
        code: "GCP005",
        name: "default-service-account",
        summary: "an instance uses the default compute service account",
        severity: Warning,
        url: Some("https://cloud.google.com/iam/docs/best-practices-service-accounts"),
    }
}

impl Check for DefaultServiceAccount {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for (inst, _, _) in model.gcp.instances() {
            if !inst.account.is_default_compute() {
                continue;
            }
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    inst.account_site(),
                    format!("{} runs as {}", inst.display(), inst.account.display()),
                )
                .with_help("attach a dedicated service account that holds only the roles this workload needs")
                .with_logical(inst.logical()),
            );
        }
    }
}
