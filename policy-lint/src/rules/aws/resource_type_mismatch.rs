use crate::aws_action::{has_wildcard, split_action};
use crate::aws_reference::resource_types::{self, ActionTypes, arn_fields, placeholders_as_stars};
use std::rc::Rc;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::memo::{StrMemo, memoized};
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an action of an `Allow` statement that can act on none of the
    /// statement's resources: no resource type the Service Authorization
    /// Reference documents for the action (`rules/aws-resource-types.json`)
    /// has an ARN format that a `Resource` entry can match. Examples:
    /// `s3:GetObject` (objects, `arn:aws:s3:::bucket/key`) on a bucket ARN
    /// `arn:aws:s3:::bucket`; `sqs:ListQueues`, which documents no resource
    /// type and so needs `"Resource": "*"`, on an S3 ARN.
    ///
    /// Matching is generous, so that a finding is certain: a `*` or a policy
    /// variable in the ARN, and each `${...}` of a documented format, stand
    /// for any text (a placeholder may hold `/`, so an object ARN is not told
    /// apart from a bucket format), case is ignored, and a statement whose
    /// resources include `*` (or an entry that is not an ARN, AWS113's
    /// finding) is skipped. An action with a wildcard (`s3:GetObject*`) is
    /// reported only when none of the actions it matches can act on a
    /// resource of the statement.
    ///
    /// Two cases are left out because the reference is known to be
    /// incomplete there. An action that documents no resource type is
    /// reported only when no resource of the statement belongs to its service
    /// (`sqs:ListQueues` on an S3 ARN), and not at all when its service
    /// documents no resource type: AWS documents some of these as working
    /// with their own service's ARNs (`logs:DescribeLogGroups` on a log
    /// group) or with another's (`ssmmessages:OpenDataChannel` on an SSM
    /// session). Prefixes that several
    /// reference pages share (`elasticloadbalancing` for Elastic Load
    /// Balancing and its V2, `apigateway`, ...) are skipped: the data keeps
    /// one page's resource types per action. Deny statements, `NotAction` and
    /// `NotResource` are not checked (a Deny naming extra resources is common
    /// and harmless).
    ///
    /// ## Why is this bad?
    /// The statement grants that action nothing: the request's resource never
    /// matches, so the call fails with AccessDenied, usually after the policy
    /// was thought to be correct. It is often a bucket ARN where an object
    /// ARN (`/*`) was meant, or a List/Describe action, which takes only `*`,
    /// put in a statement scoped to specific resources.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "sqs:ListQueues"],
    ///                 "Resource": "arn:aws:s3:::my-bucket"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"},
    ///                {"Effect": "Allow", "Action": "sqs:ListQueues", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - closest IAM Access Analyzer issue code: `INVALID_ARN_RESOURCE` (the
    ///   ARN does not match the service's formats):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - parliament: `RESOURCE_MISMATCH`
    /// - [Service Authorization Reference: the resource types
    ///   column](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    pub struct ResourceTypeMismatch {
        code: "AWS205",
        name: "resource-type-mismatch",
        summary: "an action can act on none of its statement's resources",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"),
    }
}

