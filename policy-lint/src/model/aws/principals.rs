//! The known AWS service principals (`rules/aws-service-principals.json`,
//! provenance in `rules/README.md`), the forms IAM accepts for them, and the
//! did-you-mean for a principal that is none of them.

use crate::hash::HashMap;
use crate::memo::{StrMemo, memoized};
use std::sync::LazyLock;

use serde::Deserialize;

/// How sure the data is that a service principal exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Seen in AWS documents or managed policies.
    High,
    /// Only the `<prefix>.amazonaws.com` pattern.
    Low,
}

#[derive(Deserialize)]
struct PrincipalsFile {
    principals: HashMap<String, Confidence>,
}

/// Known AWS service principals (`rules/aws-service-principals.json`).
pub static SERVICE_PRINCIPALS: LazyLock<HashMap<String, Confidence>> = LazyLock::new(|| {
    serde_json::from_str::<PrincipalsFile>(include_str!(
        "../../../rules/aws-service-principals.json"
    ))
    .map(|f| f.principals)
    .unwrap_or_default()
});

/// Whether `principal` is a known service principal, regional
/// (`logs.eu-west-1.amazonaws.com`) and China (`.amazonaws.com.cn`) forms included.
pub fn is_known_principal(principal: &str) -> bool {
    let p = principal.to_ascii_lowercase();
    let p = p.strip_suffix(".cn").unwrap_or(&p);
    if SERVICE_PRINCIPALS.contains_key(p) {
        return true;
    }
    // A sub-principal of a known service
    // (`member.org.stacksets.cloudformation.amazonaws.com`).
    let mut rest = p;
    while let Some((_, tail)) = rest.split_once('.') {
        if tail.matches('.').count() >= 2 && SERVICE_PRINCIPALS.contains_key(tail) {
            return true;
        }
        rest = tail;
    }
    // `<service>.<region>.amazonaws.com`
    let Some(head) = p.strip_suffix(".amazonaws.com") else {
        return false;
    };
    match head.rsplit_once('.') {
        Some((service, region)) if looks_like_region(region) => {
            SERVICE_PRINCIPALS.contains_key(&format!("{service}.amazonaws.com"))
        }
        _ => false,
    }
}

fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts
            .last()
            .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()))
        && parts.first().is_some_and(|p| p.len() == 2 || *p == "gov")
}

/// The high-confidence principals, lowercase, sorted by length then name:
/// a typo's candidates are the slice within `max` of its length.
static HIGH_CONFIDENCE: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v: Vec<&'static str> = SERVICE_PRINCIPALS
        .iter()
        .filter(|(_, c)| **c == Confidence::High)
        .map(|(k, _)| k.as_str())
        .collect();
    v.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    v
});

thread_local! {
    /// [`nearest_principal`] per distinct bound and (lowercase) string: a
    /// trust policy repeats its principals, and a corpus its typos.
    static NEAREST: StrMemo<Option<(&'static str, usize)>> = StrMemo::default();
}

/// The known principal nearest to `principal` by edit distance, with the
/// distance, if it is at most `max`; high-confidence principals only.
/// Computed once per distinct string, and only against the principals whose
/// length is within `max`, each comparison stopping once past `max`.
pub fn nearest_principal(principal: &str, max: usize) -> Option<(&'static str, usize)> {
    let lower = principal.to_ascii_lowercase();
    let key = format!("{max}:{lower}");
    memoized(&NEAREST, &key, |_| nearest_uncached(&lower, max))
}

fn nearest_uncached(p: &str, max: usize) -> Option<(&'static str, usize)> {
    let first = HIGH_CONFIDENCE.partition_point(|k| k.len() + max < p.len());
    let mut best: Option<(&'static str, usize)> = None;
    for &k in HIGH_CONFIDENCE.get(first..).unwrap_or_default() {
        if k.len() > p.len() + max {
            break;
        }
        let bound = best.map_or(max, |(_, d)| d);
        if let Some(d) = bounded_edit_distance(p, k, bound)
            && best.is_none_or(|(b, bd)| (d, k) < (bd, b))
        {
            best = Some((k, d));
        }
    }
    best
}

/// Levenshtein distance over bytes.
pub fn edit_distance(a: &str, b: &str) -> usize {
    bounded_edit_distance(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`edit_distance`] if it is at most `max`, else `None`, found without
/// finishing the table once a whole row is past `max`.
pub fn bounded_edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        // Distances never shrink from one row to the next.
        if cur.iter().min().is_some_and(|&m| m > max) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().filter(|&d| d <= max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_principal_by_edit_distance() {
        assert_eq!(
            nearest_principal("vpc-flow-log.amazonaws.com", 3),
            Some(("vpc-flow-logs.amazonaws.com", 1))
        );
        // Asked again (the memo), and with a bound too small.
        assert_eq!(
            nearest_principal("VPC-flow-log.amazonaws.com", 3),
            Some(("vpc-flow-logs.amazonaws.com", 1))
        );
        assert_eq!(nearest_principal("vpc-flow-log.amazonaws.com", 0), None);
        assert_eq!(nearest_principal("svc12345.amazonaws.com", 2), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(bounded_edit_distance("kitten", "sitting", 3), Some(3));
        assert_eq!(bounded_edit_distance("kitten", "sitting", 2), None);
        assert_eq!(bounded_edit_distance("abc", "abcdef", 2), None);
        assert_eq!(bounded_edit_distance("", "ab", 2), Some(2));
    }
}
