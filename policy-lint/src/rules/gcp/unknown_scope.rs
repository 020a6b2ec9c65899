use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::model::gcp::advice::closest;
use crate::model::gcp::{Origin, SCOPES, ScopeMeaning};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a scope of an instance or template that is not a known scope
    /// URL or alias: a typo (`devstorage.readwrite`), or a gcloud set alias
    /// (`default`, `gke-default`) written where only URLs or single-scope
    /// aliases are accepted. Terraform has no `default` or `gke-default` alias.
    /// A well-formed URL under `https://www.googleapis.com/auth/` that is far
    /// from every known scope is only advice: the table may not list it.
    ///
    /// ## Why is this bad?
    /// The API rejects an unknown scope with HTTP 400 "One or more of the
    /// service account scopes are invalid" (`serviceAccountScopeInvalid`), so
    /// the create or update fails; Terraform passes `default` to the API
    /// unchanged, with that result.
    ///
    /// ## Example
    /// ```json
    /// {"serviceAccounts": [{"email": "default", "scopes": ["default"]}]}
    /// ```
    ///
    /// ## Use instead
    /// List the URLs: `default` is `devstorage.read_only`, `logging.write`,
    /// `monitoring.write`, `pubsub`, `service.management.readonly`,
    /// `servicecontrol` and `trace.append`, each under
    /// `https://www.googleapis.com/auth/`.
    ///
    /// ## References
    /// - [gcloud compute instances create --scopes](https://cloud.google.com/sdk/gcloud/reference/compute/instances/create)
    /// - [terraform-provider-google#1943](https://github.com/hashicorp/terraform-provider-google/issues/1943)
    pub struct UnknownScope {
        code: "GCP006",
        name: "unknown-scope",
        summary: "a scope URL or alias is unknown or not accepted",
        severity: Error,
        url: Some("https://cloud.google.com/compute/docs/access/service-accounts#accesscopesiam"),
    }
}

impl Check for UnknownScope {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for (inst, _, _) in model.gcp.instances() {
            for scope in &inst.scopes {
                let s = scope.value.as_str();
                let d = match SCOPES.resolve(s) {
                    ScopeMeaning::Known(_) if inst.origin == Origin::Terraform
                        && !s.starts_with("https://")
                        && !SCOPES.is_terraform_alias(s) =>
                    {
                        // A gcloud-only alias in Terraform.
                        Diagnostic::new(
                            &Self::META,
                            scope.loc,
                            format!("scope `{s}` of {} is a gcloud alias that Terraform does not know: the API rejects it", inst.display()),
                        )
                        .with_help(format!("write the URL `{}`", SCOPES.gcloud_alias(s).join("`, `")))
                    }
                    ScopeMeaning::Known(_) => continue,
                    ScopeMeaning::GcloudSetAlias(alias) => Diagnostic::new(
                        &Self::META,
                        scope.loc,
                        format!(
                            "scope `{alias}` of {} is a gcloud alias for a set of scopes: the Compute API and Terraform reject it with \"serviceAccountScopeInvalid\"",
                            inst.display()
                        ),
                    )
                    .with_help(format!(
                        "list the scopes it stands for: `{}`",
                        SCOPES.gcloud_alias(alias).join("`, `")
                    )),
                    ScopeMeaning::UnlistedUrl => match closest(s, SCOPES.spellings().filter(|k| k.starts_with("https://")), 3) {
                        Some(best) => Diagnostic::new(
                            &Self::META,
                            scope.loc,
                            format!("unknown scope `{s}` of {}: the API rejects it with \"serviceAccountScopeInvalid\"", inst.display()),
                        )
                        .with_help(format!("did you mean `{best}`?")),
                        None => Diagnostic::new(
                            &Self::META,
                            scope.loc,
                            format!("scope `{s}` of {} is not in policy-lint's scope table: cannot verify what it allows", inst.display()),
                        )
                        .with_severity(Severity::Advice),
                    },
                    ScopeMeaning::Unknown => {
                        let mut d = Diagnostic::new(
                            &Self::META,
                            scope.loc,
                            format!("unknown scope `{s}` of {}: it is neither a scope URL nor an alias, and the API rejects it with \"serviceAccountScopeInvalid\"", inst.display()),
                        );
                        if let Some(best) = closest(s, SCOPES.spellings(), 3) {
                            d = d.with_help(format!("did you mean `{best}`?"));
                        } else {
                            d = d.with_help("write a full scope URL such as `https://www.googleapis.com/auth/logging.write`");
                        }
                        d
                    }
                };
                cx.report(d.with_logical(inst.logical()));
            }
        }
    }
}
