#!/usr/bin/env python3
"""Generate rules/gcp-catalogue.json: the GCP part of the service-integration catalogue.

Each workload runs as a service account that Google Cloud names in a resource
(a GCE instance, a GKE node pool, a Dataproc cluster, a Dataflow job) and needs some
permissions on the project. The entries are curated by hand (WORKLOADS below), each
with the Google documentation page that states its roles; the generator resolves them
against DATA_DIR/gcp-roles.json and checks them:
  - every documented role exists and holds every permission the entry requires of it;
  - that role is the smallest predefined role that grants the permission (fewest
    permissions among the non-deprecated roles of the permission's own service that
    are not basic, service-agent or admin roles; GA before BETA, then by name), so the
    role a finding names is both Google's and the least privilege one;
  - `permissions` lists, for every required permission, every predefined role that
    holds it (basic roles included), which is what the linter evaluates bindings with;
  - the file validates against schemas/gcp-catalogue.schema.json.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep rules/scripts free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402
import _schema  # noqa: E402

OUTPUT = "gcp-catalogue.json"

BASIC = {"roles/owner", "roles/editor", "roles/viewer", "roles/browser"}

GKE_DOCS = "https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts#default-gke-service-agent"
GKE_NODE_SA_DOCS = "https://cloud.google.com/kubernetes-engine/security/configure-node-service-accounts"

LOGS = {"permission": "logging.logEntries.create", "role": "roles/logging.logWriter", "severity": "error",
        "checked_by": "GCP001", "why": "agents on the nodes write logs"}


def metrics(why, severity="error"):
    return [
        {"permission": "monitoring.metricDescriptors.create", "role": "roles/monitoring.metricWriter",
         "severity": severity, "why": why},
        {"permission": "monitoring.metricDescriptors.list", "role": "roles/monitoring.metricWriter",
         "severity": severity, "why": why},
        {"permission": "monitoring.timeSeries.create", "role": "roles/monitoring.metricWriter",
         "severity": severity, "why": why},
    ]


GKE_REQUIREMENTS = [LOGS] + metrics("the nodes' system agents write metrics") + [
    {"permission": "monitoring.timeSeries.list", "role": "roles/monitoring.viewer", "severity": "error",
     "why": "the nodes' metrics agents read time series"},
    {"permission": "artifactregistry.repositories.downloadArtifacts", "role": "roles/artifactregistry.reader",
     "severity": "warning", "why": "nodes pull container images from Artifact Registry in the project (not needed "
                                   "when every image comes from elsewhere)"},
]

GKE_NOTE = ("roles/container.defaultNodeServiceAccount holds what the nodes need (logs, metrics); the older set "
            "roles/logging.logWriter + roles/monitoring.metricWriter + roles/monitoring.viewer + "
            "roles/stackdriver.resourceMetadata.writer does too. Without service_account the nodes run as the "
            "Compute Engine default service account.")

DATAPROC_WORKER = [
    {"permission": p, "role": "roles/dataproc.worker", "severity": "error",
     "why": "the cluster's VMs talk to the Dataproc control plane (agents and tasks)"}
    for p in ["dataproc.agents.create", "dataproc.agents.get", "dataproc.agents.update",
              "dataproc.tasks.lease", "dataproc.tasks.reportStatus"]
]

DATAFLOW_WORKER = [
    {"permission": p, "role": "roles/dataflow.worker", "severity": "error",
     "why": "the job's worker VMs lease and report work items"}
    for p in ["dataflow.workItems.lease", "dataflow.workItems.update", "dataflow.workItems.sendMessage"]
]

# Hand-curated. `terraform`: where the account is written (`block[].attribute` walks every
# element of a nested block list), where its OAuth scopes are, and what an unset account
# means (`default`: the Compute Engine default service account).
WORKLOADS = [
    {
        "id": "gce-instance",
        "label": "instance",
        "description": "A Compute Engine VM or instance template; the Ops Agent on it writes logs and metrics "
                       "as the instance's service account.",
        "docs_url": "https://cloud.google.com/logging/docs/agent/ops-agent/authorization",
        "recommended_role": None,
        "terraform": [
            {"resource_type": t, "account": "service_account[].email", "scopes": "service_account[].scopes",
             "unset_account": "none"}
            for t in ["google_compute_instance", "google_compute_instance_template",
                      "google_compute_region_instance_template", "google_compute_instance_from_template"]
        ],
        "requirements": [LOGS] + [
            {"permission": "monitoring.timeSeries.create", "role": "roles/monitoring.metricWriter",
             "severity": "warning", "why": "the Ops Agent writes metrics (needed only where it runs)"},
        ],
        "notes": ["The account and scopes of GCE instances are read by the instance extractor, which also handles "
                  "the gcloud, API and Cloud Asset Inventory forms; the Terraform paths here document it."],
    },
    {
        "id": "gke-node-pool",
        "label": "GKE node pool",
        "description": "The nodes of a GKE Standard node pool run as its node service account: system agents write "
                       "logs and metrics and the kubelet pulls images with it.",
        "docs_url": GKE_NODE_SA_DOCS,
        "recommended_role": "roles/container.defaultNodeServiceAccount",
        "terraform": [
            {"resource_type": "google_container_node_pool", "account": "node_config[].service_account",
             "scopes": "node_config[].oauth_scopes", "unset_account": "default"},
        ],
        "requirements": GKE_REQUIREMENTS,
        "notes": [GKE_NOTE],
    },
    {
        "id": "gke-cluster-default-pool",
        "label": "GKE cluster",
        "description": "The default node pool a GKE Standard cluster creates from its node_config (skipped when "
                       "remove_default_node_pool is true or the cluster is Autopilot).",
        "docs_url": GKE_NODE_SA_DOCS,
        "recommended_role": "roles/container.defaultNodeServiceAccount",
        "terraform": [
            {"resource_type": "google_container_cluster", "account": "node_config[].service_account",
             "scopes": "node_config[].oauth_scopes", "unset_account": "default",
             "skip_when_true": ["remove_default_node_pool", "enable_autopilot"]},
        ],
        "requirements": GKE_REQUIREMENTS,
        "notes": [GKE_NOTE],
    },
    {
        "id": "dataproc-cluster",
        "label": "Dataproc cluster",
        "description": "The VMs of a Dataproc cluster run as the VM service account for data-plane operations.",
        "docs_url": "https://cloud.google.com/dataproc/docs/concepts/configuring-clusters/service-accounts",
        "recommended_role": "roles/dataproc.worker",
        "terraform": [
            {"resource_type": "google_dataproc_cluster",
             "account": "cluster_config[].gce_cluster_config[].service_account",
             "scopes": "cluster_config[].gce_cluster_config[].service_account_scopes", "unset_account": "default"},
        ],
        "requirements": [LOGS] + DATAPROC_WORKER,
        "notes": ["Without service_account the VMs run as the Compute Engine default service account. The Dataproc "
                  "Worker role holds the minimum permissions the VMs need; reading and writing the job's data "
                  "needs other roles."],
    },
    {
        "id": "dataflow-job",
        "label": "Dataflow job",
        "description": "The worker VMs of a Dataflow job run as the worker service account.",
        "docs_url": "https://cloud.google.com/dataflow/docs/concepts/security-and-permissions#worker-service-account",
        "recommended_role": "roles/dataflow.worker",
        "terraform": [
            {"resource_type": "google_dataflow_job", "account": "service_account_email", "scopes": None,
             "unset_account": "default"},
            {"resource_type": "google_dataflow_flex_template_job", "account": "service_account_email",
             "scopes": None, "unset_account": "default"},
        ],
        "requirements": [LOGS] + DATAFLOW_WORKER,
        "notes": ["Without service_account_email the workers run as the Compute Engine default service account."],
    },
]


def smallest_role(roles, permission):
    """The smallest predefined role of the permission's own service that grants it."""
    service = permission.split(".")[0]
    candidates = []
    for name, r in roles.items():
        if permission not in r.get("permissions", []) or r.get("stage") == "DEPRECATED":
            continue
        short = name.split("/", 1)[-1]
        if name in BASIC or short.lower().endswith(("serviceagent", "admin")):
            continue
        if short.split(".")[0] != service:
            continue
        candidates.append((len(r["permissions"]), r.get("stage") != "GA", name))
    return min(candidates)[2] if candidates else None


