"""Shared helpers for the rules/ generators (python3 stdlib only).

Every generator module exposes:
  OUTPUT  -- file name relative to rules/
  build(data_dir, corpus_dir) -> str  -- the exact file text
and is runnable as a script:
  python3 rules/scripts/<gen>.py [DATA_DIR] [--corpus DIR] [--out DIR]
DATA_DIR defaults to ../shared/data relative to the repository root,
--corpus to DATA_DIR/../corpus, --out to rules/.
"""

import argparse
import json
import os
import sys

SCRIPTS_DIR = os.path.dirname(os.path.abspath(__file__))
RULES_DIR = os.path.dirname(SCRIPTS_DIR)
REPO_ROOT = os.path.dirname(RULES_DIR)
DEFAULT_DATA_DIR = os.path.normpath(os.path.join(REPO_ROOT, "..", "shared", "data"))


class DataError(Exception):
    """The input data is not what a generator expects."""


def load_json(path):
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def j(obj):
    """Minified, key-sorted, ASCII JSON."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def dumps(obj, expand=()):
    """Serialize a top-level object: one top-level key per line, and for the keys
    named in `expand` (a dict or list value) one entry per line. Everything else is
    minified. Keys are sorted; output ends with a newline."""
    parts = []
    for k in sorted(obj):
        v = obj[k]
        if k in expand and isinstance(v, dict) and v:
            inner = ",\n".join(j(kk) + ":" + j(v[kk]) for kk in sorted(v))
            parts.append(j(k) + ":{\n" + inner + "\n}")
        elif k in expand and isinstance(v, list) and v:
            inner = ",\n".join(j(x) for x in v)
            parts.append(j(k) + ":[\n" + inner + "\n]")
        else:
            parts.append(j(k) + ":" + j(v))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def require(cond, msg):
    if not cond:
        raise DataError(msg)


def parse_args(argv, description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("data_dir", nargs="?", default=DEFAULT_DATA_DIR,
                   help="shared data directory (default: %(default)s)")
    p.add_argument("--corpus", default=None,
                   help="shared corpus directory (default: DATA_DIR/../corpus)")
    p.add_argument("--out", default=RULES_DIR,
                   help="output directory (default: %(default)s)")
    a = p.parse_args(argv)
    a.data_dir = os.path.abspath(a.data_dir)
    if a.corpus is None:
        a.corpus = os.path.normpath(os.path.join(a.data_dir, "..", "corpus"))
    a.corpus = os.path.abspath(a.corpus)
    return a


def write_text(out_dir, name, text):
    path = os.path.join(out_dir, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def run_main(module, argv=None):
    """Entry point shared by the generators."""
    args = parse_args(sys.argv[1:] if argv is None else argv,
                      (module.__doc__ or "").strip().splitlines()[0])
    try:
        text = module.build(args.data_dir, args.corpus)
    except DataError as e:
        print(f"error: {module.OUTPUT}: {e}", file=sys.stderr)
        return 1
    path = write_text(args.out, module.OUTPUT, text)
    print(f"wrote {path} ({len(text.encode('utf-8'))} bytes)")
    return 0
