//! Plain facts about GCP resources, filled in by per-input extractors
//! (`extract.rs` for gcloud, API and Cloud Asset Inventory JSON; a Terraform
//! extractor can sit beside it) and read by the linker and the rules.
//!
//! Facts hold owned values and [`Location`]s, never tree references, so any
//! input format can produce them.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Location;

/// A project, as an input names it: its id (`my-project`) or its number
/// (`123456789012`). Ids and numbers cannot be compared with each other.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProjectKey {
    /// A project id: starts with a letter.
    Id(String),
    /// A project number: digits only.
    Number(String),
}

impl ProjectKey {
    /// Classifies a `projects/<x>` segment.
    pub fn parse(s: &str) -> Option<Self> {
        if s.is_empty() {
            None
        } else if s.bytes().all(|b| b.is_ascii_digit()) {
            Some(Self::Number(s.to_string()))
        } else {
            Some(Self::Id(s.to_string()))
        }
    }

    /// The id or number as written.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Id(s) | Self::Number(s) => s,
        }
    }

    /// The project named by the first `projects/<x>` segment of a URL or
    /// resource name (`https://.../projects/p/zones/z`, `//compute.googleapis.com/projects/p/...`).
    pub fn from_resource_name(name: &str) -> Option<Self> {
        let mut parts = name.split('/');
        while let Some(p) = parts.next() {
            if p == "projects" {
                return parts.next().and_then(Self::parse);
            }
        }
        None
    }
}

/// Which service account an instance runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRef {
    /// An explicit email (user-managed, or the default account spelled out).
    Email(String),
    /// The default compute account, written as the email `default` (or, in
    /// Terraform, a `service_account` block without `email`).
    Default,
    /// A Terraform reference (`google_service_account.app`), unknown until
    /// apply. The linker matches it against members written
    /// `serviceAccount:<reference>`, so an extractor should give members that
    /// reference the same resource (`google_service_account.app.member`, or
    /// `"serviceAccount:${google_service_account.app.email}"`) that form.
    TerraformRef(String),
    /// No service account: API calls from the VM cannot authenticate.
    None,
}

/// The default compute account's email suffix.
pub const DEFAULT_COMPUTE_SUFFIX: &str = "-compute@developer.gserviceaccount.com";

/// The project number of a default compute account email
/// (`NUMBER-compute@developer.gserviceaccount.com`).
pub fn default_account_number(email: &str) -> Option<&str> {
    let n = email
        .to_ascii_lowercase()
        .strip_suffix(DEFAULT_COMPUTE_SUFFIX)
        .map(str::len)?;
    let number = email.get(..n)?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(number)
}

/// Whether `email` is a Google-created default account: the Compute Engine
/// default account or the App Engine default account.
pub fn is_default_account_email(email: &str) -> bool {
    default_account_number(email).is_some()
        || email
            .to_ascii_lowercase()
            .ends_with("@appspot.gserviceaccount.com")
}

impl AccountRef {
    /// Whether this is the default compute account (by alias or by email).
    pub fn is_default_compute(&self) -> bool {
        match self {
            Self::Default => true,
            Self::Email(e) => default_account_number(e).is_some(),
            _ => false,
        }
    }

    /// A name for messages.
    pub fn display(&self) -> String {
        match self {
            Self::Email(e) if default_account_number(e).is_some() => {
                format!("the default compute service account `{e}`")
            }
            Self::Email(e) => format!("service account `{e}`"),
            Self::Default => "the default compute service account (`default`)".to_string(),
            Self::TerraformRef(r) => format!("service account `{r}`"),
            Self::None => "no service account".to_string(),
        }
    }
}

/// One scope entry as written.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The text (URL or alias).
    pub value: String,
    /// The string token.
    pub loc: Location,
}

/// Whether a fact comes from a VM or a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceKind {
    /// A VM (`compute#instance`, CAI Instance asset, `google_compute_instance`).
    Instance,
    /// An instance template: VMs created from it get its account and scopes.
    Template,
    /// Another workload of the GCP catalogue (a GKE node pool, a Dataproc
    /// cluster, a Dataflow job): VMs that Google creates for it run as its
    /// account.
    Workload,
}

/// Which tool's rules apply to scope aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Compute API / gcloud / CAI JSON: scopes are URLs on read.
    Api,
    /// Terraform: the provider's alias map applies, `default` does not exist.
    Terraform,
}

/// A VM or template with its service account and scopes.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Instance or template name.
    pub name: String,
    /// VM or template.
    pub kind: InstanceKind,
    /// Where the fact came from.
    pub origin: Origin,
    /// The project the instance is in, when an input shows it.
    pub project: Option<ProjectKey>,
    /// Other names of that project: a Cloud Asset Inventory asset names its
    /// project by id in the instance's URLs and by number in `ancestors` and
    /// `resource.parent`, as the export names project assets.
    pub project_aliases: Vec<ProjectKey>,
    /// Its selfLink (or CAI name, or Terraform address), for logical locations.
    pub self_link: Option<String>,
    /// The service account.
    pub account: AccountRef,
    /// The member form the linker matches instead of the account's email,
    /// when they differ: a Terraform account created in the plan and named
    /// by the email it will have, whose members are written by reference
    /// (`google_service_account.app`).
    pub member_key: Option<String>,
    /// The account's email string (or the block that implies it).
    pub account_loc: Option<Location>,
    /// The catalogue workload (`rules/gcp-catalogue.json` id) whose
    /// requirements apply to the account, when one does.
    pub workload: Option<String>,
    /// The scopes, as written.
    pub scopes: Vec<Scope>,
    /// Whether [`Instance::scopes`] are the VMs' scopes: false when the input
    /// does not say (unset in Terraform, so the service's default applies,
    /// or a workload without scopes).
    pub scopes_known: bool,
    /// The `scopes` array, when present.
    pub scopes_loc: Option<Location>,
    /// The service-account entry (`serviceAccounts[0]`), when present.
    pub entry_loc: Option<Location>,
    /// The whole instance object.
    pub loc: Location,
}

