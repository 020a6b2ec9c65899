//! Baselines: record today's findings once, then report only new ones.
//!
//! Entries are keyed by each finding's [`fingerprint`](crate::Diagnostic::fingerprint)
//! (rule, file, JSON Pointer, logical location, decoded token), never by
//! line, so pretty-printing a policy or moving it around a file keeps its
//! findings hidden. Equal fingerprints are counted: a baseline with one
//! entry hides one finding, and a second identical one is new.
//!
//! ```
//! use policy_lint::{Linter, Options, baseline::Baseline};
//!
//! let linter = Linter::new(Options::default());
//! let text = r#"{"Statement": [], "Statement": []}"#;
//! let baseline = Baseline::from_result(&linter.lint_str("p.json", text));
//! let json = baseline.to_json();
//!
//! let mut again = linter.lint_str("p.json", "{\n  \"Statement\": [],\n  \"Statement\": []\n}");
//! let hidden = Baseline::parse(&json).unwrap().apply(&mut again);
//! assert!(hidden >= 1);
//! assert!(again.diagnostics.is_empty());
//! ```

use crate::hash::HashMap;

use serde::{Deserialize, Serialize};

use crate::lint::LintResult;

/// The baseline file format's version.
pub const VERSION: u32 = 1;

/// One recorded finding. Only `fingerprint` is compared; the other fields
/// make the file reviewable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Rule code.
    pub code: String,
    /// File, relative to the project root (see [`crate::project`]).
    pub file: String,
    /// JSON Pointer of the primary token.
    pub path: String,
    /// The message when recorded.
    pub message: String,
}

/// A set of accepted findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// The findings, in the order they were reported.
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// Records every finding of `result`.
    pub fn from_result(result: &LintResult) -> Self {
        let findings = result
            .diagnostics
            .iter()
            .map(|d| Entry {
                fingerprint: d.fingerprint.clone(),
                code: d.code().to_string(),
                file: result
                    .file(d.primary.file)
                    .map(|f| result.project_path(f))
                    .unwrap_or_default(),
                path: d.path.clone(),
                message: d.message.clone(),
            })
            .collect();
        Self {
            version: VERSION,
            findings,
        }
    }

    /// The baseline as pretty JSON (one entry per few lines, diff-friendly).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Reads a baseline written by [`Baseline::to_json`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let b: Self = serde_json::from_str(text).map_err(|e| format!("not a baseline: {e}"))?;
        if b.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                b.version
            ));
        }
        Ok(b)
    }

    /// Removes from `result` the findings this baseline records; returns
    /// how many were removed.
    pub fn apply(&self, result: &mut LintResult) -> usize {
        let mut budget: HashMap<&str, usize> = HashMap::default();
        for e in &self.findings {
            *budget.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        let before = result.diagnostics.len();
        result
            .diagnostics
            .retain(|d| match budget.get_mut(d.fingerprint.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            });
        let hidden = before - result.diagnostics.len();
        result.baselined += hidden;
        hidden
    }
}
