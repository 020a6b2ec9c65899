#!/usr/bin/env python3
"""Generates the differential cases: JSON on stdout (a list of cases).

Each case is one question both policy-lint and the simulator answer:
  request  identity policies (+ boundary, SCPs) and one request whose context is
           known in full: Allowed, ExplicitlyDenied or ImplicitlyDenied;
  trust    a trust policy and a service principal with what it sends: may it
           assume the role?
  chain    a VPC flow log and its role as the AWS CLI prints them, linted as a
           run: per action the flow-logs service needs, is it allowed, and may the
           service assume the role (the simulator is asked the requests the
           catalogue describes, which the linter prints).
"""
import copy
import json
import sys

ACCOUNT = "123456789012"
OTHER = "999999999999"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/FlowLogsRole"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:vpc-flow-logs"
STREAM = GROUP + ":log-stream:eni-0a1b2c3d"
FIVE = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
        "logs:DescribeLogGroups", "logs:DescribeLogStreams"]
SERVICE = "vpc-flow-logs.amazonaws.com"
FULL_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

# The context of a role session, known in full.
SESSION = {
    "aws:PrincipalArn": ROLE,
    "aws:PrincipalAccount": ACCOUNT,
    "aws:RequestedRegion": "us-east-1",
    "aws:SecureTransport": "true",
    "aws:MultiFactorAuthPresent": "false",
    "aws:SourceIp": "203.0.113.10",
    "aws:CurrentTime": "2026-06-01T12:00:00Z",
    "aws:EpochTime": "1780315200",
    "aws:PrincipalTag/team": "network",
    "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"],
    "aws:CalledVia": ["cloudformation.amazonaws.com", "athena.amazonaws.com"],
}

cases = []


def policy(*statements, version="2012-10-17"):
    doc = {"Statement": list(statements)}
    if version:
        doc["Version"] = version
    return doc


def allow(action="logs:PutLogEvents", resource="*", **extra):
    s = {"Effect": "Allow", "Action": action, "Resource": resource}
    s.update(extra)
    return s


def deny(action="logs:PutLogEvents", resource="*", **extra):
    s = {"Effect": "Deny", "Action": action, "Resource": resource}
    s.update(extra)
    return s


def request(cid, category, identity, action="logs:PutLogEvents", resource=STREAM, context=None,
            boundary=None, scps=None, principal=ROLE):
    cases.append({
        "id": cid, "kind": "request", "category": category, "principal": principal,
        "identity": identity, "boundary": boundary or [], "scps": scps or [],
        "request": {"action": action, "resource": resource,
                    "context": SESSION if context is None else context},
    })


# 1. Actions: case, wildcards, NotAction.
for i, pattern in enumerate(["logs:PutLogEvents", "LOGS:putlogevents", "logs:Put*", "logs:*", "*",
                             "logs:Put?ogEvents", "logs:*Log*", "logs:put*", "logs:Create*", "s3:*",
                             "logs:PutLogEvent", "logs:PutLogEvents*", "logs:?utLogEvents",
                             "logs:Put*Events"]):
    request(f"action-{i}", "actions (wildcards, case, NotAction)", [policy(allow(pattern))])
    request(f"not-action-{i}", "actions (wildcards, case, NotAction)",
            [policy({"Effect": "Allow", "NotAction": pattern, "Resource": "*"})])

# 2. Resources: the ARN forms CloudWatch Logs authorizes, Resource and NotResource.
RESOURCES = ["*", GROUP, GROUP + ":*", GROUP + ":log-stream:*", GROUP + ":log-stream:eni-0a1b2c3d",
             f"arn:aws:logs:*:*:*", f"arn:aws:logs:us-east-1:{ACCOUNT}:*",
             f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:vpc-flow-logs:*",
             f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:VPC-flow-logs:*",
             f"arn:aws:logs:us-east-1:*:log-group:vpc-*", f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:vpc-flow-log?:*",
             f"arn:aws:logs:us-east-1:{OTHER}:log-group:vpc-flow-logs:*", "arn:aws:logs:*"]
for i, r in enumerate(RESOURCES):
    request(f"resource-{i}", "resources (ARN forms, NotResource)", [policy(allow(resource=r))])
    request(f"not-resource-{i}", "resources (ARN forms, NotResource)",
            [policy({"Effect": "Allow", "Action": "logs:PutLogEvents", "NotResource": r})])
