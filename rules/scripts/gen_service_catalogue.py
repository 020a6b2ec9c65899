#!/usr/bin/env python3
"""Generate rules/service-catalogue.json: the service-integration catalogue.

The entries are curated by hand (CATALOGUE below) from research/aws.md sections 4.1-4.3,
each with the AWS documentation page that states its facts. Where an entry's actions
come from an AWS managed policy, they are read from CORPUS/aws-managed/<Name>.json rather
than typed in. The generator checks every entry against the shared data:
  - the service principal is a known high-confidence principal;
  - every trust/required action exists in DATA_DIR/aws-actions.json, in documented case;
  - the least-privilege statement grants every required action;
  - every broad managed policy exists in the corpus manifest and grants every required
    action with a wildcard or more actions than needed (that is what makes it broad);
  - principals in no_source_condition_principals are known and their entries say
    source_condition_keys_supported = false;
  - every required action has a request: the resource ARN template(s) IAM authorizes it
    on, expanded from the Service Authorization Reference's resource type in
    DATA_DIR/aws-actions.json (with the fixed parts the service's own docs give, such as
    the empty log stream name CloudWatch Logs authorizes CreateLogGroup on), or `*` for an
    action without resource type; every ${Variable} of a template or context value is a
    standard one (REQUEST_VARIABLES) or declared by the entry.
"""

import copy
import csv
import os
import re
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

OUTPUT = "service-catalogue.json"

FLOW_LOG_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                    "logs:DescribeLogGroups", "logs:DescribeLogStreams"]

# The variables every request template may use; a linker fills what its inputs know
# and leaves the others unknown. Entries declare their own (the log group a flow log
# writes to) under request.variables.
REQUEST_VARIABLES = {
    "Partition": "the role's partition (aws, aws-cn, aws-us-gov), from its ARN",
    "Region": "the region where the service uses the role",
    "Account": "the role's account",
    "RoleArn": "the role's ARN",
    "RoleName": "the role's name",
    "Service": "the entry's service principal",
}

# The request context of the calls a service makes with the role's session
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
# "Availability" of each key). null: the key is absent; {"unknown": why}: present with a
# value the inputs cannot give. Keys not listed are unknown (may be absent).
ROLE_SESSION_CONTEXT = {
    "aws:PrincipalArn": "${RoleArn}",
    "aws:PrincipalAccount": "${Account}",
    "aws:PrincipalType": "AssumedRole",
    "aws:RequestedRegion": "${Region}",
    "aws:SecureTransport": "true",
    # The service calls with the role's own credentials, not through forward access sessions.
    "aws:ViaAWSService": "false",
    "aws:PrincipalIsAWSService": "false",
    "aws:CalledVia": None,
    "aws:CalledViaFirst": None,
    "aws:CalledViaLast": None,
    # Temporary credentials the service obtained without MFA: "false", and no MFA age.
    "aws:MultiFactorAuthPresent": "false",
    "aws:MultiFactorAuthAge": None,
    # Only IAM users have a user name; role sessions do not.
    "aws:username": None,
    "aws:PrincipalServiceName": None,
    "aws:PrincipalServiceNamesList": None,
    "aws:FederatedProvider": None,
    "aws:SourceIdentity": None,
    # Only in requests a service principal makes, not in calls with a role session.
    "aws:SourceAccount": None,
    "aws:SourceArn": None,
    "aws:SourceOrgID": None,
    "aws:SourceOrgPaths": None,
    # The service does not call through a VPC endpoint of the customer.
    "aws:SourceVpc": None,
    "aws:SourceVpce": None,
    "aws:VpcSourceIp": None,
    "aws:SourceIp": {"unknown": "an address of the AWS service"},
    "aws:CurrentTime": {"unknown": "the time of the call"},
    "aws:EpochTime": {"unknown": "the time of the call"},
    "aws:TokenIssueTime": {"unknown": "when the service assumed the role"},
    "aws:userid": {"unknown": "the role's id and the service's session name"},
}

