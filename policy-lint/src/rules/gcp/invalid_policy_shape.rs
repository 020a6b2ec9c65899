use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{DocKind, Document};
use crate::json::{JsonType, Node};
use crate::registry::{Check, Context};
use crate::rules::aws::policy::a_type;

declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong JSON type in a GCP IAM policy: `bindings`
    /// that is not an array, a binding that is not an object, a `role` that
    /// is not a string, `members` that is not an array of strings (a single
    /// `"user:x"` string instead of a list), a `condition` that is not an
    /// object, an `etag` that is not a string, `auditConfigs` that is not an
    /// array. A document with `bindings` (and only the keys of an IAM policy)
    /// is read as an IAM policy whatever the type of `bindings`, so these
    /// errors are shown rather than "no known kind" (JSON003). The `version`
    /// is GCP014's.
    ///
    /// ## Why is this bad?
    /// `setIamPolicy` rejects the policy ("Invalid JSON payload received"),
    /// and `gcloud projects set-iam-policy` fails before sending it. Rules
    /// that read the bindings cannot see the grants the file meant to make.
    ///
    /// ## Example
    /// ```json
    /// {"bindings": [{"role": "roles/viewer", "members": "user:a@example.com"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"bindings": [{"role": "roles/viewer", "members": ["user:a@example.com"]}]}
    /// ```
    ///
    /// ## References
    /// - [Policy (REST reference): bindings, members, role, condition, etag](https://cloud.google.com/iam/docs/reference/rest/v1/Policy)
    /// - [Setting a policy with gcloud](https://cloud.google.com/iam/docs/granting-changing-revoking-access#policy)
    pub struct InvalidPolicyShape {
        code: "GCP016",
        name: "invalid-gcp-policy-shape",
        summary: "a GCP IAM policy has a value of the wrong JSON type",
        severity: Error,
        url: Some("https://cloud.google.com/iam/docs/reference/rest/v1/Policy"),
    }
}

impl Check for InvalidPolicyShape {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        if doc.kind != DocKind::GcpIamPolicy {
            return;
        }
        let mut report = |node: Node<'_>, what: &str, expected: &str, help: &str| {
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at(node),
                    format!("{what} is {}, but it must be {expected}", a_type(node)),
                )
                .with_help(help.to_string()),
            );
        };
        let root = doc.node;
        for (key, expected, ty) in [
            ("etag", "a string", JsonType::String),
            ("auditConfigs", "an array", JsonType::Array),
        ] {
            if let Some(v) = root.get(key).filter(|v| v.json_type() != ty) {
                report(v, &format!("`{key}`"), expected, "see the Policy reference");
            }
        }
        let Some(bindings) = root.get("bindings") else {
            return;
        };
        let Some(list) = bindings.as_array() else {
            report(
                bindings,
                "`bindings`",
                "an array of bindings",
                "write `\"bindings\": [{\"role\": \"roles/...\", \"members\": [\"user:...\"]}]`",
            );
            return;
        };
        for b in list.iter() {
            if b.as_object().is_none() {
                report(
                    b,
                    "a binding",
                    "an object",
                    "write each binding as `{\"role\": \"roles/...\", \"members\": [...]}`",
                );
                continue;
            }
            if let Some(role) = b.get("role").filter(|r| !r.is_string()) {
                report(
                    role,
                    "`role`",
                    "a string",
                    "write the role name as a string: `\"roles/viewer\"`",
                );
            }
            if let Some(c) = b
                .get("condition")
                .filter(|c| !c.is_object() && !c.is_null())
            {
                report(
                    c,
                    "`condition`",
                    "an object",
                    "write the condition as `{\"title\": \"...\", \"expression\": \"...\"}`",
                );
            }
            let Some(members) = b.get("members") else {
                continue;
            };
            match members.as_array() {
                None => report(
                    members,
                    "`members`",
                    "an array of strings",
                    "put the members in a list, even a single one: `\"members\": [\"user:a@example.com\"]`",
                ),
                Some(items) => {
                    for m in items.iter().filter(|m| !m.is_string()) {
                        report(
                            m,
                            "a member",
                            "a string",
                            "write each member as `\"type:id\"`",
                        );
                    }
                }
            }
        }
    }
}
