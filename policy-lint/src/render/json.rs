use serde_json::{Value, json};

use crate::diagnostic::{Location, Severity};
use crate::lint::LintResult;

/// The JSON output of spec section 5, version 1.
pub fn to_json(result: &LintResult) -> Value {
    let place = |loc: &Location| {
        let Some(file) = result.file(loc.file) else {
            return json!({});
        };
        let start = file.line_col(loc.span.start);
        let end = file.line_col(loc.span.end);
        // Bytes of the file as it is on disk (a UTF-16 file was decoded).
        let bytes = file.file_span(loc.span);
        json!({
            "file": file.name(),
            "line": start.line,
            "column": start.column,
            "end_line": end.line,
            "end_column": end.column,
            "offset": bytes.start,
            "length": bytes.len(),
        })
    };
    let diagnostics: Vec<Value> = result
        .diagnostics
        .iter()
        .map(|d| {
            let mut v = json!({
                "code": d.code(),
                "name": d.rule.name,
                "severity": d.severity.as_str(),
                "message": d.message,
                "help": d.help,
                "url": d.rule.url,
            });
            if let (Some(obj), Value::Object(p)) = (v.as_object_mut(), place(&d.primary)) {
                obj.extend(p);
                obj.insert("path".into(), json!(d.path));
                obj.insert("fingerprint".into(), json!(d.fingerprint));
                let labels: Vec<Value> = d
                    .labels
                    .iter()
                    .map(|l| {
                        let mut p = place(&l.location);
                        if let Some(o) = p.as_object_mut() {
                            o.remove("end_line");
                            o.remove("end_column");
                            o.insert("message".into(), json!(l.message));
                        }
                        p
                    })
                    .collect();
                obj.insert("labels".into(), json!(labels));
                if let Some(t) = &d.terraform {
                    obj.insert("terraform_address".into(), json!(t.address));
                    if let Some(source) = &t.module_source {
                        obj.insert("terraform_module_source".into(), json!(source));
                    }
                }
                if let Some(source) = &d.source {
                    obj.insert("source".into(), place(&source.location));
                }
            }
            v
        })
        .collect();
    json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": {
            "files": result.files.len(),
            "documents": result.documents,
            "errors": result.count(Severity::Error),
            "warnings": result.count(Severity::Warning),
            "advice": result.count(Severity::Advice),
            "suppressed": result.suppressed,
            "baselined": result.baselined,
        }
    })
}

/// [`to_json`] as one line of text.
pub fn render_json(result: &LintResult) -> String {
    let mut s = super::json_escape_controls(to_json(result).to_string());
    s.push('\n');
    s
}
