//! SARIF 2.1.0, as GitHub code scanning reads it.
//!
//! One run; `tool.driver.rules` lists every rule with its full documentation;
//! each result carries a region with 1-based lines, columns counted in
//! Unicode code points (`columnKind`), byte offsets, related locations for
//! labels, and `partialFingerprints` from the finding's stable fingerprint
//! (so alerts on one-line Terraform plans are not all "line 1").
//!
//! With a [project](crate::project) root, artifact URIs are relative to it
//! under the `uriBaseId` `%SRCROOT%`, which `originalUriBaseIds` resolves
//! (GitHub reads such URIs relative to the repository: keep the root
//! there). `invocations[0]` tells whether the run succeeded, with one
//! notification per [`RunError`](crate::lint::RunError), so a log uploaded
//! from a failed run does not read as a clean one.

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Location, Severity, TerraformSource};
use crate::lint::LintResult;
use crate::rules;

/// Where the SARIF 2.1.0 schema lives.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `uriBaseId` of the project root.
const SRCROOT: &str = "%SRCROOT%";

/// Fallback help page for rules without a reference.
const README_RULES: &str = "https://github.com/policy-lint/policy-lint/blob/main/docs/rules.md";

/// SARIF `level` for a severity.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// A file name as a URI reference: `/` separators, `./` removed, and every
/// byte outside the unreserved and path characters percent-encoded.
pub fn path_to_uri(path: &str) -> String {
    let path = crate::suppress::normalize_path(path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else if b == b':' && !out.contains('/') && !out.is_empty() {
            // A colon in the first segment would read as a URI scheme.
            out.push_str("%3A");
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(result: &LintResult, loc: &Location) -> Option<Value> {
    let file = result.file(loc.file)?;
    let start = file.line_col(loc.span.start);
    let end = file.line_col(loc.span.end);
    let bytes = file.file_span(loc.span);
    Some(json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
        "byteOffset": bytes.start,
        "byteLength": bytes.len(),
    }))
}

/// A file's `artifactLocation`: relative to the project root when there is
/// one (and the file lies inside it), else the name as given.
fn artifact(result: &LintResult, name: &str) -> Value {
    if result.project.is_some() {
        let path = crate::lint::project_path(result.project.as_ref(), name);
        if !path.starts_with('/') && path != "-" {
            return json!({ "uri": path_to_uri(&path), "uriBaseId": SRCROOT });
        }
    }
    json!({ "uri": path_to_uri(name) })
}

fn physical(result: &LintResult, loc: &Location) -> Value {
    let artifact = result
        .file(loc.file)
        .map_or_else(|| json!({ "uri": "" }), |f| artifact(result, f.name()));
    let mut p = json!({ "artifactLocation": artifact });
    if let (Some(obj), Some(r)) = (p.as_object_mut(), region(result, loc)) {
        obj.insert("region".into(), r);
    }
    p
}

/// The primary location: the `.tf` bytes that wrote a plan finding's value
/// when they are known (code scanning shows alerts on the files of the
/// pull request), else the finding's own.
fn primary(d: &Diagnostic) -> &Location {
    d.source.as_ref().map_or(&d.primary, |s| &s.location)
}

/// The plan location of a finding mapped to its `.tf` source, as a related
/// location naming the resource.
fn plan_location(
    result: &LintResult,
    d: &Diagnostic,
    source: &TerraformSource,
    id: usize,
) -> Value {
    json!({
        "id": id,
        "physicalLocation": physical(result, &d.primary),
        "message": { "text": format!("in the plan: `{}`", source.address) },
    })
}

/// A finding's logical locations: its Terraform resource (kind `resource`,
/// so code scanning can group and dismiss by address), then the rule's own
/// logical name when it says something else (a role ARN).
fn logical_locations(d: &Diagnostic) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(t) = &d.terraform {
        out.push(json!({ "fullyQualifiedName": t.address, "kind": "resource" }));
    }
    if !d.logical.is_empty() && d.terraform.as_ref().is_none_or(|t| t.address != d.logical) {
        out.push(json!({ "fullyQualifiedName": d.logical }));
    }
    out
}