# The request context of sts:AssumeRole by a service principal (the trust policy).
SERVICE_PRINCIPAL_CONTEXT = {
    "aws:PrincipalServiceName": "${Service}",
    "aws:PrincipalIsAWSService": "true",
    "aws:SecureTransport": "true",
    "aws:PrincipalArn": None,
    "aws:PrincipalAccount": None,
    "aws:PrincipalOrgID": None,
    "aws:username": None,
    "aws:MultiFactorAuthPresent": None,
    "aws:MultiFactorAuthAge": None,
    "aws:SourceVpc": None,
    "aws:SourceVpce": None,
    "aws:VpcSourceIp": None,
    "aws:CurrentTime": {"unknown": "the time of the call"},
    "aws:EpochTime": {"unknown": "the time of the call"},
}

# A service that sends no source keys when it assumes the role (prowler-cloud/prowler#2810).
NO_SOURCE_KEYS = {"aws:SourceAccount": None, "aws:SourceArn": None}

LOG_STREAM = ("logs", "log-stream")

# Hand-curated seed. "from_managed_policy": take required_actions and the least-privilege
# statement from that AWS managed policy document in the corpus (single Allow statement).
CATALOGUE = [
    {
        "id": "vpc-flow-logs-to-cloudwatch-logs",
        "service_principal": "vpc-flow-logs.amazonaws.com",
        "description": "Delivery role that VPC Flow Logs assumes to publish flow log records to a CloudWatch Logs log group.",
        "usage": {
            "description": "Passed as the flow log's delivery role when the log destination type is cloud-watch-logs "
                           "(the default). The same parameter also carries the role for cross-account "
                           "kinesis-data-firehose delivery, which this entry does not cover; S3 delivery uses no role "
                           "(a bucket policy for delivery.logs.amazonaws.com instead).",
            "api_parameters": ["CreateFlowLogs.DeliverLogsPermissionArn"],
            "terraform_attributes": ["aws_flow_log.iam_role_arn"],
            "cloudformation_properties": ["AWS::EC2::FlowLog.DeliverLogsPermissionArn"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "required_actions": FLOW_LOG_ACTIONS,
        # spec.md AWS002 lists all five as errors; research/aws.md 4.1 suggests a warning for
        # logs:DescribeLogGroups (the CloudWatch Logs guide's example omits it). Spec wins here.
        "warning_only_actions": [],
        "source_condition_keys_supported": True,
        "source_condition_keys_recommended": True,
        "source_condition_example": {
            "ArnLike": {"aws:SourceArn": "arn:aws:ec2:REGION:ACCOUNT_ID:vpc-flow-log/*"},
            "StringEquals": {"aws:SourceAccount": "ACCOUNT_ID"},
        },
        "least_privilege_statement": {"Effect": "Allow", "Action": FLOW_LOG_ACTIONS, "Resource": "*"},
        # CloudWatch Logs authorizes group-level actions on the log-stream ARN with an empty
        # stream name, and DescribeLogGroups (no resource type in the Service Authorization
        # Reference) with an empty group name too: "logs:DescribeLogGroups is performed on
        # :log-group::log-stream:" (hashicorp/terraform-provider-aws#8804), which is why a policy
        # on the group ARN without ":*" denies every call (elastic/apm-aws-lambda#526).
        "request": {
            "variables": {
                "LogGroupName": "the flow log's log group",
                "LogStreamName": "the stream the flow log writes (one per network interface)",
                "FlowLogId": "the flow log's id (fl-...)",
            },
            "actions": {
                "logs:CreateLogGroup": [(LOG_STREAM, {"LogStreamName": ""})],
                "logs:CreateLogStream": [(LOG_STREAM, {})],
                "logs:PutLogEvents": [(LOG_STREAM, {})],
                "logs:DescribeLogGroups": [(LOG_STREAM, {"LogGroupName": "", "LogStreamName": ""})],
                "logs:DescribeLogStreams": [(LOG_STREAM, {"LogStreamName": ""})],
            },
            # https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html: the
            # service sends the flow log's account and ARN when it assumes the role.
            "trust_context": {
                "aws:SourceAccount": "${Account}",
                "aws:SourceArn": "arn:${Partition}:ec2:${Region}:${Account}:vpc-flow-log/${FlowLogId}",
            },
        },
        "broad_managed_policies": ["arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"],
        "docs_url": "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html",
        "notes": [
            "The VPC guide lists all five actions as the minimum; the CloudWatch Logs guide's own example omits logs:DescribeLogGroups.",
            "Runtime symptom of a broken role: describe-flow-logs shows DeliverLogsStatus FAILED with DeliverLogsErrorMessage \"Access error\".",
            "The service-linked role AWSServiceRoleForVPCFlowLogs (AWSVPCFlowLogsServiceRolePolicy) also trusts vpc-flow-logs.amazonaws.com but is not the delivery role.",
            "The principal that creates the flow log needs ec2:CreateFlowLogs and iam:PassRole on this role.",
        ],
    },
    {
        "id": "lambda-execution-role",
        "service_principal": "lambda.amazonaws.com",
        "description": "Lambda function execution role; the listed actions let the function write its logs to CloudWatch Logs (AWSLambdaBasicExecutionRole).",
        "usage": {
            "description": "Passed as the function's execution role.",
            "api_parameters": ["CreateFunction.Role"],
            "terraform_attributes": ["aws_lambda_function.role"],
            "cloudformation_properties": ["AWS::Lambda::Function.Role"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "from_managed_policy": "AWSLambdaBasicExecutionRole",
        "warning_only_actions": "all",
        "request": {
            "variables": {
                "LogGroupName": "the function's log group (/aws/lambda/FUNCTION by default)",
                "LogStreamName": "the stream of one execution environment",
            },
            "actions": {
                "logs:CreateLogGroup": [(LOG_STREAM, {"LogStreamName": ""})],
                "logs:CreateLogStream": [(LOG_STREAM, {})],
                "logs:PutLogEvents": [(LOG_STREAM, {})],
            },
            "trust_context": NO_SOURCE_KEYS,
        },
        "source_condition_keys_supported": False,
        "source_condition_keys_recommended": False,
        "source_condition_example": None,
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
        "notes": [
            "A function runs without these actions but its logs are lost, so their absence is a warning.",
            "The function's own code needs further permissions that no catalogue can know.",
            "Do not require aws:SourceAccount/aws:SourceArn in the trust policy (prowler-cloud/prowler#2810).",
        ],
    },
    {
        "id": "ecs-task-execution-role",
        "service_principal": "ecs-tasks.amazonaws.com",
        "description": "ECS task execution role used by the ECS agent to pull images from ECR and send container logs to CloudWatch Logs (AmazonECSTaskExecutionRolePolicy).",
        "usage": {
            "description": "Passed as the task definition's execution role.",
            "api_parameters": ["RegisterTaskDefinition.executionRoleArn"],
            "terraform_attributes": ["aws_ecs_task_definition.execution_role_arn"],
            "cloudformation_properties": ["AWS::ECS::TaskDefinition.ExecutionRoleArn"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "from_managed_policy": "AmazonECSTaskExecutionRolePolicy",
        "warning_only_actions": "all",
        "request": {
            "variables": {
                "RepositoryName": "the ECR repository of the task's image",
                "LogGroupName": "the awslogs-group of the container's log configuration",
                "LogStreamName": "the container's stream",
            },
            "actions": {
                "ecr:GetAuthorizationToken": ["*"],
                "ecr:BatchCheckLayerAvailability": [(("ecr", "repository"), {})],
                "ecr:BatchGetImage": [(("ecr", "repository"), {})],
                "ecr:GetDownloadUrlForLayer": [(("ecr", "repository"), {})],
                "logs:CreateLogStream": [(LOG_STREAM, {})],
                "logs:PutLogEvents": [(LOG_STREAM, {})],
            },
        },
        "source_condition_keys_supported": True,
        "source_condition_keys_recommended": True,
        "source_condition_example": {
            "ArnLike": {"aws:SourceArn": "arn:aws:ecs:REGION:ACCOUNT_ID:*"},
            "StringEquals": {"aws:SourceAccount": "ACCOUNT_ID"},
        },
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
        "notes": [
            "The ecr: actions are needed only for private ECR images and the logs: actions only with the awslogs log driver, so their absence is a warning.",
            "Actions taken from the AWS managed policy AmazonECSTaskExecutionRolePolicy (research/aws.md marked them to re-verify).",
        ],
    },
    {
        "id": "ecs-task-role",
        "service_principal": "ecs-tasks.amazonaws.com",
        "description": "ECS task role: the identity of the containers in a task; its permissions depend on the application.",
        "usage": {
            "description": "Passed as the task definition's task role.",
            "api_parameters": ["RegisterTaskDefinition.taskRoleArn"],
            "terraform_attributes": ["aws_ecs_task_definition.task_role_arn"],
            "cloudformation_properties": ["AWS::ECS::TaskDefinition.TaskRoleArn"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "required_actions": [],
        "warning_only_actions": [],
        "source_condition_keys_supported": True,
        "source_condition_keys_recommended": True,
        "source_condition_example": {
            "ArnLike": {"aws:SourceArn": "arn:aws:ecs:REGION:ACCOUNT_ID:*"},
            "StringEquals": {"aws:SourceAccount": "ACCOUNT_ID"},
        },
        "least_privilege_statement": None,
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
        "notes": [],
    },
    {
        "id": "ec2-instance-role",
        "service_principal": "ec2.amazonaws.com",
        "description": "EC2 instance role; it reaches the instance through an instance profile.",
        "usage": {
            "description": "Wrapped in an instance profile (one role per profile) that is attached to the instance; the launcher needs iam:PassRole on the role.",
            "api_parameters": ["AddRoleToInstanceProfile.RoleName"],
            "terraform_attributes": ["aws_iam_instance_profile.role"],
            "cloudformation_properties": ["AWS::IAM::InstanceProfile.Roles"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "required_actions": [],
        "warning_only_actions": [],
        "source_condition_keys_supported": False,
        "source_condition_keys_recommended": False,
        "source_condition_example": None,
        "least_privilege_statement": None,
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html",
        "notes": ["Do not require aws:SourceAccount/aws:SourceArn in the trust policy (prowler-cloud/prowler#2810)."],
    },
]


RDS_MONITORING_ACTIONS = ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:CreateLogStream",
                          "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents"]
FIREHOSE_S3_ACTIONS = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
                       "s3:ListBucketMultipartUploads", "s3:PutObject"]
RDS_OS_METRICS = {"LogGroupName": "RDSOSMetrics"}

# Integrations linked from the Terraform resource that passes the role (usage.terraform_attributes,
# `[]` for every block of a nested block list); each needs only its entry here.
CATALOGUE += [
    {
        "id": "rds-enhanced-monitoring",
        "service_principal": "monitoring.rds.amazonaws.com",
        "description": "Role that RDS Enhanced Monitoring assumes to publish a DB instance's OS metrics to the RDSOSMetrics log group (AmazonRDSEnhancedMonitoringRole).",
        "usage": {
            "description": "Passed as the DB instance's monitoring role (with a monitoring interval above 0).",
            "api_parameters": ["CreateDBInstance.MonitoringRoleArn"],
            "terraform_attributes": ["aws_db_instance.monitoring_role_arn"],
            "cloudformation_properties": ["AWS::RDS::DBInstance.MonitoringRoleArn"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "required_actions": RDS_MONITORING_ACTIONS,
        # Creating the group and writing to it is the delivery; the rest manage it.
        "warning_only_actions": ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:PutRetentionPolicy"],
        "source_condition_keys_supported": True,
        "source_condition_keys_recommended": False,
        "source_condition_example": None,
        # The statements of AmazonRDSEnhancedMonitoringRole, as one.
        "least_privilege_statement": {"Effect": "Allow", "Action": RDS_MONITORING_ACTIONS,
                                      "Resource": ["arn:aws:logs:*:*:log-group:RDS*",
                                                   "arn:aws:logs:*:*:log-group:RDS*:log-stream:*"]},
        "request": {
            "variables": {"LogStreamName": "the stream of one DB instance (its resource id)"},
            "actions": {
                "logs:CreateLogGroup": [(LOG_STREAM, dict(RDS_OS_METRICS, LogStreamName=""))],
                "logs:PutRetentionPolicy": [(("logs", "log-group"), RDS_OS_METRICS)],
                "logs:CreateLogStream": [(LOG_STREAM, RDS_OS_METRICS)],
                "logs:PutLogEvents": [(LOG_STREAM, RDS_OS_METRICS)],
                "logs:DescribeLogStreams": [(LOG_STREAM, dict(RDS_OS_METRICS, LogStreamName=""))],
                "logs:GetLogEvents": [(LOG_STREAM, RDS_OS_METRICS)],
            },
        },
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html",
        "notes": [
            "The trust principal is monitoring.rds.amazonaws.com, not rds.amazonaws.com.",
            "AWS attaches arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole to the role it creates.",
        ],
    },
    {
        "id": "eks-node-group-role",
        "service_principal": "ec2.amazonaws.com",
        "description": "Node IAM role of an EKS managed node group: its nodes' kubelet describes the cluster and EC2 resources with it (AmazonEKSWorkerNodePolicy).",
        "usage": {
            "description": "Passed as the managed node group's node role; the nodes are EC2 instances, so the role trusts ec2.amazonaws.com.",
            "api_parameters": ["CreateNodegroup.nodeRole"],
            "terraform_attributes": ["aws_eks_node_group.node_role_arn"],
            "cloudformation_properties": ["AWS::EKS::Nodegroup.NodeRole"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "from_managed_policy": "AmazonEKSWorkerNodePolicy",
        # Only the EKS Pod Identity agent calls it.
        "warning_only_actions": ["eks-auth:AssumeRoleForPodIdentity"],
        "source_condition_keys_supported": False,
        "source_condition_keys_recommended": False,
        "source_condition_example": None,
        "request": {
            "variables": {"ClusterName": "the node group's cluster"},
            "actions": {
                "ec2:DescribeInstances": ["*"],
                "ec2:DescribeInstanceTypes": ["*"],
                "ec2:DescribeRouteTables": ["*"],
                "ec2:DescribeSecurityGroups": ["*"],
                "ec2:DescribeSubnets": ["*"],
                "ec2:DescribeVolumes": ["*"],
                "ec2:DescribeVolumesModifications": ["*"],
                "ec2:DescribeVpcs": ["*"],
                "eks:DescribeCluster": [(("eks", "cluster"), {})],
                "eks-auth:AssumeRoleForPodIdentity": [(("eks-auth", "cluster"), {})],
            },
            "trust_context": NO_SOURCE_KEYS,
        },
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html",
        "notes": [
            "Nodes also need AmazonEC2ContainerRegistryReadOnly (or the pull-through permissions) and, for the VPC CNI without IRSA, AmazonEKS_CNI_Policy.",
            "Do not require aws:SourceAccount/aws:SourceArn in the trust policy (prowler-cloud/prowler#2810).",
        ],
    },
    {
        "id": "cloudtrail-to-cloudwatch-logs",
        "service_principal": "cloudtrail.amazonaws.com",
        "description": "Role that CloudTrail assumes to deliver a trail's events to a CloudWatch Logs log group.",
        "usage": {
            "description": "Passed as the trail's CloudWatch Logs role, next to the log group's ARN.",
            "api_parameters": ["CreateTrail.CloudWatchLogsRoleArn"],
            "terraform_attributes": ["aws_cloudtrail.cloud_watch_logs_role_arn"],
            "cloudformation_properties": ["AWS::CloudTrail::Trail.CloudWatchLogsRoleArn"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "required_actions": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "warning_only_actions": [],
        # A source condition on this role is reported to stop delivery (prowler-cloud/prowler#4714).
        "source_condition_keys_supported": False,
        "source_condition_keys_recommended": False,
        "source_condition_example": None,
        "least_privilege_statement": {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                      "Resource": "arn:aws:logs:REGION:ACCOUNT_ID:log-group:LOG_GROUP:log-stream:*"},
        "request": {
            "variables": {
                "LogGroupName": "the trail's log group",
                "LogStreamName": "ACCOUNT_CloudTrail_REGION, one stream per region",
            },
            "actions": {
                "logs:CreateLogStream": [(LOG_STREAM, {})],
                "logs:PutLogEvents": [(LOG_STREAM, {})],
            },
        },
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
        "notes": [
            "Do not add aws:SourceArn/aws:SourceAccount conditions to this role's trust policy (prowler-cloud/prowler#4714).",
        ],
    },
    {
        "id": "firehose-to-s3",
        "service_principal": "firehose.amazonaws.com",
        "description": "Role that Amazon Data Firehose assumes to deliver a stream's records to its S3 bucket.",
        "usage": {
            "description": "Passed as the role of the delivery stream's S3 destination.",
            "api_parameters": ["CreateDeliveryStream.ExtendedS3DestinationConfiguration.RoleARN"],
            "terraform_attributes": ["aws_kinesis_firehose_delivery_stream.extended_s3_configuration[].role_arn"],
            "cloudformation_properties": ["AWS::KinesisFirehose::DeliveryStream.ExtendedS3DestinationConfiguration.RoleARN"],
        },
        "trust_actions": ["sts:AssumeRole"],
        "required_actions": FIREHOSE_S3_ACTIONS,
        # Without PutObject nothing is delivered; the others serve multipart uploads and checks.
        "warning_only_actions": [a for a in FIREHOSE_S3_ACTIONS if a != "s3:PutObject"],
        # The documented trust condition is sts:ExternalId (the account), not the source keys.
        "source_condition_keys_supported": False,
        "source_condition_keys_recommended": False,
        "source_condition_example": None,
        "least_privilege_statement": {"Effect": "Allow", "Action": FIREHOSE_S3_ACTIONS,
                                      "Resource": ["arn:aws:s3:::BUCKET", "arn:aws:s3:::BUCKET/*"]},
        "request": {
            "variables": {"BucketName": "the destination bucket", "ObjectName": "an object the stream writes"},
            "actions": {
                "s3:AbortMultipartUpload": [(("s3", "object"), {})],
                "s3:GetObject": [(("s3", "object"), {})],
                "s3:PutObject": [(("s3", "object"), {})],
                "s3:GetBucketLocation": [(("s3", "bucket"), {})],
                "s3:ListBucket": [(("s3", "bucket"), {})],
                "s3:ListBucketMultipartUploads": [(("s3", "bucket"), {})],
            },
        },
        "broad_managed_policies": [],
        "docs_url": "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3",
        "notes": [],
    },
]

def expand_request(eid, seed, services, required):
    """The entry's request: resource templates from the reference's resource types, and
    every variable checked."""
    declared = dict(seed.get("variables", {}))
    known = set(REQUEST_VARIABLES) | set(declared)
    var = re.compile(r"\$\{([A-Za-z]+)\}")

    def check_vars(text, where):
        for name in var.findall(text):
            c.require(name in known, f"{eid}: {where}: unknown variable ${{{name}}}")

    actions = {}
    for action, resources in seed.get("actions", {}).items():
        c.require(action in required, f"{eid}: request for {action}, which is not required")
        out = []
        for r in resources:
            if r == "*":
                out.append("*")
                continue
            (prefix, rtype), fixed = r
            tmpl = services.get(prefix, {}).get("resource_types", {}).get(rtype)
            c.require(tmpl is not None, f"{eid}: no resource type {prefix}:{rtype} in the reference")
            for name, value in fixed.items():
                c.require("${" + name + "}" in tmpl, f"{eid}: {rtype} has no ${{{name}}}")
                tmpl = tmpl.replace("${" + name + "}", value)
            check_vars(tmpl, action)
            out.append(tmpl)
        actions[action] = {"resources": out}
    missing = sorted(set(required) - set(actions))
    c.require(not missing, f"{eid}: no request resource for {missing}")
    contexts = {}
    for name in ("context", "trust_context"):
        for key, value in seed.get(name, {}).items():
            for text in ([value] if isinstance(value, str) else value if isinstance(value, list) else []):
                check_vars(text, key)
        if seed.get(name):
            contexts[name] = seed[name]
    return {"variables": declared, "actions": actions, **contexts}


# Principals that do not send aws:SourceAccount / aws:SourceArn when assuming a role
# (rule AWS004 must not fire for them). research/aws.md 4.3 (lambda, ec2) and 6 item 12
# (prowler-cloud/prowler#2810: ec2/lambda/glue/backup).
NO_SOURCE_CONDITION_PRINCIPALS = ["backup.amazonaws.com", "ec2.amazonaws.com",
                                  "glue.amazonaws.com", "lambda.amazonaws.com"]

ENTRY_KEYS = ["broad_managed_policies", "description", "docs_url", "id", "least_privilege_statement",
              "notes", "request", "required_actions", "service_principal", "source_condition_example",
              "source_condition_keys_recommended", "source_condition_keys_supported",
              "trust_actions", "usage", "warning_only_actions"]


def read_manifest(corpus_dir):
    """name -> {arn, version_id, deprecated, commit} from manifests/aws-managed.tsv."""
    out = {}
    path = os.path.join(corpus_dir, "manifests", "aws-managed.tsv")
    with open(path, "r", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            name = os.path.splitext(os.path.basename(row["file"]))[0]
            out[name] = {"arn": row["arn"], "version_id": row["policy_version"],
                         "deprecated": row["deprecated"] == "True", "commit": row["source_commit"],
                         "repo": row["source_repo"]}
    return out


def load_managed_document(corpus_dir, name):
    return c.load_json(os.path.join(corpus_dir, "aws-managed", name + ".json"))


def _as_list(v):
    return [v] if isinstance(v, str) else list(v)


def _pattern(p):
    return re.compile("^" + "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
                                     for ch in p) + "$", re.IGNORECASE | re.DOTALL)


def allowed_actions(statements, actions):
    """The subset of `actions` that some Allow/Action statement matches (NotAction and
    conditions are ignored: this is a sanity check on curated data, not evaluation)."""
    pats = [_pattern(a) for s in statements if s.get("Effect") == "Allow" and "Action" in s
            for a in _as_list(s["Action"])]
    return {a for a in actions if any(p.match(a) for p in pats)}


def action_index(data_dir):
    d = c.load_json(os.path.join(data_dir, "aws-actions.json"))["services"]
    idx = {}
    for prefix, s in d.items():
        for name in s["actions"]:
            idx[(prefix + ":" + name).lower()] = prefix + ":" + name
    return idx


def build_catalogue(data_dir, corpus_dir):
    principals = c.load_json(os.path.join(data_dir, "aws-service-principals.json"))["principals"]
    services = c.load_json(os.path.join(data_dir, "aws-actions.json"))["services"]
    actions = action_index(data_dir)
    manifest = read_manifest(corpus_dir)
    arn_to_name = {m["arn"]: n for n, m in manifest.items()}

    entries, ids = [], set()
    for seed in CATALOGUE:
        e = copy.deepcopy(seed)
        eid = e["id"]
        c.require(eid not in ids, f"duplicate id {eid}")
        ids.add(eid)
        mp = e.pop("from_managed_policy", None)
        if mp is not None:
            c.require(mp in manifest, f"{eid}: managed policy {mp} not in corpus manifest")
            stmts = load_managed_document(corpus_dir, mp)["Statement"]
            c.require(len(stmts) == 1 and stmts[0]["Effect"] == "Allow" and "Action" in stmts[0],
                      f"{eid}: {mp} is not a single Allow statement")
            st = stmts[0]
            e["required_actions"] = _as_list(st["Action"])
            e["least_privilege_statement"] = {"Action": _as_list(st["Action"]), "Effect": "Allow",
                                              "Resource": st["Resource"]}
        if e["warning_only_actions"] == "all":
            e["warning_only_actions"] = list(e["required_actions"])
        e["required_actions"] = sorted(e["required_actions"])
        e["warning_only_actions"] = sorted(e["warning_only_actions"])
        e["trust_actions"] = sorted(e["trust_actions"])

        p = e["service_principal"]
        c.require(principals.get(p, {}).get("confidence") == "high",
                  f"{eid}: {p} is not a high-confidence principal")
        for a in e["trust_actions"] + e["required_actions"]:
            c.require(actions.get(a.lower()) == a, f"{eid}: action {a} unknown or not in documented case "
                                                   f"(data has {actions.get(a.lower())})")
        c.require(set(e["warning_only_actions"]) <= set(e["required_actions"]),
                  f"{eid}: warning_only_actions not a subset of required_actions")
        c.require(e["source_condition_keys_supported"] or not e["source_condition_keys_recommended"],
                  f"{eid}: conditions recommended but not supported")
        c.require((e["source_condition_example"] is not None) == e["source_condition_keys_recommended"],
                  f"{eid}: source_condition_example must be given exactly when recommended")
        lps = e["least_privilege_statement"]
        c.require((lps is None) == (not e["required_actions"]),
                  f"{eid}: least_privilege_statement must be given exactly when actions are required")
        if lps is not None:
            got = allowed_actions([lps], e["required_actions"])
            c.require(got == set(e["required_actions"]), f"{eid}: least-privilege statement misses "
                                                         f"{sorted(set(e['required_actions']) - got)}")
        for arn in e["broad_managed_policies"]:
            c.require(arn in arn_to_name, f"{eid}: {arn} not in corpus manifest")
            stmts = load_managed_document(corpus_dir, arn_to_name[arn])["Statement"]
            got = allowed_actions(stmts, e["required_actions"])
            c.require(got == set(e["required_actions"]), f"{eid}: {arn} does not grant "
                                                         f"{sorted(set(e['required_actions']) - got)}")
            granted = [a for s in stmts if s.get("Effect") == "Allow" for a in _as_list(s.get("Action", []))]
            c.require(any("*" in a or "?" in a for a in granted) or len(granted) > len(e["required_actions"]),
                      f"{eid}: {arn} is not broader than the required actions")
        e["broad_managed_policies"] = sorted(e["broad_managed_policies"])
        e["request"] = expand_request(eid, e.get("request", {}), services, e["required_actions"])
        c.require(sorted(e) == ENTRY_KEYS, f"{eid}: keys {sorted(e)} != {ENTRY_KEYS}")
        entries.append(e)

    nsc = sorted(NO_SOURCE_CONDITION_PRINCIPALS)
    for p in nsc:
        c.require(principals.get(p, {}).get("confidence") == "high", f"{p} is not a high-confidence principal")
    for e in entries:
        c.require(not (e["service_principal"] in nsc and e["source_condition_keys_supported"]),
                  f"{e['id']}: principal is in no_source_condition_principals but entry says supported")
    return entries, nsc


def build(data_dir, corpus_dir):
    entries, nsc = build_catalogue(data_dir, corpus_dir)
    out = {
        "entries": sorted(entries, key=lambda e: e["id"]),
        "no_source_condition_principals": nsc,
        "request_contexts": {"role_session": ROLE_SESSION_CONTEXT,
                             "service_principal": SERVICE_PRINCIPAL_CONTEXT},
        "request_variables": REQUEST_VARIABLES,
    }
    return c.dumps(out, expand=("entries",))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
