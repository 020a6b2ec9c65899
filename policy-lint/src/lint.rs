//! The driver: parse every input, detect its documents, run the enabled
//! rules at each level, link the model, and return sorted findings.

mod problems;

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::documents::{Document, KindFlag, ParsedFile, ReadProblem};
use crate::model::aws::catalog::{Catalogue, CatalogueError};
use crate::model::{Linking, Model};
use crate::project::Project;
use crate::registry::{Context, Rule, RuleMeta, Selector};
use crate::rules;
use crate::source::{FileId, SourceFile, Span};
use crate::suppress::{Fingerprints, Suppression, normalize_path};
use problems::{internal_error, read_problem};

/// The input size above which [`Options::max_file_size`] refuses an input
/// by default: 512 MiB. A file's tree and model take about 3x its size, so
/// a bigger file would need gigabytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// A file's name for fingerprints and baselines.
pub(crate) fn project_path(project: Option<&Project>, name: &str) -> String {
    match project {
        Some(p) => p.relative(name),
        None => normalize_path(name),
    }
}

/// What to check and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rules to enable (empty: every rule).
    pub select: Vec<Selector>,
    /// Rules to disable.
    pub ignore: Vec<Selector>,
    /// Severity overrides by selector; `None` turns the rule off.
    pub severity: Vec<(Selector, Option<Severity>)>,
    /// Force the kind of every top-level document.
    pub kind: Option<KindFlag>,
    /// Names of the inputs that are service control policies (`--scp`).
    pub scp: Vec<String>,
    /// Names of the inputs that are service-catalogue files (`--catalog`).
    pub catalog: Vec<String>,
    /// Catalogue entries given in code rather than as input files (see
    /// [`Options::add_catalog_json`]). They add to the built-in entries and
    /// to those of [`Options::catalog`] files, replacing any with the same id.
    pub added_catalog: Catalogue,
    /// Accepted findings (the configuration's `[[suppress]]` entries).
    pub suppress: Vec<Suppression>,
    /// Inputs larger than this many bytes are not parsed: each is a JSON001
    /// finding instead. Default [`DEFAULT_MAX_FILE_SIZE`]; `u64::MAX` for
    /// no limit.
    pub max_file_size: u64,
    /// The project root that fingerprints, baselines and SARIF locations
    /// name files relative to; `None`: the names as given.
    pub project: Option<Project>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: Vec::new(),
            kind: None,
            scp: Vec::new(),
            catalog: Vec::new(),
            added_catalog: Catalogue::default(),
            suppress: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            project: None,
        }
    }
}

impl<'o> From<&'o Options> for Linking<'o> {
    fn from(options: &'o Options) -> Self {
        Self {
            scp: &options.scp,
            catalog: &options.catalog,
            added_catalog: &options.added_catalog,
        }
    }
}

impl Options {
    /// Adds the catalogue entries of a JSON text shaped like a `--catalog`
    /// file (`{"entries": [...]}`, see [`Catalogue::from_json`]) to
    /// [`Options::added_catalog`], without an input file. Returns how many
    /// entries it added; a text with any problem adds nothing.
    ///
    /// ```
    /// use policy_lint::{Linter, Options};
    ///
    /// let entry = r#"{"entries": [{
    ///     "id": "scheduler-invoke-lambda",
    ///     "service_principal": "scheduler.amazonaws.com",
    ///     "description": "EventBridge Scheduler role that invokes a function",
    ///     "usage": {"description": "the schedule target's role", "api_parameters": [],
    ///               "terraform_attributes": [], "cloudformation_properties": []},
    ///     "trust_actions": ["sts:AssumeRole"],
    ///     "required_actions": ["lambda:InvokeFunction"],
    ///     "warning_only_actions": [],
    ///     "source_condition_keys_supported": true,
    ///     "source_condition_keys_recommended": false,
    ///     "source_condition_example": null,
    ///     "least_privilege_statement": null,
    ///     "broad_managed_policies": [],
    ///     "docs_url": "https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html",
    ///     "notes": []
    /// }]}"#;
    /// let mut options = Options::default();
    /// assert_eq!(options.add_catalog_json(entry).unwrap(), 1);
    /// // Every key of an entry is required (rules/schemas/service-catalogue.schema.json).
    /// assert!(options.add_catalog_json(r#"{"entries": [{"id": "x"}]}"#).is_err());
    /// let linter = Linter::new(options);
    /// # let _ = linter;
    /// ```
    pub fn add_catalog_json(&mut self, text: &str) -> Result<usize, CatalogueError> {
        let catalogue = Catalogue::from_json(text)?;
        let n = catalogue.entries.len();
        self.added_catalog.extend(catalogue);
        Ok(n)
    }

