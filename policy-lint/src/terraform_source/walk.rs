//! Follows a finding's attribute path (and the pointer inside a policy)
//! through HCL expressions to the bytes that wrote the value: object keys
//! and tuple items of `jsonencode(...)`, string and heredoc templates,
//! `var.` and `local.` references (to where they are defined), nested
//! blocks, and `data "aws_iam_policy_document"` blocks.

use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, Traversal, TraversalOperator};
use hcl_edit::structure::Block;

use super::config::{Configuration, blocks};
use super::plan::Target;
use super::template::{Quoting, decode, find};
use super::{policy_document, same_value};

/// A range of one configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Place {
    pub file: usize,
    pub range: Range<usize>,
}

/// Where the walk ended: the bytes that wrote the value (`exact`), or the
/// closest enclosing expression or block when no literal wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hit {
    pub place: Place,
    pub exact: bool,
}

/// A reference the walk went through (`var.x` used here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Use {
    pub place: Place,
    pub name: String,
}

/// References nested deeper than this (or a cycle of locals) end the walk.
const MAX_HOPS: u32 = 64;

pub(super) struct Walk<'c> {
    pub config: &'c Configuration,
    pub target: &'c Target,
    pub uses: Vec<Use>,
    hops: u32,
}

/// A walk position: the module and file an expression belongs to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope<'c> {
    pub module: &'c [String],
    pub file: usize,
}

impl<'c> Walk<'c> {
    pub fn new(config: &'c Configuration, target: &'c Target) -> Self {
        Self {
            config,
            target,
            uses: Vec::new(),
            hops: 0,
        }
    }

    pub fn place(scope: Scope<'_>, range: Option<Range<usize>>) -> Option<Place> {
        Some(Place {
            file: scope.file,
            range: range?,
        })
    }

    fn inexact(scope: Scope<'_>, range: Option<Range<usize>>) -> Option<Hit> {
        Some(Hit {
            place: Self::place(scope, range)?,
            exact: false,
        })
    }

    fn exact(scope: Scope<'_>, range: Option<Range<usize>>) -> Option<Hit> {
        Some(Hit {
            place: Self::place(scope, range)?,
            exact: true,
        })
    }

    /// The finding's resource block and the walk from it.
    pub fn resource(&mut self) -> Option<Hit> {
        let t = self.target;
        let kind = if t.data { "data" } else { "resource" };
        let (file, block) = self.config.block(
            &t.module,
            kind,
            &[t.resource_type.as_str(), t.name.as_str()],
        )?;
        let scope = Scope {
            module: &t.module,
            file,
        };
        let hit = self.block(scope, block, &t.path, true);
        hit.or_else(|| Self::inexact(scope, header(self.config, scope, block)))
    }

    /// Walks `path` from `block`; `top` for the resource block itself.
    fn block(
        &mut self,
        scope: Scope<'c>,
        block: &'c Block,
        path: &[String],
        top: bool,
    ) -> Option<Hit> {
        let whole = || {
            if top {
                Self::inexact(scope, header(self.config, scope, block))
            } else {
                Self::inexact(scope, block.span())
            }
        };
        let Some((first, rest)) = path.split_first() else {
            return whole();
        };
        if top
            && self.target.resource_type == "aws_iam_policy_document"
            && self.target.data
            && matches!(first.as_str(), "json" | "minified_json")
            && rest.is_empty()
        {
            return policy_document::find(self, scope, block).or_else(whole);
        }
        if let Some(attr) = block.body.get_attribute(first) {
            let hit = self.expr(scope, &attr.value, rest, self.target.policy.as_deref());
            // No literal wrote the value: the whole attribute, not just
            // the expression after `=`.
            return match hit {
                Some(h) if !h.exact && Some(&h.place.range) == attr.value.span().as_ref() => {
                    Self::inexact(scope, attr.span())
                }
                None => Self::inexact(scope, attr.span()),
                hit => hit,
            };
        }
        let mut nested = blocks(&block.body, first).peekable();
        if nested.peek().is_some() {
            let (index, rest) = match rest.split_first() {
                Some((i, tail)) if i.parse::<usize>().is_ok() => (i.parse().unwrap_or(0), tail),
                _ => (0, rest),
            };
            return match nested.nth(index) {
                Some(b) => self.block(scope, b, rest, false),
                None => whole(),
            };
        }
        let dynamic = block
            .body
            .get_blocks("dynamic")
            .find(|b| b.labels.first().is_some_and(|l| l.as_str() == first));
        match dynamic {
            Some(d) => Self::inexact(scope, d.span()),
            None => whole(),
        }
    }

