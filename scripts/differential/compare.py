#!/usr/bin/env python3
"""Compares policy-lint's answers (ours.json) with the simulator's (theirs.json)
for the cases of cases.json; prints the agreement table (Markdown) and every
disagreement.

python3 compare.py cases.json ours.json theirs.json [--explained explained.json]

explained.json maps case ids to the reason a remaining disagreement is the
simulator's (or a modelling choice, with its source); they are listed as such.
"""
import argparse
import json
import sys
from collections import OrderedDict

def agrees(ours, theirs):
    if ours == "Maybe":
        return theirs == "Varies"
    return ours == theirs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cases")
    p.add_argument("ours")
    p.add_argument("theirs")
    p.add_argument("--explained", default=None)
    p.add_argument("--write-agreed", default=None,
                   help="write the summaries of the cases both agree on (the test fixture)")
    a = p.parse_args()
    cases = json.load(open(a.cases))
    ours = {o["id"]: o["summary"] for o in json.load(open(a.ours))}
    theirs = {t["id"]: t["theirs"] for t in json.load(open(a.theirs))}
    explained = json.load(open(a.explained)) if a.explained else {}
    table = OrderedDict()
    rows = []
    agreed = {}
    for c in cases:
        o, t = ours[c["id"]], theirs[c["id"]]
        if c["kind"] == "chain":
            parts = [(action, o["actions"].get(action, "Allowed"), tv)
                     for action, tv in sorted(t["actions"].items())]
            parts.append(("sts:AssumeRole", o["trust"], t["trust"]))
            good = [agrees(ov, tv) for _, ov, tv in parts]
            status = "agree" if all(good) else ("partly" if any(good) else "disagree")
            detail = "; ".join(f"{n}: ours {ov}, theirs {tv}" for (n, ov, tv), g in zip(parts, good) if not g)
            if t.get("notes"):
                detail += (" " if detail else "") + "(simulator: " + ", ".join(t["notes"]) + ")"
        else:
            ov, tv = o, t["verdict"]
            status = "agree" if agrees(ov, tv) else "disagree"
            detail = f"ours {ov}, theirs {tv}" + (f" ({t['error']})" if t.get("error") else "")
        row = table.setdefault(c["category"], {"cases": 0, "agree": 0, "partly": 0, "disagree": 0})
        row["cases"] += 1
        row[status] += 1
        if status != "agree":
            rows.append((c["id"], status, detail, explained.get(c["id"])))
        else:
            agreed[c["id"]] = o
    total = {k: sum(r[k] for r in table.values()) for k in ("cases", "agree", "partly", "disagree")}
    print("| category | cases | agree | partly | disagree |")
    print("|---|---:|---:|---:|---:|")
    for name, r in list(table.items()) + [("**total**", total)]:
        print(f"| {name} | {r['cases']} | {r['agree']} | {r['partly']} | {r['disagree']} |")
    pct = 100.0 * total["agree"] / total["cases"] if total["cases"] else 0.0
    print(f"\nagreement: {total['agree']}/{total['cases']} = {pct:.1f}%")
    if rows:
        print("\n| case | result | difference | why |")
        print("|---|---|---|---|")
        for cid, status, detail, why in rows:
            print(f"| `{cid}` | {status} | {detail} | {why or 'UNEXPLAINED'} |")
    if a.write_agreed:
        with open(a.write_agreed, "w") as f:
            json.dump(agreed, f, indent=1, sort_keys=True)
            f.write("\n")
    return 0 if all(why for *_, why in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
