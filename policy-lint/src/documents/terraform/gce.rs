//! The service account and scopes of `google_compute_instance` and the
//! instance-template resources, normalised from a plan or state.
//!
//! Terraform facts (spec section 3, research gcp.md section 3):
//! - no `service_account` block (planned as `[]`) means the VM has no
//!   account at all;
//! - a block without `email` means the project's default compute account
//!   (the email is then computed, so unknown in a plan);
//! - an email that refers to `google_service_account.x.email` is unknown
//!   until apply and is linked through `configuration` references;
//! - planned values carry canonical scope URLs (the provider's StateFunc),
//!   while `configuration` keeps the scopes as written (aliases such as
//!   `storage-ro`, or `default`, which Terraform does not expand).
//!
//! This module only reads the plan: it knows no GCP rule or model type.

use crate::hash::HashMap;
use std::sync::LazyLock;

use super::{ConfigResource, Reference, Resource, TerraformView};
use crate::json::Node;

/// Resource types that take a `service_account` block.
pub const INSTANCE_TYPES: &[&str] = &[
    "google_compute_instance",
    "google_compute_instance_template",
    "google_compute_region_instance_template",
    "google_compute_instance_from_template",
];

/// The scope URL prefix.
pub const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// Terraform's alias -> URL map (`CanonicalizeServiceScope`), from
/// `rules/gcp-scopes.json`.
static TERRAFORM_ALIASES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let data: serde_json::Value =
        serde_json::from_str(include_str!("../../../rules/gcp-scopes.json")).unwrap_or_default();
    data.get("terraform_aliases")
        .and_then(serde_json::Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
});

/// A scope as Terraform stores it: the URL for a known alias, anything else
/// unchanged (so `default` stays `default`).
pub fn canonical_scope(written: &str) -> String {
    TERRAFORM_ALIASES
        .get(written)
        .cloned()
        .unwrap_or_else(|| written.to_string())
}

/// Which account the instance runs as.
#[derive(Debug, Clone)]
pub enum Account<'a> {
    /// No `service_account` block: no account, no scopes.
    None,
    /// The default compute account: the block has no `email`, or the email
    /// is `default` or `<number>-compute@developer.gserviceaccount.com`.
    /// `email` is the email node when the plan gives one.
    Default {
        /// The email value, when written.
        email: Option<Node<'a>>,
    },
    /// A literal email.
    Email(Node<'a>),
    /// Unknown until apply. `references` are the configuration references
    /// of the email (e.g. `google_service_account.x` with attribute
    /// `email`); empty when the plan records none (a state has no
    /// configuration, a plan may come from a variable).
    Unknown {
        /// Resolved references of `service_account.0.email`.
        references: Vec<Reference>,
        /// The configuration expression of the email, when present.
        expression: Option<Node<'a>>,
    },
    /// `google_compute_instance_from_template` without its own block: the
    /// account comes from `source_instance_template` (references of that
    /// attribute).
    Inherited {
        /// Resolved references of `source_instance_template`.
        template: Vec<Reference>,
    },
}

/// One scope of the instance.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// The canonical scope: the planned URL, or the written scope passed
    /// through [`canonical_scope`].
    pub canonical: String,
    /// The planned (or state) value node: a canonical URL.
    pub planned: Option<Node<'a>>,
    /// The scope as written in `configuration` (`storage-ro`, `default`),
    /// when the plan records a constant list.
    pub written: Option<Node<'a>>,
}

impl Scope<'_> {
    /// The node to point a finding at: the scope as written when the plan
    /// records it (that is what the user edits), else the planned value.
    pub fn node(&self) -> Option<Node<'_>> {
        self.written.or(self.planned)
    }
}

/// An instance's (or template's) service account, normalised.
#[derive(Debug, Clone)]
pub struct InstanceServiceAccount<'a> {
    /// The resource (address, values, spans).
    pub resource: Resource<'a>,
    /// `service_account[0]` in the values, when there is a block.
    pub block: Option<Node<'a>>,
    /// `service_account` in the values (the array, possibly empty), for a
    /// finding about a missing block.
    pub block_list: Option<Node<'a>>,
    /// The configuration block `expressions.service_account[0]`, when the
    /// plan records it.
    pub config_block: Option<Node<'a>>,
    /// The account.
    pub account: Account<'a>,
    /// The scopes (empty when there is no block).
    pub scopes: Vec<Scope<'a>>,
    /// Whether the scope list itself is unknown until apply.
    pub scopes_unknown: bool,
    /// `service_account[0].scopes` (planned), for a finding about the list.
    pub scopes_node: Option<Node<'a>>,
}

