use super::super::AwsModel;
use crate::documents::ParsedFile;
use crate::lint::Options;
use crate::source::FileId;

fn plan(id: u32, resources: &str, config: &str) -> ParsedFile {
    let text = format!(
        r#"{{"format_version": "1.2", "resource_changes": [{resources}],
                "configuration": {{"root_module": {{"resources": [{config}]}}}}}}"#
    );
    ParsedFile::parse(
        FileId(id),
        &format!("plan{id}.json"),
        text.as_bytes(),
        true,
        None,
    )
}

fn state(text: &str) -> ParsedFile {
    ParsedFile::parse(FileId(0), "state.json", text.as_bytes(), true, None)
}

fn rc(address: &str, after: &str, unknown: &str) -> String {
    let (t, n) = address.split_once('.').expect("address");
    format!(
        r#"{{"address": "{address}", "mode": "managed", "type": "{t}", "name": "{n}",
                "change": {{"actions": ["create"], "before": null, "after": {after}, "after_unknown": {unknown}}}}}"#
    )
}

fn cfg(address: &str, expressions: &str) -> String {
    let (t, n) = address.split_once('.').expect("address");
    format!(
        r#"{{"address": "{address}", "mode": "managed", "type": "{t}", "name": "{n}", "expressions": {expressions}}}"#
    )
}

const TRUST: &str = r#""{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}""#;
const EC2: &str = r#""{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}""#;

fn flow(role_ref: &str) -> (String, String) {
    (
        rc(
            "aws_flow_log.f",
            r#"{"log_destination_type": "cloud-watch-logs", "deliver_cross_account_role": null}"#,
            r#"{"iam_role_arn": true}"#,
        ),
        cfg(
            "aws_flow_log.f",
            &format!(r#"{{"iam_role_arn": {{"references": [{role_ref}]}}}}"#),
        ),
    )
}

#[test]
fn roles_of_two_plans_with_the_same_address_stay_apart() {
    let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
    let a = plan(
        0,
        &format!(
            "{f}, {}",
            rc(
                "aws_iam_role.r",
                &format!(r#"{{"name": "r", "assume_role_policy": {TRUST}}}"#),
                r#"{"arn": true}"#
            )
        ),
        &fc,
    );
    let b = plan(
        1,
        &rc(
            "aws_iam_role.r",
            &format!(r#"{{"name": "r", "assume_role_policy": {EC2}}}"#),
            r#"{"arn": true}"#,
        ),
        "",
    );
    let files = [a, b];
    let model = AwsModel::build(&files, &Options::default());
    assert_eq!(model.roles.len(), 2);
    let fl = &model.flow_logs[0];
    let role = model
        .role_by_arn(fl.role_arn.as_deref().expect("linked"))
        .expect("role");
    assert_eq!(role.name, "aws_iam_role.r");
    assert_eq!(role.trust.as_ref().and_then(|t| t.file), Some(FileId(0)));
    assert_eq!(model.uses.len(), 1);
}

#[test]
fn an_unlinkable_role_is_advice_with_the_reason() {
    let (f, fc) = flow(r#""var.role_arn""#);
    let files = [plan(0, &f, &fc)];
    let model = AwsModel::build(&files, &Options::default());
    assert!(model.flow_logs.is_empty());
    let u = model.unlinked.first().expect("unlinked");
    assert_eq!(u.user, "flow log `aws_flow_log.f`");
    assert!(u.reason.contains("`var.role_arn`"), "{}", u.reason);
}

#[test]
fn a_role_policy_whose_role_is_unknown_makes_permissions_unverifiable() {
    let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
    let resources = [
            f,
            rc("aws_iam_role.r", &format!(r#"{{"name": "flow", "assume_role_policy": {TRUST}}}"#), r#"{"arn": true}"#),
            rc("aws_iam_role_policy.p", r#"{"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"}"#, r#"{"role": true}"#),
        ]
        .join(",");
    let config = [
        fc,
        cfg(
            "aws_iam_role_policy.p",
            r#"{"role": {"references": ["var.role_name"]}}"#,
        ),
    ]
    .join(",");
    let files = [plan(0, &resources, &config)];
    let model = AwsModel::build(&files, &Options::default());
    let role = model
        .roles
        .iter()
        .find(|r| r.name == "aws_iam_role.r")
        .expect("role");
    assert!(role.inline.is_empty());
    assert_eq!(role.attached.len(), 1);
    assert_eq!(role.attached[0].arn, "aws_iam_role_policy.p");
    assert!(matches!(
        model.resolve(&role.attached[0].arn, role.scope),
        super::super::Resolved::Unknown
    ));
}

#[test]
fn a_state_links_the_flow_log_by_arn() {
    let text = format!(
        r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [
                {{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
                  "values": {{"name": "flow", "arn": "arn:aws:iam::123456789012:role/flow", "path": "/",
                  "assume_role_policy": {EC2}, "inline_policy": []}}}},
                {{"address": "aws_flow_log.f", "mode": "managed", "type": "aws_flow_log", "name": "f",
                  "values": {{"iam_role_arn": "arn:aws:iam::123456789012:role/flow",
                  "log_destination_type": "cloud-watch-logs", "deliver_cross_account_role": ""}}}}]}}}}}}"#
    );
    let files = [state(&text)];
    let model = AwsModel::build(&files, &Options::default());
    let fl = model.flow_logs.first().expect("flow log");
    let role = model
        .role_by_arn(fl.role_arn.as_deref().expect("role"))
        .expect("linked");
    assert_eq!(role.name, "aws_iam_role.r");
    assert!(role.trust.is_some());
    assert!(model.unlinked.is_empty());
}

/// A state is one configuration: a flow log of another input naming a
/// state's role by ARN does not reach into the state, so the state's
/// findings do not depend on what else the run lints.
#[test]
fn a_flow_log_of_another_input_does_not_link_into_a_state() {
    let flow = r#"{"FlowLogs": [{"FlowLogId": "fl-1", "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/flow"}]}"#;
    let state = format!(
        r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [
                {{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
                  "values": {{"name": "flow", "arn": "arn:aws:iam::123456789012:role/flow", "path": "/",
                  "assume_role_policy": {EC2}}}}}]}}}}}}"#
    );
    let files = [
        ParsedFile::parse(FileId(0), "flow.json", flow.as_bytes(), true, None),
        ParsedFile::parse(FileId(1), "state.json", state.as_bytes(), true, None),
    ];
    let model = AwsModel::build(&files, &Options::default());
    assert_eq!(
        model.roles.len(),
        2,
        "the state's role and the one the flow log names"
    );
    let [service] = model.uses.as_slice() else {
        panic!("one use: {:?}", model.uses)
    };
    let role = model.role_of(service).expect("the flow log's own record");
    assert_eq!(role.scope, None);
    assert!(role.key.is_none() && role.trust.is_none());
    let state_role = model
        .role_in("arn:aws:iam::123456789012:role/flow", Some(FileId(1)))
        .expect("the state's role");
    assert_eq!(state_role.display(), "aws_iam_role.r");
    assert!(state_role.trust.is_some());
}

