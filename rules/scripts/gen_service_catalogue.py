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


def _when(attribute, test, **kw):
    return dict({"attribute": attribute, "test": test}, **kw)


def _fact(attribute, *patterns):
    return {"attribute": attribute, "patterns": list(patterns)}


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
            # monitoring_interval 0 (the default) turns Enhanced Monitoring off.
            "terraform_when": [_when("aws_db_instance.monitoring_interval", "greater_than", value=0)],
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
            "terraform_facts": [_fact("aws_cloudtrail.cloud_watch_logs_group_arn",
                                      "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:*",
                                      "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}")],
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
            "terraform_facts": [_fact("aws_kinesis_firehose_delivery_stream.extended_s3_configuration[].bucket_arn",
                                      "arn:${Partition}:s3:::${BucketName}")],
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

# Integrations of issue 15 linked from Terraform plans. Each entry's needs are those its
# docs_url page lists; `terraform_when` says when the entry applies (data, not code), and
# `terraform_facts` which request variables the resource that uses the role gives.
def _usage(description, attributes, api, cfn, when=(), facts=()):
    u = {"description": description, "api_parameters": api, "terraform_attributes": attributes,
         "cloudformation_properties": cfn}
    if when:
        u["terraform_when"] = list(when)
    if facts:
        u["terraform_facts"] = list(facts)
    return u


def _entry(eid, principal, description, usage, docs_url, required=(), warning=(), request=None,
           least=None, notes=(), supported=False, infer=None):
    e = {
        "id": eid, "service_principal": principal, "description": description, "usage": usage,
        "trust_actions": ["sts:AssumeRole"], "required_actions": list(required),
        "warning_only_actions": list(warning), "source_condition_keys_supported": supported,
        "source_condition_keys_recommended": False, "source_condition_example": None,
        "least_privilege_statement": ({"Effect": "Allow", "Action": list(required), "Resource": least}
                                      if required else None),
        "broad_managed_policies": [], "docs_url": docs_url, "notes": list(notes),
        "request": request or {"variables": {}, "actions": {}},
    }
    # An entry that applies only when its user says so (a function in a VPC) is never
    # taken to be a role's purpose from its trust policy alone.
    if infer is None:
        infer = not usage.get("terraform_when") and not any("->" in a for a in usage["terraform_attributes"])
    if not infer:
        e["infer_from_trust"] = False
    return e


LOG_GROUP = ("logs", "log-group")
ANY = ["*"]
SFN_LOG_DELIVERY = ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                    "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                    "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]
EKS_CLUSTER = ["ec2:CreateTags", "ec2:DescribeAvailabilityZones", "ec2:DescribeDhcpOptions",
               "ec2:DescribeInstances", "ec2:DescribeInstanceTopology", "ec2:DescribeNetworkInterfaces",
               "ec2:DescribeVpcs", "kms:DescribeKey"]
LAMBDA_VPC = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
              "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
S3_REPLICATION = ["s3:GetReplicationConfiguration", "s3:ListBucket", "s3:GetObjectVersionForReplication",
                  "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:ReplicateObject",
                  "s3:ReplicateDelete", "s3:ReplicateTags"]
ESM = "aws_lambda_event_source_mapping.function_name->aws_lambda_function.role"
ESM_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/"


def _esm_entry(eid, kind, service, actions, request_actions, variables, pattern, docs_page, warning=(),
               not_like=()):
    return _entry(
        eid, "lambda.amazonaws.com",
        f"A Lambda function's execution role read by the event source mapping that polls a {kind} for it.",
        _usage(f"The event source mapping names the function; Lambda polls the {kind} with the function's "
               "execution role.", [ESM], ["CreateEventSourceMapping.FunctionName"],
               ["AWS::Lambda::EventSourceMapping.FunctionName"],
               when=[_when("aws_lambda_event_source_mapping.event_source_arn", "like",
                           values=[f"arn:*:{service}:*"])]
               + ([_when("aws_lambda_event_source_mapping.event_source_arn", "not_like", values=list(not_like))]
                  if not_like else []),
               facts=[_fact("aws_lambda_event_source_mapping.event_source_arn", pattern)]),
        ESM_DOCS + docs_page, required=actions, warning=warning,
        request={"variables": variables, "actions": request_actions}, least="*",
        notes=["Lambda checks these actions when the event source mapping is created or updated."])


