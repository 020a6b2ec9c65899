use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::documents::Document;
use crate::json::Node;
use crate::registry::{Check, Context};

use super::conditions::condition_entries;
use super::policy::Policy;
use super::unknown_condition_operator::split_operator;

declare_rule! {
    /// ## What it does
    /// Reports a condition value that the operator cannot read:
    /// - `Date...`: not an ISO 8601 date or date-time in the W3C profile
    ///   (`2026-01-31`, `2026-01-31T12:00:00Z`, `2026-01-31T12:00:00+01:00`)
    ///   nor epoch seconds;
    /// - `Numeric...`: not a number;
    /// - `Bool` and `Null`: not `true` or `false`;
    /// - `IpAddress`, `NotIpAddress`: not an IPv4 or IPv6 address or CIDR
    ///   range (`203.0.113.0/24`, `2001:db8::/32`).
    ///
    /// Values holding a policy variable (`${aws:CurrentTime}`) are left
    /// alone: they are read when the request is evaluated.
    ///
    /// ## Why is this bad?
    /// IAM accepts the policy (IAM Access Analyzer reports these as general
    /// warnings, not errors), but the comparison cannot work as written: a
    /// `DateLessThan` with `2026-31-01` or a `Bool` with `yes` never
    /// matches, so an `Allow` grants nothing and a `Deny` guards nothing.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
    ///   "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "no"},
    ///                 "NotIpAddress": {"aws:SourceIp": "203.0.113.0/33"}}}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
    ///   "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
    ///                 "NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}
    /// ```
    ///
    /// ## References
    /// - IAM Access Analyzer issue codes `TYPE_MISMATCH_DATE`,
    ///   `TYPE_MISMATCH_NUMBER`, `TYPE_MISMATCH_BOOLEAN` and
    ///   `TYPE_MISMATCH_IP_RANGE` (general warnings); parliament's
    ///   `MISMATCHED_TYPE` and `MISMATCHED_TYPE_OPERATION_TO_NULL`:
    ///   <https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html>
    /// - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    pub struct ConditionValueType {
        code: "AWS122",
        name: "condition-value-type",
        summary: "a condition value is not of the type its operator compares",
        severity: Warning,
        url: Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"),
    }
}

/// What an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    Number,
    Bool,
    Ip,
}

impl Kind {
    fn of(base: &str) -> Option<Self> {
        let b = base.to_ascii_lowercase();
        if b.starts_with("date") {
            Some(Self::Date)
        } else if b.starts_with("numeric") {
            Some(Self::Number)
        } else if b == "bool" || b == "null" {
            Some(Self::Bool)
        } else if b == "ipaddress" || b == "notipaddress" {
            Some(Self::Ip)
        } else {
            None
        }
    }

    fn accepts(self, value: Node<'_>) -> bool {
        match (self, value.as_str()) {
            (_, Some(s)) if s.contains("${") => true,
            (Self::Date, Some(s)) => is_date(s),
            (Self::Number, Some(s)) => is_number(s),
            (Self::Bool, Some(s)) => {
                s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
            }
            (Self::Ip, Some(s)) => is_ip_range(s),
            (Self::Date | Self::Number, None) => value.as_number().is_some(),
            (Self::Bool, None) => value.as_bool().is_some(),
            (Self::Ip, None) => false,
        }
    }

    const fn expected(self) -> &'static str {
        match self {
            Self::Date => "a date (`2026-01-31`, `2026-01-31T12:00:00Z`) or epoch seconds",
            Self::Number => "a number",
            Self::Bool => "`true` or `false`",
            Self::Ip => "an IP address or CIDR range (`203.0.113.0/24`)",
        }
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Epoch seconds, or an ISO 8601 date or date-time of the W3C profile
/// (`YYYY-MM`, `YYYY-MM-DD`, then `Thh:mm`, `:ss`, `.s`, and `Z` or
/// `±hh:mm`); the zone may also be written `±hhmm` or left out.
fn is_date(s: &str) -> bool {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let ok_date = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), day, None) => {
            digits(y, 4).is_some()
                && digits(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && day.is_none_or(|d| digits(d, 2).is_some_and(|d| (1..=31).contains(&d)))
        }
        _ => false,
    };
    ok_date && time.is_none_or(is_time)
}

