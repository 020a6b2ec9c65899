use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::model::gcp::ROLES;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a binding that grants a role to `allUsers` (anyone on the
    /// internet, signed in or not) or `allAuthenticatedUsers` (anyone with a
    /// Google account, inside your organization or not). It is an **error**
    /// for a basic role (`roles/owner`, `roles/editor`, `roles/viewer`,
    /// `roles/admin`, `roles/writer`, `roles/reader`) and for an admin role
    /// (a role whose name ends in `admin`, such as `roles/storage.admin` or
    /// `roles/iam.securityAdmin`), and a **warning** for any other role: a
    /// public read of a bucket that serves a website can be intended.
    ///
    /// ## Why is this bad?
    /// Anyone can use the role's permissions. On a project, a basic or admin
    /// role handed to the public gives away the project; on a bucket, a public
    /// reader role publishes every object.
    ///
    /// ## Example
    /// ```json
    /// {"bindings": [{"role": "roles/storage.objectAdmin", "members": ["allUsers"]}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"bindings": [{"role": "roles/storage.objectAdmin",
    ///                "members": ["group:storage-admins@example.com"]}]}
    /// ```
    ///
    /// ## References
    /// - checkov: `CKV_GCP_28` (Cloud Storage bucket anonymously or publicly
    ///   accessible), for every IAM policy here
    /// - [Principal identifiers: allUsers and allAuthenticatedUsers](https://cloud.google.com/iam/docs/principal-identifiers)
    /// - [Basic roles](https://cloud.google.com/iam/docs/roles-overview#basic)
    pub struct PublicMember {
        code: "GCP015",
        name: "public-member",
        summary: "a binding grants a role to `allUsers` or `allAuthenticatedUsers`",
        severity: Error,
        url: Some("https://cloud.google.com/iam/docs/principal-identifiers"),
    }
}

impl Check for PublicMember {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for policy in &model.gcp.facts.policies {
            for b in &policy.bindings {
                for m in &b.members {
                    let who = match m.value.as_str() {
                        "allUsers" => "anyone on the internet",
                        "allAuthenticatedUsers" => "anyone with a Google account",
                        _ => continue,
                    };
                    let kind = if ROLES.is_basic(&b.role) {
                        Some("a basic role")
                    } else if is_admin_role(&b.role) {
                        Some("an admin role")
                    } else {
                        None
                    };
                    let mut d = Diagnostic::new(
                        &Self::META,
                        m.loc,
                        format!(
                            "`{}` grants `{}` to {who}{}",
                            m.value,
                            b.role,
                            kind.map(|k| format!(" ({k})")).unwrap_or_default()
                        ),
                    )
                    .with_help(
                        "grant the role to the groups or service accounts that need it; if public access is intended, grant the narrowest role (such as `roles/storage.objectViewer` on one bucket)",
                    );
                    if let Some(role) = b.role_loc {
                        d = d.with_label(role, "this role");
                    }
                    if kind.is_none() {
                        d = d.with_severity(Severity::Warning);
                    }
                    cx.report(d);
                }
            }
        }
    }
}

/// Whether the role's name ends in `admin` (`roles/storage.admin`,
/// `roles/iam.securityAdmin`, `projects/p/roles/bucketAdmin`).
fn is_admin_role(role: &str) -> bool {
    let name = role.rsplit(['/', '.']).next().unwrap_or(role);
    name.len() >= 5
        && name
            .get(name.len() - 5..)
            .is_some_and(|t| t.eq_ignore_ascii_case("admin"))
}

#[cfg(test)]
mod tests {
    use super::is_admin_role;

    #[test]
    fn admin_roles() {
        assert!(is_admin_role("roles/storage.admin"));
        assert!(is_admin_role("roles/iam.securityAdmin"));
        assert!(is_admin_role("projects/p/roles/bucketAdmin"));
        assert!(!is_admin_role("roles/storage.objectViewer"));
        assert!(!is_admin_role("roles/admin.viewer"));
    }
}
