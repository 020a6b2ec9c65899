//! The `policy-lint` command line, as a library.
//!
//! The `policy-lint` binary of this package and the root package's
//! `policy-lint-pre-commit` binary (built by pre-commit's `language: rust`)
//! are both one call to [`main`], so there is one CLI and one list of
//! dependencies. To lint from Rust code, use the `policy-lint` crate instead.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

// jemalloc: small size classes and fast frees for the spanned tree's many
// small allocations (measured: docs/internals.md, "Performance"). Declared in the
// library so both binaries that call it get it.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod config;
mod discover;
mod jsonc;
mod read;
mod status;
mod terraform;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use policy_lint::baseline::Baseline;
use policy_lint::documents::KindFlag;
use policy_lint::lint::RunError as ReportedError;
use policy_lint::project::Project;
use policy_lint::render::{self, Format, RenderOptions};
use policy_lint::{Input, LintResult, Linter, Options, Selector};

#[derive(Debug, Parser)]
#[command(
    name = "policy-lint",
    version,
    about = "Static linter for cloud IAM configuration"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint files, directories (walked for *.json) or `-` for stdin.
    Check(Box<CheckArgs>),
    /// Show a rule's documentation.
    Explain {
        /// A rule code (`AWS001`) or name (`service-trust-principal`).
        rule: String,
    },
    /// List every rule: code, name, default severity.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files, directories or `-` (stdin). Default: the current directory.
    /// Put them after `--` when a name could start with `-`.
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// When to use colours (honours NO_COLOR and CLICOLOR_FORCE).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Rules to enable: codes, prefixes (`AWS`, `AWS1`) or names; comma-separated or repeated.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Rules to disable: codes, prefixes or names.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Force the kind of every input document (see `--kind help`).
    #[arg(long)]
    kind: Option<String>,
    /// A service control policy that applies to every role of the run (repeatable).
    #[arg(long = "scp", value_name = "FILE")]
    scp: Vec<String>,
    /// A service-integration catalogue file whose entries add to the built-in ones (repeatable).
    #[arg(long = "catalog", value_name = "FILE")]
    catalog: Vec<String>,
    /// Read this configuration file instead of looking for policy-lint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<std::path::PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    no_config: bool,
    /// Hide the findings recorded in this baseline file; show only new ones.
    #[arg(long, value_name = "FILE")]
    baseline: Option<std::path::PathBuf>,
    /// Record every current finding in this baseline file (exit 0 unless the run fails).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<std::path::PathBuf>,
    /// Exit 0 even when there are error findings (the run can still fail with 2).
    #[arg(long)]
    exit_zero: bool,
    /// Refuse inputs larger than this (JSON001, not read) and option files
    /// larger than this (the run fails): bytes, or with K, M or G (binary).
    #[arg(long, value_name = "SIZE", default_value = "512M", value_parser = read::parse_size)]
    max_file_size: u64,
    /// Let files that are no known kind pass quietly even when named, as in
    /// a directory walk: JSON that no rule reads (`package.json`) and JSON
    /// with comments (`tsconfig.json`). For pre-commit hooks, which name
    /// every staged JSON file.
    #[arg(long)]
    ignore_unknown: bool,
    /// The Terraform configuration whose `.tf` files wrote the plans
    /// (default: each plan file's directory; for stdin, the working directory).
    #[arg(long, value_name = "DIR", conflicts_with = "no_terraform_source")]
    terraform_dir: Option<String>,
    /// Report plan findings at the plan only, not at the `.tf` files.
    #[arg(long)]
    no_terraform_source: bool,
    /// The name of the input read from stdin (`-`), used in every output
    /// format and matched by suppressions; without paths, stdin is read.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
}

/// A failure of the run itself (exit 2), as opposed to findings (exit 1).
#[derive(Debug)]
struct RunError(String);

/// Runs the `policy-lint` command with the process's arguments and returns
/// its exit status: 0 no error findings, 1 error findings, 2 the run failed.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(*args),
        Command::Explain { rule } => explain(&rule),
        Command::Rules { format } => list_rules(format),
    };
    match result {
        Ok(code) => code,
        Err(RunError(message)) => {
            eprintln!("error: {}", render::escape_control(&message));
            ExitCode::from(2)
        }
    }
}

