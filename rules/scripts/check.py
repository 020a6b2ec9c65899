#!/usr/bin/env python3
"""CI check: re-derive every generated file under rules/ into a temporary directory and
exit 1 if any differs from the committed file (or cannot be derived). Validates nothing
else (the JSON Schemas are checked by the Rust test suite).

python3 rules/scripts/check.py [DATA_DIR] [--corpus DIR] [--rules DIR]
"""

import argparse
import difflib
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
from generate import GENERATORS  # noqa: E402


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
    with tempfile.TemporaryDirectory(prefix="policy-lint-rules-") as tmp:
        for g in GENERATORS:
            try:
                fresh_path = c.write_text(tmp, g.OUTPUT, g.build(data_dir, corpus))
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
