use crate::hash::HashMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::documents::ParsedFile;
use crate::json::Node;
use crate::registry::{Check, Context};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an object that repeats a key, labelling both occurrences. It is
    /// an error inside IAM documents (AWS policies, GCP IAM policies) and a
    /// warning elsewhere.
    ///
    /// ## Why is this bad?
    /// JSON parsers disagree about duplicate keys: most keep the last value
    /// silently, some keep the first, some fail. In a policy, a second
    /// `Statement` or `Effect` key silently replaces the first, so the policy
    /// in force is not the one you read. The IAM User Guide's troubleshooting
    /// page shows exactly this mistake.
    ///
    /// ## Example
    /// ```json
    /// {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Effect": "Deny"}}
    /// ```
    ///
    /// ## Use instead
    /// Keep one key; to list several statements, make `Statement` an array.
    ///
    /// ## References
    /// - [Troubleshoot IAM policies: multiple elements](https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html)
    pub struct DuplicateKey {
        code: "JSON002",
        name: "duplicate-key",
        summary: "an object repeats a key",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_policies.html"),
    }
}

impl Check for DuplicateKey {
    fn check_file(&self, file: &ParsedFile, cx: &mut Context<'_>) {
        let iam_docs: Vec<(Span, Option<&str>)> = file
            .documents()
            .filter(|d| d.kind.is_iam_document())
            .map(|d| (d.node.span(), d.name()))
            .collect();
        let mut report = |first: Span, second: Span, key: &str| {
            // In a Terraform plan, a resource repeated in `planned_values` or
            // `prior_state` is a copy of its canonical entry: report once.
            if file.shadowed.iter().any(|s| s.contains(second)) {
                return;
            }
            let iam = iam_docs
                .iter()
                .filter(|(s, _)| s.contains(second))
                .min_by_key(|(s, _)| s.len());
            let severity = if iam.is_some() {
                Severity::Error
            } else {
                Severity::Warning
            };
            let what = match iam {
                Some((_, Some(name))) => format!("IAM document `{name}`"),
                Some((_, None)) => "IAM document".to_string(),
                None => "object".to_string(),
            };
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    Location::new(file.id, second),
                    format!(
                        "duplicate key `{key}` in {what}: the later value replaces the earlier one"
                    ),
                )
                .with_severity(severity)
                .with_label(Location::new(file.id, first), "first defined here")
                .with_help("remove one of the keys, or merge their values"),
            );
        };
        if let Some(root) = file.root() {
            walk(root, &mut report);
        }
        for e in &file.embedded {
            walk(e.root(), &mut report);
        }
    }
}

/// Objects with at most this many members are checked without a map.
const SMALL_OBJECT: usize = 8;

fn walk(node: Node<'_>, report: &mut impl FnMut(Span, Span, &str)) {
    // Strings are most nodes: tell containers by type without reading text.
    if let Some(items) = node.as_array() {
        items.iter().for_each(|n| walk(n, report));
        return;
    }
    let Some(members) = node.as_object() else {
        return;
    };
    if members.len() > SMALL_OBJECT {
        let mut seen: HashMap<&str, Span> =
            HashMap::with_capacity_and_hasher(members.len(), Default::default());
        for m in members {
            if let Some(first) = seen.insert(m.key, m.key_span) {
                report(first, m.key_span, m.key);
            }
        }
    } else {
        // Most objects are this small: comparing keys beats hashing them.
        let mut seen = [("", Span::default()); SMALL_OBJECT];
        for (i, m) in members.iter().enumerate() {
            let before = seen.get(..i).unwrap_or_default();
            if let Some((_, first)) = before.iter().rev().find(|(k, _)| *k == m.key) {
                report(*first, m.key_span, m.key);
            }
            if let Some(slot) = seen.get_mut(i) {
                *slot = (m.key, m.key_span);
            }
        }
    }
    members.iter().for_each(|m| walk(m.value, report));
}
