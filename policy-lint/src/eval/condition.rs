//! Three-valued evaluation of a statement's `Condition` block against what
//! the inputs know of the request context.
//!
//! The logic follows the condition documentation
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_logic_multiple_context_keys_or_values.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>):
//!
//! - every operator of a block and every key of an operator must hold
//!   (and); any value of a key may match (or), and a negated operator
//!   (`StringNotEquals`, `NotIpAddress`, ...) holds when no value matches;
//! - a key the request does not have makes a condition false, except that
//!   a negated operator then holds, `...IfExists` holds, `Null` tests just
//!   that, `ForAllValues:` holds and `ForAnyValue:` does not;
//! - `ForAllValues:` holds when every value of the request's key matches,
//!   `ForAnyValue:` when one does.
//!
//! A key the inputs do not know gives [`Tri::Maybe`], and that key is
//! reported, so a finding can say what it depends on.

// `core::net`: address parsing only; the library does no I/O.
use core::net::IpAddr;

use super::Tri;
use super::context::{KeyValue, RequestContext, Value};
use super::glob::{string_equals, string_like};
use super::variables::{Substituted, substitute};
use crate::documents::aws_policy::Condition;
use crate::json::Node;

/// The comparison of a condition operator, without set prefix, negation
/// or `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Order),
    Date(Order),
    Bool,
    BinaryEquals,
    IpAddress,
    /// `ArnEquals` and `ArnLike` both match per ARN component with wildcards.
    ArnLike,
    Null,
}

/// The relation of a numeric or date operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Equals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

impl Order {
    fn holds(self, request: f64, policy: f64) -> bool {
        match self {
            Self::Equals => request == policy,
            Self::LessThan => request < policy,
            Self::LessThanEquals => request <= policy,
            Self::GreaterThan => request > policy,
            Self::GreaterThanEquals => request >= policy,
        }
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOperator {
    AllValues,
    AnyValue,
}

/// A parsed condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Operator {
    set: Option<SetOperator>,
    compare: Compare,
    negated: bool,
    if_exists: bool,
}

/// The comparisons by name (lowercase), with whether the name negates.
const NAMES: &[(&str, Compare, bool)] = &[
    ("stringequals", Compare::StringEquals, false),
    ("stringnotequals", Compare::StringEquals, true),
    (
        "stringequalsignorecase",
        Compare::StringEqualsIgnoreCase,
        false,
    ),
    (
        "stringnotequalsignorecase",
        Compare::StringEqualsIgnoreCase,
        true,
    ),
    ("stringlike", Compare::StringLike, false),
    ("stringnotlike", Compare::StringLike, true),
    ("numericequals", Compare::Numeric(Order::Equals), false),
    ("numericnotequals", Compare::Numeric(Order::Equals), true),
    ("numericlessthan", Compare::Numeric(Order::LessThan), false),
    (
        "numericlessthanequals",
        Compare::Numeric(Order::LessThanEquals),
        false,
    ),
    (
        "numericgreaterthan",
        Compare::Numeric(Order::GreaterThan),
        false,
    ),
    (
        "numericgreaterthanequals",
        Compare::Numeric(Order::GreaterThanEquals),
        false,
    ),
    ("dateequals", Compare::Date(Order::Equals), false),
    ("datenotequals", Compare::Date(Order::Equals), true),
    ("datelessthan", Compare::Date(Order::LessThan), false),
    (
        "datelessthanequals",
        Compare::Date(Order::LessThanEquals),
        false,
    ),
    ("dategreaterthan", Compare::Date(Order::GreaterThan), false),
    (
        "dategreaterthanequals",
        Compare::Date(Order::GreaterThanEquals),
        false,
    ),
    ("bool", Compare::Bool, false),
    ("binaryequals", Compare::BinaryEquals, false),
    ("ipaddress", Compare::IpAddress, false),
    ("notipaddress", Compare::IpAddress, true),
    ("arnequals", Compare::ArnLike, false),
    ("arnlike", Compare::ArnLike, false),
    ("arnnotequals", Compare::ArnLike, true),
    ("arnnotlike", Compare::ArnLike, true),
    ("null", Compare::Null, false),
];

impl Operator {
    /// Parses `ForAnyValue:StringLikeIfExists` and the like, without
    /// regard to case; `None` for an operator IAM does not know.
    fn parse(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        let (set, rest) = if let Some(r) = lower.strip_prefix("forallvalues:") {
            (Some(SetOperator::AllValues), r)
        } else if let Some(r) = lower.strip_prefix("foranyvalue:") {
            (Some(SetOperator::AnyValue), r)
        } else {
            (None, lower.as_str())
        };
        let (rest, if_exists) = match rest.strip_suffix("ifexists") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let &(_, compare, negated) = NAMES.iter().find(|(n, _, _)| *n == rest)?;
        if compare == Compare::Null && if_exists {
            return None;
        }
        Some(Self {
            set,
            compare,
            negated,
            if_exists,
        })
    }
}

/// How a `Condition` block applies to a request: [`Tri::Yes`] when it
/// certainly holds, [`Tri::No`] when it cannot, [`Tri::Maybe`] with the
/// first key it depends on whose value the request does not give at all
/// (`None` when only partly known values leave it open: a region the
/// inputs do not say).
pub fn condition_applies<'p>(
    condition: Condition<'p>,
    context: &RequestContext,
    variables: bool,
) -> (Tri, Option<&'p str>) {
    let mut result = Tri::Yes;
    let mut unknown = None;
    for entry in condition.entries() {
        let tri = match Operator::parse(entry.operator.key) {
            Some(op) => entry_applies(op, entry.key.key, entry.values().iter(), context, variables),
            // IAM rejects a policy with an unknown operator (AWS116).
            None => Tri::Maybe,
        };
        if tri == Tri::No {
            return (Tri::No, None);
        }
        if tri == Tri::Maybe
            && unknown.is_none()
            && matches!(
                context.get(entry.key.key),
                KeyValue::Unknown | KeyValue::Present
            )
        {
            unknown = Some(entry.key.key);
        }
        result = result.min(tri);
    }
    (result, unknown)
}

