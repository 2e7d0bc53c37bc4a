#!/bin/sh
# Run by scripts/suites/docker-integration.sh in a container of the stand-in python image, with a service's files
# at /src (read-only) and the uv stand-in at /usr/local/bin/uv: proves the stand-in fails where uv fails,
# so a wrongly wired Dockerfile cannot pass the suite by its leniency. Prints "PASS name" / "FAIL name".
set -u
work=/tmp/standin-checks
LABEL="uv stand-in"
# shellcheck source=test/integration/uv-standin-lib.sh
. /uv-standin-lib.sh
fresh() { # a writable copy of the service, locked, with $1 applied to pyproject.toml (a sed script)
  rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
  tar -C /src --exclude=./node_modules --exclude=./.venv -cf - . | tar -xf -
  if [ -n "$1" ]; then # the edit must change the file, or the case below would test the sample as it is
    cp pyproject.toml "$work.orig"
    sed -i "$1" pyproject.toml
    if cmp -s pyproject.toml "$work.orig"; then echo "FAIL uv stand-in: the edit $1 changed nothing in pyproject.toml"; fi
    rm -f "$work.orig"
  fi
  uv lock >/dev/null 2>&1
}

fresh ''
if uv sync --locked --no-dev >/dev/null 2>&1 && [ -x .venv/bin/uvicorn ] && [ ! -e .venv/bin/pytest ]; then
  echo "PASS uv stand-in: uv sync --locked --no-dev writes uvicorn, not pytest"
else
  echo "FAIL uv stand-in: uv sync --locked --no-dev writes uvicorn, not pytest"
fi
if uv sync --locked >/dev/null 2>&1 && [ -x .venv/bin/pytest ] && uv sync --locked --no-dev >/dev/null 2>&1 && [ ! -e .venv/bin/pytest ]; then
  echo "PASS uv stand-in: the dev group's scripts come with uv sync and go with --no-dev"
else
  echo "FAIL uv stand-in: the dev group's scripts come with uv sync and go with --no-dev"
fi
expect_failure "an unknown flag is an error" "does not support --frozen-lockfile" uv sync --frozen-lockfile
expect_failure "no pyproject.toml is an error" "No \`pyproject.toml\` found" sh -c 'cd / && uv sync'

fresh 's/^dependencies = \[/&\n  "no-such-distribution>=1",/'
expect_failure "a dependency the base image lacks fails the sync" "unsatisfiable" uv sync --locked --no-dev
fresh 's/"fastapi>=[^"]*"/"fastapi>=99"/'
expect_failure "a version the specifier refuses fails the sync" "but the base image has fastapi==" uv sync --locked --no-dev
fresh 's/"uv_build>=[^"]*"/"uv_build>=99,<100"/'
expect_failure "uv_build bounds that exclude this uv release fail the project install" "is required, but this is uv" \
  uv sync --locked --no-dev --no-editable
fresh 's/^requires-python = .*/requires-python = ">=3.99"/'
expect_failure "a requires-python the image's Python does not meet fails" "No interpreter found for Python >=3.99" \
  uv sync --locked --no-dev
fresh 's/^required-version = .*/required-version = "==0.0.1"/'
expect_failure "a uv outside [tool.uv] required-version refuses to run, as uv does" \
  "Required uv version \`==0.0.1\` does not match the running version" uv sync --locked --no-dev
fresh 's/^required-version = .*/required-version = ">=0.0.1,<0.0.2"/'
expect_failure "a required-version range that excludes this uv refuses lock too" \
  "Update \`uv\` by running \`uv self update\`" uv lock
# [tool.uv] exclude-newer (the upgrade cooldown) is recorded in uv.lock; a lock made with another one fails --locked.
fresh ''
if grep -q '^exclude-newer = "[0-9]* days"' pyproject.toml && grep -q '^exclude-newer-span = "P[0-9]*D"' uv.lock &&
  uv sync --locked --no-dev >/dev/null 2>&1; then
  echo "PASS uv stand-in: the cooldown of [tool.uv] exclude-newer is recorded in uv.lock, and --locked accepts it"
else
  echo "FAIL uv stand-in: the cooldown of [tool.uv] exclude-newer is recorded in uv.lock, and --locked accepts it"
fi
sed -i '/^exclude-newer = /d' pyproject.toml
expect_failure "a lock made with a cooldown the settings lack fails --locked (a cooldown on uv lock's command line only)" \
  "needs to be updated, but \`--locked\` was provided" uv sync --locked --no-dev
fresh ''
sed -i 's/^exclude-newer = .*/exclude-newer = "14 days"/' pyproject.toml
expect_failure "a lock made with another span fails --locked" "needs to be updated, but \`--locked\` was provided" \
  uv sync --locked --no-dev
fresh 's/^exclude-newer = .*/exclude-newer = "2026-06-01T00:00:00Z"/'
sed -i 's/^exclude-newer = .*/exclude-newer = "2026-05-01T00:00:00Z"/' pyproject.toml
expect_failure "a timestamp earlier than the lock's fails --locked" "needs to be updated, but \`--locked\` was provided" \
  uv sync --locked --no-dev
fresh ''
# An older uv (before 0.9.17) cannot read the duration: it warns and drops the [tool.uv] settings, as uv does.
sed 's/^VERSION = ".*"/VERSION = "0.9.16"/' /usr/local/bin/uv >/tmp/uv-0.9.16
# shellcheck disable=SC2016 # backquotes of uv's message
if out=$(python3 /tmp/uv-0.9.16 lock 2>&1) && printf '%s' "$out" | grep -qF 'Failed to parse `pyproject.toml` during settings discovery' &&
  ! grep -q '^exclude-newer' uv.lock; then
  echo "PASS uv stand-in: a uv before 0.9.17 warns on a relative exclude-newer and locks without it"
else
  echo "FAIL uv stand-in: a uv before 0.9.17 warns on a relative exclude-newer and locks without it (output: $out)"
fi
rm -f /tmp/uv-0.9.16
expect_failure "that lock fails --locked for a uv that reads the cooldown" "needs to be updated, but \`--locked\` was provided" \
  uv sync --locked --no-dev
fresh ''
# [tool.uv.build-backend] is a sub-table of [tool.uv]: its keys may be indented.
module=$(sed -n 's/^[[:space:]]*module-name = "\(.*\)"$/\1/p' pyproject.toml)
[ -n "$module" ] || echo "FAIL uv stand-in: no module-name found in pyproject.toml"
mv "$module" "$module.moved"
expect_failure "a missing module directory fails the project install" "expected a Python module" \
  uv sync --locked --no-dev --no-editable
