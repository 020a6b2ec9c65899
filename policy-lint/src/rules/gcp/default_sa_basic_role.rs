use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::model::gcp::facts::is_default_account_email;
use crate::model::gcp::{PolicyTarget, ROLES, RoleKnowledge};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a basic role that grants writes (`roles/editor`, `roles/owner`:
    /// decided from the role table, not the name) bound to a default service
    /// account: the Compute Engine default account
    /// (`PROJECT_NUMBER-compute@developer.gserviceaccount.com`) or the App
    /// Engine default account (`PROJECT_ID@appspot.gserviceaccount.com`).
    ///
    /// ## Why is this bad?
    /// Projects used to grant the default accounts Editor automatically.
    /// Every VM or app that runs as one of them can then change almost
    /// anything in the project; with the `cloud-platform` scope (GCP003)
    /// nothing limits it.
    ///
    /// ## Example
    /// ```json
    /// {"bindings": [{"role": "roles/editor", "members": ["serviceAccount:123-compute@developer.gserviceaccount.com"]}]}
    /// ```
    ///
    /// ## Use instead
    /// Remove the binding and grant least-privilege roles (better: to
    /// dedicated accounts). The organization policy constraint
    /// `iam.automaticIamGrantsForDefaultServiceAccounts` stops the automatic
    /// grant in new projects.
    ///
    /// ## References
    /// - [Restricting service account usage](https://cloud.google.com/resource-manager/docs/organization-policy/restricting-service-accounts)
    pub struct DefaultSaBasicRole {
        code: "GCP011",
        name: "default-sa-basic-role",
        summary: "a basic role is granted to a default service account",
        severity: Warning,
        url: Some("https://cloud.google.com/resource-manager/docs/organization-policy/restricting-service-accounts"),
    }
}

impl Check for DefaultSaBasicRole {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for policy in &model.gcp.facts.policies {
            for b in &policy.bindings {
                if !ROLES.is_basic(&b.role)
                    || !matches!(ROLES.lookup(&b.role), RoleKnowledge::Holds(_))
                {
                    continue;
                }
                for m in &b.members {
                    let Some(email) = m.value.strip_prefix("serviceAccount:") else {
                        continue;
                    };
                    if !is_default_account_email(email) {
                        continue;
                    }
                    let where_ = match &policy.target {
                        PolicyTarget::Project(p) => format!(" on project `{}`", p.as_str()),
                        _ => String::new(),
                    };
                    cx.report(
                        Diagnostic::new(
                            &Self::META,
                            m.loc,
                            format!(
                                "the basic role `{}` is granted to the default service account `{email}`{where_}: every workload that runs as it can change almost anything",
                                b.role
                            ),
                        )
                        .with_label(b.loc, "in this binding")
                        .with_help("remove this member and grant the roles the workloads need, preferably to dedicated service accounts; the org policy `iam.automaticIamGrantsForDefaultServiceAccounts` stops this grant in new projects"),
                    );
                }
            }
        }
    }
}
