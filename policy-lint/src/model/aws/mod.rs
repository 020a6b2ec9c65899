//! The AWS side of the linked model: roles, their policies, boundaries,
//! SCPs and the flow logs that use them, across every file of a run.
//!
//! Input is reduced to plain *facts* ([`Role`], [`ManagedPolicy`],
//! [`RolePolicy`], [`FlowLog`], [`Scp`], [`RawDocument`]) by one extractor
//! per input family: [`cli`] reads AWS CLI output and raw policy files; a
//! Terraform extractor fills the same [`Facts`]. [`AwsModel::link`] then
//! merges the facts: flow logs find their role by ARN (paths included),
//! roles find their inline policies by role name, their attached policies
//! and boundary by ARN, and managed policies no input gives are taken from
//! the embedded copies when the catalogue names them (see `link.rs`, which
//! also says how a Terraform plan is a [`Scope`] of its own).

pub mod actions;
pub mod catalog;
pub mod cli;
pub mod cli_uses;
mod definitions;
mod index;
mod link;
mod meaning;
pub mod org;
pub mod principals;
pub mod reference;
pub mod terraform;
pub mod trust;

use crate::diagnostic::Location;
use crate::documents::ParsedFile;
use crate::documents::aws_policy::Policy;
use crate::documents::terraform::{TerraformView, views_of};
use crate::json::Node;
use crate::model::Linking;
use crate::source::FileId;
pub use catalog::{CatalogEntry, Catalogue, CatalogueError};
pub use definitions::Conflict;
use link::merge_into;
use std::collections::BTreeMap;

/// Where a fact links: the Terraform plan or state it comes from, or
/// `None` for the inputs that are not plans (see the module docs).
pub type Scope = Option<FileId>;

/// A policy document and where it is.
#[derive(Debug, Clone)]
pub struct PolicyDoc<'a> {
    /// The document's root object.
    pub node: Node<'a>,
    /// The file holding it; `None` for an embedded copy of an AWS managed policy.
    pub file: Option<FileId>,
    /// A name for messages (policy name, ARN, or file name).
    pub name: String,
}

impl<'a> PolicyDoc<'a> {
    /// The typed view.
    pub fn policy(&self) -> Policy<'a> {
        Policy::new(self.node)
    }

    /// Where `node` (a node of this document) is, when it is in an input.
    pub fn at(&self, node: Node<'_>) -> Option<Location> {
        self.file.map(|f| Location::new(f, node.span()))
    }
}

/// A reference to a policy by ARN (an attachment or a boundary).
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The policy ARN.
    pub arn: String,
    /// Where the ARN is written.
    pub location: Option<Location>,
}

impl Attachment {
    /// The policy name: the ARN's last path segment.
    pub fn name(&self) -> &str {
        arn_name(&self.arn)
    }
}

/// An IAM role.
#[derive(Debug, Clone, Default)]
pub struct Role<'a> {
    /// `RoleName`.
    pub name: String,
    /// `Arn`, path included (`arn:aws:iam::123:role/service/path/name`).
    pub arn: Option<String>,
    /// `Path` (`/` by default).
    pub path: String,
    /// The role object in its input.
    pub location: Option<Location>,
    /// The trust policy (`AssumeRolePolicyDocument`).
    pub trust: Option<PolicyDoc<'a>>,
    /// Inline policies.
    pub inline: Vec<PolicyDoc<'a>>,
    /// Attached managed policies.
    pub attached: Vec<Attachment>,
    /// The permissions boundary.
    pub boundary: Option<Attachment>,
    /// Whether an input listed every policy of the role
    /// (authorization details do; `get-role` does not list policies).
    pub complete: bool,
    /// The key of a role from a Terraform plan or state (its file and
    /// address): such a role is found by this key, never by name, so two
    /// plans with the same address do not merge.
    pub key: Option<String>,
    /// Where the role links.
    pub scope: Scope,
    /// Why no input gives the trust policy although the role has one (a
    /// Terraform plan where it is unknown until apply): where it is
    /// written, and what it comes from. Checks that need it say they cannot
    /// verify it.
    pub trust_unknown: Option<(Option<Location>, String)>,
}

