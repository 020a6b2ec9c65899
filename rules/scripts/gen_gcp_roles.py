#!/usr/bin/env python3
"""Generate rules/gcp-roles.json from DATA_DIR/gcp-roles.json.

For every predefined role (basic roles included) that holds at least one checked
permission: the sorted subset of checked permissions it holds. Roles that hold none are
listed by name only (roles_without_checked_permissions), so a consumer can tell "known
role, grants none of these" from "role unknown to this snapshot" (custom or newer role:
cannot verify). Decided by permission, never by role name.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

OUTPUT = "gcp-roles.json"

# checked permission -> capability key used in gcp-scopes.json
PERMISSION_CAPABILITY = {
    "logging.logEntries.create": "logging.write",
    "monitoring.timeSeries.create": "monitoring.write",
    "pubsub.topics.publish": "pubsub.publish",
    "storage.objects.create": "storage.write",
    "storage.objects.delete": "storage.write",
    "storage.objects.update": "storage.write",
}
BASIC_ROLES = ("roles/owner", "roles/editor", "roles/viewer")
# The basic roles Google added to replace owner, editor and viewer
# (https://cloud.google.com/iam/docs/roles-overview#basic). `gcloud iam roles list`
# does not list them, so the dataset has no definition: they are basic roles whose
# permissions this data does not know (rules report "cannot verify" for them).
UNDEFINED_BASIC_ROLES = ("roles/admin", "roles/reader", "roles/writer")


def build(data_dir, corpus_dir):
    d = c.load_json(os.path.join(data_dir, "gcp-roles.json"))
    gen = d["generated_from"]
    checked = set(PERMISSION_CAPABILITY)
    roles, without = {}, []
    for name in sorted(d["roles"]):
        held = sorted(set(d["roles"][name]["permissions"]) & checked)
        if held:
            roles[name] = held
        else:
            without.append(name)
    for p in sorted(checked):
        c.require(any(p in v for v in roles.values()), f"no role holds checked permission {p}")
    basic = [r for r in BASIC_ROLES if r in d["roles"]]
    for r in UNDEFINED_BASIC_ROLES:
        c.require(r not in d["roles"], f"{r} now has a definition: move it to BASIC_ROLES")
        basic.append(r)
    src = gen["source"]
    out = {
        "basic_roles": basic,
        "checked_permissions": dict(sorted(PERMISSION_CAPABILITY.items())),
        "roles": roles,
        "roles_without_checked_permissions": without,
        "snapshot_date": gen["snapshot_date"],
        "source": {"commit": src["commit"], "license": src["license"],
                   "path": "gcp/roles/*.json", "repo": src["repo"]},
    }
    return c.dumps(out, expand=("roles", "roles_without_checked_permissions"))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
