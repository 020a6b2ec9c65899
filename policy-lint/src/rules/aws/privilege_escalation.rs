use crate::aws_action::action_matches;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::json::Node;
use crate::registry::{Check, Context};

use super::conditions::narrowing_values;
use super::full_admin_access::is_every_action;
use super::pass_role_star::every_role;
use super::policy::{Policy, Statement, strings};

declare_rule! {
    /// ## What it does
    /// Reports an identity policy whose `Allow` statements together grant
    /// every action of a known privilege-escalation method: the methods
    /// parliament's `privilege_escalation` auditor reports, from Bishop
    /// Fox's list (`iam:CreateAccessKey`; `iam:PutUserPolicy`;
    /// `iam:PassRole` with `lambda:CreateFunction` and
    /// `lambda:InvokeFunction`; `iam:UpdateAssumeRolePolicy` with
    /// `sts:AssumeRole`; `lambda:UpdateFunctionCode`; ...). One finding
    /// per policy names every method found; it points at the grant of the
    /// first one and labels the others. As in parliament, resources and
    /// conditions are not weighed (a grant on one user may still be a
    /// path), but for `iam:PassRole`: it counts only on every role (`*`,
    /// `role/*` or a `NotResource`), as passing one named role is its
    /// intended use, and not when an `iam:PassedToService` condition keeps
    /// the role from the method's service (passing any role to
    /// `lambda.amazonaws.com` still lets a new function run as any role).
    /// An unconditional `Deny` on `*` removes an action. A policy that
    /// allows `*` on `*` is AWS301's finding instead.
    ///
    /// ## Why is this bad?
    /// Each method lets the identity give itself (or a role it controls)
    /// more permissions than the policy grants: write a new policy version,
    /// attach a policy, mint keys for another user, or run code as a more
    /// privileged role. The policy's real reach is then the account's most
    /// privileged identity.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    ///   "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// Grant the escalating actions only on the resources that need them
    /// (`iam:PassRole` on one role ARN with `iam:PassedToService`), keep
    /// them in separate identities, or guard them with a permissions
    /// boundary.
    ///
    /// ## References
    /// - parliament's `PRIVILEGE_ESCALATION` finding (community auditor
    ///   `privilege_escalation`), one per method:
    ///   <https://github.com/duo-labs/parliament>
    /// - IAM Access Analyzer has no policy-validation check for these
    ///   combinations; its `CheckAccessNotGranted` can assert their absence:
    ///   <https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CheckAccessNotGranted.html>
    /// - [Permissions boundaries for IAM entities](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
    pub struct PrivilegeEscalation {
        code: "AWS305",
        name: "privilege-escalation",
        summary: "an identity policy grants every action of a known privilege-escalation method",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"),
    }
}

/// parliament's methods (its names), each with the actions it needs.
const METHODS: &[(&str, &[&str])] = &[
    ("CreateAccessKey", &["iam:CreateAccessKey"]),
    ("CreateLoginProfile", &["iam:CreateLoginProfile"]),
    ("UpdateLoginProfile", &["iam:UpdateLoginProfile"]),
    ("CreateNewPolicyVersion", &["iam:CreatePolicyVersion"]),
    (
        "SetExistingDefaultPolicyVersion",
        &["iam:SetDefaultPolicyVersion"],
    ),
    ("AttachUserPolicy", &["iam:AttachUserPolicy"]),
    ("AttachGroupPolicy", &["iam:AttachGroupPolicy"]),
    (
        "AttachRolePolicy",
        &["iam:AttachRolePolicy", "sts:AssumeRole"],
    ),
    ("PutUserPolicy", &["iam:PutUserPolicy"]),
    ("PutGroupPolicy", &["iam:PutGroupPolicy"]),
    ("PutRolePolicy", &["iam:PutRolePolicy", "sts:AssumeRole"]),
    ("AddUserToGroup", &["iam:AddUserToGroup"]),
    (
        "UpdateRolePolicyToAssumeIt",
        &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"],
    ),
    (
        "CreateEC2WithExistingIP",
        &["iam:PassRole", "ec2:RunInstances"],
    ),
    (
        "PassExistingRoleToNewLambdaThenInvoke",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:InvokeFunction",
        ],
    ),
    (
        "PassExistingRoleToNewLambdaThenTriggerWithNewDynamo",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
            "dynamodb:CreateTable",
            "dynamodb:PutItem",
        ],
    ),
    (
        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        &[
            "iam:PassRole",
            "lambda:CreateFunction",
            "lambda:CreateEventSourceMapping",
        ],
    ),
    (
        "PassExistingRoleToNewGlueDevEndpoint",
        &["iam:PassRole", "glue:CreateDevEndpoint"],
    ),
    (
        "PassExistingRoleToCloudFormation",
        &["iam:PassRole", "cloudformation:CreateStack"],
    ),
    (
        "PassExistingRoleToNewDataPipeline",
        &["iam:PassRole", "datapipeline:CreatePipeline"],
    ),
    ("UpdateExistingGlueDevEndpoint", &["glue:UpdateDevEndpoint"]),
    (
        "EditExistingLambdaFunctionWithRole",
        &["lambda:UpdateFunctionCode"],
    ),
];

