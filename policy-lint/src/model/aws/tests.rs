use super::*;
use crate::lint::Options;
use crate::source::FileId;

fn parse(name: &str, text: &str) -> ParsedFile {
    ParsedFile::parse(FileId(0), name, text.as_bytes(), true, None)
}

#[test]
fn flow_logs_link_to_roles_by_arn_with_path_and_policies_by_role_name() {
    let files = vec![
        parse(
            "flow.json",
            r#"{"FlowLogs": [{"FlowLogId": "fl-1", "DeliverLogsPermissionArn": "arn:aws:iam::123:role/service/path/name"}]}"#,
        ),
        parse(
            "role.json",
            r#"{"Role": {"RoleName": "name", "Path": "/service/path/", "Arn": "arn:aws:iam::123:role/service/path/name",
                    "AssumeRolePolicyDocument": {"Statement": []}}}"#,
        ),
        parse(
            "policy.json",
            r#"{"RoleName": "name", "PolicyName": "p", "PolicyDocument": {"Statement": []}}"#,
        ),
    ];
    let files: Vec<ParsedFile> = files
        .into_iter()
        .enumerate()
        .map(|(i, mut f)| {
            f.id = FileId(i as u32);
            f
        })
        .collect();
    let model = AwsModel::build(&files, &Options::default());
    let role = model
        .role_by_arn("arn:aws:iam::123:role/service/path/name")
        .expect("linked");
    assert!(role.trust.is_some());
    assert_eq!(role.inline.len(), 1);
    assert_eq!(model.uses.len(), 1);
    assert_eq!(model.uses[0].entry, "vpc-flow-logs-to-cloudwatch-logs");
}

#[test]
fn extractors_can_add_service_uses_and_user_catalogues_add_entries() {
    let mut facts = Facts::default();
    facts.uses.push(ServiceUse {
        user: "`aws_lambda_function.f`".into(),
        role_arn: "arn:aws:iam::123:role/f".into(),
        role_location: None,
        flow_log: None,
        entry: "lambda-execution-role".into(),
        inferred: false,
        scope: None,
        facts: Vec::new(),
    });
    let mut model = AwsModel::link(facts);
    model.derive_uses();
    assert_eq!(model.uses.len(), 1);

    let catalogue = parse(
        "catalog.json",
        r#"{"entries": [], "no_source_condition_principals": ["monitoring.rds.amazonaws.com"]}"#,
    );
    let files = [catalogue];
    let options = Options {
        catalog: vec!["catalog.json".into()],
        ..Options::default()
    };
    let model = AwsModel::build(&files, &options);
    assert!(!model.sends_source_conditions("monitoring.rds.amazonaws.com"));
    assert!(model.sends_source_conditions("vpc-flow-logs.amazonaws.com"));
    assert!(model.sends_source_conditions("VPC-flow-logs.amazonaws.com.cn"));
    // Not in the catalogue, or an entry says it sends none: no condition is asked for.
    assert!(!model.sends_source_conditions("eks.amazonaws.com"));
    assert!(!model.sends_source_conditions("cloudtrail.amazonaws.com"));
    assert!(!model.sends_source_conditions("lambda.amazonaws.com"));
    assert!(model.catalogue_errors.is_empty());
}

#[test]
fn managed_policies_resolve_from_inputs_then_embedded_copies() {
    let model = AwsModel::default();
    assert!(matches!(
        model.resolve("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess", None),
        Resolved::Builtin(_)
    ));
    assert!(matches!(
        model.resolve("arn:aws:iam::aws:policy/AdministratorAccess", None),
        Resolved::Unknown
    ));
}
