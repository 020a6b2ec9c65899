//! A miette source that hands the renderer only a window around each span.
//!
//! miette scans its source from byte 0 for every label and prints whole
//! lines; on a 10 MB one-line Terraform plan that is 10 MB per diagnostic.
//! This source answers with a few lines, or a few hundred bytes of one long
//! line, with the true line and column so headers stay right.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{SourceFile, Span};

/// Bytes of a long line shown on each side of a span.
const SIDE: usize = 60;
/// A line longer than this is windowed.
const LONG_LINE: usize = 160;

/// A windowed view of one source file.
#[derive(Debug)]
pub struct WindowedSource<'a> {
    /// The file (name and line index).
    pub file: &'a SourceFile,
    /// The text shown: the file's, or a same-width copy with control
    /// characters replaced.
    pub text: &'a str,
}

/// A span trimmed for display: at most the rest of its first line and at
/// most `LONG_LINE` bytes, so a 10,000-line object is labelled by its opening.
pub fn display_span(file: &SourceFile, span: Span) -> Span {
    let text = file.text();
    let start = (span.start as usize).min(text.len());
    let line_end = text
        .get(start..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| start + i);
    let end = (span.end as usize).min(line_end).min(start + LONG_LINE);
    let end = floor_char_boundary(text, end.max(start));
    Span::new(start as u32, end as u32)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl SourceCode for WindowedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.file;
        let text = self.text;
        let index = file.line_index();
        let start = span.offset().min(text.len());
        let end = (start + span.len()).min(text.len());
        if start > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        if context_lines_before == 0 && context_lines_after == 0 {
            return Ok(bare_span(file, text, start, end));
        }
        let first_line = index.line_of(start as u32);
        let last_line = index.line_of(end as u32);
        let line_start = |l: usize| index.line_start(l).map_or(text.len(), |s| s as usize);
        let line_end = |l: usize| {
            index
                .line_start(l + 1)
                .map_or(text.len(), |s| (s as usize).saturating_sub(1))
        };
        let (mut from, mut from_line) = (line_start(first_line), first_line);
        if start - from > LONG_LINE {
            from = ceil_char_boundary(text, start - SIDE);
        } else {
            from_line = first_line.saturating_sub(context_lines_before);
            from = line_start(from_line);
        }
        let mut to = line_end(last_line);
        if to - end > LONG_LINE {
            to = floor_char_boundary(text, end + SIDE);
        } else {
            let last = (last_line + context_lines_after).min(index.line_count().saturating_sub(1));
            to = line_end(last);
            // A following context line may itself be long.
            if to - end > LONG_LINE + SIDE {
                to = floor_char_boundary(text, line_end(last_line).min(end + SIDE));
            }
        }
        let data = text.get(from..to).unwrap_or_default();
        let column = file.line_col(from as u32).column.saturating_sub(1) as usize;
        Ok(Box::new(MietteSpanContents::new_named(
            super::escape_control(file.name()).into_owned(),
            data.as_bytes(),
            SourceSpan::new(from.into(), data.len()),
            from_line,
            column,
            data.lines().count().max(1),
        )))
    }
}

/// The span alone, with its own line and column: miette reads the primary
/// label this way (no context lines) for the `[file:line:col]` header, like
/// its own sources do. The column counts characters, as in `concise` output.
fn bare_span<'a>(
    file: &SourceFile,
    text: &'a str,
    start: usize,
    end: usize,
) -> Box<dyn SpanContents<'a> + 'a> {
    let at = file.line_col(start as u32);
    let data = text.get(start..end).unwrap_or_default();
    Box::new(MietteSpanContents::new_named(
        super::escape_control(file.name()).into_owned(),
        data.as_bytes(),
        SourceSpan::new(start.into(), data.len()),
        at.line.saturating_sub(1) as usize,
        at.column.saturating_sub(1) as usize,
        data.lines().count().max(1),
    ))
}
