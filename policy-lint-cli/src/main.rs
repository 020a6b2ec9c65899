//! The `policy-lint` command.
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

mod discover;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use policy_lint::documents::KindFlag;
use policy_lint::render::{self, Format, RenderOptions};
use policy_lint::{Input, Linter, Options, Selector, Severity};

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
    Check(CheckArgs),
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
}

/// A failure of the run itself (exit 2), as opposed to findings (exit 1).
#[derive(Debug)]
struct RunError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { rule } => explain(&rule),
        Command::Rules { format } => list_rules(format),
    };
    match result {
        Ok(code) => code,
        Err(RunError(message)) => {
            eprintln!("error: {message}");
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
        "# {} ({})\n\nDefault severity: {}\n\n{}",
        m.code, m.name, m.default_severity, m.docs
    );
    if let Some(url) = m.url {
        text.push_str(&format!("\nMore: {url}\n"));
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
                    m.code, m.name, m.default_severity, m.summary
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

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
            if env("NO_COLOR") {
                false
            } else if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, RunError> {
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => Some(KindFlag::parse(k).ok_or_else(|| {
            let names: Vec<_> = KindFlag::names().collect();
            RunError(format!("unknown kind `{k}`; kinds: {}", names.join(", ")))
        })?),
    };
    let options = Options {
        select: selectors(&args.select)?,
        ignore: selectors(&args.ignore)?,
        kind,
        ..Options::default()
    };
    let paths = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths
    };
    let discovered = discover::discover(&paths);
    let mut inputs = Vec::with_capacity(discovered.files.len());
    let mut failed = discovered.errors;
    for note in &discovered.notes {
        eprintln!("note: {}", render::escape_control(note));
    }
    // Reading in parallel overlaps the system calls of many small files.
    let read: Vec<_> = {
        use rayon::prelude::*;
        discovered
            .files
            .into_par_iter()
            .map(|file| (read_input(&file.path), file))
            .collect()
    };
    for (bytes, file) in read {
        match bytes {
            Ok(bytes) => inputs.push(Input {
                name: file.path,
                bytes,
                named: file.named,
            }),
            Err(e) => failed.push(format!("cannot read `{}`: {e}", file.path)),
        }
    }
    let result = Linter::new(options).lint(inputs);
    let format = match args.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Json => Format::Json,
    };
    let text = render::render(
        &result,
        format,
        RenderOptions {
            color: use_color(args.color),
        },
    );
    write_stdout(&text)?;
    for message in &failed {
        eprintln!("error: {}", render::escape_control(message));
    }
    Ok(if !failed.is_empty() {
        ExitCode::from(2)
    } else if result
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn read_input(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(path)
    }
}