impl Role<'_> {
    /// The ARN, or the name when no input gave one; for a Terraform role,
    /// its address.
    pub fn display(&self) -> &str {
        if self.key.is_some() {
            return &self.name;
        }
        self.arn.as_deref().unwrap_or(&self.name)
    }
}

/// A customer or AWS managed policy whose content an input gives.
#[derive(Debug, Clone)]
pub struct ManagedPolicy<'a> {
    /// The ARN, when the input says.
    pub arn: Option<String>,
    /// The policy name.
    pub name: String,
    /// The default version's document.
    pub document: PolicyDoc<'a>,
    /// Where the policy links.
    pub scope: Scope,
}

/// An inline policy given apart from its role (`get-role-policy`).
#[derive(Debug, Clone)]
pub struct RolePolicy<'a> {
    /// The role it belongs to.
    pub role_name: String,
    /// The document.
    pub document: PolicyDoc<'a>,
}

/// Where a flow log delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DestinationType {
    /// `cloud-watch-logs` (the default): needs a delivery role.
    CloudWatchLogs,
    /// `s3`: a bucket policy, no role.
    S3,
    /// `kinesis-data-firehose`: a role only across accounts.
    KinesisDataFirehose,
    /// Anything else, as written.
    Other(String),
}

impl DestinationType {
    /// Parses `LogDestinationType`.
    pub fn parse(s: &str) -> Self {
        match s {
            "cloud-watch-logs" => Self::CloudWatchLogs,
            "s3" => Self::S3,
            "kinesis-data-firehose" => Self::KinesisDataFirehose,
            other => Self::Other(other.to_string()),
        }
    }
}

/// A VPC flow log.
#[derive(Debug, Clone)]
pub struct FlowLog {
    /// `FlowLogId` (or a Terraform address).
    pub id: String,
    /// The flow log object.
    pub location: Option<Location>,
    /// `DeliverLogsPermissionArn`.
    pub role_arn: Option<String>,
    /// Where that ARN is written.
    pub role_location: Option<Location>,
    /// `LogDestinationType`.
    pub destination_type: DestinationType,
    /// `LogDestination` (an ARN), when given.
    pub destination: Option<String>,
    /// `LogGroupName`, when given.
    pub log_group: Option<String>,
    /// Where the flow log links.
    pub scope: Scope,
}

/// A service control policy passed with `--scp`.
#[derive(Debug, Clone)]
pub struct Scp<'a> {
    /// The document.
    pub document: PolicyDoc<'a>,
}

/// A policy document given on its own (a raw policy file), linked by its
/// file name: `NAME.json` or `NAME.<anything>.json` gives the content of
/// the managed policy `NAME` or, failing that, an inline or trust policy of
/// the role `NAME`.
#[derive(Debug, Clone)]
pub struct RawDocument<'a> {
    /// The file name's stem up to the first dot.
    pub stem: String,
    /// Whether it is a trust policy.
    pub trust: bool,
    /// The document.
    pub document: PolicyDoc<'a>,
}

/// Everything the extractors found, before linking.
#[derive(Debug, Default)]
pub struct Facts<'a> {
    /// Roles (possibly the same role from several inputs).
    pub roles: Vec<Role<'a>>,
    /// Managed policies with content.
    pub managed: Vec<ManagedPolicy<'a>>,
    /// Inline policies given apart from their role.
    pub role_policies: Vec<RolePolicy<'a>>,
    /// Flow logs.
    pub flow_logs: Vec<FlowLog>,
    /// SCPs (`--scp`).
    pub scps: Vec<Scp<'a>>,
    /// SCPs attached to organization nodes, and the hierarchy (Terraform
    /// `aws_organizations_*` resources), per plan.
    pub orgs: BTreeMap<FileId, org::Organizations<'a>>,
    /// Raw policy documents.
    pub raw: Vec<RawDocument<'a>>,
    /// Services using roles that an extractor saw directly (a Terraform
    /// `aws_lambda_function.role`); flow logs are added when linking.
    pub uses: Vec<ServiceUse>,
    /// Services whose role an extractor could not link (a Terraform value
    /// unknown until apply): the service-chain checks were skipped.
    pub unlinked: Vec<Unlinked>,
    /// The name of each input, which orders the definitions of a role that
    /// several inputs give (argument order must not decide); without a
    /// name, a file's id.
    pub file_names: BTreeMap<FileId, String>,
}

