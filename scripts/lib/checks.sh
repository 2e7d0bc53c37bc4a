# shellcheck shell=bash
# Pass/fail bookkeeping for the shell test suites (scripts/suites/integration.sh, scripts/suites/docker-integration.sh, ...).
# Source it, then:
#
#   checks_init NAME          start a suite called NAME (the JUnit report is $TEST_REPORTS/NAME.xml)
#   pass TEXT / fail TEXT     record one check; fail prints to stderr
#   check TEXT command...     passes when the command succeeds
#   check_out TEXT REGEX command...
#                             passes when the command succeeds and its output (stdout+stderr) matches
#                             the extended REGEX; on failure prints the last lines of that output
#   count_client_output FILE  adds the "PASS ..."/"FAIL ..." lines a helper program printed to FILE
#   step TEXT                 prints a section header, with the seconds since checks_init
#   figure NAME VALUE         records a figure (printed again by checks_report)
#   seconds_since EPOCH       whole seconds since EPOCH (date +%s)
#   checks_report             prints the figures and "N passed, N failed", writes the JUnit report
#                             when TEST_REPORTS is set (scripts/summarize-tests.js counts it), and
#                             returns non-zero when a check failed or none ran
#   checks_done               marks the end of the suite's body (a run that never gets there failed)
#   checks_finish RC          for an EXIT trap: when the suite stopped early (RC != 0 before its end),
#                             records that as a failed check; then checks_report (once)
#
# The JUnit report holds one <testcase> per check, so the closing line of scripts/test counts them.

CHECKS_SUITE=
CHECKS_PASSED=0
CHECKS_FAILED=0
CHECKS_CASES=()   # "1<TAB>name" for a pass, "0<TAB>name" for a failure
CHECKS_FIGURES=() # "name<TAB>value"
CHECKS_DONE=0     # set by checks_done when the suite ran to its end
CHECKS_REPORTED=0

checks_init() {
  CHECKS_SUITE=$1
  CHECKS_PASSED=0
  CHECKS_FAILED=0
  CHECKS_CASES=()
  CHECKS_FIGURES=()
  CHECKS_DONE=0
  CHECKS_REPORTED=0
  CHECKS_T0=$(date +%s)
}

checks_done() { CHECKS_DONE=1; }

pass() {
  CHECKS_PASSED=$((CHECKS_PASSED + 1))
  CHECKS_CASES+=("1	$1")
  echo "PASS $1"
}

fail() {
  CHECKS_FAILED=$((CHECKS_FAILED + 1))
  CHECKS_CASES+=("0	$1")
  echo "FAIL $1" >&2
}

check() {
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

check_out() {
  local name=$1 regex=$2 out rc
  shift 2
  out=$("$@" 2>&1) && rc=0 || rc=$?
  if [ "$rc" -eq 0 ] && grep -Eq -- "$regex" <<<"$out"; then
    pass "$name"
  else
    fail "$name (exit $rc)"
    tail -25 <<<"$out" | sed 's/^/    | /' >&2
  fi
}

count_client_output() {
  local line
  while IFS= read -r line; do
    case $line in
      "PASS "*) CHECKS_PASSED=$((CHECKS_PASSED + 1)); CHECKS_CASES+=("1	${line#PASS }") ;;
      "FAIL "*) CHECKS_FAILED=$((CHECKS_FAILED + 1)); CHECKS_CASES+=("0	${line#FAIL }") ;;
    esac
  done <"$1"
}

CHECKS_T0=$(date +%s)
step() { echo; echo "== $* (at $(($(date +%s) - CHECKS_T0))s)"; }

figure() {
  CHECKS_FIGURES+=("$1	$2")
  echo "FIGURE $1: $2"
}

seconds_since() { echo $(($(date +%s) - $1)); }

_checks_xml() { # escapes text for an XML attribute
  local s=$1
  s=${s//&/&amp;}
  s=${s//</&lt;}
  s=${s//>/&gt;}
  s=${s//\"/&quot;}
  printf '%s' "$s"
}

checks_report() {
  local entry total=$((CHECKS_PASSED + CHECKS_FAILED))
  echo
  echo "== Summary ($CHECKS_SUITE)"
  for entry in "${CHECKS_FIGURES[@]}"; do
    printf '%s: %s\n' "${entry%%	*}" "${entry#*	}"
  done
  echo "$CHECKS_PASSED passed, $CHECKS_FAILED failed"
  if [ -n "${TEST_REPORTS:-}" ]; then
    mkdir -p "$TEST_REPORTS"
    {
      printf '<?xml version="1.0" encoding="UTF-8"?>\n'
      printf '<testsuites name="%s" tests="%d" failures="%d" errors="0">\n' \
        "$(_checks_xml "$CHECKS_SUITE")" "$total" "$CHECKS_FAILED"
      printf '  <testsuite name="%s" tests="%d" failures="%d" errors="0" skipped="0">\n' \
        "$(_checks_xml "$CHECKS_SUITE")" "$total" "$CHECKS_FAILED"
      for entry in "${CHECKS_CASES[@]}"; do
        if [ "${entry%%	*}" = 1 ]; then
          printf '    <testcase classname="%s" name="%s"/>\n' "$(_checks_xml "$CHECKS_SUITE")" "$(_checks_xml "${entry#*	}")"
        else
          printf '    <testcase classname="%s" name="%s"><failure/></testcase>\n' \
            "$(_checks_xml "$CHECKS_SUITE")" "$(_checks_xml "${entry#*	}")"
        fi
      done
      printf '  </testsuite>\n</testsuites>\n'
    } >"$TEST_REPORTS/$CHECKS_SUITE.xml"
  fi
  [ "$CHECKS_FAILED" -eq 0 ] && [ "$total" -gt 0 ]
}

checks_finish() {
  [ "$CHECKS_REPORTED" = 1 ] && return "$1"
  CHECKS_REPORTED=1
  [ "$CHECKS_DONE" = 1 ] || fail "the $CHECKS_SUITE suite ran to its end (it stopped early, exit $1)"
  checks_report
}