CATALOGUE += [
    _entry(
        "config-recorder", "config.amazonaws.com",
        "Role that AWS Config assumes to record the configuration of the account's resources.",
        _usage("Passed as the configuration recorder's role.", ["aws_config_configuration_recorder.role_arn"],
               ["PutConfigurationRecorder.ConfigurationRecorder.roleARN"],
               ["AWS::Config::ConfigurationRecorder.RoleARN"]),
        "https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html",
        supported=True,
        notes=["The read permissions come from AWS_ConfigRole (hundreds of Describe/List actions); AWS documents no "
               "smaller set, so only the trust is checked.",
               "Delivery to the delivery channel's bucket also needs s3:PutObject on AWSLogs/ACCOUNT/* and "
               "s3:GetBucketAcl (aws_config_delivery_channel, not linked here)."]),
    _entry(
        "apigateway-cloudwatch-logs", "apigateway.amazonaws.com",
        "Account-wide role that API Gateway assumes to write REST API execution and access logs to CloudWatch Logs "
        "(AmazonAPIGatewayPushToCloudWatchLogs).",
        _usage("Passed as the account's CloudWatch role (one per region).", ["aws_api_gateway_account.cloudwatch_role_arn"],
               ["UpdateAccount.cloudwatchRoleArn"], ["AWS::ApiGateway::Account.CloudWatchRoleArn"]),
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        required=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
                  "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"],
        warning=["logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents"],
        least="*", infer=False,
        request={"variables": {"LogGroupName": "API-Gateway-Execution-Logs_API/STAGE or the stage's access log group",
                               "LogStreamName": "a stream of the stage"},
                 "actions": {"logs:CreateLogGroup": [(LOG_STREAM, {"LogStreamName": ""})],
                             "logs:CreateLogStream": [(LOG_STREAM, {})],
                             "logs:PutLogEvents": [(LOG_STREAM, {})],
                             "logs:DescribeLogGroups": [(LOG_STREAM, {"LogGroupName": "", "LogStreamName": ""})],
                             "logs:DescribeLogStreams": [(LOG_STREAM, {"LogStreamName": ""})],
                             "logs:GetLogEvents": [(LOG_STREAM, {})],
                             "logs:FilterLogEvents": [(LOG_STREAM, {"LogStreamName": ""})]}},
        notes=["The actions are those of AmazonAPIGatewayPushToCloudWatchLogs; without the write actions nothing is "
               "logged, the read actions are a warning.",
               "API Gateway also uses roles for integrations (credentials), so a role that trusts it is not taken to "
               "be this one."]),
    _entry(
        "eks-cluster-role", "eks.amazonaws.com",
        "Cluster IAM role that Amazon EKS uses to manage the cluster's nodes (AmazonEKSClusterPolicy, or the minimal "
        "custom policy the EKS guide gives).",
        _usage("Passed as the cluster's role.", ["aws_eks_cluster.role_arn"], ["CreateCluster.roleArn"],
               ["AWS::EKS::Cluster.RoleArn"], facts=[_fact("aws_eks_cluster.name", "${ClusterName}")]),
        "https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html",
        required=EKS_CLUSTER, warning=["ec2:DescribeInstanceTopology", "kms:DescribeKey"], least="*",
        request={"variables": {"ClusterName": "the cluster's name", "InstanceId": "a node of the cluster"},
                 "actions": {"ec2:CreateTags": [(("ec2", "instance"), {})],
                             "ec2:DescribeAvailabilityZones": ANY, "ec2:DescribeDhcpOptions": ANY,
                             "ec2:DescribeInstances": ANY, "ec2:DescribeInstanceTopology": ANY,
                             "ec2:DescribeNetworkInterfaces": ANY, "ec2:DescribeVpcs": ANY, "kms:DescribeKey": ANY},
                 "action_context": {"ec2:CreateTags": {"aws:TagKeys": ["kubernetes.io/cluster/${ClusterName}"]}}},
        notes=["The minimal policy of the EKS guide; ec2:DescribeInstanceTopology and kms:DescribeKey were added "
               "later, so their absence is a warning.",
               "ec2:CreateTags is asked with the tag key kubernetes.io/cluster/CLUSTER, which the guide's condition "
               "expects."]),
    _entry(
        "sfn-state-machine", "states.amazonaws.com",
        "Role a Step Functions state machine runs with; what it needs depends on the states of its definition.",
        _usage("Passed as the state machine's role.", ["aws_sfn_state_machine.role_arn"],
               ["CreateStateMachine.roleArn"], ["AWS::StepFunctions::StateMachine.RoleArn"]),
        "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html", supported=True),
    _entry(
        "sfn-logging", "states.amazonaws.com",
        "Role of a Step Functions state machine that logs to CloudWatch Logs: it sets up the log delivery.",
        _usage("The state machine's role, with a logging_configuration level other than OFF.",
               ["aws_sfn_state_machine.role_arn"], ["CreateStateMachine.loggingConfiguration"],
               ["AWS::StepFunctions::StateMachine.LoggingConfiguration"],
               when=[_when("aws_sfn_state_machine.logging_configuration[].level", "in",
                           values=["ALL", "ERROR", "FATAL"])]),
        "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
        required=SFN_LOG_DELIVERY, least="*", supported=True,
        request={"variables": {},
                 "actions": {**{a: ANY for a in SFN_LOG_DELIVERY},
                             "logs:DescribeLogGroups": [(LOG_STREAM, {"LogGroupName": "", "LogStreamName": ""})]}},
        notes=["Step Functions checks them when the state machine is created or updated: \"The state machine IAM "
               "Role is not authorized to access the Log Destination\"."]),
    _entry(
        "eventbridge-rule-target", "events.amazonaws.com",
        "Role that EventBridge assumes to deliver a rule's events to a target that needs one.",
        _usage("Passed as the target's role.", ["aws_cloudwatch_event_target.role_arn"], ["PutTargets.Targets.RoleArn"],
               ["AWS::Events::Rule.Targets.RoleArn"]),
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html", supported=True),
    _entry(
        "eventbridge-target-kinesis", "events.amazonaws.com",
        "Role that EventBridge assumes to put a rule's events into a Kinesis stream.",
        _usage("The target's role, with a Kinesis stream as the target.", ["aws_cloudwatch_event_target.role_arn"],
               ["PutTargets.Targets.RoleArn"], ["AWS::Events::Rule.Targets.RoleArn"],
               when=[_when("aws_cloudwatch_event_target.arn", "like", values=["arn:*:kinesis:*:stream/*"])],
               facts=[_fact("aws_cloudwatch_event_target.arn",
                            "arn:${Partition}:kinesis:${Region}:${TargetAccount}:stream/${StreamName}")]),
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html",
        required=["kinesis:PutRecord"], least="arn:aws:kinesis:REGION:ACCOUNT_ID:stream/STREAM", supported=True,
        request={"variables": {"StreamName": "the target stream", "TargetAccount": "the target stream's account"},
                 "actions": {"kinesis:PutRecord": [(("kinesis", "stream"), {"Account": "${TargetAccount}"})]}}),
    _entry(
        "eventbridge-target-step-functions", "events.amazonaws.com",
        "Role that EventBridge assumes to start a state machine for a rule's events.",
        _usage("The target's role, with a state machine as the target.", ["aws_cloudwatch_event_target.role_arn"],
               ["PutTargets.Targets.RoleArn"], ["AWS::Events::Rule.Targets.RoleArn"],
               when=[_when("aws_cloudwatch_event_target.arn", "like", values=["arn:*:states:*:stateMachine:*"])],
               facts=[_fact("aws_cloudwatch_event_target.arn",
                            "arn:${Partition}:states:${Region}:${TargetAccount}:stateMachine:${StateMachineName}")]),
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-iam-roles.html",
        required=["states:StartExecution"], least="arn:aws:states:REGION:ACCOUNT_ID:stateMachine:NAME",
        supported=True,
        request={"variables": {"StateMachineName": "the target state machine",
                               "TargetAccount": "the state machine's account"},
                 "actions": {"states:StartExecution": [(("states", "statemachine"), {"Account": "${TargetAccount}"})]}}),
]

