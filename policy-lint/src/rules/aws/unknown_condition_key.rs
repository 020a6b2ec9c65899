use crate::aws_reference::condition_keys::{self, KeyStatus};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::conditions::condition_entries;
use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports a condition key that is neither a global condition key nor a
    /// key of any service in the Service Authorization Reference
    /// (`rules/aws-condition-keys.json`). Key names are compared without
    /// regard to case, as IAM does (`AWS:SourceIP` is `aws:SourceIp`), and a
    /// documented key with a placeholder stands for every key of its form
    /// (`aws:RequestTag/${TagKey}` covers `aws:RequestTag/team`,
    /// `s3:ExistingObjectTag/<key>` covers `s3:ExistingObjectTag/backup`).
    ///
    /// An unknown `aws:` key is an **error**: the global keys are a short,
    /// documented list, so an unknown one is a typo. An unknown service key
    /// (`s3:x-amz-object-lock-mode`) is a **warning**, since the data is a
    /// snapshot and services add keys. A key documented by any action of any
    /// service counts as known, so a key that an action of the statement
    /// documents is never reported. Keys of web identity and OIDC providers
    /// (`token.actions.githubusercontent.com:sub`,
    /// `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:aud`) are not checked:
    /// any provider a role trusts may be named.
    ///
    /// The check is per service, not per action, on purpose. The reference's
    /// per-action key lists are incomplete: checked per action (a known
    /// service key that no action of the statement in that service documents),
    /// 77 statements of AWS's own managed policies would be reported
    /// (`iam:ResourceTag/...` on `iam:PassRole`, `ec2:SourceInstanceARN` on
    /// `ec2:CreateImage`, `deadline:JobMembershipLevels` on the Deadline
    /// actions), as would IAM User Guide examples such as
    /// `rds:db-tag/Owner` on `rds:DeleteDBInstance`. Policies AWS writes and
    /// relies on are not wrong, so the data, not the policy, is.
    ///
    /// ## Why is this bad?
    /// A condition on a key that is never in the request context does not
    /// match (or, with `...IfExists` and negated operators, always matches).
    /// An Allow with such a condition grants nothing; a Deny with it protects
    /// nothing, silently.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///                 "Condition": {"StringNotEquals": {"aws:SourceAcount": "111122223333"}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
    ///                 "Condition": {"StringNotEquals": {"aws:SourceAccount": "111122223333"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `INVALID_GLOBAL_CONDITION_KEY` and
    ///   `INVALID_SERVICE_CONDITION_KEY` (errors):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - parliament: `UNKNOWN_CONDITION_FOR_ACTION`
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    pub struct UnknownConditionKey {
        code: "AWS204",
        name: "unknown-condition-key",
        summary: "a condition key is not a global key nor a key of any service",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"),
    }
}

impl Check for UnknownConditionKey {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for (s, entry) in condition_entries(&policy) {
            let m = entry.key;
            let status = condition_keys::lookup(m.key);
            let (why, nearest) = match &status {
                KeyStatus::Known | KeyStatus::IdentityProvider => continue,
                KeyStatus::UnknownPrefix if !m.key.contains(':') => (
                    "a condition key is `prefix:Name` (`aws:SourceIp`, `s3:prefix`)".to_string(),
                    None,
                ),
                KeyStatus::UnknownPrefix => (
                    format!(
                        "no service has condition keys with the prefix `{}`",
                        m.key.split(':').next().unwrap_or_default()
                    ),
                    None,
                ),
                KeyStatus::Unknown { nearest } => (
                    if is_global(m.key) {
                        "it is not one of the global condition keys".to_string()
                    } else {
                        "the Service Authorization Reference lists no such key".to_string()
                    },
                    nearest.as_deref(),
                ),
            };
            let mut d = Diagnostic::new(
                &Self::META,
                doc.at_span(m.key_span),
                format!(
                    "unknown condition key `{}` in {}{}: {why}",
                    m.key,
                    s.describe(),
                    policy.in_name()
                ),
            );
            if !is_global(m.key) {
                d = d.with_severity(Severity::Warning);
            }
            let global = format!("aws:{}", m.key);
            let nearest = nearest.or_else(|| {
                (!m.key.contains(':') && condition_keys::lookup(&global) == KeyStatus::Known)
                    .then_some(global.as_str())
            });
            d = match nearest {
                Some(n) => d.with_help(format!("did you mean `{n}`?")),
                None => d.with_help(format!(
                    "use a key from the global condition keys or the service's page of the Service Authorization Reference (data of {}); if the key is new, ignore this finding",
                    condition_keys::snapshot_date()
                )),
            };
            cx.report(d);
        }
    }
}

/// Whether `key` has the global prefix `aws:` (any case).
fn is_global(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}
