//! Policy variables (`${aws:username}`) in `Resource` and condition values.
//!
//! IAM substitutes them only in policies with `"Version": "2012-10-17"`;
//! elsewhere `${...}` is literal text
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>).
//! A variable whose key the request does not have takes its default
//! (`${aws:username, 'none'}`), or else cannot be resolved: "If AWS cannot
//! resolve a variable this might cause the entire statement to be
//! invalid", so the value holding it matches nothing. `${*}`, `${?}` and
//! `${$}` are the characters `*`, `?` and `$`.

use std::borrow::Cow;

use super::context::{KeyValue, RequestContext};

/// A policy value after substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Substituted<'t> {
    /// The text; `unknown_parts` when a `*` in it stands for a variable
    /// whose value the inputs do not know.
    Text {
        text: Cow<'t, str>,
        unknown_parts: bool,
    },
    /// A variable names a key the request does not have, with no default.
    Unresolvable,
}

/// Whether policy variables are substituted in a policy of `version`.
pub(crate) fn enabled(version: Option<&str>) -> bool {
    version == Some("2012-10-17")
}

/// Substitutes the variables of `text` from `context` (when `enabled`).
pub(crate) fn substitute<'t>(
    text: &'t str,
    context: &RequestContext,
    enabled: bool,
) -> Substituted<'t> {
    if !enabled || !text.contains("${") {
        return Substituted::Text {
            text: Cow::Borrowed(text),
            unknown_parts: false,
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut unknown_parts = false;
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            // No closing brace: literal text.
            out.push_str(rest.get(start..).unwrap_or_default());
            rest = "";
            break;
        };
        let inner = after.get(..end).unwrap_or_default().trim();
        rest = after.get(end + 1..).unwrap_or_default();
        match inner {
            "*" | "?" | "$" => out.push_str(inner),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => (k.trim(), Some(d.trim().trim_matches('\''))),
                    None => (inner, None),
                };
                match context.get(key) {
                    KeyValue::Values(values) if values.len() == 1 => {
                        if let Some(v) = values.first() {
                            out.push_str(&v.text);
                            unknown_parts |= v.partial;
                        }
                    }
                    KeyValue::Values(values) if !values.is_empty() => {
                        // A multivalued key is no single value to substitute.
                        out.push('*');
                        unknown_parts = true;
                    }
                    KeyValue::Values(_) | KeyValue::Absent => match default {
                        Some(d) => out.push_str(d),
                        None => return Substituted::Unresolvable,
                    },
                    KeyValue::Unknown | KeyValue::Present => {
                        out.push('*');
                        unknown_parts = true;
                    }
                }
            }
        }
    }
    out.push_str(rest);
    Substituted::Text {
        text: Cow::Owned(out),
        unknown_parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: Substituted<'_>) -> (String, bool) {
        match s {
            Substituted::Text {
                text,
                unknown_parts,
            } => (text.into_owned(), unknown_parts),
            Substituted::Unresolvable => ("<unresolvable>".into(), false),
        }
    }

    #[test]
    fn variables_resolve_from_the_context_with_defaults_and_escapes() {
        let ctx = RequestContext::closed()
            .with("aws:PrincipalAccount", KeyValue::known("123"))
            .with("aws:PrincipalTag/team", KeyValue::Unknown);
        let s = |t| text(substitute(t, &ctx, true));
        assert_eq!(
            s("arn:aws:s3:::b/${aws:PrincipalAccount}/*"),
            ("arn:aws:s3:::b/123/*".into(), false)
        );
        assert_eq!(s("${aws:principaltag/team}-x"), ("*-x".into(), true));
        assert_eq!(s("b/${aws:username}/*"), ("<unresolvable>".into(), false));
        assert_eq!(s("b/${aws:username, 'none'}"), ("b/none".into(), false));
        assert_eq!(s("a${*}b${?}${$}"), ("a*b?$".into(), false));
        assert_eq!(s("open ${brace"), ("open ${brace".into(), false));
        // Version 2008-10-17 (or none): literal text.
        assert_eq!(
            text(substitute("b/${aws:username}", &ctx, false)),
            ("b/${aws:username}".into(), false)
        );
        assert!(enabled(Some("2012-10-17")));
        assert!(!enabled(Some("2008-10-17")));
        assert!(!enabled(None));
    }
}
