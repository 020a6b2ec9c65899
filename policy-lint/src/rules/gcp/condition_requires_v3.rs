use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a binding with a `condition` in an IAM policy whose `version`
    /// is not 3 (or is missing, which means 1).
    ///
    /// ## Why is this bad?
    /// `setIamPolicy` rejects a policy with conditional bindings unless its
    /// version is 3, so the whole update fails. A version-1 read of a
    /// conditional policy also hides the conditions, so a file like this one
    /// was edited by hand or read with the wrong version.
    ///
    /// ## Example
    /// ```json
    /// {"version": 1, "bindings": [{"role": "roles/storage.objectViewer", "members": ["user:a@example.com"],
    ///   "condition": {"title": "expires", "expression": "request.time < timestamp('2030-01-01T00:00:00Z')"}}]}
    /// ```
    ///
    /// ## Use instead
    /// Set `"version": 3` (and read policies with
    /// `gcloud projects get-iam-policy PROJECT --format=json`, which asks for
    /// version 3).
    ///
    /// ## References
    /// - [Policy versions](https://cloud.google.com/iam/docs/policies#versions)
    pub struct ConditionRequiresV3 {
        code: "GCP010",
        name: "condition-requires-v3",
        summary: "a conditional binding is in an IAM policy whose version is not 3",
        severity: Error,
        url: Some("https://cloud.google.com/iam/docs/policies#versions"),
    }
}

impl Check for ConditionRequiresV3 {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for policy in &model.gcp.facts.policies {
            let version = policy.version.as_deref().unwrap_or("1");
            if version == "3" {
                continue;
            }
            for b in &policy.bindings {
                let Some(condition) = b.condition else {
                    continue;
                };
                let d = Diagnostic::new(
                    &Self::META,
                    condition,
                    format!(
                        "the binding of `{}` has a condition, but the policy's version is {version}: setIamPolicy rejects conditional bindings unless the version is 3",
                        b.role
                    ),
                )
                .with_label(
                    policy.version_loc.unwrap_or(policy.loc),
                    if policy.version_loc.is_some() {
                        "the version is set here"
                    } else {
                        "this policy has no `version`, which means 1"
                    },
                )
                .with_help("set `\"version\": 3` on the policy");
                cx.report(d);
            }
        }
    }
}
