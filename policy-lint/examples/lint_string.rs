//! Lints a policy held in a string and prints each finding.
//!
//! ```sh
//! cargo run -p policy-lint --example lint_string
//! ```

use policy_lint::{Linter, Options, Severity, render};

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "logs:PutLogEvents",
    "Resource": "*",
    "Effect": "Deny"
  }
}"#;

fn main() {
    let linter = Linter::new(Options::default());
    let result = linter.lint_str("policy.json", POLICY);

    for d in &result.diagnostics {
        let file = result
            .file(d.primary.file)
            .expect("every finding names a file of the run");
        let at = file.line_col(d.primary.span.start);
        println!(
            "{}:{}:{} {} {} {} (at {:?}, token {:?})",
            file.name(),
            at.line,
            at.column,
            d.severity,
            d.code(),
            d.message,
            d.path,
            file.slice(d.primary.span),
        );
    }
    // Or let a renderer do it: `concise` is one line per finding.
    print!("{}", render::render_concise(&result));
    println!("{}", render::summary_line(&result));
    assert!(
        result.count(Severity::Error) >= 1,
        "the duplicate `Effect` is an error"
    );
}
