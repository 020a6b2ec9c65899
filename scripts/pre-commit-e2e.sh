#!/usr/bin/env bash
# Proves the pre-commit hooks work with the real pre-commit framework (from
# PyPI): a sample git repository uses `repo: <this clone>` at its HEAD commit;
# committing a bad policy fails, committing a good one passes, and JSON that
# is no policy (package.json, a tsconfig.json with comments) passes quietly.
#
#   bash scripts/pre-commit-e2e.sh WHEEL_DIR      # hook `policy-lint` (python)
#   HOOK=policy-lint-rust bash scripts/pre-commit-e2e.sh   # builds from source
#
# WHEEL_DIR holds the policy-lint wheel of this version (`maturin build
# --release --locked -m policy-lint-cli/Cargo.toml --out WHEEL_DIR`): pip
# takes it from there instead of the index. Needs git and python3 (with
# venv and network access to PyPI for pre-commit and setuptools); the rust
# hook needs cargo and crates.io and compiles in release inside pre-commit's
# cache (minutes; set HOOK_CARGO_TARGET_DIR to reuse a build). Commit your
# work first: pre-commit clones the repository at HEAD.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
hook=${HOOK:-policy-lint}
if [ -n "$(git -C "$repo" status --porcelain)" ]; then
  echo "note: uncommitted changes are not tested (pre-commit clones $rev)" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$hook" = policy-lint ]; then
  wheels=$(cd "${1:?usage: pre-commit-e2e.sh WHEEL_DIR (or HOOK=policy-lint-rust)}" && pwd)
  ls "$wheels"/policy_lint-*.whl > /dev/null
  # pre-commit's `pip install .` of this repository resolves the pinned
  # `policy-lint` wheel from here.
  export PIP_FIND_LINKS=$wheels
fi
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
      - id: $hook
YAML
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "pre-commit config"
"$pre_commit" install
started=$(date +%s)
"$pre_commit" install-hooks
echo "hook installed in $(( $(date +%s) - started )) s"

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
# `Effect` twice: the Deny silently replaces the Allow (JSON002). Named like
# an option, which the hook must still take for a file.
cat > ./--bad.json <<'JSON'
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
echo '{"name": "sample", "version": "1.0.0"}' > package.json
printf '{\n  // JSON with comments\n  "compilerOptions": {"strict": true,},\n}\n' > tsconfig.json

echo "== committing a bad policy must fail"
git add -- --bad.json package.json tsconfig.json
if git commit --quiet -m "bad policy" > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"; echo "FAIL: the hook let a bad policy through"; exit 1
fi
cat "$work/bad.log"
grep -q 'JSON002' "$work/bad.log" || { echo "FAIL: the hook's output does not name JSON002"; exit 1; }
if grep -qE 'JSON00[13]' "$work/bad.log"; then
  echo "FAIL: package.json or tsconfig.json was reported"; exit 1
fi
git reset --quiet

echo "== committing a good policy with other JSON must pass"
git add iam/good.json package.json tsconfig.json
git commit --quiet -m "good policy" > "$work/good.log" 2>&1 || {
  cat "$work/good.log"; echo "FAIL: the hook rejected a good commit"; exit 1; }
cat "$work/good.log"
echo "pre-commit e2e passed ($hook): bad policy rejected, good policy and other JSON committed"
