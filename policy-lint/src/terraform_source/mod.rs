//! Terraform source: where in the `.tf` files a plan finding's value was
//! written.
//!
//! A finding in a plan points into `plan.json`, a generated file nobody
//! reviews. Given the configuration's text, this module finds the bytes of
//! HCL that wrote the offending value and records them as the finding's
//! [`TerraformSource`]: the string inside `jsonencode({...})`, the token
//! inside a heredoc or quoted policy, the item of a `data
//! "aws_iam_policy_document"` argument, a `scopes` item, an `email`; the
//! definition of a `var.` or `local.` it came through (the reference becomes
//! a label); and when no literal wrote it, the whole attribute (or the
//! closest block). The resource comes from the finding's place in the plan
//! (`/resource_changes/3/...` -> that entry's `address`), module instance
//! keys and `count`/`for_each` keys dropped to find the block.
//!
//! No I/O: the caller reads the files. A plan is mapped in three steps:
//!
//! ```
//! use policy_lint::terraform_source::{Configuration, Plan, locate};
//! use policy_lint::{Input, Linter};
//!
//! let plan = r#"{"format_version": "1.2", "resource_changes": [{
//!   "address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
//!   "change": {"actions": ["create"], "after": {"assume_role_policy":
//!     "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"ec2.amazonaws.co\"}}]}"}}}]}"#;
//! let main_tf = r#"resource "aws_iam_role" "r" {
//!   assume_role_policy = jsonencode({
//!     Version   = "2012-10-17"
//!     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
//!                    Principal = { Service = "ec2.amazonaws.co" } }]
//!   })
//! }
//! "#;
//! let mut result = Linter::default().lint(vec![Input::new("plan.json", plan)]);
//! // 1. The plan's modules and where their files live (relative to the
//! //    plan's configuration directory); give `.terraform/modules/modules.json`
//! //    when there is one.
//! let plan = Plan::parse(&result, result.diagnostics[0].primary.file).unwrap();
//! assert!(plan.module_dirs(None).is_empty());
//! // 2. The texts of the `.tf` files, by module.
//! let mut config = Configuration::new();
//! config.add_file(&[], "main.tf", main_tf);
//! // 3. Map.
//! let located = locate(&mut result, &plan, &config);
//! // Every finding (AWS006 and AWS004 on the service) is in that role.
//! assert_eq!(located.findings, result.diagnostics.len());
//! let d = result.diagnostics.iter().find(|d| d.code() == "AWS006").unwrap();
//! let source = d.source.as_ref().unwrap();
//! assert_eq!(result.file(source.location.file).unwrap().name(), "main.tf");
//! assert_eq!(&main_tf[source.location.span.range()], "\"ec2.amazonaws.co\"");
//! assert_eq!(source.address, "aws_iam_role.r");
//! ```
//!
//! A file hcl-edit cannot parse gives no locations and a note
//! ([`Located::notes`]); nothing here panics or fails the run.

mod config;
mod plan;
mod policy_document;
mod template;
mod walk;

#[cfg(test)]
mod tests;

pub use config::Configuration;
pub use plan::{ModuleDir, is_resource_pointer, normalize};

use crate::diagnostic::{Label, Location, TerraformSource};
use crate::json::{Tree, parse_shared};
use crate::lint::LintResult;
use crate::model::gcp::{SCOPES, ScopeMeaning};
use crate::source::{FileId, Span};

/// A plan (or state) of a lint run, parsed again to read the places of
/// its findings and its module calls. Only plans with findings in
/// resources are worth it: [`Plan::parse`] returns `None` for others.
#[derive(Debug)]
pub struct Plan {
    file: FileId,
    tree: Tree,
}

impl Plan {
    /// The plan of `result` in `file`, when some finding lies in one of its
    /// resources.
    pub fn parse(result: &LintResult, file: FileId) -> Option<Self> {
        let has_findings = result
            .diagnostics
            .iter()
            .any(|d| d.primary.file == file && is_resource_pointer(&d.path));
        if !has_findings {
            return None;
        }
        let source = result.files.get(file.0 as usize)?;
        let tree = parse_shared(source.text_arc()).ok()?;
        Some(Self { file, tree })
    }

    /// The file of the run this plan is.
    pub fn file(&self) -> FileId {
        self.file
    }

    /// Where the plan's child modules live: see [`ModuleDir`]. Give the text
    /// of `.terraform/modules/modules.json` when the configuration has one.
    pub fn module_dirs(&self, modules_json: Option<&str>) -> Vec<ModuleDir> {
        plan::module_dirs(&self.tree, modules_json)
    }
}

/// What [`locate`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Located {
    /// Findings that got a [`TerraformSource`].
    pub findings: usize,
    /// Things the user may want to know (a `.tf` file that does not parse).
    pub notes: Vec<String>,
}

/// Sets [`crate::Diagnostic::source`] of every finding of `plan` whose
/// resource `config` writes, and adds a label at each `var.`/`local.`
/// reference the value came through. The `.tf` files pointed at join
/// [`LintResult::config_files`].
pub fn locate(result: &mut LintResult, plan: &Plan, config: &Configuration) -> Located {
    let mut located = Located::default();
    let mut modules: Vec<&[String]> = Vec::new();
    let mut targets = Vec::new();
    for (i, d) in result.diagnostics.iter().enumerate() {
        if d.primary.file != plan.file || d.source.is_some() || !is_resource_pointer(&d.path) {
            continue;
        }
        if let Some(t) = plan::target(&plan.tree, &d.path) {
            targets.push((i, t));
        }
    }
    for (i, target) in &targets {
        if !modules.contains(&target.module.as_slice()) {
            modules.push(&target.module);
        }
        let mut w = walk::Walk::new(config, target);
        let Some(hit) = w.resource() else {
            continue;
        };
        let Some(location) = config_location(result, config, &hit.place) else {
            continue;
        };
        let labels: Vec<Label> = w
            .uses
            .iter()
            .filter_map(|u| {
                Some(Label {
                    location: config_location(result, config, &u.place)?,
                    message: format!("the value comes through `{}` here", u.name),
                })
            })
            .collect();
        if let Some(d) = result.diagnostics.get_mut(*i) {
            d.source = Some(TerraformSource {
                location,
                address: target.address.clone(),
            });
            d.labels.extend(labels);
            located.findings += 1;
        }
    }
    for module in modules {
        for (name, why) in config.unparsed(module) {
            located.notes.push(format!(
                "cannot parse Terraform file `{name}` ({why}); findings written there keep their plan location"
            ));
        }
    }
    located
}

/// The run's location of `place`, adding its file to the run once.
fn config_location(
    result: &mut LintResult,
    config: &Configuration,
    place: &walk::Place,
) -> Option<Location> {
    let file = config.file(place.file)?;
    let name = file.source.name();
    let index = match result.config_files.iter().position(|f| f.name() == name) {
        Some(i) => i,
        None => {
            result.config_files.push(file.source.clone());
            result.config_files.len() - 1
        }
    };
    let id = u32::try_from(result.files.len() + index).ok()?;
    let start = u32::try_from(place.range.start).ok()?;
    let end = u32::try_from(place.range.end).ok()?;
    Some(Location::new(FileId(id), Span::new(start, end.max(start))))
}

/// Whether a value written as `written` is the value `want` of the plan: the
/// same string, or a GCE scope alias (`storage-ro`) of the URL the plan
/// holds.
fn same_value(written: &str, want: &str) -> bool {
    written == want || matches!(SCOPES.resolve(written), ScopeMeaning::Known(url) if url == want)
}
