//! Wildcard matching for IAM actions and resource ARNs.
//!
//! Actions: case-insensitive, `*` matches any run of characters and `?`
//! exactly one (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>).
//!
//! Resources: case-sensitive; `*` and `?` work within a colon-delimited
//! segment, and a `*` that is the last character of a segment may extend
//! across colons (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
//! A request resource may itself hold wildcards where the caller does not
//! know a part (the log stream a service will create): the answer is then
//! three-valued. A `*` in the request stands for an unknown part of one
//! segment and never covers a colon; `**` stands for an unknown run that
//! may. The request resource `*` alone is that of an action without
//! resource type, which IAM matches as the text `*`.

use super::Tri;

/// Whether the action pattern `pattern` (`logs:Put*`) matches `action`
/// (`logs:PutLogEvents`), ignoring ASCII case.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let p: Vec<u8> = pattern.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let a: Vec<u8> = action.bytes().map(|b| b.to_ascii_lowercase()).collect();
    wildcard(&p, &a)
}

/// Classic `*`/`?` matching of `text` by `pattern`, linear backtracking.
fn wildcard(p: &[u8], t: &[u8]) -> bool {
    let (mut i, mut j) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        match p.get(i) {
            Some(b'*') => {
                star = Some((i, j));
                i += 1;
            }
            Some(&c) if c == b'?' || Some(&c) == t.get(j) => {
                i += 1;
                j += 1;
            }
            _ => match star {
                Some((si, sj)) => {
                    i = si + 1;
                    j = sj + 1;
                    star = Some((si, sj + 1));
                }
                None => return false,
            },
        }
    }
    p.get(i..).unwrap_or_default().iter().all(|&c| c == b'*')
}

/// Largest pattern-by-request table the ARN matcher builds; longer inputs
/// answer [`Tri::Maybe`] rather than spend the time.
const MAX_CELLS: usize = 1 << 20;

/// How the resource pattern `pattern` (from a policy) applies to the
/// request resource `request`, whose own `*`/`?` stand for unknown parts:
/// [`Tri::Yes`] when the pattern matches every ARN the request can be,
/// [`Tri::Maybe`] when it matches some, [`Tri::No`] when none.
///
/// Policy variables (`${aws:username}`) are unknown at lint time: the
/// pattern then matches at most [`Tri::Maybe`].
pub fn arn_matches(pattern: &str, request: &str) -> Tri {
    let (pattern, has_variables) = strip_variables(pattern);
    resource_pattern_matches(&pattern, has_variables, request)
}

/// [`arn_matches`] of a pattern whose policy variables are already
/// substituted; `unknown_parts` says that some `*` of it stands for a
/// variable whose value is not known, so it matches at most
/// [`Tri::Maybe`].
pub(crate) fn resource_pattern_matches(pattern: &str, unknown_parts: bool, request: &str) -> Tri {
    if pattern == "*" && !unknown_parts {
        return Tri::Yes;
    }
    // An action without resource type: IAM matches the text `*`, so only
    // a pattern such as `*` allows it.
    if request == "*" {
        return match (wildcard(pattern.as_bytes(), b"*"), unknown_parts) {
            (false, _) => Tri::No,
            (true, false) => Tri::Yes,
            (true, true) => Tri::Maybe,
        };
    }
    let p = Glob::new(pattern.as_bytes(), Stars::Policy);
    let q = Glob::new(request.as_bytes(), Stars::Request);
    three_valued(&p, &q, unknown_parts)
}

/// How the `StringLike` pattern `pattern` (`*` any run, `?` one
/// character, colons included) matches `value`, whose `*` stand for
/// unknown runs when `value_partial`.
pub(crate) fn string_like(pattern: &str, value: &str, value_partial: bool) -> Tri {
    if !value_partial {
        return if wildcard(pattern.as_bytes(), value.as_bytes()) {
            Tri::Yes
        } else {
            Tri::No
        };
    }
    let p = Glob::new(pattern.as_bytes(), Stars::Free);
    let q = Glob::new(value.as_bytes(), Stars::Free);
    three_valued(&p, &q, false)
}

/// How the literal `expected` equals `value`, whose `*` stand for unknown
/// runs when `value_partial`.
pub(crate) fn string_equals(expected: &str, value: &str, value_partial: bool) -> Tri {
    if expected == value && !(value_partial && value.contains('*')) {
        Tri::Yes
    } else if value_partial && instance_of(value.as_bytes(), expected.as_bytes()) {
        Tri::Maybe
    } else {
        Tri::No
    }
}

