//! The corpus benchmark: times the `policy-lint` release binary and the
//! serde_json floor side by side, whole process, and prints medians, peak
//! RSS and ratios against the targets of spec section 6.
//!
//! ```sh
//! cargo build --release -p policy-lint-cli -p policy-lint-bench
//! target/release/corpus-bench [--runs 5] [--quick] [--compare OLD_BINARY]
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use policy_lint_bench::measure::{fmt_rss, fmt_time, peak_rss};

struct Args {
    runs: usize,
    quick: bool,
    bin: PathBuf,
    floor: PathBuf,
    compare: Option<PathBuf>,
    corpus: PathBuf,
    work: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: corpus-bench [--runs N] [--quick] [--bin POLICY_LINT] [--floor SERDE_FLOOR] \
         [--compare OTHER_POLICY_LINT] [--corpus DIR] [--work DIR]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let here = policy_lint_bench::measure::exe_dir();
    let mut args = Args {
        runs: 5,
        quick: false,
        bin: here.join("policy-lint"),
        floor: here.join("serde-floor"),
        compare: None,
        corpus: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        work: std::env::temp_dir().join("policy-lint-bench"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--runs" => args.runs = value().parse().unwrap_or_else(|_| usage()),
            "--quick" => args.quick = true,
            "--bin" => args.bin = value().into(),
            "--floor" => args.floor = value().into(),
            "--compare" => args.compare = Some(value().into()),
            "--corpus" => args.corpus = value().into(),
            "--work" => args.work = value().into(),
            _ => usage(),
        }
    }
    args
}

/// Wall time of one whole-process run, output discarded.
fn time_once(cmd: &[String]) -> Duration {
    time_with(cmd, None)
}