    /// Whether `rule` runs. The most specific matching selector wins; on a
    /// tie, `ignore` wins.
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        let best = |sels: &[Selector]| {
            sels.iter()
                .filter(|s| s.matches(rule))
                .map(Selector::specificity)
                .max()
        };
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        let off = self
            .severity
            .iter()
            .any(|(s, sev)| sev.is_none() && s.matches(rule));
        match (selected, best(&self.ignore)) {
            _ if off => false,
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// The severity a finding of `rule` gets, given the one the rule chose.
    fn severity_for(&self, rule: &RuleMeta, chosen: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(s, _)| s.matches(rule))
            .max_by_key(|(s, _)| s.specificity())
            .and_then(|(_, sev)| *sev)
            .unwrap_or(chosen)
    }
}

/// One input: a name (path as given or found, `-` for stdin) and its bytes.
#[derive(Debug, Clone)]
pub struct Input {
    /// Name shown in diagnostics.
    pub name: String,
    /// The raw bytes (need not be UTF-8: that is a finding).
    pub bytes: Vec<u8>,
    /// Named by the user rather than found by a directory walk.
    pub named: bool,
    /// The size of an input whose bytes were not read because it is larger
    /// than [`Options::max_file_size`] (at least this many bytes): it
    /// becomes a JSON001 finding, as an input of `bytes` that large does.
    pub unread_size: Option<u64>,
}

impl Input {
    /// An input named by the user.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            bytes: bytes.into(),
            named: true,
            unread_size: None,
        }
    }
}

/// What a run found.
#[derive(Debug, Clone)]
pub struct LintResult {
    /// Every file, indexed by [`FileId`].
    pub files: Vec<SourceFile>,
    /// Every finding, sorted by file, then offset.
    pub diagnostics: Vec<Diagnostic>,
    /// Documents recognised, nested ones included.
    pub documents: usize,
    /// Findings hidden by [`Options::suppress`].
    pub suppressed: usize,
    /// Indices into [`Options::suppress`] of suppressions that matched no
    /// finding (stale entries worth removing).
    pub unmatched_suppressions: Vec<usize>,
    /// Findings hidden by a baseline (set by [`crate::baseline::Baseline::apply`]).
    pub baselined: usize,
    /// Terraform configuration files that findings' `source` points into
    /// ([`crate::terraform_source::locate`]); they were not linted. Their
    /// [`FileId`]s follow those of [`LintResult::files`].
    pub config_files: Vec<SourceFile>,
    /// The project root of the run ([`Options::project`]).
    pub project: Option<Project>,
    /// What made the run fail besides findings: inputs that could not be
    /// read, options that could not be used. The library adds none; a
    /// caller that reads files records its failures here, so that every
    /// output format shows that the run is incomplete.
    pub errors: Vec<RunError>,
}

/// Something that made a run fail (exit 2 in the CLI), as opposed to a
/// finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// The path it concerns (an input, a `--baseline` file...), if any.
    pub path: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for RunError {
    /// The message, preceded by the path when the message does not name it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(path) if !self.message.contains(path.as_str()) => {
                write!(f, "{path}: {}", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl RunError {
    /// An error about `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: Some(path.into()),
            message: message.into(),
        }
    }

    /// An error about no particular path.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            path: None,
            message: message.into(),
        }
    }
}

