//! The library's modules import only downward, in the order the data flows.
//!
//! [`LAYERS`] is the one list of that order. Every `crate::` path in the
//! library's code (not its comments, not its unit tests, which may set up
//! with anything) must name a module of a lower layer, or of the same
//! layer. A new top-level module must be added to the list.

use std::path::Path;

/// The layers, bottom first. An entry is a module path; a file belongs to
/// the longest entry its module path starts with. Modules of one layer may
/// import each other.
const LAYERS: &[&[&str]] = &[
    // Text: spans, line index, the crate's hasher and per-thread memos.
    &["hash", "memo", "source"],
    // Words every layer uses: Location, Severity, Tri.
    &["vocabulary"],
    // Findings as data: Diagnostic, Label, RuleMeta.
    &["diagnostic"],
    // The spanned JSON parser.
    &["json"],
    // Document kinds, detection, typed views (policies, Terraform plans).
    &["documents"],
    // Linking across files, with the AWS and GCP data (actions, catalogue).
    &["model"],
    // IAM semantics: evaluating policies of the linked model.
    &["eval"],
    // Rules and how they are declared and selected: `registry` declares
    // what a rule is and `rules::ALL` lists every rule, so they are one layer.
    &["registry", "rules"],
    // Accepted findings, and the project root whose relative paths they
    // and the baselines name.
    &["suppress", "project"],
    // The driver: options, parsing, linking and rules of one run.
    &["lint"],
    // The evaluation engine's entry point reads inputs as a lint run does
    // (re-exported as `eval::Engine`).
    &["eval::engine"],
    // Plan findings mapped onto the `.tf` bytes that wrote them: reads a
    // run's result, before anything renders it.
    &["terraform_source"],
    // What happens to a run's findings: baselines, output formats, and the
    // configuration file (whose errors are rendered too).
    &["baseline"],
    &["render"],
    &["config"],
];

/// Macros exported at the crate root, by the module defining them.
const ROOT_MACROS: &[(&str, &str)] = &[("declare_rule", "registry")];

/// The layer of a module path: the index of the longest entry it starts with.
fn layer_of(path: &[&str]) -> Option<(usize, usize)> {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, layer)| layer.iter().map(move |entry| (i, *entry)))
        .filter_map(|(i, entry)| {
            let segments: Vec<&str> = entry.split("::").collect();
            path.starts_with(&segments).then_some((i, segments.len()))
        })
        .max_by_key(|&(_, len)| len)
}

/// The module path of a source file relative to `src/` (`json/tree/node.rs`
/// -> `json::tree::node`, `documents/terraform/mod.rs` ->
/// `documents::terraform`).
fn module_path(relative: &str) -> Vec<String> {
    let without = relative.strip_suffix(".rs").unwrap_or(relative);
    let mut segments: Vec<String> = without.split('/').map(str::to_string).collect();
    if segments.last().is_some_and(|s| s == "mod") {
        segments.pop();
    }
    segments
}

/// What the crate root re-exports, by name, as the module path it comes
/// from: `pub use lint::{Input, Linter};` gives `Input -> lint`.
fn root_names(lib: &str) -> Vec<(String, Vec<String>)> {
    let mut names = Vec::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        if let Some((path, group)) = rest.split_once("::{") {
            let from: Vec<String> = path.split("::").map(str::to_string).collect();
            for name in group.trim_end_matches('}').split(',') {
                names.push((name.trim().to_string(), from.clone()));
            }
        } else if let Some((path, alias)) = rest.split_once(" as ") {
            names.push((
                alias.trim().to_string(),
                path.split("::").map(str::to_string).collect(),
            ));
        }
    }
    names
}