/// Whether `email` names the default compute account.
pub fn is_default_email(email: &str) -> bool {
    email == "default"
        || email
            .strip_suffix("-compute@developer.gserviceaccount.com")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The service accounts of every instance and template of `view`.
pub fn instance_service_accounts<'a>(view: &TerraformView<'a>) -> Vec<InstanceServiceAccount<'a>> {
    view.resources()
        .filter(|r| INSTANCE_TYPES.contains(&r.resource_type))
        .map(|r| service_account(view, r))
        .collect()
}

/// Normalises one resource's `service_account` block.
pub fn service_account<'a>(
    view: &TerraformView<'a>,
    r: &Resource<'a>,
) -> InstanceServiceAccount<'a> {
    let config: Option<ConfigResource<'a>> = view.config_resource(r.address);
    let config_block = config
        .as_ref()
        .and_then(|c| c.expression(&["service_account", "0"]));
    let block_list = r.values.get("service_account");
    let block = block_list.and_then(Node::as_array).and_then(|a| a.first());
    let block_unknown = r.is_unknown(&["service_account"]);
    let mut out = InstanceServiceAccount {
        resource: *r,
        block,
        block_list,
        config_block,
        account: Account::None,
        scopes: Vec::new(),
        scopes_unknown: false,
        scopes_node: None,
    };
    let Some(block) = block else {
        out.account = if r.resource_type == "google_compute_instance_from_template"
            && config_block.is_none()
        {
            Account::Inherited {
                template: view.references(r.address, &["source_instance_template"]),
            }
        } else if block_unknown || config_block.is_some() {
            // A block whose content is not planned yet.
            Account::Unknown {
                references: view.references(r.address, &["service_account", "0", "email"]),
                expression: config_block.and_then(|b| b.get("email")),
            }
        } else {
            Account::None
        };
        out.scopes_unknown = block_unknown;
        return out;
    };
    let email = block.get("email").filter(|e| !e.is_null());
    let email_expr = config_block.and_then(|b| b.get("email"));
    out.account = match email.and_then(|e| e.as_str().map(|s| (e, s))) {
        Some((e, s)) if is_default_email(s) => Account::Default { email: Some(e) },
        Some((e, _)) => Account::Email(e),
        None if r.is_unknown(&["service_account", "0", "email"]) => match (&config, email_expr) {
            // The block is configured without an email: the provider
            // computes the default account's email.
            (Some(_), None) if config_block.is_some() => Account::Default { email: None },
            _ => Account::Unknown {
                references: view.references(r.address, &["service_account", "0", "email"]),
                expression: email_expr,
            },
        },
        None => Account::Default { email: None },
    };
    out.scopes_node = block.get("scopes");
    out.scopes_unknown = r.is_unknown(&["service_account", "0", "scopes"]);
    let planned: Vec<Node<'_>> = out
        .scopes_node
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .collect();
    let written: Vec<Node<'_>> = config_block
        .and_then(|b| b.get("scopes"))
        .and_then(|s| s.get("constant_value"))
        .and_then(Node::as_array)
        .unwrap_or_default()
        .iter()
        .collect();
    let mut used = vec![false; planned.len()];
    for w in &written {
        let Some(text) = w.as_str() else { continue };
        let canonical = canonical_scope(text);
        let matched = planned.iter().enumerate().position(|(i, p)| {
            !used.get(i).copied().unwrap_or(true) && p.as_str() == Some(canonical.as_str())
        });
        let planned_node = matched.and_then(|i| {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
            planned.get(i).copied()
        });
        out.scopes.push(Scope {
            canonical,
            planned: planned_node,
            written: Some(*w),
        });
    }
    for (i, p) in planned.iter().enumerate() {
        if used.get(i).copied().unwrap_or(true) {
            continue;
        }
        if let Some(text) = p.as_str() {
            out.scopes.push(Scope {
                canonical: canonical_scope(text),
                planned: Some(*p),
                written: None,
            });
        }
    }
    out
}
