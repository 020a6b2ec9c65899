//! Finding and loading `policy-lint.toml`.
//!
//! Without `--config`, the file is looked for in the working directory and
//! then in each parent, stopping at the repository root (a directory that
//! holds `.git`). `--no-config` reads none.

use std::path::{Path, PathBuf};

use policy_lint::config::{Config, ConfigError, FILE_NAME, render_config_message};
use policy_lint::{LintResult, Options, Severity};

use crate::RunError;

/// Names looked for in each directory, in order.
const NAMES: &[&str] = &[FILE_NAME, ".policy-lint.toml"];

/// A configuration file read and parsed.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub config: Config,
}

/// The nearest configuration file at or above `dir`, up to the repository root.
pub fn find(dir: &Path) -> Option<PathBuf> {
    let mut dir = Some(dir);
    while let Some(d) = dir {
        for name in NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// The nearest directory at or above `dir` that holds `.git`.
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Finds (or takes) and parses the configuration. An invalid file is
/// reported on stderr as a diagnostic pointing into it, and fails the run.
pub fn load(
    explicit: Option<&Path>,
    no_config: bool,
    color: bool,
    max_file_size: u64,
) -> Result<Option<Loaded>, RunError> {
    if no_config {
        return Ok(None);
    }
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| RunError(format!("cannot read the working directory: {e}")))?;
            match find(&cwd) {
                Some(p) => relative_to(&p, &cwd),
                None => return Ok(None),
            }
        }
    };
    let shown = path.display().to_string();
    let text = crate::read::option_file(&path, "configuration", max_file_size)?;
    match Config::parse(&text) {
        Ok(config) => Ok(Some(Loaded { path, text, config })),
        Err(e) => {
            eprint!(
                "{}",
                render_config_message(&shown, &text, Severity::Error, &e, color)
            );
            Err(RunError(format!(
                "invalid configuration `{}`",
                policy_lint::render::escape_control(&shown)
            )))
        }
    }
}

/// `path` relative to `base` when it lies inside it (`policy-lint.toml`
/// rather than `/home/me/repo/policy-lint.toml`), else `path`.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    if let Ok(p) = path.strip_prefix(base) {
        return p.to_path_buf();
    }
    // Above the working directory: `../policy-lint.toml`.
    let mut up = PathBuf::new();
    let mut b = Some(base);
    while let Some(dir) = b {
        if let Ok(rest) = path.strip_prefix(dir) {
            return up.join(rest);
        }
        up.push("..");
        b = dir.parent();
    }
    path.to_path_buf()
}

impl Loaded {
    /// Warns, on stderr, about every suppression that matched nothing.
    pub fn warn_unmatched(&self, result: &LintResult, _options: &Options, color: bool) {
        let shown = self.path.display().to_string();
        for &i in &result.unmatched_suppressions {
            let Some(s) = self.config.suppress.get(i) else {
                continue;
            };
            let error = ConfigError {
                message: format!(
                    "suppression of `{}` in `{}` matched no finding",
                    s.rule.as_str(),
                    s.path.as_str()
                ),
                span: self.config.suppress_spans.get(i).cloned(),
                help: Some(
                    "remove the entry if the finding is fixed, or correct its rule, path or location"
                        .to_string(),
                ),
            };
            eprint!(
                "{}",
                render_config_message(&shown, &self.text, Severity::Warning, &error, color)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_config() {
        assert_eq!(
            relative_to(Path::new("/r/policy-lint.toml"), Path::new("/r/a/b")),
            PathBuf::from("../../policy-lint.toml")
        );
        assert_eq!(
            relative_to(Path::new("/r/policy-lint.toml"), Path::new("/r")),
            PathBuf::from("policy-lint.toml")
        );
    }
}
