//! Typed documents: what kind each JSON input is, and the documents nested in
//! it (the trust policy in `get-role` output, a policy string in a plan).
//!
//! Kinds are detected from content, never from file names.

pub mod aws_policy;
pub mod cli_output;
mod detect;
mod kind;
mod nesting;
pub mod terraform;

pub use detect::detect_kind;
pub use kind::{DocKind, KindFlag, PolicyType, is_trust_action};

use rayon::prelude::*;

use crate::json::{self, Node, ParseError, Tree, decode_string_literal, pointer_of};
use crate::source::{FileId, SharedText, SourceFile, Span};
use crate::vocabulary::Location;
use nesting::Nesting;

/// A document embedded in a string of the file, parsed, with spans already
/// in the outer file.
#[derive(Debug, Clone)]
pub struct EmbeddedTree {
    /// The decoded, parsed document.
    pub tree: Tree,
    /// The string literal it came from.
    pub literal: Span,
}

impl EmbeddedTree {
    /// The document's top-level value.
    pub fn root(&self) -> Node<'_> {
        self.tree.root()
    }
}

/// Which tree of a file a document lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TreeId {
    Root,
    Embedded(usize),
}

#[derive(Debug, Clone)]
struct DocEntry {
    kind: DocKind,
    tree: TreeId,
    /// The document's node in that tree.
    node: u32,
    parent: Option<usize>,
    name: Option<String>,
}

/// One input file after parsing and detection.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// The file's id in this run.
    pub id: FileId,
    /// Its text.
    pub source: SourceFile,
    /// The parsed tree; `None` when the file is not JSON.
    pub tree: Option<Tree>,
    /// Why the file is not JSON.
    pub error: Option<ParseError>,
    /// Documents decoded from strings of the file.
    pub embedded: Vec<EmbeddedTree>,
    /// Whether the user named the file (JSON003 applies only then).
    pub named: bool,
    docs: Vec<DocEntry>,
    /// What went wrong while detecting, for the driver to report.
    pub(crate) problems: Vec<ReadProblem>,
    /// Parts of a Terraform plan that only repeat a canonical entry
    /// (`planned_values` copies, `change.before`, drift): found once, at
    /// detection, so findings inside them can be skipped.
    pub(crate) shadowed: Vec<Span>,
    /// Which embedded documents hold a span.
    nesting: Nesting,
    /// In a Terraform 0.12 plan or state, the full addresses of the
    /// resources written relative to their module, by node index.
    terraform_addresses: crate::hash::HashMap<u32, String>,
}

/// What went wrong while reading a file, apart from its own parse error:
/// plain data that the lint driver reports under its rules, since
/// documents sit below the rules and know none.
#[derive(Debug, Clone)]
pub(crate) enum ReadProblem {
    /// An embedded document is not JSON.
    EmbeddedNotJson {
        /// Where its parse failed.
        at: Span,
        /// The string literal it is embedded in.
        literal: Span,
        /// What is wrong, lowercase, no trailing period.
        message: String,
    },
    /// An embedded document is JSON but not an object.
    EmbeddedNotObject {
        /// The string literal it is embedded in.
        literal: Span,
        /// What is wrong, lowercase, no trailing period.
        message: String,
        /// It is a string holding a JSON object: encoded twice.
        encoded_twice: bool,
    },
    /// An embedded document is an empty (or blank) string where a document
    /// is required.
    EmbeddedEmpty {
        /// The string literal.
        literal: Span,
        /// What is wrong, lowercase, no trailing period.
        message: String,
    },
    /// The parser panicked on the file (a bug in policy-lint), with the
    /// panic's message.
    ParserPanicked(String),
    /// The input holds more than the size limit (at least `size` bytes), so
    /// it was not read.
    TooLarge {
        /// Bytes in the input, at least.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
}

/// A recognised document: a view into a file's tree.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    /// The file holding it.
    pub file: &'a ParsedFile,
    /// What it is.
    pub kind: DocKind,
    /// Its root node.
    pub node: Node<'a>,
    /// Its index among the file's documents.
    pub index: usize,
    entry: &'a DocEntry,
}

