//! Resource types per action, with their ARN formats
//! (`rules/aws-resource-types.json`), and what a policy ARN may match.
//!
//! An action of the Service Authorization Reference lists the resource
//! types a policy can name for it; an action that lists none takes only
//! `"Resource": "*"`. A policy ARN matches a resource type when some ARN
//! fits both: each `${...}` of the format and each `*` of the policy stands
//! for any text, `?` for one character.
//!
//! ```
//! use policy_lint::aws_reference::resource_types::{arn_may_match, service};
//!
//! let s3 = service("s3").unwrap();
//! let get_object = s3.action("getobject").unwrap();
//! let formats: Vec<&str> = get_object.types().map(|t| t.arn.as_str()).collect();
//! assert!(formats.iter().any(|f| arn_may_match("arn:aws:s3:::bucket/*", f)));
//! assert!(!formats.iter().any(|f| arn_may_match("arn:aws:s3:::bucket", f)));
//! ```

use std::sync::LazyLock;

use serde::Deserialize;

use super::lines::{LazyMap, top_level};
use crate::hash::HashSet;
use crate::model::aws::actions::action_matches;

/// Raw text of `rules/aws-resource-types.json`.
pub const JSON: &str = include_str!("../../../../rules/aws-resource-types.json");

/// A resource type of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    /// `object`.
    pub name: String,
    /// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub arn: String,
    /// The six fields of `arn` with its placeholders as `*`, split once:
    /// rules compare them with every ARN of every policy.
    fields: Option<[Box<str>; 6]>,
}

impl ResourceType {
    fn new(name: String, arn: String) -> Self {
        let glob = placeholders_as_stars(&arn);
        let fields = arn_fields(&glob).map(|f| f.map(Box::from));
        Self { name, arn, fields }
    }

    /// Whether the policy ARN pattern `policy`, its variables already
    /// replaced by [`placeholders_as_stars`], may name a resource of this type.
    pub fn may_match(&self, policy: &str) -> bool {
        arn_fields(policy).is_none_or(|p| self.may_match_fields(&p))
    }

    /// [`Self::may_match`] of a policy ARN pattern split by [`arn_fields`].
    pub fn may_match_fields(&self, policy: &[&str; 6]) -> bool {
        self.fields().is_none_or(|f| fields_intersect(policy, &f))
    }

    /// The six fields of the format, placeholders as `*`.
    pub fn fields(&self) -> Option<[&str; 6]> {
        self.fields.as_ref().map(|f| f.each_ref().map(|b| &**b))
    }
}

/// The resource types and actions of one service.
#[derive(Debug)]
pub struct ServiceTypes {
    /// Every resource type of the service.
    pub resource_types: Vec<ResourceType>,
    /// Actions sorted by lowercase name: (lowercase, documented, type indices).
    actions: Vec<(Box<str>, Box<str>, Vec<u16>)>,
}

/// One action with its resource types.
#[derive(Debug, Clone, Copy)]
pub struct ActionTypes<'a> {
    /// The documented name (`GetObject`).
    pub name: &'a str,
    service: &'a ServiceTypes,
    refs: &'a [u16],
}

impl<'a> ActionTypes<'a> {
    /// The resource types the action documents; none means only `*`.
    pub fn types(&self) -> impl Iterator<Item = &'a ResourceType> + 'a {
        let all = &self.service.resource_types;
        self.refs.iter().filter_map(|i| all.get(usize::from(*i)))
    }

    /// Whether the action takes only `"Resource": "*"`.
    pub fn star_only(&self) -> bool {
        self.refs.is_empty()
    }
}

#[derive(Deserialize)]
struct RawService {
    actions: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<u16>>>,
    resource_types: Vec<(String, String)>,
}

