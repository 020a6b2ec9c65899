//! Lints files (as bytes) with a configuration given as TOML text, and
//! prints the run in every output format, SARIF last.
//!
//! ```sh
//! cargo run -p policy-lint --example render_sarif                     # built-in inputs
//! cargo run -p policy-lint --example render_sarif -- a.json b.json    # your files
//! ```

use policy_lint::config::Config;
use policy_lint::render::{self, Format, RenderOptions};
use policy_lint::{Input, Linter, Options};

const CONFIG: &str = r#"
ignore = ["JSON003"]

[severity]
JSON002 = "warning"
"#;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let inputs: Vec<Input> = if paths.is_empty() {
        vec![
            Input::new(
                "iam/role.json",
                br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny", "Action": "*", "Resource": "*"}]}"#.to_vec(),
            ),
            Input::new("notes.json", br#"{"todo": "not a policy"}"#.to_vec()),
            Input::new("broken.json", b"{\"Statement\": [}".to_vec()),
        ]
    } else {
        paths
            .iter()
            .map(|p| Input::new(p.as_str(), std::fs::read(p).expect("readable file")))
            .collect()
    };

    // The configuration's selection, severities and suppressions, with no
    // command-line overrides on top.
    let config = Config::parse(CONFIG).expect("valid configuration");
    let linter = Linter::new(config.options(&Options::default()));
    let result = linter.lint(inputs);

    for format in [Format::Concise, Format::Github, Format::Json, Format::Human] {
        println!("--- {format:?}");
        print!(
            "{}",
            render::render(&result, format, RenderOptions::default())
        );
    }
    println!("--- Sarif");
    print!("{}", render::render_sarif(&result));
}
