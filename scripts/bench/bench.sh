#!/usr/bin/env bash
# Prints speed and size figures of a generated service (no pass/fail: numbers for the changelog).
#  - `npx projen` (a resynth that changes nothing) against its floor `npx projen --version`, run side by
#    side (interleaved), median wall time and median CPU time (user + system, every process), and the
#    ratio of the two;
#  - where one `npx projen` spends its time: npx, the projen CLI, the .projenrc.ts runner's start-up,
#    the library load, the synth, the post-synth steps (scripts/synth-trace.cjs, preloaded in every
#    Node process of the run);
#  - BASELINE_TARBALL=<older tarball>: a second service made from it is resynthesized in the same
#    interleaved runs, for a before/after on the same machine and load;
#  - BENCH_CPU_PROF=1: one more run with the V8 profiler on in each process, its CPU time per process
#    and package;
#  - the import check's cost: .projenrc.ts with the check (default) vs `importCheck: false`;
#  - library tarball size, the part of it that is the bundled Python parser, the service's node_modules size.
# Usage: scripts/bench/bench.sh [runs]   (default 5). Needs the packed tarball: npx projen pack:tarball
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-5}"
tarball="$(ls "$root/${PACK_DIR:-.tmp/pack}"/projen-uv-service-*.tgz)"
trace="$root/scripts/synth-trace.cjs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

new_service() { # dir tarball
  mkdir -p "$1"
  (cd "$1" && "$root/node_modules/.bin/projen" new --from "$2" uv-python-service --name bench-api --no-git >/dev/null 2>&1)
  (cd "$1" && npx projen >/dev/null 2>&1) # settle: the timed runs are resynths that change nothing
}
new_service "$work/bench-api" "$tarball"
cd "$work/bench-api"
if [ -n "${BASELINE_TARBALL:-}" ]; then
  # projen new names the library after the tarball's file name: keep the package's own name.
  mkdir -p "$work/baseline-pack"
  cp "$BASELINE_TARBALL" "$work/baseline-pack/projen-uv-service-0.0.0.tgz"
  new_service "$work/baseline-api" "$work/baseline-pack/projen-uv-service-0.0.0.tgz"
fi

# shellcheck source=scripts/lib/timing.sh
. "$root/scripts/lib/timing.sh" # timed, median
: >"$work/times"
for _ in $(seq "$runs"); do
  echo "floor $(timed "$work/bench-api" npx projen --version)" >>"$work/times"
  echo "synth $(timed "$work/bench-api" npx projen)" >>"$work/times"
  if [ -n "${BASELINE_TARBALL:-}" ]; then
    echo "baseline $(timed "$work/baseline-api" npx projen)" >>"$work/times"
  fi
done
echo "runs: $runs, interleaved (median; CPU = user + system of every process)"
printf '%-44s %7s ms wall %7s ms CPU\n' "npx projen --version (the floor)" "$(median floor 2)" "$(median floor 3)"
printf '%-44s %7s ms wall %7s ms CPU\n' "npx projen (resynth, nothing changes)" "$(median synth 2)" "$(median synth 3)"
awk -v w="$(median synth 2)" -v fw="$(median floor 2)" -v c="$(median synth 3)" -v fc="$(median floor 3)" \
  'BEGIN { printf "%-44s %7.2fx wall %7.2fx CPU\n", "npx projen / floor", w / fw, c / fc }'
if [ -n "${BASELINE_TARBALL:-}" ]; then
  printf '%-44s %7s ms wall %7s ms CPU\n' "npx projen, baseline library" "$(median baseline 2)" "$(median baseline 3)"
  awk -v w="$(median baseline 2)" -v fw="$(median floor 2)" -v c="$(median baseline 3)" -v fc="$(median floor 3)" \
    'BEGIN { printf "%-44s %7.2fx wall %7.2fx CPU\n", "baseline / floor", w / fw, c / fc }'
fi

trace_runs() { # dir label
  local logs=()
  for i in $(seq "$runs"); do
    (cd "$1" && SYNTH_TRACE_LOG="$work/trace-$2-$i" NODE_OPTIONS="--require $trace" npx projen >/dev/null 2>&1)
    logs+=("$work/trace-$2-$i")
  done
  echo
  echo "== $2"
  node "$trace" phases "${logs[@]}"
}
trace_runs "$work/bench-api" "this library"
[ -z "${BASELINE_TARBALL:-}" ] || trace_runs "$work/baseline-api" "baseline library"

if [ "${BENCH_CPU_PROF:-0}" = 1 ]; then
  echo
  echo "== CPU profile of one npx projen, self time"
  SYNTH_CPU_PROF_DIR="$work/prof" NODE_OPTIONS="--require $trace" npx projen >/dev/null 2>&1
  node "$trace" profile "$work/prof"
fi

# The import check's cost: one resynth with it (default) against one with `importCheck: false`.
runner=node_modules/projen-uv-service/lib/service/run-projenrc.js
sed 's/new UvPythonService({/new UvPythonService({ importCheck: false,/' .projenrc.ts > .projenrc.nocheck.ts
with_check=$(timed "$work/bench-api" node "$runner" .projenrc.ts | cut -d' ' -f1)
without_check=$(timed "$work/bench-api" node "$runner" .projenrc.nocheck.ts | cut -d' ' -f1)
rm .projenrc.nocheck.ts
# CPU time (less disturbed by other load than wall time) of loading the parser and reading the user files.
mapfile -t user_files < <(find app tests migrations/versions -name '*.py' ! -name db.py 2>/dev/null)
# shellcheck disable=SC2016 # a JavaScript program
check_cpu=$(node -e '
  const t = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const t0 = t();
  const { pythonImports } = require("projen-uv-service/lib/usercode/parse");
  const fs = require("fs");
  let n = 0;
  for (const f of process.argv.slice(1)) n += pythonImports(fs.readFileSync(f, "utf-8")).length;
  // The parser itself loads on the first call (lazily), so the figure includes it.
  console.log(`${Math.round(t() - t0)} ms to load the parser and read ${process.argv.length - 1} files (${n} imports)`);
' "${user_files[@]}")
bundled=$(tar tzvf "$tarball" | awk '/package\/node_modules\// {s += $3} END {print int(s / 1024)}')

echo
echo ".projenrc.ts with / without the import check: ${with_check} / ${without_check} ms (one run each)"
echo "import check, CPU time, one cold process:  ${check_cpu}"
echo "library tarball:                           $(du -k "$tarball" | cut -f1) KiB"
echo "bundled parser (@lezer/*), unpacked:       ${bundled} KiB"
echo "service node_modules (projen toolchain):   $(du -sk node_modules | cut -f1) KiB"
echo "service managed files:                     $(node -e 'console.log(require("./.projen/files.json").files.length)')"
