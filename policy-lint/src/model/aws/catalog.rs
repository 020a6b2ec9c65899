//! Embedded AWS reference data: the service-integration catalogue, the AWS
//! managed policies it names, and the known service principals
//! (`rules/*.json`, provenance in `rules/README.md`). Each table is parsed
//! once per process. The service principals and their did-you-mean live in
//! [`super::principals`], re-exported here.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::diagnostic::Location;
use crate::documents::ParsedFile;
use crate::json::{self, Node};
use crate::source::FileId;

pub use super::principals::{
    Confidence, SERVICE_PRINCIPALS, bounded_edit_distance, edit_distance, is_known_principal,
    nearest_principal,
};

/// How a role reaches the service.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Usage {
    /// Prose.
    #[serde(default)]
    pub description: String,
    /// `Operation.Parameter` names in the AWS API.
    #[serde(default)]
    pub api_parameters: Vec<String>,
    /// `resource_type.attribute` names in Terraform.
    #[serde(default)]
    pub terraform_attributes: Vec<String>,
    /// `AWS::Type.Property` names in CloudFormation.
    #[serde(default)]
    pub cloudformation_properties: Vec<String>,
    /// When a Terraform resource of `terraform_attributes` uses the role:
    /// every condition on its resource type must hold (RDS monitoring only
    /// with `monitoring_interval` above 0).
    #[serde(default)]
    pub terraform_when: Vec<TerraformCondition>,
    /// Request variables read from the resource that uses the role (the
    /// bucket a Firehose stream writes to).
    #[serde(default)]
    pub terraform_facts: Vec<TerraformFact>,
    /// Where AWS CLI output names the role (`describe-trails`).
    #[serde(default)]
    pub cli_outputs: Vec<CliOutput>,
}

/// Where the output of an AWS CLI command names the role a service uses.
/// Paths are keys joined by `.`, `name[]` for every element of an array
/// (see [`crate::documents::cli_output`]).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CliOutput {
    /// The command (`aws cloudtrail describe-trails`).
    pub command: String,
    /// The top-level keys that identify its output (`trailList`).
    pub keys: Vec<String>,
    /// How messages name what uses the role (`trail`).
    pub noun: String,
    /// The path of the role ARN (`trailList[].CloudWatchLogsRoleArn`).
    pub role_arn: String,
    /// The path of the user's name (`trailList[].Name`); its `[]`s take
    /// the role's indices.
    #[serde(default)]
    pub name: Option<String>,
    /// Conditions on fields beside the role, all of which must hold for
    /// the service to use it (RDS: a monitoring interval above 0).
    #[serde(default)]
    pub when: Vec<CliCondition>,
}

/// A field of CLI output and the values under which the role is used.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CliCondition {
    /// The field's path; its `[]`s take the role's indices.
    pub path: String,
    /// The values; `null` stands for an absent field.
    #[serde(rename = "in")]
    pub values: Vec<serde_json::Value>,
}

/// A test on an attribute of the Terraform resource that uses a role.
#[derive(Debug, Clone, Deserialize)]
pub struct TerraformCondition {
    /// `type.path` (`aws_db_instance.monitoring_interval`; `[]` for every
    /// block of a nested block list, where any block may pass).
    pub attribute: String,
    /// What the value must be.
    pub test: ConditionTest,
    /// The operands of `in`, `not_in`, `like` and `not_like` (globs with `*`).
    #[serde(default)]
    pub values: Vec<String>,
    /// The operand of `greater_than`.
    #[serde(default)]
    pub value: Option<f64>,
    /// Whether the condition holds when the attribute is absent or null
    /// (the provider's default passes it).
    #[serde(default)]
    pub if_absent: bool,
}

/// The test of a [`TerraformCondition`]; scalars compare as text
/// (`true`, `60`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionTest {
    /// A non-empty string, list or object.
    NotEmpty,
    /// A number above `value`.
    GreaterThan,
    /// One of `values`.
    In,
    /// None of `values`.
    NotIn,
    /// Matches one of the globs `values`.
    Like,
    /// Matches none of the globs `values`.
    NotLike,
}

/// Request variables taken from an attribute of the resource that uses a
/// role: the first pattern its value matches binds each `${Variable}`.
#[derive(Debug, Clone, Deserialize)]
pub struct TerraformFact {
    /// `type.path`, as in [`TerraformCondition::attribute`].
    pub attribute: String,
    /// `arn:${Partition}:s3:::${BucketName}`.
    pub patterns: Vec<String>,
}

/// A condition key's value in a request template: a value or values
/// (`${Variable}` templates), or present with a value the inputs cannot give.
/// Absent keys are `null` in the file (`None` in [`ContextSpec`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ContextSpecValue {
    /// One value.
    One(String),
    /// Several values (a multivalued key).
    Many(Vec<String>),
    /// Present; the value is not known (`{"unknown": "the time of the call"}`).
    Unknown {
        /// What the value is.
        unknown: String,
    },
}