/// Whether `text` is an instance of `template`, whose `*` (only) match any run.
fn instance_of(template: &[u8], text: &[u8]) -> bool {
    let pieces: Vec<&[u8]> = template.split(|&b| b == b'*').collect();
    let (Some((first, rest)), true) = (pieces.split_first(), pieces.len() > 1) else {
        return template == text;
    };
    let Some((last, middle)) = rest.split_last() else {
        return false;
    };
    let Some(mut t) = text.strip_prefix(*first) else {
        return false;
    };
    // Leftmost matching of the middle pieces is optimal for `*`-only globs.
    for piece in middle.iter().filter(|p| !p.is_empty()) {
        match t.windows(piece.len()).position(|w| w == *piece) {
            Some(i) => t = t.get(i + piece.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    t.len() >= last.len() && t.ends_with(last)
}

fn three_valued(p: &Glob<'_>, q: &Glob<'_>, unknown_parts: bool) -> Tri {
    if p.bytes.len().saturating_mul(q.bytes.len()) > MAX_CELLS {
        return Tri::Maybe;
    }
    if !unknown_parts && covers(p, q) {
        Tri::Yes
    } else if overlaps(p, q) {
        Tri::Maybe
    } else {
        Tri::No
    }
}

/// Replaces each `${...}` policy variable with `*`.
fn strip_variables(pattern: &str) -> (std::borrow::Cow<'_, str>, bool) {
    if !pattern.contains("${") {
        return (pattern.into(), false);
    }
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        match rest.get(start..).and_then(|r| r.find('}')) {
            Some(end) => {
                out.push('*');
                rest = rest.get(start + end + 1..).unwrap_or_default();
            }
            None => {
                out.push_str(rest.get(start..).unwrap_or_default());
                rest = "";
            }
        }
    }
    out.push_str(rest);
    (out.into(), true)
}

/// Which colons a `*` of a glob may cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stars {
    /// Resource patterns of policies: a segment-final `*` crosses colons.
    Policy,
    /// Request resources: a `*` stands for an unknown part of one segment,
    /// never a colon; `**` for an unknown run that may hold colons.
    Request,
    /// String patterns: a `*` is any run, colons included.
    Free,
}

/// A glob over bytes, knowing which `*` may cross a colon.
struct Glob<'a> {
    bytes: &'a [u8],
    stars: Stars,
}

impl<'a> Glob<'a> {
    fn new(bytes: &'a [u8], stars: Stars) -> Self {
        Self { bytes, stars }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// Whether the `*` at `i` may match colons.
    fn star_crosses(&self, i: usize) -> bool {
        match self.stars {
            Stars::Free => true,
            Stars::Policy => matches!(self.at(i + 1), None | Some(b':')),
            // `**`: an unknown run that may hold colons.
            Stars::Request => {
                self.at(i + 1) == Some(b'*') || (i > 0 && self.at(i - 1) == Some(b'*'))
            }
        }
    }
}

/// Memoised two-index recursion, iterative from the end.
fn table(n: usize, m: usize, mut cell: impl FnMut(&[bool], usize, usize) -> bool) -> bool {
    let width = m + 1;
    let mut t = vec![false; (n + 1) * width];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            let v = cell(&t, i, j);
            if let Some(slot) = t.get_mut(i * width + j) {
                *slot = v;
            }
        }
    }
    t.first().copied().unwrap_or(false)
}

fn get(t: &[bool], width: usize, i: usize, j: usize) -> bool {
    t.get(i * width + j).copied().unwrap_or(false)
}

/// Whether every string the request can be is matched by the pattern.
fn covers(p: &Glob<'_>, q: &Glob<'_>) -> bool {
    let (n, m) = (p.bytes.len(), q.bytes.len());
    let w = m + 1;
    table(n, m, |t, i, j| match (p.at(i), q.at(j)) {
        (None, None) => true,
        (Some(b'*'), qc) => {
            get(t, w, i + 1, j)
                || match qc {
                    None => false,
                    Some(b':') => p.star_crosses(i) && get(t, w, i, j + 1),
                    Some(b'*') => (p.star_crosses(i) || !q.star_crosses(j)) && get(t, w, i, j + 1),
                    Some(_) => get(t, w, i, j + 1),
                }
        }
        (Some(_), None) | (None, Some(_)) => false,
        (Some(b'?'), Some(qc)) => qc != b':' && qc != b'*' && get(t, w, i + 1, j + 1),
        (Some(pc), Some(qc)) => pc == qc && qc != b'*' && qc != b'?' && get(t, w, i + 1, j + 1),
    })
}

