use crate::aws_action::action_matches;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::registry::{Check, Context};

use super::conditions::limits_by;
use super::full_admin_access::is_every_action;
use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement of an identity policy that grants
    /// `iam:PassRole` on every role: an action pattern that matches
    /// `iam:PassRole` (`iam:PassRole`, `iam:Pass*`, `iam:*`), or a
    /// `NotAction` that leaves it in, on `Resource` `*` (or every role of an
    /// account, `arn:aws:iam::111122223333:role/*`), or on a `NotResource`.
    /// `Action: "*"` on `*` is AWS301's finding. A statement whose condition
    /// names the services that may receive the role (`iam:PassedToService`
    /// with `StringEquals` or `StringLike`) is not reported: IAM Access
    /// Analyzer accepts that as the other way to narrow the grant.
    ///
    /// ## Why is this bad?
    /// Passing a role to a service (an EC2 instance profile, a Lambda
    /// function, a CloudFormation stack) lets the caller run code with that
    /// role's permissions. With every role passable, an identity that may
    /// create a function or an instance can act as the most privileged
    /// role in the account: a privilege escalation path.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "iam:PassRole",
    ///    "Resource": "arn:aws:iam::111122223333:role/app-lambda",
    ///    "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
    ///   {"Effect": "Allow", "Action": "lambda:CreateFunction", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer security warnings `PASS_ROLE_WITH_STAR_IN_RESOURCE`
    ///   ("specify resource ARNs or add the `iam:PassedToService` condition
    ///   key") and `PASS_ROLE_WITH_NOT_RESOURCE`:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - parliament's `PRIVILEGE_ESCALATION` (community auditor), whose
    ///   methods 4.x all start from `iam:PassRole`
    /// - [Grant a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    pub struct PassRoleStar {
        code: "AWS303",
        name: "pass-role-star",
        summary: "an identity policy allows `iam:PassRole` on every role",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"),
    }
}

/// `*`, or every role of an account (`arn:aws:iam::123:role/*`, any partition).
pub(crate) fn every_role(resource: &str) -> bool {
    if resource == "*" {
        return true;
    }
    let mut parts = resource.splitn(6, ':');
    let mut next = || parts.next();
    matches!(
        [next(), next(), next(), next(), next(), next()],
        [
            Some("arn"),
            Some(_),
            Some("iam"),
            Some(""),
            Some(_),
            Some("*" | "role/*" | "role*" | "*/*")
        ]
    )
}

impl Check for PassRoleStar {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of_type(doc, PolicyType::Identity) else {
            return;
        };
        for s in policy.statements() {
            // As IAM Access Analyzer advises, naming the receiving service
            // is the other way to narrow the grant.
            if s.node.get_str("Effect") != Some("Allow")
                || limits_by(s.get("Condition"), &["iam:PassedToService"])
            {
                continue;
            }
            let on = match (
                s.strings("Resource").find(|(_, r)| every_role(r)),
                s.node.member("NotResource"),
            ) {
                (Some((node, r)), _) => (node, format!("on `{r}`"), "every role"),
                (None, Some(m)) => (
                    m.value,
                    "on every role but those in `NotResource`".to_string(),
                    "every role but these",
                ),
                (None, None) => continue,
            };
            let grant = if let Some((node, action)) = s
                .strings("Action")
                .find(|(_, a)| !is_every_action(a) && action_matches(a, "iam:PassRole"))
            {
                let what = if action.eq_ignore_ascii_case("iam:PassRole") {
                    "allows `iam:PassRole`".to_string()
                } else {
                    format!("allows `iam:PassRole` (through `{action}`)")
                };
                (node, what)
            } else if let Some(m) = s.node.member("NotAction").filter(|m| {
                !super::policy::strings(Some(m.value))
                    .any(|(_, a)| action_matches(a, "iam:PassRole"))
            }) {
                (
                    m.value,
                    "allows `iam:PassRole` (its `NotAction` does not exclude it)".to_string(),
                )
            } else {
                continue;
            };
            let (resource, on, label) = on;
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    doc.at(grant.0),
                    format!("{} of {} {} {on}", s.describe(), policy.describe(), grant.1),
                )
                .with_label(doc.at(resource), label)
                .with_help(
                    "list the ARNs of the roles this identity may pass in `Resource`, and add an \
                     `iam:PassedToService` condition naming the service that receives them",
                ),
            );
        }
    }
}