fn entry_applies<'p>(
    op: Operator,
    key: &str,
    policy_values: impl Iterator<Item = Node<'p>> + Clone,
    context: &RequestContext,
    variables: bool,
) -> Tri {
    let state = context.get(key);
    let absent = match state {
        KeyValue::Absent => Tri::Yes,
        KeyValue::Values(v) if v.is_empty() => Tri::Yes,
        KeyValue::Values(_) | KeyValue::Present => Tri::No,
        KeyValue::Unknown => Tri::Maybe,
    };
    if op.compare == Compare::Null {
        return policy_values
            .filter_map(scalar)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" => absent,
                "false" => absent.negate(),
                _ => Tri::No,
            })
            .max()
            .unwrap_or(Tri::No);
    }
    let when_absent = if op.if_exists {
        Tri::Yes
    } else {
        match op.set {
            Some(SetOperator::AllValues) => Tri::Yes,
            Some(SetOperator::AnyValue) => Tri::No,
            None if op.negated => Tri::Yes,
            None => Tri::No,
        }
    };
    let values = match state {
        KeyValue::Absent => return when_absent,
        KeyValue::Values(v) if v.is_empty() => return when_absent,
        KeyValue::Unknown | KeyValue::Present => return Tri::Maybe,
        KeyValue::Values(v) => v,
    };
    let per_value = |v: &Value| -> Tri {
        let any = policy_values
            .clone()
            .filter_map(scalar)
            .map(|p| match substitute(p, context, variables) {
                Substituted::Unresolvable => Tri::No,
                Substituted::Text {
                    text,
                    unknown_parts: false,
                } => compare(op.compare, &text, v),
                // A variable with an unknown value: the pattern is partly
                // unknown, so it matches at most possibly.
                Substituted::Text { text, .. } => string_like(&text, &v.text, true).min(Tri::Maybe),
            })
            .max()
            .unwrap_or(Tri::No);
        if op.negated { any.negate() } else { any }
    };
    let each = values.iter().map(per_value);
    match op.set {
        Some(SetOperator::AllValues) => each.min().unwrap_or(Tri::Yes),
        Some(SetOperator::AnyValue) | None => each.max().unwrap_or(Tri::No),
    }
}

/// A condition value as text: IAM reads numbers and booleans as strings.
fn scalar(node: Node<'_>) -> Option<&str> {
    node.as_str()
        .or_else(|| node.as_number())
        .or_else(|| node.as_bool().map(|b| if b { "true" } else { "false" }))
}

