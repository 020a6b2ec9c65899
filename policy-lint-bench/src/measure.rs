//! Whole-process timing shared by the benchmarks.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The directory of the running benchmark, where cargo puts the
/// `policy-lint` and `serde-floor` binaries of the same build.
pub fn exe_dir() -> std::path::PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_default()
}

/// What a benchmark times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// Wall time, start to exit.
    Wall,
    /// CPU time (user + system, all threads) from `/proc`, in clock ticks:
    /// steadier than wall time on a loaded machine, coarser (10 ms).
    Cpu,
}

/// The time of one run of `cmd` by `clock` (output discarded), or `None`
/// when it ran past `timeout` of wall time (it is then killed) or could not
/// start.
pub fn run_timed(cmd: &[String], timeout: Duration, clock: Clock) -> Option<Duration> {
    let (program, rest) = cmd.split_first()?;
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let stat = format!("/proc/{}/stat", child.id());
    loop {
        // An exited child stays a zombie, its CPU times readable, until it
        // is waited for.
        if clock == Clock::Cpu
            && let Some(cpu) = zombie_cpu_time(&stat)
        {
            let _ = child.wait();
            return Some(cpu);
        }
        if let Ok(Some(_)) = child.try_wait() {
            return (clock == Clock::Wall).then(|| start.elapsed());
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// User + system time of the exited (zombie) process whose
/// `/proc/PID/stat` is `path`; `None` while it runs.
fn zombie_cpu_time(path: &str) -> Option<Duration> {
    let text = std::fs::read_to_string(path).ok()?;
    // Fields after the command name, which ends at the last `)`.
    let fields: Vec<&str> = text.get(text.rfind(')')? + 2..)?.split(' ').collect();
    if fields.first() != Some(&"Z") {
        return None;
    }
    // utime and stime are fields 14 and 15 of stat(5); `state` is field 3.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(ticks as f64 / ticks_per_second()))
}

fn ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Peak resident set of one run, in KiB, from `/usr/bin/time -f %M`.
pub fn peak_rss(cmd: &[String]) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .args(cmd)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// `12.3 ms` below 100 ms, else `1.234 s`.
pub fn fmt_time(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.3} s", ms / 1000.0)
    }
}

/// KiB as `12.3 MB`, or `n/a`.
pub fn fmt_rss(k: Option<u64>) -> String {
    k.map_or("n/a".into(), |k| format!("{:.1} MB", k as f64 / 1024.0))
}
