//! Renderers: turn a [`LintResult`] into text. They never know any rule.

mod concise;
mod github;
mod human;
mod json;
mod sarif;
mod window;

pub use concise::render_concise;
pub use github::{
    escape_data as github_escape_data, escape_property as github_escape_property, render_github,
};
pub use human::render_human;
pub use json::{render_json, to_json};
pub use sarif::{SARIF_SCHEMA, path_to_uri, render_sarif, to_sarif};

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
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "human" => Some(Self::Human),
            "concise" => Some(Self::Concise),
            "json" => Some(Self::Json),
            "sarif" => Some(Self::Sarif),
            "github" => Some(Self::Github),
            _ => None,
        }
    }

    /// Every format's name, as `--format` takes it.
    pub const NAMES: &'static [&'static str] = &["human", "concise", "json", "sarif", "github"];
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// How long the run took, for the closing summary of `human`.
    pub elapsed: Option<std::time::Duration>,
}

/// Renders `result` in `format`.
pub fn render(result: &LintResult, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Human => render_human(result, options),
        Format::Concise => render_concise(result),
        Format::Json => render_json(result),
        Format::Sarif => render_sarif(result),
        Format::Github => render_github(result),
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

/// `text` with every character [`escape_control`] would escape replaced by
/// a character of the same UTF-8 width (`?`, `¿` or `\u{fffd}`), so spans
/// stay valid; `None` when nothing needs replacing. Line breaks, tabs and
/// the CR of a CRLF stay. For source snippets shown on a terminal.
pub(crate) fn same_width_safe(text: &str) -> Option<String> {
    match window::sanitize(text) {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(s) => Some(s),
    }
}

/// JSON text with every character [`escape_control`] would escape written as
/// a `\uXXXX` escape. serde_json already escapes C0 controls; this adds C1
/// controls, line and paragraph separators and bidi overrides. The value is
/// unchanged: only its encoding is.
pub(crate) fn json_escape_controls(json: String) -> String {
    if !json.chars().any(needs_escape) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        // Outside strings JSON has only ASCII punctuation and whitespace,
        // and the C0 whitespace there (`\n`, `\t`) must stay as it is.
        if needs_escape(c) && !c.is_ascii() {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`escape_control`], but keeps line feeds: for help texts that the
/// human renderer indents line by line, so no line of it starts at column 0.
pub fn escape_control_multiline(s: &str) -> String {
    s.split('\n')
        .map(escape_control)
        .collect::<Vec<_>>()
        .join("\n")
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

/// The closing line: `error: 3 errors, 1 warning, 0 advice in 12 files`;
/// never `ok` when the run failed ([`LintResult::failed`]).
pub fn summary_line(result: &LintResult) -> String {
    use crate::diagnostic::Severity;
    let files = result.files.len();
    let files = format!("{files} file{}", if files == 1 { "" } else { "s" });
    let mut hidden = Vec::new();
    if result.suppressed > 0 {
        hidden.push(format!("{} suppressed", result.suppressed));
    }
    if result.baselined > 0 {
        hidden.push(format!("{} in baseline", result.baselined));
    }
    let hidden = if hidden.is_empty() {
        String::new()
    } else {
        format!(" ({})", hidden.join(", "))
    };
    if result.failed() {
        // Never "ok": some input was not checked at all.
        let n = result.errors.len();
        return format!(
            "error: the run failed with {n} run error{}; found {} in {files}{hidden}",
            if n == 1 { "" } else { "s" },
            counts_phrase(result)
        );
    }
    if result.diagnostics.is_empty() {
        return format!("ok: no problems found in {files}{hidden}");
    }
    let level = if result.has_errors() {
        "error"
    } else if result.count(Severity::Warning) > 0 {
        "warning"
    } else {
        "advice"
    };
    format!("{level}: {} in {files}{hidden}", counts_phrase(result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_its_value_but_not_raw_c1_or_bidi_characters() {
        let value = serde_json::json!({"k": "a\u{9b}b\u{202e}c\n"});
        let text = json_escape_controls(serde_json::to_string_pretty(&value).expect("json"));
        assert!(
            !text.contains('\u{9b}') && !text.contains('\u{202e}'),
            "{text}"
        );
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).expect("still json");
        assert_eq!(back, value);
    }

    #[test]
    fn snippets_keep_their_width() {
        let text = "a\u{1b}b\u{9b}c\u{202e}d\r\ne\rf";
        let safe = same_width_safe(text).expect("changed");
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe, "a?b\u{bf}c\u{fffd}d\r\ne?f");
        assert_eq!(same_width_safe("plain\n\ttext"), None);
    }
}