/// Whether some string is matched by both globs.
fn overlaps(p: &Glob<'_>, q: &Glob<'_>) -> bool {
    let (n, m) = (p.bytes.len(), q.bytes.len());
    let w = m + 1;
    table(n, m, |t, i, j| {
        let (pc, qc) = (p.at(i), q.at(j));
        if pc == Some(b'*') {
            // p's star matches nothing, or absorbs q's next character.
            if get(t, w, i + 1, j) {
                return true;
            }
            return match qc {
                None => false,
                Some(b'*') => get(t, w, i, j + 1),
                Some(b':') => p.star_crosses(i) && get(t, w, i, j + 1),
                Some(_) => get(t, w, i, j + 1),
            };
        }
        if qc == Some(b'*') {
            if get(t, w, i, j + 1) {
                return true;
            }
            return match pc {
                None => false,
                Some(b':') => q.star_crosses(j) && get(t, w, i + 1, j),
                Some(_) => get(t, w, i + 1, j),
            };
        }
        match (pc, qc) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                let compatible = a == b || ((a == b'?' || b == b'?') && a != b':' && b != b':');
                compatible && get(t, w, i + 1, j + 1)
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Action ... values are case-insensitive", and "you can use wildcards
    // (* or ?) in the action name":
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    #[test]
    fn actions_are_case_insensitive_globs() {
        assert!(action_matches("logs:PutLogEvents", "LOGS:putlogevents"));
        assert!(action_matches("logs:*", "logs:PutLogEvents"));
        assert!(action_matches("Logs:Put*", "logs:PutLogEvents"));
        assert!(action_matches("*", "logs:PutLogEvents"));
        assert!(action_matches(
            "logs:Describe?ogGroups",
            "logs:DescribeLogGroups"
        ));
        assert!(!action_matches(
            "logs:Describe?ogGroups",
            "logs:DescribeXXogGroups"
        ));
        assert!(!action_matches("logs:Create*", "logs:PutLogEvents"));
        assert!(!action_matches("log:*", "logs:PutLogEvents"));
        assert!(action_matches("*:*LogEvents", "logs:PutLogEvents"));
    }

    // "Resource ARNs are case sensitive ... You can use wildcard characters
    // (* and ?) within any ARN segment ... If the * wildcard is the last
    // character of a resource ARN segment, it can expand to match beyond the
    // colon boundaries":
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    #[test]
    fn arns_are_case_sensitive_per_segment_globs() {
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:flow:log-stream:eni-1";
        assert_eq!(arn_matches("*", arn), Tri::Yes);
        assert_eq!(arn_matches("arn:aws:logs:*:*:*", arn), Tri::Yes);
        assert_eq!(
            arn_matches("arn:aws:logs:us-east-1:123456789012:log-group:flow:*", arn),
            Tri::Yes
        );
        assert_eq!(
            arn_matches("arn:aws:logs:us-east-1:123456789012:log-group:Flow:*", arn),
            Tri::No
        );
        assert_eq!(arn_matches("arn:aws:logs:us-east-?:*:*", arn), Tri::Yes);
        assert_eq!(
            arn_matches("arn:aws:logs:us-east-1:123456789012:log-group:other:*", arn),
            Tri::No
        );
        // A `*` inside a segment does not cross a colon.
        assert_eq!(
            arn_matches("arn:aws:logs:us-*-1:123456789012:log-group:fl*w:*", arn),
            Tri::Yes
        );
        assert_eq!(
            arn_matches("arn:aws:logs:us*1:log-group:flow:*", arn),
            Tri::No
        );
        assert_eq!(
            arn_matches("arn:aws:logs:us*:log-group:flow:*", arn),
            Tri::Yes
        );
        assert_eq!(
            arn_matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b"),
            Tri::Yes
        );
    }

    #[test]
    fn unknown_parts_of_the_request_make_the_answer_three_valued() {
        let req = "arn:aws:logs:*:123456789012:log-group:flow:log-stream:*";
        assert_eq!(
            arn_matches("arn:aws:logs:*:*:log-group:flow:*", req),
            Tri::Yes
        );
        assert_eq!(arn_matches("arn:aws:logs:eu-west-1:*:*", req), Tri::Maybe);
        assert_eq!(
            arn_matches("arn:aws:logs:*:*:log-group:flow:log-stream:eni-1", req),
            Tri::Maybe
        );
        assert_eq!(arn_matches("arn:aws:logs:*:999999999999:*", req), Tri::No);
        assert_eq!(
            arn_matches("arn:aws:logs:*:*:log-group:${aws:username}:*", req),
            Tri::Maybe
        );
        // `**`: an unknown rest, colons included.
        let rest = "arn:aws:logs:*:123456789012:**";
        assert_eq!(
            arn_matches("arn:aws:logs:*:*:log-group:flow:*", rest),
            Tri::Maybe
        );
        assert_eq!(arn_matches("arn:aws:logs:*:*:*", rest), Tri::Yes);
        assert_eq!(arn_matches("arn:aws:s3:::*", rest), Tri::No);
        // An action without resource type: only a pattern matching `*`.
        assert_eq!(arn_matches("*", "*"), Tri::Yes);
        assert_eq!(arn_matches("arn:aws:logs:*:*:*", "*"), Tri::No);
    }
}
