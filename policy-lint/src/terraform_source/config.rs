//! The `.tf` files a caller hands over, grouped by module, parsed on first
//! use, and the lookups the walk needs: resource and data blocks, variables,
//! locals and module calls.

use std::sync::OnceLock;

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body};

use crate::source::SourceFile;

/// The Terraform configuration of one plan: the text of every `.tf` file,
/// each under the module it belongs to (`[]` for the root module,
/// `["net", "subnets"]` for `module.net.module.subnets`). The caller reads
/// the files; nothing here touches the file system.
#[derive(Debug, Default)]
pub struct Configuration {
    files: Vec<ConfigFile>,
}

#[derive(Debug)]
pub(super) struct ConfigFile {
    pub module: Vec<String>,
    pub source: SourceFile,
    body: OnceLock<Result<Body, String>>,
}

impl ConfigFile {
    /// The parsed body, or why it could not be parsed. An input hcl-edit
    /// rejects, or one it panics on, is only a file without locations.
    pub fn body(&self) -> Result<&Body, &str> {
        self.body
            .get_or_init(|| {
                let text = self.source.text();
                std::panic::catch_unwind(|| hcl_edit::parser::parse_body(text))
                    .map_err(|_| "the HCL parser failed".to_string())
                    .and_then(|parsed| {
                        parsed.map_err(|e| {
                            let at = e.location();
                            format!(
                                "line {}, column {}: {}",
                                at.line(),
                                at.column(),
                                e.message()
                            )
                        })
                    })
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

impl Configuration {
    /// An empty configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the file `name` (its path as the user would type it, relative
    /// to the working directory) of the module `module`.
    pub fn add_file(
        &mut self,
        module: &[String],
        name: impl Into<String>,
        text: impl Into<String>,
    ) {
        self.files.push(ConfigFile {
            module: module.to_vec(),
            source: SourceFile::new(name, text),
            body: OnceLock::new(),
        });
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Number of files added.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub(super) fn file(&self, index: usize) -> Option<&ConfigFile> {
        self.files.get(index)
    }

    /// The files of `module` that parse, with their index.
    pub(super) fn bodies<'a, 'm>(
        &'a self,
        module: &'m [String],
    ) -> impl Iterator<Item = (usize, &'a Body)> + use<'a, 'm> {
        self.files
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.module == module)
            .filter_map(|(i, f)| f.body().ok().map(|b| (i, b)))
    }

    /// Every file of `module` that does not parse, with the reason.
    pub(super) fn unparsed<'a>(
        &'a self,
        module: &'a [String],
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(move |f| f.module == module)
            .filter_map(|f| f.body().err().map(|e| (f.source.name(), e)))
    }

    /// The block `kind "label0" "label1"` (`resource`, `data`, `module`,
    /// `variable`) of `module`.
    pub(super) fn block(
        &self,
        module: &[String],
        kind: &str,
        labels: &[&str],
    ) -> Option<(usize, &Block)> {
        self.bodies(module).find_map(|(i, body)| {
            blocks(body, kind)
                .find(|b| {
                    b.labels.len() == labels.len()
                        && b.labels
                            .iter()
                            .zip(labels)
                            .all(|(l, want)| l.as_str() == *want)
                })
                .map(|b| (i, b))
        })
    }

    /// The definition of `local.name` in `module`.
    pub(super) fn local(&self, module: &[String], name: &str) -> Option<(usize, &Attribute)> {
        self.bodies(module).find_map(|(i, body)| {
            blocks(body, "locals")
                .find_map(|b| b.body.get_attribute(name))
                .map(|a| (i, a))
        })
    }

    /// Where the value of `var.name` of `module` is written: the argument
    /// of the parent's `module` block for a child module, else the
    /// variable's `default`. Returns the module the expression belongs to.
    pub(super) fn variable<'a>(
        &'a self,
        module: &'a [String],
        name: &str,
    ) -> Option<(&'a [String], usize, &'a Expression)> {
        if let Some((call, parent)) = module.split_last()
            && let Some((i, block)) = self.block(parent, "module", &[call.as_str()])
            && let Some(arg) = block.body.get_attribute(name)
        {
            return Some((parent, i, &arg.value));
        }
        let (i, block) = self.block(module, "variable", &[name])?;
        let default = block.body.get_attribute("default")?;
        Some((module, i, &default.value))
    }
}

/// The blocks `kind { ... }` of `body`, borrowed from the body only.
pub(super) fn blocks<'b, 'k>(
    body: &'b Body,
    kind: &'k str,
) -> impl Iterator<Item = &'b Block> + use<'b, 'k> {
    body.iter()
        .filter_map(hcl_edit::structure::Structure::as_block)
        .filter(move |b| b.ident.as_str() == kind)
}
