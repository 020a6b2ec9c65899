//! A cargo-style status line on stderr while a long run goes on.
//!
//! Shown only when stderr is a terminal and the run has taken more than a
//! moment; erased before the results are printed. Never on a pipe.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a run goes before the line appears.
const DELAY: Duration = Duration::from_millis(300);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(100);

#[derive(Debug, Default)]
struct Counters {
    read: AtomicUsize,
    checked: AtomicUsize,
    done: AtomicBool,
}

/// The status line of one run.
#[derive(Debug)]
pub struct Status {
    counters: Arc<Counters>,
    thread: Option<JoinHandle<()>>,
}

impl Status {
    /// Starts the line for a run over `total` files (only on a terminal).
    pub fn start(total: usize, color: bool) -> Self {
        let counters = Arc::new(Counters::default());
        let thread = (total > 1 && std::io::stderr().is_terminal()).then(|| {
            let c = Arc::clone(&counters);
            std::thread::spawn(move || draw(&c, total, color))
        });
        Self { counters, thread }
    }

    /// One file was read.
    pub fn read_one(&self) {
        self.counters.read.fetch_add(1, Ordering::Relaxed);
    }

    /// The counter the linter advances for each file checked.
    pub fn checked(&self) -> &AtomicUsize {
        &self.counters.checked
    }

    /// Stops and erases the line.
    pub fn finish(mut self) {
        self.counters.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn draw(c: &Counters, total: usize, color: bool) {
    let mut waited = Duration::ZERO;
    let mut shown = false;
    while !c.done.load(Ordering::Relaxed) {
        std::thread::sleep(TICK.min(DELAY));
        waited += TICK.min(DELAY);
        if waited < DELAY || c.done.load(Ordering::Relaxed) {
            continue;
        }
        let read = c.read.load(Ordering::Relaxed);
        let (verb, n) = if read < total {
            ("Reading", read)
        } else {
            ("Checking", c.checked.load(Ordering::Relaxed))
        };
        let verb = if color {
            format!("\x1b[1;32m{verb:>12}\x1b[0m")
        } else {
            format!("{verb:>12}")
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{verb} {n}/{total} files");
        let _ = err.flush();
        shown = true;
    }
    if shown {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}
