use std::fmt::Write;

use super::escape_control;
use crate::lint::LintResult;

/// One line per finding: `path:line:col: severity[CODE] message`.
pub fn render_concise(result: &LintResult) -> String {
    let mut out = String::new();
    for d in &result.diagnostics {
        let Some(file) = result.file(d.primary.file) else {
            continue;
        };
        let lc = file.line_col(d.primary.span.start);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            escape_control(file.name()),
            lc.line,
            lc.column,
            d.severity,
            d.code(),
            escape_control(&d.message)
        );
    }
    out
}
