use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an entry of a service-integration catalogue file passed with
    /// `--catalog` that does not match the catalogue's JSON Schema
    /// (`rules/schemas/service-catalogue.schema.json`), at the offending
    /// value. The entry is ignored.
    ///
    /// ## Why is this bad?
    /// A misspelt field or a malformed action would silently change what the
    /// service-chain rules (AWS001-AWS005) check.
    ///
    /// ## Example
    /// ```json
    /// {"entries": [{"id": "my-service", "service_principal": "my.amazonaws.com",
    ///   "required_actions": ["logs PutLogEvents"]}]}
    /// ```
    ///
    /// ## Use instead
    /// Give every field of an entry, as in the built-in catalogue
    /// (`rules/service-catalogue.json`), with actions written `service:Action`.
    ///
    /// ## References
    /// - [rules/README.md: service-catalogue.json](https://github.com/policy-lint/policy-lint/blob/main/rules/README.md)
    pub struct InvalidCatalogEntry {
        code: "AWS007",
        name: "invalid-catalog-entry",
        summary: "a --catalog entry does not match the catalogue schema",
        severity: Error,
        url: None,
    }
}

impl Check for InvalidCatalogEntry {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for (at, message) in &model.aws.catalogue_errors {
            cx.report(
                Diagnostic::new(&Self::META, *at, message.clone()).with_help(
                    "fix the entry to match rules/schemas/service-catalogue.schema.json",
                ),
            );
        }
    }
}
