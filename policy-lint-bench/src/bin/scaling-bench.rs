//! The scaling benchmark: every link form of the model and every hostile
//! shape of issue 16, each linted at N and at 4N by the release binary,
//! whole process. Linear cost gives a ratio of 4; the target is at most 5.
//! Then role policies linked by name at 1,000 to 8,000 roles (each step
//! doubles: linear is 2), and the large inputs: a 100 MB one-line plan
//! linked by name against the serde_json floor, a 2 GiB file and 50 MB on
//! stdin (refused by the input size limit).
//!
//! ```sh
//! cargo build --release -p policy-lint-cli -p policy-lint-bench
//! target/release/scaling-bench [--runs 3] [--only TEXT] [--compare OLD_BINARY] [--cpu] [--timeout SECS]
//! ```
//!
//! `--compare` times another build on the same inputs in the same run
//! (interleaved), so before/after ratios do not depend on the machine's
//! load; a run past `--timeout` (default 60 s) is killed and shown as `>`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use policy_lint_bench::measure::{Clock, fmt_rss, fmt_time, peak_rss, run_timed};
use policy_lint_bench::shapes::{File, SHAPES, Shape};

struct Args {
    runs: usize,
    only: Option<String>,
    bin: PathBuf,
    compare: Option<PathBuf>,
    floor: PathBuf,
    clock: Clock,
    timeout: Duration,
    work: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: scaling-bench [--runs N] [--only TEXT] [--bin POLICY_LINT] \
         [--compare OTHER_POLICY_LINT] [--floor SERDE_FLOOR] [--cpu] [--timeout SECS] [--work DIR]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let here = policy_lint_bench::measure::exe_dir();
    let mut args = Args {
        runs: 3,
        only: None,
        bin: here.join("policy-lint"),
        compare: None,
        floor: here.join("serde-floor"),
        clock: Clock::Wall,
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
            "--floor" => args.floor = value().into(),
            "--cpu" => args.clock = Clock::Cpu,
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
fn medians(args: &Args, cmds: &[Vec<String>]) -> Vec<Option<Duration>> {
    let (runs, timeout) = (args.runs, args.timeout);
    let mut times: Vec<Option<Vec<Duration>>> = vec![Some(Vec::new()); cmds.len()];
    for _ in 0..runs {
        for (t, c) in times.iter_mut().zip(cmds) {
            if let Some(v) = t {
                match run_timed(c, timeout, args.clock) {
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
        "policy-lint scaling benchmark: median of {} runs, whole process, `check --format json`, {}",
        args.runs,
        match args.clock {
            Clock::Wall => "wall time",
            Clock::Cpu => "CPU time (user + system)",
        }
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
        shape_row(&args, k, shape);
    }
    if args.only.is_none() {
        series(&args);
        large_inputs(&args);
    }
}

/// One row of the N / 4N table.
fn shape_row(args: &Args, k: usize, shape: &Shape) {
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
    let m = medians(args, &cmds);
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

/// Role policies naming their role, at 1,000 to 8,000 roles.
fn series(args: &Args) {
    const SIZES: [usize; 4] = [1_000, 2_000, 4_000, 8_000];
    println!();
    println!(
        "Role policies linked to their role by name (each step doubles the roles; linear is 2):"
    );
    println!();
    let mut header = "| roles | t | t / previous |".to_string();
    let mut rule = "|---:|---:|---:|".to_string();
    if args.compare.is_some() {
        header.push_str(" compared t | its t / previous | speed-up |");
        rule.push_str("---:|---:|---:|");
    }
    println!("{header}\n{rule}");
    let mut cmds = Vec::new();
    for n in SIZES {
        eprintln!("generating {n} roles...");
        let inputs = write_inputs(
            &args.work.join(format!("series-{n}")),
            &policy_lint_bench::shapes::plan_by_name(n),
        );
        cmds.push(command(&args.bin, &inputs));
        if let Some(other) = &args.compare {
            cmds.push(command(other, &inputs));
        }
    }
    let m = medians(args, &cmds);
    let per = if args.compare.is_some() { 2 } else { 1 };
    for (k, n) in SIZES.iter().enumerate() {
        let at = |j: usize| m.get(j).copied().flatten();
        let (t, prev) = (at(k * per), k.checked_sub(1).and_then(|p| at(p * per)));
        let mut row = format!(
            "| {n} | {} | {} |",
            shown(t, args.timeout),
            if k == 0 { "".into() } else { ratio(prev, t) }
        );
        if args.compare.is_some() {
            let c = at(k * per + 1);
            let c_prev = k.checked_sub(1).and_then(|p| at(p * per + 1));
            row.push_str(&format!(
                " {} | {} | {} |",
                shown(c, args.timeout),
                if k == 0 { "".into() } else { ratio(c_prev, c) },
                ratio(t, c)
            ));
        }
        println!("{row}");
    }
}

/// A large input: its name, size, our command, the floor's, and the
/// compared build's.
type LargeCase<'n> = (
    &'n str,
    &'n str,
    Vec<String>,
    Option<Vec<String>>,
    Option<Vec<String>>,
);

/// The 100 MB plan against the floor, and inputs over the size limit.
fn large_inputs(args: &Args) {
    println!();
    println!("Large inputs (the default input size limit is 512 MiB):");
    println!();
    let mut header = "| input | size | t | peak RSS | floor t | t / floor |".to_string();
    let mut rule = "|---|---:|---:|---:|---:|---:|".to_string();
    if args.compare.is_some() {
        header.push_str(" compared t | compared RSS | compared / floor | speed-up |");
        rule.push_str("---:|---:|---:|---:|");
    }
    println!("{header}\n{rule}");
    if let Err(e) = std::fs::create_dir_all(&args.work) {
        eprintln!("cannot create {}: {e}", args.work.display());
        std::process::exit(2);
    }
    eprintln!("generating a 100 MB plan linked by name...");
    let plan = write_inputs(
        &args.work.join("large"),
        &[(
            "plan-100mb-by-name.json".into(),
            policy_lint_bench::plan_by_name(100_000_000, 1_000),
        )],
    );
    // A sparse file: 2 GiB long, no disk used.
    let zeros = args.work.join("large").join("zeros-2gib.json");
    let sparse = std::fs::File::create(&zeros).and_then(|f| f.set_len(2 << 30));
    if let Err(e) = sparse {
        eprintln!("cannot write {}: {e}", zeros.display());
        std::process::exit(2);
    }
    let yes = args.work.join("large").join("yes-50mb.txt");
    if let Err(e) = std::fs::write(&yes, "y\n".repeat(25_000_000)) {
        eprintln!("cannot write {}: {e}", yes.display());
        std::process::exit(2);
    }
    let zeros = zeros.to_string_lossy().into_owned();
    let stdin = |bin: &Path| {
        vec![
            "sh".to_string(),
            "-c".to_string(),
            format!(
                "exec '{}' check --no-config - < '{}'",
                bin.display(),
                yes.display()
            ),
        ]
    };
    let human = |bin: &Path, file: &str| {
        vec![
            bin.to_string_lossy().into_owned(),
            "check".into(),
            "--no-config".into(),
            file.to_string(),
        ]
    };
    let floor = |inputs: &[String]| {
        let mut c = vec![args.floor.to_string_lossy().into_owned()];
        c.extend(inputs.iter().cloned());
        c
    };
    let cases: [LargeCase; 3] = [
        (
            "one-line plan linked by name, 1,000 findings",
            "100 MB",
            command(&args.bin, &plan),
            Some(floor(&plan)),
            args.compare.as_deref().map(|o| command(o, &plan)),
        ),
        (
            "NUL bytes (human output)",
            "2 GiB",
            human(&args.bin, &zeros),
            None,
            args.compare.as_deref().map(|o| human(o, &zeros)),
        ),
        (
            "`y` lines on stdin",
            "50 MB",
            stdin(&args.bin),
            None,
            args.compare.as_deref().map(stdin),
        ),
    ];
    for (name, size, ours, floor, other) in cases {
        let mut cmds = vec![ours.clone()];
        cmds.extend(floor.clone());
        cmds.extend(other.clone());
        let m = medians(args, &cmds);
        let t = m.first().copied().flatten();
        let f = floor
            .is_some()
            .then(|| m.get(1).copied().flatten())
            .flatten();
        let mut row = format!(
            "| {name} | {size} | {} | {} | {} | {} |",
            shown(t, args.timeout),
            fmt_rss(peak_rss(&ours)),
            f.map_or("".into(), fmt_time),
            if floor.is_some() {
                ratio(f, t)
            } else {
                "".into()
            },
        );
        if let Some(other) = &other {
            let c = m.last().copied().flatten();
            row.push_str(&format!(
                " {} | {} | {} | {} |",
                shown(c, args.timeout),
                fmt_rss(peak_rss(other)),
                if floor.is_some() {
                    ratio(f, c)
                } else {
                    "".into()
                },
                ratio(t, c)
            ));
        }
        println!("{row}");
    }
}
