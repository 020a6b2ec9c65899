use crate::aws_action::{Catalogue, action_matches, glob_distance, has_wildcard, typo_threshold};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::registry::{Check, Context};

use super::policy::Policy;

declare_rule! {
    /// ## What it does
    /// Reports an action pattern with `*` or `?` that matches no action in
    /// the vendored action list (`rules/aws-actions.json`), for example
    /// `s3:Gett*` or `ec2:Describe?`. Matching follows IAM: case-insensitive,
    /// `*` any run of characters, `?` exactly one. A wildcard in the prefix
    /// (`code*:List*`) is matched against every known prefix. Patterns whose
    /// literal prefix names an unknown service are AWS201's business. The
    /// help names the closest action.
    ///
    /// It is a **warning**: the action list is a snapshot, so a pattern for
    /// brand-new actions may match nothing in it yet.
    ///
    /// ## Why is this bad?
    /// A pattern that matches nothing grants or denies nothing, usually
    /// because of a typo or a guessed naming scheme (`ec2:Desc*Instance`
    /// misses `DescribeInstances`).
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "ec2:Descibe*", "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue code `INVALID_ACTION` (error):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Action (wildcards)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    pub struct WildcardMatchesNoAction {
        code: "AWS203",
        name: "wildcard-matches-no-action",
        summary: "an action pattern with a wildcard matches no known action",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"),
    }
}

impl Check for WildcardMatchesNoAction {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let catalogue = Catalogue::get();
        for a in policy.actions(cx) {
            if !(a.wild_prefix || a.wild_name) {
                continue;
            }
            let services: Vec<_> = if a.wild_prefix {
                catalogue
                    .services()
                    .filter(|svc| action_matches(a.prefix, &svc.prefix))
                    .collect()
            } else {
                match a.facts.service {
                    Some(svc) => vec![svc],
                    None => continue, // AWS201
                }
            };
            if services.iter().any(|svc| svc.any_matching(a.name)) {
                continue;
            }
            let near = if a.wild_prefix {
                let literal = a.prefix.replace(['*', '?'], "");
                catalogue
                    .nearest_service(a.prefix, typo_threshold(literal.len()))
                    .map(|(p, _)| format!("did you mean `{p}:{}`?", a.name))
            } else {
                services.first().and_then(|svc| {
                    let literal = a.name.trim_end_matches('*');
                    let max = typo_threshold(a.name.replace(['*', '?'], "").len());
                    let (n, _) = svc.nearest_action(a.name, max)?;
                    if has_wildcard(literal) {
                        Some(format!("the closest action is `{}:{n}`", svc.prefix))
                    } else {
                        // `Descibe*`: suggest the corrected pattern `Describe*`.
                        let fixed = corrected_prefix(literal, n);
                        Some(format!("did you mean `{}:{fixed}*`?", svc.prefix))
                    }
                })
            };
            let d = Diagnostic::new(
                &Self::META,
                doc.at(a.node),
                format!(
                    "`{}` in `{}` matches no known action{}",
                    a.action,
                    a.element,
                    policy.in_name()
                ),
            );
            let d = d.with_help(match near {
                Some(n) => n,
                None => {
                    "wildcards match case-insensitively, `*` any run and `?` exactly one character"
                        .to_string()
                }
            });
            cx.report(d);
        }
    }
}

/// The prefix of `action` closest to `literal` (by edit distance), for
/// turning `Descibe*` into `Describe*`.
fn corrected_prefix<'n>(literal: &str, action: &'n str) -> &'n str {
    let lower = literal.to_ascii_lowercase();
    (0..=action.len())
        .filter_map(|k| action.get(..k))
        .min_by_key(|p| glob_distance(&lower, &p.to_ascii_lowercase()))
        .unwrap_or(action)
}
