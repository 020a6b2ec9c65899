//! Findings: what a rule reports, where, and how to fix it.

use crate::source::FileId;
pub use crate::vocabulary::{Location, Severity};

/// What a rule is, independent of how it checks.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable code, `FAMILY` + three digits (`AWS001`).
    pub code: &'static str,
    /// Stable kebab-case name (`service-trust-principal`).
    pub name: &'static str,
    /// One line: what it finds, lowercase, no trailing period.
    pub summary: &'static str,
    /// Default severity.
    pub default_severity: Severity,
    /// The main reference for the rule (cloud documentation).
    pub url: Option<&'static str>,
    /// The full documentation, Markdown, from the rule's doc comment.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The documentation as Markdown: the doc comment with the one space
    /// after each `///` removed.
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }

    /// The family prefix (`AWS`, `GCP`, `JSON`).
    pub fn family(&self) -> &'static str {
        let end = self
            .code
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(self.code.len());
        self.code.get(..end).unwrap_or(self.code)
    }
}

/// A secondary place that explains the finding, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub location: Location,
    /// Why it matters, lowercase, no trailing period.
    pub message: String,
}

/// Where in the Terraform configuration a finding in a plan was written
/// (see [`crate::terraform_source`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformSource {
    /// The bytes in a `.tf` file of [`crate::LintResult::config_files`].
    pub location: Location,
    /// The resource's address in the plan (`module.net.aws_iam_role.this[0]`).
    pub address: String,
}

/// The Terraform resource a finding in a plan or state is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformResource {
    /// Its full instance address (`module.db.aws_iam_role.r[0]`), or its
    /// configuration address for a finding in `configuration`.
    pub address: String,
    /// The `source` of the module call that declares it
    /// (`terraform-aws-modules/rds/aws`), when it is in a module.
    pub module_source: Option<String>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: &'static RuleMeta,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The token to change: a string with its quotes, a whole object or array,
    /// or for something missing, the object that should hold it.
    pub primary: Location,
    /// Related places.
    pub labels: Vec<Label>,
    /// JSON Pointer of the primary token (`outer#inner` inside an embedded
    /// document); filled in by the linter when the run ends.
    pub path: String,
    /// A logical location (Terraform address, role ARN, statement Sid) used
    /// for suppressions and stable fingerprints; empty when there is none.
    pub logical: String,
    /// A fingerprint stable under reformatting and line moves: rule, file,
    /// JSON Pointer, logical location and a hash of the primary token's
    /// decoded value, never line numbers. Filled in by the linter when the
    /// run ends; baselines and SARIF `partialFingerprints` use it.
    pub fingerprint: String,
    /// For a finding in a Terraform plan, the HCL that wrote the value, when
    /// the caller mapped it ([`crate::terraform_source::locate`]).
    pub source: Option<TerraformSource>,
    /// The Terraform resource whose entry holds the primary location, for a
    /// finding in a plan or state; filled in by the linter when the run ends.
    pub terraform: Option<TerraformResource>,
    /// The documentation of what this finding is about, when it is more
    /// precise than the rule's (the page of the integration whose role is
    /// wrong); see [`Diagnostic::url`].
    pub docs_url: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule` at `primary`, with the rule's default severity.
    pub fn new(rule: &'static RuleMeta, primary: Location, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            help: None,
            primary,
            labels: Vec::new(),
            path: String::new(),
            logical: String::new(),
            fingerprint: String::new(),
            source: None,
            terraform: None,
            docs_url: None,
        }
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a label.
    #[must_use]
    pub fn with_label(mut self, location: Location, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location,
            message: message.into(),
        });
        self
    }

    /// Overrides the severity the rule chose for this finding.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the logical location.
    #[must_use]
    pub fn with_logical(mut self, logical: impl Into<String>) -> Self {
        self.logical = logical.into();
        self
    }

    /// Links the finding to `url` rather than to the rule's reference.
    #[must_use]
    pub fn with_docs_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.docs_url = (!url.is_empty()).then_some(url);
        self
    }

    /// The page to read about this finding: its own, else the rule's.
    pub fn url(&self) -> Option<&str> {
        self.docs_url.as_deref().or(self.rule.url)
    }

    /// The rule's code (`AWS001`).
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Sort key: file, then offset, then code.
    pub fn sort_key(&self) -> (FileId, u32, u32, &'static str) {
        (
            self.primary.file,
            self.primary.span.start,
            self.primary.span.end,
            self.rule.code,
        )
    }
}
