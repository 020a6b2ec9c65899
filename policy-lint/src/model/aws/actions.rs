//! AWS action names: the `service:Action` grammar, the glob IAM matches them
//! with, and the vendored catalogue of known actions (`rules/aws-actions.json`).
//!
//! Matching follows the IAM policy language: the service prefix and the
//! action name are case-insensitive, `*` matches any run of characters
//! (including none) and `?` exactly one character. There is no other
//! wildcard syntax (`[...]` is literal).
//!
//! ```
//! use policy_lint::model::aws::actions::action_matches;
//!
//! assert!(action_matches("s3:Get*", "s3:GetObject"));
//! assert!(action_matches("S3:getobjec?", "s3:GetObject"));
//! assert!(!action_matches("s3:Get?", "s3:GetObject"));
//! ```

use serde::Deserialize;

use crate::hash::HashMap;
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

/// Whether the glob `pattern` matches `text` case-sensitively, with `*`
/// matching any run and `?` exactly one character: the wildcards of
/// `StringLike`, and of the catalogue's `like` conditions.
pub fn text_glob_matches(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        glob(pattern.as_bytes(), text.as_bytes(), |p, t| p == t)
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
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

/// Calls `f` with `s` in ASCII lowercase, without allocating for short names.
fn with_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 96];
    match buf.get_mut(..s.len()) {
        Some(dst) if s.is_ascii() => {
            dst.copy_from_slice(s.as_bytes());
            dst.make_ascii_lowercase();
            f(std::str::from_utf8(dst).unwrap_or_default())
        }
        _ => f(&s.to_ascii_lowercase()),
    }
}

/// One pass over the bytes for the common case, `prefix:Name` with only the
/// characters [`action_format_error`] allows: every policy rule asks for each
/// action, so the slower checks that name the problem run only on a miss.
fn well_formed(action: &[u8]) -> bool {
    // Bit 0: allowed in a prefix; bit 1: allowed in a name.
    let class = |b: u8| match b {
        b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'*' | b'?' => 3u8,
        b'_' => 2,
        _ => 0,
    };
    let Some(colon) = action.iter().position(|b| *b == b':') else {
        return false;
    };
    let (prefix, name) = (action.get(..colon), action.get(colon + 1..));
    let all = |s: &[u8], bit: u8| s.iter().all(|&b| class(b) & bit != 0);
    match (prefix, name) {
        (Some(p), Some(n)) => !p.is_empty() && !n.is_empty() && all(p, 1) && all(n, 2),
        _ => false,
    }
}

/// What the embedded catalogue says of one action string, computed once per
/// thread and string: five rules ask it of every action of every policy.
#[derive(Debug, Clone, Copy)]
pub struct ActionFacts {
    /// Why the string is not `service:Action` ([`action_format_error`]).
    pub format_error: Option<&'static str>,
    /// The service, when the prefix is a known one without wildcards.
    pub service: Option<&'static Service>,
    /// The documented name, when the action is known and has no wildcards.
    pub known: Option<&'static str>,
}

/// [`Service::nearest_action`] per (service prefix, lowercase name, bound):
/// the index of the action and its distance.
type NearestActions = HashMap<(Box<str>, Box<str>, usize), Option<(usize, usize)>>;

thread_local! {
    static NEAREST_ACTION: std::cell::RefCell<NearestActions> =
        std::cell::RefCell::new(HashMap::default());
}

thread_local! {
    static FACTS: crate::memo::StrMemo<ActionFacts> = crate::memo::StrMemo::default();
}

/// The [`ActionFacts`] of `action` (case-insensitive, as IAM compares).
pub fn facts(action: &str) -> ActionFacts {
    crate::memo::memoized(&FACTS, action, compute_facts)
}

fn compute_facts(action: &str) -> ActionFacts {
    let format_error = action_format_error(action);
    let service = match split_action(action) {
        Some((prefix, _)) if format_error.is_none() && !has_wildcard(prefix) => {
            Catalogue::get().service(prefix)
        }
        _ => None,
    };
    let known = match (service, split_action(action)) {
        (Some(svc), Some((_, name))) if !has_wildcard(name) => svc.action(name),
        _ => None,
    };
    ActionFacts {
        format_error,
        service,
        known,
    }
}

/// Whether `s` contains an IAM wildcard (`*` or `?`).
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

