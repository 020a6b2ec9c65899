//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::fmt::Write;
use std::path::{Path, PathBuf};

use policy_lint::{Input, LintResult, Linter, Options, Selector};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// A fixture case: one file, or a directory of files linted as one run.
pub fn case_inputs(path: &Path, base: &Path) -> Vec<Input> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .expect("read case dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    files
        .iter()
        .map(|f| {
            let name = f
                .strip_prefix(base)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            Input::new(name, std::fs::read(f).expect("read fixture"))
        })
        .collect()
}

/// Lints with only the rules matching `code` enabled.
pub fn lint_only(code: &str, inputs: Vec<Input>) -> LintResult {
    // Files named `scp*.json` in a case are SCPs (`--scp`), `catalog*.json`
    // catalogue files (`--catalog`).
    let flagged = |prefix: &str| {
        inputs
            .iter()
            .filter(|i| {
                i.name
                    .rsplit('/')
                    .next()
                    .is_some_and(|f| f.starts_with(prefix))
            })
            .map(|i| i.name.clone())
            .collect()
    };
    let options = Options {
        select: vec![Selector::parse(code).expect("valid selector")],
        scp: flagged("scp"),
        catalog: flagged("catalog"),
        ..Options::default()
    };
    Linter::new(options).lint(inputs)
}

/// A review-friendly rendering: every finding with its exact span, the text
/// under it, its JSON Pointer, labels and help.
pub fn snapshot_text(result: &LintResult) -> String {
    let mut out = String::new();
    for d in &result.diagnostics {
        let file = result.file(d.primary.file).expect("file");
        let lc = file.line_col(d.primary.span.start);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            file.name(),
            lc.line,
            lc.column,
            d.severity,
            d.code(),
            d.message
        );
        let _ = writeln!(
            out,
            "  span {}..{} {:?} at {:?}",
            d.primary.span.start,
            d.primary.span.end,
            clip(file.slice(d.primary.span)),
            d.path
        );
        if file.encoding().is_utf16() {
            let bytes = file.file_span(d.primary.span);
            let _ = writeln!(
                out,
                "  file bytes {}..{} ({})",
                bytes.start,
                bytes.end,
                file.encoding().name()
            );
        }
        for l in &d.labels {
            let lf = result.file(l.location.file).expect("label file");
            let llc = lf.line_col(l.location.span.start);
            let _ = writeln!(
                out,
                "  label {}:{}:{} {:?}: {}",
                lf.name(),
                llc.line,
                llc.column,
                clip(lf.slice(l.location.span)),
                l.message
            );
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  help: {h}");
        }
    }
    out
}

fn clip(s: &str) -> String {
    if s.chars().count() > 120 {
        let head: String = s.chars().take(100).collect();
        format!("{head}…")
    } else {
        s.to_string()
    }
}
