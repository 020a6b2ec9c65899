//! The requests a service makes with a role, built from its catalogue
//! entry ([`CatalogEntry::request`]) and what the inputs know.
//!
//! The catalogue gives, per action, the resource ARN templates IAM
//! authorizes (`arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}`)
//! and the context keys the service sends; a linker fills the
//! `${Variable}`s its inputs know ([`Facts`]) and every other part stays
//! unknown (`*` in a resource, a partial or unknown context value).

use super::context::{KeyValue, Request, RequestContext, Value};
use crate::model::aws::catalog::{ContextSpec, ContextSpecValue};
use crate::model::aws::{CatalogEntry, Catalogue, arn_account, arn_name, arn_partition};

/// What the inputs know about one use of a role: values of the
/// catalogue's `${Variable}`s (`Partition`, `Region`, `LogGroupName`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    values: Vec<(String, String)>,
}

impl Facts {
    /// The facts a role's ARN gives: `Partition`, `Account`, `RoleArn`, `RoleName`.
    pub fn for_role(arn: Option<&str>) -> Self {
        let mut f = Self::default();
        if let Some(arn) = arn.filter(|a| a.starts_with("arn:")) {
            f.set_opt("Partition", arn_partition(arn));
            f.set_opt("Account", arn_account(arn));
            f.set("RoleArn", arn);
            f.set("RoleName", arn_name(arn));
        }
        f
    }

    /// Sets `name` (replacing a value set before).
    pub fn set(&mut self, name: &str, value: &str) {
        match self.values.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.to_string(),
            None => self.values.push((name.to_string(), value.to_string())),
        }
    }

    /// Sets `name` when `value` is known.
    pub fn set_opt(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.set(name, v);
        }
    }

    /// [`Facts::set`], by value.
    #[must_use]
    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.set(name, value);
        self
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `template` with the known variables filled and each unknown one
    /// as `*` (then the value is partial).
    pub fn fill(&self, template: &str) -> Value {
        let mut text = String::with_capacity(template.len());
        let mut partial = false;
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            text.push_str(rest.get(..start).unwrap_or_default());
            let after = rest.get(start + 2..).unwrap_or_default();
            let Some(end) = after.find('}') else { break };
            match self.get(after.get(..end).unwrap_or_default()) {
                Some(v) => text.push_str(v),
                None => {
                    text.push('*');
                    partial = true;
                }
            }
            rest = after.get(end + 1..).unwrap_or_default();
        }
        text.push_str(rest);
        Value { text, partial }
    }
}

/// The requests a service makes for one action it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRequest {
    /// The action (`logs:PutLogEvents`).
    pub action: String,
    /// One request per resource IAM authorizes it on; all must be allowed.
    pub requests: Vec<Request>,
}

