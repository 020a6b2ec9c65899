//! Reading inputs and option files under the size limit (`--max-file-size`):
//! the size is checked before reading, and a file that grows while being
//! read is never read past the limit, so no input can make a run allocate
//! without bound.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::RunError;

/// What reading an input gave.
pub enum Bytes {
    /// The whole input.
    Read(Vec<u8>),
    /// Not read: it holds more than the limit, at least this many bytes.
    TooLarge(u64),
}

/// Reads `path` (`-`: stdin) if it holds at most `limit` bytes.
pub fn input(path: &str, limit: u64) -> std::io::Result<Bytes> {
    if path == "-" {
        return bounded(std::io::stdin().lock(), 0, limit);
    }
    let file = File::open(path)?;
    // The size of the file opened, not of whatever the path names by now.
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Bytes::TooLarge(size));
    }
    bounded(file, size, limit)
}

/// Reads at most `limit` bytes of `reader`, `hint` of them expected.
fn bounded(reader: impl Read, hint: u64, limit: u64) -> std::io::Result<Bytes> {
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    Ok(if read > limit {
        Bytes::TooLarge(read)
    } else {
        Bytes::Read(bytes)
    })
}

/// Reads an option file (`what`: `configuration`, `baseline`, ...) as text:
/// it must be a regular file of at most `limit` bytes.
pub fn option_file(path: &Path, what: &str, limit: u64) -> Result<String, RunError> {
    let shown = path.display();
    let fail = |e: &dyn std::fmt::Display| RunError(format!("cannot read {what} `{shown}`: {e}"));
    let file = File::open(path).map_err(|e| fail(&e))?;
    let meta = file.metadata().map_err(|e| fail(&e))?;
    if !meta.is_file() {
        return Err(fail(&"not a regular file"));
    }
    match bounded(file, meta.len(), limit).map_err(|e| fail(&e))? {
        Bytes::TooLarge(size) => Err(fail(&format!(
            "it holds {size} bytes, more than the limit of {limit} (`--max-file-size`)"
        ))),
        Bytes::Read(bytes) => String::from_utf8(bytes).map_err(|_| fail(&"not UTF-8")),
    }
}

/// Whether `path` names a regular file (an option file given as an input,
/// such as `--scp`, must be one).
pub fn require_regular(path: &str, what: &str) -> Result<(), RunError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| RunError(format!("cannot read {what} `{path}`: {e}")))?;
    if meta.is_file() {
        Ok(())
    } else {
        Err(RunError(format!(
            "cannot read {what} `{path}`: not a regular file"
        )))
    }
}

/// Parses `--max-file-size`: bytes, or with a `K`, `M` or `G` suffix
/// (binary: `512M` is 512 MiB; `KiB`, `MiB`, `GiB` and `B` also accepted).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (such as 512M, 2G or 1000000)"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("`{text}`: unknown unit `{unit}` (use K, M or G)")),
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("4k"), Ok(4096));
        assert!(parse_size("M").is_err());
        assert!(parse_size("5T").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn reading_stops_past_the_limit() {
        let text = b"0123456789";
        assert!(matches!(bounded(&text[..], 0, 10), Ok(Bytes::Read(b)) if b == text));
        assert!(matches!(bounded(&text[..], 0, 9), Ok(Bytes::TooLarge(10))));
        // An endless stream is read only to the limit.
        assert!(matches!(
            bounded(std::io::repeat(b'y'), 0, 1000),
            Ok(Bytes::TooLarge(1001))
        ));
    }
}
