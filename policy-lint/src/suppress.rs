//! Suppressions and fingerprints: what lets a team accept a finding on
//! purpose, by logical location rather than by line.
//!
//! Plain JSON has no comments, so a finding is suppressed from the
//! configuration by rule, file glob and an optional location: a JSON Pointer
//! (`/Statement/1`), a Terraform address or other logical name
//! (`module.ci.aws_iam_role.runner`), or a statement `Sid`. Matching is
//! generic: it reads the diagnostic's pointer, its logical location and the
//! file's tree, never anything a particular rule knows.

use crate::diagnostic::Diagnostic;
use crate::documents::ParsedFile;
use crate::hash::HashMap;
use crate::json::{Child, Node, Value};
use crate::registry::Selector;
use crate::source::Span;

/// A glob over file paths (`iam/**/*.json`), matched against the path as
/// given and against each of its trailing parts, so `iam/*.json` matches
/// `./iam/a.json` and `/home/me/repo/iam/a.json` alike. `*` stays inside one
/// directory; `**` crosses directories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathGlob {
    pattern: glob::Pattern,
}

impl PathGlob {
    /// Compiles a glob pattern.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let pattern = pattern.trim_start_matches("./");
        glob::Pattern::new(pattern)
            .map(|pattern| Self { pattern })
            .map_err(|e| format!("invalid glob pattern: {}", e.msg))
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        self.pattern.as_str()
    }

    /// Whether `path` (or one of its trailing parts) matches.
    pub fn matches(&self, path: &str) -> bool {
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        let path = normalize_path(path);
        if self.pattern.matches_with(&path, options) {
            return true;
        }
        path.match_indices('/').any(|(i, _)| {
            self.pattern
                .matches_with(path.get(i + 1..).unwrap_or(""), options)
        })
    }
}

/// A path with `\` turned into `/` and a leading `./` removed, as compared
/// by globs and stored in baselines.
pub fn normalize_path(path: &str) -> String {
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    p
}

/// One accepted finding (a `[[suppress]]` entry of the configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The rules it applies to (code, prefix or name).
    pub rule: Selector,
    /// The files it applies to.
    pub path: PathGlob,
    /// Where in those files: a JSON Pointer (starts with `/`), a logical
    /// location such as a Terraform address or role name, or a statement
    /// `Sid`. `None`: anywhere in the file.
    pub location: Option<String>,
    /// Why the finding is accepted (required, shown nowhere but the config).
    pub reason: String,
}

impl Suppression {
    /// Whether this suppression covers `diagnostic`, found in `file`.
    pub fn matches(&self, diagnostic: &Diagnostic, file: &ParsedFile) -> bool {
        if !self.rule.matches(diagnostic.rule) || !self.path.matches(file.source.name()) {
            return false;
        }
        let Some(location) = self.location.as_deref() else {
            return true;
        };
        if location.is_empty() || location.starts_with('/') {
            return pointer_within(&diagnostic.path, location);
        }
        logical_within(&diagnostic.logical, location)
            || diagnostic
                .terraform
                .as_ref()
                .is_some_and(|t| logical_within(&t.address, location))
            || in_statement_with_sid(file, diagnostic.primary.span, location)
    }
}

/// Whether `pointer` is `prefix` or lies inside it (`/a/b` is inside `/a`;
/// `/a#/b` is inside `/a`).
fn pointer_within(pointer: &str, prefix: &str) -> bool {
    match pointer.strip_prefix(prefix) {
        Some(rest) => prefix.is_empty() || rest.is_empty() || rest.starts_with(['/', '#']),
        None => false,
    }
}