impl LintResult {
    /// The file a location points into.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        let i = id.0 as usize;
        self.files
            .get(i)
            .or_else(|| self.config_files.get(i.checked_sub(self.files.len())?))
    }

    /// Every file a location can point into, indexed by [`FileId`]: the
    /// linted files, then the configuration files.
    pub fn all_files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().chain(&self.config_files)
    }

    /// Findings at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Whether the run failed ([`LintResult::errors`] is not empty): its
    /// findings may be incomplete.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// `file`'s name relative to the project root (see [`Project`]), with
    /// `/` separators and no leading `./`: the name fingerprints, baselines
    /// and SARIF use.
    pub fn project_path(&self, file: &SourceFile) -> String {
        project_path(self.project.as_ref(), file.name())
    }
}

/// A configured linter. Cheap to build; reuse it across runs.
#[derive(Debug, Clone, Default)]
pub struct Linter {
    options: Options,
}

impl Linter {
    /// A linter with `options`.
    pub fn new(options: Options) -> Self {
        Self { options }
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    fn enabled_rules(&self) -> Vec<&'static dyn Rule> {
        rules::ALL
            .iter()
            .copied()
            .filter(|r| self.options.is_enabled(r.meta()))
            .collect()
    }

    /// Lints one source given as a string.
    pub fn lint_str(&self, name: &str, text: &str) -> LintResult {
        self.lint(vec![Input::new(name, text.as_bytes())])
    }

    /// Lints every input as one run: documents in one file can link to
    /// documents in another.
    ///
    /// A panic in the parser or in a rule never ends the run: it becomes a
    /// JSON004 `internal-error` finding for the file (or document) being
    /// checked, and every other rule and file is still checked.
    pub fn lint(&self, inputs: Vec<Input>) -> LintResult {
        self.lint_with_progress(inputs, &AtomicUsize::new(0))
    }

    /// [`Linter::lint`], counting in `progress` the files parsed so far, so
    /// that a caller can show a status line while a long run goes on.
    pub fn lint_with_progress(&self, inputs: Vec<Input>, progress: &AtomicUsize) -> LintResult {
        self.lint_with_rules(inputs, &self.enabled_rules(), progress)
    }