impl<'de> Deserialize<'de> for ServiceTypes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawService::deserialize(d)?;
        let mut actions: Vec<_> = raw
            .actions
            .into_values()
            .flatten()
            .map(|(name, refs)| (name.to_ascii_lowercase().into(), name.into(), refs))
            .collect();
        actions.sort_unstable_by(|a: &(Box<str>, Box<str>, Vec<u16>), b| a.0.cmp(&b.0));
        Ok(Self {
            resource_types: raw
                .resource_types
                .into_iter()
                .map(|(name, arn)| ResourceType::new(name, arn))
                .collect(),
            actions,
        })
    }
}

impl ServiceTypes {
    /// Action `name` (any case), if the reference lists it.
    pub fn action(&self, name: &str) -> Option<ActionTypes<'_>> {
        let lower = || name.bytes().map(|b| b.to_ascii_lowercase());
        let i = self
            .actions
            .binary_search_by(|a| a.0.bytes().cmp(lower()))
            .ok()?;
        self.actions.get(i).map(|a| self.view(a))
    }

    /// The actions matching the wildcard pattern `name` (any case).
    pub fn matching<'s, 'n>(
        &'s self,
        name: &'n str,
    ) -> impl Iterator<Item = ActionTypes<'s>> + use<'s, 'n> {
        self.actions
            .iter()
            .filter(move |a| action_matches(name, &a.0))
            .map(|a| self.view(a))
    }

    fn view<'s>(&'s self, a: &'s (Box<str>, Box<str>, Vec<u16>)) -> ActionTypes<'s> {
        ActionTypes {
            name: &a.1,
            service: self,
            refs: &a.2,
        }
    }
}

static SERVICES: LazyLock<LazyMap<ServiceTypes>> =
    LazyLock::new(|| LazyMap::section(JSON, "services"));
static ARN_SERVICES: LazyLock<LazyMap<Vec<String>>> =
    LazyLock::new(|| LazyMap::section(JSON, "arn_services"));
/// [`arn_formats`] per ARN service, gathered on first use: AWS113 asks it of
/// every ARN.
static ARN_FORMATS: LazyLock<ArnFormats> = LazyLock::new(|| {
    ARN_SERVICES
        .keys()
        .map(|k| (k, std::sync::OnceLock::new()))
        .collect()
});
type ArnFormats =
    crate::hash::HashMap<&'static str, std::sync::OnceLock<Option<Vec<&'static ResourceType>>>>;
static PARTITIONS: LazyLock<Vec<String>> =
    LazyLock::new(|| top_level(JSON, "partitions").unwrap_or_default());
static REGIONS: LazyLock<HashSet<String>> =
    LazyLock::new(|| top_level(JSON, "regions").unwrap_or_default());
static SEVERAL_PAGES: LazyLock<HashSet<String>> =
    LazyLock::new(|| top_level(JSON, "services_with_several_pages").unwrap_or_default());

/// Whether several reference pages share the prefix (`elasticloadbalancing`
/// for Elastic Load Balancing and its V2): the data keeps one definition per
/// action name, so an action's resource types may be one page's only.
pub fn has_several_pages(prefix: &str) -> bool {
    SEVERAL_PAGES.contains(&prefix.to_ascii_lowercase())
}

/// The resource types of service `prefix` (any case), if the reference has it.
pub fn service(prefix: &str) -> Option<&'static ServiceTypes> {
    SERVICES.get(&lowercase(prefix))
}

/// `s` in ASCII lower case, copied only when it has upper case.
fn lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The resource types whose ARN format has `arn_service` as its service
/// field (exact case, as ARNs are case-sensitive), across every service
/// prefix; `None` when no format has it.
pub fn arn_formats(arn_service: &str) -> Option<&'static [&'static ResourceType]> {
    let cell = ARN_FORMATS.get(arn_service)?;
    let formats = cell.get_or_init(|| {
        let owners = ARN_SERVICES.get(arn_service)?;
        Some(
            owners
                .iter()
                .filter_map(|prefix| service(prefix))
                .flat_map(|s| &s.resource_types)
                .filter(|t| t.fields().and_then(|f| f.get(2).copied()) == Some(arn_service))
                .collect(),
        )
    });
    formats.as_deref()
}