def build(data_dir, corpus_dir=None):
    del corpus_dir
    data = c.load_json(os.path.join(data_dir, "gcp-roles.json"))
    roles = data["roles"]
    permissions = {}
    for w in WORKLOADS:
        for rec in [w["recommended_role"]] if w["recommended_role"] else []:
            c.require(rec in roles, f"{w['id']}: recommended role {rec} is not a predefined role")
        for req in w["requirements"]:
            p, role = req["permission"], req["role"]
            c.require(role in roles, f"{w['id']}: {role} is not a predefined role")
            c.require(p in roles[role]["permissions"], f"{w['id']}: {role} does not hold {p}")
            small = smallest_role(roles, p)
            c.require(small == role, f"{w['id']}: the smallest role with {p} is {small}, not {role}")
            permissions[p] = {
                "granted_by": sorted(n for n, r in roles.items() if p in r.get("permissions", [])),
                "smallest_role": small,
            }
        rec = w["recommended_role"]
        if rec and w["id"].startswith("gke-"):
            # The recommended role covers every error-level requirement.
            missing = [r["permission"] for r in w["requirements"]
                       if r["severity"] == "error" and r["permission"] not in roles[rec]["permissions"]]
            c.require(not missing, f"{w['id']}: {rec} lacks {missing}")
    src = data["generated_from"]["source"]
    out = {
        "permissions": permissions,
        "snapshot_date": data["generated_from"]["snapshot_date"],
        "source": {k: src[k] for k in ("commit", "license", "path", "repo")},
        "workloads": WORKLOADS,
    }
    schema = c.load_json(os.path.join(c.RULES_DIR, "schemas", "gcp-catalogue.schema.json"))
    problems = _schema.errors(schema, out)
    c.require(not problems, f"schema: {problems[:5]}")
    return c.dumps(out, expand=("permissions", "workloads"))


if __name__ == "__main__":
    sys.exit(c.run_main(sys.modules[__name__]))
