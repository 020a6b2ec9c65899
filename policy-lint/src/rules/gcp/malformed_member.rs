use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::model::gcp::advice::closest;
use crate::registry::{Check, Context};

/// Member prefixes the IAM API accepts (bucket convenience values included).
const PREFIXES: &[&str] = &[
    "user:",
    "serviceAccount:",
    "group:",
    "domain:",
    "deleted:",
    "principal:",
    "principalSet:",
    "projectOwner:",
    "projectEditor:",
    "projectViewer:",
];
const BARE: &[&str] = &["allUsers", "allAuthenticatedUsers"];

declare_rule! {
    /// ## What it does
    /// Reports a binding member that is not in a form IAM accepts: `allUsers`,
    /// `allAuthenticatedUsers`, or a `user:`, `serviceAccount:`, `group:`,
    /// `domain:`, `principal://`, `principalSet://`, `deleted:` (or, on
    /// buckets, `projectOwner:`/`projectEditor:`/`projectViewer:`) prefix with
    /// a value. A bare email, a misspelt prefix (`serviceaccount:`) or an
    /// empty value is an error; any other unrecognised string is a warning.
    ///
    /// ## Why is this bad?
    /// `setIamPolicy` rejects the whole policy with HTTP 400 when one member
    /// is malformed, so none of its changes apply. A bare email is a common
    /// mistake in `google_project_iam_member.member`.
    ///
    /// ## Example
    /// ```json
    /// {"bindings": [{"role": "roles/logging.logWriter", "members": ["app@my-project.iam.gserviceaccount.com"]}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"bindings": [{"role": "roles/logging.logWriter", "members": ["serviceAccount:app@my-project.iam.gserviceaccount.com"]}]}
    /// ```
    ///
    /// ## References
    /// - [Policy bindings: members](https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding)
    pub struct MalformedMember {
        code: "GCP008",
        name: "malformed-member",
        summary: "an IAM binding member is not in a form IAM accepts",
        severity: Error,
        url: Some("https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding"),
    }
}

/// What is wrong with a member, with the severity and a suggestion.
fn problem(member: &str) -> Option<(Severity, String, Option<String>)> {
    if BARE.contains(&member) {
        return None;
    }
    if let Some(p) = PREFIXES.iter().find(|p| member.starts_with(**p)) {
        let value = member.get(p.len()..).unwrap_or_default();
        return value.is_empty().then(|| {
            (
                Severity::Error,
                format!("member `{member}` has a prefix and no value"),
                None,
            )
        });
    }
    if let Some((prefix, value)) = member.split_once(':') {
        let with_colon = format!("{prefix}:");
        if let Some(best) = closest(&with_colon, PREFIXES.iter().copied(), 2).or_else(|| {
            PREFIXES
                .iter()
                .copied()
                .find(|p| p.eq_ignore_ascii_case(&with_colon))
        }) {
            return Some((
                Severity::Error,
                format!("member `{member}` has the unknown prefix `{with_colon}`"),
                Some(format!("did you mean `{best}{value}`?")),
            ));
        }
    } else if let Some(best) = closest(member, BARE.iter().copied(), 2).or_else(|| {
        BARE.iter()
            .copied()
            .find(|b| b.eq_ignore_ascii_case(member))
    }) {
        return Some((
            Severity::Error,
            format!("member `{member}` is not a principal"),
            Some(format!("did you mean `{best}`?")),
        ));
    } else if member.contains('@') {
        let kind = if member.ends_with(".gserviceaccount.com") {
            "serviceAccount"
        } else {
            "user"
        };
        return Some((
            Severity::Error,
            format!("member `{member}` is a bare email without a type prefix"),
            Some(format!("write `{kind}:{member}` (or `group:` for a group)")),
        ));
    }
    Some((
        Severity::Warning,
        format!("member `{member}` is in no form policy-lint knows"),
        Some("use `user:`, `serviceAccount:`, `group:`, `domain:`, `principal://`, `principalSet://`, `allUsers` or `allAuthenticatedUsers`".to_string()),
    ))
}

impl Check for MalformedMember {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for policy in &model.gcp.facts.policies {
            for b in &policy.bindings {
                for m in &b.members {
                    let Some((severity, message, help)) = problem(&m.value) else {
                        continue;
                    };
                    let mut d = Diagnostic::new(
                        &Self::META,
                        m.loc,
                        format!("{message}: setIamPolicy rejects a policy with a malformed member"),
                    )
                    .with_severity(severity)
                    .with_label(b.loc, format!("in the binding of `{}`", b.role));
                    if let Some(h) = help {
                        d = d.with_help(h);
                    }
                    cx.report(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_forms() {
        assert!(problem("user:a@b.c").is_none());
        assert!(problem("allUsers").is_none());
        assert!(problem("principalSet://iam.googleapis.com/x").is_none());
        assert!(problem("deleted:serviceAccount:a@b.c?uid=1").is_none());
        assert_eq!(
            problem("serviceaccount:a@b.c").map(|p| p.0),
            Some(Severity::Error)
        );
        assert_eq!(
            problem("a@b.iam.gserviceaccount.com").map(|p| p.0),
            Some(Severity::Error)
        );
        assert_eq!(problem("user:").map(|p| p.0), Some(Severity::Error));
        assert_eq!(problem("allusers").map(|p| p.0), Some(Severity::Error));
        assert_eq!(problem("abcdefg").map(|p| p.0), Some(Severity::Warning));
    }
}