impl<'a> Document<'a> {
    /// Where `node` (a node of this document) is.
    pub fn at(&self, node: Node<'_>) -> Location {
        Location::new(self.file.id, node.span())
    }

    /// A location in this document's file.
    pub fn at_span(&self, span: Span) -> Location {
        Location::new(self.file.id, span)
    }

    /// The document this one was found in.
    pub fn parent(&self) -> Option<Document<'a>> {
        self.file.document(self.entry.parent?)
    }

    /// A short human name (role name, Terraform address), when the container says.
    pub fn name(&self) -> Option<&'a str> {
        self.entry.name.as_deref()
    }

    /// Whether the document sits in a string of its file.
    pub fn is_embedded(&self) -> bool {
        matches!(self.entry.tree, TreeId::Embedded(_))
    }

    /// The AWS policy type, for AWS policy documents.
    pub fn policy_type(&self) -> Option<PolicyType> {
        match self.kind {
            DocKind::AwsPolicy(t) => Some(t),
            _ => None,
        }
    }
}

impl ParsedFile {
    /// Parses `bytes` as the file `name` and detects its documents.
    pub fn parse(
        id: FileId,
        name: &str,
        bytes: &[u8],
        named: bool,
        forced: Option<KindFlag>,
    ) -> Self {
        Self::parse_owned(id, name.to_string(), bytes.to_vec(), named, forced)
    }

    /// [`ParsedFile::parse`] taking the bytes by value, so that valid UTF-8
    /// is not copied once more.
    pub fn parse_owned(
        id: FileId,
        name: String,
        bytes: Vec<u8>,
        named: bool,
        forced: Option<KindFlag>,
    ) -> Self {
        let (source, error) = SourceFile::decode(name, bytes);
        let error = error.map(|e| ParseError {
            span: Span::empty(e.offset),
            message: e.message,
        });
        let (root, error) = match error {
            Some(e) => (None, Some(e)),
            None => match json::parse_shared(source.text_arc()) {
                Ok(tree) => (Some(tree), None),
                Err(e) => (None, Some(e)),
            },
        };
        let mut file = Self {
            id,
            source,
            tree: root,
            error,
            embedded: Vec::new(),
            named,
            docs: Vec::new(),
            problems: Vec::new(),
            shadowed: Vec::new(),
            nesting: Nesting::default(),
            terraform_addresses: Default::default(),
        };
        file.detect(forced);
        file.nesting = Nesting::new(file.embedded.iter().map(|e| e.literal));
        file
    }

    /// A file whose parsing failed inside policy-lint (a bug): no text, no
    /// tree, only the parser's `panic` to report.
    pub(crate) fn failed(id: FileId, name: String, problem: ReadProblem) -> Self {
        Self {
            id,
            source: SourceFile::new(name, ""),
            tree: None,
            error: None,
            embedded: Vec::new(),
            named: true,
            docs: Vec::new(),
            problems: vec![problem],
            shadowed: Vec::new(),
            nesting: Nesting::default(),
            terraform_addresses: Default::default(),
        }
    }

