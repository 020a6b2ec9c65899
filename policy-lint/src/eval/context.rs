//! The request: an action, a resource and the request context, the
//! condition keys and what the inputs know of each.
//!
//! AWS builds a request context for every call
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-reqcontext>);
//! a linter knows part of it. Each key is absent, present with known
//! values, present with a value the inputs do not give, or unknown
//! altogether, and conditions are evaluated three-valued on that.

/// One value of a condition key. In a `partial` value each `*` stands for
/// a part the inputs do not know (the region of a Terraform role whose
/// provider is not in the plan), so it is a set of possible values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value, `*` for unknown parts when `partial`.
    pub text: String,
    /// Whether `*` in `text` stands for unknown parts.
    pub partial: bool,
}

impl Value {
    /// A value known in full.
    pub fn known(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            partial: false,
        }
    }
}

/// What a request says about one condition key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    /// The key is not in the request context.
    Absent,
    /// Nothing is known: the key may be absent or hold any value.
    Unknown,
    /// The key is present; its value is not known.
    Present,
    /// The key is present with these values (several for a multivalued key;
    /// an empty set is treated as absent, as IAM does).
    Values(Vec<Value>),
}

impl KeyValue {
    /// A single known value.
    pub fn known(text: impl Into<String>) -> Self {
        Self::Values(vec![Value::known(text)])
    }
}

/// The request context: condition keys (case-insensitive) and what is
/// known of each. A key not set is [`KeyValue::Unknown`], or
/// [`KeyValue::Absent`] in a [closed](RequestContext::closed) context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    keys: Vec<(String, KeyValue)>,
    closed: bool,
}

impl RequestContext {
    /// A context where every key not set is unknown.
    pub fn open() -> Self {
        Self::default()
    }

    /// A context where every key not set is absent: the request is known
    /// in full (a simulation, a test).
    pub fn closed() -> Self {
        Self {
            keys: Vec::new(),
            closed: true,
        }
    }

    /// Whether keys not set are absent rather than unknown.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Sets `key` (replacing what was set for it).
    pub fn set(&mut self, key: &str, value: KeyValue) {
        match self
            .keys
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some((_, v)) => *v = value,
            None => self.keys.push((key.to_string(), value)),
        }
    }

    /// [`RequestContext::set`], by value.
    #[must_use]
    pub fn with(mut self, key: &str, value: KeyValue) -> Self {
        self.set(key, value);
        self
    }

    /// What the request says about `key`.
    pub fn get(&self, key: &str) -> &KeyValue {
        static ABSENT: KeyValue = KeyValue::Absent;
        static UNKNOWN: KeyValue = KeyValue::Unknown;
        match self.keys.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some((_, v)) => v,
            None if self.closed => &ABSENT,
            None => &UNKNOWN,
        }
    }

    /// Every key set, in the order set.
    pub fn keys(&self) -> impl Iterator<Item = (&str, &KeyValue)> {
        self.keys.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// A request: may the principal perform `action` on `resource` with this
/// context?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `service:Action`.
    pub action: String,
    /// The resource ARN the service authorizes; `*` for parts the inputs
    /// do not know (`*` alone: nothing is known).
    pub resource: String,
    /// The request context.
    pub context: RequestContext,
}

impl Request {
    /// A request whose context is unknown: every condition may or may not hold.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Self {
            action: action.into(),
            resource: resource.into(),
            context: RequestContext::open(),
        }
    }

    /// The same request with `context`.
    #[must_use]
    pub fn with_context(mut self, context: RequestContext) -> Self {
        self.context = context;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_unset_keys_follow_the_context_kind() {
        let ctx = RequestContext::open().with("aws:SourceAccount", KeyValue::known("1"));
        assert_eq!(ctx.get("AWS:sourceaccount"), &KeyValue::known("1"));
        assert_eq!(ctx.get("aws:SourceArn"), &KeyValue::Unknown);
        let closed = RequestContext::closed().with("aws:SourceAccount", KeyValue::Present);
        assert_eq!(closed.get("aws:SourceArn"), &KeyValue::Absent);
        assert_eq!(closed.get("aws:sourceaccount"), &KeyValue::Present);
        assert_eq!(closed.keys().count(), 1);
    }
}