/// Whether the request value `v` matches the policy value `p`.
fn compare(c: Compare, p: &str, v: &Value) -> Tri {
    let exact = |ok: bool| if ok { Tri::Yes } else { Tri::No };
    match c {
        Compare::StringEquals | Compare::BinaryEquals => string_equals(p, &v.text, v.partial),
        Compare::StringEqualsIgnoreCase => string_equals(
            &p.to_ascii_lowercase(),
            &v.text.to_ascii_lowercase(),
            v.partial,
        ),
        Compare::StringLike => string_like(p, &v.text, v.partial),
        Compare::ArnLike => arn_like(p, v),
        _ if v.partial => Tri::Maybe,
        Compare::Numeric(order) => match (number(&v.text), number(p)) {
            (Some(r), Some(q)) => exact(order.holds(r, q)),
            _ => Tri::No,
        },
        Compare::Date(order) => match (date(&v.text), date(p)) {
            (Some(r), Some(q)) => exact(order.holds(r, q)),
            _ => Tri::No,
        },
        Compare::Bool => exact(p.eq_ignore_ascii_case(&v.text)),
        Compare::IpAddress => exact(ip_in(&v.text, p)),
        Compare::Null => Tri::No,
    }
}

/// `ArnLike`: each of the six colon-separated components matched on its
/// own, with `*` and `?` (the sixth holds the rest, colons included).
fn arn_like(pattern: &str, v: &Value) -> Tri {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let r: Vec<&str> = v.text.splitn(6, ':').collect();
    if p.len() != 6 || r.len() != 6 {
        return if v.partial && r.len() < 6 {
            Tri::Maybe
        } else {
            Tri::No
        };
    }
    p.iter()
        .zip(&r)
        .map(|(p, r)| string_like(p, r, v.partial))
        .min()
        .unwrap_or(Tri::No)
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date as seconds since the epoch: ISO 8601 (`2026-01-31`,
/// `2026-01-31T12:00:00Z`, fractions and offsets) or epoch seconds.
pub(crate) fn date(s: &str) -> Option<f64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return number(s);
    }
    let digits = |t: &str| -> Option<i64> {
        t.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (day, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = day.splitn(3, '-');
    let year = digits(parts.next()?)?;
    let month = digits(parts.next()?)?;
    let dom = digits(parts.next()?)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&dom) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, dom) as f64 * 86_400.0;
    if let Some(t) = time {
        let (clock, offset) = split_offset(t)?;
        let mut hms = clock.splitn(3, ':');
        let h = digits(hms.next()?)?;
        let m = hms.next().map_or(Some(0), digits)?;
        let sec: f64 = match hms.next() {
            Some(x) => number(x)?,
            None => 0.0,
        };
        if h > 24 || m > 59 || sec >= 61.0 {
            return None;
        }
        seconds += (h * 3600 + m * 60) as f64 + sec - offset as f64;
    }
    Some(seconds)
}

/// Splits `12:00:00+02:00` into the clock and the offset in seconds.
fn split_offset(t: &str) -> Option<(&str, i64)> {
    if let Some(clock) = t.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match t.rfind(['+', '-']) {
        Some(i) => {
            let (clock, off) = t.split_at(i);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let off = off.get(1..)?.replace(':', "");
            let (h, m) = off.split_at(off.len().min(2));
            let h: i64 = h.parse().ok()?;
            let m: i64 = if m.is_empty() { 0 } else { m.parse().ok()? };
            Some((clock, sign * (h * 3600 + m * 60)))
        }
        None => Some((t, 0)),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether the address `ip` is in `cidr` (a CIDR block or one address).
fn ip_in(ip: &str, cidr: &str) -> bool {
    let Ok(addr) = ip.trim().parse::<IpAddr>() else {
        return false;
    };
    let (net, len) = match cidr.trim().split_once('/') {
        Some((n, l)) => (n, l.parse::<u32>().ok()),
        None => (cidr.trim(), None),
    };
    let Ok(net) = net.parse::<IpAddr>() else {
        return false;
    };
    match (addr, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let len = len.unwrap_or(32);
            len <= 32 && prefix_eq(u128::from(u32::from(a)), u128::from(u32::from(n)), len, 32)
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let len = len.unwrap_or(128);
            len <= 128 && prefix_eq(u128::from(a), u128::from(n), len, 128)
        }
        _ => false,
    }
}

fn prefix_eq(a: u128, b: u128, len: u32, bits: u32) -> bool {
    let shift = bits - len;
    shift >= 128 || (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests;
