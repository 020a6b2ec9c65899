//! The configuration file, `policy-lint.toml`, parsed from a string.
//!
//! ```toml
//! select = ["AWS", "GCP"]          # codes, prefixes or names; default: every rule
//! ignore = ["AWS004"]
//! exclude = ["vendor/**", "**/*.tfstate.json"]
//!
//! [severity]
//! AWS001 = "warning"               # "error" | "warning" | "advice" | "off"
//!
//! [[suppress]]
//! rule = "AWS004"
//! path = "iam/legacy-*.json"
//! location = "LegacyCrossAccount"  # a JSON Pointer, a Terraform address or a statement Sid
//! reason = "ticket SEC-123: trusted partner account, reviewed 2026-01"
//! ```
//!
//! Finding the file and reading it is the caller's business (the CLI walks
//! up from the working directory); this module only turns text into
//! [`Config`], or into a [`ConfigError`] that points into the text.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::lint::Options;
use crate::registry::Selector;
use crate::suppress::{PathGlob, Suppression};

/// The file name looked for.
pub const FILE_NAME: &str = "policy-lint.toml";

/// A parsed, validated configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Rules to enable; `None` when the file does not say.
    pub select: Option<Vec<Selector>>,
    /// Rules to disable.
    pub ignore: Vec<Selector>,
    /// Severity overrides; `None` turns the rule off.
    pub severity: Vec<(Selector, Option<Severity>)>,
    /// Files never linted.
    pub exclude: Vec<PathGlob>,
    /// Accepted findings.
    pub suppress: Vec<Suppression>,
    /// Byte span of each `[[suppress]]` entry in the text, for messages.
    pub suppress_spans: Vec<Range<usize>>,
}

/// What is wrong with a configuration, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// Where in the text, when known.
    pub span: Option<Range<usize>>,
    /// How to fix it.
    pub help: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    suppress: Option<Vec<Spanned<RawSuppress>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    rule: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    location: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
}

fn error(message: impl Into<String>, span: Range<usize>, help: Option<&str>) -> ConfigError {
    ConfigError {
        message: message.into(),
        span: Some(span),
        help: help.map(str::to_string),
    }
}

fn selector(s: &Spanned<String>) -> Result<Selector, ConfigError> {
    Selector::parse(s.get_ref()).map_err(|m| {
        error(
            m,
            s.span(),
            Some("`policy-lint rules` lists every code and name"),
        )
    })
}

fn selectors(list: Option<&Vec<Spanned<String>>>) -> Result<Vec<Selector>, ConfigError> {
    list.into_iter().flatten().map(selector).collect()
}

fn glob(s: &Spanned<String>) -> Result<PathGlob, ConfigError> {
    PathGlob::new(s.get_ref()).map_err(|m| error(m, s.span(), None))
}

impl Config {
    /// Parses and validates a configuration: syntax, unknown keys, codes
    /// that match no rule, severities and globs.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| ConfigError {
            message: e.message().trim().to_string(),
            span: e.span(),
            help: e.message().contains("unknown field").then(|| {
                "keys are select, ignore, exclude, [severity] and [[suppress]] (rule, path, location, reason)"
                    .to_string()
            }),
        })?;
        let mut config = Self {
            select: raw
                .select
                .as_ref()
                .map(|s| selectors(Some(s)))
                .transpose()?,
            ignore: selectors(raw.ignore.as_ref())?,
            ..Self::default()
        };
        for (key, value) in raw.severity.iter().flatten() {
            let sel = selector(key)?;
            let level = match value.get_ref().as_str() {
                "off" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    error(
                        format!("`{other}` is not a severity"),
                        value.span(),
                        Some("use \"error\", \"warning\", \"advice\" or \"off\""),
                    )
                })?),
            };
            config.severity.push((sel, level));
        }
        config.exclude = raw
            .exclude
            .iter()
            .flatten()
            .map(glob)
            .collect::<Result<_, _>>()?;
        for entry in raw.suppress.iter().flatten() {
            let span = entry.span();
            let e = entry.get_ref();
            let missing = |key: &str| {
                error(
                    format!("suppression has no `{key}`"),
                    span.clone(),
                    Some(
                        "every [[suppress]] entry needs rule, path and reason (location is optional)",
                    ),
                )
            };
            let rule = selector(e.rule.as_ref().ok_or_else(|| missing("rule"))?)?;
            let path = glob(e.path.as_ref().ok_or_else(|| missing("path"))?)?;
            let reason = e.reason.as_ref().ok_or_else(|| missing("reason"))?;
            if reason.get_ref().trim().is_empty() {
                return Err(error(
                    "suppression reason is empty",
                    reason.span(),
                    Some("say why the finding is accepted, so a reviewer can judge it later"),
                ));
            }
            config.suppress.push(Suppression {
                rule,
                path,
                location: e.location.as_ref().map(|l| l.get_ref().trim().to_string()),
                reason: reason.get_ref().clone(),
            });
            config.suppress_spans.push(span);
        }
        Ok(config)
    }

    /// Whether `path` is excluded.
    pub fn is_excluded(&self, path: &str) -> bool {
        self.exclude.iter().any(|g| g.matches(path))
    }

    /// Options for a run: this configuration as the base, with `overrides`
    /// (command-line flags) on top. A rule named or matched by an override
    /// selector is decided by the overrides alone; any other rule by the
    /// configuration.
    pub fn options(&self, overrides: &Options) -> Options {
        let cli_decides = |r: &crate::RuleMeta| {
            overrides
                .select
                .iter()
                .chain(&overrides.ignore)
                .any(|s| s.matches(r))
        };
        let base = Options {
            select: self.select.clone().unwrap_or_default(),
            ignore: self.ignore.clone(),
            severity: self.severity.clone(),
            ..Options::default()
        };
        // With a command-line `--select`, only what it selects runs.
        let enabled: Vec<Selector> = crate::rules::ALL
            .iter()
            .map(|r| r.meta())
            .filter(|m| {
                if cli_decides(m) || !overrides.select.is_empty() {
                    overrides.is_enabled(m)
                } else {
                    base.is_enabled(m)
                }
            })
            .filter_map(|m| Selector::parse(m.code).ok())
            .collect();
        let mut severity: Vec<_> = self
            .severity
            .iter()
            .filter(|(_, s)| s.is_some())
            .cloned()
            .collect();
        severity.extend(overrides.severity.iter().cloned());
        let nothing = enabled.is_empty();
        Options {
            // An empty `select` means every rule: when nothing is enabled,
            // say so by ignoring everything.
            select: if nothing { Vec::new() } else { enabled },
            ignore: if nothing {
                Selector::parse("ALL").into_iter().collect()
            } else {
                Vec::new()
            },
            severity,
            kind: overrides.kind,
            suppress: self.suppress.clone(),
            scp: overrides.scp.clone(),
            catalog: overrides.catalog.clone(),
            added_catalog: overrides.added_catalog.clone(),
            max_file_size: overrides.max_file_size,
            project: overrides.project.clone(),
        }
    }
}

