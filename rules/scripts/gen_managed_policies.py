#!/usr/bin/env python3
"""Generate rules/managed-policies.json: the AWS managed policies that
service-catalogue.json names as broad_managed_policies or takes an entry's actions from, with their documents copied from
CORPUS/aws-managed/<Name>.json and their ARN and version from
CORPUS/manifests/aws-managed.tsv. The list of ARNs comes from the catalogue seed in
gen_service_catalogue.py (validated the same way), not from the generated file.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
import gen_service_catalogue as cat  # noqa: E402

OUTPUT = "managed-policies.json"

# The AWS managed policies the catalogue's entries are met with in practice (the
# ones AWS's guides attach for each integration), embedded so that a role that
# attaches one by ARN is evaluated rather than "cannot verify".
ALSO_EMBEDDED = [
    "AmazonAPIGatewayPushToCloudWatchLogs",   # apigateway-cloudwatch-logs
    "AmazonEC2ContainerRegistryReadOnly",      # eks-node-group-role (image pulls)
    "AmazonEKSClusterPolicy",                  # eks-cluster-role
    "AmazonEKS_CNI_Policy",                    # eks-node-group-role (VPC CNI)
    "AmazonRDSEnhancedMonitoringRole",         # rds-enhanced-monitoring
    "AmazonSSMManagedInstanceCore",            # ec2-instance-role (Systems Manager)
    "AWS_ConfigRole",                          # config-recorder
    "AWSLambdaDynamoDBExecutionRole",          # lambda-dynamodb-event-source
    "AWSLambdaKinesisExecutionRole",           # lambda-kinesis-event-source
    "AWSLambdaSQSQueueExecutionRole",          # lambda-sqs-event-source
    "AWSLambdaVPCAccessExecutionRole",         # lambda-vpc-access
    "CloudWatchAgentServerPolicy",             # ec2-instance-role (CloudWatch agent)
]


def build(data_dir, corpus_dir):
    entries, _ = cat.build_catalogue(data_dir, corpus_dir)
    manifest = cat.read_manifest(corpus_dir)
    # The broad policies, and those an entry's needs come from (so that a role
    # attaching them by ARN is evaluated rather than "cannot verify").
    arns = {arn for e in entries for arn in e["broad_managed_policies"]}
    arns |= {manifest[s["from_managed_policy"]]["arn"] for s in cat.CATALOGUE if "from_managed_policy" in s}
    arns |= {manifest[name]["arn"] for name in ALSO_EMBEDDED}
    arns = sorted(arns)
    by_arn = {m["arn"]: (n, m) for n, m in manifest.items()}
    policies, sources = [], set()
    for arn in arns:
        c.require(arn in by_arn, f"{arn} not in corpus manifest")
        name, m = by_arn[arn]
        doc = cat.load_managed_document(corpus_dir, name)
        c.require(isinstance(doc, dict) and "Statement" in doc, f"{name}: not a policy document")
        policies.append({"arn": arn, "deprecated": m["deprecated"], "document": doc,
                         "name": name, "version_id": m["version_id"]})
        sources.add((m["repo"], m["commit"]))
    out = {
        "policies": policies,
        "sources": [{"commit": commit, "license": "MIT (repository); policy text published by AWS",
                     "path": "aws/managedpolicies/<Name>.json (field \"document\")", "repo": repo}
                    for repo, commit in sorted(sources)],
    }
    return c.dumps(out, expand=("policies",))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