/// The SARIF log as a JSON value.
pub fn to_sarif(result: &LintResult) -> Value {
    let rules: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            let docs = m.markdown();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": what_it_does(&docs) },
                "help": { "text": plain_text(&docs), "markdown": docs },
                "helpUri": m.url.unwrap_or(README_RULES),
                "defaultConfiguration": { "level": level(m.default_severity) },
                "properties": properties(m),
            })
        })
        .collect();
    let index_of = |code: &str| rules::ALL.iter().position(|r| r.meta().code == code);
    let results: Vec<Value> = result
        .diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut r = json!({
                "ruleId": d.code(),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{ "physicalLocation": physical(result, primary(d)) }],
                "partialFingerprints": { "policyLint/v1": d.fingerprint },
                "properties": { "jsonPointer": d.path },
            });
            let Some(obj) = r.as_object_mut() else {
                return r;
            };
            if let Some(i) = index_of(d.code()) {
                obj.insert("ruleIndex".into(), json!(i));
            }
            let logical = logical_locations(d);
            if let (false, Some(Value::Object(loc))) = (
                logical.is_empty(),
                obj.get_mut("locations").and_then(|l| l.get_mut(0)),
            ) {
                loc.insert("logicalLocations".into(), Value::Array(logical));
            }
            if let (Some(source), Some(Value::Object(props))) = (
                d.terraform.as_ref().and_then(|t| t.module_source.as_ref()),
                obj.get_mut("properties"),
            ) {
                props.insert("terraformModuleSource".into(), json!(source));
            }
            if !d.labels.is_empty() || d.source.is_some() {
                let mut related: Vec<Value> = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        json!({
                            "id": i,
                            "physicalLocation": physical(result, &l.location),
                            "message": { "text": l.message },
                        })
                    })
                    .collect();
                if let Some(source) = &d.source {
                    related.push(plan_location(result, d, source, related.len()));
                }
                obj.insert("relatedLocations".into(), Value::Array(related));
            }
            r
        })
        .collect();
    let notifications: Vec<Value> = result
        .errors
        .iter()
        .map(|e| {
            let mut n = json!({ "level": "error", "message": { "text": e.message } });
            if let (Some(obj), Some(path)) = (n.as_object_mut(), &e.path) {
                obj.insert(
                    "locations".into(),
                    json!([{ "physicalLocation": { "artifactLocation": artifact(result, path) } }]),
                );
            }
            n
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "policy-lint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": !result.failed(),
            "toolExecutionNotifications": notifications,
        }],
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let (Some(project), Some(obj)) = (&result.project, run.as_object_mut()) {
        obj.insert(
            "originalUriBaseIds".into(),
            json!({ SRCROOT: { "uri": project.root_uri() } }),
        );
    }
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

/// `security-severity` (a CVSS-like score GitHub turns into critical, high,
/// medium or low) for the cloud rules, from their default severity; the
/// JSON rules are about syntax and shape, not security.
fn properties(m: &crate::RuleMeta) -> Value {
    let family = m.family().to_ascii_lowercase();
    if m.family() == "JSON" {
        return json!({ "tags": ["correctness", family] });
    }
    let score = match m.default_severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Advice => "2.0",
    };
    json!({ "tags": ["security", family], "security-severity": score })
}

/// The "What it does" section of a rule's docs, as one line of plain text
/// (GitHub shows `fullDescription.text` as it is).
fn what_it_does(docs: &str) -> String {
    let section: Vec<&str> = docs
        .lines()
        .skip_while(|l| !l.starts_with("## What it does"))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    plain_text(&section.join(" ")).trim().to_string()
}

/// Markdown as plain text: headings lose their `#`, code spans their
/// backticks, links become `text (url)`.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let line = line.trim_start_matches('#').trim_start_matches(' ');
        // Code fences go; the code stays.
        let line = if line.starts_with("```") { "" } else { line };
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            let (before, after) = rest.split_at(open);
            out.push_str(&before.replace('`', ""));
            match link(after) {
                Some((text, url, len)) => {
                    out.push_str(&format!("{} ({url})", text.replace('`', "")));
                    rest = after.get(len..).unwrap_or("");
                }
                None => {
                    out.push('[');
                    rest = after.get(1..).unwrap_or("");
                }
            }
        }
        out.push_str(&rest.replace('`', ""));
        out.push('\n');
    }
    out
}

/// `[text](url)` at the start of `s`: the text, the URL and the length.
fn link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let text = s.get(1..close)?;
    let end = close + 2 + s.get(close + 2..)?.find(')')?;
    let url = s.get(close + 2..end)?;
    (!text.contains('[')).then_some((text, url, end + 1))
}

/// [`to_sarif`] as pretty-printed text.
pub fn render_sarif(result: &LintResult) -> String {
    let mut s = super::json_escape_controls(
        serde_json::to_string_pretty(&to_sarif(result)).unwrap_or_default(),
    );
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_text() {
        let docs = "## What it does\nReports `x` in a\n[policy](https://e.x/p).\n\n## Why\n```json\n{}\n```\n";
        assert_eq!(what_it_does(docs), "Reports x in a policy (https://e.x/p).");
        assert_eq!(
            plain_text(docs),
            "What it does\nReports x in a\npolicy (https://e.x/p).\n\nWhy\n\n{}\n\n"
        );
        assert_eq!(plain_text("a [b] c\n"), "a [b] c\n");
    }

    #[test]
    fn uris_are_encoded() {
        assert_eq!(path_to_uri("./a b/c%.json"), "a%20b/c%25.json");
        assert_eq!(path_to_uri("C:\\x\\y.json"), "C%3A/x/y.json");
        assert_eq!(path_to_uri("d/\u{e9}.json"), "d/%C3%A9.json");
    }
}
