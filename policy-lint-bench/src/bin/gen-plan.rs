//! `gen-plan MEGABYTES [FINDINGS]`: writes a one-line Terraform plan of about
//! that size to stdout, with FINDINGS duplicate-key findings (default 0).

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    let findings: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let plan = policy_lint_bench::plan((mb * 1_000_000.0) as usize, findings);
    if let Err(e) = std::io::stdout().lock().write_all(plan.as_bytes()) {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
