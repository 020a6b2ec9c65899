//! Finds the Terraform configuration of each plan that has findings, reads
//! its `.tf` files (root module, local and installed child modules) and
//! hands their texts to the library, which maps the findings onto them.
//!
//! A plan without `.tf` files beside it costs one directory listing.

use std::collections::BTreeSet;
use std::path::Path;

use policy_lint::LintResult;
use policy_lint::source::FileId;
use policy_lint::terraform_source::{Configuration, Plan, is_resource_pointer, locate, normalize};

/// Maps the plan findings of `result` to the `.tf` files of `dir` (when
/// given) or of each plan's directory (the working directory for stdin).
/// Returns notes for the user.
pub(crate) fn attach_sources(result: &mut LintResult, dir: Option<&str>) -> Vec<String> {
    let plans: BTreeSet<FileId> = result
        .diagnostics
        .iter()
        .filter(|d| is_resource_pointer(&d.path))
        .map(|d| d.primary.file)
        .collect();
    let mut notes = Vec::new();
    for id in plans {
        let Some(file) = result.file(id) else {
            continue;
        };
        let root = match dir {
            Some(d) => d.to_string(),
            None if file.name() == "-" => ".".to_string(),
            None => Path::new(file.name())
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| ".".to_string()),
        };
        let root_files = tf_files(&root, &mut notes);
        if root_files.is_empty() {
            continue;
        }
        let Some(plan) = Plan::parse(result, id) else {
            continue;
        };
        let mut config = Configuration::new();
        for (name, text) in root_files {
            config.add_file(&[], name, text);
        }
        let modules_json =
            std::fs::read_to_string(join(&root, ".terraform/modules/modules.json")).ok();
        for module in plan.module_dirs(modules_json.as_deref()) {
            for (name, text) in tf_files(&join(&root, &module.dir), &mut notes) {
                config.add_file(&module.module, name, text);
            }
        }
        notes.extend(locate(result, &plan, &config).notes);
    }
    notes
}

/// `dir/name` as the user would type it (`main.tf` in the working directory).
fn join(dir: &str, name: &str) -> String {
    normalize(&format!("{dir}/{name}"))
}

/// The `*.tf` files of `dir` (not `*.tf.json`, which hcl-edit does not
/// read), sorted by name, with their texts.
fn tf_files(dir: &str, notes: &mut Vec<String>) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".tf"))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|n| {
            let path = join(dir, &n);
            match std::fs::read_to_string(&path) {
                Ok(text) => Some((path, text)),
                Err(e) => {
                    notes.push(format!("cannot read Terraform file `{path}`: {e}"));
                    None
                }
            }
        })
        .collect()
}
