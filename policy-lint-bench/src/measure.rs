//! Whole-process timing shared by the benchmarks.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall time of one run of `cmd` (output discarded), or `None` when it ran
/// past `timeout` (it is then killed) or could not start.
pub fn run_timed(cmd: &[String], timeout: Duration) -> Option<Duration> {
    let (program, rest) = cmd.split_first()?;
    let start = Instant::now();
    let mut child = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return Some(start.elapsed());
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
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
