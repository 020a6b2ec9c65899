#!/usr/bin/env python3
"""Generate rules/aws-actions.json from DATA_DIR/aws-actions.json.

Per service prefix (lower case): action names in their documented case, grouped by
access level; names known only in lower case (no access level); legacy names from
stale reference pages; and a `retired` flag. IAM matches actions case-insensitively:
compare in lower case, print the stored case.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

OUTPUT = "aws-actions.json"


def build(data_dir, corpus_dir):
    d = c.load_json(os.path.join(data_dir, "aws-actions.json"))
    gen = d["generated_from"]
    levels = sorted(gen["access_levels"])
    services = {}
    total = 0
    for prefix in sorted(d["services"]):
        s = d["services"][prefix]
        c.require(prefix == prefix.lower(), f"service prefix {prefix!r} is not lower case")
        grouped = {}
        for name, level in s["actions"].items():
            c.require(level in levels, f"{prefix}:{name}: unknown access level {level!r}")
            grouped.setdefault(level, []).append(name)
        entry = {"actions": {lv: sorted(v) for lv, v in sorted(grouped.items())}}
        if s.get("actions_lowercase_only"):
            entry["lowercase_only"] = sorted(s["actions_lowercase_only"])
        if s.get("legacy_actions"):
            entry["legacy"] = sorted(s["legacy_actions"])
        if s.get("retired"):
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
        "snapshot_date": gen["snapshot_date"],
    }
    return c.dumps(out, expand=("services",))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
