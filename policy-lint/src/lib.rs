//! policy-lint: a static linter for cloud IAM configuration.
//!
//! The data flows through the modules in order: [`source`] text ->
//! [`json`] (spanned tree) -> [`documents`] (typed, detected) -> [`model`]
//! (linked across files) -> [`rules`] -> [`diagnostic`]s -> [`render`].
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
pub mod json;
pub mod lint;
pub mod model;
pub mod registry;
pub mod render;
pub mod rules;
pub mod source;
pub mod suppress;

pub use diagnostic::{Diagnostic, Label, Location, Severity};
pub use lint::{Input, LintResult, Linter, Options};
pub use registry::{RuleMeta, Selector};
pub use render::{Format, RenderOptions, render};
