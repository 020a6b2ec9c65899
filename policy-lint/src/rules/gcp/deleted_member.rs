use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::model::gcp::AccountRef;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `deleted:` member (`deleted:serviceAccount:EMAIL?uid=N`) in
    /// an IAM binding. When an instance in the run runs as an account with
    /// that email, the instance is labelled.
    ///
    /// ## Why is this bad?
    /// The binding grants nothing. A service account re-created with the same
    /// email gets a new unique id and does **not** inherit the binding, a
    /// common hidden cause of 403 `PERMISSION_DENIED` after an account is
    /// deleted and re-created.
    ///
    /// ## Example
    /// ```json
    /// {"bindings": [{"role": "roles/logging.logWriter",
    ///   "members": ["deleted:serviceAccount:app@my-project.iam.gserviceaccount.com?uid=123"]}]}
    /// ```
    ///
    /// ## Use instead
    /// Remove the member; grant the role again to the live account
    /// (`serviceAccount:app@my-project.iam.gserviceaccount.com`) if it needs it.
    ///
    /// ## References
    /// - [Policy bindings: deleted principals](https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding)
    pub struct DeletedMember {
        code: "GCP009",
        name: "deleted-member",
        summary: "an IAM binding names a deleted principal",
        severity: Warning,
        url: Some("https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding"),
    }
}

impl Check for DeletedMember {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for policy in &model.gcp.facts.policies {
            for b in &policy.bindings {
                for m in &b.members {
                    let Some(rest) = m.value.strip_prefix("deleted:") else {
                        continue;
                    };
                    let principal = rest.split('?').next().unwrap_or(rest);
                    let mut d = Diagnostic::new(
                        &Self::META,
                        m.loc,
                        format!(
                            "the binding of `{}` names the deleted principal `{principal}`: it grants nothing, and an account re-created with the same email does not get it back",
                            b.role
                        ),
                    );
                    if let Some(email) = principal.strip_prefix("serviceAccount:") {
                        for inst in &model.gcp.facts.instances {
                            if matches!(&inst.account, AccountRef::Email(e) if e.eq_ignore_ascii_case(email))
                            {
                                d = d.with_label(
                                    inst.account_site(),
                                    format!("{} runs as `{email}`, which this binding no longer reaches", inst.display()),
                                );
                            }
                        }
                    }
                    cx.report(d.with_help(format!(
                        "remove the member; if the live account needs `{}`, grant it again to `{principal}`",
                        b.role
                    )));
                }
            }
        }
    }
}