/// Renders a message that points into a text (a configuration file) the way
/// findings are rendered: a miette report with a snippet.
pub fn render_config_message(
    file_name: &str,
    text: &str,
    severity: Severity,
    error: &ConfigError,
    color: bool,
) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};
    let escape = |s: &str| crate::render::escape_control(s).into_owned();
    let mut diag = MietteDiagnostic::new(escape(&error.message))
        .with_code(format!("{severity}[config]"))
        .with_severity(match severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        });
    if let Some(help) = &error.help {
        diag = diag.with_help(escape(help));
    }
    if let Some(span) = &error.span {
        let start = span.start.min(text.len());
        let len = span.end.min(text.len()).saturating_sub(start);
        diag = diag.with_label(LabeledSpan::at(start..start + len, "here"));
    }
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    let shown = crate::render::same_width_safe(text).unwrap_or_else(|| text.to_string());
    let report = miette::Report::new(diag)
        .with_source_code(miette::NamedSource::new(escape(file_name), shown));
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{severity}: {file_name}: {}\n", escape(&error.message));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_config_parses() {
        let c = Config::parse(
            r#"
select = ["JSON"]
ignore = ["JSON003"]
exclude = ["vendor/**"]
[severity]
JSON002 = "warning"
duplicate-key = "off"
[[suppress]]
rule = "JSON002"
path = "iam/*.json"
location = "/Statement/0"
reason = "legacy"
"#,
        )
        .expect("valid");
        assert_eq!(c.select.as_ref().map(Vec::len), Some(1));
        assert_eq!(c.ignore.len(), 1);
        assert_eq!(c.severity.len(), 2);
        assert!(c.is_excluded("vendor/a/b.json"));
        assert_eq!(c.suppress.len(), 1);
    }

    #[test]
    fn errors_point_into_the_text() {
        let text = "ignore = [\"NOPE9\"]\n";
        let e = Config::parse(text).expect_err("unknown code");
        assert_eq!(e.span, Some(10..17));
        let e = Config::parse("selekt = []\n").expect_err("unknown key");
        assert!(e.message.contains("unknown field"), "{}", e.message);
        assert_eq!(e.span, Some(0..6));
        let e = Config::parse("[severity]\nJSON001 = \"fatal\"\n").expect_err("bad level");
        assert!(e.message.contains("fatal"));
        let e = Config::parse("[[suppress]]\nrule = \"JSON001\"\npath = \"*\"\n")
            .expect_err("no reason");
        assert!(e.message.contains("reason"));
        let e = Config::parse("select = [").expect_err("syntax");
        assert!(e.span.is_some());
    }

    #[test]
    fn command_line_selectors_override_the_file() {
        let c = Config::parse("ignore = [\"JSON002\"]\n").expect("valid");
        let enabled = |o: &Options, code: &str| {
            crate::registry::find_rule(code).is_some_and(|r| o.is_enabled(r.meta()))
        };
        let o = c.options(&Options::default());
        assert!(!enabled(&o, "JSON002"));
        assert!(enabled(&o, "JSON001"));
        let cli = Options {
            select: vec![Selector::parse("JSON002").expect("sel")],
            ..Options::default()
        };
        let o = c.options(&cli);
        assert!(enabled(&o, "JSON002"));
        assert!(!enabled(&o, "JSON001"));
        let cli = Options {
            ignore: vec![Selector::parse("JSON").expect("sel")],
            ..Options::default()
        };
        assert!(!enabled(&c.options(&cli), "JSON001"));
    }
}
