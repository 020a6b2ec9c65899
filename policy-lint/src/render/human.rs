use std::fmt;

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode,
};

use super::window::{WindowedSource, display_span, sanitize};
use super::{escape_control, summary_line};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::lint::LintResult;
use crate::source::SourceFile;

/// A diagnostic bound to its sources, as miette wants it. Labels in other
/// files become related diagnostics with their own snippet.
struct Bound<'a> {
    diag: &'a Diagnostic,
    texts: &'a [std::borrow::Cow<'a, str>],
    result: &'a LintResult,
    message: String,
    source: Option<WindowedSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Related<'a>>,
}

/// A label in another file.
struct Related<'a> {
    message: String,
    source: WindowedSource<'a>,
    label: LabeledSpan,
}

fn labeled(
    file: &SourceFile,
    loc: &Location,
    message: Option<String>,
    primary: bool,
) -> LabeledSpan {
    let s = display_span(file, loc.span);
    let span = (s.start as usize, s.len() as usize);
    if primary {
        LabeledSpan::new_primary_with_span(message, span)
    } else {
        LabeledSpan::new_with_span(message, span)
    }
}

impl<'a> Bound<'a> {
    fn new(
        diag: &'a Diagnostic,
        result: &'a LintResult,
        texts: &'a [std::borrow::Cow<'a, str>],
    ) -> Self {
        // A plan finding shows the `.tf` bytes that wrote it, when known,
        // and the plan location as a related snippet naming the resource.
        let primary = diag.source.as_ref().map_or(diag.primary, |s| s.location);
        let plan = diag.source.as_ref().map(|s| crate::diagnostic::Label {
            location: diag.primary,
            message: format!("in the plan: `{}`", s.address),
        });
        let file = result.file(primary.file);
        let window = |f: &'a SourceFile, id: crate::source::FileId| {
            let text = texts.get(id.0 as usize).map_or(f.text(), |t| t.as_ref());
            WindowedSource::new(f, text)
        };
        let mut labels = Vec::new();
        let mut related = Vec::new();
        if let Some(file) = file {
            labels.push(labeled(file, &primary, None, true));
        }
        for l in diag.labels.iter().chain(&plan) {
            let message = escape_control(&l.message).into_owned();
            match result.file(l.location.file) {
                Some(f) if l.location.file == primary.file => {
                    labels.push(labeled(f, &l.location, Some(message), false));
                }
                Some(f) => related.push(Related {
                    label: labeled(f, &l.location, Some(message.clone()), true),
                    message,
                    source: window(f, l.location.file),
                }),
                None => {}
            }
        }
        Self {
            diag,
            texts,
            result,
            message: escape_control(&diag.message).into_owned(),
            source: file.map(|f| window(f, primary.file)),
            labels,
            related,
        }
    }
}

impl fmt::Debug for Bound<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Bound<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Bound<'_> {}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Advice => miette::Severity::Advice,
    }
}

impl MietteDiagnostic for Bound<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.diag.severity,
            self.diag.code()
        )))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.diag.severity))
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.diag.help.as_deref()?;
        Some(Box::new(super::escape_control_multiline(help)))
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .url()
            .map(|u| Box::new(u) as Box<dyn fmt::Display + 'b>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn MietteDiagnostic> + 'b>> {
        let _ = (self.result, self.texts);
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn MietteDiagnostic),
        ))
    }
}

impl fmt::Debug for Related<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Related<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Related<'_> {}
impl MietteDiagnostic for Related<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

/// miette's graphical report for each finding, then the summary line.
pub fn render_human(result: &LintResult, options: super::RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .with_context_lines(1);
    // Snippets show each file's text with control characters made visible,
    // computed once per file that has findings.
    let mut shown = vec![false; result.all_files().count()];
    for d in &result.diagnostics {
        let source = d.source.as_ref().map(|s| s.location.file);
        for id in std::iter::once(d.primary.file)
            .chain(source)
            .chain(d.labels.iter().map(|l| l.location.file))
        {
            if let Some(s) = shown.get_mut(id.0 as usize) {
                *s = true;
            }
        }
    }
    let texts: Vec<std::borrow::Cow<'_, str>> = result
        .all_files()
        .zip(&shown)
        .map(|(f, &shown)| {
            if shown {
                sanitize(f.text())
            } else {
                std::borrow::Cow::Borrowed("")
            }
        })
        .collect();
    let mut out = String::new();
    for d in &result.diagnostics {
        let bound = Bound::new(d, result, &texts);
        if handler.render_report(&mut out, &bound).is_err() {
            out.push_str(&bound.message);
        }
        out.push('\n');
    }
    out.push_str(&summary_line(result));
    if let Some(t) = options.elapsed {
        out.push_str(&format!("; checked in {:.2}s", t.as_secs_f64()));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use crate::lint::{Input, Linter, Options};
    use crate::registry::Selector;

    /// The snippet's line numbers, in order: the digits that start a line
    /// before the `│` gutter.
    fn gutter_numbers(out: &str) -> Vec<u32> {
        out.lines()
            .filter_map(|l| l.split_once('│')?.0.trim().parse().ok())
            .collect()
    }

    #[test]
    fn crlf_files_number_their_context_lines() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allw\",\n    \"Action\": \"s3:GetObject\",\n    \"Resource\": \"*\"\n  }]\n}\n";
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let options = Options {
                select: vec![Selector::parse("AWS106").expect("a rule")],
                ..Options::default()
            };
            let result = Linter::new(options).lint(vec![Input::new("p.json", text)]);
            let out = super::render_human(&result, Default::default());
            assert_eq!(gutter_numbers(&out), [3, 4, 5], "{out}");
        }
    }
}
