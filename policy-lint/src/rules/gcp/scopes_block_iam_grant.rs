use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::model::gcp::advice::scope_fix;
use crate::model::gcp::{AccountRef, Capability, Iam, Instance, SCOPES, ScopeMeaning};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an instance whose service account holds a role granting a
    /// write (Cloud Storage `storage.objects.create`, Pub/Sub
    /// `pubsub.topics.publish`, Monitoring `monitoring.timeSeries.create`)
    /// that the instance's access scopes do not allow. Log writes are GCP004.
    /// A grant counts only from a role that is mostly for that write (judged
    /// by how many of the checked permissions of each kind it holds): basic
    /// roles (owner, editor) grant nearly everything, and
    /// `roles/storage.objectAdmin` also holds `monitoring.timeSeries.create`,
    /// but neither shows that the workload uses the service. A grant through
    /// a conditional binding gives a warning. The finding points at the scope
    /// of the same service that falls short (`devstorage.read_only` for a
    /// storage write), else at the scope list.
    ///
    /// ## Why is this bad?
    /// A call from a VM succeeds only when both the scopes and IAM allow it.
    /// Scopes are a ceiling that no IAM role can lift: with the default
    /// scopes (`devstorage.read_only`), an account holding
    /// `roles/storage.objectAdmin` still gets HTTP 403 "Request had
    /// insufficient authentication scopes" (`ACCESS_TOKEN_SCOPE_INSUFFICIENT`,
    /// or "Insufficient Permission" from older APIs) on every upload.
    ///
    /// ## Example
    /// ```json
    /// {"name": "web-1", "serviceAccounts": [{"email": "123-compute@developer.gserviceaccount.com",
    ///   "scopes": ["https://www.googleapis.com/auth/devstorage.read_only",
    ///              "https://www.googleapis.com/auth/logging.write"]}]}
    /// ```
    /// with the project policy granting the account `roles/storage.objectAdmin`.
    ///
    /// ## Use instead
    /// Add the narrow scope (`https://www.googleapis.com/auth/devstorage.read_write`,
    /// gcloud alias `storage-rw`), or attach a dedicated service account with
    /// the `cloud-platform` scope and least-privilege roles. Do not give the
    /// default compute account `cloud-platform`: that is GCP003.
    ///
    /// ## References
    /// - [Access scopes](https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam)
    /// - [Cloud Storage OAuth scopes](https://cloud.google.com/storage/docs/oauth-scopes)
    pub struct ScopesBlockIamGrant {
        code: "GCP002",
        name: "scopes-block-iam-grant",
        summary: "an instance's scopes block a write its service account's roles grant",
        severity: Error,
        url: Some("https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam"),
    }
}

/// The scope entry of the same service that falls short (`storage-ro` for
/// a storage write): the token to change, when the instance has one.
fn same_service_scope(inst: &Instance, cap: Capability) -> Option<crate::diagnostic::Location> {
    let narrow = SCOPES.narrowest(cap);
    let short = narrow.strip_prefix(crate::model::gcp::tables::SCOPE_PREFIX)?;
    let service = short.split('.').next().filter(|s| !s.is_empty())?;
    inst.scopes
        .iter()
        .find(|s| match SCOPES.resolve(&s.value) {
            ScopeMeaning::Known(url) => {
                url.strip_prefix(crate::model::gcp::tables::SCOPE_PREFIX)
                    .and_then(|u| u.split('.').next())
                    == Some(service)
            }
            _ => false,
        })
        .map(|s| s.loc)
}

impl Check for ScopesBlockIamGrant {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let gcp = &model.gcp;
        for (inst, _, eff) in gcp.instances() {
            // No scopes at all is GCP007.
            if matches!(inst.account, AccountRef::None) || inst.scopes.is_empty() {
                continue;
            }
            for state in &eff.capabilities {
                let cap = state.capability;
                if cap == Capability::LoggingWrite || state.scope.is_some() {
                    continue;
                }
                let (grants, severity) = match &state.iam {
                    Iam::Granted(g) => (g, Severity::Error),
                    Iam::Conditional(g) => (g, Severity::Warning),
                    _ => continue,
                };
                let intended: Vec<_> = grants.iter().filter(|g| !g.basic && g.primary).collect();
                let Some(first) = intended.first() else {
                    continue;
                };
                let mut d = Diagnostic::new(
                    &Self::META,
                    same_service_scope(inst, cap).unwrap_or_else(|| inst.scopes_site()),
                    format!(
                        "the scopes of {} block {} that IAM grants to {} (`{}`): calls fail with \"Request had insufficient authentication scopes\"",
                        inst.display(),
                        cap.describe(),
                        inst.account.display(),
                        first.role
                    ),
                )
                .with_severity(severity);
                for g in intended.iter().take(3) {
                    if let Some(m) = gcp.member(g.policy, g.binding, g.member) {
                        d = d.with_label(
                            m.loc,
                            format!(
                                "`{}` grants `{}` to this account{}",
                                g.role,
                                cap.permission(),
                                if severity == Severity::Warning {
                                    " under a condition"
                                } else {
                                    ""
                                }
                            ),
                        );
                    }
                }
                cx.report(
                    d.with_help(scope_fix(inst, cap))
                        .with_logical(inst.logical()),
                );
            }
        }
    }
}
