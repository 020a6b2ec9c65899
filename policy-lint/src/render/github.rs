//! GitHub Actions workflow commands: one annotation per finding.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message`.
//! Nothing an input holds can start a new command: control characters are
//! first shown escaped (`\n`, `\u{1b}`), then `%`, CR and LF are encoded in
//! the message, and additionally `,` and `:` in property values, as the
//! actions toolkit does.

use std::fmt::Write;

use super::escape_control;
use crate::diagnostic::Severity;
use crate::lint::LintResult;

/// Encodes a message (the text after `::`).
pub fn escape_data(s: &str) -> String {
    escape_control(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Encodes a property value (`file=...`, `title=...`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per finding; nothing else.
pub fn render_github(result: &LintResult) -> String {
    let mut out = String::new();
    for d in &result.diagnostics {
        // A plan finding lands on the `.tf` bytes that wrote it, when known.
        let primary = d.source.as_ref().map_or(d.primary, |s| s.location);
        let Some(file) = result.file(primary.file) else {
            continue;
        };
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "notice",
        };
        let start = file.line_col(primary.span.start);
        let end = file.line_col(primary.span.end);
        let mut props = format!(
            "file={},line={}",
            escape_property(&result.project_path(file)),
            start.line
        );
        if start.line == end.line {
            // GitHub rejects col/endColumn on a multi-line annotation.
            let _ = write!(
                props,
                ",col={},endLine={},endColumn={}",
                start.column, end.line, end.column
            );
        } else {
            let _ = write!(props, ",endLine={}", end.line);
        }
        let _ = write!(props, ",title={}", escape_property(d.code()));
        // Our own line break between message and help is the only `%0A`.
        let mut message = escape_data(&format!(
            "{}:{}:{}: {}",
            file.name(),
            start.line,
            start.column,
            d.message
        ));
        if let (Some(source), Some(plan)) = (&d.source, result.file(d.primary.file)) {
            let at = plan.line_col(d.primary.span.start);
            message.push_str(&escape_data(&format!(
                " (`{}` in {}:{}:{})",
                source.address,
                plan.name(),
                at.line,
                at.column
            )));
        }
        if let Some(help) = &d.help {
            message.push_str("%0Ahelp: ");
            message.push_str(&escape_data(help));
        }
        let _ = writeln!(out, "::{command} {props}::{message}");
    }
    // A failed run is an error annotation too, so the job shows it.
    for e in &result.errors {
        let _ = writeln!(
            out,
            "::error title=policy-lint run failed::{}",
            escape_data(&e.to_string())
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_can_start_a_command() {
        assert_eq!(escape_data("a\n::error::x"), "a\\n::error::x");
        assert_eq!(escape_data("100%"), "100%25");
        assert_eq!(escape_property("a,b:c"), "a%2Cb%3Ac");
    }

    #[test]
    fn multi_line_spans_have_no_columns() {
        let result = crate::Linter::default().lint_str("u.json", "{\n  \"name\": \"x\"\n}\n");
        let out = render_github(&result);
        assert!(
            out.starts_with("::warning file=u.json,line=1,endLine=3,title=JSON003::"),
            "{out}"
        );
    }
}