/// Whether `logical` names `address` or something inside it
/// (`module.a.aws_iam_role.r["x"]` is inside `module.a` and `module.a.aws_iam_role.r`).
fn logical_within(logical: &str, address: &str) -> bool {
    !logical.is_empty()
        && logical
            .strip_prefix(address)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[', '/', '#']))
}

/// Whether `span` lies inside an object (a statement) whose `Sid` is `sid`,
/// in the file's tree or in any document embedded in it.
fn in_statement_with_sid(file: &ParsedFile, span: Span, sid: &str) -> bool {
    let embedded = file.embedded_holding(span);
    let trees = file
        .root()
        .into_iter()
        .chain(embedded.iter().map(|e| e.root()));
    for tree in trees {
        let mut found = false;
        walk_towards(tree, span, &mut |node| {
            found |= node.get_str("Sid") == Some(sid);
        });
        if found {
            return true;
        }
    }
    false
}

/// Calls `visit` on every node of `root` whose span contains `target`,
/// outermost first.
fn walk_towards<'a>(root: Node<'a>, target: Span, visit: &mut impl FnMut(Node<'a>)) {
    let mut node = root;
    while node.span().contains(target) {
        visit(node);
        match node.child_containing(target) {
            Some(child) => node = child.node(),
            None => return,
        }
    }
}

/// FNV-1a, 64 bits: small, stable across platforms and versions.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    /// A field, terminated so that `("ab", "c")` and `("a", "bc")` differ.
    fn field(&mut self, s: &str) {
        self.bytes(s.as_bytes());
        self.bytes(&[0xff]);
    }
}

/// The most nodes of one token hashed (a whole 10 MB plan is not hashed).
const MAX_HASHED_NODES: usize = 4096;

/// Hashes what a token *says*, not how it is written: a scalar's decoded
/// value, an object's keys, an array's length.
fn hash_token(node: Node<'_>, h: &mut Fnv) {
    match node.value() {
        Value::Null => h.field("null"),
        Value::Bool(b) => h.field(if b { "true" } else { "false" }),
        Value::Number(n) => h.field(n),
        Value::String(s) => {
            h.field("s");
            h.field(s);
        }
        Value::Array(items) => {
            h.field("a");
            h.field(&items.len().to_string());
        }
        Value::Object(members) => {
            h.field("o");
            for m in members.iter().take(MAX_HASHED_NODES) {
                h.field(m.key);
            }
        }
    }
}

/// The node or key whose span is exactly `span`, in the innermost tree
/// holding it, hashed; `false` when there is none.
fn hash_token_at(file: &ParsedFile, span: Span, h: &mut Fnv) -> bool {
    let tree = file
        .embedded_holding(span)
        .into_iter()
        .rev()
        .find(|e| e.root().span().contains(span))
        .map(|e| &e.tree)
        .or(file.tree.as_ref());
    let Some(tree) = tree else { return false };
    if let Some(k) = tree.find_key(span) {
        h.field("k");
        h.field(k);
        true
    } else if let Some(node) = tree.find(span) {
        hash_token(node, h);
        true
    } else {
        false
    }
}

/// Members that name an element of an array (a statement's `Sid`, a plan
/// resource's `address`, a role's name), so that a fingerprint does not
/// change when an element is inserted before it.
const IDENTITY_KEYS: &[&str] = &[
    "Sid",
    "address",
    "RoleName",
    "PolicyName",
    "UserName",
    "GroupName",
    "Arn",
    "selfLink",
    "name",
    "role",
    "email",
    "id",
];

/// What fingerprints look up more than once: the identity member of each
/// array element on a finding's path. Finding it searches all the element's
/// members, so without the memo every finding inside one statement of
/// 100,000 keys searched the statement again.
#[derive(Default)]
pub(crate) struct Fingerprints<'t> {
    identities: HashMap<(usize, u32), Option<(&'static str, &'t str)>>,
}

impl<'t> Fingerprints<'t> {
    /// The first identity member of `item` (a `Sid`, an `address`, ...).
    fn identity(&mut self, item: Node<'t>) -> Option<(&'static str, &'t str)> {
        let key = (std::ptr::from_ref(item.tree()) as usize, item.index());
        *self.identities.entry(key).or_insert_with(|| {
            if !item.is_object() {
                return None;
            }
            IDENTITY_KEYS
                .iter()
                .find_map(|k| item.get_str(k).map(|v| (*k, v)))
        })
    }

