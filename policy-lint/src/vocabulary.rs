//! The words every layer shares: where something is ([`Location`]), how
//! serious a finding is ([`Severity`]), and the three-valued answer of IAM
//! evaluation ([`Tri`]). At the bottom of the layers, so that the parser,
//! the model and the evaluation can use them without importing the layers
//! that report findings; they are re-exported where they are documented
//! ([`crate::diagnostic`], [`crate::eval`]).

use std::fmt;

use crate::source::{FileId, Span};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A hint: nothing fails, but something could be better or could not be checked.
    Advice,
    /// Likely wrong or risky.
    Warning,
    /// Will fail (a 403 at run time, a policy AWS rejects).
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Advice => "advice",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `advice`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "error" => Some(Self::Error),
            "warning" => Some(Self::Warning),
            "advice" => Some(Self::Advice),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The bytes.
    pub span: Span,
}

impl Location {
    /// A location in `file` at `span`.
    pub const fn new(file: FileId, span: Span) -> Self {
        Self { file, span }
    }
}

/// A three-valued truth: certain, possible, impossible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tri {
    /// Certainly not.
    No,
    /// Depends on something the documents do not say (a condition, an
    /// unknown part of the resource).
    Maybe,
    /// Certainly.
    Yes,
}

impl Tri {
    /// Logical and.
    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }

    /// Logical not.
    pub fn negate(self) -> Tri {
        match self {
            Self::No => Self::Yes,
            Self::Maybe => Self::Maybe,
            Self::Yes => Self::No,
        }
    }
}