/// [`time_once`] with `RAYON_NUM_THREADS` set to `threads` when given.
fn time_with(cmd: &[String], threads: Option<usize>) -> Duration {
    let mut command = Command::new(&cmd[0]);
    command
        .args(&cmd[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(n) = threads {
        command.env("RAYON_NUM_THREADS", n.to_string());
    }
    let start = Instant::now();
    let status = command.status();
    let elapsed = start.elapsed();
    if let Err(e) = status {
        eprintln!("cannot run {}: {e}", cmd[0]);
        std::process::exit(2);
    }
    elapsed
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Measured {
    median: Duration,
    rss_kib: Option<u64>,
}

/// Runs the commands interleaved (a, b, c, a, b, c, ...) so that load from
/// other processes hits each alike.
fn measure(cmds: &[Vec<String>], runs: usize) -> Vec<Measured> {
    for c in cmds {
        time_once(c); // warm the page cache
    }
    let mut times = vec![Vec::new(); cmds.len()];
    for _ in 0..runs {
        for (t, c) in times.iter_mut().zip(cmds) {
            t.push(time_once(c));
        }
    }
    times
        .into_iter()
        .zip(cmds)
        .map(|(t, c)| Measured {
            median: median(t),
            rss_kib: peak_rss(c),
        })
        .collect()
}

fn size_of(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .flat_map(|p| policy_lint_bench::json_files(p))
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum()
}

/// The `policy-lint check` command of `case` run by binary `bin`.
fn lint_command(bin: &str, case: &Case) -> Vec<String> {
    let mut c = vec![bin.to_string(), "check".into()];
    c.extend(case.lint_args.iter().cloned());
    c.extend(case.inputs.iter().map(|p| p.to_string_lossy().into_owned()));
    c
}

struct Case {
    name: &'static str,
    inputs: Vec<PathBuf>,
    lint_args: Vec<String>,
    target: &'static str,
    /// Findings the case must produce, checked before it is timed, so a
    /// case cannot silently stop measuring what its name says.
    expect_findings: Option<usize>,
}

/// Number of findings `bin` reports on `inputs`, from its JSON output.
fn count_findings(bin: &str, inputs: &[String]) -> Option<usize> {
    let out = Command::new(bin)
        .args(["check", "--format", "json", "--no-config"])
        .args(inputs)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some(v.get("diagnostics")?.as_array()?.len())
}

fn main() {
    let args = parse_args();
    for (what, p) in [("policy-lint", &args.bin), ("serde-floor", &args.floor)] {
        if !p.exists() {
            eprintln!(
                "{what} not found at {}: build with `cargo build --release -p policy-lint-cli -p policy-lint-bench`",
                p.display()
            );
            std::process::exit(2);
        }
    }
    if let Err(e) = std::fs::create_dir_all(&args.work) {
        eprintln!("cannot create {}: {e}", args.work.display());
        std::process::exit(2);
    }
    let write = |name: &str, text: &str| {
        let p = args.work.join(name);
        let same = std::fs::metadata(&p).is_ok_and(|m| m.len() == text.len() as u64);
        if !same && let Err(e) = std::fs::write(&p, text) {
            eprintln!("cannot write {}: {e}", p.display());
            std::process::exit(2);
        }
        p
    };
    let small = write(
        "small-policy.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}
"#,
    );
    let concise = || vec!["--format".to_string(), "concise".to_string()];
    let mut cases = vec![
        Case {
            name: "aws-managed",
            inputs: vec![args.corpus.join("aws-managed")],
            lint_args: concise(),
            target: "< 0.1 s; <= 1.5x floor",
            expect_findings: None,
        },
        Case {
            name: "whole corpus",
            inputs: vec![args.corpus.clone()],
            lint_args: concise(),
            target: "< 0.25 s, < 64 MB; <= 1.5x floor",
            expect_findings: None,
        },
    ];
    let sizes: &[usize] = if args.quick { &[1, 10] } else { &[1, 10, 100] };
    for &mb in sizes {
        eprintln!("generating a {mb} MB plan...");
        let p = write(
            &format!("plan-{mb}mb.json"),
            &policy_lint_bench::plan(mb * 1_000_000, 0),
        );
        cases.push(Case {
            name: match mb {
                1 => "plan 1 MB",
                10 => "plan 10 MB",
                _ => "plan 100 MB",
            },
            inputs: vec![p],
            lint_args: concise(),
            target: if mb == 100 {
                "< 1.5 s, RSS < 4x file; <= 1.5x floor"
            } else {
                "<= 1.5x floor"
            },
            expect_findings: Some(0),
        });
    }
    let findings = write(
        "plan-10mb-1000-findings.json",
        &policy_lint_bench::plan(10_000_000, 1000),
    );
    cases.push(Case {
        name: "1,000 findings, human, 10 MB line",
        inputs: vec![findings],
        lint_args: vec![
            "--format".into(),
            "human".into(),
            "--color".into(),
            "never".into(),
        ],
        target: "< 0.2 s",
        expect_findings: Some(1000),
    });
    cases.push(Case {
        name: "one small file",
        inputs: vec![small],
        lint_args: concise(),
        target: "< 10 ms",
        expect_findings: Some(0),
    });

    let bin = args.bin.to_string_lossy().into_owned();
    let floor = args.floor.to_string_lossy().into_owned();
    let compare = args
        .compare
        .as_ref()
        .map(|c| c.to_string_lossy().into_owned());
    println!(
        "policy-lint corpus benchmark: median of {} runs, whole process, {} cores",
        args.runs,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!();
    let mut header =
        "| case | input | findings | policy-lint | floor | ratio | peak RSS | floor RSS |"
            .to_string();
    let mut rule = "|---|---:|---:|---:|---:|---:|---:|---:|".to_string();
    if compare.is_some() {
        header.push_str(" compared binary | its RSS |");
        rule.push_str("---:|---:|");
    }
    header.push_str(" target |");
    rule.push_str("---|");
    println!("{header}\n{rule}");
    for case in &cases {
        let inputs: Vec<String> = case
            .inputs
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let findings = count_findings(&bin, &inputs);
        if let Some(want) = case.expect_findings
            && findings != Some(want)
        {
            eprintln!(
                "case `{}` must report {want} findings, but policy-lint reported {findings:?}",
                case.name
            );
            std::process::exit(1);
        }
        let mut cmds = vec![lint_command(&bin, case), {
            let mut c = vec![floor.clone()];
            c.extend(inputs.iter().cloned());
            c
        }];
        if let Some(other) = &compare {
            cmds.push(lint_command(other, case));
        }
        let runs = if case.name == "plan 100 MB" {
            args.runs.min(3)
        } else {
            args.runs
        };
        let m = measure(&cmds, runs);
        let bytes = size_of(&case.inputs);
        let ratio = m[0].median.as_secs_f64() / m[1].median.as_secs_f64().max(1e-9);
        let mut row = format!(
            "| {} | {:.1} MB | {} | {} | {} | {ratio:.2}x | {} | {} |",
            case.name,
            bytes as f64 / 1e6,
            findings.map_or("?".to_string(), |n| n.to_string()),
            fmt_time(m[0].median),
            fmt_time(m[1].median),
            fmt_rss(m[0].rss_kib),
            fmt_rss(m[1].rss_kib),
        );
        if let Some(c) = m.get(2) {
            row.push_str(&format!(
                " {} | {} |",
                fmt_time(c.median),
                fmt_rss(c.rss_kib)
            ));
        }
        row.push_str(&format!(" {} |", case.target));
        println!("{row}");
    }
    // Many files spread over the cores: the same run on one worker thread
    // and on all of them, interleaved.
    println!();
    println!("| parallel scaling | 1 thread | all threads | speed-up |");
    println!("|---|---:|---:|---:|");
    for case in cases.iter().take(2) {
        let cmd = lint_command(&bin, case);
        time_once(&cmd);
        let (mut one, mut all) = (Vec::new(), Vec::new());
        for _ in 0..args.runs {
            one.push(time_with(&cmd, Some(1)));
            all.push(time_with(&cmd, None));
        }
        let (one, all) = (median(one), median(all));
        println!(
            "| {} | {} | {} | {:.2}x |",
            case.name,
            fmt_time(one),
            fmt_time(all),
            one.as_secs_f64() / all.as_secs_f64().max(1e-9)
        );
    }
}
