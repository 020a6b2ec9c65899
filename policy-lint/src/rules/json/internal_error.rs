use crate::declare_rule;
use crate::registry::Check;

declare_rule! {
    /// ## What it does
    /// Reports that policy-lint itself failed while checking a file: a rule
    /// (or the parser) hit a bug and stopped. The finding names the rule and
    /// the file; every other rule still checked the file, and every other
    /// file of the run was still linted. It cannot be disabled, and it makes
    /// the run exit with code 1 like any error.
    ///
    /// ## Why is this bad?
    /// A check that crashed found nothing, so a clean result for that rule and
    /// file would be a false sense of safety. policy-lint never aborts a whole
    /// run on one bad input; it reports the failure here instead.
    ///
    /// ## Example
    /// ```text
    /// error[JSON004] internal error in rule AWS001 (service-trust-principal): ...
    /// ```
    ///
    /// ## How to fix
    /// This is a bug in policy-lint: please report it with the input that
    /// triggers it (the message says which rule failed). Until it is fixed,
    /// `--ignore` the failing rule's code to silence the crash; the internal
    /// error is still shown.
    pub struct InternalError {
        code: "JSON004",
        name: "internal-error",
        summary: "policy-lint failed while checking a file (a bug: please report it)",
        severity: Error,
        url: None,
    }
}

/// Reported by the driver when a check panics.
impl Check for InternalError {}
