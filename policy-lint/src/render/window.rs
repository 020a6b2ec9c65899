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

/// A windowed view of one source file; `text` is the file's text with
/// control and bidi characters replaced (see [`sanitize`]).
#[derive(Debug)]
pub struct WindowedSource<'a> {
    file: &'a SourceFile,
    text: &'a str,
}

impl<'a> WindowedSource<'a> {
    /// A view of `file` showing `text`, which must be `file`'s text or a
    /// [`sanitize`]d copy of it (same length, same character boundaries).
    pub fn new(file: &'a SourceFile, text: &'a str) -> Self {
        let text = if text.len() == file.text().len() {
            text
        } else {
            file.text()
        };
        Self { file, text }
    }
}

/// A span trimmed for display: at most the rest of its first line and at
/// most `LONG_LINE` bytes, so a 10,000-line object is labelled by its opening.
/// The end of the line comes from the line index: never a scan of the line,
/// which on a one-line plan is the whole file.
pub fn display_span(file: &SourceFile, span: Span) -> Span {
    let text = file.text();
    let start = (span.start as usize).min(text.len());
    let line_end = line_end(file, text, file.line_index().line_of(start as u32));
    let end = (span.end as usize).min(line_end).min(start + LONG_LINE);
    let end = floor_char_boundary(text, end.max(start));
    Span::new(start as u32, end as u32)
}

/// The byte offset where line `line` (0-based) ends, before its `\n` or
/// `\r\n`. A `\r` left at the end of a snippet would make miette number
/// the line after it like the line before (it counts a line only at `\n`).
fn line_end(file: &SourceFile, text: &str, line: usize) -> usize {
    let Some(next) = file.line_index().line_start(line + 1) else {
        return text.len();
    };
    let end = (next as usize).saturating_sub(1);
    if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\r') {
        end - 1
    } else {
        end
    }
}

/// `text` with every character that could drive a terminal replaced by a
/// visible one of the same UTF-8 length: ASCII controls but tab and line
/// ends by `?`, C1 controls by `¿`, bidi and line/paragraph separators by
/// U+FFFD. Offsets, lines and columns stay exactly as in the file.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let bad_at = |i: usize| -> Option<usize> {
        let b = *bytes.get(i)?;
        let next = bytes.get(i + 1).copied();
        match b {
            b'\t' | b'\n' => None,
            b'\r' if next == Some(b'\n') => None,
            0x00..=0x1f | 0x7f => Some(1),
            0xc2 if matches!(next, Some(0x80..=0x9f)) => Some(2),
            0xe2 => {
                let third = bytes.get(i + 2).copied();
                match (next, third) {
                    (Some(0x80), Some(0x8e | 0x8f | 0xa8..=0xae)) => Some(3),
                    (Some(0x81), Some(0xa6..=0xa9)) => Some(3),
                    _ => None,
                }
            }
            _ => None,
        }
    };
    // Most text has no candidate byte in a 64-byte block: skip those blocks
    // with a branch-free test the compiler vectorises.
    let candidate =
        |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2);
    let mut first = None;
    let mut block = 0;
    while let Some(chunk) = bytes.get(block..) {
        if chunk.is_empty() {
            break;
        }
        let chunk = chunk.get(..64).unwrap_or(chunk);
        if chunk.iter().fold(false, |acc, &b| acc | candidate(b)) {
            // A sequence may start just before the block: look from 2 bytes back.
            let from = block.saturating_sub(2);
            if let Some(i) = (from..block + chunk.len()).find(|&i| bad_at(i).is_some()) {
                first = Some(i);
                break;
            }
        }
        block += chunk.len();
    }
    let Some(first) = first else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..first).unwrap_or_default());
    let mut i = first;
    let mut run = first;
    while i < bytes.len() {
        match bad_at(i) {
            Some(n) => {
                out.push_str(text.get(run..i).unwrap_or_default());
                out.push_str(match n {
                    1 => "?",
                    2 => "\u{bf}",
                    _ => "\u{fffd}",
                });
                i += n;
                run = i;
            }
            None => i += 1,
        }
    }
    out.push_str(text.get(run..).unwrap_or_default());
    std::borrow::Cow::Owned(out)
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
        let line_end = |l: usize| line_end(file, text, l);
        let (mut from, mut from_line) = (line_start(first_line), first_line);
        if start - from > LONG_LINE {
            from = ceil_char_boundary(text, start - SIDE);
        } else {
            from_line = first_line.saturating_sub(context_lines_before);
            from = line_start(from_line);
        }
        let mut to = line_end(last_line);
        if to.saturating_sub(end) > LONG_LINE {
            to = floor_char_boundary(text, end + SIDE);
        } else {
            let last = (last_line + context_lines_after).min(index.line_count().saturating_sub(1));
            to = line_end(last);
            // A following context line may itself be long.
            if to.saturating_sub(end) > LONG_LINE + SIDE {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_lengths_and_replaces_controls() {
        let text = "a\u{1b}[31mb\r\n\u{85}c\u{202e}d\te\rf";
        let clean = sanitize(text);
        assert_eq!(clean.len(), text.len());
        assert_eq!(clean, "a?[31mb\r\n\u{bf}c\u{fffd}d\te?f");
        for (i, _) in text.char_indices() {
            assert!(clean.is_char_boundary(i));
        }
        assert!(matches!(
            sanitize("plain {\"a\": 1}\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn display_span_stops_at_the_line_end() {
        let f = SourceFile::new("a", "{\"k\": [1,\n 2]}");
        assert_eq!(display_span(&f, Span::new(6, 15)), Span::new(6, 9));
    }
}
