use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::eval::{self, Tri};
use crate::model::Model;
use crate::model::aws::{CatalogEntry, arn_name};
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a broad AWS managed policy (such as `CloudWatchLogsFullAccess`)
    /// attached to a role that a service uses for a purpose whose
    /// least-privilege actions the service catalogue knows: a VPC flow log's
    /// delivery role, or a role that trusts the service. The help shows the
    /// statement to use instead.
    ///
    /// ## Why is this bad?
    /// It works, which is why it is the usual "fix" for an access error, but
    /// it grants every CloudWatch Logs action on every log group (reading,
    /// deleting, changing retention) to whoever can act as the role.
    ///
    /// ## Example
    /// A flow-log delivery role with
    /// `arn:aws:iam::aws:policy/CloudWatchLogsFullAccess` attached.
    ///
    /// ## Use instead
    /// ```json
    /// {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream",
    ///   "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"], "Resource": "*"}
    /// ```
    ///
    /// ## References
    /// - [Apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [IAM role for publishing flow logs to CloudWatch Logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)
    pub struct BroadManagedPolicy {
        code: "AWS005",
        name: "broad-managed-policy",
        summary: "a broad AWS managed policy is attached where least-privilege actions are known",
        severity: Advice,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"),
    }
}

impl Check for BroadManagedPolicy {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        let aws = &model.aws;
        // Each use's role, found once (not once per role: plans hold
        // thousands of roles).
        let users: Vec<_> = aws.uses.iter().map(|u| (aws.roles_of(u), u)).collect();
        for role in &aws.roles {
            if role.attached.is_empty() {
                continue;
            }
            // The entries that apply: from the services using the role, then
            // from the services its trust policy admits.
            let mut entries: Vec<(&CatalogEntry, Option<String>)> = Vec::new();
            for (r, u) in &users {
                if r.iter().any(|r| std::ptr::eq(*r, role))
                    && let Some(e) = aws.entry(&u.entry)
                {
                    entries.push((e, Some(u.user.clone())));
                }
            }
            if let Some(trust) = &role.trust {
                for e in &aws.catalogue.entries {
                    if e.broad_managed_policies.is_empty()
                        || entries.iter().any(|(x, _)| x.id == e.id)
                    {
                        continue;
                    }
                    let trusted = e
                        .trust_actions
                        .iter()
                        .any(|a| eval::trust_allows(trust, &e.service_principal, a) != Tri::No);
                    if trusted {
                        entries.push((e, None));
                    }
                }
            }
            for a in &role.attached {
                let Some(at) = a.location else { continue };
                let Some((entry, user)) = entries
                    .iter()
                    .find(|(e, _)| e.broad_managed_policies.contains(&a.arn))
                else {
                    continue;
                };
                let purpose = match user {
                    Some(u) => format!("used by {u}"),
                    None => format!("assumed by `{}`", entry.service_principal),
                };
                let stmt = entry
                    .least_privilege_json()
                    .unwrap_or_else(|| "(no least-privilege statement in the catalogue)".into());
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        at,
                        format!(
                            "role `{}` {purpose} attaches `{}`, which grants far more than the service needs",
                            role.display(),
                            arn_name(&a.arn)
                        ),
                    )
                    .with_help(format!(
                        "detach it and give the role only what `{}` needs ({}):\n{stmt}",
                        entry.service_principal, entry.docs_url
                    ))
                    .with_logical(role.display())
                    .with_docs_url(entry.docs_url.as_str()),
                );
            }
        }
    }
}
