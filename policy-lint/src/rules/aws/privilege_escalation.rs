use std::sync::LazyLock;

use crate::aws_action::{action_matches, has_wildcard};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::json::Node;
use crate::memo::{StrMemo, memoized};
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

/// The distinct actions of [`METHODS`], each with its service prefix; bit
/// `i` of a [`mask`] stands for the `i`th.
static ACTIONS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let mut all: Vec<(&'static str, &'static str)> = Vec::new();
    for &action in METHODS.iter().flat_map(|(_, actions)| actions.iter()) {
        if !all.iter().any(|(a, _)| *a == action) {
            all.push((action, action.split_once(':').map_or("", |(p, _)| p)));
        }
    }
    all
});

thread_local! {
    /// [`mask`] per distinct pattern: a policy set repeats its actions, and
    /// each is compared with every action of every method.
    static MASKS: StrMemo<u64> = StrMemo::default();
}

/// The bit of `action`, one of [`ACTIONS`].
fn bit(action: &str) -> u64 {
    ACTIONS
        .iter()
        .position(|(a, _)| *a == action)
        .map_or(0, |i| 1 << i)
}

/// The actions of [`ACTIONS`] that the `Action` pattern `pattern` matches.
fn mask(pattern: &str) -> u64 {
    // A literal prefix matches only the actions of its service: most
    // patterns need neither the memo nor a match.
    let prefix = pattern
        .split_once(':')
        .map(|(p, _)| p)
        .filter(|p| p.is_ascii() && !has_wildcard(p));
    if prefix.is_some_and(|p| !ACTIONS.iter().any(|(_, s)| s.eq_ignore_ascii_case(p))) {
        return 0;
    }
    memoized(&MASKS, pattern, |pattern| {
        ACTIONS
            .iter()
            .enumerate()
            .filter(|(_, (a, service))| {
                prefix.is_none_or(|p| service.eq_ignore_ascii_case(p)) && action_matches(pattern, a)
            })
            .fold(0, |m, (i, _)| m | 1 << i)
    })
}

/// An `Allow` or `Deny` statement, with the method actions each of its
/// `Action` strings and its `NotAction` match, found once per statement.
struct Grants<'a> {
    statement: Statement<'a>,
    allow: bool,
    /// A `Deny` with no condition on every resource.
    blanket_deny: bool,
    actions: Vec<(Node<'a>, u64)>,
    /// Every method action that `actions` match.
    any: u64,
    not_action: Option<(Node<'a>, u64)>,
}

impl<'a> Grants<'a> {
    fn new(statement: Statement<'a>, allow: bool) -> Self {
        let blanket_deny = !allow
            && statement.get("Condition").is_none()
            && statement.strings("Resource").any(|(_, r)| r == "*");
        let actions: Vec<_> = statement
            .strings("Action")
            .map(|(node, a)| (node, mask(a)))
            .collect();
        let any = actions.iter().fold(0, |m, (_, a)| m | a);
        let not_action = statement
            .get("NotAction")
            .map(|not| (not, strings(Some(not)).fold(0, |m, (_, a)| m | mask(a))));
        Grants {
            statement,
            allow,
            blanket_deny,
            actions,
            any,
            not_action,
        }
    }

    /// The node that names the action of `bit` in `Action`, or leaves it out
    /// of `NotAction`.
    fn names(&self, bit: u64) -> Option<Node<'a>> {
        if self.any & bit != 0 {
            return self
                .actions
                .iter()
                .find(|(_, m)| m & bit != 0)
                .map(|(node, _)| *node);
        }
        let (not, m) = self.not_action?;
        (m & bit == 0).then_some(not)
    }
}

/// The node of an `Allow` statement that grants `action`, unless an
/// unconditional `Deny` on every resource takes it away. `receiver` is the
/// service the method passes a role to (`lambda` for a new function).
fn granted<'a>(statements: &[Grants<'a>], action: &str, receiver: &str) -> Option<Node<'a>> {
    let bit = bit(action);
    let denied = statements
        .iter()
        .any(|g| g.blanket_deny && g.names(bit).is_some());
    if denied {
        return None;
    }
    let counts = |s: &Statement<'_>| {
        !action.eq_ignore_ascii_case("iam:PassRole") || passes_any_role_to(s, receiver)
    };
    statements
        .iter()
        .filter(|g| g.allow && g.names(bit).is_some() && counts(&g.statement))
        .find_map(|g| g.names(bit))
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
        let statements: Vec<Grants<'_>> = policy
            .statements()
            .filter_map(|s| match s.node.get_str("Effect") {
                Some("Allow") => Some(Grants::new(s, true)),
                Some("Deny") => Some(Grants::new(s, false)),
                _ => None,
            })
            .collect();
        let full_admin = statements.iter().any(|g| {
            g.allow
                && g.statement
                    .strings("Action")
                    .any(|(_, a)| is_every_action(a))
                && g.statement.strings("Resource").any(|(_, r)| r == "*")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_match_as_action_matches_does() {
        assert!(ACTIONS.len() <= 64, "a mask has 64 bits");
        for pattern in [
            "iam:*",
            "IAM:passrole",
            "iam:Pass*",
            "*",
            "*:PassRole",
            "i?m:CreateAccessKey",
            "lambda:*Function*",
            "s3:*",
            "ec2:Run*",
            "sts:AssumeRole*",
            "iam",
        ] {
            for (i, (action, _)) in ACTIONS.iter().enumerate() {
                assert_eq!(
                    mask(pattern) & (1 << i) != 0,
                    action_matches(pattern, action),
                    "{pattern} {action}"
                );
            }
        }
        assert_eq!(mask("s3:*"), 0);
        assert_eq!(mask("iam:PassRole"), bit("iam:PassRole"));
    }
}
