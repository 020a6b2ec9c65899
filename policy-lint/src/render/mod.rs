//! Renderers: turn a [`LintResult`] into text. They never know any rule.

mod concise;
mod human;
mod json;
mod window;

pub use concise::render_concise;
pub use human::render_human;
pub use json::{render_json, to_json};

use crate::lint::LintResult;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// miette diagnostics with source snippets and a summary line.
    Human,
    /// One line per finding: `path:line:col: severity[CODE] message`.
    Concise,
    /// One JSON object (spec section 5).
    Json,
}

impl Format {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "human" => Some(Self::Human),
            "concise" => Some(Self::Concise),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
}

/// Renders `result` in `format`.
pub fn render(result: &LintResult, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Human => render_human(result, options),
        Format::Concise => render_concise(result),
        Format::Json => render_json(result),
    }
}

/// Escapes control characters (ANSI escapes, BEL, CR, LF...) so that text
/// taken from an input can never drive the terminal or the CI system.
pub fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `3 errors, 1 warning, 0 advice` with plurals.
pub fn counts_phrase(result: &LintResult) -> String {
    use crate::diagnostic::Severity;
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    format!(
        "{}, {}, {}",
        n(result.count(Severity::Error), "error", "errors"),
        n(result.count(Severity::Warning), "warning", "warnings"),
        n(result.count(Severity::Advice), "advice", "advice"),
    )
}

/// The closing line: `error: 3 errors, 1 warning, 0 advice in 12 files`.
pub fn summary_line(result: &LintResult) -> String {
    use crate::diagnostic::Severity;
    let files = result.files.len();
    let files = format!("{files} file{}", if files == 1 { "" } else { "s" });
    if result.diagnostics.is_empty() {
        return format!("ok: no problems found in {files}");
    }
    let level = if result.has_errors() {
        "error"
    } else if result.count(Severity::Warning) > 0 {
        "warning"
    } else {
        "advice"
    };
    format!("{level}: {} in {files}", counts_phrase(result))
}
