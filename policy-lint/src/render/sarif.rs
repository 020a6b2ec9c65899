//! SARIF 2.1.0, as GitHub code scanning reads it.
//!
//! One run; `tool.driver.rules` lists every rule with its full documentation;
//! each result carries a region with 1-based lines, columns counted in
//! Unicode code points (`columnKind`), byte offsets, related locations for
//! labels, and `partialFingerprints` from the finding's stable fingerprint
//! (so alerts on one-line Terraform plans are not all "line 1").

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Location, Severity, TerraformSource};
use crate::lint::LintResult;
use crate::rules;

/// Where the SARIF 2.1.0 schema lives.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Fallback help page for rules without a reference.
const README_RULES: &str = "https://github.com/policy-lint/policy-lint/blob/main/README.md#rules";

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

fn physical(result: &LintResult, loc: &Location) -> Value {
    let uri = result
        .file(loc.file)
        .map(|f| path_to_uri(f.name()))
        .unwrap_or_default();
    let mut p = json!({ "artifactLocation": { "uri": uri } });
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
                "fullDescription": { "text": docs, "markdown": docs },
                "help": { "text": docs, "markdown": docs },
                "helpUri": m.url.unwrap_or(README_RULES),
                "defaultConfiguration": { "level": level(m.default_severity) },
                "properties": { "tags": ["security", m.family().to_ascii_lowercase()] },
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
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "policy-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
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
    fn uris_are_encoded() {
        assert_eq!(path_to_uri("./a b/c%.json"), "a%20b/c%25.json");
        assert_eq!(path_to_uri("C:\\x\\y.json"), "C%3A/x/y.json");
        assert_eq!(path_to_uri("d/\u{e9}.json"), "d/%C3%A9.json");
    }
}
