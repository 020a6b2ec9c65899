//! The GCP data tables of `rules/`: OAuth scopes (URLs, aliases, default sets,
//! which scopes allow which writes) and role -> checked permissions.
//!
//! Both are embedded at build time and parsed once per process.

use crate::hash::{HashMap, HashSet};
use std::sync::LazyLock;

use serde::Deserialize;

/// Raw text of `rules/gcp-scopes.json`.
pub const SCOPES_JSON: &str = include_str!("../../../rules/gcp-scopes.json");
/// Raw text of `rules/gcp-roles.json`.
pub const ROLES_JSON: &str = include_str!("../../../rules/gcp-roles.json");

/// Every scope URL starts with this.
pub const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// A write a VM's workload makes with its service account, gated by both a
/// scope and an IAM permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// Cloud Logging: write log entries.
    LoggingWrite,
    /// Cloud Storage: create (and overwrite) objects.
    StorageWrite,
    /// Cloud Monitoring: write time series.
    MonitoringWrite,
    /// Pub/Sub: publish messages.
    PubsubPublish,
}

impl Capability {
    /// Every capability, in report order.
    pub const ALL: [Capability; 4] = [
        Self::LoggingWrite,
        Self::StorageWrite,
        Self::MonitoringWrite,
        Self::PubsubPublish,
    ];