fn write_stdout(text: &str) -> Result<(), RunError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not a failure of the lint.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(RunError(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}

fn explain(rule: &str) -> Result<ExitCode, RunError> {
    let r = policy_lint::registry::find_rule(rule)
        .ok_or_else(|| RunError(format!("no rule has the code or name `{rule}`")))?;
    let m = r.meta();
    let mut text = format!(
        "# {} ({})\n\n{}\n\nDefault severity: {}\n\n{}",
        m.code,
        m.name,
        m.summary,
        m.default_severity,
        m.markdown()
    );
    if let Some(url) = m.url {
        text.push_str(&format!("\nMore: {url}\n"));
    }
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// `--kind help`: every kind name with what it reads.
fn list_kinds() -> Result<ExitCode, RunError> {
    let kinds = KindFlag::described();
    let width = KindFlag::names().map(str::len).max().unwrap_or(0);
    let mut text = String::from(
        "Kinds `--kind` accepts (without it, each file's kind is detected from its content):\n",
    );
    for (name, what) in kinds {
        text.push_str(&format!("  {name:<width$}  {what}\n"));
    }
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn list_rules(format: ListFormat) -> Result<ExitCode, RunError> {
    let rules = policy_lint::rules::ALL.iter().map(|r| r.meta());
    let text = match format {
        ListFormat::Text => rules
            .map(|m| {
                format!(
                    "{:<8} {:<40} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.default_severity.as_str(),
                    m.summary
                )
            })
            .collect(),
        ListFormat::Json => {
            let list: Vec<_> = rules
                .map(|m| {
                    serde_json::json!({
                        "code": m.code,
                        "name": m.name,
                        "severity": m.default_severity.as_str(),
                        "summary": m.summary,
                        "url": m.url,
                        "docs": m.markdown(),
                    })
                })
                .collect();
            format!("{}\n", serde_json::Value::Array(list))
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn selectors(list: &[String]) -> Result<Vec<Selector>, RunError> {
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| Selector::parse(s).map_err(RunError))
        .collect()
}

/// Whether to colour what goes to `stream`: `--color` first, then
/// `NO_COLOR` (set and not empty: never), then `CLICOLOR_FORCE` (set and
/// not `0`: always), then whether the stream is a terminal.
fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
            if env("NO_COLOR") {
                false
            } else if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
            {
                true
            } else {
                stream_is_terminal
            }
        }
    }
}

/// What a run needs before it reads its inputs.
struct Prepared {
    paths: Vec<String>,
    options: Options,
    loaded: Option<config::Loaded>,
    baseline: Option<Baseline>,
}

fn check(args: CheckArgs) -> Result<ExitCode, RunError> {
    if args.kind.as_deref() == Some("help") {
        return list_kinds();
    }
    let started = std::time::Instant::now();
    let stderr_color = use_color(args.color, std::io::stderr().is_terminal());
    match prepare(&args, stderr_color) {
        Ok(prepared) => run(args, prepared, started, stderr_color),
        // Machine-read formats still get a report, so that a job that keeps
        // the JSON or SARIF (with `--exit-zero`) sees the failure; people
        // read the message on stderr.
        Err(e) if matches!(args.format, OutputFormat::Human | OutputFormat::Concise) => Err(e),
        Err(RunError(message)) => {
            let mut result = Linter::default().lint(Vec::new());
            result.errors.push(ReportedError::new(message));
            report(&args, &result, started)?;
            Ok(ExitCode::from(2))
        }
    }
}

fn prepare(args: &CheckArgs, stderr_color: bool) -> Result<Prepared, RunError> {
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => Some(KindFlag::parse(k).ok_or_else(|| {
            let names: Vec<_> = KindFlag::names().collect();
            RunError(format!(
                "unknown kind `{k}`; kinds: {} (`--kind help` says what each reads)",
                names.join(", ")
            ))
        })?),
    };
    let overrides = Options {
        select: selectors(&args.select)?,
        ignore: selectors(&args.ignore)?,
        kind,
        scp: args.scp.clone(),
        catalog: args.catalog.clone(),
        max_file_size: args.max_file_size,
        ..Options::default()
    };
    let loaded = config::load(
        args.config.as_deref(),
        args.no_config,
        stderr_color,
        args.max_file_size,
    )?;
    let mut options = match &loaded {
        Some(l) => l.config.options(&overrides),
        None => overrides,
    };
    options.project = project(loaded.as_ref());
    let baseline = match &args.baseline {
        Some(path) => {
            let text = read::option_file(path, "baseline", args.max_file_size)?;
            Some(
                Baseline::parse(&text)
                    .map_err(|e| RunError(format!("baseline `{}`: {e}", path.display())))?,
            )
        }
        None => None,
    };
    if let Some(dir) = &args.terraform_dir
        && !std::path::Path::new(dir).is_dir()
    {
        return Err(RunError(format!(
            "--terraform-dir `{dir}` is not a directory"
        )));
    }
    let paths = match (args.paths.is_empty(), &args.stdin_filename) {
        (true, Some(_)) => vec!["-".to_string()],
        (true, None) => vec![".".to_string()],
        (false, Some(_)) if !args.paths.iter().any(|p| p == "-") => {
            return Err(RunError(
                "`--stdin-filename` names the standard input, but no path is `-`".into(),
            ));
        }
        (false, _) => args.paths.clone(),
    };
    Ok(Prepared {
        paths,
        options,
        loaded,
        baseline,
    })
}

/// The project root: the configuration file's directory, else the
/// repository root, else the working directory (see `policy_lint::project`).
fn project(loaded: Option<&config::Loaded>) -> Option<Project> {
    let cwd = std::env::current_dir().ok()?;
    let root = match loaded.and_then(|l| l.path.parent()) {
        Some(dir) => dir.to_path_buf(),
        None => config::repository_root(&cwd).unwrap_or_else(|| cwd.clone()),
    };
    Some(Project::new(root, cwd))
}

fn run(
    args: CheckArgs,
    prepared: Prepared,
    started: std::time::Instant,
    stderr_color: bool,
) -> Result<ExitCode, RunError> {
    let Prepared {
        paths,
        options,
        loaded,
        baseline,
    } = prepared;
    let mut discovered = discover::discover(&paths);
    if args.ignore_unknown {
        for f in &mut discovered.files {
            f.named = false;
        }
    }
    // SCP and catalogue files are inputs of the run too (flagged in the options).
    // A walk may find them again under another spelling (`./scp.json`).
    let same = |a: &str, b: &str| a.trim_start_matches("./") == b.trim_start_matches("./");
    for (extra, what) in args
        .scp
        .iter()
        .map(|p| (p, "SCP"))
        .chain(args.catalog.iter().map(|p| (p, "catalogue")))
    {
        read::require_regular(extra, what)?;
        match discovered.files.iter_mut().find(|f| same(&f.path, extra)) {
            Some(found) => {
                found.path = extra.clone();
                found.named = true;
            }
            None => discovered.files.push(discover::Found {
                path: extra.clone(),
                named: true,
            }),
        }
    }
    if let Some(l) = &loaded {
        discovered
            .files
            .retain(|f| f.path == "-" || !l.config.is_excluded(&f.path));
    }
    let status = status::Status::start(discovered.files.len(), stderr_color);
    let mut inputs = Vec::with_capacity(discovered.files.len());
    let mut failed: Vec<ReportedError> = discovered.errors;
    for note in &discovered.notes {
        eprintln!("note: {}", render::escape_control(note));
    }
    // Reading in parallel overlaps the system calls of many small files.
    let read: Vec<_> = {
        use rayon::prelude::*;
        discovered
            .files
            .into_par_iter()
            .map(|file| (read::input(&file.path, args.max_file_size), file))
            .collect()
    };
    for (bytes, file) in read {
        let name = match (&args.stdin_filename, file.path.as_str()) {
            (Some(name), "-") => name.clone(),
            _ => file.path.clone(),
        };
        match bytes {
            Ok(read::Bytes::Read(bytes)) => inputs.push(Input {
                name,
                bytes,
                named: file.named,
                unread_size: None,
            }),
            // The linter reports it (JSON001) without the bytes.
            Ok(read::Bytes::TooLarge(size)) => inputs.push(Input {
                name,
                bytes: Vec::new(),
                named: file.named,
                unread_size: Some(size),
            }),
            Err(e) => failed.push(ReportedError::at(
                &file.path,
                format!("cannot read `{}`: {e}", file.path),
            )),
        }
        status.read_one();
    }
    let mut result = Linter::new(options.clone()).lint_with_progress(inputs, status.checked());
    status.finish();
    if args.ignore_unknown {
        jsonc::drop_syntax_errors(&mut result);
    }
    if !args.no_terraform_source {
        for note in terraform::attach_sources(&mut result, args.terraform_dir.as_deref()) {
            eprintln!("note: {}", render::escape_control(&note));
        }
    }
    if let Some(l) = &loaded {
        l.warn_unmatched(&result, &options, stderr_color);
    }
    if let Some(path) = &args.write_baseline {
        let text = Baseline::from_result(&result).to_json();
        if let Err(e) = std::fs::write(path, text) {
            let shown = path.display().to_string();
            failed.push(ReportedError::at(
                &shown,
                format!("cannot write baseline `{shown}`: {e}"),
            ));
        } else {
            eprintln!(
                "wrote {} finding{} to baseline `{}`",
                result.diagnostics.len(),
                if result.diagnostics.len() == 1 {
                    ""
                } else {
                    "s"
                },
                render::escape_control(&path.display().to_string())
            );
        }
    }
    if let Some(b) = &baseline {
        b.apply(&mut result);
    }
    result.errors = failed;
    report(&args, &result, started)?;
    Ok(if result.failed() {
        ExitCode::from(2)
    } else if args.write_baseline.is_none() && !args.exit_zero && result.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the run's errors on stderr, then the report on stdout (so on a
/// terminal the summary line comes last).
fn report(
    args: &CheckArgs,
    result: &LintResult,
    started: std::time::Instant,
) -> Result<(), RunError> {
    let format = match args.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
    };
    let text = render::render(
        result,
        format,
        RenderOptions {
            color: use_color(args.color, std::io::stdout().is_terminal()),
            elapsed: Some(started.elapsed()),
        },
    );
    for e in &result.errors {
        eprintln!("error: {}", render::escape_control(&e.to_string()));
    }
    write_stdout(&text)
}