/// An action split at its first colon: `("s3", "GetObject")`. `None` when
/// there is no colon (`*` alone is not split).
pub fn split_action(action: &str) -> Option<(&str, &str)> {
    action.split_once(':')
}

/// Why an action string is not of the form `service:Action`, or `None` when
/// it is. `*` alone is well formed.
pub fn action_format_error(action: &str) -> Option<&'static str> {
    if action == "*" || well_formed(action.as_bytes()) {
        return None;
    }
    if action.contains("${") {
        return Some("policy variables are not substituted in `Action`");
    }
    if action.trim() != action {
        return Some(
            "it has leading or trailing whitespace, so IAM may reject it or it matches no request",
        );
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
        return Some(
            "the service prefix may hold only letters, digits, `-` and the wildcards `*` and `?`",
        );
    }
    if name.contains(':') {
        return Some("it has more than one `:`");
    }
    if !word(name) {
        return Some(
            "the action name may hold only letters, digits, `-`, `_` and the wildcards `*` and `?`",
        );
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
    /// Each action in lowercase with its index into `actions`, sorted: a
    /// name is found by binary search, and the actions that start with a
    /// pattern's literal prefix (`describe` of `Describe*`) are one range.
    lowercase: Vec<(Box<str>, usize)>,
    /// The prefix is missing from the newest reference list.
    pub retired: bool,
}

impl Service {
    /// The documented name of action `name` (any case), if known.
    pub fn action(&self, name: &str) -> Option<&str> {
        let i = with_lowercase(name, |lower| {
            // With names that differ only in case, the last one wins.
            let end = self.lowercase.partition_point(|(l, _)| &**l <= lower);
            let (l, i) = self.lowercase.get(end.checked_sub(1)?)?;
            (&**l == lower).then_some(*i)
        })?;
        self.actions.get(i).map(String::as_str)
    }

    /// The known action names matching the wildcard pattern `name`.
    pub fn matching<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.actions
            .iter()
            .map(String::as_str)
            .filter(move |a| action_matches(name, a))
    }

    /// Whether some known action matches the wildcard pattern `name`.
    /// Only the actions sharing the pattern's literal prefix (`Describe`
    /// of `Describe*`) are matched against it.
    pub fn any_matching(&self, name: &str) -> bool {
        let literal = name.split(['*', '?']).next().unwrap_or_default();
        if !literal.is_ascii() {
            return self.matching(name).next().is_some();
        }
        let literal = literal.to_ascii_lowercase();
        let start = self
            .lowercase
            .partition_point(|(l, _)| &**l < literal.as_str());
        self.lowercase
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|(l, _)| l.starts_with(&literal))
            .any(|(l, _)| action_matches(name, l))
    }

    /// The known action closest to `name` within edit distance `max`
    /// (case-insensitive; wildcards in `name` match freely), with its
    /// distance; ties go to the shorter name.
    /// Computed once per distinct (service, name, bound) on each thread:
    /// policies repeat their typos, and each search reads every action.
    pub fn nearest_action(&self, name: &str, max: usize) -> Option<(&str, usize)> {
        let name = name.to_ascii_lowercase();
        let key = (
            self.prefix.clone().into_boxed_str(),
            name.into_boxed_str(),
            max,
        );
        let hit = NEAREST_ACTION.with_borrow(|m| m.get(&key).copied());
        let found = hit.unwrap_or_else(|| {
            let found = self.nearest_action_index(&key.1, max);
            NEAREST_ACTION.with_borrow_mut(|m| m.insert(key, found));
            found
        });
        found.and_then(|(i, d)| Some((self.actions.get(i)?.as_str(), d)))
    }

    /// [`Service::nearest_action`] by index into `actions`, for the
    /// lowercase `name`.
    fn nearest_action_index(&self, name: &str, max: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, a) in self.actions.iter().enumerate() {
            let bound = best.map_or(max, |b| b.1);
            if a.len().abs_diff(name.len()) > bound && !name.contains('*') {
                continue;
            }
            if let Some(d) = bounded_glob_distance(name, &a.to_ascii_lowercase(), bound)
                && best.is_none_or(|b| (d, a.len()) < (b.1, b.2))
            {
                best = Some((i, d, a.len()));
            }
        }
        best.map(|(i, d, _)| (i, d))
    }
}