/// Whether statement `s` names `action` in `Action`, or leaves it out of
/// its `NotAction`; the node that does.
fn names<'a>(s: &Statement<'a>, action: &str) -> Option<Node<'a>> {
    if let Some((node, _)) = s.strings("Action").find(|(_, a)| action_matches(a, action)) {
        return Some(node);
    }
    let not = s.get("NotAction")?;
    (!strings(Some(not)).any(|(_, a)| action_matches(a, action))).then_some(not)
}

/// The node of an `Allow` statement that grants `action`, unless an
/// unconditional `Deny` on every resource takes it away. `receiver` is the
/// service the method passes a role to (`lambda` for a new function).
fn granted<'a>(
    statements: &[(Statement<'a>, bool)],
    action: &str,
    receiver: &str,
) -> Option<Node<'a>> {
    let denied = statements.iter().any(|(s, allow)| {
        !allow
            && s.get("Condition").is_none()
            && s.strings("Resource").any(|(_, r)| r == "*")
            && names(s, action).is_some()
    });
    if denied {
        return None;
    }
    let counts = |s: &Statement<'_>| {
        !action.eq_ignore_ascii_case("iam:PassRole") || passes_any_role_to(s, receiver)
    };
    statements
        .iter()
        .filter(|(s, allow)| *allow && counts(s))
        .find_map(|(s, _)| names(s, action))
}

/// Whether statement `s` lets `iam:PassRole` hand any role to `receiver`:
/// on every role (as AWS303 reports it), and with no `iam:PassedToService`
/// condition that keeps the role from that service. Passing one named
/// role is the intended use of the permission; passing any role to the
/// service that then runs the caller's code is the escalation, whatever
/// the condition says.
fn passes_any_role_to(s: &Statement<'_>, receiver: &str) -> bool {
    let every_role =
        s.strings("Resource").any(|(_, r)| every_role(r)) || s.get("NotResource").is_some();
    let principal = format!("{receiver}.amazonaws.com");
    let mut services = narrowing_values(s.get("Condition"), &["iam:PassedToService"]).peekable();
    every_role
        && (services.peek().is_none()
            || services.any(|v| v.as_str().is_some_and(|v| action_matches(v, &principal))))
}

/// The service a method passes its role to: the prefix of its first action
/// outside IAM (`ec2` for `ec2:RunInstances`).
fn receiver(actions: &[&'static str]) -> &'static str {
    actions
        .iter()
        .filter_map(|a| a.split_once(':'))
        .find(|(service, _)| *service != "iam")
        .map_or("", |(service, _)| service)
}

impl Check for PrivilegeEscalation {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of_type(doc, PolicyType::Identity) else {
            return;
        };
        let statements: Vec<(Statement<'_>, bool)> = policy
            .statements()
            .filter_map(|s| match s.node.get_str("Effect") {
                Some("Allow") => Some((s, true)),
                Some("Deny") => Some((s, false)),
                _ => None,
            })
            .collect();
        let full_admin = statements.iter().any(|(s, allow)| {
            *allow
                && s.strings("Action").any(|(_, a)| is_every_action(a))
                && s.strings("Resource").any(|(_, r)| r == "*")
        });
        if full_admin {
            return;
        }
        let found: Vec<(&str, Vec<Node<'_>>)> = METHODS
            .iter()
            .filter_map(|(name, actions)| {
                let to = receiver(actions);
                let nodes: Option<Vec<_>> = actions
                    .iter()
                    .map(|a| granted(&statements, a, to))
                    .collect();
                Some((*name, nodes?))
            })
            .collect();
        let Some((_, first_nodes)) = found.first() else {
            return;
        };
        let Some(primary) = first_nodes.first() else {
            return;
        };
        let names: Vec<&str> = found.iter().map(|(n, _)| *n).collect();
        let mut d = Diagnostic::new(
            &Self::META,
            doc.at(*primary),
            format!(
                "{} grants {} privilege-escalation method{}: {}",
                policy.describe(),
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ),
        )
        .with_help(
            "grant these actions only on the resources that need them, split them across \
             identities, or cap the identity with a permissions boundary",
        );
        let mut labelled = vec![primary.span()];
        for (name, nodes) in &found {
            for node in nodes {
                if !labelled.contains(&node.span()) {
                    labelled.push(node.span());
                    d = d.with_label(doc.at(*node), format!("part of {name}"));
                }
            }
        }
        cx.report(d);
    }
}
