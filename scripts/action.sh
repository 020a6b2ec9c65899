#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml): install policy-lint, write the
# SARIF log, annotate the findings, and set the step's outputs and status.
# Reads INPUT_* and the runner's GITHUB_ACTION_PATH, GITHUB_OUTPUT and
# RUNNER_TEMP; scripts/action-test.sh runs it outside GitHub.
set -euo pipefail
action=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=${RUNNER_TEMP:-$(mktemp -d)}
out=${GITHUB_OUTPUT:-/dev/null}
install=${INPUT_INSTALL:-wheel}
sarif=${INPUT_SARIF_FILE:-policy-lint.sarif}

version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  # The action's own version: the workspace version in its Cargo.toml.
  version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action/Cargo.toml" | head -n 1)
fi

case "$install" in
  wheel)
    # A venv of its own, so the runner's Python packages are left alone.
    # POLICY_LINT_WHEEL_DIR (tests, mirrors) is searched before the index.
    python3 -m venv "$tmp/policy-lint-venv"
    pip=("$tmp/policy-lint-venv/bin/pip" install --quiet --disable-pip-version-check)
    if [ -n "${POLICY_LINT_WHEEL_DIR:-}" ]; then pip+=(--find-links "$POLICY_LINT_WHEEL_DIR"); fi
    "${pip[@]}" "policy-lint==$version"
    bin="$tmp/policy-lint-venv/bin/policy-lint"
    ;;
  source)
    cargo install --locked --quiet --root "$tmp/policy-lint-cargo" --path "$action/policy-lint-cli"
    bin="$tmp/policy-lint-cargo/bin/policy-lint"
    ;;
  none)
    bin=$(command -v policy-lint) || { echo "::error::policy-lint is not on PATH (install: none)"; exit 2; }
    ;;
  *)
    echo "::error::install must be wheel, source or none, not \`$install\`"
    exit 2
    ;;
esac
"$bin" --version

# Word splitting is wanted: paths and args are space-separated lists.
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
# shellcheck disable=SC2206
args=(${INPUT_ARGS:-})

# The SARIF log of every finding, uploaded even when the step fails; a run
# that failed says so inside it (executionSuccessful: false).
sarif_status=0
"$bin" check "${args[@]}" --format sarif --exit-zero -- "${paths[@]}" > "$sarif" || sarif_status=$?
echo "sarif-file=$sarif" >> "$out"

# Annotations on the pull request, and the exit code that decides the step.
status=0
"$bin" check "${args[@]}" --format github -- "${paths[@]}" || status=$?
if [ "$sarif_status" -gt "$status" ]; then status=$sarif_status; fi
echo "exit-code=$status" >> "$out"
case "$status" in
  0) ;;
  1) if [ "${INPUT_FAIL_ON_FINDINGS:-true}" = "true" ]; then exit 1; fi ;;
  *) echo "::error::policy-lint could not check everything (exit $status)"; exit "$status" ;;
esac
