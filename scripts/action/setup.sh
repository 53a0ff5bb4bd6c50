#!/usr/bin/env bash
# The action's setup step: builds the CLI from the action's own checkout ($GITHUB_ACTION_PATH, the
# commit the workflow pinned), never `npx transfer-reconciler`, which would fetch whatever the
# registry serves under that name into a job that may hold AWS credentials.
# `npm ci --ignore-scripts`: exactly the lockfile, and no install script of any dependency runs
# (the CLI needs none; esbuild works from its platform package without its postinstall).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="$(node -p 'process.versions.node')"
major="${version%%.*}"
minor="${version#*.}"
minor="${minor%%.*}"
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
  echo "::error::transfer-reconciler needs Node 20.19 or newer; this is $version (use actions/setup-node first)"
  exit 1
fi
cd "$root"
npm ci --ignore-scripts --no-audit --no-fund
node scripts/build-cli.mjs
node bin/transfer-reconciler.mjs --help >/dev/null