    /// The file's top-level value, when it is JSON.
    pub fn root(&self) -> Option<Node<'_>> {
        self.tree.as_ref().map(Tree::root)
    }

    fn tree(&self, tree: TreeId) -> Option<&Tree> {
        match tree {
            TreeId::Root => self.tree.as_ref(),
            TreeId::Embedded(i) => self.embedded.get(i).map(|e| &e.tree),
        }
    }

    fn node(&self, tree: TreeId, index: u32) -> Option<Node<'_>> {
        self.tree(tree).map(|t| t.node(index))
    }

    /// Number of documents found.
    pub fn document_count(&self) -> usize {
        self.docs.len()
    }

    /// The `index`th document.
    pub fn document(&self, index: usize) -> Option<Document<'_>> {
        let entry = self.docs.get(index)?;
        let node = self.node(entry.tree, entry.node)?;
        Some(Document {
            file: self,
            kind: entry.kind,
            node,
            index,
            entry,
        })
    }

    /// The tree decoded from the string literal at `literal` (the span of a
    /// string node of this file, quotes included), if one was.
    pub fn embedded_at(&self, literal: Span) -> Option<&EmbeddedTree> {
        self.embedded.get(self.nesting.at(literal)?)
    }

    /// The document decoded from the string literal at `literal` (the span
    /// of a string node of this file, quotes included), if one was.
    pub fn embedded_document_at(&self, literal: Span) -> Option<Document<'_>> {
        let tree = self.nesting.at(literal)?;
        let index = self
            .docs
            .iter()
            .position(|d| d.tree == TreeId::Embedded(tree))?;
        self.document(index)
    }

    /// Every document, containers before what they contain.
    pub fn documents(&self) -> impl Iterator<Item = Document<'_>> {
        (0..self.docs.len()).filter_map(|i| self.document(i))
    }

    /// The embedded documents whose string literal holds `span`, outermost
    /// first.
    pub fn embedded_holding(&self, span: Span) -> Vec<&EmbeddedTree> {
        let mut out: Vec<_> = self
            .nesting
            .holding(span)
            .filter_map(|i| self.embedded.get(i))
            .collect();
        out.reverse();
        out
    }

    /// The view of the file's Terraform plan or state, with the full
    /// addresses of the resources Terraform 0.12 wrote relative to their
    /// module; `None` when the file is neither.
    pub fn terraform_view(&self) -> Option<terraform::TerraformView<'_>> {
        let doc = self.documents().next()?;
        if !matches!(doc.kind, DocKind::TerraformPlan | DocKind::TerraformState) {
            return None;
        }
        terraform::TerraformView::with_full_addresses(doc.node, Some(&self.terraform_addresses))
    }

    /// The Terraform resource whose entry holds `span`, when the file is a
    /// plan or state (see [`terraform::locate::resource_at`]).
    pub fn terraform_resource_at(
        &self,
        span: Span,
    ) -> Option<crate::diagnostic::TerraformResource> {
        let doc = self.documents().next()?;
        if !matches!(doc.kind, DocKind::TerraformPlan | DocKind::TerraformState) {
            return None;
        }
        terraform::locate::resource_at(doc.node, span)
    }

    /// The JSON Pointer of `span` in this file: inside an embedded document,
    /// the outer string's pointer, `#`, then the inner pointer.
    pub fn pointer_of(&self, span: Span) -> String {
        let Some(root) = self.root() else {
            return String::new();
        };
        // Each tree's pointer leads to the literal of the next one, the
        // innermost's to the span.
        let chain = self.embedded_holding(span);
        let mut out = String::new();
        let mut tree = root;
        for e in chain {
            out.push_str(&pointer_of(tree, e.literal));
            out.push('#');
            tree = e.root();
        }
        out.push_str(&pointer_of(tree, span));
        out
    }

    fn push_doc(&mut self, entry: DocEntry) -> usize {
        self.docs.push(entry);
        self.docs.len() - 1
    }

    /// Detects the top-level document and, recursively, what it contains.
    fn detect(&mut self, forced: Option<KindFlag>) {
        let Some(root) = self.root() else { return };
        let Some(kind) = forced
            .map(|f| f.resolve(root))
            .or_else(|| detect_kind(root))
        else {
            return;
        };
        let addresses = matches!(kind, DocKind::TerraformPlan | DocKind::TerraformState)
            .then(|| terraform::module_relative_addresses(root));
        let node = root.index();
        if let Some(addresses) = addresses {
            self.terraform_addresses = addresses;
        }
        let index = self.push_doc(DocEntry {
            kind,
            tree: TreeId::Root,
            node,
            parent: None,
            name: None,
        });
        self.detect_nested(index);
    }

    /// Adds the documents nested in document `index`, depth first.
    fn detect_nested(&mut self, index: usize) {
        let Some(entry) = self.docs.get(index).cloned() else {
            return;
        };
        let Some(node) = self.node(entry.tree, entry.node) else {
            return;
        };
        let mut shadowed = Vec::new();
        let found: Vec<_> =
            detect::nested(entry.kind, node, &self.terraform_addresses, &mut shadowed)
                .into_iter()
                .map(|f| Found {
                    kind: f.kind,
                    node: f.node.index(),
                    literal: f.node.is_string().then(|| f.node.span()),
                    name: f.name,
                    infer: f.infer,
                })
                .collect();
        self.shadowed.extend(shadowed);
        // Decoding and parsing embedded documents is most of the work on a
        // plan with thousands of policy strings: do it in parallel, then
        // record the trees in order.
        let text = self.source.text_arc();
        let decode = |f: &Found| f.literal.and_then(|span| parse_embedded(&text, span));
        let parsed: Vec<Option<Result<Tree, ParseError>>> = if found.len() >= PARALLEL_EMBEDDED {
            found.par_iter().map(decode).collect()
        } else {
            found.iter().map(decode).collect()
        };
        for (f, parsed) in found.into_iter().zip(parsed) {
            let (tree, node) = match (f.literal, parsed) {
                (Some(literal), Some(parsed)) => {
                    match self.embed(literal, f.name.as_deref(), parsed) {
                        Some(tree) => (tree, 0),
                        None => continue,
                    }
                }
                (Some(_), None) => continue,
                (None, _) => (entry.tree, f.node),
            };
            let kind = match (f.infer, f.kind) {
                (true, DocKind::AwsPolicy(_)) => self
                    .node(tree, node)
                    .map_or(f.kind, |n| DocKind::AwsPolicy(PolicyType::infer(n))),
                (_, kind) => kind,
            };
            let child_index = self.push_doc(DocEntry {
                kind,
                tree,
                node,
                parent: Some(index),
                name: f.name,
            });
            self.detect_nested(child_index);
        }
    }

    /// Records the embedded document parsed from the string literal at
    /// `literal`, or why it is no document: it is not JSON, it is empty, or
    /// it is JSON but not an object (a policy encoded twice).
    fn embed(
        &mut self,
        literal: Span,
        name: Option<&str>,
        parsed: Result<Tree, ParseError>,
    ) -> Option<TreeId> {
        let of = name.map(|n| format!(" of `{n}`")).unwrap_or_default();
        let problem = match parsed {
            Ok(tree) if tree.root().is_object() => {
                self.embedded.push(EmbeddedTree { tree, literal });
                return Some(TreeId::Embedded(self.embedded.len() - 1));
            }
            Ok(tree) => {
                let root = tree.root();
                ReadProblem::EmbeddedNotObject {
                    literal,
                    message: format!(
                        "embedded document{of} is a JSON {}, not a JSON object",
                        root.type_name()
                    ),
                    encoded_twice: root
                        .str_chars()
                        .and_then(|mut c| c.find(|c| !c.is_whitespace()))
                        == Some('{'),
                }
            }
            Err(_) if self.is_blank_string(literal) => ReadProblem::EmbeddedEmpty {
                literal,
                message: format!("embedded document{of} is empty, so nothing in it can be checked"),
            },
            Err(e) => ReadProblem::EmbeddedNotJson {
                at: e.span,
                literal,
                message: format!("embedded document{of} is not valid JSON: {}", e.message),
            },
        };
        self.problems.push(problem);
        None
    }

    /// Whether the string literal at `literal` holds only whitespace.
    fn is_blank_string(&self, literal: Span) -> bool {
        self.tree
            .as_ref()
            .and_then(|t| t.find(literal))
            .and_then(Node::str_chars)
            .is_some_and(|mut c| c.all(char::is_whitespace))
    }
}

/// A nested document found by detection, before its string (if it is one)
/// is decoded.
struct Found {
    kind: DocKind,
    /// Its node in the parent's tree.
    node: u32,
    /// The string literal to decode, for an embedded document.
    literal: Option<Span>,
    name: Option<String>,
    infer: bool,
}

/// Nested documents of one parent from which decoding runs in parallel.
const PARALLEL_EMBEDDED: usize = 32;

/// Decodes and parses the string literal at `literal` of `outer` as an
/// embedded document (URL-encoded ones included); `None` when the literal
/// does not decode.
fn parse_embedded(outer: &SharedText, literal: Span) -> Option<Result<Tree, ParseError>> {
    let text = decode_string_literal(outer, literal)?;
    let text = if text.is_url_encoded() {
        text.percent_decode()?
    } else {
        text
    };
    Some(text.parse())
}