/// Condition keys of a request and what the catalogue says of each
/// (`None`: the key is absent). Keys not listed are unknown.
pub type ContextSpec = std::collections::BTreeMap<String, Option<ContextSpecValue>>;

/// What IAM authorizes for one action the service needs.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionRequest {
    /// The resource ARN templates (`arn:${Partition}:logs:...`), each
    /// authorized on its own; `*` for an action without resource type.
    pub resources: Vec<String>,
    /// Keys this action adds to the entry's context.
    #[serde(default)]
    pub context: ContextSpec,
}

/// The requests a service makes with the role (see
/// [`crate::eval::service`]): resource templates per action and the context
/// keys the service sends.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestSpec {
    /// Entry-specific `${Variable}` names and what they stand for (the
    /// standard ones are [`Catalogue::request_variables`]).
    #[serde(default)]
    pub variables: std::collections::BTreeMap<String, String>,
    /// Per required action.
    #[serde(default)]
    pub actions: std::collections::BTreeMap<String, ActionRequest>,
    /// Keys added to the catalogue's role-session context.
    #[serde(default)]
    pub context: ContextSpec,
    /// Keys added to the catalogue's service-principal context for the
    /// trust actions (`aws:SourceAccount`, `aws:SourceArn`).
    #[serde(default)]
    pub trust_context: ContextSpec,
}

/// The request contexts shared by every entry.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RequestContexts {
    /// Calls a service makes with the role's session.
    #[serde(default)]
    pub role_session: ContextSpec,
    /// `sts:AssumeRole` by a service principal.
    #[serde(default)]
    pub service_principal: ContextSpec,
}

/// One catalogue entry: what a service needs from the role it uses.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogEntry {
    /// Stable id (`vpc-flow-logs-to-cloudwatch-logs`).
    pub id: String,
    /// The principal that assumes the role (`vpc-flow-logs.amazonaws.com`).
    pub service_principal: String,
    /// Prose.
    #[serde(default)]
    pub description: String,
    /// How the role is passed to the service.
    #[serde(default)]
    pub usage: Usage,
    /// The actions the trust policy must allow the principal.
    #[serde(default)]
    pub trust_actions: Vec<String>,
    /// The actions the role's permissions must allow.
    #[serde(default)]
    pub required_actions: Vec<String>,
    /// The required actions whose absence is only a warning.
    #[serde(default)]
    pub warning_only_actions: Vec<String>,
    /// Whether the service sends `aws:SourceAccount` / `aws:SourceArn`.
    #[serde(default)]
    pub source_condition_keys_supported: bool,
    /// Whether AWS recommends conditioning the trust on them.
    #[serde(default)]
    pub source_condition_keys_recommended: bool,
    /// The documented condition block.
    #[serde(default)]
    pub source_condition_example: Option<serde_json::Value>,
    /// The statement to use instead of a broad managed policy.
    #[serde(default)]
    pub least_privilege_statement: Option<serde_json::Value>,
    /// AWS managed policies that grant the required actions and far more.
    #[serde(default)]
    pub broad_managed_policies: Vec<String>,
    /// The AWS page stating these facts.
    #[serde(default)]
    pub docs_url: String,
    /// The requests the service makes with the role; an action without
    /// one is asked on a resource whose every part is unknown.
    #[serde(default)]
    pub request: RequestSpec,
    /// Remarks.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Whether a role that trusts this entry's principal, and no other
    /// catalogued one, is taken to be used by it when no input shows its
    /// use; `false` where the principal uses roles for other ends too.
    #[serde(default = "yes")]
    pub infer_from_trust: bool,
}

fn yes() -> bool {
    true
}

impl CatalogEntry {
    /// Whether a missing `action` is only a warning.
    pub fn is_warning_only(&self, action: &str) -> bool {
        self.warning_only_actions
            .iter()
            .any(|a| a.eq_ignore_ascii_case(action))
    }

    /// The least-privilege statement as pretty JSON, for help texts.
    pub fn least_privilege_json(&self) -> Option<String> {
        let s = self.least_privilege_statement.as_ref()?;
        serde_json::to_string_pretty(s).ok()
    }
}

/// Separates the hops of a Terraform attribute that reaches the role
/// through another resource
/// (`aws_lambda_event_source_mapping.function_name->aws_lambda_function.role`).
pub const VIA: &str = "->";

