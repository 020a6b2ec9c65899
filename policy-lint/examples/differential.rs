//! The linter's side of the differential harness (`scripts/differential/`):
//! reads the cases `cases.py` generates and prints, for each, what
//! policy-lint answers, as JSON on stdout.
//!
//! ```sh
//! cargo run -q -p policy-lint --example differential -- cases.json > ours.json
//! ```
//!
//! - `request` cases: the evaluation API on policy documents
//!   ([`evaluate`] with identity policies, a boundary and SCPs) for one
//!   request whose context is known in full.
//! - `trust` cases: [`trust_applies`] for a service principal.
//! - `chain` cases: a lint run over a flow log and its role as the AWS CLI
//!   prints them; the findings of AWS001-AWS003, and the requests the
//!   catalogue says the service makes (so the simulator is asked the same).

use policy_lint::eval::service::{Facts, service_requests, trust_context};
use policy_lint::eval::{
    Boundary, Decision, KeyValue, PolicySet, Request, RequestContext, TrustRequest, Value,
    evaluate, trust_applies,
};
use policy_lint::json::{Tree, parse};
use policy_lint::model::aws::PolicyDoc;
use policy_lint::model::aws::catalog::BUILTIN_CATALOGUE;
use policy_lint::{Input, Linter, Options};
use serde_json::{Value as Json, json};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: differential CASES.json (see docs/internals.md, Differential testing)");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let cases: Vec<Json> = serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let out: Vec<Json> = cases.iter().map(answer).collect();
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}

/// policy-lint's answer to one case: `ours` (what it says) and `summary`
/// (the verdicts compared with the simulator's).
pub fn answer(c: &Json) -> Json {
    let ours = match c["kind"].as_str() {
        Some("request") => request_case(c),
        Some("trust") => trust_case(c),
        Some("chain") => chain_case(c),
        other => json!({"error": format!("unknown kind {other:?}")}),
    };
    let summary = match c["kind"].as_str() {
        Some("chain") => chain_summary(&ours),
        _ => ours["verdict"].clone(),
    };
    json!({"id": c["id"], "ours": ours, "summary": summary})
}

/// The verdict per action, and for the trust, that the chain's findings
/// give: an AWS003 error denies the actions it names, an AWS002 error
/// leaves them not allowed, a warning makes them "Maybe"; an AWS001 error
/// means the service cannot assume the role.
fn chain_summary(ours: &Json) -> Json {
    const RANK: [&str; 4] = ["Allowed", "Maybe", "ImplicitlyDenied", "ExplicitlyDenied"];
    let mut actions = serde_json::Map::new();
    for r in ours["requests"].as_array().into_iter().flatten() {
        if let Some(a) = r["action"].as_str() {
            actions.insert(a.to_string(), json!("Allowed"));
        }
    }
    let mut trust = "Yes";
    for f in ours["findings"].as_array().into_iter().flatten() {
        let (code, severity) = (f["code"].as_str(), f["severity"].as_str());
        let message = f["message"].as_str().unwrap_or_default();
        if code == Some("AWS001") {
            trust = match (severity, trust) {
                (Some("error"), _) | (_, "No") => "No",
                _ => "Maybe",
            };
            continue;
        }
        let verdict = match (code, severity) {
            (Some("AWS003"), Some("error")) => "ExplicitlyDenied",
            (Some("AWS002"), Some("error")) => "ImplicitlyDenied",
            _ => "Maybe",
        };
        // The actions a finding names, in backquotes, before the role.
        let named = message.split(" to role ").next().unwrap_or(message);
        for (action, slot) in actions.iter_mut() {
            let rank = |v: &str| RANK.iter().position(|r| *r == v).unwrap_or(0);
            if named.contains(&format!("`{action}`"))
                && rank(verdict) > rank(slot.as_str().unwrap_or_default())
            {
                *slot = json!(verdict);
            }
        }
    }
    json!({"actions": actions, "trust": trust})
}

/// A closed context from `{"key": "value" | ["values"]}`.
fn context(v: &Json) -> RequestContext {
    let mut ctx = RequestContext::closed();
    for (k, v) in v.as_object().into_iter().flatten() {
        let values = match v {
            Json::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(Value::known))
                .collect(),
            other => vec![Value::known(other.as_str().unwrap_or_default())],
        };
        ctx.set(k, KeyValue::Values(values));
    }
    ctx
}

fn trees(v: &Json) -> Vec<Tree> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| parse(&p.to_string()).ok())
        .collect()
}