SCHEDULER_TARGETS = [
    ("lambda", "a Lambda function", "lambda:InvokeFunction", ("lambda", "function"), "arn:*:lambda:*:function:*",
     "arn:${Partition}:lambda:${Region}:${TargetAccount}:function:${FunctionName}", {"FunctionName": "the target function"},
     "arn:aws:lambda:REGION:ACCOUNT_ID:function:NAME"),
    ("sqs", "an SQS queue", "sqs:SendMessage", ("sqs", "queue"), "arn:*:sqs:*",
     "arn:${Partition}:sqs:${Region}:${TargetAccount}:${QueueName}", {"QueueName": "the target queue"},
     "arn:aws:sqs:REGION:ACCOUNT_ID:QUEUE"),
    ("sns", "an SNS topic", "sns:Publish", ("sns", "topic"), "arn:*:sns:*",
     "arn:${Partition}:sns:${Region}:${TargetAccount}:${TopicName}", {"TopicName": "the target topic"},
     "arn:aws:sns:REGION:ACCOUNT_ID:TOPIC"),
    ("step-functions", "a state machine", "states:StartExecution", ("states", "statemachine"),
     "arn:*:states:*:stateMachine:*",
     "arn:${Partition}:states:${Region}:${TargetAccount}:stateMachine:${StateMachineName}",
     {"StateMachineName": "the target state machine"}, "arn:aws:states:REGION:ACCOUNT_ID:stateMachine:NAME"),
]
CATALOGUE += [
    _entry(
        f"scheduler-target-{key}", "scheduler.amazonaws.com",
        f"Execution role that EventBridge Scheduler assumes to invoke {what} on schedule.",
        _usage(f"Passed as the schedule target's role, with {what} as the target.",
               ["aws_scheduler_schedule.target[].role_arn"], ["CreateSchedule.Target.RoleArn"],
               ["AWS::Scheduler::Schedule.Target.RoleArn"],
               when=[_when("aws_scheduler_schedule.target[].arn", "like", values=[glob])],
               facts=[_fact("aws_scheduler_schedule.target[].arn", pattern)]),
        "https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role",
        required=[action], least=least,
        supported=True,
        request={"variables": dict(variables, TargetAccount="the target's account"),
                 "actions": {action: [(rtype, {"Account": "${TargetAccount}"})]}})
    for key, what, action, rtype, glob, pattern, variables, least in SCHEDULER_TARGETS
]