/// The catalogue of AWS services and actions embedded from
/// `rules/aws-actions.json`.
///
/// The embedded file has one service per line, so building the catalogue
/// only indexes lines; a service's actions are parsed the first time a rule
/// asks for that service. A one-file run pays for the services it names,
/// not for all 470.
#[derive(Debug, Default)]
pub struct Catalogue {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    /// The reference data's snapshot date.
    pub snapshot_date: String,
}

#[derive(Debug)]
struct Entry {
    prefix: String,
    /// `prefix` in lowercase, for "did you mean".
    lowercase: String,
    /// The service's JSON object (`{"actions": ...}`), parsed on first use.
    json: &'static str,
    service: std::sync::OnceLock<Service>,
}

impl Entry {
    fn service(&self) -> &Service {
        self.service.get_or_init(|| {
            let raw = serde_json::from_str(self.json).unwrap_or_default();
            Service::from_raw(&self.prefix, raw)
        })
    }
}

static CATALOGUE: LazyLock<Catalogue> =
    LazyLock::new(|| Catalogue::embedded(include_str!("../../../rules/aws-actions.json")));

impl Catalogue {
    /// The embedded catalogue, indexed once.
    pub fn get() -> &'static Catalogue {
        &CATALOGUE
    }

    /// Indexes the line-per-service layout of `rules/aws-actions.json`;
    /// falls back to a full parse when the text has another layout.
    fn embedded(text: &'static str) -> Self {
        let mut catalogue = Self::default();
        for line in text.lines() {
            let Some((key, value)) = line.strip_prefix('"').and_then(|l| l.split_once("\":"))
            else {
                continue;
            };
            let value = value.trim_end_matches(',');
            if key == "snapshot_date" {
                catalogue.snapshot_date = value.trim_matches('"').to_string();
            } else if value.len() > 1 && value.starts_with('{') && value.ends_with('}') {
                catalogue.push(key.to_string(), value, std::sync::OnceLock::new());
            }
        }
        if catalogue.entries.is_empty() {
            return Self::from_json(text);
        }
        catalogue
    }

    fn push(&mut self, prefix: String, json: &'static str, service: std::sync::OnceLock<Service>) {
        self.index
            .insert(prefix.to_ascii_lowercase(), self.entries.len());
        self.entries.push(Entry {
            lowercase: prefix.to_ascii_lowercase(),
            prefix,
            json,
            service,
        });
    }

    /// Builds a catalogue from the `aws-actions.json` format (see
    /// `rules/README.md`), parsing everything; malformed input gives an
    /// empty catalogue.
    pub fn from_json(text: &str) -> Self {
        let mut catalogue = Self::default();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return catalogue;
        };
        if let Some(map) = value.get("services").and_then(serde_json::Value::as_object) {
            for (prefix, s) in map {
                let cell = std::sync::OnceLock::new();
                let _ = cell.set(Service::from_value(prefix, s));
                catalogue.push(prefix.clone(), "", cell);
            }
        }
        catalogue.snapshot_date = value
            .get("snapshot_date")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string();
        catalogue
    }

    /// The service with prefix `prefix` (any case).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        let i = *with_lowercase(prefix, |lower| self.index.get(lower))?;
        self.entries.get(i).map(Entry::service)
    }

    /// Whether `prefix` (any case) is a known service prefix, without
    /// loading its actions.
    pub fn has_service(&self, prefix: &str) -> bool {
        with_lowercase(prefix, |lower| self.index.contains_key(lower))
    }

    /// Every known prefix, in documented case.
    pub fn prefixes(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.prefix.as_str())
    }

    /// Every service (loads them all).
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.entries.iter().map(Entry::service)
    }

    /// The known prefix closest to `prefix` within edit distance `max`.
    pub fn nearest_service(&self, prefix: &str, max: usize) -> Option<(&str, usize)> {
        let prefix = prefix.to_ascii_lowercase();
        self.entries
            .iter()
            .filter_map(|e| {
                Some((
                    e.prefix.as_str(),
                    bounded_glob_distance(&prefix, &e.lowercase, max)?,
                ))
            })
            .min_by_key(|(p, d)| (*d, p.len(), *p))
    }
}

