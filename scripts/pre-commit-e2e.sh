#!/usr/bin/env bash
# Proves the pre-commit hook works with the real pre-commit framework (from
# PyPI): a sample git repository uses `repo: <this clone>` at its HEAD commit;
# committing a bad policy fails, committing a good one passes.
#
#   bash scripts/pre-commit-e2e.sh
#
# Needs git, python3 (with venv and network access to PyPI), cargo and
# network access to crates.io. The first run compiles policy-lint in release
# mode inside pre-commit's cache (minutes); set HOOK_CARGO_TARGET_DIR to a
# directory to reuse a build between runs. Commit your work first: pre-commit
# clones the repository at HEAD.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain)" ]; then
  echo "note: uncommitted changes are not tested (pre-commit clones $rev)" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${PRE_COMMIT:-}" ]; then
  pre_commit=$PRE_COMMIT
else
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet pre-commit
  pre_commit="$work/venv/bin/pre-commit"
fi
"$pre_commit" --version
export PRE_COMMIT_HOME="$work/cache"
unset CARGO_TARGET_DIR
if [ -n "${HOOK_CARGO_TARGET_DIR:-}" ]; then export CARGO_TARGET_DIR=$HOOK_CARGO_TARGET_DIR; fi

sample="$work/sample"
git init --quiet "$sample"
cd "$sample"
git config user.email e2e@example.invalid
git config user.name e2e
git config commit.gpgsign false
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: policy-lint
YAML
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "pre-commit config"
"$pre_commit" install
"$pre_commit" install-hooks

mkdir -p iam
cat > iam/good.json <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadLogs",
      "Effect": "Allow",
      "Action": ["logs:GetLogEvents"],
      "Resource": "arn:aws:logs:eu-west-1:123456789012:log-group:app:*"
    }
  ]
}
JSON
# `Effect` twice: the Deny silently replaces the Allow (JSON002).
cat > iam/bad.json <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadLogs",
      "Effect": "Allow",
      "Action": ["logs:GetLogEvents"],
      "Resource": "arn:aws:logs:eu-west-1:123456789012:log-group:app:*",
      "Effect": "Deny"
    }
  ]
}
JSON

echo "== committing a bad policy must fail"
git add iam/bad.json
if git commit --quiet -m "bad policy" > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"; echo "FAIL: the hook let a bad policy through"; exit 1
fi
cat "$work/bad.log"
grep -q 'JSON002' "$work/bad.log" || { echo "FAIL: the hook's output does not name JSON002"; exit 1; }
git reset --quiet

echo "== committing a good policy must pass"
git add iam/good.json
git commit --quiet -m "good policy" > "$work/good.log" 2>&1 || {
  cat "$work/good.log"; echo "FAIL: the hook rejected a good policy"; exit 1; }
cat "$work/good.log"
echo "pre-commit e2e passed: bad policy rejected, good policy committed"
