//! The findings of a run's own problems: an input too large to check, a
//! document that could not be read, a panic in the parser or a rule.

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::documents::ReadProblem;
use crate::rules;
use crate::source::{FileId, Span};

/// The JSON001 finding of an input larger than the size limit.
fn too_large(file: FileId, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::new(
        &rules::json::InvalidJson::META,
        Location::new(file, Span::empty(0)),
        format!(
            "the input is larger than the limit on input size ({}): it holds at least {}, and was not checked",
            human_size(limit),
            human_size(size)
        ),
    )
    .with_help(
        "lint a smaller file, or raise the limit (`--max-file-size` on the command line); \
         checking takes about three times the input's size in memory",
    )
}

/// `512 MiB`, `1.5 GiB`, `1000 bytes`.
fn human_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let whole = bytes / size;
            let tenths = (bytes % size) * 10 / size;
            return if tenths == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenths} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// The finding for a problem documents met while reading a file.
pub(super) fn read_problem(file: FileId, problem: &ReadProblem) -> Diagnostic {
    match problem {
        ReadProblem::EmbeddedNotJson {
            at,
            literal,
            message,
        } => Diagnostic::new(
            &rules::json::InvalidJson::META,
            Location::new(file, *at),
            message.clone(),
        )
        .with_label(
            Location::new(file, *literal),
            "the document is embedded in this string",
        ),
        ReadProblem::EmbeddedNotObject {
            literal,
            message,
            encoded_twice,
        } => {
            let d = Diagnostic::new(
                &rules::json::InvalidJson::META,
                Location::new(file, *literal),
                message.clone(),
            );
            if *encoded_twice {
                d.with_help(
                    "the document was encoded twice (a JSON string holding JSON, as \
                     `jsonencode` of a string that is already JSON gives): encode it once",
                )
            } else {
                d
            }
        }
        ReadProblem::EmbeddedEmpty { literal, message } => Diagnostic::new(
            &rules::json::InvalidJson::META,
            Location::new(file, *literal),
            message.clone(),
        )
        .with_severity(Severity::Warning)
        .with_help("AWS and GCP reject an empty policy: give the attribute the policy's JSON"),
        ReadProblem::ParserPanicked(panic) => {
            internal_error(Location::new(file, Span::empty(0)), "the parser", panic)
        }
        ReadProblem::TooLarge { size, limit } => too_large(file, *size, *limit),
    }
}

/// The JSON004 finding for a panic in `what`.
pub(super) fn internal_error(at: Location, what: &str, panic: &str) -> Diagnostic {
    Diagnostic::new(
        &rules::json::InternalError::META,
        at,
        format!("internal error in {what}: {panic}"),
    )
    .with_help(
        "this is a bug in policy-lint, please report it with this input; \
         the other rules and files were still checked",
    )
}
