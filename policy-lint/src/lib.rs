//! policy-lint: a static linter for cloud IAM configuration.
//!
//! The data flows through the modules in order: [`source`] text ->
//! [`json`] (spanned tree) -> [`documents`] (typed, detected) -> [`model`]
//! (linked across files) -> [`eval`] (IAM semantics) -> [`rules`] ->
//! [`diagnostic`]s -> [`lint`] (the driver) -> [`terraform_source`] (plan
//! findings onto the `.tf` bytes that wrote them, when the caller hands over
//! the configuration) -> [`render`](mod@render). Each
//! module imports only the ones below it (`tests/layering.rs` lists the
//! order and fails on an import that goes up); what a lower layer needs from
//! above is passed down as its own plain data, such as [`model::Linking`].
//!
//! ```
//! use policy_lint::{Linter, Options};
//!
//! let result = Linter::new(Options::default())
//!     .lint_str("policy.json", r#"{"Version": "2012-10-17", "Statement": [}"#);
//! assert_eq!(result.diagnostics[0].code(), "JSON001");
//! ```
//!
//! The library does no I/O: callers hand it bytes and get findings back.
//! It has no command-line or terminal dependencies; colour is a flag of
//! [`RenderOptions`].
//!
//! # The API in four steps
//!
//! 1. **Configure**: [`Options`] by hand (rules by [`Selector`]: a code, a
//!    prefix such as `AWS` or `AWS1`, or a name), or from the text of a
//!    `policy-lint.toml` with [`config::Config::parse`] and
//!    [`config::Config::options`].
//! 2. **Lint**: [`Linter::lint_str`] for one source held in a string, or
//!    [`Linter::lint`] for many files' bytes ([`Input`]), linted as one run
//!    so documents in one file can link to documents in another.
//! 3. **Filter**: [`baseline::Baseline`] records findings and hides them on
//!    later runs; `[[suppress]]` entries of the configuration
//!    ([`suppress::Suppression`]) accept findings by rule, file glob and
//!    location (JSON Pointer, Terraform address or statement `Sid`).
//! 4. **Render** to a string with [`render()`] in any [`Format`]: `human`
//!    (miette snippets), `concise`, `json`, `sarif`, `github`.
//!
//! Two more entry points for embedders:
//!
//! - **Catalogue entries** (what a service needs from the role it uses) can
//!   be added in code: [`Options::add_catalog_json`] takes the text of a
//!   `--catalog` file ([`model::aws::Catalogue::from_json`]).
//! - **Questions to the evaluation engine**: [`eval::Engine`] reads the same
//!   inputs as a lint run and answers "may role R perform action A on
//!   resource X?" ([`eval::Engine::is_allowed`]) and "may service S assume
//!   role R?" ([`eval::Engine::can_assume`]); [`eval::evaluate`] works on
//!   policy documents directly.
//!
//! The examples in `policy-lint/examples/` (`lint_string`, `render_sarif`,
//! `evaluate`, `custom_catalog`) run in CI.
//!
//! ```
//! use policy_lint::{Format, Input, Linter, RenderOptions, config::Config, render};
//!
//! let config = Config::parse("ignore = [\"JSON003\"]").unwrap();
//! let linter = Linter::new(config.options(&Default::default()));
//! let result = linter.lint(vec![
//!     Input::new("a.json", br#"{"Statement": [], "Statement": []}"#.to_vec()),
//!     Input::new("b.json", b"{}".to_vec()),
//! ]);
//! let sarif = render(&result, Format::Sarif, RenderOptions::default());
//! assert!(sarif.contains("\"ruleId\": \"JSON002\""));
//! let github = render(&result, Format::Github, RenderOptions::default());
//! assert!(github.contains("::error file=a.json,line=1,"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod documents;
pub mod eval;
mod hash;
pub mod json;
pub mod lint;
mod memo;
pub mod model;
pub mod project;
pub mod registry;
pub mod render;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod terraform_source;
mod vocabulary;

/// The AWS action catalogue and matcher, [`model::aws::actions`], by the
/// path it had at the crate root (the rules still use it).
pub use model::aws::actions as aws_action;
/// The Service Authorization Reference data (condition keys, resource types),
/// [`model::aws::reference`], by a short path as [`aws_action`].
pub use model::aws::reference as aws_reference;

pub use diagnostic::{Diagnostic, Label, Location, Severity, TerraformResource, TerraformSource};
pub use lint::{DEFAULT_MAX_FILE_SIZE, Input, LintResult, Linter, Options, RunError};
pub use registry::{RuleMeta, Selector};
pub use render::{Format, RenderOptions, render};