/// The catalogue file's shape.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Catalogue {
    /// Every entry.
    pub entries: Vec<CatalogEntry>,
    /// Principals that send no source conditions (AWS004 skips them).
    #[serde(default)]
    pub no_source_condition_principals: Vec<String>,
    /// The request contexts every entry starts from.
    #[serde(default)]
    pub request_contexts: RequestContexts,
    /// The standard `${Variable}` names of request templates.
    #[serde(default)]
    pub request_variables: std::collections::BTreeMap<String, String>,
}

impl Catalogue {
    /// Parses catalogue entries from JSON text of the `--catalog` file shape:
    /// `{"entries": [...], "no_source_condition_principals": [...]}` (the
    /// second key optional), each entry shaped like those of
    /// `rules/service-catalogue.json` and checked against its JSON Schema.
    ///
    /// Unlike a `--catalog` file, whose bad entries become AWS007 findings,
    /// this is strict: any problem rejects the whole text. Add the result to
    /// a run with [`crate::Options::added_catalog`] (or
    /// [`crate::Options::add_catalog_json`]).
    ///
    /// ```
    /// use policy_lint::model::aws::Catalogue;
    ///
    /// let catalogue = Catalogue::from_json(
    ///     r#"{"entries": [], "no_source_condition_principals": ["monitoring.rds.amazonaws.com"]}"#,
    /// ).unwrap();
    /// assert_eq!(catalogue.no_source_condition_principals.len(), 1);
    ///
    /// // A bad entry: each problem with its line and column.
    /// let err = Catalogue::from_json(r#"{"entries": [{"id": "x"}]}"#).unwrap_err();
    /// assert!(err.problems[0].starts_with("1:14: "), "{err}");
    /// // Not JSON at all.
    /// assert!(Catalogue::from_json("{").is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Catalogue, CatalogueError> {
        let source = crate::source::SourceFile::new("catalogue", text);
        let at = |offset: u32| {
            let lc = source.line_col(offset);
            format!("{}:{}", lc.line, lc.column)
        };
        let root = json::parse(text).map_err(|e| CatalogueError {
            problems: vec![format!("{}: {}", at(e.span.start), e.message)],
        })?;
        let mut user = UserCatalogue::default();
        read_catalogue_tree(root.root(), FileId(0), &mut user);
        if !user.errors.is_empty() {
            return Err(CatalogueError {
                problems: user
                    .errors
                    .iter()
                    .map(|(l, m)| format!("{}: {m}", at(l.span.start)))
                    .collect(),
            });
        }
        Ok(Catalogue {
            entries: user.entries,
            no_source_condition_principals: user.no_source_condition_principals,
            ..Catalogue::default()
        })
    }

    /// Adds `other`'s entries, each replacing an entry with the same id,
    /// and its principals without source conditions.
    pub fn extend(&mut self, other: Catalogue) {
        for e in other.entries {
            self.entries.retain(|b| b.id != e.id);
            self.entries.push(e);
        }
        for p in other.no_source_condition_principals {
            if !self.no_source_condition_principals.contains(&p) {
                self.no_source_condition_principals.push(p);
            }
        }
    }
}

/// Why [`Catalogue::from_json`] rejected a text: every problem, each as
/// `line:column: message` (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid catalogue: {}", problems.join("; "))]
pub struct CatalogueError {
    /// `line:column: message`, in document order.
    pub problems: Vec<String>,
}

/// The built-in catalogue (`rules/service-catalogue.json`).
pub static BUILTIN_CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../rules/service-catalogue.json")).unwrap_or_default()
});

/// An AWS managed policy embedded from `rules/managed-policies.json`.
#[derive(Debug)]
pub struct BuiltinPolicy {
    /// `arn:aws:iam::aws:policy/NAME`.
    pub arn: String,
    /// The policy name.
    pub name: String,
    /// The default version id.
    pub version_id: String,
    /// The document, as a spanned tree of its own (its spans point into no input).
    pub document: json::Tree,
}

#[derive(Deserialize)]
struct ManagedFile {
    policies: Vec<ManagedEntry>,
}

#[derive(Deserialize)]
struct ManagedEntry {
    arn: String,
    name: String,
    #[serde(default)]
    version_id: String,
    document: serde_json::Value,
}

/// The embedded AWS managed policies.
pub static BUILTIN_POLICIES: LazyLock<Vec<BuiltinPolicy>> = LazyLock::new(|| {
    let file: ManagedFile =
        match serde_json::from_str(include_str!("../../../rules/managed-policies.json")) {
            Ok(f) => f,
            Err(_) => return Vec::new(),
        };
    file.policies
        .into_iter()
        .filter_map(|p| {
            let text = serde_json::to_string(&p.document).ok()?;
            Some(BuiltinPolicy {
                arn: p.arn,
                name: p.name,
                version_id: p.version_id,
                document: json::parse(&text).ok()?,
            })
        })
        .collect()
});

