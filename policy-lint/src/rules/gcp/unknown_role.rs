use crate::aws_action::{bounded_glob_distance, typo_threshold};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::model::gcp::ROLES;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a binding whose `role` is neither a predefined role of the
    /// shipped table (`rules/gcp-roles.json`, every predefined role at its
    /// snapshot, plus the basic roles `roles/admin`, `roles/writer` and
    /// `roles/reader`) nor a custom role name
    /// (`projects/PROJECT/roles/ID`, `organizations/ORG/roles/ID`). Role
    /// names are case-sensitive: `roles/logging.logwriter` is not
    /// `roles/logging.logWriter`, and the help says so. A role such as
    /// `roles/storage.objectViewer_withcond_2b7c...` is what a version-1 read
    /// of a policy with conditional bindings returns in place of the
    /// conditional binding; the message explains it.
    ///
    /// ## Why is this bad?
    /// `setIamPolicy` rejects a policy with a role that does not exist
    /// ("Role ... is not supported for this resource" or "does not exist"),
    /// so the whole update fails; in Terraform the apply fails. A
    /// `_withcond_` role written back loses the condition of the binding.
    ///
    /// ## Example
    /// ```json
    /// {"bindings": [{"role": "roles/logging.logwriter",
    ///                "members": ["serviceAccount:app@p.iam.gserviceaccount.com"]}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"bindings": [{"role": "roles/logging.logWriter",
    ///                "members": ["serviceAccount:app@p.iam.gserviceaccount.com"]}]}
    /// ```
    ///
    /// ## References
    /// - [IAM roles and permissions index](https://cloud.google.com/iam/docs/roles-permissions)
    /// - [Policy versions: conditional role bindings in version 1 reads](https://cloud.google.com/iam/docs/policies#versions)
    /// - [Custom roles](https://cloud.google.com/iam/docs/creating-custom-roles)
    /// - gcloud reports the same as "INVALID_ARGUMENT: Role ... is not supported"
    pub struct UnknownRole {
        code: "GCP013",
        name: "unknown-role",
        summary: "a binding's role is not a predefined role nor a custom role name",
        severity: Error,
        url: Some("https://cloud.google.com/iam/docs/roles-permissions"),
    }
}

impl Check for UnknownRole {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for policy in &model.gcp.facts.policies {
            for b in &policy.bindings {
                let Some(loc) = b.role_loc else {
                    continue;
                };
                let Some((why, help)) = problem(&b.role) else {
                    continue;
                };
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        loc,
                        format!("unknown role `{}`: {why}", b.role),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

/// Why `role` names no role, and the fix; `None` when it names one.
fn problem(role: &str) -> Option<(String, String)> {
    if ROLES.is_predefined(role) || is_custom_role(role) {
        return None;
    }
    if let Some((base, _)) = role.split_once("_withcond_") {
        return Some((
            format!(
                "this is how a version-1 read shows a binding of `{base}` that has a condition"
            ),
            format!(
                "read the policy with version 3 (`gcloud ... get-iam-policy --format=json` asks for it) and keep the binding's `condition`; writing `{role}` back fails, and a version-1 write drops the condition"
            ),
        ));
    }
    if let Some(name) = ROLES.names().find(|n| n.eq_ignore_ascii_case(role)) {
        return Some((
            "role names are case-sensitive".into(),
            format!("did you mean `{name}`?"),
        ));
    }
    if !role.contains('/')
        && let Some(name) = ROLES.names().find(|n| {
            n.strip_prefix("roles/")
                .is_some_and(|n| n.eq_ignore_ascii_case(role))
        })
    {
        return Some((
            "predefined role names start with `roles/`".into(),
            format!("did you mean `{name}`?"),
        ));
    }
    let lower = role.to_ascii_lowercase();
    let max = typo_threshold(role.len()).min(2);
    let nearest = ROLES
        .names()
        .filter_map(|n| {
            Some((
                bounded_glob_distance(&lower, &n.to_ascii_lowercase(), max)?,
                n,
            ))
        })
        .min_by_key(|(d, n)| (*d, n.len()));
    let why = if role.starts_with("projects/") || role.starts_with("organizations/") {
        "a custom role is named `projects/PROJECT/roles/ID` or `organizations/ORG/roles/ID`"
            .to_string()
    } else {
        "it is not a predefined role of the role table".to_string()
    };
    Some(match nearest {
        Some((_, n)) => (why, format!("did you mean `{n}`?")),
        None => (
            why,
            "use a predefined role (`gcloud iam roles list`) or a custom role's full name; if the role is new, ignore this finding".into(),
        ),
    })
}

/// `projects/P/roles/ID` or `organizations/O/roles/ID`, each part non-empty.
fn is_custom_role(role: &str) -> bool {
    let parts: Vec<&str> = role.split('/').collect();
    matches!(
        parts.as_slice(),
        ["projects" | "organizations", parent, "roles", id] if !parent.is_empty() && !id.is_empty()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        for ok in [
            "roles/logging.logWriter",
            "roles/owner",
            "roles/admin",
            "projects/p/roles/myRole",
            "organizations/123/roles/x",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        let help = |r: &str| problem(r).map(|p| p.1).unwrap_or_default();
        assert_eq!(
            help("roles/logging.logwriter"),
            "did you mean `roles/logging.logWriter`?"
        );
        assert_eq!(help("owner"), "did you mean `roles/owner`?");
        assert_eq!(
            help("roles/logging.logWritr"),
            "did you mean `roles/logging.logWriter`?"
        );
        assert!(
            problem("roles/storage.objectViewer_withcond_2b7c9a1e")
                .is_some_and(|p| p.0.contains("version-1"))
        );
        assert!(problem("projects/p/roles/").is_some());
        assert!(problem("roles/zzzzzzzzzzzzzzzzzzzzzz.qqqqqqqq").is_some());
    }
}