    /// The key used by both tables (`storage.write`).
    pub const fn key(self) -> &'static str {
        match self {
            Self::LoggingWrite => "logging.write",
            Self::StorageWrite => "storage.write",
            Self::MonitoringWrite => "monitoring.write",
            Self::PubsubPublish => "pubsub.publish",
        }
    }

    /// The IAM permission the write needs, as named in the 403 users see.
    pub const fn permission(self) -> &'static str {
        match self {
            Self::LoggingWrite => "logging.logEntries.create",
            Self::StorageWrite => "storage.objects.create",
            Self::MonitoringWrite => "monitoring.timeSeries.create",
            Self::PubsubPublish => "pubsub.topics.publish",
        }
    }

    /// What the write is, for messages.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::LoggingWrite => "Cloud Logging writes",
            Self::StorageWrite => "Cloud Storage writes",
            Self::MonitoringWrite => "Cloud Monitoring metric writes",
            Self::PubsubPublish => "Pub/Sub publishing",
        }
    }

    /// The least-privilege predefined role to suggest.
    pub const fn suggested_role(self) -> &'static str {
        match self {
            Self::LoggingWrite => "roles/logging.logWriter",
            Self::StorageWrite => "roles/storage.objectCreator",
            Self::MonitoringWrite => "roles/monitoring.metricWriter",
            Self::PubsubPublish => "roles/pubsub.publisher",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

#[derive(Debug, Deserialize)]
struct RawCapability {
    allowed_by: Vec<String>,
    narrowest_scope: String,
}

#[derive(Debug, Deserialize)]
struct RawScope {
    #[serde(default)]
    implies: Vec<String>,
    #[serde(default)]
    gcloud_aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RawScopes {
    capabilities: HashMap<String, RawCapability>,
    default_sets: HashMap<String, Vec<String>>,
    gcloud_aliases: HashMap<String, Vec<String>>,
    scopes: HashMap<String, RawScope>,
    terraform_aliases: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct RawRoles {
    basic_roles: Vec<String>,
    checked_permissions: HashMap<String, String>,
    roles: HashMap<String, Vec<String>>,
    roles_without_checked_permissions: Vec<String>,
}

/// The scope table.
#[derive(Debug)]
pub struct Scopes {
    raw: RawScopes,
}

/// The role table.
#[derive(Debug)]
pub struct Roles {
    basic: Vec<String>,
    checked: HashMap<String, Capability>,
    roles: HashMap<String, Vec<String>>,
    without: HashSet<String>,
}

/// The embedded scope table, parsed on first use.
pub static SCOPES: LazyLock<Scopes> = LazyLock::new(|| Scopes {
    raw: serde_json::from_str(SCOPES_JSON).unwrap_or_else(|_| RawScopes {
        capabilities: HashMap::default(),
        default_sets: HashMap::default(),
        gcloud_aliases: HashMap::default(),
        scopes: HashMap::default(),
        terraform_aliases: HashMap::default(),
    }),
});

/// The embedded role table, parsed on first use.
pub static ROLES: LazyLock<Roles> = LazyLock::new(|| {
    let raw: Option<RawRoles> = serde_json::from_str(ROLES_JSON).ok();
    let raw = raw.unwrap_or(RawRoles {
        basic_roles: Vec::new(),
        checked_permissions: HashMap::default(),
        roles: HashMap::default(),
        roles_without_checked_permissions: Vec::new(),
    });
    Roles {
        basic: raw.basic_roles,
        checked: raw
            .checked_permissions
            .into_iter()
            .filter_map(|(p, c)| Some((p, Capability::from_key(&c)?)))
            .collect(),
        roles: raw.roles,
        without: raw.roles_without_checked_permissions.into_iter().collect(),
    }
});

/// What a scope string in an instance means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeMeaning {
    /// A known scope URL, or an alias of exactly one (resolved to its URL).
    Known(String),
    /// A gcloud alias for a set of scopes (`default`, `gke-default`): gcloud
    /// expands it, the API and Terraform reject it.
    GcloudSetAlias(&'static str),
    /// A URL under the scope prefix that the table does not list.
    UnlistedUrl,
    /// Anything else.
    Unknown,
}

impl Scopes {
    /// Resolves a scope as written (URL, gcloud or Terraform alias).
    pub fn resolve(&self, scope: &str) -> ScopeMeaning {
        if self.raw.scopes.contains_key(scope) {
            return ScopeMeaning::Known(scope.to_string());
        }
        if let Some(url) = self.raw.terraform_aliases.get(scope) {
            return ScopeMeaning::Known(url.clone());
        }
        match self.raw.gcloud_aliases.get(scope).map(Vec::as_slice) {
            Some([url]) => return ScopeMeaning::Known(url.clone()),
            Some(_) => {
                return match scope {
                    "default" => ScopeMeaning::GcloudSetAlias("default"),
                    _ => ScopeMeaning::GcloudSetAlias("gke-default"),
                };
            }
            None => {}
        }
        if scope.starts_with(SCOPE_PREFIX) {
            ScopeMeaning::UnlistedUrl
        } else {
            ScopeMeaning::Unknown
        }
    }

    /// Whether the scope URL `url` allows `cap`.
    pub fn allows(&self, url: &str, cap: Capability) -> bool {
        self.raw
            .capabilities
            .get(cap.key())
            .is_some_and(|c| c.allowed_by.iter().any(|u| u == url))
    }

    /// The narrowest scope that allows `cap`.
    pub fn narrowest(&self, cap: Capability) -> &str {
        self.raw
            .capabilities
            .get(cap.key())
            .map_or("", |c| c.narrowest_scope.as_str())
    }

    /// Whether `url` grants every Google Cloud API (`cloud-platform`).
    pub fn is_full_access(&self, url: &str) -> bool {
        self.raw
            .scopes
            .get(url)
            .is_some_and(|s| s.implies.iter().any(|i| i == "*"))
    }

    /// The URLs of a gcloud alias (`default` gives the 7 scopes).
    pub fn gcloud_alias(&self, alias: &str) -> &[String] {
        self.raw
            .gcloud_aliases
            .get(alias)
            .map_or(&[], Vec::as_slice)
    }

    /// A default scope set (`gcloud_default`, `console_default`, `gke_default`).
    pub fn default_set(&self, name: &str) -> &[String] {
        self.raw.default_sets.get(name).map_or(&[], Vec::as_slice)
    }

    /// Every known scope URL and single-scope alias, for did-you-mean.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        self.raw
            .scopes
            .keys()
            .map(String::as_str)
            .chain(self.raw.terraform_aliases.keys().map(String::as_str))
            .chain(self.raw.gcloud_aliases.keys().map(String::as_str))
    }

    /// The gcloud `--scopes` alias of a scope URL (`storage-rw`), or the URL.
    pub fn gcloud_spelling<'a>(&'a self, url: &'a str) -> &'a str {
        self.raw
            .scopes
            .get(url)
            .and_then(|s| s.gcloud_aliases.first())
            .map_or(url, String::as_str)
    }

    /// Whether `alias` is a Terraform alias.
    pub fn is_terraform_alias(&self, alias: &str) -> bool {
        self.raw.terraform_aliases.contains_key(alias)
    }
}

/// What the role table says a role grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKnowledge<'a> {
    /// A predefined role holding these checked permissions.
    Holds(&'a [String]),
    /// A predefined role holding none of the checked permissions.
    HoldsNone,
    /// Not in the snapshot (a custom role not given, or a newer role).
    Unknown,
}

impl Roles {
    /// What the table knows of predefined role `role`.
    pub fn lookup(&self, role: &str) -> RoleKnowledge<'_> {
        if let Some(p) = self.roles.get(role) {
            RoleKnowledge::Holds(p)
        } else if self.without.contains(role) {
            RoleKnowledge::HoldsNone
        } else {
            RoleKnowledge::Unknown
        }
    }

    /// The capability a permission gives, when it is a checked one.
    pub fn capability_of(&self, permission: &str) -> Option<Capability> {
        self.checked.get(permission).copied()
    }

    /// Whether `role` is a basic role (owner, editor, viewer, and their
    /// successors admin, writer, reader).
    pub fn is_basic(&self, role: &str) -> bool {
        self.basic.iter().any(|b| b == role)
    }

    /// Whether `role` is a predefined role of the snapshot (exact case).
    pub fn is_predefined(&self, role: &str) -> bool {
        self.is_basic(role) || self.lookup(role) != RoleKnowledge::Unknown
    }

    /// Every predefined role name, unordered.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.roles
            .keys()
            .chain(self.without.iter())
            .chain(self.basic.iter())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_agree_with_the_spec() {
        let s = &*SCOPES;
        let url = |x: &str| format!("{SCOPE_PREFIX}{x}");
        assert_eq!(
            s.resolve("storage-rw"),
            ScopeMeaning::Known(url("devstorage.read_write"))
        );
        assert_eq!(
            s.resolve("default"),
            ScopeMeaning::GcloudSetAlias("default")
        );
        assert_eq!(
            s.resolve("gke-default"),
            ScopeMeaning::GcloudSetAlias("gke-default")
        );
        assert_eq!(s.resolve(&url("nope")), ScopeMeaning::UnlistedUrl);
        assert_eq!(s.resolve("storage-rx"), ScopeMeaning::Unknown);
        for w in [
            "devstorage.read_write",
            "devstorage.full_control",
            "cloud-platform",
        ] {
            assert!(s.allows(&url(w), Capability::StorageWrite), "{w}");
        }
        assert!(!s.allows(&url("devstorage.read_only"), Capability::StorageWrite));
        for w in ["logging.write", "logging.admin", "cloud-platform"] {
            assert!(s.allows(&url(w), Capability::LoggingWrite), "{w}");
        }
        assert!(s.is_full_access(&url("cloud-platform")));
        assert_eq!(s.default_set("console_default").len(), 6);
        assert_eq!(s.gcloud_alias("default").len(), 7);
        assert_eq!(
            s.narrowest(Capability::StorageWrite),
            url("devstorage.read_write")
        );

        let r = &*ROLES;
        assert!(
            matches!(r.lookup("roles/logging.logWriter"), RoleKnowledge::Holds(p) if p.iter().any(|p| p == "logging.logEntries.create"))
        );
        assert_eq!(r.lookup("roles/viewer"), RoleKnowledge::HoldsNone);
        assert_eq!(r.lookup("projects/p/roles/x"), RoleKnowledge::Unknown);
        assert_eq!(
            r.capability_of("storage.objects.create"),
            Some(Capability::StorageWrite)
        );
        assert!(r.is_basic("roles/editor"));
    }
}
