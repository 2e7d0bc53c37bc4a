#!/bin/sh
# Sourced (as /uv-standin-lib.sh) by the uv stand-in check scripts that scripts/suites/docker-integration.sh runs
# in a container of the stand-in python image. Set LABEL first; prints "PASS $LABEL: name" / "FAIL ...".
expect_failure() { # name, expected text, command...: the command must fail and print the text
  name=$1 text=$2
  shift 2
  if out=$("$@" 2>&1); then
    echo "FAIL $LABEL: $name (it succeeded)"
  elif printf '%s' "$out" | grep -qF -- "$text"; then
    echo "PASS $LABEL: $name"
  else
    echo "FAIL $LABEL: $name (output: $(printf '%s' "$out" | tail -2 | tr '\n' ' '))"
  fi
}