/// Whether some ARN format has `name` as its service field, in any case.
pub fn is_arn_service_ignore_case(name: &str) -> bool {
    ARN_SERVICES.get(&lowercase(name)).is_some()
}

/// The known partitions (`aws`, `aws-cn`, ...).
pub fn partitions() -> &'static [String] {
    &PARTITIONS
}

/// Whether `region` is a region the data knows.
pub fn is_known_region(region: &str) -> bool {
    REGIONS.contains(region)
}

/// The data's snapshot date.
pub fn snapshot_date() -> &'static str {
    static DATE: LazyLock<String> =
        LazyLock::new(|| top_level(JSON, "snapshot_date").unwrap_or_default());
    &DATE
}

/// `text` with every `${...}` replaced by `*`: a policy variable or a
/// format placeholder stands for any text.
pub fn placeholders_as_stars(text: &str) -> std::borrow::Cow<'_, str> {
    replace_placeholders(text, "*")
}

/// `text` with every `${...}` replaced by `by` (an unclosed `${` is kept).
pub fn replace_placeholders<'a>(text: &'a str, by: &str) -> std::borrow::Cow<'a, str> {
    if !text.contains("${") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start..).unwrap_or_default();
        match after.find('}') {
            Some(end) => {
                out.push_str(by);
                rest = after.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The six fields of an ARN pattern; a `*` ending a shorter pattern stands
/// for the fields after it. `None` when it is not an ARN.
pub fn arn_fields(arn: &str) -> Option<[&str; 6]> {
    let mut fields = ["*"; 6];
    let mut count = 0usize;
    for (slot, field) in fields.iter_mut().zip(arn.splitn(6, ':')) {
        *slot = field;
        count += 1;
    }
    let last = count.checked_sub(1).and_then(|i| fields.get(i));
    let complete = count == 6 || last.is_some_and(|f| f.ends_with('*'));
    (fields.first() == Some(&"arn") && complete).then_some(fields)
}

/// Whether some ARN fits both the policy ARN pattern `policy` and the
/// reference's ARN format `format`. Fields are compared one by one, the
/// resource part as a whole; case is ignored, so a finding is never due to
/// case alone.
pub fn arn_may_match(policy: &str, format: &str) -> bool {
    globs_fields_intersect(
        &placeholders_as_stars(policy),
        &placeholders_as_stars(format),
    )
}

/// [`arn_may_match`] of two ARN globs.
fn globs_fields_intersect(policy: &str, format: &str) -> bool {
    let (Some(p), Some(f)) = (arn_fields(policy), arn_fields(format)) else {
        return true;
    };
    fields_intersect(&p, &f)
}

/// Whether every field of `p` shares a string with the same field of `f`.
fn fields_intersect(p: &[&str; 6], f: &[&str; 6]) -> bool {
    p.iter().zip(f.iter()).all(|(a, b)| globs_intersect(a, b))
}

/// Whether the glob patterns `a` and `b` (`*` any run, `?` one character)
/// both match some string, ignoring ASCII case.
pub fn globs_intersect(a: &str, b: &str) -> bool {
    // Most fields are `*` or literal: answer those without the table, which
    // costs a row per character pair (most of the time of AWS113/AWS205).
    let wild = |s: &str| s.contains(['*', '?']);
    if a == "*" || b == "*" || a.eq_ignore_ascii_case(b) {
        // A glob shares a string with itself (its stars empty).
        return true;
    }
    if !wild(a) && !wild(b) {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        // Every string of `a` starts with its literal head and ends with its
        // literal tail, and so does every string of `b`: heads (and tails)
        // that disagree on their common length share nothing.
        let is_wild = |c: &u8| *c == b'*' || *c == b'?';
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let head = |s: &'_ [u8]| s.len() - s.iter().skip_while(|c| !is_wild(c)).count();
        let tail = |s: &'_ [u8]| s.iter().rev().take_while(|c| !is_wild(c)).count();
        let n = head(a).min(head(b));
        let t = tail(a).min(tail(b));
        let same = |x: Option<&[u8]>, y: Option<&[u8]>| {
            x.zip(y).is_some_and(|(x, y)| x.eq_ignore_ascii_case(y))
        };
        if !same(a.get(..n), b.get(..n)) || !same(a.get(a.len() - t..), b.get(b.len() - t..)) {
            return false;
        }
        // The shared literal head and tail are in every common string: what
        // lies between them decides, and a lone `*` there takes anything.
        // (An all-literal side may be shorter than the two together.)
        fn middle(s: &[u8], n: usize, t: usize) -> Option<&[u8]> {
            s.get(n..s.len().checked_sub(t)?)
        }
        match (middle(a, n, t), middle(b, n, t)) {
            (Some(x), Some(y)) if x == b"*" || y == b"*" => true,
            (Some(x), Some(y)) => intersect(x, y),
            _ => intersect(a, b),
        }
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        intersect(&a, &b)
    }
}

/// Two rows of the table "a[i..] and b[j..] share a string", filled from
/// the ends.
fn intersect<T: Copy + PartialEq + From<u8> + CaseFold>(a: &[T], b: &[T]) -> bool {
    let (star, any) = (T::from(b'*'), T::from(b'?'));
    let m = b.len();
    let mut next = vec![false; m + 1];
    let mut cur = vec![false; m + 1];
    for i in (0..=a.len()).rev() {
        let x = a.get(i).copied();
        for j in (0..=m).rev() {
            let y = b.get(j).copied();
            let right = cur.get(j + 1).copied().unwrap_or(false);
            let below = next.get(j).copied().unwrap_or(false);
            let diagonal = next.get(j + 1).copied().unwrap_or(false);
            let value = match (x, y) {
                (None, None) => true,
                // A star matches nothing, or absorbs the other side's next symbol.
                (Some(x), _) if x == star => below || (y.is_some() && right),
                (_, Some(y)) if y == star => right || (x.is_some() && below),
                (Some(x), Some(y)) => (x == any || y == any || x.fold() == y.fold()) && diagonal,
                _ => false,
            };
            if let Some(c) = cur.get_mut(j) {
                *c = value;
            }
        }
        std::mem::swap(&mut cur, &mut next);
    }
    next.first().copied().unwrap_or(false)
}

/// ASCII case folding for bytes and chars.
trait CaseFold {
    fn fold(self) -> Self;
}

impl CaseFold for u8 {
    fn fold(self) -> Self {
        self.to_ascii_lowercase()
    }
}

impl CaseFold for char {
    fn fold(self) -> Self {
        self.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_intersection() {
        assert!(globs_intersect("abc", "abc"));
        assert!(globs_intersect("ABC", "abc"));
        assert!(!globs_intersect("abc", "abd"));
        assert!(globs_intersect("a*", "*c"));
        assert!(globs_intersect("*/*", "b/*"));
        assert!(!globs_intersect("*/*", "b"));
        assert!(globs_intersect("a?c", "a*"));
        assert!(!globs_intersect("a?", "a"));
        assert!(globs_intersect("", "*"));
        assert!(!globs_intersect("", "?"));
        assert!(globs_intersect("*x*", "*y*"));
        assert!(!globs_intersect("x*", "y*"));
        assert!(globs_intersect("accesspoint/*/object/*", "*"));
        assert!(!globs_intersect("accesspoint/*/object/*", "bucket"));
        assert!(globs_intersect("café*", "CAFé"));
        assert!(!globs_intersect("café", "cafe"));
    }

    #[test]
    fn literal_heads_and_tails_decide_before_the_table() {
        assert!(!globs_intersect("instance/*", "volume/*"));
        assert!(!globs_intersect("*.log", "*.txt"));
        assert!(globs_intersect("Instance/*", "instance/i-1*"));
        assert!(globs_intersect("log-group:*:log-stream:*", "LOG-GROUP:g:*"));
        assert!(!globs_intersect("ab*", "a"));
        assert!(globs_intersect("a?*z", "ab*"));
    }

    #[test]
    fn shared_head_and_tail_leave_the_middle_to_decide() {
        // A lone `*` between them takes anything.
        assert!(globs_intersect("instance/*", "instance/i-*"));
        assert!(globs_intersect("key/*.pem", "KEY/a*b.pem"));
        // A literal side shorter than head and tail together: the whole
        // table decides (`ab*ba` needs four characters).
        assert!(!globs_intersect("aba", "ab*ba"));
        assert!(globs_intersect("abba", "ab*ba"));
        // Middles that share nothing.
        assert!(!globs_intersect("a?b*c", "a?x*c"));
        assert!(globs_intersect("a?b*c", "a?*c"));
        assert!(!globs_intersect("x*y?z", "xyz"));
    }

    #[test]
    fn formats_split_once_match_as_the_text_does() {
        let s3 = service("s3").expect("s3");
        let object = s3
            .resource_types
            .iter()
            .find(|t| t.name == "object")
            .expect("object");
        assert_eq!(object.fields(), Some(["arn", "*", "s3", "", "", "*/*"]));
        for policy in [
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b",
            "arn:aws:ec2:*:*:*",
            "*",
        ] {
            let glob = placeholders_as_stars(policy);
            assert_eq!(
                object.may_match(&glob),
                arn_may_match(policy, &object.arn),
                "{policy}"
            );
            if let Some(fields) = arn_fields(&glob) {
                assert_eq!(object.may_match_fields(&fields), object.may_match(&glob));
            }
        }
        // Gathered once, the same slice every time.
        let first = arn_formats("s3").expect("s3");
        assert!(std::ptr::eq(first, arn_formats("s3").expect("s3")));
    }

    #[test]
    fn arn_matching() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(arn_may_match("arn:aws:s3:::b/*", object));
        // A placeholder may hold `/` (log group names, role paths), so an
        // object ARN is not told apart from a bucket format.
        assert!(arn_may_match("arn:aws:s3:::b/*", bucket));
        assert!(arn_may_match("arn:aws:s3:::b*", object));
        assert!(arn_may_match("arn:aws:s3:::b*", bucket));
        assert!(!arn_may_match("arn:aws:s3:::b", object));
        assert!(arn_may_match("arn:aws:s3:::*", object));
        assert!(arn_may_match("arn:aws:s3:::${aws:username}/*", object));
        assert!(arn_may_match("arn:aws:s3:*", object));
        assert!(!arn_may_match("arn:aws:ec2:*:*:instance/*", object));
        assert!(arn_may_match("arn:*:*:*:*:*", object));
        // Not an ARN: no judgement.
        assert!(arn_may_match("*", object));
        assert_eq!(arn_fields("arn:aws:s3"), None);
        assert_eq!(arn_fields("arn:aws:s3*").map(|f| f[5]), Some("*"));
    }

    #[test]
    fn lookups() {
        let s3 = service("S3").expect("s3");
        let get = s3.action("GETOBJECT").expect("GetObject");
        assert_eq!(get.name, "GetObject");
        assert!(get.types().any(|t| t.name == "object"));
        assert!(s3.action("ListAllMyBuckets").expect("listed").star_only());
        assert!(s3.matching("Get*Acl").count() > 2);
        let s3 = arn_formats("s3").expect("s3");
        assert!(s3.iter().any(|t| t.name == "bucket"));
        assert!(arn_formats("S3").is_none());
        assert!(is_arn_service_ignore_case("S3"));
        assert!(partitions().iter().any(|p| p == "aws-us-gov"));
        assert!(is_known_region("eu-west-1"));
        assert!(has_several_pages("elasticloadbalancing"));
        assert!(!has_several_pages("s3"));
        assert!(!is_known_region("us-east-99"));
        assert!(snapshot_date().starts_with("20"));
    }
}
