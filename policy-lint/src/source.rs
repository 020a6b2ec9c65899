//! Source text, byte spans and the line index.
//!
//! Everything downstream of the parser speaks in byte [`Span`]s into the file
//! the user named. Line and column numbers are computed here, once, when a
//! diagnostic is rendered.

use std::sync::{Arc, OnceLock};

/// A half-open byte range `start..end` in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// An empty span at `offset`.
    pub const fn empty(offset: u32) -> Self {
        Self::new(offset, offset)
    }

    /// Length in bytes.
    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Whether `other` lies entirely inside `self`.
    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Index of a file within one lint run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A 1-based line and a 1-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters (not bytes).
    pub column: u32,
}

/// Text shared by a file, its trees and the renderers: an `Arc<String>`
/// rather than an `Arc<str>`, because making an `Arc<str>` of the `String`
/// read from disk copies it (a second 100 MB on a 100 MB plan).
pub type SharedText = Arc<String>;

/// One input file: its name as the user gave it and its text.
///
/// Bytes that are not UTF-8 are shown as U+FFFD, but only after the first
/// invalid byte, so every span the parser reports before it stays exact.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: SharedText,
    index: Arc<OnceLock<LineIndex>>,
}

impl SourceFile {
    /// A source file from text (a `String` is moved in, not copied).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: Arc::new(text.into()),
            index: Arc::default(),
        }
    }

    /// The file's name, as given or as found.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The shared text, for renderers that hold on to it.
    pub fn text_arc(&self) -> SharedText {
        Arc::clone(&self.text)
    }

    /// The text under `span`, or `""` when the span is not on character boundaries.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The line index, built on first use (most files never need it).
    pub fn line_index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Line and character column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.line_index().line_col(&self.text, offset)
    }
}

/// Line starts plus a sparse table of character counts, so that the column
/// of any offset costs at most one short scan, even on a 100 MB one-line plan.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Number of characters before byte `i * CHECKPOINT`.
    char_checkpoints: Vec<u32>,
}

const CHECKPOINT: usize = 1024;

impl LineIndex {
    /// Index `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Counted first, so the index is allocated once at its size and no
        // offset list of `usize` is built: 50 MB of `y\n` has 25 million
        // lines, and the index took 300 MB.
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
        let mut line_starts = Vec::with_capacity(newlines + 1);
        line_starts.push(0u32);
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                line_starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        let mut char_checkpoints = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut chars = 0u32;
        for chunk in bytes.chunks(CHECKPOINT) {
            char_checkpoints.push(chars);
            chars += count_chars(chunk);
        }
        char_checkpoints.push(chars);
        Self {
            line_starts,
            char_checkpoints,
        }
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where the 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> Option<u32> {
        self.line_starts.get(line).copied()
    }

    /// 0-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Characters before byte `offset`.
    fn chars_before(&self, text: &str, offset: u32) -> u32 {
        let offset = (offset as usize).min(text.len());
        let block = offset / CHECKPOINT;
        let base = self.char_checkpoints.get(block).copied().unwrap_or(0);
        let from = block * CHECKPOINT;
        base + text.as_bytes().get(from..offset).map_or(0, count_chars)
    }

    /// 1-based line and character column of `offset`.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column,
        }
    }
}

/// Characters in a UTF-8 byte run: every byte that is not a continuation byte.
fn count_chars(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a", "ab\n\u{e9}\u{e9}x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // "x" sits after two two-byte characters.
        assert_eq!(f.line_col(7), LineCol { line: 2, column: 3 });
        assert_eq!(f.line_col(9), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn columns_are_right_across_checkpoints_on_one_long_line() {
        let text = format!("{}\u{e9}{}", "a".repeat(3000), "b".repeat(3000));
        let f = SourceFile::new("a", text.as_str());
        assert_eq!(f.line_col(3000).column, 3001);
        assert_eq!(f.line_col(3002).column, 3002);
        assert_eq!(f.line_col(5000).column, 5000);
    }
}