CATALOGUE += [
    _entry(
        "codebuild-service-role", "codebuild.amazonaws.com",
        "Service role a CodeBuild project's builds run with; they write their logs to CloudWatch Logs unless the "
        "project turns that off.",
        _usage("Passed as the project's service role.", ["aws_codebuild_project.service_role"],
               ["CreateProject.serviceRole"], ["AWS::CodeBuild::Project.ServiceRole"],
               when=[_when("aws_codebuild_project.logs_config[].cloudwatch_logs[].status", "not_in",
                           values=["DISABLED"], if_absent=True)],
               facts=[_fact("aws_codebuild_project.logs_config[].cloudwatch_logs[].group_name", "${LogGroupName}")]),
        "https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html",
        required=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], least="*",
        # CodeBuild's confused-deputy guidance conditions the trust on aws:SourceAccount/SourceArn.
        supported=True,
        request={"variables": {"LogGroupName": "the project's log group (/aws/codebuild/PROJECT by default)",
                               "LogStreamName": "the stream of one build"},
                 "actions": {"logs:CreateLogGroup": [(LOG_STREAM, {"LogStreamName": ""})],
                             "logs:CreateLogStream": [(LOG_STREAM, {})],
                             "logs:PutLogEvents": [(LOG_STREAM, {})]}},
        notes=["A build whose role cannot create its log stream fails: \"Service role ... does not allow AWS "
               "CodeBuild to create Amazon CloudWatch Logs log streams\".",
               "Source, artifact and cache access depend on the project and are not checked."]),
    _entry(
        "s3-replication", "s3.amazonaws.com",
        "Role that Amazon S3 assumes to replicate a bucket's objects to the destination bucket.",
        _usage("Passed as the replication configuration's role.",
               ["aws_s3_bucket_replication_configuration.role", "aws_s3_bucket.replication_configuration[].role"],
               ["PutBucketReplication.ReplicationConfiguration.Role"],
               ["AWS::S3::Bucket.ReplicationConfiguration.Role"],
               facts=[_fact("aws_s3_bucket_replication_configuration.bucket", "${SourceBucket}"),
                      _fact("aws_s3_bucket_replication_configuration.rule[].destination[].bucket",
                            "arn:${Partition}:s3:::${DestinationBucket}"),
                      _fact("aws_s3_bucket.bucket", "${SourceBucket}"),
                      _fact("aws_s3_bucket.replication_configuration[].rules[].destination[].bucket",
                            "arn:${Partition}:s3:::${DestinationBucket}")]),
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html",
        required=S3_REPLICATION, least=["arn:aws:s3:::SOURCE", "arn:aws:s3:::SOURCE/*", "arn:aws:s3:::DESTINATION/*"],
        warning=["s3:GetObjectVersionTagging", "s3:ReplicateDelete", "s3:ReplicateTags"], infer=False,
        # As before this entry: AWS004 keeps asking for a source condition on s3.amazonaws.com.
        supported=True,
        request={"variables": {"SourceBucket": "the replicated bucket", "DestinationBucket": "the destination bucket",
                               "ObjectName": "a replicated object"},
                 "actions": {"s3:GetReplicationConfiguration": [(("s3", "bucket"), {"BucketName": "${SourceBucket}"})],
                             "s3:ListBucket": [(("s3", "bucket"), {"BucketName": "${SourceBucket}"})],
                             **{a: [(("s3", "object"), {"BucketName": "${SourceBucket}"})] for a in
                                ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                                 "s3:GetObjectVersionTagging"]},
                             **{a: [(("s3", "object"), {"BucketName": "${DestinationBucket}"})] for a in
                                ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]}}},
        notes=["The minimum policy of the S3 guide; the tag and delete actions matter only for objects with tags "
               "and for delete marker replication, so their absence is a warning.",
               "S3 Batch Replication also needs batchoperations.s3.amazonaws.com in the trust."]),
    _entry(
        "logs-subscription-to-firehose", "logs.amazonaws.com",
        "Role that CloudWatch Logs assumes to send a subscription filter's log events to a Firehose stream.",
        _usage("Passed as the subscription filter's role, with a Firehose stream as the destination.",
               ["aws_cloudwatch_log_subscription_filter.role_arn"], ["PutSubscriptionFilter.roleArn"],
               ["AWS::Logs::SubscriptionFilter.RoleArn"],
               when=[_when("aws_cloudwatch_log_subscription_filter.destination_arn", "like",
                           values=["arn:*:firehose:*:deliverystream/*"])],
               facts=[_fact("aws_cloudwatch_log_subscription_filter.destination_arn",
                            "arn:${Partition}:firehose:${Region}:${Account}:deliverystream/${DeliveryStreamName}")]),
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html",
        required=["firehose:PutRecord"], least="arn:aws:firehose:REGION:ACCOUNT_ID:deliverystream/STREAM",
        supported=True,
        request={"variables": {"DeliveryStreamName": "the destination stream"},
                 "actions": {"firehose:PutRecord": [(("firehose", "deliverystream"), {})]}}),
    _entry(
        "logs-subscription-to-kinesis", "logs.amazonaws.com",
        "Role that CloudWatch Logs assumes to send a subscription filter's log events to a Kinesis stream.",
        _usage("Passed as the subscription filter's role, with a Kinesis stream as the destination.",
               ["aws_cloudwatch_log_subscription_filter.role_arn"], ["PutSubscriptionFilter.roleArn"],
               ["AWS::Logs::SubscriptionFilter.RoleArn"],
               when=[_when("aws_cloudwatch_log_subscription_filter.destination_arn", "like",
                           values=["arn:*:kinesis:*:stream/*"])],
               facts=[_fact("aws_cloudwatch_log_subscription_filter.destination_arn",
                            "arn:${Partition}:kinesis:${Region}:${Account}:stream/${StreamName}")]),
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html",
        required=["kinesis:PutRecord"], least="arn:aws:kinesis:REGION:ACCOUNT_ID:stream/STREAM", supported=True,
        request={"variables": {"StreamName": "the destination stream"},
                 "actions": {"kinesis:PutRecord": [(("kinesis", "stream"), {})]}}),
    _esm_entry(
        "lambda-sqs-event-source", "SQS queue", "sqs",
        ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        {a: [(("sqs", "queue"), {"Account": "${QueueAccount}"})]
         for a in ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]},
        {"QueueName": "the event source queue", "QueueAccount": "the queue's account"},
        "arn:${Partition}:sqs:${Region}:${QueueAccount}:${QueueName}", "services-sqs-configure.html"),
    _esm_entry(
        "lambda-kinesis-event-source", "Kinesis stream", "kinesis",
        ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
         "kinesis:ListShards"],
        {a: [(("kinesis", "stream"), {"Account": "${StreamAccount}"})]
         for a in ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                   "kinesis:GetShardIterator", "kinesis:ListShards"]},
        {"StreamName": "the event source stream", "StreamAccount": "the stream's account",
         },
        "arn:${Partition}:kinesis:${Region}:${StreamAccount}:stream/${StreamName}", "services-kinesis-create.html",
        warning=["kinesis:DescribeStreamSummary"], not_like=["*/consumer/*"]),
    _esm_entry(
        "lambda-dynamodb-event-source", "DynamoDB stream", "dynamodb",
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
        {**{a: [(("dynamodb", "stream"), {"Account": "${StreamAccount}"})]
            for a in ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]},
         "dynamodb:ListStreams": ANY},
        {"TableName": "the table of the event source stream", "StreamLabel": "the stream's label",
         "StreamAccount": "the stream's account"},
        "arn:${Partition}:dynamodb:${Region}:${StreamAccount}:table/${TableName}/stream/${StreamLabel}",
        "with-ddb.html"),
    _entry(
        "lambda-vpc-access", "lambda.amazonaws.com",
        "Execution role of a Lambda function attached to a VPC: Lambda creates and deletes the function's network "
        "interfaces with it (AWSLambdaVPCAccessExecutionRole).",
        _usage("The function's execution role, with subnets in its vpc_config.", ["aws_lambda_function.role"],
               ["CreateFunction.VpcConfig"], ["AWS::Lambda::Function.VpcConfig"],
               when=[_when("aws_lambda_function.vpc_config[].subnet_ids", "not_empty")]),
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html",
        required=LAMBDA_VPC, least="*",
        warning=["ec2:DescribeSubnets", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        request={"variables": {"NetworkInterfaceId": "a network interface Lambda creates",
                               "SubnetId": "a subnet of the function", "SecurityGroupId": "a security group of the function"},
                 "actions": {"ec2:CreateNetworkInterface": [(("ec2", "network-interface"), {}), (("ec2", "subnet"), {}),
                                                            (("ec2", "security-group"), {})],
                             "ec2:DescribeNetworkInterfaces": ANY, "ec2:DescribeSubnets": ANY,
                             "ec2:DeleteNetworkInterface": [(("ec2", "network-interface"), {})],
                             "ec2:AssignPrivateIpAddresses": [(("ec2", "network-interface"), {})],
                             "ec2:UnassignPrivateIpAddresses": [(("ec2", "network-interface"), {})]}},
        notes=["Lambda checks ec2:CreateNetworkInterface when the function is created: \"The provided execution role "
               "does not have permissions to call CreateNetworkInterface on EC2\".",
               "ec2:DescribeNetworkInterfaces works only on Resource \"*\"."]),
    _entry(
        "ecs-secrets-manager-secrets", "ecs-tasks.amazonaws.com",
        "Task execution role of a task definition whose containers read secrets (or private registry credentials) "
        "from Secrets Manager.",
        _usage("The task definition's execution role, when a container definition names a Secrets Manager secret.",
               ["aws_ecs_task_definition.execution_role_arn"], ["RegisterTaskDefinition.containerDefinitions.secrets"],
               ["AWS::ECS::TaskDefinition.ContainerDefinitions.Secrets"],
               when=[_when("aws_ecs_task_definition.container_definitions", "like", values=["*:secretsmanager:*"])]),
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html#task-execution-secrets",
        required=["secretsmanager:GetSecretValue"], least="arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:NAME",
        supported=True,
        request={"variables": {"SecretId": "a secret the container definitions name"},
                 "actions": {"secretsmanager:GetSecretValue": [(("secretsmanager", "Secret"), {})]}},
        notes=["kms:Decrypt is needed too when the secret uses a customer managed key, which the plan does not say.",
               "A task whose secrets cannot be read does not start (ResourceInitializationError)."]),
    _entry(
        "ecs-ssm-parameter-secrets", "ecs-tasks.amazonaws.com",
        "Task execution role of a task definition whose containers read secrets from SSM Parameter Store.",
        _usage("The task definition's execution role, when a container definition names an SSM parameter by ARN.",
               ["aws_ecs_task_definition.execution_role_arn"], ["RegisterTaskDefinition.containerDefinitions.secrets"],
               ["AWS::ECS::TaskDefinition.ContainerDefinitions.Secrets"],
               when=[_when("aws_ecs_task_definition.container_definitions", "like", values=["*:ssm:*:parameter/*"])]),
        "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html#task-execution-ssm",
        required=["ssm:GetParameters"], least="arn:aws:ssm:REGION:ACCOUNT_ID:parameter/NAME", supported=True,
        request={"variables": {"ParameterNameWithoutLeadingSlash": "a parameter the container definitions name"},
                 "actions": {"ssm:GetParameters": [(("ssm", "parameter"), {})]}},
        notes=["A parameter named without its ARN (same region) is not recognised, so the check does not run.",
               "kms:Decrypt is needed too for a SecureString under a customer managed key."]),
]