/// A service whose role could not be linked, and why.
#[derive(Debug, Clone)]
pub struct Unlinked {
    /// Who uses the role, for messages (`flow log `aws_flow_log.x``).
    pub user: String,
    /// Where to report it.
    pub location: Option<Location>,
    /// Why (`its `iam_role_arn` is unknown until apply and ...`).
    pub reason: String,
    /// What the user can do.
    pub help: String,
}

/// What an attached policy resolves to.
#[derive(Debug, Clone, Copy)]
pub enum Resolved<'m, 'a> {
    /// An input gives the content.
    Input(&'m ManagedPolicy<'a>),
    /// The embedded copy of an AWS managed policy.
    Builtin(&'static catalog::BuiltinPolicy),
    /// No input gives it and there is no embedded copy: cannot verify.
    Unknown,
}

/// A service that uses a role, with the catalogue entry saying what it needs.
#[derive(Debug, Clone)]
pub struct ServiceUse {
    /// Who uses it, for messages (`flow log `fl-123``).
    pub user: String,
    /// The role ARN as the user wrote it.
    pub role_arn: String,
    /// Where the user names the role (`DeliverLogsPermissionArn`).
    pub role_location: Option<Location>,
    /// The index of the flow log, when a flow log is the user (its log
    /// group gives the resources the service writes; other users are
    /// evaluated on resource `*`).
    pub flow_log: Option<usize>,
    /// The catalogue entry's id (`lambda-execution-role`).
    pub entry: String,
    /// Inferred from the role's trust policy rather than seen: findings
    /// about it are at most warnings.
    pub inferred: bool,
    /// Where the use links: its role is looked up in this scope only.
    pub scope: Scope,
    /// Request variables the user gives (`BucketName` of a Firehose
    /// stream's destination), from the catalogue's `terraform_facts`.
    pub facts: Vec<(String, String)>,
}

/// The AWS model of a run.
#[derive(Debug, Default)]
pub struct AwsModel<'a> {
    /// Roles, merged by ARN (or name); a role that inputs define
    /// differently has one record per definition.
    pub roles: Vec<Role<'a>>,
    /// Managed policies with content.
    pub managed: Vec<ManagedPolicy<'a>>,
    /// Flow logs.
    pub flow_logs: Vec<FlowLog>,
    /// SCPs (`--scp`); they apply to every role of the run.
    pub scps: Vec<Scp<'a>>,
    /// SCPs attached to organization nodes, per Terraform plan, which apply
    /// to the plan's roles of the accounts under them: see
    /// [`AwsModel::org_scps`].
    pub orgs: BTreeMap<FileId, org::Organizations<'a>>,
    /// The catalogue: built-in entries, then `--catalog` entries (which
    /// replace built-in entries with the same id).
    pub catalogue: Catalogue,
    /// Where `--catalog` files are wrong.
    pub catalogue_errors: Vec<(Location, String)>,
    /// Services using roles.
    pub uses: Vec<ServiceUse>,
    /// Services whose role could not be linked.
    pub unlinked: Vec<Unlinked>,
    /// Roles that two inputs define differently; each definition is one of
    /// `roles`.
    pub conflicts: Vec<Conflict>,
    /// For each role of `roles` that inputs define differently, the
    /// positions of all its definitions.
    definitions: crate::hash::HashMap<usize, Vec<usize>>,
    /// `roles` and `managed` indexed by [`AwsModel::link`].
    lookup: index::Lookup,
}

