use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::model::gcp::advice::{member_email, project_arg};
use crate::model::gcp::{AccountRef, Capability, Iam, Link};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an instance (or instance template) whose service account holds
    /// no role with `logging.logEntries.create` in the project IAM policy
    /// given in the same run. Roles are judged by their permissions (the
    /// vendored role table, or the `includedPermissions` of custom roles you
    /// pass), never by name: `roles/logging.logWriter`, `roles/logging.admin`,
    /// `roles/editor` and many others hold it. Bindings with a condition count
    /// as "maybe" (a warning); `deleted:` members never count.
    ///
    /// The policy must be shown to belong to the instance's project: by the
    /// project in Cloud Asset Inventory names, or because the run holds exactly
    /// one project policy and instances of one project. When it cannot be
    /// shown, or a role's permissions are unknown, the rule says "cannot
    /// verify" as advice.
    ///
    /// ## Why is this bad?
    /// Every Ops Agent, legacy logging agent and client library on the VM
    /// writes logs as this account. Without the permission each write fails
    /// with HTTP 403 `PERMISSION_DENIED`: "Permission
    /// 'logging.logEntries.create' denied on resource (or it may not exist)",
    /// and the VM's logs silently stop. A common cause is a default compute
    /// account that no longer has Editor, or a new dedicated account that was
    /// given only the roles of the application.
    ///
    /// A project policy does not show bindings inherited from folders or the
    /// organization; if such a binding grants the role, suppress the finding.
    ///
    /// ## Example
    /// ```json
    /// {"name": "web-1", "serviceAccounts": [{"email": "app@my-project.iam.gserviceaccount.com",
    ///   "scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]}
    /// ```
    /// with `gcloud projects get-iam-policy my-project` granting the account
    /// only `roles/storage.objectAdmin`.
    ///
    /// ## Use instead
    /// ```sh
    /// gcloud projects add-iam-policy-binding my-project \
    ///   --member=serviceAccount:app@my-project.iam.gserviceaccount.com \
    ///   --role=roles/logging.logWriter
    /// ```
    ///
    /// ## References
    /// - [Ops Agent authorization](https://cloud.google.com/logging/docs/agent/ops-agent/authorization)
    /// - [Service accounts for Compute Engine](https://cloud.google.com/compute/docs/access/service-accounts)
    pub struct SaMissingLogWriter {
        code: "GCP001",
        name: "sa-missing-log-writer",
        summary: "an instance's service account holds no role that can write logs",
        severity: Error,
        url: Some("https://cloud.google.com/logging/docs/agent/ops-agent/authorization"),
    }
}

impl Check for SaMissingLogWriter {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let gcp = &model.gcp;
        for (inst, link, eff) in gcp.instances() {
            if matches!(inst.account, AccountRef::None) {
                continue;
            }
            let Some(state) = eff.get(Capability::LoggingWrite) else {
                continue;
            };
            let account = inst.account.display();
            let email = member_email(inst, eff.resolved_email.as_deref());
            let help = format!(
                "grant `roles/logging.logWriter`, the narrowest role with `logging.logEntries.create`: `gcloud projects add-iam-policy-binding {} --member=serviceAccount:{email} --role=roles/logging.logWriter`",
                project_arg(inst)
            );
            let diagnostic = match (link, &state.iam) {
                (Link::Unverified { reason }, _) => Diagnostic::new(
                    &Self::META,
                    inst.account_site(),
                    format!(
                        "cannot verify that {account} of {} can write logs: {reason}",
                        inst.display()
                    ),
                )
                .with_severity(Severity::Advice)
                .with_help("lint the instance together with its own project's `gcloud projects get-iam-policy` output (one project per run), or a Cloud Asset Inventory export that names the project"),
                (Link::Linked { policies }, Iam::NotGranted) => {
                    // The verdict rests on an authoritative policy (members
                    // and bindings only add to one): label that one.
                    let Some(policy) = policies
                        .iter()
                        .find(|p| !gcp.facts.partial_policies.contains(p))
                        .or(policies.first())
                        .and_then(|&p| gcp.facts.policies.get(p))
                    else {
                        continue;
                    };
                    let mut d = Diagnostic::new(
                        &Self::META,
                        inst.account_site(),
                        format!(
                            "{account} of {} holds no role with `logging.logEntries.create` in {}: its log writes fail with \"Permission 'logging.logEntries.create' denied\"",
                            inst.display(),
                            policy.display()
                        ),
                    )
                    .with_label(
                        policy.bindings_site(),
                        format!("no binding here grants `logging.logEntries.create` to `serviceAccount:{email}`"),
                    );
                    for &(p, b, m) in eff.bindings.iter().take(3) {
                        if let (Some(binding), Some(member)) = (gcp.binding(p, b), gcp.member(p, b, m)) {
                            d = d.with_label(
                                member.loc,
                                format!("the account holds `{}` here, which has no `logging.logEntries.create`", binding.role),
                            );
                        }
                    }
                    d.with_help(format!(
                        "{help}; bindings inherited from a folder or the organization are not in a project policy, so if one grants a log-writing role, suppress this finding"
                    ))
                }
                (Link::Linked { .. }, Iam::Conditional(grants)) => {
                    let mut d = Diagnostic::new(
                        &Self::META,
                        inst.account_site(),
                        format!(
                            "{account} of {} can write logs only through conditional bindings: when the condition is false, writes fail with \"Permission 'logging.logEntries.create' denied\"",
                            inst.display()
                        ),
                    )
                    .with_severity(Severity::Warning);
                    for g in grants.iter().take(3) {
                        if let Some(b) = gcp.binding(g.policy, g.binding) {
                            d = d.with_label(
                                b.condition.unwrap_or(b.loc),
                                format!("`{}` is granted only under this condition", g.role),
                            );
                        }
                    }
                    d.with_help(help)
                }
                (Link::Linked { .. }, Iam::Unknown(reason)) => Diagnostic::new(
                    &Self::META,
                    inst.account_site(),
                    format!(
                        "cannot verify that {account} of {} can write logs: {reason}",
                        inst.display()
                    ),
                )
                .with_severity(Severity::Advice),
                _ => continue,
            };
            cx.report(diagnostic.with_logical(inst.logical()));
        }
    }
}
