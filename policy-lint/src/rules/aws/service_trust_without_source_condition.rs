use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::aws_policy::{Effect, Policy};
use crate::documents::{DocKind, PolicyType, is_trust_action};
use crate::model::Model;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a trust policy that lets an AWS service principal assume the
    /// role without an `aws:SourceAccount` or `aws:SourceArn` condition
    /// (`aws:SourceOrgID` and `aws:SourceOrgPaths` also count). Only
    /// principals that the service catalogue says send these keys are
    /// reported (VPC Flow Logs, ECS tasks, RDS Enhanced Monitoring, and the
    /// entries of `--catalog` files that say `source_condition_keys_supported`):
    /// a condition on a key the service does not send stops the
    /// integration (CloudTrail's CloudWatch Logs role, prowler-cloud/prowler#4714),
    /// so principals the catalogue does not know (EKS, API Gateway, a typo),
    /// those it lists in `no_source_condition_principals` (Lambda, EC2, ...)
    /// and those an entry says send none (CloudTrail, Firehose) are not
    /// reported. Nor are service-linked roles (path `/aws-service-role/`),
    /// whose trust policy AWS owns.
    ///
    /// ## Why is this bad?
    /// Without the condition, the service may assume the role on behalf of
    /// any account that names it: the confused deputy problem. AWS recommends
    /// the condition for services that send the keys, VPC Flow Logs among them.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole",
    ///   "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"},
    ///                 "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"}}}]}
    /// ```
    ///
    /// ## References
    /// - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    /// - [IAM role for publishing flow logs to CloudWatch Logs](https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html)
    pub struct ServiceTrustWithoutSourceCondition {
        code: "AWS004",
        name: "service-trust-without-source-condition",
        summary: "a trust policy lets a service assume the role without a source account or ARN condition",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"),
    }
}

const SOURCE_KEYS: [&str; 4] = [
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

impl Check for ServiceTrustWithoutSourceCondition {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        // AWS owns the trust policy of a service-linked role: nobody can add the condition.
        let service_linked: crate::hash::HashSet<_> = model
            .aws
            .roles
            .iter()
            .filter(|r| r.path.starts_with("/aws-service-role/"))
            .filter_map(|r| r.trust.as_ref())
            .map(|t| (t.file, t.node.span()))
            .collect();
        for doc in &model.documents {
            if doc.kind != DocKind::AwsPolicy(PolicyType::Trust) {
                continue;
            }
            if service_linked.contains(&(Some(doc.file.id), doc.node.span())) {
                continue;
            }
            let role = doc
                .name()
                .map(|n| format!(" of role `{n}`"))
                .unwrap_or_default();
            for s in Policy::new(doc.node).statements() {
                if s.effect() != Some(Effect::Allow) {
                    continue;
                }
                let assumes = s.action().is_some_and(|a| {
                    !a.negated && a.strings().any(|(_, act)| is_trust_action(act))
                });
                if !assumes {
                    continue;
                }
                if s.condition()
                    .is_some_and(|c| SOURCE_KEYS.iter().any(|k| c.has_key(k)))
                {
                    continue;
                }
                let Some(p) = s.principal().filter(|p| !p.negated()) else {
                    continue;
                };
                for (node, service) in p.services() {
                    if !model.aws.sends_source_conditions(service) {
                        continue;
                    }
                    let entries = || {
                        model
                            .aws
                            .catalogue
                            .entries
                            .iter()
                            .filter(|e| e.service_principal.eq_ignore_ascii_case(service))
                    };
                    let entry = entries().next();
                    let example = entries()
                        .find_map(|e| e.source_condition_example.as_ref())
                        .and_then(|c| serde_json::to_string(c).ok());
                    let help = match (example, entry) {
                        (Some(c), _) => format!(
                            "add a condition on the account (and resource) the service acts for: \
                             `\"Condition\": {c}`"
                        ),
                        (None, Some(e)) if !e.docs_url.is_empty() => format!(
                            "add a condition on the account the service acts for: \
                             `\"Condition\": {{\"StringEquals\": {{\"aws:SourceAccount\": \"ACCOUNT_ID\"}}}}` \
                             ({})",
                            e.docs_url
                        ),
                        _ => "add a condition on the account the service acts for: \
                              `\"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"ACCOUNT_ID\"}}`"
                            .to_string(),
                    };
                    cx.report(
                        Diagnostic::new(
                            &Self::META,
                            doc.at(node),
                            format!(
                                "trust policy{role} lets `{service}` assume the role without an \
                                 `aws:SourceAccount` or `aws:SourceArn` condition"
                            ),
                        )
                        .with_help(help),
                    );
                }
            }
        }
    }
}