# Where an AWS CLI command's output names the role each entry's service uses
# (entry usage.cli_outputs). Output shapes and field names from the service
# models of boto/botocore @ 0e6e2404b (botocore/data/<service>/*/service-2.json,
# the models the AWS CLI prints): CloudTrail DescribeTrailsResponse.trailList /
# GetTrailResponse.Trail (Trail.Name, .CloudWatchLogsRoleArn); RDS
# DBInstanceMessage.DBInstances (DBInstance.DBInstanceIdentifier,
# .MonitoringInterval, .MonitoringRoleArn; "Valid Values: 0 | 1 | 5 | 10 | 15 |
# 30 | 60", 0 turns Enhanced Monitoring off); EKS DescribeNodegroupResponse.nodegroup
# (Nodegroup.nodegroupName, .nodeRole); Lambda FunctionConfiguration (FunctionName,
# FunctionArn, Role), GetFunctionResponse.Configuration, ListFunctionsResponse.Functions;
# Firehose DescribeDeliveryStreamOutput.DeliveryStreamDescription (DeliveryStreamName,
# Destinations[].ExtendedS3DestinationDescription.RoleARN; the plain
# S3DestinationDescription is documented "[Deprecated]" and repeats the same
# destination, so it is not read); ECS DescribeTaskDefinitionResponse.taskDefinition
# (family, executionRoleArn, taskRoleArn).
# keys: the top-level keys that identify the output; role_arn and name: paths
# (`.` between keys, `[]` for every element of an array; a name's `[]`s take the
# role's indices); when: the use holds only when the field beside the role has
# one of the values (null: absent).
CLI_OUTPUTS = {
    "cloudtrail-to-cloudwatch-logs": [
        {"command": "aws cloudtrail describe-trails", "keys": ["trailList"], "noun": "trail",
         "role_arn": "trailList[].CloudWatchLogsRoleArn", "name": "trailList[].Name"},
        {"command": "aws cloudtrail get-trail", "keys": ["Trail"], "noun": "trail",
         "role_arn": "Trail.CloudWatchLogsRoleArn", "name": "Trail.Name"},
    ],
    "rds-enhanced-monitoring": [
        {"command": "aws rds describe-db-instances", "keys": ["DBInstances"], "noun": "DB instance",
         "role_arn": "DBInstances[].MonitoringRoleArn", "name": "DBInstances[].DBInstanceIdentifier",
         "when": [{"path": "DBInstances[].MonitoringInterval", "in": [1, 5, 10, 15, 30, 60]}]},
    ],
    "eks-node-group-role": [
        {"command": "aws eks describe-nodegroup", "keys": ["nodegroup"], "noun": "node group",
         "role_arn": "nodegroup.nodeRole", "name": "nodegroup.nodegroupName"},
    ],
    "lambda-execution-role": [
        {"command": "aws lambda get-function-configuration", "keys": ["FunctionArn", "Role"], "noun": "function",
         "role_arn": "Role", "name": "FunctionName"},
        {"command": "aws lambda get-function", "keys": ["Configuration", "Code"], "noun": "function",
         "role_arn": "Configuration.Role", "name": "Configuration.FunctionName"},
        {"command": "aws lambda list-functions", "keys": ["Functions"], "noun": "function",
         "role_arn": "Functions[].Role", "name": "Functions[].FunctionName"},
    ],
    "firehose-to-s3": [
        {"command": "aws firehose describe-delivery-stream", "keys": ["DeliveryStreamDescription"],
         "noun": "delivery stream",
         "role_arn": "DeliveryStreamDescription.Destinations[].ExtendedS3DestinationDescription.RoleARN",
         "name": "DeliveryStreamDescription.DeliveryStreamName"},
    ],
    "ecs-task-execution-role": [
        {"command": "aws ecs describe-task-definition", "keys": ["taskDefinition"], "noun": "task definition",
         "role_arn": "taskDefinition.executionRoleArn", "name": "taskDefinition.family"},
    ],
    "ecs-task-role": [
        {"command": "aws ecs describe-task-definition", "keys": ["taskDefinition"], "noun": "task definition",
         "role_arn": "taskDefinition.taskRoleArn", "name": "taskDefinition.family"},
    ],
}