    /// Walks `path`, then the policy `pointer` when the value is a JSON
    /// string, from `expr`.
    pub fn expr(
        &mut self,
        scope: Scope<'c>,
        expr: &'c Expression,
        path: &[String],
        pointer: Option<&[String]>,
    ) -> Option<Hit> {
        self.hops += 1;
        if self.hops > MAX_HOPS {
            return Self::inexact(scope, expr.span());
        }
        match (expr, path.split_first()) {
            (Expression::Parenthesis(p), _) => self.expr(scope, p.inner(), path, pointer),
            (Expression::Traversal(t), _) => self.traversal(scope, expr, t, path, pointer),
            (Expression::FuncCall(call), None) => {
                let arg = call.args.iter().next();
                match (call.name.name.as_str(), pointer, arg) {
                    ("jsonencode", Some(p), Some(arg))
                        if call.args.len() == 1 && !call.name.is_namespaced() =>
                    {
                        self.expr(scope, arg, p, None)
                    }
                    _ => Self::inexact(scope, expr.span()),
                }
            }
            (Expression::Object(object), Some((key, rest))) => {
                let value = object
                    .iter()
                    .find(|(k, _)| key_is(k, key))
                    .map(|(_, v)| v.expr());
                match value {
                    Some(v) => self.expr(scope, v, rest, pointer),
                    None => Self::inexact(scope, expr.span()),
                }
            }
            (Expression::Array(array), Some((index, rest))) => {
                let by_value = match (rest.is_empty(), pointer, &self.target.expected) {
                    (true, None, Some(want)) => array
                        .iter()
                        .find(|e| e.as_str().is_some_and(|s| same_value(s, want))),
                    _ => None,
                };
                let item = by_value.or_else(|| index.parse().ok().and_then(|i| array.get(i)));
                match item {
                    Some(item) => self.expr(scope, item, rest, pointer),
                    None => Self::inexact(scope, expr.span()),
                }
            }
            (Expression::String(s), None) => match pointer {
                Some(p) => {
                    let range = expr.span()?;
                    let content = range.start + 1..range.end.saturating_sub(1);
                    self.template(
                        scope,
                        content,
                        &hcl_edit::template::Template::default(),
                        Quoting::Quoted,
                        p,
                    )
                    .or_else(|| Self::inexact(scope, Some(range)))
                }
                None => match &self.target.expected {
                    Some(want) if !same_value(s.as_str(), want) => {
                        Self::inexact(scope, expr.span())
                    }
                    _ => Self::exact(scope, expr.span()),
                },
            },
            (Expression::StringTemplate(t), None) => match pointer {
                Some(p) => {
                    let range = expr.span()?;
                    let content = range.start + 1..range.end.saturating_sub(1);
                    self.template(scope, content, t, Quoting::Quoted, p)
                        .or_else(|| Self::inexact(scope, Some(range)))
                }
                None => Self::inexact(scope, expr.span()),
            },
            (Expression::HeredocTemplate(h), None) => {
                let range = expr.span()?;
                match pointer {
                    Some(p) => {
                        let content = heredoc_content(self.config, scope, range.clone());
                        content
                            .and_then(|c| self.template(scope, c, &h.template, Quoting::Heredoc, p))
                            .or_else(|| Self::inexact(scope, Some(range)))
                    }
                    None => Self::inexact(scope, Some(range)),
                }
            }
            (
                Expression::Number(_)
                | Expression::Bool(_)
                | Expression::Null(_)
                | Expression::Object(_)
                | Expression::Array(_),
                None,
            ) if pointer.is_none() => Self::exact(scope, expr.span()),
            _ => Self::inexact(scope, expr.span()),
        }
    }

    fn template(
        &mut self,
        scope: Scope<'c>,
        content: Range<usize>,
        template: &hcl_edit::template::Template,
        quoting: Quoting,
        pointer: &[String],
    ) -> Option<Hit> {
        let text = self.config.file(scope.file)?.source.text();
        let decoded = decode(text, content, template, quoting)?;
        let found = find(&decoded, pointer)?;
        Some(Hit {
            place: Place {
                file: scope.file,
                range: found.range,
            },
            exact: found.complete,
        })
    }