/// The module paths that `code` (one line, comments removed) names with
/// `crate::`: `crate::a::b::C` and each item of `crate::{a::B, c}`.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                out.push(segments(item.trim()));
            }
        } else {
            out.push(segments(rest));
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The leading `a::b::c` of `text`.
fn segments(text: &str) -> Vec<String> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end]
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every import of `files` (module path relative to `src/`, text) that goes
/// up or into a module no layer lists, as `file:line: message`.
fn violations(lib: &str, files: &[(String, String)]) -> Vec<String> {
    let roots = root_names(lib);
    let mut found = Vec::new();
    for (relative, text) in files {
        let module = module_path(relative);
        let module_refs: Vec<&str> = module.iter().map(String::as_str).collect();
        // Unit tests may use anything to set up; so may the root, which only
        // declares modules and re-exports.
        if module_refs == ["lib"] || module_refs.contains(&"tests") {
            continue;
        }
        let Some((from, _)) = layer_of(&module_refs) else {
            found.push(format!(
                "{relative}: module `{}` is in no layer",
                module.join("::")
            ));
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let code = line.split("//").next().unwrap_or_default();
            for mut path in crate_paths(code) {
                // A name the root re-exports stands for the module it comes from.
                if let Some((_, from_module)) = roots.iter().find(|(name, _)| *name == path[0]) {
                    path = from_module.clone();
                } else if let Some((_, defined)) =
                    ROOT_MACROS.iter().find(|(name, _)| *name == path[0])
                {
                    path = vec![defined.to_string()];
                }
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                match layer_of(&refs) {
                    Some((to, _)) if to <= from => {}
                    Some((to, _)) => found.push(format!(
                        "{relative}:{}: `{}` imports `crate::{}`, of the higher layer [{}]",
                        n + 1,
                        module.join("::"),
                        path.join("::"),
                        LAYERS[to].join(", "),
                    )),
                    None => found.push(format!(
                        "{relative}:{}: `crate::{}` is in no layer",
                        n + 1,
                        path.join("::")
                    )),
                }
            }
        }
    }
    found
}

fn source_files(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, std::fs::read_to_string(&path).expect("read")));
        }
    }
}

#[test]
fn modules_import_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &src, &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let found = violations(&lib, &files);
    assert!(
        found.is_empty(),
        "imports against the layer order (tests/layering.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("lib.rs");
    for line in lib.lines() {
        let line = line.trim();
        let Some(name) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
            .and_then(|rest| rest.strip_suffix(';'))
        else {
            continue;
        };
        assert!(
            layer_of(&[name]).is_some(),
            "module `{name}` is in no layer"
        );
    }
}

#[test]
fn the_check_finds_upward_and_unlisted_imports() {
    let lib = "pub use lint::{Linter, Options};\n";
    let file = |path: &str, text: &str| (path.to_string(), text.to_string());
    let found = violations(
        lib,
        &[
            // Downward, same layer, and upward only inside unit tests: fine.
            file(
                "model/aws/mod.rs",
                "use crate::json::Node;\nuse crate::model::Linking;\n\
                 #[cfg(test)]\nmod tests { use crate::lint::Options; }\n",
            ),
            file("rules/mod.rs", "use crate::registry::{Check, Context};\n"),
            file("registry.rs", "pub fn all() { crate::rules::ALL; }\n"),
            // A comment is not an import.
            file("json/parse.rs", "/// See [`crate::documents::Document`].\n"),
            file(
                "model/aws/terraform/tests.rs",
                "use crate::lint::Options;\n",
            ),
            // Upward, through the root's re-export, in a group, a path in code.
            file("model/mod.rs", "use crate::Options;\n"),
            file(
                "documents/mod.rs",
                "use crate::{json::Node, rules::json};\n",
            ),
            file(
                "eval/mod.rs",
                "fn f() { crate::eval::engine::Engine::new(); }\n",
            ),
            // A module of no layer.
            file("plugins.rs", "use crate::json::Node;\n"),
        ],
    );
    assert_eq!(
        found,
        [
            "model/mod.rs:1: `model` imports `crate::lint`, of the higher layer [lint]",
            "documents/mod.rs:1: `documents` imports `crate::rules::json`, \
             of the higher layer [registry, rules]",
            "eval/mod.rs:1: `eval` imports `crate::eval::engine::Engine::new`, \
             of the higher layer [eval::engine]",
            "plugins.rs: module `plugins` is in no layer",
        ]
    );
}