    fn lint_with_rules(
        &self,
        inputs: Vec<Input>,
        rules: &[&'static dyn Rule],
        progress: &AtomicUsize,
    ) -> LintResult {
        let kind = self.options.kind;
        // An `--scp` file is an SCP whatever its content says.
        let scp = Some(crate::documents::KindFlag::Exact(
            crate::documents::DocKind::AwsPolicy(crate::documents::PolicyType::ServiceControl),
        ));
        let files: Vec<ParsedFile> = inputs
            .into_par_iter()
            .enumerate()
            .map(|(i, input)| {
                let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
                let name = input.name.clone();
                let size = input.unread_size.unwrap_or(input.bytes.len() as u64);
                if size > self.options.max_file_size {
                    progress.fetch_add(1, Ordering::Relaxed);
                    let limit = self.options.max_file_size;
                    return ParsedFile::failed(id, name, ReadProblem::TooLarge { size, limit });
                }
                let kind = if self.options.scp.contains(&name) {
                    scp
                } else {
                    kind
                };
                // The bytes move into the parser (no copy of a 100 MB plan).
                let file = guarded(|| {
                    ParsedFile::parse_owned(id, input.name, input.bytes, input.named, kind)
                })
                .unwrap_or_else(|panic| {
                    ParsedFile::failed(id, name, ReadProblem::ParserPanicked(panic))
                });
                // Parsing is most of the work: count files as they are parsed.
                progress.fetch_add(1, Ordering::Relaxed);
                file
            })
            .collect();
        // Linking runs beside the per-document rules: on one large plan they
        // are the two halves of the work after parsing.
        let (mut diagnostics, model) = rayon::join(
            || -> Vec<Diagnostic> {
                files
                    .par_iter()
                    .flat_map_iter(|file| self.check_file(file, rules))
                    .collect()
            },
            || Model::build_with(&files, &self.options),
        );
        let mut cx = Context::new(&self.options);
        for rule in rules {
            if let Err(panic) = guarded(|| rule.check_model(&model, &mut cx))
                && let Some(first) = files.first()
            {
                let m = rule.meta();
                cx.report(internal_error(
                    Location::new(first.id, Span::empty(0)),
                    &format!(
                        "rule {} ({}) while linking documents across files",
                        m.code, m.name
                    ),
                    &panic,
                ));
            }
        }
        diagnostics.extend(cx.into_diagnostics());
        let documents = model.documents.len();
        drop(model);
        self.finish(&files, &mut diagnostics);
        let (suppressed, unmatched_suppressions) = self.suppress(&files, &mut diagnostics);
        // Sources are shared (`Arc`); the trees are freed off the caller's
        // path.
        let sources = files.iter().map(|f| f.source.clone()).collect();
        free_in_background(files);
        LintResult {
            files: sources,
            diagnostics,
            documents,
            suppressed,
            unmatched_suppressions,
            baselined: 0,
            project: self.options.project.clone(),
            errors: Vec::new(),
            config_files: Vec::new(),
        }
    }

    fn check_file(&self, file: &ParsedFile, rules: &[&'static dyn Rule]) -> Vec<Diagnostic> {
        let mut cx = Context::new(&self.options);
        if let Some(e) = &file.error {
            cx.report(Diagnostic::new(
                &rules::json::InvalidJson::META,
                Location::new(file.id, e.span),
                e.message.clone(),
            ));
            return cx.into_diagnostics();
        }
        for problem in &file.problems {
            cx.report(read_problem(file.id, problem));
        }
        let root = file
            .root()
            .as_ref()
            .map_or(Span::empty(0), |r| Span::empty(r.span().start));
        for rule in rules {
            if let Err(panic) = guarded(|| rule.check_file(file, &mut cx)) {
                let m = rule.meta();
                cx.report(internal_error(
                    Location::new(file.id, root),
                    &format!("rule {} ({})", m.code, m.name),
                    &panic,
                ));
            }
        }
        let mut diagnostics = cx.into_diagnostics();
        // A plan holds thousands of documents: check them in parallel, in
        // chunks large enough to amortise the scheduling (output is sorted
        // later, so the order found does not matter).
        let docs: Vec<Document<'_>> = file.documents().collect();
        if docs.len() < DOCUMENT_CHUNK * 2 {
            diagnostics.extend(self.check_documents(&docs, rules));
        } else {
            let found: Vec<Vec<Diagnostic>> = docs
                .par_chunks(DOCUMENT_CHUNK)
                .map(|chunk| self.check_documents(chunk, rules))
                .collect();
            diagnostics.extend(found.into_iter().flatten());
        }
        diagnostics
    }

    fn check_documents(
        &self,
        docs: &[Document<'_>],
        rules: &[&'static dyn Rule],
    ) -> Vec<Diagnostic> {
        let mut cx = Context::new(&self.options);
        for doc in docs {
            for rule in rules {
                if let Err(panic) = guarded(|| rule.check_document(doc, &mut cx)) {
                    let m = rule.meta();
                    cx.report(internal_error(
                        doc.at(doc.node),
                        &format!("rule {} ({}) on this {}", m.code, m.name, doc.kind.flag()),
                        &panic,
                    ));
                }
            }
        }
        cx.into_diagnostics()
    }

    /// Applies selection and severity overrides, fills in JSON Pointers,
    /// drops findings another finding on the same token supersedes, sorts,
    /// and drops exact duplicates (one finding reached two ways).
    fn finish(&self, files: &[ParsedFile], diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| {
            self.options.is_enabled(d.rule) || d.code() == rules::json::InternalError::META.code
        });
        let mut fingerprints = Fingerprints::default();
        for d in diagnostics.iter_mut() {
            d.severity = self.options.severity_for(d.rule, d.severity);
            if let Some(f) = files.get(d.primary.file.0 as usize) {
                d.path = f.pointer_of(d.primary.span);
                d.terraform = f.terraform_resource_at(d.primary.span);
                let name = project_path(self.options.project.as_ref(), f.source.name());
                d.fingerprint = fingerprints.fingerprint(d, f, &name);
            }
        }
        drop_superseded(diagnostics);
        diagnostics.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.message.cmp(&b.message))
        });
        diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    }