CLI_PATH = re.compile(r"^[A-Za-z0-9_]+(\[\])?(\.[A-Za-z0-9_]+(\[\])?)*$")


def check_cli_outputs(eid, outputs):
    """Each output's paths are well formed, its role path starts at one of its keys, and a
    name or condition path has no more `[]` than the role path (they take its indices)."""
    for o in outputs:
        c.require(sorted(o) in (["command", "keys", "name", "noun", "role_arn"],
                                ["command", "keys", "name", "noun", "role_arn", "when"]),
                  f"{eid}: cli output keys {sorted(o)}")
        c.require(o["command"].startswith("aws ") and o["keys"], f"{eid}: {o['command']}")
        paths = [o["role_arn"], o["name"]] + [w["path"] for w in o.get("when", [])]
        for path in paths:
            c.require(CLI_PATH.match(path) is not None, f"{eid}: bad path {path}")
        c.require(o["role_arn"].split(".")[0].removesuffix("[]") in o["keys"],
                  f"{eid}: {o['role_arn']} does not start at one of {o['keys']}")
        for path in paths[1:]:
            c.require(path.count("[]") <= o["role_arn"].count("[]"), f"{eid}: {path} has more [] than the role")
        for w in o.get("when", []):
            c.require(w["in"], f"{eid}: empty condition on {w['path']}")


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
        extra = seed.get("action_context", {}).get(action)
        if extra:
            for key, value in extra.items():
                for text in ([value] if isinstance(value, str) else value):
                    check_vars(text, key)
            actions[action]["context"] = extra
    for action in seed.get("action_context", {}):
        c.require(action in actions, f"{eid}: context for {action}, which has no request")
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