#[test]
fn an_inline_policy_unknown_until_apply_is_a_stand_in() {
    let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
    let resources = [
            f,
            rc(
                "aws_iam_role.r",
                &format!(r#"{{"name": "flow", "assume_role_policy": {TRUST}, "inline_policy": [{{"name": "logs"}}]}}"#),
                r#"{"arn": true, "inline_policy": [{"policy": true}]}"#,
            ),
        ]
        .join(",");
    let files = [plan(0, &resources, &fc)];
    let model = AwsModel::build(&files, &Options::default());
    let role = model.roles.first().expect("role");
    assert!(role.inline.is_empty());
    let arns: Vec<&str> = role.attached.iter().map(|a| a.arn.as_str()).collect();
    assert_eq!(arns, ["aws_iam_role.r.inline_policy[0]"]);
}

#[test]
fn policies_attach_by_reference_and_inline_policies_by_known_name() {
    let (f, fc) = flow(r#""aws_iam_role.r.arn", "aws_iam_role.r""#);
    let resources = [
            f,
            rc("aws_iam_role.r", &format!(r#"{{"name": "flow", "assume_role_policy": {TRUST}}}"#), r#"{"arn": true}"#),
            rc("aws_iam_role_policy.p", r#"{"role": "flow", "policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":\"*\"}]}"}"#, "{}"),
            rc("aws_iam_policy.d", r#"{"policy": "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}]}"}"#, r#"{"arn": true}"#),
            rc("aws_iam_policy_attachment.a", r#"{"roles": ["flow"]}"#, r#"{"policy_arn": true}"#),
        ]
        .join(",");
    let config = [
        fc,
        cfg(
            "aws_iam_policy_attachment.a",
            r#"{"policy_arn": {"references": ["aws_iam_policy.d.arn", "aws_iam_policy.d"]}}"#,
        ),
    ]
    .join(",");
    let files = [plan(0, &resources, &config)];
    let model = AwsModel::build(&files, &Options::default());
    let role = model
        .roles
        .iter()
        .find(|r| r.name == "aws_iam_role.r")
        .expect("role");
    assert_eq!(role.inline.len(), 1);
    assert_eq!(role.attached.len(), 1);
    assert!(matches!(
        model.resolve(&role.attached[0].arn, role.scope),
        super::super::Resolved::Input(m) if m.name == "aws_iam_policy.d"
    ));
}

const DENY_LOGS: &str = r#""{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}]}""#;

fn role_in(account: &str) -> String {
    rc(
        "aws_iam_role.r",
        &format!(
            r#"{{"name": "flow", "path": "/", "arn": "arn:aws:iam::{account}:role/flow", "assume_role_policy": {TRUST}}}"#
        ),
        "{}",
    )
}

fn applied(model: &AwsModel<'_>) -> Vec<(String, crate::vocabulary::Tri)> {
    let role = model
        .roles
        .iter()
        .find(|r| r.name == "aws_iam_role.r")
        .expect("role");
    model
        .org_scps(role)
        .iter()
        .map(|a| (a.target.label.clone(), a.applies))
        .collect()
}

#[test]
fn scps_apply_through_attachments_and_parents_linked_by_reference() {
    use crate::vocabulary::Tri;
    let resources = [
        role_in("111111111111"),
        rc(
            "aws_organizations_organizational_unit.ou",
            r#"{"name": "w", "parent_id": "r-ab12"}"#,
            r#"{"id": true}"#,
        ),
        rc(
            "aws_organizations_account.a",
            r#"{"id": "111111111111", "name": "a"}"#,
            r#"{"parent_id": true}"#,
        ),
        rc(
            "aws_organizations_policy.deny",
            &format!(r#"{{"name": "d", "content": {DENY_LOGS}}}"#),
            r#"{"id": true}"#,
        ),
        rc(
            "aws_organizations_policy.rcp",
            &format!(
                r#"{{"name": "r", "type": "RESOURCE_CONTROL_POLICY", "content": {DENY_LOGS}}}"#
            ),
            r#"{"id": true}"#,
        ),
        rc(
            "aws_organizations_policy_attachment.ou",
            "{}",
            r#"{"policy_id": true, "target_id": true}"#,
        ),
        rc(
            "aws_organizations_policy_attachment.rcp",
            "{}",
            r#"{"policy_id": true, "target_id": true}"#,
        ),
        rc(
            "aws_organizations_policy_attachment.other",
            r#"{"target_id": "ou-ab12-99999999"}"#,
            r#"{"policy_id": true}"#,
        ),
    ]
    .join(",");
    let ou_ref = r#"{"references": ["aws_organizations_organizational_unit.ou.id", "aws_organizations_organizational_unit.ou"]}"#;
    let config = [
            cfg("aws_organizations_account.a", &format!(r#"{{"parent_id": {ou_ref}}}"#)),
            cfg(
                "aws_organizations_policy_attachment.ou",
                &format!(r#"{{"policy_id": {{"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]}}, "target_id": {ou_ref}}}"#),
            ),
            cfg(
                "aws_organizations_policy_attachment.rcp",
                &format!(r#"{{"policy_id": {{"references": ["aws_organizations_policy.rcp.id", "aws_organizations_policy.rcp"]}}, "target_id": {ou_ref}}}"#),
            ),
            cfg(
                "aws_organizations_policy_attachment.other",
                r#"{"policy_id": {"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]}, "target_id": {"constant_value": "ou-ab12-99999999"}}"#,
            ),
        ]
        .join(",");
    let files = [plan(0, &resources, &config)];
    let model = AwsModel::build(&files, &Options::default());
    assert_eq!(
        model.orgs.get(&FileId(0)).map(|o| o.scps.len()),
        Some(1),
        "the RCP is not an SCP"
    );
    // The account's chain reaches the root: the other OU does not apply.
    assert_eq!(
        applied(&model),
        [(
            "OU `aws_organizations_organizational_unit.ou`".to_string(),
            Tri::Yes
        )]
    );
}

#[test]
fn accounts_without_parent_are_in_the_root_and_the_management_account_is_exempt() {
    use crate::vocabulary::Tri;
    let org = |master: &str| {
        rc(
            "aws_organizations_organization.o",
            &format!(r#"{{"master_account_id": "{master}", "roots": [{{"id": "r-ab12"}}]}}"#),
            "{}",
        )
    };
    let rest = [
        rc(
            "aws_organizations_account.a",
            r#"{"name": "a", "id": "111111111111"}"#,
            r#"{"parent_id": true}"#,
        ),
        rc(
            "aws_organizations_policy.deny",
            &format!(r#"{{"content": {DENY_LOGS}}}"#),
            r#"{"id": true}"#,
        ),
        rc(
            "aws_organizations_policy_attachment.root",
            "{}",
            r#"{"policy_id": true, "target_id": true}"#,
        ),
    ]
    .join(",");
    let config = [
            cfg("aws_organizations_account.a", r#"{"name": {"constant_value": "a"}}"#),
            cfg(
                "aws_organizations_policy_attachment.root",
                r#"{"policy_id": {"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]},
                    "target_id": {"references": ["aws_organizations_organization.o.roots[0].id", "aws_organizations_organization.o.roots[0]", "aws_organizations_organization.o.roots", "aws_organizations_organization.o"]}}"#,
            ),
        ]
        .join(",");
    let resources = [role_in("111111111111"), org("999999999999"), rest.clone()].join(",");
    let files = [plan(0, &resources, &config)];
    let model = AwsModel::build(&files, &Options::default());
    assert_eq!(
        applied(&model),
        [(
            "the root `r-ab12` (`aws_organizations_organization.o`)".to_string(),
            Tri::Yes
        )]
    );
    let resources = [role_in("111111111111"), org("111111111111"), rest].join(",");
    let files = [plan(0, &resources, &config)];
    let model = AwsModel::build(&files, &Options::default());
    assert!(applied(&model).is_empty());
}

#[test]
fn a_target_the_plan_cannot_tell_may_apply() {
    use crate::model::aws::org::Placement;
    use crate::vocabulary::Tri;
    let resources = [
        role_in("111111111111"),
        rc(
            "aws_organizations_policy.deny",
            &format!(r#"{{"content": {DENY_LOGS}}}"#),
            r#"{"id": true}"#,
        ),
        rc(
            "aws_organizations_policy_attachment.x",
            "{}",
            r#"{"policy_id": true, "target_id": true}"#,
        ),
    ]
    .join(",");
    let config = cfg(
        "aws_organizations_policy_attachment.x",
        r#"{"policy_id": {"references": ["aws_organizations_policy.deny.id", "aws_organizations_policy.deny"]},
                "target_id": {"references": ["var.ou_id"]}}"#,
    );
    let files = [plan(0, &resources, &config)];
    let model = AwsModel::build(&files, &Options::default());
    let role = model.roles.first().expect("role");
    let scps = model.org_scps(role);
    let [scp] = scps.as_slice() else {
        panic!("one SCP: {scps:?}")
    };
    assert_eq!(scp.applies, Tri::Maybe);
    assert!(matches!(scp.placement, Placement::UnknownTarget(why) if why.contains("`var.ou_id`")));
}

#[test]
fn a_state_links_scps_by_known_ids() {
    use crate::vocabulary::Tri;
    let res = |address: &str, values: &str| {
        let (t, n) = address.split_once('.').expect("address");
        format!(
            r#"{{"address": "{address}", "mode": "managed", "type": "{t}", "name": "{n}", "values": {values}}}"#
        )
    };
    let resources = [
            res("aws_iam_role.r", &format!(r#"{{"name": "flow", "path": "/", "arn": "arn:aws:iam::111111111111:role/flow", "assume_role_policy": {TRUST}}}"#)),
            res("aws_organizations_organization.o", r#"{"master_account_id": "999999999999", "roots": [{"id": "r-ab12"}], "accounts": [{"id": "111111111111"}, {"id": "999999999999"}]}"#),
            res("aws_organizations_organizational_unit.w", r#"{"id": "ou-ab12-11111111", "parent_id": "r-ab12"}"#),
            res("aws_organizations_account.a", r#"{"id": "111111111111", "parent_id": "ou-ab12-11111111"}"#),
            res("aws_organizations_policy.d", &format!(r#"{{"id": "p-1111aaaa", "type": "SERVICE_CONTROL_POLICY", "content": {DENY_LOGS}}}"#)),
            res("aws_organizations_policy.t", r#"{"id": "p-2222bbbb", "type": "TAG_POLICY", "content": "{}"}"#),
            res("aws_organizations_policy_attachment.ou", r#"{"policy_id": "p-1111aaaa", "target_id": "ou-ab12-11111111"}"#),
            res("aws_organizations_policy_attachment.root", r#"{"policy_id": "p-1111aaaa", "target_id": "r-ab12"}"#),
            res("aws_organizations_policy_attachment.tag", r#"{"policy_id": "p-2222bbbb", "target_id": "r-ab12"}"#),
        ]
        .join(",");
    let text = format!(
        r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [{resources}]}}}}}}"#
    );
    let files = [state(&text)];
    let model = AwsModel::build(&files, &Options::default());
    assert_eq!(
        applied(&model),
        [
            (
                "OU `ou-ab12-11111111` (`aws_organizations_organizational_unit.w`)".to_string(),
                Tri::Yes
            ),
            (
                "the root `r-ab12` (`aws_organizations_organization.o`)".to_string(),
                Tri::Yes
            ),
        ]
    );
    let role = model.roles.first().expect("role");
    let scps = model.org_scps(role);
    let via = scps
        .first()
        .and_then(|s| s.via)
        .map(|(_, note)| note.as_str());
    assert_eq!(
        via,
        Some(
            "`aws_organizations_account.a` places account `111111111111` in OU `ou-ab12-11111111` (`aws_organizations_organizational_unit.w`)"
        )
    );
}
