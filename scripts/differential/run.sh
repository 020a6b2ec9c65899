#!/usr/bin/env bash
# Differential test of policy-lint's IAM evaluation against an independent
# simulator, @cloud-copilot/iam-simulate (strict mode). Not run by CI: it needs
# node and npm, and the simulator is AGPL-3.0, so it is installed here at run
# time into a temporary directory, never vendored, linked or committed.
#
#   bash scripts/differential/run.sh            # prints the agreement table
#   KEEP=1 bash scripts/differential/run.sh     # keeps the work directory
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="${IAM_SIMULATE_VERSION:-0.1.173}"
work="$(mktemp -d -t policy-lint-differential-XXXXXX)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
echo "work directory: $work" >&2

(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "@cloud-copilot/iam-simulate@$version" >&2)
cp "$here/simulate.mjs" "$work/"
python3 "$here/cases.py" > "$work/cases.json"
(cd "$root" && cargo run -q --release -p policy-lint --example differential -- "$work/cases.json") > "$work/ours.json"
(cd "$work" && node simulate.mjs cases.json ours.json) > "$work/theirs.json"
python3 "$here/compare.py" "$work/cases.json" "$work/ours.json" "$work/theirs.json" \
    --explained "$here/explained.json"