OPTIONAL_KEYS = {"infer_from_trust"}


def check_terraform_usage(eid, e):
    """Conditions and facts name attributes of the resource types the entry links from, and
    facts bind only variables the entry's requests know."""
    types = {a.split("->")[0].split(".")[0] for a in e["usage"]["terraform_attributes"]}
    known = set(REQUEST_VARIABLES) | set(e["request"]["variables"])
    for item in e["usage"].get("terraform_when", []) + e["usage"].get("terraform_facts", []):
        c.require(item["attribute"].split(".")[0] in types, f"{eid}: {item['attribute']} is not of {sorted(types)}")
        for p in item.get("patterns", []):
            for name in re.findall(r"\$\{([A-Za-z]+)\}", p):
                c.require(name in known, f"{eid}: fact pattern {p}: unknown variable ${{{name}}}")


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
        if eid in CLI_OUTPUTS:
            check_cli_outputs(eid, CLI_OUTPUTS[eid])
            e["usage"]["cli_outputs"] = CLI_OUTPUTS[eid]
        c.require(sorted(k for k in e if k not in OPTIONAL_KEYS) == ENTRY_KEYS,
                  f"{eid}: keys {sorted(e)} != {ENTRY_KEYS}")
        check_terraform_usage(eid, e)
        entries.append(e)

    unknown = sorted(set(CLI_OUTPUTS) - ids)
    c.require(not unknown, f"CLI outputs for unknown entries {unknown}")
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
