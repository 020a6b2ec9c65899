use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::model::gcp::AccountRef;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an instance or template that attaches a service account with
    /// no scopes (an empty or missing `scopes` list).
    ///
    /// ## Why is this bad?
    /// The account's tokens from the metadata server carry no scope, so every
    /// Google API call the VM makes with them fails with HTTP 403 "Request
    /// had insufficient authentication scopes", whatever roles the account
    /// holds. If the VM needs no Google API, attach no account at all
    /// (`gcloud compute instances create --no-service-account --no-scopes`).
    ///
    /// ## Example
    /// ```json
    /// {"serviceAccounts": [{"email": "app@my-project.iam.gserviceaccount.com", "scopes": []}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"serviceAccounts": [{"email": "app@my-project.iam.gserviceaccount.com",
    ///   "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]}
    /// ```
    ///
    /// ## References
    /// - [Access scopes](https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam)
    pub struct SaWithoutScopes {
        code: "GCP007",
        name: "sa-without-scopes",
        summary: "a service account is attached with no scopes",
        severity: Warning,
        url: Some("https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam"),
    }
}

impl Check for SaWithoutScopes {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for (inst, _, _) in model.gcp.instances() {
            if matches!(inst.account, AccountRef::None)
                || !inst.scopes.is_empty()
                || !inst.scopes_known
            {
                continue;
            }
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    inst.scopes_site(),
                    format!(
                        "{} attaches {} with no scopes: every Google API call made with it fails with \"Request had insufficient authentication scopes\"",
                        inst.display(),
                        inst.account.display()
                    ),
                )
                .with_help("add the scopes the workload needs (for a dedicated service account, `https://www.googleapis.com/auth/cloud-platform` and least-privilege roles), or attach no service account if the VM calls no Google API")
                .with_logical(inst.logical()),
            );
        }
    }
}
