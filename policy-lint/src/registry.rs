//! How rules are declared, described and selected.
//!
//! A rule is a unit struct declared with [`declare_rule!`](crate::declare_rule):
//! its doc comment is its documentation (served by `policy-lint explain`, the
//! README table and SARIF), and its code, name and default severity are data.
//! The one list of all rules is [`crate::rules::ALL`].

use crate::diagnostic::Diagnostic;
pub use crate::diagnostic::RuleMeta;
use crate::documents::{Document, ParsedFile};
use crate::model::{Linking, Model};

/// Gives a rule's metadata; implemented by [`declare_rule!`](crate::declare_rule).
pub trait Described {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
}

/// The checking side of a rule. Every hook has a default that does nothing,
/// so a rule overrides only the level it works at; the driver walks each
/// input once and calls the enabled rules at each level.
pub trait Check: Sync {
    /// Called once per parsed file (for whole-file checks such as duplicate keys).
    fn check_file(&self, _file: &ParsedFile, _cx: &mut Context<'_>) {}
    /// Called once per recognised document, nested ones included.
    fn check_document(&self, _doc: &Document<'_>, _cx: &mut Context<'_>) {}
    /// Called once per run with the model linked from every document.
    fn check_model(&self, _model: &Model<'_>, _cx: &mut Context<'_>) {}
}

/// A complete rule.
pub trait Rule: Described + Check {}
impl<T: Described + Check> Rule for T {}

/// Where rules put their findings, and what they may read of the run's options.
#[derive(Debug)]
pub struct Context<'a> {
    /// What rules may read of the run's options (the driver's `&Options`
    /// convert into it).
    pub options: Linking<'a>,
    diagnostics: Vec<Diagnostic>,
    /// The action strings of the document being checked.
    pub(crate) actions: crate::rules::aws::policy::ActionsMemo,
}

impl<'a> Context<'a> {
    /// A context collecting into an empty list.
    pub fn new(options: impl Into<Linking<'a>>) -> Self {
        Self {
            options: options.into(),
            diagnostics: Vec::new(),
            actions: Default::default(),
        }
    }

    /// Reports a finding.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The findings so far.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

/// Declares a rule: a unit struct whose doc comment is the rule's
/// documentation, plus its [`RuleMeta`].
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct MissingEffect {
///         code: "AWS103",
///         name: "missing-effect",
///         summary: "a statement has no Effect",
///         severity: Error,
///         url: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            summary: $summary:literal,
            severity: $severity:ident,
            url: $url:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            /// This rule's metadata.
            pub const META: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
                code: $code,
                name: $kebab,
                summary: $summary,
                default_severity: $crate::diagnostic::Severity::$severity,
                url: $url,
                docs: concat!($($doc, "\n"),+),
            };
        }

        impl $crate::registry::Described for $name {
            fn meta(&self) -> &'static $crate::registry::RuleMeta {
                static META: $crate::registry::RuleMeta = $name::META;
                &META
            }
        }
    };
}

/// A rule selector as users write it: `ALL`, a family (`AWS`), a code prefix
/// (`AWS1`), a code (`AWS101`) or a name (`missing-effect`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector(String);

impl Selector {
    /// Parses a selector, checking that it selects at least one rule.
    pub fn parse(s: &str) -> Result<Self, String> {
        let sel = Self(s.trim().to_string());
        if crate::rules::ALL.iter().any(|r| sel.matches(r.meta())) {
            Ok(sel)
        } else {
            Err(format!("`{s}` matches no rule code, code prefix or name"))
        }
    }

    /// Whether the selector selects `rule`.
    pub fn matches(&self, rule: &RuleMeta) -> bool {
        let s = self.0.as_str();
        s.eq_ignore_ascii_case("ALL")
            || rule.name == s
            || (!s.is_empty()
                && rule.code.len() >= s.len()
                && rule
                    .code
                    .get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s)))
    }

    /// How specific the selector is: a longer code prefix beats a shorter one,
    /// as in ruff, so `--select AWS --ignore AWS1 --select AWS101` works.
    pub fn specificity(&self) -> usize {
        if self.0.eq_ignore_ascii_case("ALL") {
            0
        } else if self.0.contains('-') || self.0.chars().any(|c| c.is_ascii_lowercase()) {
            usize::MAX
        } else {
            self.0.len()
        }
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Looks a rule up by exact code or name.
pub fn find_rule(code_or_name: &str) -> Option<&'static dyn Rule> {
    crate::rules::ALL
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}
