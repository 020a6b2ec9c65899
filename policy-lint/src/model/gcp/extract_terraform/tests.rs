use super::*;
use crate::documents::ParsedFile;
use crate::model::gcp::{Capability, GcpModel, Iam, Link};
use crate::source::FileId;
use serde_json::{Value, json};

fn model(plan: &Value) -> GcpModel {
    let text = plan.to_string();
    let file = ParsedFile::parse(FileId(0), "plan.json", text.as_bytes(), true, None);
    let docs: Vec<Document<'_>> = file.documents().collect();
    GcpModel::build(&docs)
}

fn change(address: &str, t: &str, after: Value, unknown: Value) -> Value {
    json!({"address": address, "mode": "managed", "type": t, "name": address.rsplit('.').next(),
               "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown}})
}

/// A plan: an instance whose email comes from `email` (an expression
/// object), a member granting `member_project`'s storage role through
/// `member` (an expression object), and the account resources `accounts`.
fn plan(
    email: Value,
    member: Value,
    member_project: &str,
    member_type: &str,
    accounts: usize,
) -> Value {
    let mut changes = vec![
        change(
            "google_compute_instance.vm",
            "google_compute_instance",
            json!({"name": "vm", "project": "p", "service_account": [{"scopes": ["https://www.googleapis.com/auth/devstorage.read_only"]}]}),
            json!({"service_account": [{"email": true, "scopes": [false]}]}),
        ),
        change(
            "g.m",
            member_type,
            json!({"project": member_project, "folder": "folders/1", "role": "roles/storage.objectAdmin", "condition": []}),
            json!({"member": true}),
        ),
    ];
    if let Some(Value::Object(m)) = changes.get_mut(1) {
        m.insert("address".into(), json!(format!("{member_type}.m")));
    }
    for i in 0..accounts {
        let mut c = change(
            "google_service_account.sa",
            "google_service_account",
            json!({"account_id": "sa", "project": "p"}),
            json!({"email": true}),
        );
        if accounts > 1 {
            c["address"] = json!(format!("google_service_account.sa[{i}]"));
            c["index"] = json!(i);
        }
        changes.push(c);
    }
    json!({"format_version": "1.2", "resource_changes": changes,
               "configuration": {"root_module": {"resources": [
                   {"address": "google_compute_instance.vm", "mode": "managed", "type": "google_compute_instance", "name": "vm",
                    "expressions": {"project": {"constant_value": "p"}, "service_account": [{"email": email, "scopes": {"constant_value": ["storage-ro"]}}]}},
                   {"address": format!("{member_type}.m"), "mode": "managed", "type": member_type, "name": "m",
                    "expressions": {"member": member, "role": {"constant_value": "roles/storage.objectAdmin"}}},
                   {"address": "google_service_account.sa", "mode": "managed", "type": "google_service_account", "name": "sa",
                    "expressions": {"account_id": {"constant_value": "sa"}}}]}}})
}

fn by_ref(r: &str) -> Value {
    json!({"references": [format!("{r}.email"), r]})
}

fn storage(m: &GcpModel) -> Option<&Iam> {
    m.effective
        .first()?
        .get(Capability::StorageWrite)
        .map(|c| &c.iam)
}

#[test]
fn an_account_created_in_the_plan_is_linked_by_reference() {
    let sa = "google_service_account.sa";
    let m = model(&plan(
        by_ref(sa),
        by_ref(sa),
        "p",
        "google_project_iam_member",
        1,
    ));
    let inst = &m.facts.instances[0];
    assert_eq!(inst.account, AccountRef::TerraformRef(sa.to_string()));
    assert_eq!(inst.origin, Origin::Terraform);
    assert_eq!(inst.name, "google_compute_instance.vm");
    assert_eq!(
        m.facts.policies[0].bindings[0].members[0].value,
        "serviceAccount:google_service_account.sa"
    );
    assert!(matches!(storage(&m), Some(Iam::Granted(_))));
}

#[test]
fn explicitly_different_projects_are_not_linked() {
    let sa = "google_service_account.sa";
    let m = model(&plan(
        by_ref(sa),
        by_ref(sa),
        "q",
        "google_project_iam_member",
        1,
    ));
    assert!(matches!(m.links[0], Link::Unverified { .. }));
    assert_eq!(storage(&m), Some(&Iam::Unlinked));
}

#[test]
fn folder_grants_are_not_project_policies() {
    let sa = "google_service_account.sa";
    let m = model(&plan(
        by_ref(sa),
        by_ref(sa),
        "p",
        "google_folder_iam_member",
        1,
    ));
    assert!(matches!(m.facts.policies[0].target, PolicyTarget::Other(_)));
    assert_eq!(m.links[0], Link::NoPolicy);
}

#[test]
fn an_email_no_reference_names_is_not_guessed() {
    let m = model(&plan(
        json!({"references": ["local.sa_email"]}),
        by_ref("google_service_account.sa"),
        "p",
        "google_project_iam_member",
        1,
    ));
    let reason = m.facts.unlinked_accounts.get(&0).expect("unlinked");
    assert!(reason.contains("local.sa_email"), "{reason}");
    assert!(matches!(storage(&m), Some(Iam::Unknown(r)) if r == reason));
}

#[test]
fn a_reference_without_key_to_several_accounts_is_not_guessed() {
    let sa = "google_service_account.sa";
    let m = model(&plan(
        by_ref(sa),
        by_ref(sa),
        "p",
        "google_project_iam_member",
        2,
    ));
    let reason = m.facts.unlinked_accounts.get(&0).expect("unlinked");
    assert!(reason.contains("2 instances"), "{reason}");
    assert!(m.facts.policies[0].bindings[0].members.is_empty());
}

#[test]
fn members_alone_never_prove_a_role_is_missing() {
    let sa = "google_service_account.sa";
    let m = model(&plan(
        by_ref(sa),
        by_ref(sa),
        "p",
        "google_project_iam_member",
        1,
    ));
    let logging = m.effective[0].get(Capability::LoggingWrite).map(|c| &c.iam);
    assert!(matches!(logging, Some(Iam::Unknown(r)) if r.contains("google_project_iam_member")));
}

/// An instance running as an account created in the plan, and an
/// authoritative project policy naming that account by its email.
fn authoritative(sa_project: Option<&str>) -> Value {
    let data = json!({"bindings": [{"role": "roles/storage.objectAdmin",
            "members": ["serviceAccount:sa@p.iam.gserviceaccount.com"]}]})
    .to_string();
    let mut sa_after = json!({"account_id": "sa"});
    if let Some(p) = sa_project {
        sa_after["project"] = json!(p);
    }
    json!({"format_version": "1.2", "resource_changes": [
            change("google_compute_instance.vm", "google_compute_instance",
                json!({"name": "vm", "project": "p", "service_account": [{"scopes": ["https://www.googleapis.com/auth/devstorage.read_only"]}]}),
                json!({"service_account": [{"email": true, "scopes": [false]}]})),
            change("google_project_iam_policy.p", "google_project_iam_policy",
                json!({"project": "p", "policy_data": data}), json!({})),
            change("google_service_account.sa", "google_service_account", sa_after, json!({"email": true}))],
            "configuration": {"root_module": {"resources": [
                {"address": "google_compute_instance.vm", "mode": "managed", "type": "google_compute_instance", "name": "vm",
                 "expressions": {"service_account": [{"email": by_ref("google_service_account.sa")}]}},
                {"address": "google_service_account.sa", "mode": "managed", "type": "google_service_account", "name": "sa",
                 "expressions": {"account_id": {"constant_value": "sa"}}}]}}})
}

#[test]
fn an_authoritative_policy_names_a_planned_account_by_its_email() {
    let m = model(&authoritative(Some("p")));
    assert_eq!(
        m.facts.policies[0].bindings[0].members[0].value,
        "serviceAccount:google_service_account.sa"
    );
    assert!(matches!(storage(&m), Some(Iam::Granted(_))));
    // Complete policy: the missing log writer is a verdict.
    let logging = m.effective[0].get(Capability::LoggingWrite).map(|c| &c.iam);
    assert_eq!(logging, Some(&Iam::NotGranted));
}

#[test]
fn an_email_that_cannot_be_computed_is_not_matched_against_emails() {
    let m = model(&authoritative(None));
    let reason = m.facts.unlinked_accounts.get(&0).expect("unlinked");
    assert!(reason.contains("account_id"), "{reason}");
    let logging = m.effective[0].get(Capability::LoggingWrite).map(|c| &c.iam);
    assert!(matches!(logging, Some(Iam::Unknown(_))));
}

#[test]
fn resource_types_of_addresses() {
    assert_eq!(
        type_of("google_service_account.x"),
        Some("google_service_account")
    );
    assert_eq!(
        type_of("module.a.module.b.google_service_account.x"),
        Some("google_service_account")
    );
    assert_eq!(
        type_of("data.google_service_account.x"),
        Some("google_service_account")
    );
    assert_eq!(
        type_of("module.a.data.google_iam_policy.p"),
        Some("google_iam_policy")
    );
}