for i, r in enumerate([GROUP, GROUP + ":*", "*", GROUP + ":log-stream:*"]):
    request(f"create-group-{i}", "resources (ARN forms, NotResource)",
            [policy(allow("logs:CreateLogGroup", r))], action="logs:CreateLogGroup",
            resource=GROUP + ":log-stream:")

# 3. Conditions, every operator family, on keys the request has or lacks.
CONDITIONS = [
    {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
    {"StringEquals": {"aws:RequestedRegion": "US-EAST-1"}},
    {"StringEqualsIgnoreCase": {"aws:RequestedRegion": "US-EAST-1"}},
    {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}},
    {"StringNotEqualsIgnoreCase": {"aws:RequestedRegion": "US-EAST-1"}},
    {"StringLike": {"aws:RequestedRegion": "us-*"}},
    {"StringNotLike": {"aws:RequestedRegion": "us-*"}},
    {"StringLike": {"aws:PrincipalTag/team": "net*"}},
    {"StringEquals": {"aws:PrincipalTag/owner": "alice"}},
    {"StringNotEquals": {"aws:PrincipalTag/owner": "alice"}},
    {"StringEqualsIfExists": {"aws:PrincipalTag/owner": "alice"}},
    {"StringEqualsIfExists": {"aws:PrincipalTag/team": "finance"}},
    {"ArnEquals": {"aws:PrincipalArn": ROLE}},
    {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/Flow*"}},
    {"ArnNotLike": {"aws:PrincipalArn": f"arn:aws:iam::*:role/admin-*"}},
    {"ArnNotEquals": {"aws:PrincipalArn": ROLE}},
    {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*"}},
    {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
    {"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}},
    {"NumericGreaterThanEquals": {"aws:EpochTime": "1780000000"}},
    {"NumericEquals": {"aws:EpochTime": "1780315200"}},
    {"NumericNotEquals": {"aws:EpochTime": "1780315200"}},
    {"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}},
    {"DateLessThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}},
    {"DateLessThanEquals": {"aws:CurrentTime": "2026-06-01T12:00:00Z"}},
    {"DateNotEquals": {"aws:CurrentTime": "2026-06-01T12:00:00Z"}},
    {"DateGreaterThan": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"Bool": {"aws:SecureTransport": "false"}},
    {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    {"Bool": {"aws:ViaAWSService": "false"}},
    {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}},
    {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"IpAddress": {"aws:SourceIp": "203.0.113.10"}},
    {"NotIpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}},
    {"Null": {"aws:MultiFactorAuthAge": "true"}},
    {"Null": {"aws:MultiFactorAuthAge": "false"}},
    {"Null": {"aws:SourceIp": "false"}},
    {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}},
    {"ForAllValues:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}},
    {"ForAllValues:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com", "athena.amazonaws.com"]}},
    {"ForAnyValue:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}},
    {"ForAllValues:StringEquals": {"aws:PrincipalServiceNamesList": "ec2.amazonaws.com"}},
    {"ForAnyValue:StringEquals": {"aws:PrincipalServiceNamesList": "ec2.amazonaws.com"}},
    {"ForAnyValue:StringNotEquals": {"aws:CalledVia": "athena.amazonaws.com"}},
    {"StringEquals": {"aws:RequestedRegion": "us-east-1"}, "Bool": {"aws:SecureTransport": "false"}},
    {"StringEquals": {"aws:RequestedRegion": "us-east-1", "aws:PrincipalAccount": OTHER}},
]
for i, cond in enumerate(CONDITIONS):
    request(f"condition-allow-{i}", "conditions (every operator family)",
            [policy(allow(Condition=cond))])
    request(f"condition-deny-{i}", "conditions (every operator family)",
            [policy(allow(), deny(Condition=cond))])

# 4. Policy variables and the Version that enables them.
request("var-username-user", "policy variables", [policy(allow(resource=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:${{aws:username}}:*"))],
        resource=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:alice:log-stream:s", principal=USER,
        context={**SESSION, "aws:PrincipalArn": USER, "aws:username": "alice"})
request("var-username-role", "policy variables", [policy(allow(resource=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:${{aws:username}}:*"))])
request("var-account", "policy variables", [policy(allow(resource="arn:aws:logs:us-east-1:${aws:PrincipalAccount}:log-group:vpc-flow-logs:*"))])
request("var-account-2008", "policy variables", [policy(allow(resource="arn:aws:logs:us-east-1:${aws:PrincipalAccount}:log-group:vpc-flow-logs:*"), version="2008-10-17")])
request("var-tag-condition", "policy variables", [policy(allow(Condition={"StringEquals": {"aws:PrincipalTag/team": "${aws:PrincipalTag/team}"}}))])
request("var-default", "policy variables", [policy(allow(resource=f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:${{aws:username, 'vpc-flow-logs'}}:*"))])
request("var-in-condition-value", "policy variables", [policy(allow(Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:role/*"}}))])

# 5. Permissions boundaries and SCPs.
LOGS_ALL = policy(allow("logs:*"))
request("boundary-allows", "boundaries and SCPs", [LOGS_ALL], boundary=[policy(allow("logs:*"))])
request("boundary-omits", "boundaries and SCPs", [LOGS_ALL], boundary=[policy(allow("s3:*"))])
request("boundary-denies", "boundaries and SCPs", [LOGS_ALL], boundary=[policy(allow("*"), deny())])
request("boundary-only", "boundaries and SCPs", [policy(allow("s3:*"))], boundary=[policy(allow("logs:*"))])
request("boundary-other-group", "boundaries and SCPs", [LOGS_ALL], boundary=[policy(allow("logs:*", f"arn:aws:logs:*:*:log-group:other:*"))])
request("boundary-conditional", "boundaries and SCPs", [LOGS_ALL], boundary=[policy(allow("logs:*", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}))])
request("scp-deny", "boundaries and SCPs", [LOGS_ALL], scps=[FULL_ACCESS, policy(deny("logs:Put*"))])
request("scp-deny-other", "boundaries and SCPs", [LOGS_ALL], scps=[FULL_ACCESS, policy(deny("s3:*"))])
request("scp-allow-list-omits", "boundaries and SCPs", [LOGS_ALL], scps=[policy(allow("s3:*"))])
request("scp-allow-list-has", "boundaries and SCPs", [LOGS_ALL], scps=[policy(allow(["s3:*", "logs:*"]))])
request("scp-deny-region", "boundaries and SCPs", [LOGS_ALL], scps=[FULL_ACCESS, policy(deny("*", Condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}))])
request("scp-deny-not-action", "boundaries and SCPs", [LOGS_ALL], scps=[FULL_ACCESS, policy({"Effect": "Deny", "NotAction": ["logs:*", "s3:*"], "Resource": "*"})])


# 6. Trust policies: may the service principal assume the role?
def trust(cid, doc, context=None, service=SERVICE, role=ROLE, action="sts:AssumeRole"):
    cases.append({"id": cid, "kind": "trust", "category": "trust policies", "trust": doc,
                  "service": service, "role": role, "action": action,
                  "context": {"aws:SourceAccount": ACCOUNT,
                              "aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/fl-0123456789abcdef0",
                              "aws:PrincipalServiceName": service, "aws:SecureTransport": "true"}
                  if context is None else context})


def tstmt(principal=SERVICE, action="sts:AssumeRole", effect="Allow", **extra):
    s = {"Effect": effect, "Principal": {"Service": principal} if isinstance(principal, (str, list)) else principal,
         "Action": action}
    s.update(extra)
    return s


trust("trust-plain", policy(tstmt()))
trust("trust-typo", policy(tstmt("vpc-flow-log.amazonaws.com")))
trust("trust-other-service", policy(tstmt("ec2.amazonaws.com")))
trust("trust-list", policy(tstmt(["ec2.amazonaws.com", SERVICE])))
trust("trust-case", policy(tstmt("VPC-Flow-Logs.amazonaws.com")))
trust("trust-star", policy(tstmt("*")))
trust("trust-aws-star", policy(tstmt({"AWS": "*"})))
trust("trust-action-star", policy(tstmt(action="sts:*")))
trust("trust-tag-session-only", policy(tstmt(action="sts:TagSession")))
trust("trust-deny", policy(tstmt({"AWS": "*"}), tstmt(effect="Deny")))
trust("trust-not-principal-deny", policy(tstmt(), {"Effect": "Deny", "NotPrincipal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
trust("trust-source-account", policy(tstmt(Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})))
trust("trust-source-account-other", policy(tstmt(Condition={"StringEquals": {"aws:SourceAccount": OTHER}})))
trust("trust-source-arn", policy(tstmt(Condition={"ArnLike": {"aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/*"}})))
trust("trust-source-arn-other-region", policy(tstmt(Condition={"ArnLike": {"aws:SourceArn": f"arn:aws:ec2:eu-west-1:{ACCOUNT}:vpc-flow-log/*"}})))
trust("trust-source-arn-string-like", policy(tstmt(Condition={"StringLike": {"aws:SourceArn": f"arn:aws:ec2:*:{ACCOUNT}:*"}})))
trust("trust-source-both", policy(tstmt(Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/*"}})))
trust("trust-source-vpc", policy(tstmt(Condition={"StringEquals": {"aws:SourceVpc": "vpc-1"}})))
trust("trust-source-account-if-exists", policy(tstmt(Condition={"StringEqualsIfExists": {"aws:SourceAccount": OTHER}})))
trust("trust-principal-service-name", policy(tstmt(Condition={"StringEquals": {"aws:PrincipalServiceName": SERVICE}})))
trust("trust-null-source", policy(tstmt(Condition={"Null": {"aws:SourceAccount": "false"}})))
trust("trust-cn-in-aws", policy(tstmt("vpc-flow-logs.amazonaws.com.cn")))
trust("trust-cn-in-aws-cn", policy(tstmt("vpc-flow-logs.amazonaws.com.cn")), role=f"arn:aws-cn:iam::{ACCOUNT}:role/FlowLogsRole",
      service="vpc-flow-logs.amazonaws.com.cn",
      context={"aws:SourceAccount": ACCOUNT, "aws:PrincipalServiceName": "vpc-flow-logs.amazonaws.com.cn"})
trust("trust-us-gov", policy(tstmt()), role=f"arn:aws-us-gov:iam::{ACCOUNT}:role/FlowLogsRole")


# 7. Chains: a flow log and its role as the CLI prints them; the linter's
# findings per action against the simulator on the catalogue's requests.
def chain(cid, statements, trust_condition=None, principal=SERVICE, boundary=None, scp=None,
          samples=None):
    trust_stmt = {"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}
    if trust_condition:
        trust_stmt["Condition"] = trust_condition
    trust_doc = policy(trust_stmt)
    role = {"Role": {"Path": "/", "RoleName": "FlowLogsRole", "Arn": ROLE, "AssumeRolePolicyDocument": trust_doc}}
    inline = policy(*statements)
    files = {
        "flow-logs.json": {"FlowLogs": [{"FlowLogId": "fl-0123456789abcdef0", "DeliverLogsPermissionArn": ROLE,
                                         "LogGroupName": "vpc-flow-logs", "LogDestinationType": "cloud-watch-logs",
                                         "LogDestination": GROUP, "ResourceId": "vpc-0a1b2c3d4e5f67890"}]},
        "role.json": role,
        "role-policy.json": {"RoleName": "FlowLogsRole", "PolicyName": "delivery", "PolicyDocument": inline},
    }
    sim = {"identity": [inline], "boundary": [], "scps": [], "trust": trust_doc}
    if boundary is not None:
        role["Role"]["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy",
                                               "PermissionsBoundaryArn": f"arn:aws:iam::{ACCOUNT}:policy/Boundary"}
        files["Boundary.json"] = boundary
        sim["boundary"] = [boundary]
    if scp is not None:
        files["scp.json"] = scp
        has_allow = any(s.get("Effect") == "Allow" for s in scp["Statement"])
        sim["scps"] = [scp] if has_allow else [FULL_ACCESS, scp]
    cases.append({"id": cid, "kind": "chain", "category": "flow-log chains (AWS001-AWS003)", "files": files,
                  "sim": sim, "principal": ROLE,
                  "facts": {"RoleArn": ROLE, "Region": "us-east-1", "LogGroupName": "vpc-flow-logs",
                            "FlowLogId": "fl-0123456789abcdef0"},
                  "samples": samples or {}})


chain("chain-all-star", [allow(FIVE)])
chain("chain-logs-star", [allow("logs:*")])
chain("chain-missing-two", [allow(["logs:CreateLogStream", "logs:PutLogEvents"])])
chain("chain-group-arn", [allow(FIVE, GROUP)])
chain("chain-group-star", [allow(FIVE, GROUP + ":*")])
chain("chain-group-star-describe-star", [allow(FIVE[:3] + ["logs:DescribeLogStreams"], GROUP + ":*"), allow("logs:DescribeLogGroups")])
chain("chain-region-star", [allow(FIVE, f"arn:aws:logs:us-east-1:{ACCOUNT}:*")])
chain("chain-all-logs-arn", [allow(FIVE, "arn:aws:logs:*:*:*")])
chain("chain-stream-only", [allow(FIVE, GROUP + ":log-stream:*")])
chain("chain-split", [allow(["logs:CreateLogGroup", "logs:DescribeLogGroups", "logs:DescribeLogStreams"]), allow(["logs:CreateLogStream", "logs:PutLogEvents"], GROUP)])
chain("chain-not-action", [{"Effect": "Allow", "NotAction": ["iam:*", "logs:PutLogEvents"], "Resource": "*"}])
chain("chain-not-resource-group", [{"Effect": "Allow", "Action": FIVE, "NotResource": GROUP}])
chain("chain-deny-not-resource-group", [allow(FIVE), {"Effect": "Deny", "Action": "logs:*", "NotResource": GROUP}])
chain("chain-deny-put", [allow(FIVE), deny("logs:Put*")])
chain("chain-mfa", [allow(FIVE, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})])
chain("chain-deny-no-mfa", [allow(FIVE), deny("*", Condition={"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})])
chain("chain-region-other", [allow(FIVE, Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})])
chain("chain-region-own", [allow(FIVE, Condition={"StringEquals": {"aws:RequestedRegion": "us-east-1"}})])
chain("chain-deny-outside-region", [allow(FIVE), deny("*", Condition={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}})])
chain("chain-deny-insecure", [allow(FIVE), deny("*", Condition={"Bool": {"aws:SecureTransport": "false"}})])
chain("chain-deny-this-role", [allow(FIVE), deny("logs:*", Condition={"ArnEquals": {"aws:PrincipalArn": ROLE}})])
chain("chain-deny-other-role", [allow(FIVE), deny("logs:*", Condition={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/admin-*"}})])
chain("chain-source-ip", [allow(FIVE, Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})],
      samples={"aws:SourceIp": ["10.1.2.3", "203.0.113.10"]})
chain("chain-deny-not-ip", [allow(FIVE), deny("*", Condition={"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})],
      samples={"aws:SourceIp": ["10.1.2.3", "203.0.113.10"]})
chain("chain-username", [allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:${{aws:username}}:*"), allow("logs:DescribeLogGroups")])
chain("chain-trust-other-account", [allow(FIVE)], trust_condition={"StringEquals": {"aws:SourceAccount": OTHER}})
chain("chain-trust-own-account", [allow(FIVE)], trust_condition={"StringEquals": {"aws:SourceAccount": ACCOUNT}})
chain("chain-trust-source-arn", [allow(FIVE)], trust_condition={"ArnLike": {"aws:SourceArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:vpc-flow-log/*"}})
chain("chain-trust-typo", [allow(FIVE)], principal="vpc-flow-log.amazonaws.com")
chain("chain-trust-cn", [allow(FIVE)], principal="vpc-flow-logs.amazonaws.com.cn")
chain("chain-boundary-omits", [allow(FIVE)], boundary=policy(allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "s3:*"])))
chain("chain-boundary-denies", [allow(FIVE)], boundary=policy(allow("*"), deny("logs:PutLogEvents")))
chain("chain-scp-deny", [allow(FIVE)], scp=policy(deny(["logs:CreateLogGroup", "logs:PutLogEvents"])))
chain("chain-scp-deny-region", [allow(FIVE)], scp=policy(deny("*", Condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}})))

# One case per line: diffs of the committed copy (fixtures/differential/) stay readable.
sys.stdout.write("[\n" + ",\n".join(json.dumps(c, separators=(",", ":")) for c in cases) + "\n]\n")
