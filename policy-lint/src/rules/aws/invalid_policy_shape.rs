use std::sync::{LazyLock, OnceLock};

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::{Document, PolicyType};
use crate::json::Node;
use crate::registry::{Check, Context};

use super::policy::Policy;
use super::schema_subset::Subset;

declare_rule! {
    /// ## What it does
    /// Checks each policy document against a JSON Schema of its policy type
    /// (identity, trust, resource; embedded from `src/rules/aws/schemas/`)
    /// and reports elements of the wrong JSON type: `Action` as a number, a
    /// statement that is a string, a condition value that is an object, a
    /// principal type other than `AWS`, `Service`, `Federated` and
    /// `CanonicalUser`. It is a backstop: problems a dedicated rule reports
    /// (missing or unknown elements, `Version` and `Effect` values) are left
    /// to that rule, so one problem gives one finding.
    ///
    /// ## Why is this bad?
    /// IAM rejects the policy with `MalformedPolicyDocument`. Wrong types
    /// usually come from templating (`"Resource": 123456789012` from an
    /// unquoted variable) or from nesting a list one level too deep.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", ["s3:PutObject"]], "Resource": "*"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17",
    ///  "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `DATA_TYPE_MISMATCH` and
    ///   `INVALID_PRINCIPAL_KEY` (errors):
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [Grammar of the IAM JSON policy language](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    pub struct InvalidPolicyShape {
        code: "AWS105",
        name: "invalid-policy-shape",
        summary: "a policy element has the wrong JSON type",
        severity: Error,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"),
    }
}

/// A schema, its fast check and its validator.
pub(crate) struct Compiled {
    /// The fast check for valid policies, when the schema allows one.
    subset: Option<Subset>,
    schema: serde_json::Value,
    /// Built on first use: most runs never need it (every AWS managed
    /// policy takes the fast check), and building it (the schema checked
    /// against its meta-schema, then compiled) was two thirds of the
    /// instructions of linting one small policy.
    validator: OnceLock<Option<jsonschema::Validator>>,
}

impl Compiled {
    fn validator(&self) -> Option<&jsonschema::Validator> {
        self.validator
            .get_or_init(|| jsonschema::validator_for(&self.schema).ok())
            .as_ref()
    }
}

fn compile(text: &str) -> Option<Compiled> {
    let schema: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(Compiled {
        subset: Subset::compile(&schema),
        schema,
        validator: OnceLock::new(),
    })
}

static IDENTITY: LazyLock<Option<Compiled>> =
    LazyLock::new(|| compile(include_str!("schemas/identity.schema.json")));
static TRUST: LazyLock<Option<Compiled>> =
    LazyLock::new(|| compile(include_str!("schemas/trust.schema.json")));
static RESOURCE: LazyLock<Option<Compiled>> =
    LazyLock::new(|| compile(include_str!("schemas/resource.schema.json")));

fn compiled(ty: PolicyType) -> Option<&'static Compiled> {
    match ty {
        PolicyType::Identity | PolicyType::ServiceControl => IDENTITY.as_ref(),
        PolicyType::Trust => TRUST.as_ref(),
        PolicyType::Resource => RESOURCE.as_ref(),
    }
}

/// The compiled schema of a policy type.
#[cfg(test)]
fn validator(ty: PolicyType) -> Option<&'static jsonschema::Validator> {
    compiled(ty)?.validator()
}

