use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::model::gcp::advice::scope_fix;
use crate::model::gcp::{AccountRef, Capability, Iam};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an instance or template that has a service account and scopes,
    /// none of which allows log writes (`logging.write`, `logging.admin` or
    /// `cloud-platform`). It is an error when the project policy in the run
    /// grants the account a role with `logging.logEntries.create` (the
    /// scopes are then the only thing in the way), and a warning otherwise.
    ///
    /// ## Why is this bad?
    /// Agents on the VM (the Ops Agent, the legacy logging agent, the guest
    /// agent's own logs) write with the attached account's token, which
    /// carries only the instance's scopes. Without a logging scope each write
    /// fails with HTTP 403 "Request had insufficient authentication scopes",
    /// whatever roles the account holds. (VPC Flow Logs are not affected:
    /// the network writes them per subnet, without the instance's account.)
    ///
    /// ## Example
    /// ```json
    /// {"serviceAccounts": [{"email": "app@my-project.iam.gserviceaccount.com",
    ///   "scopes": ["https://www.googleapis.com/auth/devstorage.read_write"]}]}
    /// ```
    ///
    /// ## Use instead
    /// Add `https://www.googleapis.com/auth/logging.write` (gcloud alias
    /// `logging-write`), or, for a dedicated account, use `cloud-platform` and
    /// let IAM decide.
    ///
    /// ## References
    /// - [Ops Agent authorization](https://cloud.google.com/logging/docs/agent/ops-agent/authorization)
    /// - [Access scopes](https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam)
    pub struct ScopesBlockLogging {
        code: "GCP004",
        name: "scopes-block-logging",
        summary: "an instance's scopes allow no log writes",
        severity: Error,
        url: Some("https://cloud.google.com/logging/docs/agent/ops-agent/authorization"),
    }
}

impl Check for ScopesBlockLogging {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let gcp = &model.gcp;
        for (inst, _, eff) in gcp.instances() {
            // No scopes at all is GCP007.
            if matches!(inst.account, AccountRef::None) || inst.scopes.is_empty() {
                continue;
            }
            let Some(state) = eff.get(Capability::LoggingWrite) else {
                continue;
            };
            if state.scope.is_some() {
                continue;
            }
            let granted = matches!(state.iam, Iam::Granted(_));
            let mut d = Diagnostic::new(
                &Self::META,
                inst.scopes_site(),
                format!(
                    "the scopes of {} allow no log writes: agents writing logs as {} get \"Request had insufficient authentication scopes\"",
                    inst.display(),
                    inst.account.display()
                ),
            )
            .with_severity(if granted { Severity::Error } else { Severity::Warning });
            for g in state.iam.grants().iter().take(3) {
                if let Some(m) = gcp.member(g.policy, g.binding, g.member) {
                    d = d.with_label(
                        m.loc,
                        format!("`{}` grants `logging.logEntries.create` to this account, but the scopes block it", g.role),
                    );
                }
            }
            cx.report(
                d.with_help(scope_fix(inst, Capability::LoggingWrite))
                    .with_logical(inst.logical()),
            );
        }
    }
}
