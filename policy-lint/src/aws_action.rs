//! AWS action names: the `service:Action` grammar, the glob IAM matches them
//! with, and the vendored catalogue of known actions (`rules/aws-actions.json`).
//!
//! Matching follows the IAM policy language: the service prefix and the
//! action name are case-insensitive, `*` matches any run of characters
//! (including none) and `?` exactly one character. There is no other
//! wildcard syntax (`[...]` is literal).
//!
//! ```
//! use policy_lint::aws_action::action_matches;
//!
//! assert!(action_matches("s3:Get*", "s3:GetObject"));
//! assert!(action_matches("S3:getobjec?", "s3:GetObject"));
//! assert!(!action_matches("s3:Get?", "s3:GetObject"));
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

/// Whether the IAM action pattern `pattern` matches the action (or action
/// name) `action`, case-insensitively, with `*` matching any run and `?`
/// exactly one character.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    if pattern.is_ascii() && action.is_ascii() {
        glob(pattern.as_bytes(), action.as_bytes(), |p, t| {
            p.eq_ignore_ascii_case(t)
        })
    } else {
        let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
        let t: Vec<char> = action.chars().flat_map(char::to_lowercase).collect();
        glob(&p, &t, |a, b| a == b)
    }
}

/// The classic linear-time wildcard match with one backtrack point: on a
/// mismatch, the last `*` absorbs one more character.
fn glob<T: Copy + PartialEq + From<u8>>(p: &[T], t: &[T], eq: impl Fn(&T, &T) -> bool) -> bool {
    let star = T::from(b'*');
    let any = T::from(b'?');
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut back: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some(c), _) if *c == star => {
                back = Some((pi, ti));
                pi += 1;
            }
            (Some(c), Some(x)) if *c == any || eq(c, x) => {
                pi += 1;
                ti += 1;
            }
            _ => match back {
                Some((bp, bt)) => {
                    back = Some((bp, bt + 1));
                    pi = bp + 1;
                    ti = bt + 1;
                }
                None => return false,
            },
        }
    }
    p.get(pi..).unwrap_or_default().iter().all(|c| *c == star)
}

/// Whether `s` contains an IAM wildcard (`*` or `?`).
pub fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// An action split at its first colon: `("s3", "GetObject")`. `None` when
/// there is no colon (`*` alone is not split).
pub fn split_action(action: &str) -> Option<(&str, &str)> {
    action.split_once(':')
}

/// Why an action string is not of the form `service:Action`, or `None` when
/// it is. `*` alone is well formed.
pub fn action_format_error(action: &str) -> Option<&'static str> {
    if action == "*" {
        return None;
    }
    if action.contains("${") {
        return Some("policy variables are not substituted in `Action`");
    }
    if action.trim() != action {
        return Some("it has leading or trailing whitespace, so it matches no request");
    }
    let Some((prefix, name)) = split_action(action) else {
        return Some("it has no `:` between the service prefix and the action name");
    };
    if prefix.is_empty() {
        return Some("the service prefix before `:` is empty");
    }
    if name.is_empty() {
        return Some("the action name after `:` is empty");
    }
    let word = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?'))
    };
    if !word(prefix) {
        return Some("the service prefix may hold only letters, digits, `-` and the wildcards `*` and `?`");
    }
    if name.contains(':') {
        return Some("it has more than one `:`");
    }
    if !word(name) {
        return Some("the action name may hold only letters, digits, `-`, `_` and the wildcards `*` and `?`");
    }
    None
}

/// One service of the catalogue.
#[derive(Debug)]
pub struct Service {
    /// The prefix as documented (lowercase).
    pub prefix: String,
    /// Every known action name, in documented case.
    pub actions: Vec<String>,
    lower: HashMap<String, usize>,
    /// The prefix is missing from the newest reference list.
    pub retired: bool,
}

impl Service {
    /// The documented name of action `name` (any case), if known.
    pub fn action(&self, name: &str) -> Option<&str> {
        let i = *self.lower.get(&name.to_ascii_lowercase())?;
        self.actions.get(i).map(String::as_str)
    }