/// `hh:mm[:ss[.s]]` and an optional zone.
fn is_time(t: &str) -> bool {
    let (clock, zone) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => (
            t.get(..i).unwrap_or_default(),
            t.get(i..).unwrap_or_default(),
        ),
        None => (t, ""),
    };
    let zone_ok = match zone {
        "" | "Z" | "z" => true,
        z => {
            let z = z.get(1..).unwrap_or_default();
            let (h, m) = z
                .split_once(':')
                .unwrap_or((z.get(..2).unwrap_or(z), z.get(2..).unwrap_or("")));
            digits(h, 2).is_some_and(|h| h <= 23) && digits(m, 2).is_some_and(|m| m <= 59)
        }
    };
    let mut fields = clock.split(':');
    let clock_ok = match (fields.next(), fields.next(), fields.next(), fields.next()) {
        (Some(h), Some(m), sec, None) => {
            digits(h, 2).is_some_and(|h| h <= 24)
                && digits(m, 2).is_some_and(|m| m <= 59)
                && sec.is_none_or(|sec| {
                    let (whole, frac) = sec.split_once('.').unwrap_or((sec, "0"));
                    digits(whole, 2).is_some_and(|s| s <= 60)
                        && !frac.is_empty()
                        && frac.bytes().all(|b| b.is_ascii_digit())
                })
        }
        _ => false,
    };
    zone_ok && clock_ok
}

fn is_number(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// An address or CIDR range; `core::net` parses text and does no I/O.
fn is_ip_range(s: &str) -> bool {
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let Ok(ip) = addr.parse::<core::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    len.is_none_or(|l| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_digit())
            && l.parse::<u32>().is_ok_and(|l| l <= max)
    })
}

impl Check for ConditionValueType {
    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let Some(policy) = Policy::of(doc) else {
            return;
        };
        for (s, e) in condition_entries(&policy) {
            let (_, base, _) = split_operator(e.operator.key);
            let Some(kind) = Kind::of(base) else {
                continue;
            };
            for value in e.values().iter() {
                if value.is_array() || value.is_object() || value.is_null() || kind.accepts(value) {
                    continue;
                }
                let shown = value
                    .as_str()
                    .unwrap_or_else(|| doc.file.source.slice(value.span()));
                cx.report(
                    Diagnostic::new(
                        &Self::META,
                        doc.at(value),
                        format!(
                            "`{}` compares `{}` with `{shown}` in {}{}, which is not {}",
                            e.operator.key,
                            e.key.key,
                            s.describe(),
                            policy.in_name(),
                            kind.expected()
                        ),
                    )
                    .with_help(format!("write {}", kind.expected())),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_w3c_profile_and_epoch_seconds() {
        for ok in [
            "2026-01-31",
            "2026-01",
            "2026-01-31T12:00Z",
            "2026-01-31T12:00:00Z",
            "2026-01-31T12:00:00.123Z",
            "2026-01-31T12:00:00+01:00",
            "2026-01-31T12:00:00-0500",
            "2026-01-31T12:00:00",
            "1767225600",
        ] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "2026-13-01",
            "2026-1-1",
            "31/01/2026",
            "2026-01-31T25:00:00Z",
            "yesterday",
            "",
            "2026-01-31T12:00:00+1",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_and_ip_ranges() {
        assert!(is_number("3600") && is_number("-1.5") && is_number("1e3"));
        assert!(!is_number("ten") && !is_number("NaN") && !is_number("inf") && !is_number(""));
        assert!(
            is_ip_range("203.0.113.0/24")
                && is_ip_range("10.0.0.1")
                && is_ip_range("2001:db8::/32")
        );
        assert!(
            !is_ip_range("203.0.113.0/33")
                && !is_ip_range("10.0.0")
                && !is_ip_range("2001:db8::/129")
        );
        assert!(!is_ip_range("10.0.0.0/") && !is_ip_range("vpc-1234"));
    }
}
