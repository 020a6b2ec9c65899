use serde::Serialize;
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
                "url": d.url(),
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
    let errors: Vec<Value> = result
        .errors
        .iter()
        .map(|e| json!({ "path": e.path, "message": e.message }))
        .collect();
    json!({
        "version": 1,
        "diagnostics": diagnostics,
        "errors": errors,
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

/// [`to_json`] as one line of text, written straight from the findings:
/// building a `Value` first cost a map per finding, most of the time and
/// memory of a run with 100,000 findings.
pub fn render_json(result: &LintResult) -> String {
    let out = Output {
        version: 1,
        diagnostics: Diagnostics(result),
        errors: result
            .errors
            .iter()
            .map(|e| RunErrorOut {
                path: e.path.as_deref(),
                message: &e.message,
            })
            .collect(),
        summary: Summary {
            files: result.files.len(),
            documents: result.documents,
            errors: result.count(Severity::Error),
            warnings: result.count(Severity::Warning),
            advice: result.count(Severity::Advice),
            suppressed: result.suppressed,
            baselined: result.baselined,
        },
    };
    let text = serde_json::to_string(&out).unwrap_or_else(|_| to_json(result).to_string());
    let mut s = super::json_escape_controls(text);
    s.push('\n');
    s
}

#[derive(Serialize)]
struct Output<'r> {
    version: u32,
    diagnostics: Diagnostics<'r>,
    errors: Vec<RunErrorOut<'r>>,
    summary: Summary,
}

/// A run error as [`to_json`] writes it.
#[derive(Serialize)]
struct RunErrorOut<'r> {
    path: Option<&'r str>,
    message: &'r str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    documents: usize,
    errors: usize,
    warnings: usize,
    advice: usize,
    suppressed: usize,
    baselined: usize,
}

/// The findings, serialised one by one.
struct Diagnostics<'r>(&'r LintResult);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let result = self.0;
        s.collect_seq(result.diagnostics.iter().map(|d| {
            let place = Place::of(result, &d.primary);
            Finding {
                code: d.code(),
                name: d.rule.name,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                url: d.url(),
                place,
                path: &d.path,
                fingerprint: &d.fingerprint,
                labels: d
                    .labels
                    .iter()
                    .map(|l| LabelOut {
                        place: Place::of(result, &l.location).map(|p| LabelPlace {
                            file: p.file,
                            line: p.line,
                            column: p.column,
                            length: p.length,
                            offset: p.offset,
                        }),
                        message: &l.message,
                    })
                    .collect(),
                terraform_address: d.terraform.as_ref().map(|t| t.address.as_str()),
                terraform_module_source: d
                    .terraform
                    .as_ref()
                    .and_then(|t| t.module_source.as_deref()),
                source: d
                    .source
                    .as_ref()
                    .and_then(|t| Place::of(result, &t.location)),
            }
        }))
    }
}

/// Keys in the order of [`to_json`].
#[derive(Serialize)]
struct Finding<'r> {
    code: &'r str,
    name: &'r str,
    severity: &'r str,
    message: &'r str,
    help: Option<&'r str>,
    url: Option<&'r str>,
    #[serde(flatten)]
    place: Option<Place<'r>>,
    path: &'r str,
    fingerprint: &'r str,
    labels: Vec<LabelOut<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terraform_address: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terraform_module_source: Option<&'r str>,
    /// Where in the Terraform configuration the finding's value was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Place<'r>>,
}

#[derive(Serialize)]
struct LabelOut<'r> {
    #[serde(flatten)]
    place: Option<LabelPlace<'r>>,
    message: &'r str,
}

/// A label's place, in the key order [`to_json`] leaves after removing the
/// end of the span.
#[derive(Serialize)]
struct LabelPlace<'r> {
    file: &'r str,
    line: u32,
    column: u32,
    length: u32,
    offset: u32,
}

#[derive(Serialize)]
struct Place<'r> {
    file: &'r str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    offset: u32,
    length: u32,
}

impl<'r> Place<'r> {
    fn of(result: &'r LintResult, loc: &Location) -> Option<Self> {
        let file = result.file(loc.file)?;
        let start = file.line_col(loc.span.start);
        let end = file.line_col(loc.span.end);
        // Bytes of the file as it is on disk (a UTF-16 file was decoded).
        let bytes = file.file_span(loc.span);
        Some(Place {
            file: file.name(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            offset: bytes.start,
            length: bytes.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    #[test]
    fn written_output_equals_the_value() {
        let result = Linter::default().lint_str(
            "p.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Allow",
                "Action": "s3:GetObjet", "Resource": "*", "Sid": "\u2028"}]}"#,
        );
        assert!(result.diagnostics.iter().any(|d| !d.labels.is_empty()));
        let want = super::super::json_escape_controls(to_json(&result).to_string()) + "\n";
        assert_eq!(render_json(&result), want);
    }
}