/// The embedded copy of the AWS managed policy `arn`, if any.
pub fn builtin_policy(arn: &str) -> Option<&'static BuiltinPolicy> {
    BUILTIN_POLICIES.iter().find(|p| p.arn == arn)
}

/// The JSON Schema of one catalogue entry, compiled once.
static ENTRY_SCHEMA: LazyLock<Option<jsonschema::Validator>> = LazyLock::new(|| {
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../../rules/schemas/service-catalogue.schema.json"
    ))
    .ok()?;
    let entry = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": schema.get("$defs")?,
        "$ref": "#/$defs/entry",
    });
    jsonschema::validator_for(&entry).ok()
});

/// What a `--catalog FILE` gave: valid entries, and where the others are wrong.
#[derive(Debug, Default)]
pub struct UserCatalogue {
    /// Entries that passed the schema.
    pub entries: Vec<CatalogEntry>,
    /// More principals that send no source conditions.
    pub no_source_condition_principals: Vec<String>,
    /// Schema violations: where and what.
    pub errors: Vec<(Location, String)>,
}

/// Reads a `--catalog` file: `{"entries": [...]}` (the shape of
/// `rules/service-catalogue.json`; `no_source_condition_principals` optional).
/// Each entry is checked against the catalogue's JSON Schema; a bad entry is
/// skipped and reported at the offending value.
pub fn read_user_catalogue(file: &ParsedFile, out: &mut UserCatalogue) {
    if let Some(root) = file.root() {
        read_catalogue_tree(root, file.id, out);
    }
}

/// [`read_user_catalogue`] on a parsed tree; locations point into `file`.
fn read_catalogue_tree(root: Node<'_>, file: FileId, out: &mut UserCatalogue) {
    let at = |n: Node<'_>| Location::new(file, n.span());
    let Some(entries) = root.get("entries").and_then(Node::as_array) else {
        out.errors.push((
            at(root),
            "a catalogue file must be an object with an `entries` array".to_string(),
        ));
        return;
    };
    for p in root
        .get("no_source_condition_principals")
        .map(Node::one_or_many)
        .unwrap_or_default()
    {
        if let Some(s) = p.as_str() {
            out.no_source_condition_principals.push(s.to_string());
        }
    }
    for entry in entries {
        let value = entry.to_serde();
        let mut bad = false;
        if let Some(validator) = ENTRY_SCHEMA.as_ref() {
            for e in validator.iter_errors(&value) {
                bad = true;
                let pointer = e.instance_path().as_str().to_string();
                let node = resolve_pointer(entry, &pointer).unwrap_or(entry);
                let id = entry.get_str("id").unwrap_or("?");
                out.errors
                    .push((at(node), format!("catalogue entry `{id}`: {e}")));
            }
        }
        if bad {
            continue;
        }
        match serde_json::from_value::<CatalogEntry>(value) {
            Ok(e) => out.entries.push(e),
            Err(e) => out
                .errors
                .push((at(entry), format!("catalogue entry is not valid: {e}"))),
        }
    }
}

/// The node at JSON Pointer `pointer` below `node`.
fn resolve_pointer<'n>(node: Node<'n>, pointer: &str) -> Option<Node<'n>> {
    let mut cur = node;
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        cur = match cur.as_array() {
            Some(items) => items.get(seg.parse::<usize>().ok()?)?,
            None => cur.get(&seg)?,
        };
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_load() {
        assert!(
            BUILTIN_CATALOGUE
                .entries
                .iter()
                .any(|e| e.id == "vpc-flow-logs-to-cloudwatch-logs")
        );
        assert!(builtin_policy("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess").is_some());
        assert!(is_known_principal("vpc-flow-logs.amazonaws.com"));
        assert!(is_known_principal("logs.eu-west-1.amazonaws.com"));
        assert!(is_known_principal("ec2.amazonaws.com.cn"));
        assert!(!is_known_principal("vpc-flow-log.amazonaws.com"));
        assert!(is_known_principal(
            "member.org.stacksets.cloudformation.amazonaws.com"
        ));
        assert!(ENTRY_SCHEMA.is_some());
    }

    #[test]
    fn catalogue_from_json_extends_and_replaces_by_id() {
        let text = include_str!("../../../rules/service-catalogue.json");
        let all = Catalogue::from_json(text).expect("the built-in catalogue passes its schema");
        let mut c = Catalogue::default();
        c.extend(all.clone());
        c.extend(all.clone());
        assert_eq!(c.entries.len(), all.entries.len());
        assert_eq!(
            c.no_source_condition_principals.len(),
            all.no_source_condition_principals.len()
        );
        let err = Catalogue::from_json("{\n  \"entries\": 3\n}").expect_err("not an array");
        assert_eq!(
            err.problems,
            ["1:1: a catalogue file must be an object with an `entries` array"]
        );
    }
}