    /// The known action names matching the wildcard pattern `name`.
    pub fn matching<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.actions
            .iter()
            .map(String::as_str)
            .filter(move |a| action_matches(name, a))
    }

    /// The known action closest to `name` (edit distance, case-insensitive;
    /// wildcards match freely), with its distance.
    pub fn nearest_action(&self, name: &str) -> Option<(&str, usize)> {
        let name = name.to_ascii_lowercase();
        self.actions
            .iter()
            .map(|a| (a.as_str(), glob_distance(&name, &a.to_ascii_lowercase())))
            .min_by_key(|(a, d)| (*d, a.len()))
    }
}

/// The catalogue of AWS services and actions embedded from
/// `rules/aws-actions.json`.
#[derive(Debug, Default)]
pub struct Catalogue {
    services: HashMap<String, Service>,
    /// The reference data's snapshot date.
    pub snapshot_date: String,
}

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::from_json(include_str!("../../rules/aws-actions.json")));

impl Catalogue {
    /// The embedded catalogue, parsed once.
    pub fn get() -> &'static Catalogue {
        &CATALOGUE
    }

    /// Builds a catalogue from the `aws-actions.json` format (see
    /// `rules/README.md`); malformed input gives an empty catalogue.
    pub fn from_json(text: &str) -> Self {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return Self::default();
        };
        let strings = |v: Option<&serde_json::Value>| -> Vec<String> {
            v.and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut services = HashMap::new();
        if let Some(map) = value.get("services").and_then(serde_json::Value::as_object) {
            for (prefix, s) in map {
                let mut actions: Vec<String> = Vec::new();
                if let Some(levels) = s.get("actions").and_then(serde_json::Value::as_object) {
                    for names in levels.values() {
                        actions.extend(strings(Some(names)));
                    }
                }
                actions.extend(strings(s.get("lowercase_only")));
                actions.extend(strings(s.get("legacy")));
                actions.sort();
                actions.dedup();
                let lower = actions
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.to_ascii_lowercase(), i))
                    .collect();
                let retired = s.get("retired").and_then(serde_json::Value::as_bool) == Some(true);
                services.insert(
                    prefix.to_ascii_lowercase(),
                    Service {
                        prefix: prefix.clone(),
                        actions,
                        lower,
                        retired,
                    },
                );
            }
        }
        let snapshot_date = value
            .get("snapshot_date")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string();
        Self {
            services,
            snapshot_date,
        }
    }

    /// The service with prefix `prefix` (any case).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.get(&prefix.to_ascii_lowercase())
    }

    /// Every service.
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.services.values()
    }

    /// The known prefix closest to `prefix` by edit distance.
    pub fn nearest_service(&self, prefix: &str) -> Option<(&str, usize)> {
        let prefix = prefix.to_ascii_lowercase();
        self.services
            .values()
            .map(|s| (s.prefix.as_str(), glob_distance(&prefix, &s.prefix)))
            .min_by_key(|(p, d)| (*d, p.len(), *p))
    }
}

/// The edit distance (insertions, deletions, substitutions) between the
/// pattern `p` and the text `t`, where `*` in `p` matches any run for free
/// and `?` any one character. Without wildcards this is the Levenshtein
/// distance.
pub fn glob_distance(p: &str, t: &str) -> usize {
    const FAR: usize = usize::MAX / 4;
    let t: Vec<char> = t.chars().collect();
    // prev[j]: distance between the pattern so far and t[..j].
    let mut prev: Vec<usize> = (0..=t.len()).collect();
    for c in p.chars() {
        let mut row = Vec::with_capacity(t.len() + 1);
        if c == '*' {
            // A star matches any t[k..j] for free: the running minimum.
            let mut best = FAR;
            for v in &prev {
                best = best.min(*v);
                row.push(best);
            }
        } else {
            row.push(prev.first().copied().unwrap_or(FAR) + 1);
            for (j, x) in t.iter().enumerate() {
                let diag = prev.get(j).copied().unwrap_or(FAR) + usize::from(c != '?' && c != *x);
                let up = prev.get(j + 1).copied().unwrap_or(FAR) + 1;
                let left = row.last().copied().unwrap_or(FAR) + 1;
                row.push(diag.min(up).min(left));
            }
        }
        prev = row;
    }
    prev.last().copied().unwrap_or(0)
}