impl Instance {
    /// Whether `key` names the instance's project (by id or by number).
    pub fn in_project(&self, key: &ProjectKey) -> bool {
        self.project.as_ref() == Some(key) || self.project_aliases.contains(key)
    }

    /// "instance `web-1`" or "instance template `tpl`".
    pub fn display(&self) -> String {
        match self.kind {
            InstanceKind::Instance => format!("instance `{}`", self.name),
            InstanceKind::Template => format!("instance template `{}`", self.name),
            InstanceKind::Workload => {
                let label = self
                    .workload
                    .as_deref()
                    .and_then(|w| super::catalogue::GCP_CATALOGUE.workload(w))
                    .map_or("workload", |w| w.label.as_str());
                format!("{label} `{}`", self.name)
            }
        }
    }

    /// Where to point at the account: its email, else its entry, else the instance.
    pub fn account_site(&self) -> Location {
        self.account_loc.or(self.entry_loc).unwrap_or(self.loc)
    }

    /// Where to point at the scopes: the array, else the entry, else the instance.
    pub fn scopes_site(&self) -> Location {
        self.scopes_loc.or(self.entry_loc).unwrap_or(self.loc)
    }

    /// The logical location for suppressions.
    pub fn logical(&self) -> String {
        self.self_link.clone().unwrap_or_else(|| self.name.clone())
    }
}

/// One member string of a binding.
#[derive(Debug, Clone)]
pub struct Member {
    /// The text (`serviceAccount:x@p.iam.gserviceaccount.com`).
    pub value: String,
    /// The string token.
    pub loc: Location,
}

/// One role binding.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The role (`roles/storage.objectAdmin`, `projects/p/roles/custom`).
    pub role: String,
    /// The role string token.
    pub role_loc: Option<Location>,
    /// The members.
    pub members: Vec<Member>,
    /// The `condition` object, when the binding has one.
    pub condition: Option<Location>,
    /// The whole binding object.
    pub loc: Location,
}

/// What an IAM policy is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyTarget {
    /// A project, shown by the input (CAI asset name, Terraform `project`).
    Project(ProjectKey),
    /// A bare `getIamPolicy` body with nothing that says what it is attached
    /// to and nothing that marks it as a resource policy: presumed a project
    /// policy, linked only when the run leaves no doubt.
    PresumedProject,
    /// Anything else (bucket, service account, key, topic, folder,
    /// organization ...): never used to decide what an instance can do.
    Other(String),
}

/// An IAM policy with its bindings.
#[derive(Debug, Clone)]
pub struct Policy {
    /// What it is attached to.
    pub target: PolicyTarget,
    /// Its `version` (1 when absent).
    pub version: Option<String>,
    /// The `version` token, when present.
    pub version_loc: Option<Location>,
    /// Its bindings.
    pub bindings: Vec<Binding>,
    /// The `bindings` array, when present.
    pub bindings_loc: Option<Location>,
    /// The whole policy object.
    pub loc: Location,
    /// A name for messages (CAI asset name, Terraform address), when known.
    pub name: Option<String>,
}

impl Policy {
    /// Where to label "no binding here": the bindings array, else the policy.
    pub fn bindings_site(&self) -> Location {
        self.bindings_loc.unwrap_or(self.loc)
    }

    /// "project `p`'s IAM policy" or "the project IAM policy".
    pub fn display(&self) -> String {
        match &self.target {
            PolicyTarget::Project(p) => format!("project `{}`'s IAM policy", p.as_str()),
            _ => "the project IAM policy".to_string(),
        }
    }
}

/// A custom role with its permissions.
#[derive(Debug, Clone)]
pub struct CustomRole {
    /// Its full name (`projects/p/roles/x`, `organizations/1/roles/x`).
    pub name: String,
    /// `includedPermissions`.
    pub permissions: Vec<String>,
    /// The role object.
    pub loc: Location,
}

/// Every GCP fact of a run.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// VMs and templates.
    pub instances: Vec<Instance>,
    /// IAM policies of every kind.
    pub policies: Vec<Policy>,
    /// Custom roles given.
    pub custom_roles: Vec<CustomRole>,
    /// Indices into `policies` of policies that add to a project's policy
    /// without replacing it (Terraform `google_project_iam_member` and
    /// `_binding`): a role they lack may be granted elsewhere.
    pub partial_policies: BTreeSet<usize>,
    /// Instances (by index) whose account could not be linked to IAM
    /// members, with why (an email unknown until apply that no reference
    /// names).
    pub unlinked_accounts: BTreeMap<usize, String>,
    /// The files that are Terraform plans or states: each is one
    /// configuration, whose instances link only to its own policies.
    pub terraform_files: BTreeSet<crate::source::FileId>,
}
