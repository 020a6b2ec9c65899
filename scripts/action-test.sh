#!/usr/bin/env bash
# Runs the GitHub Action's script (scripts/action.sh) outside GitHub, the way
# the runner would: a fake GITHUB_OUTPUT and RUNNER_TEMP, the wheel installed
# from WHEEL_DIR rather than the index.
#
#   bash scripts/action-test.sh WHEEL_DIR
#
# Checks the exit code, the step outputs, the annotations and the SARIF log
# for a failing, a clean, a tolerated and a failed run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
wheels=$(cd "${1:?usage: action-test.sh WHEEL_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p "$work/ws/iam"
cd "$work/ws"
cat > iam/bad.json <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny",
  "Action": "logs:GetLogEvents", "Resource": "arn:aws:logs:eu-west-1:123456789012:log-group:app:*"}]}
JSON
cat > good.json <<'JSON'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Action": "logs:GetLogEvents", "Resource": "arn:aws:logs:eu-west-1:123456789012:log-group:app:*"}]}
JSON

# One step of the action: its exit code, its outputs, its log.
step() {
  local name=$1; shift
  : > "$work/$name.out"
  mkdir -p "$work/tmp-$name"
  local status=0
  env GITHUB_ACTION_PATH="$repo" RUNNER_TEMP="$work/tmp-$name" GITHUB_OUTPUT="$work/$name.out" \
    POLICY_LINT_WHEEL_DIR="$wheels" "$@" bash "$repo/scripts/action.sh" > "$work/$name.log" 2>&1 || status=$?
  echo "$status"
}
sarif_field() { python3 -c "import json,sys; r=json.load(open('$1'))['runs'][0]; print($2)"; }

echo "== findings: exit 1, annotations, SARIF with results (wheel installed)"
status=$(step findings INPUT_PATHS="iam good.json" INPUT_SARIF_FILE=out.sarif)
cat "$work/findings.log"
[ "$status" = 1 ] || fail "exit $status, expected 1"
grep -q '^::error file=iam/bad.json,line=1,.*title=JSON002::' "$work/findings.log" || fail "no annotation"
grep -qx 'exit-code=1' "$work/findings.out" || fail "outputs: $(cat "$work/findings.out")"
grep -qx 'sarif-file=out.sarif' "$work/findings.out" || fail "outputs: $(cat "$work/findings.out")"
[ "$(sarif_field out.sarif "r['results'][0]['ruleId']")" = JSON002 ] || fail "SARIF results"
[ "$(sarif_field out.sarif "r['invocations'][0]['executionSuccessful']")" = True ] || fail "SARIF invocation"
bin="$work/tmp-findings/policy-lint-venv/bin"
[ -x "$bin/policy-lint" ] || fail "the wheel did not install policy-lint"

echo "== fail-on-findings: false"
status=$(step tolerated PATH="$bin:$PATH" INPUT_INSTALL=none INPUT_PATHS=iam INPUT_FAIL_ON_FINDINGS=false)
[ "$status" = 0 ] || { cat "$work/tolerated.log"; fail "exit $status, expected 0"; }
grep -qx 'exit-code=1' "$work/tolerated.out" || fail "outputs: $(cat "$work/tolerated.out")"

echo "== clean"
status=$(step clean PATH="$bin:$PATH" INPUT_INSTALL=none INPUT_PATHS=good.json INPUT_ARGS="--select AWS,JSON")
[ "$status" = 0 ] || { cat "$work/clean.log"; fail "exit $status, expected 0"; }
grep -q '::' "$work/clean.log" && fail "annotations on a clean run: $(cat "$work/clean.log")"

echo "== failed run: exit 2 even with fail-on-findings: false, and the SARIF says so"
status=$(step failed PATH="$bin:$PATH" INPUT_INSTALL=none INPUT_PATHS="missing.json good.json" INPUT_FAIL_ON_FINDINGS=false)
cat "$work/failed.log"
[ "$status" = 2 ] || fail "exit $status, expected 2"
[ "$(sarif_field policy-lint.sarif "r['invocations'][0]['executionSuccessful']")" = False ] || fail "SARIF invocation"
grep -q '^::error title=policy-lint run failed::cannot read `missing.json`' "$work/failed.log" || fail "no run error annotation"

echo "action test passed: 4 runs as expected"
