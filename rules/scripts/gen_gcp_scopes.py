#!/usr/bin/env python3
"""Generate rules/gcp-scopes.json from DATA_DIR/gcp-scopes.json.

Per scope URL: access class, gcloud and Terraform aliases, the scopes it implies
(transitive closure of the data's implication table; "*" = every Google Cloud API
scope), the write capabilities it allows, and default-set membership. Also the alias
tables, the default scope sets, the capability index and the Terraform `default` flag.

Capabilities are derived, not hand-listed per scope: each capability has one base scope
(storage.write <- devstorage.read_write, logging.write <- logging.write,
monitoring.write <- monitoring.write, pubsub.publish <- pubsub); a scope allows the
capability when it is the base scope or implies it (or implies "*"). The result is
compared with spec.md section 3 ("GCP facts"); differences are printed as warnings.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

OUTPUT = "gcp-scopes.json"
P = "https://www.googleapis.com/auth/"

# capability key -> the narrowest scope that allows it (closure does the rest)
CAPABILITY_BASE_SCOPE = {
    "storage.write": P + "devstorage.read_write",
    "logging.write": P + "logging.write",
    "monitoring.write": P + "monitoring.write",
    "pubsub.publish": P + "pubsub",
}

# spec.md section 3, "GCP facts" (for the cross-check only)
SPEC_CAPABILITY_SCOPES = {
    "storage.write": ["devstorage.read_write", "devstorage.full_control", "cloud-platform"],
    "logging.write": ["logging.write", "logging.admin", "cloud-platform"],
    "monitoring.write": ["monitoring.write", "monitoring", "cloud-platform"],
    "pubsub.publish": ["pubsub", "cloud-platform"],
}
SPEC_GCLOUD_DEFAULT = ["devstorage.read_only", "logging.write", "monitoring.write", "pubsub",
                       "service.management.readonly", "servicecontrol", "trace.append"]
SPEC_CONSOLE_DEFAULT = [s for s in SPEC_GCLOUD_DEFAULT if s != "pubsub"]
SPEC_TERRAFORM_HAS_DEFAULT = False


def closure(url, implications):
    seen = set()
    stack = list(implications.get(url, []))
    while stack:
        s = stack.pop()
        if s in seen:
            continue
        seen.add(s)
        stack.extend(implications.get(s, []))
    return sorted(seen)


def spec_warnings(out):
    w = []
    for cap, suffixes in SPEC_CAPABILITY_SCOPES.items():
        want = sorted(P + s for s in suffixes)
        got = out["capabilities"][cap]["allowed_by"]
        if got != want:
            w.append(f"{cap}: data allows {got}, spec says {want}")
    for name, spec in (("gcloud_default", SPEC_GCLOUD_DEFAULT),
                       ("console_default", SPEC_CONSOLE_DEFAULT)):
        if out["default_sets"][name] != sorted(P + s for s in spec):
            w.append(f"default set {name}: data {out['default_sets'][name]} != spec")
    if out["terraform_has_default_alias"] != SPEC_TERRAFORM_HAS_DEFAULT:
        w.append("terraform_has_default_alias differs from spec")
    return w


def build(data_dir, corpus_dir):
    d = c.load_json(os.path.join(data_dir, "gcp-scopes.json"))
    scopes_in = d["scopes"]
    implications = d["implications"]
    gcloud = d["gcloud"]["aliases"]
    tf = d["terraform_google"]["aliases"]
    sets = {k: sorted(v) for k, v in d["default_sets"].items() if isinstance(v, list)}

    # consistency of the input
    known = set(scopes_in)
    for alias, urls in gcloud.items():
        c.require(urls and all(u in known for u in urls), f"gcloud alias {alias}: unknown URL")
    for alias, url in tf.items():
        c.require(url in known, f"terraform alias {alias}: unknown URL {url}")
    for url, targets in implications.items():
        c.require(url in known, f"implication source {url} unknown")
        c.require(all(t == "*" or t in known for t in targets), f"implication of {url}: unknown target")
    c.require(sorted(gcloud["default"]) == sets["gcloud_default"] == sorted(d["gcloud"]["default_expansion"]),
              "gcloud default alias, default_expansion and default_sets.gcloud_default disagree")
    c.require(sorted(gcloud["gke-default"]) == sets["gke_default"], "gke-default disagrees")
    for url, s in scopes_in.items():
        c.require(s["in_gcloud_default"] == (url in sets["gcloud_default"]), f"{url}: in_gcloud_default")
        c.require(s["in_console_default"] == (url in sets["console_default"]), f"{url}: in_console_default")
        ga = sorted(a for a, u in gcloud.items() if u == [url])
        ta = sorted(a for a, u in tf.items() if u == url)
        c.require(ga == sorted(s.get("gcloud_aliases", [])), f"{url}: gcloud aliases disagree")
        c.require(ta == sorted(s.get("terraform_aliases", [])), f"{url}: terraform aliases disagree")

    scopes = {}
    for url in sorted(scopes_in):
        s = scopes_in[url]
        imp = closure(url, implications)
        allows = sorted(cap for cap, base in CAPABILITY_BASE_SCOPE.items()
                        if url == base or base in imp or "*" in imp)
        scopes[url] = {
            "access": s["access"],
            "allows": allows,
            "gcloud_aliases": sorted(s.get("gcloud_aliases", [])),
            "implies": imp,
            "in_console_default": s["in_console_default"],
            "in_gcloud_default": s["in_gcloud_default"],
            "terraform_aliases": sorted(s.get("terraform_aliases", [])),
        }

    capabilities = {}
    for cap, base in sorted(CAPABILITY_BASE_SCOPE.items()):
        c.require(base in scopes, f"base scope {base} of {cap} not in data")
        allowed = [u for u, s in scopes.items() if cap in s["allows"]]
        narrow = [u for u in allowed if "*" not in scopes[u]["implies"]
                  and not any(o in scopes[u]["implies"] for o in allowed if o != u)]
        c.require(narrow == [base], f"{cap}: narrowest scope {narrow} != {base}")
        capabilities[cap] = {"allowed_by": allowed, "narrowest_scope": base}

    out = {
        "capabilities": capabilities,
        "default_sets": sets,
        "gcloud_aliases": {a: sorted(u) for a, u in sorted(gcloud.items())},
        "gcloud_deprecated_aliases": sorted(d["gcloud"].get("deprecated_aliases", [])),
        "scopes": scopes,
        "snapshot_date": d["generated_from"]["snapshot_date"],
        "terraform_aliases": dict(sorted(tf.items())),
        "terraform_has_default_alias": "default" in tf,
    }
    for w in spec_warnings(out):
        print(f"warning: {OUTPUT}: spec.md disagrees with data: {w}", file=sys.stderr)
    return c.dumps(out, expand=("scopes", "gcloud_aliases", "terraform_aliases"))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