fn docs<'t>(trees: &'t [Tree], name: &str) -> Vec<PolicyDoc<'t>> {
    trees
        .iter()
        .enumerate()
        .map(|(i, t)| PolicyDoc {
            node: t.root(),
            file: None,
            name: format!("{name}{i}"),
        })
        .collect()
}

fn request_case(c: &Json) -> Json {
    let identity = trees(&c["identity"]);
    let boundary = trees(&c["boundary"]);
    let scps = trees(&c["scps"]);
    let (identity, boundary, scps) = (
        docs(&identity, "identity"),
        docs(&boundary, "boundary"),
        docs(&scps, "scp"),
    );
    let set = PolicySet {
        identity: identity.iter().collect(),
        boundary: boundary.first().map(Boundary::Known),
        scps: scps.iter().collect(),
        ..PolicySet::default()
    };
    let r = &c["request"];
    let request = Request::new(
        r["action"].as_str().unwrap_or_default(),
        r["resource"].as_str().unwrap_or_default(),
    )
    .with_context(context(&r["context"]));
    let e = evaluate(&set, &request);
    let verdict = match e.decision {
        Decision::Allowed { .. } => "Allowed",
        Decision::Denied { .. } => "ExplicitlyDenied",
        Decision::NotAllowed { .. } => "ImplicitlyDenied",
        Decision::Conditional { .. } => "Maybe",
    };
    json!({"verdict": verdict})
}

fn trust_case(c: &Json) -> Json {
    let tree = trees(&json!([c["trust"].clone()]));
    let docs = docs(&tree, "trust");
    let Some(doc) = docs.first() else {
        return json!({"error": "no trust policy"});
    };
    let ctx = context(&c["context"]);
    let role = c["role"].as_str().unwrap_or_default();
    let applies = trust_applies(
        doc,
        &TrustRequest {
            service: c["service"].as_str().unwrap_or_default(),
            action: c["action"].as_str().unwrap_or("sts:AssumeRole"),
            partition: role.split(':').nth(1),
            context: &ctx,
        },
    );
    json!({"verdict": format!("{:?}", applies.tri)})
}

/// Lints the case's files and reports the AWS001-AWS003 findings, and the
/// requests the flow-logs catalogue entry makes for its facts.
fn chain_case(c: &Json) -> Json {
    let mut options = Options::default();
    let inputs: Vec<Input> = c["files"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, doc)| {
            if name.starts_with("scp") {
                options.scp.push(name.clone());
            }
            Input::new(name.as_str(), doc.to_string().into_bytes())
        })
        .collect();
    let result = Linter::new(options).lint(inputs);
    let findings: Vec<Json> = result
        .diagnostics
        .iter()
        .filter(|d| ["AWS001", "AWS002", "AWS003"].contains(&d.code()))
        .map(|d| json!({"code": d.code(), "severity": d.severity.as_str(), "message": d.message}))
        .collect();
    let Some(entry) = BUILTIN_CATALOGUE
        .entries
        .iter()
        .find(|e| e.id == "vpc-flow-logs-to-cloudwatch-logs")
    else {
        return json!({"error": "no flow-logs entry"});
    };
    let mut facts = Facts::for_role(c["facts"]["RoleArn"].as_str());
    for (k, v) in c["facts"].as_object().into_iter().flatten() {
        if let Some(v) = v.as_str() {
            facts.set(k, v);
        }
    }
    let requests: Vec<Json> = service_requests(&BUILTIN_CATALOGUE, entry, &facts)
        .iter()
        .flat_map(|s| &s.requests)
        .map(|r| json!({"action": r.action, "resource": r.resource, "context": known(&r.context)}))
        .collect();
    let trust = trust_context(&BUILTIN_CATALOGUE, entry, &facts);
    json!({
        "findings": findings,
        "requests": requests,
        "trust": {"service": entry.service_principal, "context": known(&trust)},
    })
}

/// The keys of `ctx` with what is known of them: values, `null` when
/// absent, `"?present"` when present with an unknown value.
fn known(ctx: &RequestContext) -> Json {
    let mut out = serde_json::Map::new();
    for (k, v) in ctx.keys() {
        let j = match v {
            KeyValue::Absent => Json::Null,
            KeyValue::Present | KeyValue::Unknown => json!("?present"),
            KeyValue::Values(vs) if vs.iter().any(|v| v.partial) => json!("?present"),
            KeyValue::Values(vs) => match vs.as_slice() {
                [one] => json!(one.text),
                many => json!(many.iter().map(|v| v.text.clone()).collect::<Vec<_>>()),
            },
        };
        out.insert(k.to_string(), j);
    }
    Json::Object(out)
}