/// The last path segment of an ARN (`role/service/path/name` -> `name`).
pub fn arn_name(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// The account of an ARN (`arn:aws:iam::123:role/x` -> `123`).
pub fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`).
pub fn arn_partition(arn: &str) -> Option<&str> {
    arn.split(':').nth(1).filter(|a| !a.is_empty())
}

impl<'a> AwsModel<'a> {
    /// Extracts facts from every file and links them.
    pub fn build<'o>(files: &'a [ParsedFile], options: impl Into<Linking<'o>>) -> Self {
        Self::build_with_views(files, options.into(), &views_of(files))
    }

    /// [`AwsModel::build`] with the run's Terraform views already built.
    pub fn build_with_views(
        files: &'a [ParsedFile],
        options: Linking<'_>,
        views: &[(FileId, TerraformView<'a>)],
    ) -> Self {
        let mut facts = Facts {
            file_names: files
                .iter()
                .map(|f| (f.id, f.source.name().to_string()))
                .collect(),
            ..Facts::default()
        };
        let mut user = catalog::UserCatalogue::default();
        for file in files {
            let name = file.source.name();
            if options.catalog.iter().any(|c| c == name) {
                catalog::read_user_catalogue(file, &mut user);
                continue;
            }
            let scp = options.scp.iter().any(|s| s == name);
            cli::extract(file, scp, &mut facts);
            if let Some((_, view)) = views.iter().find(|(id, _)| *id == file.id) {
                terraform::extract(file, view, &mut facts);
            }
        }
        let mut model = Self::link(facts);
        let mut catalogue = catalog::BUILTIN_CATALOGUE.clone();
        for e in user.entries {
            catalogue.entries.retain(|b| b.id != e.id);
            catalogue.entries.push(e);
        }
        catalogue
            .no_source_condition_principals
            .extend(user.no_source_condition_principals);
        // Entries given in code come last and win over files' entries.
        catalogue.extend(options.added_catalog.clone());
        model.catalogue = catalogue;
        model.catalogue_errors = user.errors;
        // Linked once the catalogue, `--catalog` entries included, is known.
        for file in files {
            if !options.catalog.iter().any(|c| c == file.source.name()) {
                cli_uses::extract_uses(file, &model.catalogue, &mut model.uses);
            }
        }
        // Linked once the catalogue, `--catalog` entries included, is known.
        for (id, view) in views {
            if let Some(file) = files.iter().find(|f| f.id == *id) {
                terraform::extract_uses(
                    file,
                    view,
                    &model.catalogue,
                    &mut model.uses,
                    &mut model.unlinked,
                );
            }
        }
        model.derive_uses();
        model
    }

    /// The SCPs of the organization of `role`'s plan that apply, or may
    /// apply, to it, with how sure that is; `--scp` SCPs are in
    /// [`AwsModel::scps`] and apply to every role.
    pub fn org_scps<'m>(&'m self, role: &'m Role<'_>) -> Vec<org::AppliedScp<'m>> {
        role.scope
            .and_then(|file| self.orgs.get(&file))
            .map(|o| o.scps_for(role.arn.as_deref(), &role.path))
            .unwrap_or_default()
    }

    /// The catalogue entry with id `id`.
    pub fn entry(&self, id: &str) -> Option<&CatalogEntry> {
        self.catalogue.entries.iter().find(|e| e.id == id)
    }

    /// Whether the catalogue says `principal` sends `aws:SourceAccount` /
    /// `aws:SourceArn` when it assumes a role, so that a trust condition on
    /// them is safe advice (AWS004): some entry for the principal says so,
    /// no entry says otherwise, and `no_source_condition_principals` does
    /// not list it. A principal the catalogue does not know is not asked
    /// for a condition: the advice could break its integration.
    pub fn sends_source_conditions(&self, principal: &str) -> bool {
        if self
            .catalogue
            .no_source_condition_principals
            .iter()
            .any(|p| trust::same_service(p, principal))
        {
            return false;
        }
        let mut entries = self
            .catalogue
            .entries
            .iter()
            .filter(|e| trust::same_service(&e.service_principal, principal))
            .peekable();
        entries.peek().is_some() && entries.all(|e| e.source_condition_keys_supported)
    }
}

#[cfg(test)]
mod tests;
