//! Source text, byte spans and the line index.
//!
//! Everything downstream of the parser speaks in byte [`Span`]s into the file
//! the user named. Line and column numbers are computed here, once, when a
//! diagnostic is rendered. A UTF-16 file is decoded to UTF-8 first
//! ([`decode`]); its spans are mapped back to the file's bytes only where
//! an output reports byte offsets ([`SourceFile::file_span`]).

mod encoding;

pub use encoding::{DecodeError, Decoded, Encoding, decode};

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
    encoding: Encoding,
    /// For UTF-16 files: code units before byte `i * CHECKPOINT` of the text.
    unit_checkpoints: Arc<OnceLock<Vec<u32>>>,
}

impl SourceFile {
    /// A source file from text (a `String` is moved in, not copied).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: Arc::new(text.into()),
            index: Arc::default(),
            encoding: Encoding::Utf8,
            unit_checkpoints: Arc::default(),
        }
    }

    /// A source file from a file's bytes (UTF-8 or UTF-16, see
    /// [`decode`]), with the reason its bytes are not all text, if any.
    pub fn decode(name: impl Into<String>, bytes: Vec<u8>) -> (Self, Option<DecodeError>) {
        let decoded = decode(bytes);
        let mut file = Self::new(name, decoded.text);
        file.encoding = decoded.encoding;
        (file, decoded.error)
    }

    /// The encoding the file's bytes were read in.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The byte offset in the file of the text offset `offset`: the same
    /// number for UTF-8, twice the UTF-16 code units before it for UTF-16.
    pub fn file_offset(&self, offset: u32) -> u32 {
        if !self.encoding.is_utf16() {
            return offset;
        }
        let checkpoints = self.unit_checkpoints.get_or_init(|| {
            let mut units = 0u32;
            self.text
                .as_bytes()
                .chunks(CHECKPOINT)
                .map(|chunk| {
                    let before = units;
                    units += encoding::utf16_units(chunk);
                    before
                })
                .collect()
        });
        let offset = (offset as usize).min(self.text.len());
        let block = offset / CHECKPOINT;
        let base = checkpoints.get(block).copied().unwrap_or(0);
        let run = self
            .text
            .as_bytes()
            .get(block * CHECKPOINT..offset)
            .map_or(0, encoding::utf16_units);
        (base + run).saturating_mul(2)
    }

    /// `span` (text offsets) as bytes of the file, for outputs that report
    /// byte offsets (JSON `offset`/`length`, SARIF `byteOffset`).
    pub fn file_span(&self, span: Span) -> Span {
        Span::new(self.file_offset(span.start), self.file_offset(span.end))
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
        let mut line_starts = vec![0u32];
        line_starts.extend(
            memchr_newlines(bytes)
                .into_iter()
                .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
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

fn memchr_newlines(bytes: &[u8]) -> Vec<usize> {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n').then_some(i))
        .collect()
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
    fn utf16_spans_map_to_file_bytes_across_checkpoints() {
        let text = format!(
            "\u{feff}{}\u{1f600}{}\u{e9}x",
            "a".repeat(2000),
            "b".repeat(2000)
        );
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (f, error) = SourceFile::decode("p.json", bytes);
        assert!(error.is_none());
        assert_eq!(f.encoding(), Encoding::Utf16Le);
        // The mark: 3 bytes of text, 2 of file.
        assert_eq!(f.file_offset(3), 2);
        // The emoji (4 bytes of text, one surrogate pair) sits after the
        // mark and 2000 `a`s.
        assert_eq!(f.file_span(Span::new(2003, 2007)), Span::new(4002, 4006));
        let x = u32::try_from(f.text().len() - 1).expect("small");
        assert_eq!(f.file_offset(x), 2 * (1 + 2000 + 2 + 2000 + 1));
        assert_eq!(f.line_col(2007).column, 2003);
        let plain = SourceFile::new("a", "abc");
        assert_eq!(plain.file_span(Span::new(1, 2)), Span::new(1, 2));
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