impl Service {
    fn from_value(prefix: &str, s: &serde_json::Value) -> Self {
        let raw = RawService::deserialize(s).unwrap_or_default();
        Self::from_raw(prefix, raw)
    }

    fn from_raw(prefix: &str, raw: RawService) -> Self {
        let mut actions: Vec<String> = raw.actions.into_values().flatten().collect();
        actions.extend(raw.lowercase_only);
        actions.extend(raw.legacy);
        actions.sort();
        actions.dedup();
        let mut lowercase: Vec<(Box<str>, usize)> = actions
            .iter()
            .enumerate()
            .map(|(i, a)| (a.to_ascii_lowercase().into_boxed_str(), i))
            .collect();
        lowercase.sort_unstable();
        Service {
            prefix: prefix.to_string(),
            actions,
            lowercase,
            retired: raw.retired,
        }
    }
}

/// A service as `rules/aws-actions.json` writes it, read without building a
/// `serde_json::Value` first.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RawService {
    /// Access level -> action names.
    actions: std::collections::BTreeMap<String, Vec<String>>,
    lowercase_only: Vec<String>,
    legacy: Vec<String>,
    retired: bool,
}

/// The edit distance (insertions, deletions, substitutions) between the
/// pattern `p` and the text `t`, where `*` in `p` matches any run for free
/// and `?` any one character. Without wildcards this is the Levenshtein
/// distance. Compare lowercase strings for a case-insensitive distance.
pub fn glob_distance(p: &str, t: &str) -> usize {
    bounded_glob_distance(p, t, usize::MAX).unwrap_or(usize::MAX)
}

/// [`glob_distance`], or `None` as soon as it is known to exceed `max`.
pub fn bounded_glob_distance(p: &str, t: &str, max: usize) -> Option<usize> {
    if p.is_ascii() && t.is_ascii() {
        bounded_distance(p.as_bytes(), t.as_bytes(), max)
    } else {
        let p: Vec<char> = p.chars().collect();
        let t: Vec<char> = t.chars().collect();
        bounded_distance(&p, &t, max)
    }
}

fn bounded_distance<T: Copy + PartialEq + From<u8>>(p: &[T], t: &[T], max: usize) -> Option<usize> {
    const FAR: usize = usize::MAX / 4;
    let star = T::from(b'*');
    let any = T::from(b'?');
    // A pattern without `*` cannot get closer than the difference in length.
    if !p.contains(&star) && p.len().abs_diff(t.len()) > max {
        return None;
    }
    // prev[j]: distance between the pattern so far and t[..j]. Rows live
    // on the stack for names up to 96 characters: "did you mean" compares
    // a name with every action of a service.
    const STACK: usize = 97;
    let (mut prev_stack, mut row_stack) = ([0usize; STACK], [0usize; STACK]);
    let (mut prev_heap, mut row_heap);
    let (mut prev, mut row): (&mut [usize], &mut [usize]) = if t.len() < STACK {
        (
            prev_stack.get_mut(..=t.len()).unwrap_or_default(),
            row_stack.get_mut(..=t.len()).unwrap_or_default(),
        )
    } else {
        prev_heap = vec![0; t.len() + 1];
        row_heap = vec![0; t.len() + 1];
        (prev_heap.as_mut_slice(), row_heap.as_mut_slice())
    };
    for (j, v) in prev.iter_mut().enumerate() {
        *v = j;
    }
    for &c in p {
        if c == star {
            // A star matches any t[k..j] for free: the running minimum.
            let mut best = FAR;
            for (v, r) in prev.iter().zip(row.iter_mut()) {
                best = best.min(*v);
                *r = best;
            }
        } else {
            let mut left = prev.first().copied().unwrap_or(FAR) + 1;
            if let Some(r) = row.first_mut() {
                *r = left;
            }
            for ((x, pair), r) in t.iter().zip(prev.windows(2)).zip(row.iter_mut().skip(1)) {
                let (diag, up) = match pair {
                    [d, u] => (*d, *u),
                    _ => (FAR, FAR),
                };
                let cell = (diag + usize::from(c != any && c != *x))
                    .min(up + 1)
                    .min(left + 1);
                *r = cell;
                left = cell;
            }
        }
        // Row minima never decrease: past `max`, the result is too.
        if row.iter().min().copied().unwrap_or(FAR) > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev.last().copied().filter(|d| *d <= max)
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
mod tests;
