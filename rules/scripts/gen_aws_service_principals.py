#!/usr/bin/env python3
"""Generate rules/aws-service-principals.json from DATA_DIR/aws-service-principals.json.

principal -> confidence ("high": seen in AWS-authored material; "low": only the
<IAM prefix>.amazonaws.com pattern, do not use it to claim that a principal exists).
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

OUTPUT = "aws-service-principals.json"
CONFIDENCE = ("high", "low")

# Principals AWS documents that the shared data lacks, each with its source.
# Added after the count check, so the data's own counts still verify it.
SUPPLEMENT = {
    # OpenSearch Ingestion pipeline roles trust this principal:
    # https://docs.aws.amazon.com/opensearch-service/latest/developerguide/pipeline-security-overview.html
    "osis-pipelines.amazonaws.com": "high",
}


def build(data_dir, corpus_dir):
    d = c.load_json(os.path.join(data_dir, "aws-service-principals.json"))
    gen = d["generated_from"]
    principals = {}
    for name in sorted(d["principals"]):
        conf = d["principals"][name]["confidence"]
        c.require(conf in CONFIDENCE, f"{name}: unknown confidence {conf!r}")
        c.require(name == name.lower() and "." in name, f"{name}: not a lower-case DNS-style name")
        principals[name] = conf
    counts = gen.get("counts", {})
    if "principals" in counts:
        c.require(len(principals) == counts["principals"], "principal count differs from generated_from.counts")
    for name, conf in SUPPLEMENT.items():
        c.require(name not in principals, f"{name}: now in the shared data; drop it from SUPPLEMENT")
        principals[name] = conf
    principals = dict(sorted(principals.items()))
    out = {
        "principals": principals,
        "snapshot_date": gen["snapshot_date"],
    }
    return c.dumps(out, expand=("principals",))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
