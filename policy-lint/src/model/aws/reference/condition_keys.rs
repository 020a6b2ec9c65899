//! Which condition keys exist (`rules/aws-condition-keys.json`): the global
//! `aws:` keys and every key of the Service Authorization Reference, by the
//! prefix before the colon. Key names are case-insensitive; a `${TagKey}` or
//! `<key>` part of a documented key stands for any text, so
//! `aws:RequestTag/team` is the documented `aws:RequestTag/${TagKey}`.
//!
//! ```
//! use policy_lint::aws_reference::condition_keys::{KeyStatus, lookup};
//!
//! assert_eq!(lookup("AWS:SourceIP"), KeyStatus::Known);
//! assert_eq!(lookup("aws:RequestTag/team"), KeyStatus::Known);
//! assert_eq!(lookup("token.actions.githubusercontent.com:sub"), KeyStatus::IdentityProvider);
//! assert!(matches!(lookup("aws:SourceAcount"), KeyStatus::Unknown { .. }));
//! ```

use std::sync::LazyLock;

use serde::Deserialize;

use super::lines::LazyMap;
use crate::hash::HashSet;
use crate::model::aws::actions::{action_matches, bounded_glob_distance, typo_threshold};

/// Raw text of `rules/aws-condition-keys.json`.
pub const JSON: &str = include_str!("../../../../rules/aws-condition-keys.json");

/// What the data says of one condition key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStatus {
    /// A documented key (or one AWS writes itself).
    Known,
    /// A key of a web identity or OIDC provider (`accounts.google.com:sub`):
    /// its prefix is a host name, and any provider a role trusts may be named.
    IdentityProvider,
    /// No key has this prefix (`foo:Bar`), or the key has no prefix.
    UnknownPrefix,
    /// The prefix is known but the name is not; the nearest documented key,
    /// if one is a small edit away.
    Unknown {
        /// `aws:SourceAccount` for `aws:SourceAcount`.
        nearest: Option<String>,
    },
}

/// The keys of one prefix.
#[derive(Debug)]
struct Prefix {
    /// Names in documented case.
    names: Vec<String>,
    /// Names without placeholders, in lowercase.
    exact: HashSet<String>,
    /// Names with placeholders as lowercase globs (`requesttag/*`).
    templates: Vec<String>,
}

impl<'de> Deserialize<'de> for Prefix {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let (mut exact, mut templates) = (HashSet::default(), Vec::new());
        for n in &names {
            match as_template(n) {
                Some(t) => templates.push(t),
                None => {
                    exact.insert(n.to_ascii_lowercase());
                }
            }
        }
        Ok(Self {
            names,
            exact,
            templates,
        })
    }
}

/// `requesttag/*` for `RequestTag/${TagKey}` and `existingobjecttag/*` for
/// `ExistingObjectTag/<key>`; `None` for a name without placeholders.
fn as_template(name: &str) -> Option<String> {
    // Older pages write the tag placeholder as a literal `tag-key`
    // (`secretsmanager:ResourceTag/tag-key`).
    if let Some(head) = name.strip_suffix("/tag-key") {
        return Some(format!("{}/*", head.to_ascii_lowercase()));
    }
    if !name.contains("${") && !name.contains('<') {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '$' if chars.peek() == Some(&'{') => Some('}'),
            '<' => Some('>'),
            _ => None,
        };
        match close {
            Some(end) => {
                chars.by_ref().find(|c| *c == end);
                out.push('*');
            }
            None => out.push(c.to_ascii_lowercase()),
        }
    }
    Some(out)
}

static PREFIXES: LazyLock<LazyMap<Prefix>> = LazyLock::new(|| LazyMap::section(JSON, "prefixes"));

/// What the data says of condition key `key` (any case).
pub fn lookup(key: &str) -> KeyStatus {
    let Some((prefix, name)) = key.split_once(':') else {
        return KeyStatus::UnknownPrefix;
    };
    if prefix.contains(['.', '/']) {
        return KeyStatus::IdentityProvider;
    }
    let Some(p) = PREFIXES.get(&prefix.to_ascii_lowercase()) else {
        return KeyStatus::UnknownPrefix;
    };
    let lower = name.to_ascii_lowercase();
    if p.exact.contains(&lower) || p.templates.iter().any(|t| action_matches(t, &lower)) {
        return KeyStatus::Known;
    }
    let max = typo_threshold(lower.len());
    let nearest = p
        .names
        .iter()
        .filter_map(|n| {
            let d = bounded_glob_distance(&lower, &n.to_ascii_lowercase(), max)?;
            Some((d, n))
        })
        .min_by_key(|(d, n)| (*d, n.len()))
        .map(|(_, n)| format!("{}:{n}", prefix.to_ascii_lowercase()));
    KeyStatus::Unknown { nearest }
}

/// The data's snapshot date.
pub fn snapshot_date() -> &'static str {
    static DATE: LazyLock<String> =
        LazyLock::new(|| super::lines::top_level(JSON, "snapshot_date").unwrap_or_default());
    &DATE
}

/// Every prefix that has keys (lowercase), for tests.
pub fn prefixes() -> impl Iterator<Item = &'static str> {
    PREFIXES.keys()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(
            as_template("RequestTag/${TagKey}").as_deref(),
            Some("requesttag/*")
        );
        assert_eq!(
            as_template("ExistingObjectTag/<key>").as_deref(),
            Some("existingobjecttag/*")
        );
        assert_eq!(
            as_template("environment.environmentVariables/${name}.value").as_deref(),
            Some("environment.environmentvariables/*.value")
        );
        assert_eq!(
            as_template("ResourceTag/tag-key").as_deref(),
            Some("resourcetag/*")
        );
        assert_eq!(as_template("SourceIp"), None);
    }

    #[test]
    fn lookups() {
        assert_eq!(lookup("aws:SourceIp"), KeyStatus::Known);
        assert_eq!(lookup("aws:sourceip"), KeyStatus::Known);
        assert_eq!(lookup("aws:PrincipalTag/Department"), KeyStatus::Known);
        assert_eq!(lookup("s3:ExistingObjectTag/backup"), KeyStatus::Known);
        assert_eq!(lookup("s3:x-amz-acl"), KeyStatus::Known);
        assert_eq!(lookup("ec2:ResourceTag/Name"), KeyStatus::Known);
        assert_eq!(lookup("saml:aud"), KeyStatus::Known);
        assert_eq!(
            lookup("secretsmanager:ResourceTag/aws:secretsmanager:owningService"),
            KeyStatus::Known
        );
        assert_eq!(lookup("deepracer:UserToken"), KeyStatus::Known);
        assert_eq!(lookup("AWS:SourceOwner"), KeyStatus::Known);
        assert_eq!(
            lookup("oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"),
            KeyStatus::IdentityProvider
        );
        assert_eq!(lookup("foo:Bar"), KeyStatus::UnknownPrefix);
        assert_eq!(lookup("SourceIp"), KeyStatus::UnknownPrefix);
        assert_eq!(
            lookup("aws:SourceAcount"),
            KeyStatus::Unknown {
                nearest: Some("aws:SourceAccount".into())
            }
        );
        assert_eq!(
            lookup("aws:NoSuchThingAtAll"),
            KeyStatus::Unknown { nearest: None }
        );
        assert!(prefixes().count() > 150);
        assert!(snapshot_date().starts_with("20"));
    }
}