    /// The fingerprint of `diagnostic` in `file`, named `name` (relative to
    /// the project root, see [`crate::project`]): 16 hex digits from the
    /// rule, the file's name, the path to the token (its JSON Pointer, with
    /// array elements named by `Sid`, `address`, ... where they have one),
    /// the logical location and the primary token's decoded value.
    /// Reformatting the file, moving lines or inserting a statement before
    /// it leaves it unchanged.
    pub(crate) fn fingerprint(
        &mut self,
        diagnostic: &Diagnostic,
        file: &'t ParsedFile,
        name: &str,
    ) -> String {
        let mut h = Fnv::new();
        h.field("policy-lint/v1");
        h.field(diagnostic.code());
        h.field(name);
        h.field(&self.stable_path(file, diagnostic.primary.span));
        h.field(&diagnostic.logical);
        if !hash_token_at(file, diagnostic.primary.span, &mut h) {
            // No tree (the file is not JSON): the raw text of the token.
            h.field(file.source.slice(diagnostic.primary.span).trim());
        }
        format!("{:016x}", h.0)
    }

    /// The path to `span` like its JSON Pointer, but with each array element
    /// that has an identity member written `[Key=value]` instead of its
    /// index; embedded documents are joined with `#`, outermost first.
    fn stable_path(&mut self, file: &'t ParsedFile, span: Span) -> String {
        let embedded = file
            .embedded_holding(span)
            .into_iter()
            .map(|e| e.root())
            .filter(|root| root.span().contains(span));
        let mut out = String::new();
        for (i, tree) in file.root().into_iter().chain(embedded).enumerate() {
            if i > 0 {
                out.push('#');
            }
            let mut node = tree;
            loop {
                match node.child_containing(span) {
                    Some(Child::Member(m)) => {
                        crate::json::push_pointer_segment(&mut out, m.key);
                        if m.key_span == span || m.value.span() == span {
                            break;
                        }
                        node = m.value;
                    }
                    Some(Child::Element(idx, item)) => {
                        match self.identity(item) {
                            Some((k, v)) => {
                                out.push_str("/[");
                                out.push_str(k);
                                out.push('=');
                                out.push_str(v);
                                out.push(']');
                            }
                            None => {
                                out.push('/');
                                out.push_str(&idx.to_string());
                            }
                        }
                        if item.span() == span {
                            break;
                        }
                        node = item;
                    }
                    None => break,
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_trailing_parts_and_keep_star_inside_a_directory() {
        let g = PathGlob::new("iam/*.json").expect("glob");
        assert!(g.matches("iam/a.json"));
        assert!(g.matches("./iam/a.json"));
        assert!(g.matches("/repo/iam/a.json"));
        assert!(!g.matches("iam/sub/a.json"));
        assert!(!g.matches("xiam/a.json"));
        let g = PathGlob::new("**/*.json").expect("glob");
        assert!(g.matches("a/b/c.json"));
    }

    #[test]
    fn stable_paths_name_array_elements_by_identity() {
        let text = r#"{"Statement": [{"Sid": "A", "Effect": "Allow"}, {"Effect": "Deny"}], "s": "{\"x\": [1, {\"name\": \"n\", \"y\": 2}]}"}"#;
        let file = ParsedFile::parse(
            crate::source::FileId(0),
            "f.json",
            text.as_bytes(),
            true,
            None,
        );
        let at = |needle: &str| {
            let start = text.find(needle).expect("needle") as u32;
            Span::new(start, start + needle.len() as u32)
        };
        assert_eq!(
            Fingerprints::default().stable_path(&file, at("\"Allow\"")),
            "/Statement/[Sid=A]/Effect"
        );
        assert_eq!(
            Fingerprints::default().stable_path(&file, at("\"Deny\"")),
            "/Statement/1/Effect"
        );
        assert_eq!(
            Fingerprints::default().stable_path(&file, at("\"Statement\"")),
            "/Statement"
        );
    }

    #[test]
    fn pointers_and_addresses_match_what_lies_inside() {
        assert!(pointer_within("/Statement/1/Principal", "/Statement/1"));
        assert!(pointer_within("/Statement/1", "/Statement/1"));
        assert!(!pointer_within("/Statement/10", "/Statement/1"));
        assert!(pointer_within("/a#/Statement/0", "/a"));
        assert!(logical_within(
            "module.ci.aws_iam_role.runner[\"x\"]",
            "module.ci.aws_iam_role.runner"
        ));
        assert!(logical_within("module.ci.aws_iam_role.runner", "module.ci"));
        assert!(!logical_within("module.cix.aws_iam_role.r", "module.ci"));
        assert!(!logical_within("", "module.ci"));
    }
}