    /// `var.x...`, `local.x...` and `data.aws_iam_policy_document.x.json`;
    /// any other reference is where the walk ends.
    fn traversal(
        &mut self,
        scope: Scope<'c>,
        expr: &'c Expression,
        t: &'c Traversal,
        path: &[String],
        pointer: Option<&[String]>,
    ) -> Option<Hit> {
        let stop = || Self::inexact(scope, expr.span());
        let Some(root) = t.expr.as_variable().map(|v| v.as_str()) else {
            return stop();
        };
        let Some(steps) = t
            .operators
            .iter()
            .map(|op| step(op.value()))
            .collect::<Option<Vec<String>>>()
        else {
            return stop();
        };
        let Some((name, tail)) = steps.split_first() else {
            return stop();
        };
        let resolved: Option<(Scope<'c>, &'c Expression)> = match root {
            "var" => self
                .config
                .variable(scope.module, name)
                .map(|(module, file, e)| (Scope { module, file }, e)),
            "local" => self.config.local(scope.module, name).map(|(file, a)| {
                (
                    Scope {
                        module: scope.module,
                        file,
                    },
                    &a.value,
                )
            }),
            "data" if name == "aws_iam_policy_document" => {
                return self.policy_document_reference(scope, expr, tail, path, pointer);
            }
            _ => None,
        };
        let Some((inner_scope, value)) = resolved else {
            return stop();
        };
        // `local.policies.flow` continues with `flow` inside the local.
        let mut deeper: Vec<String> = tail.to_vec();
        deeper.extend_from_slice(path);
        let uses = self.uses.len();
        let hit = self.expr(inner_scope, value, &deeper, pointer);
        match hit {
            Some(h) if h.exact => {
                self.uses.insert(
                    uses,
                    Use {
                        place: Self::place(scope, expr.span())?,
                        name: format!("{root}.{name}"),
                    },
                );
                Some(h)
            }
            // The definition does not show the value (a variable set by
            // `-var`, an interpolation): the reference is the closest place.
            _ => {
                self.uses.truncate(uses);
                stop()
            }
        }
    }

    /// `data.aws_iam_policy_document.NAME[.KEY].json` holding a policy.
    fn policy_document_reference(
        &mut self,
        scope: Scope<'c>,
        expr: &'c Expression,
        tail: &[String],
        path: &[String],
        pointer: Option<&[String]>,
    ) -> Option<Hit> {
        let stop = || Self::inexact(scope, expr.span());
        let (Some(name), Some(attr)) = (tail.first(), tail.last()) else {
            return stop();
        };
        let keyed = tail.len() == 2
            || (tail.len() == 3 && tail.get(1).is_some_and(|k| k.parse::<usize>().is_ok()));
        if !keyed
            || !path.is_empty()
            || pointer.is_none()
            || !matches!(attr.as_str(), "json" | "minified_json")
        {
            return stop();
        }
        let Some((file, block)) =
            self.config
                .block(scope.module, "data", &["aws_iam_policy_document", name])
        else {
            return stop();
        };
        let inner = Scope {
            module: scope.module,
            file,
        };
        match policy_document::find(self, inner, block) {
            Some(h) => {
                self.uses.push(Use {
                    place: Self::place(scope, expr.span())?,
                    name: format!("data.aws_iam_policy_document.{name}"),
                });
                Some(h)
            }
            None => stop(),
        }
    }
}

/// A traversal step as a path segment: `.name`, `[0]`, `["key"]`.
fn step(op: &TraversalOperator) -> Option<String> {
    match op {
        TraversalOperator::GetAttr(ident) => Some(ident.as_str().to_string()),
        TraversalOperator::LegacyIndex(i) => Some(i.value().to_string()),
        TraversalOperator::Index(Expression::Number(n)) => Some(n.value().to_string()),
        TraversalOperator::Index(Expression::String(s)) => Some(s.value().clone()),
        _ => None,
    }
}

/// Whether an object key (`Statement`, `"Statement"`) is `want`.
fn key_is(key: &ObjectKey, want: &str) -> bool {
    match key {
        ObjectKey::Ident(i) => i.as_str() == want,
        ObjectKey::Expression(e) => e.as_str() == Some(want),
    }
}

/// `resource "type" "name"`: from the block's start to its `{`.
fn header(config: &Configuration, scope: Scope<'_>, block: &Block) -> Option<Range<usize>> {
    let range = block.span()?;
    let text = config.file(scope.file)?.source.text();
    let from_labels = block
        .labels
        .last()
        .and_then(|l| l.span())
        .map_or(range.start, |s| s.end);
    let brace = text.get(from_labels..range.end)?.find('{')?;
    Some(range.start..from_labels + brace + 1)
}

/// The lines of a heredoc, between its `<<EOF` line and its closing line.
fn heredoc_content(
    config: &Configuration,
    scope: Scope<'_>,
    range: Range<usize>,
) -> Option<Range<usize>> {
    let text = config.file(scope.file)?.source.text().get(range.clone())?;
    let start = text.find('\n')? + 1;
    let end = text.trim_end_matches([' ', '\t']).rfind('\n')?;
    (start <= end + 1).then(|| range.start + start..range.start + end.max(start))
}
