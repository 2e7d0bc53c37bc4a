# shellcheck shell=bash
# Timing helpers of the synth benchmarks (scripts/bench/bench.sh, scripts/bench/bench-workspace.sh). The caller sets
# $work (a temp dir) before calling them; timed results go to "$work/times" as "<name> <wall ms> <cpu ms>".
#
#   timed DIR COMMAND...   runs COMMAND in DIR; prints "<wall ms> <cpu ms>" (CPU of every process it waited for)
#   median NAME COLUMN     the median of COLUMN (2: wall, 3: CPU) over the lines of "$work/times" named NAME

# shellcheck disable=SC2154 # $work is set by the caller
timed() {
  local dir=$1 t0 t1
  shift
  t0=$(date +%s%N)
  (cd "$dir" && /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" >/dev/null 2>&1)
  t1=$(date +%s%N)
  echo "$(((t1 - t0) / 1000000)) $(awk '{ printf "%d", ($1 + $2) * 1000 }' "$work/cpu")"
}

median() {
  awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$work/times" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
