use crate::aws_action::{
    Catalogue, Service, action_matches, glob_distance, has_wildcard, typo_threshold,
};
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::hash::HashMap;
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

/// What AWS203 says of a pattern (`prefix`, `name` as written): `None`
/// when it matches an action, else the help to give.
type Verdict = Option<Option<String>>;

/// Verdicts by pattern (`prefix`, `name`).
type Verdicts = HashMap<(Box<str>, Box<str>), Verdict>;

thread_local! {
    /// [`verdict`] per distinct pattern: a policy set repeats its patterns,
    /// and each unmatched one is compared with every action of its service.
    static VERDICTS: std::cell::RefCell<Verdicts> = std::cell::RefCell::new(HashMap::default());
}

impl Check for WildcardMatchesNoAction {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for a in policy.actions(cx) {
            // A literal prefix naming no service is AWS201's.
            let named = a.wild_prefix || a.facts.service.is_some();
            if !(a.wild_prefix || a.wild_name) || !named {
                continue;
            }
            let key = (Box::from(a.prefix), Box::from(a.name));
            let memo = VERDICTS.with_borrow(|m| m.get(&key).cloned());
            let verdict = memo.unwrap_or_else(|| {
                let v = verdict(a.prefix, a.name, a.wild_prefix, a.facts.service);
                VERDICTS.with_borrow_mut(|m| m.insert(key, v.clone()));
                v
            });
            let Some(near) = verdict else {
                continue;
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

/// Whether the pattern `prefix:name` matches no action (`service`: the
/// service its literal prefix names), and then the help naming the closest.
fn verdict(prefix: &str, name: &str, wild_prefix: bool, service: Option<&Service>) -> Verdict {
    let catalogue = Catalogue::get();
    let services: Vec<&Service> = if wild_prefix {
        catalogue
            .services()
            .filter(|svc| action_matches(prefix, &svc.prefix))
            .collect()
    } else {
        service.into_iter().collect()
    };
    if services.iter().any(|svc| svc.any_matching(name)) {
        return None;
    }
    let near = if wild_prefix {
        let literal = prefix.replace(['*', '?'], "");
        catalogue
            .nearest_service(prefix, typo_threshold(literal.len()))
            .map(|(p, _)| format!("did you mean `{p}:{name}`?"))
    } else {
        services.first().and_then(|svc| {
            let literal = name.trim_end_matches('*');
            let max = typo_threshold(name.replace(['*', '?'], "").len());
            let (n, _) = svc.nearest_action(name, max)?;
            if has_wildcard(literal) {
                Some(format!("the closest action is `{}:{n}`", svc.prefix))
            } else {
                // `Descibe*`: suggest the corrected pattern `Describe*`.
                let fixed = corrected_prefix(literal, n);
                Some(format!("did you mean `{}:{fixed}*`?", svc.prefix))
            }
        })
    };
    Some(near)
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
