#!/usr/bin/env bash
# The action's one step (action.yml runs exactly this; test/e2e/action.test.ts runs it too):
# validate → plan --format markdown → one sticky pull-request comment → the exit code.
# Not `set -e`: each command's exit code is captured, and the comment is written before the
# step fails, so a pull request whose plan finds a problem is never left without the comment.
#
# Environment (action.yml maps its inputs onto it):
#   TR_DOCUMENTS       files or folders of documents, one per line (required)
#   TR_PREFIX, TR_REGION, TR_ENDPOINT_URL   passed to plan as --prefix / --region / --endpoint-url
#   TR_CLI             a transfer-reconciler executable; empty: this checkout's bin/ (setup.sh built it)
#   TR_COMMENT_MARKER  the first line of the sticky comment
#   GITHUB_TOKEN       for the comment only; the CLI never sees it
# Exit: 0 when validate and plan succeeded (plan exit 2, changes pending, included) and the
# comment was written; 1 otherwise.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ -n "${TR_CLI:-}" ]; then
  cli=("$TR_CLI")
else
  cli=(node "$root/bin/transfer-reconciler.mjs")
fi

docs=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [ -n "$line" ] && docs+=("$line")
done <<<"${TR_DOCUMENTS:-}"
if [ "${#docs[@]}" -eq 0 ]; then
  echo "::error::no documents: set the action's documents input (files or folders, one per line)"
  exit 1
fi

aws=()
[ -n "${TR_PREFIX:-}" ] && aws+=(--prefix "$TR_PREFIX")
[ -n "${TR_REGION:-}" ] && aws+=(--region "$TR_REGION")
[ -n "${TR_ENDPOINT_URL:-}" ] && aws+=(--endpoint-url "$TR_ENDPOINT_URL")
dirs=()
for d in "${docs[@]}"; do dirs+=(--dir "$d"); done

work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/transfer-reconciler.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The CLI gets AWS credentials from the job, never the GitHub token.
# What the CLI prints quotes the pull request's files; between stop-commands markers a line of
# it that starts with "::" is shown, never taken for a workflow command.
show() {
  local token
  token="$(node -p 'crypto.randomUUID()')"
  echo "::stop-commands::$token"
  cat "$@"
  echo "::$token::"
}

echo "::group::transfer-reconciler validate"
env -u GITHUB_TOKEN "${cli[@]}" validate "${docs[@]}" >"$work/validate.txt" 2>&1
validate_code=$?
show "$work/validate.txt"
echo "::endgroup::"

# Planned even when validation failed: the valid documents' changes still belong in the comment.
echo "::group::transfer-reconciler plan"
env -u GITHUB_TOKEN "${cli[@]}" plan "${dirs[@]}" --format markdown "${aws[@]}" >"$work/plan.md" 2>"$work/plan.err"
plan_code=$?
show "$work/plan.md" "$work/plan.err"
echo "::endgroup::"
echo "validate exited $validate_code, plan exited $plan_code"

node "$here/plan-comment.mjs" "$work" "$validate_code" "$plan_code"
comment_code=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  changes=false
  [ "$plan_code" -eq 2 ] && changes=true
  printf 'validate-exit-code=%s\nplan-exit-code=%s\nchanges=%s\n' "$validate_code" "$plan_code" "$changes" >>"$GITHUB_OUTPUT"
fi

if [ "$validate_code" -ne 0 ]; then
  echo "::error::transfer-reconciler validate exited $validate_code: the documents are invalid (see the comment)"
  exit 1
fi
if [ "$plan_code" -ne 0 ] && [ "$plan_code" -ne 2 ]; then
  echo "::error::transfer-reconciler plan exited $plan_code (see the comment)"
  exit 1
fi
[ "$comment_code" -eq 0 ] || exit 1
exit 0
