use super::*;
use crate::documents::ParsedFile;
use crate::source::FileId;

fn model(files: &[&str]) -> GcpModel {
    let parsed: Vec<ParsedFile> = files
        .iter()
        .enumerate()
        .map(|(i, t)| {
            ParsedFile::parse(
                FileId(i as u32),
                &format!("f{i}.json"),
                t.as_bytes(),
                true,
                None,
            )
        })
        .collect();
    let docs: Vec<Document<'_>> = parsed.iter().flat_map(ParsedFile::documents).collect();
    GcpModel::build(&docs)
}

fn instance(project: &str, email: &str, scopes: &str) -> String {
    format!(
        r#"{{"kind": "compute#instance", "name": "vm", "selfLink": "https://www.googleapis.com/compute/v1/projects/{project}/zones/z/instances/vm",
               "serviceAccounts": [{{"email": "{email}", "scopes": [{scopes}]}}]}}"#
    )
}

const APP: &str = "app@p.iam.gserviceaccount.com";
const CP: &str = r#""https://www.googleapis.com/auth/cloud-platform""#;

fn policy(bindings: &str) -> String {
    format!(r#"{{"version": 1, "etag": "x", "bindings": [{bindings}]}}"#)
}

#[test]
fn one_bare_policy_and_one_project_link() {
    let m = model(&[
        &instance("p", APP, CP),
        &policy(&format!(
            r#"{{"role": "roles/logging.logWriter", "members": ["serviceAccount:{APP}"]}}"#
        )),
    ]);
    assert_eq!(m.links, vec![Link::Linked { policies: vec![0] }]);
    let e = &m.effective[0];
    assert!(matches!(
        e.get(Capability::LoggingWrite).map(|c| &c.iam),
        Some(Iam::Granted(_))
    ));
    assert_eq!(
        e.get(Capability::StorageWrite).map(|c| &c.iam),
        Some(&Iam::NotGranted)
    );
    assert!(
        e.get(Capability::StorageWrite)
            .is_some_and(|c| c.scope == Some(0))
    );
}

#[test]
fn instances_of_two_projects_are_not_linked_to_a_bare_policy() {
    let m = model(&[
        &instance("p", APP, CP),
        &instance("q", APP, CP),
        &policy(&format!(
            r#"{{"role": "roles/logging.logWriter", "members": ["serviceAccount:{APP}"]}}"#
        )),
    ]);
    assert!(m.links.iter().all(|l| matches!(l, Link::Unverified { .. })));
    assert!(
        m.effective
            .iter()
            .all(|e| e.capabilities.iter().all(|c| c.iam == Iam::Unlinked))
    );
}

#[test]
fn cai_policies_link_by_project_only() {
    let cai = format!(
        r#"[{{"name": "//cloudresourcemanager.googleapis.com/projects/q", "asset_type": "cloudresourcemanager.googleapis.com/Project",
                 "iam_policy": {{"bindings": [{{"role": "roles/logging.logWriter", "members": ["serviceAccount:{APP}"]}}]}}}},
                {{"name": "//cloudresourcemanager.googleapis.com/projects/p", "asset_type": "cloudresourcemanager.googleapis.com/Project",
                 "iam_policy": {{"bindings": [{{"role": "roles/storage.objectAdmin", "members": ["serviceAccount:{APP}"]}}]}}}},
                {{"name": "//storage.googleapis.com/b", "asset_type": "storage.googleapis.com/Bucket",
                 "iam_policy": {{"bindings": [{{"role": "roles/logging.admin", "members": ["serviceAccount:{APP}"]}}]}}}}]"#
    );
    let m = model(&[&instance("p", APP, CP), &cai]);
    assert_eq!(m.links, vec![Link::Linked { policies: vec![1] }]);
    assert_eq!(
        m.facts.policies[2].target,
        PolicyTarget::Other("storage.googleapis.com/Bucket".to_string())
    );
    let e = &m.effective[0];
    assert_eq!(
        e.get(Capability::LoggingWrite).map(|c| &c.iam),
        Some(&Iam::NotGranted)
    );
}

#[test]
fn bucket_policies_are_not_project_policies() {
    let m = model(&[
        &instance("p", APP, CP),
        &policy(&format!(
            r#"{{"role": "roles/storage.legacyBucketOwner", "members": ["projectOwner:p"]}},
                   {{"role": "roles/storage.objectAdmin", "members": ["serviceAccount:{APP}"]}}"#
        )),
    ]);
    assert_eq!(m.links, vec![Link::NoPolicy]);
}

#[test]
fn conditions_are_maybe_and_deleted_members_never_count() {
    let m = model(&[
        &instance("p", APP, CP),
        &policy(&format!(
            r#"{{"role": "roles/logging.logWriter", "members": ["serviceAccount:{APP}"], "condition": {{"expression": "true"}}}},
                   {{"role": "roles/storage.objectAdmin", "members": ["deleted:serviceAccount:{APP}?uid=1"]}}"#
        )),
    ]);
    let e = &m.effective[0];
    assert!(matches!(
        e.get(Capability::LoggingWrite).map(|c| &c.iam),
        Some(Iam::Conditional(_))
    ));
    assert_eq!(
        e.get(Capability::StorageWrite).map(|c| &c.iam),
        Some(&Iam::NotGranted)
    );
}

#[test]
fn the_default_alias_resolves_through_the_compute_service_agent() {
    let m = model(&[
        &instance(
            "p",
            "default",
            r#""https://www.googleapis.com/auth/devstorage.read_only""#,
        ),
        &policy(
            r#"{"role": "roles/compute.serviceAgent", "members": ["serviceAccount:service-42@compute-system.iam.gserviceaccount.com"]},
                   {"role": "roles/storage.objectAdmin", "members": ["serviceAccount:42-compute@developer.gserviceaccount.com", "serviceAccount:7-compute@developer.gserviceaccount.com"]}"#,
        ),
    ]);
    let e = &m.effective[0];
    assert_eq!(
        e.resolved_email.as_deref(),
        Some("42-compute@developer.gserviceaccount.com")
    );
    let storage = e.get(Capability::StorageWrite).expect("storage");
    assert!(matches!(&storage.iam, Iam::Granted(g) if g.len() == 1));
    assert_eq!(storage.scope, None);
}

#[test]
fn custom_roles_count_by_their_permissions() {
    let m = model(&[
        &instance("p", APP, CP),
        &policy(&format!(
            r#"{{"role": "projects/p/roles/w", "members": ["serviceAccount:{APP}"]}}"#
        )),
        r#"{"name": "projects/p/roles/w", "includedPermissions": ["logging.logEntries.create"]}"#,
    ]);
    let e = &m.effective[0];
    assert!(matches!(
        e.get(Capability::LoggingWrite).map(|c| &c.iam),
        Some(Iam::Granted(_))
    ));
    assert_eq!(
        e.get(Capability::PubsubPublish).map(|c| &c.iam),
        Some(&Iam::NotGranted)
    );
}
