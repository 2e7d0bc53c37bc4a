#!/usr/bin/env bash
# Prints speed and size figures of a generated service (no pass/fail: numbers for the changelog).
#  - resynth time: `npx projen` (tsx from the service's node_modules) vs the same file run through
#    `npx -y -p tsx` (what projen's own tsx runner does), median of N runs;
#  - the import check's cost: .projenrc.ts with the check (default) vs `importCheck: false`;
#  - library tarball size, the part of it that is the bundled Python parser, the service's node_modules size.
# Usage: scripts/bench.sh [runs]   (default 5). Needs the packed tarball: npx projen pack:tarball
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
tarball="$(ls "$root/${PACK_DIR:-.tmp/pack}"/projen-uv-service-*.tgz)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bench-api"
cd "$work/bench-api"
"$root/node_modules/.bin/projen" new --from "$tarball" uv-python-service --name bench-api --no-git >/dev/null 2>&1

median_ms() { # command...
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

resynth=$(median_ms npx projen)
tsx_local=$(median_ms node_modules/.bin/tsx .projenrc.ts)
tsx_npx=$(median_ms npx -y -p tsx -c 'tsx .projenrc.ts')
sed 's/new UvPythonService({/new UvPythonService({ importCheck: false,/' .projenrc.ts > .projenrc.nocheck.ts
tsx_nocheck=$(median_ms node_modules/.bin/tsx .projenrc.nocheck.ts)
rm .projenrc.nocheck.ts
# CPU time (less disturbed by other load than wall time) of loading the parser and reading the user files.
mapfile -t user_files < <(find app tests migrations/versions -name '*.py' ! -name db.py 2>/dev/null)
# shellcheck disable=SC2016 # a JavaScript program
check_cpu=$(node -e '
  const t = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const t0 = t();
  const { pythonImports } = require("projen-uv-service/lib/usercode/parse");
  const fs = require("fs");
  const t1 = t();
  let n = 0;
  for (const f of process.argv.slice(1)) n += pythonImports(fs.readFileSync(f, "utf-8")).length;
  // The parser itself loads on the first call (lazily), so the second figure includes it.
  console.log(`${Math.round(t() - t0)} ms to load the parser and read ${process.argv.length - 1} files (${n} imports)`);
' "${user_files[@]}")
bundled=$(tar tzvf "$tarball" | awk '/package\/node_modules\// {s += $3} END {print int(s / 1024)}')
echo "runs: $runs (median)"
echo "npx projen (full resynth):                 ${resynth} ms"
echo ".projenrc.ts via node_modules/.bin/tsx:    ${tsx_local} ms"
echo ".projenrc.ts via npx -y -p tsx:            ${tsx_npx} ms"
echo "saved per synth by the local tsx:          $(( tsx_npx - tsx_local )) ms"
echo ".projenrc.ts with importCheck: false:      ${tsx_nocheck} ms (the check costs $(( tsx_local - tsx_nocheck )) ms)"
echo "import check, CPU time, one cold process:  ${check_cpu}"
echo "library tarball:                           $(du -k "$tarball" | cut -f1) KiB"
echo "bundled parser (@lezer/*), unpacked:       ${bundled} KiB"
echo "service node_modules (projen toolchain):   $(du -sk node_modules | cut -f1) KiB"
echo "service managed files:                     $(node -e 'console.log(require("./.projen/files.json").files.length)')"
