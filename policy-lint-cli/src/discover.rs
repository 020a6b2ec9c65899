//! Which files a run reads.
//!
//! Named files are always read (and JSON003 applies to them); directories
//! are walked for `*.json`, skipping VCS, build and dependency folders, never
//! following symlinks, and never opening anything but regular files (a FIFO
//! named `x.json` would block the run forever).

use policy_lint::lint::RunError;
use walkdir::WalkDir;

/// Folders a walk never enters.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    "node_modules",
    "target",
    ".hg",
    ".svn",
];

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Path as given or as found; `-` for stdin.
    pub path: String,
    /// Whether the user named it.
    pub named: bool,
}

/// Files to read, and paths that could not be used.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<Found>,
    pub errors: Vec<RunError>,
    /// `*.json` entries a walk skipped without opening them (symbolic
    /// links, FIFOs, sockets, devices): worth a note, not a failure.
    pub notes: Vec<String>,
}

/// Expands `paths` into files, in a stable order.
pub fn discover(paths: &[String]) -> Discovered {
    let mut out = Discovered::default();
    for path in paths {
        if path == "-" {
            out.files.push(Found {
                path: path.clone(),
                named: true,
            });
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.errors
                    .push(RunError::at(path, format!("cannot read `{path}`: {e}")));
                continue;
            }
        };
        if meta.is_dir() {
            walk(path, &mut out);
        } else if meta.is_file() {
            out.files.push(Found {
                path: path.clone(),
                named: true,
            });
        } else {
            out.errors.push(RunError::at(
                path,
                format!("`{path}` is not a regular file or directory; skipped"),
            ));
        }
    }
    out
}

fn walk(root: &str, out: &mut Discovered) {
    let first_file = out.files.len();
    let first_note = out.notes.len();
    // Sorted once at the end rather than by walkdir, whose comparator
    // re-parses both paths on each of the n log n comparisons (a tenth of
    // a run's instructions on the 1,645 AWS managed policies).
    let walker = WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir() && SKIPPED_DIRS.iter().any(|d| e.file_name() == *d))
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                if has_json_extension(e.path()) {
                    out.files.push(Found {
                        path: e.path().to_string_lossy().into_owned(),
                        named: false,
                    });
                }
            }
            Ok(e) if !e.file_type().is_dir() && has_json_extension(e.path()) => {
                let what = if e.file_type().is_symlink() {
                    "a symbolic link (walks never follow links; name its target to lint it)"
                } else {
                    "not a regular file"
                };
                out.notes
                    .push(format!("skipped `{}`: {what}", e.path().to_string_lossy()));
            }
            Ok(_) => {}
            Err(e) => out
                .errors
                .push(RunError::at(root, format!("cannot walk `{root}`: {e}"))),
        }
    }
    if let Some(files) = out.files.get_mut(first_file..) {
        files.sort_by(|a, b| walk_order(&a.path, &b.path));
    }
    if let Some(notes) = out.notes.get_mut(first_note..) {
        notes.sort();
    }
}

/// The order of a depth-first walk that visits each folder's entries by
/// name: paths compared component by component, which is byte order with
/// the separator below every other byte (`a/b` before `a-c`).
fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes().map(|b| {
            if std::path::is_separator(char::from(b)) {
                0
            } else {
                b
            }
        })
    }
    key(a).cmp(key(b))
}

fn has_json_extension(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
}