    /// Drops the findings a suppression covers; returns how many, and which
    /// suppressions matched nothing.
    fn suppress(
        &self,
        files: &[ParsedFile],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (usize, Vec<usize>) {
        let sups = &self.options.suppress;
        if sups.is_empty() {
            return (0, Vec::new());
        }
        let mut used = vec![false; sups.len()];
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let Some(file) = files.get(d.primary.file.0 as usize) else {
                return true;
            };
            let mut keep = true;
            for (i, s) in sups.iter().enumerate() {
                if s.matches(d, file) {
                    keep = false;
                    if let Some(u) = used.get_mut(i) {
                        *u = true;
                    }
                }
            }
            keep
        });
        // Stale: matched nothing although its rule ran on a file it names
        // (a pre-commit run over two files must not flag the others).
        let unmatched = used
            .iter()
            .zip(sups)
            .enumerate()
            .filter(|(_, (u, s))| {
                !**u && rules::ALL
                    .iter()
                    .any(|r| s.rule.matches(r.meta()) && self.options.is_enabled(r.meta()))
                    && files.iter().any(|f| s.path.matches(f.source.name()))
            })
            .map(|(i, _)| i)
            .collect();
        (before - diagnostics.len(), unmatched)
    }
}

/// Frees `files` on a thread of its own: a caller that prints the findings
/// and exits should not wait for the frees of thousands of files' sources
/// and trees. Dropped here when no thread can be started.
fn free_in_background(files: Vec<ParsedFile>) {
    let slot = std::sync::Arc::new(std::sync::Mutex::new(Some(files)));
    let theirs = std::sync::Arc::clone(&slot);
    let spawned = std::thread::Builder::new()
        .name("policy-lint-free".into())
        .spawn(move || drop(theirs.lock().map(|mut f| f.take())));
    if spawned.is_err() {
        drop(slot.lock().map(|mut f| f.take()));
    }
}

/// Documents checked per parallel task.
const DOCUMENT_CHUNK: usize = 64;

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// One token, one finding: a finding of the first code makes those of the
/// listed codes on the same token redundant, unless they are more severe.
/// A typo'd principal of a role a service uses is AWS001 with its
/// did-you-mean, not also AWS006 (unknown principal) and AWS004 (no source
/// condition). Applied after selection, so `--ignore AWS001` brings the
/// others back.
const SUPERSEDES: &[(&str, &[&str])] = &[("AWS001", &["AWS004", "AWS006"])];

fn drop_superseded(diagnostics: &mut Vec<Diagnostic>) {
    for (code, others) in SUPERSEDES {
        let at: crate::hash::HashMap<Location, Severity> = diagnostics
            .iter()
            .filter(|d| d.code() == *code)
            .fold(crate::hash::HashMap::default(), |mut m, d| {
                let s = m.entry(d.primary).or_insert(d.severity);
                *s = (*s).max(d.severity);
                m
            });
        if at.is_empty() {
            continue;
        }
        diagnostics.retain(|d| {
            !others.contains(&d.code()) || at.get(&d.primary).is_none_or(|&s| d.severity > s)
        });
    }
}

#[cfg(test)]
mod tests;
