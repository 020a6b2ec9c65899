use crate::declare_rule;
use crate::registry::Check;

declare_rule! {
    /// ## What it does
    /// Reports a file, or a document embedded in a string, that is not valid
    /// JSON (RFC 8259), at the offending byte. A file in an encoding other
    /// than UTF-8 or UTF-16 is reported at byte 0, naming the encoding.
    ///
    /// A policy string (a Terraform plan's `assume_role_policy`, a CLI
    /// output's document) must hold a JSON object: one that holds another
    /// JSON value, such as a JSON string holding JSON (the policy encoded
    /// twice), is reported at the string; an empty one where a policy is
    /// required is a warning, since nothing in it can be checked.
    ///
    /// ## Why is this bad?
    /// AWS, GCP and Terraform parse policies strictly: comments, trailing
    /// commas, single quotes, `NaN`, raw control characters inside strings,
    /// lone surrogate escapes and invalid UTF-8 are all rejected, and nothing
    /// else in the file can be checked until it parses.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [],}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": []}
    /// ```
    ///
    /// ## References
    /// - [RFC 8259](https://www.rfc-editor.org/rfc/rfc8259)
    pub struct InvalidJson {
        code: "JSON001",
        name: "invalid-json",
        summary: "a file is not valid JSON",
        severity: Error,
        url: Some("https://www.rfc-editor.org/rfc/rfc8259"),
    }
}

/// Reported by the driver when parsing fails; there is nothing to check after.
impl Check for InvalidJson {}