/// The requests `entry`'s service makes with the role for each required
/// action: the catalogue's role-session context, the entry's and the
/// action's keys, resources filled from `facts`. An action without a
/// template is asked on a resource whose service is known and every
/// other part is not (`**`: the rest, colons included).
pub fn service_requests(
    catalogue: &Catalogue,
    entry: &CatalogEntry,
    facts: &Facts,
) -> Vec<ServiceRequest> {
    let facts = facts.clone().with("Service", &entry.service_principal);
    let mut base = session_context(catalogue, &facts);
    apply(&mut base, &entry.request.context, &facts);
    entry
        .required_actions
        .iter()
        .map(|action| {
            let spec = entry
                .request
                .actions
                .iter()
                .find(|(a, _)| a.eq_ignore_ascii_case(action))
                .map(|(_, s)| s);
            let mut context = base.clone();
            let resources: Vec<String> = match spec {
                Some(s) => {
                    apply(&mut context, &s.context, &facts);
                    s.resources.iter().map(|r| facts.fill(r).text).collect()
                }
                None => {
                    let prefix = action.split(':').next().unwrap_or_default();
                    vec![
                        facts
                            .fill(&format!(
                                "arn:${{Partition}}:{prefix}:${{Region}}:${{Account}}:**"
                            ))
                            .text,
                    ]
                }
            };
            ServiceRequest {
                action: action.clone(),
                requests: resources
                    .into_iter()
                    .map(|resource| Request {
                        action: action.clone(),
                        resource,
                        context: context.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The catalogue's role-session context (the calls a service makes with a
/// role's session), filled from `facts`.
pub fn session_context(catalogue: &Catalogue, facts: &Facts) -> RequestContext {
    let mut context = RequestContext::open();
    apply(
        &mut context,
        &catalogue.request_contexts.role_session,
        facts,
    );
    context
}

/// The context of `sts:AssumeRole` by `entry`'s service principal: the
/// catalogue's service-principal keys and the entry's trust keys
/// (`aws:SourceAccount`, `aws:SourceArn`), filled from `facts`.
pub fn trust_context(catalogue: &Catalogue, entry: &CatalogEntry, facts: &Facts) -> RequestContext {
    let facts = facts.clone().with("Service", &entry.service_principal);
    let mut context = RequestContext::open();
    apply(
        &mut context,
        &catalogue.request_contexts.service_principal,
        &facts,
    );
    apply(&mut context, &entry.request.trust_context, &facts);
    context
}

/// Sets the keys of `spec` in `context`.
fn apply(context: &mut RequestContext, spec: &ContextSpec, facts: &Facts) {
    for (key, value) in spec {
        let v = match value {
            None => KeyValue::Absent,
            Some(ContextSpecValue::Unknown { .. }) => KeyValue::Present,
            Some(ContextSpecValue::One(t)) => KeyValue::Values(vec![facts.fill(t)]),
            Some(ContextSpecValue::Many(ts)) => {
                KeyValue::Values(ts.iter().map(|t| facts.fill(t)).collect())
            }
        };
        context.set(key, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::catalog::BUILTIN_CATALOGUE;

    fn flow_logs() -> &'static CatalogEntry {
        BUILTIN_CATALOGUE
            .entries
            .iter()
            .find(|e| e.id == "vpc-flow-logs-to-cloudwatch-logs")
            .expect("entry")
    }

    #[test]
    fn flow_log_requests_use_the_stream_arn_forms_of_cloudwatch_logs() {
        let facts = Facts::for_role(Some("arn:aws-cn:iam::123456789012:role/FlowLogs"))
            .with("Region", "cn-north-1")
            .with("LogGroupName", "vpc-flow-logs");
        let reqs = service_requests(&BUILTIN_CATALOGUE, flow_logs(), &facts);
        let resource = |action: &str| {
            reqs.iter()
                .find(|r| r.action == action)
                .and_then(|r| r.requests.first())
                .map(|r| r.resource.clone())
                .unwrap_or_default()
        };
        let group = "arn:aws-cn:logs:cn-north-1:123456789012:log-group:vpc-flow-logs";
        assert_eq!(
            resource("logs:PutLogEvents"),
            format!("{group}:log-stream:*")
        );
        assert_eq!(
            resource("logs:CreateLogGroup"),
            format!("{group}:log-stream:")
        );
        assert_eq!(
            resource("logs:DescribeLogGroups"),
            "arn:aws-cn:logs:cn-north-1:123456789012:log-group::log-stream:"
        );
        let ctx = &reqs.first().expect("requests").requests[0].context;
        assert_eq!(
            ctx.get("aws:PrincipalArn"),
            &KeyValue::known("arn:aws-cn:iam::123456789012:role/FlowLogs")
        );
        assert_eq!(
            ctx.get("aws:RequestedRegion"),
            &KeyValue::known("cn-north-1")
        );
        assert_eq!(ctx.get("aws:username"), &KeyValue::Absent);
        assert_eq!(ctx.get("aws:SourceIp"), &KeyValue::Present);
        assert_eq!(ctx.get("aws:PrincipalTag/team"), &KeyValue::Unknown);
    }

    #[test]
    fn the_trust_context_carries_the_source_keys_partly_known() {
        let facts = Facts::for_role(Some("arn:aws:iam::123456789012:role/FlowLogs"));
        let ctx = trust_context(&BUILTIN_CATALOGUE, flow_logs(), &facts);
        assert_eq!(
            ctx.get("aws:SourceAccount"),
            &KeyValue::known("123456789012")
        );
        assert_eq!(
            ctx.get("aws:SourceArn"),
            &KeyValue::Values(vec![Value {
                text: "arn:aws:ec2:*:123456789012:vpc-flow-log/*".into(),
                partial: true
            }])
        );
        assert_eq!(
            ctx.get("aws:PrincipalServiceName"),
            &KeyValue::known("vpc-flow-logs.amazonaws.com")
        );
        assert_eq!(ctx.get("aws:PrincipalArn"), &KeyValue::Absent);
    }
}
