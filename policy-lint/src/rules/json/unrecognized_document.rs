use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Location};
use crate::documents::ParsedFile;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a file named on the command line that is valid JSON but no
    /// kind of document policy-lint knows (AWS policy or CLI output, GCP IAM
    /// policy, GCE instance, Cloud Asset Inventory export, Terraform plan or
    /// state). Files found by walking a directory are skipped silently.
    ///
    /// ## Why is this bad?
    /// A file you asked to lint that is not linted gives a false sense of
    /// safety: often the file is wrapped in something else (a CloudFormation
    /// template, an API response envelope) or is not the file you meant.
    ///
    /// ## Example
    /// ```json
    /// {"name": "my-package", "version": "1.0.0"}
    /// ```
    ///
    /// ## Use instead
    /// Pass the policy document itself, or force a kind with `--kind`
    /// (`policy-lint rules` lists the kinds in `policy-lint check --help`).
    pub struct UnrecognizedDocument {
        code: "JSON003",
        name: "unrecognized-document",
        summary: "a file named on the command line is no known kind of document",
        severity: Warning,
        url: None,
    }
}

impl Check for UnrecognizedDocument {
    fn check_file(&self, file: &ParsedFile, cx: &mut Context<'_>) {
        let Some(root) = file.root() else { return };
        // A `--catalog` file is a catalogue, not a document to lint.
        let catalogue = cx.options.catalog.iter().any(|c| c == file.source.name());
        if file.named && file.document_count() == 0 && !catalogue {
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    Location::new(file.id, root.span()),
                    format!(
                        "`{}` is valid JSON but no known kind of document",
                        file.source.name()
                    ),
                )
                .with_help(
                    "policy-lint reads AWS IAM policies and CLI output, GCP IAM policies, GCE instances, \
                     Cloud Asset Inventory exports and Terraform plans; use `--kind` to force one",
                ),
            );
        }
    }
}