impl Check for ResourceTypeMismatch {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for s in policy.statements() {
            if s.node.get_str("Effect") != Some("Allow") {
                continue;
            }
            let Some(resource_node) = s.get("Resource") else {
                continue;
            };
            let globs: Vec<_> = s
                .strings("Resource")
                .map(|(_, r)| placeholders_as_stars(r))
                .collect();
            // Split once per statement: every action compares its types with each.
            let Some(resources) = globs
                .iter()
                .map(|r| arn_fields(r).filter(|_| &**r != "*"))
                .collect::<Option<Vec<_>>>()
                .filter(|r| !r.is_empty())
            else {
                continue;
            };
            for (node, action) in s.strings("Action") {
                let Some(Resolved {
                    service,
                    wildcard,
                    actions: matched,
                }) = memoized(&RESOLVED, action, resolve)
                else {
                    continue;
                };
                // A service without resource types cannot say which ARNs are its own
                // (`ssmmessages` actions are authorized on `ssm` session ARNs).
                // Asked only of actions that document no resource type.
                let own_service = std::cell::OnceCell::new();
                let fits = |a: &ActionTypes<'_>| {
                    if a.star_only() {
                        return *own_service.get_or_init(|| {
                            service.resource_types.is_empty()
                                || resources.iter().any(|r| same_service(r, service))
                        });
                    }
                    a.types()
                        .any(|t| resources.iter().any(|r| t.may_match_fields(r)))
                };
                let (message, star_only) = if wildcard {
                    if matched.iter().any(fits) {
                        continue;
                    }
                    (
                        format!(
                            "none of the {} actions that `{action}` matches can act on a resource of {}{}: their resource types do not match these ARNs",
                            matched.len(),
                            s.describe(),
                            policy.in_name()
                        ),
                        matched.iter().all(ActionTypes::star_only),
                    )
                } else {
                    let Some(a) = matched.first() else {
                        continue;
                    };
                    if fits(a) {
                        continue;
                    }
                    (
                        format!(
                            "`{action}` can act on no resource of {}{}: {}",
                            s.describe(),
                            policy.in_name(),
                            describe_types(a)
                        ),
                        a.star_only(),
                    )
                };
                let help = if star_only {
                    "move the action to a statement with `\"Resource\": \"*\"`"
                } else {
                    "add a resource of one of its types, or move the action to a statement that has one (an object ARN ends in `/*`)"
                };
                cx.report(
                    Diagnostic::new(&Self::META, doc.at(node), message)
                        .with_label(doc.at(resource_node), "the statement's resources")
                        .with_help(help),
                );
            }
        }
    }
}

/// What the reference says of an action string: its service and the
/// actions it names (one, or those its wildcard matches).
#[derive(Clone)]
struct Resolved {
    service: &'static resource_types::ServiceTypes,
    wildcard: bool,
    actions: Rc<[ActionTypes<'static>]>,
}

thread_local! {
    /// [`resolve`] per distinct action string: a policy set repeats its
    /// actions.
    static RESOLVED: StrMemo<Option<Resolved>> = StrMemo::default();
}

/// The actions that `action` names, unless the rule cannot judge it: no
/// known service, a wildcard in the prefix, a prefix that several reference
/// pages share, or no documented action.
fn resolve(action: &str) -> Option<Resolved> {
    let (prefix, name) = split_action(action)?;
    if has_wildcard(prefix) || resource_types::has_several_pages(prefix) {
        return None;
    }
    let service = resource_types::service(prefix)?;
    let wildcard = has_wildcard(name);
    let actions: Rc<[ActionTypes<'static>]> = if wildcard {
        service.matching(name).collect()
    } else {
        service.action(name).into_iter().collect()
    };
    (!actions.is_empty()).then_some(Resolved {
        service,
        wildcard,
        actions,
    })
}

/// Whether the policy ARN with `fields` may name a resource of `service`:
/// its service field matches the service field of one of the service's
/// formats.
fn same_service(fields: &[&str; 6], service: &resource_types::ServiceTypes) -> bool {
    service.resource_types.iter().any(|t| {
        let (Some(a), Some(b)) = (
            fields.get(2),
            arn_fields(&t.arn).and_then(|f| f.get(2).copied()),
        ) else {
            return false;
        };
        resource_types::globs_intersect(a, b)
    })
}

/// What an action acts on, for messages: its resource types and formats.
fn describe_types(a: &ActionTypes<'_>) -> String {
    if a.star_only() {
        return "it supports no resource-level permissions, so it needs `\"Resource\": \"*\"`"
            .to_string();
    }
    let types: Vec<_> = a.types().collect();
    let shown: Vec<String> = types
        .iter()
        .take(3)
        .map(|t| format!("`{}` ({})", t.name, t.arn))
        .collect();
    let more = match types.len().saturating_sub(3) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!("it acts on {}{more}", shown.join(", "))
}
