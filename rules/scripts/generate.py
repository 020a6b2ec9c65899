#!/usr/bin/env python3
"""Regenerate every generated file under rules/.

python3 rules/scripts/generate.py [DATA_DIR] [--corpus DIR] [--out DIR]
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
import gen_aws_actions  # noqa: E402
import gen_aws_service_principals  # noqa: E402
import gen_gcp_catalogue  # noqa: E402
import gen_gcp_roles  # noqa: E402
import gen_gcp_scopes  # noqa: E402
import gen_managed_policies  # noqa: E402
import gen_service_catalogue  # noqa: E402

GENERATORS = [gen_gcp_scopes, gen_gcp_roles, gen_gcp_catalogue, gen_aws_service_principals, gen_aws_actions,
              gen_service_catalogue, gen_managed_policies]


def main(argv=None):
    args = c.parse_args(sys.argv[1:] if argv is None else argv, "Regenerate every generated file under rules/.")
    rc = 0
    for g in GENERATORS:
        try:
            text = g.build(args.data_dir, args.corpus)
        except c.DataError as e:
            print(f"error: {g.OUTPUT}: {e}", file=sys.stderr)
            rc = 1
            continue
        path = c.write_text(args.out, g.OUTPUT, text)
        print(f"wrote {path} ({len(text.encode('utf-8'))} bytes)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