/// One step of an instance path.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Check for InvalidPolicyShape {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        let Some(compiled) = compiled(policy.ty) else {
            return;
        };
        // Most policies are valid: tell so on the tree itself, without the
        // `serde_json` copy `jsonschema` needs.
        if compiled
            .subset
            .as_ref()
            .is_some_and(|s| s.certainly_valid(policy.node))
        {
            return;
        }
        let Some(validator) = compiled.validator() else {
            return;
        };
        let instance = shape(policy.node);
        if validator.is_valid(&instance) {
            return;
        }
        for error in validator.iter_errors(&instance) {
            let path: Vec<Seg> = error
                .instance_path()
                .iter()
                .map(|s| match s {
                    LocationSegment::Property(p) => Seg::Key(p.to_string()),
                    LocationSegment::Index(i) => Seg::Index(i),
                })
                .collect();
            let Some(node) = resolve(policy.node, &path) else {
                continue;
            };
            let what = describe(&path);
            match error.kind() {
                ValidationErrorKind::Type { .. } => {
                    if matches!(path.last(), Some(Seg::Key(k)) if k == "Version" || k == "Effect") {
                        continue; // AWS102 and AWS106 report these.
                    }
                    cx.report(
                        Diagnostic::new(
                            &Self::META,
                            doc.at(node),
                            format!(
                                "{what}{} is {}, expected {}",
                                policy.in_name(),
                                super::policy::a_type(node),
                                expected(&path)
                            ),
                        )
                        .with_help("fix the JSON type of this element (quote numbers, flatten nested lists)"),
                    );
                }
                ValidationErrorKind::AdditionalProperties { unexpected } if in_principal(&path) => {
                    for key in unexpected {
                        let mut d = Diagnostic::new(
                            &Self::META,
                            doc.at(node),
                            format!("{what}{} has the unknown principal type `{key}`", policy.in_name()),
                        )
                        .with_help("principal types are `AWS`, `Service`, `Federated` and `CanonicalUser` (case-sensitive)");
                        if let Some(m) = node.member(key) {
                            d = d.with_label(doc.at_span(m.key_span), "unknown principal type");
                        }
                        cx.report(d);
                    }
                }
                // Missing and unknown elements, Version and Effect values,
                // and element combinations have rules of their own.
                _ => {}
            }
        }
    }
}

/// The node at `path` under `root`.
/// The policy as a `serde_json::Value` with every string emptied but the
/// values of `Version` and `Effect`, which the schemas' enums check.
///
/// This rule reports only type errors and unknown principal types, which
/// depend on the types and keys of the document, never on string contents
/// (the schemas have no `pattern`, `const` or combinators; a test keeps it
/// so). Skipping the copy of every action and ARN halves the rule's cost on
/// large managed policies.
fn shape(node: Node<'_>) -> serde_json::Value {
    use crate::json::Value;
    match node.value() {
        Value::String(_) => serde_json::Value::String(String::new()),
        // Lists of actions and ARNs are most of a large policy.
        Value::Array(a) if a.iter().all(Node::is_string) => {
            serde_json::Value::Array(vec![serde_json::Value::String(String::new()); a.len()])
        }
        Value::Array(a) => serde_json::Value::Array(a.iter().map(shape).collect()),
        Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .map(|m| {
                    // Kept, so that a valid policy passes `is_valid` at once.
                    let value = match m.key {
                        "Version" | "Effect" => m.value.to_serde(),
                        _ => shape(m.value),
                    };
                    (m.key.to_string(), value)
                })
                .collect(),
        ),
        _ => node.to_serde(),
    }
}

fn resolve<'n>(root: Node<'n>, path: &[Seg]) -> Option<Node<'n>> {
    path.iter().try_fold(root, |node, seg| match seg {
        Seg::Key(k) => node.get(k),
        Seg::Index(i) => node.as_array()?.get(*i),
    })
}

/// Whether `path` is a Principal or NotPrincipal object of a statement.
fn in_principal(path: &[Seg]) -> bool {
    matches!(path.last(), Some(Seg::Key(k)) if k == "Principal" || k == "NotPrincipal")
}

/// Where the element is, in words: "`Action` of statement 0".
fn describe(path: &[Seg]) -> String {
    let mut statement = None;
    let mut rest: Vec<String> = Vec::new();
    let mut iter = path.iter().peekable();
    if let Some(Seg::Key(k)) = iter.peek()
        && k == "Statement"
    {
        iter.next();
        match iter.peek() {
            Some(Seg::Index(i)) => {
                statement = Some(*i);
                iter.next();
            }
            _ => statement = Some(0),
        }
    }
    for seg in iter {
        match seg {
            Seg::Key(k) => rest.push(format!("`{k}`")),
            Seg::Index(i) => {
                if let Some(last) = rest.pop() {
                    rest.push(format!("entry {i} of {last}"));
                }
            }
        }
    }
    rest.reverse();
    let inner = rest.join(" in ");
    match (statement, inner.is_empty()) {
        (Some(i), true) if path.len() > 1 => format!("statement {i}"),
        (Some(_), true) => "`Statement`".to_string(),
        (Some(i), false) => format!("{inner} of statement {i}"),
        (None, false) => inner,
        (None, true) => "the policy".to_string(),
    }
}

