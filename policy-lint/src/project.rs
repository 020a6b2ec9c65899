//! The project a run belongs to: the directory that file identities are
//! relative to.
//!
//! A finding's fingerprint, a baseline entry and a SARIF location name the
//! file relative to the project root, so `iam`, `./iam/`, `$PWD/iam` and
//! `../iam` from a subdirectory all name the same file, and a CI job that
//! passes `$GITHUB_WORKSPACE/iam` keeps the baseline a developer wrote with
//! `iam`. What the user typed is still what the output shows as `file`.
//!
//! The library does no I/O: the caller finds the root (the CLI takes the
//! directory of `policy-lint.toml`, else the repository root, else the
//! working directory) and says what the working directory is. Paths are
//! compared as text, after `.` and `..` are resolved (symbolic links are
//! not followed).
//!
//! ```
//! use policy_lint::project::Project;
//!
//! let project = Project::new("/repo", "/repo/sub");
//! assert_eq!(project.relative("../iam/role.json"), "iam/role.json");
//! assert_eq!(project.relative("/repo/./iam/role.json"), "iam/role.json");
//! assert_eq!(project.relative("/elsewhere/x.json"), "/elsewhere/x.json");
//! assert_eq!(project.root_uri(), "file:///repo/");
//! ```

use std::path::{Component, Path, PathBuf};

/// A project root and the working directory that relative input names
/// start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    root: PathBuf,
    cwd: PathBuf,
}

impl Project {
    /// A project rooted at `root`, for input names relative to `cwd`. A
    /// relative `root` is taken from `cwd`; `cwd` should be absolute.
    pub fn new(root: impl Into<PathBuf>, cwd: impl Into<PathBuf>) -> Self {
        let cwd = lexical(&cwd.into());
        let root = lexical(&cwd.join(root.into()));
        Self { root, cwd }
    }

    /// The root, absolute.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `name` (an input name as typed) relative to the root, with `/`
    /// separators; absolute when it lies outside the root; `-` (stdin)
    /// unchanged.
    pub fn relative(&self, name: &str) -> String {
        if name == "-" {
            return name.to_string();
        }
        let absolute = lexical(&self.cwd.join(name));
        match absolute.strip_prefix(&self.root) {
            Ok(inside) => slashes(inside),
            Err(_) => slashes(&absolute),
        }
    }

    /// The root as a `file:` URI ending in `/` (SARIF `originalUriBaseIds`).
    pub fn root_uri(&self) -> String {
        let path = slashes(&self.root);
        let path = path.trim_end_matches('/');
        // `C:/x` becomes `file:///C:/x`, `/x` becomes `file:///x`.
        let path = path.strip_prefix('/').unwrap_or(path);
        let mut uri = String::from("file:///");
        for b in path.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@:".contains(&b) {
                uri.push(char::from(b));
            } else {
                uri.push_str(&format!("%{b:02X}"));
            }
        }
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }
}

/// `path` with `.` dropped and `..` applied to the part before it.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn slashes(path: &Path) -> String {
    crate::suppress::normalize_path(&path.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_file_is_one_name() {
        let p = Project::new("/r", "/r");
        for typed in [
            "iam/a.json",
            "./iam/a.json",
            "iam//a.json",
            "/r/iam/a.json",
            "/r/x/../iam/./a.json",
        ] {
            assert_eq!(p.relative(typed), "iam/a.json", "{typed}");
        }
        let from_sub = Project::new("/r", "/r/sub/deeper");
        assert_eq!(from_sub.relative("../../iam/a.json"), "iam/a.json");
    }

    #[test]
    fn outside_the_root_stays_absolute() {
        let p = Project::new("/r/sub", "/r");
        assert_eq!(p.relative("other/a.json"), "/r/other/a.json");
        assert_eq!(p.relative("sub/a.json"), "a.json");
        assert_eq!(p.relative("-"), "-");
        // `..` above `/` stays at `/`.
        assert_eq!(Project::new("/", "/").relative("../../a.json"), "a.json");
    }

    #[test]
    fn a_relative_root_is_taken_from_the_working_directory() {
        let p = Project::new("..", "/r/sub");
        assert_eq!(p.root(), Path::new("/r"));
        assert_eq!(p.relative("a.json"), "sub/a.json");
        assert_eq!(Project::new("/a b/%", "/").root_uri(), "file:///a%20b/%25/");
    }
}
