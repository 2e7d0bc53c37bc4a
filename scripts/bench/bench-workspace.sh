#!/usr/bin/env bash
# Prints the synth time of a uv workspace of N services (default 25, plus one library) against one
# standalone service (no pass/fail: figures for the changelog; issue #14 asks for <= 2x):
#  - `npx projen` (a resynth that changes nothing) of each, made with `projen new --from <tarball>`,
#    run interleaved, median wall and CPU time (user + system of every process);
#  - the same synths in one Node process (scripts/bench/bench-workspace.js): first synth and resynth, without
#    the start-up every `npx projen` pays.
# Usage: scripts/bench/bench-workspace.sh [services] [runs]   (defaults 25, 5). Needs: npx projen pack:tarball
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
services="${1:-25}"
runs="${2:-5}"
tarball="$(ls "$root/${PACK_DIR:-.tmp/pack}"/projen-uv-service-*.tgz)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/one" "$work/ws"
(cd "$work/one" && "$root/node_modules/.bin/projen" new --from "$tarball" uv-python-service --name orders --no-git >/dev/null 2>&1)
(cd "$work/ws" && "$root/node_modules/.bin/projen" new --from "$tarball" uv-workspace --name shop --no-sample --no-git >/dev/null 2>&1)
# The members, in .projenrc.ts as a user writes them: one library, every other service depending on it.
node - "$work/ws/.projenrc.ts" "$services" <<'JS'
const fs = require('fs');
const [file, n] = process.argv.slice(2);
const lines = ['import { UvPythonLibrary, UvPythonService } from "projen-uv-service";'];
const body = ['new UvPythonLibrary({ parent: project, name: "common", outdir: "libs/common" });'];
for (let i = 0; i < Number(n); i++) {
  body.push(`new UvPythonService({ parent: project, name: "svc-${i}", outdir: "services/svc-${i}", port: ${8001 + i}${i % 2 === 0 ? ', deps: ["common"]' : ''} });`);
}
const text = fs.readFileSync(file, 'utf-8');
fs.writeFileSync(file, `${lines.join('\n')}\n${text.replace('project.synth();', `${body.join('\n')}\nproject.synth();`)}`);
JS
for d in one ws; do (cd "$work/$d" && npx projen >/dev/null 2>&1); done # settle: the timed runs change nothing
[ "$(find "$work/ws/services" -maxdepth 1 -mindepth 1 -type d | wc -l)" = "$services" ] || { echo "the workspace has not $services services" >&2; exit 1; }

# shellcheck source=scripts/lib/timing.sh
. "$root/scripts/lib/timing.sh" # timed, median
: >"$work/times"
for _ in $(seq "$runs"); do
  echo "one $(timed "$work/one" npx projen)" >>"$work/times"
  echo "ws $(timed "$work/ws" npx projen)" >>"$work/times"
done
echo "npx projen (resynth, nothing changes), runs: $runs, interleaved (median; CPU = user + system of every process)"
printf '%-52s %7s ms wall %7s ms CPU\n' "one service" "$(median one 2)" "$(median one 3)"
printf '%-52s %7s ms wall %7s ms CPU\n' "workspace of $services services + 1 library" "$(median ws 2)" "$(median ws 3)"
awk -v w="$(median ws 2)" -v ow="$(median one 2)" -v c="$(median ws 3)" -v oc="$(median one 3)" \
  'BEGIN { printf "%-52s %7.2fx wall %7.2fx CPU\n", "workspace / one service", w / ow, c / oc }'
echo
node "$root/scripts/bench/bench-workspace.js" "$services" "$runs"
