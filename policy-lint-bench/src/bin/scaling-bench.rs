//! The scaling benchmark: every link form of the model and every hostile
//! shape of issue 16, each linted at N and at 4N by the release binary,
//! whole process. Linear cost gives a ratio of 4; the target is at most 5.
//!
//! ```sh
//! cargo build --release -p policy-lint-cli -p policy-lint-bench
//! target/release/scaling-bench [--runs 3] [--only TEXT] [--compare OLD_BINARY] [--timeout SECS]
//! ```
//!
//! `--compare` times another build on the same inputs in the same run
//! (interleaved), so before/after ratios do not depend on the machine's
//! load; a run past `--timeout` (default 60 s) is killed and shown as `>`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use policy_lint_bench::measure::{fmt_rss, fmt_time, peak_rss, run_timed};
use policy_lint_bench::shapes::{File, SHAPES, Shape};

struct Args {
    runs: usize,
    only: Option<String>,
    bin: PathBuf,
    compare: Option<PathBuf>,
    timeout: Duration,
    work: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: scaling-bench [--runs N] [--only TEXT] [--bin POLICY_LINT] \
         [--compare OTHER_POLICY_LINT] [--timeout SECS] [--work DIR]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let here = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let mut args = Args {
        runs: 3,
        only: None,
        bin: here.join("policy-lint"),
        compare: None,
        timeout: Duration::from_secs(60),
        work: std::env::temp_dir().join("policy-lint-scaling"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--runs" => args.runs = value().parse().unwrap_or_else(|_| usage()),
            "--only" => args.only = Some(value()),
            "--bin" => args.bin = value().into(),
            "--compare" => args.compare = Some(value().into()),
            "--timeout" => {
                args.timeout = Duration::from_secs(value().parse().unwrap_or_else(|_| usage()));
            }
            "--work" => args.work = value().into(),
            _ => usage(),
        }
    }
    args
}

/// Writes `files` into a directory of their own; returns their paths.
fn write_inputs(dir: &Path, files: &[File]) -> Vec<String> {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(2);
    }
    files
        .iter()
        .map(|(name, text)| {
            let p = dir.join(name);
            if let Err(e) = std::fs::write(&p, text) {
                eprintln!("cannot write {}: {e}", p.display());
                std::process::exit(2);
            }
            p.to_string_lossy().into_owned()
        })
        .collect()
}

fn command(bin: &Path, inputs: &[String]) -> Vec<String> {
    let mut c = vec![
        bin.to_string_lossy().into_owned(),
        "check".into(),
        "--no-config".into(),
        "--format".into(),
        "json".into(),
    ];
    c.extend(inputs.iter().cloned());
    c
}

/// Findings reported by `bin` on `inputs`.
fn count_findings(bin: &Path, inputs: &[String]) -> Option<usize> {
    let cmd = command(bin, inputs);
    let out = std::process::Command::new(&cmd[0])
        .args(&cmd[1..])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some(v.get("diagnostics")?.as_array()?.len())
}

/// Median of `runs` timings of each command, interleaved; `None` once a
/// command overran the timeout (it is not run again).
fn medians(cmds: &[Vec<String>], runs: usize, timeout: Duration) -> Vec<Option<Duration>> {
    let mut times: Vec<Option<Vec<Duration>>> = vec![Some(Vec::new()); cmds.len()];
    for _ in 0..runs {
        for (t, c) in times.iter_mut().zip(cmds) {
            if let Some(v) = t {
                match run_timed(c, timeout) {
                    Some(d) => v.push(d),
                    None => *t = None,
                }
            }
        }
    }
    times
        .into_iter()
        .map(|t| {
            let mut t = t?;
            t.sort();
            t.get(t.len() / 2).copied()
        })
        .collect()
}

fn ratio(a: Option<Duration>, b: Option<Duration>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.2}", b.as_secs_f64() / a.as_secs_f64().max(1e-9)),
        _ => "n/a".into(),
    }
}

fn shown(d: Option<Duration>, timeout: Duration) -> String {
    d.map_or_else(|| format!("> {}", fmt_time(timeout)), fmt_time)
}

fn main() {
    let args = parse_args();
    if !args.bin.exists() {
        eprintln!(
            "policy-lint not found at {}: build with `cargo build --release -p policy-lint-cli`",
            args.bin.display()
        );
        std::process::exit(2);
    }
    println!(
        "policy-lint scaling benchmark: median of {} runs, whole process, `check --format json`",
        args.runs
    );
    println!();
    let mut header =
        "| shape | N | input 4N | findings 4N | t(N) | t(4N) | t(4N)/t(N) | peak RSS 4N |"
            .to_string();
    let mut rule = "|---|---:|---:|---:|---:|---:|---:|---:|".to_string();
    if args.compare.is_some() {
        header.push_str(" compared t(N) | compared t(4N) | its ratio | speed-up at 4N |");
        rule.push_str("---:|---:|---:|---:|");
    }
    println!("{header}\n{rule}");
    let selected = SHAPES
        .iter()
        .enumerate()
        .filter(|(_, s): &(usize, &Shape)| {
            args.only
                .as_ref()
                .is_none_or(|o| s.name.to_lowercase().contains(&o.to_lowercase()))
        });
    for (k, shape) in selected {
        eprintln!("generating `{}`...", shape.name);
        let small = (shape.generate)(shape.n);
        let big = (shape.generate)(4 * shape.n);
        let bytes: usize = big.iter().map(|(_, t)| t.len()).sum();
        let small = write_inputs(&args.work.join(format!("{k}-n")), &small);
        let big = write_inputs(&args.work.join(format!("{k}-4n")), &big);
        let findings = count_findings(&args.bin, &big);
        if findings.is_none_or(|f| f == 0) {
            eprintln!(
                "shape `{}` must have findings, but policy-lint reported {findings:?}",
                shape.name
            );
            std::process::exit(1);
        }
        let mut cmds = vec![command(&args.bin, &small), command(&args.bin, &big)];
        if let Some(other) = &args.compare {
            cmds.push(command(other, &small));
            cmds.push(command(other, &big));
        }
        let m = medians(&cmds, args.runs, args.timeout);
        let mut row = format!(
            "| {} | {} | {:.1} MB | {} | {} | {} | {} | {} |",
            shape.name,
            shape.n,
            bytes as f64 / 1e6,
            findings.unwrap_or(0),
            shown(m[0], args.timeout),
            shown(m[1], args.timeout),
            ratio(m[0], m[1]),
            fmt_rss(peak_rss(&cmds[1])),
        );
        if let [.., c_small, c_big] = m.as_slice()
            && args.compare.is_some()
        {
            row.push_str(&format!(
                " {} | {} | {} | {} |",
                shown(*c_small, args.timeout),
                shown(*c_big, args.timeout),
                ratio(*c_small, *c_big),
                ratio(m[1], *c_big),
            ));
        }
        println!("{row}");
    }
}