/// The largest edit distance still worth a "did you mean" for a name of
/// `len` characters: 1 up to 4 characters, 2 up to 10, 3 beyond.
pub fn typo_threshold(len: usize) -> usize {
    match len {
        0..=4 => 1,
        5..=10 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_semantics() {
        assert!(action_matches("*", "s3:GetObject"));
        assert!(action_matches("s3:*", "s3:GetObject"));
        assert!(action_matches("s3:Get*", "S3:GETOBJECT"));
        assert!(action_matches("s3:*Object", "s3:GetObject"));
        assert!(action_matches("s3:*Obj*ct*", "s3:GetObject"));
        assert!(action_matches("s3:Get?bject", "s3:GetObject"));
        assert!(action_matches("s3:GetObject*", "s3:GetObject"));
        assert!(action_matches("iam:*AccessKey*", "iam:CreateAccessKey"));
        assert!(!action_matches("s3:Get?", "s3:GetObject"));
        assert!(!action_matches("s3:Get", "s3:GetObject"));
        assert!(!action_matches("s3:GetObject", "s3:GetObjectAcl"));
        assert!(!action_matches("s3:[G]etObject", "s3:GetObject"));
        assert!(!action_matches("?", ""));
        assert!(action_matches("", ""));
        assert!(action_matches("**", ""));
        assert!(action_matches("a*b*c", "aXXbYYc"));
        assert!(!action_matches("a*b*c", "aXXbYY"));
        // Non-ASCII: `?` is one character, not one byte.
        assert!(action_matches("s3:caf?", "s3:café"));
        assert!(action_matches("S3:CAFÉ", "s3:café"));
    }

    #[test]
    fn format_errors() {
        assert_eq!(action_format_error("*"), None);
        assert_eq!(action_format_error("s3:GetObject"), None);
        assert_eq!(action_format_error("s3:Get*"), None);
        assert_eq!(action_format_error("s*:Get?bject"), None);
        assert_eq!(action_format_error("vpc-lattice:AssociateViaAWSService-EventsAndStates"), None);
        assert!(action_format_error("iam.CreateUser").is_some());
        assert!(action_format_error("ec2:* ").is_some());
        assert!(action_format_error(":Get").is_some());
        assert!(action_format_error("s3:").is_some());
        assert!(action_format_error("s3:Get:Object").is_some());
        assert!(action_format_error("s3:${aws:username}").is_some());
        assert!(action_format_error("A list of the permissions").is_some());
        assert!(action_format_error("").is_some());
    }

    #[test]
    fn distance() {
        assert_eq!(glob_distance("kitten", "sitting"), 3);
        assert_eq!(glob_distance("getobjekt", "getobject"), 1);
        assert_eq!(glob_distance("get*", "getobject"), 0);
        assert_eq!(glob_distance("gett*", "getobject"), 1);
        assert_eq!(glob_distance("", "abc"), 3);
        assert_eq!(glob_distance("abc", ""), 3);
        assert_eq!(glob_distance("*", ""), 0);
    }

    #[test]
    fn catalogue_lookups() {
        let c = Catalogue::get();
        let s3 = c.service("S3").expect("s3 is known");
        assert_eq!(s3.action("getobject"), Some("GetObject"));
        assert!(s3.matching("Get*").count() > 10);
        assert_eq!(s3.matching("Gett*").count(), 0);
        assert_eq!(s3.nearest_action("GetObjekt").map(|a| a.0), Some("GetObject"));
        assert_eq!(c.nearest_service("s4").map(|a| a.1), Some(1));
        assert_eq!(c.nearest_service("dynamodbb").map(|a| a.0), Some("dynamodb"));
    }
}
