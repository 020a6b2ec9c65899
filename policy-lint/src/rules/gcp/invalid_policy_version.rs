use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{DocKind, Document};
use crate::json::Value;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an IAM policy whose `version` is not 0, 1 or 3, the values
    /// Google's Policy reference allows. A fraction (`1.5`), another number
    /// (`2`, `-1`), a number too large for any integer (`1e999999`), or text
    /// that is not a number is reported at the value. A numeric string
    /// (`"3"`) is accepted, as the API's JSON mapping accepts it for an
    /// integer field; so is an integer written with a fraction or exponent
    /// that equals 0, 1 or 3 (`3.0`). A missing or `null` version means 0.
    ///
    /// ## Why is this bad?
    /// `setIamPolicy` rejects the policy ("Invalid policy version"), so the
    /// whole update fails, and Terraform fails at apply. Version 3 is the one
    /// conditional bindings need.
    ///
    /// ## Example
    /// ```json
    /// {"version": 2, "bindings": [{"role": "roles/viewer", "members": ["user:a@example.com"]}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"version": 3, "bindings": [{"role": "roles/viewer", "members": ["user:a@example.com"]}]}
    /// ```
    ///
    /// ## References
    /// - [Policy: version (valid values are 0, 1, and 3)](https://cloud.google.com/iam/docs/reference/rest/v1/Policy)
    /// - [Policy versions](https://cloud.google.com/iam/docs/policies#versions)
    /// - [Protocol Buffers JSON mapping: integers accept numbers or strings](https://protobuf.dev/programming-guides/json/)
    pub struct InvalidPolicyVersion {
        code: "GCP014",
        name: "invalid-policy-version",
        summary: "an IAM policy `version` is not 0, 1 or 3",
        severity: Error,
        url: Some("https://cloud.google.com/iam/docs/reference/rest/v1/Policy"),
    }
}

impl Check for InvalidPolicyVersion {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        if doc.kind != DocKind::GcpIamPolicy {
            return;
        }
        let Some(version) = doc.node.get("version") else {
            return;
        };
        let why = match version.value() {
            Value::Null => return,
            Value::Number(text) => number_problem(text),
            Value::String(text) => match number_problem(text) {
                Some(_) if !looks_numeric(text) => Some(format!("`\"{text}\"` is not a number")),
                other => other,
            },
            _ => Some(format!(
                "the version is {}, not a number",
                crate::rules::aws::policy::a_type(version)
            )),
        };
        let Some(why) = why else {
            return;
        };
        cx.report(
            Diagnostic::new(
                &Self::META,
                doc.at(version),
                format!("invalid IAM policy version: {why}; the valid versions are 0, 1 and 3"),
            )
            .with_help("use `3` (needed for conditional bindings) or `1`"),
        );
    }
}

/// Whether `text` has the characters of a JSON number.
fn looks_numeric(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
}

/// Why the number `text` is not 0, 1 or 3, or `None` when it is one of them.
fn number_problem(text: &str) -> Option<String> {
    match exact_integer(text) {
        Some(0 | 1 | 3) => None,
        Some(_) => Some(format!("`{text}` is not a policy version")),
        None if looks_numeric(text) => Some(format!("`{text}` is not an integer")),
        None => Some(format!("`{text}` is not a number")),
    }
}

/// The value of the decimal number `text` when it is an integer of at most
/// 18 digits, computed exactly (no floating point: `1e999999` is no integer
/// here, `0e999999` is 0).
fn exact_integer(text: &str) -> Option<i64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    if trimmed.is_empty() {
        return Some(0);
    }
    // Value = trimmed * 10^scale.
    let scale = exponent
        .checked_sub(i64::try_from(fraction.len()).ok()?)?
        .checked_add(i64::try_from(digits.len() - trimmed.len()).ok()?)?;
    if scale < 0 || scale + i64::try_from(trimmed.len()).ok()? > 18 {
        return None;
    }
    let mut value: i64 = trimmed.parse().ok()?;
    for _ in 0..scale {
        value = value.checked_mul(10)?;
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        assert_eq!(exact_integer("3"), Some(3));
        assert_eq!(exact_integer("3.0"), Some(3));
        assert_eq!(exact_integer("0.3e1"), Some(3));
        assert_eq!(exact_integer("30e-1"), Some(3));
        assert_eq!(exact_integer("-0"), Some(0));
        assert_eq!(exact_integer("0e999999"), Some(0));
        assert_eq!(exact_integer("1e999999"), None);
        assert_eq!(exact_integer("1.5"), None);
        assert_eq!(exact_integer("2"), Some(2));
        assert_eq!(exact_integer("-1"), Some(-1));
        assert_eq!(exact_integer("1e99999999999999999999"), None);
        assert_eq!(exact_integer("abc"), None);
        assert_eq!(exact_integer(""), None);
        assert_eq!(number_problem("3"), None);
        assert_eq!(number_problem("0"), None);
        assert!(number_problem("2").is_some());
        assert!(number_problem("1.5").is_some());
        assert!(number_problem("1e999999").is_some());
    }
}