/// What the schema expects at `path`, in words.
fn expected(path: &[Seg]) -> &'static str {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let last_is_index = matches!(path.last(), Some(Seg::Index(_)));
    let in_condition = keys.iter().position(|k| *k == "Condition");
    match (keys.as_slice(), last_is_index) {
        (["Statement"], false) => "an object or an array of objects",
        (["Statement"], true) => "an object",
        ([], _) => "an object",
        _ => match in_condition {
            Some(at) => match keys.len() - at {
                1 => "an object mapping condition operators to keys",
                2 => "an object mapping condition keys to values",
                _ if last_is_index => "a string, number or boolean",
                _ => "a string, number or boolean, or an array of them",
            },
            None => match keys.last() {
                Some(&("Sid" | "Id")) => "a string",
                Some(&("Principal" | "NotPrincipal")) => {
                    "`\"*\"` or an object such as `{\"AWS\": ...}`"
                }
                _ if last_is_index => "a string",
                _ => "a string or an array of strings",
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_constrain_no_string_contents_beyond_enums() {
        // `shape` empties strings: sound only while no keyword this rule
        // reports on looks at string contents (enums are AWS102/AWS106's).
        for text in [
            include_str!("schemas/identity.schema.json"),
            include_str!("schemas/trust.schema.json"),
            include_str!("schemas/resource.schema.json"),
        ] {
            for keyword in [
                "pattern",
                "const",
                "anyOf",
                "oneOf",
                "allOf",
                "not",
                "if",
                "format",
                "minLength",
                "maxLength",
                "patternProperties",
                "propertyNames",
                "minItems",
                "maxItems",
                "uniqueItems",
                "contains",
            ] {
                assert!(!text.contains(&format!("\"{keyword}\"")), "{keyword}");
            }
        }
    }

    #[test]
    fn the_fast_check_never_calls_valid_what_the_schema_rejects() {
        // Every AWS policy of every fixture: "certainly valid" must imply
        // valid for `jsonschema`; most valid policies must take the fast path.
        let mut files = vec![std::path::PathBuf::from("../fixtures")];
        let (mut fast, mut valid) = (0, 0);
        while let Some(path) = files.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).expect("fixtures");
                files.extend(entries.map(|e| e.expect("entry").path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("fixture");
            let file = crate::documents::ParsedFile::parse(
                crate::source::FileId(0),
                &path.display().to_string(),
                &bytes,
                true,
                None,
            );
            for doc in file.documents() {
                let crate::documents::DocKind::AwsPolicy(ty) = doc.kind else {
                    continue;
                };
                let c = compiled(ty).expect("schema");
                let is_valid = c
                    .validator()
                    .expect("schema compiles")
                    .is_valid(&doc.node.to_serde());
                let certain = c.subset.as_ref().expect("subset").certainly_valid(doc.node);
                assert!(!certain || is_valid, "{}", path.display());
                valid += usize::from(is_valid);
                fast += usize::from(certain);
            }
        }
        assert!(valid > 100 && fast * 10 >= valid * 9, "{fast} of {valid}");
    }

    #[test]
    fn schemas_compile() {
        for ty in [
            PolicyType::Identity,
            PolicyType::Trust,
            PolicyType::Resource,
            PolicyType::ServiceControl,
        ] {
            assert!(validator(ty).is_some(), "{ty:?}");
            // The fast path for valid policies understands every keyword.
            assert!(compiled(ty).is_some_and(|c| c.subset.is_some()), "{ty:?}");
        }
    }

    #[test]
    fn descriptions() {
        let p = vec![
            Seg::Key("Statement".into()),
            Seg::Index(2),
            Seg::Key("Action".into()),
            Seg::Index(1),
        ];
        assert_eq!(describe(&p), "entry 1 of `Action` of statement 2");
        assert_eq!(expected(&p), "a string");
        let p = vec![
            Seg::Key("Statement".into()),
            Seg::Key("Condition".into()),
            Seg::Key("Bool".into()),
        ];
        assert_eq!(describe(&p), "`Bool` in `Condition` of statement 0");
        assert_eq!(expected(&p), "an object mapping condition keys to values");
        let p = vec![Seg::Key("Statement".into()), Seg::Index(1)];
        assert_eq!(describe(&p), "statement 1");
        assert_eq!(expected(&p), "an object");
    }
}
